"""Red-team findings of session 7 on the FHIR front door: a brain metastasis recorded as a secondary cancer, a del(17p)
result recorded as a Genomics Reporting cytogenomic Variant, and tumour-marker values that repeat the marker's name or
give the method, each read as the JSON route reads the same patient."""

from __future__ import annotations

from typing import Any

from service.cdshooks.hooks import profile_input
from service.engine.recommend import recommend_for
from service.fhir.codes import fhir_codes
from service.fhir.profile import FhirReading, read_record
from service.fhir.resources import Record, entries_in
from tests.fhir.bundles import LOINC, SCT, Case, bundle_of, cc, component, condition, egfr_l858r, observation, patient, secondary, variant


def read(resources: list[dict[str, Any]]) -> FhirReading:
    record = Record()
    for resource, full_url in entries_in(bundle_of(Case("redteam", resources)), "bundle") or []:
        record.add(resource, full_url)
    return read_record(fhir_codes(), record)


LUAD = condition("cancer", [(SCT, "254626006", "Adenocarcinoma of lung (disorder)")])


def test_a_secondary_cancer_of_the_brain_is_brain_metastases_present(kb):
    reading = read([patient(), LUAD, egfr_l858r(), secondary("brain", "Secondary malignant neoplasm of brain")])
    assert reading.profile["brain_metastases"] == "present"
    assert any(line.startswith("Condition/brain") and "brain metastases" in line for line in reading.read)
    # the JSON route gives the same options for the same patient
    fhir = recommend_for(kb, profile_input(reading))
    json_profile = {"cancer_type": "LUAD", "stage": "metastatic", "brain_metastases": "present",
                    "mutations": [{"gene": "EGFR", "alteration": "p.Leu858Arg"}]}  # fmt: skip
    from schemas.requests import PatientProfileInput

    assert [o.id for o in fhir.options] == [o.id for o in recommend_for(kb, PatientProfileInput.model_validate(json_profile)).options]


def test_a_secondary_cancer_elsewhere_leaves_brain_metastases_unsaid():
    reading = read([patient(), LUAD, egfr_l858r(), secondary("bone", "Secondary malignant neoplasm of bone")])
    assert "brain_metastases" not in reading.profile


def cytogenetics(rid: str, iscn: str, presence: str) -> dict[str, Any]:
    resource = variant(rid, [component("81291-7", "Cytogenomic Nomenclature (ISCN)", {"text": iscn})], presence=presence)
    return resource


def test_a_del17p_variant_is_the_del17p_biomarker_and_opens_the_regimen_that_needs_it_absent(kb):
    cll = condition("cancer", [], text="Chronic lymphocytic leukaemia")
    tp53 = variant("tp53", [component("48018-6", "Gene studied [ID]", cc("http://www.genenames.org/geneId", None, "TP53"))], presence="Absent")
    reading = read([patient(), cll, cytogenetics("del17p", "del(17)(p13.1)", "Absent"), tp53])
    assert reading.profile["biomarkers"] == [{"name": "del(17)(p13.1)", "status": "not detected"}]
    answer = recommend_for(kb, profile_input(reading))
    assert any(b.name == "del(17p)" and b.value == "not detected" for b in answer.profile.biomarkers)
    assert "acalabrutinib-venetoclax-cll" in {o.id for o in answer.options}


def test_a_translocation_in_iscn_stays_with_the_variant_reader():
    reading = read([patient(), LUAD, cytogenetics("t922", "t(9;22)(q34;q11)", "Present")])
    assert "biomarkers" not in reading.profile


def test_a_marker_value_that_repeats_the_marker_name_or_gives_the_method_is_read(kb):
    her2 = observation("her2", cc(LOINC, "48676-1", "HER2 [Interpretation] in Tissue"), valueCodeableConcept={"text": "HER2 3+"})
    msi = observation("msi", cc(LOINC, "81695-9", "Microsatellite instability"), valueCodeableConcept={"text": "MSI-H by PCR"})
    stomach = condition("cancer", [], text="gastric adenocarcinoma", stage=[{"summary": {"text": "IV"}}])
    answer = recommend_for(kb, profile_input(read([patient(), stomach, her2, msi])))
    read_as = {b.name: b.value for b in answer.profile.biomarkers if b.status == "recognised"}
    assert read_as == {"HER2": "positive", "MSI": "high"}
