"""RFC 9457 problem details. Problems never echo submitted values: they may be patient data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
_UNION_BRANCHES = frozenset({"str", "MutationInput", "PriorTherapyInput", "MedicationInput"})


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """A validation error's location as the caller wrote it: body.mutations[2].gene (union branch labels dropped)."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _UNION_BRANCHES or "[" in str(part):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="Path of the offending field, e.g. body.pd_l1.tps")
    message: str


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name: str


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="A URI reference naming the problem type.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
    suggestions: list[Suggestion] = Field(default=[], description="Closest known cancer types, for an unknown one.")
