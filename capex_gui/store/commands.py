"""Undo commands: each holds entity values and ids, never row numbers or QModelIndex.

A change is written first (so a refused write never reaches the undo stack), then pushed with
``done=True`` so the stack's first ``redo()`` does not write it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from capex_gui.storage.repository import FigureWrite
    from capex_gui.store.store import CapexStore, Figure, TableKind


class StoreCommand(QUndoCommand):
    """Base: runs redo/undo through the store and reports failures instead of raising into Qt."""

    def __init__(self, store: CapexStore, text: str, *, done: bool = False) -> None:
        super().__init__(text)
        self._store = store
        self._skip_redo = done

    def _run(self, action: Callable[[], None], verb: str) -> None:
        try:
            action()
        except CapexError as exc:
            # Qt would swallow a Python exception here; tell the user, and drop the step so
            # the undo stack does not claim a state the database is not in.
            self.setObsolete(True)
            self._store.error_occurred.emit(f"Could not {verb} “{self.text()}”: {exc}")

    def redo(self) -> None:
        """Apply the change (skipped once when it was already written)."""
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self._apply, "redo")

    def undo(self) -> None:
        """Revert the change."""
        self._run(self._revert, "undo")

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class FigureCommand(StoreCommand):
    """A change to one of the figure tables."""

    def __init__(
        self, store: CapexStore, table: TableKind, text: str, *, done: bool = False
    ) -> None:
        super().__init__(store, text, done=done)
        self._table = table


class ChangeRows(FigureCommand):
    """Rows edited (before -> after), added and removed, as one step and one transaction.

    Redo and undo go through the same version check as an edit: a step whose rows someone else
    changed since (in the fields it would set back) fails, names itself and is dropped, rather
    than overwrite their work.
    """

    def __init__(
        self,
        store: CapexStore,
        table: TableKind,
        text: str,
        *,
        updated: Sequence[tuple[Figure, Figure]] = (),
        added: Sequence[Figure] = (),
        removed: Sequence[Figure] = (),
        done: bool = False,
    ) -> None:
        super().__init__(store, table, text, done=done)
        self._updated = list(updated)
        self._added = list(added)
        self._removed = list(removed)

    @property
    def ids(self) -> list[int]:
        """Ids of the rows this step added."""
        return [i.id for i in self._added if i.id is not None]

    def _apply(self) -> None:
        done = self._store.change_rows(
            self._table,
            edits=[(before, after) for before, after in self._updated],
            add=self._added,
            remove=self._removed,
        )
        self._added = done.added or self._added

    def _revert(self) -> None:
        done = self._store.change_rows(
            self._table,
            edits=[(after, before) for before, after in self._updated],
            add=self._removed,
            remove=self._added,
        )
        self._removed = done.added or self._removed


class EditRows(ChangeRows):
    """Replace rows' values (one cell edit, or many rows of a paste)."""

    def __init__(
        self,
        store: CapexStore,
        table: TableKind,
        old: Sequence[Figure],
        new: Sequence[Figure],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, table, text, updated=list(zip(old, new, strict=True)), done=done)


class AddRows(ChangeRows):
    """Insert rows; undo deletes them; redo re-inserts them with the same ids."""

    def __init__(
        self,
        store: CapexStore,
        table: TableKind,
        items: Sequence[Figure],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, table, text, added=items, done=done)


class DeleteRows(ChangeRows):
    """Delete rows; undo puts them back with their ids and every value."""

    def __init__(
        self,
        store: CapexStore,
        table: TableKind,
        items: Sequence[Figure],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, table, text, removed=items, done=done)


class PasteRows(ChangeRows):
    """A paste: rows overwritten and rows added, as one undo step."""

    def __init__(
        self,
        store: CapexStore,
        table: TableKind,
        old: Sequence[Figure],
        new: Sequence[Figure],
        added: Sequence[Figure],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(
            store, table, text, updated=list(zip(old, new, strict=True)), added=added, done=done
        )


def command_for(
    store: CapexStore, table: TableKind, written: FigureWrite, text: str
) -> ChangeRows | None:
    """The undo step for what a change wrote (None when it wrote nothing), already done."""
    if not written:
        return None
    return ChangeRows(
        store,
        table,
        text,
        updated=written.updated,
        added=written.added,
        removed=written.removed,
        done=True,
    )


class AddReference(StoreCommand):
    """A company, supplier, category or region added to its list; undo removes it again."""

    def __init__(
        self,
        store: CapexStore,
        kind: str,
        name: str,
        add: Callable[[], object],
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, f"Add {kind} {name}", done=done)
        self._kind, self._name, self._add = kind, name, add

    def _apply(self) -> None:
        self._add()

    def _revert(self) -> None:
        self._store.remove_reference(self._kind, self._name)
