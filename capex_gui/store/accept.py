"""Adding accepted proposals through the store as ONE undo step (as a paste is one)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from capex_gui.store.commands import AddReference, AddRows
from capex_gui.store.fx_commands import SetFxRate
from capex_gui.store.statement_commands import AddStatements
from capex_gui.store.store import TableKind

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from capex_gui.domain.extraction.accept import AcceptedRows
    from capex_gui.store.store import CapexStore


def add_accepted(store: CapexStore, undo: QUndoStack, rows: AcceptedRows, label: str) -> None:
    """Write *rows* (names first, then rates, figures and statements) as one undo step.

    Each part is written before its command is pushed (``done=True``), like every other edit,
    so a refused write never reaches the stack; a StorageError propagates to the caller with
    what was written so far inside the same undo step.
    """
    undo.beginMacro(label)
    try:
        for company in rows.new_companies:
            store.add_company(company)
            undo.push(
                AddReference(
                    store,
                    "company",
                    company.name,
                    partial(store.add_company, company),
                    done=True,
                )
            )
        for supplier in rows.new_suppliers:
            store.add_supplier(supplier)
            undo.push(
                AddReference(
                    store,
                    "supplier",
                    supplier.name,
                    partial(store.add_supplier, supplier),
                    done=True,
                )
            )
        for rate in rows.fx_rates:
            old = store.set_fx_rate(rate)
            undo.push(SetFxRate(store, rate, old, done=True))
        for table, items in (
            (TableKind.INVESTMENTS, rows.investments),
            (TableKind.CHIP_ORDERS, rows.chip_orders),
        ):
            if items:
                added = store.add_rows(table, list(items))
                undo.push(AddRows(store, table, added, label, done=True))
        if rows.headlines or rows.shares:
            heads, shares = store.add_statements(rows.headlines, rows.shares)
            undo.push(AddStatements(store, heads, shares, label, done=True))
    finally:
        undo.endMacro()
