"""Shared test set-up: headless Qt, pyqtgraph on PySide6, per-test app folders."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

from collections.abc import Iterator
from pathlib import Path

import pytest

from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample
from tests.fake_keyring import MemoryKeyring
from tests.pg_server import ServerUnavailable, ThrowawayServer

#: Set to "off" to leave out the tests that need a PostgreSQL server (never honoured in CI,
#: where such a test fails when the server cannot start).
PG_SWITCH = "CAPEX_TEST_POSTGRES"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep data, settings and logs of every test in its own folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CAPEX_GUI_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _reads_at_once() -> Iterator[None]:
    """Background reads (the charts' first load and re-reads) run at once in tests, so a test
    sees their results without waiting; tests of the threads switch them back on."""
    from capex_gui.store import workers

    workers.use_threads(False)
    yield
    workers.use_threads(True)


@pytest.fixture(autouse=True)
def fake_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring instead of the user's real one."""
    import keyring

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ThrowawayServer]:
    """A throwaway PostgreSQL server for the whole run (started on first use, then stopped).

    A test that needs it FAILS when it cannot start; outside CI, CAPEX_TEST_POSTGRES=off skips
    such tests instead (for a machine without PostgreSQL installed).
    """
    if os.environ.get(PG_SWITCH) == "off" and not os.environ.get("CI"):
        pytest.skip(f"{PG_SWITCH}=off: PostgreSQL tests left out on request")
    try:
        server = ThrowawayServer.start()
    except (ServerUnavailable, OSError) as exc:
        pytest.fail(f"the throwaway PostgreSQL server could not start: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: ThrowawayServer) -> str:
    """A database migrated to the current schema, copied for each test (faster than migrating)."""
    name = pg_server.new_database()
    open_database(pg_server.url(name), create=True).close()
    return name


@pytest.fixture(scope="session")
def pg_sample_template(pg_server: ThrowawayServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the sample, copied from a new sample file as a team starts (``capex-gui
    copy``), once; a test copies it in a moment (CREATE DATABASE … TEMPLATE) instead of migrating
    and copying again."""
    from capex_gui.app.paths import create_sample_database
    from capex_gui.storage.transfer import copy_database

    sample = tmp_path_factory.mktemp("pg-sample") / "sample.capex"
    create_sample_database(sample).close()
    name = pg_server.new_database()
    source, target = open_database(sample), open_database(pg_server.url(name))
    try:
        copy_database(source, target)
    finally:
        source.close()
        target.close()
    return name


@pytest.fixture
def backend() -> str:
    """The kind of database ``db`` makes: SQLite, unless a folder's conftest parametrises it."""
    return "sqlite"


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A new, empty database: a file, or (backend "postgresql") a database on the test server."""
    if backend == "postgresql":
        server: ThrowawayServer = request.getfixturevalue("pg_server")
        name = server.new_database(template=request.getfixturevalue("pg_template"))
        database = open_database(server.url(name))
        yield database
        database.close()
        server.drop_database(name)
        return
    database = open_database(tmp_path / "test.capex", create=True)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> Repository:
    """Repository over an empty database (default categories and regions only)."""
    return Repository(db.engine)


@pytest.fixture
def sample_repo(repo: Repository) -> Repository:
    """Repository over a database filled with the sample data."""
    write_sample(repo)
    return repo


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """A connection or file left open is a ResourceWarning (an error here) when it is collected:
    collect after every test, so the test that left it fails, not whichever test runs next."""
    yield
    gc.collect()


@pytest.fixture(autouse=True, scope="session")
def _clear_clipboard_at_exit() -> Iterator[None]:
    """Qt's offscreen platform crashes at exit while the clipboard holds QMimeData (a real
    display does not): empty it before the QApplication goes away."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.clipboard().clear()


#: Parametrises ``backend`` in a folder's conftest: every test there runs on both databases.
BOTH_BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the PostgreSQL server ``postgresql`` (``-m 'not postgresql'``)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_server" in getattr(item, "fixturenames", ()) or params.get("backend") == (
            "postgresql"
        ):
            item.add_marker(pytest.mark.postgresql)
