"""A CSV mapping is checked before use, and reads signs, separators and balances as configured."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.bank import CsvColumns, CsvMapping, ParseError, parse_statement_file, validate_mapping
from domain.bank.csv_statement import parse_number
from domain.errors import ErrorCode

BASE = CsvMapping(columns=CsvColumns(booking_date="date", amount="amount"))


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        pytest.param(
            replace(BASE, columns=CsvColumns(booking_date="date")), "amount", id="no-amount-column"
        ),
        pytest.param(
            replace(BASE, columns=CsvColumns(amount="amount")), "bookingDate", id="no-date-column"
        ),
        pytest.param(
            replace(BASE, columns=CsvColumns(booking_date="d", amount="a", debit_amount="x")),
            "amount",
            id="amount-and-debit-column",
        ),
        pytest.param(
            replace(
                BASE,
                columns=CsvColumns(booking_date="d", amount="a", debit_credit_indicator="dc"),
            ),
            "debitIndicators",
            id="indicator-without-values",
        ),
        pytest.param(replace(BASE, delimiter=";;"), "delimiter", id="two-char-delimiter"),
        pytest.param(replace(BASE, quote_char=","), "quoteChar", id="quote-is-delimiter"),
        pytest.param(replace(BASE, encoding="klingon"), "encoding", id="unknown-encoding"),
        pytest.param(replace(BASE, skip_rows=-1), "skipRows", id="negative-skip"),
        pytest.param(replace(BASE, date_format="DD-MM-YYYY"), "dateFormat", id="not-strftime"),
        pytest.param(replace(BASE, decimal_separator=";"), "decimalSeparator", id="bad-decimal"),
        pytest.param(
            replace(BASE, decimal_separator=",", thousands_separator=","),
            "thousandsSeparator",
            id="same-separators",
        ),
        pytest.param(replace(BASE, currency_code="euro"), "currencyCode", id="bad-currency"),
        pytest.param(replace(BASE, has_header=False), "columns", id="names-without-header"),
    ],
)
def test_a_mapping_that_cannot_read_any_file_is_invalid_input(
    mapping: CsvMapping, field: str
) -> None:
    with pytest.raises(ParseError) as info:
        validate_mapping(mapping)

    assert info.value.code is ErrorCode.INVALID_INPUT
    assert info.value.field is not None
    assert info.value.field[:1] == ["csvMapping"]
    assert info.value.field[-1] == field


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "value"),
    [
        pytest.param("1.533,50", ",", ".", "1533.50", id="dutch-thousands"),
        pytest.param("1,533.50", ".", ",", "1533.50", id="english-thousands"),
        pytest.param("-33,50", ",", None, "-33.50", id="leading-minus"),
        pytest.param("33.50-", ".", None, "-33.50", id="trailing-minus"),
        pytest.param("(12.00)", ".", None, "-12.00", id="accounting-brackets"),
        pytest.param("+7", ".", None, "7", id="plus-sign"),
        pytest.param("1 234,56", ",", " ", "1234.56", id="space-thousands"),
        pytest.param("2500", ",", None, "2500", id="no-decimals"),
    ],
)
def test_amounts_are_read_with_the_mapped_separators(
    text: str, decimal: str, thousands: str | None, value: str
) -> None:
    assert parse_number(text, decimal, thousands) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["1.533,50", "abc", "1,2,3", "--1", "", "1e5", "NaN"], ids=lambda t: t or "empty"
)
def test_text_that_is_not_an_amount_under_a_decimal_point_mapping_is_rejected(text: str) -> None:
    assert parse_number(text, ".", None) is None


def test_separate_debit_and_credit_columns_give_the_sign() -> None:
    mapping = CsvMapping(
        delimiter=";",
        decimal_separator=",",
        date_format="%d.%m.%Y",
        columns=CsvColumns(booking_date="Datum", debit_amount="Soll", credit_amount="Haben"),
    )
    data = b"Datum;Soll;Haben\n01.02.2024;12,00;\n02.02.2024;;30,50\n"

    (statement,) = parse_statement_file(data, "CSV", csv_mapping=mapping)

    assert [line.amount for line in statement.lines] == [Decimal("-12.00"), Decimal("30.50")]


def test_columns_by_position_when_the_file_has_no_header() -> None:
    mapping = CsvMapping(
        has_header=False,
        quote_char=None,
        debit_indicators=("DBIT",),
        columns=CsvColumns(
            booking_date="0", amount="1", debit_credit_indicator="2", description=("3", "4")
        ),
    )
    data = b"2024-03-01,10.00,DBIT,invoice,INV-7\n2024-03-02,4.00,CRDT,refund,\n"

    (statement,) = parse_statement_file(data, "AUTO", csv_mapping=mapping)

    assert [line.amount for line in statement.lines] == [Decimal("-10.00"), Decimal("4.00")]
    assert statement.lines[0].remittance_text == "invoice INV-7"


def test_newest_first_export_takes_the_opening_balance_from_the_oldest_row() -> None:
    mapping = CsvMapping(
        columns=CsvColumns(booking_date="date", amount="amount", balance_after="balance")
    )
    data = b"date,amount,balance\n2024-01-03,-5.00,115.00\n2024-01-02,20.00,120.00\n"

    (statement,) = parse_statement_file(data, "CSV", csv_mapping=mapping)

    assert statement.opening_balance == Decimal("100.00")
    assert statement.closing_balance == Decimal("115.00")
    assert statement.balance_warning is None


def test_a_running_balance_that_does_not_add_up_is_flagged() -> None:
    mapping = CsvMapping(
        columns=CsvColumns(
            booking_date="date", amount="amount", balance_before="before", balance_after="after"
        )
    )
    data = (
        b"date,amount,before,after\n2024-01-02,10.00,100.00,110.00\n2024-01-03,5.00,110.00,999.00\n"
    )

    (statement,) = parse_statement_file(data, "CSV", csv_mapping=mapping)

    assert statement.opening_balance == Decimal("100.00")
    assert statement.closing_balance == Decimal("999.00")
    assert statement.balance_warning is not None
    assert "difference 884.00" in statement.balance_warning


RUNNING = CsvMapping(
    delimiter=";",
    decimal_separator=",",
    thousands_separator=".",
    date_format="%d-%m-%Y",
    debit_indicators=("Af",),
    columns=CsvColumns(
        booking_date="Datum",
        amount="Bedrag",
        debit_credit_indicator="AfBij",
        balance_after="Saldo",
    ),
)


def _dutch(value: Decimal) -> str:
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{groups},{cents}"


@settings(max_examples=150, deadline=None)
@given(
    opening=st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    amounts=st.lists(
        st.decimals(min_value=-(10**6), max_value=10**6, places=2), min_size=1, max_size=30
    ),
)
def test_running_balance_export_always_reconciles_and_reads_the_same_twice(
    opening: Decimal, amounts: list[Decimal]
) -> None:
    rows = ["Datum;Bedrag;AfBij;Saldo"]
    balance = opening
    for day, amount in enumerate(amounts):
        balance += amount
        sign = "-" if balance < 0 else ""
        when = (date(2024, 1, 1) + timedelta(days=day)).strftime("%d-%m-%Y")
        rows.append(
            f"{when};{_dutch(amount)};{'Af' if amount < 0 else 'Bij'};{sign}{_dutch(balance)}"
        )
    data = "\n".join(rows).encode()

    (statement,) = parse_statement_file(data, "CSV", csv_mapping=RUNNING)

    assert [line.amount for line in statement.lines] == amounts
    assert statement.opening_balance == opening
    assert statement.closing_balance == opening + sum(amounts, Decimal(0))
    assert statement.balance_warning is None
    assert parse_statement_file(data, "CSV", csv_mapping=RUNNING) == (statement,)
