"""A reminder or finance charge memo is printed and e-mailed from one view, already written in
the customer's language, so the PDF and the e-mail cannot disagree; both kinds share one
layout (header facts, a text, a table of lines, totals), only their content differs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from domain.finance_charges import InterestMethod
from domain.reminders import ReminderLevel, level_text
from domain.statements import StatementCustomer
from store.collections.deliveries import FINANCE_CHARGE_MEMO, REMINDER
from store.collections.finance_charges import StoredMemo
from store.collections.reminders import StoredReminder
from workers.render.collection_texts import collection_text, level_key
from workers.render.i18n import Translator
from workers.render.view import CompanyInfo


@dataclass(frozen=True, slots=True)
class TotalRow:
    label: str
    amount: str


@dataclass(frozen=True, slots=True)
class CollectionView:
    """Everything the templates print, as text in the customer's language."""

    tr: Translator
    kind: str
    title: str
    company: CompanyInfo
    customer_no: str
    customer_name: str
    customer_address: tuple[str, ...]
    document_no: str
    document_date: date
    currency: str
    facts: tuple[tuple[str, str], ...]
    text: str
    columns: tuple[str, ...]
    right_aligned: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    subtotals: tuple[TotalRow, ...]
    total: TotalRow

    def t(self, key: str, **values: str) -> str:
        return collection_text(self.tr, key, **values)

    @property
    def total_with_currency(self) -> str:
        return f"{self.total.amount} {self.currency}".strip()


def _document_label(tr: Translator, document_type: str, document_no: str) -> str:
    """``Invoice INV-001`` / ``Facture INV-001``; the bare number for an unknown type."""
    try:
        kind = tr.t(f"doc_{document_type}")
    except KeyError:
        return document_no
    return f"{kind} {document_no}".strip()


def _rate(tr: Translator, rate: Decimal) -> str:
    """``1.5`` / ``1,5``: as many decimals as the rate has, no trailing zeros."""
    return str(format_decimal(rate.normalize(), format="#,##0.######", locale=tr.locale))


def build_reminder_view(
    reminder: StoredReminder,
    customer: StatementCustomer,
    company: CompanyInfo,
    lcy_code: str,
    level: ReminderLevel | None = None,
) -> CollectionView:
    """The issued reminder as printed: the level's own text in the customer's language when
    its terms have one (else the built-in wording), one row per reminded entry, the fee."""
    tr = Translator.for_code(customer.language_code)
    currency = reminder.currency_code or lcy_code

    def money(amount: Decimal) -> str:
        return tr.money(amount, currency)

    due = tr.date(reminder.due_date)
    total = money(reminder.total_amount)
    wording = {"total": f"{total} {currency}".strip(), "due_date": due}
    subtotals = [TotalRow(tr.t("total_overdue"), money(reminder.remaining_amount))]
    if reminder.fee_amount != 0:
        subtotals.append(TotalRow(collection_text(tr, "reminder_fee"), money(reminder.fee_amount)))
    return CollectionView(
        tr=tr,
        kind=REMINDER,
        title=collection_text(tr, level_key("reminder_title", reminder.level)),
        company=company,
        customer_no=customer.no,
        customer_name=customer.name,
        customer_address=customer.address_lines,
        document_no=reminder.document_no,
        document_date=reminder.document_date,
        currency=currency,
        facts=(
            (collection_text(tr, "document_no"), reminder.document_no),
            (collection_text(tr, "document_date"), tr.date(reminder.document_date)),
            (tr.t("customer_no"), customer.no),
            (collection_text(tr, "pay_by"), due),
            (collection_text(tr, "reminder_level"), tr.number(reminder.level)),
            (tr.t("currency"), currency),
        ),
        text=(level and level_text(level, customer.language_code or tr.language, **wording))
        or collection_text(tr, level_key("reminder_text", reminder.level), **wording),
        columns=(tr.t("document"), tr.t("due_date"), tr.t("remaining")),
        right_aligned=(False, False, True),
        rows=tuple(
            (
                _document_label(tr, line.document_type, line.document_no),
                tr.date(line.due_date),
                money(line.remaining_amount),
            )
            for line in reminder.lines
        ),
        subtotals=tuple(subtotals),
        total=TotalRow(collection_text(tr, "total_due"), total),
    )


def memo_formula(
    tr: Translator, memo: StoredMemo, base: Decimal, days: int, currency: str, stored: str
) -> str:
    """The line's calculation in the customer's language, from the terms the memo was made
    with; the stored (English) text for memos made before those were recorded."""
    if memo.interest_period_days <= 0:
        return stored
    key = (
        "formula_average"
        if memo.method == InterestMethod.AVERAGE_DAILY_BALANCE.value
        else "formula"
    )
    return collection_text(
        tr,
        key,
        base=tr.money(base, currency),
        rate=_rate(tr, memo.interest_rate_pct),
        days=tr.number(days),
        period=tr.number(memo.interest_period_days),
    )


def build_memo_view(
    memo: StoredMemo, customer: StatementCustomer, company: CompanyInfo, lcy_code: str
) -> CollectionView:
    """The issued memo as printed: one row per charged entry with days, formula, interest."""
    tr = Translator.for_code(customer.language_code)
    currency = memo.currency_code or lcy_code

    def money(amount: Decimal) -> str:
        return tr.money(amount, currency)

    total = money(memo.total_amount)
    subtotals = [TotalRow(collection_text(tr, "interest"), money(memo.interest_amount))]
    if memo.additional_fee != 0:
        subtotals.append(
            TotalRow(collection_text(tr, "additional_fee"), money(memo.additional_fee))
        )
    return CollectionView(
        tr=tr,
        kind=FINANCE_CHARGE_MEMO,
        title=collection_text(tr, "memo_title"),
        company=company,
        customer_no=customer.no,
        customer_name=customer.name,
        customer_address=customer.address_lines,
        document_no=memo.document_no,
        document_date=memo.document_date,
        currency=currency,
        facts=(
            (collection_text(tr, "document_no"), memo.document_no),
            (collection_text(tr, "document_date"), tr.date(memo.document_date)),
            (tr.t("customer_no"), customer.no),
            (collection_text(tr, "interest_to"), tr.date(memo.as_of)),
            (tr.t("currency"), currency),
        ),
        text=collection_text(tr, "memo_text", total=f"{total} {currency}".strip()),
        columns=(
            tr.t("document"),
            collection_text(tr, "days"),
            collection_text(tr, "calculation"),
            collection_text(tr, "interest"),
        ),
        right_aligned=(False, True, False, True),
        rows=tuple(
            (
                line.document_no,
                tr.number(line.days),
                memo_formula(tr, memo, line.base_amount, line.days, currency, line.formula_text),
                money(line.interest_amount),
            )
            for line in memo.lines
        ),
        subtotals=tuple(subtotals),
        total=TotalRow(collection_text(tr, "total_due"), total),
    )
