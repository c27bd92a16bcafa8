"""Migrations install the append-only guard on every posted table through these statements."""

from __future__ import annotations

from importlib.resources import files

FUNCTION_SQL = files("store").joinpath("sql/append_only.sql").read_text(encoding="utf-8")


def guard_statements(table: str, mutable_columns: tuple[str, ...] = ()) -> list[str]:
    """Triggers refusing DELETE/TRUNCATE and any UPDATE that touches other columns."""
    args = ", ".join(f"'{c}'" for c in mutable_columns)
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION lettrage_append_only({args})",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION lettrage_append_only()",
    ]
