"""Undo commands for FX rates: each holds the rate values before and after, never rows.

As with the figure commands, the change is written first (a refused write never reaches the
undo stack) and pushed with ``done=True`` so the stack's first ``redo()`` does not repeat it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from collections.abc import Callable

    from capex_gui.domain.entities import FxRate
    from capex_gui.store.store import CapexStore


def _describe(rate: FxRate) -> str:
    return f"{rate.currency} {rate.year}"


class FxCommand(QUndoCommand):
    """Base: runs through the store and reports failures instead of raising into Qt."""

    def __init__(self, store: CapexStore, text: str, *, done: bool = False) -> None:
        super().__init__(text)
        self._store = store
        self._skip_redo = done

    def _run(self, action: Callable[[], None]) -> None:
        try:
            action()
        except CapexError as exc:
            self._store.error_occurred.emit(f"Could not {self.text().lower()}: {exc}")

    def redo(self) -> None:
        """Apply the change (skipped once when it was already written)."""
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self._apply)

    def undo(self) -> None:
        """Revert the change."""
        self._run(self._revert)

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class SetFxRate(FxCommand):
    """Set a rate; undo puts back the rate it replaced, or removes it if it was new."""

    def __init__(
        self, store: CapexStore, new: FxRate, old: FxRate | None, *, done: bool = False
    ) -> None:
        verb = "Change" if old is not None else "Add"
        super().__init__(store, f"{verb} the {_describe(new)} rate", done=done)
        self.new, self.old = new, old

    def _apply(self) -> None:
        self._store.set_fx_rate(self.new)

    def _revert(self) -> None:
        if self.old is not None:
            self._store.set_fx_rate(self.old)
        else:
            self._store.delete_fx_rate(self.new.currency, self.new.year)


class DeleteFxRate(FxCommand):
    """Remove a rate; undo puts it back with its value and note."""

    def __init__(self, store: CapexStore, old: FxRate, *, done: bool = False) -> None:
        super().__init__(store, f"Delete the {_describe(old)} rate", done=done)
        self.old = old

    def _apply(self) -> None:
        self._store.delete_fx_rate(self.old.currency, self.old.year)

    def _revert(self) -> None:
        self._store.set_fx_rate(self.old)
