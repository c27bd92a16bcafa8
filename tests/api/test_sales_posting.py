"""postSalesInvoice / postSalesCreditMemo through the real app on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import pytest

from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import (
    gl_sum,
    post_credit_memo,
    post_invoice,
    setup_customer,
)
from tests.conftest import _asyncpg_dsn

TERMS = """mutation ($i: UpsertPaymentTermsInput!) { upsertPaymentTerms(input: $i) {
  paymentTerms { code } errors { code message field } } }"""


async def test_invoice_creates_entry_initial_dcle_and_balanced_gl(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    out = await post_invoice(
        gql,
        customerNo="C0001",
        documentNo="INV-1001",
        postingDate="2026-03-17",
        lines=[
            {"description": "Consulting", "amount": "1000.00", "vatPct": "20"},
            {"description": "Travel", "amount": "50.00"},
        ],
    )
    assert out["errors"] == []
    entry = out["entry"]
    assert entry["amount"] == "1250.00"
    assert entry["remainingAmount"] == "1250.00"
    assert entry["open"] is True
    assert entry["documentType"] == "INVOICE"
    assert entry["detailedEntries"] == [
        {
            "entryType": "INITIAL_ENTRY",
            "amount": "1250.00",
            "amountLcy": "1250.00",
            "postingDate": "2026-03-17",
        }
    ]
    total, rows = await gl_sum(gql, "INV-1001")
    assert Decimal(total) == 0
    by_account = {r["glAccountNo"]: r["amount"] for r in rows}
    assert by_account == {"1200": "1250.00", "4000": "-50.00", "2400": "-200.00"} or sorted(
        r["amount"] for r in rows
    ) == ["-1000.00", "-200.00", "-50.00", "1250.00"]


async def test_credit_memo_is_stored_negative(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    out = await post_credit_memo(
        gql, customerNo="C0001", documentNo="CM-1", postingDate="2026-03-17", amount="100.00"
    )
    assert out["entry"]["amount"] == "-100.00"
    assert out["entry"]["documentType"] == "CREDIT_MEMO"
    total, _ = await gl_sum(gql, "CM-1")
    assert Decimal(total) == 0


async def test_payment_terms_give_due_date_and_discount(gql: GraphQLClient) -> None:
    await gql.call(
        TERMS,
        {
            "i": {
                "code": "1M8D",
                "dueDateCalculation": "1M",
                "discountDateCalculation": "8D",
                "discountPct": "2",
            }
        },
    )
    await setup_customer(gql, paymentTermsCode="1M8D")
    out = await post_invoice(
        gql, customerNo="C0001", documentNo="INV-1", postingDate="2026-01-31", amount="1000.00"
    )
    entry = out["entry"]
    assert entry["dueDate"] == "2026-02-28"
    assert entry["pmtDiscountDate"] == "2026-02-08"
    assert entry["originalPmtDiscPossible"] == "20.00"


async def test_foreign_currency_invoice_converts_to_lcy_at_the_posting_date_rate(
    gql: GraphQLClient,
) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    for day, rate in (("2026-01-01", "0.90"), ("2026-03-01", "0.95")):
        await gql.call(
            "mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) "
            "{ errors { code } } }",
            {"i": {"currencyCode": "USD", "startingDate": day, "rate": rate}},
        )
    await setup_customer(gql, currencyCode="USD")
    out = await post_invoice(
        gql, customerNo="C0001", documentNo="INV-USD", postingDate="2026-03-17", amount="1000.00"
    )
    assert out["entry"]["currencyCode"] == "USD"
    assert out["entry"]["amountLcy"] == "950.00"
    total, _ = await gl_sum(gql, "INV-USD")
    assert Decimal(total) == 0


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"customerNo": "NOPE"}, "UNKNOWN_CUSTOMER", ["input", "customerNo"]),
        ({"currencyCode": "XYZ"}, "UNKNOWN_CURRENCY", ["input", "currencyCode"]),
        ({"paymentTermsCode": "NOPE"}, "UNKNOWN_PAYMENT_TERMS", ["input", "paymentTermsCode"]),
        ({"amount": "0.00"}, "INVALID_AMOUNT", ["input", "lines", "0", "amount"]),
        ({"amount": "-5.00"}, "INVALID_AMOUNT", ["input", "lines", "0", "amount"]),
        ({"amount": "1.001"}, "TOO_MANY_DECIMALS", ["input", "lines", "0", "amount"]),
        (
            {"lines": [{"amount": "1.00", "glAccountNo": "9999"}], "amount": None},
            "UNKNOWN_GL_ACCOUNT",
            ["input", "lines", "0", "glAccountNo"],
        ),
    ],
)
async def test_bad_input_is_a_typed_error_and_posts_nothing(
    gql: GraphQLClient, db_url: str, fields: dict[str, object], code: str, field: list[str]
) -> None:
    await setup_customer(gql)
    base = {
        "customerNo": "C0001",
        "documentNo": "INV-X",
        "postingDate": "2026-03-17",
        "amount": "10.00",
    }
    out = await post_invoice(gql, **{**base, **fields})
    assert out["entry"] is None
    assert out["errors"][0]["code"] == code, out
    assert out["errors"][0]["field"] == field
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        for table in ("customer_ledger_entries", "detailed_customer_ledger_entries", "gl_entries"):
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0
    finally:
        await conn.close()


async def test_currency_without_rate_on_posting_date_is_refused(gql: GraphQLClient) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "GBP"}) { errors { code } } }')
    await setup_customer(gql, currencyCode="GBP")
    out = await post_invoice(
        gql, customerNo="C0001", documentNo="I", postingDate="2026-03-17", amount="1.00"
    )
    assert out["errors"][0]["code"] == "NO_EXCHANGE_RATE"


async def test_duplicate_document_no_for_the_customer_is_refused(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    args = {
        "customerNo": "C0001",
        "documentNo": "INV-9",
        "postingDate": "2026-03-17",
        "amount": "10.00",
    }
    assert (await post_invoice(gql, **args))["errors"] == []
    again = await post_invoice(gql, **args)
    assert again["errors"][0]["code"] == "DUPLICATE_DOCUMENT_NO"


async def test_posting_date_outside_allowed_window_is_refused(gql: GraphQLClient) -> None:
    await gql.call(
        'mutation { updateCompanySetup(input: {allowPostingFrom: "2026-03-01", '
        'allowPostingTo: "2026-03-31"}) { errors { code } } }'
    )
    await setup_customer(gql)
    out = await post_invoice(
        gql, customerNo="C0001", documentNo="I", postingDate="2026-04-01", amount="1.00"
    )
    assert out["errors"][0]["code"] == "POSTING_DATE_NOT_ALLOWED"


async def test_idempotency_key_replays_and_refuses_other_input(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    args = {
        "customerNo": "C0001",
        "documentNo": "INV-7",
        "postingDate": "2026-03-17",
        "amount": "10.00",
        "idempotencyKey": "k-1",
    }
    first = await post_invoice(gql, **args)
    second = await post_invoice(gql, **args)
    assert second["replayed"] is True
    assert second["entry"]["entryNo"] == first["entry"]["entryNo"]
    other = await post_invoice(gql, **{**args, "amount": "11.00"})
    assert other["errors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_posted_entries_cannot_be_changed_or_deleted(gql: GraphQLClient, db_url: str) -> None:
    await setup_customer(gql)
    await post_invoice(
        gql, customerNo="C0001", documentNo="I1", postingDate="2026-03-17", amount="10.00"
    )
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        with pytest.raises(asyncpg.RestrictViolationError):
            await conn.execute("UPDATE customer_ledger_entries SET amount = 1")
        with pytest.raises(asyncpg.RestrictViolationError):
            await conn.execute("DELETE FROM gl_entries")
        with pytest.raises(asyncpg.RestrictViolationError):
            await conn.execute("TRUNCATE detailed_customer_ledger_entries CASCADE")
        with pytest.raises(asyncpg.RestrictViolationError):
            await conn.execute("UPDATE detailed_customer_ledger_entries SET amount = 0")
    finally:
        await conn.close()
