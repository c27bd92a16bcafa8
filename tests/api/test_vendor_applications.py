"""The vendor side of the engine through the API: reverse a supplier payment, revalue open
foreign-currency purchase invoices, apply bank lines to vendor entries by hand, and refuse
applications that cross the two ledgers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.api.bank_helpers import (
    BANK_IBAN,
    SET_APPLICATION,
    Entry,
    camt053,
    upload,
)
from tests.api.bank_helpers import setup_bank as setup_statement_bank
from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn

VENDOR = """mutation ($i: UpsertVendorInput!) { upsertVendor(input: $i) {
  vendor { no } errors { code message field } } }"""
INVOICE = """mutation ($i: PostPurchaseDocumentInput!) { postPurchaseInvoice(input: $i) {
  entry { entryNo amount amountLcy } errors { code message field } } }"""
VLE = """query ($v: String!, $d: String) { vendorLedgerEntries(vendorNo: $v, documentNo: $d) {
  edges { node { entryNo documentType amount remainingAmount remainingAmountLcy open } } } }"""
REVERSE = """mutation ($n: Int!) { reversePayment(input: {entryNo: $n, ledger: VENDOR}) {
  vendorEntries { entryNo documentType amount remainingAmount open } errors { code message } } }"""
APPLY = """mutation ($n: Int!, $to: Int!) { applyEntries(input: {entryNo: $n, ledger: VENDOR,
  postingDate: "2026-03-17", applyTo: [{entryNo: $to}]}) {
  vendorEntries { entryNo open } errors { code message field } } }"""
ADJUST = """mutation ($d: Date!) { adjustExchangeRates(input: {postingDate: $d}) {
  adjustedEntries errors { code message } } }"""
RATE = """mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }"""


async def _vendor(gql: GraphQLClient, no: str, **fields: Any) -> None:
    data = await gql.call(VENDOR, {"i": {"no": no, "name": f"Vendor {no}", **fields}})
    assert data["upsertVendor"]["errors"] == []


async def _invoice(gql: GraphQLClient, vendor: str, doc: str, amount: str, **extra: Any) -> int:
    data = await gql.call(
        INVOICE,
        {
            "i": {
                "vendorNo": vendor,
                "documentNo": doc,
                "vendorInvoiceNo": f"SUP-{doc}",
                "postingDate": "2026-03-02",
                "lines": [{"amount": amount, "description": "goods"}],
                **extra,
            }
        },
    )
    assert data["postPurchaseInvoice"]["errors"] == [], data
    return int(data["postPurchaseInvoice"]["entry"]["entryNo"])


async def _vle(gql: GraphQLClient, vendor: str, doc: str) -> list[dict[str, Any]]:
    data = await gql.call(VLE, {"v": vendor, "d": doc})
    return [e["node"] for e in data["vendorLedgerEntries"]["edges"]]


async def _ledger_counts(db_url: str) -> tuple[int, ...]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        return tuple(
            [
                await conn.fetchval(f"SELECT count(*) FROM {table}")
                for table in (
                    "customer_ledger_entries",
                    "detailed_customer_ledger_entries",
                    "vendor_ledger_entries",
                    "detailed_vendor_ledger_entries",
                    "gl_entries",
                )
            ]
        )
    finally:
        await conn.close()


async def test_a_supplier_payment_is_reversed_and_the_invoice_reopens(gql: GraphQLClient) -> None:
    await setup_bank(gql)
    await _vendor(gql, "V1")
    invoice = await _invoice(gql, "V1", "PI-1", "400.00")
    paid = await post_lines(
        gql,
        [
            {
                "vendorNo": "V1",
                "documentNo": "VP-1",
                "amount": "400.00",
                "applyTo": [{"entryNo": invoice}],
            }
        ],
    )
    assert paid["errors"] == [], paid
    (payment,) = await _vle(gql, "V1", "VP-1")
    assert paid["entries"] == []  # the payload names the vendor entry, on its own ledger
    assert paid["vendorEntries"] == [{"entryNo": payment["entryNo"], "amount": "400.00"}]
    assert (await _vle(gql, "V1", "PI-1"))[0]["open"] is False

    out = (await gql.call(REVERSE, {"n": payment["entryNo"]}))["reversePayment"]

    assert out["errors"] == []
    original, reversal = out["vendorEntries"]
    assert original["entryNo"] == payment["entryNo"]
    assert reversal["amount"] == "-400.00"
    assert (await _vle(gql, "V1", "PI-1"))[0]["remainingAmount"] == "-400.00"
    again = (await gql.call(REVERSE, {"n": payment["entryNo"]}))["reversePayment"]
    assert [e["code"] for e in again["errors"]] == ["ENTRY_CLOSED"], again
    gl = (await gql.call('{ glEntries(documentNo: "VP-1") { glAccountNo amount } }'))["glEntries"]
    assert sum(Decimal(g["amount"]) for g in gl) == 0
    assert sorted(g["amount"] for g in gl if g["glAccountNo"] == "1100") == ["-400.00", "400.00"]


async def test_adjust_exchange_rates_revalues_open_purchase_invoices(gql: GraphQLClient) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    for day, rate in (("2026-01-01", "1.123"), ("2026-01-31", "1.125")):
        await gql.call(RATE, {"i": {"currencyCode": "USD", "startingDate": day, "rate": rate}})
    await _vendor(gql, "VUSD", currencyCode="USD")
    await _invoice(gql, "VUSD", "PI-USD", "1000.00", postingDate="2026-01-15")

    first = (await gql.call(ADJUST, {"d": "2026-01-31"}))["adjustExchangeRates"]
    again = (await gql.call(ADJUST, {"d": "2026-01-31"}))["adjustExchangeRates"]

    assert first == {"adjustedEntries": 1, "errors": []}
    assert again["adjustedEntries"] == 0
    (entry,) = await _vle(gql, "VUSD", "PI-USD")
    assert entry["remainingAmount"] == "-1000.00"
    assert entry["remainingAmountLcy"] == "-1125.00"  # we owe 2.00 more in LCY: a loss
    gl = (await gql.call('{ glEntries(documentNo: "ADJ-2026-01-31") { glAccountNo amount } }'))[
        "glEntries"
    ]
    assert sum(Decimal(g["amount"]) for g in gl) == 0
    assert sorted(g["amount"] for g in gl) == ["-2.00", "2.00"]


async def test_a_bank_debit_is_applied_to_a_vendor_invoice_by_hand(gql: GraphQLClient) -> None:
    await setup_statement_bank(gql, iban=BANK_IBAN)
    await _vendor(gql, "V1")
    await _vendor(gql, "V2")
    pi1 = await _invoice(gql, "V1", "PI-1", "300.00")
    pi2 = await _invoice(gql, "V2", "PI-2", "100.00")
    await setup_customer(gql, "C1")
    inv = (
        await post_invoice(
            gql, customerNo="C1", documentNo="INV-1", postingDate="2026-03-02", amount="50.00"
        )
    )["entry"]["entryNo"]
    (statement,) = (await upload(gql, camt053([Entry(Decimal("-300.00"), "?", None, "?")])))[
        "statements"
    ]
    line = statement["lines"][0]["id"]
    cases = [
        ([{"entryNo": pi1, "amount": "300.00", "ledger": "VENDOR"}], "WRONG_SIGN"),
        ([{"entryNo": pi1, "amount": "-301.00", "ledger": "VENDOR"}], "AMOUNT_EXCEEDS_REMAINING"),
        ([{"entryNo": 987654, "amount": "-1.00", "ledger": "VENDOR"}], "ENTRY_NOT_FOUND"),
        (
            [
                {"entryNo": pi1, "amount": "-200.00", "ledger": "VENDOR"},
                {"entryNo": pi2, "amount": "-100.00", "ledger": "VENDOR"},
            ],
            "ENTRY_OF_OTHER_PARTY",
        ),
        (
            [
                {"entryNo": pi1, "amount": "-250.00", "ledger": "VENDOR"},
                {"entryNo": inv, "amount": "50.00", "ledger": "CUSTOMER"},
            ],
            "INVALID_INPUT",
        ),
    ]
    for apps, code in cases:
        data = await gql.call(SET_APPLICATION, {"line": line, "apps": apps})
        assert [e["code"] for e in data["setLineApplication"]["errors"]] == [code], apps

    ok = await gql.call(
        SET_APPLICATION,
        {"line": line, "apps": [{"entryNo": pi1, "amount": "-300.00", "ledger": "VENDOR"}]},
    )

    got = ok["setLineApplication"]
    assert got["errors"] == []
    assert got["line"]["status"] == "ACCEPTED"
    (application,) = [s for s in got["line"]["suggestions"] if s["status"] == "MANUAL"]
    assert application["entry"]["partyNo"] == "V1"
    assert application["entry"]["documentNo"] == "PI-1"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (  # a customer payment naming a purchase invoice
            {
                "customerNo": "C1",
                "amount": "-10.00",
                "appliesToDocType": "INVOICE",
                "appliesToDocNo": "PI-1",
            },
            "UNKNOWN_APPLIES_TO_DOC",
        ),
        (  # a supplier payment naming a sales invoice
            {
                "vendorNo": "V1",
                "amount": "10.00",
                "appliesToDocType": "INVOICE",
                "appliesToDocNo": "INV-1",
            },
            "UNKNOWN_APPLIES_TO_DOC",
        ),
        ({"vendorNo": "NOBODY", "amount": "10.00"}, "UNKNOWN_VENDOR"),
    ],
)
async def test_applications_across_the_two_ledgers_are_refused_and_post_nothing(
    gql: GraphQLClient, db_url: str, line: dict[str, str], code: str
) -> None:
    await setup_bank(gql)
    await _vendor(gql, "V1")
    await _invoice(gql, "V1", "PI-1", "300.00")
    await setup_customer(gql, "C1")
    await post_invoice(
        gql, customerNo="C1", documentNo="INV-1", postingDate="2026-03-02", amount="50.00"
    )
    before = await _ledger_counts(db_url)

    out = await post_lines(gql, [{"documentNo": "X-1", **line}])

    assert [e["code"] for e in out["errors"]] == [code]
    assert await _ledger_counts(db_url) == before


async def test_a_vendor_payment_cannot_be_applied_to_another_vendors_invoice(
    gql: GraphQLClient, db_url: str
) -> None:
    await setup_bank(gql)
    await _vendor(gql, "V1")
    await _vendor(gql, "V2")
    other = await _invoice(gql, "V2", "PI-2", "100.00")
    assert (await post_lines(gql, [{"vendorNo": "V1", "documentNo": "VP-1", "amount": "100.00"}]))[
        "errors"
    ] == []
    (payment,) = await _vle(gql, "V1", "VP-1")
    before = await _ledger_counts(db_url)

    out = (await gql.call(APPLY, {"n": payment["entryNo"], "to": other}))["applyEntries"]

    assert [e["code"] for e in out["errors"]] == ["ENTRY_OF_OTHER_PARTY"]
    assert await _ledger_counts(db_url) == before
