"""Business failures come back as payload data with a code; anything else is masked."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
import structlog
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import DomainError
from domain.errors import ErrorCode as DomainErrorCode

log = structlog.get_logger(__name__)

strawberry.enum(DomainErrorCode, name="ErrorCode", description="Stable codes clients branch on.")
ErrorCode = DomainErrorCode


@strawberry.type(description="A business-rule violation: nothing was posted.")
class UserError:
    code: DomainErrorCode
    message: str
    field: list[str] | None = None


def input_path(exc: DomainError, items: str = "lines") -> list[str] | None:
    """The GraphQL path of what a mutation's error is about: under its one `input` argument,
    and under the input's list `items` when the error names an item of it."""
    if exc.field is None and exc.index is None:
        return None
    head = ["input"] if exc.index is None else ["input", items, str(exc.index)]
    return [*head, *(exc.field or [])]


def user_error(exc: DomainError, items: str = "lines") -> UserError:
    return UserError(code=exc.code, message=exc.message, field=input_path(exc, items))


class BadUserInput(GraphQLError):
    """A query argument a client must fix; `code` follows the Apollo convention."""

    def __init__(
        self, message: str, error_code: str | None = None, field: Sequence[str] | None = None
    ) -> None:
        extensions: dict[str, object] = {"code": "BAD_USER_INPUT"}
        if error_code:
            extensions["errorCode"] = error_code
        if field:
            extensions["field"] = list(field)
        super().__init__(message, extensions=extensions)


def bad_input(exc: DomainError) -> BadUserInput:
    return BadUserInput(exc.message, exc.code.value, exc.field)


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    log.error("unexpected_resolver_error", path=error.path, exc_info=original)
    return True


class _Masker(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked


def masking_extension() -> MaskErrors:
    return _Masker(
        should_mask_error=_should_mask,
        error_message="Unexpected error: it has been logged; nothing was posted.",
    )
