"""The throwaway server itself: it runs, speaks SQL over loopback, and asks for a password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.pg_server import ADMIN, ThrowawayServer


def test_server_answers_over_loopback_with_a_password(pg_server: ThrowawayServer) -> None:
    with psycopg.connect(
        pg_server.url()
        .render_as_string(hide_password=False)
        .replace("postgresql+psycopg", "postgresql")
    ) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (ADMIN,)
        assert conn.info.host == "127.0.0.1"
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(host="127.0.0.1", port=pg_server.port, user=ADMIN, dbname="postgres")


def test_migrations_run_on_an_empty_database(pg_server: ThrowawayServer) -> None:
    from capex_gui.storage.database import head_revision, open_database

    name = pg_server.new_database()
    database = open_database(pg_server.url(name), create=True)
    try:
        with database.engine.connect() as conn:
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        assert rev == head_revision()
    finally:
        database.close()


def test_without_postgresql_a_test_that_needs_it_fails_in_ci(tmp_path: Path) -> None:
    """No server programs to be found: in CI (CI set) such a test fails, naming what to install,
    even when CAPEX_TEST_POSTGRES=off asks to leave it out; elsewhere that switch skips it."""
    needs = tmp_path / "test_needs_server.py"
    needs.write_text("def test_needs_server(pg_server):\n    pass\n")
    root = Path(__file__).parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "CAPEX_PG_BINDIR")}
    env |= {"CAPEX_PG_BINDIR": str(tmp_path / "no-postgresql"), "CAPEX_TEST_POSTGRES": "off"}
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-c",
        str(root / "pyproject.toml"), "--rootdir", str(tmp_path), str(needs),
    ]  # fmt: skip
    in_ci = subprocess.run(
        command, env=env | {"CI": "1"}, cwd=root, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert in_ci.returncode == 1, in_ci.stdout + in_ci.stderr
    assert "the throwaway PostgreSQL server could not start" in in_ci.stdout
    assert "initdb" in in_ci.stdout and "1 error" in in_ci.stdout
    elsewhere = subprocess.run(
        command, env=env, cwd=root, capture_output=True, text=True, timeout=120, check=False
    )
    assert elsewhere.returncode == 0 and "1 skipped" in elsewhere.stdout, elsewhere.stdout
