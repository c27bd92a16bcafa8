"""Draft cash receipt journals: an SPA adds, edits and deletes lines, then posts them all."""

from __future__ import annotations

from tests.api.cash_helpers import entry, setup_bank
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer

ADD = """mutation ($i: AddJournalLineInput!) { addCashReceiptJournalLine(input: $i) {
  lineId journal { name lines { id lineNo amount documentNo applyTo { entryNo } } }
  errors { code message } } }"""
UPDATE = """mutation ($i: UpdateJournalLineInput!) { updateCashReceiptJournalLine(input: $i) {
  journal { lines { id amount } } errors { code message } } }"""
DELETE = """mutation ($i: DeleteJournalLineInput!) { deleteCashReceiptJournalLine(input: $i) {
  journal { lines { id } } errors { code } } }"""
POST = """mutation ($i: PostJournalInput!) { postCashReceiptJournal(input: $i) {
  entries { entryNo open } preview { glEntries { amount } } errors { code message field } } }"""


def _line(doc: str, amount: str, entry_no: int | None = None) -> dict[str, object]:
    line: dict[str, object] = {
        "postingDate": "2026-03-17",
        "documentNo": doc,
        "amount": amount,
        "balAccountNo": "BANK",
        "customerNo": "C1",
    }
    if entry_no is not None:
        line["applyTo"] = [{"entryNo": entry_no}]
    return line


async def test_edit_lines_then_post_the_journal(gql: GraphQLClient) -> None:
    await setup_customer(gql, "C1")
    await setup_bank(gql)
    inv = int(
        (
            await post_invoice(
                gql, customerNo="C1", documentNo="I1", postingDate="2026-03-01", amount="100.00"
            )
        )["entry"]["entryNo"]
    )
    first = await gql.call(ADD, {"i": {"journalName": "DAILY", "line": _line("P1", "-10.00")}})
    assert first["addCashReceiptJournalLine"]["errors"] == []
    line_id = first["addCashReceiptJournalLine"]["lineId"]
    second = await gql.call(ADD, {"i": {"journalName": "DAILY", "line": _line("P2", "-5.00")}})
    extra = second["addCashReceiptJournalLine"]["lineId"]
    upd = await gql.call(UPDATE, {"i": {"lineId": line_id, "line": _line("P1", "-100.00", inv)}})
    assert [x["amount"] for x in upd["updateCashReceiptJournalLine"]["journal"]["lines"]] == [
        "-100.00",
        "-5.00",
    ]
    gone = await gql.call(DELETE, {"i": {"lineId": extra}})
    assert len(gone["deleteCashReceiptJournalLine"]["journal"]["lines"]) == 1
    preview = await gql.call(POST, {"i": {"journalName": "DAILY", "previewPosting": True}})
    assert preview["postCashReceiptJournal"]["preview"]["glEntries"]
    assert (await entry(gql, inv))["open"] is True
    posted = await gql.call(POST, {"i": {"journalName": "DAILY"}})
    assert posted["postCashReceiptJournal"]["errors"] == []
    assert (await entry(gql, inv))["open"] is False
    data = await gql.call('{ cashReceiptJournal(name: "DAILY") { lines { id } } }')
    assert data["cashReceiptJournal"]["lines"] == []


async def test_a_bad_line_keeps_the_whole_journal(gql: GraphQLClient) -> None:
    await setup_customer(gql, "C1")
    await setup_bank(gql)
    await gql.call(ADD, {"i": {"journalName": "J", "line": _line("P1", "-10.00")}})
    await gql.call(ADD, {"i": {"journalName": "J", "line": _line("P2", "-5.00", 424242)}})
    out = await gql.call(POST, {"i": {"journalName": "J"}})
    assert out["postCashReceiptJournal"]["errors"][0]["code"] == "ENTRY_NOT_FOUND"
    data = await gql.call('{ cashReceiptJournal(name: "J") { lines { id } } }')
    assert len(data["cashReceiptJournal"]["lines"]) == 2
    cle = await gql.call('{ customerLedgerEntries(customerNo: "C1") { edges { cursor } } }')
    assert cle["customerLedgerEntries"]["edges"] == []
