"""Row versions, field-level edits with conflicts, and the change log (issue 10, finding 2).

Two Repository objects on one file stand for two windows (or two programs): each has its own
connections and its own place in the change log.
"""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from capex_gui.domain.entities import ChipOrder, FxRate, Investment
from capex_gui.errors import ConflictError
from capex_gui.storage import changes
from capex_gui.storage.changes import Op
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from tests.old_revisions import server_copy_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import URL

    from capex_gui.storage.database import Database

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def other(db: Database, sample_repo: Repository) -> Iterator[Repository]:
    """A second writer on the same file (another window or program)."""
    second = open_database(db.url)
    yield Repository(second.engine)
    second.close()


def _first_investment(repo: Repository) -> Investment:
    return repo.investments()[0]


@pytest.mark.parametrize("fixture", ["rev0001.capex", "rev0002.capex"])
def test_old_files_upgrade_with_every_row_at_version_one(
    tmp_path: Path, fixture: str, backend: str, request: pytest.FixtureRequest
) -> None:
    con = sqlite3.connect(FIXTURES / fixture)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("investments", "chip_orders", "fx_rates")
    }
    con.close()
    target: Path | URL
    if backend == "postgresql":  # the same rows on a server at the same old revision
        server = request.getfixturevalue("pg_server")
        target = server.url(server_copy_of(server, FIXTURES / fixture))
    else:
        target = tmp_path / fixture
        shutil.copy(FIXTURES / fixture, target)
    db = open_database(target)
    try:
        repo = Repository(db.engine)
        investments, orders, rates = repo.investments(), repo.chip_orders(), repo.fx_rates()
        assert (len(investments), len(orders), len(rates)) == (
            counts["investments"],
            counts["chip_orders"],
            counts["fx_rates"],
        )
        assert all(counts.values())
        assert {r.version for r in [*investments, *orders, *rates]} == {1}
        assert repo.seen_seq == 0  # an empty change log
        edited = investments[0].with_changes(notes="checked after the upgrade")
        repo.update_investment(edited)
        assert repo.get_investment(edited.id or 0).version == 2
        added = repo.add_investment(investments[0].with_changes(id=None, version=None))
        assert added.id == max(i.id or 0 for i in investments) + 1
    finally:
        db.close()


def test_every_write_moves_the_version(sample_repo: Repository) -> None:
    inv = _first_investment(sample_repo)
    assert inv.version == 1
    done = sample_repo.write_figures("investments", edits=[(inv, inv.with_changes(notes="a"))])
    assert done.updated[0][1].version == 2
    assert sample_repo.get_investment(inv.id or 0).version == 2
    order = sample_repo.chip_orders()[0]
    sample_repo.update_chip_order(order.with_changes(chip_model="H200"))
    assert sample_repo.get_chip_order(order.id or 0).version == 2
    rate = sample_repo.fx_rates()[0]
    sample_repo.set_fx_rate(rate.with_changes(note="revised"))
    assert sample_repo.fx_rates()[0].version == 2


def test_an_edit_writes_only_the_fields_the_user_changed(
    sample_repo: Repository, other: Repository
) -> None:
    """Same row, different fields: both edits stand, nobody is asked."""
    seen_here = _first_investment(sample_repo)
    seen_there = _first_investment(other)
    other.write_figures("investments", edits=[(seen_there, seen_there.with_changes(source="X"))])
    done = sample_repo.write_figures(
        "investments", edits=[(seen_here, seen_here.with_changes(notes="mine"))]
    )
    stored = sample_repo.get_investment(seen_here.id or 0)
    assert (stored.source, stored.notes) == ("X", "mine")
    assert stored.version == 3
    before, after = done.updated[0]
    assert before.source == "X" and after == stored  # the old value is what was stored


def test_the_same_field_changed_by_two_is_a_conflict_carrying_both_values(
    sample_repo: Repository, other: Repository
) -> None:
    seen_here = _first_investment(sample_repo)
    seen_there = _first_investment(other)
    other.write_figures("investments", edits=[(seen_there, seen_there.with_changes(notes="B"))])
    with pytest.raises(ConflictError) as caught:
        sample_repo.write_figures(
            "investments",
            edits=[(seen_here, seen_here.with_changes(notes="A", source="also mine"))],
        )
    (row,) = caught.value.rows
    assert row.row_id == seen_here.id and not row.deleted_by_them
    (clash,) = row.fields
    assert (clash.field, clash.seen, clash.yours, clash.theirs) == (
        "notes",
        seen_here.notes,
        "A",
        "B",
    )
    assert str(caught.value) == (
        "Not saved: someone else changed notes to “B” meanwhile (yours: “A”)."
    )
    stored = sample_repo.get_investment(seen_here.id or 0)
    assert (stored.notes, stored.source) == ("B", seen_here.source)  # nothing of it written


def test_both_typing_the_same_value_is_no_conflict(
    sample_repo: Repository, other: Repository
) -> None:
    seen_here, seen_there = _first_investment(sample_repo), _first_investment(other)
    other.write_figures("investments", edits=[(seen_there, seen_there.with_changes(notes="Z"))])
    sample_repo.write_figures("investments", edits=[(seen_here, seen_here.with_changes(notes="Z"))])
    assert sample_repo.get_investment(seen_here.id or 0).notes == "Z"


def test_editing_a_row_someone_deleted_is_a_conflict(
    sample_repo: Repository, other: Repository
) -> None:
    seen = _first_investment(sample_repo)
    other.delete_investments([seen.id or 0])
    with pytest.raises(ConflictError, match="deleted this row") as caught:
        sample_repo.write_figures("investments", edits=[(seen, seen.with_changes(notes="A"))])
    assert caught.value.rows[0].deleted_by_them
    assert caught.value.rows[0].yours.notes == "A"


