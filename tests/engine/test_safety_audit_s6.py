"""Session 6 safety audit (issue 10): renal and hepatic function, QT, DPD deficiency and lung rules from the labels read."""

from __future__ import annotations

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import _patient_rule_finding
from service.engine.normalise import normalise_profile
from tests.engine.answers import cautions, excluded_for, with_drug

HER2_BREAST = {
    "cancer_type": "breast cancer, HER2-positive",
    "stage": "IV",
    "prior_therapies": [
        {"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "outcome": "progression"},
        {"drugs": ["ado-trastuzumab emtansine"], "outcome": "progression"},
    ],
}
CRC_1L = {"cancer_type": "COADREAD", "stage": "IV", "prior_therapies": []}
MTC = {"cancer_type": "THME", "stage": "IV", "mutations": ["RET M918T"], "prior_therapies": []}
AML_FLT3 = {"cancer_type": "AML", "stage": "newly diagnosed", "mutations": ["FLT3-ITD"], "prior_therapies": []}
KRAS_G12C = {
    "cancer_type": "LUAD",
    "stage": "IV",
    "mutations": ["KRAS G12C"],
    "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}],
}


# ---- renal function -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("clearance", [10, 20, 29])
def test_capecitabine_is_not_offered_below_30_ml_min(recommend, clearance):
    result = recommend(**HER2_BREAST, organ_function={"creatinine_clearance_ml_min": clearance})
    assert not with_drug(result, "capecitabine")
    assert {"tucatinib-trastuzumab-capecitabine", "neratinib-capecitabine"} <= excluded_for(result, "capecitabine")
    reason = next(r.detail for n in result.not_recommended if n.id == "neratinib-capecitabine" for r in n.reasons)
    assert "below 30 mL/min" in reason and f"creatinine clearance {clearance} mL/min" in reason


@pytest.mark.parametrize("clearance", [30, 40, 50])
def test_capecitabine_at_30_to_50_ml_min_is_offered_with_the_reduced_starting_dose_named(recommend, clearance):
    result = recommend(**HER2_BREAST, organ_function={"creatinine_clearance_ml_min": clearance})
    options = with_drug(result, "capecitabine")
    assert options
    for option in options:
        assert "75%" in cautions(option) and "950 mg/m2" in cautions(option)


def test_capecitabine_above_50_ml_min_has_no_renal_caution(recommend):
    result = recommend(**HER2_BREAST, organ_function={"creatinine_clearance_ml_min": 51})
    assert all("75%" not in cautions(o) for o in with_drug(result, "capecitabine"))


def test_capecitabine_renal_rules_are_said_unchecked_without_a_clearance(recommend):
    result = recommend(**HER2_BREAST)
    warning = next(w for w in result.warnings if w.code == "patient_context_not_checked" and w.field == "organ_function")
    assert "Creatinine clearance not given" in warning.message and "Neratinib" in warning.message


def test_creatinine_clearance_in_a_condition_text_is_read_for_capecitabine(recommend):
    result = recommend(**HER2_BREAST, conditions=["CKD stage 4, CrCl 22 mL/min"])
    assert not with_drug(result, "capecitabine")


# ---- fluoropyrimidines and DPD deficiency ----------------------------------------------------------------------------
@pytest.mark.parametrize("condition", ["DPD deficiency", "complete DPD deficiency", "homozygous DPYD variant", "compound heterozygous DPYD variants"])
def test_complete_dpd_deficiency_excludes_every_fluoropyrimidine_regimen(recommend, condition):
    for base in (CRC_1L, HER2_BREAST):
        result = recommend(**base, conditions=[condition])
        assert not any({"fluorouracil", "capecitabine"} & set(o.drugs) for o in result.options)
    result = recommend(**CRC_1L, conditions=[condition])
    assert {"folfox-bevacizumab-crc", "folfiri-bevacizumab-crc"} <= excluded_for(result, "fluorouracil")


@pytest.mark.parametrize("condition", ["partial DPD deficiency", "DPYD heterozygous", "heterozygous DPYD variant"])
def test_partial_dpd_deficiency_cautions_and_names_the_test(recommend, condition):
    result = recommend(**CRC_1L, conditions=[condition])
    options = [o for o in result.options if "fluorouracil" in o.drugs]
    assert options
    assert all("partial DPD deficiency" in cautions(o) and "reduced starting dose" in cautions(o) for o in options)


def test_dpd_deficiency_does_not_touch_regimens_without_a_fluoropyrimidine(recommend):
    result = recommend(**KRAS_G12C, conditions=["DPD deficiency"])
    assert result.options and not any("DPD" in cautions(o) for o in result.options)


# ---- QTc as a number, long QT and electrolytes -------------------------------------------------------------------------
@pytest.mark.parametrize("qtc, offered", [(440, True), (450, True), (451, False), (470, False)])
def test_vandetanib_is_not_started_with_a_qtcf_above_450(recommend, qtc, offered):
    result = recommend(**MTC, organ_function={"qtc_ms": qtc})
    assert bool(with_drug(result, "vandetanib")) is offered
    if not offered:
        assert "vandetanib-mtc" in excluded_for(result, "vandetanib")


def test_a_qtc_in_a_condition_text_counts_for_the_numeric_bound(recommend):
    result = recommend(**MTC, conditions=["QTc 465 ms"])
    assert not with_drug(result, "vandetanib")


def test_the_qtc_bound_is_said_unchecked_without_a_qtc(recommend):
    result = recommend(**MTC)
    assert any(w.code == "patient_context_not_checked" and w.message.startswith("QTc interval not given") for w in result.warnings)


def test_qtc_bound_rule_finding_reads_the_profile_value(kb):
    rule = next(r for r in kb.source.rules.patient if r.id == "vandetanib-qtcf-above-450")
    profile = normalise_profile(kb, PatientProfileInput.model_validate({**MTC, "organ_function": {"qtc_ms": 480}}))
    assert _patient_rule_finding(kb, profile, rule) == "QTc 480 ms (above 450 ms)"
    assert _patient_rule_finding(kb, normalise_profile(kb, PatientProfileInput.model_validate(MTC)), rule) is None


@pytest.mark.parametrize(
    "given",
    [
        {"conditions": ["history of torsades de pointes"]},
        {"organ_function": {"creatinine_clearance_ml_min": 25}},
        {"biomarkers": ["Child-Pugh B"]},
        {"conditions": ["cirrhosis Child-Pugh C"]},
    ],
)
def test_vandetanib_exclusions_from_the_label(recommend, given):
    result = recommend(**MTC, **given)
    assert not with_drug(result, "vandetanib") and "vandetanib-mtc" in excluded_for(result, "vandetanib")


def test_vandetanib_at_moderate_renal_impairment_names_the_200_mg_dose(recommend):
    result = recommend(**MTC, organ_function={"creatinine_clearance_ml_min": 40})
    (option,) = with_drug(result, "vandetanib")
    assert "200 mg once daily" in cautions(option)


@pytest.mark.parametrize(
    "given",
    [
        {"organ_function": {"qtc_ms": 460}},
        {"conditions": ["congenital long QT syndrome"]},
        {"conditions": ["hypokalaemia"]},
        {"conditions": ["hypomagnesemia"]},
    ],
)
def test_quizartinib_is_not_given_where_its_boxed_warning_says_not_to(recommend, given):
    result = recommend(**AML_FLT3, **given)
    assert not with_drug(result, "quizartinib") and excluded_for(result, "quizartinib")


def test_quizartinib_is_offered_with_a_normal_qtc(recommend):
    assert with_drug(recommend(**AML_FLT3, organ_function={"qtc_ms": 430}), "quizartinib")


@pytest.mark.parametrize("given", [{"conditions": ["congenital long QT syndrome"]}, {"organ_function": {"qtc_ms": 490}}])
def test_adagrasib_is_avoided_in_long_qt_and_qtc_prolongation(recommend, given):
    result = recommend(**KRAS_G12C, **given)
    assert not with_drug(result, "adagrasib") and "adagrasib-nsclc" in excluded_for(result, "adagrasib")
    assert with_drug(result, "sotorasib")


def test_gilteritinib_midostaurin_qt_caution(recommend):
    result = recommend(**AML_FLT3, organ_function={"qtc_ms": 470})
    options = with_drug(result, "midostaurin")
    assert options and all("QTc" in cautions(o) for o in options)


# ---- hepatic function -------------------------------------------------------------------------------------------------
def test_lapatinib_in_child_pugh_c_names_the_750_mg_dose(kb):
    rule = next(r for r in kb.source.rules.patient if r.id == "lapatinib-severe-hepatic-impairment")
    profile = normalise_profile(kb, PatientProfileInput.model_validate({**HER2_BREAST, "biomarkers": ["Child-Pugh C"]}))
    assert _patient_rule_finding(kb, profile, rule) == "Child-Pugh C"
    assert rule.action == "caution" and "750 mg/day" in rule.reason


CML_2L = {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "resistance"}]}
CLL_1L = {"cancer_type": "CLLSLL", "prior_therapies": []}
RET_NSCLC = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["KIF5B::RET fusion"], "prior_therapies": []}
MET14 = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["MET exon 14 skipping"], "prior_therapies": []}


