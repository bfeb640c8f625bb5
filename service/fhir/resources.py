"""FHIR R4 JSON -> `fhir.resources` R4B models; what cannot be read becomes an error naming where, never the value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

# Resource types this door reads; anything else in a prefetch bundle is reported, not parsed.
READ_TYPES = {
    "Bundle", "Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "MedicationAdministration",
    "Medication", "OperationOutcome",
}  # fmt: skip


class FhirInputError(Exception):
    """FHIR content that is not valid R4: each problem is (location, message), with no submitted value."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))


def _location(where: str, loc: tuple[Any, ...]) -> str:
    parts = [where]
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else f".{item}")
    return "".join(parts)


def _messages(error: ValidationError, where: str) -> list[tuple[str, str]]:
    # pydantic's own message can quote the input, so only the error type is turned into words
    words = {"missing": "a required element is missing", "extra_forbidden": "an element FHIR R4 does not define"}
    return [(_location(where, tuple(e["loc"])), words.get(e["type"], f"not a valid value ({e['type']})")) for e in error.errors()][:20]


def parse_resource(data: Any, where: str) -> Resource:
    if not isinstance(data, dict):
        raise FhirInputError([(where, "not a FHIR resource (a JSON object with resourceType)")])
    kind = data.get("resourceType")
    if not isinstance(kind, str) or kind not in READ_TYPES:
        raise FhirInputError([(f"{where}.resourceType", "not a resource type this service reads")])
    try:
        return get_fhir_model_class(kind).model_validate(data)
    except ValidationError as error:
        raise FhirInputError(_messages(error, where)) from None
    except (TypeError, ValueError, LookupError, AttributeError):
        # fhir.resources raises KeyError for an unknown nested resourceType (e.g. inside a Bundle entry)
        raise FhirInputError([(where, "not valid FHIR R4")]) from None


@dataclass
class Record:
    """The resources of one patient, gathered from prefetch, the FHIR server and draft orders."""

    patient: list[Resource] = field(default_factory=list)
    conditions: list[Resource] = field(default_factory=list)
    observations: list[Resource] = field(default_factory=list)
    medication_requests: list[Resource] = field(default_factory=list)
    medication_statements: list[Resource] = field(default_factory=list)
    medication_administrations: list[Resource] = field(default_factory=list)
    medications: dict[str, Resource] = field(default_factory=dict)  # by id, and by the entry's fullUrl
    urls: dict[str, str] = field(default_factory=dict)  # a Bundle entry's fullUrl -> "Type/id", for references by fullUrl
    other: list[str] = field(default_factory=list)  # "Type/id" of resources this door does not read

    def add(self, resource: Resource, full_url: str | None = None) -> None:
        kind = resource.get_resource_type()
        if full_url:
            self.urls[full_url] = f"{kind}/{resource.id}" if resource.id else full_url
        target = {
            "Patient": self.patient,
            "Condition": self.conditions,
            "Observation": self.observations,
            "MedicationRequest": self.medication_requests,
            "MedicationStatement": self.medication_statements,
            "MedicationAdministration": self.medication_administrations,
        }.get(kind)
        if target is not None:
            target.append(resource)
        elif kind == "Medication":
            if resource.id:
                self.medications[resource.id] = resource
            if full_url:
                self.medications[full_url] = resource
        else:
            self.other.append(f"{kind}/{resource.id}" if resource.id else kind)


def resources_in(value: Any, where: str) -> list[Resource] | None:
    """The resources a prefetch value holds, or None when it counts as missing (null or an OperationOutcome)."""
    entries = entries_in(value, where)
    return None if entries is None else [resource for resource, _ in entries]


def entries_in(value: Any, where: str) -> list[tuple[Resource, str | None]] | None:
    """Like `resources_in`, with each Bundle entry's fullUrl (references inside a Bundle may use it)."""
    if value is None:
        return None
    resource = parse_resource(value, where)
    kind = resource.get_resource_type()
    if kind == "OperationOutcome":
        return None
    if kind != "Bundle":
        return [(resource, None)]
    found: list[tuple[Resource, str | None]] = []
    for entry in resource.entry or []:
        item = entry.resource
        # a search Bundle may carry an OperationOutcome entry (search mode 'outcome'): it is not patient data
        if item is not None and item.get_resource_type() != "OperationOutcome":
            found.append((item, str(entry.fullUrl) if entry.fullUrl else None))
    return found
