"""Export tests reuse the window fixtures of the app tests."""

from __future__ import annotations

from tests.app.conftest import (  # noqa: F401
    check_repo,
    db_location,
    db_path,
    open_window,
    settings_file,
    window,
)
