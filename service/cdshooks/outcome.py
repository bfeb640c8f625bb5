"""Errors of the CDS Hooks door as FHIR OperationOutcome resources (the spec's error body), never echoing input."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class CdsError(Exception):
    """A failed service call: HTTP status, FHIR issue type, a sentence, and where (FHIRPath-like locations)."""

    def __init__(self, status: int, code: str, text: str, where: list[str] | None = None, diagnostics: str | None = None) -> None:
        self.status, self.code, self.text, self.where, self.diagnostics = status, code, text, where or [], diagnostics
        super().__init__(text)


def operation_outcome(error: CdsError) -> JSONResponse:
    issue: dict[str, object] = {"severity": "error", "code": error.code, "details": {"text": error.text}}
    if error.diagnostics:
        issue["diagnostics"] = error.diagnostics
    if error.where:
        issue["expression"] = error.where[:20]
    return JSONResponse({"resourceType": "OperationOutcome", "issue": [issue]}, status_code=error.status)
