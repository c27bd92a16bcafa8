"""The append-only guard's UPDATE trigger lists the columns it protects, fixed when it was
made; a migration that adds a column to a posted table without guarding it again would leave
that column editable. This test reads the catalog so that cannot go unnoticed."""

from __future__ import annotations

import asyncpg

from store.append_only import GUARDED_TABLES_SQL, mutable_of
from tests.conftest import _asyncpg_dsn

PROTECTED = """
SELECT a.attname FROM pg_trigger t
JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr::int2[])
WHERE t.tgrelid = $1::regclass AND t.tgname = $2
"""
COLUMNS = """
SELECT attname FROM pg_attribute
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
"""


async def test_every_posted_table_guards_every_column_but_its_cached_ones(db_url: str) -> None:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        guarded = [
            (r["table_name"], mutable_of(r["args"])) for r in await conn.fetch(GUARDED_TABLES_SQL)
        ]
        assert len(guarded) >= 13
        assert "customer_ledger_entries" in dict(guarded)
        for table, mutable in guarded:
            columns = {r["attname"] for r in await conn.fetch(COLUMNS, table)}
            protected = {
                r["attname"] for r in await conn.fetch(PROTECTED, table, f"{table}_no_update")
            }
            assert protected == columns - set(mutable), table
    finally:
        await conn.close()
