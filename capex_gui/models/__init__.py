"""Qt item models over the store: tables of investments, chip orders."""
