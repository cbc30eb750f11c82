"""The charts' first load runs on a worker thread (issue 14): the window stays live meanwhile,
the charts say they are loading, and an edit made while the figures are on their way counts
exactly once, whether it was committed before the worker read or after."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from capex_gui.storage import aggregates
from capex_gui.storage.repository import Repository
from capex_gui.store import workers
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts import chart_data
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.charts.spend_chart import SpendBreakdownChart
from tests.charts.conftest import assert_same_spend, fresh_spend


@pytest.fixture
def threads() -> Iterator[None]:
    """Real worker threads (the suite runs background reads at once otherwise)."""
    workers.use_threads(True)
    yield
    workers.use_threads(False)


@pytest.mark.parametrize("edit_lands", ["before the read", "after the read"])
def test_figures_load_on_a_worker_and_an_edit_meanwhile_counts_once(
    qtbot: QtBot,
    threads: None,
    sample_repo: Repository,
    host: QWidget,
    monkeypatch: pytest.MonkeyPatch,
    edit_lands: str,
) -> None:
    gui_thread = threading.get_ident()
    read_on: list[int] = []
    go = threading.Event()

    def held_read(session: Any) -> aggregates.ChartFigures:
        read_on.append(threading.get_ident())
        if edit_lands == "before the read":
            assert go.wait(10)
            return aggregates.chart_figures(session)
        figures = aggregates.chart_figures(session)  # the snapshot is taken: now the edit
        assert go.wait(10)
        return figures

    monkeypatch.setattr(chart_data, "chart_figures", held_read)
    store = CapexStore(sample_repo, host)
    data = ChartData(store, host, runner=store.runner)
    chart = SpendBreakdownChart(data, host)
    host.layout().addWidget(chart)  # type: ignore[union-attr]
    host.show()
    qtbot.waitExposed(host)

    # the GUI thread is free while the worker holds the read: the chart says it is loading
    qtbot.waitUntil(lambda: bool(read_on))
    assert not data.loaded
    assert chart.title_label.text() == "Loading the figures…"
    assert store.runner.busy() == "Loading the charts…"

    # an edit while the figures are on their way (the table is live meanwhile)
    inv = next(i for i in sample_repo.investments() if i.company == "ByteDance" and i.year == 2025)
    store.update_row(TableKind.INVESTMENTS, inv.with_changes(amount=inv.amount + Decimal(10**9)))
    qtbot.wait(20)
    assert not data.loaded  # the GUI thread went on; the read still waits

    with qtbot.waitSignal(data.loaded_changed, timeout=10_000):
        go.set()
    assert read_on == [read_on[0]] and read_on[0] != gui_thread
    assert data.loaded and store.runner.busy() == ""
    qtbot.waitUntil(lambda: not chart.stale)
    # the edit counted once: the charts' figures equal the rows read afresh
    assert_same_spend(chart.current_figures().figures, fresh_spend(store))
    assert chart.title_label.text() != "Loading the figures…"
    assert store.runner.wait(5000)
