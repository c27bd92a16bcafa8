"""A started process has its collector settled: the start-up objects frozen once, the young
generation collected less often."""

from __future__ import annotations

import gc

from lettrage.gc_tuning import THRESHOLDS, settle_after_startup


def test_settle_after_startup_freezes_once_and_raises_thresholds() -> None:
    before = gc.get_threshold()
    try:
        settle_after_startup()
        assert gc.get_threshold() == THRESHOLDS
        frozen = gc.get_freeze_count()
        assert frozen > 0
        settle_after_startup()
        assert gc.get_freeze_count() == frozen  # the freeze happens once per process
    finally:
        gc.set_threshold(*before)
