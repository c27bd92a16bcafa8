"""Ledger reads through GraphQL: as-of balances, open entries, pagination, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_credit_memo, post_invoice, setup_customer


async def test_balance_as_of_follows_back_dated_postings(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    await post_invoice(
        gql, customerNo="C0001", documentNo="I2", postingDate="2026-03-10", amount="200.00"
    )
    await post_invoice(
        gql, customerNo="C0001", documentNo="I1", postingDate="2026-03-01", amount="100.00"
    )
    await post_credit_memo(
        gql, customerNo="C0001", documentNo="CM1", postingDate="2026-03-05", amount="30.00"
    )
    query = """query ($d: Date) { customer(no: "C0001") { balance(asOf: $d) balanceLcy(asOf: $d)
      balances(asOf: $d) { currencyCode amount } } }"""
    expected = {
        "2026-02-28": "0.00",
        "2026-03-01": "100.00",
        "2026-03-05": "70.00",
        "2026-03-10": "270.00",
        None: "270.00",
    }
    for as_of, balance in expected.items():
        data = await gql.call(query, {"d": as_of})
        assert data["customer"]["balance"] == balance, as_of
        assert data["customer"]["balanceLcy"] == balance, as_of


async def test_open_entries_as_of_a_date_before_a_later_posting(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    await post_invoice(
        gql, customerNo="C0001", documentNo="I1", postingDate="2026-03-01", amount="100.00"
    )
    await post_invoice(
        gql, customerNo="C0001", documentNo="I2", postingDate="2026-03-10", amount="200.00"
    )
    query = """query ($d: Date) { openEntries(customerNo: "C0001", asOf: $d) {
      edges { node { documentNo remainingAmount } } } }"""
    data = await gql.call(query, {"d": "2026-03-05"})
    assert [e["node"]["documentNo"] for e in data["openEntries"]["edges"]] == ["I1"]
    data = await gql.call(query, {"d": None})
    assert [e["node"]["documentNo"] for e in data["openEntries"]["edges"]] == ["I1", "I2"]


async def test_keyset_pagination_walks_every_entry_once(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    for i in range(7):
        await post_invoice(
            gql,
            customerNo="C0001",
            documentNo=f"I{i}",
            postingDate=f"2026-03-{10 - i:02d}",
            amount="1.00",
        )
    seen: list[str] = []
    after = None
    while True:
        data = await gql.call(
            """query ($a: String) { openEntries(customerNo: "C0001", first: 3, after: $a) {
              edges { node { documentNo } } pageInfo { hasNextPage endCursor } } }""",
            {"a": after},
        )
        conn = data["openEntries"]
        seen += [e["node"]["documentNo"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == [f"I{i}" for i in reversed(range(7))]


async def test_garbage_cursor_is_a_clear_error(gql: GraphQLClient) -> None:
    body = await gql.execute('{ customers(after: "%%%") { edges { cursor } } }')
    assert "invalid cursor" in body["errors"][0]["message"]


async def test_customers_search_and_ledger_entries_filter(gql: GraphQLClient) -> None:
    await setup_customer(gql, "C1", name="Alpha Trading")
    await setup_customer(gql, "C2", name="Beta Works")
    await post_invoice(
        gql, customerNo="C2", documentNo="X1", postingDate="2026-03-01", amount="5.00"
    )
    data = await gql.call('{ customers(search: "beta") { edges { node { no name } } } }')
    assert [e["node"]["no"] for e in data["customers"]["edges"]] == ["C2"]
    data = await gql.call(
        '{ customerLedgerEntries(customerNo: "C2", open: true) '
        "{ edges { node { documentNo open } } } }"
    )
    assert data["customerLedgerEntries"]["edges"][0]["node"] == {"documentNo": "X1", "open": True}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("CM", "2026-03-31"),
        ("-CM", "2026-03-01"),
        ("-1M-CM", "2026-02-01"),
        ("1M+CM", "2026-04-30"),
        ("1W", "2026-03-24"),
        ("14D", "2026-03-31"),
    ],
)
async def test_calc_date_examples_from_the_spec(
    gql: GraphQLClient, formula: str, expected: str
) -> None:
    data = await gql.call(
        'query ($f: String!) { calcDate(formula: $f, date: "2026-03-17") }', {"f": formula}
    )
    assert data["calcDate"] == expected


async def test_invalid_formula_is_a_coded_error(gql: GraphQLClient) -> None:
    body = await gql.execute('{ calcDate(formula: "1X", date: "2026-03-17") }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["errorCode"] == "INVALID_DATE_FORMULA"
    assert "position" in body["errors"][0]["message"]


async def test_a_page_of_customers_with_balances_and_entries_costs_constant_queries(
    gql: GraphQLClient,
) -> None:
    for c in range(12):
        await setup_customer(gql, f"C{c:03d}")
        for i in range(3):
            await post_invoice(
                gql,
                customerNo=f"C{c:03d}",
                documentNo=f"I{i}",
                postingDate="2026-03-01",
                amount="10.00",
            )
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    query = """query ($n: Int) { customers(first: $n) { edges { node { no balance balanceLcy
      bankAccounts { iban } openEntries(first: 5) { documentNo detailedEntries { amount } }
    } } } }"""
    event.listen(Engine, "before_cursor_execute", count)
    try:
        await gql.call(query, {"n": 3})
        small = len(statements)
        statements.clear()
        await gql.call(query, {"n": 12})
        large = len(statements)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert small == large, (small, large)
    assert large <= 8
