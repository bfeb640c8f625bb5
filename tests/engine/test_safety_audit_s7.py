"""Session 7 safety audit (issue 10): checkpoint inhibitors with ILD or pneumonitis, and the labels read for
vemurafenib (QTc), ensartinib (ILD) and pexidartinib (hepatic impairment)."""

from __future__ import annotations

import pytest

from tests.engine.answers import cautions, excluded_for, with_drug

NSCLC_DRIVER_NEGATIVE = {
    "cancer_type": "LUAD",
    "stage": "IV",
    "mutations": ["EGFR not detected", "ALK not detected", "ROS1 not detected"],
    "pd_l1": {"tps": 80},
    "prior_therapies": [],
}
RCC_1L = {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": []}
MELANOMA_BRAF = {"cancer_type": "MEL", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": []}
ALK_1L = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EML4::ALK fusion"], "prior_therapies": []}
TGCT = {"cancer_type": "TGCT", "stage": "symptomatic", "prior_therapies": []}
ICI = ("nivolumab", "pembrolizumab", "atezolizumab", "durvalumab", "avelumab", "ipilimumab", "tremelimumab", "dostarlimab")


# ---- checkpoint inhibitors with interstitial lung disease or pneumonitis ---------------------------------------------
@pytest.mark.parametrize("condition", ["interstitial lung disease", "pneumonitis", "idiopathic pulmonary fibrosis"])
@pytest.mark.parametrize("base", [NSCLC_DRIVER_NEGATIVE, RCC_1L, MELANOMA_BRAF], ids=["nsclc", "rcc", "melanoma"])
def test_current_ild_or_pneumonitis_keeps_every_checkpoint_inhibitor_regimen_out(recommend, base, condition):
    baseline = recommend(**base)
    offered = {o.id for o in baseline.options if set(o.drugs) & set(ICI)}
    assert offered, "the setting must have checkpoint inhibitor options to test"
    result = recommend(**base, conditions=[condition])
    assert not [o.id for o in result.options if set(o.drugs) & set(ICI)]
    excluded = {n.id for n in result.not_recommended if any(r.kind == "contraindication" for r in n.reasons)}
    assert offered <= excluded
    reason = next(r.detail for n in result.not_recommended if n.id in offered for r in n.reasons if r.kind == "contraindication")
    assert "current pneumonitis" in reason and "CheckMate 017" in reason


def test_history_of_pneumonitis_gives_every_checkpoint_inhibitor_option_a_caution(recommend):
    result = recommend(**NSCLC_DRIVER_NEGATIVE, conditions=["history of pneumonitis"])
    options = [o for o in result.options if set(o.drugs) & set(ICI)]
    assert options
    for option in options:
        assert "whether steroids were needed" in cautions(option)


def test_the_ild_rule_is_keyed_on_the_class_so_every_checkpoint_inhibitor_is_covered(kb):
    rule = next(r for r in kb.source.rules.patient if r.id == "ici-current-interstitial-lung-disease")
    catalogued = {name for name in ("nivolumab", "pembrolizumab", "ipilimumab", "relatlimab", "dostarlimab") if "immune_checkpoint_inhibitor" in kb.drug_classes(name)}
    assert {"nivolumab", "pembrolizumab", "ipilimumab", "relatlimab", "dostarlimab"} <= catalogued
    assert "immune_checkpoint_inhibitor" in rule.drug_classes and not rule.drugs


def test_ild_does_not_touch_regimens_without_a_checkpoint_inhibitor(recommend):
    result = recommend(**RCC_1L, conditions=["interstitial lung disease"])
    assert any("cabozantinib" in o.drugs and "nivolumab" not in o.drugs for o in result.options)
    assert all(not set(o.drugs) & set(ICI) for o in result.options)


# ---- vemurafenib QTc ------------------------------------------------------------------------------------------------
def test_vemurafenib_is_not_started_above_a_qtc_of_500_ms(recommend):
    assert with_drug(recommend(**MELANOMA_BRAF), "vemurafenib")
    result = recommend(**MELANOMA_BRAF, organ_function={"qtc_ms": 520})
    assert not with_drug(result, "vemurafenib")
    assert "vemurafenib-cobimetinib-melanoma" in excluded_for(result, "vemurafenib")


@pytest.mark.parametrize("qtc", [470, 500])
def test_vemurafenib_at_a_qtc_up_to_500_ms_is_offered_with_the_qt_caution(recommend, qtc):
    options = with_drug(recommend(**MELANOMA_BRAF, organ_function={"qtc_ms": qtc}), "vemurafenib")
    assert options and all("withholds it above a QTc of 500 ms" in cautions(o) for o in options)


# ---- ensartinib ILD, pexidartinib hepatic impairment ----------------------------------------------------------------
@pytest.mark.parametrize("condition", ["interstitial lung disease", "history of pneumonitis"])
def test_ensartinib_with_ild_is_cautioned_from_its_label(recommend, condition):
    options = with_drug(recommend(**ALK_1L, conditions=[condition]), "ensartinib")
    assert options and all("ENSACOVE" in cautions(o) for o in options)


@pytest.mark.parametrize("grade", ["B", "C"])
def test_pexidartinib_in_child_pugh_b_or_c_names_the_labels_bilirubin_graded_dose(recommend, grade):
    options = with_drug(recommend(**TGCT, biomarkers=[f"Child-Pugh {grade}"]), "pexidartinib")
    assert options and all("125 mg twice daily" in cautions(o) for o in options)


def test_pexidartinib_child_a_has_no_hepatic_dose_caution(recommend):
    options = with_drug(recommend(**TGCT, biomarkers=["Child-Pugh A"]), "pexidartinib")
    assert options and all("125 mg twice daily" not in cautions(o) for o in options)
