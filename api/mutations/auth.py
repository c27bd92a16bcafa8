"""Admins mint keys for integrations without shell access to the server."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.auth import SCOPES, AdminScope, hash_key, new_key
from api.context import Context
from api.errors import ErrorCode, UserError, user_error
from domain.errors import DomainError
from store.api_keys import create_api_key


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str]


@strawberry.type
class CreateApiKeyPayload:
    key: str | None = strawberry.field(
        default=None, description="Shown once: only its hash is stored."
    )
    name: str | None = None
    scopes: list[str] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AuthMutation:
    @strawberry.mutation(permission_classes=[AdminScope])
    async def create_api_key(
        self, info: Info[Context, None], input: CreateApiKeyInput
    ) -> CreateApiKeyPayload:
        unknown = [s for s in input.scopes if s not in SCOPES]
        if unknown or not input.scopes or not input.name.strip():
            error = DomainError(
                ErrorCode.INVALID_INPUT,
                f"give a name and scopes among {', '.join(SCOPES)}",
                ["scopes"],
            )
            return CreateApiKeyPayload(errors=[user_error(error)])
        key = new_key()
        await create_api_key(info.context.engine, input.name.strip(), hash_key(key), input.scopes)
        return CreateApiKeyPayload(key=key, name=input.name.strip(), scopes=input.scopes)
