"""The throwaway server itself: it runs, speaks SQL over loopback, and asks for a password."""

from __future__ import annotations

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
