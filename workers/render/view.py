"""The PDF and the e-mail must say the same thing in the same words, so both templates read one
view of the statement whose labels, dates and amounts are already written in the customer's
language; templates only lay it out (and escape it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.statements import (
    Aging,
    AgingBy,
    BucketKind,
    CurrencySection,
    DocumentType,
    MovementType,
    Statement,
    StatementLine,
    StatementStyle,
)
from workers.render.i18n import Translator


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyInfo:
    """The sender printed on the statement; ``logo_png`` is a PNG image or ``None``."""

    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    vat_no: str = ""
    logo_png: bytes | None = None


@dataclass(frozen=True, slots=True)
class LineView:
    date: str
    document: str
    your_ref: str
    due_date: str
    original_amount: str
    amount: str
    balance: str


@dataclass(frozen=True, slots=True)
class OverdueView:
    document: str
    your_ref: str
    due_date: str
    days_overdue: str
    original_amount: str
    remaining: str


@dataclass(frozen=True, slots=True)
class AgingView:
    title: str
    headers: tuple[str, ...]
    amounts: tuple[str, ...]
    total: str


@dataclass(frozen=True, slots=True)
class SectionView:
    currency: str
    title: str
    opening_label: str
    opening_balance: str
    lines: tuple[LineView, ...]
    closing_label: str
    closing_balance: str
    heading: str
    overdue_title: str
    overdue: tuple[OverdueView, ...]
    overdue_total: str
    has_overdue: bool
    aging: AgingView | None


@dataclass(frozen=True, slots=True)
class StatementView:
    """Everything a template prints, as text in the statement's language."""

    tr: Translator
    company: CompanyInfo
    customer_no: str
    customer_name: str
    customer_address: tuple[str, ...]
    statement_date: str
    period: str
    open_item_style: bool
    include_overdue: bool
    sections: tuple[SectionView, ...]

    def t(self, key: str, **values: str) -> str:
        return self.tr.t(key, **values)


def build_view(statement: Statement, company: CompanyInfo) -> StatementView:
    """Format ``statement`` for printing in its language (the customer's unless overridden)."""
    tr = Translator.for_code(statement.language_code)
    options = statement.options
    return StatementView(
        tr=tr,
        company=company,
        customer_no=statement.customer.no,
        customer_name=statement.customer.name,
        customer_address=statement.customer.address_lines,
        statement_date=tr.date(statement.statement_date),
        period=tr.t(
            "period_value", start=tr.date(options.start_date), end=tr.date(options.end_date)
        ),
        open_item_style=options.style is StatementStyle.OPEN_ITEM,
        include_overdue=options.include_overdue,
        sections=tuple(_section(tr, statement, s) for s in statement.sections),
    )


def document_label(tr: Translator, document_type: DocumentType | None, document_no: str) -> str:
    """``Invoice INV-001`` / ``Facture INV-001``."""
    kind = tr.t(f"doc_{document_type.value}" if document_type else "doc_NONE")
    return f"{kind} {document_no}".strip()


def _section(tr: Translator, statement: Statement, section: CurrencySection) -> SectionView:
    code = section.currency_code
    options = statement.options
    opening_key = (
        "open_items_before" if options.style is StatementStyle.OPEN_ITEM else "opening_balance"
    )
    opening_date = options.start_date
    if options.style is StatementStyle.BALANCE:
        opening_date = _day_before(options.start_date)
    return SectionView(
        currency=code,
        title=tr.t("section_title", currency=code),
        opening_label=tr.t(opening_key, date=tr.date(opening_date)),
        opening_balance=tr.money(section.opening_balance, code),
        lines=tuple(_line(tr, line, code) for line in section.lines),
        closing_label=tr.t("closing_balance", date=tr.date(options.end_date)),
        closing_balance=tr.money(section.closing_balance, code),
        heading=tr.t(
            "label_value",
            label=tr.t("closing_balance", date=tr.date(options.end_date)),
            value=f"{tr.money(section.closing_balance, code)} {code}".strip(),
        ),
        overdue_title=tr.t("overdue_title", currency=code),
        overdue=tuple(
            OverdueView(
                document=document_label(tr, o.document_type, o.document_no),
                your_ref=o.external_document_no,
                due_date=tr.date(o.due_date),
                days_overdue=tr.number(o.days_overdue),
                original_amount=tr.money(o.original_amount, code),
                remaining=tr.money(o.remaining_amount, code),
            )
            for o in section.overdue
        ),
        overdue_total=tr.money(section.overdue_total, code),
        has_overdue=bool(section.overdue),
        aging=_aging(tr, section.aging, code) if section.aging else None,
    )


def _line(tr: Translator, line: StatementLine, code: str) -> LineView:
    document = document_label(tr, line.document_type, line.document_no)
    if line.kind is MovementType.APPLICATION:
        document = tr.t("kind_APPLICATION")
    elif line.kind is not MovementType.INITIAL_ENTRY:
        document = f"{tr.t('kind_' + line.kind.value)} · {document}"
    return LineView(
        date=tr.date(line.posting_date),
        document=document,
        your_ref=line.external_document_no,
        due_date=tr.date(line.due_date) if _shows_due_date(line) else "",
        original_amount=tr.money(line.original_amount, code),
        amount=tr.money(line.amount, code),
        balance=tr.money(line.balance, code),
    )


def _shows_due_date(line: StatementLine) -> bool:
    """Only amounts the customer owes have a due date worth printing (not payments)."""
    return line.kind is MovementType.INITIAL_ENTRY and line.original_amount > 0


def _aging(tr: Translator, aging: Aging, code: str) -> AgingView:
    key = "aging_title_due" if aging.aging_by is AgingBy.DUE_DATE else "aging_title_posting"
    headers = []
    for bucket in aging.buckets:
        if bucket.kind is BucketKind.CURRENT:
            headers.append(tr.t("bucket_current"))
        elif bucket.kind is BucketKind.OLDER:
            headers.append(tr.t("bucket_older", end=tr.date(bucket.end)))
        else:
            headers.append(
                tr.t("bucket_range", start=tr.date(bucket.start), end=tr.date(bucket.end))
            )
    return AgingView(
        title=tr.t(key, date=tr.date(aging.aging_date), period=aging.period),
        headers=tuple(headers),
        amounts=tuple(tr.money(b.amount, code) for b in aging.buckets),
        total=tr.money(aging.total, code),
    )


def _day_before(day: date) -> date:
    return day - timedelta(days=1) if day > date.min else day
