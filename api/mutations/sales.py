"""Posting sales invoices and credit memos (scope post)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from api.auth import PostScope
from api.context import Context
from api.errors import UserError
from api.resolvers import mutate
from api.types.items import ShipmentLine
from api.types.ledger_entry import CustomerLedgerEntry
from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger
from domain.sales_posting import DocumentKind, DocumentLine
from store.parties.ledger import get_entry
from store.posting.items import ItemLineInput, shipment_lines_of_document
from store.posting.sales import SalesDocumentInput, post_sales_document


@strawberry.enum
class SalesLineType(Enum):
    GL_ACCOUNT = "GL_ACCOUNT"
    ITEM = "ITEM"


@strawberry.input
class SalesLineInput:
    type: SalesLineType = SalesLineType.GL_ACCOUNT
    amount: Decimal | None = strawberry.field(default=None, description="G/L lines.")
    description: str = ""
    gl_account_no: str | None = strawberry.field(
        default=None, description="Revenue account; the setup's default when omitted."
    )
    vat_pct: Decimal = Decimal(0)
    item_no: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = strawberry.field(
        default=None, description="Item lines: defaults to the item's unit price."
    )
    line_discount_pct: Decimal = Decimal(0)


@strawberry.input
class PostSalesDocumentInput:
    customer_no: str
    document_no: str
    posting_date: date
    external_document_no: str = ""
    document_date: date | None = None
    currency_code: str | None = strawberry.field(
        default=None, description="Defaults to the customer's currency; '' = local currency."
    )
    payment_terms_code: str | None = None
    description: str = ""
    lines: list[SalesLineInput] | None = None
    amount: Decimal | None = strawberry.field(
        default=None,
        description="Shortcut for one line to the default revenue account without VAT.",
    )
    idempotency_key: str | None = None


@strawberry.type
class PostSalesDocumentPayload:
    entry: CustomerLedgerEntry | None = None
    shipment_lines: list[ShipmentLine] = strawberry.field(default_factory=list)
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


def _line(n: int, x: SalesLineInput) -> DocumentLine | ItemLineInput:
    where = ["lines", str(n)]
    if x.type is SalesLineType.ITEM:
        if not x.item_no or x.quantity is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "an item line needs itemNo and quantity",
                [*where, "itemNo"],
            )
        return ItemLineInput(
            x.item_no, x.quantity, x.unit_price, x.line_discount_pct, x.description, x.vat_pct
        )
    if x.amount is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "a G/L line needs an amount", [*where, "amount"])
    return DocumentLine(x.description, x.gl_account_no or "", x.amount, x.vat_pct)


def _document(kind: DocumentKind, i: PostSalesDocumentInput) -> SalesDocumentInput:
    if (i.lines is None) == (i.amount is None):
        raise DomainError(ErrorCode.INVALID_INPUT, "give either `lines` or `amount`", ["lines"])
    lines: tuple[DocumentLine | ItemLineInput, ...]
    if i.lines is not None:
        lines = tuple(_line(n, x) for n, x in enumerate(i.lines))
    else:
        assert i.amount is not None
        lines = (DocumentLine(i.description, "", i.amount, Decimal(0)),)
    return SalesDocumentInput(
        kind=kind,
        customer_no=i.customer_no,
        document_no=i.document_no.strip(),
        posting_date=i.posting_date,
        lines=lines,
        document_date=i.document_date,
        external_document_no=i.external_document_no,
        currency_code=i.currency_code,
        payment_terms_code=i.payment_terms_code,
        description=i.description,
    )


async def _post(
    info: Info[Context, None], kind: DocumentKind, input: PostSalesDocumentInput
) -> PostSalesDocumentPayload:
    async def work() -> PostSalesDocumentPayload:
        engine = info.context.engine
        posted = await post_sales_document(engine, _document(kind, input), input.idempotency_key)
        async with engine.connect() as conn:
            record = await get_entry(conn, Ledger.CUSTOMER, posted.entry_no)
            assert record is not None
            shipped = await shipment_lines_of_document(conn, record.party_no, record.document_no)
        return PostSalesDocumentPayload(
            entry=CustomerLedgerEntry.of(record),
            shipment_lines=[ShipmentLine.of(r) for r in shipped],
            replayed=posted.replayed,
        )

    return await mutate(PostSalesDocumentPayload, work)


@strawberry.type
class SalesMutation:
    @strawberry.mutation(permission_classes=[PostScope])
    async def post_sales_invoice(
        self, info: Info[Context, None], input: PostSalesDocumentInput
    ) -> PostSalesDocumentPayload:
        return await _post(info, DocumentKind.INVOICE, input)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Amounts are positive in the input and stored negative.",
    )
    async def post_sales_credit_memo(
        self, info: Info[Context, None], input: PostSalesDocumentInput
    ) -> PostSalesDocumentPayload:
        return await _post(info, DocumentKind.CREDIT_MEMO, input)
