"""The HTTP contract of POST /v1/recommendations and POST /v1/interactions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN_PROFILES = json.loads((Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8"))

PROBLEM = "application/problem+json"


def test_health_reports_the_knowledge_version(client, kb):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["knowledge_version"]["content_hash"] == kb.content_hash


def test_answers_are_not_cacheable(client):
    response = client.post("/v1/recommendations", json={"cancer_type": "CML"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_unknown_cancer_type_is_not_recognised_with_suggestions_never_applied(client):
    response = client.post("/v1/recommendations", json={"cancer_type": "non-small cell lung cancr", "current_medications": ["dasatinib", "omeprazole"]})
    assert response.status_code == 200
    body = response.json()
    understood = body["profile"]["cancer_type"]
    assert understood["status"] == "not_recognised" and "code" not in understood
    assert "NSCLC" in [s["code"] for s in understood["suggestions"]]
    assert body["options"] == [] and body["provisional"] is True
    assert body["coverage"]["covered"] is False
    # the medication check does not depend on the cancer type
    assert body["interaction_warnings"]


def test_validation_problem_names_the_field_and_never_echoes_values(client):
    response = client.post("/v1/recommendations", json={"cancer_type": "NSCLC", "pd_l1": {"tps": 180}, "Jane Doe": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    fields = {e["field"] for e in response.json()["errors"]}
    # the unknown key is reported at its object, without its name (a key may be patient data)
    assert fields == {"body.pd_l1.tps", "body"}
    assert "Jane Doe" not in response.text and "180" not in response.text


def test_pd_l1_needs_a_scoring_system(client):
    response = client.post("/v1/recommendations", json={"cancer_type": "NSCLC", "pd_l1": {}})
    assert response.status_code == 422


def test_malformed_json_is_a_problem(client):
    response = client.post("/v1/recommendations", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)


def test_nothing_sent_is_dropped_from_the_profile(client):
    body = {
        "cancer_type": "NSCLC",
        "stage": "IV",
        "mutations": [{"gene": "EGFR", "alteration": "L858R"}, "EGFR T790M", "FOO1 Q61K"],
        "biomarkers": [{"name": "MSI", "status": "high"}, {"name": "Glitter", "status": "yes"}],
        "pd_l1": {"tps": 60},
        "prior_therapies": ["gefitinib", {"drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}],
        "current_medications": ["omeprazole 20 mg daily", {"name": "Tegretol"}, "herbal tea"],
    }
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 200
    profile = response.json()["profile"]
    assert [m["status"] for m in profile["mutations"]] == ["recognised", "recognised", "not_recognised"]
    assert [b["status"] for b in profile["biomarkers"]] == ["recognised", "not_recognised"]
    assert [m["status"] for m in profile["current_medications"]] == ["recognised", "recognised", "not_recognised"]
    assert profile["line_of_therapy"] == 3
    codes = {w["code"] for w in response.json()["warnings"]}
    assert {"mutation_not_recognised", "biomarker_not_recognised", "medication_not_recognised"} <= codes


def test_interactions_endpoint_dasatinib_pantoprazole_is_avoid_with_exposure_change(client):
    response = client.post("/v1/interactions", json={"drugs": ["dasatinib", "pantoprazole"]})
    assert response.status_code == 200
    [warning] = response.json()["interaction_warnings"]
    assert (warning["drug"], warning["interacting_drug"], warning["severity"]) == ("dasatinib", "pantoprazole", "avoid")
    assert warning["exposure_change"]["percent"] < 0
    assert warning["management"]
    # SPRYCEL's set ID was not seen on FDA or NLM: no link rather than a copy presented as the label
    assert "url" not in warning["evidence"][0]
    assert warning["label_wording_read"] is False and "not read" in warning["verification"]["statement"]


def test_interactions_endpoint_imatinib_rifampin_warns(client):
    response = client.post("/v1/interactions", json={"drugs": ["imatinib", "rifampin"]})
    [warning] = response.json()["interaction_warnings"]
    assert warning["drug"] == "imatinib" and warning["interacting_drug"] == "rifampin"


def test_interactions_endpoint_osimertinib_omeprazole_is_silent(client):
    response = client.post("/v1/interactions", json={"drugs": ["osimertinib", "omeprazole"]})
    body = response.json()
    assert body["interaction_warnings"] == []
    assert all(c["drug"] == "osimertinib" and c["finding"] == "not_meaningful" for c in body["interactions_cleared"])


def test_interactions_endpoint_reports_unknown_drugs(client):
    response = client.post("/v1/interactions", json={"drugs": ["dasatinib", "zorblax 5 mg"]})
    body = response.json()
    assert body["drugs"][1]["status"] == "not_recognised"
    assert body["warnings"][0]["field"] == "drugs[1]"


@pytest.mark.parametrize(
    "name",
    ["nsclc-egfr-t790m-after-gefitinib", "rcc-first-line-on-carbamazepine", "unsafe-cml-mmr-on-imatinib-starting-carbamazepine"],
)
def test_the_same_profile_sent_again_gets_the_same_answer(client, name):  # type: ignore[no-untyped-def]
    # the engine shares pieces it built once (citations, components, criteria) between answers: nothing on the
    # way out may change them in place, or the next answer would differ
    profile = GOLDEN_PROFILES[name]
    first = client.post("/v1/recommendations", json=profile)
    assert first.status_code == 200
    for _ in range(2):
        assert client.post("/v1/recommendations", json=profile).content == first.content
    assert client.post("/v1/interactions", json={"drugs": [*profile.get("current_medications", []), "dasatinib"]}).status_code == 200
    assert client.post("/v1/recommendations", json=profile).content == first.content
