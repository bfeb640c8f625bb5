"""Creatinine clearance sent as a FHIR Observation (LOINC 2164-2) reaches the renal rules, as it does from JSON: a
urothelial cancer patient at 42 mL/min is not offered cisplatin through CDS Hooks."""

from __future__ import annotations

from typing import Any

from schemas.requests import PatientProfileInput
from service.cdshooks.hooks import profile_input
from service.engine.recommend import recommend_for
from service.fhir.codes import fhir_codes
from service.fhir.profile import FhirReading, read_record
from service.fhir.resources import Record, entries_in
from tests.fhir.bundles import LOINC, SCT, Case, bundle_of, cc, condition, observation, patient, quantity, stage_group

CRCL = cc(LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma")
BLADDER = condition("cancer", [(SCT, "399326009", "Malignant tumor of urinary bladder (disorder)")], text="urothelial carcinoma")


def read(resources: list[dict[str, Any]]) -> FhirReading:
    record = Record()
    for resource, full_url in entries_in(bundle_of(Case("renal", resources)), "bundle") or []:
        record.add(resource, full_url)
    return read_record(fhir_codes(), record)


def cisplatin_options(answer: Any) -> set[str]:
    return {o.id for o in answer.options if "cisplatin" in o.drugs}


def test_a_creatinine_clearance_observation_keeps_cisplatin_out_as_the_json_route_does(kb):
    stage = stage_group("stage", cc(SCT, "1228923003", "American Joint Committee on Cancer stage IV (qualifier value)"))
    low = read([patient(), BLADDER, stage, observation("crcl", CRCL, **quantity(42, "mL/min"))])
    normal = read([patient(), BLADDER, stage, observation("crcl", CRCL, **quantity(85, "mL/min"))])
    assert low.profile["organ_function"] == {"creatinine_clearance_ml_min": 42.0}
    assert any("sent as organ_function.creatinine_clearance_ml_min" in line for line in low.read)
    at_42 = recommend_for(kb, profile_input(low))
    at_85 = recommend_for(kb, profile_input(normal))
    assert cisplatin_options(at_85), "the renal check needs a cisplatin option to keep out"
    assert not cisplatin_options(at_42)
    as_json = PatientProfileInput.model_validate({**profile_input(low).model_dump(exclude_none=True)})
    assert [o.id for o in recommend_for(kb, as_json).options] == [o.id for o in at_42.options]


def test_urothelial_carcinoma_not_placed_in_bladder_or_upper_tract_meets_the_urothelial_cisplatin_rule(kb):
    answer = recommend_for(kb, PatientProfileInput.model_validate(
        {"cancer_type": "urothelial carcinoma", "stage": "IV", "organ_function": {"creatinine_clearance_ml_min": 42}}))
    assert not cisplatin_options(answer)
    assert any("Galsky" in (g.reason or "") or "cisplatin" in (g.reason or "") for g in answer.exclusion_groups)
