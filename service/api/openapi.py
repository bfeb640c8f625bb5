"""The OpenAPI document: FastAPI's, made to tell the truth about problems and accepted vocabularies."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from schemas.problems import PROBLEM_MEDIA_TYPE
from service.knowledge.index import KnowledgeBase


def build_openapi(app: FastAPI, knowledge: KnowledgeBase) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.get("components", {}).get("schemas", {})
    # FastAPI's default validation-error shapes are replaced by problem details.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}
                    if status == "422" and response.get("description") == "Validation Error":
                        response["description"] = "The request is invalid; the problem lists each field to fix."
    # cancer_type stays a string: the whole OncoTree and clinical phrasing are accepted, so a generated client
    # must not restrict it to an enum. The types the knowledge acts on are listed as examples.
    profile = components.get("PatientProfileInput", {}).get("properties", {})
    if "cancer_type" in profile:
        profile["cancer_type"]["examples"] = [*profile["cancer_type"].get("examples", []), *knowledge.cancer_type_vocabulary]
    return schema


def install_openapi(app: FastAPI, knowledge: KnowledgeBase) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, knowledge)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
