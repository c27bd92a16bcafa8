"""What a reminder or finance charge memo says, before any database: wording per level and
language, amounts and dates as the customer's country writes them, the memo's formula, and
customer data that cannot change the document or the mail headers."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from domain.statements import StatementCustomer
from store.collections.finance_charges import StoredMemo, StoredMemoLine
from store.collections.reminders import StoredReminder, StoredReminderLine
from workers.render import CompanyInfo
from workers.render.collection_email import render_collection_email
from workers.render.collection_pdf import render_collection_pdf, render_collection_typst
from workers.render.collection_texts import COLLECTION_LABELS
from workers.render.collection_view import build_memo_view, build_reminder_view
from workers.render.i18n import LABELS

NNBSP = "\u202f"  # CLDR's French group separator
EN_TOTAL, EN_DUE = "1,378.33 EUR", "Mar 16, 2026"
FR_TOTAL, FR_DUE = f"1{NNBSP}378,33 EUR", "16 mars 2026"

COMPANY = CompanyInfo(
    name="Cronus SA",
    address_lines=("12 rue de la Paix", "75002 Paris"),
    email="ar@cronus.example",
    vat_no="FR123",
)


def customer(language: str = "", name: str = "Dupont & Fils") -> StatementCustomer:
    return StatementCustomer(
        no="C1",
        name=name,
        address_lines=("3 avenue Foch", "69006 Lyon"),
        email="c1@example.com",
        language_code=language,
        currency_code="",
    )


def reminder(level: int = 1, fee: str = "25.00", currency: str = "") -> StoredReminder:
    lines = (
        StoredReminderLine(1, "INVOICE", "INV-1", date(2026, 1, 10), Decimal("1000.00"), level),
        StoredReminderLine(
            2, "FINANCE_CHARGE_MEMO", "FCM000001", date(2026, 1, 25), Decimal("353.33"), 1
        ),
    )
    remaining = Decimal("1353.33")
    return StoredReminder(
        12, "C1", currency, level, date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 16),
        remaining, Decimal(fee), remaining + Decimal(fee), "ISSUED", "REM000012", 7, None, lines,
    )  # fmt: skip


def memo(method: str = "BALANCE_DUE", period: int = 30, fee: str = "5.00") -> StoredMemo:
    lines = (
        StoredMemoLine(1, "INV-1", 50, Decimal("1000.00"), Decimal("25.00"), "stored text 1"),
        StoredMemoLine(2, "INV-2", 40, Decimal("1234.56"), Decimal("24.69"), "stored text 2"),
    )
    interest = Decimal("49.69")
    return StoredMemo(
        3, "C1", "", date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 1), interest,
        Decimal(fee), interest + Decimal(fee), "ISSUED", "FCM000003", 8, lines,
        Decimal("1.5"), period, method,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "level", "title", "text_start", "total", "due"),
    [
        ("ENU", 1, "Payment reminder", "According to our records", EN_TOTAL, EN_DUE),
        ("", 2, "Second reminder", "Despite our previous reminder,", EN_TOTAL, EN_DUE),
        ("en", 3, "Final reminder", "Despite our previous reminders,", EN_TOTAL, EN_DUE),
        ("en", 7, "Final reminder", "Despite our previous reminders,", EN_TOTAL, EN_DUE),
        ("FRA", 1, "Rappel de paiement", "Sauf erreur", FR_TOTAL, FR_DUE),
        ("fr-CA", 2, "Deuxième relance", "Malgré notre précédent", "1\xa0378,33 EUR", FR_DUE),
        ("FRS", 4, "Dernière relance", "Malgré nos rappels", FR_TOTAL, FR_DUE),
        ("DEU", 1, "Payment reminder", "According to our records", EN_TOTAL, EN_DUE),
    ],
)  # fmt: skip
def test_reminder_wording_follows_level_and_language_with_total_and_pay_by_date(
    language: str, level: int, title: str, text_start: str, total: str, due: str
) -> None:
    view = build_reminder_view(reminder(level), customer(language), COMPANY, "EUR")

    assert view.title == title
    assert view.text.startswith(text_start)
    assert total in view.text
    assert due in view.text
    assert view.total_with_currency == total
    assert dict(view.facts)[view.t("pay_by")] == due
    assert dict(view.facts)[view.t("reminder_level")] == str(level)


def test_reminder_lines_fee_and_total_in_english() -> None:
    view = build_reminder_view(reminder(), customer("en"), COMPANY, "EUR")

    assert view.columns == ("Document", "Due date", "Remaining")
    assert view.rows == (
        ("Invoice INV-1", "Jan 10, 2026", "1,000.00"),
        ("Finance charge memo FCM000001", "Jan 25, 2026", "353.33"),
    )
    assert [(t.label, t.amount) for t in view.subtotals] == [
        ("Total overdue", "1,353.33"),
        ("Reminder fee", "25.00"),
    ]
    assert (view.total.label, view.total.amount) == ("Total due", "1,378.33")
    assert view.currency == "EUR"  # LCY documents print the company's currency


def test_reminder_without_fee_has_no_fee_row_and_keeps_its_own_currency() -> None:
    view = build_reminder_view(reminder(fee="0", currency="USD"), customer("fr"), COMPANY, "EUR")

    assert [t.label for t in view.subtotals] == ["Total échu"]
    assert view.total_with_currency == f"1{NNBSP}353,33 USD"
    assert view.rows[0] == ("Facture INV-1", "10 janv. 2026", f"1{NNBSP}000,00")


def test_unknown_document_type_prints_the_bare_number() -> None:
    odd = replace(
        reminder(),
        lines=(StoredReminderLine(1, "ODD", "X-1", date(2026, 1, 10), Decimal("1"), 1),),
    )
    view = build_reminder_view(odd, customer("en"), COMPANY, "EUR")
    assert view.rows[0][0] == "X-1"


@pytest.mark.parametrize(
    ("language", "method", "period", "first_formula"),
    [
        ("en", "BALANCE_DUE", 30, "1,000.00 × 1.5 % × 50 / 30 days"),
        ("en", "AVERAGE_DAILY_BALANCE", 360, "average balance 1,000.00 × 1.5 % × 50 / 360 days"),
        ("fr", "BALANCE_DUE", 30, f"1{NNBSP}000,00 × 1,5 % × 50 / 30 jours"),
        ("fr", "AVERAGE_DAILY_BALANCE", 30, f"solde moyen 1{NNBSP}000,00 × 1,5 % × 50 / 30 jours"),
        ("fr", "BALANCE_DUE", 0, "stored text 1"),  # memos from before the terms were recorded
    ],
)  # fmt: skip
def test_memo_lines_show_days_formula_and_interest_in_the_customers_language(
    language: str, method: str, period: int, first_formula: str
) -> None:
    view = build_memo_view(memo(method, period), customer(language), COMPANY, "EUR")

    document, days, formula, interest = view.rows[0]
    assert (document, days, formula) == ("INV-1", "50", first_formula)
    assert interest == ("25.00" if language == "en" else "25,00")
    assert len(view.rows) == 2


def test_memo_totals_interest_additional_fee_and_total() -> None:
    view = build_memo_view(memo(), customer("en"), COMPANY, "EUR")

    assert view.title == "Finance charge memo"
    assert [(t.label, t.amount) for t in view.subtotals] == [
        ("Interest", "49.69"),
        ("Additional fee", "5.00"),
    ]
    assert view.total_with_currency == "54.69 EUR"
    assert "54.69 EUR" in view.text
    assert dict(view.facts)["Interest to"] == "Mar 1, 2026"
    no_fee = build_memo_view(memo(fee="0"), customer("en"), COMPANY, "EUR")
    assert [t.label for t in no_fee.subtotals] == ["Interest"]


def test_every_collection_language_has_every_label_and_is_a_statement_language() -> None:
    assert set(COLLECTION_LABELS) <= set(LABELS)
    assert set(COLLECTION_LABELS["fr"]) == set(COLLECTION_LABELS["en"])


def test_customer_data_cannot_change_the_typst_document_and_prints_literally() -> None:
    hostile = '#set page(width: 1cm) *bold* $x$ <lbl> @ref // "quote"'
    view = build_reminder_view(reminder(), customer("en", hostile), COMPANY, "EUR")

    source = render_collection_typst(view)
    assert "#set page(width: 1cm)" not in source
    assert r"\#set page\(width\: 1cm\)" in source
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_collection_pdf(view))).pages
    )
    assert "#set page(width: 1cm) *bold*" in text
    assert "REM000012" in text
    assert "1,378.33 EUR" in text


def test_the_same_document_renders_to_the_same_pdf_bytes() -> None:
    view = build_memo_view(memo(), customer("fr"), COMPANY, "EUR")
    assert render_collection_pdf(view) == render_collection_pdf(view)


def test_email_subject_stays_on_one_line_and_html_is_escaped() -> None:
    company = replace(COMPANY, name="Cronus\r\nBcc: victim@example.com")
    view = build_reminder_view(reminder(2), customer("fr", "<script>x</script>"), company, "EUR")

    subject, html, text = render_collection_email(view)

    assert subject == "Deuxième relance REM000012 – Cronus Bcc: victim@example.com"
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Bonjour <script>x</script>," in text
    assert f"1{NNBSP}378,33 EUR" in html
    assert f"1{NNBSP}378,33 EUR" in text
    assert "Facture INV-1" in text
