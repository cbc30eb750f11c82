"""Composition: command line, application object, main window wiring."""
