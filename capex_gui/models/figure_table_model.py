"""Table models over the store: ids in SQL order, rows fetched on demand, edits via undo."""

from __future__ import annotations

import enum
import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from capex_gui.dataio.formula_guard import neutralise_cell
from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.errors import CapexError, ValidationError
from capex_gui.models.cells import CellPresenter
from capex_gui.models.columns import (
    CHIP_ORDER_COLUMNS,
    INVESTMENT_COLUMNS,
    NUMERIC_KINDS,
    Column,
    Kind,
    apply_text,
)
from capex_gui.models.paste import PastePlan, plan_paste
from capex_gui.models.provenance import orphans_provenance, without_provenance
from capex_gui.storage.figure_order import MONEY_SORTS, FigureQuery, read_figure_ids
from capex_gui.store.commands import AddRows, DeleteRows, command_for
from capex_gui.store.store import CapexStore, Figure, RowChange, TableKind

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from PySide6.QtGui import QUndoStack

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex

#: Rows fetched around the one asked for, and rows kept in memory.
FETCH_BLOCK = 200
CACHE_LIMIT = 4000
#: Ids read at once when a table (re)loads; the rest are read on a worker right after.
ID_PAGE = 5000


class _Apply(enum.Enum):
    """How a read of the rows' order replaces the shown ids."""

    APPEND = "the rest after the first page"
    RESET = "other rows (a filter)"
    RELAYOUT = "the same rows in another order (a sort)"


@dataclass(eq=False)
class _Load:
    """A read of the rows' order that is running."""

    apply: _Apply
    ticket: int | None = None


