"""The server goes away and comes back: a banner says so, edits are refused (never pretended),
nothing the user saw saved is lost, and the window catches up once it is back."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.main_window import MainWindow
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell
from tests.pg_server import ThrowawayServer
from tests.tcp_proxy import CuttableProxy


@pytest.fixture
def proxy(pg_server: ThrowawayServer) -> Iterator[CuttableProxy]:
    relay = CuttableProxy(pg_server.port)
    yield relay
    relay.close()


@pytest.fixture
def window_via_proxy(
    qtbot: QtBot, pg_server: ThrowawayServer, pg_sample: Repository, pg_name: str,
    proxy: CuttableProxy, tmp_path: Path,
) -> Iterator[MainWindow]:  # fmt: skip
    create_application()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    url = pg_server.url(pg_name).set(port=proxy.port)
    window = MainWindow(open_database(url), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_a_dropped_connection_shows_a_banner_refuses_edits_and_loses_nothing(
    qtbot: QtBot, window_via_proxy: MainWindow, pg_sample: Repository, proxy: CuttableProxy
) -> None:
    window = window_via_proxy
    view, model = window.investments_view, window.investments_model
    row = model.row_of(2)
    assert row is not None
    type_into_cell(qtbot, view, row, "notes", "saved before the outage")
    assert pg_sample.get_investment(2).notes == "saved before the outage"  # acknowledged

    proxy.cut()
    qtbot.waitUntil(window.connection_banner.isVisible, timeout=3000)
    assert "No connection to the database server" in window.connection_banner.text.text()
    type_into_cell(qtbot, view, row, "notes", "typed while away")
    assert "Not saved: the connection to the database server was lost" in (
        window.statusBar().currentMessage()
    )
    assert cell(view, row, "notes").data() == "saved before the outage"  # not pretended
    stored = pg_sample.get_investment(2)
    assert stored.notes == "saved before the outage"  # the acknowledged edit is kept
    # meanwhile a colleague (connected directly) changes another row
    other = pg_sample.investments()[0]
    pg_sample.write_figures("investments", edits=[(other, other.with_changes(amount=Decimal(5)))])

    proxy.mend()
    qtbot.waitUntil(lambda: not window.connection_banner.isVisible(), timeout=8000)
    first = model.row_of(other.id or 0)
    assert first is not None
    qtbot.waitUntil(lambda: cell(view, first, "amount").data() is not None, timeout=3000)
    assert pg_sample.get_investment(other.id or 0).amount == Decimal(5)
    qtbot.waitUntil(
        lambda: window.store is not None and window.store.repo.seen_seq >= pg_sample.last_write_seq,
        timeout=3000,
    )  # the colleague's change reached the window once the server was back
    type_into_cell(qtbot, view, row, "notes", "typed after it came back")
    assert pg_sample.get_investment(2).notes == "typed after it came back"
