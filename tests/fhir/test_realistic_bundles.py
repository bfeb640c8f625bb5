"""Bundles shaped like real EHR and mCODE / Genomics Reporting output: every entry comes back with how it was read or
why it was not used, status values are honoured, and the CDS Hooks door answers each without a server error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.cdshooks.hooks import profile_input
from service.engine.recommend import recommend_for
from service.fhir.codes import fhir_codes
from service.fhir.profile import FhirReading, read_record
from service.fhir.resources import Record, entries_in
from tests.cdshooks.conftest import cds  # noqa: F401  (the CDS client that walks every response for empty values)
from tests.cdshooks.support import prefetch_of
from tests.fhir.bundles import PID, Case, bundle_of, cases

CASES = cases()
OPTIONS = "/cds-services/tki-treatment-options"


def read_case(case: Case) -> FhirReading:
    record = Record()
    for resource, full_url in entries_in(bundle_of(case), "bundle") or []:
        record.add(resource, full_url)
    return read_record(fhir_codes(), record)


def accounted(reading: FhirReading) -> dict[str, str]:
    """Each resource the reading names -> every line it has, read or not used."""
    lines: dict[str, str] = {}
    for line in reading.read:
        ref = line.split(":", 1)[0].removesuffix(" stage")
        lines[ref] = lines.get(ref, "") + " | " + line
    for item in reading.not_mapped:
        lines[item.resource] = lines.get(item.resource, "") + " | " + item.reason
    return lines


def test_there_are_at_least_forty_bundles_with_distinct_names():
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_entry_is_read_back_or_reported_with_its_reason(case: Case):
    lines = accounted(read_case(case))
    for resource in case.resources:
        if resource["resourceType"] == "Medication":
            continue  # a Medication is read through the order that references it
        ref = f"{resource['resourceType']}/{resource['id']}"
        assert ref in lines, f"{ref} was dropped without a word"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_reading_sends_what_the_record_says(case: Case):
    reading = read_case(case)
    lines = accounted(reading)
    for name, value in case.profile.items():
        assert reading.profile.get(name) == value, name
    for name in case.absent:
        assert name not in reading.profile, name
    for ref, words in {**case.not_used, **case.read}.items():
        assert words.lower() in lines.get(ref, "").lower(), (ref, lines.get(ref))
    for ref in case.not_used:
        assert any(n.resource == ref for n in reading.not_mapped), ref


@pytest.mark.parametrize("case", [c for c in CASES if c.never_detected], ids=lambda c: c.name)
def test_a_result_that_is_not_final_and_present_is_never_a_detected_alteration(kb, case: Case):
    reading = read_case(case)
    answer = recommend_for(kb, profile_input(reading))
    detected = {m.gene for m in answer.profile.mutations if m.result == "detected"}
    assert not detected & set(case.never_detected)


def _patient_view(case: Case) -> dict[str, Any]:
    return {"hook": "patient-view", "hookInstance": "5b1e8a0c-3c8f-4b8e-9c55-0d6f7d1b2a41",
            "context": {"userId": "Practitioner/onc-1", "patientId": PID}, "prefetch": prefetch_of(bundle_of(case)["entry"])}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_patient_view_answers_every_bundle_and_names_every_resource_it_was_sent(cds, case: Case):
    body = _patient_view(case)
    response = cds.post(OPTIONS, json=body)
    assert response.status_code == 200, response.text
    text = " ".join(c.get("detail", "") for c in response.json()["cards"]).replace("\\", "")  # Markdown escapes
    sent = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for v in body["prefetch"].values() if v.get("resourceType") == "Bundle"
            for e in v.get("entry", []) if e["resource"]["resourceType"] != "Medication"}  # fmt: skip
    for ref in sorted(sent):
        assert ref in text, f"{ref} was sent but the answer does not say how it was read"


# golden profiles whose pinned answers are the FHIR door's: the reading must give exactly that profile
FHIR_GOLDENS = {
    "fhir-mcode-nsclc-egfr-l858r-stage-iiic-ecog-1": "mcode-stu3-nsclc-with-histology-extension-and-stage-group",
    "fhir-luad-eml4-alk-fusion-as-two-genes": "fusion-as-two-genes-studied-with-a-rearrangement",
    "fhir-luad-ros1-fusion-by-variation-code": "ros1-fusion-named-only-by-its-variation-code",
    "fhir-luad-met-exon-14-by-variation-code": "met-exon-14-by-variation-code-words",
    "fhir-colorectal-msi-h-tmb-her2-negative": "msi-tmb-and-her2-as-tumour-markers",
    "fhir-cml-qtc-478-ms": "qtc-in-milliseconds-and-seconds",
    "unsafe-fhir-luad-egfr-l858r-preliminary": "preliminary-variant-is-pending",
    "unsafe-fhir-luad-eml4-alk-absent": "absent-fusion-is-sent-as-not-detected",
}


@pytest.mark.parametrize("golden", sorted(FHIR_GOLDENS))
def test_the_fhir_golden_profiles_are_what_the_reader_gives(golden: str):
    profiles = json.loads((Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8"))
    case = next(c for c in CASES if c.name == FHIR_GOLDENS[golden])
    assert profile_input(read_case(case)).model_dump(mode="json", exclude_unset=True) == profiles[golden]
