"""The ASGI application: `service.main:app`, built by `create_app()`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.api import docs, guide, health, knowledge, recommendations
from service.api.guard import install_guard
from service.api.openapi import install_openapi
from service.api.problems import install_problem_handlers
from service.cdshooks import routes as cdshooks
from service.cdshooks.cors import CdsHooksCors
from service.cdshooks.outcome import CdsError
from service.cdshooks.security import NotAuthenticated
from service.config import Settings, get_settings
from service.knowledge.index import KnowledgeBase
from service.knowledge.loader import load_knowledge
from service.ops import install_bench_endpoints, install_compression, install_observability

DESCRIPTION = (
    "Clinical decision support for tyrosine kinase inhibitor (TKI) combination therapy. Takes a cancer patient's "
    "profile and returns evidence-linked treatment options, the regimens excluded for a clinical reason, and drug "
    "interaction warnings from the prescribing information. For healthcare professionals: it supports, and does "
    "not replace, clinical judgement. Stateless: nothing submitted is stored or logged."
)


def create_app(settings: Settings | None = None, knowledge_base: KnowledgeBase | None = None) -> FastAPI:
    """Build the app bound to one knowledge base (loaded from the configured store when not given)."""
    settings = settings or get_settings()
    kb = knowledge_base or load_knowledge(settings.knowledge_db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.knowledge = kb
        app.state.ready = True
        yield
        app.state.ready = False

    app = FastAPI(
        title="tki-cds",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry would put the raw path and query (drug names, cancer types) and exception
        # text in spans and logs once any provider is configured; /metrics and the request log are the telemetry.
        # Off, it also stops a provider lookup (environment reads) on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
        # A slash redirect would be built from the Host header the client sent.
        redirect_slashes=False,
        # FastAPI's own pages load from a CDN with inline script; service/api/docs.py serves vendored ones.
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "clinical decision support", "description": "Recommendations and interaction checks."},
            {"name": "knowledge", "description": "What the service knows, and its sources."},
            {"name": "service", "description": "Operational endpoints."},
        ],
    )
    # Bound before startup too, so an app used without its lifespan still answers.
    app.state.knowledge = kb
    app.state.ready = False  # GET /ready says 503 until the lifespan has bound the knowledge
    app.state.cds = cdshooks.make_runtime(settings)
    install_problem_handlers(app)
    app.add_exception_handler(CdsError, cdshooks.cds_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotAuthenticated, cdshooks.not_authenticated)  # type: ignore[arg-type]
    install_compression(app)  # inside the guard, so it sees each whole response and its size
    if settings.bench_endpoints:
        install_bench_endpoints(app)
    app.include_router(health.router)
    app.include_router(recommendations.router)
    app.include_router(knowledge.router)
    app.include_router(guide.router)
    app.include_router(docs.router)
    app.include_router(cdshooks.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).resolve().parent / "web" / "static"), name="static")
    install_openapi(app, kb)

    install_guard(
        app,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout,
        path_limits={"/cds-services": settings.cds_max_body_bytes},
    )
    install_observability(app)  # outermost: the guard's own 408/413 answers are counted and logged too

    # added last, so it runs first: a browser CDS client's preflight is answered before anything else
    app.add_middleware(CdsHooksCors, origins=settings.cds_cors_origins)
    return app


def __getattr__(name: str) -> FastAPI:
    # `service.main:app` is built on first access, so importing create_app needs no knowledge store.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
