"""A patient's FHIR record (mCODE, Genomics Reporting, RxNorm) read into the `PatientProfileInput` the JSON API takes.

Every resource comes back in one of two lists: `read` (what it became) or `not_mapped` (why it was not used).
"""

from __future__ import annotations

from typing import Any

from service.fhir.codes import FhirCodes
from service.fhir.conditions import ConditionReader, stage_words
from service.fhir.medicines import MedicationReader, medicine_key, medicine_label, rxnorm_ingredients
from service.fhir.observations import ObservationReader
from service.fhir.reading import FhirReading, NotMapped, concept_text, ref_of

__all__ = ["FhirReader", "FhirReading", "NotMapped", "concept_text", "medicine_key", "medicine_label", "read_record",
           "rxnorm_ingredients", "stage_words"]  # fmt: skip


class FhirReader(ConditionReader, ObservationReader, MedicationReader):
    """Reads one patient's resources into the profile input, with the account of every resource (one reader per kind)."""


def read_record(codes: FhirCodes, record: Any) -> FhirReading:
    reader = FhirReader(codes, record.medications, record.urls)
    for patient in record.patient:
        reader.out.read.append(f"{ref_of(patient)}: the patient (demographics are not used)")
    reader.read_conditions(record.conditions)
    reader.read_observations(record.observations)
    reader.read_medications(record.medication_requests, record.medication_statements, record.medication_administrations)
    for ref in record.other:
        kind = ref.split("/", 1)[0]
        why = "a report: its results are read from the Observations it references, when those are sent" if kind == "DiagnosticReport" else ""
        reader.out.not_mapped.append(NotMapped(ref, kind, why or "a resource type this service does not read"))
    return reader.out
