"""GET /health (liveness) and GET /ready (readiness: 503 until the knowledge is bound and the app started)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from schemas.problems import Problem
from schemas.responses import Health
from service.api.deps import KnowledgeDep
from service.api.problems import PROBLEM_BASE, problem_response
from service.engine.recommend import knowledge_version

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="getHealth", summary="Liveness and the knowledge version served", response_model=Health)
async def health(knowledge: KnowledgeDep) -> Health:
    return Health(status="ok", knowledge_version=knowledge_version(knowledge))


NOT_READY = Problem(
    type=PROBLEM_BASE + "not-ready",
    title="Not ready",
    status=503,
    detail="The service is starting and has not loaded its knowledge yet; try again shortly.",
    instance="/ready",
)


@router.get(
    "/ready",
    operation_id="getReadiness",
    summary="Readiness: 200 once the knowledge is loaded and the service has started, 503 before",
    response_model=Health,
    responses={503: {"model": Problem, "description": "The service is starting: its knowledge is not loaded yet."}},
)
async def ready(request: Request) -> Health | Response:
    knowledge = getattr(request.app.state, "knowledge", None)
    if knowledge is None or not getattr(request.app.state, "ready", False):
        return problem_response(NOT_READY, headers={"Retry-After": "1"})
    return Health(status="ok", knowledge_version=knowledge_version(knowledge))
