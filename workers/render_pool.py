"""Laying out a statement with Typst is most of a statement job's CPU, and a worker's asyncio loop
runs on one core, so a worker renders in a few child processes (each keeps one Typst compiler,
fonts loaded once) while its loop reads the database and talks SMTP. The children import no
database code and get everything they need in the request."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.statements import (
    StatementCustomer,
    StatementEntry,
    StatementOptions,
    build_statement,
)
from workers.render import CompanyInfo, RenderError
from workers.render.email_body import render_view_email
from workers.render.typst_pdf import compile_typst, render_view_pdf
from workers.render.view import build_view


@dataclass(frozen=True, slots=True)
class RenderRequest:
    """One customer's statement to compute and render (picklable)."""

    customer: StatementCustomer
    entries: tuple[StatementEntry, ...]
    options: StatementOptions
    company: CompanyInfo


@dataclass(frozen=True, slots=True)
class RenderedStatement:
    pdf: bytes
    subject: str
    html: str
    text: str
    currency_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RenderRefused:
    """Why the statement could not be rendered (DomainError does not survive pickling, so a
    refusal travels back as a value and is raised again as RenderError)."""

    reason: str


def render_statement(request: RenderRequest) -> RenderedStatement | RenderRefused:
    """Compute the statement and render its PDF and e-mail (pure; runs in a child process)."""
    try:
        statement = build_statement(request.customer, request.entries, request.options)
        view = build_view(statement, request.company)  # one view for the PDF and the e-mail
        pdf = render_view_pdf(view, request.company, statement.statement_date)
        subject, html, text = render_view_email(view, request.company)
    except DomainError as exc:
        return RenderRefused(exc.message)
    except RenderError as exc:
        return RenderRefused(str(exc))
    codes = tuple(s.currency_code for s in statement.sections)
    return RenderedStatement(pdf, subject, html, text, codes)


def _start_child(after_startup: Callable[[], None] | None) -> None:
    # the parent decides when to stop (Ctrl-C reaches the whole process group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # load the bundled fonts and Typst's standard library before the first statement
    compile_typst('#set text(font: "DejaVu Sans")\nx', logo_png=None, day=date.today(), what="")
    if after_startup is not None:  # e.g. the settled collector: views allocate like a batch
        after_startup()


def _ready() -> bool:
    return True


class RenderPool:
    """Renders statements in ``processes`` child processes, or in a thread when 0.

    ``after_startup`` runs in each child once it has loaded the fonts (it must be picklable:
    a module-level function, as the composition root passes lettrage.gc_tuning's)."""

    def __init__(self, processes: int, after_startup: Callable[[], None] | None = None) -> None:
        self.processes = processes
        self._after_startup = after_startup
        self._executor: ProcessPoolExecutor | None = self._new() if processes > 0 else None

    def _new(self) -> ProcessPoolExecutor:
        # spawn: children start clean (no copy of the parent's connections, loop or threads)
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            initargs=(self._after_startup,),
        )

    async def start(self) -> None:
        """Start every child now (imports, fonts), rather than in the first jobs."""
        if self._executor is None:
            return
        loop = asyncio.get_running_loop()
        executor = self._executor
        await asyncio.gather(
            *(loop.run_in_executor(executor, _ready) for _ in range(self.processes))
        )

    async def render(self, request: RenderRequest) -> RenderedStatement:
        """Raises RenderError when the statement cannot be rendered, and BrokenProcessPool
        when a child died meanwhile (the pool is then replaced: the job can be retried)."""
        executor = self._executor
        if executor is None:
            outcome = await asyncio.to_thread(render_statement, request)
        else:
            loop = asyncio.get_running_loop()
            try:
                outcome = await loop.run_in_executor(executor, render_statement, request)
            except BrokenProcessPool:
                if self._executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._new()
                raise
        if isinstance(outcome, RenderRefused):
            raise RenderError(outcome.reason)
        return outcome

    def child_pids(self) -> list[int]:
        """The render processes running now (for monitoring and tests)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.pid is not None]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
