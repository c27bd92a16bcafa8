"""The payment reconciliation journal through the real app: explained suggestions, accept,
reject, manual application, transfer to G/L, and what posting refuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.api.bank_helpers import (
    ACCEPT,
    BANK_IBAN,
    POST,
    REJECT,
    SET_APPLICATION,
    TEXT_MAPPING,
    TRANSFER,
    Entry,
    call_ok,
    camt053,
    setup_bank,
    upload,
)
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer

ALICE_IBAN = "NL91ABNA0417164300"
BOB_IBAN = "DE89370400440532013000"

SUGGESTED = """query ($id: ID!) { suggestedApplications(statementId: $id) {
  statementLine { lineNo } amount confidence score entry { entryNo documentNo }
  explanation { rule matchedFields notes } } }"""


async def _ledger(gql: GraphQLClient) -> dict[str, int]:
    await setup_bank(gql, iban=BANK_IBAN)
    await setup_customer(gql, "ALICE", name="Alice Bakery", bankAccounts=[{"iban": ALICE_IBAN}])
    await setup_customer(gql, "BOB", name="Bob Builders", bankAccounts=[{"iban": BOB_IBAN}])
    nos: dict[str, int] = {}
    for customer, doc, amount in [
        ("ALICE", "INV-1001", "1000.00"),
        ("BOB", "INV-2001", "250.00"),
        ("BOB", "INV-2002", "150.00"),
        ("BOB", "INV-2003", "75.00"),
    ]:
        posted = await post_invoice(
            gql, customerNo=customer, documentNo=doc, postingDate="2026-11-02", amount=amount
        )
        assert posted["errors"] == [], posted
        nos[doc] = posted["entry"]["entryNo"]
    return nos


STATEMENT = [
    Entry(Decimal("1000.00"), "Alice Bakery", ALICE_IBAN, "Payment INV-1001 thanks"),
    Entry(Decimal("400.00"), "Bob Builders", BOB_IBAN, "INV-2001 INV-2002"),
    Entry(Decimal("-5.00"), "Our Bank", None, "BANK FEE NOVEMBER"),
    Entry(Decimal("12.34"), "Somebody Else", None, "no idea"),
]


async def _import(gql: GraphQLClient) -> dict[str, Any]:
    payload = await upload(gql, camt053(STATEMENT))
    assert payload["errors"] == []
    statement: dict[str, Any] = payload["statements"][0]
    return statement


async def test_a_payment_with_iban_document_no_and_amount_is_suggested_with_high_confidence(
    gql: GraphQLClient,
) -> None:
    nos = await _ledger(gql)

    statement = await _import(gql)

    line = statement["lines"][0]
    assert line["status"] == "SUGGESTED"
    (s,) = line["suggestions"]
    assert s["entry"]["entryNo"] == nos["INV-1001"]
    assert s["amount"] == "1000.00"
    assert s["confidence"] == "HIGH"
    assert s["score"] == 3996
    assert s["explanation"]["rule"].startswith("BC row 3 (High, priority 4)")
    assert s["explanation"]["matchedFields"] == ["counterpartyIban", "documentNo", "amount"]
    assert any(ALICE_IBAN in note for note in s["explanation"]["notes"])
    assert any("INV-1001" in note for note in s["explanation"]["notes"])


async def test_one_payment_of_two_invoices_is_split_and_explained(gql: GraphQLClient) -> None:
    nos = await _ledger(gql)

    statement = await _import(gql)

    split = statement["lines"][1]["suggestions"]
    assert sorted((s["entry"]["entryNo"], s["amount"]) for s in split) == [
        (nos["INV-2001"], "250.00"),
        (nos["INV-2002"], "150.00"),
    ]
    assert all(s["confidence"] == "HIGH" for s in split)
    notes = " ".join(n for s in split for n in s["explanation"]["notes"])
    assert "INV-2001" in notes
    assert "INV-2002" in notes


async def test_a_line_nothing_matches_stays_open_with_a_none_explanation(
    gql: GraphQLClient,
) -> None:
    await _ledger(gql)

    statement = await _import(gql)

    line = statement["lines"][3]
    assert line["status"] == "OPEN"
    (s,) = line["suggestions"]
    assert s["confidence"] == "NONE"
    assert s["entry"] is None
    assert s["explanation"]["notes"]


async def test_suggested_applications_lists_every_line_suggestion_best_first(
    gql: GraphQLClient,
) -> None:
    await _ledger(gql)
    statement = await _import(gql)

    found = (await gql.call(SUGGESTED, {"id": statement["id"]}))["suggestedApplications"]

    assert [s["statementLine"]["lineNo"] for s in found] == [1, 2, 2, 3, 4]
    assert found[0]["explanation"]["matchedFields"] == ["counterpartyIban", "documentNo", "amount"]


async def test_a_text_to_account_mapping_sends_bank_fees_to_the_gl_account(
    gql: GraphQLClient,
) -> None:
    await _ledger(gql)
    mapping = await call_ok(
        gql, TEXT_MAPPING, "upsertTextToAccountMapping", t="BANK FEE", gl="8960"
    )
    assert mapping["mapping"] == {"mappingText": "BANK FEE", "glAccountNo": "8960"}

    statement = await _import(gql)

    (s,) = statement["lines"][2]["suggestions"]
    assert s["glAccountNo"] == "8960"
    assert s["amount"] == "-5.00"
    assert s["entry"] is None
    assert "BANK FEE" in " ".join(s["explanation"]["notes"]) + s["explanation"]["rule"]


async def test_accepting_and_rejecting_move_the_line_status(gql: GraphQLClient) -> None:
    await _ledger(gql)
    statement = await _import(gql)
    first = statement["lines"][0]["suggestions"][0]["id"]

    accepted = await call_ok(gql, ACCEPT, "acceptSuggestion", id=first)
    assert accepted["line"]["status"] == "ACCEPTED"
    assert [a["id"] for a in accepted["line"]["applications"]] == [first]

    rejected = await call_ok(gql, REJECT, "rejectSuggestion", id=first)
    assert rejected["line"]["status"] == "OPEN"
    assert rejected["line"]["suggestions"] == []
    assert rejected["line"]["applications"] == []


async def test_a_rejected_suggestion_is_not_proposed_again_on_refresh(gql: GraphQLClient) -> None:
    await _ledger(gql)
    statement = await _import(gql)
    first = statement["lines"][0]["suggestions"][0]["id"]
    await call_ok(gql, REJECT, "rejectSuggestion", id=first)

    refreshed = await call_ok(
        gql,
        "mutation ($id: ID!) { refreshSuggestions(input: {statementId: $id}) { statement { "
        "lines { status suggestions { entry { documentNo } confidence } } } errors { code } } }",
        "refreshSuggestions",
        id=statement["id"],
    )

    line = refreshed["statement"]["lines"][0]
    assert all((s["entry"] or {}).get("documentNo") != "INV-1001" for s in line["suggestions"])


async def test_a_manual_application_replaces_the_suggestions(gql: GraphQLClient) -> None:
    nos = await _ledger(gql)
    statement = await _import(gql)
    line = statement["lines"][1]

    payload = await call_ok(
        gql,
        SET_APPLICATION,
        "setLineApplication",
        line=line["id"],
        apps=[
            {"entryNo": nos["INV-2001"], "amount": "250.00"},
            {"entryNo": nos["INV-2003"], "amount": "75.00"},
        ],
    )

    got = payload["line"]
    assert got["status"] == "ACCEPTED"
    assert sorted(a["amount"] for a in got["applications"]) == ["250.00", "75.00"]


async def test_a_manual_application_is_refused_when_it_breaks_a_rule(gql: GraphQLClient) -> None:
    nos = await _ledger(gql)
    statement = await _import(gql)
    line = statement["lines"][1]["id"]
    cases = [
        ([{"entryNo": nos["INV-2001"], "amount": "300.00"}], "AMOUNT_EXCEEDS_REMAINING"),
        ([{"entryNo": nos["INV-2001"], "amount": "-10.00"}], "WRONG_SIGN"),
        (
            [
                {"entryNo": nos["INV-2001"], "amount": "250.00"},
                {"entryNo": nos["INV-1001"], "amount": "150.00"},
            ],
            "ENTRY_OF_OTHER_PARTY",
        ),
        ([{"entryNo": 999999, "amount": "1.00"}], "ENTRY_NOT_FOUND"),
    ]
    for apps, code in cases:
        data = await gql.call(SET_APPLICATION, {"line": line, "apps": apps})
        assert [e["code"] for e in data["setLineApplication"]["errors"]] == [code], apps


async def test_an_entry_accepted_on_one_line_cannot_be_promised_to_another(
    gql: GraphQLClient,
) -> None:
    nos = await _ledger(gql)
    statement = await _import(gql)
    await call_ok(gql, ACCEPT, "acceptSuggestion", id=statement["lines"][0]["suggestions"][0]["id"])

    data = await gql.call(
        SET_APPLICATION,
        {
            "line": statement["lines"][3]["id"],
            "apps": [{"entryNo": nos["INV-1001"], "amount": "12.34"}],
        },
    )

    assert [e["code"] for e in data["setLineApplication"]["errors"]] == ["AMOUNT_EXCEEDS_REMAINING"]


async def test_transfer_to_gl_takes_the_whole_line(gql: GraphQLClient) -> None:
    await _ledger(gql)
    statement = await _import(gql)

    payload = await call_ok(
        gql,
        TRANSFER,
        "transferToGl",
        line=statement["lines"][2]["id"],
        gl="8960",
        d="Bank fee November",
    )

    (application,) = payload["line"]["applications"]
    assert application == {"id": application["id"], "amount": "-5.00", "glAccountNo": "8960"}
    assert payload["line"]["status"] == "ACCEPTED"
    unknown = await gql.call(TRANSFER, {"line": statement["lines"][2]["id"], "gl": "0000", "d": ""})
    assert [e["code"] for e in unknown["transferToGl"]["errors"]] == ["UNKNOWN_GL_ACCOUNT"]


async def test_posting_with_nothing_accepted_is_a_user_error(gql: GraphQLClient) -> None:
    await _ledger(gql)
    statement = await _import(gql)

    data = await gql.call(POST, {"id": statement["id"], "key": None})

    assert [e["code"] for e in data["postPaymentReconciliation"]["errors"]] == ["NOTHING_TO_APPLY"]
