"""POST /v1/recommendations and POST /v1/interactions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from schemas.requests import InteractionCheckInput, PatientProfileInput
from schemas.responses import InteractionCheckResponse, RecommendationResponse
from service.api.body import JSONBodyRoute
from service.api.deps import KnowledgeDep
from service.api.problems import problem_responses
from service.api.answers import json_answer
from service.engine.recommend import check_medication_list, recommend_for

router = APIRouter(prefix="/v1", tags=["clinical decision support"], route_class=JSONBodyRoute)

# Named request examples for /docs and /redoc: typical patients, each valid against the request schema.
PROFILE_EXAMPLES = {
    "cml-t315i": {
        "summary": "CML, chronic phase, T315I after imatinib, on omeprazole",
        "value": {
            "cancer_type": "CML",
            "stage": "chronic phase",
            "mutations": [{"gene": "BCR::ABL1", "alteration": "T315I"}],
            "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}],
            "current_medications": ["omeprazole 20 mg daily"],
        },
    },
    "nsclc-egfr": {
        "summary": "Metastatic NSCLC, EGFR L858R, PD-L1 TPS 80 %, treatment-naive",
        "value": {
            "cancer_type": "NSCLC",
            "stage": "IV",
            "mutations": ["EGFR L858R"],
            "pd_l1": {"tps": 80},
            "prior_therapies": [],
            "current_medications": ["Nexium"],
        },
    },
    "rcc-first-line": {
        "summary": "Clear cell RCC, stage IV, first line, on carbamazepine",
        "value": {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [], "current_medications": ["Tegretol 200 mg"]},
    },
}
MEDICATION_LIST_EXAMPLES = {
    "dasatinib-ppi": {
        "summary": "Dasatinib with a proton pump inhibitor",
        "value": {"drugs": ["dasatinib", "pantoprazole 40 mg daily"]},
    },
    "osimertinib-inducer": {
        "summary": "Osimertinib with a strong CYP3A4 inducer and an antacid",
        "value": {"drugs": ["osimertinib", "rifampin", "omeprazole"]},
    },
}


@router.post(
    "/recommendations",
    operation_id="createRecommendations",
    summary="Evidence-linked treatment options, exclusions and interaction warnings for a patient profile",
    response_model=RecommendationResponse,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 415, 422),
)
async def create_recommendations(
    profile: Annotated[PatientProfileInput, Body(openapi_examples=PROFILE_EXAMPLES)], knowledge: KnowledgeDep
) -> Response:
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
async def check_interactions(
    body: Annotated[InteractionCheckInput, Body(openapi_examples=MEDICATION_LIST_EXAMPLES)], knowledge: KnowledgeDep
) -> Response:
    return json_answer(check_medication_list(knowledge, body.drugs))
