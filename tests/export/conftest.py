"""Export tests reuse the window fixtures of the app tests."""

from __future__ import annotations

from tests.app.conftest import check_repo, db_path, open_window, settings_file, window  # noqa: F401
