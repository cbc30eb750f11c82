"""Conflicts as the store handles them: the user decides, undo never overwrites someone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtGui import QUndoStack

from capex_gui.errors import ConflictError
from capex_gui.store.commands import AddRows, EditRows
from capex_gui.store.conflicts import Resolution
from capex_gui.store.store import CapexStore, RowChange, TableKind

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from capex_gui.domain.entities import Investment

INV = TableKind.INVESTMENTS


def _first(store: CapexStore) -> Investment:
    return store.repo.investments()[0]


def _record(store: CapexStore) -> list[RowChange]:
    seen: list[RowChange] = []
    store.rows_changed.connect(seen.append)
    return seen


class Asked:
    """A resolver that answers as told and remembers what it was shown."""

    def __init__(self, answer: Resolution | None) -> None:
        self.answer = answer
        self.shown: list[ConflictError] = []

    def __call__(self, conflict: ConflictError) -> dict[int, Resolution] | None:
        self.shown.append(conflict)
        if self.answer is None:
            return None
        return {row.row_id: self.answer for row in conflict.rows}


def _clash(store: CapexStore, other: CapexStore) -> tuple[Investment, Investment]:
    """This window saw a row; the other wrote notes="theirs" to it. Returns (seen, wanted)."""
    seen = _first(store)
    there = _first(other)
    other.change_rows(INV, edits=[(there, there.with_changes(notes="theirs"))])
    return seen, seen.with_changes(notes="mine", source="my source")


def test_keep_mine_writes_the_users_value_after_showing_both(
    store: CapexStore, other: CapexStore
) -> None:
    seen, wanted = _clash(store, other)
    asked = Asked(Resolution.KEEP_MINE)
    store.conflict_resolver = asked
    changes = _record(store)
    done = store.change_rows(INV, edits=[(seen, wanted)], ask=True)
    (conflict,) = asked.shown
    (clash,) = conflict.rows[0].fields
    assert (clash.yours, clash.theirs) == ("mine", "theirs")
    stored = store.repo.get_investment(seen.id or 0)
    assert (stored.notes, stored.source) == ("mine", "my source")
    assert done.updated[0][0].notes == "theirs"  # the old value is what was stored
    # the other window's change was announced (so the table showed it behind the dialog),
    # then this one's
    assert [c.external for c in changes] == [True, False]
    assert changes[0].updated[0][1].notes == "theirs"


def test_keep_theirs_keeps_their_value_and_still_writes_the_users_other_fields(
    store: CapexStore, other: CapexStore
) -> None:
    seen, wanted = _clash(store, other)
    store.conflict_resolver = Asked(Resolution.KEEP_THEIRS)
    store.change_rows(INV, edits=[(seen, wanted)], ask=True)
    stored = store.repo.get_investment(seen.id or 0)
    assert (stored.notes, stored.source) == ("theirs", "my source")


def test_a_cancelled_dialog_overwrites_nothing(store: CapexStore, other: CapexStore) -> None:
    seen, wanted = _clash(store, other)
    store.conflict_resolver = Asked(None)
    store.change_rows(INV, edits=[(seen, wanted.with_changes(source=seen.source))], ask=True)
    assert store.repo.get_investment(seen.id or 0).notes == "theirs"


def test_without_asking_a_conflict_is_an_error_and_nothing_is_written(
    store: CapexStore, other: CapexStore
) -> None:
    seen, wanted = _clash(store, other)
    asked = Asked(Resolution.KEEP_MINE)
    store.conflict_resolver = asked
    with pytest.raises(ConflictError):
        store.change_rows(INV, edits=[(seen, wanted)])  # what undo and redo do
    assert asked.shown == []
    assert store.repo.get_investment(seen.id or 0).notes == "theirs"


@pytest.mark.parametrize("answer", [Resolution.KEEP_MINE, Resolution.KEEP_THEIRS])
def test_a_row_someone_deleted_is_re_created_or_dropped(
    store: CapexStore, other: CapexStore, answer: Resolution
) -> None:
    seen = _first(store)
    other.delete_rows(INV, [seen.id or 0])
    store.conflict_resolver = Asked(answer)
    changes = _record(store)
    store.change_rows(INV, edits=[(seen, seen.with_changes(notes="mine"))], ask=True)
    back = store.repo.investments([seen.id or 0])
    if answer is Resolution.KEEP_MINE:
        assert back == [seen.with_changes(notes="mine")]  # same id, every value, my edit
        assert changes[-1].added == (back[0],)
    else:
        assert back == []


def test_deleting_a_row_someone_changed_asks_first(store: CapexStore, other: CapexStore) -> None:
    seen = _first(store)
    there = _first(other)
    other.change_rows(INV, edits=[(there, there.with_changes(notes="theirs"))])
    store.conflict_resolver = Asked(Resolution.KEEP_THEIRS)
    assert store.change_rows(INV, remove=[seen], ask=True).removed == []
    assert store.repo.get_investment(seen.id or 0).notes == "theirs"
    store.conflict_resolver = Asked(Resolution.KEEP_MINE)
    gone = store.change_rows(INV, remove=[seen], ask=True).removed
    assert [g.notes for g in gone] == ["theirs"]


def test_undo_that_would_overwrite_someone_else_is_dropped_with_a_message(
    qtbot: QtBot, store: CapexStore, other: CapexStore
) -> None:
    stack = QUndoStack(store)
    seen = _first(store)
    done = store.change_rows(INV, edits=[(seen, seen.with_changes(notes="mine"))])
    stack.push(
        EditRows(store, INV, [done.updated[0][0]], [done.updated[0][1]], "Edit Notes", done=True)
    )
    there = other.repo.get_investment(seen.id or 0)
    other.change_rows(INV, edits=[(there, there.with_changes(notes="theirs, later"))])
    with qtbot.waitSignal(store.error_occurred) as message:
        stack.undo()
    assert message.args == [
        "Could not undo “Edit Notes”: Not saved: someone else changed notes to "
        "“theirs, later” meanwhile (yours: “" + seen.notes + "”)."
    ]
    assert store.repo.get_investment(seen.id or 0).notes == "theirs, later"
    assert stack.count() == 0  # the step is gone: the stack claims nothing untrue


def test_undo_after_someone_changed_another_field_keeps_their_change(
    store: CapexStore, other: CapexStore
) -> None:
    stack = QUndoStack(store)
    seen = _first(store)
    done = store.change_rows(INV, edits=[(seen, seen.with_changes(notes="mine"))])
    stack.push(EditRows(store, INV, [done.updated[0][0]], [done.updated[0][1]], "Edit", done=True))
    there = other.repo.get_investment(seen.id or 0)
    other.change_rows(INV, edits=[(there, there.with_changes(source="their source"))])
    stack.undo()
    stored = store.repo.get_investment(seen.id or 0)
    assert (stored.notes, stored.source) == (seen.notes, "their source")
    stack.redo()
    stored = store.repo.get_investment(seen.id or 0)
    assert (stored.notes, stored.source) == ("mine", "their source")
    assert stack.count() == 1


def test_undoing_an_add_someone_since_edited_is_dropped_with_a_message(
    qtbot: QtBot, store: CapexStore, other: CapexStore
) -> None:
    stack = QUndoStack(store)
    template = _first(store).with_changes(id=None, notes="new row")
    added = store.add_rows(INV, [template])
    stack.push(AddRows(store, INV, added, "Add row", done=True))
    there = other.repo.get_investment(added[0].id or 0)
    other.change_rows(INV, edits=[(there, there.with_changes(notes="kept by them"))])
    with qtbot.waitSignal(store.error_occurred):
        stack.undo()
    assert store.repo.get_investment(added[0].id or 0).notes == "kept by them"
    assert stack.count() == 0


def test_a_conflicting_paste_goes_in_whole_as_decided(store: CapexStore, other: CapexStore) -> None:
    """A paste over two rows, one of which someone changed: one question, one transaction."""
    a, b = store.repo.investments()[:2]
    there = other.repo.get_investment(b.id or 0)
    other.change_rows(INV, edits=[(there, there.with_changes(notes="theirs"))])
    asked = Asked(Resolution.KEEP_MINE)
    store.conflict_resolver = asked
    new_row = a.with_changes(id=None, notes="pasted row")
    done = store.change_rows(
        INV,
        edits=[(a, a.with_changes(notes="pasted a")), (b, b.with_changes(notes="pasted b"))],
        add=[new_row],
        ask=True,
    )
    assert len(asked.shown) == 1 and [r.row_id for r in asked.shown[0].rows] == [b.id]
    assert [r.notes for r in store.repo.investments([a.id or 0, b.id or 0])] == [
        "pasted a",
        "pasted b",
    ]
    assert [x.notes for x in done.added] == ["pasted row"]
