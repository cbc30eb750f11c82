"""What the PostgreSQL back end promises: notifications as commits land, writers one at a time,
reads of one moment, and one sentence for what a user can meet (a wrong password, no server,
no right to change the tables)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from capex_gui.errors import (
    ForeignDatabaseError,
    NewerSchemaError,
    PasswordRequiredError,
    StorageError,
)
from capex_gui.storage import postgresql
from capex_gui.storage.changes import change_probe
from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from tests.pg_server import ThrowawayServer


def _edit(repo: Repository, notes: str) -> None:
    inv = repo.investments()[0]
    repo.write_figures("investments", edits=[(inv, inv.with_changes(notes=notes))])


def test_the_probe_hears_a_commit_and_only_a_commit(pg_sample: Repository, pg_db: Database) -> None:
    probe = change_probe(pg_db.engine)
    try:
        assert isinstance(probe, postgresql.NotifyProbe)
        assert not probe.changed()
        other = open_database(pg_db.url)
        try:
            _edit(Repository(other.engine), "from another window")
        finally:
            other.close()
        deadline = time.monotonic() + 2
        while not probe.changed():
            assert time.monotonic() < deadline, "no notification within 2 s"
            time.sleep(0.02)
        assert not probe.changed()  # drained: one commit, one True
        with pg_db.engine.connect() as conn:  # a write that is rolled back notifies nobody
            conn.execute(
                text(
                    "INSERT INTO change_log (table_name, op, origin, changed_at) "
                    "VALUES ('investments', 'reset', 'x', now())"
                )
            )
            conn.rollback()
        time.sleep(0.2)
        assert not probe.changed()
    finally:
        probe.close()


def test_the_probe_reconnects_when_its_connection_is_killed(
    pg_sample: Repository, pg_db: Database, pg_server: ThrowawayServer
) -> None:
    probe = change_probe(pg_db.engine)
    try:
        pg_server.admin_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'capex-gui listener'"
        )
        deadline = time.monotonic() + 2
        while not probe.changed():  # it may have missed a commit: the window re-reads the log
            assert time.monotonic() < deadline, "the dropped connection went unnoticed"
            time.sleep(0.05)
        assert not probe.changed()
        _edit(pg_sample, "after the reconnect")
        deadline = time.monotonic() + 2
        while not probe.changed():
            assert time.monotonic() < deadline, "no notification after reconnecting"
            time.sleep(0.02)
    finally:
        probe.close()


def test_writers_take_turns_and_each_sees_the_last_commit(
    pg_sample: Repository, pg_db: Database
) -> None:
    """A writer holding the write lock makes the next one wait; reads never wait."""
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with pg_sample._tx(write=True) as s:
            s.execute(text("UPDATE companies SET country = country"))
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    other = open_database(pg_db.url)
    try:
        repo = Repository(other.engine)
        started = time.monotonic()
        assert repo.investments()  # a read does not wait
        assert time.monotonic() - started < 0.5
        timer = threading.Timer(0.5, release.set)
        timer.start()
        started = time.monotonic()
        _edit(repo, "waited its turn")
        assert time.monotonic() - started >= 0.4
    finally:
        holder.join()
        other.close()
    assert pg_sample.investments()[0].notes == "waited its turn"


def test_a_writer_held_up_longer_than_the_lock_wait_is_refused_in_a_sentence(
    pg_sample: Repository, pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgresql, "LOCK_WAIT_S", 0.3)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with pg_sample._tx(write=True) as s:
            s.execute(text("SELECT 1"))  # the transaction (and its lock) begins
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    other = open_database(pg_db.url)
    try:
        with pytest.raises(StorageError, match=r"^Not saved: another .* locked"):
            _edit(Repository(other.engine), "too late")
    finally:
        release.set()
        holder.join()
        other.close()
    assert pg_sample.investments()[0].notes != "too late"


def test_wrong_password_and_no_server_are_one_sentence(
    pg_server: ThrowawayServer, pg_name: str
) -> None:
    with pytest.raises(PasswordRequiredError, match="password was not accepted"):
        open_database(pg_server.url(pg_name, password="wrong"))
    with pytest.raises(PasswordRequiredError, match="a password is needed"):
        open_database(pg_server.url(pg_name, password=None))
    with pytest.raises(StorageError, match="cannot be reached"):
        open_database(pg_server.url(pg_name).set(port=1))
    with pytest.raises(StorageError, match="no such database"):
        open_database(pg_server.url("nobody_made_this"))


def test_a_database_of_another_application_is_refused(pg_server: ThrowawayServer) -> None:
    name = pg_server.new_database()
    pg_server.admin_sql("CREATE TABLE notes (x text)", database=name)
    with pytest.raises(ForeignDatabaseError, match=r"tables of another application \(notes\)"):
        open_database(pg_server.url(name))


def test_a_newer_schema_is_refused_untouched(pg_server: ThrowawayServer, pg_name: str) -> None:
    pg_server.admin_sql("UPDATE alembic_version SET version_num = '9999'", database=pg_name)
    with pytest.raises(NewerSchemaError, match="newer version of AI Capex Tracker"):
        open_database(pg_server.url(pg_name))
