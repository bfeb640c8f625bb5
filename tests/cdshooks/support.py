"""Helpers for CDS Hooks tests: fixture bundles split into the service's prefetch keys, and the no-empty walk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
PATIENTS = sorted(p.stem.removeprefix("patient-") for p in FIXTURES.glob("patient-*.json"))
ORDERS = sorted(p.stem for p in FIXTURES.glob("order-*.json"))


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def _codes(resource: dict[str, Any]) -> set[str]:
    return {c.get("code") for c in resource.get("code", {}).get("coding", [])}


def _tokens(resource: dict[str, Any]) -> set[str]:
    return {f"{c.get('system')}|{c.get('code')}" for c in resource.get("code", {}).get("coding", [])}


def prefetch_of(items: list[dict[str, Any]], service_id: str = "tki-treatment-options") -> dict[str, Any]:
    """What an EHR running the service's prefetch queries would send: each key its resource type, Observations by code,
    Medications as `_include`d entries of the medicationRequests search. `items` are resources or Bundle entries (their
    fullUrl is kept). Status filters in the queries are not applied, as some EHRs ignore them (the reader must honour
    status itself)."""
    from service.cdshooks.services import build_services
    from service.fhir.codes import fhir_codes

    entries = [i if "resource" in i else {"resource": i} for i in items]
    service = build_services(fhir_codes())[service_id]
    prefetch: dict[str, Any] = {}
    for key, template in service.prefetch.items():
        kind, _, query = template.partition("?")
        if "/" in kind:  # Patient/{{context.patientId}}: a read
            found = [e["resource"] for e in entries if e["resource"]["resourceType"] == kind.split("/")[0]]
            prefetch[key] = found[0] if found else None
            continue
        codes = set(query.split("code=", 1)[1].split("&")[0].split(",")) if "code=" in query else None
        matched = [dict(e, search={"mode": "match"}) for e in entries
                   if e["resource"]["resourceType"] == kind and (codes is None or _tokens(e["resource"]) & codes)]  # fmt: skip
        if key == "medicationRequests":
            matched += [dict(e, search={"mode": "include"}) for e in entries if e["resource"]["resourceType"] == "Medication"]
        prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "total": len(matched),
                         "entry": [{k: v for k, v in e.items() if k != "request"} for e in matched]}  # fmt: skip
    return {k: v for k, v in prefetch.items() if v is not None}


def prefetch_for(patient: str) -> tuple[str, dict[str, Any]]:
    """The patient id and the prefetch a client would send for the patient-view service."""
    resources = [e["resource"] for e in load(f"patient-{patient}")["entry"]]
    pid = next(r for r in resources if r["resourceType"] == "Patient")["id"]
    return pid, prefetch_of(resources)


def patient_view(patient: str, **changes: Any) -> dict[str, Any]:
    pid, prefetch = prefetch_for(patient)
    body = {
        "hook": "patient-view",
        "hookInstance": "0b7a6b0e-4a1c-4b0e-9d43-1f3d9a3c1e10",
        "context": {"userId": "Practitioner/example", "patientId": pid},
        "prefetch": prefetch,
    }
    body.update(changes)
    return body


def empties(value: Any, path: str = "$") -> list[str]:
    """Every null, empty string, empty list or empty object under value (the top-level `cards` list excepted by callers)."""
    found = []
    if value is None or value == "" or value == [] or value == {}:
        found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += empties(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += empties(item, f"{path}[{index}]")
    return found
