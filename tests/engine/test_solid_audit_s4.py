"""Solid tumours audit, session 4: the standards a tumour board lists are offered, each with its dose, in the
setting and line its evidence studied, and ranked where a randomised comparison says so."""

from __future__ import annotations

import pytest

from tests.engine.answers import option, option_ids


def test_resected_ccrcc_is_offered_adjuvant_pembrolizumab_and_no_metastatic_regimen(recommend):
    result = recommend(cancer_type="CCRCC", stage="stage III, resected (adjuvant)", prior_therapies=[])
    assert option_ids(result) == ["pembrolizumab-rcc-adjuvant"]
    assert "17 cycles" in option(result, "pembrolizumab-rcc-adjuvant").components[0].dose
    assert not option(result, "pembrolizumab-rcc-adjuvant").contains_tki


def test_metastatic_ccrcc_is_not_offered_adjuvant_pembrolizumab(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[])
    assert "pembrolizumab-rcc-adjuvant" not in option_ids(result)


@pytest.mark.parametrize("variant", ["IDH1 R132C", "IDH1 R132L", "IDH1 mutation"])
def test_idh1_mutant_cholangiocarcinoma_after_chemotherapy_is_offered_ivosidenib(recommend, variant):
    result = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", mutations=[variant], prior_therapies=["gemcitabine + cisplatin (progression)"])
    assert "ivosidenib-cholangiocarcinoma" in option_ids(result)
    assert option(result, "ivosidenib-cholangiocarcinoma").components[0].dose == "500 mg orally once daily"


def test_ivosidenib_needs_an_idh1_mutation_and_a_prior_line(recommend):
    wild_type = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", prior_therapies=["gemcitabine + cisplatin (progression)"])
    first_line = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", mutations=["IDH1 R132C"], prior_therapies=[])
    assert "ivosidenib-cholangiocarcinoma" not in option_ids(wild_type)
    assert "ivosidenib-cholangiocarcinoma" not in option_ids(first_line)


def test_ivosidenib_warns_with_a_strong_cyp3a4_inhibitor(recommend):
    result = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", mutations=["IDH1 R132C"], prior_therapies=["gemcitabine + cisplatin (progression)"], current_medications=["itraconazole"])
    assert "interaction:ivosidenib+itraconazole" in option(result, "ivosidenib-cholangiocarcinoma").interactions


def test_biliary_first_line_offers_both_chemo_immunotherapy_standards_but_not_after_a_pd1_inhibitor(recommend):
    first = recommend(cancer_type="gallbladder cancer", stage="metastatic", prior_therapies=[])
    assert {"durvalumab-gemcitabine-cisplatin", "pembrolizumab-gemcitabine-cisplatin"} <= set(option_ids(first))
    after = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", prior_therapies=["gemcitabine + cisplatin + durvalumab (progression)"])
    assert "pembrolizumab-gemcitabine-cisplatin" not in option_ids(after)


def test_mtc_cabozantinib_capsules_are_offered_at_the_exam_dose(recommend):
    result = recommend(cancer_type="medullary thyroid carcinoma", stage="metastatic", mutations=["RET not detected"], prior_therapies=[])
    assert option(result, "cabozantinib-mtc").components[0].dose == "140 mg orally once daily (COMETRIQ capsules)"
    assert not any(w.id == "cabozantinib-mtc" for w in result.withheld)


def test_her2_breast_after_trastuzumab_and_taxane_ranks_tdxd_above_tdm1(recommend):
    result = recommend(cancer_type="BRCA", stage="metastatic", biomarkers=["HER2 positive"], prior_therapies=["trastuzumab + pertuzumab + docetaxel (progression)"])
    ids = option_ids(result)
    assert ids.index("trastuzumab-deruxtecan-breast") < ids.index("ado-trastuzumab-emtansine-breast")
    assert option(result, "ado-trastuzumab-emtansine-breast").components[0].dose == "3.6 mg/kg IV on day 1 of each 21-day cycle"


def test_gastric_third_line_offers_trifluridine_tipiracil_only_after_taxane_or_irinotecan(recommend):
    third = recommend(cancer_type="gastric adenocarcinoma", stage="metastatic", prior_therapies=["FOLFOX (progression)", "ramucirumab + paclitaxel (progression)"])
    assert "trifluridine-tipiracil-gastric" in option_ids(third)
    no_taxane = recommend(cancer_type="gastric adenocarcinoma", stage="metastatic", prior_therapies=["FOLFOX (progression)", "capecitabine (progression)"])
    assert "trifluridine-tipiracil-gastric" not in option_ids(no_taxane)


def test_her2_positive_gastric_is_not_offered_the_her2_negative_nivolumab_chemotherapy(recommend):
    result = recommend(cancer_type="gastric adenocarcinoma", stage="metastatic", biomarkers=["HER2 positive"])
    assert "nivolumab-fluoropyrimidine-oxaliplatin-gastric" not in option_ids(result)


def test_ccrcc_after_nivolumab_ipilimumab_is_offered_cabozantinib_60_mg(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=["nivolumab + ipilimumab (progression)"])
    cabozantinib = option(result, "cabozantinib-rcc-later-line")
    assert cabozantinib.indication_id == "cabozantinib-rcc-after-checkpoint-inhibitor"
    assert cabozantinib.components[0].dose == "60 mg orally once daily"


def test_hcc_after_atezolizumab_bevacizumab_offers_lenvatinib_by_weight_at_level_4(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=["Child-Pugh A"], prior_therapies=["atezolizumab + bevacizumab (progression)"])
    lenvatinib = option(result, "lenvatinib-hcc")
    assert lenvatinib.evidence_level == "4"
    assert "60 kg" in lenvatinib.components[0].dose
