"""What a worker needs to know, handed over by the composition root (workers never read the
environment): where to send mail, how hard to try, how many jobs and render processes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from store.statements.queue import DEFAULT_QUEUE_NAME

MAX_DEFAULT_RENDER_PROCESSES = 4


def default_render_processes() -> int:
    """One render process per core, at most 4."""
    return min(os.cpu_count() or 1, MAX_DEFAULT_RENDER_PROCESSES)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where to send (SMTP_HOST/PORT/USER/PASSWORD/FROM/TIMEOUT)."""

    host: str = "127.0.0.1"
    port: int = 8025
    user: str | None = None
    password: str | None = None
    sender: str = "statements@lettrage.invalid"
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard to try: attempts per delivery and the first backoff (doubled each time);
    ``probe_dir`` is a directory of .eml files written by the receiving server (the demo
    sink), where an uncertain delivery can be looked up by Message-ID."""

    max_attempts: int = 5
    backoff_seconds: float = 30.0
    probe_dir: Path | None = None

    def backoff(self, attempt: int) -> float:
        return self.backoff_seconds * float(2 ** max(attempt - 1, 0))


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """One worker process: ``max_jobs`` jobs run at once (their database and SMTP steps
    overlap) while ``render_processes`` child processes render PDFs (0: in a thread of the
    worker itself); a killed worker's jobs are picked up again after ``job_timeout`` + 10 s."""

    database_url: str
    redis_url: str
    smtp: SmtpConfig = SmtpConfig()
    delivery: DeliveryPolicy = DeliveryPolicy()
    max_jobs: int = 16
    render_processes: int = field(default_factory=default_render_processes)
    job_timeout: int = 300
    queue_name: str = DEFAULT_QUEUE_NAME
