"""Payment registration through the API: list what is due, preview notes, register."""

from __future__ import annotations

from tests.api.cash_helpers import entry, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer

LIST = """query ($d: Date) { paymentRegistration(workDate: $d) { edges { node {
  entry { entryNo documentNo } customerName remainingAmount discountAvailable
  discountLastDate discountIfPaidToday } } } }"""
REGISTER = """mutation ($i: RegisterPaymentsInput!) { registerPayments(input: $i) {
  payments { entryNo amount open } notes { code message entryNo } preview { entries { entryNo } }
  errors { code message field } } }"""


async def _setup(gql: GraphQLClient) -> list[int]:
    await gql.call(
        'mutation { upsertPaymentTerms(input: {code: "T", dueDateCalculation: "14D",'
        ' discountDateCalculation: "7D", discountPct: "2"}) { errors { code } } }'
    )
    await setup_customer(gql, "C1", name="Alpha", paymentTermsCode="T")
    await setup_bank(gql)
    nos = []
    for doc, amount in (("I1", "1000.00"), ("I2", "500.00")):
        out = await post_invoice(
            gql, customerNo="C1", documentNo=doc, postingDate="2026-03-01", amount=amount
        )
        nos.append(int(out["entry"]["entryNo"]))
    return nos


async def test_list_shows_discount_and_whether_today_still_gets_it(gql: GraphQLClient) -> None:
    await _setup(gql)
    rows = [
        e["node"]
        for e in (await gql.call(LIST, {"d": "2026-03-05"}))["paymentRegistration"]["edges"]
    ]
    assert rows[0]["customerName"] == "Alpha"
    assert rows[0]["discountAvailable"] == "20.00"
    assert rows[0]["discountLastDate"] == "2026-03-08"
    assert rows[0]["discountIfPaidToday"] is True
    late = (await gql.call(LIST, {"d": "2026-03-20"}))["paymentRegistration"]["edges"]
    assert late[0]["node"]["discountIfPaidToday"] is False


async def test_preview_tells_discount_and_partial_then_lump_payment_posts(
    gql: GraphQLClient,
) -> None:
    i1, i2 = await _setup(gql)
    lines = [
        {"entryNo": i1, "amountReceived": "980.00", "dateReceived": "2026-03-05"},
        {"entryNo": i2, "amountReceived": "200.00", "dateReceived": "2026-03-05"},
    ]
    preview = (
        await gql.call(
            REGISTER,
            {"i": {"lines": lines, "balAccountNo": "BANK", "lumpPayment": True, "preview": True}},
        )
    )["registerPayments"]
    codes = {(n["entryNo"], n["code"]) for n in preview["notes"]}
    assert (i1, "DISCOUNT_TAKEN") in codes
    assert (i2, "PARTIAL") in codes
    assert (await entry(gql, i1))["open"] is True
    posted = (
        await gql.call(
            REGISTER, {"i": {"lines": lines, "balAccountNo": "BANK", "lumpPayment": True}}
        )
    )["registerPayments"]
    assert posted["errors"] == []
    assert [p["amount"] for p in posted["payments"]] == ["-1180.00"]
    assert (await entry(gql, i1))["open"] is False
    assert (await entry(gql, i2))["remainingAmount"] == "300.00"


async def test_registering_an_unknown_entry_is_a_typed_error(gql: GraphQLClient) -> None:
    await _setup(gql)
    out = (
        await gql.call(
            REGISTER,
            {
                "i": {
                    "lines": [
                        {"entryNo": 987654, "amountReceived": "1", "dateReceived": "2026-03-05"}
                    ],
                    "balAccountNo": "BANK",
                }
            },
        )
    )["registerPayments"]
    assert out["errors"][0]["code"] == "ENTRY_NOT_FOUND"
