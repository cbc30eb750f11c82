"""The chart area beside the tables: selectors, and the four charts in tabs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.analytics import Metric
from capex_gui.domain.trend import TrendBasis, TrendStep
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.charts.company_chart import CompanyComparisonChart
from capex_gui.widgets.charts.selection import ChartKind, ChartSelection, Split
from capex_gui.widgets.charts.spend_chart import SpendBreakdownChart
from capex_gui.widgets.charts.supplier_chart import SupplierShareChart
from capex_gui.widgets.charts.trend_chart import TrendChart

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from capex_gui.store.store import CapexStore
    from capex_gui.widgets.charts.common import ChartBase

logger = logging.getLogger(__name__)

#: Settings keys of the chart selectors (to move into capex_gui.app.settings with the others).
KEY_COMPANY = "prefs/charts/company"  # "" = all companies
KEY_YEAR = "prefs/charts/year"  # 0 = the latest year with figures
KEY_METRIC = "prefs/charts/metric"  # "value" | "units"
KEY_SPLIT = "prefs/charts/split"  # "category" | "region"
KEY_ALL_COMPANIES = "prefs/charts/all_companies"  # "true": companies without figures too
KEY_STEP = "prefs/charts/trend_step"  # "quarter" | "year"
KEY_BASIS = "prefs/charts/trend_basis"  # "calendar" | "fiscal"
KEY_SPREAD = "prefs/charts/trend_spread"  # "true": spans spread evenly over their years
KEY_TAB = "state/charts/tab"

ALL_COMPANIES = "All companies"

#: Which selectors each tab uses: (company, year, metric, split, periods, all companies,
#: spread spans).
_USES = {
    0: (True, False, False, True, False, False, False),
    1: (True, True, True, False, False, False, False),
    2: (False, True, False, False, False, True, False),
    3: (True, False, False, False, True, False, True),
}
_KINDS = (ChartKind.SPEND, ChartKind.SUPPLIERS, ChartKind.COMPANIES, ChartKind.TREND)


def _read_str(settings: QSettings, key: str, default: str) -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def _read_int(settings: QSettings, key: str, default: int) -> int:
    value = settings.value(key, default)
    try:
        return int(value) if isinstance(value, int | str) else default
    except ValueError:
        return default


class _Selector(QComboBox):
    """A combo box as wide as its entries when there is room, but one that can shrink (a wide
    company name must not hold the splitter beside the tables open)."""

    def minimumSizeHint(self) -> QSize:
        """Small enough for a narrow chart area (Qt hook)."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 72), hint.height())


