"""One place reads the environment, once: every process gets the same configuration."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_file_encoding="utf-8")

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
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    max_query_depth: int = Field(default=12, alias="LETTRAGE_MAX_QUERY_DEPTH")
    max_query_tokens: int = Field(default=5000, alias="LETTRAGE_MAX_QUERY_TOKENS")
    max_query_aliases: int = Field(default=30, alias="LETTRAGE_MAX_QUERY_ALIASES")
    max_body_bytes: int = Field(default=1_000_000, alias="LETTRAGE_MAX_BODY_BYTES")
    max_upload_bytes: int = Field(default=20_000_000, alias="LETTRAGE_MAX_UPLOAD_BYTES")
    db_pool_size: int = Field(default=10, alias="LETTRAGE_DB_POOL_SIZE")


def get_settings() -> Settings:
    return Settings()
