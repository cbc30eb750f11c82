"""Guard against the PySide6 6.12.0 / CPython 3.11 refcount bug (none_dealloc after ~100 repaints).

pyproject pins PySide6 so no supported Python gets a broken pair; this test proves the pair that
is installed survives 2,000 repaints of a live pyqtgraph chart in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    import PySide6
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg
    app = QApplication([])
    plot = pg.PlotWidget()
    plot.resize(640, 480)
    bars = pg.BarGraphItem(x=[1, 2, 3], height=[3, 1, 2], width=0.6)
    plot.addItem(bars)
    plot.show()
    before = sys.getrefcount(None)
    for i in range(2000):
        bars.setOpts(height=[3 + i % 7, 1 + i % 3, 2])
        plot.grab()  # a real paint of the whole view
        app.processEvents()
    after = sys.getrefcount(None)
    print(PySide6.__version__, before, after)
    """
)


@pytest.mark.slow
def test_two_thousand_repaints_exit_cleanly() -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "none_dealloc" not in proc.stderr
    version, before, after = proc.stdout.split()
    # None is immortal on 3.12+ (huge constant count); on 3.11 the count must not drain.
    assert int(after) >= int(before) - 50, (version, before, after)
