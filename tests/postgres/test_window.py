"""The window on a team database: File → Connect to server…, the password and the keyring, and
the features a file has (typing, undo, charts, export, summary, checks) on a server."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.cli import main
from capex_gui.app.credentials import KEYRING_SERVICE, keyring_account
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.storage.database import open_database
from capex_gui.storage.postgresql import ServerDetails
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.connect_dialog import ConnectDialog
from tests.app.conftest import type_into_cell, type_text
from tests.charts.conftest import B
from tests.fake_keyring import MemoryKeyring
from tests.pg_server import ADMIN, ADMIN_PASSWORD, ThrowawayServer


@pytest.fixture
def team_db(pg_server: ThrowawayServer, pg_sample_template: str, tmp_path: Path) -> str:
    """A server database holding the sample (copied from a file, as a team starts), and that
    sample file beside it as tmp_path/sample.capex."""
    create_sample_database(tmp_path / "sample.capex").close()
    return pg_server.new_database(template=pg_sample_template)


@pytest.fixture
def file_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """A window on an analyst's own file, from which they connect to the server."""
    create_application()
    path = tmp_path / "mine.capex"
    create_sample_database(path).close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_database(path), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _fill_and_connect(
    qtbot: QtBot, window: MainWindow, server: ThrowawayServer, name: str, password: str,
    *, remember: bool, check: Callable[[ConnectDialog], None] | None = None,
) -> ConnectDialog:  # fmt: skip
    """Open File → Connect to server…, type the details as a user does, press Connect."""
    seen: list[ConnectDialog] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectDialog)
        seen.append(dialog)
        if check is not None:
            check(dialog)
        for field, text in (
            (dialog.host, "127.0.0.1"),
            (dialog.database, name),
            (dialog.user, ADMIN),
            (dialog.password, password),
        ):
            field.clear()
            type_text(qtbot, field, text)
        dialog.port.setValue(server.port)
        dialog.remember.setChecked(remember)
        dialog.buttons.accepted.emit()  # the Connect button
        if dialog.isVisible():  # refused: the dialog stays, with its reason; then cancel
            QTimer.singleShot(0, dialog.reject)

    QTimer.singleShot(0, fill)
    window.connect_action.trigger()
    return seen[0]


def test_connecting_with_a_wrong_password_says_so_and_keeps_what_was_typed(
    qtbot: QtBot, file_window: MainWindow, pg_server: ThrowawayServer, team_db: str,
    fake_keyring: MemoryKeyring,
) -> None:  # fmt: skip
    before = file_window.database
    dialog = _fill_and_connect(qtbot, file_window, pg_server, team_db, "wrong", remember=True)
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "The server did not accept the password; check it and try again."
    assert dialog.database.text() == team_db and dialog.user.text() == ADMIN  # nothing lost
    assert file_window.database is before  # still on the file
    assert fake_keyring.passwords == {}  # a refused password is not kept


def test_connecting_opens_the_team_database_and_keeps_the_password_only_in_the_keyring(
    qtbot: QtBot, file_window: MainWindow, pg_server: ThrowawayServer, team_db: str,
    fake_keyring: MemoryKeyring, tmp_path: Path,
) -> None:  # fmt: skip
    _fill_and_connect(qtbot, file_window, pg_server, team_db, ADMIN_PASSWORD, remember=True)
    database = file_window.database
    assert database is not None and database.path is None
    assert database.label == f"postgresql+psycopg://{ADMIN}@127.0.0.1:{pg_server.port}/{team_db}"
    assert file_window.windowTitle().startswith(database.label)
    assert file_window.investments_model.rowCount() == 3
    account = keyring_account(pg_server.url(team_db))
    assert fake_keyring.passwords == {(KEYRING_SERVICE, account): ADMIN_PASSWORD}
    file_window.settings.sync()
    stored = (tmp_path / "settings.ini").read_text()
    assert team_db in stored and ADMIN_PASSWORD not in stored  # the details, never the password

    # next time (Open recent), the keyring answers and no dialog is shown
    file_window.files.open_path(str(tmp_path / "mine.capex"))
    assert file_window.database is not None and file_window.database.path is not None
    recent = file_window.recent_menu.actions()
    assert any(team_db in a.text() for a in recent)
    assert file_window.open_target(database.label)
    assert file_window.database is not None and file_window.database.label == database.label