class FigureTableModel(QAbstractTableModel):
    """Rows of one figure table. Holds ids (in SQL order, 8 bytes a row) and a bounded cache of
    entities.

    The order of the rows (which rows, sorted how) is read by one query on a worker thread: the
    first page at once on a (re)load, the rest right after; a sort or filter keeps showing the
    old rows until the new order arrives, so typing and scrolling never wait for it.
    """

    #: A typed value was refused: (message, row, column). Nothing was written.
    input_rejected = Signal(str, int, int)
    #: Rows were added by this model (first new row), for the view to select and scroll to.
    rows_added = Signal(int)
    #: Something the user should know about an accepted change (for the status bar).
    message_shown = Signal(str)
    #: The rows' order is being read (True) or has arrived (False).
    busy_changed = Signal(bool)

    table: TableKind
    columns: tuple[Column, ...]

    def __init__(self, store: CapexStore, undo_stack: QUndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._undo = undo_stack
        self._query = FigureQuery()
        self._ids: np.ndarray = np.empty(0, dtype=np.int64)
        #: The read of the rows' order that is running: (ticket, how its result is applied).
        self._load: _Load | None = None
        #: Ids removed and added while a read was running (its result may predate them).
        self._removed_meanwhile: set[int] = set()
        self._added_meanwhile: list[int] = []
        self._when_idle: list[Callable[[], None]] = []
        self._cache: OrderedDict[int, Figure] = OrderedDict()
        self._insert_at: int | None = None
        #: (id, row as the open editor showed it): the value the user is changing.
        self._editing: tuple[int, Figure] | None = None
        self._editing_column = -1
        #: The edited row was deleted by another program: removed when its editor closes.
        self._removed_while_editing = False
        self._cells = CellPresenter(store)
        store.rows_changed.connect(self._on_rows_changed)
        store.fx_changed.connect(self._on_money_order_changed)
        store.display_currency_changed.connect(self._on_money_order_changed)
        store.fx_changed.connect(self._on_derived_changed)
        store.display_currency_changed.connect(self._on_derived_changed)
        store.references_changed.connect(self._on_references_changed)
        store.reloaded.connect(self.reload)
        self.reload()

    @property
    def undo_stack(self) -> QUndoStack:
        """Where this model's changes are recorded."""
        return self._undo

    # -- query ------------------------------------------------------------------------------
    @property
    def query(self) -> FigureQuery:
        """The current filter and sort."""
        return self._query

    @property
    def busy(self) -> bool:
        """True while the rows' order is being read (a first load, sort or filter)."""
        return self._load is not None

    def set_query(self, query: FigureQuery) -> None:
        """Filter/sort in SQL (on a worker) and show the result when it arrives."""
        self._query = query
        self._read_order(_Apply.RESET, f"Filtering {self.table.label.lower()}…")

    def reload(self) -> None:
        """Re-read which rows to show: the first page at once, the rest on a worker."""
        self._cancel_load()
        self._editing = None  # a reset closes every editor
        self._removed_while_editing = False
        self.beginResetModel()
        first = self._store.repo.figure_ids(self.table.value, self._query, limit=ID_PAGE)
        self._ids = np.array(first, dtype=np.int64)
        self._cache.clear()
        self.endResetModel()
        if len(first) == ID_PAGE:
            self._read_order(_Apply.APPEND, f"Loading {self.table.label.lower()}…")
        else:
            self._idle()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call *callback* once every row is shown in the current order (now, if it is)."""
        if self._load is None:
            callback()
        else:
            self._when_idle.append(callback)

    def _read_order(self, apply: _Apply, label: str) -> None:
        """Read the ids in the query's order on a worker; *apply* says how they replace ours."""
        self._cancel_load()
        table, query = self.table.value, self._query
        self._removed_meanwhile = set()
        self._added_meanwhile = []
        token = _Load(apply)
        self._load = token
        self.busy_changed.emit(True)
        token.ticket = self._store.runner.submit(
            label,
            lambda session: read_figure_ids(session, table, query),
            lambda ids: self._order_read(token, ids),
            lambda error: self._order_failed(token, error),
        )

    def _cancel_load(self) -> None:
        if self._load is not None:
            self._store.runner.cancel(self._load.ticket)
            self._load = None

    def _order_read(self, token: _Load, ids: np.ndarray) -> None:
        """The worker's result: show it (unless a newer read superseded it)."""
        if self._load is not token:
            return
        self._load = None
        if self._removed_meanwhile:
            ids = ids[~np.isin(ids, np.fromiter(self._removed_meanwhile, dtype=np.int64))]
        if token.apply is _Apply.APPEND:  # the rest after the first page (and rows added since)
            rest = ids[~np.isin(ids, self._ids)]
            if rest.size:
                self._insert_block(rest, len(self._ids))
        else:
            added = np.array(self._added_meanwhile, dtype=np.int64)
            added = added[~np.isin(added, ids)]
            if added.size:  # shown before the read's snapshot had them: keep them, at the end
                ids = np.concatenate([ids, added])
            if token.apply is _Apply.RESET:
                self._reset_to(ids)
            else:
                self._match_rows(ids)  # a sort while the rest still loaded: same rows first
                self._relayout_to(ids)
        self._idle()

    def _order_failed(self, token: _Load, error: Exception) -> None:
        if self._load is not token:
            return
        self._load = None
        self.message_shown.emit(f"Could not read the rows' order: {_sentence(str(error))}")
        self._idle()

    def _idle(self) -> None:
        self.busy_changed.emit(False)
        callbacks, self._when_idle = self._when_idle, []
        for callback in callbacks:
            callback()

    def _reset_to(self, ids: np.ndarray) -> None:
        self._editing = None  # a reset closes every editor
        self._removed_while_editing = False
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.endResetModel()

    def _match_rows(self, ids: np.ndarray) -> None:
        """Show exactly the rows of *ids* (in any order) with inserts and removals the views
        hear of (a layout change may only reorder): the rest of a first page, or rows another
        program deleted that the read no longer has."""
        missing = ids[~np.isin(ids, self._ids)]
        if missing.size:
            self._insert_block(missing, len(self._ids))
        extra = self._ids[~np.isin(self._ids, ids)]
        if extra.size:
            self._remove_ids(set(extra.tolist()))

    def _relayout_to(self, ids: np.ndarray) -> None:
        """The same records in a new order: selection and current cell stay on their records."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        records = [int(self._ids[i.row()]) if 0 <= i.row() < len(self._ids) else -1 for i in old]
        self._ids = ids
        rows = self.rows_of(records)
        new = [
            self.index(rows[r], i.column()) if r in rows else QModelIndex()
            for r, i in zip(records, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by a column (derived values sort by what they are worked out from)."""
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        if key == "display_value":
            key = "amount" if self.table is TableKind.INVESTMENTS else "value"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort, self._query.descending):
            return
        currency = self._store.display_currency
        self._resort(replace(self._query, sort=key, descending=descending, currency=currency))

    def _resort(self, query: FigureQuery) -> None:
        """Show the rows in *query*'s order once it is read (the old order until then)."""
        self._query = query
        self._read_order(_Apply.RELAYOUT, f"Sorting {self.table.label.lower()}…")

    def _on_money_order_changed(self, *_args: object) -> None:
        """Sorted by a money column: a new display currency or FX rate changes the order."""
        if self._query.sort in MONEY_SORTS:
            self._resort(replace(self._query, currency=self._store.display_currency))

    def column_index(self, key: str) -> int:
        """Column number of a field."""
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    # -- rows -------------------------------------------------------------------------------
    def id_at(self, row: int) -> int:
        """Database id of a row."""
        return int(self._ids[row])

    def row_of(self, id_: int) -> int | None:
        """Row showing *id_* (None when filtered out)."""
        hits = np.flatnonzero(self._ids == id_)
        return int(hits[0]) if hits.size else None

    def rows_of(self, ids: Iterable[int]) -> dict[int, int]:
        """{id: row} of those of *ids* that are shown."""
        wanted = np.fromiter(ids, dtype=np.int64)
        rows = np.flatnonzero(np.isin(self._ids, wanted))
        return dict(zip(self._ids[rows].tolist(), rows.tolist(), strict=True))

    def item_at(self, row: int) -> Figure:
        """The entity shown in *row* (fetched with its neighbours on a cache miss)."""
        id_ = int(self._ids[row])
        item = self._cache.get(id_)
        if item is not None:
            self._cache.move_to_end(id_)
            return item
        start = max(0, row - FETCH_BLOCK // 4)
        block = self._ids[start : start + FETCH_BLOCK].tolist()
        for fetched in self._fetch(block):
            if fetched.id is not None:
                self._cache[fetched.id] = fetched
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        found = self._cache.get(id_)
        if found is None:  # another program deleted it and we have not heard yet
            return self._vanished(id_)
        return found

    def _vanished(self, id_: int) -> Figure:
        """Stand-in for a row deleted elsewhere until the store announces it (next turn)."""
        QTimer.singleShot(0, self._store, self._store.sync_external)
        if self._editing is not None and self._editing[0] == id_:
            return self._editing[1]
        return self.new_item().with_changes(id=id_)

    def _fetch(self, ids: Sequence[int]) -> Sequence[Figure]:
        if self.table is TableKind.INVESTMENTS:
            return self._store.repo.investments(ids)
        return self._store.repo.chip_orders(ids)

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if column.key == "display_value":
                return f"Value ({self._store.display_currency})"
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC_KINDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        return self._cells.data(self.item_at(index.row()), self.columns[index.column()], role)

    # -- editing ----------------------------------------------------------------------------
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cell(index, "" if value is None else str(value))

    def planned_edit(self, index: AnyIndex, text: str) -> tuple[Figure, Figure]:
        """(old, new) values of the record if *text* were typed into *index*; raises
        ValidationError when it would be refused. Nothing is written."""
        old = self._seen(index.row())
        column = self.columns[index.column()]
        return old, apply_text(
            column, old, self._resolve(column, text), year_end_of=self._store.fiscal_year_end
        )

    def set_cell(self, index: AnyIndex, text: str, *, keep_sources: bool = False) -> bool:
        """Type *text* into a cell: parse, write, record one undo step.

        When the text makes the record a different figure (company, year, category, supplier,
        amount, value, units, currency), its old source, link and quote are cleared unless
        *keep_sources* (the user was asked); the table then marks the row "no source".
        """
        column = self.columns[index.column()]
        try:
            old, new = self.planned_edit(index, text)
            if new == old:
                return True
            cleared = not keep_sources and orphans_provenance(old, new)
            if cleared:
                new = without_provenance(new)
            written = self._store.change_rows(self.table, edits=[(old, new)], ask=True)
        except (ValidationError, CapexError) as exc:
            self.input_rejected.emit(_sentence(str(exc)), index.row(), index.column())
            return False
        label = f"Edit {column.header} in {self.table.label} row {index.row() + 1}"
        command = command_for(self._store, self.table, written, label)
        if command is not None:
            self._undo.push(command)
        if cleared:
            self.message_shown.emit(
                f"Row {index.row() + 1} is now a different figure: its old source, link and "
                "quote were cleared (Undo brings them back)"
            )
        return True

    # -- open editors -----------------------------------------------------------------------
    def _seen(self, row: int) -> Figure:
        """The row as the user saw it: as its open editor showed it, else as shown now."""
        id_ = int(self._ids[row])
        if self._editing is not None and self._editing[0] == id_:
            return self._editing[1]
        return self.item_at(row)

    def begin_edit(self, index: AnyIndex) -> None:
        """An editor opened on *index*: remember the row as it showed it (the delegate calls)."""
        if index.isValid() and index.row() < len(self._ids):
            self._editing = (int(self._ids[index.row()]), self.item_at(index.row()))
            self._editing_column = index.column()
            self._removed_while_editing = False

    def end_edit(self) -> None:
        """The editor closed: a row another program deleted meanwhile goes now."""
        editing, self._editing = self._editing, None
        if editing is not None and self._removed_while_editing:
            self._removed_while_editing = False
            gone = editing[0]
            # not while the view is still closing the editor
            QTimer.singleShot(0, self, lambda: self._remove_ids({gone}))

    def new_item(self, template: Figure | None = None) -> Figure:
        """A new row with sensible defaults (the filtered company and year, display currency)."""
        raise NotImplementedError

    def add_row(self, after_row: int | None = None) -> int | None:
        """Add a row with defaults below *after_row* (or at the end); returns its row."""
        template = None
        if len(self._ids):
            template = self.item_at(after_row if after_row is not None else len(self._ids) - 1)
        try:
            item = self.new_item(template)
        except CapexError as exc:
            self.input_rejected.emit(_sentence(str(exc)), -1, -1)
            return None
        return self._add([item], after_row, "Add row")

    def duplicate_rows(self, rows: Sequence[int]) -> int | None:
        """Copy rows (every value, new ids) below the last of them."""
        items = [self.item_at(r).with_changes(id=None) for r in sorted(rows)]
        if not items:
            return None
        label = "Duplicate row" if len(items) == 1 else f"Duplicate {len(items)} rows"
        return self._add(items, max(rows), label)

    def _add(self, items: Sequence[Figure], after_row: int | None, label: str) -> int | None:
        self._insert_at = len(self._ids) if after_row is None else after_row + 1
        try:
            added = self._store.add_rows(self.table, items)
        except CapexError as exc:
            self.input_rejected.emit(_sentence(str(exc)), -1, -1)
            return None
        finally:
            self._insert_at = None
        self._undo.push(AddRows(self._store, self.table, added, label, done=True))
        first = self.row_of(added[0].id) if added[0].id is not None else None
        if first is not None:
            self.rows_added.emit(first)
        return first

    def delete_rows(self, rows: Sequence[int]) -> int:
        """Delete rows (one undo step); returns how many went."""
        items = [self.item_at(r) for r in sorted(set(rows))]
        if not items:
            return 0
        try:
            gone = self._store.change_rows(self.table, remove=items, ask=True).removed
        except CapexError as exc:
            self.input_rejected.emit(_sentence(str(exc)), -1, -1)
            return 0
        if not gone:
            return 0
        label = "Delete row" if len(gone) == 1 else f"Delete {len(gone)} rows"
        self._undo.push(DeleteRows(self._store, self.table, gone, label, done=True))
        return len(gone)

    # -- copy & paste -----------------------------------------------------------------------
    def copy_text(self, rows: Sequence[int], cols: Sequence[int]) -> str:
        """Tab-separated text of a rectangle (what spreadsheets paste), columns in the order
        given (as shown). Text a spreadsheet would run as a formula ("=…", "+…", "@…") gets
        an apostrophe in front; numbers stay numbers."""
        lines = []
        for r in sorted(rows):
            cells = (neutralise_cell(str(self.data(self.index(r, c)) or "")) for c in cols)
            lines.append("\t".join(_one_line(c) for c in cells))
        return "\n".join(lines)

    def plan_paste(
        self,
        top: int,
        targets: Sequence[int],
        grid: Sequence[Sequence[str]],
        *,
        insert: bool = False,
    ) -> PastePlan:
        """What pasting *grid* at row *top* into the columns *targets* would do (nothing is
        written). With *insert*, every pasted row becomes a new record."""
        if len(targets) < max((len(r) for r in grid), default=0):
            width = max(len(r) for r in grid)
            return PastePlan(
                errors=[f"the block is {width} columns wide but only {len(targets)} fit from here"]
            )
        template = self.item_at(top) if insert and top < len(self._ids) else None
        grid = [  # a company pasted by its ticker or another name: the company itself
            [self._resolve(self.columns[targets[c]], text) for c, text in enumerate(cells)]
            for cells in grid
        ]
        return plan_paste(
            self.columns,
            targets,
            grid,
            top,
            len(self._ids),
            self.item_at,
            lambda: self.new_item(template),
            insert=insert,
            year_end_of=self._store.fiscal_year_end,
        )

    def apply_paste(self, plan: PastePlan, at: int | None = None) -> list[str]:
        """Write a planned paste as one undo step (added rows shown from row *at*, else at the
        end). Returns errors (empty when it was written)."""
        if plan.errors:
            return plan.errors
        if not plan.new and not plan.added:
            return []
        self._insert_at = len(self._ids) if at is None else min(at, len(self._ids))
        try:
            written = self._store.change_rows(
                self.table,
                edits=list(zip(plan.old, plan.new, strict=True)),
                add=plan.added,
                ask=True,
            )
        except CapexError as exc:
            return [_sentence(str(exc))]
        finally:
            self._insert_at = None
        rows = plan.rows
        label = f"Paste {rows} row{'s' if rows != 1 else ''} in {self.table.label}"
        command = command_for(self._store, self.table, written, label)
        if command is not None:
            self._undo.push(command)
        return []

    # -- store signals ----------------------------------------------------------------------
    def _on_rows_changed(self, change: RowChange) -> None:
        if change.table is not self.table:
            return
        for _old, new in change.updated:
            if new.id is not None:
                self._refresh_row(new.id)
        if change.removed:
            gone = {r.id for r in change.removed if r.id is not None}
            if change.external and self._editing is not None and self._editing[0] in gone:
                # another program deleted the row being edited: keep it on screen (as the
                # user saw it) until the editor closes, so the edit is not lost unseen
                gone.discard(self._editing[0])
                self._removed_while_editing = True
            if self._load is not None:
                self._removed_meanwhile |= gone
            self._remove_ids(gone)
        if change.added:
            ids = [a.id for a in change.added if a.id is not None]
            shown = self.rows_of(ids)
            for id_ in shown:  # back already (re-created, or kept on screen)
                self._refresh_row(id_)
                if self._editing is not None and self._editing[0] == id_:
                    self._removed_while_editing = False
            if self._load is not None:
                self._removed_meanwhile.difference_update(ids)
                self._added_meanwhile += ids
            self._insert_ids([i for i in ids if i not in shown])

    def _refresh_row(self, id_: int) -> None:
        """Re-read one row when it is next shown, and repaint it.

        The cell under an open editor is left out: Qt would put the new value into the editor
        and so throw away what the user is typing (they see both values if they clash).
        """
        self._cache.pop(id_, None)
        row = self.row_of(id_)
        if row is None:
            return
        last = len(self.columns) - 1
        spans = [(0, last)]
        if self._editing is not None and self._editing[0] == id_:
            col = self._editing_column
            spans = [(a, b) for a, b in ((0, col - 1), (col + 1, last)) if a <= b]
        for first, end in spans:
            self.dataChanged.emit(self.index(row, first), self.index(row, end))

    def _remove_ids(self, ids: set[int]) -> None:
        rows = sorted(self.rows_of(ids).values(), reverse=True)
        # remove contiguous runs from the bottom up
        while rows:
            last = rows.pop(0)
            first = last
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            gone = self._ids[first : last + 1].tolist()
            for id_ in gone:
                self._cache.pop(id_, None)
            if self._editing is not None and self._editing[0] in gone:
                self._editing = None
            self._ids = np.delete(self._ids, np.s_[first : last + 1])
            self.endRemoveRows()

    def _insert_ids(self, ids: list[int]) -> None:
        """Show rows added (by this model at ``_insert_at``, else at the end; undo puts rows
        back in their places in id order)."""
        if not ids:
            return
        if self._insert_at is None and self._query.sort is None:
            for id_ in sorted(ids):
                at = int(np.searchsorted(self._ids, id_))
                self._insert_block(np.array([id_], dtype=np.int64), at)
            return
        at = len(self._ids) if self._insert_at is None else min(self._insert_at, len(self._ids))
        self._insert_block(np.array(ids, dtype=np.int64), at)

    def _insert_block(self, ids: np.ndarray, at: int) -> None:
        self.beginInsertRows(QModelIndex(), at, at + len(ids) - 1)
        self._ids = np.insert(self._ids, at, ids)
        self.endInsertRows()

    def _resolve(self, column: Column, text: str) -> str:
        """A company typed or pasted by a ticker, other or former name: the company's name."""
        return self._store.company_name(text) if column.kind is Kind.COMPANY else text

    def _on_derived_changed(self, *_args: object) -> None:
        if len(self._ids):
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1)
            )

    def _on_references_changed(self) -> None:
        self._on_derived_changed()


