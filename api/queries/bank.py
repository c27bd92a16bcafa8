"""Bank queries (scope read): imported statements, the suggestions to review, reconciliation."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.auth import ReadScope
from api.context import Context
from api.resolvers import query
from api.types.bank import (
    BankAccountReconciliation,
    BankStatement,
    SuggestedApplication,
    TextToAccountMapping,
    build_lines,
    build_reconciliation,
    build_statements,
)
from domain.errors import DomainError, ErrorCode
from store.bank import records
from store.bank.reconciliation import DEFAULT_DATE_TOLERANCE_DAYS, bank_account_reconciliation
from store.bank.statements import list_text_mappings

MAX_STATEMENTS = 100


def parse_id(value: strawberry.ID | str, field: list[str]) -> int:
    """IDs are decimal strings of the row id."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{value!r} is not an id", field)
    return int(text)


@strawberry.type
class BankQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def bank_statement(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> BankStatement | None:
        async def work() -> BankStatement | None:
            async with info.context.engine.connect() as conn:
                found = await records.get_statement(conn, parse_id(id, ["id"]))
                return None if found is None else (await build_statements(conn, [found]))[0]

        return await query(work)

    @strawberry.field(
        permission_classes=[ReadScope],
        description=f"Newest import first, at most {MAX_STATEMENTS}; `before` is a statement id.",
    )
    async def bank_statements(
        self,
        info: Info[Context, None],
        bank_account_no: str | None = None,
        first: int = 20,
        before: strawberry.ID | None = None,
    ) -> list[BankStatement]:
        async def work() -> list[BankStatement]:
            if not 1 <= first <= MAX_STATEMENTS:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, f"first is 1 to {MAX_STATEMENTS}", ["first"]
                )
            before_id = None if before is None else parse_id(before, ["before"])
            async with info.context.engine.connect() as conn:
                found = await records.list_statements(conn, bank_account_no, first, before_id)
                return await build_statements(conn, found)

        return await query(work)

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Every line's suggestions (not the rejected ones), best first; refresh "
        "them with refreshSuggestions.",
    )
    async def suggested_applications(
        self, info: Info[Context, None], statement_id: strawberry.ID
    ) -> list[SuggestedApplication]:
        async def work() -> list[SuggestedApplication]:
            async with info.context.engine.connect() as conn:
                statement = await records.require_statement(
                    conn, parse_id(statement_id, ["statementId"])
                )
                lines = await build_lines(conn, await records.lines_of(conn, statement.id))
            return [s for line in lines for s in line.suggestions]

        return await query(work)

    @strawberry.field(permission_classes=[ReadScope])
    async def bank_account_reconciliation(
        self,
        info: Info[Context, None],
        statement_id: strawberry.ID,
        date_tolerance_days: int = DEFAULT_DATE_TOLERANCE_DAYS,
    ) -> BankAccountReconciliation:
        async def work() -> BankAccountReconciliation:
            async with info.context.engine.connect() as conn:
                result = await bank_account_reconciliation(
                    conn, parse_id(statement_id, ["statementId"]), date_tolerance_days
                )
                return await build_reconciliation(conn, result)

        return await query(work)

    @strawberry.field(permission_classes=[ReadScope])
    async def text_to_account_mappings(
        self, info: Info[Context, None]
    ) -> list[TextToAccountMapping]:
        async with info.context.engine.connect() as conn:
            rows = await list_text_mappings(conn)
        return [
            TextToAccountMapping(mapping_text=t, gl_account_no=g, description=d) for t, g, d in rows
        ]
