"""Statement runs (scope post): request one, cancel it, retry its failed deliveries.

Jobs are enqueued after the run is committed; job ids come from the delivery rows, so a
replayed request (same idempotency key) re-enqueues what is still open and adds nothing.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.auth import PostScope
from api.context import Context
from api.errors import UserError
from api.resolvers import mutate
from api.types.statements import (
    StatementAgingBy,
    StatementCustomerSelection,
    StatementOutput,
    StatementRun,
    StatementStyle,
    load_statement_run,
)
from domain.statements import AgingBy, CustomerSelection
from domain.statements import StatementStyle as DomainStyle
from store.statements.queue import enqueue_deliveries
from store.statements.runs import (
    StatementRunRequest,
    cancel_statement_run,
    create_statement_run,
    pending_jobs,
    retry_statement_run,
)


@strawberry.input
class RequestStatementRunInput:
    end_date: date = strawberry.field(description="Statement date and aging date.")
    start_date: date | None = strawberry.field(
        default=None, description="Defaults to the first day of the end date's month."
    )
    customer_nos: list[str] | None = strawberry.field(
        default=None, description="Omit to select customers with `selection`."
    )
    selection: StatementCustomerSelection = StatementCustomerSelection.WITH_ENTRIES
    style: StatementStyle = StatementStyle.BALANCE
    include_aging: bool = False
    aging_by: StatementAgingBy = StatementAgingBy.DUE_DATE
    aging_period: str = "1M+CM"
    include_overdue: bool = strawberry.field(default=False, description="Print overdue entries.")
    include_overdue_only: bool = strawberry.field(
        default=False,
        description="Only customers with overdue amounts (selection WITH_OVERDUE), with the "
        "overdue section printed.",
    )
    output: StatementOutput = StatementOutput.EMAIL
    language_code: str = strawberry.field(default="", description="Blank: each customer's.")
    idempotency_key: str | None = None


@strawberry.type
class StatementRunPayload:
    run: StatementRun | None = None
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RetryStatementRunInput:
    id: int
    include_uncertain: bool = strawberry.field(
        default=False,
        description="Also resend deliveries whose outcome is uncertain (may send twice).",
    )


@strawberry.type
class RetryStatementRunPayload:
    run: StatementRun | None = None
    retried: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


def _request(i: RequestStatementRunInput) -> StatementRunRequest:
    selection = CustomerSelection(i.selection.value)
    if i.include_overdue_only:
        selection = CustomerSelection.WITH_OVERDUE
    return StatementRunRequest(
        start_date=i.start_date or i.end_date.replace(day=1),
        end_date=i.end_date,
        customer_nos=None if i.customer_nos is None else tuple(i.customer_nos),
        style=DomainStyle(i.style.value),
        include_aging=i.include_aging,
        aging_by=AgingBy(i.aging_by.value),
        aging_period=i.aging_period,
        include_overdue=i.include_overdue or i.include_overdue_only,
        selection=selection,
        output=i.output.value,
        language_code=i.language_code.strip(),
    )


async def _enqueue_open(info: Info[Context, None], run_id: int) -> None:
    async with info.context.engine.connect() as conn:
        jobs = await pending_jobs(conn, run_id)
    await enqueue_deliveries(info.context.redis, jobs, info.context.queue_name)


@strawberry.type
class StatementMutation:
    @strawberry.mutation(permission_classes=[PostScope])
    async def request_statement_run(
        self, info: Info[Context, None], input: RequestStatementRunInput
    ) -> StatementRunPayload:
        async def work() -> StatementRunPayload:
            run_id, replayed = await create_statement_run(
                info.context.engine, _request(input), input.idempotency_key
            )
            await _enqueue_open(info, run_id)
            return StatementRunPayload(
                run=await load_statement_run(info, run_id), replayed=replayed
            )

        return await mutate(StatementRunPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Pending deliveries are cancelled; one being sent finishes its attempt.",
    )
    async def cancel_statement_run(self, info: Info[Context, None], id: int) -> StatementRunPayload:
        async def work() -> StatementRunPayload:
            await cancel_statement_run(info.context.engine, id)
            return StatementRunPayload(run=await load_statement_run(info, id))

        return await mutate(StatementRunPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Resend the FAILED deliveries of a run (and re-enqueue any still open).",
    )
    async def retry_statement_run(
        self, info: Info[Context, None], input: RetryStatementRunInput
    ) -> RetryStatementRunPayload:
        async def work() -> RetryStatementRunPayload:
            retried = await retry_statement_run(
                info.context.engine, input.id, input.include_uncertain
            )
            await _enqueue_open(info, input.id)
            return RetryStatementRunPayload(
                run=await load_statement_run(info, input.id), retried=retried
            )

        return await mutate(RetryStatementRunPayload, work)
