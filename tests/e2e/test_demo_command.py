"""`lettrage demo`: one command gives a server with data, a key, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import free_port, lettrage_command


def test_demo_prints_url_and_key_serves_demo_data_and_stops_on_sigterm(
    db_url: str, redis_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "LETTRAGE_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    lettrage = lettrage_command()
    proc = subprocess.Popen(
        [lettrage, "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(x.startswith("API key:") for x in lines):
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise AssertionError(proc.stderr.read() if proc.stderr else "demo exited")
            lines.append(line.strip())
        url = next(x for x in lines if x.startswith("GraphiQL:")).split(" ", 1)[1]
        key = next(x for x in lines if x.startswith("API key:")).split(" ", 2)[2]
        assert url == f"http://127.0.0.1:{port}/graphql"
        response = httpx.post(
            url,
            headers={"Authorization": f"Bearer {key}"},
            json={
                "query": "{ customers(first: 10) { edges { node { no balance openEntries "
                "{ documentNo } } } } }"
            },
        )
        edges = response.json()["data"]["customers"]["edges"]
        assert len(edges) == 5
        assert all(e["node"]["openEntries"] for e in edges)
        statements = httpx.post(
            url,
            headers={"Authorization": f"Bearer {key}"},
            json={
                "query": "{ bankStatements { lines { amount status suggestions { confidence "
                "entry { __typename partyNo } glAccountNo } } } }"
            },
        ).json()["data"]["bankStatements"]
        best = [line["suggestions"][0] for line in statements[0]["lines"]]
        assert [s["confidence"] for s in best] == ["HIGH", "MEDIUM", "HIGH", "HIGH", "HIGH"]
        assert [s["entry"]["__typename"] if s["entry"] else s["glAccountNo"] for s in best] == [
            "CustomerLedgerEntry",
            "CustomerLedgerEntry",
            "VendorLedgerEntry",
            "VendorLedgerEntry",
            "8960",
        ]
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0
