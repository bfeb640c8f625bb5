"""GET /health: 200 once the knowledge is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from schemas.responses import Health
from service.api.deps import KnowledgeDep
from service.engine.recommend import knowledge_version

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="getHealth", summary="Liveness and the knowledge version served", response_model=Health)
def health(knowledge: KnowledgeDep) -> Health:
    return Health(status="ok", knowledge_version=knowledge_version(knowledge))
