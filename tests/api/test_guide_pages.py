"""The decision guide's server side: the same engine, choices from the knowledge, problems named on the page."""

from __future__ import annotations

import re

import markupsafe

from service.web.form import profile_from_form


def test_guide_page_offers_the_knowledge_base_choices(client, kb):
    page = client.get("/guide").text
    assert 'value="CML"' in page and 'value="GIST"' in page
    assert 'id="alt::BCR::ABL1 T315I"' in page
    assert 'list="drug-names"' in page and '<option value="imatinib">' in page
    assert "Intended use" in page and kb.source.release.version in page


def test_alteration_choices_carry_the_cancer_types_they_matter_for(client):
    page = client.get("/guide").text
    row = re.search(r'<div class="row alteration" data-cancer-types="([^"]*)"[^>]*>\s*<label for="alt::BCR::ABL1 T315I">', page)
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
    assert "PD-L1 value: enter a number from 0 to 100." in response.text and "512" not in response.text
    assert 'href="#pd_l1_value"' in response.text  # the problem links to the control to fix


def test_problems_name_the_form_control_in_its_words_once_each():
    # a union field (a number or text) fails twice in the schema: the page says it once, in the form's words
    assert profile_from_form({"cancer_type": "CML", "ecog": "7"}).problems == ["ECOG performance status: choose 0, 1, 2, 3 or 4, or Not stated."]
    result = profile_from_form({"cancer_type": "CML", "medication_3": "x" * 250})
    assert result.problems == ["Medication 3: shorten it to 200 characters or fewer."]
    assert result.controls == {result.problems[0]: "medication_3"}


def test_a_value_whose_meaning_is_missing_is_a_problem_not_dropped():
    assert profile_from_form({"cancer_type": "NSCLC", "pd_l1_value": "50"}).problems == [
        "PD-L1 scoring system: choose TPS, CPS or IC for the value given, or clear the value."]
    listed_nothing = profile_from_form({"cancer_type": "CML", "prior_status": "listed"})
    assert listed_nothing.profile is None and "Prior therapy: enter the drugs of line 1" in listed_nothing.problems[0]


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
    legend = page[page.index('<dl class="legend') :]
    for state in ("contraindicated", "avoid", "adjust dose", "separate in time", "monitor", "not meaningful", "no label guidance", "not assessed"):
        assert f">{state}</dt>" in legend
    assert "Not a sign of safety" in legend
    assert "dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=" in grid
    assert "No interaction warnings for these options and medications" not in page


def _hidden_rows(page: str) -> dict[str, bool]:
    """Label text of each fitted row -> whether the server rendered it hidden."""
    rows = re.findall(r'<div class="row[^"]*" data-cancer-types="[^"]*"( hidden)?[^>]*>\s*<label for="([^"]+)"', page)
    return {name: bool(hidden) for hidden, name in rows}


def test_the_cancer_type_step_shows_only_the_fields_the_knowledge_uses_for_it(client):
    cml = _hidden_rows(client.post("/guide", data={"cancer_type": "CML", "step": "cancer_type"}).text)
    for name in ("biomarker::MSI", "biomarker::HER2", "biomarker::ER", "biomarker::IMDC risk", "biomarker::RAI", "pd_l1_scoring", "brain_metastases"):
        assert cml[name], name
    assert not cml["alt::BCR::ABL1 T315I"] and not cml["qtc_ms"] and not cml["conditions"]
    # a resistance rule written for every cancer type matters only where its drugs are indicated
    assert all(hidden for name, hidden in cml.items() if name.startswith(("alt::RET", "alt::EGFR", "alt::KIT")))
    hcc = _hidden_rows(client.post("/guide", data={"cancer_type": "HCC", "step": "cancer_type"}).text)
    assert not hcc["biomarker::Child-Pugh"] and hcc["biomarker::MSI"] and hcc["biomarker::HER2"]


def test_gist_offers_every_kit_variant_the_knowledge_holds(client):
    gist = _hidden_rows(client.post("/guide", data={"cancer_type": "GIST", "step": "cancer_type"}).text)
    assert not gist["alt::KIT exon 11 mutation"] and not gist["alt::KIT exon 9 mutation"]


def test_the_cancer_type_list_is_what_the_knowledge_covers(client, kb):
    page = client.get("/guide").text
    select = page[page.index('<select id="cancer_type"') : page.index("</select>", page.index('<select id="cancer_type"'))]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert "CML" in offered and "NSCLC" in offered and len(offered) < len(kb.cancer_types) / 4


