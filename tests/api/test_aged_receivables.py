"""agedReceivables / agedPayables through the real server: buckets for a known ledger, as-of
dates, aging bases, filters, pagination and bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.api.report_helpers import AGED, aged, known_ledger, known_payables, rows


@pytest.fixture
async def ledger(gql: GraphQLClient) -> GraphQLClient:
    await known_ledger(gql)
    return gql


def amounts(row: dict[str, Any]) -> tuple[str, list[str], str, str]:
    return row["notDue"], [b["amount"] for b in row["buckets"]], row["total"], row["totalLcy"]


async def test_buckets_for_a_known_ledger_by_due_date_in_30_day_buckets(
    ledger: GraphQLClient,
) -> None:
    page = await aged(ledger)
    got = rows(page)
    assert [(r["customerNo"], r["currencyCode"]) for r in got] == [
        ("C1", ""),
        ("C1", "USD"),
        ("C2", ""),
    ]
    assert amounts(got[0]) == (
        "300.00",
        ["500.00", "0.00", "-50.00", "800.00"],
        "1550.00",
        "1550.00",
    )
    assert amounts(got[1]) == ("0.00", ["100.00", "0.00", "0.00", "0.00"], "100.00", "90.00")
    assert amounts(got[2]) == ("0.00", ["0.00", "250.00", "0.00", "0.00"], "250.00", "250.00")
    assert got[0]["buckets"] == [
        {"label": "1-30 days", "from": "2026-03-02", "to": "2026-03-31", "amount": "500.00"},
        {"label": "31-60 days", "from": "2026-01-31", "to": "2026-03-01", "amount": "0.00"},
        {"label": "61-90 days", "from": "2026-01-01", "to": "2026-01-30", "amount": "-50.00"},
        {"label": "Over 90 days", "from": None, "to": "2025-12-31", "amount": "800.00"},
    ]
    assert (got[0]["partyNo"], got[0]["name"]) == ("C1", "Customer C1")
    assert page["pageInfo"]["hasNextPage"] is False


async def test_an_earlier_as_of_date_ages_what_was_open_then(ledger: GraphQLClient) -> None:
    before_payment = rows(await aged(ledger, asOf="2026-03-24"))
    assert [(r["customerNo"], r["currencyCode"]) for r in before_payment] == [
        ("C1", ""),
        ("C1", "USD"),
        ("C2", ""),
    ]
    assert amounts(before_payment[0]) == (
        "300.00",
        ["500.00", "0.00", "950.00", "0.00"],
        "1750.00",
        "1750.00",
    )
    assert amounts(before_payment[1])[0] == "100.00"  # due on 2026-03-31: not due yet
    year_end = rows(await aged(ledger, asOf="2025-12-31"))
    assert [(r["customerNo"], amounts(r)) for r in year_end] == [
        ("C1", ("0.00", ["1000.00", "0.00", "0.00", "0.00"], "1000.00", "1000.00"))
    ]


async def test_c4_shows_while_its_invoice_was_open(ledger: GraphQLClient) -> None:
    got = rows(await aged(ledger, asOf="2026-01-31", nos=["C4"]))
    assert [(r["customerNo"], r["notDue"], r["total"]) for r in got] == [("C4", "70.00", "70.00")]
    assert rows(await aged(ledger, asOf="2026-02-01", nos=["C4"])) == []


async def test_by_posting_date_there_are_four_periods_and_nothing_not_due(
    ledger: GraphQLClient,
) -> None:
    got = rows(await aged(ledger, by="POSTING_DATE", nos=["C1"], cur=""))
    assert [b["label"] for b in got[0]["buckets"]] == [
        "1-30 days",
        "31-60 days",
        "61-90 days",
        "91-120 days",
        "Over 120 days",
    ]
    assert amounts(got[0]) == (
        "0.00",
        ["300.00", "500.00", "-50.00", "0.00", "800.00"],
        "1550.00",
        "1550.00",
    )


async def test_by_document_date_an_entry_ages_from_its_document_date(gql: GraphQLClient) -> None:
    await setup_customer(gql, "D1")
    out = await post_invoice(
        gql,
        customerNo="D1",
        documentNo="INV-D",
        postingDate="2026-03-31",
        documentDate="2026-02-15",
        amount="40.00",
    )
    assert out["errors"] == [], out
    by_document = rows(await aged(gql, by="DOCUMENT_DATE"))
    by_posting = rows(await aged(gql, by="POSTING_DATE"))
    assert [b["amount"] for b in by_document[0]["buckets"]][:2] == ["0.00", "40.00"]
    assert [b["amount"] for b in by_posting[0]["buckets"]][:2] == ["40.00", "0.00"]


async def test_a_list_of_periods_gives_one_bucket_each_then_the_oldest(
    ledger: GraphQLClient,
) -> None:
    got = rows(await aged(ledger, periods=["15D", "1M"], nos=["C1"], cur=""))
    assert [(b["label"], b["from"], b["to"], b["amount"]) for b in got[0]["buckets"]] == [
        ("1-15 days", "2026-03-17", "2026-03-31", "500.00"),
        ("16-43 days", "2026-02-17", "2026-03-16", "0.00"),
        ("Over 43 days", None, "2026-02-16", "750.00"),
    ]


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        pytest.param("USD", [("C1", "USD")], id="foreign"),
        pytest.param("", [("C1", ""), ("C2", "")], id="blank_is_lcy"),
        pytest.param("EUR", [("C1", ""), ("C2", "")], id="lcy_by_its_code"),
        pytest.param("GBP", [], id="none_in_it"),
    ],
)
async def test_currency_filter(
    ledger: GraphQLClient, currency: str, expected: list[tuple[str, str]]
) -> None:
    got = rows(await aged(ledger, cur=currency))
    assert [(r["customerNo"], r["currencyCode"]) for r in got] == expected


async def test_customer_filter(ledger: GraphQLClient) -> None:
    got = rows(await aged(ledger, nos=["C2", "C3"]))
    assert [(r["customerNo"], r["total"]) for r in got] == [("C2", "250.00")]


async def test_pages_follow_customer_then_currency(ledger: GraphQLClient) -> None:
    seen: list[tuple[str, str]] = []
    after = None
    for _ in range(5):
        page = await aged(ledger, first=1, after=after)
        seen += [(r["customerNo"], r["currencyCode"]) for r in rows(page)]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [("C1", ""), ("C1", "USD"), ("C2", "")]
    two = await aged(ledger, first=2)
    rest = await aged(ledger, first=2, after=two["pageInfo"]["endCursor"])
    assert [r["currencyCode"] for r in rows(two)] == ["", "USD"]
    assert [r["customerNo"] for r in rows(rest)] == ["C2"]
    assert two["edges"][-1]["cursor"] == two["pageInfo"]["endCursor"]


async def test_totals_equal_the_as_of_open_entries_and_balances(ledger: GraphQLClient) -> None:
    for as_of in ("2025-12-31", "2026-01-31", "2026-03-24", "2026-03-31"):
        got = {
            (r["customerNo"], r["currencyCode"]): r for r in rows(await aged(ledger, asOf=as_of))
        }
        for no in ("C1", "C2", "C3", "C4"):
            data = await ledger.call(
                """query ($c: String!, $d: Date!) { openEntries(customerNo: $c, asOf: $d,
                first: 500) { edges { node { currencyCode remainingAmount remainingAmountLcy } } }
                customer(no: $c) { balances(asOf: $d) { currencyCode amount amountLcy } } }""",
                {"c": no, "d": as_of},
            )
            open_sum: dict[str, Decimal] = {}
            for edge in data["openEntries"]["edges"]:
                code = edge["node"]["currencyCode"]
                open_sum[code] = open_sum.get(code, Decimal(0)) + Decimal(
                    edge["node"]["remainingAmount"]
                )
            mine = {c: Decimal(r["total"]) for (n, c), r in got.items() if n == no}
            assert mine == open_sum, (as_of, no)
            balances = {
                b["currencyCode"]: Decimal(b["amount"]) for b in data["customer"]["balances"]
            }
            assert {c: a for c, a in balances.items() if a != 0} == {
                c: a for c, a in mine.items() if a != 0
            }


async def test_aged_payables_keep_the_vendor_sign(gql: GraphQLClient) -> None:
    await known_payables(gql)
    data = await gql.call(
        """{ agedPayables(asOf: "2026-03-31", vendorNos: ["V1"]) { edges { node {
        vendorNo partyNo name currencyCode notDue buckets { label amount } total totalLcy } }
        csvUrl pdfUrl } }"""
    )
    (row,) = [e["node"] for e in data["agedPayables"]["edges"]]
    assert (row["vendorNo"], row["name"], row["currencyCode"]) == ("V1", "Supplier One", "")
    assert [b["amount"] for b in row["buckets"]] == ["-120.00", "0.00", "0.00", "-60.00"]
    assert (row["notDue"], row["total"], row["totalLcy"]) == ("0.00", "-180.00", "-180.00")
    assert data["agedPayables"]["csvUrl"].startswith("/reports/aged-payables.csv?")
    assert "vendorNos=V1" in data["agedPayables"]["csvUrl"]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        pytest.param(
            {"nos": ["C1", "NOPE"]}, "UNKNOWN_CUSTOMER", ["customerNos", "1"], id="unknown"
        ),
        pytest.param({"periods": ["30X"]}, "INVALID_DATE_FORMULA", ["periods", "0"], id="formula"),
        pytest.param({"periods": ["1M", "0D"]}, "INVALID_DATE_FORMULA", ["periods", "1"], id="0d"),
        pytest.param({"periods": []}, "INVALID_INPUT", ["periods"], id="no_periods"),
    ],
)
async def test_bad_arguments_are_typed_errors(
    ledger: GraphQLClient, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    body = await ledger.execute(AGED, {"asOf": "2026-03-31", **variables})
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "errorCode": code, "field": field}
    assert body["data"] is None


async def test_a_bad_cursor_or_page_size_is_refused(ledger: GraphQLClient) -> None:
    for variables in ({"after": "not-a-cursor"}, {"first": 501}):
        body = await ledger.execute(AGED, {"asOf": "2026-03-31", **variables})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_unknown_vendor_is_a_typed_error(gql: GraphQLClient) -> None:
    body = await gql.execute('{ agedPayables(vendorNos: ["V9"]) { edges { cursor } } }')
    assert body["errors"][0]["extensions"]["errorCode"] == "UNKNOWN_VENDOR"
    assert body["errors"][0]["extensions"]["field"] == ["vendorNos", "0"]
