"""CapexStore: performs each change through the repository, then announces it by signal.

Table models, charts and the status bar listen to these signals; none of them writes to the
database itself, and charts never read it (they get ledgers once, then apply deltas).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

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
from capex_gui.errors import ConflictError, StorageError, ValidationError
from capex_gui.storage.aliases import add_alias, company_aliases, company_index, delete_alias
from capex_gui.storage.changes import Change, Op
from capex_gui.storage.imports import list_imports, remove_import
from capex_gui.storage.repository import FigureWrite
from capex_gui.storage.statements import StatementRepository
from capex_gui.store.conflicts import ConflictResolver, resolve
from capex_gui.store.fx_writes import FxRateWrites
from capex_gui.store.workers import make_runner

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from capex_gui.dataio.importer import ImportJob, ImportOutcome
    from capex_gui.domain.aliases import CompanyAlias, NameIndex
    from capex_gui.domain.analytics import SpendLedger, SupplierLedger
    from capex_gui.domain.evidence import OrderEvidence, SpendEvidence
    from capex_gui.domain.statements import HeadlineTotal, StatedShare
    from capex_gui.storage.imports import ImportRecord
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


#: Times a change is retried after the user settled a conflict and the rows changed again.
MAX_CONFLICT_ROUNDS = 5


@dataclass(frozen=True)
class RowChange:
    """What one committed change did to a figure table (full old and new values)."""

    table: TableKind
    added: tuple[Figure, ...] = ()
    removed: tuple[Figure, ...] = ()
    updated: tuple[tuple[Figure, Figure], ...] = field(default=())
    #: The change log's entry of the change (None: unknown). A reader that loaded totals at
    #: log position N (``CapexStore.snapshot``) skips changes at or below N: it has them.
    seq: int | None = None
    #: Made by another program or window (True), not through this store.
    external: bool = False


class CapexStore(FxRateWrites, QObject):
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
    #: Anything may have changed (another program bulk-loaded rows, or this window fell behind
    #: the change log): re-read what you show.
    reloaded = Signal()

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
        #: Asked when an interactive change meets another writer's (the window sets it).
        self.conflict_resolver: ConflictResolver | None = None
        self._syncing = False
        #: Runs reads off the GUI thread (the charts' first load and full re-reads).
        self.runner = make_runner(repo.engine, self)
        self._company_index: NameIndex | None = None

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

    def fiscal_year_end(self, company: str) -> int:
        """The month *company*'s fiscal year ends in (12 for an unknown company)."""
        for known in self.companies():
            if known.name == company:
                return known.fiscal_year_end_month
        return 12

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

    @contextmanager
    def snapshot(self) -> Iterator[int]:
        """Reads inside see one moment of the database; yields its change-log position."""
        with self._repo.snapshot() as seq:
            yield seq

    # -- writing figures --------------------------------------------------------------------
    def change_rows(
        self,
        table: TableKind,
        *,
        edits: Sequence[tuple[Figure | None, Figure]] = (),
        add: Sequence[Figure] = (),
        remove: Sequence[Figure | int] = (),
        ask: bool = False,
    ) -> FigureWrite:
        """Edit (seen -> wanted), add and remove rows in one transaction; announce it.

        An edit changes only the fields the user changed, and only where nobody else changed
        them since the user saw the row. Otherwise ConflictError, and nothing is written; with
        *ask* and a ``conflict_resolver``, the user decides and the change is tried again as
        decided (what is left of it). Other programs' changes are announced first, in the
        order they were committed.
        """
        retry_edits, retry_add, retry_remove = list(edits), list(add), list(remove)
        for _round in range(MAX_CONFLICT_ROUNDS):
            if not (retry_edits or retry_add or retry_remove):
                return FigureWrite()
            try:
                done = self._repo.write_figures(
                    table.value, edits=retry_edits, add=retry_add, remove=retry_remove
                )
            except ConflictError as conflict:
                self.sync_external()  # show what is stored now, behind any dialog
                if not ask or self.conflict_resolver is None:
                    raise
                choices = self.conflict_resolver(conflict) or {}
                retry = resolve(conflict, choices, retry_edits, retry_add, retry_remove)
                retry_edits, retry_add, retry_remove = retry.edits, retry.add, retry.remove
                continue
            self._announce_others()
            if done:
                self.rows_changed.emit(
                    RowChange(
                        table,
                        added=tuple(done.added),
                        removed=tuple(done.removed),
                        updated=tuple(done.updated),
                        seq=done.seq,
                    )
                )
            return done
        raise ConflictError((), "Not saved: the rows kept changing while you decided; try again.")

    def add_rows(self, table: TableKind, items: Sequence[Figure]) -> list[Figure]:
        """Insert rows in one transaction (ids they carry are kept, for undo)."""
        return self.change_rows(table, add=items).added

    def update_rows(self, table: TableKind, items: Sequence[Figure]) -> list[Figure]:
        """Replace rows (matched by id, checked by version) in one transaction; returns the old."""
        done = self.change_rows(table, edits=[(None, i) for i in items])
        return [before for before, _after in done.updated]

    def paste_rows(
        self, table: TableKind, replace: Sequence[Figure], add: Sequence[Figure]
    ) -> list[Figure]:
        """Replace some rows and add others in one transaction; returns the added rows."""
        return self.change_rows(table, edits=[(None, r) for r in replace], add=add).added

    def update_row(self, table: TableKind, item: Figure) -> Figure:
        """Replace one row; returns its old value."""
        olds = self.update_rows(table, [item])
        return olds[0] if olds else item

    def delete_rows(self, table: TableKind, ids: Sequence[int]) -> list[Figure]:
        """Delete rows in one transaction; returns them (for undo)."""
        return self.change_rows(table, remove=list(ids)).removed

    # -- other programs' changes ------------------------------------------------------------
    def sync_external(self) -> None:
        """Read and announce what other programs committed since the last look."""
        if self._syncing:
            return
        try:
            self._repo.poll_changes()
        except StorageError:
            logger.warning("could not read other programs' changes", exc_info=True)
            return
        self._announce_others()

    def _announce_others(self) -> None:
        """Announce queued changes of other writers, oldest first, grouped into RowChanges."""
        self._syncing = True
        try:
            found = self._repo.take_changes()
            if any(c.op is Op.RESET for c in found):
                self._fx = None
                self._references_changed()
                self.reloaded.emit()
                self.fx_changed.emit()
                return
            if any(c.table not in _FIGURE_TABLES and c.table != "fx_rates" for c in found):
                self._references_changed()
            for change in _group(found):
                self.rows_changed.emit(change)
            if any(c.table == "fx_rates" for c in found):
                self._fx = None
                self.fx_changed.emit()
        finally:
            self._syncing = False

    # -- writing reference lists and rates --------------------------------------------------
    def add_company(self, company: Company) -> Company:
        """Add a company."""
        made = self._repo.add_company(company)
        self._announce_others()
        self._references_changed()
        return made

    def update_company(self, company: Company) -> Company:
        """Change a company (by id): name, country, fiscal-year end. Returns it as it was.

        A new fiscal-year end moves the company's fiscal figures to the months their labels
        now mean; every figure that changed is announced, so tables and charts follow.
        """
        change = self._repo.change_company(company)
        self._announce_others()
        self._references_changed()
        seq = self._repo.last_write_seq
        for table, pairs in (
            (TableKind.INVESTMENTS, change.investments),
            (TableKind.CHIP_ORDERS, change.chip_orders),
        ):
            if pairs:
                self.rows_changed.emit(RowChange(table, updated=tuple(pairs), seq=seq))
        return change.before

    def add_supplier(self, supplier: Supplier) -> Supplier:
        """Add a supplier."""
        made = self._repo.add_supplier(supplier)
        self._announce_others()
        self._references_changed()
        return made

    def add_category(self, name: str) -> Category:
        """Extend the category list."""
        made = self._repo.add_category(name)
        self._announce_others()
        self._references_changed()
        return made

    def add_region(self, name: str) -> Region:
        """Extend the region list."""
        made = self._repo.add_region(name)
        self._announce_others()
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
        self._announce_others()
        self._references_changed()

    def _references_changed(self) -> None:
        self._companies = self._suppliers = self._categories = self._regions = None
        self._countries = None
        self._company_index = None
        self.references_changed.emit()

    # -- company aliases --------------------------------------------------------------------
    def company_name(self, text: str) -> str:
        """The company *text* means (its name, ticker, other or former name), else *text*."""
        if self._company_index is None:
            self._company_index = company_index(self._repo.engine)
        return self._company_index.find(text) or text

    def aliases_of(self, company: str | None = None) -> list[CompanyAlias]:
        """Aliases (of *company*, or of every company), with their kinds and ids."""
        return company_aliases(self._repo.engine, company)

    def add_alias(self, alias: CompanyAlias) -> CompanyAlias:
        """Give a company another name (ConstraintError when it is taken)."""
        made = add_alias(self._repo.engine, alias)
        self._references_changed()
        return made

    def remove_alias(self, company: str, alias: str) -> CompanyAlias | None:
        """Remove one of a company's other names; returns it (for undo)."""
        gone = delete_alias(self._repo.engine, company, alias)
        self._references_changed()
        return gone

    # -- imports ----------------------------------------------------------------------------
    def import_rows(self, job: ImportJob, **options: Any) -> ImportOutcome:
        """Run an import (``run_import`` options), then announce what it changed."""
        from capex_gui.dataio.importer import run_import  # openpyxl loads only when needed

        outcome = run_import(job, self._repo, **options)
        self.announce_import(outcome)
        return outcome

    def remove_import(self, outcome: ImportOutcome) -> None:
        """Delete an import's rows and the names it created; put back FX rates it replaced."""
        remove_import(self._repo, outcome.record.id, restore=outcome.replaced)
        self.announce_import(outcome)

    def imports(self) -> list[ImportRecord]:
        """The imports recorded in the database, newest first."""
        return list_imports(self._repo.engine)

    def remove_recorded_import(self, import_id: int) -> ImportRecord | None:
        """Delete a recorded import whole: its rows and the names it created where unused
        (None when there is no such import). Not an undo step."""
        gone = remove_import(self._repo, import_id)
        if gone is not None:
            if any(gone.created.values()):
                self._references_changed()
            if gone.table == "fx_rates":
                self._fx = None
                self.fx_changed.emit()
            else:
                self.reloaded.emit()
        return gone

    def announce_import(self, outcome: ImportOutcome) -> None:
        """Tell every view that an import (run here or in a worker thread) changed its table."""
        if outcome.references:
            self._references_changed()
        if outcome.record.table == "fx_rates":
            self._fx = None
            self.fx_changed.emit()
        else:
            self.reloaded.emit()  # one re-read instead of thousands of deltas

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


