"""Statement run queries (scope read): progress counts and deliveries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.auth import ReadScope
from api.context import Context
from api.types.statements import StatementRun, load_statement_run


@strawberry.type
class StatementQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def statement_run(self, info: Info[Context, None], id: int) -> StatementRun | None:
        return await load_statement_run(info, id)
