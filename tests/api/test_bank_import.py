"""importBankStatement through the real app: every format, duplicates, broken files, warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.api.bank_helpers import BANK_IBAN, Entry, camt053, sample, setup_bank, upload
from tests.api.conftest import GraphQLClient

GENERIC_CSV: dict[str, Any] = {
    "dateFormat": "%m/%d/%Y",
    "thousandsSeparator": ",",
    "columns": {
        "bookingDate": "Date",
        "amount": "Amount",
        "description": ["Label"],
        "balanceAfter": "Balance",
        "counterpartyName": "Partner Name",
        "counterpartyIban": "Bank Account",
    },
}

STATEMENTS = "query ($a: String) { bankStatements(bankAccountNo: $a) { id statementNo } }"


@pytest.mark.parametrize(
    ("folder", "name", "fields", "iban", "want"),
    [
        pytest.param(
            "camt053",
            "abn-amro-style-nl_oca.camt053.xml",
            {},
            BANK_IBAN,
            [("1234Test/1", "CAMT053", 4, "15568.27", "15121.12")],
            id="camt053-abn-amro",
        ),
        pytest.param(
            "camt054",
            "nl-bank-credit-notification_oca.camt054.xml",
            {"format": "CAMT054"},
            BANK_IBAN,
            [("20220120000000000000000", "CAMT054", 1, None, None)],
            id="camt054-nl",
        ),
        pytest.param(
            "mt940",
            "rabobank-nl-iban_wolph-jejik.sta",
            {},
            None,
            [
                ("940S130101", "MT940", 2, "1000.00", "965.00"),
                ("940S130101", "MT940", 2, "965.00", "930.00"),
            ],
            id="mt940-rabobank-two-statements",
        ),
        pytest.param(
            "ofx",
            "au-empty-tags-v102_ofxparse.ofx",
            {"format": "OFX"},
            None,
            [("12345678:20180506-20180804", "OFX", 1, None, None)],
            id="ofx-v102-sgml",
        ),
        pytest.param(
            "csv",
            "generic-with-balance_oca.csv",
            {"format": "CSV", "csvMapping": GENERIC_CSV},
            None,
            [(None, "CSV", 2, "10.00", "1510.00")],
            id="csv-inline-mapping",
        ),
    ],
)
async def test_each_format_imports_through_a_multipart_upload(
    gql: GraphQLClient,
    folder: str,
    name: str,
    fields: dict[str, Any],
    iban: str | None,
    want: list[tuple[str | None, str, int, str | None, str | None]],
) -> None:
    await setup_bank(gql, iban=iban) if iban else await setup_bank(gql)

    payload = await upload(gql, sample(folder, name), filename=name, **fields)

    assert payload["errors"] == []
    got = payload["statements"]
    assert len(got) == len(want)
    for statement, (no, fmt, count, opening, closing) in zip(got, want, strict=True):
        if no is not None:
            assert statement["statementNo"] == no
        assert statement["format"] == fmt
        assert len(statement["lines"]) == count
        assert statement["openingBalance"] == opening
        assert statement["closingBalance"] == closing
        assert [x["lineNo"] for x in statement["lines"]] == list(range(1, count + 1))
    # the second Rabobank statement opens at the first one's closing balance: no warning
    assert all(s["openingWarning"] is None for s in got)


async def test_a_saved_csv_mapping_is_named_by_its_code(gql: GraphQLClient) -> None:
    await setup_bank(gql)
    saved = await gql.call(
        "mutation ($i: UpsertCsvMappingInput!) { upsertCsvMapping(input: $i) { code "
        "errors { code message } } }",
        {"i": {"code": "GENERIC", **GENERIC_CSV}},
    )
    assert saved["upsertCsvMapping"] == {"code": "GENERIC", "errors": []}

    payload = await upload(
        gql, sample("csv", "generic-with-balance_oca.csv"), csvMappingCode="GENERIC"
    )

    (statement,) = payload["statements"]
    assert [x["amount"] for x in statement["lines"]] == ["-33.50", "1533.50"]
    assert statement["lines"][1]["counterpartyName"] == "Azure Interior"


async def test_the_same_file_twice_is_refused_as_a_duplicate(gql: GraphQLClient) -> None:
    await setup_bank(gql, iban=BANK_IBAN)
    data = sample("camt053", "abn-amro-style-nl_oca.camt053.xml")
    first = await upload(gql, data)
    assert first["errors"] == []

    again = await upload(gql, data)

    assert again["statements"] == []
    assert [e["code"] for e in again["errors"]] == ["DUPLICATE_STATEMENT"]
    listed = await gql.call(STATEMENTS, {"a": "BANK1"})
    assert len(listed["bankStatements"]) == 1


async def test_a_broken_file_names_the_element_and_stores_nothing(gql: GraphQLClient) -> None:
    await setup_bank(gql, iban=BANK_IBAN)
    good = camt053([Entry(Decimal("10.00"), "A", None, "x")]).decode()
    broken = good.replace('<Ntry><Amt Ccy="EUR">10.00</Amt>', '<Ntry><Amt Ccy="EUR">ten</Amt>')

    payload = await upload(gql, broken.encode())

    (error,) = payload["errors"]
    assert error["code"] == "PARSE_ERROR"
    assert "/Ntry" in error["message"]
    assert "Amt" in error["message"]
    assert error["field"] == ["input", "file"]
    assert (await gql.call(STATEMENTS, {"a": "BANK1"}))["bankStatements"] == []


async def test_a_statement_of_another_account_is_refused(gql: GraphQLClient) -> None:
    await setup_bank(gql, iban="NL91ABNA0417164300")

    payload = await upload(gql, sample("camt053", "abn-amro-style-nl_oca.camt053.xml"))

    (error,) = payload["errors"]
    assert error["code"] == "STATEMENT_ACCOUNT_MISMATCH"
    assert BANK_IBAN in error["message"]
    assert (await gql.call(STATEMENTS, {"a": "BANK1"}))["bankStatements"] == []


async def test_an_opening_balance_that_does_not_follow_the_previous_closing_is_warned(
    gql: GraphQLClient,
) -> None:
    await setup_bank(gql, iban=BANK_IBAN)
    line = [Entry(Decimal("100.00"), "A", None, "first")]
    await upload(gql, camt053(line, statement_id="S1", opening=Decimal("0.00"), day="2026-11-01"))

    follows = await upload(
        gql, camt053(line, statement_id="S2", opening=Decimal("100.00"), day="2026-11-02")
    )
    gap = await upload(
        gql, camt053(line, statement_id="S3", opening=Decimal("250.00"), day="2026-11-03")
    )

    assert follows["statements"][0]["openingWarning"] is None
    assert follows["warnings"] == []
    warning = gap["statements"][0]["openingWarning"]
    assert warning is not None
    assert "200.00" in warning
    assert "S2" in warning
    assert gap["warnings"] == [f"statement S3: {warning}"]


async def test_a_file_balance_mismatch_is_kept_as_a_warning(gql: GraphQLClient) -> None:
    await setup_bank(gql, iban=BANK_IBAN)

    payload = await upload(gql, sample("camt053", "abn-amro-style-nl_oca.camt053.xml"))

    (statement,) = payload["statements"]
    assert statement["balanceWarning"] is not None
    assert payload["warnings"] == [f"statement 1234Test/1: {statement['balanceWarning']}"]


async def test_an_unknown_bank_account_is_a_user_error(gql: GraphQLClient) -> None:
    payload = await upload(gql, sample("camt053", "abn-amro-style-nl_oca.camt053.xml"), "NOPE")

    assert [e["code"] for e in payload["errors"]] == ["UNKNOWN_BANK_ACCOUNT"]
