"""domain.md's exchange example through the API: unrealized +2, then realized -3."""

from __future__ import annotations

from tests.api.cash_helpers import entry, post_lines
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer

RATE = """mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }"""
ADJUST = """mutation ($d: Date!) { adjustExchangeRates(input: {postingDate: $d}) {
  adjustedEntries errors { code message } } }"""


async def test_revaluation_then_payment_realizes_the_loss(gql: GraphQLClient) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    for day, rate in (("2026-01-01", "1.123"), ("2026-01-31", "1.125"), ("2026-02-10", "1.120")):
        await gql.call(RATE, {"i": {"currencyCode": "USD", "startingDate": day, "rate": rate}})
    await gql.call("""mutation { upsertBankAccount(input: {no: "USDBANK", currencyCode: "USD",
      glAccountNo: "1100"}) { errors { code } } }""")
    await setup_customer(gql, "U1", currencyCode="USD")
    out = await post_invoice(
        gql, customerNo="U1", documentNo="INV-USD", postingDate="2026-01-15", amount="1000.00"
    )
    inv = int(out["entry"]["entryNo"])
    assert out["entry"]["amountLcy"] == "1123.00"
    first = await gql.call(ADJUST, {"d": "2026-01-31"})
    assert first["adjustExchangeRates"] == {"adjustedEntries": 1, "errors": []}
    again = await gql.call(ADJUST, {"d": "2026-01-31"})
    assert again["adjustExchangeRates"]["adjustedEntries"] == 0
    assert (await entry(gql, inv))["remainingAmountLcy"] == "1125.00"
    paid = await post_lines(
        gql,
        [
            {
                "customerNo": "U1",
                "documentNo": "PAY-USD",
                "amount": "-1000.00",
                "balAccountNo": "USDBANK",
                "postingDate": "2026-02-15",
                "applyTo": [{"entryNo": inv}],
            }
        ],
    )
    assert paid["errors"] == [], paid
    invoice = await entry(gql, inv)
    assert invoice["open"] is False
    assert invoice["remainingAmountLcy"] == "0.00"
    by_type: dict[str, list[str]] = {}
    for d in invoice["detailedEntries"]:
        by_type.setdefault(d["entryType"], []).append(d["amountLcy"])
    assert by_type["UNREALIZED_GAIN"] == ["2.00", "-2.00"]  # posted, then reversed
    assert by_type["REALIZED_LOSS"] == ["-3.00"]
    gl = (await gql.call('{ glEntries(documentNo: "PAY-USD") { glAccountNo amount } }'))[
        "glEntries"
    ]
    accounts = {g["glAccountNo"]: g["amount"] for g in gl}
    assert accounts.get("8900") == "3.00"
