"""The statement PDF: compiles in-process, shows the balances in the customer's language, and
prints customer data literally whatever it contains."""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
import typst
from hypothesis import given
from hypothesis import strategies as st

from domain.statements import StatementStyle
from tests.unit.render.samples import COMPANY, daily_ledger, statement
from workers.render import RenderError, escape_typst, render_statement_pdf, render_statement_typst
from workers.render.font_widths import FONTS_DIR, bundled_font_widths
from workers.render.statement_layout import FIT_MARGIN, MARGIN_BOTTOM, ROW, ROW_TOP
from workers.render.typst_pdf import compile_typst
from workers.render.typst_text import typst_string
from workers.render.view import build_view


def pdf_text(pdf: bytes) -> list[str]:
    """Text of each page, with the narrow/no-break spaces of French numbers made plain."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [
        (page.extract_text() or "").replace("\u202f", " ").replace("\xa0", " ") for page in pages
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


def layout_rows(pdf: bytes) -> list[list[str]]:
    """Each page's text rows as laid out on the page (columns side by side), spaces collapsed."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [
        [
            flat(row)
            for row in page.extract_text(extraction_mode="layout").splitlines()
            if row.strip()
        ]
        for page in pages
    ]


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


@pytest.mark.parametrize("ref", HOSTILE)
def test_hostile_references_are_printed_literally_in_their_column(ref: str) -> None:
    entries = daily_ledger(2)
    entries[0] = replace(entries[0], external_document_no=ref)
    st = statement(entries=entries)
    line = build_view(st, COMPANY).sections[0].lines[0]

    rows = layout_rows(render_statement_pdf(st, COMPANY))[0]

    before, after = (
        f"{line.date} {line.document} ",
        f" {line.due_date} {line.amount} {line.balance}",
    )
    (row,) = [r for r in rows if r.startswith(before) and r.endswith(after)]
    printed = row[len(before) : -len(after)]
    assert printed == flat(ref) or (printed.endswith("…") and flat(ref).startswith(printed[:-1]))


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


def reference_escape(text: str) -> str:
    """escape_typst as first written, one character at a time."""
    out = []
    for ch in text:
        if ch in "\\#$*_[]<>@`~\"'/=-+.:;,!?%&(){}|^":
            out.append("\\" + ch)
        elif ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


@given(st.text())
def test_escape_typst_escapes_any_text_as_it_always_did(text: str) -> None:
    assert escape_typst(text) == reference_escape(text)


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


EN_HEADER = "Date Document Your ref. Due date Amount Balance"


def room_under_the_last_row(pdf: bytes) -> list[float]:
    """Per page, the space left between its lowest row of text and the bottom margin (points)."""
    room = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        baselines: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip():
                baselines.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])  # noqa: B023

        page.extract_text(visitor_text=visit)
        body = [y for y in baselines if y > MARGIN_BOTTOM]  # not the footer
        room.append(min(body) - (ROW - ROW_TOP) - MARGIN_BOTTOM)
    return room


def test_a_long_statement_prints_every_line_on_one_row_and_repeats_the_header_on_each_page() -> (
    None
):
    st = statement(entries=daily_ledger(120))
    lines = build_view(st, COMPANY).sections[0].lines

    pdf = render_statement_pdf(st, COMPANY)
    pages = layout_rows(pdf)

    rows = [row for page in pages for row in page]
    expected = [
        " ".join(x for x in (x.date, x.document, x.your_ref, x.due_date, x.amount, x.balance) if x)
        for x in lines
    ]
    at = [rows.index(row) for row in expected]  # ValueError if a line is not one whole row
    assert at == sorted(at)
    assert "Balance at Mar 31, 2026 19,140.00" in rows
    runs_over = [page for page in pages if any(row in page for row in expected)]
    assert len(runs_over) == 3
    for page in runs_over[1:]:  # the table runs on, under its column headers
        assert page[0] == EN_HEADER
    # the pages were cut where they are full (where Typst breaks the table)
    assert all(0 <= room < ROW for room in room_under_the_last_row(pdf)[:2])
    first_line = pages[0].index(expected[0])
    assert pages[0][first_line - 2 : first_line] == [
        EN_HEADER,
        "Balance brought forward at Dec 31, 2025 0.00",
    ]


def test_an_over_long_document_or_reference_is_shortened_on_its_row_not_wrapped() -> None:
    entries = daily_ledger(5)
    entries[1] = replace(entries[1], external_document_no="PO-" + "7" * 80)
    entries[3] = replace(entries[3], document_no="INV-" + "W" * 80)
    st = statement(entries=entries)
    lines = build_view(st, COMPANY).sections[0].lines

    rows = layout_rows(render_statement_pdf(st, COMPANY))[0]

    table = rows[rows.index(EN_HEADER) + 2 : rows.index("Balance at Mar 31, 2026 510.00")]
    assert len(table) == len(lines) == 5  # one row per line: nothing wrapped
    for row, line in zip(table, lines, strict=True):
        assert row.startswith(line.date)
        assert row.endswith(f"{line.amount} {line.balance}")
    ref = table[1].split()[5]
    assert ref.endswith("…")
    assert ("PO-" + "7" * 80).startswith(ref[:-1])
    assert len(ref) > 8
    document = table[3].split()[4]
    assert document.endswith("…")
    assert ("INV-" + "W" * 80).startswith(document[:-1])
    assert "W" * 80 not in " ".join(rows)


@pytest.mark.parametrize(
    "text",
    [
        "Müller & Söhne",
        "WAVE To Ty Yo",
        "1 234 567,89 €",
        "31 déc. 2025 – 30 janv. 2026",
        "fi fl ffi",
    ],
)
def test_widths_measured_in_python_are_the_ones_typst_sets(text: str, tmp_path: Path) -> None:
    regular, bold = bundled_font_widths()
    probe = tmp_path / "probe.typ"
    probe.write_text(
        '#set text(font: "DejaVu Sans", size: 10pt)\n'
        f"#context [#metadata((measure[{escape_typst(text)}].width.pt(), "
        f'measure(text(weight: "bold")[{escape_typst(text)}]).width.pt())) <w>]'
    )

    found = typst.query(
        str(probe), "<w>", field="value", font_paths=[str(FONTS_DIR)], ignore_system_fonts=True
    )
    (typst_regular, typst_bold), *_ = json.loads(found)

    # never narrower than Typst sets it (the text would wrap), at most 10% wider (kerning)
    for measured, typeset in (
        (regular.width(text, 10), typst_regular),
        (bold.width(text, 10), typst_bold),
    ):
        assert 0.9 * measured <= typeset <= measured + FIT_MARGIN


@pytest.mark.parametrize(
    "text", ['say "hi"', "back\\slash \\n", "#panic() $x$ *b* [c] // d", "tab\tand\nbreak"]
)
def test_a_typst_string_prints_its_text_literally(text: str) -> None:
    source = f'#set text(font: "DejaVu Sans")\n#{typst_string([text, "second"])}'

    pdf = compile_typst(source, logo_png=None, day=date(2026, 1, 1), what="test")

    assert flat(pdf_text(pdf)[0]) == flat(text.replace("\t", " ").replace("\n", " ")) + " second"
