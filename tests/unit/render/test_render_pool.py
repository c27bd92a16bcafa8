"""Statements rendered in the worker's child processes: the same bytes as in-process, refusals
come back as RenderError, a dead child is replaced, and one reused Typst compiler per thread
picks up a changed logo."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from domain.statements import StatementOptions
from tests.unit.render.samples import COMPANY, END, START, ledger, statement, tiny_png
from workers.render import RenderError, render_statement_pdf
from workers.render_pool import (
    RenderedStatement,
    RenderPool,
    RenderRefused,
    RenderRequest,
    render_statement,
)


def request(logo_png: bytes | None = COMPANY.logo_png) -> RenderRequest:
    sample = statement(language="ENU")
    options = StatementOptions(
        start_date=START,
        end_date=END,
        include_aging=True,
        include_overdue=True,
        language_code="ENU",
        lcy_code="EUR",
    )
    company = replace(COMPANY, logo_png=logo_png)
    return RenderRequest(sample.customer, tuple(ledger()), options, company)


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    p = RenderPool(1)
    yield p
    p.close()


def test_rendering_returns_the_pdf_the_email_and_the_currencies() -> None:
    req = request()

    out = render_statement(req)

    assert isinstance(out, RenderedStatement)
    assert out.pdf.startswith(b"%PDF-")
    assert out.currency_codes == ("EUR", "USD")
    assert "EUR" in out.text


def test_a_refusal_comes_back_as_a_value_not_an_exception() -> None:
    out = render_statement(request(logo_png=b"GIF89a not a png"))

    assert out == RenderRefused("The company logo is not a PNG image.")


async def test_a_child_process_renders_the_same_bytes_as_the_worker_itself(
    pool: RenderPool,
) -> None:
    req = request()
    in_thread = await RenderPool(0).render(req)

    in_child = await pool.render(req)

    assert in_child == in_thread


async def test_a_refusal_in_a_child_fails_with_render_error(pool: RenderPool) -> None:
    with pytest.raises(RenderError, match="not a PNG"):
        await pool.render(request(logo_png=b"GIF89a not a png"))


async def test_a_killed_child_breaks_the_job_and_the_pool_is_replaced() -> None:
    p = RenderPool(1)
    try:
        await p.start()
        for pid in p.child_pids():
            os.kill(pid, signal.SIGKILL)

        with pytest.raises(BrokenProcessPool):
            await p.render(request())

        assert (await p.render(request())).pdf.startswith(b"%PDF-")
    finally:
        p.close()


def _mark_started(directory: Path) -> None:
    (directory / str(os.getpid())).touch()


async def test_each_child_runs_the_start_up_hook_it_was_given(tmp_path: Path) -> None:
    p = RenderPool(1, partial(_mark_started, tmp_path))
    try:
        await p.start()

        assert sorted(int(f.name) for f in tmp_path.iterdir()) == sorted(p.child_pids())
    finally:
        p.close()


def test_the_reused_compiler_picks_up_a_new_logo_and_stays_deterministic() -> None:
    st = statement(invoices=2)
    small = replace(COMPANY, logo_png=tiny_png(40, 12))
    wide = replace(COMPANY, logo_png=tiny_png(80, 12))

    first = render_statement_pdf(st, small)
    other = render_statement_pdf(st, wide)
    again = render_statement_pdf(st, small)

    assert first != other
    assert again == first
