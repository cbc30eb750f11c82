"""Undo command for changing a company (name, country, fiscal-year end)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.store.commands import StoreCommand

if TYPE_CHECKING:
    from capex_gui.domain.entities import Company
    from capex_gui.store.store import CapexStore


class EditCompany(StoreCommand):
    """Replace a company's values; undo puts the old ones back (and its figures' months)."""

    def __init__(
        self, store: CapexStore, old: Company, new: Company, what: str, *, done: bool = False
    ) -> None:
        super().__init__(store, f"Change {what} of {old.name}", done=done)
        self.old, self.new = old, new

    def _apply(self) -> None:
        self._store.update_company(self.new)

    def _revert(self) -> None:
        self._store.update_company(self.old)
