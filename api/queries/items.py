"""Item queries (scope read): shipment lines with their adjusted cost."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.auth import ReadScope
from api.context import Context
from api.types.items import ShipmentLine
from store.posting import items


@strawberry.type
class ItemQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def shipment_line(self, info: Info[Context, None], id: int) -> ShipmentLine | None:
        async with info.context.engine.connect() as conn:
            rows = await items.shipment_lines(conn, [id])
        return ShipmentLine.of(rows[0]) if rows else None

    @strawberry.field(permission_classes=[ReadScope])
    async def shipment_lines(
        self, info: Info[Context, None], customer_no: str, document_no: str
    ) -> list[ShipmentLine]:
        async with info.context.engine.connect() as conn:
            rows = await items.shipment_lines_of_document(conn, customer_no, document_no)
        return [ShipmentLine.of(r) for r in rows]
