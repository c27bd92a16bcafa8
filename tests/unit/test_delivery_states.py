"""The delivery state machine (domain.delivery) is the whole list of moves a delivery and a run
can make; store/ writes its SQL from it, and migration 0018's finishing function agrees."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest

from domain.delivery import (
    DELIVERY_RULES,
    OPEN_DELIVERY,
    RUN_RULES,
    DeliveryStage,
    DeliveryStatus,
    DeliveryStep,
    RunStatus,
    RunStep,
    State,
    delivery_target,
    is_uncertain,
    next_delivery_state,
    next_run_status,
)
from store.statements.states import may_take, run_may_take, writes

ROOT = Path(__file__).resolve().parents[2]
PENDING, SENDING, SENT, READY, FAILED, CANCELLED = DeliveryStatus
NONE, CONNECT, DATA = DeliveryStage
STATES = list(product(DeliveryStatus, DeliveryStage))

Move = tuple[State, DeliveryStep, State]


def every_move() -> set[Move]:
    moves = set()
    for (status, stage), step in product(STATES, DeliveryStep):
        for target in DELIVERY_RULES[step].targets:
            after = next_delivery_state(step, status, stage, target)
            if after is not None:
                moves.add(((status, stage), step, after))
    return moves


def expected_moves() -> set[Move]:
    moves: set[Move] = set()
    for stage in DeliveryStage:
        moves.add(((PENDING, stage), DeliveryStep.CLAIM, (SENDING, CONNECT)))
        moves.add(((SENDING, stage), DeliveryStep.REACH_DATA, (SENDING, DATA)))
        moves.add(((SENDING, stage), DeliveryStep.RELEASE, (PENDING, NONE)))
        for source, outcome in product((PENDING, SENDING), (SENT, READY, FAILED)):
            moves.add(((source, stage), DeliveryStep.FINISH, (outcome, stage)))
        moves.add(((PENDING, stage), DeliveryStep.CANCEL, (CANCELLED, stage)))
        moves.add(((FAILED, stage), DeliveryStep.RETRY, (PENDING, NONE)))
    for stage in (NONE, CONNECT):  # an attempt that provably never reached DATA
        moves.add(((SENDING, stage), DeliveryStep.CLAIM, (SENDING, CONNECT)))
    return moves


def test_the_table_allows_exactly_these_moves() -> None:
    assert every_move() == expected_moves()


def test_an_attempt_that_reached_data_is_never_claimed_again() -> None:
    assert next_delivery_state(DeliveryStep.CLAIM, SENDING, DATA) is None
    assert is_uncertain(SENDING, DATA)
    assert not any(is_uncertain(status, stage) for status, stage in STATES if stage is not DATA)
    # only an outcome, or a release after the mailbox was searched, moves it on
    leaving = {step for (state, step, _) in every_move() if state == (SENDING, DATA)}
    assert leaving == {DeliveryStep.REACH_DATA, DeliveryStep.RELEASE, DeliveryStep.FINISH}


def test_sent_ready_and_cancelled_are_final_and_failed_only_retried() -> None:
    for (status, _), step, _after in every_move():
        assert status not in (SENT, READY, CANCELLED)
        if status is FAILED:
            assert step is DeliveryStep.RETRY
    assert set(OPEN_DELIVERY) == {PENDING, SENDING}


@pytest.mark.parametrize(
    ("step", "target"),
    [
        (DeliveryStep.FINISH, "CANCELLED"),
        (DeliveryStep.FINISH, "PENDING"),
        (DeliveryStep.FINISH, None),  # FINISH must say which outcome
        (DeliveryStep.CLAIM, "SENT"),
        (DeliveryStep.CANCEL, "FAILED"),
    ],
)
def test_a_step_refuses_a_target_it_cannot_lead_to(step: DeliveryStep, target: str | None) -> None:
    with pytest.raises(ValueError, match=step.value):
        delivery_target(step, target)


def test_runs_move_along_their_own_table() -> None:
    moves = {
        (status, step, after)
        for status, step in product(RunStatus, RunStep)
        if (after := next_run_status(step, status)) is not None
    }
    queued, running, completed, cancelled = RunStatus
    assert moves == {
        (queued, RunStep.START, running),
        (queued, RunStep.COMPLETE, completed),
        (running, RunStep.COMPLETE, completed),
        (queued, RunStep.CANCEL, cancelled),
        (running, RunStep.CANCEL, cancelled),
        (queued, RunStep.RETRY, running),
        (running, RunStep.RETRY, running),
        (completed, RunStep.RETRY, running),
    }


def test_store_writes_the_steps_sql_from_the_table() -> None:
    assert may_take(DeliveryStep.CLAIM) == (
        "(status = 'PENDING' OR (status = 'SENDING' AND stage NOT IN ('DATA')))"
    )
    assert writes(DeliveryStep.CLAIM) == "status = 'SENDING', stage = 'CONNECT'"
    assert may_take(DeliveryStep.REACH_DATA) == "status = 'SENDING'"
    assert writes(DeliveryStep.REACH_DATA) == "status = 'SENDING', stage = 'DATA'"
    assert may_take(DeliveryStep.RELEASE) == "status = 'SENDING'"
    assert writes(DeliveryStep.RELEASE) == "status = 'PENDING', stage = ''"
    assert writes(DeliveryStep.FINISH, FAILED) == "status = 'FAILED'"
    assert run_may_take(RunStep.START) == "status IN ('QUEUED')"


def test_the_finishing_function_of_migration_0018_follows_the_table() -> None:
    """lettrage_finish_delivery finishes an open delivery and completes its run when none is
    left open: the statuses it names are the table's."""
    source = (ROOT / "alembic/versions/20261123_0018_delivery_hot_path.py").read_text()
    named = [
        tuple(x.strip().strip("'") for x in group.split(","))
        for group in re.findall(r"status IN \(([^)]*)\)", source)
    ]
    complete_sources, completed = RUN_RULES[RunStep.COMPLETE]
    assert named == [
        DELIVERY_RULES[DeliveryStep.FINISH].sources,  # the delivery it finishes
        OPEN_DELIVERY,  # the deliveries that keep the run open
        complete_sources,  # the run it completes
    ]
    assert f"status = '{completed.value}'" in source
