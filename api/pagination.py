"""Keyset pagination: an opaque cursor holds the sort key of the last row, never an offset."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from api.errors import BadUserInput

N = TypeVar("N")
R = TypeVar("R")

MAX_PAGE = 500


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def _edge_cursor(self: Any) -> str:
    return encode_cursor(self.key)


@strawberry.type
class Edge(Generic[N]):
    """The cursor is encoded only when a client asks for it, not for every row of a page."""

    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: N
    key: strawberry.Private[Sequence[Any]]


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    """Return the key values, or raise a GraphQL error a client can read."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput("invalid cursor: pass `after` exactly as a previous endCursor") from exc
    if not isinstance(value, list) or len(value) != arity:
        raise BadUserInput("invalid cursor: pass `after` exactly as a previous endCursor")
    return value


def page_size(first: int | None, default: int = 50) -> int:
    n = default if first is None else first
    if n < 0 or n > MAX_PAGE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE}")
    return n


def build_connection(
    rows: Sequence[R],
    first: int,
    key: Callable[[R], Sequence[Any]],
    to_node: Callable[[R], N],
    has_previous: bool,
) -> Connection[N]:
    """rows were fetched with LIMIT first + 1: the extra row only says there is a next page."""
    page = rows[:first]
    edges = [Edge(key=key(r), node=to_node(r)) for r in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=has_previous,
            start_cursor=encode_cursor(edges[0].key) if edges else None,
            end_cursor=encode_cursor(edges[-1].key) if edges else None,
        ),
    )
