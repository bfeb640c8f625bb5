"""Issue 11, session 6: the standard of care in the other solid tumours: papillary and other non-clear cell renal cell
carcinoma, melanoma after a PD-1 inhibitor, KIT-mutant melanoma, HER2-low breast cancer, the
doxorubicin + ifosfamide first line in soft-tissue sarcoma, CheckMate 901 withheld, and drugs that failed not offered
again."""

from __future__ import annotations

import pytest

from tests.engine.answers import excluded_ids, option, option_ids

def assert_every_component_dosed(result):  # type: ignore[no-untyped-def]
    for shown in result.options:
        for component in shown.components:
            assert component.dose, f"{shown.id}: {component.drug} has no dose"


def test_papillary_rcc_gets_cabozantinib_above_sunitinib(recommend):
    result = recommend(cancer_type="papillary renal cell carcinoma", stage="IV")
    ids = option_ids(result)
    assert ids.index("cabozantinib-rcc-later-line") < ids.index("sunitinib-rcc")
    cabozantinib = option(result, "cabozantinib-rcc-later-line")
    assert cabozantinib.indication_id == "cabozantinib-papillary-rcc" and cabozantinib.evidence_level == "2"
    assert {c.drug: c.dose for c in cabozantinib.components}["cabozantinib"].startswith("60 mg")
    assert option(result, "sunitinib-rcc").indication_id == "sunitinib-non-clear-cell-rcc-first-line"
    assert_every_component_dosed(result)


def test_papillary_rcc_cabozantinib_is_not_offered_after_a_vegf_directed_agent(recommend):
    result = recommend(cancer_type="papillary renal cell carcinoma", stage="IV", prior_therapies=["sunitinib (progression)"])
    assert "cabozantinib-rcc-later-line" not in option_ids(result)
    assert "cabozantinib-rcc-later-line" in excluded_ids(result)
    after_immunotherapy = recommend(cancer_type="papillary renal cell carcinoma", stage="IV", prior_therapies=["pembrolizumab (progression)"])
    assert "cabozantinib-rcc-later-line" in option_ids(after_immunotherapy)


@pytest.mark.parametrize("cancer_type", ["chromophobe renal cell carcinoma", "non-clear cell renal cell carcinoma"])
def test_chromophobe_and_non_clear_cell_rcc_are_read_and_get_sunitinib(recommend, cancer_type):
    result = recommend(cancer_type=cancer_type, stage="IV")
    assert "sunitinib-rcc" in option_ids(result)
    assert option(result, "sunitinib-rcc").indication_id == "sunitinib-non-clear-cell-rcc-first-line"


def test_clear_cell_rcc_still_gets_its_own_indications(recommend):
    result = recommend(cancer_type="clear cell renal cell carcinoma", stage="IV")
    assert option(result, "sunitinib-rcc").indication_id == "sunitinib-rcc-first-line"
    assert option(result, "cabozantinib-rcc-later-line").indication_id == "cabozantinib-rcc-first-line-intermediate-poor"


@pytest.mark.parametrize("braf", ["BRAF not detected", "BRAF V600E"])
def test_melanoma_after_a_pd1_inhibitor_gets_nivolumab_ipilimumab_above_ipilimumab(recommend, braf):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=[braf], prior_therapies=["pembrolizumab (progression)"])
    ids = option_ids(result)
    combination = option(result, "nivolumab-ipilimumab-melanoma")
    assert combination.indication_id == "nivolumab-ipilimumab-melanoma-after-pd1" and combination.evidence_level == "2"
    assert ids.index("nivolumab-ipilimumab-melanoma") < ids.index("ipilimumab-melanoma")
    doses = {c.drug: c.dose for c in combination.components}
    assert doses["ipilimumab"].startswith("3 mg/kg") and doses["nivolumab"].startswith("1 mg/kg")
    assert {"pembrolizumab-melanoma", "nivolumab-melanoma"} <= excluded_ids(result)
    assert_every_component_dosed(result)


