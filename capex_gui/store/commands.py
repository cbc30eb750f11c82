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


class EditRows(FigureCommand):
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
        super().__init__(store, table, text, done=done)
        self._old, self._new = list(old), list(new)

    def _apply(self) -> None:
        self._store.update_rows(self._table, self._new)

    def _revert(self) -> None:
        self._store.update_rows(self._table, self._old)


class AddRows(FigureCommand):
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
        super().__init__(store, table, text, done=done)
        self._items: list[Figure] = list(items)

    @property
    def ids(self) -> list[int]:
        """Ids of the inserted rows."""
        return [i.id for i in self._items if i.id is not None]

    def _apply(self) -> None:
        self._items = self._store.add_rows(self._table, self._items)

    def _revert(self) -> None:
        self._store.delete_rows(self._table, self.ids)


class DeleteRows(FigureCommand):
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
        super().__init__(store, table, text, done=done)
        self._items = list(items)

    def _apply(self) -> None:
        ids = [i.id for i in self._items if i.id is not None]
        self._items = self._store.delete_rows(self._table, ids) or self._items

    def _revert(self) -> None:
        self._store.add_rows(self._table, self._items)


class PasteRows(FigureCommand):
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
        super().__init__(store, table, text, done=done)
        self._old, self._new, self._added = list(old), list(new), list(added)

    def _apply(self) -> None:
        if self._new:
            self._store.update_rows(self._table, self._new)
        if self._added:
            self._added = self._store.add_rows(self._table, self._added)

    def _revert(self) -> None:
        if self._added:
            self._store.delete_rows(self._table, [a.id for a in self._added if a.id is not None])
        if self._old:
            self._store.update_rows(self._table, self._old)


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
