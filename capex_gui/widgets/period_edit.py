"""A line edit for periods: completion of the forms reports use and a live preview.

As the user types, it offers canonical labels near the row's year ("Q3 2025", "FY2025 Q3"…)
and says what the text reads as ("= FY2025 Q3 (Jan–Mar 2025)") or why it will be refused,
in its tooltip, its status tip and the window's status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from capex_gui.domain.periods import EXAMPLES, parse_period, suggest_periods
from capex_gui.errors import CapexError


def preview_text(text: str, fiscal_year_end_month: int) -> str:
    """ "= FY2025 Q3 (Jan–Mar 2025)", or the reason *text* is not a period ("" when blank)."""
    if not text.strip():
        return ""
    try:
        period = parse_period(text, fiscal_year_end_month)
    except CapexError as exc:
        return str(exc)
    return f"= {period.long_label}"


class PeriodEdit(QLineEdit):
    """Type a period; completion pops up below, the preview follows every key."""

    #: The preview after each edit: "= FY2025 Q3 (Jan–Mar 2025)" or why it is refused.
    preview_changed = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, year: int = 2025, fiscal_year_end_month: int = 12
    ) -> None:
        super().__init__(parent)
        self._year = year
        self._year_end = fiscal_year_end_month
        self.setObjectName("periodEdit")
        self.setPlaceholderText("e.g. " + EXAMPLES)
        self._choices = QStringListModel(self)
        completer = QCompleter(self._choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(8)
        self.setCompleter(completer)
        self.textEdited.connect(self._on_edited)
        self._update_choices("")

    @property
    def fiscal_year_end_month(self) -> int:
        """The month the row's company ends its fiscal year in (how "FY" is read)."""
        return self._year_end

    def _on_edited(self, text: str) -> None:
        self._update_choices(text)
        shown = preview_text(text, self._year_end)
        self.setToolTip(shown)
        self.setStatusTip(shown)
        self.preview_changed.emit(shown)
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar) and shown:
            bar().showMessage(shown, 4000)

    def _update_choices(self, text: str) -> None:
        self._choices.setStringList(
            suggest_periods(text, year=self._year, fiscal_year_end_month=self._year_end)
        )
