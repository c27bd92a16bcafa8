"""Mutation root: one mixin per resource family."""

from __future__ import annotations

import strawberry

from api.mutations.auth import AuthMutation
from api.mutations.bank import BankMutation
from api.mutations.cash_receipts import CashReceiptMutation
from api.mutations.collections import CollectionsMutation
from api.mutations.items import ItemMutation
from api.mutations.journals import JournalMutation
from api.mutations.payment_registration import PaymentRegistrationMutation
from api.mutations.sales import SalesMutation
from api.mutations.setup import SetupMutation
from api.mutations.statements import StatementMutation
from api.mutations.vendors import VendorMutation


@strawberry.type
class Mutation(
    AuthMutation,
    SetupMutation,
    SalesMutation,
    ItemMutation,
    StatementMutation,
    CashReceiptMutation,
    JournalMutation,
    PaymentRegistrationMutation,
    BankMutation,
    VendorMutation,
    CollectionsMutation,
):
    pass
