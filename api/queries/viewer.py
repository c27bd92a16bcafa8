"""Who am I: lets a client check its key and scopes before it tries anything."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.context import Context


@strawberry.type
class Viewer:
    name: str
    scopes: list[str]


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The API key making this request.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        principal = info.context.principal
        assert principal is not None  # the endpoint refuses requests without a valid key
        return Viewer(name=principal.name, scopes=sorted(principal.scopes))
