"""`lettrage serve` as a real process on a free port, queried over TCP like a client would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from tests.api.conftest import make_key
from tests.e2e.conftest import lettrage_command


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
    lettrage = lettrage_command()
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
    lettrage = lettrage_command()
    printed = subprocess.run([lettrage, "schema"], capture_output=True, text=True, check=True)
    checked_in = (Path(__file__).parents[2] / "schema.graphql").read_text()
    assert printed.stdout == checked_in, "run `lettrage schema > schema.graphql`"
