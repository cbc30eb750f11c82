"""The review table of proposed rows: accept, edit or reject each before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from capex_gui.domain.entities import Status
from capex_gui.domain.extraction.accept import missing_fields
from capex_gui.domain.extraction.period_phrases import canonical_period
from capex_gui.domain.extraction.proposals import Proposal, ProposalKind
from capex_gui.domain.money import strip_zeros
from capex_gui.domain.parsing import Bound, format_amount, format_units, parse_amount, parse_units
from capex_gui.errors import CapexError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QObject

AnyIndex = QModelIndex | QPersistentModelIndex

_QUALIFIER_WORDS = {
    Bound.EXACT: "exact",
    Bound.ABOUT: "about",
    Bound.AT_LEAST: "more than",
    Bound.AT_MOST: "up to",
}


@dataclass(frozen=True)
class ProposalColumn:
    """One column of the review table."""

    key: str
    header: str
    width: int
    tip: str = ""
    editable: bool = True


COLUMNS: tuple[ProposalColumn, ...] = (
    ProposalColumn("accept", "Add", 44, "Checked rows are added (Space toggles, Delete rejects)"),
    ProposalColumn("kind", "Kind", 110, "What the row becomes"),
    ProposalColumn("needs", "Still needed", 150, "Fill these in before adding", False),
    ProposalColumn("company", "Company", 100),
    ProposalColumn("period", "Year", 80, "The year or period the figure is for"),
    ProposalColumn("category", "Category", 150),
    ProposalColumn("region", "Region", 90),
    ProposalColumn("supplier", "Supplier(s)", 130, "A share's group: suppliers, comma-separated"),
    ProposalColumn("chip_model", "Chip model", 80),
    ProposalColumn("figure", "Figure", 130, "Amount, units, share or FX rate, as in the text"),
    ProposalColumn("currency", "Cur.", 50),
    ProposalColumn("qualifier", "Qualifier", 80),
    ProposalColumn("status", "Status", 80),
    ProposalColumn("text", "In the text", 190, "The words the figure was read from", False),
)

#: Choices offered by the editors of these columns (value, label).
CHOICES: dict[str, list[tuple[str, str]]] = {
    "kind": [(k.value, k.label) for k in ProposalKind],
    "qualifier": [(b.value, w) for b, w in _QUALIFIER_WORDS.items()],
    "status": [(s.value, s.value) for s in Status],
}


class ProposalTableModel(QAbstractTableModel):
    """Proposals with an accept flag each; edits are parsed like the main tables' cells."""

    #: A typed value was refused (message, row, column).
    input_rejected = Signal(str, int, int)
    #: The accepted set or a proposal changed.
    proposals_changed = Signal()

    def __init__(self, text: str, proposals: Sequence[Proposal], parent: QObject | None = None):
        super().__init__(parent)
        self._text = text
        self._rows = list(proposals)
        self._accepted = [True] * len(self._rows)

    # -- access ------------------------------------------------------------------------------
    def set_proposals(self, text: str, proposals: Sequence[Proposal]) -> None:
        """Show new proposals (the text was read again); all accepted."""
        self.beginResetModel()
        self._text, self._rows = text, list(proposals)
        self._accepted = [True] * len(self._rows)
        self.endResetModel()
        self.proposals_changed.emit()

    def proposal(self, row: int) -> Proposal:
        """The proposal in *row*, as edited."""
        return self._rows[row]

    def accepted(self) -> list[Proposal]:
        """The proposals checked to be added."""
        return [p for p, on in zip(self._rows, self._accepted, strict=True) if on]

    def is_accepted(self, row: int) -> bool:
        """True when *row* is checked."""
        return self._accepted[row]

    def set_accepted(self, rows: Sequence[int], on: bool) -> None:
        """Check or uncheck *rows*."""
        for row in rows:
            self._accepted[row] = on
            first = self.index(row, 0)
            self.dataChanged.emit(first, self.index(row, len(COLUMNS) - 1))
        self.proposals_changed.emit()

    def column_index(self, key: str) -> int:
        """Column number of *key*."""
        return next(i for i, c in enumerate(COLUMNS) if c.key == key)

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[section].tip or None
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = COLUMNS[index.column()]
        if column.key == "accept":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if column.editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p, key = self._rows[index.row()], COLUMNS[index.column()].key
        if key == "accept":
            if role == Qt.ItemDataRole.CheckStateRole:
                on = self._accepted[index.row()]
                return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "add" if self._accepted[index.row()] else "rejected"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(p, key)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(p, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self._accepted[index.row()]:
                return QBrush(QColor("#9a9a9a"))
            if key == "needs" and missing_fields(p):
                return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "text":
                return p.quote
            if key == "figure" and p.note:
                return p.note
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "figure":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not self._accepted[index.row()]:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def _display(self, p: Proposal, key: str) -> str:
        if key == "kind":
            return p.kind.label
        if key == "figure":
            return self._figure(p)
        if key == "supplier":
            return ", ".join(p.suppliers) if p.kind is ProposalKind.SHARE else p.supplier
        if key == "qualifier":
            return _QUALIFIER_WORDS[p.qualifier]
        if key == "status":
            return p.status.value
        if key == "text":
            return " … ".join(self._text[s.start : s.end] for s in p.spans)
        if key == "needs":
            return ", ".join(missing_fields(p)) or "—"
        if key == "category" and p.kind is ProposalKind.SHARE:
            return p.origin or ""
        return str(getattr(p, key) or "")

    def _figure(self, p: Proposal) -> str:
        if p.kind is ProposalKind.FX:
            return f"{p.amount} per USD" if p.amount is not None else ""
        if p.kind is ProposalKind.SHARE:
            return _percent(p.share) if p.share is not None else ""
        parts = []
        if p.units is not None:
            parts.append(f"{format_units(p.units)} units")
        if p.amount is not None:
            parts.append(format_amount(p.amount, None, compact=True))
        return " · ".join(parts)

    def _edit_text(self, p: Proposal, key: str) -> str:
        if key == "kind":
            return p.kind.value
        if key == "qualifier":
            return p.qualifier.value
        if key == "status":
            return p.status.value
        if key == "figure":
            if p.kind is ProposalKind.CHIP_ORDER and p.units is not None and p.amount is None:
                return format_units(p.units)
            if p.kind is ProposalKind.SHARE:
                return _percent(p.share) if p.share is not None else ""
            return "" if p.amount is None else f"{p.amount:f}"
        return self._display(p, key)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, key = index.row(), COLUMNS[index.column()].key
        if key == "accept" and role == Qt.ItemDataRole.CheckStateRole:
            on = Qt.CheckState(value) == Qt.CheckState.Checked
            self.set_accepted([row], on)
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        try:
            changed = self._apply(self._rows[row], key, str(value if value is not None else ""))
        except CapexError as exc:
            self.input_rejected.emit(str(exc), row, index.column())
            return False
        self._rows[row] = changed
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.proposals_changed.emit()
        return True

    @staticmethod
    def _apply(p: Proposal, key: str, text: str) -> Proposal:
        """*p* with the typed *text* in column *key* (ValidationError says why not)."""
        text = " ".join(text.split())
        if key == "kind":
            return p.with_changes(kind=ProposalKind(text))
        if key == "qualifier":
            return p.with_changes(qualifier=Bound(text))
        if key == "status":
            return p.with_changes(status=Status(text))
        if key == "period":
            period = canonical_period(text) if text else ""
            if period is None:
                raise ValidationError(f"“{text}” is not a period: type a year such as 2025")
            return p.with_changes(period=period)
        if key == "supplier" and p.kind is ProposalKind.SHARE:
            names = tuple(n.strip() for n in text.split(",") if n.strip())
            return p.with_changes(suppliers=names)
        if key == "category" and p.kind is ProposalKind.SHARE:
            if text and text not in ("domestic", "imported"):
                raise ValidationError("a share's group is domestic or imported (or leave it blank)")
            return p.with_changes(origin=text)
        if key == "currency":
            code = text.upper()
            if code:
                parse_amount("1", default_currency=None)  # nothing to read; code checked below
                from capex_gui.domain.currencies import is_known_currency

                if not is_known_currency(code):
                    raise ValidationError(f"{text} is not a currency code this app knows")
            return p.with_changes(currency=code)
        if key == "figure":
            return _apply_figure(p, text)
        return p.with_changes(**{key: text})


def _percent(share: Decimal) -> str:
    """0.6 -> "60%" (no trailing zeros)."""
    return f"{strip_zeros(share * 100)}%"


def _apply_figure(p: Proposal, text: str) -> Proposal:
    if p.kind is ProposalKind.SHARE:
        raw = text.rstrip("%").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(f"“{text}” is not a share: type it like 60%") from None
        share = value / 100 if text.endswith("%") or value > 1 else value
        if not 0 < share <= 1:
            raise ValidationError("a share must be more than 0% and at most 100%")
        return p.with_changes(share=share)
    if p.kind is ProposalKind.FX:
        try:
            rate = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                f"“{text}” is not a rate: type units per US dollar, e.g. 7.27"
            ) from None
        if not rate.is_finite() or rate <= 0:
            raise ValidationError("an FX rate must be a positive number")
        return p.with_changes(amount=rate)
    if p.kind is ProposalKind.CHIP_ORDER and p.amount is None and not p.currency:
        units, _bound = parse_units(text)
        return p.with_changes(units=units)
    parsed = parse_amount(text, default_currency=p.currency or None)
    return p.with_changes(amount=parsed.value, currency=parsed.currency or p.currency)
