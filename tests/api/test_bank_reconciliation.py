"""Bank account reconciliation through the real app: statement lines matched with bank ledger
entries posted outside the journal, what stays unmatched, and marking a statement reconciled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.posting.journal import CashReceiptLine
from store.db import create_engine
from store.posting.cash_receipts import post_lines
from store.uow import UnitOfWork, run_in_transaction
from tests.api.bank_helpers import BANK_IBAN, RECONCILIATION, Entry, camt053, setup_bank, upload
from tests.api.conftest import GraphQLClient

MARK = """mutation ($id: ID!) { markStatementReconciled(input: {statementId: $id}) {
  reconciliation { reconciled statement { reconciledAt } matches { rule } }
  errors { code message } } }"""


async def _bank_entry(db_url: str, bank_amount: str, day: date, document_no: str) -> None:
    """A bank ledger entry from elsewhere (a G/L journal line balanced by the bank)."""
    engine = create_engine(db_url, pool_size=1)

    async def work(uow: UnitOfWork) -> None:
        line = CashReceiptLine(
            posting_date=day,
            document_no=document_no,
            amount=-Decimal(bank_amount),
            bal_account_no="BANK1",
            document_type="",
            gl_account_no="8960",
            description=document_no,
        )
        await post_lines(uow.conn, [line])

    try:
        await run_in_transaction(engine, work)
    finally:
        await engine.dispose()


async def test_lines_match_bank_entries_by_amount_date_window_and_document_no(
    gql: GraphQLClient, db_url: str
) -> None:
    await setup_bank(gql, iban=BANK_IBAN)
    await _bank_entry(db_url, "-7.50", date(2026, 11, 19), "FEE-A")
    await _bank_entry(db_url, "-7.50", date(2026, 11, 18), "FEE-B")
    await _bank_entry(db_url, "-9.99", date(2026, 11, 1), "OLD-1")
    statement = (
        await upload(
            gql,
            camt053(
                [
                    Entry(Decimal("-7.50"), "Bank", None, "charge FEE-B"),
                    Entry(Decimal("42.00"), "Someone", None, "unknown"),
                ],
                opening=Decimal("9.99"),
                day="2026-11-20",
            ),
        )
    )["statements"][0]

    result = (await gql.call(RECONCILIATION, {"id": statement["id"]}))["bankAccountReconciliation"]

    (match,) = result["matches"]
    assert match["bankLedgerEntry"]["documentNo"] == "FEE-B"
    assert match["rule"].startswith("amount and document no. match, 2 day(s) apart")
    assert result["unmatchedLines"] == [{"lineNo": 2, "amount": "42.00"}]
    assert sorted(e["documentNo"] for e in result["unmatchedBankEntries"]) == ["FEE-A", "OLD-1"]
    assert result["reconciled"] is False
    assert result["ledgerBalance"] == "-24.99"


async def test_a_statement_that_agrees_is_marked_reconciled_and_one_that_does_not_is_refused(
    gql: GraphQLClient, db_url: str
) -> None:
    await setup_bank(gql, iban=BANK_IBAN)
    await _bank_entry(db_url, "-7.50", date(2026, 11, 20), "FEE-1")
    good = (
        await upload(
            gql,
            camt053(
                [Entry(Decimal("-7.50"), "Bank", None, "fee")],
                statement_id="OK",
                day="2026-11-20",
            ),
        )
    )["statements"][0]
    bad = (
        await upload(
            gql,
            camt053(
                [Entry(Decimal("3.00"), "X", None, "y")],
                statement_id="KO",
                day="2026-11-21",
                opening=Decimal("-7.50"),
            ),
        )
    )["statements"][0]

    marked = (await gql.call(MARK, {"id": good["id"]}))["markStatementReconciled"]
    refused = (await gql.call(MARK, {"id": bad["id"]}))["markStatementReconciled"]

    assert marked["errors"] == []
    assert marked["reconciliation"]["reconciled"] is True
    assert marked["reconciliation"]["statement"]["reconciledAt"] is not None
    assert [e["code"] for e in refused["errors"]] == ["LINE_NOT_APPLIED"]
    assert "no bank ledger entry" in refused["errors"][0]["message"]