class ChartArea(QWidget):
    """Spend breakdown, supplier shares, company comparison and spend over time, following
    every change."""

    #: {"table", "company", "year", "category", "region", "supplier"}: show the rows behind a
    #: clicked bar segment or slice.
    filter_requested = Signal(object)

    def __init__(
        self,
        store: CapexStore,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        data_type: type[ChartData] = ChartData,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chartArea")
        self._settings = settings
        self.data = data_type(store, self, runner=store.runner)
        self.company_combo = _Selector(self)
        self.company_combo.setObjectName("chartCompany")
        self.year_combo = _Selector(self)
        self.year_combo.setObjectName("chartYear")
        self.metric_combo = _Selector(self)
        self.metric_combo.setObjectName("chartMetric")
        self.metric_combo.addItem("By value", Metric.VALUE.value)
        self.metric_combo.addItem("By units", Metric.UNITS.value)
        self.split_combo = _Selector(self)
        self.split_combo.setObjectName("chartSplit")
        self.split_combo.addItem("By category", Split.CATEGORY.value)
        self.split_combo.addItem("By region", Split.REGION.value)
        self.periods_combo = _Selector(self)  # the trend's slots: "calendar quarter" ...
        self.periods_combo.setObjectName("chartPeriods")
        for basis in TrendBasis:
            for step in TrendStep:
                text = f"{basis.value.title()} {step.value}s"
                self.periods_combo.addItem(text, f"{basis.value} {step.value}")
        self.spread_check = QCheckBox("Sprea&d spans", self)
        self.spread_check.setObjectName("chartSpreadSpans")
        self.spread_check.setToolTip(
            "Spread each multi-year figure evenly over its years, drawn as an estimate "
            "(otherwise a band across its years)"
        )
        self.all_companies_check = QCheckBox("Show a&ll companies", self)
        self.all_companies_check.setObjectName("chartAllCompanies")
        self.all_companies_check.setToolTip(
            "Also show companies with no figures in the chosen year (empty slots)"
        )
        for combo, tip in (
            (self.company_combo, "Company the charts show"),
            (self.year_combo, "Year of the supplier shares and the company comparison"),
            (self.metric_combo, "Supplier shares by order value or by chips ordered"),
            (self.split_combo, "Split spend bars by category or by region"),
            (
                self.periods_combo,
                "Spend per quarter or per year: calendar periods (fiscal quarters placed on the "
                "calendar quarter holding most of their months), or the fiscal periods of the "
                "one company chosen",
            ),
        ):
            combo.setToolTip(tip)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.spend_chart = SpendBreakdownChart(self.data, self.tabs)
        self.supplier_chart = SupplierShareChart(self.data, self.tabs)
        self.company_chart = CompanyComparisonChart(self.data, self.tabs)
        self.tabs.addTab(self.spend_chart, "Spend")
        self.tabs.addTab(self.supplier_chart, "Suppliers")
        self.trend_chart = TrendChart(self.data, self.tabs)
        self.tabs.addTab(self.company_chart, "Companies")
        self.tabs.addTab(self.trend_chart, "Trend")

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        bar.setSpacing(4)
        self._selector_labels: list[QLabel] = []
        for text, combo in (
            ("Co&mpany", self.company_combo),
            ("Ye&ar", self.year_combo),
            ("S&how", self.metric_combo),
            ("S&plit", self.split_combo),
            ("Peri&ods", self.periods_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            self._selector_labels.append(label)
            bar.addWidget(label)
            bar.addWidget(combo)  # as wide as its entries; shrinks only when space is short
            bar.addSpacing(6)
        bar.addWidget(self.all_companies_check)
        bar.addWidget(self.spread_check)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

        self._restoring = True
        self._fill_companies(_read_str(settings, KEY_COMPANY, ""))
        self._fill_years(_read_int(settings, KEY_YEAR, 0) or None)
        self._select_data(self.metric_combo, _read_str(settings, KEY_METRIC, Metric.VALUE.value))
        self._select_data(self.split_combo, _read_str(settings, KEY_SPLIT, Split.CATEGORY.value))
        self.all_companies_check.setChecked(_read_str(settings, KEY_ALL_COMPANIES, "") == "true")
        basis_name = _read_str(settings, KEY_BASIS, TrendBasis.CALENDAR.value)
        step_name = _read_str(settings, KEY_STEP, TrendStep.QUARTER.value)
        self._select_data(self.periods_combo, f"{basis_name} {step_name}")
        self.spread_check.setChecked(_read_str(settings, KEY_SPREAD, "") == "true")
        self.tabs.setCurrentIndex(max(0, min(3, _read_int(settings, KEY_TAB, 0))))
        self._restoring = False

        for combo in self._combos():
            combo.currentIndexChanged.connect(self._on_selector_changed)
        self.all_companies_check.toggled.connect(self._on_selector_changed)
        self.spread_check.toggled.connect(self._on_selector_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        for chart in self.charts():
            chart.segment_clicked.connect(self.filter_requested)
        self.data.references_changed.connect(self._on_references_changed)
        self.data.changed.connect(self._on_data_changed)
        self._apply()
        self._enable_selectors()

    # -- what the main window calls ---------------------------------------------------------
    def set_context(self, company: str | None, year: int | None) -> None:
        """Follow the tables' filter: *company* (None: all) and *year* (None: keep the year)."""
        self._restoring = True
        try:
            self.company_combo.setCurrentIndex(max(0, self.company_combo.findData(company or "")))
            if year is not None:
                self._fill_years(year)
        finally:
            self._restoring = False
        self._on_selector_changed()

    def charts(self) -> list[ChartBase]:
        """The four charts, in tab order."""
        return [self.spend_chart, self.supplier_chart, self.company_chart, self.trend_chart]

    def _combos(self) -> tuple[_Selector, ...]:
        return (
            self.company_combo,
            self.year_combo,
            self.metric_combo,
            self.split_combo,
            self.periods_combo,
        )

    def current_chart(self) -> ChartBase:
        """The chart on the visible tab (what "Export chart…" exports)."""
        return self.charts()[max(0, self.tabs.currentIndex())]

    def selected_company(self) -> str | None:
        """The company selector (None: all companies)."""
        return self.company_combo.currentData() or None

    def selected_year(self) -> int | None:
        """The year selector (None when there are no figures at all)."""
        value = self.year_combo.currentData()
        return int(value) if value else None

    def selected_metric(self) -> Metric:
        """Supplier shares by value or by units."""
        return Metric(self.metric_combo.currentData() or Metric.VALUE.value)

    def selected_split(self) -> Split:
        """Spend segments by category or by region."""
        return Split(self.split_combo.currentData() or Split.CATEGORY.value)

    def selected_step(self) -> TrendStep:
        """Trend per quarter or per year."""
        return TrendStep(str(self.periods_combo.currentData() or "calendar quarter").split()[1])

    def selected_basis(self) -> TrendBasis:
        """Trend on calendar or fiscal periods."""
        return TrendBasis(str(self.periods_combo.currentData() or "calendar quarter").split()[0])

    def selection(self, kind: ChartKind | None = None) -> ChartSelection:
        """What the chart of *kind* (default: the one on show) shows: every selector."""
        if kind is None:
            kind = _KINDS[max(0, min(3, self.tabs.currentIndex()))]
        return ChartSelection(
            kind,
            self.selected_company(),
            self.selected_year(),
            self.selected_metric(),
            self.selected_split(),
            self.all_companies_check.isChecked(),
            self.selected_step(),
            self.selected_basis(),
            self.spread_check.isChecked(),
        )

    # -- selectors --------------------------------------------------------------------------
    @staticmethod
    def _select_data(combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _fill_companies(self, wanted: str | None = None) -> None:
        current = self.company_combo.currentData() if wanted is None else wanted
        blocked = self.company_combo.blockSignals(True)
        self.company_combo.clear()
        self.company_combo.addItem(ALL_COMPANIES, "")
        for name in self.data.company_names():
            self.company_combo.addItem(name, name)
        self.company_combo.setCurrentIndex(max(0, self.company_combo.findData(current or "")))
        self.company_combo.blockSignals(blocked)

    def _fill_years(self, wanted: int | None = None) -> None:
        current = self.selected_year() if wanted is None else wanted
        years = set(self.data.years())
        if current is not None:
            years.add(current)
        else:
            current = max(years, default=None)
        blocked = self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(str(year), year)
        if current is not None:
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(blocked)

    def _on_selector_changed(self) -> None:
        if self._restoring:
            return
        s = self._settings
        s.setValue(KEY_COMPANY, self.selected_company() or "")
        s.setValue(KEY_YEAR, self.selected_year() or 0)
        s.setValue(KEY_METRIC, self.selected_metric().value)
        s.setValue(KEY_SPLIT, self.selected_split().value)
        s.setValue(KEY_ALL_COMPANIES, "true" if self.all_companies_check.isChecked() else "false")
        s.setValue(KEY_STEP, self.selected_step().value)
        s.setValue(KEY_BASIS, self.selected_basis().value)
        s.setValue(KEY_SPREAD, "true" if self.spread_check.isChecked() else "false")
        self._apply()

    def _apply(self) -> None:
        company = self.selected_company()
        year = self.selected_year()
        self.spend_chart.set_companies(None if company is None else [company])
        self.spend_chart.set_split(self.selected_split())
        self.supplier_chart.set_selection(company, year, self.selected_metric())
        self.company_chart.set_year(year)
        self.company_chart.set_all_companies(self.all_companies_check.isChecked())
        self.trend_chart.set_companies(None if company is None else [company])
        self.trend_chart.set_step(self.selected_step())
        self.trend_chart.set_basis(self.selected_basis())
        self.trend_chart.set_spread_spans(self.spread_check.isChecked())

    def _on_tab_changed(self, index: int) -> None:
        self._settings.setValue(KEY_TAB, index)
        self._enable_selectors()

    def _enable_selectors(self) -> None:
        """Show only the selectors the visible chart uses."""
        uses = _USES.get(self.tabs.currentIndex(), (True,) * 7)
        for label, combo, used in zip(self._selector_labels, self._combos(), uses[:5], strict=True):
            label.setVisible(used)
            combo.setVisible(used)
        self.all_companies_check.setVisible(uses[5])
        self.spread_check.setVisible(uses[6])

    def _on_references_changed(self) -> None:
        self._fill_companies()

    def _on_data_changed(self) -> None:
        """New years may have appeared (or the last figure of one gone)."""
        before = [self.year_combo.itemData(i) for i in range(self.year_combo.count())]
        self._fill_years()
        after = [self.year_combo.itemData(i) for i in range(self.year_combo.count())]
        if before != after:
            self._apply()
