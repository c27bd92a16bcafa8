"""Purchase item lines (receipt lines at cost) and purchase item charges assigned to them,
through the API; the split is the sales side's, the ledger is checked after every posting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.conftest import GraphQLClient
from tests.conftest import _asyncpg_dsn

VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) { errors { code } } }"""
ITEM = """mutation ($i: UpsertItemInput!) { upsertItem(input: $i) { errors { code message } } }"""
CHARGE = """mutation ($i: UpsertItemChargeCodeInput!) { upsertItemChargeCode(input: $i) {
  errors { code message } } }"""
RECEIPT_FIELDS = """id lineNo itemNo quantity directUnitCost lineAmount lineAmountLcy
  costAmount unitCost"""
INVOICE = f"""mutation ($i: PostPurchaseDocumentInput!) {{ postPurchaseInvoice(input: $i) {{
  replayed entry {{ amount }} receiptLines {{ {RECEIPT_FIELDS} }}
  errors {{ code message field }} }} }}"""
CREDIT = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseCreditMemo(input: $i) {
  entry { amount } errors { code message field } } }"""
ASSIGN = """mutation ($i: PostPurchaseItemChargeAssignmentInput!) {
  postPurchaseItemChargeAssignment(input: $i) {
  valueEntries { entryNo entryType itemChargeCode costAmount } errors { code message field } } }"""
LINE = f"""query ($id: Int!) {{ receiptLine(id: $id) {{ {RECEIPT_FIELDS}
  valueEntries {{ entryType itemChargeCode quantity costAmount }} }} }}"""


@pytest.fixture
async def ledger(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        yield conn
    finally:
        await conn.close()


async def _counts(conn: asyncpg.Connection) -> dict[str, Any]:
    """What a refused posting must leave as it was; also the whole G/L's balance."""
    counts: dict[str, Any] = {
        t: await conn.fetchval(f"SELECT count(*) FROM {t}")  # noqa: S608 - fixed names
        for t in ("vendor_ledger_entries", "receipt_lines", "value_entries", "gl_entries")
    }
    counts["gl_total"] = await conn.fetchval("SELECT coalesce(sum(amount), 0) FROM gl_entries")
    return counts


async def _balanced(conn: asyncpg.Connection) -> None:
    assert await conn.fetchval("SELECT coalesce(sum(amount), 0) FROM gl_entries") == 0
    unbalanced = await conn.fetchval(
        "SELECT count(*) FROM (SELECT transaction_no FROM gl_entries GROUP BY transaction_no "
        "HAVING sum(amount) <> 0) t"
    )
    assert unbalanced == 0


async def _gl(gql: GraphQLClient, document_no: str) -> dict[str, Decimal]:
    rows = (
        await gql.call(
            "query ($d: String!) { glEntries(documentNo: $d) { glAccountNo amount } }",
            {"d": document_no},
        )
    )["glEntries"]
    by_account: dict[str, Decimal] = {}
    for r in rows:
        by_account[r["glAccountNo"]] = by_account.get(r["glAccountNo"], Decimal(0)) + Decimal(
            r["amount"]
        )
    assert sum(by_account.values()) == 0
    return by_account


