"""FHIR R4 -> profile input: mCODE conditions, Genomics Reporting variants, PD-L1, stage, RxNorm medicines."""

from __future__ import annotations

from typing import Any

import pytest

from service.fhir.codes import fhir_codes
from service.fhir.profile import FhirReading, read_record, rxnorm_ingredients
from service.fhir.resources import FhirInputError, Record, parse_resource, resources_in
from tests.fixtures.fhir import make_fixtures as fx

PID = "p1"


def read(*resources: dict[str, Any]) -> FhirReading:
    record = Record()
    for resource in resources:
        record.add(parse_resource(resource, "test"))
    return read_record(fhir_codes(), record)


def reasons(reading: FhirReading) -> list[str]:
    return [n.reason for n in reading.not_mapped]


# ---- cancer conditions ---------------------------------------------------------------------------------------------
def test_snomed_is_read_before_a_site_only_icd10_code():
    reading = read(fx.primary(PID, "c", [(fx.ICD, "C34.01", "x"), (fx.SCT, "254626006", "Adenocarcinoma of lung (disorder)")]))
    assert reading.profile["cancer_type"] == "LUAD"


def test_a_site_only_icd10_code_maps_to_the_organ_not_a_histology():
    reading = read(fx.primary(PID, "c", [(fx.ICD, "C34.01", "Malignant neoplasm of right main bronchus")]))
    assert reading.profile["cancer_type"] == "LUNG"
    assert "site only" in reading.read[0]


def test_an_icd10_category_prefix_maps_its_leaf_codes():
    assert read(fx.primary(PID, "c", [(fx.ICD, "C49.A2", "GIST of stomach")])).profile["cancer_type"] == "GIST"
    assert read(fx.primary(PID, "c", [(fx.ICD, "C92.10", "CML")])).profile["cancer_type"] == "CML"


def test_an_uncurated_code_sends_the_condition_words_for_the_engine_to_read():
    condition = fx.primary(PID, "c", [(fx.SCT, "000000", "Some tumour")])
    condition["code"]["text"] = "clear cell renal cell carcinoma"
    assert read(condition).profile["cancer_type"] == "clear cell renal cell carcinoma"


def test_two_different_primary_cancers_are_reported_not_chosen():
    reading = read(fx.primary(PID, "a", [(fx.SCT, "254626006", "LUAD")]), fx.primary(PID, "b", [(fx.ICD, "C22.0", "HCC")]))
    assert "cancer_type" not in reading.profile
    assert sum("more than one current primary cancer" in r for r in reasons(reading)) == 2


def test_a_refuted_or_resolved_cancer_is_not_the_current_cancer():
    refuted = fx.primary(PID, "a", [(fx.ICD, "C22.0", "HCC")])
    refuted["verificationStatus"]["coding"][0]["code"] = "refuted"
    resolved = fx.primary(PID, "b", [(fx.ICD, "C73", "thyroid")])
    resolved["clinicalStatus"] = fx.clinical("resolved")
    reading = read(refuted, resolved)
    assert "cancer_type" not in reading.profile and len(reading.not_mapped) == 2


def test_a_secondary_cancer_condition_reads_as_metastatic_when_no_stage_group_is_given():
    reading = read(fx.primary(PID, "c", [(fx.ICD, "C22.0", "HCC")]), fx.secondary(PID, "m", "Metastasis to lung"))
    assert reading.profile["stage"] == "metastatic"


def test_the_most_recent_stage_group_observation_wins_over_condition_stage():
    older = fx.stage_group(PID, "s1", "IIIA")
    older["effectiveDateTime"] = "2025-01-01"
    reading = read(fx.primary(PID, "c", [(fx.ICD, "C22.0", "HCC")], stage="II"), older, fx.stage_group(PID, "s2", "IVA"))
    assert reading.profile["stage"] == "IVA"
    assert "an earlier stage group than the one used" in reasons(reading)


def test_comorbidities_become_coded_conditions_with_clinical_status():
    past = fx.comorbidity(PID, "h", fx.ICD, "K74.60", "Unspecified cirrhosis of liver")
    past["clinicalStatus"] = fx.clinical("remission")
    reading = read(fx.comorbidity(PID, "m", fx.SCT, "91637004", "Myasthenia gravis (disorder)"), past)
    assert reading.profile["conditions"] == [
        {"clinical_status": "active", "code": "91637004", "system": fx.SCT},
        {"clinical_status": "remission", "code": "K74.60", "system": fx.ICD},
    ]


