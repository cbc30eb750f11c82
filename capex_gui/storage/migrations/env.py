"""Alembic environment: runs on the connection (and transaction) the caller opened."""

from __future__ import annotations

from alembic import context

from capex_gui.storage.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
