"""Entry and transaction numbers come from database sequences, drawn before planning (one
round trip for a whole batch), so a planner stays pure: it takes them from a pool."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

TRANSACTION = "transaction"
APPLICATION = "application"
BANK_ENTRY = "bank_entry"
# a ledger's own entry numbers are drawn under its name (domain.ledger.Ledger's value)


class NumberPool:
    """Numbers drawn in advance, handed out in increasing order per kind."""

    def __init__(self, numbers: Mapping[str, Sequence[int]]) -> None:
        self._numbers = {kind: sorted(values, reverse=True) for kind, values in numbers.items()}

    def take(self, kind: str) -> int:
        return self._numbers[kind].pop()
