"""Opening a file already at the current schema reads its revision without Alembic (issue 14:
importing Alembic and loading its scripts was ~0.4 s of every start); an older file still
upgrades through Alembic, and the revisions read from the scripts are Alembic's own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from alembic.script import ScriptDirectory

from capex_gui.app.paths import create_sample_database
from capex_gui.storage import database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

_OPEN = textwrap.dedent(
    """
    import sys
    from capex_gui.storage.database import open_database
    db = open_database(sys.argv[1])
    db.close()
    print("alembic" in sys.modules)
    """
)


def _opens_with_alembic(path: Path) -> bool:
    out = subprocess.run(
        [sys.executable, "-c", _OPEN, str(path)], capture_output=True, text=True, check=True
    )
    return out.stdout.strip() == "True"


def test_revisions_read_from_the_scripts_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(database.alembic_config())
    assert database.head_revision() == scripts.get_current_head()
    assert database.known_revisions() == {r.revision for r in scripts.walk_revisions()}


def test_a_current_file_opens_without_alembic_an_old_one_upgrades(tmp_path: Path) -> None:
    current = tmp_path / "current.capex"
    create_sample_database(current).close()
    assert not _opens_with_alembic(current)
    old = tmp_path / "old.capex"
    shutil.copy(FIXTURES / "rev0001.capex", old)
    assert _opens_with_alembic(old)  # the upgrade runs Alembic
    db = database.open_database(old)
    try:
        with db.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        db.close()
    assert stored == database.head_revision()
