"""Facts and entries for planner tests: a company in EUR with one USD currency."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.company import CompanySetup
from domain.ledger import Ledger, LedgerEntry
from domain.money import ExchangeRate
from domain.posting.cash_receipt import BankAccount, Party, ReceiptFacts
from domain.posting.posted_entries import LedgerFacts
from domain.posting.pricing import Currency, application_setup

D = Decimal
SETUP = CompanySetup(
    name="Test",
    address="",
    email="",
    vat_no="",
    lcy_code="EUR",
    amount_rounding_precision=D("0.01"),
    invoice_rounding_precision=D("0.01"),
    appln_rounding_precision=D("0.01"),
    payment_tolerance_pct=D(0),
    max_payment_tolerance_amount=D(0),
    payment_discount_grace_period="",
    payment_tolerance_warning=False,
    payment_discount_tolerance_warning=False,
    appln_between_currencies="NONE",
    allow_posting_from=None,
    allow_posting_to=None,
    default_revenue_account="4000",
    vat_payable_account="2400",
    payment_discount_account="4900",
    payment_tolerance_account="4910",
    realized_gains_account="7900",
    realized_losses_account="8900",
    unrealized_gains_account="7910",
    unrealized_losses_account="8910",
    appln_rounding_account="8950",
    inventory_account="1300",
    cost_of_sales_account="5000",
)
USD = Currency("USD", D("0.01"), D(0), D(0), (ExchangeRate("USD", date(2026, 1, 1), D("0.9")),))


def facts(setup: CompanySetup = SETUP, method: str = "MANUAL") -> ReceiptFacts:
    return ReceiptFacts(
        setup=setup,
        application=application_setup(setup, [USD]),
        parties={
            Ledger.CUSTOMER: {"C1": Party("C1", "", method, "DOMESTIC")},
            Ledger.VENDOR: {"V1": Party("V1", "", method, "DOMESTIC")},
        },
        party_accounts={Ledger.CUSTOMER: {"DOMESTIC": "1200"}, Ledger.VENDOR: {"DOMESTIC": "2100"}},
        banks={
            "BANK": BankAccount("BANK", "1100", ""),
            "USDBANK": BankAccount("USDBANK", "1110", "USD"),
        },
        gl_accounts=frozenset({"1100", "1110", "6100", "4000"}),
        currencies={"USD": USD},
    )


def invoice(
    entry_no: int,
    amount: str,
    *,
    party: str = "C1",
    document_no: str | None = None,
    due: date = date(2026, 3, 1),
    currency: str = "",
    rate: str = "1",
) -> LedgerEntry:
    value = D(amount)
    lcy = (value * D(rate)).quantize(D("0.01"))
    return LedgerEntry(
        entry_no=entry_no,
        party_no=party,
        posting_date=date(2026, 2, 1),
        document_date=date(2026, 2, 1),
        document_type="INVOICE",
        document_no=document_no or f"INV{entry_no}",
        external_document_no="",
        description="",
        currency_code=currency,
        currency_factor=D(rate),
        amount=value,
        amount_lcy=lcy,
        remaining_amount=value,
        remaining_amount_lcy=lcy,
        open=True,
        due_date=due,
        pmt_discount_date=None,
        pmt_disc_tolerance_date=None,
        original_pmt_disc_possible=D(0),
        remaining_pmt_disc_possible=D(0),
        max_payment_tolerance=D(0),
        unrealized_lcy=D(0),
        posting_group="DOMESTIC",
        closed_by_entry_no=None,
        closed_at_date=None,
        reversed=False,
    )


def vendor_invoice(entry_no: int, amount: str) -> LedgerEntry:
    return replace(
        invoice(entry_no, amount, party="V1"),
        amount=-D(amount),
        amount_lcy=-D(amount),
        remaining_amount=-D(amount),
        remaining_amount_lcy=-D(amount),
    )


def payment_entry(
    entry_no: int,
    amount: str,
    *,
    party: str = "C1",
    document_no: str | None = None,
    posting_date: date = date(2026, 3, 2),
) -> LedgerEntry:
    """A posted payment (signed as given: negative from a customer, positive to a vendor)."""
    return replace(
        invoice(entry_no, amount, party=party, document_no=document_no or f"PAY{entry_no}"),
        document_type="PAYMENT",
        posting_date=posting_date,
        document_date=posting_date,
        due_date=posting_date,
    )


def ledger_facts(
    ledger: Ledger = Ledger.CUSTOMER,
    setup: CompanySetup = SETUP,
    currencies: tuple[Currency, ...] = (USD,),
) -> LedgerFacts:
    """The facts of a posting between posted entries of one ledger."""
    account = "1200" if ledger is Ledger.CUSTOMER else "2100"
    return LedgerFacts(ledger, setup, {"DOMESTIC": account}, {c.code: c for c in currencies})
