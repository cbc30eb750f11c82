"""On PostgreSQL, every write to the change log notifies listening windows as it commits.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

A statement-level trigger on ``change_log`` calls ``pg_notify('capex_changes', '')``; the
server delivers the notification when (and only if) the writing transaction commits, so a
window hears of every commit, from any writer that logs its changes, without polling the log.
SQLite has no notifications (windows ask ``PRAGMA data_version`` instead): nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The trigger's name, put into the SQL below rather than written out: the check that opens
#: SQLite files (``database._our_objects``) collects the names these scripts CREATE, and a
#: .capex file must never hold this PostgreSQL-only trigger.
TRIGGER = "change_log_notify"


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION capex_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('capex_changes', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION capex_notify_change()"
    )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER {TRIGGER} ON change_log")
    op.execute("DROP FUNCTION capex_notify_change()")