def test_bosutinib_renal_and_hepatic_cautions_name_the_earlier_label_doses(recommend):
    for given, dose in (({"organ_function": {"creatinine_clearance_ml_min": 25}}, "300 mg"), ({"biomarkers": ["Child-Pugh B"]}, "200 mg")):
        options = with_drug(recommend(**CML_2L, **given), "bosutinib")
        assert options and all(dose in cautions(o) for o in options)


def test_ponatinib_child_pugh_b_caution(kb):
    rule = next(r for r in kb.source.rules.patient if r.id == "ponatinib-moderate-severe-hepatic-impairment")
    profile = normalise_profile(kb, PatientProfileInput.model_validate({**CML_2L, "conditions": ["cirrhosis Child-Pugh B"]}))
    assert _patient_rule_finding(kb, profile, rule) == "Child-Pugh B"


def test_acalabrutinib_is_not_offered_in_child_pugh_c(recommend):
    result = recommend(**CLL_1L, conditions=["cirrhosis Child-Pugh C"])
    assert not with_drug(result, "acalabrutinib") and excluded_for(result, "acalabrutinib")
    assert with_drug(recommend(**CLL_1L, biomarkers=["Child-Pugh B"]), "acalabrutinib")


def test_selpercatinib_child_pugh_c_names_80_mg_twice_daily(recommend):
    options = with_drug(recommend(**RET_NSCLC, biomarkers=["Child-Pugh C"]), "selpercatinib")
    assert options and all("80 mg twice daily" in cautions(o) for o in options)


