"""The filter bar above the tables: words, company, year, Clear; and filters from chart clicks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton

from capex_gui.domain.periods import Period, parse_period
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.store.store import RowChange

ALL = "All"


class FilterBar(QObject):
    """The filter widgets of one main window and what they do to its tables and charts."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.filter_edit = QLineEdit(window)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setPlaceholderText(
            "Filter: words from any column, or a period such as H1 2025 (Ctrl+F)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Shows rows that contain every word typed, in any column; a period "
            "(Q3 2025, H1 2025, FY2025, 2024–2025) shows the rows whose periods lie within it"
        )
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.apply)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.installEventFilter(self)
        self.company_filter = QComboBox(window)
        self.company_filter.setObjectName("companyFilter")
        self.company_filter.setToolTip("Show one company's rows")
        self.company_filter.setMinimumContentsLength(10)
        self.year_filter = QComboBox(window)
        self.year_filter.setObjectName("yearFilter")
        self.year_filter.setToolTip("Show one year's rows")
        self.company_filter.activated.connect(lambda _i: self.apply())
        self.year_filter.activated.connect(lambda _i: self.apply())
        self.clear_button = QToolButton(window)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Show every row again")
        self.clear_button.clicked.connect(self.clear)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape in the filter box clears it (a second Escape goes back to the table)."""
        if (
            watched is self.filter_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            if self.filter_edit.text():
                self.filter_edit.clear()
                self._filter_timer.stop()
                self.apply()
            else:
                self._window.current_view().setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)

    def layout(self) -> QHBoxLayout:
        """The bar: filter box, Company, Year, Clear."""
        window = self._window
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 3)
        company_label = QLabel("&Company:", window)
        company_label.setBuddy(self.company_filter)
        bar.addWidget(company_label)
        bar.addWidget(self.company_filter, 1)
        year_label = QLabel("&Year:", window)
        year_label.setBuddy(self.year_filter)
        bar.addWidget(year_label)
        bar.addWidget(self.year_filter)
        bar.addWidget(self.clear_button)
        return bar

    def _company(self) -> str | None:
        company = self.company_filter.currentText()
        return None if company in ("", ALL) else company

    def _year(self) -> int | None:
        year = self.year_filter.currentText()
        return int(year) if year.isdigit() else None

    def _period(self, company: str | None) -> Period | None:
        """The filter text as a period, when it is one (plain numbers stay words)."""
        text = self.filter_edit.text().strip()
        if not text or text.isdigit():
            return None
        store = self._window.store
        year_end = store.fiscal_year_end(company) if store is not None and company else 12
        try:
            return parse_period(text, year_end)
        except CapexError:
            return None

    def on_rows_changed(self, change: RowChange) -> None:
        """Refresh the company and year boxes when *change* may add or drop a choice (rows
        added or removed, a year or company edited); a value edit leaves them as they are."""
        if (
            change.added
            or change.removed
            or any(
                old.year != new.year or old.company != new.company for old, new in change.updated
            )
        ):
            self.refresh_choices()

    def refresh_choices(self) -> None:
        """Fill the company and year boxes from the database, keeping what is chosen."""
        store = self._window.store
        assert store is not None
        companies = [c.name for c in store.companies()]
        years = sorted(set(store.repo.figure_years()), reverse=True)
        for combo, values in (
            (self.company_filter, companies),
            (self.year_filter, [str(y) for y in years]),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(values)
            found = combo.findText(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)

    def apply(self) -> None:
        """Filter both tables (in SQL) and put the charts in the chosen company and year."""
        window = self._window
        company, year = self._company(), self._year()
        text, period = self.filter_edit.text(), self._period(company)
        for _view, model in window.pairs():
            q = model.query
            model.set_query(
                replace(
                    q,
                    text="" if period else text,
                    company=company,
                    year=year,
                    category=None,
                    region=None,
                    supplier=None,
                    period=period,
                )
            )
        window.status.update_counts()
        if hasattr(window.chart_area, "set_context"):
            window.chart_area.set_context(company, year)

    def _clear_text(self) -> None:
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)

    def clear(self) -> None:
        """Show every row."""
        self._clear_text()
        self.company_filter.setCurrentIndex(0)
        self.year_filter.setCurrentIndex(0)
        self.apply()

    def apply_chart_filter(self, request: dict[str, object]) -> None:
        """Show the rows behind a clicked bar segment or slice."""
        window = self._window
        table = request.get("table")
        company = request.get("company")
        year = request.get("year")
        self.company_filter.setCurrentIndex(
            max(0, self.company_filter.findText(str(company or ALL)))
        )
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findText(str(year or ALL))))
        self._clear_text()
        period = request.get("period")
        if isinstance(period, Period):  # the trend chart: the rows of that period
            self.filter_edit.blockSignals(True)
            self.filter_edit.setText(period.label)
            self.filter_edit.blockSignals(False)
        self.apply()
        extra = {k: request.get(k) for k in ("category", "region", "supplier")}
        model = window.chip_orders_model if table == "chip_orders" else window.investments_model
        q = model.query
        model.set_query(
            replace(
                q,
                text="",
                category=str(extra["category"]) if extra["category"] else None,
                region=str(extra["region"]) if extra["region"] else None,
                supplier=str(extra["supplier"]) if extra["supplier"] else None,
            )
        )
        window.tabs.setCurrentIndex(1 if table == "chip_orders" else 0)
        window.status.update_counts()
        shown = ", ".join(str(v) for v in (company, year, period, *extra.values()) if v)
        window.statusBar().showMessage(f"Showing the rows behind {shown} — Clear shows all", 8000)
