"""The layers import one way: domain and storage never load Qt."""

from __future__ import annotations

import subprocess
import sys


def test_domain_and_storage_do_not_import_qt() -> None:
    code = (
        "import sys, capex_gui.domain.analytics, capex_gui.domain.sample, capex_gui.domain.fx, "
        "capex_gui.storage.database, capex_gui.storage.repository, capex_gui.storage.sample, "
        "capex_gui.app.paths; "
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_domain_does_not_import_sqlalchemy() -> None:
    code = (
        "import sys, capex_gui.domain.analytics, capex_gui.domain.sample, capex_gui.domain.parsing; "
        "bad = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', 'PySide6'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