@pytest.mark.parametrize("base, drug", [(RET_NSCLC, "pralsetinib"), (RET_NSCLC, "selpercatinib"), (MET14, "tepotinib")])
@pytest.mark.parametrize("condition", ["interstitial lung disease", "history of pneumonitis"])
def test_ild_cautions_for_the_labels_that_warn(recommend, base, drug, condition):
    options = with_drug(recommend(**base, conditions=[condition]), drug)
    assert options and all("ILD" in cautions(o) for o in options)


def test_pralsetinib_is_not_started_with_uncontrolled_hypertension(recommend):
    result = recommend(**RET_NSCLC, conditions=["uncontrolled hypertension"])
    assert not with_drug(result, "pralsetinib") and excluded_for(result, "pralsetinib")
    assert with_drug(result, "selpercatinib")


# ---- GIST after imatinib: secondary KIT mutations and imatinib re-challenge ---------------------------------------------
GIST_AFTER_IMATINIB = {"cancer_type": "GIST", "stage": "metastatic", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}


@pytest.mark.parametrize("secondary", ["KIT exon 17 mutation", "KIT exon 18 mutation", "KIT D816V"])
def test_kit_activation_loop_after_imatinib_is_offered_ripretinib_not_sunitinib(recommend, secondary):
    result = recommend(**GIST_AFTER_IMATINIB, mutations=["KIT exon 11 deletion", secondary])
    assert [o.id for o in result.options] == ["ripretinib-gist"]
    (option,) = result.options
    assert option.evidence_level == "3" and "ripretinib-gist" not in {n.id for n in result.not_recommended}
    assert "sunitinib-gist" in {n.id for n in result.not_recommended}


def test_kit_atp_pocket_after_imatinib_keeps_sunitinib_and_not_second_line_ripretinib(recommend):
    result = recommend(**GIST_AFTER_IMATINIB, mutations=["KIT exon 11 deletion", "KIT exon 13 mutation"])
    assert [o.id for o in result.options] == ["sunitinib-gist"]


def test_imatinib_rechallenge_after_imatinib_and_sunitinib_ranks_below_the_approved_options(recommend):
    result = recommend(
        cancer_type="GIST",
        stage="metastatic",
        mutations=["KIT exon 11 deletion"],
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}, {"drugs": ["sunitinib"], "outcome": "progression"}],
    )
    ids = [o.id for o in result.options]
    assert "imatinib-gist" in ids and ids.index("regorafenib-gist") < ids.index("imatinib-gist")
    option = next(o for o in result.options if o.id == "imatinib-gist")
    assert option.evidence_level == "2" and "right-imatinib-rechallenge-gist" in option.evidence


CRC_2L_AFTER_OXALIPLATIN = {"cancer_type": "COADREAD", "stage": "IV", "prior_therapies": [{"drugs": ["FOLFOX", "bevacizumab"], "outcome": "progression"}]}
ROS1 = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["CD74::ROS1 fusion"], "prior_therapies": [{"drugs": ["crizotinib"], "outcome": "progression"}]}


@pytest.mark.parametrize("condition", ["UGT1A1*28 homozygous", "UGT1A1 *28/*28", "UGT1A1 poor metabolizer"])
def test_irinotecan_in_a_ugt1a1_poor_metaboliser_names_the_70_percent_start(recommend, condition):
    options = [o for o in recommend(**CRC_2L_AFTER_OXALIPLATIN, conditions=[condition]).options if "irinotecan" in o.drugs]
    assert options and all("70% of the normal dose" in cautions(o) for o in options)


