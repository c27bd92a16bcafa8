"""Finance charge terms, createFinanceChargeMemos and issueFinanceChargeMemos on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import gl_sum, post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

UPSERT_TERMS = """mutation ($i: UpsertFinanceChargeTermsInput!) {
  upsertFinanceChargeTerms(input: $i) { terms { code gracePeriod method }
  errors { code message field } } }"""

CREATE = """mutation ($i: CreateFinanceChargeMemosInput!) { createFinanceChargeMemos(input: $i) {
  memos { id customerNo currencyCode status
    lines { entryNo documentNo days baseAmount interestAmount formulaText }
    interestAmount additionalFee totalAmount }
  errors { code message field } } }"""

ISSUE = """mutation ($i: IssueFinanceChargeMemosInput!) { issueFinanceChargeMemos(input: $i) {
  issued { id postedEntry { entryNo documentType documentNo amount amountLcy currencyCode } }
  replayed errors { code message field } } }"""


async def terms(gql: GraphQLClient, **fields: Any) -> None:
    base = {"code": "FIN", "interestRatePct": "1.5", "interestPeriodDays": 30}
    data = await gql.call(UPSERT_TERMS, {"i": {**base, **fields}})
    assert data["upsertFinanceChargeTerms"]["errors"] == [], data


async def create(gql: GraphQLClient, day: str, **fields: Any) -> dict[str, Any]:
    base = {"postingDate": day, "documentDate": day, "customerNos": ["C1"]}
    data = await gql.call(CREATE, {"i": {**base, **fields}})
    return dict(data["createFinanceChargeMemos"])


async def issue(gql: GraphQLClient, ids: list[int], key: str | None = None) -> dict[str, Any]:
    data = await gql.call(ISSUE, {"i": {"memoIds": ids, "idempotencyKey": key}})
    return dict(data["issueFinanceChargeMemos"])


async def count(db_url: str, table: str) -> int:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await conn.close()


async def one_invoice(gql: GraphQLClient, amount: str = "1000.00", **terms_fields: Any) -> int:
    await terms(gql, **terms_fields)
    await setup_customer(gql, "C1", financeChargeTermsCode="FIN")
    out = await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount=amount
    )
    return int(out["entry"]["entryNo"])


@pytest.mark.parametrize(
    ("terms_fields", "day", "days", "interest", "total", "formula"),
    [
        pytest.param({}, "2026-02-10", 31, "15.00", "15.00", "1,000.00 × 1.5 %", id="31-days"),
        pytest.param(
            {"gracePeriod": "10D"},
            "2026-01-21",
            11,
            "15.00",
            "15.00",
            "1,000.00 × 1.5 %",
            id="day-after-grace-counts-from-due-date",
        ),
        pytest.param(
            {"additionalFee": "5", "interestRatePct": "2", "interestPeriodDays": 360},
            "2026-04-10",
            90,
            "20.00",
            "25.00",
            "1,000.00 × 2 %",
            id="yearly-rate-plus-fee",
        ),
    ],
)
async def test_balance_due_interest_is_exact_to_the_cent(
    gql: GraphQLClient,
    terms_fields: dict[str, Any],
    day: str,
    days: int,
    interest: str,
    total: str,
    formula: str,
) -> None:
    await one_invoice(gql, **terms_fields)
    out = await create(gql, day)
    assert out["errors"] == []
    [memo] = out["memos"]
    [line] = memo["lines"]
    assert (line["days"], line["interestAmount"], line["formulaText"]) == (days, interest, formula)
    assert (memo["interestAmount"], memo["totalAmount"]) == (interest, total)


async def test_average_daily_balance_follows_a_partial_payment(gql: GraphQLClient) -> None:
    invoice = await one_invoice(gql, method="AVERAGE_DAILY_BALANCE")
    await setup_bank(gql)
    paid = await post_lines(
        gql,
        [
            {
                "customerNo": "C1",
                "documentNo": "PAY-1",
                "amount": "-400.00",
                "postingDate": "2026-01-25",
                "applyTo": [{"entryNo": invoice}],
            }
        ],
    )
    assert paid["errors"] == [], paid
    # 14 days at 1000 (Jan 11..24) + 16 days at 600 (Jan 25..Feb 9) = 23,600 / 30 = 786.67
    [memo] = (await create(gql, "2026-02-09"))["memos"]
    [line] = memo["lines"]
    assert (line["days"], line["baseAmount"], line["interestAmount"]) == (30, "786.67", "11.80")
    assert line["formulaText"] == "average balance 786.67 × 1.5 % × 30 / 30 days"


async def test_issuing_posts_memo_entry_and_next_memo_starts_where_the_last_stopped(
    gql: GraphQLClient,
) -> None:
    await one_invoice(gql, additionalFee="2")
    memo = (await create(gql, "2026-02-10"))["memos"][0]
    out = await issue(gql, [memo["id"]], "fcm-1")
    assert out["errors"] == []
    entry = out["issued"][0]["postedEntry"]
    assert (entry["documentType"], entry["amount"], entry["amountLcy"]) == (
        "FINANCE_CHARGE_MEMO",
        "17.00",
        "17.00",
    )
    total, rows = await gl_sum(gql, entry["documentNo"])
    assert Decimal(total) == 0
    assert {r["glAccountNo"]: r["amount"] for r in rows}["4930"] == "-17.00"
    [later] = (await create(gql, "2026-03-12"))["memos"]
    # Feb 10 .. Mar 12 = 30 days on the invoice; the memo entry itself bears no interest
    assert [(x["documentNo"], x["days"], x["interestAmount"]) for x in later["lines"]] == [
        ("INV-1", 30, "15.00")
    ]


async def test_issuing_twice_with_the_same_key_posts_once(gql: GraphQLClient) -> None:
    await one_invoice(gql)
    memo_id = (await create(gql, "2026-02-10"))["memos"][0]["id"]
    first = await issue(gql, [memo_id], "same")
    again = await issue(gql, [memo_id], "same")
    assert again["replayed"] is True
    assert again["issued"] == first["issued"]
    _, rows = await gl_sum(gql, first["issued"][0]["postedEntry"]["documentNo"])
    assert len(rows) == 2
    reused = await issue(gql, [memo_id, memo_id + 1], "same")
    assert [e["code"] for e in reused["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_foreign_currency_memo_converts_fee_and_posts_lcy(gql: GraphQLClient) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await gql.call(
        """mutation { setExchangeRate(input: {currencyCode: "USD", startingDate: "2026-01-01",
        rate: "1.25"}) { errors { code } } }"""
    )
    await terms(gql, additionalFee="10")
    await setup_customer(gql, "C1", financeChargeTermsCode="FIN")
    for currency, doc in (("", "INV-E"), ("USD", "INV-U")):
        await post_invoice(
            gql,
            customerNo="C1",
            documentNo=doc,
            postingDate="2026-01-10",
            amount="1000.00",
            currencyCode=currency,
        )
    memos = (await create(gql, "2026-02-10"))["memos"]
    got = [(m["currencyCode"], m["additionalFee"], m["totalAmount"]) for m in memos]
    assert got == [("", "10.00", "25.00"), ("USD", "8.00", "23.00")]
    issued = await issue(gql, [m["id"] for m in memos])
    usd = issued["issued"][1]["postedEntry"]
    assert (usd["currencyCode"], usd["amount"], usd["amountLcy"]) == ("USD", "23.00", "28.75")


@pytest.mark.parametrize(
    ("terms_fields", "fields", "code"),
    [
        pytest.param({}, {"asOf": "2026-01-10"}, "NOTHING_OVERDUE", id="not-yet-overdue"),
        pytest.param({"minimumAmount": "20"}, {}, "NOTHING_OVERDUE", id="below-minimum"),
        pytest.param({}, {"asOf": "2026-03-01"}, "DATES_OUT_OF_ORDER", id="as-of-after-doc"),
        pytest.param({}, {"customerNos": ["C1", "X"]}, "UNKNOWN_CUSTOMER", id="unknown-cust"),
        pytest.param({}, {"customerNos": ["C1", "C2"]}, "INVALID_TERMS", id="no-terms"),
    ],
)
async def test_bad_create_input_returns_typed_error_and_stores_nothing(
    gql: GraphQLClient,
    db_url: str,
    terms_fields: dict[str, Any],
    fields: dict[str, Any],
    code: str,
) -> None:
    await one_invoice(gql, **terms_fields)
    await setup_customer(gql, "C2")
    out = await create(gql, "2026-02-10", **fields)
    assert [e["code"] for e in out["errors"]] == [code]
    assert out["memos"] == []
    assert await count(db_url, "finance_charge_memos") == 0


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        pytest.param(
            {"interestPeriodDays": 0}, "INVALID_TERMS", ["input", "interestPeriodDays"], id="period"
        ),
        pytest.param(
            {"interestRatePct": "-1"}, "INVALID_AMOUNT", ["input", "interestRatePct"], id="rate"
        ),
        pytest.param(
            {"gracePeriod": "X"}, "INVALID_DATE_FORMULA", ["input", "gracePeriod"], id="grace"
        ),
    ],
)
async def test_invalid_finance_charge_terms_are_refused(
    gql: GraphQLClient, db_url: str, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    base = {"code": "BAD", "interestRatePct": "1.5"}
    data = await gql.call(UPSERT_TERMS, {"i": {**base, **fields}})
    out = data["upsertFinanceChargeTerms"]
    assert out["terms"] is None
    assert [(e["code"], e["field"]) for e in out["errors"]] == [(code, field)]
    assert await count(db_url, "finance_charge_terms") == 0


async def test_an_out_of_date_memo_cannot_charge_the_same_days_twice(gql: GraphQLClient) -> None:
    await one_invoice(gql)
    first = (await create(gql, "2026-02-10"))["memos"][0]["id"]
    second = (await create(gql, "2026-02-10"))["memos"][0]["id"]
    assert (await issue(gql, [first]))["errors"] == []
    stale = await issue(gql, [second])
    assert [e["code"] for e in stale["errors"]] == ["INVALID_INPUT"]
    assert (await create(gql, "2026-02-10"))["errors"][0]["code"] == "NOTHING_OVERDUE"


async def test_queries_list_memos_and_read_terms(gql: GraphQLClient) -> None:
    await one_invoice(gql, gracePeriod="+5d", method="AVERAGE_DAILY_BALANCE")
    memo_id = (await create(gql, "2026-02-10"))["memos"][0]["id"]
    data = await gql.call(
        """query ($id: Int!) { financeChargeMemos(customerNo: "C1") { id status }
        financeChargeMemo(id: $id) { totalAmount lines { days } }
        financeChargeTerms(code: "FIN") { gracePeriod method interestPeriodDays } }""",
        {"id": memo_id},
    )
    assert data["financeChargeMemos"] == [{"id": memo_id, "status": "PROPOSED"}]
    assert data["financeChargeMemo"] == {"totalAmount": "15.50", "lines": [{"days": 31}]}
    assert data["financeChargeTerms"] == {
        "gracePeriod": "5D",
        "method": "AVERAGE_DAILY_BALANCE",
        "interestPeriodDays": 30,
    }
