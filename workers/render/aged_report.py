"""The aged receivables / payables report as a PDF: the same rows as the GraphQL report and its
CSV, laid out on landscape pages by the statements' Typst machinery (escaped Jinja2 template,
bundled fonts, in-process compiler), with BC's currency specification and the total in LCY.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.reports import AgedBalance, AgingBasis, AgingLayout, currency_totals
from workers.render.i18n import Translator
from workers.render.typst_pdf import compile_typst
from workers.render.typst_text import TYPST_TEMPLATES, TypstRaw, page_label
from workers.render.view import CompanyInfo

TEMPLATE = "aged_report.typ.j2"
_TITLES = {"RECEIVABLES": "Aged Accounts Receivable", "PAYABLES": "Aged Accounts Payable"}
_PARTY = {"RECEIVABLES": "Customer", "PAYABLES": "Vendor"}
_BASIS = {
    AgingBasis.DUE_DATE: "Due Date",
    AgingBasis.POSTING_DATE: "Posting Date",
    AgingBasis.DOCUMENT_DATE: "Document Date",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AgedReportView:
    """Everything printed, already written as text; the template only lays it out."""

    company: CompanyInfo
    title: str
    as_of: date
    facts: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...]
    total_lcy: str
    tr: Translator


def build_aged_report_view(
    ledger: str,
    layout: AgingLayout,
    rows: Sequence[AgedBalance],
    company: CompanyInfo,
    lcy_code: str,
    currency_filter: str | None = None,
) -> AgedReportView:
    """The printed report: one line per party and currency (amounts in that currency), then
    one total line per currency and the grand total in LCY. A blank currency prints as the
    local currency's code."""
    tr = Translator.for_code("en")
    due = layout.basis is AgingBasis.DUE_DATE
    columns = (
        "No.",
        "Name",
        "Currency",
        *(("Not due",) if due else ()),
        *(c.label for c in layout.columns),
        "Balance",
        f"Balance ({lcy_code})",
    )

    def line(no: str, name: str, row: AgedBalance) -> tuple[str, ...]:
        code = row.currency_code or lcy_code
        amounts = ((row.not_due,) if due else ()) + row.buckets + (row.total,)
        return (
            no,
            name,
            code,
            *(tr.money(a, code) for a in amounts),
            tr.money(row.total_lcy, lcy_code),
        )

    totals = currency_totals(layout, rows)
    total_lcy = sum((t.total_lcy for t in totals), Decimal(0))
    facts = [
        ("Aged as of", tr.date(layout.as_of)),
        ("Aged by", _BASIS[layout.basis]),
        ("Periods", ", ".join(layout.periods)),
    ]
    if currency_filter is not None:
        facts.append(("Currency", currency_filter or lcy_code))
    return AgedReportView(
        company=company,
        title=_TITLES[ledger],
        as_of=layout.as_of,
        facts=tuple(facts),
        columns=columns,
        rows=tuple(line(r.party_no, r.party_name, r) for r in rows),
        totals=tuple(line("", f"Total {t.currency_code or lcy_code}", t) for t in totals),
        total_lcy=tr.money(total_lcy, lcy_code) + f" {lcy_code}",
        tr=tr,
    )


def render_aged_report_typst(view: AgedReportView) -> str:
    """The Typst source of the report (the logo, if any, is read from ``logo.png``)."""
    amounts = len(view.columns) - 3
    widths = ", ".join(["auto", "1fr", "auto", *(["auto"] * amounts)])
    alignment = ", ".join(["left", "left", "left", *(["right"] * amounts)])
    return TYPST_TEMPLATES.get_template(TEMPLATE).render(
        v=view,
        page_label=page_label(view.tr),
        has_logo=view.company.logo_png is not None,
        column_widths=TypstRaw(widths + ","),
        column_align=TypstRaw(f"({alignment},)"),
    )


def render_aged_report_pdf(view: AgedReportView) -> bytes:
    """The report as PDF bytes, dated by its as-of date (the same report, the same bytes);
    RenderError when the logo is not a PNG or Typst fails."""
    return compile_typst(
        render_aged_report_typst(view),
        logo_png=view.company.logo_png,
        day=view.as_of,
        what="report",
    )
