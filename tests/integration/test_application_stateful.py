"""Hypothesis state machine on a real PostgreSQL: random invoices, payments, applications,
unapplies and reversals, on the customer ledger and on the vendor ledger (mirrored signs);
after every step the ledger is exact and G/L balances."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.posting.journal import ApplyToInput, CashReceiptLine
from domain.sales_posting import DocumentKind, DocumentLine
from store.db import create_engine
from store.parties.ledger_tables import CUSTOMER_LEDGER, VENDOR_LEDGER, LedgerTables
from store.parties.master import CUSTOMER, VENDOR, upsert_party
from store.posting.cash_receipts import post_cash_receipt_lines
from store.posting.posted_applications import reverse_payment, unapply_entries
from store.posting.purchases import PurchaseDocumentInput, post_purchase_document
from store.posting.sales import SalesDocumentInput, post_sales_document
from store.setup import upsert_bank_account

_ids = itertools.count()
DAY = date(2026, 3, 1)


@dataclass(frozen=True)
class Side:
    """What differs between the two ledgers for this machine: names, tables and signs."""

    ledger: LedgerTables
    sign: int  # of an invoice on this ledger; a payment has the other sign
    add_party: Callable[[Any, str], Awaitable[object]]
    post_invoice: Callable[[Any, str, str, Decimal], Awaitable[int]]

    @property
    def entries(self) -> str:
        return str(self.ledger.entries.name)

    @property
    def detailed(self) -> str:
        return str(self.ledger.detailed.name)

    @property
    def fk(self) -> str:
        return self.ledger.entry_fk


async def _sales_invoice(engine: Any, party: str, doc: str, amount: Decimal) -> int:
    line = (DocumentLine("x", "", amount),)
    posted = await post_sales_document(
        engine, SalesDocumentInput(DocumentKind.INVOICE, party, doc, DAY, line)
    )
    return int(posted.entry_no)


async def _purchase_invoice(engine: Any, party: str, doc: str, amount: Decimal) -> int:
    line = (DocumentLine("x", "", amount),)
    entry_no, _ = await post_purchase_document(
        engine, PurchaseDocumentInput(DocumentKind.INVOICE, party, doc, f"V-{doc}", DAY, line)
    )
    return entry_no


SIDES = {
    "customer": Side(
        CUSTOMER_LEDGER,
        1,
        lambda engine, no: upsert_party(engine, CUSTOMER, no, {"name": "s"}, None),
        _sales_invoice,
    ),
    "vendor": Side(
        VENDOR_LEDGER,
        -1,
        lambda engine, no: upsert_party(engine, VENDOR, no, {"name": "s"}, None),
        _purchase_invoice,
    ),
}


amounts = st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c) / 100)


def make_machine(db_url: str, side: Side) -> type[RuleBasedStateMachine]:
    entries, detailed, fk = side.entries, side.detailed, side.fk
    mismatched = f"""
        SELECT count(*) FROM {entries} e
        WHERE remaining_amount <> (SELECT sum(amount) FROM {detailed} d
                                   WHERE d.{fk} = e.entry_no)
           OR remaining_amount_lcy <> (SELECT sum(amount_lcy) FROM {detailed} d
                                       WHERE d.{fk} = e.entry_no)"""

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.loop = asyncio.new_event_loop()
            self.engine = create_engine(db_url, pool_size=2)
            self.party = f"S{next(_ids)}"
            self.run(side.add_party(self.engine, self.party))
            self.run(upsert_bank_account(self.engine, "BANK", {"gl_account_no": "1100"}))
            self.invoices: list[int] = []
            self.payments: list[int] = []
            self.n = 0

        def run(self, coro: Any) -> Any:
            return self.loop.run_until_complete(coro)

        def teardown(self) -> None:
            self.run(self.engine.dispose())
            self.loop.close()

        def remaining(self, nos: list[int]) -> dict[int, tuple[Decimal, Decimal, bool]]:
            async def read() -> dict[int, tuple[Decimal, Decimal, bool]]:
                async with self.engine.connect() as conn:
                    rows = await conn.execute(
                        text(
                            "SELECT entry_no, remaining_amount, remaining_amount_lcy, open FROM "
                            f"{entries} WHERE entry_no = ANY(:n)"
                        ),
                        {"n": nos},
                    )
                    return {r[0]: (r[1], r[2], r[3]) for r in rows}

            return dict(self.run(read()))

        @rule(amount=amounts)
        def post_invoice(self, amount: Decimal) -> None:
            self.n += 1
            self.invoices.append(
                self.run(side.post_invoice(self.engine, self.party, f"I{self.n}", amount))
            )

        @rule(amount=amounts, data=st.data())
        def pay(self, amount: Decimal, data: st.DataObject) -> None:
            self.n += 1
            targets = (
                data.draw(st.lists(st.sampled_from(self.invoices), unique=True, max_size=3))
                if self.invoices
                else []
            )
            line = CashReceiptLine(
                posting_date=DAY,
                document_no=f"P{self.n}",
                amount=-side.sign * amount,
                bal_account_no="BANK",
                customer_no=self.party if side.ledger is CUSTOMER_LEDGER else None,
                vendor_no=self.party if side.ledger is VENDOR_LEDGER else None,
                apply_to=tuple(ApplyToInput(t) for t in targets),
            )
            try:
                out = self.run(post_cash_receipt_lines(self.engine, [line]))
            except DomainError:
                return  # e.g. a closed invoice among the targets: nothing was posted
            self.payments += out.entry_nos

        @rule(data=st.data())
        def unapply_restores_the_prior_state(self, data: st.DataObject) -> None:
            if not self.payments:
                return
            payment = data.draw(st.sampled_from(self.payments))

            async def last_application() -> dict[int, tuple[Decimal, Decimal]]:
                async with self.engine.connect() as conn:
                    rows = await conn.execute(
                        text(
                            f"SELECT {fk}, sum(amount), sum(amount_lcy) FROM {detailed} "
                            "WHERE application_no = (SELECT max(application_no) FROM "
                            f"{detailed} WHERE {fk} = :p AND entry_type = 'APPLICATION' AND "
                            "NOT unapplied AND unapplies_application_no IS NULL) GROUP BY 1"
                        ),
                        {"p": payment},
                    )
                    return {r[0]: (r[1], r[2]) for r in rows}

            async def later_application_stands(entry_nos: list[int]) -> bool:
                """BC's unapply order (issue 20): an application later than the payment's
                last one stands on one of the entries that application touched."""
                async with self.engine.connect() as conn:
                    found = await conn.execute(
                        text(
                            f"SELECT count(*) FROM {detailed} WHERE {fk} = ANY(:n) AND NOT "
                            "unapplied AND entry_type NOT IN ('INITIAL_ENTRY', "
                            "'UNREALIZED_GAIN', 'UNREALIZED_LOSS') AND application_no > "
                            f"(SELECT max(application_no) FROM {detailed} WHERE {fk} = :p "
                            "AND entry_type = 'APPLICATION' AND NOT unapplied AND "
                            "unapplies_application_no IS NULL)"
                        ),
                        {"n": entry_nos, "p": payment},
                    )
                    return int(found.scalar_one()) > 0

            deltas = self.run(last_application())
            before = self.remaining(list(deltas))
            try:
                self.run(unapply_entries(self.engine, payment, None, ledger=side.ledger))
            except DomainError as refused:
                if refused.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST:
                    assert self.run(later_application_stands(list(deltas)))
                    assert self.remaining(list(deltas)) == before  # nothing was posted
                    return
                assert not deltas
                return
            after = self.remaining(list(deltas))
            for entry_no, (amount, amount_lcy) in deltas.items():
                assert after[entry_no][0] == before[entry_no][0] - amount
                assert after[entry_no][1] == before[entry_no][1] - amount_lcy

        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            if not self.payments:
                return
            payment = data.draw(st.sampled_from(self.payments))
            try:
                self.run(reverse_payment(self.engine, payment, None, ledger=side.ledger))
            except DomainError:
                return
            state = self.remaining([payment])[payment]
            assert state[2] is False
            self.payments.remove(payment)

        @invariant()
        def ledger_is_exact(self) -> None:
            async def check() -> tuple[int, int, int]:
                async with self.engine.connect() as conn:
                    unbalanced = (
                        await conn.execute(
                            text(
                                "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries "
                                "GROUP BY 1 HAVING sum(amount) <> 0) t"
                            )
                        )
                    ).scalar_one()
                    bad = (await conn.execute(text(mismatched))).scalar_one()
                    over = (
                        await conn.execute(
                            text(
                                f"SELECT count(*) FROM {entries} WHERE sign(amount) * "
                                "remaining_amount < 0 OR abs(remaining_amount) > abs(amount) OR "
                                "open <> (remaining_amount <> 0)"
                            )
                        )
                    ).scalar_one()
                    return int(unbalanced), int(bad), int(over)

            assert self.run(check()) == (0, 0, 0)

    return Ledger


@pytest.mark.parametrize("side", list(SIDES))
def test_random_postings_keep_the_ledger_exact(db_url: str, side: str) -> None:
    run_state_machine_as_test(
        make_machine(db_url, SIDES[side]),
        settings=settings(max_examples=20, stateful_step_count=20, deadline=None),
    )
