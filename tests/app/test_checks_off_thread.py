"""The reconciliation checks read their rows and run on a worker thread (issue 14): the window
never waits for them, the badge says they are on their way, an edit made while the rows load
counts exactly once, and a burst of edits during a run ends in findings that match the rows."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from capex_gui.domain.checks import CheckKind, Facts, Finding, run_checks
from capex_gui.storage.repository import Repository
from capex_gui.store import checks_model, workers
from capex_gui.store.checks_model import ChecksModel
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.checks_panel import ChecksBadge


@pytest.fixture
def threads() -> Iterator[None]:
    """Real worker threads (the suite runs background reads at once otherwise)."""
    workers.use_threads(True)
    yield
    workers.use_threads(False)


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _duplicates(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check is CheckKind.DUPLICATE]


def _fresh(store: CapexStore, repo: Repository) -> list[Finding]:
    """The checks over the rows read afresh (a full recompute)."""
    return run_checks(
        Facts(
            investments=repo.investments(),
            chip_orders=repo.chip_orders(),
            fx_rates=repo.fx_rates(),
            headlines=store.headlines(),
            shares=store.stated_shares(),
            countries=repo.countries(),
        )
    )


@pytest.mark.parametrize("edit_lands", ["before the read", "after the read"])
def test_rows_load_on_a_worker_and_an_edit_meanwhile_counts_once(
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
    real_read = checks_model._read_rows

    def held_read(session: Any) -> Any:
        read_on.append(threading.get_ident())
        if edit_lands == "before the read":
            assert go.wait(10)
            return real_read(session)
        rows = real_read(session)  # the rows are read: now the edit
        assert go.wait(10)
        return rows

    monkeypatch.setattr(checks_model, "_read_rows", held_read)
    store = CapexStore(sample_repo, host)
    checks = ChecksModel(store, host)
    badge = ChecksBadge(checks, host)
    # the GUI thread is free while the worker holds the read: the badge says checks are running
    qtbot.waitUntil(lambda: bool(read_on))
    assert not checks.ready and checks.busy
    assert badge.text() == "… Checks"

    # duplicate a row while the rows are on their way: one duplicate pair, not two or none
    first = sample_repo.investments()[0]
    (copy,) = store.add_rows(TableKind.INVESTMENTS, [replace(first, id=None, version=0)])
    qtbot.wait(20)
    assert not checks.ready

    go.set()
    qtbot.waitUntil(lambda: checks.ready and not checks.busy, timeout=10_000)
    assert read_on == [read_on[0]] and read_on[0] != gui_thread
    (dup,) = _duplicates(checks.findings)
    assert {ref.id for ref in dup.rows} == {first.id, copy.id}
    assert checks.findings == _fresh(store, sample_repo)
    assert badge.text() == "✖ 1 check"
    checks.stop()


def test_the_checks_run_off_the_gui_thread_and_a_burst_ends_current(
    qtbot: QtBot,
    threads: None,
    sample_repo: Repository,
    host: QWidget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran_on: list[int] = []
    release = threading.Event()
    release.set()

    def slow_checks(facts: Facts) -> list[Finding]:
        ran_on.append(threading.get_ident())
        assert release.wait(10)
        return run_checks(facts)

    monkeypatch.setattr(checks_model, "run_checks", slow_checks)
    store = CapexStore(sample_repo, host)
    checks = ChecksModel(store, host)
    qtbot.waitUntil(lambda: checks.ready and not checks.busy, timeout=10_000)
    assert ran_on and threading.get_ident() not in ran_on

    # a run is held on the worker; edits meanwhile make one more run when it ends
    release.clear()
    item = sample_repo.investments()[1]
    store.update_row(TableKind.INVESTMENTS, item.with_changes(source=" "))
    qtbot.waitUntil(lambda: len(ran_on) == 2)  # the run for the first edit is held
    for n in (1, 2, 3):
        item = sample_repo.get_investment(item.id or 0)
        store.update_row(TableKind.INVESTMENTS, item.with_changes(amount=item.amount + n))
    qtbot.wait(100)
    assert len(ran_on) == 2  # no pile of runs while one is on its way
    release.set()
    qtbot.waitUntil(lambda: len(ran_on) == 3 and not checks.busy, timeout=10_000)
    assert checks.findings == _fresh(store, sample_repo)
    assert any(f.check is CheckKind.NO_SOURCE for f in checks.findings if f.rows)
    checks.stop()


def test_gc_paused_nests_and_restores_collection() -> None:
    assert gc.isenabled()
    with workers.gc_paused():
        assert not gc.isenabled()
        with workers.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with workers.gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_value_edit_leaves_the_year_box_and_a_new_year_appears(
    qtbot: QtBot, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    refreshed: list[int] = []
    real = window.filters.refresh_choices
    monkeypatch.setattr(window.filters, "refresh_choices", lambda: (refreshed.append(1), real())[1])
    item = store.repo.chip_orders()[0]
    store.update_row(TableKind.CHIP_ORDERS, item.with_changes(units=(item.units or 0) + 1))
    assert refreshed == []  # a value edit adds or drops no year and no company
    item = store.repo.get_chip_order(item.id)
    store.update_row(TableKind.CHIP_ORDERS, item.with_changes(year=2031))
    assert refreshed == [1]
    years = [
        window.filters.year_filter.itemText(i) for i in range(window.filters.year_filter.count())
    ]
    assert "2031" in years


def test_findings_that_arrive_while_the_panel_is_hidden_show_when_it_opens(
    qtbot: QtBot, window: Any
) -> None:
    reports = window.reports
    assert not reports.dock.isVisible()
    first = window.store.repo.investments()[0]
    window.store.add_rows(TableKind.INVESTMENTS, [replace(first, id=None, version=0)])
    qtbot.waitUntil(lambda: reports.badge.text() == "✖ 1 check", timeout=3000)
    reports.show_checks()
    panel = reports.panel
    shown = [panel.model.finding(r) for r in range(panel.model.rowCount())]
    assert shown == reports.checks.findings and _duplicates(shown)
    assert panel.summary_label.text().startswith("1 inconsistency")


def test_slow_checks_wait_for_a_pause_in_the_edits(
    qtbot: QtBot,
    threads: None,
    sample_repo: Repository,
    host: QWidget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[float] = []

    def slow_checks(facts: Facts) -> list[Finding]:
        runs.append(time.perf_counter())
        time.sleep(0.2)  # a large file
        return run_checks(facts)

    monkeypatch.setattr(checks_model, "run_checks", slow_checks)
    store = CapexStore(sample_repo, host)
    checks = ChecksModel(store, host)
    qtbot.waitUntil(lambda: checks.ready and not checks.busy, timeout=10_000)
    assert checks.delay_ms >= 2 * 200
    # edits 100 ms apart: no run until they pause, then one
    item = sample_repo.investments()[1]
    for n in range(5):
        item = sample_repo.get_investment(item.id or 0)
        store.update_row(TableKind.INVESTMENTS, item.with_changes(amount=item.amount + n + 1))
        qtbot.wait(100)
    assert len(runs) == 1
    qtbot.waitUntil(lambda: len(runs) == 2 and not checks.busy, timeout=10_000)
    assert checks.findings == _fresh(store, sample_repo)
    checks.stop()


def test_a_damaged_value_found_by_the_background_read_is_reported(
    qtbot: QtBot, threads: None, host: QWidget, tmp_path: Path
) -> None:
    """Read on a thread, rows with an unreadable value no longer refuse the open (that read
    made a large file slow to open); the store reports the damage when the read meets it."""
    from capex_gui.app.paths import create_sample_database
    from capex_gui.storage import sqlite

    path = tmp_path / "bad value.capex"
    database = create_sample_database(path)
    con = sqlite3.connect(sqlite.file_uri(path, mode="rw"), uri=True)
    con.execute("UPDATE investments SET notes = CAST(? AS TEXT) WHERE id = 2", (b"caf\xe9 \xff",))
    con.commit()
    con.close()
    try:
        store = CapexStore(Repository(database.engine), host)
        errors: list[str] = []
        store.error_occurred.connect(errors.append)
        checks = ChecksModel(store, host)  # no exception here: the read is on its way
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
        assert len(errors) == 1 and "damaged" in errors[0], errors
        assert not checks.ready and not checks.busy
        checks.stop()
        store.runner.shutdown()
    finally:
        database.close()
