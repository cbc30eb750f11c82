"""Two windows on one database: each a store over its own repository (own connections), on a
SQLite file and on a PostgreSQL server alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from capex_gui.store.store import CapexStore
from tests.conftest import BOTH_BACKENDS


@pytest.fixture(params=BOTH_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test's ``db`` is on."""
    return str(request.param)


@pytest.fixture
def owner(qtbot: QtBot) -> QObject:
    """Parent of the stores (every QObject has a parent)."""
    return QObject()


@pytest.fixture
def store(sample_repo: Repository, owner: QObject) -> CapexStore:
    """This window's store."""
    return CapexStore(sample_repo, owner)


@pytest.fixture
def other_db(db: Database, sample_repo: Repository) -> Iterator[Database]:
    second = open_database(db.url)
    yield second
    second.close()


@pytest.fixture
def other(other_db: Database, owner: QObject) -> CapexStore:
    """Another window (or program) on the same file."""
    return CapexStore(Repository(other_db.engine), owner)
