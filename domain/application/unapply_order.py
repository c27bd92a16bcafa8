"""An application is undone in the reverse order it was posted: undoing an older one while a
later one stands on the same entry would reopen amounts the later one already used (BC's
"Before you can unapply this entry, you must first unapply all application entries in Cust.
Ledger Entry No. %1 that were posted after this entry")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from domain.application.model import UNREALIZED_TYPES, DetailedEntry, DetailedEntryType
from domain.errors import DomainError, ErrorCode

# Detailed entries that never block an unapply: the entry's own posting, and revaluations
# (BC leaves unrealized gains and losses out of "the latest transaction").
_NOT_BLOCKING = UNREALIZED_TYPES | {DetailedEntryType.INITIAL_ENTRY}


def check_unapply_order(
    detailed: Sequence[DetailedEntry], standing: Iterable[DetailedEntry]
) -> None:
    """Refuse to unapply the application of ``detailed`` while a later one stands.

    ``detailed`` are the detailed entries of the application to undo (one application id).
    ``standing`` are the detailed entries of every entry it touched, as posted; the function
    itself leaves out those that were unapplied (``unapplied`` set, or the application named
    by an unapply's ``unapplies_application_id``) and those that never block (initial
    entries, unrealized gains and losses). "Later" is a higher application id: the store
    draws application numbers from a sequence after it has locked the entries, so on one
    entry they grow in posting order (BC compares Transaction No.).

    Raises UNAPPLY_LATER_APPLICATION_FIRST naming the entry and the later application.
    """
    if not detailed:
        return
    original = max(line.application_id for line in detailed)
    touched = {line.entry_no for line in detailed}
    lines = list(standing)
    undone = {line.unapplies_application_id for line in lines if line.unapplied}
    later: dict[int, int] = {}
    for line in lines:
        if (
            line.entry_no not in touched
            or line.unapplied
            or line.application_id in undone
            or line.entry_type in _NOT_BLOCKING
            or line.application_id <= original
        ):
            continue
        later[line.entry_no] = max(later.get(line.entry_no, 0), line.application_id)
    if not later:
        return
    entry_no = min(later)
    raise DomainError(
        ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST,
        f"Before you can unapply application {original}, you must first unapply all "
        f"applications of entry {entry_no} that were posted after it (the latest is "
        f"application {later[entry_no]}).",
        ["entryNo"],
    )
