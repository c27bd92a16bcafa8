"""Prometheus figures per GraphQL operation name, on a registry owned by the app."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from strawberry.extensions import SchemaExtension


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "lettrage_graphql_requests_total",
            "GraphQL operations by name and outcome",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lettrage_graphql_request_seconds",
            "GraphQL operation latency by name",
            ["operation"],
            registry=self.registry,
        )
        self.http = Counter(
            "lettrage_http_requests_total",
            "HTTP requests by path and status",
            ["path", "status"],
            registry=self.registry,
        )

    def extension(self) -> type[SchemaExtension]:
        metrics = self

        class _MetricsExtension(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                start = time.perf_counter()
                yield
                ctx = self.execution_context
                name = ctx.operation_name or "anonymous"
                outcome = "error" if ctx.result is not None and ctx.result.errors else "ok"
                metrics.requests.labels(name, outcome).inc()
                metrics.latency.labels(name).observe(time.perf_counter() - start)

        return _MetricsExtension
