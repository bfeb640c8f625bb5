"""Hormone receptors and other biomarkers sent as FHIR Observations reach the profile as the JSON route reads them:
ER and PR by their mCODE tumour-marker LOINC codes, a locally coded Observation named only by a biomarker's name by
its value, and a result that is not yet final as pending."""

from __future__ import annotations

from typing import Any

from schemas.requests import PatientProfileInput
from service.cdshooks.hooks import profile_input
from service.engine.recommend import recommend_for
from service.fhir.codes import fhir_codes
from service.fhir.profile import FhirReading, read_record
from service.fhir.resources import Record, entries_in
from tests.engine.answers import offered_ids
from tests.fhir.bundles import LOINC, Case, bundle_of, cc, condition, observation, patient

BREAST = condition("cancer", [], text="breast cancer", stage=[{"summary": {"text": "IV"}}])
ENDOCRINE = {"ribociclib-letrozole-breast", "palbociclib-letrozole-breast"}


def read(resources: list[dict[str, Any]]) -> FhirReading:
    record = Record()
    for resource, full_url in entries_in(bundle_of(Case("markers", resources)), "bundle") or []:
        record.add(resource, full_url)
    return read_record(fhir_codes(), record)


def receptors(er: str, pr: str, her2: str, **extra: Any) -> list[dict[str, Any]]:
    return [
        observation("er", cc(LOINC, "85337-4", "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain"),
                    valueCodeableConcept={"text": er}, **extra),
        observation("pr", cc(LOINC, "16113-3", "Progesterone receptor [Interpretation] in Tissue"), valueCodeableConcept={"text": pr}),
        observation("her2", cc(LOINC, "48676-1", "HER2 [Interpretation] in Tissue"), valueCodeableConcept={"text": her2}),
    ]  # fmt: skip


def test_er_and_pr_by_loinc_open_the_endocrine_options_as_the_json_route_does(kb):
    reading = read([patient(), BREAST, *receptors("Positive", "Negative", "Negative")])
    assert {"name": "ER", "status": "Positive"} in reading.profile["biomarkers"]
    answer = recommend_for(kb, profile_input(reading))
    assert ENDOCRINE <= offered_ids(answer)
    as_json = PatientProfileInput.model_validate(
        {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["ER positive", "PR negative", "HER2 negative"]})
    assert [o.id for o in answer.options] == [o.id for o in recommend_for(kb, as_json).options]


def test_er_negative_by_loinc_does_not_open_them(kb):
    answer = recommend_for(kb, profile_input(read([patient(), BREAST, *receptors("Negative", "Negative", "Negative")])))
    assert not ENDOCRINE & offered_ids(answer)


def test_a_preliminary_er_result_is_pending_and_opens_nothing(kb):
    reading = read([patient(), BREAST, *receptors("Positive", "Negative", "Negative", status="preliminary")])
    assert {"name": "ER", "status": "pending"} in reading.profile["biomarkers"]
    assert not ENDOCRINE & offered_ids(recommend_for(kb, profile_input(reading)))


def test_a_local_code_named_only_by_a_biomarker_is_read_by_its_value(kb):
    local = "http://ehr.example.org/lab"
    hcc = condition("cancer", [], text="hepatocellular carcinoma", stage=[{"summary": {"text": "BCLC C"}}])
    child_pugh = observation("cp", cc(local, "cp", "Child-Pugh class"), valueString="B7")
    reading = read([patient(), hcc, child_pugh])
    assert reading.profile["biomarkers"] == [{"name": "Child-Pugh class", "status": "B7"}]
    fhir = recommend_for(kb, profile_input(reading))
    as_json = recommend_for(kb, PatientProfileInput.model_validate(
        {"cancer_type": "HCC", "stage": "BCLC C", "biomarkers": ["Child-Pugh B7"]}))
    assert [o.id for o in fhir.options] == [o.id for o in as_json.options]
    assert "atezolizumab-bevacizumab" not in offered_ids(fhir)


def test_a_local_code_with_other_words_is_listed_as_not_read():
    local = "http://ehr.example.org/lab"
    reading = read([patient(), BREAST, observation("ki67", cc(local, "ki67", "Ki-67 proliferation index"), valueString="20%")])
    assert "biomarkers" not in reading.profile
    assert any(n.resource == "Observation/ki67" and "does not read" in n.reason for n in reading.not_mapped)


def test_an_mmr_result_sent_under_the_msi_code_is_read_as_the_mmr_result_it_states(kb):
    crc = condition("cancer", [], text="colorectal adenocarcinoma", stage=[{"summary": {"text": "IV"}}])
    msi_code = cc(LOINC, "81695-9", "Microsatellite instability [Interpretation] in Cancer specimen Qualitative")
    reading = read([patient(), crc, observation("mmr", msi_code, valueCodeableConcept={"text": "MMR deficient (loss of MLH1/PMS2)"})])
    answer = recommend_for(kb, profile_input(reading))
    [marker] = answer.profile.biomarkers
    assert marker.status == "recognised" and marker.name == "MMR" and "sent as MSI" in marker.read_as
    assert "pembrolizumab-crc-msi-high" in offered_ids(answer)
