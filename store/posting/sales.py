"""Posting a sales invoice or credit memo: one CLE, its Initial Entry DCLE, balanced G/L."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.money import ExchangeRate, rate_on
from domain.payment_terms import PaymentTerms, compute_terms, pmt_disc_tolerance_date
from domain.sales_posting import (
    DocumentKind,
    DocumentLine,
    check_posting_date,
    document_totals,
    max_payment_tolerance,
)
from store.idempotency import idempotent
from store.parties.master import CUSTOMER, posting_account, require_party
from store.posting.items import ItemLineInput, record_shipments, resolve_item_lines
from store.posting.writer import insert_cle, insert_dcles, insert_gl, next_transaction_no
from store.records import CompanySetupRecord
from store.setup import get_payment_terms, load_setup, rates_for, require_currency
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import GL_ACCOUNTS as GL_ACCOUNT
from store.uow import UnitOfWork, run_in_transaction


@dataclass(frozen=True, slots=True)
class SalesDocumentInput:
    kind: DocumentKind
    customer_no: str
    document_no: str
    posting_date: date
    lines: tuple[DocumentLine | ItemLineInput, ...]
    document_date: date | None = None
    external_document_no: str = ""
    currency_code: str | None = None
    payment_terms_code: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Pricing:
    """Currency facts of one posting: code ('' = LCY), rate to LCY, rounding, tolerance."""

    currency_code: str
    rate: Decimal
    precision: Decimal
    tolerance_pct: Decimal
    max_tolerance: Decimal


async def pricing_for(
    conn: AsyncConnection,
    currency_code: str,
    posting_date: date,
    field: list[str],
    setup: CompanySetupRecord | None = None,
) -> Pricing:
    setup = setup or await load_setup(conn)
    if not currency_code or currency_code == setup.lcy_code:
        return Pricing(
            "",
            Decimal(1),
            setup.amount_rounding_precision,
            setup.payment_tolerance_pct,
            setup.max_payment_tolerance_amount,
        )
    currency = await require_currency(conn, currency_code, field)
    rates = [
        ExchangeRate(r.currency_code, r.starting_date, r.rate)
        for r in await rates_for(conn, currency_code)
    ]
    rate = rate_on(rates, currency_code, posting_date)
    return Pricing(
        currency_code,
        rate,
        currency.amount_rounding_precision,
        currency.payment_tolerance_pct,
        currency.max_payment_tolerance_amount,
    )


async def terms_for(conn: AsyncConnection, code: str | None) -> PaymentTerms | None:
    """The payment terms of a document (None when it has none; unknown code: user error)."""
    if not code:
        return None
    record = await get_payment_terms(conn, code)
    if record is None:
        raise DomainError(
            ErrorCode.UNKNOWN_PAYMENT_TERMS,
            f"payment terms {code!r} do not exist",
            ["paymentTermsCode"],
        )
    return PaymentTerms(
        record.code,
        record.due_date_calculation,
        record.discount_date_calculation,
        record.discount_pct,
        record.calc_pmt_disc_on_cr_memos,
    )


async def check_accounts(conn: AsyncConnection, lines: tuple[DocumentLine, ...]) -> None:
    wanted = {line.gl_account_no for line in lines}
    found = set(
        (
            await conn.execute(sa.select(GL_ACCOUNT.c.no).where(GL_ACCOUNT.c.no.in_(wanted)))
        ).scalars()
    )
    for i, line in enumerate(lines):
        if line.gl_account_no not in found:
            raise DomainError(
                ErrorCode.UNKNOWN_GL_ACCOUNT,
                f"G/L account {line.gl_account_no!r} does not exist",
                ["lines", str(i), "glAccountNo"],
            )


async def _check_duplicate(conn: AsyncConnection, doc: SalesDocumentInput) -> None:
    exists = (
        await conn.execute(
            sa.select(CLE.c.entry_no).where(
                CLE.c.customer_no == doc.customer_no,
                CLE.c.document_type == doc.kind.value,
                CLE.c.document_no == doc.document_no,
            )
        )
    ).first()
    if exists is not None:
        raise _duplicate(doc)


def _duplicate(doc: SalesDocumentInput) -> DomainError:
    kind = "invoice" if doc.kind is DocumentKind.INVOICE else "credit memo"
    return DomainError(
        ErrorCode.DUPLICATE_DOCUMENT_NO,
        f"{kind} {doc.document_no} was already posted for customer {doc.customer_no}",
        ["documentNo"],
    )


async def _post(conn: AsyncConnection, doc: SalesDocumentInput) -> int:
    setup = await load_setup(conn)
    if not doc.document_no.strip():
        raise DomainError(
            ErrorCode.INVALID_INPUT, "a document needs a document no.", ["documentNo"]
        )
    check_posting_date(doc.posting_date, setup.allow_posting_from, setup.allow_posting_to)
    customer = await require_party(conn, CUSTOMER, doc.customer_no, ["customerNo"])
    currency = doc.currency_code if doc.currency_code is not None else customer.currency_code
    price = await pricing_for(conn, currency, doc.posting_date, ["currencyCode"])
    terms_code = doc.payment_terms_code or customer.payment_terms_code
    terms = await terms_for(conn, terms_code)
    lines, shipped = await resolve_item_lines(
        conn, doc, setup.default_revenue_account, price.precision
    )
    await check_accounts(conn, lines)
    receivables = await posting_account(conn, CUSTOMER, customer.customer_posting_group)
    description = doc.description or f"{doc.kind.value.replace('_', ' ').title()} {doc.document_no}"
    totals = document_totals(
        doc.kind,
        lines,
        rate=price.rate,
        precision=price.precision,
        lcy_precision=setup.amount_rounding_precision,
        receivables_account=receivables,
        vat_account=setup.vat_payable_account,
        description=description,
    )
    document_date = doc.document_date or doc.posting_date
    is_credit = doc.kind is DocumentKind.CREDIT_MEMO
    if terms is not None:
        result = compute_terms(terms, document_date, abs(totals.amount), is_credit, price.precision)
        due_date, disc_date = result.due_date, result.pmt_discount_date
        disc = result.pmt_disc_possible if totals.amount > 0 else -result.pmt_disc_possible
    else:
        due_date, disc_date, disc = document_date, None, Decimal(0)
    await _check_duplicate(conn, doc)
    tx = await next_transaction_no(conn)
    entry_no = await insert_cle(
        conn,
        {
            "customer_no": doc.customer_no,
            "posting_date": doc.posting_date,
            "document_date": document_date,
            "document_type": doc.kind.value,
            "document_no": doc.document_no,
            "external_document_no": doc.external_document_no,
            "description": description,
            "currency_code": price.currency_code,
            "currency_factor": price.rate,
            "amount": totals.amount,
            "amount_lcy": totals.amount_lcy,
            "remaining_amount": totals.amount,
            "remaining_amount_lcy": totals.amount_lcy,
            "open": True,
            "due_date": due_date,
            "pmt_discount_date": disc_date,
            "pmt_disc_tolerance_date": pmt_disc_tolerance_date(
                disc_date, setup.payment_discount_grace_period
            ),
            "original_pmt_disc_possible": disc,
            "remaining_pmt_disc_possible": disc,
            "max_payment_tolerance": max_payment_tolerance(
                totals.amount, price.tolerance_pct, price.max_tolerance, price.precision
            ),
            "customer_posting_group": customer.customer_posting_group,
            "transaction_no": tx,
        },
    )
    await insert_dcles(
        conn,
        [
            {
                "cust_ledger_entry_no": entry_no,
                "customer_no": doc.customer_no,
                "entry_type": "INITIAL_ENTRY",
                "posting_date": doc.posting_date,
                "document_type": doc.kind.value,
                "document_no": doc.document_no,
                "currency_code": price.currency_code,
                "amount": totals.amount,
                "amount_lcy": totals.amount_lcy,
                "transaction_no": tx,
            }
        ],
    )
    cost_lines = await record_shipments(
        conn,
        shipped,
        customer_no=doc.customer_no,
        document_no=doc.document_no,
        entry_no=entry_no,
        posting_date=doc.posting_date,
        transaction_no=tx,
        setup=setup,
    )
    await insert_gl(
        conn,
        (*totals.gl_lines, *cost_lines),
        posting_date=doc.posting_date,
        document_type=doc.kind.value,
        document_no=doc.document_no,
        transaction_no=tx,
        source_type="CUSTOMER",
        source_no=doc.customer_no,
    )
    return entry_no


@dataclass(frozen=True, slots=True)
class Posted:
    entry_no: int
    replayed: bool


async def post_sales_document(
    engine: AsyncEngine, doc: SalesDocumentInput, idempotency_key: str | None = None
) -> Posted:
    """Post in one transaction; returns the new customer ledger entry no."""

    async def work(uow: UnitOfWork) -> Posted:
        async def once() -> dict[str, object]:
            try:
                async with uow.conn.begin_nested():
                    return {"entryNo": await _post(uow.conn, doc)}
            except IntegrityError as exc:
                if "uq_cle_customer_document" in str(exc.orig):
                    raise _duplicate(doc) from exc
                raise

        payload = {**asdict(doc), "kind": doc.kind.value}
        response = await idempotent(
            uow, f"postSales{doc.kind.value}", idempotency_key, payload, once
        )
        return Posted(
            int(str(response["entryNo"])),
            bool(response.get("replayed", False)),
        )

    return await run_in_transaction(engine, work)
