"""Alembic migration scripts (run by ``storage.database`` on open), and their one helper."""

from __future__ import annotations

from typing import Literal


def recreate() -> Literal["always", "auto"]:
    """How a batch operation changes a table: SQLite cannot alter constraints in place, so there
    the table is rebuilt ("always"); PostgreSQL alters it where it stands ("auto": a rebuild
    would have to drop the keys other tables refer to)."""
    from alembic import op

    return "always" if op.get_context().dialect.name == "sqlite" else "auto"
