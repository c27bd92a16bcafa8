"""Posting purchase invoices and credit memos: one vendor ledger entry (invoices negative, BC's
sign convention), its Initial Entry, and balanced G/L (expense, inventory, item charges and VAT
against payables). Item lines become receipt lines; charge lines may be assigned on posting."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.item_charges import AssignmentMethod
from domain.items import amount_lcy
from domain.payment_terms import compute_terms, pmt_disc_tolerance_date
from domain.sales_posting import (
    DocumentKind,
    GlPostingLine,
    check_posting_date,
    document_totals,
    max_payment_tolerance,
)
from store.idempotency import idempotent
from store.parties.master import VENDOR, posting_account, require_party
from store.posting.item_charges import PURCHASE, ChargeAssignmentInput, assign_charge
from store.posting.receipts import (
    InvoicedCharge,
    PurchaseLine,
    record_receipts,
    resolve_purchase_lines,
)
from store.posting.sales import check_accounts, pricing_for, terms_for
from store.posting.writer import insert_gl, next_transaction_no
from store.records import CompanySetupRecord
from store.setup import load_setup
from store.tables import DETAILED_VENDOR_LEDGER_ENTRIES as DVLE
from store.tables import VENDOR_LEDGER_ENTRIES as VLE
from store.uow import UnitOfWork, run_in_transaction

PURCHASES_ACCOUNT = "6000"
VAT_RECEIVABLE_ACCOUNT = "1500"


@dataclass(frozen=True, slots=True)
class PurchaseDocumentInput:
    kind: DocumentKind
    vendor_no: str
    document_no: str
    vendor_invoice_no: str
    posting_date: date
    lines: tuple[PurchaseLine, ...]
    document_date: date | None = None
    currency_code: str | None = None
    payment_terms_code: str | None = None
    description: str = ""


def _duplicate(doc: PurchaseDocumentInput) -> DomainError:
    return DomainError(
        ErrorCode.DUPLICATE_DOCUMENT_NO,
        f"vendor invoice no. {doc.vendor_invoice_no} was already posted for vendor {doc.vendor_no}",
        ["vendorInvoiceNo"],
    )


async def _post(conn: AsyncConnection, doc: PurchaseDocumentInput) -> int:
    setup = await load_setup(conn)
    if not doc.document_no.strip() or not doc.vendor_invoice_no.strip():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "a purchase document needs a document no. and the vendor's invoice no.",
            ["vendorInvoiceNo"],
        )
    check_posting_date(doc.posting_date, setup.allow_posting_from, setup.allow_posting_to)
    vendor = await require_party(conn, VENDOR, doc.vendor_no, ["vendorNo"])
    currency = doc.currency_code if doc.currency_code is not None else vendor.currency_code
    price = await pricing_for(conn, currency, doc.posting_date, ["currencyCode"], setup)
    terms_code = doc.payment_terms_code or vendor.payment_terms_code
    terms = await terms_for(conn, terms_code)
    lines, received, charges = await resolve_purchase_lines(
        conn,
        doc.kind,
        doc.lines,
        expense_account=PURCHASES_ACCOUNT,
        inventory_account=setup.inventory_account,
        precision=price.precision,
    )
    await check_accounts(conn, lines)
    payables = await posting_account(conn, VENDOR, vendor.vendor_posting_group)
    description = doc.description or f"Purchase {doc.kind.value.lower()} {doc.document_no}"
    sales_view = document_totals(
        doc.kind,
        lines,
        rate=price.rate,
        precision=price.precision,
        lcy_precision=setup.amount_rounding_precision,
        receivables_account=payables,
        vat_account=VAT_RECEIVABLE_ACCOUNT,
        description=description,
    )
    # the vendor side is the mirror image of the sales side: every sign flips
    amount, amount_lcy = -sales_view.amount, -sales_view.amount_lcy
    gl = [GlPostingLine(g.account_no, -g.amount_lcy, g.description) for g in sales_view.gl_lines]
    document_date = doc.document_date or doc.posting_date
    due_date, disc_date, disc = document_date, None, Decimal(0)
    if terms is not None:
        result = compute_terms(
            terms, document_date, abs(amount), doc.kind is DocumentKind.CREDIT_MEMO, price.precision
        )
        due_date, disc_date = result.due_date, result.pmt_discount_date
        disc = result.pmt_disc_possible if amount > 0 else -result.pmt_disc_possible
    exists = (
        await conn.execute(
            sa.select(VLE.c.entry_no).where(
                VLE.c.vendor_no == doc.vendor_no,
                VLE.c.document_type == doc.kind.value,
                VLE.c.external_document_no == doc.vendor_invoice_no,
            )
        )
    ).first()
    if exists is not None:
        raise _duplicate(doc)
    tx = await next_transaction_no(conn)
    entry_no = int(
        (
            await conn.execute(
                sa.insert(VLE)
                .values(
                    vendor_no=doc.vendor_no,
                    posting_date=doc.posting_date,
                    document_date=document_date,
                    document_type=doc.kind.value,
                    document_no=doc.document_no,
                    external_document_no=doc.vendor_invoice_no,
                    description=description,
                    currency_code=price.currency_code,
                    currency_factor=price.rate,
                    amount=amount,
                    amount_lcy=amount_lcy,
                    remaining_amount=amount,
                    remaining_amount_lcy=amount_lcy,
                    open=True,
                    due_date=due_date,
                    pmt_discount_date=disc_date,
                    pmt_disc_tolerance_date=pmt_disc_tolerance_date(
                        disc_date, setup.payment_discount_grace_period
                    ),
                    original_pmt_disc_possible=disc,
                    remaining_pmt_disc_possible=disc,
                    max_payment_tolerance=max_payment_tolerance(
                        amount, price.tolerance_pct, price.max_tolerance, price.precision
                    ),
                    vendor_posting_group=vendor.vendor_posting_group,
                    transaction_no=tx,
                )
                .returning(VLE.c.entry_no)
            )
        ).scalar_one()
    )
    await conn.execute(
        sa.insert(DVLE).values(
            vendor_ledger_entry_no=entry_no,
            vendor_no=doc.vendor_no,
            entry_type="INITIAL_ENTRY",
            posting_date=doc.posting_date,
            document_type=doc.kind.value,
            document_no=doc.document_no,
            currency_code=price.currency_code,
            amount=amount,
            amount_lcy=amount_lcy,
            transaction_no=tx,
        )
    )
    await insert_gl(
        conn,
        gl,
        posting_date=doc.posting_date,
        document_type=doc.kind.value,
        document_no=doc.document_no,
        transaction_no=tx,
        source_type="VENDOR",
        source_no=doc.vendor_no,
    )
    receipt_ids = await record_receipts(
        conn,
        received,
        vendor_no=doc.vendor_no,
        document_no=doc.document_no,
        entry_no=entry_no,
        posting_date=doc.posting_date,
        transaction_no=tx,
        rate=price.rate,
        lcy_precision=setup.amount_rounding_precision,
    )
    for charge in charges:
        await _assign_on_posting(conn, doc, charge, receipt_ids, price.rate, setup, tx)
    return entry_no


async def _assign_on_posting(
    conn: AsyncConnection,
    doc: PurchaseDocumentInput,
    charge: InvoicedCharge,
    receipt_ids: dict[int, int],
    rate: Decimal,
    setup: CompanySetupRecord,
    tx: int,
) -> None:
    """Assign a charge line as the client asked, in the invoice's transaction (BC assigns a
    charge before the invoice posts); unassigned, it stays on the charge's G/L account."""
    targets = charge.assignment
    if targets is None:
        return
    where = ["lines", str(charge.index), "assignment"]
    own: list[int] = []
    for k, line_no in enumerate(targets.line_nos):
        if line_no not in receipt_ids:
            raise DomainError(
                ErrorCode.INVALID_ASSIGNMENT,
                f"line {line_no} of this invoice is not an item line",
                [*where, "lineNos", str(k)],
            )
        own.append(receipt_ids[line_no])
    cmd = ChargeAssignmentInput(
        charge_code=charge.code,
        charge_amount=amount_lcy(charge.amount, rate, setup.amount_rounding_precision),
        posting_date=doc.posting_date,
        method=targets.method,
        line_ids=(*targets.receipt_line_ids, *own),
        document_no=doc.document_no,
        quantities=targets.quantities,
    )
    try:
        await assign_charge(conn, PURCHASE, cmd, transaction_no=tx)
    except DomainError as exc:
        rest = list(exc.field or [])
        if rest[:1] == ["lines"]:  # the split's own checks: the method or the quantities
            rest = ["quantities" if targets.method is AssignmentMethod.MANUAL else "method"]
        raise DomainError(exc.code, exc.message, [*where, *rest]) from exc


async def post_purchase_document(
    engine: AsyncEngine, doc: PurchaseDocumentInput, idempotency_key: str | None = None
) -> tuple[int, bool]:
    """Post in one transaction; returns (vendor ledger entry no., replayed)."""

    async def work(uow: UnitOfWork) -> tuple[int, bool]:
        async def once() -> dict[str, Any]:
            try:
                async with uow.conn.begin_nested():
                    return {"entryNo": await _post(uow.conn, doc)}
            except IntegrityError as exc:
                if "uq_vle_vendor_document" in str(exc.orig):
                    raise _duplicate(doc) from exc
                raise

        payload = {**asdict(doc), "kind": doc.kind.value}
        response = await idempotent(
            uow, f"postPurchase{doc.kind.value}", idempotency_key, payload, once
        )
        return int(response["entryNo"]), bool(response.get("replayed", False))

    return await run_in_transaction(engine, work)
