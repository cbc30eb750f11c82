"""CapexStore: performs each change through the repository, then announces it by signal.

Table models, charts and the status bar listen to these signals; none of them writes to the
database itself, and charts never read it (they get ledgers once, then apply deltas).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QObject, Signal

from capex_gui.domain.currencies import DEFAULT_DISPLAY_CURRENCY, is_known_currency
from capex_gui.domain.entities import (
    Category,
    ChipOrder,
    Company,
    Countries,
    FxRate,
    Investment,
    Region,
    Supplier,
)
from capex_gui.domain.fx import FxTable
from capex_gui.errors import ValidationError
from capex_gui.storage.statements import StatementRepository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from capex_gui.domain.analytics import SpendLedger, SupplierLedger
    from capex_gui.domain.evidence import OrderEvidence, SpendEvidence
    from capex_gui.domain.statements import HeadlineTotal, StatedShare
    from capex_gui.storage.repository import Repository

logger = logging.getLogger(__name__)

Figure: TypeAlias = Investment | ChipOrder


class TableKind(StrEnum):
    """The two editable figure tables."""

    INVESTMENTS = "investments"
    CHIP_ORDERS = "chip_orders"

    @property
    def label(self) -> str:
        """Name shown to users."""
        return "Investments" if self is TableKind.INVESTMENTS else "Chip orders"


@dataclass(frozen=True)
class RowChange:
    """What one committed change did to a figure table (full old and new values)."""

    table: TableKind
    added: tuple[Figure, ...] = ()
    removed: tuple[Figure, ...] = ()
    updated: tuple[tuple[Figure, Figure], ...] = field(default=())


class CapexStore(QObject):
    """Owns the repository for the GUI; the only writer."""

    #: A RowChange, emitted after the transaction committed.
    rows_changed = Signal(object)
    #: Companies, suppliers, categories or regions were added or removed.
    references_changed = Signal()
    #: An FX rate was set or removed.
    fx_changed = Signal()
    #: Headline totals or stated shares were added, changed or removed.
    statements_changed = Signal()
    #: The display currency changed (the new ISO code).
    display_currency_changed = Signal(str)
    #: A change could not be made (message for the user).
    error_occurred = Signal(str)

    def __init__(self, repo: Repository, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._currency = DEFAULT_DISPLAY_CURRENCY
        self._fx: FxTable | None = None
        self._countries: Countries | None = None
        self._companies: list[Company] | None = None
        self._suppliers: list[Supplier] | None = None
        self._categories: list[Category] | None = None
        self._regions: list[Region] | None = None
        self._statements = StatementRepository(repo)
        self._headlines: list[HeadlineTotal] | None = None
        self._shares: list[StatedShare] | None = None

    # -- reading ----------------------------------------------------------------------------
    @property
    def repo(self) -> Repository:
        """The repository (for reads by table models)."""
        return self._repo

    @property
    def display_currency(self) -> str:
        """ISO code totals and charts are shown in."""
        return self._currency

    def set_display_currency(self, code: str) -> None:
        """Switch the display currency; announces it when it changed."""
        code = code.upper()
        if not is_known_currency(code):
            raise ValidationError(f"{code!r} is not a currency code this app knows")
        if code != self._currency:
            self._currency = code
            self.display_currency_changed.emit(code)

    def fx_table(self) -> FxTable:
        """All FX rates (cached until one changes)."""
        if self._fx is None:
            self._fx = FxTable.from_rates(self._repo.fx_rates())
        return self._fx

    def fx_rates(self) -> list[FxRate]:
        """FX rates as entities, by currency and year."""
        return self._repo.fx_rates()

    def countries(self) -> Countries:
        """Company and supplier countries (cached)."""
        if self._countries is None:
            self._countries = Countries(
                {c.name: c.country for c in self.companies()},
                {s.name: s.country for s in self.suppliers()},
            )
        return self._countries

    def companies(self) -> list[Company]:
        """Companies by name (cached)."""
        if self._companies is None:
            self._companies = self._repo.companies()
        return self._companies

    def suppliers(self) -> list[Supplier]:
        """Suppliers by name (cached)."""
        if self._suppliers is None:
            self._suppliers = self._repo.suppliers()
        return self._suppliers

    def categories(self) -> list[Category]:
        """The managed category list (cached)."""
        if self._categories is None:
            self._categories = self._repo.categories()
        return self._categories

    def regions(self) -> list[Region]:
        """The managed region list (cached)."""
        if self._regions is None:
            self._regions = self._repo.regions()
        return self._regions

    def spend_ledger(self) -> SpendLedger:
        """A fresh ledger of all investments (grouped in SQL); keep it current with deltas."""
        return self._repo.spend_ledger()

    def supplier_ledger(self) -> SupplierLedger:
        """A fresh ledger of all chip orders (grouped in SQL); keep it current with deltas."""
        return self._repo.supplier_ledger()

    def spend_evidence(self) -> SpendEvidence:
        """Sources and range reaches of all investments (grouped in SQL); deltas keep it current."""
        return self._repo.spend_evidence()

    def order_evidence(self) -> OrderEvidence:
        """Sources and estimate counts of all chip orders (grouped in SQL); deltas keep it so."""
        return self._repo.order_evidence()

    def get(self, table: TableKind, id_: int) -> Figure:
        """One row by id."""
        if table is TableKind.INVESTMENTS:
            return self._repo.get_investment(id_)
        return self._repo.get_chip_order(id_)

    # -- writing figures --------------------------------------------------------------------
    def add_rows(self, table: TableKind, items: Sequence[Figure]) -> list[Figure]:
        """Insert rows in one transaction (ids they carry are kept, for undo)."""
        return self._save(table, [], items)[1]

    def update_rows(self, table: TableKind, items: Sequence[Figure]) -> list[Figure]:
        """Replace rows (matched by id) in one transaction; returns the old values."""
        return self._save(table, items, [])[0]

    def paste_rows(
        self, table: TableKind, replace: Sequence[Figure], add: Sequence[Figure]
    ) -> list[Figure]:
        """Replace some rows and add others in one transaction; returns the added rows."""
        return self._save(table, replace, add)[1]

    def _save(
        self, table: TableKind, replace: Sequence[Figure], add: Sequence[Figure]
    ) -> tuple[list[Figure], list[Figure]]:
        olds = self._fetch(table, [i.id for i in replace if i.id is not None]) if replace else []
        by_id = {o.id: o for o in olds}
        added = list(self._repo.save_rows(table.value, list(replace), list(add)))
        pairs = tuple((by_id[i.id], i) for i in replace if i.id in by_id)
        if pairs or added:
            self.rows_changed.emit(RowChange(table, added=tuple(added), updated=pairs))
        return [p[0] for p in pairs], added

    def update_row(self, table: TableKind, item: Figure) -> Figure:
        """Replace one row; returns its old value."""
        return self.update_rows(table, [item])[0]

    def delete_rows(self, table: TableKind, ids: Sequence[int]) -> list[Figure]:
        """Delete rows in one transaction; returns them (for undo)."""
        gone: list[Figure]
        if table is TableKind.INVESTMENTS:
            gone = list(self._repo.delete_investments(ids))
        else:
            gone = list(self._repo.delete_chip_orders(ids))
        if gone:
            self.rows_changed.emit(RowChange(table, removed=tuple(gone)))
        return gone

    def _fetch(self, table: TableKind, ids: list[int]) -> list[Figure]:
        if table is TableKind.INVESTMENTS:
            return list(self._repo.investments(ids))
        return list(self._repo.chip_orders(ids))

    # -- writing reference lists and rates --------------------------------------------------
    def add_company(self, company: Company) -> Company:
        """Add a company."""
        made = self._repo.add_company(company)
        self._references_changed()
        return made

    def add_supplier(self, supplier: Supplier) -> Supplier:
        """Add a supplier."""
        made = self._repo.add_supplier(supplier)
        self._references_changed()
        return made

    def add_category(self, name: str) -> Category:
        """Extend the category list."""
        made = self._repo.add_category(name)
        self._references_changed()
        return made

    def add_region(self, name: str) -> Region:
        """Extend the region list."""
        made = self._repo.add_region(name)
        self._references_changed()
        return made

    def remove_reference(self, kind: str, name: str) -> None:
        """Remove an unused company, supplier, category or region (undo of adding it)."""
        remove = {
            "company": self._repo.delete_company,
            "supplier": self._repo.delete_supplier,
            "category": self._repo.delete_category,
            "region": self._repo.delete_region,
        }[kind]
        remove(name)
        self._references_changed()

    def _references_changed(self) -> None:
        self._companies = self._suppliers = self._categories = self._regions = None
        self._countries = None
        self.references_changed.emit()

    def set_fx_rate(self, rate: FxRate) -> FxRate | None:
        """Set a rate; returns the one it replaced (for undo)."""
        old = next(
            (
                r
                for r in self._repo.fx_rates()
                if (r.currency, r.year) == (rate.currency, rate.year)
            ),
            None,
        )
        self._repo.set_fx_rate(rate)
        self._fx = None
        self.fx_changed.emit()
        return old

    def company_aliases(self) -> dict[str, str]:
        """Alias -> company name (tickers, other-language names), as the database keeps them."""
        from capex_gui.storage.aliases import company_aliases

        return {a.alias: a.company for a in company_aliases(self._repo.engine)}

    # -- headline totals and stated shares ---------------------------------------------------
    def headlines(self) -> list[HeadlineTotal]:
        """Headline totals (cached until they change)."""
        if self._headlines is None:
            self._headlines = self._statements.headlines()
        return list(self._headlines)

    def stated_shares(self) -> list[StatedShare]:
        """Stated shares (cached until they change)."""
        if self._shares is None:
            self._shares = self._statements.shares()
        return list(self._shares)

    def add_statements(
        self, headlines: Sequence[HeadlineTotal], shares: Sequence[StatedShare]
    ) -> tuple[list[HeadlineTotal], list[StatedShare]]:
        """Add headline totals and stated shares in one transaction (ids they carry are kept)."""
        made = self._statements.add(headlines, shares)
        self._statements_changed()
        return made

    def delete_statements(
        self, headline_ids: Sequence[int], share_ids: Sequence[int]
    ) -> tuple[list[HeadlineTotal], list[StatedShare]]:
        """Delete headline totals and stated shares; returns them (for undo)."""
        gone = self._statements.delete(headline_ids, share_ids)
        self._statements_changed()
        return gone

    def _statements_changed(self) -> None:
        self._headlines = self._shares = None
        self.statements_changed.emit()

    def delete_fx_rate(self, currency: str, year: int) -> FxRate | None:
        """Remove a rate; returns it (for undo)."""
        gone = self._repo.delete_fx_rate(currency, year)
        self._fx = None
        self.fx_changed.emit()
        return gone
