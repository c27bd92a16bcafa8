"""MT940 marks, dates and amounts are read the way SWIFT and the banks write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.bank import ParseError, parse_statement_file
from domain.bank.mt940_fields import parse_entry_line, swift_date

HEAD = ":20:REF\n:25:NL91ABNA0417164300\n:28C:7/1\n:60F:C231231EUR1000,00\n"


@pytest.mark.parametrize(
    ("mark", "sign"),
    [
        pytest.param("C", 1, id="credit-in"),
        pytest.param("D", -1, id="debit-out"),
        pytest.param("RC", -1, id="reversed-credit-out"),
        pytest.param("RD", 1, id="reversed-debit-in"),
        pytest.param("CR", 1, id="credit-with-funds-code-R"),
        pytest.param("DD", -1, id="debit-with-funds-code-D"),
    ],
)
def test_the_mark_gives_the_sign_of_the_amount(mark: str, sign: int) -> None:
    line = parse_entry_line([f"2401020102{mark}12,34NTRFNONREF"], "line 1")

    assert line.amount == sign * Decimal("12.34")


@pytest.mark.parametrize(
    ("field", "value_date", "entry_date"),
    [
        pytest.param("2312311229", date(2023, 12, 31), date(2023, 12, 29), id="same-year"),
        pytest.param("2312310102", date(2023, 12, 31), date(2024, 1, 2), id="entry-next-year"),
        pytest.param("2401021231", date(2024, 1, 2), date(2023, 12, 31), id="entry-last-year"),
        pytest.param("240102", date(2024, 1, 2), None, id="no-entry-date"),
        pytest.param("2302300301", date(2023, 2, 28), date(2023, 3, 1), id="february-30"),
    ],
)
def test_the_entry_date_takes_the_year_nearest_the_value_date(
    field: str, value_date: date, entry_date: date | None
) -> None:
    line = parse_entry_line([f"{field}C1,00NTRFX"], "line 1")

    assert (line.value_date, line.entry_date) == (value_date, entry_date)


def test_references_split_at_the_double_slash_and_keep_long_references_whole() -> None:
    line = parse_entry_line(
        ["1003190319CR27,00NTRF100323-03-100323-LONGER//32-P1-TCS49518", "extra", "info"],
        "line 1",
    )

    assert line.customer_reference == "100323-03-100323-LONGER"
    assert line.bank_reference == "32-P1-TCS49518"
    assert line.supplementary_details == "extra\ninfo"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("241301", "not a date", id="month-13"),
        pytest.param("240100", "not a date", id="day-0"),
        pytest.param("24013A", "not a statement line", id="letter"),
    ],
)
def test_impossible_dates_are_refused(text: str, words: str) -> None:
    with pytest.raises(ParseError, match=words):
        parse_statement_file((HEAD + f":61:{text}C1,00NTRFX\n").encode(), "MT940")


def test_statement_level_details_after_the_closing_balance_are_not_a_line() -> None:
    data = HEAD + ":61:240102C5,00NTRFX\n:86:paid\n:62F:C240102EUR1005,00\n:86:/SUM/1/\n"

    (statement,) = parse_statement_file(data.encode(), "MT940")

    assert [line.raw_details for line in statement.lines] == ["paid"]
    assert statement.statement_date == date(2024, 1, 2)
    assert statement.sequence_number == "7/1"
    assert statement.account_iban == "NL91ABNA0417164300"


@settings(max_examples=150, deadline=None)
@given(
    amounts=st.lists(
        st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2),
        max_size=25,
    ),
    opening=st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2),
)
def test_a_statement_whose_lines_add_up_has_no_balance_warning(
    amounts: list[Decimal], opening: Decimal
) -> None:
    closing = opening + sum(amounts, Decimal(0))
    lines = "".join(
        f":61:240102{'D' if a < 0 else 'C'}{str(abs(a)).replace('.', ',')}NTRFREF{i}\n:86:inv {i}\n"
        for i, a in enumerate(amounts)
    )
    mark = "D" if closing < 0 else "C"
    data = HEAD.replace("1000,00", str(opening).replace(".", ",")) + lines
    data += f":62F:{mark}240102EUR{str(abs(closing)).replace('.', ',')}\n"

    (statement,) = parse_statement_file(data.encode(), "MT940")

    assert [line.amount for line in statement.lines] == amounts
    assert statement.opening_balance == opening
    assert statement.opening_balance + statement.lines_total == statement.closing_balance
    assert statement.balance_warning is None
    assert parse_statement_file(data.encode(), "MT940") == (statement,)


def test_swift_dates_before_1980_are_last_century() -> None:
    assert swift_date("791231", "line 1") == date(2079, 12, 31)
    assert swift_date("800101", "line 1") == date(1980, 1, 1)
