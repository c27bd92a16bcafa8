"""What the app needs to know, handed over by the composition root (api never reads env)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.statements.queue import DEFAULT_QUEUE_NAME


@dataclass(frozen=True, slots=True)
class AppConfig:
    database_url: str
    redis_url: str
    data_dir: Path
    max_query_depth: int = 12
    max_query_tokens: int = 5000
    max_query_aliases: int = 30
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 20_000_000
    db_pool_size: int = 10
    # the arq queue the API enqueues statement, reminder and memo jobs to (the workers' queue)
    queue_name: str = DEFAULT_QUEUE_NAME
