"""Items and item charges (admin for master data, post for assignments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import UNSET
from strawberry.types import Info

from api.auth import AdminScope, PostScope
from api.context import Context
from api.errors import UserError
from api.inputs.convert import changes
from api.resolvers import mutate
from api.types.items import AssignmentMethod, Item, ItemChargeCode, ValueEntry
from domain import item_charges
from store.posting import items
from store.posting.item_charges import (
    PURCHASE,
    SALES,
    ChargeAssignmentInput,
    ChargeSide,
    post_item_charge_assignment,
)


@strawberry.input
class UpsertItemInput:
    no: str
    description: str | None = UNSET
    unit_of_measure: str | None = UNSET
    unit_price: Decimal | None = UNSET
    unit_cost: Decimal | None = UNSET
    gross_weight: Decimal | None = UNSET
    unit_volume: Decimal | None = UNSET


@strawberry.input
class UpsertItemChargeCodeInput:
    code: str
    description: str | None = UNSET
    gl_account_no: str | None = UNSET


@strawberry.input
class AssignmentLineInput:
    key: str
    quantity: Decimal
    amount: Decimal
    gross_weight: Decimal = Decimal(0)
    unit_volume: Decimal = Decimal(0)
    qty_to_assign: Decimal | None = None


@strawberry.input
class SuggestItemChargeAssignmentInput:
    charge_amount: Decimal
    method: AssignmentMethod
    lines: list[AssignmentLineInput]


@strawberry.input
class PostItemChargeAssignmentInput:
    charge_code: str
    charge_amount: Decimal
    posting_date: date
    method: AssignmentMethod
    shipment_line_ids: list[int]
    customer_no: str | None = strawberry.field(
        default=None, description="When given, every line must be this customer's."
    )
    document_no: str = ""
    quantities: list[Decimal] | None = strawberry.field(
        default=None, description="MANUAL: quantity of the charge per line (sum = 1)."
    )
    idempotency_key: str | None = None


@strawberry.input
class PostPurchaseItemChargeAssignmentInput:
    charge_code: str
    charge_amount: Decimal = strawberry.field(description="In LCY, like the receipt lines' cost.")
    posting_date: date
    method: AssignmentMethod
    receipt_line_ids: list[int] = strawberry.field(
        description="Posted receipt lines of any vendor (the carrier is rarely the supplier)."
    )
    document_no: str = ""
    quantities: list[Decimal] | None = strawberry.field(
        default=None, description="MANUAL: quantity of the charge per line (sum = 1)."
    )
    idempotency_key: str | None = None


@strawberry.type
class ItemPayload:
    item: Item | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ItemChargeCodePayload:
    item_charge_code: ItemChargeCode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssignedAmount:
    key: str
    qty_to_assign: Decimal
    amount_to_assign: Decimal


@strawberry.type
class SuggestItemChargeAssignmentPayload:
    assignments: list[AssignedAmount] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PostItemChargeAssignmentPayload:
    value_entries: list[ValueEntry] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ItemMutation:
    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_item(self, info: Info[Context, None], input: UpsertItemInput) -> ItemPayload:
        async def work() -> ItemPayload:
            values = {k: v for k, v in changes(input, frozenset({"no"})).items() if v is not None}
            return ItemPayload(
                item=Item.of(await items.upsert_item(info.context.engine, input.no, values))
            )

        return await mutate(ItemPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_item_charge_code(
        self, info: Info[Context, None], input: UpsertItemChargeCodeInput
    ) -> ItemChargeCodePayload:
        async def work() -> ItemChargeCodePayload:
            values = {k: v for k, v in changes(input, frozenset({"code"})).items() if v is not None}
            record = await items.upsert_item_charge_code(info.context.engine, input.code, values)
            return ItemChargeCodePayload(item_charge_code=ItemChargeCode.of(record))

        return await mutate(ItemChargeCodePayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Pure preview: amounts sum exactly to chargeAmount.",
    )
    async def suggest_item_charge_assignment(
        self, input: SuggestItemChargeAssignmentInput
    ) -> SuggestItemChargeAssignmentPayload:
        async def work() -> SuggestItemChargeAssignmentPayload:
            result = item_charges.suggest_assignment(
                input.charge_amount,
                item_charges.AssignmentMethod(input.method.value),
                [
                    item_charges.AssignmentLine(
                        x.key, x.quantity, x.amount, x.gross_weight, x.unit_volume, x.qty_to_assign
                    )
                    for x in input.lines
                ],
            )
            return SuggestItemChargeAssignmentPayload(
                assignments=[
                    AssignedAmount(
                        key=a.key,
                        qty_to_assign=a.qty_to_assign,
                        amount_to_assign=a.amount_to_assign,
                    )
                    for a in result
                ]
            )

        return await mutate(SuggestItemChargeAssignmentPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def post_item_charge_assignment(
        self, info: Info[Context, None], input: PostItemChargeAssignmentInput
    ) -> PostItemChargeAssignmentPayload:
        cmd = ChargeAssignmentInput(
            charge_code=input.charge_code.upper(),
            charge_amount=input.charge_amount,
            posting_date=input.posting_date,
            method=item_charges.AssignmentMethod(input.method.value),
            line_ids=tuple(input.shipment_line_ids),
            document_no=input.document_no,
            party_no=input.customer_no,
            quantities=None if input.quantities is None else tuple(input.quantities),
        )
        return await _post_assignment(info, SALES, cmd, input.idempotency_key)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Adds the charge to received items' cost: inventory against the charge's "
        "G/L account.",
    )
    async def post_purchase_item_charge_assignment(
        self, info: Info[Context, None], input: PostPurchaseItemChargeAssignmentInput
    ) -> PostItemChargeAssignmentPayload:
        cmd = ChargeAssignmentInput(
            charge_code=input.charge_code.upper(),
            charge_amount=input.charge_amount,
            posting_date=input.posting_date,
            method=item_charges.AssignmentMethod(input.method.value),
            line_ids=tuple(input.receipt_line_ids),
            document_no=input.document_no,
            quantities=None if input.quantities is None else tuple(input.quantities),
        )
        return await _post_assignment(info, PURCHASE, cmd, input.idempotency_key)


async def _post_assignment(
    info: Info[Context, None], side: ChargeSide, cmd: ChargeAssignmentInput, key: str | None
) -> PostItemChargeAssignmentPayload:
    async def work() -> PostItemChargeAssignmentPayload:
        nos = set(await post_item_charge_assignment(info.context.engine, side, cmd, key))
        async with info.context.engine.connect() as conn:
            rows = await items.value_entries(conn, list(cmd.line_ids), side.value_column)
        return PostItemChargeAssignmentPayload(
            value_entries=[ValueEntry.of(r) for r in rows if r.entry_no in nos]
        )

    return await mutate(PostItemChargeAssignmentPayload, work)
