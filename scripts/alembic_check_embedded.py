"""`alembic check` against an embedded PostgreSQL, for machines without a server."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from lettrage.migrations import alembic_config, upgrade_head
from lettrage.runtime import start_embedded_postgres


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, server = start_embedded_postgres(Path(tmp))
        try:
            upgrade_head(url)
            command.check(alembic_config(url))
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