def test_melanoma_after_ipilimumab_is_not_offered_ipilimumab_again(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"], prior_therapies=["nivolumab + ipilimumab (progression)"])
    assert not {"nivolumab-ipilimumab-melanoma", "ipilimumab-melanoma"} & set(option_ids(result))
    assert "ipilimumab-melanoma" in excluded_ids(result)


def test_untreated_melanoma_is_not_offered_the_after_pd1_indications(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"])
    assert option(result, "nivolumab-ipilimumab-melanoma").indication_id == "nivolumab-ipilimumab-melanoma-advanced"
    assert "ipilimumab-melanoma" not in option_ids(result)


def test_kit_exon_11_melanoma_gets_imatinib_at_level_3_below_immunotherapy(recommend):
    result = recommend(cancer_type="acral melanoma", stage="IV", mutations=["KIT L576P", "BRAF not detected"])
    ids = option_ids(result)
    imatinib = option(result, "imatinib-kit-melanoma")
    assert imatinib.evidence_level == "3" and imatinib.contains_tki is True
    assert ids.index("nivolumab-ipilimumab-melanoma") < ids.index("imatinib-kit-melanoma")
    assert {c.drug: c.dose for c in imatinib.components}["imatinib"].startswith("400 mg")


def test_kit_amplification_alone_does_not_open_imatinib_in_melanoma(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["KIT amplification", "BRAF not detected"])
    assert "imatinib-kit-melanoma" not in option_ids(result)


@pytest.mark.parametrize("organ", ["BOWEL", "STOMACH", "HEAD_NECK", "BLADDER", "VULVA"])
def test_a_cancer_typed_only_by_organ_is_not_offered_melanoma_regimens(recommend, organ):
    # OncoTree places mucosal melanoma under its organ sites: melanoma regimens list MEL only, so an organ-level type
    # (a colorectal code read as Bowel) never picks them up as a broader match
    result = recommend(cancer_type=organ, stage="IV", mutations=["KIT L576P"])
    assert not {"nivolumab-melanoma", "nivolumab-ipilimumab-melanoma", "imatinib-kit-melanoma"} & set(option_ids(result))


def test_her2_low_breast_cancer_after_chemotherapy_gets_trastuzumab_deruxtecan(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 low", "HR positive"], prior_therapies=["paclitaxel (progression)"])
    shown = option(result, "trastuzumab-deruxtecan-breast")
    assert shown.indication_id == "trastuzumab-deruxtecan-her2-low-breast-after-chemotherapy"
    assert shown.overall_survival and shown.overall_survival.result == "superior"
    assert {c.drug: c.dose for c in shown.components}["fam-trastuzumab deruxtecan"] == "5.4 mg/kg IV every 3 weeks"
    untreated = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 low"])
    assert "trastuzumab-deruxtecan-breast" not in option_ids(untreated)
    her2_negative = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 0"], prior_therapies=["paclitaxel (progression)"])
    assert "trastuzumab-deruxtecan-breast" not in option_ids(her2_negative)


def test_trastuzumab_deruxtecan_is_not_offered_again_after_progression_on_it(recommend):
    lines = [
        {"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "outcome": "progression", "line": 1},
        {"drugs": ["trastuzumab deruxtecan"], "outcome": "progression", "line": 2},
    ]
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 positive"], prior_therapies=lines)
    assert "trastuzumab-deruxtecan-breast" not in option_ids(result)
    assert "trastuzumab-deruxtecan-breast" in excluded_ids(result)
    assert {"ado-trastuzumab-emtansine-breast", "tucatinib-trastuzumab-capecitabine"} <= set(option_ids(result))
    responded = [lines[0], {"drugs": ["trastuzumab deruxtecan"], "outcome": "response", "line": 2}]
    again = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 positive"], prior_therapies=responded)
    shown = option(again, "trastuzumab-deruxtecan-breast")
    assert any("trastuzumab deruxtecan was given before" in c.detail for c in shown.cautions)


def test_everolimus_is_not_offered_again_after_progression_on_it_in_pnet(recommend):
    result = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", prior_therapies=["everolimus (progression)"])
    assert "everolimus-pnet" not in option_ids(result)
    assert {"sunitinib-pnet", "cabozantinib-pnet"} <= set(option_ids(result))


def test_soft_tissue_sarcoma_first_line_gets_doxorubicin_with_or_without_ifosfamide(recommend):
    result = recommend(cancer_type="leiomyosarcoma", stage="IV")
    assert {"doxorubicin-sts", "doxorubicin-ifosfamide-sts"} <= set(option_ids(result))
    doses = {c.drug: c.dose for c in option(result, "doxorubicin-ifosfamide-sts").components}
    assert doses["ifosfamide"].startswith("10 g/m2") and doses["doxorubicin"].startswith("75 mg/m2")
    later = recommend(cancer_type="leiomyosarcoma", stage="IV", prior_therapies=["doxorubicin (progression)"])
    assert "doxorubicin-ifosfamide-sts" not in option_ids(later)


def test_checkmate_901_is_offered_with_every_dose_above_gemcitabine_cisplatin_where_cisplatin_can_be_given(recommend):
    result = recommend(cancer_type="bladder urothelial carcinoma", stage="IV", organ_function={"creatinine_clearance_ml_min": 75},
                       prior_therapies=[])  # fmt: skip
    ids = option_ids(result)
    doses = {c.drug: c.dose for c in option(result, "nivolumab-gemcitabine-cisplatin-urothelial").components}
    assert doses["gemcitabine"].startswith("1000 mg/m2") and doses["cisplatin"].startswith("70 mg/m2") and doses["nivolumab"]
    assert ids.index("nivolumab-gemcitabine-cisplatin-urothelial") < ids.index("gemcitabine-cisplatin-urothelial")
    low = recommend(cancer_type="bladder urothelial carcinoma", stage="IV", organ_function={"creatinine_clearance_ml_min": 42},
                    prior_therapies=[])  # fmt: skip
    assert "nivolumab-gemcitabine-cisplatin-urothelial" not in option_ids(low)


def test_gist_progressing_on_imatinib_400_gets_the_800_mg_escalation_below_sunitinib(recommend):
    result = recommend(cancer_type="GIST", stage="IV", prior_therapies=["imatinib (progression)"])
    ids = option_ids(result)
    escalation = option(result, "imatinib-800-gist-after-progression")
    assert escalation.evidence_level == "3"
    assert {c.drug: c.dose for c in escalation.components}["imatinib"] == "400 mg orally twice daily"
    assert ids.index("sunitinib-gist") < ids.index("imatinib-800-gist-after-progression")


def test_imatinib_escalation_is_not_offered_after_imatinib_intolerance(recommend):
    result = recommend(cancer_type="GIST", stage="IV", prior_therapies=["imatinib (intolerance)"])
    assert "imatinib-800-gist-after-progression" not in option_ids(result)


@pytest.mark.parametrize("secondary", ["KIT exon 17 mutation", "KIT V654A"])
def test_a_secondary_kit_mutation_after_imatinib_excludes_the_escalation(recommend, secondary):
    result = recommend(cancer_type="GIST", stage="IV", mutations=["KIT exon 11 deletion", secondary], prior_therapies=["imatinib (progression)"])
    assert "imatinib-800-gist-after-progression" not in option_ids(result)
    assert "imatinib-800-gist-after-progression" in excluded_ids(result)


def test_pdgfra_d842v_gist_is_not_offered_imatinib_escalation(recommend):
    result = recommend(cancer_type="GIST", stage="IV", mutations=["PDGFRA D842V"], prior_therapies=["imatinib (progression)"])
    assert "imatinib-800-gist-after-progression" not in option_ids(result)
    assert "avapritinib-gist" in option_ids(result)


def test_pnet_gets_capecitabine_temozolomide_and_lanreotide_only_when_sstr_positive(recommend):
    positive = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", biomarkers=["SSTR positive"])
    assert {"lanreotide-pnet", "capecitabine-temozolomide-pnet", "everolimus-pnet", "sunitinib-pnet"} <= set(option_ids(positive))
    doses = {c.drug: c.dose for c in option(positive, "capecitabine-temozolomide-pnet").components}
    assert doses["capecitabine"].startswith("750 mg/m2") and doses["temozolomide"].startswith("200 mg/m2")
    assert_every_component_dosed(positive)
    negative = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", biomarkers=["SSTR negative"])
    assert "lanreotide-pnet" not in option_ids(negative) and "lanreotide-pnet" in excluded_ids(negative)
    not_given = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV")
    assert "lanreotide-pnet" not in option_ids(not_given)
    assert not_given.provisional is True


def test_pnet_after_a_somatostatin_analogue_or_captem_is_not_offered_them_again(recommend):
    after_lanreotide = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", biomarkers=["SSTR positive"], prior_therapies=["lanreotide (progression)"])
    assert "lanreotide-pnet" not in option_ids(after_lanreotide)
    after_captem = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", prior_therapies=["capecitabine + temozolomide (progression)"])
    assert "capecitabine-temozolomide-pnet" not in option_ids(after_captem)
    assert "cabozantinib-pnet" in option_ids(after_captem)


HR_POSITIVE_FIRST_LINE = {"ribociclib-letrozole-breast", "palbociclib-letrozole-breast", "ribociclib-fulvestrant-breast"}


@pytest.mark.parametrize("her2", ["HER2 negative", "HER2 low"])
def test_hr_positive_her2_negative_breast_cancer_first_line_gets_a_cdk46_inhibitor_with_endocrine_therapy(recommend, her2):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["ER positive", her2])
    assert HR_POSITIVE_FIRST_LINE <= set(option_ids(result))
    ribociclib = option(result, "ribociclib-letrozole-breast")
    assert ribociclib.overall_survival and ribociclib.overall_survival.comparator == "placebo + letrozole"
    assert option_ids(result).index("ribociclib-letrozole-breast") < option_ids(result).index("palbociclib-letrozole-breast")
    assert_every_component_dosed(result)


def test_after_progression_on_an_aromatase_inhibitor_a_cdk46_inhibitor_comes_with_fulvestrant(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["letrozole (progression)"])
    ids = set(option_ids(result))
    assert {"ribociclib-fulvestrant-breast", "abemaciclib-fulvestrant-breast"} <= ids
    assert not {"ribociclib-letrozole-breast", "palbociclib-letrozole-breast"} & ids
    abemaciclib = option(result, "abemaciclib-fulvestrant-breast")
    assert abemaciclib.overall_survival and abemaciclib.overall_survival.comparator == "placebo + fulvestrant"
    assert_every_component_dosed(result)


def test_abemaciclib_fulvestrant_needs_progression_on_endocrine_therapy(recommend):
    untreated = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"])
    assert "abemaciclib-fulvestrant-breast" not in option_ids(untreated)
    after_chemotherapy = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["paclitaxel (progression)"])
    assert "abemaciclib-fulvestrant-breast" not in option_ids(after_chemotherapy)


def test_after_a_cdk46_inhibitor_options_whose_trials_predate_them_say_it_was_not_checked(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["palbociclib + letrozole (progression)"])
    for regimen_id in ("everolimus-exemestane-breast", "fulvestrant-breast"):
        assert any("CDK4/6" in c for c in option(result, regimen_id).caveats)
    # the CDK4/6 options shown rest on trials that enrolled patients after one (postMONARCH, MAINTAIN): no such caveat
    for regimen_id in ("ribociclib-fulvestrant-breast", "abemaciclib-fulvestrant-breast"):
        assert not any("not checked for a prior CDK4/6" in c for c in option(result, regimen_id).caveats)


@pytest.mark.parametrize("biomarkers", [["HR negative", "HER2 negative"], ["HR positive", "HER2 positive"]])
def test_cdk46_regimens_are_not_offered_outside_hr_positive_her2_negative_disease(recommend, biomarkers):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=biomarkers)
    assert not HR_POSITIVE_FIRST_LINE & set(option_ids(result))
    assert HR_POSITIVE_FIRST_LINE <= excluded_ids(result)


def test_hr_positive_breast_cancer_without_a_her2_result_asks_for_it(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive"])
    assert not HR_POSITIVE_FIRST_LINE & set(option_ids(result))
    assert result.provisional is True


def test_triple_negative_breast_cancer_after_chemotherapy_gets_sacituzumab_govitecan(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["ER negative", "PR negative", "HER2 0"], prior_therapies=["carboplatin + paclitaxel (progression)"])
    shown = option(result, "sacituzumab-govitecan-tnbc")
    assert shown.overall_survival and shown.overall_survival.result == "superior"
    assert {c.drug: c.dose for c in shown.components}["sacituzumab govitecan"].startswith("10 mg/kg")
    hr_positive = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["ER positive", "HER2 negative"], prior_therapies=["paclitaxel (progression)"])
    assert "sacituzumab-govitecan-tnbc" not in option_ids(hr_positive)
    pr_not_given = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["ER negative", "HER2 negative"], prior_therapies=["paclitaxel (progression)"])
    assert "sacituzumab-govitecan-tnbc" not in option_ids(pr_not_given) and pr_not_given.provisional is True


KEYNOTE_355 = {"pembrolizumab-nab-paclitaxel-tnbc", "pembrolizumab-paclitaxel-tnbc", "pembrolizumab-gemcitabine-carboplatin-tnbc"}


def test_keynote_355_is_offered_with_each_chemotherapy_for_cps_10_or_more_triple_negative_breast_cancer(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR negative", "HER2 negative"], pd_l1={"cps": 15})
    shown = [o for o in result.options if o.id in KEYNOTE_355]
    assert {o.id for o in shown} == KEYNOTE_355
    assert all(c.dose for o in shown for c in o.components)
    assert {c.drug: c.dose for c in option(result, "pembrolizumab-gemcitabine-carboplatin-tnbc").components}["carboplatin"].startswith("AUC 2")
    low = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR negative", "HER2 negative"], pd_l1={"cps": 5})
    assert not KEYNOTE_355 & set(option_ids(low))
