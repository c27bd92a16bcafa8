"""API keys as Bearer tokens; scopes read/post/admin checked per operation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

SCOPES = ("read", "post", "admin")
KEY_PREFIX = "lt_"


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: int
    name: str
    scopes: frozenset[str]


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class _ScopePermission(BasePermission):
    scope = "admin"
    error_extensions = {"code": "FORBIDDEN"}

    @property
    def message(self) -> str:  # type: ignore[override]
        return f"This operation needs the '{self.scope}' scope on your API key."

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal: Principal | None = getattr(info.context, "principal", None)
        return principal is not None and self.scope in principal.scopes


class ReadScope(_ScopePermission):
    scope = "read"


class PostScope(_ScopePermission):
    scope = "post"


class AdminScope(_ScopePermission):
    scope = "admin"
