"""Every misreading the input issue found, now read right, through the engine as a caller would send it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("words", ["EGFR T790M pending", "no EGFR T790M", "T790M neg", "EGFR T790M equivocal", "T790M?", "EGFR T790M VUS"])
def test_an_unresolved_or_negative_t790m_is_not_a_detected_one(recommend, words):
    answer = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR L858R", words], prior_therapies=["erlotinib (progression)"])
    t790m = [m for m in answer.profile.mutations if m.normalised == "EGFR T790M"]
    assert t790m and t790m[0].result != "detected" and t790m[0].read_as
    # erlotinib is not excluded "because of T790M", and osimertinib is not matched on a T790M requirement
    assert not any("T790M" in reason.detail for item in answer.not_recommended for reason in item.reasons)
    assert not any(c.criterion == "alteration" and "T790M" in c.finding and c.result == "met" for o in answer.options for c in o.rationale)


def test_a_vus_alone_is_not_recognised_and_the_answer_is_provisional(recommend):
    answer = recommend(cancer_type="NSCLC", stage="IV", mutations=["VUS"], prior_therapies=[])
    assert answer.profile.mutations[0].status == "not_recognised"
    assert answer.provisional and answer.provisional_reasons


def test_t315i_without_its_gene_in_cml_is_bcr_abl1_and_ranks_the_active_drugs(recommend):
    answer = recommend(cancer_type="CML", stage="chronic phase", mutations=["T315I"], prior_therapies=["imatinib (failure)"])
    reading = answer.profile.mutations[0]
    assert reading.normalised == "BCR::ABL1 T315I" and reading.gene_inferred and "inferred" in (reading.read_as or "")
    ranked = [o.id for o in answer.options]
    assert ranked and ranked[0] in {"asciminib-cml", "ponatinib-cml"}
    assert not {"bosutinib-cml", "dasatinib-cml", "nilotinib-cml", "imatinib-cml"} & set(ranked)


def test_c797s_in_cis_with_t790m_is_kept_as_allelic_context(kb, recommend):
    answer = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR C797S in cis with T790M"], prior_therapies=["osimertinib (progression)"])
    c797s = next(m for m in answer.profile.mutations if m.normalised == "EGFR C797S")
    assert [(c.relation, c.variant) for c in c797s.allelic_context] == [("cis", "EGFR T790M")]
    assert any(m.normalised == "EGFR T790M" and m.result == "detected" for m in answer.profile.mutations)


@pytest.mark.parametrize("words", ["KIT exon 11 p.V560D", "KIT V560D"])
def test_kit_v560d_is_the_exon_11_mutation_imatinib_asks_for(recommend, words):
    answer = recommend(cancer_type="GIST", stage="metastatic", mutations=[words], prior_therapies=[])
    assert answer.profile.mutations[0].normalised == "KIT exon 11 mutation"
    assert "imatinib-gist" in [o.id for o in answer.options]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("non-small cell lung cancer, adenocarcinoma", "LUAD"),
        ("renal cell carcinoma, clear cell", "CCRCC"),
        ("B-cell acute lymphoblastic leukemia, Philadelphia-positive", "BLLBCRABL1"),
    ],
)
def test_clinician_cancer_types_are_answered_not_refused(client, text, code):
    response = client.post("/v1/recommendations", json={"cancer_type": text, "prior_therapies": []})
    assert response.status_code == 200
    assert response.json()["profile"]["cancer_type"]["code"] == code


@pytest.mark.parametrize("text", ["uveal melanoma", "ovarian cancer"])
def test_a_real_type_outside_the_knowledge_is_200_and_says_not_covered(client, text):
    response = client.post("/v1/recommendations", json={"cancer_type": text, "prior_therapies": []})
    assert response.status_code == 200
    body = response.json()
    assert body["options"] == [] and body["coverage"]["covered"] is False
    assert "does not cover" in body["coverage"]["statement"]


def test_prior_lines_from_an_oncology_record_are_accepted(client):
    response = client.post(
        "/v1/recommendations",
        json={
            "cancer_type": "CML",
            "stage": "chronic phase",
            "prior_therapies": [
                {"drugs": ["imatinib"], "line": 1, "outcome": "failure"},
                {"drugs": ["dasatinib"], "line": 2, "outcome": "refractory"},
                {"drugs": ["nilotinib"], "line": 3, "outcome": "relapse", "ongoing": False},
            ],
        },
    )
    assert response.status_code == 200
    lines = response.json()["profile"]["prior_therapies"]
    assert [line["outcome"] for line in lines] == ["progression"] * 3
    assert [line["outcome_reading"]["input"] for line in lines] == ["failure", "refractory", "relapse"]


def test_the_rest_of_the_patient_can_be_said(recommend):
    answer = recommend(
        cancer_type="HCC",
        stage="BCLC C, Child-Pugh A5",
        ecog=2,
        conditions=["active autoimmune disease", "liver transplant recipient", "interstitial lung disease", "QTc 510 ms"],
        brain_metastases="active",
        prior_therapies=[],
    )
    patient = answer.profile.patient
    assert patient is not None and patient.ecog == 2 and patient.brain_metastases == "active" and patient.qtc_ms == 510
    assert {c.normalised for c in patient.conditions} == {"autoimmune_disease", "liver_transplant", "interstitial_lung_disease", "qtc_prolongation"}
    assert patient.child_pugh == "A5"


def test_contradictions_are_flagged_not_resolved(recommend):
    answer = recommend(cancer_type="NSCLC", mutations=["EGFR L858R", "EGFR L858R not detected"], prior_therapies=[], current_medications=["osimertinib 80 mg"])
    codes = [w.code for w in answer.warnings]
    assert codes.count("contradictory_results") == 1 and "contradictory_input" in codes
    assert answer.provisional
    gist = recommend(cancer_type="GIST", mutations=["BCR-ABL1 T315I"], prior_therapies=[])
    assert "unexpected_alteration" in [w.code for w in gist.warnings] and gist.provisional


def test_errors_say_what_to_send(client):
    response = client.post("/v1/recommendations", json={"cancer_type": "NSCLC", "pd_l1": "60%"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "body.pd_l1" and '{"tps": 60}' in error["message"]
    camel = client.post("/v1/recommendations", json={"cancerType": "NSCLC"})
    assert any("did you mean cancer_type" in e["message"] for e in camel.json()["errors"])
    assert "constrained-str" not in client.post("/v1/recommendations", json={"cancer_type": "CML", "conditions": [{}]}).text


def test_biomarkers_accept_text(recommend):
    answer = recommend(cancer_type="COADREAD", stage="metastatic", biomarkers=["MSI-H"], prior_therapies=[])
    assert answer.profile.biomarkers[0].normalised == "MSI high"


def test_cancer_type_is_a_string_in_openapi(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["PatientProfileInput"]["properties"]["cancer_type"]
    assert schema["type"] == "string" and "enum" not in schema and "NSCLC" in schema["examples"]
