"""POST /v1/recommendations and POST /v1/interactions."""

from __future__ import annotations

from fastapi import APIRouter, Response

from schemas.requests import InteractionCheckInput, PatientProfileInput
from schemas.responses import InteractionCheckResponse, RecommendationResponse
from service.api.body import JSONBodyRoute
from service.api.deps import KnowledgeDep
from service.api.problems import problem_responses
from service.api.answers import json_answer
from service.engine.recommend import check_medication_list, recommend_for

router = APIRouter(prefix="/v1", tags=["clinical decision support"], route_class=JSONBodyRoute)


@router.post(
    "/recommendations",
    operation_id="createRecommendations",
    summary="Evidence-linked treatment options, exclusions and interaction warnings for a patient profile",
    response_model=RecommendationResponse,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 415, 422),
)
async def create_recommendations(profile: PatientProfileInput, knowledge: KnowledgeDep) -> Response:
    # Run on the event loop: the engine is pure CPU for a few milliseconds, and a threadpool hop would
    # add cost without letting anything else run (the GIL is held either way).
    return json_answer(recommend_for(knowledge, profile))


@router.post(
    "/interactions",
    operation_id="checkInteractions",
    summary="Drug interaction check of a medication list against the prescribing information",
    response_model=InteractionCheckResponse,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 415, 422),
)
async def check_interactions(body: InteractionCheckInput, knowledge: KnowledgeDep) -> Response:
    return json_answer(check_medication_list(knowledge, body.drugs))
