"""After any mix of edits, inserts, deletes, undos, pastes and an import made in the window, every
chart's figures, ``summary --json`` and each table's order equal a full recompute from the rows.

The charts start from the summary tables (kept by triggers, issue 14) and then follow deltas;
the recompute reads every row afresh through a second connection and builds everything from
those rows alone, so a trigger, a delta or a sort that drifts shows as a difference here.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.cli.reports import add_stated_domestic_shares
from capex_gui.app.cli.summary import cmd_summary, json_lines, summary_json
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.dataio.fields import ImportTable
from capex_gui.dataio.importer import ImportJob
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table
from capex_gui.domain.analytics import Metric, SpendLedger, SupplierLedger, summarize
from capex_gui.domain.evidence import OrderEvidence, SpendEvidence
from capex_gui.domain.fx import FxTable
from capex_gui.models.figure_table_model import FigureTableModel
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.store.import_commands import ImportData
from capex_gui.widgets import delegates
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.charts.company_chart import compute_company_chart
from capex_gui.widgets.charts.spend_chart import Split, compute_spend_chart
from capex_gui.widgets.charts.supplier_chart import compute_supplier_chart

#: What a user may type into a cell, per column (some are refused: that is part of the test).
TYPED = {
    "company": ["Meta", "Alibaba", "ByteDance", "Microsoft"],
    "period": ["2023", "2025", "FY2025 Q3", "2024 H2", "2024-2026"],
    "region": ["China", "United States", "Global"],
    "supplier": ["Nvidia", "Huawei", "AMD"],
    "units": ["12k", "", "230,000", "5"],
    "value": ["$1.2B", "RMB 16B", "", "€300m"],
    "currency": ["USD", "CNY", "EUR"],
    "status": ["estimate", "reported", "planned", "confirmed"],
    "source": ["Reuters", "", " ", "FT"],
    "category": ["Power", "Chips", "Data centers"],
    "amount": ["40bn", "RMB 5.5B", "€2B"],
    "amount_low": ["", "1bn"],
}
#: Columns typed into, per table (the chip orders' first six move rows between summary groups).
EDITED = {
    True: ["units", "value", "supplier", "company", "period", "currency", "status", "source"],
    False: ["amount", "category", "company", "period", "amount_low", "status", "source"],
}
#: Columns each table is sorted by for the order check (plain stored values).
SORTS = {
    "investments": ["company", "year", "source", "status", "currency"],
    "chip_orders": ["company", "year", "units", "source", "status"],
}
IMPORTED = (
    "Buyer,Vendor,Units,Year,Region,Value,Currency,Status\n"
    "ByteDance,Huawei,4000,2025,China,,,reported\n"
    "Meta,Nvidia,25000,2024,United States,1.1B,USD,estimate\n"
    "Alibaba,Nvidia,,2026,China,RMB 3B,CNY,planned\n"
)

op = st.one_of(
    st.tuples(st.just("edit"), st.booleans(), st.integers(0, 40), st.integers(0, 7)),
    st.tuples(st.just("insert"), st.booleans(), st.integers(0, 40)),
    st.tuples(st.just("delete"), st.booleans(), st.integers(0, 40)),
    st.tuples(st.just("undo"), st.integers(1, 3)),
    st.tuples(st.just("redo"), st.integers(1, 2)),
    st.tuples(st.just("paste"), st.booleans(), st.integers(0, 40), st.booleans()),
    st.tuples(st.just("import")),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample database, made once; each example works on a copy."""
    path = tmp_path_factory.mktemp("template") / "sample.capex"
    create_sample_database(path).close()
    return path


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, min_size=2, max_size=6), data=st.data())
def test_charts_summary_and_order_equal_a_recompute_from_the_rows(
    qtbot: QtBot,
    tmp_path: Path,
    template: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ops: list[tuple[Any, ...]],
    data: st.DataObject,
) -> None:
    monkeypatch.setattr(delegates, "ask_keep_sources", lambda *_a: True)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda *_a: QMessageBox.StandardButton.Ok)
    folder = Path(tmp_path / f"ex{len(list(tmp_path.iterdir()))}")
    folder.mkdir()
    path = folder / "figures.capex"
    shutil.copy(template, path)
    create_application()
    window = MainWindow(
        open_database(path), QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "ask_paste_choice", lambda _plan: None)
    window.show()
    qtbot.waitExposed(window)
    # the charts load after first paint, from the summary tables; every step below is a delta
    qtbot.waitUntil(lambda: isinstance(window.chart_area, ChartArea), timeout=10_000)
    check = open_database(path)
    every_kind = [
        ("edit", True, 1, 0),
        ("edit", True, 2, 1),
        ("edit", False, 3, 0),
        ("insert", True, 4),
        ("delete", False, 5),
        ("undo", 1),
        ("paste", True, 6, True),
        ("paste", True, 7, False),
        ("import",),
    ]
    ops = data.draw(st.permutations([*every_kind, *ops]), label="steps")
    try:
        for step in ops:
            _perform(window, folder, step)
            qtbot.wait(1)  # the charts' coalescing timer
        repo = Repository(check.engine)
        _charts_equal_a_recompute(window, repo)
        _summary_equals_a_recompute(path, repo, capsys)
        for model in (window.investments_model, window.chip_orders_model):
            key = data.draw(st.sampled_from(SORTS[model.table.value]), label="sort")
            descending = data.draw(st.booleans(), label="descending")
            _order_equals_a_recompute(model, repo, key, descending)
    finally:
        window.close()
        check.close()


