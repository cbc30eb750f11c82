"""FX rates edited in two windows: the same version check and choice as figures."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from PySide6.QtGui import QUndoStack

from capex_gui.domain.entities import FxRate
from capex_gui.errors import ConflictError
from capex_gui.store.conflicts import Resolution
from capex_gui.store.fx_commands import DeleteFxRate, SetFxRate
from tests.store.test_conflicts import Asked

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from capex_gui.store.store import CapexStore


def _cny(store: CapexStore) -> FxRate:
    return next(r for r in store.fx_rates() if (r.currency, r.year) == ("CNY", 2025))


def test_a_note_and_a_rate_changed_in_two_windows_both_stand(
    store: CapexStore, other: CapexStore
) -> None:
    seen = _cny(store)
    there = _cny(other)
    other.change_fx_rate(there.with_changes(units_per_usd=Decimal("7.30")), seen=there)
    store.change_fx_rate(seen.with_changes(note="checked"), seen=seen)
    stored = _cny(store)
    assert (stored.units_per_usd, stored.note) == (Decimal("7.30"), "checked")


@pytest.mark.parametrize("answer", [Resolution.KEEP_MINE, Resolution.KEEP_THEIRS])
def test_the_same_rate_changed_in_two_windows_asks(
    qtbot: QtBot, store: CapexStore, other: CapexStore, answer: Resolution
) -> None:
    seen = _cny(store)
    there = _cny(other)
    other.change_fx_rate(there.with_changes(units_per_usd=Decimal("7.30")), seen=there)
    with (
        qtbot.waitSignal(store.fx_changed),  # the other window's rate shows (behind a dialog)
        pytest.raises(ConflictError, match=r"changed rate to “7\.3” meanwhile \(yours: “7\.10”\)"),
    ):
        store.change_fx_rate(seen.with_changes(units_per_usd=Decimal("7.10")), seen=seen)
    assert store.fx_table().rate("CNY", 2025) == Decimal("7.30")
    asked = Asked(answer)
    store.conflict_resolver = asked
    written = store.change_fx_rate(
        seen.with_changes(units_per_usd=Decimal("7.10")), seen=seen, ask=True
    )
    (clash,) = asked.shown[0].rows[0].fields
    assert (clash.yours, clash.theirs) == (Decimal("7.10"), Decimal("7.30"))
    mine = answer is Resolution.KEEP_MINE
    assert _cny(store).units_per_usd == (Decimal("7.10") if mine else Decimal("7.30"))
    assert (written is not None) == mine


def test_a_rate_both_added_or_one_deleted_is_a_conflict(
    store: CapexStore, other: CapexStore
) -> None:
    other.change_fx_rate(FxRate("JPY", 2025, Decimal(150)), seen=None)
    with pytest.raises(ConflictError):
        store.change_fx_rate(FxRate("JPY", 2025, Decimal(151)), seen=None)
    seen = _cny(store)
    other.delete_fx_rate("CNY", 2025)
    store.conflict_resolver = Asked(Resolution.KEEP_MINE)
    store.change_fx_rate(seen.with_changes(note="back"), seen=seen, ask=True)
    assert _cny(store).note == "back"  # re-created


def test_deleting_a_rate_someone_changed_is_refused(store: CapexStore, other: CapexStore) -> None:
    seen = _cny(store)
    there = _cny(other)
    other.change_fx_rate(there.with_changes(note="theirs"), seen=there)
    with pytest.raises(ConflictError, match="Not deleted"):
        store.delete_fx_rate("CNY", 2025, seen=seen)
    assert _cny(store).note == "theirs"


def test_undoing_a_rate_someone_changed_since_is_dropped_with_a_message(
    qtbot: QtBot, store: CapexStore, other: CapexStore
) -> None:
    stack = QUndoStack(store)
    seen = _cny(store)
    written = store.change_fx_rate(seen.with_changes(units_per_usd=Decimal("7.20")), seen=seen)
    assert written is not None
    stack.push(SetFxRate(store, written[1], written[0], done=True))
    there = _cny(other)
    other.change_fx_rate(there.with_changes(units_per_usd=Decimal("7.40")), seen=there)
    with qtbot.waitSignal(store.error_occurred):
        stack.undo()
    assert _cny(store).units_per_usd == Decimal("7.40") and stack.count() == 0
    # a delete undone after someone added the rate again keeps theirs
    gone = store.delete_fx_rate("CNY", 2025, seen=_cny(store))
    assert gone is not None
    stack.push(DeleteFxRate(store, gone, done=True))
    other.change_fx_rate(FxRate("CNY", 2025, Decimal("7.50")), seen=None)
    with qtbot.waitSignal(store.error_occurred):
        stack.undo()
    assert _cny(store).units_per_usd == Decimal("7.50")
