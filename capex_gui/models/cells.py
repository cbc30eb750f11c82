"""What a figure-table cell shows for each Qt role: text, alignment, colours, tooltips.

Kept apart from the model's row bookkeeping; the model asks ``CellPresenter.data`` per cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from capex_gui.domain.entities import ChipOrder, Investment, Origin
from capex_gui.domain.money import CENT
from capex_gui.domain.parsing import Bound, format_amount
from capex_gui.domain.periods import Granularity, Period
from capex_gui.errors import MissingRateError
from capex_gui.models.columns import NUMERIC_KINDS, Column, Kind, display_text, edit_text, raw_value
from capex_gui.models.provenance import has_source
from capex_gui.models.safe_links import is_openable_url

if TYPE_CHECKING:
    from capex_gui.models.provenance import Figure
    from capex_gui.store.store import CapexStore

#: Text colour of a value that cannot be worked out (readable on light and dark backgrounds).
WARNING_COLOUR = QColor("#d9534f")
#: True for the Source cell of a record that names no source (the delegate draws "no source").
NO_SOURCE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: What the Source cell of such a record says.
NO_SOURCE_TEXT = "no source"

_QUALIFIER_WORDS = {Bound.ABOUT: "about ", Bound.AT_LEAST: "at least ", Bound.AT_MOST: "at most "}


class CellPresenter:
    """Role data of figure-table cells, worked out from the entity and the store's settings."""

    def __init__(self, store: CapexStore) -> None:
        self._store = store

    def data(self, item: Figure, column: Column, role: int) -> Any:
        """What *column* of *item* gives for *role* (None when nothing)."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column.kind is Kind.DERIVED:
                return self.derived(item, column)[0]
            if role == Qt.ItemDataRole.EditRole:
                return edit_text(column, item)
            return display_text(column, raw_value(item, column))
        if role == Qt.ItemDataRole.UserRole:
            return raw_value(item, column)
        if role == NO_SOURCE_ROLE:
            return column.key == "source" and not has_source(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in NUMERIC_KINDS or column.key in ("display_value", "unit_price"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(item, column)
        if role == Qt.ItemDataRole.BackgroundRole and column.kind is Kind.DERIVED:
            return QGuiApplication.palette().color(QPalette.ColorRole.Window)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(item, column)
        return None

    def _foreground(self, item: Figure, column: Column) -> QColor | None:
        palette = QGuiApplication.palette()
        if column.kind is Kind.DERIVED:
            if self.derived(item, column)[1]:
                return WARNING_COLOUR  # a missing FX rate
            return palette.color(QPalette.ColorRole.PlaceholderText)
        if column.key == "source" and not has_source(item):
            return WARNING_COLOUR
        if column.kind is Kind.URL and is_openable_url(item.source_url):
            return palette.color(QPalette.ColorRole.Link)
        return None

    @staticmethod
    def _font(item: Figure, column: Column) -> QFont | None:
        if column.kind is Kind.DERIVED or (column.key == "source" and not has_source(item)):
            font = QFont()
            font.setItalic(True)
            return font
        if column.kind is Kind.URL and is_openable_url(item.source_url):
            font = QFont()
            font.setUnderline(True)
            return font
        return None

    def derived(self, item: Figure, column: Column) -> tuple[str, str | None]:
        """(text, problem) of a read-only column."""
        currency = self._store.display_currency
        if column.key == "display_value":
            amount = item.amount if isinstance(item, Investment) else item.value
            source_currency = item.currency
            if amount is None or source_currency is None:
                return "", None
            try:
                converted = self._store.fx_table().convert(
                    amount, source_currency, item.year, currency
                )
            except MissingRateError as exc:
                return f"({exc})", str(exc)
            return format_amount(converted.quantize(CENT)), None
        if column.key == "unit_price" and isinstance(item, ChipOrder):
            price = item.unit_price
            if price is None or item.currency is None:
                return "", None
            return format_amount(price.quantize(CENT), item.currency), None
        if column.key == "origin" and isinstance(item, ChipOrder):
            origin = self._store.countries().origin(item)
            return (origin.value if isinstance(origin, Origin) else "", None)
        return "", None

    def tooltip(self, item: Figure, column: Column) -> str:
        """The cell's tooltip: the exact figure, the full text, or what the column holds."""
        if column.kind is Kind.DERIVED:
            text, problem = self.derived(item, column)
            return problem or f"{column.tooltip}\n{text}"
        if column.kind in (Kind.AMOUNT, Kind.OPTIONAL_AMOUNT):
            value = raw_value(item, column)
            if value is None:
                return column.tooltip
            qualifier = _QUALIFIER_WORDS.get(item.bound, "")
            return f"{qualifier}{format_amount(value, item.currency)}\n{column.tooltip}"
        if column.kind is Kind.PERIOD:
            return f"{period_note(item.period)}\n{column.tooltip}"
        if column.key == "source" and not has_source(item):
            return "No source: type who reported this figure (and its link in Source URL)"
        if column.kind is Kind.URL and item.source_url and not is_openable_url(item.source_url):
            return f"{item.source_url}\nNot a web link (http or https): shown as text only"
        if column.kind in (Kind.LONG_TEXT, Kind.TEXT, Kind.URL):
            value = raw_value(item, column)
            return f"{value}" if value else column.tooltip
        return column.tooltip


def period_note(period: Period) -> str:
    """ "FY2025 Q1 (Feb–Apr 2024): counts in calendar 2024 (in Q1 2024)" for a cell tooltip."""
    text = f"{period.long_label}: "
    if period.is_span:
        return text + "a span of years, kept apart from yearly totals"
    text += f"counts in calendar {period.calendar_year}"
    if period.granularity is Granularity.QUARTER and not period.is_calendar_aligned:
        text += f" (in {period.calendar_quarter().label}, which holds most of its months)"
    return text