def test_patient_fields_and_any_number_of_medications_reach_the_profile():
    values = {
        "cancer_type": "NSCLC",
        "ecog": "1",
        "brain_metastases": "treated",
        "conditions": "myasthenia gravis\n\nhistory of pneumonitis",
        "qtc_ms": "470",
        "medication_1": "omeprazole",
        "medication_9": "rifampin",
        "more_medications": "simvastatin 20 mg\nwarfarin",
    }
    profile = profile_from_form(values).profile
    assert profile.ecog == 1 and profile.brain_metastases == "treated"
    assert profile.conditions == ["myasthenia gravis", "history of pneumonitis"]
    assert profile.organ_function.qtc_ms == 470
    assert profile.current_medications == ["omeprazole", "rifampin", "simvastatin 20 mg", "warfarin"]
    assert profile_from_form({"cancer_type": "NSCLC", "qtc_ms": "long"}).problems == ["QTc (ms): enter a number of milliseconds from 200 to 800."]


def test_posted_medication_rows_all_come_back(client):
    page = client.post("/guide", data={"cancer_type": "CML", "medication_7": "omeprazole"}).text
    assert 'id="medication_7"' in page and 'id="medication_8"' in page and 'value="omeprazole"' in page


def test_the_heading_says_what_the_options_are(client):
    cml = client.post("/guide/panel", data={"cancer_type": "CML", "stage": "chronic phase", "alt::BCR::ABL1 T315I": "detected"}).text
    heading = re.search(r'<h2 id="panel-title">([^<]*)</h2>', cml).group(1)
    assert "monotherapy" in heading and "combination" not in heading
    rcc = client.post("/guide/panel", data={"cancer_type": "CCRCC", "stage": "IV", "prior_status": "none"}).text
    assert "combination" in re.search(r'<h2 id="panel-title">([^<]*)</h2>', rcc).group(1)


def test_details_are_collapsed_and_every_key_figure_is_there(client, recommend):
    page = client.post("/guide/panel", data={"cancer_type": "CML", "stage": "chronic phase", "alt::BCR::ABL1 T315I": "detected"}).text
    assert "<details open" not in page and '<details id="understood"' in page
    answer = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR::ABL1 T315I"])
    figures = [f for o in answer.options for e in o.evidence for f in answer.citations[e].key_figures]
    assert len(figures) > 3 * len(answer.options)
    for figure in figures:
        assert str(markupsafe.escape(figure)) in page, figure


def test_every_source_the_answer_cites_is_shown_with_its_link_and_title_beside_its_item(client, recommend):  # type: ignore[no-untyped-def]
    form = {
        "cancer_type": "LUAD",
        "stage": "IV",
        "other_mutations": "EGFR L858R",
        "prior_status": "none",
        "conditions": "history of radiation pneumonitis",
        "medication_1": "rifampin",
        "medication_2": "omeprazole",
    }
    page = client.post("/guide/panel", data=form).text
    answer = recommend(
        cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[],
        conditions=["history of radiation pneumonitis"], current_medications=["rifampin", "omeprazole"],
    )  # fmt: skip
    shown = [
        *(i for o in answer.options for i in o.evidence),
        *(i for o in answer.options for c in o.cautions for i in c.evidence),
        *(i for g in answer.exclusion_groups for i in g.evidence),
        *(i for w in answer.interaction_warnings for i in w.evidence),
    ]
    assert any(c.evidence for o in answer.options for c in o.cautions) and answer.interaction_warnings
    for citation in (answer.citations[i] for i in shown):
        assert str(markupsafe.escape(citation.title)) in page, citation.id
        if citation.url:
            assert f'href="{markupsafe.escape(citation.url)}"' in page, citation.id


def test_blood_count_fields_reach_the_profile_and_are_shown_for_myelofibrosis(client, kb):
    profile = profile_from_form({"cancer_type": "PMF", "platelets": "40", "haemoglobin": "92 g/L", "transfusion_dependent": "yes"}).profile
    assert profile.blood_counts.platelets == 40.0
    assert profile.blood_counts.haemoglobin == "92 g/L"
    assert profile.blood_counts.transfusion_dependent == "yes"
    page = client.get("/guide").text
    row = page[page.index('<label for="platelets"') - 200 : page.index('<label for="platelets"')]
    assert "PMF" in row and "CML" not in row
    panel = client.post("/guide/panel", data={"cancer_type": "PMF", "platelets": "40", "prior_status": "none"}).text
    assert "Pacritinib" in panel and "platelets 40 x10^9/L" in panel


def test_an_option_names_its_interactions_and_links_each_to_the_one_full_warning(client):
    form = {"cancer_type": "CCRCC", "stage": "IV", "prior_status": "none", "medication_1": "carbamazepine"}
    page = client.post("/guide/panel", data=form).text
    line = re.search(r'<p class="option-interactions">(.*?)</p>', page)
    assert line is not None
    targets = re.findall(r'<a href="#([^"]+)">', line.group(1))
    assert targets and all(t.startswith("interaction:") for t in targets)
    for target in targets:
        assert page.count(f'id="{target}"') == 1  # the full warning, given once in the interactions section
