"""SQLModel tables; importing this package registers every table on the shared metadata."""

from store.tables.auth import ApiKey, IdempotencyKey
from store.tables.bank import (
    BankCsvMapping,
    BankStatementLineRow,
    BankStatementRow,
    BankSuggestionRow,
    BankTextMapping,
)
from store.tables.base import metadata
from store.tables.collections import (
    FinanceChargeMemoLineRow,
    FinanceChargeMemoRow,
    FinanceChargeTermsRow,
    IssuedFinanceChargeLine,
    IssuedReminderLine,
    ReminderLevelRow,
    ReminderLineRow,
    ReminderRow,
    ReminderTermsRow,
)
from store.tables.items import Item, ItemChargeCode, ShipmentLine, ValueEntry
from store.tables.journals import CashReceiptJournal, CashReceiptJournalLine
from store.tables.ledger import (
    BankAccountLedgerEntry,
    CustomerLedgerEntry,
    DetailedCustomerLedgerEntry,
    GLEntry,
)
from store.tables.setup import (
    BankAccount,
    CompanySetup,
    Currency,
    Customer,
    CustomerBankAccount,
    CustomerPostingGroup,
    ExchangeRate,
    GLAccount,
    PaymentTerms,
)
from store.tables.statements import StatementDelivery, StatementRun
from store.tables.vendors import (
    DetailedVendorLedgerEntry,
    Vendor,
    VendorBankAccount,
    VendorLedgerEntry,
    VendorPostingGroup,
)

__all__ = [
    "DetailedVendorLedgerEntry",
    "Vendor",
    "VendorBankAccount",
    "VendorLedgerEntry",
    "VendorPostingGroup",
    "ApiKey",
    "BankAccount",
    "BankAccountLedgerEntry",
    "BankCsvMapping",
    "BankStatementLineRow",
    "BankStatementRow",
    "BankSuggestionRow",
    "BankTextMapping",
    "CashReceiptJournal",
    "CashReceiptJournalLine",
    "CompanySetup",
    "Currency",
    "Customer",
    "CustomerBankAccount",
    "CustomerLedgerEntry",
    "CustomerPostingGroup",
    "DetailedCustomerLedgerEntry",
    "ExchangeRate",
    "FinanceChargeMemoLineRow",
    "FinanceChargeMemoRow",
    "FinanceChargeTermsRow",
    "GLAccount",
    "GLEntry",
    "IdempotencyKey",
    "IssuedFinanceChargeLine",
    "IssuedReminderLine",
    "Item",
    "ItemChargeCode",
    "PaymentTerms",
    "ReminderLevelRow",
    "ReminderLineRow",
    "ReminderRow",
    "ReminderTermsRow",
    "ShipmentLine",
    "StatementDelivery",
    "StatementRun",
    "ValueEntry",
    "metadata",
]
