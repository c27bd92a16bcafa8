"""The delivery and run state tables of domain.delivery, as the SQL of each step: which rows a
step may change and what it writes, so no status or stage is spelled out in a query."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.delivery import (
    DELIVERY_RULES,
    RUN_RULES,
    DeliveryStatus,
    DeliveryStep,
    RunStep,
    delivery_target,
)


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def may_take(step: DeliveryStep) -> str:
    """The condition (on statement_deliveries' status and stage) for the rows ``step`` may
    move, e.g. ``(status = 'PENDING' OR (status = 'SENDING' AND stage NOT IN ('DATA')))``."""
    rule = DELIVERY_RULES[step]
    terms = []
    for status in rule.sources:
        refused = sorted(stage.value for s, stage in rule.refused if s is status)
        term = f"status = '{status.value}'"
        terms.append(f"({term} AND stage NOT IN ({_quoted(refused)}))" if refused else term)
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def writes(step: DeliveryStep, target: DeliveryStatus | None = None) -> str:
    """The assignments of ``step`` (the status, and the stage when the step sets one)."""
    status, stage = delivery_target(step, target)
    if DELIVERY_RULES[step].stage is None:
        return f"status = '{status.value}'"
    return f"status = '{status.value}', stage = '{stage.value}'"


def delivery_values(step: DeliveryStep, target: DeliveryStatus | None = None) -> dict[str, str]:
    """The same as column values, for SQLAlchemy's update()."""
    status, stage = delivery_target(step, target)
    values = {"status": status.value}
    if DELIVERY_RULES[step].stage is not None:
        values["stage"] = stage.value
    return values


def delivery_sources(column: Any, step: DeliveryStep) -> sa.ColumnElement[bool]:
    """``column IN (the statuses step leaves)``, for steps that refuse no stage."""
    rule = DELIVERY_RULES[step]
    assert not rule.refused, f"{step} depends on the stage: use may_take"
    return column.in_([s.value for s in rule.sources])  # type: ignore[no-any-return]


def run_may_take(step: RunStep) -> str:
    """The condition (on statement_runs.status) for the runs ``step`` may move."""
    sources, _ = RUN_RULES[step]
    return f"status IN ({_quoted([s.value for s in sources])})"


def run_target(step: RunStep) -> str:
    return RUN_RULES[step][1].value
