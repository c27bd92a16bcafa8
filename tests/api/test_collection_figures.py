"""daysSalesOutstanding and averageDaysToPay through the real server, on the known ledger."""

from __future__ import annotations

import pytest

from tests.api.conftest import GraphQLClient
from tests.api.report_helpers import known_ledger

DSO = """query ($f: Date!, $t: Date!) { daysSalesOutstanding(from: $f, to: $t) {
  from to days receivablesLcy salesLcy dso } }"""
DAYS = """query ($f: Date!, $t: Date!, $nos: [String!], $first: Int, $after: String) {
  averageDaysToPay(from: $f, to: $t, customerNos: $nos, first: $first, after: $after) {
    edges { node { customerNo name invoiceCount averageDays } }
    pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture
async def ledger(gql: GraphQLClient) -> GraphQLClient:
    await known_ledger(gql)
    return gql


async def test_dso_is_receivables_at_the_end_over_the_period_s_net_sales(
    ledger: GraphQLClient,
) -> None:
    got = (await ledger.call(DSO, {"f": "2026-01-01", "t": "2026-03-31"}))["daysSalesOutstanding"]
    # receivables on Mar 31: C1 1550.00 + 90.00 (USD 100 at 0.9) + C2 250.00 = 1890.00 LCY;
    # sales Q1: INV-2..6 = 500 + 300 + 90 + 250 + 70, less CM-1 50 = 1160.00; 90 days
    assert got == {
        "from": "2026-01-01",
        "to": "2026-03-31",
        "days": 90,
        "receivablesLcy": "1890.00",
        "salesLcy": "1160.00",
        "dso": "146.6",
    }


async def test_dso_without_sales_is_null(ledger: GraphQLClient) -> None:
    got = (await ledger.call(DSO, {"f": "2025-06-01", "t": "2025-06-30"}))["daysSalesOutstanding"]
    assert (got["salesLcy"], got["dso"]) == ("0", None)


async def test_a_period_ending_before_it_starts_is_refused(ledger: GraphQLClient) -> None:
    for query in (DSO, DAYS):
        body = await ledger.execute(query, {"f": "2026-03-31", "t": "2026-01-01"})
        assert body["errors"][0]["extensions"]["errorCode"] == "DATES_OUT_OF_ORDER"


async def test_average_days_to_pay_counts_closed_invoices_posted_in_the_period(
    ledger: GraphQLClient,
) -> None:
    data = await ledger.call(DAYS, {"f": "2025-12-01", "t": "2026-03-31"})
    got = [e["node"] for e in data["averageDaysToPay"]["edges"]]
    # C4's INV-6 posted Jan 5 was closed by the payment of Feb 1: 27 days; C1's INV-1 is
    # still partly open, C2's invoice open, C3 has none
    assert got == [
        {"customerNo": "C1", "name": "Customer C1", "invoiceCount": 0, "averageDays": None},
        {"customerNo": "C2", "name": "Customer C2", "invoiceCount": 0, "averageDays": None},
        {"customerNo": "C3", "name": "Customer C3", "invoiceCount": 0, "averageDays": None},
        {"customerNo": "C4", "name": "Customer C4", "invoiceCount": 1, "averageDays": "27.0"},
    ]
    outside = await ledger.call(DAYS, {"f": "2026-02-01", "t": "2026-03-31", "nos": ["C4"]})
    assert outside["averageDaysToPay"]["edges"][0]["node"]["invoiceCount"] == 0


async def test_average_days_to_pay_pages_and_filters(ledger: GraphQLClient) -> None:
    first = await ledger.call(DAYS, {"f": "2025-12-01", "t": "2026-03-31", "first": 3})
    assert [e["node"]["customerNo"] for e in first["averageDaysToPay"]["edges"]] == [
        "C1",
        "C2",
        "C3",
    ]
    after = first["averageDaysToPay"]["pageInfo"]["endCursor"]
    rest = await ledger.call(DAYS, {"f": "2025-12-01", "t": "2026-03-31", "after": after})
    assert [e["node"]["customerNo"] for e in rest["averageDaysToPay"]["edges"]] == ["C4"]
    body = await ledger.execute(DAYS, {"f": "2026-01-01", "t": "2026-03-31", "nos": ["X"]})
    assert body["errors"][0]["extensions"]["errorCode"] == "UNKNOWN_CUSTOMER"
