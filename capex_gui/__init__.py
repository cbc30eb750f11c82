"""AI Capex Tracker: AI-infrastructure investments and chip orders, with their sources, charted."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "AI Capex Tracker"
APP_ID = "capex-gui"
ORG_NAME = "AI Capex Tracker"
ORG_DOMAIN = "capex-tracker.example"
