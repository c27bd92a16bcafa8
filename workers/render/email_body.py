"""The statement e-mail is what the customer reads before opening the PDF, so it carries the
same balances in the same language; the HTML is autoescaped because names and addresses come
from customer data, and the subject is kept on one line so it cannot inject mail headers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2

from domain.statements import Statement
from workers.render.view import CompanyInfo, StatementView, build_view

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class BalanceRow:
    currency: str
    balance: str
    overdue: str | None


def mail_environment(*, html: bool) -> jinja2.Environment:
    """Templates of e-mail bodies: autoescaped for HTML, plain for text."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


_HTML = mail_environment(html=True)
_TEXT = mail_environment(html=False)


def one_line(text: str) -> str:
    """``text`` without line breaks or control characters, spaces collapsed (mail headers)."""
    cleaned = "".join(
        " " if ch.isspace() or unicodedata.category(ch).startswith("C") else ch for ch in text
    )
    return " ".join(cleaned.split())


def render_email(statement: Statement, company: CompanyInfo) -> tuple[str, str, str]:
    """``(subject, html, text)`` of the e-mail that carries the statement PDF."""
    return render_view_email(build_view(statement, company), company)


def render_view_email(view: StatementView, company: CompanyInfo) -> tuple[str, str, str]:
    """The e-mail of a statement view already built (the PDF is rendered from the same one)."""
    rows = _balance_rows(view)
    context = {
        "v": view,
        "rows": rows,
        "any_overdue": any(r.overdue for r in rows),
        "greeting": view.t("email_greeting", name=view.customer_name),
        "intro": view.t("email_intro", date=view.statement_date),
        "balance_header": view.t("email_balance", date=view.statement_date),
        "contact": view.t("email_contact", email=company.email) if company.email else "",
        "lang": view.tr.language,
    }
    subject = one_line(view.t("email_subject", date=view.statement_date, company=company.name))
    html = _HTML.get_template("statement.html.j2").render(subject=subject, **context)
    text = _TEXT.get_template("statement.txt.j2").render(subject=subject, **context)
    return subject, html, text


def _balance_rows(view: StatementView) -> tuple[BalanceRow, ...]:
    return tuple(
        BalanceRow(
            currency=s.currency,
            balance=s.closing_balance,
            overdue=s.overdue_total if view.include_overdue and s.has_overdue else None,
        )
        for s in view.sections
    )
