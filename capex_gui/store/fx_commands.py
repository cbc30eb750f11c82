"""Undo commands for FX rates: each holds the rate values before and after, never rows.

As with the figure commands, the change is written first (a refused write never reaches the
undo stack) and pushed with ``done=True`` so the stack's first ``redo()`` does not repeat it.
Undo and redo check that the rate still holds what the step left: a rate someone else changed
since makes the step fail with a message and leave the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.store.commands import StoreCommand

if TYPE_CHECKING:
    from capex_gui.domain.entities import FxRate
    from capex_gui.store.store import CapexStore


def _describe(rate: FxRate) -> str:
    return f"{rate.currency} {rate.year}"


class SetFxRate(StoreCommand):
    """Set a rate; undo puts back the rate it replaced, or removes it if it was new."""

    def __init__(
        self, store: CapexStore, new: FxRate, old: FxRate | None, *, done: bool = False
    ) -> None:
        verb = "Change" if old is not None else "Add"
        super().__init__(store, f"{verb} the {_describe(new)} rate", done=done)
        self.new, self.old = new, old

    def _apply(self) -> None:
        self._store.change_fx_rate(self.new, seen=self.old)

    def _revert(self) -> None:
        # only if the rate still holds what this step wrote (else the step fails and goes)
        if self.old is not None:
            self._store.change_fx_rate(self.old, seen=self.new)
        else:
            self._store.delete_fx_rate(self.new.currency, self.new.year, seen=self.new)


class DeleteFxRate(StoreCommand):
    """Remove a rate; undo puts it back with its value and note."""

    def __init__(self, store: CapexStore, old: FxRate, *, done: bool = False) -> None:
        super().__init__(store, f"Delete the {_describe(old)} rate", done=done)
        self.old = old

    def _apply(self) -> None:
        self._store.delete_fx_rate(self.old.currency, self.old.year, seen=self.old)

    def _revert(self) -> None:
        self._store.change_fx_rate(self.old, seen=None)  # unless someone added one meanwhile
