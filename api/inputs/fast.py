"""Strawberry turns every field of every input object into Python through one generic,
recursive function (about 12 µs a field), so a `postCashReceiptLines` call of 500 lines spent
as long converting its arguments as posting them. graphql-core has already parsed every leaf
(scalars, enums) by then; this hook assigns leaves as they are and converts only nested
inputs, through Strawberry's own `from_input` extension point.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from strawberry.types.arguments import InputContext, _is_leaf_type, _is_optional_leaf_type
from strawberry.types.base import StrawberryObjectDefinition

T = TypeVar("T")

# (GraphQL name, python name, type, is a leaf)
_Plan = list[tuple[str, str, Any, bool]]


def fast_input(cls: type[T]) -> type[T]:
    """Give the @strawberry.input class ``cls`` the leaf-assigning conversion."""
    definition: StrawberryObjectDefinition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    plans: dict[int, _Plan] = {}  # per scalar registry (one per schema)
    nullable = [  # as Strawberry does: a field without a default is None until given
        f.python_name
        for f in definition.fields
        if f.default_value is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]

    def plan(ctx: InputContext) -> _Plan:
        found = plans.get(id(ctx.scalar_registry))
        if found is None:
            found = []
            for f in definition.fields:
                type_ = f.resolve_type(type_definition=definition)
                leaf = _is_leaf_type(type_, ctx.scalar_registry) or _is_optional_leaf_type(
                    type_, ctx.scalar_registry
                )
                found.append((ctx.config.name_converter.from_field(f), f.python_name, type_, leaf))
            plans[id(ctx.scalar_registry)] = found
        return found

    def from_input(type_: type, value: Mapping[str, Any], ctx: InputContext) -> Any:
        kwargs: dict[str, Any] = dict.fromkeys(nullable)
        for name, python_name, field_type, leaf in plan(ctx):
            if name in value:
                item = value[name]
                kwargs[python_name] = (
                    item if leaf or item is None else ctx.convert(item, field_type, name)
                )
        return type_(**kwargs)

    definition.from_input = from_input
    return cls
