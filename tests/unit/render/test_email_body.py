"""The statement e-mail: translated, balances per currency, customer data escaped in HTML."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.unit.render.samples import COMPANY, statement
from workers.render import render_email


def test_the_english_email_gives_each_currency_balance_and_overdue_amount() -> None:
    subject, html, text = render_email(statement(language="ENU"), COMPANY)

    assert subject == "Statement of account at Mar 31, 2026 – CRONUS France SA"
    assert "Dear Selangorian Ltd.," in text
    assert "EUR  1,236,610.89  (Overdue: 1,236,610.89)" in text
    assert "USD  12,345.67  (Overdue: 12,345.67)" in text
    assert "1,236,610.89" in html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html


def test_the_french_email_is_in_french_with_french_numbers() -> None:
    subject, html, text = render_email(statement(language="FRA"), COMPANY)

    assert subject == "Relevé de compte au 31 mars 2026 – CRONUS France SA"
    assert "Bonjour Selangorian Ltd.," in text
    assert "EUR  1\u202f236\u202f610,89  (Dont échu\u00a0: 1\u202f236\u202f610,89)" in text
    assert "Cordialement," in html
    assert '<html lang="fr">' in html


def test_the_html_escapes_customer_and_company_names() -> None:
    hostile = '<script>alert("x")</script> & Co'

    _, html, text = render_email(
        statement(name=hostile, invoices=1), replace(COMPANY, name="Evil <b>Corp</b>")
    )

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert "Evil &lt;b&gt;Corp&lt;/b&gt;" in html
    assert hostile in text  # the plain-text part is not HTML


@pytest.mark.parametrize(
    "company_name",
    [
        pytest.param("ACME\r\nBcc: victim@example.com", id="crlf"),
        pytest.param("ACME\nBcc: victim@example.com", id="lf"),
        pytest.param("ACME\u2028Bcc: victim@example.com", id="unicode_line_separator"),
    ],
)
def test_the_subject_stays_on_one_line(company_name: str) -> None:
    subject, _, _ = render_email(statement(invoices=1), replace(COMPANY, name=company_name))

    assert subject.endswith("ACME Bcc: victim@example.com")
    assert not any(ch in subject for ch in "\r\n\u2028")


def test_a_customer_with_nothing_open_is_told_so() -> None:
    _, html, text = render_email(statement(entries=[]), COMPANY)

    assert "Your account has no open balance." in text
    assert "Your account has no open balance." in html
