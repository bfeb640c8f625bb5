"""Problem-details errors (RFC 9457) for every failure the API can return."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.problems import PROBLEM_MEDIA_TYPE, FieldError, Problem, Suggestion, field_path
from service.engine.normalise import UnknownCancerTypeError

logger = logging.getLogger("tki_cds")

PROBLEM_BASE = "https://tki-cds.example/problems/"


class NotFoundError(Exception):
    """A knowledge record that does not exist; `kind` names what was looked for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"No {kind} with that identifier exists in this knowledge release.")


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_defaults=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _validation_problem(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = []
    seen = set()
    for item in error.errors():
        field = field_path(tuple(item.get("loc", ())))
        message = str(item.get("msg", "invalid value"))
        if (field, message) not in seen:
            seen.add((field, message))
            errors.append(FieldError(field=field, message=message))
    fields = ", ".join(dict.fromkeys(e.field for e in errors))
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "invalid-request",
            title="The request is not valid",
            status=422,
            detail=f"Fix the listed field(s) and send the request again: {fields}.",
            instance=request.url.path,
            errors=errors,
        )
    )


def _unknown_cancer_type(request: Request, error: UnknownCancerTypeError) -> JSONResponse:
    suggestions = [Suggestion(code=code, name=name) for code, name in error.suggestions]
    hint = (" Closest known types: " + ", ".join(f"{s.code} ({s.name})" for s in suggestions) + ".") if suggestions else ""
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "unknown-cancer-type",
            title="Unknown cancer type",
            status=422,
            detail="cancer_type is not an OncoTree code, name or synonym this service knows. Send a known code "
            "(GET /v1/cancer-types lists them)." + hint,
            instance=request.url.path,
            errors=[FieldError(field="body.cancer_type", message="not a known cancer type")],
            suggestions=suggestions,
        )
    )


def _not_found(request: Request, error: NotFoundError) -> JSONResponse:
    return problem_response(
        Problem(type=PROBLEM_BASE + "not-found", title="Not found", status=404, detail=str(error), instance=request.url.path)
    )


def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    titles = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 406: "Not acceptable", 415: "Unsupported media type"}
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "http-error",
            title=titles.get(error.status_code, "HTTP error"),
            status=error.status_code,
            detail=str(error.detail) if error.status_code != 404 else "There is no resource at this path.",
            instance=request.url.path,
        ),
        headers=getattr(error, "headers", None),
    )


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    # The exception's message may hold request data, so only its type is logged.
    logger.error("unhandled %s on %s %s", type(error).__name__, request.method, request.url.path)
    return problem_response(
        Problem(
            type=PROBLEM_BASE + "internal-error",
            title="Internal error",
            status=500,
            detail="The service could not answer this request. The error was logged without request data.",
            instance=request.url.path,
        )
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_problem)  # type: ignore[arg-type]
    app.add_exception_handler(UnknownCancerTypeError, _unknown_cancer_type)  # type: ignore[arg-type]
    app.add_exception_handler(NotFoundError, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problem responses a route can return."""
    descriptions = {
        400: "The body could not be read as JSON text (for example, it is not UTF-8).",
        404: "No record with that identifier.",
        422: "The request is invalid; the problem lists each field to fix (and, for an unknown cancer type, the closest known types).",
    }
    return {status: {"model": Problem, "description": descriptions[status]} for status in statuses}
