"""Cash receipt operations shared by the application tests."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import GraphQLClient

POST_LINES = """mutation ($i: PostCashReceiptLinesInput!) { postCashReceiptLines(input: $i) {
  replayed entries { entryNo documentType amount remainingAmount open }
  vendorEntries { entryNo amount }
  preview { entries { entryNo documentNo remainingAmount open }
            detailedEntries { entryType amount } glEntries { glAccountNo amount } }
  errors { code message field } } }"""

ENTRY = """query ($n: Int!) { customerLedgerEntry(entryNo: $n) { entryNo amount remainingAmount
  remainingAmountLcy open remainingPmtDiscPossible closedByEntryNo
  detailedEntries { entryType amount amountLcy unapplied } } }"""


async def setup_bank(gql: GraphQLClient, no: str = "BANK") -> None:
    out = await gql.call(
        """mutation ($i: UpsertBankAccountInput!) { upsertBankAccount(input: $i)
      { errors { code message } } }""",
        {"i": {"no": no, "name": "Main", "glAccountNo": "1100"}},
    )
    assert out["upsertBankAccount"]["errors"] == []


async def post_lines(
    gql: GraphQLClient, lines: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    full = [{"balAccountNo": "BANK", "postingDate": "2026-03-17", **line} for line in lines]
    data = await gql.call(POST_LINES, {"i": {"lines": full, **extra}})
    return dict(data["postCashReceiptLines"])


async def entry(gql: GraphQLClient, entry_no: int) -> dict[str, Any]:
    return dict((await gql.call(ENTRY, {"n": entry_no}))["customerLedgerEntry"])
