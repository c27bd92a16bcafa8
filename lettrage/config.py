"""The settings, cut into the typed configuration each part takes: the API's AppConfig, the
worker's WorkerConfig (SMTP server, delivery policy, job and render process counts)."""

from __future__ import annotations

from api.config import AppConfig
from lettrage.runtime import Services
from lettrage.settings import Settings
from workers.config import DeliveryPolicy, SmtpConfig, WorkerConfig, default_render_processes


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
        queue_name=settings.queue_name,
    )


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password,
        sender=settings.smtp_from,
        timeout=settings.smtp_timeout,
    )


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        max_attempts=settings.smtp_max_attempts,
        backoff_seconds=settings.smtp_retry_seconds,
        probe_dir=settings.mail_probe_dir,
    )


def worker_config(settings: Settings, svc: Services) -> WorkerConfig:
    configured = settings.render_processes
    return WorkerConfig(
        database_url=svc.database_url,
        redis_url=svc.redis_url,
        smtp=smtp_config(settings),
        delivery=delivery_policy(settings),
        max_jobs=settings.worker_max_jobs,
        render_processes=default_render_processes() if configured is None else max(0, configured),
        job_timeout=settings.job_timeout,
        queue_name=settings.queue_name,
    )
