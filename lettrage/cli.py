"""The `lettrage` command: migrate, serve, worker, demo, api keys, schema export."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from lettrage.logging import configure_logging
from lettrage.settings import Settings, get_settings

app = typer.Typer(
    help="Lettrage: accounts-receivable cash application server.",
    no_args_is_help=True,
    add_completion=False,
)
api_key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(api_key_app, name="api-key")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


def _settings() -> Settings:
    settings = get_settings()
    configure_logging(settings.log_level)
    return settings


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (alembic upgrade head); safe to run twice."""
    from lettrage.migrations import upgrade_head
    from lettrage.runtime import services

    s = _settings()
    with services(s.database_url, s.redis_url or "unused://", s.data_dir) as svc:
        upgrade_head(svc.database_url)
    typer.echo("database is at the latest schema")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Run the GraphQL API server (uvicorn)."""
    from lettrage.runner import run_services

    run_services(_settings(), host, port, with_worker=False, demo=False)


@app.command()
def worker() -> None:
    """Run an arq worker (statement runs, deliveries)."""
    from lettrage.runner import run_services

    run_services(_settings(), None, None, with_worker=True, demo=False)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Start everything with demo data: embedded services, server, worker, SMTP sink."""
    from lettrage.runner import run_services

    run_services(_settings(), host, port, with_worker=True, demo=True)


@api_key_app.command("create")
def api_key_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: read,post,admin.")] = "read",
) -> None:
    """Create an API key; the key itself is printed alone on the last line (store it now)."""
    from api.auth import SCOPES, hash_key, new_key
    from lettrage.runtime import services
    from store.api_keys import create_api_key
    from store.db import create_engine

    wanted = [x.strip() for x in scopes.split(",") if x.strip()]
    bad = [x for x in wanted if x not in SCOPES]
    if bad or not wanted:
        raise _fail(f"unknown scopes {bad}; choose among {', '.join(SCOPES)}")
    s = _settings()
    key = new_key()

    async def create(url: str) -> None:
        engine = create_engine(url, pool_size=1)
        try:
            await create_api_key(engine, name, hash_key(key), wanted)
        finally:
            await engine.dispose()

    with services(s.database_url, s.redis_url or "unused://", s.data_dir) as svc:
        asyncio.run(create(svc.database_url))
    typer.echo(f"created key '{name}' with scopes {','.join(wanted)}")
    typer.echo(key)


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL) to stdout."""
    from api.schema import schema_sdl

    sys.stdout.write(schema_sdl())


@app.command()
def statements(
    end_date: Annotated[str, typer.Option(help="Statement date and aging date (YYYY-MM-DD).")],
    start_date: Annotated[
        str | None, typer.Option(help="Default: the first day of the end date's month.")
    ] = None,
    customers: Annotated[
        str | None,
        typer.Option(help="Comma-separated customer numbers; default: all with entries."),
    ] = None,
    output: Annotated[str, typer.Option(help="EMAIL or DOWNLOAD.")] = "EMAIL",
    wait: Annotated[bool, typer.Option(help="Show progress until the run completes.")] = True,
) -> None:
    """Request a statement run (workers deliver it) and show its progress."""
    from datetime import date

    from lettrage.runtime import services
    from lettrage.statements_cli import run_statements

    try:
        end = date.fromisoformat(end_date)
        start = date.fromisoformat(start_date) if start_date else end.replace(day=1)
    except ValueError as exc:
        raise _fail(f"dates must be YYYY-MM-DD: {exc}") from exc
    nos = tuple(x.strip() for x in customers.split(",") if x.strip()) if customers else None
    s = _settings()
    with services(s.database_url, s.redis_url, s.data_dir) as svc:
        code, message = asyncio.run(
            run_statements(svc, start, end, nos, output.upper(), queue=s.queue_name, wait=wait)
        )
    if code:
        raise _fail(message)
    typer.echo(message)


@app.command("import-statement")
def import_statement(
    file: Annotated[Path, typer.Argument(help="The statement file (camt, MT940, OFX, CSV).")],
    bank_account: Annotated[str, typer.Option("--bank-account", help="Bank account no.")],
    format: Annotated[
        str, typer.Option("--format", help="AUTO, CAMT053, CAMT054, MT940, OFX or CSV.")
    ] = "AUTO",
    csv_mapping: Annotated[
        str | None, typer.Option("--csv-mapping", help="Code of a saved CSV mapping.")
    ] = None,
) -> None:
    """Import a bank statement file and suggest applications for its lines."""
    from domain.errors import DomainError
    from lettrage.runtime import services
    from store.bank.statements import import_statement_file
    from store.db import create_engine

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from exc

    async def run(url: str) -> list[str]:
        engine = create_engine(url, pool_size=2)
        try:
            stored = await import_statement_file(
                engine, bank_account, data, format.upper(), None, csv_mapping
            )
        finally:
            await engine.dispose()
        out = []
        for s in stored:
            out.append(f"imported statement {s.statement_no} (id {s.id}) into {bank_account}")
            out += [f"warning: {w}" for w in (s.balance_warning, s.opening_warning) if w]
        return out

    s = _settings()
    with services(s.database_url, s.redis_url or "unused://", s.data_dir) as svc:
        try:
            lines = asyncio.run(run(svc.database_url))
        except DomainError as exc:
            raise _fail(f"{exc.code.value}: {exc.message}") from exc
    for line in lines:
        typer.echo(line)
