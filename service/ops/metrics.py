"""Prometheus metrics: request counts and latency by route template, method and status, per knowledge release.

Labels are only route templates (`/v1/regimens/{regimen_id}`, never the raw path), methods, status codes
and the release: nothing a request carries about a patient can become a label.
"""

from __future__ import annotations

from time import perf_counter
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.problems import route_template as matched_route

UNMATCHED_ROUTE = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class ServiceMetrics:
    """One registry per app, so several apps in one process (tests) never share or clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status", "release")
        self.requests = Counter("tki_cds_http_requests", "HTTP requests answered.", labels, registry=self.registry)
        self.latency = Histogram(
            "tki_cds_http_request_duration_seconds", "Time to answer an HTTP request.", labels,
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.in_progress = Gauge("tki_cds_http_requests_in_progress", "HTTP requests being answered.", registry=self.registry)
        self.knowledge = Gauge(
            "tki_cds_knowledge_info", "The knowledge release served (1 once loaded).", ("release", "content_hash"), registry=self.registry
        )
        # label children by (method, route, status, release): a dict lookup per request instead of two labels() calls
        self._children: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: str, release: str, seconds: float) -> None:
        key = (method, route, status, release)
        children = self._children.get(key)
        if children is None:
            labels = {"method": method, "route": route, "status": status, "release": release}
            children = self._children.setdefault(key, (self.requests.labels(**labels), self.latency.labels(**labels)))
        children[0].inc()
        children[1].observe(seconds)


def route_template(scope: Scope) -> str:
    """The matched route's path template, or a fixed word: never the path the client sent."""
    return matched_route(scope) or UNMATCHED_ROUTE


def _release(scope: Scope) -> str:
    app = scope.get("app")
    knowledge = getattr(getattr(app, "state", None), "knowledge", None)
    return knowledge.source.release.version if knowledge is not None else "none"


class MetricsMiddleware:
    """Counts and times every HTTP request (pure ASGI: no extra task or body copy per request)."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets if the app raises before answering
        started = perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.in_progress.dec()
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
            self.metrics.observe(method, route_template(scope), str(status), _release(scope), perf_counter() - started)


def install_metrics(app: FastAPI) -> ServiceMetrics:
    """Add GET /metrics (Prometheus text format, kept out of the OpenAPI contract); the caller places the
    middleware (service.ops.install_observability)."""
    metrics = ServiceMetrics()
    knowledge = app.state.knowledge
    metrics.knowledge.labels(release=knowledge.source.release.version, content_hash=knowledge.content_hash).set(1)
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    async def prometheus_metrics(request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.include_router(router)
    app.state.metrics = metrics
    return metrics
