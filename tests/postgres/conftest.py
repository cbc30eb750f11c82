"""Tests of the server back end itself: a fresh, migrated database each (``pg_db``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample
from tests.pg_server import ThrowawayServer


@pytest.fixture
def pg_name(pg_server: ThrowawayServer, pg_template: str) -> Iterator[str]:
    """A fresh database at the current schema (dropped afterwards)."""
    name = pg_server.new_database(template=pg_template)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def pg_db(pg_server: ThrowawayServer, pg_name: str) -> Iterator[Database]:
    """The fresh database, open."""
    database = open_database(pg_server.url(pg_name))
    yield database
    database.close()


@pytest.fixture
def pg_sample(pg_db: Database) -> Repository:
    """A repository over the fresh database filled with the sample."""
    repo = Repository(pg_db.engine)
    write_sample(repo)
    return repo
