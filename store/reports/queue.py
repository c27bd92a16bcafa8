"""A report PDF is laid out by a worker (Typst is CPU work the API's event loop must not do);
the API asks for it and waits for the bytes, which come back as the job's result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.statements.queue import arq_client

RENDER_AGED_REPORT = "render_aged_report"


class ReportNotRendered(Exception):
    """No worker rendered the report in time (none running, or all busy)."""


@dataclass(frozen=True, slots=True)
class AgedReportJob:
    """What the worker needs to compute and lay out an aged report (plain, picklable values;
    `ledger` is RECEIVABLES or PAYABLES)."""

    ledger: str
    as_of: date
    basis: str
    periods: tuple[str, ...]
    currency_code: str | None
    party_nos: tuple[str, ...] | None

    def args(self) -> tuple[Any, ...]:
        return (
            self.ledger,
            self.as_of.isoformat(),
            self.basis,
            list(self.periods),
            self.currency_code,
            None if self.party_nos is None else list(self.party_nos),
        )


async def render_aged_report_pdf(
    redis: Any, queue_name: str, job: AgedReportJob, timeout: float = 120.0
) -> bytes:
    """Enqueue the rendering and wait for its PDF. A job no worker has started within
    `timeout` expires, so it is not rendered for nobody later."""
    client = arq_client(redis)
    queued = await client.enqueue_job(
        RENDER_AGED_REPORT,
        *job.args(),
        _queue_name=queue_name,
        _expires=timedelta(seconds=timeout),
    )
    assert queued is not None  # a fresh random job id is never taken
    try:
        pdf = await queued.result(timeout=timeout, poll_delay=0.05)
    except TimeoutError as exc:
        raise ReportNotRendered(f"no worker rendered the report within {timeout:.0f} s") from exc
    if not isinstance(pdf, bytes):
        raise ReportNotRendered("the worker returned no PDF")
    return pdf
