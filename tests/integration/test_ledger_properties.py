"""Hypothesis on a real PostgreSQL: postings balance, remaining = Σ DCLE at any as-of date."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, timedelta
from decimal import Decimal

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from sqlalchemy import text

from domain.ledger import Ledger
from domain.money import round_amount
from domain.sales_posting import DocumentKind, DocumentLine
from store.db import create_engine
from store.parties.ledger import balances, open_entries
from store.parties.master import CUSTOMER, upsert_party
from store.posting.sales import SalesDocumentInput, post_sales_document

_ids = itertools.count()

documents = st.lists(
    st.tuples(
        st.sampled_from([DocumentKind.INVOICE, DocumentKind.CREDIT_MEMO]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
        st.integers(min_value=0, max_value=60),
        st.sampled_from([Decimal(0), Decimal(7), Decimal(20)]),
    ),
    min_size=1,
    max_size=8,
)


async def _scenario(
    db_url: str, docs: list[tuple[DocumentKind, Decimal, int, Decimal]], probes: list[int]
) -> None:
    engine = create_engine(db_url, pool_size=2)
    customer = f"P{next(_ids)}"
    start = date(2026, 1, 1)
    try:
        await upsert_party(engine, CUSTOMER, customer, {"name": customer}, None)
        expected: list[tuple[date, Decimal]] = []
        for i, (kind, amount, day, vat) in enumerate(docs):  # posted in random date order
            posting_date = start + timedelta(days=day)
            await post_sales_document(
                engine,
                SalesDocumentInput(
                    kind=kind,
                    customer_no=customer,
                    document_no=f"D{i}",
                    posting_date=posting_date,
                    lines=(DocumentLine("x", "", amount, vat),),
                ),
            )
            gross = amount + round_amount(amount * vat / 100)
            expected.append((posting_date, gross if kind is DocumentKind.INVOICE else -gross))
        async with engine.connect() as conn:
            unbalanced = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries "
                        "GROUP BY transaction_no HAVING sum(amount) <> 0) t"
                    )
                )
            ).scalar_one()
            assert unbalanced == 0
            mismatched = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM customer_ledger_entries e WHERE remaining_amount <> "
                        "(SELECT sum(amount) FROM detailed_customer_ledger_entries d "
                        "WHERE d.cust_ledger_entry_no = e.entry_no)"
                    )
                )
            ).scalar_one()
            assert mismatched == 0
            for offset in probes:
                as_of = start + timedelta(days=offset)
                want = sum((a for d, a in expected if d <= as_of), Decimal(0))
                got = (await balances(conn, Ledger.CUSTOMER, [customer], as_of)).get(customer, {})
                assert got.get("", (Decimal(0), Decimal(0)))[0] == want
                rows = await open_entries(conn, Ledger.CUSTOMER, customer, as_of, 1000, None)
                assert sum((r.remaining_amount for r in rows), Decimal(0)) == want
    finally:
        await engine.dispose()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    docs=documents, probes=st.lists(st.integers(min_value=-1, max_value=61), min_size=1, max_size=5)
)
def test_postings_balance_and_as_of_balances_follow_back_dated_entries(
    db_url: str, docs: list[tuple[DocumentKind, Decimal, int, Decimal]], probes: list[int]
) -> None:
    asyncio.run(_scenario(db_url, docs, probes))
