"""The decision guide's server side: the same engine, choices from the knowledge, problems named on the page."""

from __future__ import annotations

import re

from service.web.form import profile_from_form


def test_guide_page_offers_the_knowledge_base_choices(client, kb):
    page = client.get("/guide").text
    assert 'value="CML"' in page and 'value="GIST"' in page
    assert 'id="alt::BCR::ABL1 T315I"' in page
    assert 'list="drug-names"' in page and '<option value="imatinib">' in page
    assert "Intended use" in page and kb.source.release.version in page


def test_alteration_choices_carry_the_cancer_types_they_matter_for(client):
    page = client.get("/guide").text
    row = re.search(r'<div class="row alteration" data-cancer-types="([^"]*)">\s*<label for="alt::BCR::ABL1 T315I">', page)
    assert row and "CML" in row.group(1).split() and "NSCLC" not in row.group(1).split()


def test_form_maps_to_the_same_profile_as_the_json_api():
    result = profile_from_form(
        {
            "cancer_type": "CML",
            "stage": "chronic phase",
            "alt::BCR::ABL1 T315I": "detected",
            "gene::EGFR": "",
            "prior_status": "listed",
            "prior_1_drugs": "imatinib + interferon alfa",
            "prior_1_outcome": "progression",
            "medication_1": "omeprazole 20 mg",
        }
    )
    assert result.problems == []
    assert result.profile.model_dump(exclude_none=True) == {
        "cancer_type": "CML",
        "stage": "chronic phase",
        "mutations": [{"gene": "BCR::ABL1", "alteration": "T315I", "status": "detected"}],
        "biomarkers": [],
        "prior_therapies": [{"drugs": ["imatinib", "interferon alfa"], "outcome": "progression"}],
        "current_medications": ["omeprazole 20 mg"],
        "conditions": [],
    }


def test_prior_status_distinguishes_not_stated_from_none():
    assert profile_from_form({"cancer_type": "CML"}).profile.prior_therapies is None
    assert profile_from_form({"cancer_type": "CML", "prior_status": "none"}).profile.prior_therapies == []


def test_out_of_range_pd_l1_is_named_on_the_page_not_echoed(client):
    response = client.post("/guide/panel", data={"cancer_type": "NSCLC", "pd_l1_scoring": "tps", "pd_l1_value": "512"})
    assert response.status_code == 200
    assert "pd_l1.tps" in response.text and "512" not in response.text


def test_unknown_cancer_type_is_named_on_the_page(client):
    response = client.post("/guide/panel", data={"cancer_type": "not-a-type"})
    assert "not_recognised" in response.text or "not recognised" in response.text


def test_no_javascript_post_returns_the_full_page_with_the_answer(client):
    response = client.post("/guide", data={"cancer_type": "GIST", "stage": "metastatic", "alt::PDGFRA D842V": "detected", "prior_status": "none"})
    assert "<form" in response.text and 'data-option-id="avapritinib-gist"' in response.text
    assert 'data-excluded-id="imatinib-gist"' in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_interaction_grid_gives_every_cell_a_status_a_legend_and_a_source(client):
    form = {
        "cancer_type": "CML",
        "stage": "chronic phase",
        "prior_status": "none",
        "medication_1": "omeprazole",
        "medication_2": "simvastatin",
        "medication_3": "unobtanium",
    }
    page = client.post("/guide/panel", data=form).text
    grid = page[page.index('<table class="grid">') : page.index("</table>")]
    states = re.findall(r'data-state="([a-z_]+)"', grid)
    assert states and "not_assessed" in states  # the unrecognised medicine is never a blank cell
    assert grid.count("<td") == len(states)
    # a legend line for every state a cell can show
    legend = page[page.index('<dl class="legend">') :]
    for state in ("contraindicated", "avoid", "adjust dose", "separate in time", "monitor", "not meaningful", "no label guidance", "not assessed"):
        assert f">{state}</dt>" in legend
    assert "Not a sign of safety" in legend
    assert "dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=" in grid
    assert "No interaction warnings for these options and medications" not in page
