"""Only lettrage.settings reads the environment: every variable a worker or the API needs is
read there under its documented name, with the documented default, and handed over as
typed configuration (lettrage.config)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lettrage.config import app_config, worker_config
from lettrage.runtime import Services
from lettrage.settings import Settings
from workers.config import DeliveryPolicy, SmtpConfig, WorkerConfig

SVC = Services(database_url="postgresql://u@db.example/ar", redis_url="redis://r.example/2")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment without any of our variables."""
    for field in Settings.model_fields.values():
        assert field.alias is not None
        monkeypatch.delenv(field.alias, raising=False)
    return monkeypatch


def settings() -> Settings:
    return Settings(_env_file=None)


def test_without_variables_the_worker_gets_the_documented_defaults(
    env: pytest.MonkeyPatch,
) -> None:
    config = worker_config(settings(), SVC)

    assert config.smtp == SmtpConfig(
        host="127.0.0.1",
        port=8025,
        user=None,
        password=None,
        sender="statements@lettrage.invalid",
        timeout=30.0,
    )
    assert config.delivery == DeliveryPolicy(max_attempts=5, backoff_seconds=30.0, probe_dir=None)
    assert (config.max_jobs, config.job_timeout, config.queue_name) == (16, 300, "arq:queue")
    assert config == WorkerConfig(SVC.database_url, SVC.redis_url)
    assert app_config(settings(), SVC).queue_name == "arq:queue"


def test_an_empty_variable_means_its_default(env: pytest.MonkeyPatch) -> None:
    for name in ("SMTP_USER", "SMTP_PORT", "SMTP_TIMEOUT", "LETTRAGE_WORKER_MAX_JOBS"):
        env.setenv(name, "")
    env.setenv("LETTRAGE_QUEUE_NAME", "")

    assert worker_config(settings(), SVC) == WorkerConfig(SVC.database_url, SVC.redis_url)


def test_each_worker_variable_reaches_the_worker_configuration(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = {
        "SMTP_HOST": "mail.example.com",
        "SMTP_PORT": "2525",
        "SMTP_USER": "ar",
        "SMTP_PASSWORD": "secret",
        "SMTP_FROM": "Compta <ar@example.com>",
        "SMTP_TIMEOUT": "7.5",
        "LETTRAGE_SMTP_MAX_ATTEMPTS": "3",
        "LETTRAGE_SMTP_RETRY_SECONDS": "0.25",
        "LETTRAGE_MAIL_PROBE_DIR": str(tmp_path),
        "LETTRAGE_WORKER_MAX_JOBS": "4",
        "LETTRAGE_RENDER_PROCESSES": "2",
        "LETTRAGE_JOB_TIMEOUT": "42",
        "LETTRAGE_QUEUE_NAME": "lettrage:ar",
    }
    for name, value in values.items():
        env.setenv(name, value)

    assert worker_config(settings(), SVC) == WorkerConfig(
        database_url=SVC.database_url,
        redis_url=SVC.redis_url,
        smtp=SmtpConfig("mail.example.com", 2525, "ar", "secret", "Compta <ar@example.com>", 7.5),
        delivery=DeliveryPolicy(max_attempts=3, backoff_seconds=0.25, probe_dir=tmp_path),
        max_jobs=4,
        render_processes=2,
        job_timeout=42,
        queue_name="lettrage:ar",
    )
    # the API enqueues where the workers read
    assert app_config(settings(), SVC).queue_name == "lettrage:ar"


@pytest.mark.parametrize(
    ("env_values", "expected"),
    [
        pytest.param({"LETTRAGE_RENDER_PROCESSES": "3"}, 3, id="configured"),
        pytest.param({"LETTRAGE_RENDER_PROCESSES": "0"}, 0, id="in_a_thread"),
        pytest.param({}, min(os.cpu_count() or 1, 4), id="one_per_core_up_to_4"),
    ],
)
def test_the_pool_size_comes_from_the_environment(
    env: pytest.MonkeyPatch, env_values: dict[str, str], expected: int
) -> None:
    for name, value in env_values.items():
        env.setenv(name, value)
    assert worker_config(settings(), SVC).render_processes == expected


def test_the_readme_documents_every_variable() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = [f.alias for f in Settings.model_fields.values() if f"`{f.alias}`" not in table]
    assert missing == []
