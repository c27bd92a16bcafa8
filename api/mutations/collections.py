"""Collections: reminder and finance charge terms (scope admin), proposing and issuing
reminders and finance charge memos (scope post)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from api.auth import AdminScope, PostScope, ReadScope
from api.context import Context
from api.errors import UserError
from api.resolvers import mutate
from api.types.collections import DocumentDelivery, FinanceChargeMemo, Reminder
from api.types.ledger_entry import CustomerLedgerEntry
from domain.finance_charges import FinanceChargeTerms, InterestMethod
from domain.ledger import Ledger
from domain.reminders import ReminderLevel, ReminderTerms
from store.collections import finance_charges, reminders
from store.collections.deliveries import DocumentDelivery as DocumentDeliveryRecord
from store.collections.deliveries import enqueue_documents, open_jobs
from store.parties.ledger import entries_by_no


@strawberry.input
class ReminderTextInput:
    language_code: str
    text: str


@strawberry.type
class ReminderText:
    language_code: str
    text: str


@strawberry.input
class ReminderLevelInput:
    no: int
    grace_period: str = ""
    due_date_calculation: str = ""
    fixed_fee: Decimal = Decimal(0)
    pct_of_remaining: Decimal = Decimal(0)
    additional_fee_per_line: Decimal = Decimal(0)
    texts: list[ReminderTextInput] = strawberry.field(
        default_factory=list,
        description="Printed on this level's reminders instead of the built-in wording, in the "
        "customer's language; may contain {total} and {due_date}.",
    )


@strawberry.input
class UpsertReminderTermsInput:
    code: str
    minimum_overdue_amount: Decimal = Decimal(0)
    max_reminders: int = strawberry.field(default=0, description="0 = no cap.")
    levels: list[ReminderLevelInput] = strawberry.field(default_factory=list)


@strawberry.type
class ReminderLevelType:
    no: int
    grace_period: str
    due_date_calculation: str
    fixed_fee: Decimal
    pct_of_remaining: Decimal
    additional_fee_per_line: Decimal
    texts: list[ReminderText]


@strawberry.type
class ReminderTermsType:
    code: str
    minimum_overdue_amount: Decimal
    max_reminders: int
    levels: list[ReminderLevelType]


@strawberry.type
class UpsertReminderTermsPayload:
    terms: ReminderTermsType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateRemindersInput:
    posting_date: date
    document_date: date
    customer_nos: list[str]
    overdue_as_of: date | None = strawberry.field(
        default=None, description="Defaults to the document date."
    )


@strawberry.type
class CreateRemindersPayload:
    reminders: list[Reminder] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class IssueRemindersInput:
    reminder_ids: list[int]
    idempotency_key: str | None = None


@strawberry.type
class IssuedDocument:
    id: int
    posted_entry: CustomerLedgerEntry | None = strawberry.field(
        description="None for a reminder without fee."
    )
    delivery: DocumentDelivery | None = strawberry.field(
        default=None, description="How the document is being sent (queued after the commit)."
    )


@strawberry.type
class IssueRemindersPayload:
    issued: list[IssuedDocument] = strawberry.field(default_factory=list)
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CancelIssuedReminderInput:
    id: int
    posting_date: date | None = strawberry.field(
        default=None, description="Defaults to the reminder's posting date."
    )


@strawberry.type
class CancelIssuedReminderPayload:
    reminder: Reminder | None = None
    cancel_entry: CustomerLedgerEntry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.enum
class InterestCalculationMethod(Enum):
    BALANCE_DUE = "BALANCE_DUE"
    AVERAGE_DAILY_BALANCE = "AVERAGE_DAILY_BALANCE"


@strawberry.input
class UpsertFinanceChargeTermsInput:
    code: str
    interest_rate_pct: Decimal
    interest_period_days: int = 30
    minimum_amount: Decimal = Decimal(0)
    grace_period: str = ""
    additional_fee: Decimal = Decimal(0)
    method: InterestCalculationMethod = InterestCalculationMethod.BALANCE_DUE
    interest_on_fees: bool = False


@strawberry.type
class FinanceChargeTermsType:
    code: str
    interest_rate_pct: Decimal
    interest_period_days: int
    minimum_amount: Decimal
    grace_period: str
    additional_fee: Decimal
    method: InterestCalculationMethod
    interest_on_fees: bool


@strawberry.type
class UpsertFinanceChargeTermsPayload:
    terms: FinanceChargeTermsType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateFinanceChargeMemosInput:
    posting_date: date
    document_date: date
    customer_nos: list[str]
    as_of: date | None = strawberry.field(
        default=None, description="Interest is counted up to this day; the document date."
    )


@strawberry.type
class CreateFinanceChargeMemosPayload:
    memos: list[FinanceChargeMemo] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class IssueFinanceChargeMemosInput:
    memo_ids: list[int]
    idempotency_key: str | None = None


@strawberry.type
class IssueFinanceChargeMemosPayload:
    issued: list[IssuedDocument] = strawberry.field(default_factory=list)
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _send(info: Info[Context, None], deliveries: list[DocumentDeliveryRecord | None]) -> None:
    """After the commit: one job per delivery still open (a replay re-enqueues what a crash
    between commit and enqueue left behind; the job ids make repeats no-ops)."""
    await enqueue_documents(info.context.redis, open_jobs(deliveries), info.context.queue_name)


async def _issued(
    info: Info[Context, None],
    pairs: list[tuple[int, int | None]],
    deliveries: list[DocumentDeliveryRecord | None] | None = None,
) -> list[IssuedDocument]:
    async with info.context.engine.connect() as conn:
        entries = await entries_by_no(
            conn, Ledger.CUSTOMER, [no for _, no in pairs if no is not None]
        )
    sent = deliveries or [None] * len(pairs)
    return [
        IssuedDocument(
            id=doc_id,
            posted_entry=CustomerLedgerEntry.of(entries[no]) if no is not None else None,
            delivery=DocumentDelivery.of(delivery),
        )
        for (doc_id, no), delivery in zip(pairs, sent, strict=True)
    ]


def _finance_terms_type(t: FinanceChargeTerms) -> FinanceChargeTermsType:
    return FinanceChargeTermsType(
        code=t.code,
        interest_rate_pct=t.interest_rate_pct,
        interest_period_days=t.interest_period_days,
        minimum_amount=t.minimum_amount,
        grace_period=t.grace_period,
        additional_fee=t.additional_fee,
        method=InterestCalculationMethod(t.method.value),
        interest_on_fees=t.interest_on_fees,
    )


def _reminder_terms_type(t: ReminderTerms) -> ReminderTermsType:
    return ReminderTermsType(
        code=t.code,
        minimum_overdue_amount=t.minimum_overdue_amount,
        max_reminders=t.max_reminders,
        levels=[
            ReminderLevelType(
                no=x.no,
                grace_period=x.grace_period,
                due_date_calculation=x.due_date_formula,
                fixed_fee=x.fixed_fee,
                pct_of_remaining=x.pct_of_remaining,
                additional_fee_per_line=x.additional_fee_per_line,
                texts=[ReminderText(language_code=c, text=v) for c, v in x.texts],
            )
            for x in t.levels
        ],
    )


@strawberry.type
class CollectionsMutation:
    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_reminder_terms(
        self, info: Info[Context, None], input: UpsertReminderTermsInput
    ) -> UpsertReminderTermsPayload:
        async def work() -> UpsertReminderTermsPayload:
            terms = ReminderTerms(
                input.code,
                input.minimum_overdue_amount,
                input.max_reminders,
                tuple(
                    ReminderLevel(
                        x.no,
                        x.grace_period,
                        x.due_date_calculation,
                        x.fixed_fee,
                        x.pct_of_remaining,
                        x.additional_fee_per_line,
                        tuple((t.language_code, t.text) for t in x.texts),
                    )
                    for x in input.levels
                ),
            )
            stored = await reminders.upsert_reminder_terms(info.context.engine, terms)
            return UpsertReminderTermsPayload(terms=_reminder_terms_type(stored))

        return await mutate(UpsertReminderTermsPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Propose one reminder per customer and currency (stored, not posted).",
    )
    async def create_reminders(
        self, info: Info[Context, None], input: CreateRemindersInput
    ) -> CreateRemindersPayload:
        async def work() -> CreateRemindersPayload:
            made = await reminders.create_reminders(
                info.context.engine,
                input.posting_date,
                input.document_date,
                input.customer_nos,
                input.overdue_as_of,
            )
            return CreateRemindersPayload(reminders=[Reminder.of(r) for r in made])

        return await mutate(CreateRemindersPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post each reminder's fee, raise its entries' reminder level and send it "
        "(PDF by e-mail, or stored for download for customers without e-mail).",
    )
    async def issue_reminders(
        self, info: Info[Context, None], input: IssueRemindersInput
    ) -> IssueRemindersPayload:
        async def work() -> IssueRemindersPayload:
            result = await reminders.issue_reminders(
                info.context.engine, input.reminder_ids, input.idempotency_key
            )
            deliveries = [r.delivery for r in result.documents]
            await _send(info, deliveries)
            pairs = [(r.id, r.posted_entry_no) for r in result.documents]
            return IssueRemindersPayload(
                issued=await _issued(info, pairs, deliveries), replayed=result.replayed
            )

        return await mutate(IssueRemindersPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post the fee back and lower the reminded entries' levels.",
    )
    async def cancel_issued_reminder(
        self, info: Info[Context, None], input: CancelIssuedReminderInput
    ) -> CancelIssuedReminderPayload:
        async def work() -> CancelIssuedReminderPayload:
            done = await reminders.cancel_issued_reminder(
                info.context.engine, input.id, input.posting_date
            )
            cancel = None
            if done.cancel_entry_no is not None:
                cancel = (await _issued(info, [(done.id, done.cancel_entry_no)]))[0].posted_entry
            return CancelIssuedReminderPayload(reminder=Reminder.of(done), cancel_entry=cancel)

        return await mutate(CancelIssuedReminderPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_finance_charge_terms(
        self, info: Info[Context, None], input: UpsertFinanceChargeTermsInput
    ) -> UpsertFinanceChargeTermsPayload:
        async def work() -> UpsertFinanceChargeTermsPayload:
            terms = FinanceChargeTerms(
                input.code,
                input.interest_rate_pct,
                input.interest_period_days,
                input.minimum_amount,
                input.grace_period,
                input.additional_fee,
                InterestMethod(input.method.value),
                input.interest_on_fees,
            )
            t = await finance_charges.upsert_finance_charge_terms(info.context.engine, terms)
            return UpsertFinanceChargeTermsPayload(terms=_finance_terms_type(t))

        return await mutate(UpsertFinanceChargeTermsPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Propose one finance charge memo per customer and currency (not posted).",
    )
    async def create_finance_charge_memos(
        self, info: Info[Context, None], input: CreateFinanceChargeMemosInput
    ) -> CreateFinanceChargeMemosPayload:
        async def work() -> CreateFinanceChargeMemosPayload:
            made = await finance_charges.create_finance_charge_memos(
                info.context.engine,
                input.posting_date,
                input.document_date,
                input.customer_nos,
                input.as_of,
            )
            return CreateFinanceChargeMemosPayload(memos=[FinanceChargeMemo.of(m) for m in made])

        return await mutate(CreateFinanceChargeMemosPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post each memo's interest and fee as a finance charge memo entry and send "
        "it like a reminder.",
    )
    async def issue_finance_charge_memos(
        self, info: Info[Context, None], input: IssueFinanceChargeMemosInput
    ) -> IssueFinanceChargeMemosPayload:
        async def work() -> IssueFinanceChargeMemosPayload:
            result = await finance_charges.issue_finance_charge_memos(
                info.context.engine, input.memo_ids, input.idempotency_key
            )
            deliveries = [m.delivery for m in result.documents]
            await _send(info, deliveries)
            pairs = [(m.id, m.posted_entry_no) for m in result.documents]
            return IssueFinanceChargeMemosPayload(
                issued=await _issued(info, pairs, deliveries), replayed=result.replayed
            )

        return await mutate(IssueFinanceChargeMemosPayload, work)


def _limit(first: int) -> int:
    return max(1, min(first, 500))


@strawberry.type
class CollectionsQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def reminder_terms(
        self, info: Info[Context, None], code: str
    ) -> ReminderTermsType | None:
        async with info.context.engine.connect() as conn:
            t = await reminders.get_reminder_terms(conn, code)
        return None if t is None else _reminder_terms_type(t)

    @strawberry.field(permission_classes=[ReadScope])
    async def finance_charge_terms(
        self, info: Info[Context, None], code: str
    ) -> FinanceChargeTermsType | None:
        async with info.context.engine.connect() as conn:
            t = await finance_charges.get_finance_charge_terms(conn, code)
        return None if t is None else _finance_terms_type(t)

    @strawberry.field(permission_classes=[ReadScope])
    async def reminder(self, info: Info[Context, None], id: int) -> Reminder | None:
        async with info.context.engine.connect() as conn:
            found = await reminders.load_reminders(conn, [id])
        return Reminder.of(found[0]) if found else None

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Newest first; status is PROPOSED, ISSUED or CANCELED. At most 500.",
    )
    async def reminders(
        self,
        info: Info[Context, None],
        customer_no: str | None = None,
        status: str | None = None,
        first: int = 50,
    ) -> list[Reminder]:
        async with info.context.engine.connect() as conn:
            found = await reminders.find_reminders(conn, customer_no, status, _limit(first))
        return [Reminder.of(r) for r in found]

    @strawberry.field(permission_classes=[ReadScope])
    async def finance_charge_memo(
        self, info: Info[Context, None], id: int
    ) -> FinanceChargeMemo | None:
        async with info.context.engine.connect() as conn:
            found = await finance_charges.load_memos(conn, [id])
        return FinanceChargeMemo.of(found[0]) if found else None

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Newest first; status is PROPOSED or ISSUED. At most 500.",
    )
    async def finance_charge_memos(
        self,
        info: Info[Context, None],
        customer_no: str | None = None,
        status: str | None = None,
        first: int = 50,
    ) -> list[FinanceChargeMemo]:
        async with info.context.engine.connect() as conn:
            found = await finance_charges.find_memos(conn, customer_no, status, _limit(first))
        return [FinanceChargeMemo.of(m) for m in found]
