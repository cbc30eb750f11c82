"""Storage tests run on SQLite and on PostgreSQL (a module about files keeps SQLite only by
defining its own ``backend`` fixture)."""

from __future__ import annotations

import pytest

from tests.conftest import BOTH_BACKENDS


@pytest.fixture(params=BOTH_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test's ``db`` is on."""
    return str(request.param)
