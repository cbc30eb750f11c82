"""Reading and writing figures as text: clipboard blocks, CSV and spreadsheets (no Qt)."""
