"""A bank file the bank got wrong must be refused with the place to look, never half-imported."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import DomainError, ErrorCode


class ParseError(DomainError):
    """The statement file (or its CSV mapping) cannot be read; ``location`` says where.

    ``location`` is ``"line 12"`` for text formats, an element path such as
    ``"/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt"`` for XML, or ``"file"`` when the
    problem concerns the whole file (size, emptiness, unknown format).
    """

    def __init__(
        self,
        message: str,
        location: str = "file",
        *,
        code: ErrorCode = ErrorCode.PARSE_ERROR,
        field: Sequence[str] | None = ("file",),
    ) -> None:
        full = message if location == "file" else f"{location}: {message}"
        super().__init__(code, full, field)
        self.location = location

    def __repr__(self) -> str:
        return f"ParseError({self.code.value}, {self.message!r}, location={self.location!r})"
