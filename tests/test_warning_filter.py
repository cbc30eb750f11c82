"""The suite filters exactly one warning, and only while it is still raised.

pyproject.toml turns every warning into an error except one: numpy >= 2.5 (Python >= 3.12)
deprecates assigning `ndarray.shape`, and pyqtgraph 0.14.0 still does it in
`pyqtgraph.functions._pinv_fallback`, which `TextItem` reaches through `invertQTransform` when its
transform is singular. These tests fail when that filter stops earning its place (pyqtgraph no
longer assigns `.shape`: delete the filter and this file), when it stops matching (the message or
module moved), and when a second filter appears.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QTransform

NUMPY_SHAPE_FILTER = (
    "ignore:Setting the shape on a NumPy array has been deprecated:"
    "DeprecationWarning:pyqtgraph\\.functions\\Z"
)
#: The transform a TextItem met in tests/charts/test_chart_area.py: not invertible (det = 0).
SINGULAR = QTransform(11, 0, 0, 0, 0, 0, 79, 10, 1)
TESTS = Path(__file__).resolve().parent


def _shape_deprecations() -> list[warnings.WarningMessage]:
    """Invert a singular transform as TextItem does, recording every warning it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pg.functions.invertQTransform(SINGULAR)
    return [
        w
        for w in caught
        if issubclass(w.category, DeprecationWarning) and "Setting the shape" in str(w.message)
    ]


def test_the_numpy_shape_filter_is_still_needed() -> None:
    found = _shape_deprecations()
    if np.lib.NumpyVersion(np.__version__) >= "2.5.0":
        assert found, (
            f"pyqtgraph {pg.__version__} no longer assigns ndarray.shape on numpy "
            f"{np.__version__}: delete the numpy filter from pyproject.toml and "
            "tests/test_warning_filter.py"
        )
        assert {Path(w.filename).parts[-2:] for w in found} == {("pyqtgraph", "functions.py")}
    else:
        assert not found, f"numpy {np.__version__} < 2.5 was not expected to deprecate .shape"
    # Under the suite's own filters ("error" plus the one ignore) the same call goes through:
    # the filter matches the warning's real module and message.
    inverse = pg.functions.invertQTransform(SINGULAR)
    assert isinstance(inverse, QTransform)


def test_no_other_warning_is_filtered(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.getini("filterwarnings") == ["error", NUMPY_SHAPE_FILTER]
    silencing = re.compile(
        r"mark\.filterwarnings|simplefilter\(\s*[\"']ignore|filterwarnings\(\s*[\"']ignore"
    )
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if silencing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"tests that silence warnings: {offenders}"
