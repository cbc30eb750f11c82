"""Undo commands for headline totals and stated shares (values and ids, never rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capex_gui.store.commands import StoreCommand

if TYPE_CHECKING:
    from collections.abc import Sequence

    from capex_gui.domain.statements import HeadlineTotal, StatedShare
    from capex_gui.store.store import CapexStore


class AddStatements(StoreCommand):
    """Headline totals and stated shares added; undo deletes them, redo puts them back."""

    def __init__(
        self,
        store: CapexStore,
        headlines: Sequence[HeadlineTotal],
        shares: Sequence[StatedShare],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, text, done=done)
        self._headlines, self._shares = list(headlines), list(shares)

    def _apply(self) -> None:
        self._headlines, self._shares = self._store.add_statements(self._headlines, self._shares)

    def _revert(self) -> None:
        self._store.delete_statements(
            [h.id for h in self._headlines if h.id is not None],
            [s.id for s in self._shares if s.id is not None],
        )


class DeleteStatements(StoreCommand):
    """Headline totals and stated shares deleted; undo puts them back with their ids."""

    def __init__(
        self,
        store: CapexStore,
        headlines: Sequence[HeadlineTotal],
        shares: Sequence[StatedShare],
        text: str,
        *,
        done: bool = False,
    ) -> None:
        super().__init__(store, text, done=done)
        self._headlines, self._shares = list(headlines), list(shares)

    def _apply(self) -> None:
        self._store.delete_statements(
            [h.id for h in self._headlines if h.id is not None],
            [s.id for s in self._shares if s.id is not None],
        )

    def _revert(self) -> None:
        self._store.add_statements(self._headlines, self._shares)
