"""Item lines, shipments and item charges assigned to shipped cost, through the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import setup_customer

ITEM = """mutation ($i: UpsertItemInput!) { upsertItem(input: $i) { item { no unitCost }
  errors { code message } } }"""
CHARGE = """mutation ($i: UpsertItemChargeCodeInput!) { upsertItemChargeCode(input: $i) {
  itemChargeCode { code glAccountNo } errors { code message } } }"""
INVOICE = """mutation ($i: PostSalesDocumentInput!) { postSalesInvoice(input: $i) {
  entry { amount } shipmentLines { id itemNo quantity costAmount unitCost }
  errors { code message field } } }"""
ASSIGN = """mutation ($i: PostItemChargeAssignmentInput!) { postItemChargeAssignment(input: $i) {
  valueEntries { itemChargeCode costAmount } errors { code message field } } }"""
LINE = "query ($id: Int!) { shipmentLine(id: $id) { quantity costAmount unitCost } }"


async def _ship(
    gql: GraphQLClient, customer: str, doc: str, lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    out = await gql.call(
        INVOICE,
        {
            "i": {
                "customerNo": customer,
                "documentNo": doc,
                "postingDate": "2026-03-17",
                "lines": lines,
            }
        },
    )
    assert out["postSalesInvoice"]["errors"] == [], out
    return list(out["postSalesInvoice"]["shipmentLines"])


@pytest.fixture
async def shop(gql: GraphQLClient) -> GraphQLClient:
    await setup_customer(gql, "C1")
    await setup_customer(gql, "C2")
    for item in (
        {
            "no": "WIDGET",
            "unitPrice": "25.00",
            "unitCost": "10.00",
            "grossWeight": "2",
            "unitVolume": "0.5",
        },
        {
            "no": "GADGET",
            "unitPrice": "40.00",
            "unitCost": "30.00",
            "grossWeight": "0",
            "unitVolume": "1",
        },
    ):
        assert (await gql.call(ITEM, {"i": item}))["upsertItem"]["errors"] == []
    for code, account in (("FREIGHT", "5100"), ("DUTY", "5110")):
        await gql.call(CHARGE, {"i": {"code": code, "glAccountNo": account}})
    return gql


async def test_bc_example_freight_and_duty_raise_unit_cost_from_10_to_13(
    shop: GraphQLClient,
) -> None:
    [line] = await _ship(
        shop,
        "C1",
        "INV-1",
        [{"type": "ITEM", "itemNo": "WIDGET", "quantity": "100", "unitPrice": "25.00"}],
    )
    assert line["unitCost"] == "10.00000"
    for code, amount in (("FREIGHT", "200.00"), ("DUTY", "100.00")):
        out = await shop.call(
            ASSIGN,
            {
                "i": {
                    "chargeCode": code,
                    "chargeAmount": amount,
                    "postingDate": "2026-03-20",
                    "method": "EQUALLY",
                    "shipmentLineIds": [line["id"]],
                }
            },
        )
        assert out["postItemChargeAssignment"]["errors"] == []
    data = await shop.call(LINE, {"id": line["id"]})
    assert data["shipmentLine"] == {
        "quantity": "100",
        "costAmount": "1300.00",
        "unitCost": "13.00000",
    }


async def test_by_amount_assignment_puts_the_rounding_remainder_on_the_last_line(
    shop: GraphQLClient,
) -> None:
    lines = await _ship(
        shop,
        "C1",
        "INV-2",
        [
            {"type": "ITEM", "itemNo": "WIDGET", "quantity": "1"},
            {"type": "ITEM", "itemNo": "WIDGET", "quantity": "1"},
            {"type": "ITEM", "itemNo": "WIDGET", "quantity": "1"},
        ],
    )
    out = await shop.call(
        ASSIGN,
        {
            "i": {
                "chargeCode": "FREIGHT",
                "chargeAmount": "100.00",
                "postingDate": "2026-03-20",
                "method": "BY_AMOUNT",
                "shipmentLineIds": [x["id"] for x in lines],
            }
        },
    )
    amounts = [v["costAmount"] for v in out["postItemChargeAssignment"]["valueEntries"]]
    assert amounts == ["33.33", "33.33", "33.34"]


async def test_invoice_with_item_lines_posts_cost_of_sales_in_balanced_gl(
    shop: GraphQLClient,
) -> None:
    await _ship(
        shop,
        "C1",
        "INV-3",
        [{"type": "ITEM", "itemNo": "GADGET", "quantity": "2", "lineDiscountPct": "10"}],
    )
    rows = (await shop.call('{ glEntries(documentNo: "INV-3") { glAccountNo amount } }'))[
        "glEntries"
    ]
    by_account = {r["glAccountNo"]: r["amount"] for r in rows}
    assert by_account == {"1200": "72.00", "4000": "-72.00", "5000": "60.00", "1300": "-60.00"}


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("other_customers", "INVALID_ASSIGNMENT"),
        ("unposted", "INVALID_ASSIGNMENT"),
        ("zero_weight", "INVALID_ASSIGNMENT"),
        ("manual_sum", "INVALID_ASSIGNMENT"),
        ("unknown_charge", "NOT_FOUND"),
    ],
)
async def test_bad_assignments_are_typed_errors_and_post_nothing(
    shop: GraphQLClient, case: str, code: str
) -> None:
    [a] = await _ship(shop, "C1", "INV-A", [{"type": "ITEM", "itemNo": "GADGET", "quantity": "1"}])
    [b] = await _ship(shop, "C2", "INV-B", [{"type": "ITEM", "itemNo": "GADGET", "quantity": "1"}])
    base: dict[str, Any] = {
        "chargeCode": "FREIGHT",
        "chargeAmount": "10.00",
        "postingDate": "2026-03-20",
        "method": "EQUALLY",
        "shipmentLineIds": [a["id"]],
    }
    variants: dict[str, dict[str, Any]] = {
        "other_customers": {"shipmentLineIds": [a["id"], b["id"]]},
        "unposted": {"shipmentLineIds": [a["id"], 999999]},
        "zero_weight": {"method": "BY_WEIGHT"},
        "manual_sum": {"method": "MANUAL", "quantities": ["0.5"]},
        "unknown_charge": {"chargeCode": "NOPE"},
    }
    out = await shop.call(ASSIGN, {"i": {**base, **variants[case]}})
    assert out["postItemChargeAssignment"]["errors"][0]["code"] == code
    line = await shop.call(LINE, {"id": a["id"]})
    assert line["shipmentLine"]["costAmount"] == "30.00"


async def test_suggest_is_a_pure_preview_summing_to_the_charge(gql: GraphQLClient) -> None:
    out = await gql.call("""mutation { suggestItemChargeAssignment(input: {chargeAmount: "10.00",
      method: BY_WEIGHT, lines: [{key: "a", quantity: "1", amount: "1", grossWeight: "1"},
      {key: "b", quantity: "2", amount: "1", grossWeight: "1"}]}) {
      assignments { key amountToAssign } errors { code } } }""")
    got = out["suggestItemChargeAssignment"]["assignments"]
    assert got == [{"key": "a", "amountToAssign": "3.33"}, {"key": "b", "amountToAssign": "6.67"}]
