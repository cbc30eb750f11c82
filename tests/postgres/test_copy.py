"""``capex-gui copy``: a .capex file into an empty server database and back, exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from capex_gui.app.cli import main
from capex_gui.app.paths import create_sample_database
from capex_gui.domain.aliases import AliasKind, CompanyAlias
from capex_gui.domain.entities import ChipOrder
from capex_gui.domain.statements import HeadlineTotal, StatedShare
from capex_gui.storage.aliases import add_alias
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.statements import StatementRepository
from capex_gui.storage.summaries import SUMMARIES
from capex_gui.storage.transfer import tables
from tests.db_rows import every_row, query
from tests.pg_server import ThrowawayServer


def _url(server: ThrowawayServer, name: str) -> str:
    return server.url(name).render_as_string(hide_password=False)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def rich_file(tmp_path: Path) -> Path:
    """The sample, plus a row in every other table (aliases, statements, an edit's log)."""
    path = tmp_path / "team.capex"
    create_sample_database(path).close()
    db = open_database(path)
    try:
        repo = Repository(db.engine)
        add_alias(db.engine, CompanyAlias("ByteDance", "字节跳动", AliasKind.NAME))
        StatementRepository(repo).add(
            [HeadlineTotal("ByteDance", 2025, Decimal("12000000000"), "USD", source="FT",
                           reported_on=date(2024, 12, 5), quote="more than $12bn")],
            [StatedShare("ByteDance", 2025, Decimal("0.6"), origin="domestic")],
        )  # fmt: skip
        inv = repo.investments()[0]
        repo.write_figures("investments", edits=[(inv, inv.with_changes(notes="edited once"))])
    finally:
        db.close()
    return path


def test_a_file_to_the_server_and_back_is_exact(
    rich_file: Path,
    tmp_path: Path,
    pg_server: ThrowawayServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = open_database(rich_file)
    # less alembic_version's row and the summary tables' (the target's own keep themselves)
    derived = {"alembic_version", *(summary.name for summary in SUMMARIES)}
    n_rows = len([row for row in every_row(source) if row[0] not in derived])
    source.close()
    empty = pg_server.new_database()  # as an administrator makes it: nothing in it yet
    server = _url(pg_server, empty)
    code, out, err = _run(capsys, "copy", str(rich_file), server)
    assert code == 0, err
    assert out.startswith(f"copied {n_rows} rows from {rich_file} to postgresql+psycopg://")
    back = tmp_path / "back.capex"
    code, out, err = _run(capsys, "copy", server, str(back))
    assert code == 0, err

    summaries = []
    for db in (str(rich_file), server, str(back)):
        code, out, err = _run(capsys, "summary", db, "--json")
        assert code == 0, err
        summaries.append(json.loads(out))
    assert summaries[0] == summaries[1] == summaries[2]
    assert summaries[0]["spend"]  # not three empty summaries

    original, returned = open_database(rich_file), open_database(back)
    on_server = open_database(pg_server.url(empty))
    try:
        rows = every_row(original)
        assert rows == every_row(returned)  # every row of every table, timestamps included
        assert {r[0] for r in rows} >= {t.name for t in tables()} - {"imports"}
        # the server (in another time zone) holds the same instants the file does
        stamps = "SELECT created_at, updated_at FROM investments ORDER BY id"
        in_file = [tuple(_as_utc(v) for v in row) for row in query(original, stamps)]
        assert query(on_server, stamps) == in_file
    finally:
        original.close()
        returned.close()
        on_server.close()


def _as_utc(value: object) -> datetime:
    """A timestamp SQLite returns (naive, written as UTC) as the instant it stands for."""
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp.replace(tzinfo=UTC)


def test_the_server_copy_takes_new_rows_after_the_copied_ids(
    rich_file: Path, pg_server: ThrowawayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = pg_server.new_database()
    assert _run(capsys, "copy", str(rich_file), _url(pg_server, empty))[0] == 0
    db = open_database(pg_server.url(empty))
    try:
        repo = Repository(db.engine)
        highest = max(o.id or 0 for o in repo.chip_orders())
        made = repo.add_chip_order(ChipOrder("ByteDance", 2025, "China", "Nvidia", units=1))
        assert made.id == highest + 1  # the sequence moved past the copied ids
        assert repo.add_region("Antarctica").id == max(r.id or 0 for r in repo.regions())
    finally:
        db.close()


def test_a_target_that_holds_rows_is_refused_and_left_alone(
    rich_file: Path, tmp_path: Path, pg_server: ThrowawayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    used = pg_server.new_database()
    db = open_database(pg_server.url(used), create=True)
    try:
        Repository(db.engine).add_region("Antarctica")
        before = every_row(db)
        code, _out, err = _run(capsys, "copy", str(rich_file), _url(pg_server, used))
        assert code == 2
        assert "is not empty (its regions table holds rows)" in err or "not empty" in err
        assert every_row(db) == before
    finally:
        db.close()
    other_file = tmp_path / "other.capex"
    create_sample_database(other_file).close()
    before_bytes = other_file.read_bytes()
    code, _out, err = _run(capsys, "copy", str(rich_file), str(other_file))
    assert code == 2 and "not empty" in err
    assert other_file.read_bytes() == before_bytes
    code, _out, err = _run(capsys, "copy", str(rich_file), str(rich_file))
    assert code == 2 and "same database" in err