def test_unticking_remember_forgets_the_password(
    qtbot: QtBot, file_window: MainWindow, pg_server: ThrowawayServer, team_db: str,
    fake_keyring: MemoryKeyring,
) -> None:  # fmt: skip
    _fill_and_connect(qtbot, file_window, pg_server, team_db, ADMIN_PASSWORD, remember=True)
    assert fake_keyring.passwords

    def remembered(dialog: ConnectDialog) -> None:
        assert dialog.remember.isChecked()  # the box shows what the keyring holds

    _fill_and_connect(
        qtbot, file_window, pg_server, team_db, ADMIN_PASSWORD, remember=False, check=remembered
    )
    assert fake_keyring.passwords == {}


@pytest.fixture
def server_window(
    qtbot: QtBot, pg_server: ThrowawayServer, team_db: str, tmp_path: Path
) -> Iterator[MainWindow]:
    """The window opened on the team database, as `capex-gui URL` does."""
    create_application()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_database(pg_server.url(team_db)), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _spend_2025(window: MainWindow) -> Decimal:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    bar = area.spend_chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None
    return bar.total


def test_typing_undo_and_charts_on_the_server(
    qtbot: QtBot, server_window: MainWindow, pg_server: ThrowawayServer, team_db: str
) -> None:
    check = open_database(pg_server.url(team_db))
    try:
        repo = Repository(check.engine)
        view, model = server_window.investments_view, server_window.investments_model
        row = model.row_of(2)
        assert row is not None
        before = _spend_2025(server_window)
        type_into_cell(qtbot, view, row, "amount", "7.2bn")
        assert repo.get_investment(2).amount == Decimal("7.2e9")  # on the server
        qtbot.waitUntil(lambda: _spend_2025(server_window) - before == Decimal("0.4") * B)
        server_window.undo_action.trigger()
        assert repo.get_investment(2).amount == Decimal("6.8e9")
        qtbot.waitUntil(lambda: _spend_2025(server_window) == before)
        server_window.redo_action.trigger()
        assert repo.get_investment(2).amount == Decimal("7.2e9")
    finally:
        check.close()


