"""Shared test set-up: headless Qt, pyqtgraph on PySide6, per-test app folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

from collections.abc import Iterator
from pathlib import Path

import pytest

from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep data, settings and logs of every test in its own folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CAPEX_GUI_HOME", str(home))
    return home


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, empty database file."""
    database = open_database(tmp_path / "test.capex", create=True)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> Repository:
    """Repository over an empty database (default categories and regions only)."""
    return Repository(db.engine)


@pytest.fixture
def sample_repo(repo: Repository) -> Repository:
    """Repository over a database filled with the sample data."""
    write_sample(repo)
    return repo


@pytest.fixture(autouse=True, scope="session")
def _clear_clipboard_at_exit() -> Iterator[None]:
    """Qt's offscreen platform crashes at exit while the clipboard holds QMimeData (a real
    display does not): empty it before the QApplication goes away."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.clipboard().clear()
