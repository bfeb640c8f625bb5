"""Session 4 safety audit (issue 10): the unsafe answers the audit found, each fixed by a sourced patient rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import _patient_rule_finding
from service.engine.normalise import normalise_profile
from tests.engine.answers import option_ids

GOLDEN_PROFILES = json.loads((Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8"))
MTC = {"cancer_type": "THME", "stage": "metastatic", "mutations": ["RET M918T"], "prior_therapies": []}
CML = {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": []}
EGFR_AFTER_OSIMERTINIB = {
    "cancer_type": "LUAD",
    "stage": "IV",
    "mutations": ["EGFR exon 19 deletion"],
    "prior_therapies": [{"drugs": ["osimertinib"], "outcome": "progression"}],
}
CRC_REFRACTORY = {
    "cancer_type": "COADREAD",
    "stage": "IV",
    "mutations": ["KRAS G12D"],
    "prior_therapies": [{"drugs": ["FOLFOX", "bevacizumab"], "outcome": "progression"}, {"drugs": ["FOLFIRI"], "outcome": "progression"}],
}


def excluded_kinds(result, regimen):  # type: ignore[no-untyped-def]
    return {r.kind for n in result.not_recommended if n.id == regimen for r in n.reasons}


def test_measured_qtc_of_450_ms_or_more_is_read_as_qtc_prolongation_and_says_so(recommend):
    result = recommend(**CML, organ_function={"qtc_ms": 520})
    nilotinib = next(o for o in result.options if o.id == "nilotinib-cml")
    assert nilotinib.cautions and "QT" in nilotinib.cautions[0].detail
    (read_as,) = result.profile.patient.measurements_read_as
    assert read_as.startswith("QTc 520 ms read as QTc prolongation") and "CTCAE" in read_as


def test_measured_qtc_below_450_ms_is_not_read_as_prolongation(recommend):
    result = recommend(**CML, organ_function={"qtc_ms": 440})
    nilotinib = next(o for o in result.options if o.id == "nilotinib-cml")
    assert not nilotinib.cautions
    assert result.profile.patient.measurements_read_as is None


def test_qtc_in_a_condition_text_is_read_the_same_way(recommend):
    result = recommend(**MTC, conditions=["QTc 510 ms"])
    # session 6: the CAPRELSA start bound (QTcF above 450 ms) now excludes vandetanib on the value read from the text
    assert "vandetanib-mtc" not in option_ids(result)
    reason = next(r for n in result.not_recommended if n.id == "vandetanib-mtc" for r in n.reasons)
    assert reason.kind == "contraindication" and "QTc 510 ms" in reason.detail


def test_nilotinib_is_excluded_in_long_qt_syndrome_by_its_boxed_warning(recommend):
    result = recommend(**CML, conditions=["congenital long QT syndrome"])
    assert "nilotinib-cml" not in option_ids(result)
    assert "contraindication" in excluded_kinds(result, "nilotinib-cml")
    reason = next(n for n in result.not_recommended if n.id == "nilotinib-cml")
    assert result.citations[reason.evidence[0]].dailymed_set_id


@pytest.mark.parametrize("renal", [{"organ_function": {"creatinine_clearance_ml_min": 30}}, {"conditions": ["CrCl 30 mL/min"]}])
def test_pemetrexed_is_not_offered_below_45_ml_min_creatinine_clearance(recommend, renal):
    result = recommend(**EGFR_AFTER_OSIMERTINIB, **renal)
    assert not [o.id for o in result.options if "pemetrexed" in o.drugs]
    assert "contraindication" in excluded_kinds(result, "pemetrexed-platinum-after-egfr-tki")


def test_pemetrexed_stays_at_45_ml_min_or_more(recommend):
    result = recommend(**EGFR_AFTER_OSIMERTINIB, organ_function={"creatinine_clearance_ml_min": 45})
    assert "pemetrexed-platinum-after-egfr-tki" in option_ids(result)


def test_bevacizumab_is_not_offered_in_nsclc_with_haemoptysis(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], conditions=["recent haemoptysis"])
    assert result.profile.patient.conditions[0].status == "recognised"
    assert "erlotinib-bevacizumab" not in option_ids(result)
    assert "contraindication" in excluded_kinds(result, "erlotinib-bevacizumab")
    assert "osimertinib-nsclc" in option_ids(result)


def test_a_history_of_haemoptysis_counts_too(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], conditions=["history of hemoptysis"])
    assert "erlotinib-bevacizumab" not in option_ids(result)


@pytest.mark.parametrize("child_pugh", [{"biomarkers": ["Child-Pugh C"]}, {"conditions": ["cirrhosis Child-Pugh C"]}])
def test_regorafenib_is_not_offered_in_child_pugh_c(recommend, child_pugh):
    result = recommend(**CRC_REFRACTORY, **child_pugh)
    assert not [o.id for o in result.options if "regorafenib" in o.drugs]
    assert "contraindication" in excluded_kinds(result, "regorafenib-crc")


def test_regorafenib_stays_in_child_pugh_b(recommend):
    result = recommend(**CRC_REFRACTORY, biomarkers=["Child-Pugh B"])
    assert "regorafenib-crc" in option_ids(result)


HCC_AFTER_SORAFENIB = {"cancer_type": "HCC", "stage": "BCLC C", "prior_therapies": [{"drugs": ["sorafenib"], "outcome": "progression"}]}


def test_cabozantinib_tablets_are_not_offered_in_child_pugh_c_and_stay_in_child_pugh_b(recommend):
    severe = recommend(**HCC_AFTER_SORAFENIB, biomarkers=["Child-Pugh C"])
    assert "cabozantinib-hcc" not in option_ids(severe)
    assert "contraindication" in excluded_kinds(severe, "cabozantinib-hcc")
    rcc = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], biomarkers=["Child-Pugh C"])
    assert not {"nivolumab-cabozantinib", "cabozantinib-rcc-later-line"} & set(option_ids(rcc))
    # Child-Pugh B lowers the starting dose, it does not rule the tablets out (HCC indications require Child-Pugh A)
    assert "nivolumab-cabozantinib" in option_ids(recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], biomarkers=["Child-Pugh B"]))


def test_trastuzumab_deruxtecan_in_breast_cancer_with_ild_carries_the_caution(recommend):
    result = recommend(
        cancer_type="breast cancer, HER2-positive",
        stage="IV",
        prior_therapies=[{"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "outcome": "progression"}],
        conditions=["interstitial lung disease"],
    )
    option = next(o for o in result.options if o.id == "trastuzumab-deruxtecan-breast")
    assert option.cautions and "ILD" in option.cautions[0].detail


AUDIT_PROFILES = [
    {**CML, "conditions": ["congenital long QT syndrome"]},
    {**CML, "organ_function": {"qtc_ms": 500}},
    {**MTC, "organ_function": {"qtc_ms": 470}},
    {**EGFR_AFTER_OSIMERTINIB, "organ_function": {"creatinine_clearance_ml_min": 20}},
    {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR L858R"], "prior_therapies": [], "conditions": ["haemoptysis"]},
    {**CRC_REFRACTORY, "biomarkers": ["Child-Pugh C"]},
    {"cancer_type": "HCC", "stage": "BCLC C", "conditions": ["cirrhosis Child-Pugh C"], "prior_therapies": [{"drugs": ["sorafenib"], "outcome": "progression"}]},
    {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [], "biomarkers": ["Child-Pugh C"]},
]


@pytest.mark.parametrize("request_", [*GOLDEN_PROFILES.values(), *AUDIT_PROFILES])
def test_no_option_offered_fires_an_exclusion_rule(kb, recommend, request_):
    """The walk over every option: no exclude rule that concerns an offered option holds for the patient."""
    profile = normalise_profile(kb, PatientProfileInput.model_validate(request_))
    for option in recommend(**request_).options:
        for rule in kb.patient_rules_concerning(option.id, option.indication_id, profile.cancer_type):
            if rule.action == "exclude":
                assert _patient_rule_finding(kb, profile, rule) is None, (option.id, rule.id)


def test_pemetrexed_without_a_creatinine_clearance_says_the_renal_rule_was_not_checked(recommend):
    result = recommend(**EGFR_AFTER_OSIMERTINIB)
    warning = next(w for w in result.warnings if w.code == "patient_context_not_checked" and w.field == "organ_function")
    assert warning.message.startswith("Creatinine clearance not given") and "Pemetrexed + platinum" in warning.message


def test_regorafenib_without_a_child_pugh_class_says_the_hepatic_rule_was_not_checked(recommend):
    result = recommend(**CRC_REFRACTORY)
    assert any(w.field == "biomarkers" and w.message.startswith("Child-Pugh class not given") for w in result.warnings)


@pytest.mark.parametrize("bleeding", ["recent haemoptysis", "recent hematemesis", "gastrointestinal bleeding"])
def test_cabozantinib_is_not_offered_after_a_recent_haemorrhage(recommend, bleeding):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], conditions=[bleeding])
    assert not [o.id for o in result.options if "cabozantinib" in o.drugs]
    assert "contraindication" in excluded_kinds(result, "nivolumab-cabozantinib")


def test_a_past_haemorrhage_leaves_cabozantinib_with_a_caution(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], conditions=["history of GI bleeding"])
    option = next(o for o in result.options if o.id == "nivolumab-cabozantinib")
    assert option.cautions and "recent" in option.cautions[0].detail


def test_everolimus_with_ild_carries_the_label_caution(recommend):
    result = recommend(cancer_type="PANET", stage="IV", prior_therapies=[], conditions=["interstitial lung disease"])
    option = next(o for o in result.options if o.id == "everolimus-pnet")
    assert option.cautions and "pneumonitis" in option.cautions[0].detail


def test_ramucirumab_and_bevacizumab_outside_nsclc_carry_the_haemorrhage_caution(recommend):
    gastric = recommend(cancer_type="STAD", stage="IV", prior_therapies=[{"drugs": ["FOLFOX"], "outcome": "progression"}], conditions=["recent haemoptysis"])
    option = next(o for o in gastric.options if o.id == "ramucirumab-paclitaxel-gastric")
    assert option.cautions and "bleeding" in option.cautions[0].detail
    hcc = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh A"], prior_therapies=[], conditions=["history of GI bleeding"])
    option = next(o for o in hcc.options if o.id == "atezolizumab-bevacizumab")
    assert any("haemorrhage" in c.detail for c in option.cautions)


@pytest.mark.parametrize("electrolytes", ["hypokalaemia", "low magnesium"])
def test_nilotinib_and_vandetanib_are_not_given_with_uncorrected_hypokalaemia_or_hypomagnesaemia(recommend, electrolytes):
    cml = recommend(**CML, conditions=[electrolytes])
    assert "nilotinib-cml" not in option_ids(cml) and "contraindication" in excluded_kinds(cml, "nilotinib-cml")
    mtc = recommend(**MTC, conditions=[electrolytes])
    assert "vandetanib-mtc" not in option_ids(mtc) and "contraindication" in excluded_kinds(mtc, "vandetanib-mtc")


def test_hypocalcaemia_excludes_vandetanib_but_not_nilotinib(recommend):
    assert "vandetanib-mtc" not in option_ids(recommend(**MTC, conditions=["hypocalcemia"]))
    assert "nilotinib-cml" in option_ids(recommend(**CML, conditions=["hypocalcemia"]))
