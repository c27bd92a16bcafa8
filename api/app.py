"""The Starlette app: GraphQL (auth first), GraphiQL without any CDN, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

import redis.asyncio as aioredis
import sqlalchemy as sa
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from api.auth import Principal, bearer_token, hash_key
from api.config import AppConfig
from api.context import Context
from api.key_cache import ApiKeyCache
from api.metrics import Metrics
from api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware, send_error
from api.pdf_route import statement_pdf
from api.report_route import report_download
from api.schema import build_schema
from store.api_keys import find_api_key
from store.db import create_engine

_STATIC = files("api").joinpath("static")
_GRAPHIQL_HTML = _STATIC.joinpath("graphiql.html").read_text(encoding="utf-8")


async def authenticate(request_or_ws: Any, header: str | None) -> Principal | None:
    token = bearer_token(header)
    if token is None:
        return None
    key_hash = hash_key(token)
    cache: ApiKeyCache = request_or_ws.app.state.key_cache
    principal = cache.get(key_hash)
    if principal is not None:
        return principal
    record = await find_api_key(request_or_ws.app.state.read_engine, key_hash)
    if record is None:
        return None
    principal = Principal(key_id=record.id, name=record.name, scopes=frozenset(record.scopes))
    cache.put(key_hash, principal)
    return principal


class _StrawberryApp(GraphQL[Context, None]):
    def __init__(self, config: AppConfig, metrics: Metrics) -> None:
        super().__init__(
            build_schema(config, metrics),
            graphql_ide=None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=True,
        )
        self.config = config

    async def get_context(self, request: Any, response: Any) -> Context:
        principal = request.scope.get("state", {}).get("principal")
        return Context(
            request=request,
            engine=request.app.state.engine,
            read_engine=request.app.state.read_engine,
            config=self.config,
            principal=principal,
            redis=request.app.state.redis,
        )


class GraphQLEndpoint:
    """GET serves GraphiQL; POST must carry a valid API key (401 otherwise)."""

    def __init__(self, gql: _StrawberryApp) -> None:
        self.gql = gql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.gql(scope, receive, send)
            return
        request = Request(scope, receive)
        if request.method == "GET":
            await HTMLResponse(_GRAPHIQL_HTML)(scope, receive, send)
            return
        principal = await authenticate(request, request.headers.get("authorization"))
        if principal is None:
            await send_error(
                send,
                401,
                "missing or unknown API key: send 'Authorization: Bearer <key>'",
                "UNAUTHENTICATED",
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        body = await request.body()
        is_json = not request.headers.get("content-type", "").startswith("multipart/")
        if is_json and (b"\x00" in body or b"\\u0000" in body):
            await send_error(send, 400, "NUL characters are not allowed", "BAD_USER_INPUT")
            return
        await self.gql(scope, _replay(body), send)


def _replay(body: bytes) -> Receive:
    """A receive callable that hands the already-read body to the GraphQL app."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def healthz(request: Request) -> JSONResponse:
    status: dict[str, str] = {}
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the reason is shown
        status["database"] = f"down: {type(exc).__name__}"
    try:
        await request.app.state.redis.ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = f"down: {type(exc).__name__}"
    ok = all(v == "ok" for v in status.values())
    return JSONResponse(status, status_code=200 if ok else 503)


def create_app(config: AppConfig, *, after_startup: Callable[[], None] | None = None) -> Starlette:
    """Build the app; the engine and Redis client live in the lifespan, not at import.

    ``after_startup`` runs once the app is set up (the composition root settles the garbage
    collector there: lettrage.gc_tuning)."""
    metrics = Metrics()
    gql = _StrawberryApp(config, metrics)
    endpoint = GraphQLEndpoint(gql)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = create_engine(config.database_url, config.db_pool_size)
        # Same pool; no BEGIN/ROLLBACK round trips around single-statement reads (under READ
        # COMMITTED each statement has its own snapshot either way).
        app.state.read_engine = app.state.engine.execution_options(isolation_level="AUTOCOMMIT")
        app.state.redis = aioredis.Redis.from_url(
            config.redis_url, socket_connect_timeout=2, socket_timeout=2
        )
        if after_startup is not None:
            after_startup()
        try:
            yield
        finally:
            await app.state.redis.aclose()
            await app.state.engine.dispose()

    async def metrics_endpoint(request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app = Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            Route("/statements/{delivery_id:int}.pdf", statement_pdf),
            Route("/reports/{report}.{fmt}", report_download),
            Route("/healthz", healthz),
            Route("/metrics", metrics_endpoint),
            Mount("/static", StaticFiles(directory=str(_STATIC)), name="static"),
        ],
        middleware=[
            Middleware(RequestIdMiddleware, metrics=metrics),
            Middleware(
                BodySizeLimitMiddleware,
                max_body=config.max_body_bytes,
                max_upload=config.max_upload_bytes,
            ),
        ],
        lifespan=lifespan,
    )
    app.state.key_cache = ApiKeyCache()
    app.state.statement_queue = config.queue_name  # api.context.Context.queue_name
    return app
