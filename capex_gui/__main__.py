"""``python -m capex_gui``."""

from __future__ import annotations

import sys

from capex_gui.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
