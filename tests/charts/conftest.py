"""Charts over a real store on the sample database, shown in a host widget."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from capex_gui.domain.analytics import (
    ShareFigures,
    SpendFigures,
    SpendLedger,
    SupplierLedger,
    spend_figures,
    supplier_shares,
)
from capex_gui.storage.repository import Repository
from capex_gui.store.store import CapexStore
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.charts.common import ChartBase
from tests.app.conftest import (  # noqa: F401  (the real window, for tests that drive it)
    check_repo,
    db_location,
    db_path,
    open_window,
    settings_file,
    window,
)

B = Decimal(10) ** 9
C = TypeVar("C", bound=ChartBase)


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """A shown top-level widget that owns store, data and chart (every QObject has a parent)."""
    widget = QWidget()
    QVBoxLayout(widget).setContentsMargins(0, 0, 0, 0)
    qtbot.addWidget(widget)
    widget.resize(900, 620)
    return widget


@pytest.fixture
def store(sample_repo: Repository, host: QWidget) -> CapexStore:
    return CapexStore(sample_repo, host)


@pytest.fixture
def data(store: CapexStore, host: QWidget) -> ChartData:
    return ChartData(store, host)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def show_chart(qtbot: QtBot, host: QWidget, data: ChartData) -> Callable[[type[C]], C]:
    """Build a chart of the given class into the host and show it."""

    def make(cls: type[C]) -> C:
        chart = cls(data, host)
        layout = host.layout()
        assert layout is not None
        layout.addWidget(chart)
        host.show()
        qtbot.waitExposed(host)
        qtbot.wait(1)  # let the zero-interval timers of the first selection run
        return chart

    return make


def fresh_spend(store: CapexStore) -> SpendFigures:
    """What the analytics say now, from every row read afresh (not from any ledger the chart
    keeps)."""
    repo = store.repo
    return spend_figures(
        SpendLedger().extend(repo.investments()), store.fx_table(), store.display_currency
    )


def fresh_shares(store: CapexStore) -> ShareFigures:
    """Supplier shares from every order read afresh."""
    repo = store.repo
    return supplier_shares(
        SupplierLedger().extend(repo.chip_orders()),
        repo.countries(),
        store.fx_table(),
        store.display_currency,
    )


def view_to_widget(chart_view: Any, view_box: Any, x: float, y: float) -> QPoint:
    """Where data point (x, y) of *view_box* is, in the viewport of the graphics view."""
    return chart_view.mapFromScene(view_box.mapViewToScene(QPointF(x, y)))


TOLERANCE = Decimal("1e-40")


def assert_same_spend(a: SpendFigures, b: SpendFigures) -> None:
    """Equal figures; numbers equal to 40 places (60-digit sums may round differently in their
    last digit when a ledger adds the same groups in another order)."""
    assert (a.currency, a.shortfalls) == (b.currency, b.shortfalls)
    assert [(*r[:4], r.count) for r in a.rows] == [(*r[:4], r.count) for r in b.rows]
    for x, y in zip(a.rows, b.rows, strict=True):
        assert abs(x.amount - y.amount) <= TOLERANCE * max(1, abs(y.amount))
        assert abs(x.soft_amount - y.soft_amount) <= TOLERANCE * max(1, abs(y.amount))
    assert [t[:2] for t in a.totals] == [t[:2] for t in b.totals]
    for t, u in zip(a.totals, b.totals, strict=True):
        assert abs(t.amount - u.amount) <= TOLERANCE * max(1, abs(u.amount))


def assert_same_shares(a: ShareFigures, b: ShareFigures) -> None:
    """Equal shares (numbers to 40 places, see assert_same_spend)."""
    assert (a.currency, a.shortfalls) == (b.currency, b.shortfalls)
    key = lambda s: (s.company, s.year, s.metric, s.supplier, s.domestic)  # noqa: E731
    assert sorted(map(key, a.shares)) == sorted(map(key, b.shares))
    theirs = {key(s): s for s in b.shares}
    for s in a.shares:
        t = theirs[key(s)]
        assert abs(s.amount - t.amount) <= TOLERANCE * max(1, abs(t.amount))
        assert abs(s.share - t.share) <= TOLERANCE
    assert [d[:3] for d in a.domestic] == [d[:3] for d in b.domestic]
    for d, e in zip(a.domestic, b.domestic, strict=True):
        assert abs(d.share - e.share) <= TOLERANCE


def add_unsourced_company(repo: Repository) -> None:
    """What the issue's user typed: Tencent, with a 2025 figure and a chip order, no source."""
    from capex_gui.domain.entities import ChipOrder, Company, Investment

    repo.add_company(Company("Tencent", "CN"))
    repo.add_investment(
        Investment(
            company="Tencent",
            year=2025,
            category="AI chips",
            region="China",
            amount=20 * B,
            currency="CNY",
        )
    )
    repo.add_chip_order(
        ChipOrder(
            company="Tencent",
            year=2025,
            region="China",
            supplier="Huawei",
            units=50_000,
            value=3 * B,
            currency="CNY",
        )
    )
