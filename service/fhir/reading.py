"""What every FHIR reader shares: the account of one record (`read` / `not_mapped`) and the words of a CodeableConcept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.resource import Resource

from service.fhir.codes import ICD10CM, LOINC, RXNORM, SNOMED, FhirCodes

ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
SYSTEM_NAMES = {ICD10CM: "ICD-10-CM", SNOMED: "SNOMED CT", ICDO3: "ICD-O-3", LOINC: "LOINC", RXNORM: "RxNorm"}


@dataclass
class NotMapped:
    resource: str
    what: str
    reason: str


@dataclass
class FhirReading:
    profile: dict[str, Any] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    not_mapped: list[NotMapped] = field(default_factory=list)
    medication_lines: list[Any] = field(default_factory=list)


def ref_of(resource: Resource) -> str:
    kind = resource.get_resource_type()
    return f"{kind}/{resource.id}" if resource.id else kind


def codings(concept: Any) -> list[Any]:
    return list(concept.coding or []) if concept is not None else []


def concept_text(concept: Any) -> str | None:
    """The words a CodeableConcept shows: its text, else the first coding's display, else its code."""
    if concept is None:
        return None
    if concept.text:
        return concept.text
    for coding in codings(concept):
        if coding.display:
            return coding.display
    for coding in codings(concept):
        if coding.code:
            return coding.code
    return None


def profiles_of(resource: Resource) -> list[str]:
    return [str(p) for p in (resource.meta.profile or [])] if resource.meta is not None else []


def status_code(concept: Any) -> str | None:
    for coding in codings(concept):
        if coding.code:
            return str(coding.code)
    return None


def when_of(resource: Resource) -> str:
    """When a result or record holds, for choosing the latest: its effective time (a period by its end, else its start)."""
    period = getattr(resource, "effectivePeriod", None)
    if period is not None and (period.end or period.start):
        return str(period.end or period.start)
    for name in ("effectiveDateTime", "effectiveInstant", "issued", "recordedDate", "onsetDateTime", "authoredOn", "dateAsserted"):
        value = getattr(resource, name, None)
        if value:
            return str(value)
    return ""


class ReaderBase:
    """The state one patient's reading shares: the code tables, Medications and fullUrls of the record, the account."""

    def __init__(self, codes: FhirCodes, medications: dict[str, Resource], urls: dict[str, str] | None = None) -> None:
        self.codes = codes
        self.medications = medications
        self.urls = urls or {}
        self.out = FhirReading()
        self._stage_from_conditions: list[tuple[str, str]] = []
        self._secondaries: list[Resource] = []

    def _reference(self, reference: str) -> str:
        """A reference as "Type/id": a Bundle fullUrl through the record's entries, an absolute URL by its last two parts."""
        if reference in self.urls:
            return self.urls[reference]
        parts = reference.rstrip("/").split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else reference
