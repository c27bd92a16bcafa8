"""Vendors (scope admin) and purchase invoices / credit memos (scope post); vendor queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry import UNSET
from strawberry.types import Info

from api.auth import AdminScope, PostScope, ReadScope
from api.context import Context
from api.errors import UserError
from api.inputs.convert import changes
from api.mutations.setup import BankAccountIbanInput
from api.pagination import Connection, build_connection, decode_cursor, page_size
from api.resolvers import mutate
from api.types.enums import ApplicationMethod
from api.types.items import AssignmentMethod, ReceiptLine
from api.types.vendor import Vendor, VendorLedgerEntry
from domain import item_charges
from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger
from domain.sales_posting import DocumentKind, DocumentLine
from store.parties import ledger as lq
from store.parties.master import VENDOR, get_party, list_parties, upsert_party
from store.posting import receipts
from store.posting.purchases import PurchaseDocumentInput, post_purchase_document


@strawberry.input
class UpsertVendorInput:
    no: str
    name: str | None = UNSET
    currency_code: str | None = UNSET
    payment_terms_code: str | None = UNSET
    application_method: ApplicationMethod | None = UNSET
    vendor_posting_group: str | None = UNSET
    bank_accounts: list[BankAccountIbanInput] | None = UNSET


@strawberry.enum
class PurchaseLineType(Enum):
    GL_ACCOUNT = "GL_ACCOUNT"
    ITEM = "ITEM"
    CHARGE_ITEM = "CHARGE_ITEM"


@strawberry.input(
    description="Assign a charge line on posting: to posted receipt lines and/or to item lines "
    "of this invoice (lineNos: 1-based positions in its lines); the rounding remainder goes to "
    "the last of receiptLineIds then lineNos."
)
class PurchaseChargeAssignmentInput:
    method: AssignmentMethod
    receipt_line_ids: list[int] = strawberry.field(default_factory=list)
    line_nos: list[int] = strawberry.field(default_factory=list)
    quantities: list[Decimal] | None = strawberry.field(
        default=None, description="MANUAL: one per line, in the order above (sum = 1)."
    )


@strawberry.input
class PurchaseLineInput:
    type: PurchaseLineType = PurchaseLineType.GL_ACCOUNT
    amount: Decimal | None = strawberry.field(default=None, description="G/L and charge lines.")
    description: str = ""
    gl_account_no: str | None = strawberry.field(
        default=None, description="Expense account; the purchases account when omitted."
    )
    vat_pct: Decimal = Decimal(0)
    item_no: str | None = None
    quantity: Decimal | None = None
    direct_unit_cost: Decimal | None = strawberry.field(
        default=None, description="Item lines: defaults to the item's unit cost."
    )
    line_discount_pct: Decimal = Decimal(0)
    item_charge_code: str | None = None
    assignment: PurchaseChargeAssignmentInput | None = strawberry.field(
        default=None,
        description="Charge lines: assign on posting; without it the charge stays on its G/L "
        "account until postPurchaseItemChargeAssignment.",
    )


@strawberry.input
class PostPurchaseDocumentInput:
    vendor_no: str
    document_no: str
    vendor_invoice_no: str
    posting_date: date
    document_date: date | None = None
    currency_code: str | None = None
    payment_terms_code: str | None = None
    description: str = ""
    lines: list[PurchaseLineInput] | None = strawberry.field(
        default=None,
        description="G/L, item and charge (item) lines; item and charge lines on invoices only.",
    )
    amount: Decimal | None = None
    idempotency_key: str | None = None


@strawberry.type
class VendorPayload:
    vendor: Vendor | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PostPurchaseDocumentPayload:
    entry: VendorLedgerEntry | None = None
    receipt_lines: list[ReceiptLine] = strawberry.field(default_factory=list)
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


def _line(n: int, x: PurchaseLineInput) -> receipts.PurchaseLine:
    where = ["lines", str(n)]
    if x.type is PurchaseLineType.ITEM:
        if not x.item_no or x.quantity is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "an item line needs itemNo and quantity",
                [*where, "itemNo"],
            )
        return receipts.PurchaseItemLineInput(
            x.item_no, x.quantity, x.direct_unit_cost, x.line_discount_pct, x.description, x.vat_pct
        )
    if x.amount is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "the line needs an amount", [*where, "amount"])
    if x.type is PurchaseLineType.GL_ACCOUNT:
        return DocumentLine(x.description, x.gl_account_no or "", x.amount, x.vat_pct)
    if not x.item_charge_code:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "a charge line needs itemChargeCode",
            [*where, "itemChargeCode"],
        )
    a = x.assignment
    return receipts.PurchaseChargeLineInput(
        x.item_charge_code.upper(),
        x.amount,
        x.description,
        x.vat_pct,
        None
        if a is None
        else receipts.ChargeTargets(
            item_charges.AssignmentMethod(a.method.value),
            tuple(a.receipt_line_ids),
            tuple(a.line_nos),
            None if a.quantities is None else tuple(a.quantities),
        ),
    )


def _document(kind: DocumentKind, i: PostPurchaseDocumentInput) -> PurchaseDocumentInput:
    if (i.lines is None) == (i.amount is None):
        raise DomainError(ErrorCode.INVALID_INPUT, "give either `lines` or `amount`", ["lines"])
    lines: tuple[receipts.PurchaseLine, ...]
    if i.lines is not None:
        lines = tuple(_line(n, x) for n, x in enumerate(i.lines))
    else:
        assert i.amount is not None
        lines = (DocumentLine(i.description, "", i.amount, Decimal(0)),)
    return PurchaseDocumentInput(
        kind=kind,
        vendor_no=i.vendor_no,
        document_no=i.document_no.strip(),
        vendor_invoice_no=i.vendor_invoice_no.strip(),
        posting_date=i.posting_date,
        lines=lines,
        document_date=i.document_date,
        currency_code=i.currency_code,
        payment_terms_code=i.payment_terms_code,
        description=i.description,
    )


async def _post(
    info: Info[Context, None], kind: DocumentKind, input: PostPurchaseDocumentInput
) -> PostPurchaseDocumentPayload:
    async def work() -> PostPurchaseDocumentPayload:
        entry_no, replayed = await post_purchase_document(
            info.context.engine, _document(kind, input), input.idempotency_key
        )
        async with info.context.engine.connect() as conn:
            record = await lq.get_entry(conn, Ledger.VENDOR, entry_no)
            assert record is not None
            received = await receipts.receipt_lines_of_entry(conn, entry_no)
        return PostPurchaseDocumentPayload(
            entry=VendorLedgerEntry.of(record),
            receipt_lines=[ReceiptLine.of(r) for r in received],
            replayed=replayed,
        )

    return await mutate(PostPurchaseDocumentPayload, work)


@strawberry.type
class VendorMutation:
    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_vendor(
        self, info: Info[Context, None], input: UpsertVendorInput
    ) -> VendorPayload:
        async def work() -> VendorPayload:
            values = {
                k: v
                for k, v in changes(input, frozenset({"no", "bank_accounts"})).items()
                if v is not None or k == "payment_terms_code"
            }
            ibans = None
            if input.bank_accounts is not UNSET and input.bank_accounts is not None:
                ibans = [b.iban for b in input.bank_accounts]
            record = await upsert_party(info.context.engine, VENDOR, input.no, values, ibans)
            return VendorPayload(vendor=Vendor.of(record))

        return await mutate(VendorPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Stored negative on the vendor (BC's sign convention).",
    )
    async def post_purchase_invoice(
        self, info: Info[Context, None], input: PostPurchaseDocumentInput
    ) -> PostPurchaseDocumentPayload:
        return await _post(info, DocumentKind.INVOICE, input)

    @strawberry.mutation(permission_classes=[PostScope])
    async def post_purchase_credit_memo(
        self, info: Info[Context, None], input: PostPurchaseDocumentInput
    ) -> PostPurchaseDocumentPayload:
        return await _post(info, DocumentKind.CREDIT_MEMO, input)


@strawberry.type
class VendorQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def vendors(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Vendor]:
        n = page_size(first)
        key = decode_cursor(after, 1)
        async with info.context.engine.connect() as conn:
            rows = await list_parties(conn, VENDOR, n + 1, key[0] if key else None)
        return build_connection(rows, n, lambda r: (r.no,), Vendor.of, key is not None)

    @strawberry.field(permission_classes=[ReadScope])
    async def receipt_line(self, info: Info[Context, None], id: int) -> ReceiptLine | None:
        async with info.context.engine.connect() as conn:
            rows = await receipts.receipt_lines(conn, [id])
        return ReceiptLine.of(rows[0]) if rows else None

    @strawberry.field(permission_classes=[ReadScope])
    async def receipt_lines(
        self, info: Info[Context, None], vendor_no: str, document_no: str
    ) -> list[ReceiptLine]:
        async with info.context.engine.connect() as conn:
            rows = await receipts.receipt_lines_of_document(conn, vendor_no, document_no)
        return [ReceiptLine.of(r) for r in rows]

    @strawberry.field(permission_classes=[ReadScope])
    async def vendor(self, info: Info[Context, None], no: str) -> Vendor | None:
        async with info.context.engine.connect() as conn:
            record = await get_party(conn, VENDOR, no)
        return None if record is None else Vendor.of(record)

    @strawberry.field(permission_classes=[ReadScope])
    async def vendor_ledger_entries(
        self,
        info: Info[Context, None],
        vendor_no: str | None = None,
        document_no: str | None = None,
        open: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[VendorLedgerEntry]:
        n = page_size(first)
        key = decode_cursor(after, 1)
        async with info.context.engine.connect() as conn:
            rows = await lq.list_entries(
                conn,
                Ledger.VENDOR,
                party_no=vendor_no,
                document_no=document_no,
                open_only=open,
                limit=n + 1,
                after_entry_no=int(key[0]) if key else None,
            )
        return build_connection(
            rows, n, lambda r: (r.entry_no,), VendorLedgerEntry.of, key is not None
        )

    @strawberry.field(permission_classes=[ReadScope])
    async def open_vendor_entries(
        self,
        info: Info[Context, None],
        vendor_no: str,
        as_of: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[VendorLedgerEntry]:
        n = page_size(first)
        key = decode_cursor(after, 2)
        after_key = (date.fromisoformat(key[0]), int(key[1])) if key else None
        async with info.context.engine.connect() as conn:
            rows = await lq.open_entries(conn, Ledger.VENDOR, vendor_no, as_of, n + 1, after_key)
        return build_connection(
            rows,
            n,
            lambda r: (r.due_date.isoformat(), r.entry_no),
            VendorLedgerEntry.of,
            key is not None,
        )
