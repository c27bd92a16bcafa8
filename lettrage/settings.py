"""One place reads the environment, once: every process gets the same configuration, and the
rest of the code gets typed parts of it (lettrage.config), never the environment."""

from __future__ import annotations

from pathlib import Path

from arq.constants import default_queue_name
from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # an empty variable means "not set" (the default), as an unset one does
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", env_file_encoding="utf-8", env_ignore_empty=True
    )

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("lettrage")), alias="LETTRAGE_DATA_DIR"
    )
    smtp_host: str = Field(default="127.0.0.1", alias="SMTP_HOST")
    smtp_port: int = Field(default=8025, alias="SMTP_PORT")
    smtp_user: str | None = Field(default=None, alias="SMTP_USER")
    smtp_password: str | None = Field(default=None, alias="SMTP_PASSWORD")
    smtp_from: str = Field(default="statements@lettrage.invalid", alias="SMTP_FROM")
    smtp_timeout: float = Field(default=30.0, alias="SMTP_TIMEOUT")
    smtp_max_attempts: int = Field(default=5, alias="LETTRAGE_SMTP_MAX_ATTEMPTS")
    smtp_retry_seconds: float = Field(default=30.0, alias="LETTRAGE_SMTP_RETRY_SECONDS")
    mail_probe_dir: Path | None = Field(default=None, alias="LETTRAGE_MAIL_PROBE_DIR")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    max_query_depth: int = Field(default=12, alias="LETTRAGE_MAX_QUERY_DEPTH")
    max_query_tokens: int = Field(default=5000, alias="LETTRAGE_MAX_QUERY_TOKENS")
    max_query_aliases: int = Field(default=30, alias="LETTRAGE_MAX_QUERY_ALIASES")
    max_body_bytes: int = Field(default=1_000_000, alias="LETTRAGE_MAX_BODY_BYTES")
    max_upload_bytes: int = Field(default=20_000_000, alias="LETTRAGE_MAX_UPLOAD_BYTES")
    db_pool_size: int = Field(default=10, alias="LETTRAGE_DB_POOL_SIZE")
    queue_name: str = Field(default=default_queue_name, alias="LETTRAGE_QUEUE_NAME")
    worker_max_jobs: int = Field(default=16, alias="LETTRAGE_WORKER_MAX_JOBS")
    # None: one per core, at most 4; 0 renders in a thread of the worker process
    render_processes: int | None = Field(default=None, alias="LETTRAGE_RENDER_PROCESSES")
    job_timeout: int = Field(default=300, alias="LETTRAGE_JOB_TIMEOUT")


def get_settings() -> Settings:
    return Settings()
