"""The statement PDF: compiles in-process, shows the balances in the customer's language, and
prints customer data literally whatever it contains."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pypdf
import pytest

from domain.statements import StatementStyle
from tests.unit.render.samples import COMPANY, statement
from workers.render import RenderError, escape_typst, render_statement_pdf, render_statement_typst


def pdf_text(pdf: bytes) -> list[str]:
    """Text of each page, with the narrow/no-break spaces of French numbers made plain."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [
        (page.extract_text() or "").replace("\u202f", " ").replace("\xa0", " ") for page in pages
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def english_pdf() -> bytes:
    return render_statement_pdf(statement(language="ENU"), COMPANY)


@pytest.fixture(scope="module")
def french_pdf() -> bytes:
    return render_statement_pdf(statement(language="FRA"), COMPANY)


def test_the_pdf_is_a_pdf(english_pdf: bytes) -> None:
    assert english_pdf.startswith(b"%PDF-")


def test_the_sample_statement_balances_are_what_the_pdf_must_show() -> None:
    eur, usd = statement().sections

    assert (eur.currency_code, usd.currency_code) == ("EUR", "USD")
    assert eur.closing_balance == Decimal("1234567.89") + sum(
        Decimal(100 + i) for i in range(28) if i % 3
    )
    assert usd.closing_balance == Decimal("12345.67")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param(
            "ENU",
            ["Balance at Mar 31, 2026: 1,236,610.89 EUR", "Balance at Mar 31, 2026: 12,345.67 USD"],
            id="en",
        ),
        pytest.param(
            "FRA",
            ["Solde au 31 mars 2026 : 1 236 610,89 EUR", "Solde au 31 mars 2026 : 12 345,67 USD"],
            id="fr",
        ),
    ],
)
def test_each_currency_shows_its_closing_balance_in_the_customers_format(
    language: str, expected: list[str], english_pdf: bytes, french_pdf: bytes
) -> None:
    pdf = english_pdf if language == "ENU" else french_pdf

    text = flat(" ".join(pdf_text(pdf)))

    for heading in expected:
        assert heading in text


def test_a_long_statement_runs_over_two_pages_numbered_page_x_of_y(english_pdf: bytes) -> None:
    pages = pdf_text(english_pdf)

    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0]
    assert "Page 2 of 2" in pages[1]
    # the EUR table continues on page 2 under a repeated header
    assert flat(pages[1]).startswith("Date Document Your ref. Due date Amount Balance Mar 1, 2026")


def test_french_statements_have_french_labels(french_pdf: bytes) -> None:
    text = flat(" ".join(pdf_text(french_pdf)))

    for label in [
        "Relevé de compte",
        "N° client",
        "Date du relevé",
        "Échéances dépassées en EUR",
        "Balance âgée par échéance au 31 mars 2026",
        "Non échu",
        "Solde reporté au 31 déc. 2025",
        "Page 1 sur 2",
    ]:
        assert label in text
    assert "Balance at" not in text


def test_the_open_item_style_shows_original_and_remaining_amounts() -> None:
    pdf = render_statement_pdf(statement(style=StatementStyle.OPEN_ITEM, invoices=3), COMPANY)

    text = flat(" ".join(pdf_text(pdf)))

    assert "Original amount Remaining Balance" in text
    assert "Open items posted before Jan 1, 2026 1,234,567.89" in text


HOSTILE = [
    pytest.param('#set page(width: 1cm) #panic("x")', id="code"),
    pytest.param("*bold* _em_ `raw`", id="markup"),
    pytest.param("$x^2$ and \\ backslash", id="math_and_backslash"),
    pytest.param("[link](x) <label> @ref", id="brackets_labels_refs"),
    pytest.param("// comment /* block */ https://evil.example", id="comments_and_url"),
    pytest.param('= Heading "quoted" ~tilde -- dash ... dots', id="line_markers_shorthands"),
    pytest.param("1. enum + item - list / term", id="list_markers"),
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_customer_data_is_printed_literally(name: str) -> None:
    st = statement(name=name, address=(name, "line\nbreak"), invoices=2)

    text = flat(" ".join(pdf_text(render_statement_pdf(st, replace(COMPANY, name=name)))))

    assert flat(name) in text
    assert "line break" in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("#set", "\\#set", id="hash"),
        pytest.param("a\\b", "a\\\\b", id="backslash"),
        pytest.param("*x*", "\\*x\\*", id="star"),
        pytest.param("$x$", "\\$x\\$", id="dollar"),
        pytest.param("[a]", "\\[a\\]", id="brackets"),
        pytest.param("//", "\\/\\/", id="comment"),
        pytest.param("<l> @r", "\\<l\\> \\@r", id="label_ref"),
        pytest.param("a\nb\tc", "a b c", id="line_breaks_become_spaces"),
        pytest.param("Müller 42", "Müller 42", id="letters_digits_untouched"),
    ],
)
def test_escape_typst_backslashes_punctuation(raw: str, escaped: str) -> None:
    assert escape_typst(raw) == escaped


def test_customer_data_never_reaches_the_typst_source_unescaped() -> None:
    source = render_statement_typst(statement(name="#panic()", invoices=1), COMPANY)

    assert "#panic()" not in source
    assert "\\#panic\\(\\)" in source


def test_the_same_statement_gives_the_same_bytes(english_pdf: bytes) -> None:
    assert render_statement_pdf(statement(language="ENU"), COMPANY) == english_pdf


def test_a_logo_that_is_not_a_png_is_refused() -> None:
    with pytest.raises(RenderError, match="PNG"):
        render_statement_pdf(statement(invoices=1), replace(COMPANY, logo_png=b"GIF89a..."))


def test_a_statement_renders_without_a_logo() -> None:
    pdf = render_statement_pdf(statement(invoices=1), replace(COMPANY, logo_png=None))

    assert "CRONUS France SA" in pdf_text(pdf)[0]
