"""Helpers for CDS Hooks tests: fixture bundles split into the service's prefetch keys, and the no-empty walk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
PATIENTS = sorted(p.stem.removeprefix("patient-") for p in FIXTURES.glob("patient-*.json"))
ORDERS = sorted(p.stem for p in FIXTURES.glob("order-*.json"))
VARIANT, STAGE = {"69548-6"}, {"21908-9", "21902-2", "21914-7"}
PD_L1 = {"83052-1", "83055-4", "83057-0"}
BLOOD_COUNTS = {"777-3", "26515-7", "718-7"}


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def _codes(resource: dict[str, Any]) -> set[str]:
    return {c.get("code") for c in resource.get("code", {}).get("coding", [])}


def prefetch_for(patient: str) -> tuple[str, dict[str, Any]]:
    """The patient id and the prefetch a client would send for the patient-view service."""
    resources = [e["resource"] for e in load(f"patient-{patient}")["entry"]]
    of = lambda kind: [r for r in resources if r["resourceType"] == kind]  # noqa: E731
    observations = of("Observation")
    pid = of("Patient")[0]["id"]
    return pid, {
        "patient": of("Patient")[0],
        "conditions": searchset(of("Condition")),
        "variants": searchset([o for o in observations if _codes(o) & VARIANT]),
        "pdl1": searchset([o for o in observations if _codes(o) & PD_L1]),
        "staging": searchset([o for o in observations if _codes(o) & STAGE]),
        "bloodCounts": searchset([o for o in observations if _codes(o) & BLOOD_COUNTS]),
        "medicationRequests": searchset(of("MedicationRequest")),
        "medicationStatements": searchset(of("MedicationStatement")),
    }


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
