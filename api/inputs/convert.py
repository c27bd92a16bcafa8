"""Turn a Strawberry input (optional fields UNSET) into the changes a store upsert applies."""

from __future__ import annotations

import dataclasses
from typing import Any

from strawberry import UNSET

SKIP = frozenset({"idempotency_key"})


def changes(input_obj: Any, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(input_obj):
        if f.name in exclude or f.name in SKIP:
            continue
        value = getattr(input_obj, f.name)
        if value is UNSET:
            continue
        if hasattr(value, "value") and not isinstance(value, (str, int)):
            value = value.value  # enums travel as their string value
        out[f.name] = value
    return out