async def _invoice(
    gql: GraphQLClient, vendor: str, doc: str, lines: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    out = await gql.call(
        INVOICE,
        {
            "i": {
                "vendorNo": vendor,
                "documentNo": doc,
                "vendorInvoiceNo": f"S-{doc}",
                "postingDate": "2026-03-10",
                "lines": lines,
                **extra,
            }
        },
    )
    return dict(out["postPurchaseInvoice"])


def _item(no: str, qty: str, cost: str | None = None, **extra: Any) -> dict[str, Any]:
    line = {"type": "ITEM", "itemNo": no, "quantity": qty, **extra}
    if cost is not None:
        line["directUnitCost"] = cost
    return line


@pytest.fixture
async def shop(gql: GraphQLClient) -> GraphQLClient:
    for no, name in (("V1", "Goods supplier"), ("V2", "Carrier")):
        assert (await gql.call(VENDOR, {"i": {"no": no, "name": name}}))["upsertVendor"][
            "errors"
        ] == []
    for item in (
        {"no": "WIDGET", "unitCost": "10.00", "grossWeight": "2", "unitVolume": "0.5"},
        {"no": "GADGET", "unitCost": "20.00", "grossWeight": "0", "unitVolume": "1"},
    ):
        assert (await gql.call(ITEM, {"i": item}))["upsertItem"]["errors"] == []
    for code, account in (("FREIGHT", "5100"), ("DUTY", "5110")):
        out = await gql.call(CHARGE, {"i": {"code": code, "glAccountNo": account}})
        assert out["upsertItemChargeCode"]["errors"] == []
    return gql


async def _three_receipts(gql: GraphQLClient) -> list[dict[str, Any]]:
    """BC-style receipts: 10 × 10.00 = 100, 20 × 10.00 = 200, 5 × 20.00 = 100."""
    out = await _invoice(
        gql,
        "V1",
        "PI-GOODS",
        [_item("WIDGET", "10", "10.00"), _item("WIDGET", "20"), _item("GADGET", "5")],
    )
    assert out["errors"] == [], out
    return list(out["receiptLines"])


async def test_item_lines_post_receipt_lines_value_entries_and_inventory_against_payables(
    shop: GraphQLClient, ledger: asyncpg.Connection
) -> None:
    out = await _invoice(
        shop,
        "V1",
        "PI-1",
        [
            _item("WIDGET", "10", "10.00", vatPct="20"),
            _item("GADGET", "4", "50.00", vatPct="20", lineDiscountPct="10"),
            {"amount": "30.00", "description": "Packing"},
        ],
    )
    assert out["errors"] == [], out
    assert out["entry"]["amount"] == "-366.00"  # 100 + 180 + 56 VAT + 30
    first, second = out["receiptLines"]
    assert {
        k: first[k] for k in ("lineNo", "quantity", "lineAmount", "costAmount", "unitCost")
    } == {
        "lineNo": 1,
        "quantity": "10",
        "lineAmount": "100.00",
        "costAmount": "100.00",
        "unitCost": "10.00000",
    }
    assert (second["lineNo"], second["lineAmount"], second["unitCost"]) == (2, "180.00", "45.00000")
    assert await _gl(shop, "PI-1") == {
        "2100": Decimal("-366.00"),
        "1300": Decimal("280.00"),
        "1500": Decimal("56.00"),
        "6000": Decimal("30.00"),
    }
    line = (await shop.call(LINE, {"id": first["id"]}))["receiptLine"]
    assert line["valueEntries"] == [
        {"entryType": "PURCHASE", "itemChargeCode": None, "quantity": "10", "costAmount": "100.00"}
    ]
    await _balanced(ledger)


async def test_bc_example_freight_and_duty_on_the_same_invoice_raise_unit_cost_from_10_to_13(
    shop: GraphQLClient, ledger: asyncpg.Connection
) -> None:
    out = await _invoice(
        shop,
        "V1",
        "PI-13",
        [
            _item("WIDGET", "100", "10.00"),
            {
                "type": "CHARGE_ITEM",
                "itemChargeCode": "FREIGHT",
                "amount": "200.00",
                "assignment": {"method": "EQUALLY", "lineNos": [1]},
            },
            {
                "type": "CHARGE_ITEM",
                "itemChargeCode": "DUTY",
                "amount": "100.00",
                "assignment": {"method": "EQUALLY", "lineNos": [1]},
            },
        ],
    )
    assert out["errors"] == [], out
    [line] = out["receiptLines"]
    assert (line["costAmount"], line["unitCost"]) == ("1300.00", "13.00000")
    # the charges passed through their accounts into inventory
    assert await _gl(shop, "PI-13") == {
        "2100": Decimal("-1300.00"),
        "1300": Decimal("1300.00"),
        "5100": Decimal("0.00"),
        "5110": Decimal("0.00"),
    }
    await _balanced(ledger)


async def test_carrier_freight_by_amount_over_another_vendors_receipts_to_the_cent(
    shop: GraphQLClient, ledger: asyncpg.Connection
) -> None:
    receipts = await _three_receipts(shop)
    out = await _invoice(
        shop,
        "V2",
        "PI-FREIGHT",
        [
            {
                "type": "CHARGE_ITEM",
                "itemChargeCode": "FREIGHT",
                "amount": "100.00",
                "vatPct": "20",
                "assignment": {
                    "method": "BY_AMOUNT",
                    "receiptLineIds": [r["id"] for r in receipts],
                },
            }
        ],
    )
    assert out["errors"] == [], out
    assert out["entry"]["amount"] == "-120.00"
    lines = [(await shop.call(LINE, {"id": r["id"]}))["receiptLine"] for r in receipts]
    assert [x["costAmount"] for x in lines] == ["125.00", "250.00", "125.00"]
    assert [x["unitCost"] for x in lines] == ["12.50000", "12.50000", "25.00000"]
    assert lines[0]["valueEntries"][-1] == {
        "entryType": "ITEM_CHARGE",
        "itemChargeCode": "FREIGHT",
        "quantity": "0",
        "costAmount": "25.00",
    }
    assert await _gl(shop, "PI-FREIGHT") == {
        "2100": Decimal("-120.00"),
        "1500": Decimal("20.00"),
        "1300": Decimal("100.00"),
        "5100": Decimal("0.00"),
    }
    await _balanced(ledger)


async def test_foreign_currency_receipt_and_charge_cost_the_lcy_of_their_gl_lines(
    shop: GraphQLClient, ledger: asyncpg.Connection
) -> None:
    await shop.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await shop.call(
        """mutation { setExchangeRate(input: {currencyCode: "USD", startingDate: "2026-01-01",
        rate: "0.915"}) { errors { code } } }"""
    )
    out = await _invoice(
        shop,
        "V1",
        "PI-USD",
        [
            _item("WIDGET", "3", "11.11"),
            {
                "type": "CHARGE_ITEM",
                "itemChargeCode": "FREIGHT",
                "amount": "10.01",
                "assignment": {"method": "BY_AMOUNT", "lineNos": [1]},
            },
        ],
        currencyCode="USD",
    )
    assert out["errors"] == [], out
    assert out["entry"]["amount"] == "-43.34"
    [line] = out["receiptLines"]
    # 33.33 USD × 0.915 = 30.49695 → 30.50; 10.01 × 0.915 = 9.15915 → 9.16
    assert (line["lineAmount"], line["lineAmountLcy"], line["costAmount"]) == (
        "33.33",
        "30.50",
        "39.66",
    )
    assert await _gl(shop, "PI-USD") == {
        "2100": Decimal("-39.66"),
        "1300": Decimal("39.66"),
        "5100": Decimal("0.00"),
    }
    await _balanced(ledger)


@pytest.mark.parametrize(
    ("method", "amount", "quantities", "expected"),
    [
        ("EQUALLY", "100.00", None, ["33.33", "33.33", "33.34"]),
        ("BY_AMOUNT", "100.00", None, ["25.00", "50.00", "25.00"]),
        ("BY_AMOUNT", "0.10", None, ["0.03", "0.05", "0.02"]),
        ("BY_WEIGHT", "100.00", None, ["33.33", "66.67", "0.00"]),
        ("BY_VOLUME", "100.01", None, ["25.00", "50.01", "25.00"]),
        ("MANUAL", "100.00", ["0.5", "0.3", "0.2"], ["50.00", "30.00", "20.00"]),
    ],
)
async def test_each_method_splits_a_posted_charge_exactly_and_moves_it_to_inventory(
    shop: GraphQLClient,
    ledger: asyncpg.Connection,
    method: str,
    amount: str,
    quantities: list[str] | None,
    expected: list[str],
) -> None:
    receipts = await _three_receipts(shop)
    # the carrier's invoice leaves the charge on its account until it is assigned
    bill = await _invoice(
        shop, "V2", "PI-F", [{"type": "CHARGE_ITEM", "itemChargeCode": "FREIGHT", "amount": amount}]
    )
    assert bill["errors"] == [], bill
    assert (await _gl(shop, "PI-F"))["5100"] == Decimal(amount)
    out = await shop.call(
        ASSIGN,
        {
            "i": {
                "chargeCode": "freight",
                "chargeAmount": amount,
                "postingDate": "2026-03-12",
                "method": method,
                "receiptLineIds": [r["id"] for r in receipts],
                "documentNo": "PI-F",
                "quantities": quantities,
            }
        },
    )
    payload = out["postPurchaseItemChargeAssignment"]
    assert payload["errors"] == [], payload
    assert [v["costAmount"] for v in payload["valueEntries"]] == expected
    assert {v["entryType"] for v in payload["valueEntries"]} == {"ITEM_CHARGE"}
    gl = await _gl(shop, "PI-F")
    assert (gl["1300"], gl["5100"]) == (Decimal(amount), Decimal(0))
    costs = [
        (await shop.call(LINE, {"id": r["id"]}))["receiptLine"]["costAmount"] for r in receipts
    ]
    base = [Decimal("100.00"), Decimal("200.00"), Decimal("100.00")]
    assert [Decimal(c) - b for c, b in zip(costs, base, strict=True)] == [
        Decimal(e) for e in expected
    ]
    await _balanced(ledger)


async def test_idempotency_keys_post_the_invoice_and_the_assignment_once(
    shop: GraphQLClient, ledger: asyncpg.Connection
) -> None:
    lines = [_item("WIDGET", "10", "10.00")]
    first = await _invoice(shop, "V1", "PI-I", lines, idempotencyKey="inv-1")
    again = await _invoice(shop, "V1", "PI-I", lines, idempotencyKey="inv-1")
    assert first["errors"] == []
    assert again["replayed"] is True
    assert again["receiptLines"] == first["receiptLines"]
    [receipt] = first["receiptLines"]
    assignment = {
        "chargeCode": "DUTY",
        "chargeAmount": "7.00",
        "postingDate": "2026-03-12",
        "method": "EQUALLY",
        "receiptLineIds": [receipt["id"]],
        "idempotencyKey": "duty-1",
    }
    one = (await shop.call(ASSIGN, {"i": assignment}))["postPurchaseItemChargeAssignment"]
    two = (await shop.call(ASSIGN, {"i": assignment}))["postPurchaseItemChargeAssignment"]
    assert one["errors"] == []
    assert two == one
    line = (await shop.call(LINE, {"id": receipt["id"]}))["receiptLine"]
    assert (line["costAmount"], line["unitCost"]) == ("107.00", "10.70000")
    counts = await _counts(ledger)
    assert (counts["receipt_lines"], counts["value_entries"]) == (1, 2)
    await _balanced(ledger)


CHARGE_LINE: dict[str, Any] = {"type": "CHARGE_ITEM", "itemChargeCode": "FREIGHT", "amount": "9.00"}


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ("unknown_item", "NOT_FOUND", ["input", "lines", "0", "itemNo"]),
        ("unknown_charge", "NOT_FOUND", ["input", "lines", "1", "itemChargeCode"]),
        ("credit_memo_item", "INVALID_INPUT", ["input", "lines", "0", "type"]),
        (
            "unknown_receipt_line",
            "INVALID_ASSIGNMENT",
            ["input", "lines", "1", "assignment", "receiptLineIds"],
        ),
        (
            "not_an_item_line",
            "INVALID_ASSIGNMENT",
            ["input", "lines", "1", "assignment", "lineNos", "0"],
        ),
        ("manual_sum", "INVALID_ASSIGNMENT", ["input", "lines", "1", "assignment", "quantities"]),
        ("zero_weight", "INVALID_ASSIGNMENT", ["input", "lines", "1", "assignment", "method"]),
        ("negative_cost", "INVALID_AMOUNT", ["input", "lines", "0", "directUnitCost"]),
    ],
)
async def test_bad_purchase_item_input_is_typed_and_posts_nothing(
    shop: GraphQLClient, ledger: asyncpg.Connection, case: str, code: str, field: list[str]
) -> None:
    receipts = await _three_receipts(shop)
    before = await _counts(ledger)
    gadget = _item("GADGET", "1", "20.00")
    assign = {"method": "EQUALLY", "lineNos": [1]}
    lines: dict[str, list[dict[str, Any]]] = {
        "unknown_item": [_item("NOPE", "1", "1.00")],
        "unknown_charge": [gadget, {**CHARGE_LINE, "itemChargeCode": "NOPE"}],
        "credit_memo_item": [gadget],
        "unknown_receipt_line": [
            gadget,
            {**CHARGE_LINE, "assignment": {"method": "EQUALLY", "receiptLineIds": [999999]}},
        ],
        "not_an_item_line": [gadget, {**CHARGE_LINE, "assignment": {**assign, "lineNos": [2]}}],
        "manual_sum": [
            gadget,
            {
                **CHARGE_LINE,
                "assignment": {
                    "method": "MANUAL",
                    "receiptLineIds": [receipts[0]["id"]],
                    "lineNos": [1],
                    "quantities": ["0.5", "0.4"],
                },
            },
        ],
        "zero_weight": [gadget, {**CHARGE_LINE, "assignment": {**assign, "method": "BY_WEIGHT"}}],
        "negative_cost": [_item("WIDGET", "1", "-1.00")],
    }
    document = {
        "vendorNo": "V1",
        "documentNo": "PI-BAD",
        "vendorInvoiceNo": "S-BAD",
        "postingDate": "2026-03-10",
        "lines": lines[case],
    }
    if case == "credit_memo_item":
        payload = (await shop.call(CREDIT, {"i": document}))["postPurchaseCreditMemo"]
    else:
        payload = (await shop.call(INVOICE, {"i": document}))["postPurchaseInvoice"]
    assert payload["entry"] is None
    [error] = payload["errors"]
    assert (error["code"], error["field"]) == (code, field), error
    assert await _counts(ledger) == before


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("unknown_line", ["input", "receiptLineIds"]),
        ("manual_sum", ["input", "lines"]),
        ("zero_weight", ["input", "lines"]),
        ("quantity_count", ["input", "quantities"]),
    ],
)
async def test_bad_standalone_assignment_is_typed_and_posts_nothing(
    shop: GraphQLClient, ledger: asyncpg.Connection, case: str, field: list[str]
) -> None:
    receipts = await _three_receipts(shop)
    gadget = receipts[2]["id"]
    before = await _counts(ledger)
    base: dict[str, Any] = {
        "chargeCode": "FREIGHT",
        "chargeAmount": "10.00",
        "postingDate": "2026-03-12",
        "method": "EQUALLY",
        "receiptLineIds": [receipts[0]["id"], gadget],
    }
    variants: dict[str, dict[str, Any]] = {
        "unknown_line": {"receiptLineIds": [receipts[0]["id"], 999999]},
        "manual_sum": {"method": "MANUAL", "quantities": ["0.5", "0.25"]},
        "zero_weight": {"method": "BY_WEIGHT", "receiptLineIds": [gadget]},
        "quantity_count": {"method": "MANUAL", "quantities": ["1"]},
    }
    out = await shop.call(ASSIGN, {"i": {**base, **variants[case]}})
    [error] = out["postPurchaseItemChargeAssignment"]["errors"]
    assert (error["code"], error["field"]) == ("INVALID_ASSIGNMENT", field), error
    assert await _counts(ledger) == before
