"""A delivery (a run's statement, an issued reminder or finance charge memo) must reach its
customer once, so its status only moves along the steps of one table, each step committed by
itself: a worker that dies mid-job leaves a row that says how far it got. While SENDING, the
stage says how far the attempt got: from DATA on the server may have the message, so that
attempt is never claimed again blindly (it is looked up by Message-ID, or left to a person).

A statement run's status moves along its own, smaller table. store/ writes the SQL of each
step from these tables (the rows it may change, the state it writes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from types import MappingProxyType


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # to render, then send or store for download
    SENDING = "SENDING"  # an attempt is under way, as far as its stage says
    SENT = "SENT"
    READY = "READY"  # stored for download
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class DeliveryStage(StrEnum):
    NONE = ""
    CONNECT = "CONNECT"  # claimed: nothing handed to the server yet
    DATA = "DATA"  # the DATA command is next or done: the server may have the message


class DeliveryStep(Enum):
    CLAIM = "claim"  # an attempt starts (one more attempt counted)
    REACH_DATA = "reach DATA"  # committed right before the DATA command
    RELEASE = "release"  # provably not delivered: back for another attempt
    FINISH = "finish"  # the outcome: sent, stored for download, or failed
    CANCEL = "cancel"  # the run or the document was withdrawn before it went out
    RETRY = "retry"  # a failed delivery, in a new retry round of its run


State = tuple[DeliveryStatus, DeliveryStage]


@dataclass(frozen=True, slots=True)
class DeliveryRule:
    """A step moves a delivery from one of ``sources`` (except the ``refused`` states) to
    one of ``targets``, writing ``stage`` (None: the stage is left as it was)."""

    sources: tuple[DeliveryStatus, ...]
    targets: tuple[DeliveryStatus, ...]
    stage: DeliveryStage | None = None
    refused: frozenset[State] = frozenset()

    def allows(self, status: DeliveryStatus, stage: DeliveryStage) -> bool:
        return status in self.sources and (status, stage) not in self.refused


_PENDING, _SENDING = DeliveryStatus.PENDING, DeliveryStatus.SENDING
DELIVERY_RULES: Mapping[DeliveryStep, DeliveryRule] = MappingProxyType(
    {
        DeliveryStep.CLAIM: DeliveryRule(
            sources=(_PENDING, _SENDING),
            targets=(_SENDING,),
            stage=DeliveryStage.CONNECT,
            # an attempt that reached DATA may have been delivered: never claimed again
            refused=frozenset({(_SENDING, DeliveryStage.DATA)}),
        ),
        DeliveryStep.REACH_DATA: DeliveryRule(
            sources=(_SENDING,), targets=(_SENDING,), stage=DeliveryStage.DATA
        ),
        # from DATA too, once the mailbox was searched and the message is not there
        DeliveryStep.RELEASE: DeliveryRule(
            sources=(_SENDING,), targets=(_PENDING,), stage=DeliveryStage.NONE
        ),
        DeliveryStep.FINISH: DeliveryRule(
            sources=(_PENDING, _SENDING),
            targets=(DeliveryStatus.SENT, DeliveryStatus.READY, DeliveryStatus.FAILED),
        ),
        # one being sent right now finishes its attempt
        DeliveryStep.CANCEL: DeliveryRule(sources=(_PENDING,), targets=(DeliveryStatus.CANCELLED,)),
        DeliveryStep.RETRY: DeliveryRule(
            sources=(DeliveryStatus.FAILED,), targets=(_PENDING,), stage=DeliveryStage.NONE
        ),
    }
)

# a job still has work to do on these (enqueued, resumed after a crash)
OPEN_DELIVERY: tuple[DeliveryStatus, ...] = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def delivery_target(step: DeliveryStep, target: DeliveryStatus | str | None = None) -> State:
    """The status and stage ``step`` writes (``target`` chooses among several, e.g. the
    outcome of FINISH; the stage is NONE when the step leaves it as it was). Raises
    ValueError when the step cannot lead to ``target``."""
    rule = DELIVERY_RULES[step]
    if target is None:
        if len(rule.targets) != 1:
            raise ValueError(f"{step.value} leads to one of {[t.value for t in rule.targets]}")
        status = rule.targets[0]
    else:
        status = DeliveryStatus(target)
        if status not in rule.targets:
            raise ValueError(f"{step.value} cannot lead to {status.value}")
    return status, rule.stage or DeliveryStage.NONE


def next_delivery_state(
    step: DeliveryStep,
    status: DeliveryStatus,
    stage: DeliveryStage,
    target: DeliveryStatus | None = None,
) -> State | None:
    """The state after ``step`` from (status, stage), or None when the step may not be taken
    there."""
    rule = DELIVERY_RULES[step]
    if not rule.allows(status, stage):
        return None
    to, _ = delivery_target(step, target)
    return to, stage if rule.stage is None else rule.stage


def is_uncertain(status: DeliveryStatus | str, stage: DeliveryStage | str) -> bool:
    """An attempt that got to DATA and did not record its outcome: the server may have the
    message (a crash, or a connection that broke after DATA)."""
    return status == DeliveryStatus.SENDING and stage == DeliveryStage.DATA


class RunStatus(StrEnum):
    QUEUED = "QUEUED"  # requested, nothing rendered yet
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"  # every delivery finished (or none to make)
    CANCELLED = "CANCELLED"


class RunStep(Enum):
    START = "start"  # its first rendering was stored
    COMPLETE = "complete"  # its last open delivery finished
    CANCEL = "cancel"
    RETRY = "retry"  # failed deliveries went back to PENDING


RUN_RULES: Mapping[RunStep, tuple[tuple[RunStatus, ...], RunStatus]] = MappingProxyType(
    {
        RunStep.START: ((RunStatus.QUEUED,), RunStatus.RUNNING),
        RunStep.COMPLETE: ((RunStatus.QUEUED, RunStatus.RUNNING), RunStatus.COMPLETED),
        RunStep.CANCEL: ((RunStatus.QUEUED, RunStatus.RUNNING), RunStatus.CANCELLED),
        RunStep.RETRY: (
            (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.COMPLETED),
            RunStatus.RUNNING,
        ),
    }
)


def next_run_status(step: RunStep, status: RunStatus) -> RunStatus | None:
    """The run's status after ``step``, or None when the step may not be taken from there."""
    sources, target = RUN_RULES[step]
    return target if status in sources else None
