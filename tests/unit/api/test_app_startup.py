"""The app takes what the composition root hands it: the queue its jobs go to and a hook run
once the lifespan has set the app up (lettrage settles the collector there)."""

from __future__ import annotations

from pathlib import Path

from asgi_lifespan import LifespanManager

from api.app import create_app
from api.config import AppConfig


def config(tmp_path: Path, **changes: str) -> AppConfig:
    # the lifespan builds the engine and the Redis client without connecting
    return AppConfig(
        database_url="postgresql://nobody@127.0.0.1:1/none",
        redis_url="redis://127.0.0.1:1/0",
        data_dir=tmp_path,
        **changes,  # type: ignore[arg-type]
    )


async def test_the_start_up_hook_runs_once_when_the_app_starts(tmp_path: Path) -> None:
    calls: list[str] = []
    app = create_app(config(tmp_path), after_startup=lambda: calls.append("settled"))
    assert calls == []

    async with LifespanManager(app):
        assert calls == ["settled"]
    assert calls == ["settled"]


def test_jobs_go_to_the_configured_queue(tmp_path: Path) -> None:
    assert create_app(config(tmp_path)).state.statement_queue == "arq:queue"
    app = create_app(config(tmp_path, queue_name="lettrage:ar"))
    assert app.state.statement_queue == "lettrage:ar"
