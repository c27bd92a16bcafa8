"""Mutation root: one mixin per resource family."""

from __future__ import annotations

import strawberry

from api.mutations.auth import AuthMutation
from api.mutations.items import ItemMutation
from api.mutations.sales import SalesMutation
from api.mutations.setup import SetupMutation


@strawberry.type
class Mutation(AuthMutation, SetupMutation, SalesMutation, ItemMutation):
    pass
