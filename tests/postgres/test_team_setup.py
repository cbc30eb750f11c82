"""README's "A team on one server", followed to the letter: its SQL run through ``psql`` as the
superuser, the first connection as the owner (``capex-gui copy`` with PGPASSWORD), then
editors who change figures and are named in the history, a reader, and a stranger."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from capex_gui.app.cli import main
from capex_gui.app.paths import create_sample_database
from capex_gui.errors import StorageError
from capex_gui.storage.database import head_revision, open_database
from capex_gui.storage.repository import Repository
from tests.db_rows import query
from tests.pg_server import ADMIN, ThrowawayServer

README = Path(__file__).parents[2] / "README.md"
MARKER = "<!-- team-setup-sql:"


def readme_setup_sql() -> str:
    """The ```sql block that follows the marker in README.md."""
    text = README.read_text(encoding="utf-8")
    found = re.search(re.escape(MARKER) + r".*?-->\s*```sql\n(.*?)```", text, re.DOTALL)
    assert found, "README.md lost its team set-up SQL block (or its marker)"
    return found.group(1)


def _password(sql: str, role: str) -> str:
    found = re.search(rf"CREATE ROLE {role} LOGIN PASSWORD '([^']+)'", sql)
    assert found, f"README's SQL no longer makes {role}"
    return found.group(1)


def test_the_readmes_team_set_up_works_as_written(
    pg_server: ThrowawayServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sql = readme_setup_sql()
    done = subprocess.run(  # as the README says: psql -v ON_ERROR_STOP=1 -f team.sql
        [str(pg_server.bindir / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", str(pg_server.folder),
         "-p", str(pg_server.port), "-U", ADMIN, "-d", "postgres", "-f", "-"],
        input=sql, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr and "WARNING" not in done.stderr, done.stderr

    def url(user: str) -> str:  # as the README writes it: no password in the URL
        return f"postgresql+psycopg://{user}@127.0.0.1:{pg_server.port}/capex"

    # the first connection, as the owner, copies an analyst's file in (and makes the tables)
    analysts_file = tmp_path / "capex.capex"
    create_sample_database(analysts_file).close()
    monkeypatch.setenv("PGPASSWORD", _password(sql, "capex_owner"))
    assert main(["copy", str(analysts_file), url("capex_owner")]) == 0, capsys.readouterr().err
    capsys.readouterr()

    # editors may change, add and delete figures, and the history names them
    monkeypatch.setenv("PGPASSWORD", _password(sql, "alice"))
    alice = open_database(url("alice"))
    try:
        assert alice.read_only_reason is None
        assert query(alice, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
        repo = Repository(alice.engine)
        first = repo.investments()[0]
        repo.write_figures("investments", edits=[(first, first.with_changes(notes="Alice's"))])
        added = repo.add_investment(first.with_changes(id=None, version=None, notes="new"))
        repo.delete_investments([added.id or 0])
        changes = repo.row_history("investments", first.id or 0)  # oldest first
        assert changes[-1].changed_by == "alice" and changes[-1].after.notes == "Alice's"
        # every table and sequence the migrations made is open to the editors
        gaps = query(
            alice,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND ((c.relkind = 'r' AND NOT "
            "has_table_privilege('alice', c.oid, 'SELECT, INSERT, UPDATE, DELETE')) "
            "OR (c.relkind = 'S' AND NOT has_sequence_privilege('alice', c.oid, 'USAGE')))",
        )
        assert gaps == []
    finally:
        alice.close()
    csv = tmp_path / "orders.csv"  # an import, as an editor
    csv.write_text("Buyer,Vendor,Units,Year,Region\nByteDance,Nvidia,7,2025,China\n")
    code = main(["import", url("alice"), str(csv), "--table", "chip-orders"])
    assert code == 0, capsys.readouterr().err
    monkeypatch.setenv("PGPASSWORD", _password(sql, "bob"))
    assert main(["imports", url("bob"), "--remove", "1"]) == 0, capsys.readouterr().err

    # an editor may not change the tables (so cannot upgrade them by mistake)
    bob = open_database(url("bob"))
    try:
        with pytest.raises(Exception, match="permission denied"), bob.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE mine (x int)")
    finally:
        bob.close()

    # a reader gets a read-only database
    monkeypatch.setenv("PGPASSWORD", _password(sql, "carol"))
    carol = open_database(url("carol"))
    try:
        assert carol.read_only_reason == "the database user carol may only read this database"
        assert len(Repository(carol.engine).investments()) == 3
    finally:
        carol.close()

    # a user of the same server outside the team cannot even connect
    pg_server.admin_sql("CREATE ROLE stranger LOGIN PASSWORD 'pw'")
    monkeypatch.setenv("PGPASSWORD", "pw")
    with pytest.raises(StorageError, match=r"capex: this user may not connect to that database"):
        open_database(url("stranger"))
    with pytest.raises(StorageError, match="a password was not accepted"):
        open_database(url("dave"))  # no such user: the server says no more than that
