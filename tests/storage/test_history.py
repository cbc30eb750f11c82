"""Who changed what: each row names who changed it last, and its history lists every change
with who and when, written in the same transaction as the change (on both back ends)."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from capex_gui.errors import ConflictError
from capex_gui.storage.changes import Op
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from tests.db_rows import query

if TYPE_CHECKING:
    from collections.abc import Iterator

    from capex_gui.storage.database import Database


@pytest.fixture
def colleague(
    db: Database, sample_repo: Repository, backend: str, request: pytest.FixtureRequest
) -> Iterator[tuple[Repository, str]]:
    """A second user on the same database: another database user on a server (on a file, the
    same operating-system user in another window)."""
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        server.admin_sql(
            "DO $$ BEGIN CREATE ROLE ana LOGIN PASSWORD 'pw'; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        server.admin_sql(
            "GRANT USAGE ON SCHEMA public TO ana; "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ana; "
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ana",
            database=db.url.database or "",
        )
        other = open_database(db.url.set(username="ana", password="pw"))
        name = "ana"
    else:
        other = open_database(db.url)
        name = getpass.getuser()
    yield Repository(other.engine), name
    other.close()


def test_each_change_names_who_made_it_and_when(
    sample_repo: Repository, colleague: tuple[Repository, str], db: Database
) -> None:
    ana, ana_name = colleague
    me = sample_repo.user
    started = datetime.now(UTC) - timedelta(seconds=1)
    made = sample_repo.add_investment(
        sample_repo.investments()[0].with_changes(id=None, version=None, notes="new")
    )
    assert made.id is not None
    ana.write_figures("investments", edits=[(made, made.with_changes(amount=Decimal(7)))])
    [(by,)] = query(db, f"SELECT changed_by FROM investments WHERE id = {made.id}")
    assert by == ana_name  # the row names who changed it last
    now = sample_repo.get_investment(made.id)
    sample_repo.write_figures("investments", remove=[now])

    entries = ana.row_history("investments", made.id)
    assert [(e.op, e.changed_by) for e in entries] == [
        (Op.INSERT, me),
        (Op.UPDATE, ana_name),
        (Op.DELETE, me),
    ]
    assert all(started <= e.changed_at <= datetime.now(UTC) for e in entries)
    assert entries[1].changes() == [("amount", made.amount, Decimal(7))]
    assert entries[0].after is not None and entries[0].after.notes == "new"
    assert entries[2].before == now and entries[2].after is None


def test_a_refused_change_leaves_no_history(
    sample_repo: Repository, colleague: tuple[Repository, str]
) -> None:
    ana, _name = colleague
    seen = sample_repo.investments()[0]
    assert seen.id is not None
    ana.write_figures("investments", edits=[(seen, seen.with_changes(notes="ana's"))])
    before = sample_repo.row_history("investments", seen.id)
    with pytest.raises(ConflictError):
        sample_repo.write_figures("investments", edits=[(seen, seen.with_changes(notes="mine"))])
    assert sample_repo.row_history("investments", seen.id) == before


def test_fx_rates_have_a_history_too(sample_repo: Repository) -> None:
    rate = sample_repo.fx_rates()[0]
    sample_repo.set_fx_rate(rate.with_changes(units_per_usd=Decimal("7.5")))
    entries = sample_repo.row_history("fx_rates", rate.id or 0)
    assert entries[-1].changes() == [("units_per_usd", rate.units_per_usd, Decimal("7.5"))]
    assert entries[-1].changed_by == sample_repo.user
