"""Draft cash receipt journals: add, update, delete lines, then post them all (scope post)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.auth import PostScope, ReadScope
from api.context import Context
from api.errors import UserError
from api.inputs.cash_receipts import CashReceiptLineInput
from api.mutations.cash_receipts import (
    PostCashReceiptLinesPayload,
    _preview,
)
from api.resolvers import mutate
from api.types.journal import CashReceiptJournal
from domain.errors import DomainError, ErrorCode
from store.posting import journals
from store.posting.cash_receipts import post_draft


@strawberry.input
class AddJournalLineInput:
    journal_name: str
    line: CashReceiptLineInput


@strawberry.input
class UpdateJournalLineInput:
    line_id: int
    line: CashReceiptLineInput


@strawberry.input
class DeleteJournalLineInput:
    line_id: int


@strawberry.input
class PostJournalInput:
    journal_name: str
    preview_posting: bool = False
    idempotency_key: str | None = None


@strawberry.type
class JournalPayload:
    journal: CashReceiptJournal | None = None
    line_id: int | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _journal(info: Info[Context, None], name: str) -> CashReceiptJournal:
    async with info.context.engine.connect() as conn:
        draft = await journals.load_draft(conn, name)
    if draft is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"journal {name!r} does not exist", ["journalName"])
    return CashReceiptJournal.of(draft)


@strawberry.type
class JournalQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def cash_receipt_journal(
        self, info: Info[Context, None], name: str
    ) -> CashReceiptJournal | None:
        async with info.context.engine.connect() as conn:
            draft = await journals.load_draft(conn, name)
        return None if draft is None else CashReceiptJournal.of(draft)


@strawberry.type
class JournalMutation:
    @strawberry.mutation(permission_classes=[PostScope])
    async def add_cash_receipt_journal_line(
        self, info: Info[Context, None], input: AddJournalLineInput
    ) -> JournalPayload:
        async def work() -> JournalPayload:
            line_id = await journals.add_line(
                info.context.engine, input.journal_name, input.line.to_line()
            )
            return JournalPayload(journal=await _journal(info, input.journal_name), line_id=line_id)

        return await mutate(JournalPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def update_cash_receipt_journal_line(
        self, info: Info[Context, None], input: UpdateJournalLineInput
    ) -> JournalPayload:
        async def work() -> JournalPayload:
            name = await journals.update_line(
                info.context.engine, input.line_id, input.line.to_line()
            )
            return JournalPayload(journal=await _journal(info, name), line_id=input.line_id)

        return await mutate(JournalPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def delete_cash_receipt_journal_line(
        self, info: Info[Context, None], input: DeleteJournalLineInput
    ) -> JournalPayload:
        async def work() -> JournalPayload:
            name = await journals.delete_line(info.context.engine, input.line_id)
            return JournalPayload(journal=await _journal(info, name))

        return await mutate(JournalPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post every line in one transaction, then empty the "
        "journal (nothing is posted if any line is refused).",
    )
    async def post_cash_receipt_journal(
        self, info: Info[Context, None], input: PostJournalInput
    ) -> PostCashReceiptLinesPayload:
        async def work() -> PostCashReceiptLinesPayload:
            outcome = await post_draft(
                info.context.engine,
                input.journal_name,
                preview=input.preview_posting,
                idempotency_key=input.idempotency_key,
            )
            if outcome.preview is not None:
                return PostCashReceiptLinesPayload(preview=_preview(outcome.preview))
            return PostCashReceiptLinesPayload(
                entry_nos=outcome.entry_nos,
                vendor_entry_nos=outcome.vendor_entry_nos,
                replayed=outcome.replayed,
            )

        return await mutate(PostCashReceiptLinesPayload, work)
