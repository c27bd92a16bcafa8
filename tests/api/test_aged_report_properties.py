"""Hypothesis through the real server: whatever was posted, back-dated or applied, an aged row
is the party's as-of open entries in that currency (Σ remaining, Σ remaining LCY) and so its
as-of balance, on any date."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from tests.api.cash_helpers import post_lines, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_credit_memo, post_invoice, setup_customer
from tests.api.report_helpers import RATE, TERMS

START = date(2026, 1, 1)
_ids = itertools.count()
OPEN = """query ($c: String!, $d: Date!) { openEntries(customerNo: $c, asOf: $d, first: 500) {
  edges { node { currencyCode remainingAmount remainingAmountLcy } } }
  customer(no: $c) { balances(asOf: $d) { currencyCode amount } } }"""
AGED_ALL = """query ($d: Date!, $nos: [String!], $by: AgingBy!, $p: [String!]) {
  agedReceivables(asOf: $d, customerNos: $nos, agingBy: $by, periods: $p, first: 500) {
    edges { node { customerNo currencyCode notDue buckets { amount } total totalLcy } } } }"""

documents = st.lists(
    st.tuples(
        st.sampled_from(["INVOICE", "CREDIT_MEMO", "PAYMENT"]),
        st.integers(min_value=1, max_value=5),  # customer
        st.integers(min_value=1, max_value=99_999).map(lambda c: Decimal(c).scaleb(-2)),
        st.integers(min_value=0, max_value=120),  # posting day
        st.sampled_from(["", "USD"]),
        st.integers(min_value=0, max_value=100),  # share of an invoice a payment applies
    ),
    min_size=1,
    max_size=10,
)


async def _post_all(gql: GraphQLClient, prefix: str, docs: list[tuple[Any, ...]]) -> list[str]:
    customers = sorted({f"{prefix}-{c}" for _, c, *_ in docs})
    for no in customers:
        await setup_customer(gql, no, paymentTermsCode="30D")
    invoices: list[tuple[int, str, date, Decimal]] = []  # entry no, customer, date, remaining
    for i, (kind, c, amount, day, currency, share) in enumerate(docs):
        customer, posted = f"{prefix}-{c}", START + timedelta(days=day)
        fields = {"customerNo": customer, "documentNo": f"{prefix}-D{i}", "amount": str(amount)}
        fields["postingDate"] = posted.isoformat()
        if kind == "INVOICE":
            out = await post_invoice(gql, currencyCode=currency or None, **fields)
            assert out["errors"] == [], out
            if not currency:
                invoices.append((int(out["entry"]["entryNo"]), customer, posted, amount))
        elif kind == "CREDIT_MEMO":
            out = await post_credit_memo(gql, currencyCode=currency or None, **fields)
            assert out["errors"] == [], out
        else:  # a payment: applied in part to an earlier LCY invoice of the customer, if any
            target = next(
                (x for x in invoices if x[1] == customer and x[2] <= posted and x[3] > 0), None
            )
            line: dict[str, Any] = {**fields, "amount": str(-amount)}
            if target is not None:
                applied = min(amount, (target[3] * share / 100).quantize(Decimal("0.01")))
                if applied > 0:
                    line["applyTo"] = [{"entryNo": target[0], "amountToApply": str(applied)}]
                    invoices[invoices.index(target)] = (*target[:3], target[3] - applied)
            out = await post_lines(gql, [line])
            assert out["errors"] == [], out
    return customers


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    docs=documents,
    probes=st.lists(st.integers(min_value=-1, max_value=125), min_size=1, max_size=3),
    by=st.sampled_from(["DUE_DATE", "POSTING_DATE", "DOCUMENT_DATE"]),
    periods=st.sampled_from([["30D"], ["1M+CM"], ["7D", "1M", "1Q"]]),
)
async def test_aged_rows_are_the_as_of_open_entries_and_the_balance(
    gql: GraphQLClient,
    docs: list[tuple[Any, ...]],
    probes: list[int],
    by: str,
    periods: list[str],
) -> None:
    if next(_ids) == 0:
        await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
        await gql.call(
            RATE, {"i": {"currencyCode": "USD", "startingDate": "2025-01-01", "rate": "0.9"}}
        )
        await gql.call(TERMS)
        await setup_bank(gql)
    customers = await _post_all(gql, f"H{next(_ids)}", docs)
    for offset in probes:
        as_of = (START + timedelta(days=offset)).isoformat()
        data = await gql.call(AGED_ALL, {"d": as_of, "nos": customers, "by": by, "p": periods})
        aged: dict[tuple[str, str], dict[str, Any]] = {
            (e["node"]["customerNo"], e["node"]["currencyCode"]): e["node"]
            for e in data["agedReceivables"]["edges"]
        }
        for row in aged.values():
            parts = [Decimal(row["notDue"]), *(Decimal(b["amount"]) for b in row["buckets"])]
            assert sum(parts, Decimal(0)) == Decimal(row["total"])
        for no in customers:
            found = await gql.call(OPEN, {"c": no, "d": as_of})
            want: dict[str, tuple[Decimal, Decimal]] = {}
            for edge in found["openEntries"]["edges"]:
                node = edge["node"]
                amount, lcy = want.get(node["currencyCode"], (Decimal(0), Decimal(0)))
                want[node["currencyCode"]] = (
                    amount + Decimal(node["remainingAmount"]),
                    lcy + Decimal(node["remainingAmountLcy"]),
                )
            got = {
                code: (Decimal(r["total"]), Decimal(r["totalLcy"]))
                for (party, code), r in aged.items()
                if party == no
            }
            assert got == want, (as_of, no)
            balances = {
                b["currencyCode"]: Decimal(b["amount"])
                for b in found["customer"]["balances"]
                if Decimal(b["amount"]) != 0
            }
            assert balances == {c: t for c, (t, _) in got.items() if t != 0}, (as_of, no)
