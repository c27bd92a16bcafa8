"""Runs the server and/or a worker in one event loop, with embedded services when needed."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import Any

import structlog
import uvicorn
import uvloop

from api.app import create_app
from lettrage.config import app_config, worker_config
from lettrage.gc_tuning import settle_after_startup
from lettrage.migrations import upgrade_head
from lettrage.runtime import Services, services
from lettrage.settings import Settings

log = structlog.get_logger(__name__)


def run_services(
    settings: Settings, host: str | None, port: int | None, *, with_worker: bool, demo: bool
) -> None:
    embedded_db = settings.database_url is None
    with services(settings.database_url, settings.redis_url, settings.data_dir) as svc:
        if demo or embedded_db:
            upgrade_head(svc.database_url)
        with (
            contextlib.suppress(KeyboardInterrupt),
            asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner,
        ):
            runner.run(_run(settings, svc, host, port, with_worker, demo))


async def _run(
    settings: Settings,
    svc: Services,
    host: str | None,
    port: int | None,
    with_worker: bool,
    demo: bool,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    sink = None
    api_key = None
    if demo:
        from lettrage.demo_data import load_demo_data
        from lettrage.smtp_sink import start_smtp_sink

        mailbox = Path(settings.data_dir) / "mail"
        sink = start_smtp_sink(mailbox)
        # the worker sends to the sink, whose mailbox settles "was it sent?" after a worker
        # crash (exactly once)
        settings = settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": sink.port,
                "mail_probe_dir": settings.mail_probe_dir or mailbox,
            }
        )
        api_key = await load_demo_data(svc.database_url)

    tasks: list[asyncio.Task[Any]] = []
    server: uvicorn.Server | None = None
    if host is not None and port is not None:
        config = uvicorn.Config(
            create_app(app_config(settings, svc), after_startup=settle_after_startup),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
        server = uvicorn.Server(config)
        tasks.append(asyncio.create_task(server.serve()))
    worker = None
    if with_worker:
        from workers.settings import build_worker

        worker = build_worker(worker_config(settings, svc), after_startup=settle_after_startup)
        tasks.append(asyncio.create_task(worker.async_run()))

    if server is not None:
        while not server.started and not any(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        if server.started:
            print(f"GraphiQL: http://{host}:{port}/graphql", flush=True)
    if api_key is not None:
        print(f"API key: {api_key}", flush=True)
    if sink is not None:
        print(
            f"SMTP sink: 127.0.0.1:{sink.port} (mail kept in {settings.data_dir}/mail)", flush=True
        )

    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    log.info("shutting_down")
    if server is not None:
        server.should_exit = True
    if worker is not None:
        await worker.close()
    for t in tasks:
        if not t.done():
            with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
                await asyncio.wait_for(t, timeout=10)
    waiter.cancel()
    if sink is not None:
        sink.stop()
    for t in done:
        if t is not waiter and t.exception() is not None:
            raise t.exception()  # type: ignore[misc]
