"""POST /v1/recommendations and POST /v1/interactions."""

from __future__ import annotations

from fastapi import APIRouter

from schemas.requests import InteractionCheckInput, PatientProfileInput
from schemas.responses import InteractionCheckResponse, RecommendationResponse
from service.api.body import JSONBodyRoute
from service.api.deps import KnowledgeDep
from service.api.problems import problem_responses
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
def create_recommendations(profile: PatientProfileInput, knowledge: KnowledgeDep) -> RecommendationResponse:
    return recommend_for(knowledge, profile)


@router.post(
    "/interactions",
    operation_id="checkInteractions",
    summary="Drug interaction check of a medication list against the prescribing information",
    response_model=InteractionCheckResponse,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 415, 422),
)
def check_interactions(body: InteractionCheckInput, knowledge: KnowledgeDep) -> InteractionCheckResponse:
    return check_medication_list(knowledge, body.drugs)
