"""Finance charge memos bill interest on late invoices: proposals are stored, issuing posts the
interest to the ledger, records up to which day each entry was charged and the delivery that
sends the memo to the customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.dates import canonical_formula
from domain.errors import DomainError, ErrorCode
from domain.finance_charges import (
    FinanceChargeEntry,
    FinanceChargeTerms,
    InterestMethod,
    compute_memo,
    validate_finance_charge_terms,
)
from domain.money import from_lcy
from store.collections.deliveries import (
    FINANCE_CHARGE_MEMO,
    DocumentDelivery,
)
from store.collections.documents import (
    CollectionDocument,
    find_documents,
    finish_issue,
    load_documents,
    start_issue,
)
from store.collections.ledger import (
    Issued,
    entries_as_of,
    issue_documents,
    post_fee_entry,
    propose_documents,
)
from store.posting.sales import pricing_for
from store.records import CustomerRecord
from store.tables import FINANCE_CHARGE_MEMO_LINES as LINES
from store.tables import FINANCE_CHARGE_MEMOS as MEMOS
from store.tables import FINANCE_CHARGE_TERMS as TERMS
from store.tables import ISSUED_FINANCE_CHARGE_LINES as ISSUED_LINES

MEMO = CollectionDocument(
    "Finance charge memo", MEMOS, LINES, ISSUED_LINES, "memo_id", FINANCE_CHARGE_MEMO
)

FINANCE_CHARGE_ACCOUNT = "4930"


async def upsert_finance_charge_terms(
    engine: AsyncEngine, terms: FinanceChargeTerms
) -> FinanceChargeTerms:
    """Validate and store finance charge terms."""
    if not terms.code.strip():
        raise DomainError(ErrorCode.INVALID_INPUT, "Finance charge terms need a code.", ["code"])
    validate_finance_charge_terms(terms)
    stored = replace(
        terms, code=terms.code.strip(), grace_period=canonical_formula(terms.grace_period)
    )
    values = {
        "code": stored.code,
        "interest_rate_pct": stored.interest_rate_pct,
        "interest_period_days": stored.interest_period_days,
        "minimum_amount": stored.minimum_amount,
        "grace_period": stored.grace_period,
        "additional_fee": stored.additional_fee,
        "method": stored.method.value,
        "interest_on_fees": stored.interest_on_fees,
    }
    async with engine.begin() as conn:
        stmt = pg_insert(TERMS).values(**values)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[TERMS.c.code],
                set_={k: stmt.excluded[k] for k in values if k != "code"},
            )
        )
    return stored


async def get_finance_charge_terms(conn: AsyncConnection, code: str) -> FinanceChargeTerms | None:
    r = (await conn.execute(sa.select(TERMS).where(TERMS.c.code == code))).one_or_none()
    if r is None:
        return None
    return FinanceChargeTerms(
        r.code,
        r.interest_rate_pct,
        r.interest_period_days,
        r.minimum_amount,
        r.grace_period,
        r.additional_fee,
        InterestMethod(r.method),
        r.interest_on_fees,
    )


@dataclass(frozen=True, slots=True)
class StoredMemoLine:
    entry_no: int
    document_no: str
    days: int
    base_amount: Decimal
    interest_amount: Decimal
    formula_text: str


@dataclass(frozen=True, slots=True)
class StoredMemo:
    id: int
    customer_no: str
    currency_code: str
    posting_date: date
    document_date: date
    as_of: date
    interest_amount: Decimal
    additional_fee: Decimal
    total_amount: Decimal
    status: str
    document_no: str
    posted_entry_no: int | None
    lines: tuple[StoredMemoLine, ...]
    interest_rate_pct: Decimal = Decimal(0)
    interest_period_days: int = 0
    method: str = ""
    delivery: DocumentDelivery | None = None


async def _charged_until(conn: AsyncConnection, entry_nos: Sequence[int]) -> dict[int, date]:
    rows = await conn.execute(
        sa.select(ISSUED_LINES.c.cust_ledger_entry_no, sa.func.max(ISSUED_LINES.c.charged_until))
        .where(ISSUED_LINES.c.cust_ledger_entry_no.in_(entry_nos))
        .group_by(ISSUED_LINES.c.cust_ledger_entry_no)
    )
    return {int(r[0]): r[1] for r in rows}


async def _require_terms(
    conn: AsyncConnection, customer: CustomerRecord, index: int
) -> FinanceChargeTerms:
    field = ["customerNos", str(index)]
    code = customer.finance_charge_terms_code
    if not code:
        raise DomainError(
            ErrorCode.INVALID_TERMS, f"Customer {customer.no} has no finance charge terms.", field
        )
    terms = await get_finance_charge_terms(conn, code)
    if terms is None:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"Finance charge terms {code!r} of customer {customer.no} do not exist.",
            field,
        )
    return terms


async def _propose_for(
    conn: AsyncConnection,
    customer: CustomerRecord,
    terms: FinanceChargeTerms,
    posting_date: date,
    document_date: date,
    as_of: date,
) -> list[int]:
    entries = await entries_as_of(conn, customer.no, as_of)
    charged = await _charged_until(conn, [e.entry_no for e in entries])
    by_currency: dict[str, list[FinanceChargeEntry]] = {}
    for e in entries:
        by_currency.setdefault(e.currency_code, []).append(
            FinanceChargeEntry(
                e.entry_no,
                e.document_type,
                e.document_no,
                e.currency_code,
                e.due_date,
                e.remaining_amount,
                e.history,
                charged.get(e.entry_no),
            )
        )
    ids: list[int] = []
    for currency, group in sorted(by_currency.items()):
        price = await pricing_for(conn, currency, posting_date, ["postingDate"])
        local = terms
        if price.currency_code:
            local = replace(
                terms,
                minimum_amount=from_lcy(terms.minimum_amount, price.rate, price.precision),
                additional_fee=from_lcy(terms.additional_fee, price.rate, price.precision),
            )
        memo = compute_memo(local, group, document_date, as_of, price.precision)
        if memo is None:
            continue
        memo_id = (
            await conn.execute(
                sa.insert(MEMOS)
                .values(
                    customer_no=customer.no,
                    terms_code=terms.code,
                    currency_code=memo.currency_code,
                    posting_date=posting_date,
                    document_date=document_date,
                    as_of=as_of,
                    interest_amount=memo.interest_amount,
                    additional_fee=memo.additional_fee,
                    total_amount=memo.total,
                    interest_rate_pct=local.interest_rate_pct,
                    interest_period_days=local.interest_period_days,
                    method=local.method.value,
                )
                .returning(MEMOS.c.id)
            )
        ).scalar_one()
        await conn.execute(
            sa.insert(LINES),
            [
                {
                    "memo_id": memo_id,
                    "line_no": n + 1,
                    "cust_ledger_entry_no": line.entry_no,
                    "document_no": line.document_no,
                    "days": line.days,
                    "base_amount": line.base_amount,
                    "interest_amount": line.interest_amount,
                    "formula_text": line.formula_text,
                }
                for n, line in enumerate(memo.lines)
            ],
        )
        ids.append(int(memo_id))
    return ids


async def create_finance_charge_memos(
    engine: AsyncEngine,
    posting_date: date,
    document_date: date,
    customer_nos: Sequence[str],
    as_of: date | None = None,
) -> list[StoredMemo]:
    """Propose and store one memo per customer and currency; all or nothing.

    Customers without interest due are skipped; NOTHING_OVERDUE when no memo results.
    """
    day = as_of or document_date

    async def propose(conn: AsyncConnection, customer: CustomerRecord, index: int) -> list[int]:
        terms = await _require_terms(conn, customer, index)
        return await _propose_for(conn, customer, terms, posting_date, document_date, day)

    return await propose_documents(
        engine,
        customer_nos,
        propose,
        load_memos,
        f"No customer owes interest above the minimum as of {day.isoformat()}.",
    )


async def load_memos(conn: AsyncConnection, ids: Sequence[int]) -> list[StoredMemo]:
    return await load_documents(conn, MEMO, ids, _memo_line, _memo)


def _memo_line(r: Any) -> StoredMemoLine:
    return StoredMemoLine(
        r.cust_ledger_entry_no,
        r.document_no,
        r.days,
        r.base_amount,
        r.interest_amount,
        r.formula_text,
    )


def _memo(
    h: Any, lines: tuple[StoredMemoLine, ...], delivery: DocumentDelivery | None
) -> StoredMemo:
    return StoredMemo(
        h.id,
        h.customer_no,
        h.currency_code,
        h.posting_date,
        h.document_date,
        h.as_of,
        h.interest_amount,
        h.additional_fee,
        h.total_amount,
        h.status,
        h.document_no,
        h.posted_entry_no,
        lines,
        h.interest_rate_pct,
        h.interest_period_days,
        h.method,
        delivery,
    )


async def _issue_one(conn: AsyncConnection, memo_id: int, index: int) -> int:
    field = ["memoIds", str(index)]
    row, customer, lines = await start_issue(conn, MEMO, memo_id, field)
    charged = await _charged_until(conn, [line.cust_ledger_entry_no for line in lines])
    for line in lines:
        until = charged.get(line.cust_ledger_entry_no)
        if until is not None and until > row.as_of - timedelta(days=line.days):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"Finance charge memo {memo_id} is out of date: interest on {line.document_no} "
                f"was already charged up to {until.isoformat()}. Create memos again.",
                field,
            )
    document_no = f"FCM{memo_id:06d}"
    entry_no = await post_fee_entry(
        conn,
        customer,
        document_type="FINANCE_CHARGE_MEMO",
        document_no=document_no,
        posting_date=row.posting_date,
        document_date=row.document_date,
        due_date=row.document_date,
        currency_code=row.currency_code,
        amount=row.total_amount,
        income_account=FINANCE_CHARGE_ACCOUNT,
        description=f"Finance charge memo {document_no}",
    )
    issued = [
        {
            "cust_ledger_entry_no": line.cust_ledger_entry_no,
            "charged_until": row.as_of,
            "interest_amount": line.interest_amount,
        }
        for line in lines
    ]
    return await finish_issue(conn, MEMO, row, customer, issued, document_no, entry_no)


async def issue_finance_charge_memos(
    engine: AsyncEngine, memo_ids: Sequence[int], idempotency_key: str | None
) -> Issued[StoredMemo]:
    """Post each memo's total as a FINANCE_CHARGE_MEMO entry; the same key twice posts once."""
    if not memo_ids:
        raise DomainError(ErrorCode.INVALID_INPUT, "Name at least one memo.", ["memoIds"])
    return await issue_documents(
        engine, "issueFinanceChargeMemos", memo_ids, idempotency_key, _issue_one, load_memos
    )


async def find_memos(
    conn: AsyncConnection, customer_no: str | None, status: str | None, limit: int
) -> list[StoredMemo]:
    """Newest first, optionally for one customer and/or one status."""
    return await find_documents(conn, MEMO, load_memos, customer_no, status, limit)
