"""Append-only guard: the UPDATE trigger fires only when an immutable column is SET

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23

Posting updates the cached open/remaining fields of thousands of entries per batch; the old
row trigger compared every row as JSON (more than half of that UPDATE's time). The new
trigger is `BEFORE UPDATE OF <every immutable column>`, so it never fires for those updates
and still refuses any statement that sets another column to a new value.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from store.append_only import GUARD_FUNCTION_SQL, GUARDED_TABLES_SQL, guard_statements, mutable_of

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _guarded() -> list[tuple[str, tuple[str, ...]]]:
    rows = op.get_bind().execute(sa.text(GUARDED_TABLES_SQL)).all()
    return [(r.table_name, mutable_of(r.args)) for r in rows]


def upgrade() -> None:
    op.execute(GUARD_FUNCTION_SQL)
    for table, mutable in _guarded():
        for stmt in guard_statements(table, mutable):
            op.execute(stmt)


def downgrade() -> None:
    for table, mutable in _guarded():
        args = ", ".join(f"'{c}'" for c in mutable)
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION lettrage_append_only({args})"
        )
