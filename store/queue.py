"""Job queue connection settings shared by the API (enqueue) and the workers (consume).

arq takes its own settings object; we accept redis:// and unix:// URLs alike.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from arq.connections import RedisSettings


def redis_settings(url: str) -> RedisSettings:
    parsed = urlparse(url)
    if parsed.scheme == "unix":
        db = int(parse_qs(parsed.query).get("db", ["0"])[0])
        return RedisSettings(unix_socket_path=parsed.path, database=db)
    return RedisSettings.from_dsn(url)
