"""Problem-details errors (RFC 9457) for every failure the API can return."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from schemas.problems import PROBLEM_MEDIA_TYPE, FieldError, Problem, field_path

PROBLEM_BASE = "https://tki-cds.example/problems/"


class NotFoundError(Exception):
    """A knowledge record that does not exist; `kind` names what was looked for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"No {kind} with that identifier exists in this knowledge release.")


def route_template(scope: Scope) -> str | None:
    """The matched route's template (/v1/regimens/{regimen_id}), never the path as sent: it may hold patient data."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else None


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_defaults=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


# The accepted shape of each field that takes more than one form, shown with the error that names it.
_ACCEPTED_SHAPES = {
    "pd_l1": 'an object with its scoring system, e.g. {"tps": 60} (or "cps", "ic"); "60%" as text is not read',
    "mutations[]": 'a text such as "EGFR L858R" or "EGFR T790M pending", or {"gene": "EGFR", "alteration": "L858R", "status": "detected"}',
    "biomarkers[]": 'a text such as "MSI-H" or {"name": "MSI", "status": "high"}',
    "prior_therapies[]": 'a text such as "imatinib (progression)" or {"drugs": ["imatinib"], "outcome": "progression", "line": 1}',
    "current_medications[]": 'a text such as "omeprazole 20 mg daily" or {"name": "omeprazole", "formulation": "capsules"}',
    "conditions[]": 'a text such as "myasthenia gravis" or {"code": "G70.00", "system": "http://hl7.org/fhir/sid/icd-10-cm"}',
    "drugs[]": 'a text such as "dasatinib 100 mg daily" or {"name": "dasatinib"}',
    "ecog": 'a number from 0 to 4, or a text such as "ECOG 1"',
    "organ_function": '{"creatinine_clearance_ml_min": 45, "qtc_ms": 430}',
}
_TYPE_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a text",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "extra_forbidden": "is not a field of this request",
}
# Less specific messages give way to more specific ones for the same field (a union tried each of its forms).
_GENERIC_TYPES = frozenset({"string_type", "model_type", "model_attributes_type", "dict_type", "int_type", "float_type"})


def _shape_key(field: str) -> str:
    last = re.sub(r"^body\.", "", field)
    return re.sub(r"\[\d+\]$", "[]", last.split(".")[-1] if "." in last and not last.endswith("]") else last.rsplit(".", 1)[-1])


def _message(item: dict[str, Any]) -> str:
    kind = str(item.get("type", ""))
    if kind == "value_error":
        return str(item.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    message = str(item.get("msg", "invalid value"))
    return re.sub(r"^Input should", "must", message)


def _snake_case_hint(item: dict[str, Any], known: set[str]) -> str:
    """For an unknown key, the real field its snake_case spelling names: never the key itself."""
    key = str(item.get("loc", ("",))[-1])
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower().replace("-", "_")
    return f"; fields are snake_case: did you mean {snake}?" if snake != key and snake in known else ""


def _known_fields() -> set[str]:
    from schemas import requests

    names: set[str] = set()
    for model in vars(requests).values():
        if isinstance(model, type) and hasattr(model, "model_fields"):
            names.update(model.model_fields)
    return names


def _validation_problem(request: Request, error: RequestValidationError) -> JSONResponse:
    by_field: dict[str, list[tuple[str, str]]] = {}
    known = _known_fields()
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        kind = str(item.get("type", ""))
        if kind == "extra_forbidden":
            # the unknown key is the caller's text: name its parent, never the key
            field = field_path(location[:-1]) or "body"
            message = "an unknown field was sent" + _snake_case_hint(item, known)
        else:
            field = field_path(location)
            message = _message(item)
        by_field.setdefault(field, []).append((kind, message))
    errors = []
    for field, found in by_field.items():
        deeper = any(other.startswith((field + ".", field + "[")) for other in by_field)
        if deeper and all(kind in _GENERIC_TYPES for kind, _ in found):
            continue  # the object form got further: its own errors say what to fix
        specific = [m for kind, m in found if kind not in _GENERIC_TYPES]
        if specific:
            message = "; ".join(dict.fromkeys(specific))
        else:
            message = "must be " + " or ".join(dict.fromkeys(m.removeprefix("must be ") for _, m in found))
        shape = _ACCEPTED_SHAPES.get(_shape_key(field))
        if shape and any(kind in _GENERIC_TYPES or kind == "value_error" for kind, _ in found):
            message += f": send {shape}"
        errors.append(FieldError(field=field, message=message))
    fields = ", ".join(e.field for e in errors)
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "invalid-request",
            title="The request is not valid",
            status=422,
            detail=f"Fix the listed field(s) and send the request again: {fields}.",
            instance=route_template(request.scope),
            errors=errors,
        )
    )


def _not_found(request: Request, error: NotFoundError) -> JSONResponse:
    return problem_response(
        Problem(type=PROBLEM_BASE + "not-found", title="Not found", status=404, detail=str(error), instance=route_template(request.scope))
    )


def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    titles = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 406: "Not acceptable", 415: "Unsupported media type"}
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "http-error",
            title=titles.get(error.status_code, "HTTP error"),
            status=error.status_code,
            detail=str(error.detail) if error.status_code != 404 else "There is no resource at this path.",
            instance=route_template(request.scope),
        ),
        headers=getattr(error, "headers", None),
    )


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    # Logged by the guard (service/api/guard.py), with the exception type and route template only.
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "internal-error",
            title="Internal error",
            status=500,
            detail="The service could not answer this request. The error was logged without request data.",
            instance=route_template(request.scope),
        )
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_problem)  # type: ignore[arg-type]
    app.add_exception_handler(NotFoundError, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problem responses a route can return."""
    descriptions = {
        400: "The body is not one JSON text in UTF-8 (malformed, empty, NaN or Infinity, an unpaired surrogate, or nested too deeply).",
        404: "No record with that identifier.",
        413: "The body is larger than any valid request needs.",
        415: "The body is not sent as application/json (UTF-8).",
        422: "The request is invalid (including a key given twice in one object); the problem lists each field to fix "
        "and the shape it accepts.",
    }
    return {status: {"model": Problem, "description": descriptions[status]} for status in statuses}
