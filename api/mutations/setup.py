"""Setup mutations (scope admin): company, currencies and rates, terms, banks, customers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import UNSET
from strawberry.types import Info

from api.auth import AdminScope
from api.context import Context
from api.errors import UserError
from api.inputs.convert import changes
from api.resolvers import mutate
from api.types.customer import Customer
from api.types.enums import ApplicationMethod, ApplnBetweenCurrencies
from api.types.setup import BankAccount, CompanySetup, Currency, ExchangeRate, PaymentTerms
from store import setup
from store.parties.master import CUSTOMER, upsert_party


@strawberry.input
class UpdateCompanySetupInput:
    name: str | None = UNSET
    address: str | None = UNSET
    email: str | None = UNSET
    vat_no: str | None = UNSET
    lcy_code: str | None = UNSET
    amount_rounding_precision: Decimal | None = UNSET
    invoice_rounding_precision: Decimal | None = UNSET
    appln_rounding_precision: Decimal | None = UNSET
    payment_tolerance_pct: Decimal | None = UNSET
    max_payment_tolerance_amount: Decimal | None = UNSET
    payment_discount_grace_period: str | None = UNSET
    payment_tolerance_warning: bool | None = UNSET
    payment_discount_tolerance_warning: bool | None = UNSET
    appln_between_currencies: ApplnBetweenCurrencies | None = UNSET
    allow_posting_from: date | None = UNSET
    allow_posting_to: date | None = UNSET


@strawberry.input
class UpsertCurrencyInput:
    code: str
    description: str | None = UNSET
    amount_rounding_precision: Decimal | None = UNSET
    invoice_rounding_precision: Decimal | None = UNSET
    payment_tolerance_pct: Decimal | None = UNSET
    max_payment_tolerance_amount: Decimal | None = UNSET


@strawberry.input
class SetExchangeRateInput:
    currency_code: str
    starting_date: date
    rate: Decimal


@strawberry.input
class UpsertPaymentTermsInput:
    code: str
    description: str | None = UNSET
    due_date_calculation: str | None = UNSET
    discount_date_calculation: str | None = UNSET
    discount_pct: Decimal | None = UNSET
    calc_pmt_disc_on_cr_memos: bool | None = UNSET


@strawberry.input
class UpsertBankAccountInput:
    no: str
    name: str | None = UNSET
    iban: str | None = UNSET
    currency_code: str | None = UNSET
    gl_account_no: str | None = UNSET


@strawberry.input
class BankAccountIbanInput:
    iban: str


@strawberry.input
class UpsertCustomerInput:
    no: str
    name: str | None = UNSET
    address: str | None = UNSET
    email: str | None = UNSET
    language_code: str | None = UNSET
    currency_code: str | None = UNSET
    payment_terms_code: str | None = UNSET
    application_method: ApplicationMethod | None = UNSET
    customer_posting_group: str | None = UNSET
    reminder_terms_code: str | None = UNSET
    finance_charge_terms_code: str | None = UNSET
    bank_accounts: list[BankAccountIbanInput] | None = UNSET


def _non_null(values: dict[str, object]) -> dict[str, object]:
    """An explicit null means "leave as is" for required columns; '' clears a text."""
    nullable = {
        "payment_terms_code",
        "reminder_terms_code",
        "finance_charge_terms_code",
        "allow_posting_from",
        "allow_posting_to",
    }
    return {k: v for k, v in values.items() if v is not None or k in nullable}


@strawberry.type
class CompanySetupPayload:
    setup: CompanySetup | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CurrencyPayload:
    currency: Currency | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ExchangeRatePayload:
    exchange_rate: ExchangeRate | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PaymentTermsPayload:
    payment_terms: PaymentTerms | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankAccountPayload:
    bank_account: BankAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CustomerPayload:
    customer: Customer | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SetupMutation:
    @strawberry.mutation(permission_classes=[AdminScope])
    async def update_company_setup(
        self, info: Info[Context, None], input: UpdateCompanySetupInput
    ) -> CompanySetupPayload:
        async def work() -> CompanySetupPayload:
            values = _non_null(changes(input))
            record = await setup.update_setup(info.context.engine, values)
            return CompanySetupPayload(setup=CompanySetup.of(record))

        return await mutate(CompanySetupPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_currency(
        self, info: Info[Context, None], input: UpsertCurrencyInput
    ) -> CurrencyPayload:
        async def work() -> CurrencyPayload:
            values = _non_null(changes(input, frozenset({"code"})))
            record = await setup.upsert_currency(info.context.engine, input.code, values)
            return CurrencyPayload(currency=Currency.of(record))

        return await mutate(CurrencyPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def set_exchange_rate(
        self, info: Info[Context, None], input: SetExchangeRateInput
    ) -> ExchangeRatePayload:
        async def work() -> ExchangeRatePayload:
            record = await setup.set_exchange_rate(
                info.context.engine, input.currency_code, input.starting_date, input.rate
            )
            return ExchangeRatePayload(exchange_rate=ExchangeRate.of(record))

        return await mutate(ExchangeRatePayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_payment_terms(
        self, info: Info[Context, None], input: UpsertPaymentTermsInput
    ) -> PaymentTermsPayload:
        async def work() -> PaymentTermsPayload:
            values = _non_null(changes(input, frozenset({"code"})))
            record = await setup.upsert_payment_terms(info.context.engine, input.code, values)
            return PaymentTermsPayload(payment_terms=PaymentTerms.of(record))

        return await mutate(PaymentTermsPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_bank_account(
        self, info: Info[Context, None], input: UpsertBankAccountInput
    ) -> BankAccountPayload:
        async def work() -> BankAccountPayload:
            values = _non_null(changes(input, frozenset({"no"})))
            record = await setup.upsert_bank_account(info.context.engine, input.no, values)
            return BankAccountPayload(bank_account=BankAccount.of(record))

        return await mutate(BankAccountPayload, work)

    @strawberry.mutation(permission_classes=[AdminScope])
    async def upsert_customer(
        self, info: Info[Context, None], input: UpsertCustomerInput
    ) -> CustomerPayload:
        async def work() -> CustomerPayload:
            values = _non_null(changes(input, frozenset({"no", "bank_accounts"})))
            ibans = None
            if input.bank_accounts is not UNSET and input.bank_accounts is not None:
                ibans = [b.iban for b in input.bank_accounts]
            record = await upsert_party(info.context.engine, CUSTOMER, input.no, values, ibans)
            return CustomerPayload(customer=Customer.of(record))

        return await mutate(CustomerPayload, work)
