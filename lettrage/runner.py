"""Runs the server and/or a worker in one event loop, with embedded services when needed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import Any

import structlog
import uvicorn
import uvloop

from api.app import create_app
from api.config import AppConfig
from lettrage.migrations import upgrade_head
from lettrage.runtime import Services, services
from lettrage.settings import Settings

log = structlog.get_logger(__name__)


def app_config(settings: Settings, svc: Services) -> AppConfig:
    return AppConfig(
        database_url=svc.database_url,
        redis_url=svc.redis_url,
        data_dir=settings.data_dir,
        max_query_depth=settings.max_query_depth,
        max_query_tokens=settings.max_query_tokens,
        max_query_aliases=settings.max_query_aliases,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        db_pool_size=settings.db_pool_size,
    )


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

        sink = start_smtp_sink(Path(settings.data_dir) / "mail")
        os.environ["SMTP_HOST"], os.environ["SMTP_PORT"] = "127.0.0.1", str(sink.port)
        # the sink's mailbox settles "was it sent?" after a worker crash (exactly once)
        os.environ.setdefault("LETTRAGE_MAIL_PROBE_DIR", str(Path(settings.data_dir) / "mail"))
        api_key = await load_demo_data(svc.database_url)

    tasks: list[asyncio.Task[Any]] = []
    server: uvicorn.Server | None = None
    if host is not None and port is not None:
        config = uvicorn.Config(
            create_app(app_config(settings, svc)),
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

        worker = build_worker(svc.database_url, svc.redis_url)
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
