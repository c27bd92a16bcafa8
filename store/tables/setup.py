"""Master data: company setup, chart of accounts, currencies, terms, customers, bank accounts."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from store.tables.base import code, date_, flag, metadata, money, optional_text, reference, text

CENT = Decimal("0.01")

COMPANY_SETUP = sa.Table(
    "company_setup",  # a single row (id = 1): the company's currency, rounding, tolerances
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, default=1),
    text("name", "My Company"),
    text("address"),
    text("email"),
    text("vat_no"),
    sa.Column("logo_png", sa.LargeBinary(), nullable=True),
    text("lcy_code", "EUR"),
    money("amount_rounding_precision", CENT),
    money("invoice_rounding_precision", CENT),
    money("appln_rounding_precision", CENT),
    money("payment_tolerance_pct"),
    money("max_payment_tolerance_amount"),
    text("payment_discount_grace_period"),
    flag("payment_tolerance_warning"),
    flag("payment_discount_tolerance_warning"),
    text("appln_between_currencies", "NONE"),
    date_("allow_posting_from", nullable=True),
    date_("allow_posting_to", nullable=True),
    text("default_revenue_account", "4000"),
    text("vat_payable_account", "2400"),
    text("payment_discount_account", "4900"),
    text("payment_tolerance_account", "4910"),
    text("realized_gains_account", "7900"),
    text("realized_losses_account", "8900"),
    text("unrealized_gains_account", "7910"),
    text("unrealized_losses_account", "8910"),
    text("appln_rounding_account", "8950"),
    text("inventory_account", "1300"),
    text("cost_of_sales_account", "5000"),
)

GL_ACCOUNTS = sa.Table(
    "gl_accounts",
    metadata,
    code("no"),
    text("name"),
    text("income_balance", "BALANCE"),
)

CURRENCIES = sa.Table(
    "currencies",
    metadata,
    code("code"),
    text("description"),
    money("amount_rounding_precision", CENT),
    money("invoice_rounding_precision", CENT),
    money("payment_tolerance_pct"),
    money("max_payment_tolerance_amount"),
)

EXCHANGE_RATES = sa.Table(
    "exchange_rates",  # rate = LCY per 1 unit of the currency, valid from starting_date
    metadata,
    sa.Column("currency_code", sa.Text(), sa.ForeignKey("currencies.code"), primary_key=True),
    sa.Column("starting_date", sa.Date(), primary_key=True),
    money("rate", None),
)

PAYMENT_TERMS = sa.Table(
    "payment_terms",
    metadata,
    code("code"),
    text("description"),
    text("due_date_calculation"),
    text("discount_date_calculation"),
    money("discount_pct"),
    flag("calc_pmt_disc_on_cr_memos"),
)

CUSTOMER_POSTING_GROUPS = sa.Table(
    "customer_posting_groups",
    metadata,
    code("code"),
    reference("receivables_account", "gl_accounts.no"),
)

CUSTOMERS = sa.Table(
    "customers",
    metadata,
    code("no"),
    text("name"),
    text("address"),
    text("email"),
    text("language_code", "en"),
    text("currency_code"),
    sa.Column("payment_terms_code", sa.Text(), sa.ForeignKey("payment_terms.code"), nullable=True),
    text("application_method", "MANUAL"),
    reference("customer_posting_group", "customer_posting_groups.code", default="DOMESTIC"),
    optional_text("reminder_terms_code"),
    optional_text("finance_charge_terms_code"),
)

CUSTOMER_BANK_ACCOUNTS = sa.Table(
    "customer_bank_accounts",
    metadata,
    sa.Column("customer_no", sa.Text(), sa.ForeignKey("customers.no"), primary_key=True),
    sa.Column("iban", sa.Text(), primary_key=True, index=True),
)

BANK_ACCOUNTS = sa.Table(
    "bank_accounts",
    metadata,
    code("no"),
    text("name"),
    text("iban"),
    text("currency_code"),
    reference("gl_account_no", "gl_accounts.no"),
)
