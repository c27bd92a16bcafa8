"""Customer, with balances and open entries batched per page by dataloaders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.context import Context
from api.types.enums import ApplicationMethod
from api.types.ledger_entry import CustomerLedgerEntry
from store.records import CustomerRecord


@strawberry.type
class CustomerBankAccount:
    iban: str


@strawberry.type(description="Balance in one currency ('' = local currency).")
class CurrencyBalance:
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal


@strawberry.type
class Customer:
    no: str
    name: str
    address: str
    email: str
    language_code: str
    currency_code: str
    payment_terms_code: str | None
    application_method: ApplicationMethod
    customer_posting_group: str
    reminder_terms_code: str | None
    finance_charge_terms_code: str | None

    @strawberry.field
    async def bank_accounts(self, info: Info[Context, None]) -> list[CustomerBankAccount]:
        ibans = await info.context.loaders.ibans_by_customer.load(self.no)
        return [CustomerBankAccount(iban=i) for i in ibans]

    @strawberry.field(description="Balance per currency as of the end of that date.")
    async def balances(
        self, info: Info[Context, None], as_of: date | None = None
    ) -> list[CurrencyBalance]:
        found = await info.context.loaders.balances_by_customer.load((self.no, as_of))
        return [
            CurrencyBalance(currency_code=c, amount=a, amount_lcy=lcy)
            for c, (a, lcy) in sorted(found.items())
        ]

    @strawberry.field(
        description="Balance in the customer's currency as of that date "
        "(entries in other currencies are in `balances`)."
    )
    async def balance(self, info: Info[Context, None], as_of: date | None = None) -> Decimal:
        found = await info.context.loaders.balances_by_customer.load((self.no, as_of))
        return found.get(self.currency_code, (Decimal("0.00"), Decimal("0.00")))[0]

    @strawberry.field(description="Balance in local currency, all currencies together.")
    async def balance_lcy(self, info: Info[Context, None], as_of: date | None = None) -> Decimal:
        found = await info.context.loaders.balances_by_customer.load((self.no, as_of))
        return sum((lcy for _, lcy in found.values()), Decimal("0.00"))

    @strawberry.field(description="The oldest open entries (by due date), at most `first`.")
    async def open_entries(
        self, info: Info[Context, None], first: int = 10
    ) -> list[CustomerLedgerEntry]:
        first = max(0, min(first, 100))
        rows = await info.context.loaders.open_entries_by_customer.load((self.no, first))
        return [CustomerLedgerEntry.of(r) for r in rows]

    @classmethod
    def of(cls, r: CustomerRecord) -> Customer:
        return cls(
            no=r.no,
            name=r.name,
            address=r.address,
            email=r.email,
            language_code=r.language_code,
            currency_code=r.currency_code,
            payment_terms_code=r.payment_terms_code,
            application_method=ApplicationMethod(r.application_method),
            customer_posting_group=r.customer_posting_group,
            reminder_terms_code=r.reminder_terms_code,
            finance_charge_terms_code=r.finance_charge_terms_code,
        )
