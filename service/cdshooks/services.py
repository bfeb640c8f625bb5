"""The CDS services this door offers, as discovery lists them: hooks, prefetch templates, required keys."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.cdshooks import ServiceDescription
from service.fhir.codes import FhirCodes

PATIENT = "{{context.patientId}}"
OPTIONS_ID = "tki-treatment-options"
INTERACTIONS_ID = "tki-order-interactions"


@dataclass(frozen=True)
class CdsService:
    id: str
    hooks: tuple[str, ...]
    title: str
    description: str
    prefetch: dict[str, str]
    required: frozenset[str]
    usage: str


def _any_of(codes: FhirCodes, *roles: str) -> str:
    # token search with equality on several codes (comma = OR): inside the spec's recommended prefetch subset
    return ",".join(f"{system}|{code}" for role in roles for system, code in codes.codings_for(role))


def build_services(codes: FhirCodes) -> dict[str, CdsService]:
    medications = {
        "medicationRequests": f"MedicationRequest?patient={PATIENT}&status=active",
        "medicationStatements": f"MedicationStatement?patient={PATIENT}&status=active",
    }
    options = CdsService(
        id=OPTIONS_ID,
        hooks=("patient-view",),
        title="TKI treatment options",
        description="Evidence-linked tyrosine kinase inhibitor treatment options for the patient's cancer, the regimens "
        "excluded for a clinical reason, and label interactions with the patient's active medicines, each with its "
        "evidence level, citations and why it matched. Read from mCODE cancer conditions, Genomics Reporting variant "
        "Observations, PD-L1, stage group, ECOG, MSI / TMB / HER2 / ER / PR, QTc, creatinine clearance and blood count (platelets, haemoglobin) "
        "Observations and RxNorm-coded medicines.",
        prefetch={
            "patient": f"Patient/{PATIENT}",
            "conditions": f"Condition?patient={PATIENT}",
            "variants": f"Observation?patient={PATIENT}&code={_any_of(codes, 'variant', 'diagnostic_implication')}",
            "pdl1": f"Observation?patient={PATIENT}&code={_any_of(codes, 'pd_l1')}",
            "staging": f"Observation?patient={PATIENT}&code={_any_of(codes, 'stage_group')}",
            "bloodCounts": f"Observation?patient={PATIENT}&code={_any_of(codes, 'platelets', 'haemoglobin')}",
            "performanceStatus": f"Observation?patient={PATIENT}&code={_any_of(codes, 'ecog', 'karnofsky')}",
            "tumorMarkers": f"Observation?patient={PATIENT}&code={_any_of(codes, 'msi', 'tmb', 'her2', 'er', 'pr')}",
            "qtc": f"Observation?patient={PATIENT}&code={_any_of(codes, 'qtc')}",
            "renalFunction": f"Observation?patient={PATIENT}&code={_any_of(codes, 'creatinine_clearance')}",
            **medications,
            "medicationAdministrations": f"MedicationAdministration?patient={PATIENT}&status=in-progress",
        },
        required=frozenset({"conditions", "variants", "medicationRequests"}),
        usage="Needs prefetch of conditions, variants and medicationRequests, or fhirServer with fhirAuthorization.",
    )
    interactions = CdsService(
        id=INTERACTIONS_ID,
        hooks=("order-select", "order-sign"),
        title="TKI order interaction check",
        description="When a tyrosine kinase inhibitor is drafted or signed, what its prescribing information says about "
        "the patient's active medicines (acid reducers, CYP3A4 inducers and inhibitors) and the other draft orders, "
        "with the label's management advice and citation.",
        prefetch=dict(medications),
        required=frozenset({"medicationRequests"}),
        usage="Needs prefetch of medicationRequests, or fhirServer with fhirAuthorization. Reads MedicationRequest draft orders.",
    )
    return {service.id: service for service in (options, interactions)}


def discovery(services: dict[str, CdsService]) -> list[ServiceDescription]:
    return [
        ServiceDescription(
            hook=hook, title=s.title, description=s.description, id=s.id, prefetch=s.prefetch, usageRequirements=s.usage
        )
        for s in services.values()
        for hook in s.hooks
    ]
