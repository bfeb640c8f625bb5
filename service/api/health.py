"""GET /health (liveness) and GET /ready (readiness: 503 until the knowledge is loaded and serving)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from schemas.responses import Health
from service.api.deps import KnowledgeDep
from service.api.problems import NotReadyError, problem_responses
from service.engine.recommend import knowledge_version

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="getHealth", summary="Liveness and the knowledge version served", response_model=Health)
async def health(knowledge: KnowledgeDep) -> Health:
    return Health(status="ok", knowledge_version=knowledge_version(knowledge))


@router.get(
    "/ready",
    operation_id="getReadiness",
    summary="Readiness: 200 once the knowledge is loaded and the service has started, 503 before",
    response_model=Health,
    responses=problem_responses(503),
)
async def ready(request: Request) -> Health:
    knowledge = getattr(request.app.state, "knowledge", None)
    if knowledge is None or not getattr(request.app.state, "ready", False):
        raise NotReadyError()
    return Health(status="ok", knowledge_version=knowledge_version(knowledge))
