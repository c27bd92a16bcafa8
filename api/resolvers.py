"""Thin-resolver helpers: DomainError becomes payload errors (mutations) or a coded error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from api.errors import bad_input, user_error
from domain.errors import DomainError

P = TypeVar("P")
T = TypeVar("T")


async def mutate(payload: Callable[..., P], work: Callable[[], Awaitable[P]]) -> P:
    """Run the mutation; a business-rule violation returns `payload(errors=[...])`."""
    try:
        return await work()
    except DomainError as exc:
        return payload(errors=[user_error(exc)])


async def query(work: Callable[[], Awaitable[T]]) -> T:
    try:
        return await work()
    except DomainError as exc:
        raise bad_input(exc) from exc


def query_sync(work: Callable[[], T]) -> T:
    try:
        return work()
    except DomainError as exc:
        raise bad_input(exc) from exc
