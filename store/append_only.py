"""Migrations install the append-only guard on every posted table through these statements."""

from __future__ import annotations

from importlib.resources import files

FUNCTION_SQL = files("store").joinpath("sql/append_only.sql").read_text(encoding="utf-8")
GUARD_FUNCTION_SQL = (
    files("store").joinpath("sql/append_only_guard.sql").read_text(encoding="utf-8")
)

# Every guarded table with the raw arguments (its mutable columns, NUL-separated) of the
# trigger that checks its UPDATEs: what a migration needs to guard them all again.
GUARDED_TABLES_SQL = """
SELECT c.relname AS table_name, t.tgargs AS args
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE p.proname = 'lettrage_append_only' AND NOT t.tgisinternal
  AND (t.tgtype & 16) = 16
ORDER BY c.relname
"""


def mutable_of(args: bytes) -> tuple[str, ...]:
    """The mutable column names held in a trigger's `tgargs`."""
    return tuple(a.decode() for a in bytes(args).split(b"\x00") if a)


def guard_statements(table: str, mutable_columns: tuple[str, ...] = ()) -> list[str]:
    """Triggers refusing DELETE/TRUNCATE and any UPDATE that touches other columns (the
    table's columns as they are now: call it again after adding columns)."""
    args = ", ".join(f"'{c}'" for c in mutable_columns)
    return [f"SELECT lettrage_guard('{table}', ARRAY[{args}]::text[])"]
