"""Master data writes and reads: company setup, currencies, rates, terms, bank accounts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.iban import normalize_iban
from store.records import (
    BankAccountRecord,
    CompanySetupRecord,
    CurrencyRecord,
    ExchangeRateRecord,
    PaymentTermsRecord,
    from_row,
)
from store.tables import BANK_ACCOUNTS as BANK
from store.tables import COMPANY_SETUP as SETUP
from store.tables import CURRENCIES as CURRENCY
from store.tables import EXCHANGE_RATES as RATE
from store.tables import GL_ACCOUNTS as GL_ACCOUNT
from store.tables import PAYMENT_TERMS as TERMS


async def load_setup(conn: AsyncConnection) -> CompanySetupRecord:
    row = (await conn.execute(sa.select(SETUP).where(SETUP.c.id == 1))).one()
    return from_row(CompanySetupRecord, row)


async def update_setup(engine: AsyncEngine, changes: dict[str, Any]) -> CompanySetupRecord:
    async with engine.begin() as conn:
        current = asdict(await load_setup(conn))
        merged = {**current, **changes}
        f: list[str] = []
        rules.check_code(merged["lcy_code"], [*f, "lcyCode"], 3 + 7)
        for name, key in (
            ("amount_rounding_precision", "amountRoundingPrecision"),
            ("invoice_rounding_precision", "invoiceRoundingPrecision"),
            ("appln_rounding_precision", "applnRoundingPrecision"),
        ):
            rules.check_precision_value(merged[name], [*f, key])
        rules.check_pct(merged["payment_tolerance_pct"], [*f, "paymentTolerancePct"])
        rules.check_non_negative(
            merged["max_payment_tolerance_amount"], [*f, "maxPaymentToleranceAmount"]
        )
        merged["payment_discount_grace_period"] = rules.check_formula(
            merged["payment_discount_grace_period"], [*f, "paymentDiscountGracePeriod"]
        )
        rules.check_choice(
            merged["appln_between_currencies"],
            rules.APPLN_BETWEEN_CURRENCIES,
            [*f, "applnBetweenCurrencies"],
        )
        rules.check_posting_window(merged["allow_posting_from"], merged["allow_posting_to"])
        await conn.execute(sa.update(SETUP).where(SETUP.c.id == 1).values(**merged))
        return await load_setup(conn)


async def get_currency(conn: AsyncConnection, code: str) -> CurrencyRecord | None:
    row = (await conn.execute(sa.select(CURRENCY).where(CURRENCY.c.code == code))).one_or_none()
    return None if row is None else from_row(CurrencyRecord, row)


async def require_currency(conn: AsyncConnection, code: str, field: list[str]) -> CurrencyRecord:
    currency = await get_currency(conn, code)
    if currency is None:
        raise DomainError(ErrorCode.UNKNOWN_CURRENCY, f"currency {code!r} does not exist", field)
    return currency


async def upsert_currency(
    engine: AsyncEngine, code: str, changes: dict[str, Any]
) -> CurrencyRecord:
    code = rules.check_code(code, ["code"], 10).upper()
    async with engine.begin() as conn:
        setup = await load_setup(conn)
        if code == setup.lcy_code:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"{code} is the local currency (LCY): it is configured in the company setup",
                ["code"],
            )
        existing = await get_currency(conn, code)
        base = (
            asdict(existing)
            if existing
            else {
                "code": code,
                "description": code,
                "amount_rounding_precision": Decimal("0.01"),
                "invoice_rounding_precision": Decimal("0.01"),
                "payment_tolerance_pct": Decimal(0),
                "max_payment_tolerance_amount": Decimal(0),
            }
        )
        merged = {**base, **changes, "code": code}
        rules.check_precision_value(
            merged["amount_rounding_precision"], ["amountRoundingPrecision"]
        )
        rules.check_precision_value(
            merged["invoice_rounding_precision"], ["invoiceRoundingPrecision"]
        )
        rules.check_pct(merged["payment_tolerance_pct"], ["paymentTolerancePct"])
        rules.check_non_negative(
            merged["max_payment_tolerance_amount"], ["maxPaymentToleranceAmount"]
        )
        stmt = insert(CURRENCY).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[CURRENCY.c.code],
                set_={k: stmt.excluded[k] for k in merged if k != "code"},
            )
        )
        return from_row(CurrencyRecord, merged)


async def set_exchange_rate(
    engine: AsyncEngine, currency_code: str, starting_date: date, rate: Decimal
) -> ExchangeRateRecord:
    if rate <= 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"an exchange rate must be positive, got {rate}",
            ["rate"],
        )
    async with engine.begin() as conn:
        await require_currency(conn, currency_code, ["currencyCode"])
        stmt = insert(RATE).values(
            currency_code=currency_code, starting_date=starting_date, rate=rate
        )
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[RATE.c.currency_code, RATE.c.starting_date],
                set_={"rate": stmt.excluded.rate},
            )
        )
    return ExchangeRateRecord(currency_code, starting_date, rate)


async def rates_for(conn: AsyncConnection, currency_code: str) -> list[ExchangeRateRecord]:
    rows = await conn.execute(
        sa.select(RATE).where(RATE.c.currency_code == currency_code).order_by(RATE.c.starting_date)
    )
    return [from_row(ExchangeRateRecord, r) for r in rows]


async def get_payment_terms(conn: AsyncConnection, code: str) -> PaymentTermsRecord | None:
    row = (await conn.execute(sa.select(TERMS).where(TERMS.c.code == code))).one_or_none()
    return None if row is None else from_row(PaymentTermsRecord, row)


async def party_payment_terms(
    conn: AsyncConnection, code: str | None, field: list[str]
) -> str | None:
    """A customer's or vendor's payment terms code: blank means none; an unknown one is a
    user error."""
    if code is None or not code.strip():
        return None
    if await get_payment_terms(conn, code) is None:
        raise DomainError(
            ErrorCode.UNKNOWN_PAYMENT_TERMS, f"payment terms {code!r} do not exist", field
        )
    return code


async def upsert_payment_terms(
    engine: AsyncEngine, code: str, changes: dict[str, Any]
) -> PaymentTermsRecord:
    code = rules.check_code(code, ["code"]).upper()
    async with engine.begin() as conn:
        existing = await get_payment_terms(conn, code)
        base = (
            asdict(existing)
            if existing
            else {
                "code": code,
                "description": code,
                "due_date_calculation": "",
                "discount_date_calculation": "",
                "discount_pct": Decimal(0),
                "calc_pmt_disc_on_cr_memos": False,
            }
        )
        merged = {**base, **changes, "code": code}
        merged["due_date_calculation"] = rules.check_formula(
            merged["due_date_calculation"], ["dueDateCalculation"]
        )
        merged["discount_date_calculation"] = rules.check_formula(
            merged["discount_date_calculation"], ["discountDateCalculation"]
        )
        rules.check_pct(merged["discount_pct"], ["discountPct"])
        stmt = insert(TERMS).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[TERMS.c.code],
                set_={k: stmt.excluded[k] for k in merged if k != "code"},
            )
        )
        return from_row(PaymentTermsRecord, merged)


async def gl_account_exists(conn: AsyncConnection, no: str) -> bool:
    row = await conn.execute(sa.select(GL_ACCOUNT.c.no).where(GL_ACCOUNT.c.no == no))
    return row.one_or_none() is not None


async def require_gl_account(conn: AsyncConnection, no: str, field: list[str]) -> None:
    if not await gl_account_exists(conn, no):
        raise DomainError(ErrorCode.UNKNOWN_GL_ACCOUNT, f"G/L account {no!r} does not exist", field)


async def get_bank_account(conn: AsyncConnection, no: str) -> BankAccountRecord | None:
    row = (await conn.execute(sa.select(BANK).where(BANK.c.no == no))).one_or_none()
    return None if row is None else from_row(BankAccountRecord, row)


async def upsert_bank_account(
    engine: AsyncEngine, no: str, changes: dict[str, Any]
) -> BankAccountRecord:
    no = rules.check_code(no, ["no"])
    async with engine.begin() as conn:
        existing = await get_bank_account(conn, no)
        base = (
            asdict(existing)
            if existing
            else {
                "no": no,
                "name": no,
                "iban": "",
                "currency_code": "",
                "gl_account_no": "1100",
            }
        )
        merged = {**base, **changes, "no": no}
        if merged["iban"]:
            merged["iban"] = normalize_iban(merged["iban"], ["iban"])
        if merged["currency_code"]:
            setup = await load_setup(conn)
            if merged["currency_code"] == setup.lcy_code:
                merged["currency_code"] = ""
            else:
                await require_currency(conn, merged["currency_code"], ["currencyCode"])
        await require_gl_account(conn, merged["gl_account_no"], ["glAccountNo"])
        stmt = insert(BANK).values(**merged)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[BANK.c.no],
                set_={k: stmt.excluded[k] for k in merged if k != "no"},
            )
        )
        return from_row(BankAccountRecord, merged)