# ---- Genomics Reporting variants -----------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["2.0", "3.0"])
def test_variants_in_both_genomics_reporting_component_styles(style):
    reading = read(fx.variant(PID, "v", "EGFR", "Present", protein="NP_005219.2:p.Leu858Arg", style=style))
    assert reading.profile["mutations"] == [{"gene": "EGFR", "status": "detected", "alteration": "p.Leu858Arg"}]


@pytest.mark.parametrize("presence, status", [("Absent", "not detected"), ("Indeterminate", "equivocal"), ("No call", "not tested")])
def test_absent_no_call_and_indeterminate_are_never_positive(presence, status):
    [mutation] = read(fx.variant(PID, "v", "EGFR", presence, protein="p.Thr790Met")).profile["mutations"]
    assert mutation["status"] == status


def test_a_variant_without_a_presence_value_is_reported_not_read_as_positive():
    observation = fx.variant(PID, "v", "EGFR", "Present", protein="p.Thr790Met")
    del observation["valueCodeableConcept"]
    reading = read(observation)
    assert "mutations" not in reading.profile
    assert "not read as a result" in reasons(reading)[0]


def test_c_hgvs_with_its_transcript_is_sent_when_no_protein_change_is_given():
    observation = fx.variant(PID, "v", "EGFR", "Present", dna="c.2573T>G")
    observation["component"].append({"code": fx.cc(fx.LOINC, "51958-7"), "valueCodeableConcept": fx.cc("http://www.ncbi.nlm.nih.gov/refseq", "NM_005228.5")})
    assert read(observation).profile["mutations"][0]["alteration"] == "NM_005228.5:c.2573T>G"


def test_a_predicted_protein_change_in_parentheses_is_read_as_the_change_it_names():
    assert read(fx.variant(PID, "v", "KIT", "Present", protein="p.(Val560Asp)")).profile["mutations"][0]["alteration"] == "p.Val560Asp"


def test_a_preliminary_registered_result_is_pending():
    observation = fx.variant(PID, "v", "EGFR", "Present", protein="p.Thr790Met")
    observation["status"] = "registered"
    assert read(observation).profile["mutations"][0]["status"] == "pending"


def test_a_variant_naming_two_genes_is_reported():
    observation = fx.variant(PID, "v", "EML4", "Present")
    observation["component"].append(observation["component"][0] | {"valueCodeableConcept": fx.cc(fx.HGNC, None, "ALK")})
    assert "several genes" in reasons(read(observation))[0]


# ---- PD-L1 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method, system", [("Tumor proportion score", "tps"), ("CPS (combined positive score)", "cps")])
def test_pd_l1_score_with_its_scoring_method(method, system):
    assert read(fx.pd_l1(PID, "p", 55, method)).profile["pd_l1"] == {system: 55.0}


def test_pd_l1_without_a_scoring_method_is_reported_as_scoring_method_unknown():
    reading = read(fx.pd_l1(PID, "p", 55, None))
    assert "pd_l1" not in reading.profile
    assert reasons(reading) == ["scoring method unknown (TPS, CPS or IC not stated): not used"]


# ---- medicines -----------------------------------------------------------------------------------------------------
def test_platelets_and_haemoglobin_are_read_in_the_profile_units_most_recent_first():
    reading = read(
        fx.blood_count(PID, "plt-old", "777-3", 180, "10*3/uL", when="2026-09-01"),
        fx.blood_count(PID, "plt", "777-3", 45, "10*9/L"),
        fx.blood_count(PID, "hb", "718-7", 86, "g/L"),
    )
    assert reading.profile["blood_counts"] == {"platelets": 45.0, "haemoglobin": 8.6}
    assert "an earlier result than the one used" in reasons(reading)


def test_a_blood_count_in_an_unconverted_unit_is_reported_not_used():
    reading = read(fx.blood_count(PID, "hb", "718-7", 5.4, "mmol/L"))
    assert "blood_counts" not in reading.profile
    assert "a unit this service does not convert: not used" in reasons(reading)


