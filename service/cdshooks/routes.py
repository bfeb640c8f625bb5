"""CDS Hooks routes: GET /cds-services, POST /cds-services/{id}, POST /cds-services/{id}/feedback.

Left out of openapi/openapi.json on purpose: the HL7 CDS Hooks specification is this door's contract, and its
errors are FHIR OperationOutcome resources, not the problem details the OpenAPI document promises for /v1.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from schemas.cdshooks import Discovery, Feedback, ServiceRequest, Source
from service.cdshooks.hooks import answer_call
from service.cdshooks.outcome import CdsError, operation_outcome
from service.cdshooks.security import JwksCache, NotAuthenticated, verify_client_jwt
from service.cdshooks.services import CdsService, build_services, discovery
from service.config import Settings
from service.engine.recommend import knowledge_version
from service.fhir.codes import FhirCodes, fhir_codes
from service.knowledge.index import KnowledgeBase

@dataclass
class CdsRuntime:
    """What the door holds between calls: settings, services, the JWKS cache and a feedback counter (no patient data)."""

    settings: Settings
    codes: FhirCodes
    services: dict[str, CdsService]
    jwks: JwksCache
    fhir_transport: httpx.BaseTransport | None = None
    feedback: Counter[tuple[str, str]] = field(default_factory=Counter)


def make_runtime(settings: Settings) -> CdsRuntime:
    codes = fhir_codes()
    return CdsRuntime(
        settings=settings,
        codes=codes,
        services=build_services(codes),
        jwks=JwksCache(settings.cds_jwks_cache_seconds, settings.fhir_timeout_seconds),
    )


def _runtime(request: Request) -> CdsRuntime:
    return request.app.state.cds


def _authenticated(request: Request) -> None:
    runtime = _runtime(request)
    if not runtime.settings.cds_jwt_required:
        return
    audience = runtime.settings.public_base_url.rstrip("/") + request.url.path
    verify_client_jwt(request.headers.get("authorization"), audience, runtime.settings, runtime.jwks)


Authenticated = Annotated[None, Depends(_authenticated)]
router = APIRouter(prefix="/cds-services", include_in_schema=False)


def not_authenticated(request: Request, error: NotAuthenticated) -> Response:
    return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})


def cds_error(request: Request, error: CdsError) -> Response:
    return operation_outcome(error)


async def _json_body(request: Request) -> Any:
    body = await request.body()  # its size is bounded by the guard (cds_max_body_bytes)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise CdsError(400, "structure", "The request body is not JSON.") from None


def _validation(error: ValidationError, what: str) -> CdsError:
    where = [".".join(str(p) for p in e["loc"]) or "(body)" for e in error.errors()][:20]
    return CdsError(400, "invalid", f"The {what} is not valid CDS Hooks 2.0: fix the listed fields.", where)


@router.get("")
def list_services(request: Request, _: Authenticated) -> JSONResponse:
    services = Discovery(services=discovery(_runtime(request).services))
    return JSONResponse(services.model_dump(mode="json", exclude_none=True))


@router.post("/{service_id}")
async def call_service(service_id: str, request: Request, _: Authenticated) -> JSONResponse:
    runtime = _runtime(request)
    service = runtime.services.get(service_id)
    if service is None:
        raise CdsError(404, "not-found", "There is no CDS service with this id; GET /cds-services lists them.")
    body = await _json_body(request)
    try:
        call = ServiceRequest.model_validate(body)
    except ValidationError as error:
        raise _validation(error, "service request") from None
    if call.hook not in service.hooks:
        raise CdsError(400, "not-supported", f"This service answers the {', '.join(service.hooks)} hook(s).", ["hook"])
    kb: KnowledgeBase = request.app.state.knowledge
    source = Source(
        label=f"tki-cds knowledge release {knowledge_version(kb).release}",
        url=runtime.settings.public_base_url.rstrip("/") + "/v1/knowledge",
    )
    response = await run_in_threadpool(answer_call, runtime, kb, service, call, source)
    return JSONResponse(response.model_dump(mode="json", exclude_none=True))


@router.post("/{service_id}/feedback")
async def feedback(service_id: str, request: Request, _: Authenticated) -> Response:
    runtime = _runtime(request)
    if service_id not in runtime.services:
        raise CdsError(404, "not-found", "There is no CDS service with this id; GET /cds-services lists them.")
    try:
        items = Feedback.model_validate(await _json_body(request))
    except ValidationError as error:
        raise _validation(error, "feedback") from None
    # counted by service and outcome only: card ids, reasons and comments are not kept
    for item in items.feedback:
        runtime.feedback[(service_id, item.outcome)] += 1
    return Response(status_code=200)
