"""CI guard: every root field declares the scope it needs (read/post/admin)."""

from __future__ import annotations

import sys

from api.schema import build_schema

PUBLIC = {"viewer"}  # any valid key may ask who it is


def main() -> int:
    schema = build_schema()
    missing: list[str] = []
    for root in ("Query", "Mutation", "Subscription"):
        definition = schema.get_type_by_name(root)
        if definition is None:
            continue
        for field in definition.fields:  # type: ignore[union-attr]
            if field.graphql_name in PUBLIC or field.name in PUBLIC:
                continue
            if not field.permission_classes:
                missing.append(f"{root}.{field.graphql_name or field.name}")
    if missing:
        print("fields without a scope permission:", ", ".join(missing))
        return 1
    print("every root field declares a scope")
    return 0


if __name__ == "__main__":
    sys.exit(main())
