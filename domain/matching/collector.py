"""A statement run allocates a few hundred thousand short-lived objects (index buckets,
hits, candidates) next to the caller's 100,000 open entries, which are long-lived. CPython's
cyclic garbage collector is triggered by allocation counts, and each older-generation pass
walks every tracked object, the entries included: measured, a third of ``suggest``'s time,
for no garbage at all (the matcher makes no reference cycles; reference counting frees
everything it drops). So the collector is paused for the call and restored afterwards.

The pause is process-wide: nested or concurrent calls (``asyncio.to_thread``) share one
counter, the first call in records whether the collector was on and the last one out puts
it back, so a call can never leave it off. Nothing else is changed: no I/O, no clock.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, then restore its previous state."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
