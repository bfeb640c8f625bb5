"""Engine answers sent as JSON without a second validation pass."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def json_answer(answer: BaseModel) -> Response:
    """The engine's answer as JSON, optional fields omitted. It is already an instance of the route's
    response model, so FastAPI's re-validation (and, for sync routes, its threadpool hop) is skipped."""
    return Response(answer.model_dump_json(exclude_none=True), media_type="application/json")
