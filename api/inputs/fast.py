"""Strawberry turns every field of every input object into Python through one generic,
recursive function (about 12 µs a field, and as much again per item of a list of inputs), so
a `postCashReceiptLines` call of 500 lines spent as long converting its arguments as posting
them. graphql-core has already parsed every leaf (scalars, enums) by then; this hook assigns
leaves as they are, builds items of lists of such inputs directly, and hands anything else
to Strawberry's conversion, through Strawberry's own `from_input` extension point.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from strawberry.types.arguments import InputContext, _is_leaf_type, _is_optional_leaf_type
from strawberry.types.base import StrawberryList, StrawberryObjectDefinition, StrawberryOptional

T = TypeVar("T")

Build = Callable[[Mapping[str, Any], InputContext], Any]
Convert = Callable[[Any, InputContext], Any]
# (GraphQL name, python name, how to convert a non-null value: None for a leaf)
_Plan = list[tuple[str, str, Convert | None]]

_BUILDERS: dict[object, Build] = {}  # every class given the fast conversion


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
                name = ctx.config.name_converter.from_field(f)
                type_ = f.resolve_type(type_definition=definition)
                found.append((name, f.python_name, _converter(type_, name, ctx)))
            plans[id(ctx.scalar_registry)] = found
        return found

    def build(value: Mapping[str, Any], ctx: InputContext) -> Any:
        kwargs: dict[str, Any] = dict.fromkeys(nullable)
        for name, python_name, convert in plan(ctx):
            if name in value:
                item = value[name]
                kwargs[python_name] = (
                    item if convert is None or item is None else convert(item, ctx)
                )
        return cls(**kwargs)

    def from_input(type_: type, value: Mapping[str, Any], ctx: InputContext) -> Any:
        return build(value, ctx)

    definition.from_input = from_input
    _BUILDERS[cls] = build
    return cls


def _converter(type_: Any, name: str, ctx: InputContext) -> Convert | None:
    """None for a leaf; a direct build for an input (or a list of inputs) that has the fast
    conversion; Strawberry's own conversion for anything else."""
    registry = ctx.scalar_registry
    if _is_leaf_type(type_, registry) or _is_optional_leaf_type(type_, registry):
        return None
    inner = type_.of_type if isinstance(type_, StrawberryOptional) else type_
    item = _BUILDERS.get(inner.of_type) if isinstance(inner, StrawberryList) else None
    if item is not None:
        return lambda values, c: [item(v, c) for v in values]
    build = _BUILDERS.get(inner)
    if build is not None:
        return build
    return lambda value, c: c.convert(value, type_, name)
