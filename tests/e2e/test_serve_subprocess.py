"""`lettrage serve` as a real process on a free port, queried over TCP like a client would."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import make_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db_url: str, redis_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "LETTRAGE_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    lettrage = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"
    proc = subprocess.Popen(
        [lettrage, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode() if proc.stderr else "exited")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


async def test_real_server_answers_a_curl_like_request(server: str, db_url: str) -> None:
    key = await make_key(db_url, ["read"])
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{__typename}"},
            headers={"Authorization": f"Bearer {key}", "content-type": "application/json"},
        )
        assert response.status_code == 200
        assert response.json() == {"data": {"__typename": "Query"}}
        assert (await client.post("/graphql", json={"query": "{__typename}"})).status_code == 401


def test_cli_creates_a_key_printed_alone_on_the_last_line(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "LETTRAGE_DATA_DIR": str(tmp_path)}
    lettrage = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"
    out = subprocess.run(
        [lettrage, "api-key", "create", "--name", "ci", "--scopes", "read,post"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1].startswith("lt_")
    bad = subprocess.run(
        [lettrage, "api-key", "create", "--name", "ci", "--scopes", "root"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0
    assert "unknown scopes" in bad.stderr


def test_schema_command_matches_the_checked_in_schema() -> None:
    lettrage = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"
    printed = subprocess.run([lettrage, "schema"], capture_output=True, text=True, check=True)
    checked_in = (Path(__file__).parents[2] / "schema.graphql").read_text()
    assert printed.stdout == checked_in, "run `lettrage schema > schema.graphql`"
