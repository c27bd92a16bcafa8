"""Reminder terms, createReminders, issueReminders and cancelIssuedReminder on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.cash_helpers import entry
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import gl_sum, post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

UPSERT_TERMS = """mutation ($i: UpsertReminderTermsInput!) { upsertReminderTerms(input: $i) {
  terms { code maxReminders levels { no gracePeriod dueDateCalculation } }
  errors { code message field } } }"""

CREATE = """mutation ($i: CreateRemindersInput!) { createReminders(input: $i) {
  reminders { id customerNo currencyCode level dueDate status
    lines { entryNo documentNo remainingAmount level } feeAmount totalAmount }
  errors { code message field } } }"""

ISSUE = """mutation ($i: IssueRemindersInput!) { issueReminders(input: $i) {
  issued { id postedEntry { entryNo documentType documentNo amount amountLcy currencyCode
    remainingAmount dueDate } }
  replayed errors { code message field } } }"""

CANCEL = """mutation ($i: CancelIssuedReminderInput!) { cancelIssuedReminder(input: $i) {
  reminder { id status } cancelEntry { documentType amount open postingDate }
  errors { code message field } } }"""

TWO_LEVELS = [
    {"no": 1, "gracePeriod": "5D", "dueDateCalculation": "14D", "fixedFee": "10"},
    {"no": 2, "gracePeriod": "10D", "dueDateCalculation": "7D", "fixedFee": "25"},
]


async def terms(gql: GraphQLClient, levels: list[dict[str, Any]], **fields: Any) -> None:
    data = await gql.call(UPSERT_TERMS, {"i": {"code": "STD", "levels": levels, **fields}})
    assert data["upsertReminderTerms"]["errors"] == [], data


async def create(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    base = {"postingDate": "2026-02-01", "documentDate": "2026-02-01", "customerNos": ["C1"]}
    data = await gql.call(CREATE, {"i": {**base, **fields}})
    return dict(data["createReminders"])


async def issue(gql: GraphQLClient, ids: list[int], key: str | None = None) -> dict[str, Any]:
    data = await gql.call(ISSUE, {"i": {"reminderIds": ids, "idempotencyKey": key}})
    return dict(data["issueReminders"])


async def count(db_url: str, table: str) -> int:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("level", "amounts", "fee", "total"),
    [
        pytest.param({"fixedFee": "10"}, ["1000.00"], "10.00", "1010.00", id="fixed-fee"),
        pytest.param(
            {"pctOfRemaining": "1.5"}, ["1000.00", "333.33"], "20.00", "1353.33", id="pct-rounded"
        ),
        pytest.param(
            {"fixedFee": "5", "additionalFeePerLine": "2.50"},
            ["100.00", "200.00"],
            "10.00",
            "310.00",
            id="fixed-plus-per-line",
        ),
        pytest.param(
            {"fixedFee": "1.005", "pctOfRemaining": "0.5"},
            ["99.99"],
            "1.51",
            "101.50",
            id="each-part-rounded-half-up",
        ),
    ],
)
async def test_reminder_fee_and_total_are_exact_to_the_cent(
    gql: GraphQLClient, level: dict[str, str], amounts: list[str], fee: str, total: str
) -> None:
    await terms(gql, [{"no": 1, "gracePeriod": "5D", "dueDateCalculation": "14D", **level}])
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    for n, amount in enumerate(amounts):
        await post_invoice(
            gql, customerNo="C1", documentNo=f"INV-{n}", postingDate="2026-01-10", amount=amount
        )
    out = await create(gql)
    assert out["errors"] == []
    [reminder] = out["reminders"]
    assert (reminder["feeAmount"], reminder["totalAmount"]) == (fee, total)
    assert reminder["level"] == 1
    assert reminder["dueDate"] == "2026-02-15"
    assert [line["remainingAmount"] for line in reminder["lines"]] == amounts


async def test_entry_within_grace_period_is_not_reminded(gql: GraphQLClient, db_url: str) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="50"
    )
    out = await create(gql, documentDate="2026-01-15", overdueAsOf="2026-01-15")
    assert [e["code"] for e in out["errors"]] == ["NOTHING_OVERDUE"]
    assert await count(db_url, "reminders") == 0


async def test_issuing_posts_fee_entry_and_balanced_gl_and_next_run_escalates(
    gql: GraphQLClient,
) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="500.00"
    )
    first = (await create(gql))["reminders"][0]
    out = await issue(gql, [first["id"]], "issue-1")
    assert out["errors"] == []
    assert out["replayed"] is False
    entry = out["issued"][0]["postedEntry"]
    assert entry["documentType"] == "REMINDER"
    assert (entry["amount"], entry["remainingAmount"], entry["dueDate"]) == (
        "10.00",
        "10.00",
        "2026-02-15",
    )
    total, rows = await gl_sum(gql, entry["documentNo"])
    assert Decimal(total) == 0
    assert {r["glAccountNo"]: r["amount"] for r in rows}["4920"] == "-10.00"
    # level 2's grace period runs from the level-1 reminder's due date (Feb 15) + 10D
    too_early = await create(gql, postingDate="2026-02-25", documentDate="2026-02-25")
    assert [e["code"] for e in too_early["errors"]] == ["NOTHING_OVERDUE"]
    second = (await create(gql, postingDate="2026-02-26", documentDate="2026-02-26"))["reminders"]
    assert [(r["level"], r["feeAmount"]) for r in second] == [(2, "25.00")]
    assert [line["documentNo"] for line in second[0]["lines"]] == ["INV-1"]


async def test_issuing_twice_with_the_same_key_posts_once(gql: GraphQLClient) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    reminder_id = (await create(gql))["reminders"][0]["id"]
    first = await issue(gql, [reminder_id], "same-key")
    again = await issue(gql, [reminder_id], "same-key")
    assert again["replayed"] is True
    assert again["issued"] == first["issued"]
    _, rows = await gl_sum(gql, first["issued"][0]["postedEntry"]["documentNo"])
    assert len(rows) == 2
    without_key = await issue(gql, [reminder_id])
    assert [e["code"] for e in without_key["errors"]] == ["INVALID_INPUT"]


async def test_customer_with_two_currencies_gets_two_reminders_with_fees_converted(
    gql: GraphQLClient,
) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await gql.call(
        """mutation { setExchangeRate(input: {currencyCode: "USD", startingDate: "2026-01-01",
        rate: "1.25"}) { errors { code } } }"""
    )
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-E", postingDate="2026-01-10", amount="100"
    )
    await post_invoice(
        gql,
        customerNo="C1",
        documentNo="INV-U",
        postingDate="2026-01-10",
        amount="200",
        currencyCode="USD",
    )
    out = await create(gql)
    got = [(r["currencyCode"], r["feeAmount"], r["totalAmount"]) for r in out["reminders"]]
    assert got == [("", "10.00", "110.00"), ("USD", "8.00", "208.00")]
    issued = await issue(gql, [r["id"] for r in out["reminders"]], "two-currencies")
    usd = issued["issued"][1]["postedEntry"]
    assert (usd["currencyCode"], usd["amount"], usd["amountLcy"]) == ("USD", "8.00", "10.00")


async def test_cancel_posts_the_fee_back_and_lowers_the_level(gql: GraphQLClient) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    reminder_id = (await create(gql))["reminders"][0]["id"]
    fee_entry = (await issue(gql, [reminder_id]))["issued"][0]["postedEntry"]
    document_no = fee_entry["documentNo"]
    data = await gql.call(CANCEL, {"i": {"id": reminder_id, "postingDate": "2026-02-03"}})
    out = data["cancelIssuedReminder"]
    assert out["errors"] == []
    assert out["reminder"]["status"] == "CANCELED"
    assert out["cancelEntry"] == {
        "documentType": "REMINDER",
        "amount": "-10.00",
        "open": False,
        "postingDate": "2026-02-03",
    }
    assert (await entry(gql, int(fee_entry["entryNo"])))["open"] is False
    total, rows = await gl_sum(gql, document_no)
    assert Decimal(total) == 0
    assert sum(Decimal(r["amount"]) for r in rows if r["glAccountNo"] == "4920") == 0
    again = (await create(gql, postingDate="2026-02-26", documentDate="2026-02-26"))["reminders"]
    assert [r["level"] for r in again] == [1]
    twice = await gql.call(CANCEL, {"i": {"id": reminder_id}})
    assert [e["code"] for e in twice["cancelIssuedReminder"]["errors"]] == ["INVALID_INPUT"]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        pytest.param({"customerNos": ["C1", "NOPE"]}, "UNKNOWN_CUSTOMER", None, id="unknown-cust"),
        pytest.param({"customerNos": ["C1", "C2"]}, "INVALID_TERMS", None, id="customer-no-terms"),
        pytest.param(
            {"overdueAsOf": "2026-02-02"},
            "DATES_OUT_OF_ORDER",
            ["input", "documentDate"],
            id="dates",
        ),
        pytest.param({"customerNos": []}, "INVALID_INPUT", ["input", "customerNos"], id="none"),
    ],
)
async def test_bad_create_input_returns_typed_error_and_stores_nothing(
    gql: GraphQLClient,
    db_url: str,
    fields: dict[str, Any],
    code: str,
    field: list[str] | None,
) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await setup_customer(gql, "C2")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    out = await create(gql, **fields)
    assert [e["code"] for e in out["errors"]] == [code]
    if field is not None:
        assert out["errors"][0]["field"] == field
    assert out["reminders"] == []
    assert await count(db_url, "reminders") == 0


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        pytest.param({"levels": []}, "INVALID_TERMS", ["input", "levels"], id="no-levels"),
        pytest.param(
            {"levels": [{"no": 2}]}, "INVALID_TERMS", ["input", "levels"], id="levels-not-1-n"
        ),
        pytest.param(
            {"levels": [{"no": 1, "gracePeriod": "1 M"}]},
            "INVALID_DATE_FORMULA",
            ["input", "levels", "0", "gracePeriod"],
            id="bad-formula",
        ),
        pytest.param(
            {"levels": [{"no": 1, "pctOfRemaining": "101"}]},
            "INVALID_AMOUNT",
            ["input", "levels", "0", "pctOfRemaining"],
            id="pct-over-100",
        ),
    ],
)
async def test_invalid_reminder_terms_are_refused(
    gql: GraphQLClient, db_url: str, payload: dict[str, Any], code: str, field: list[str]
) -> None:
    data = await gql.call(UPSERT_TERMS, {"i": {"code": "BAD", **payload}})
    out = data["upsertReminderTerms"]
    assert out["terms"] is None
    assert [(e["code"], e["field"]) for e in out["errors"]] == [(code, field)]
    assert await count(db_url, "reminder_terms") == 0


async def test_issued_reminder_lines_cannot_be_deleted(gql: GraphQLClient, db_url: str) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    await issue(gql, [(await create(gql))["reminders"][0]["id"]])
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        with pytest.raises(asyncpg.PostgresError):
            await conn.execute("DELETE FROM issued_reminder_lines")
    finally:
        await conn.close()


async def test_an_out_of_date_proposal_cannot_raise_the_same_level_twice(
    gql: GraphQLClient,
) -> None:
    await terms(gql, TWO_LEVELS)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    first = (await create(gql))["reminders"][0]["id"]
    second = (await create(gql))["reminders"][0]["id"]
    assert (await issue(gql, [first]))["errors"] == []
    stale = await issue(gql, [second])
    assert [(e["code"], e["field"]) for e in stale["errors"]] == [
        ("INVALID_INPUT", ["input", "reminderIds", "0"])
    ]
    assert stale["issued"] == []


async def test_queries_list_reminders_by_status_and_read_terms(gql: GraphQLClient) -> None:
    await terms(gql, TWO_LEVELS, maxReminders=3)
    await setup_customer(gql, "C1", reminderTermsCode="STD")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-01-10", amount="80"
    )
    issued_id = (await create(gql))["reminders"][0]["id"]
    proposed_id = (await create(gql))["reminders"][0]["id"]
    await issue(gql, [issued_id])
    data = await gql.call(
        """query ($id: Int!) {
        issued: reminders(customerNo: "C1", status: "ISSUED") { id documentNo }
        all: reminders { id status } one: reminder(id: $id) { status lines { documentNo } }
        reminderTerms(code: "std") { code }
        terms: reminderTerms(code: "STD") { maxReminders levels { no gracePeriod } } }""",
        {"id": proposed_id},
    )
    assert data["issued"] == [{"id": issued_id, "documentNo": f"REM{issued_id:06d}"}]
    assert data["all"] == [
        {"id": proposed_id, "status": "PROPOSED"},
        {"id": issued_id, "status": "ISSUED"},
    ]
    assert data["one"] == {"status": "PROPOSED", "lines": [{"documentNo": "INV-1"}]}
    assert data["reminderTerms"] is None
    assert data["terms"] == {
        "maxReminders": 3,
        "levels": [{"no": 1, "gracePeriod": "5D"}, {"no": 2, "gracePeriod": "10D"}],
    }