def test_every_command_reads_the_server(
    pg_server: ThrowawayServer, team_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.url(team_db).render_as_string(hide_password=False)
    sample = tmp_path / "sample.capex"  # the file the team database was copied from
    outputs = []
    for db in (str(sample), url):
        assert main(["summary", db, "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert main(["check", db, "--json"]) in (0, 1)
        checks = json.loads(capsys.readouterr().out)
        png = tmp_path / f"spend-{len(outputs)}.png"
        assert main(["export-chart", db, "--chart", "spend", "-o", str(png)]) == 0
        capsys.readouterr()
        assert png.stat().st_size > 10_000
        outputs.append((summary, checks))
    assert outputs[0] == outputs[1]
    assert outputs[0][0]["spend"]


def test_row_history_shows_who_changed_what(
    qtbot: QtBot, server_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from capex_gui.widgets.history_dialog import HistoryDialog

    shown: list[HistoryDialog] = []

    def capture(dialog: QDialog) -> bool:
        assert isinstance(dialog, HistoryDialog)
        shown.append(dialog)
        return False

    monkeypatch.setattr(server_window, "run_dialog", capture)
    view, model = server_window.investments_view, server_window.investments_model
    row = model.row_of(2)
    assert row is not None
    assert server_window.store is not None
    notes = server_window.store.repo.get_investment(2).notes
    type_into_cell(qtbot, view, row, "amount", "7.2bn")
    type_into_cell(qtbot, view, row, "notes", "checked with the FT")
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    (dialog,) = shown
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert [r[1:] for r in rows] == [
        [ADMIN, f"notes: {notes} → checked with the FT"],
        [ADMIN, "amount: 6.8B → 7.2B; bound: about → exact"],
        [getpass.getuser(), "Added the row"],  # on the analyst's file, before the copy
    ]


@dataclass
class Shown:
    """What the Connect dialog showed when it came up."""

    intro: str
    error: str
    port: int
    #: the cursor is in the password field, the one left to fill
    password_focused: bool = True


def _answer_password(qtbot: QtBot, password: str) -> list[Shown]:
    """When the Connect dialog comes up, note what it shows, type *password*, press Connect."""
    shown: list[Shown] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectDialog)
        error = dialog.error.text() if dialog.error.isVisibleTo(dialog) else ""
        focus = dialog.focusWidget()
        shown.append(
            Shown(dialog.intro.text(), error, dialog.port.value(), focus is dialog.password)
        )
        type_text(qtbot, dialog.password, password)
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, answer)
    return shown


def test_open_recent_asks_for_a_password_the_keyring_lacks(
    qtbot: QtBot, file_window: MainWindow, pg_server: ThrowawayServer, team_db: str,
    fake_keyring: MemoryKeyring,
) -> None:  # fmt: skip
    label = f"postgresql+psycopg://{ADMIN}@127.0.0.1:{pg_server.port}/{team_db}"
    shown = _answer_password(qtbot, ADMIN_PASSWORD)
    assert file_window.open_target(label)
    assert shown == [
        Shown(  # a password merely missing is no error
            f"The server 127.0.0.1 asks for the password of {ADMIN} for the database {team_db}.",
            "",
            pg_server.port,
        )
    ]
    database = file_window.database
    assert database is not None and database.label == label
    assert file_window.investments_model.rowCount() == 3
    assert fake_keyring.passwords == {}  # 'Remember' was not ticked

    # Connect to server… from a server's window starts from that server
    def check(dialog: ConnectDialog) -> None:
        assert dialog.details() == ServerDetails.from_url(pg_server.url(team_db))

    _fill_and_connect(
        qtbot, file_window, pg_server, team_db, ADMIN_PASSWORD, remember=False, check=check
    )


def test_the_command_line_asks_for_a_password_at_start(
    qtbot: QtBot, pg_server: ThrowawayServer, team_db: str
) -> None:
    from capex_gui.app.application import _ask_password_at_start

    create_application()
    url = pg_server.url(team_db, password=None).render_as_string()
    shown = _answer_password(qtbot, "wrong")
    refused: list[str] = []

    def then_right() -> None:  # the wrong one is refused: the dialog stays and says why
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectDialog)
        refused.append(dialog.error.text())
        dialog.password.clear()
        type_text(qtbot, dialog.password, ADMIN_PASSWORD)
        dialog.buttons.accepted.emit()

    QTimer.singleShot(50, then_right)
    # the password the command line had (PGPASSWORD, the keyring) was refused, as open_database
    # says it: the dialog says so from the start
    database = _ask_password_at_start(url, "cannot open …: a password was not accepted")
    try:
        assert database is not None and database.label == url
        assert shown == [
            Shown(
                f"The server 127.0.0.1 asks for the password of {ADMIN} for the database "
                f"{team_db}.",
                "The server did not accept the password it was given; enter it again.",
                pg_server.port,
            )
        ]
        assert refused == ["The server did not accept the password; check it and try again."]
    finally:
        if database is not None:
            database.close()


def test_save_a_copy_of_a_server_database_writes_a_capex_file(
    server_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "trip.capex"
    offered: list[str] = []

    def choose(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    server_window.save_copy_action.trigger()
    assert offered and offered[0].endswith(" copy.capex")
    assert server_window.statusBar().currentMessage().startswith("Saved a copy (")
    database = server_window.database
    assert database is not None
    url = database.url.render_as_string(hide_password=False)
    summaries = []
    for db in (url, str(target)):
        assert main(["summary", db, "--json"]) == 0
        summaries.append(json.loads(capsys.readouterr().out))
    assert summaries[0] == summaries[1] and summaries[0]["spend"]
