"""GraphiQL renders in headless Chromium and no request leaves localhost."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_graphiql_loads_offline_with_only_local_requests(server: str) -> None:  # noqa: F811
    with tempfile.TemporaryDirectory() as profile:
        log = Path(profile) / "netlog.json"
        result = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--log-net-log={log}",
                "--virtual-time-budget=8000",
                "--dump-dom",
                f"{server}/graphql",
            ],
            capture_output=True,
            text=True,
            timeout=90,
        )
        dom = result.stdout
        assert "graphiql-container" in dom, dom[:2000]
        events = json.loads(log.read_text() or "{}") if log.exists() else {}
    # Requests the page made carry its origin as initiator; Chromium's own background
    # services (update checks, time sync) have none and are not the page's doing.
    page_urls = {
        p["url"]
        for e in events.get("events", [])
        for p in [e.get("params") or {}]
        if isinstance(p.get("url"), str) and str(p.get("initiator", "")).startswith(server)
    }
    assert any("/static/graphiql/graphiql.min.js" in u for u in page_urls), page_urls
    outside = {u for u in page_urls if not u.startswith(server)}
    assert not outside, f"the page made requests outside localhost: {outside}"
