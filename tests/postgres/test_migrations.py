"""Schema upgrades on a server: one transaction, and who may run them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from capex_gui.errors import StorageError
from capex_gui.storage import postgresql
from capex_gui.storage.database import head_revision, open_database
from capex_gui.storage.repository import Repository
from tests.db_rows import every_row, query
from tests.old_revisions import server_copy_of
from tests.pg_server import ThrowawayServer

REV0002 = Path(__file__).parent.parent / "fixtures" / "rev0002.capex"


def _analyst(server: ThrowawayServer, database: str, name: str = "analyst") -> None:
    """A user who may read and write the rows, but not change or create tables."""
    server.admin_sql(
        f"DO $$ BEGIN CREATE ROLE {name} LOGIN PASSWORD 'pw'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    server.admin_sql(
        f'GRANT CONNECT ON DATABASE "{database}" TO {name}; '
        f"GRANT USAGE ON SCHEMA public TO {name}; "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}; "
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}",
        database=database,
    )


def test_an_interrupted_upgrade_leaves_the_database_as_it_was(
    pg_server: ThrowawayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = server_copy_of(pg_server, REV0002)
    url = pg_server.url(name)
    make = postgresql.make_engine

    def failing(url_: Any) -> Any:
        engine = make(url_)

        @event.listens_for(engine, "before_cursor_execute")
        def _cut(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if "CREATE TABLE change_log" in statement:  # migration 0006, after 0003-0005 ran
                raise RuntimeError("the network went away")

        return engine

    from tests.old_revisions import fixture_revision

    admin = postgresql.make_engine(url)
    with admin.connect() as conn:
        before = [r for r in conn.exec_driver_sql("SELECT * FROM investments ORDER BY id")]
        columns = len(conn.exec_driver_sql("SELECT * FROM investments LIMIT 0").keys())
    monkeypatch.setattr(postgresql, "make_engine", failing)
    with pytest.raises(RuntimeError, match="network went away"):
        open_database(url)
    monkeypatch.undo()
    with admin.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == (
            fixture_revision(REV0002)
        )
        assert list(conn.exec_driver_sql("SELECT * FROM investments ORDER BY id")) == before
        assert len(conn.exec_driver_sql("SELECT * FROM investments LIMIT 0").keys()) == columns
    admin.dispose()
    db = open_database(url)  # and it upgrades whole the next time
    try:
        assert query(db, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
        assert len(Repository(db.engine).investments()) == len(before)
    finally:
        db.close()


def test_a_user_who_may_not_change_tables_is_told_to_ask_an_administrator(
    pg_server: ThrowawayServer,
) -> None:
    name = server_copy_of(pg_server, REV0002)
    _analyst(pg_server, name)
    with pytest.raises(StorageError, match="ask an administrator") as caught:
        open_database(pg_server.url(name, user="analyst", password="pw"))
    assert "must be upgraded" in str(caught.value) and "Nothing was changed" in str(caught.value)
    owner = open_database(pg_server.url(name))  # the owner upgrades it...
    owner.close()
    _analyst(pg_server, name)  # (the tables 0006 made need the grants too)
    db = open_database(pg_server.url(name, user="analyst", password="pw"))  # ...then all may work
    try:
        repo = Repository(db.engine)
        inv = repo.investments()[0]
        repo.update_investment(inv.with_changes(notes="an analyst's edit"))
        assert repo.investments()[0].notes == "an analyst's edit"
        assert not db.read_only
    finally:
        db.close()


def test_an_empty_database_a_user_may_not_set_up_says_so(pg_server: ThrowawayServer) -> None:
    name = pg_server.new_database()
    _analyst(pg_server, name, "newcomer")
    with pytest.raises(StorageError, match="may not create its tables; ask an administrator"):
        open_database(pg_server.url(name, user="newcomer", password="pw"))
    admin = postgresql.make_engine(pg_server.url(name))
    with admin.connect() as conn:
        assert not postgresql.user_tables(conn)  # nothing was half made
    admin.dispose()


def test_a_user_who_may_only_read_gets_a_read_only_window(
    pg_server: ThrowawayServer, pg_name: str
) -> None:
    pg_server.admin_sql(
        "DO $$ BEGIN CREATE ROLE reader LOGIN PASSWORD 'pw'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    pg_server.admin_sql(
        "GRANT USAGE ON SCHEMA public TO reader; "
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader",
        database=pg_name,
    )
    db = open_database(pg_server.url(pg_name, user="reader", password="pw"))
    try:
        assert db.read_only_reason == "the database user reader may only read this database"
        assert every_row(db)
    finally:
        db.close()
