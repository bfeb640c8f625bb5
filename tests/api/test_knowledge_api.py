"""Read-only knowledge endpoints."""

from __future__ import annotations


def test_regimen_list_filters_by_cancer_type_through_the_hierarchy(client):
    items = client.get("/v1/regimens", params={"cancer_type": "LUAD"}).json()["items"]
    ids = {i["id"] for i in items}
    assert "imatinib-cml" not in ids
    assert all(any(t in ("NSCLC", "LUAD", "LUNG") for t in i["cancer_types"]) for i in items)


def test_regimen_detail_shows_criteria_and_citable_evidence(client):
    body = client.get("/v1/regimens/ponatinib-cml").json()
    t315i = next(i for i in body["indications"] if i["id"] == "ponatinib-cml-t315i")
    assert "requires BCR::ABL1 T315I" in t315i["criteria"]
    assert t315i["evidence"] and all(e.get("pmid") or e.get("nct_id") or e.get("doi") for e in t315i["evidence"])


def test_unknown_regimen_is_a_404_problem(client):
    response = client.get("/v1/regimens/no-such-regimen")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_drug_lookup_by_brand(client):
    assert client.get("/v1/drugs/Nexium").json()["name"] == "esomeprazole"


def test_cancer_type_lookup_by_synonym_shows_hierarchy(client):
    body = client.get("/v1/cancer-types/non-small cell lung cancer").json()
    assert body["code"] == "NSCLC" and "LUAD" in body["children"]


def test_evidence_list_holds_only_citable_records(client, kb):
    items = client.get("/v1/evidence").json()["items"]
    assert items and all(i["verified"] and (i.get("pmid") or i.get("nct_id") or i.get("doi") or i.get("dailymed_set_id")) for i in items)
    hidden = [e.id for e in kb.evidence.values() if not e.citable]
    if hidden:
        assert client.get(f"/v1/evidence/{hidden[0]}").status_code == 404


def test_knowledge_version_matches_health(client):
    body = client.get("/v1/knowledge").json()
    assert {k: v for k, v in body.items() if k != "coverage"} == client.get("/health").json()["knowledge_version"]


def test_knowledge_lists_coverage_per_cancer_type(client):
    coverage = {row["code"]: row for row in client.get("/v1/knowledge").json()["coverage"]}
    assert coverage["NSCLC"]["regimens"] > 10 and "line 1" in coverage["NSCLC"]["lines"]
    assert coverage["NSCLC"]["withheld"] >= 1  # MARIPOSA pending verification
    assert coverage["BILIARY_TRACT"]["without_tki"] >= 2  # TOPAZ-1, ABC-06
    assert "SCLC" not in coverage
