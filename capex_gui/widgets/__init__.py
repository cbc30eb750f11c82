"""Widgets: tables, delegates, charts, dialogs."""
