"""The benchmark's yardstick: the recommendation route's request handling with the answer pre-serialised.

Mounted only when TKI_CDS_BENCH_ENDPOINTS is set (scripts/bench-http does), and never in the OpenAPI
document. It reads and validates the request body as POST /v1/recommendations does (same route class,
same model, same dependency), then returns the bytes POST /v1/recommendations sends for BENCH_PROFILE,
computed once at startup, so the difference between the two routes is what answering costs beyond the
HTTP path (engine, model building, serialisation).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from schemas.requests import PatientProfileInput
from service.api.answers import json_answer
from service.api.body import JSONBodyRoute
from service.api.deps import KnowledgeDep
from service.engine.recommend import recommend_for
from service.knowledge.index import KnowledgeBase

# A typical second-line NSCLC profile with a medicine list (the shape EHR integrations send).
BENCH_PROFILE: dict[str, object] = {
    "cancer_type": "NSCLC",
    "stage": "IV",
    "mutations": [{"gene": "EGFR", "alteration": "L858R"}],
    "pd_l1": {"tps": 80},
    "prior_therapies": [],
    "current_medications": ["Nexium 40 mg daily", "rifampin 600 mg daily", "atorvastatin 40 mg"],
}


def bench_router(knowledge: KnowledgeBase) -> APIRouter:
    # the bytes json_answer sends for BENCH_PROFILE: the same serialisation as the real route
    answer = json_answer(recommend_for(knowledge, PatientProfileInput.model_validate(BENCH_PROFILE))).body
    # the real route's strict body reading (JSONBodyRoute) and dependency, so only the answering differs
    router = APIRouter(include_in_schema=False, route_class=JSONBodyRoute)

    @router.post("/bench/static-recommendations")
    async def static_recommendations(profile: PatientProfileInput, knowledge: KnowledgeDep) -> Response:
        return Response(answer, media_type="application/json")

    return router