# -- the user's steps ---------------------------------------------------------------------
def _model(window: MainWindow, orders: bool) -> FigureTableModel:
    return window.chip_orders_model if orders else window.investments_model


def _perform(window: MainWindow, folder: Path, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind in ("undo", "redo"):
        for _ in range(step[1]):
            (window.undo_stack.undo if kind == "undo" else window.undo_stack.redo)()
        return
    if kind == "import":
        csv = folder / f"orders{window.undo_stack.index()}.csv"
        csv.write_text(IMPORTED, encoding="utf-8")
        mapping = ColumnMapping.guess(ImportTable.CHIP_ORDERS, open_table(csv).headers)
        job = ImportJob(csv, mapping)
        store = window.store
        assert store is not None
        outcome = store.import_rows(job)  # what the import dialog's worker runs, then pushes
        window.undo_stack.push(ImportData(store, job, outcome, done=True))
        return
    model = _model(window, step[1])
    rows = model.rowCount()
    if rows == 0:
        return
    row = step[2] % rows
    if kind == "edit":
        key = EDITED[step[1]][step[3] % len(EDITED[step[1]])]
        column = model.column_index(key)
        text = TYPED[key][row % len(TYPED[key])]
        model.set_cell(model.index(row, column), text, keep_sources=True)
    elif kind == "insert":
        model.duplicate_rows([row])
    elif kind == "delete":
        model.delete_rows([row, (row + 3) % rows])
    elif kind == "paste":
        insert = step[3]
        sources = [row, (row + 1) % rows]
        cols = list(range(model.columnCount()))
        if not insert:  # overwrite a few columns of other rows with copied cells
            keys = EDITED[step[1]][step[2] % 3 : step[2] % 3 + 3]
            cols = sorted(model.column_index(k) for k in keys)
        grid = [line.split("\t") for line in model.copy_text(sources, cols).splitlines()]
        top = (row + 2) % rows
        plan = model.plan_paste(top, cols, grid, insert=insert)
        if plan.overwrites:
            plan = plan.clearing_sources()
        model.apply_paste(plan, at=top if insert else None)


# -- the recompute --------------------------------------------------------------------------
@contextmanager
def _ledgers_from_rows(data: ChartData, repo: Repository) -> Iterator[None]:
    """The chart data's ledgers and evidence, for a while, built from every row read afresh."""
    kept = (data.spend, data.suppliers, data.spend_evidence, data.order_evidence)
    investments, orders = repo.investments(), repo.chip_orders()
    data.spend = SpendLedger().extend(investments)
    data.suppliers = SupplierLedger().extend(orders)
    data.spend_evidence = SpendEvidence().extend(investments)
    data.order_evidence = OrderEvidence().extend(orders)
    try:
        yield
    finally:
        data.spend, data.suppliers, data.spend_evidence, data.order_evidence = kept


def _every_figure(data: ChartData) -> list[Any]:
    """The figures of every chart, for every selection a user can make."""
    years: list[int | None] = [None, *data.years()]
    companies: list[str | None] = [None, *data.company_names()]
    out: list[Any] = [compute_spend_chart(data, None, split) for split in Split]
    out += [compute_company_chart(data, year, every) for year in years for every in (False, True)]
    out += [
        compute_supplier_chart(data, company, year, metric)
        for company in companies
        for year in years
        for metric in Metric
    ]
    return out


def _charts_equal_a_recompute(window: MainWindow, repo: Repository) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    data = area.data
    drawn = [
        area.spend_chart.current_figures(),
        area.supplier_chart.current_figures(),
        area.company_chart.current_figures(),
    ]
    live = _every_figure(data)
    with _ledgers_from_rows(data, repo):
        fresh = _every_figure(data)
        spend, supplier, company = drawn
        fresh_drawn = [
            compute_spend_chart(data, area.spend_chart._companies, spend.split),
            compute_supplier_chart(data, supplier.company, supplier.year, supplier.metric),
            compute_company_chart(data, company.year, company.all_companies),
        ]
    assert len(live) == len(fresh)
    for ours, theirs in zip([*drawn, *live], [*fresh_drawn, *fresh], strict=True):
        _assert_same(ours, theirs)


def _summary_equals_a_recompute(
    path: Path, repo: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    fx = FxTable.from_rates(repo.fx_rates())
    for currency in ("USD", "CNY"):
        capsys.readouterr()
        assert cmd_summary([str(path), "--json", "--currency", currency]) == 0
        printed = capsys.readouterr().out
        full = summarize(repo.investments(), repo.chip_orders(), repo.countries(), fx, currency)
        add_stated_domestic_shares(full, repo)
        assert printed.strip() == json_lines(summary_json(full)).strip()


def _order_equals_a_recompute(
    model: FigureTableModel, repo: Repository, key: str, descending: bool
) -> None:
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    column = model.column_index("period" if key == "year" else key)
    if key == "year":  # the Period column sorts by period; year is sorted through the query
        model.set_query(replace(model.query, sort="year", descending=descending))
    else:
        model.sort(column, order)
        if model.query.sort != key or model.query.descending != descending:
            model.set_query(replace(model.query, sort=key, descending=descending))
        else:
            model.reload()  # the order of a fresh look, not where added rows were put
    assert not model.busy
    shown = [model.id_at(r) for r in range(model.rowCount())]
    rows = sorted(repo.figures(model.table.value), key=lambda f: f.id or 0)
    values = [(getattr(f, key), f.id) for f in rows]
    present = [v for v in values if v[0] is not None]
    present.sort(key=lambda v: _sortable(v[0]), reverse=descending)  # stable: ids stay ascending
    expected = [i for _v, i in present] + [i for v, i in values if v is None]
    assert shown == expected


def _sortable(value: Any) -> Any:
    return getattr(value, "value", value)  # enums sort by what is stored


TOLERANCE = Decimal("1e-30")


def _assert_same(a: Any, b: Any, where: str = "") -> None:
    """Equal, but Decimals only to 30 places (sums of the same groups in another order may
    differ in their last digits)."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        assert abs(a - b) <= TOLERANCE * max(1, abs(b)), where
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), f"{where}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{where}: {a!r} != {b!r}"
        for k in a:
            _assert_same(a[k], b[k], f"{where}[{k!r}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"