def _one_line(cell: str) -> str:
    return cell.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message


class InvestmentTableModel(FigureTableModel):
    """The investments table."""

    table = TableKind.INVESTMENTS
    columns = INVESTMENT_COLUMNS

    def new_item(self, template: Figure | None = None) -> Figure:
        """A new investment: the filtered company and year, else those of the row the user is on."""
        near = template if isinstance(template, Investment) else None
        company = self._query.company or (near.company if near else None)
        category = self._query.category or (near.category if near else None)
        region = self._query.region or (near.region if near else None)
        year = self._query.year or (near.year if near else _this_year())
        return Investment(
            company=company or _first(self._store.companies(), "company"),
            year=year,
            category=category or _first(self._store.categories(), "category"),
            region=region or _first(self._store.regions(), "region"),
            amount=Decimal(0),
            currency=self._store.display_currency,
            status=Status.REPORTED,
        )


class ChipOrderTableModel(FigureTableModel):
    """The chip-orders table."""

    table = TableKind.CHIP_ORDERS
    columns = CHIP_ORDER_COLUMNS

    def new_item(self, template: Figure | None = None) -> Figure:
        """A new chip order (0 units): the filtered company and year, else the current row's."""
        near = template if isinstance(template, ChipOrder) else None
        company = self._query.company or (near.company if near else None)
        supplier = self._query.supplier or (near.supplier if near else None)
        region = self._query.region or (near.region if near else None)
        year = self._query.year or (near.year if near else _this_year())
        return ChipOrder(
            company=company or _first(self._store.companies(), "company"),
            year=year,
            region=region or _first(self._store.regions(), "region"),
            supplier=supplier or _first(self._store.suppliers(), "supplier"),
            units=0,
            currency=self._store.display_currency,
        )


def _first(items: Sequence[Any], what: str) -> str:
    if not items:
        raise ValidationError(f"add a {what} first (there are none yet)")
    return str(items[0].name)


def _this_year() -> int:
    from datetime import date

    return date.today().year