def test_deleting_a_row_someone_changed_is_a_conflict_and_a_gone_row_is_skipped(
    sample_repo: Repository, other: Repository
) -> None:
    first, second = sample_repo.investments()[:2]
    there = other.get_investment(first.id or 0)
    other.update_investment(there.with_changes(amount=Decimal(7)))
    other.delete_investments([second.id or 0])
    with pytest.raises(ConflictError, match="Not deleted") as caught:
        sample_repo.write_figures("investments", remove=[first, second])
    (row,) = caught.value.rows
    assert row.deleted_by_you and row.theirs.amount == Decimal(7)
    assert sample_repo.get_investment(first.id or 0).amount == Decimal(7)
    done = sample_repo.write_figures("investments", remove=[second])
    assert done.removed == [] and not done


def test_a_stale_whole_row_is_refused_instead_of_reverting_the_other_edit(
    sample_repo: Repository, other: Repository
) -> None:
    """What lost acknowledged edits before: writing a whole row read before someone's edit."""
    stale = _first_investment(sample_repo)
    there = other.get_investment(stale.id or 0)
    other.update_investment(there.with_changes(notes="acknowledged"))
    with pytest.raises(ConflictError):
        sample_repo.update_investment(stale.with_changes(source="mine"))
    assert sample_repo.get_investment(stale.id or 0).notes == "acknowledged"


def test_a_merge_that_breaks_a_rule_is_refused_and_writes_nothing(
    sample_repo: Repository, other: Repository
) -> None:
    ranged = next(i for i in sample_repo.investments() if i.amount_low is None)
    there = other.get_investment(ranged.id or 0)
    other.update_investment(there.with_changes(amount_high=there.amount))
    from capex_gui.errors import ValidationError

    with pytest.raises(ValidationError, match="above the high end"):
        sample_repo.write_figures(
            "investments", edits=[(ranged, ranged.with_changes(amount=ranged.amount + 1))]
        )
    assert sample_repo.get_investment(ranged.id or 0).amount == ranged.amount


def test_other_writers_changes_come_with_their_values_and_in_order(
    sample_repo: Repository, other: Repository
) -> None:
    inv = other.investments()[0]
    order = other.chip_orders()[0]
    other.write_figures("investments", edits=[(inv, inv.with_changes(notes="1"))])
    other.delete_chip_orders([order.id or 0])
    added = other.add_chip_order(order.with_changes(id=None, chip_model="new"))
    other.set_fx_rate(FxRate("JPY", 2025, Decimal("150")))
    sample_repo.update_investment(sample_repo.get_investment(inv.id or 0).with_changes(quote="q"))
    own_seq = sample_repo.last_write_seq
    found = sample_repo.take_changes()  # read under the lock of sample_repo's own write
    assert [(c.table, c.op) for c in found] == [
        ("investments", Op.UPDATE),
        ("chip_orders", Op.DELETE),
        ("chip_orders", Op.INSERT),
        ("fx_rates", Op.INSERT),
    ]
    assert [c.seq for c in found] == sorted(c.seq for c in found)
    assert all(c.seq < own_seq for c in found)  # theirs came first
    update = found[0]
    assert isinstance(update.before, Investment) and isinstance(update.after, Investment)
    assert (update.before.notes, update.after.notes) == (inv.notes, "1")
    assert update.after == inv.with_changes(notes="1") and update.after.version == 2
    assert found[1].before == order
    assert found[2].after == added and isinstance(found[2].after, ChipOrder)
    # a window does not hear its own changes back
    other.poll_changes()
    mine_seen = other.take_changes()
    assert [(c.table, c.op) for c in mine_seen] == [("investments", Op.UPDATE)]
    assert mine_seen[0].seq == own_seq


def test_a_reader_that_fell_behind_the_pruned_log_is_told_to_re_read(
    sample_repo: Repository, other: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "KEEP_ENTRIES", 3)
    inv = other.investments()[0]
    for n in range(6):
        inv = other.write_figures("investments", edits=[(inv, inv.with_changes(notes=f"{n}"))])
        inv = inv.updated[0][1]  # type: ignore[assignment]
    sample_repo.poll_changes()
    found = sample_repo.take_changes()
    assert [c.op for c in found] == [Op.RESET]


def test_a_snapshot_names_the_log_position_its_reads_reflect(
    sample_repo: Repository, other: Repository
) -> None:
    inv = other.investments()[0]
    with sample_repo.snapshot() as seq:
        before = sample_repo.spend_ledger()
        other.update_investment(inv.with_changes(amount=inv.amount + 1))
        during = sample_repo.spend_ledger()
    assert during == before  # one moment: the other writer's commit is not in it
    assert other.last_write_seq == seq + 1


def test_log_values_round_trip_exactly_with_every_kind_of_field() -> None:
    from datetime import date

    from capex_gui.domain.periods import parse_period
    from capex_gui.domain.sample import sample_data

    data = sample_data()
    fiscal = parse_period("FY25 Q3", fiscal_year_end_month=6)
    items = [
        *data.investments,
        *data.chip_orders,
        *data.fx_rates,
        data.investments[0].with_changes(
            period=fiscal, reported_on=date(2024, 12, 5), amount=Decimal("0.01"), version=7
        ),
    ]
    tables = {Investment: "investments", ChipOrder: "chip_orders", FxRate: "fx_rates"}
    for item in items:
        back = changes.decode(tables[type(item)], changes.encode(item))
        assert back == item and back.version == item.version  # type: ignore[union-attr]
