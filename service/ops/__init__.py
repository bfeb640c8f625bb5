"""Operational parts: metrics, request logs, compression, log format. Pure ASGI middleware."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp

from service.ops.compression import ISAL_LEVEL, IsalGZipMiddleware
from service.ops.metrics import MetricsMiddleware, install_metrics
from service.ops.request_log import RequestLogMiddleware

# Below this size (problems, health, small lists) compression costs more than it saves.
GZIP_MINIMUM_BYTES = 1024
GZIP_LEVEL = ISAL_LEVEL  # ISA-L's scale: see service/ops/compression.py


def install_compression(app: FastAPI) -> None:
    """gzip for answers of GZIP_MINIMUM_BYTES or more, only to clients that send Accept-Encoding: gzip."""
    app.add_middleware(IsalGZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)


def install_bench_endpoints(app: FastAPI) -> None:
    from service.api.bench import bench_router

    app.include_router(bench_router(app.state.knowledge))


def install_observability(app: FastAPI) -> None:
    """Metrics, then request logs, around the whole built stack (the guard included), so every answer is
    counted and logged, the guard's own 408/413 too. Call it after install_guard."""
    metrics = install_metrics(app)
    build: Callable[[], ASGIApp] = app.build_middleware_stack

    def build_observed() -> ASGIApp:
        return MetricsMiddleware(RequestLogMiddleware(build()), metrics)

    app.build_middleware_stack = build_observed  # type: ignore[method-assign]
