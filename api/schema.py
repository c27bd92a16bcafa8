"""The schema is built by a function (no import-time globals) and exported by `lettrage schema`."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from api.config import AppConfig
from api.errors import masking_extension
from api.metrics import Metrics
from api.mutations import Mutation
from api.queries.root import Query
from api.scalars import SCALAR_MAP
from api.subscriptions import Subscription


class LettrageSchema(strawberry.Schema):
    """Client mistakes (bad cursor, bad argument) are answered, not logged as tracebacks;
    unexpected failures are logged once, by the masking extension (api/errors.py)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def build_schema(
    config: AppConfig | None = None, metrics: Metrics | None = None
) -> strawberry.Schema:
    depth = config.max_query_depth if config else 12
    tokens = config.max_query_tokens if config else 5000
    aliases = config.max_query_aliases if config else 30
    # The limiters' rule classes are made once: strawberry's limiters build a new class per
    # instance, which made every request miss the ValidationCache (validation was ~2/3 of a
    # page read's CPU).
    rules = [
        *QueryDepthLimiter(max_depth=depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=aliases).validation_rules,
    ]
    extensions: list[object] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=tokens),
        masking_extension,
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ]
    if metrics is not None:
        extensions.append(metrics.extension())
    return LettrageSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