def test_rxnorm_clinical_drug_names_give_their_ingredients():
    assert rxnorm_ingredients("omeprazole 20 MG Delayed Release Oral Capsule") == ["omeprazole"]
    assert rxnorm_ingredients("amlodipine 5 MG / benazepril hydrochloride 10 MG Oral Capsule") == ["amlodipine", "benazepril hydrochloride"]
    assert rxnorm_ingredients("esomeprazole 20 MG Delayed Release Oral Capsule [Nexium]") == ["esomeprazole"]
    assert rxnorm_ingredients("dasatinib") == ["dasatinib"]


def test_medication_reference_resolves_against_prefetched_medication():
    request = {"resourceType": "MedicationRequest", "id": "r", "status": "active", "intent": "order",
               "medicationReference": {"reference": "Medication/m1"}, "subject": {"reference": "Patient/p1"}}  # fmt: skip
    medication = {"resourceType": "Medication", "id": "m1", "code": fx.cc(fx.RXNORM, None, "rifampin 300 MG Oral Capsule")}
    assert read(request, medication).profile["current_medications"] == ["rifampin"]
    unresolved = read(request)
    assert "current_medications" not in unresolved.profile and "not resolvable" in reasons(unresolved)[0]


def test_stopped_medicines_are_reported_not_checked():
    reading = read(fx.med_request(PID, "m", "omeprazole 20 MG Delayed Release Oral Capsule", status="stopped"))
    assert "current_medications" not in reading.profile and "not a current medicine" in reasons(reading)[0]


def test_unread_resource_types_and_codes_are_reported():
    other = {"resourceType": "Observation", "id": "o", "status": "final", "code": fx.cc(fx.LOINC, "2160-0", "Creatinine")}
    assert reasons(read(other)) == ["an observation code this service does not read"]


# ---- parsing -------------------------------------------------------------------------------------------------------
def test_invalid_fhir_names_the_element_and_never_the_value():
    with pytest.raises(FhirInputError) as error:
        resources_in({"resourceType": "Condition", "code": {"text": 123}, "subject": "PATIENT-SECRET"}, "prefetch.conditions")
    assert "PATIENT-SECRET" not in str(error.value) and "prefetch.conditions" in str(error.value)


def test_operation_outcome_and_null_prefetch_count_as_missing():
    assert resources_in(None, "x") is None
    assert resources_in({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "forbidden"}]}, "x") is None


def test_an_rxnorm_code_travels_with_its_ingredient_and_alone_when_there_is_no_display():
    coded = fx.med_request(PID, "w", "warfarin sodium 5 MG Oral Tablet")
    coded["medicationCodeableConcept"]["coding"][0]["code"] = "999999999"  # an arbitrary code: only that it travels is tested
    assert read(coded).profile["current_medications"] == [{"name": "warfarin sodium", "rxcui": "999999999"}]
    code_only = fx.med_request(PID, "w", "x")
    code_only["medicationCodeableConcept"] = {"coding": [{"system": fx.RXNORM, "code": "11289"}]}
    assert read(code_only).profile["current_medications"] == [{"rxcui": "11289"}]


@pytest.mark.parametrize(
    ("code", "drug"),
    [("11289", "warfarin"), ("312961", "simvastatin")],  # an ingredient, and a clinical drug (simvastatin 20 MG Oral Tablet)
)
def test_an_rxcui_only_medicine_is_read_by_the_engine_through_the_catalogue(client, code, drug):
    from tests.cdshooks.support import patient_view, searchset

    body = patient_view("rcc-clear-cell-on-carbamazepine")
    body["prefetch"]["medicationStatements"] = searchset([{
        "resourceType": "MedicationStatement", "id": "w", "status": "active", "subject": {"reference": "Patient/rcc-1"},
        "medicationCodeableConcept": {"coding": [{"system": fx.RXNORM, "code": code}]}}])  # fmt: skip
    detail = client.post("/cds-services/tki-treatment-options", json=body).json()["cards"][-1]["detail"]
    assert f"rxcui:{code}: recognised, read as {drug}" in detail.replace("\\", "")