def test_oxaliplatin_below_30_ml_min_is_cautioned(recommend):
    options = [o for o in recommend(**CRC_1L, organ_function={"creatinine_clearance_ml_min": 25}).options if "oxaliplatin" in o.drugs]
    assert options and all("Organ Dysfunction Working Group" in cautions(o) for o in options)


def test_repotrectinib_with_a_history_of_ild_is_cautioned(recommend):
    options = with_drug(recommend(**ROS1, conditions=["history of interstitial lung disease"]), "repotrectinib")
    assert options and all("ILD" in cautions(o) for o in options)


HER2_TKD_NSCLC = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["ERBB2 exon 20 insertion"], "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]}


def test_venetoclax_and_zanubrutinib_in_child_pugh_c_name_the_reduced_doses(recommend):
    result = recommend(**CLL_1L, conditions=["cirrhosis Child-Pugh C"])
    venetoclax = [o for o in result.options if "venetoclax" in o.drugs]
    zanubrutinib = with_drug(result, "zanubrutinib")
    assert venetoclax and all("halves the once-daily dose" in cautions(o) for o in venetoclax)
    assert zanubrutinib and all("80 mg twice daily" in cautions(o) for o in zanubrutinib)


def test_zongertinib_ild_caution(recommend):
    options = with_drug(recommend(**HER2_TKD_NSCLC, conditions=["interstitial lung disease"]), "zongertinib")
    assert options and all("ILD" in cautions(o) for o in options)


RCC_2L = {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [{"drugs": ["pembrolizumab", "axitinib"], "outcome": "progression"}]}
DTC = {"cancer_type": "WDTC", "stage": "IV", "prior_therapies": []}
RCC_1L = {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": []}


@pytest.mark.parametrize("child_pugh, words", [("B", "lower starting dose"), ("C", "has not been studied")])
def test_axitinib_hepatic_cautions(recommend, child_pugh, words):
    options = with_drug(recommend(**RCC_1L, biomarkers=[f"Child-Pugh {child_pugh}"]), "axitinib")
    assert options and all(words in cautions(o) for o in options)


@pytest.mark.parametrize("given", [{"organ_function": {"creatinine_clearance_ml_min": 20}}, {"biomarkers": ["Child-Pugh C"]}])
def test_lenvatinib_in_severe_renal_or_hepatic_impairment_names_the_lower_doses(recommend, given):
    options = with_drug(recommend(**DTC, **given), "lenvatinib")
    assert options and all("14 mg once daily for thyroid cancer" in cautions(o) for o in options)


def test_pexidartinib_renal_dose(kb):
    rule = next(r for r in kb.source.rules.patient if r.id == "pexidartinib-renal-impairment")
    profile = normalise_profile(kb, PatientProfileInput.model_validate({"cancer_type": "TGCT", "organ_function": {"creatinine_clearance_ml_min": 60}}))
    assert _patient_rule_finding(kb, profile, rule) == "creatinine clearance 60 mL/min"
    assert "125 mg in the morning and 250 mg in the evening" in rule.reason


def test_rcc_child_pugh_b_and_c_name_the_tablet_doses(recommend):
    moderate = recommend(**RCC_1L, biomarkers=["Child-Pugh B"])
    for drug, words in (("pazopanib", "200 mg once daily"), ("cabozantinib", "40 mg once daily")):
        options = with_drug(moderate, drug)
        assert options and all(words in cautions(o) for o in options), drug
    severe = recommend(**RCC_1L, biomarkers=["Child-Pugh C"])
    options = with_drug(severe, "sunitinib")
    assert options and all("has not been studied" in cautions(o) for o in options)


def test_a_fhir_qtcf_observation_reaches_the_vandetanib_start_bound(recommend):
    from service.fhir.codes import fhir_codes
    from service.fhir.profile import read_record
    from service.fhir.resources import Record, entries_in
    from tests.fhir.bundles import LOINC, Case, bundle_of, cc, observation, patient, quantity

    qtcf = observation("qtcf", cc(LOINC, "76634-5", "Q-T interval corrected based on Fridericia formula"), **quantity(478, "ms"))
    record = Record()
    for resource, full_url in entries_in(bundle_of(Case("qtcf-478", [patient(), qtcf])), "bundle") or []:
        record.add(resource, full_url)
    reading = read_record(fhir_codes(), record)
    assert reading.profile["organ_function"] == {"qtc_ms": 478.0}
    result = recommend(**MTC, organ_function=reading.profile["organ_function"])
    assert not with_drug(result, "vandetanib") and "vandetanib-mtc" in excluded_for(result, "vandetanib")
