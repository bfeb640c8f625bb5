"""RFC 9457 problem details. Problems never echo submitted values: they may be patient data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
_PRIMITIVE_BRANCHES = frozenset({"str", "int", "float", "bool", "list", "dict"})


def _is_union_branch(part: str) -> bool:
    """Pydantic labels union branches by type ("str", "constrained-str", "MutationInput"); fields are snake_case."""
    return part in _PRIMITIVE_BRANCHES or part[:1].isupper() or "-" in part or "[" in part


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """A validation error's location as the caller wrote it: body.mutations[2].gene (union branch labels dropped)."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _is_union_branch(str(part)):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="Path of the offending field, e.g. body.pd_l1.tps")
    message: str


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="A URI reference naming the problem type.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