_FIGURE_TABLES = frozenset(t.value for t in TableKind)


def _group(found: Sequence[Change]) -> list[RowChange]:
    """Consecutive figure changes of one table as RowChanges (a row at most once in each)."""
    out: list[RowChange] = []
    table: TableKind | None = None
    added: list[Figure] = []
    removed: list[Figure] = []
    updated: list[tuple[Figure, Figure]] = []
    ids: set[int | None] = set()
    seq = 0

    def flush() -> None:
        if table is not None and (added or removed or updated):
            out.append(
                RowChange(
                    table,
                    tuple(added),
                    tuple(removed),
                    tuple(updated),
                    seq=seq,
                    external=True,
                )
            )
        added.clear()
        removed.clear()
        updated.clear()
        ids.clear()

    for change in found:
        if change.table not in _FIGURE_TABLES:
            continue
        kind = TableKind(change.table)
        if kind is not table or change.row_id in ids:
            flush()
            table = kind
        ids.add(change.row_id)
        seq = change.seq
        before, after = change.before, change.after
        if change.op is Op.INSERT and isinstance(after, Investment | ChipOrder):
            added.append(after)
        elif change.op is Op.DELETE and isinstance(before, Investment | ChipOrder):
            removed.append(before)
        elif isinstance(before, Investment | ChipOrder) and isinstance(
            after, Investment | ChipOrder
        ):
            updated.append((before, after))
    flush()
    return out
