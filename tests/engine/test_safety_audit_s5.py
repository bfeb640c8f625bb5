"""Session 5 safety audit (issue 10): the remaining unsafe answers and the conditions the profile could not say."""

from __future__ import annotations

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import _patient_rule_finding
from service.engine.normalise import normalise_profile
from tests.engine.answers import option_ids

HCC_AFTER_SORAFENIB = {"cancer_type": "HCC", "stage": "BCLC C", "prior_therapies": [{"drugs": ["sorafenib"], "outcome": "progression"}]}


def excluded_kinds(result, regimen):  # type: ignore[no-untyped-def]
    return {r.kind for n in result.not_recommended if n.id == regimen for r in n.reasons}


@pytest.mark.parametrize(
    "given",
    [
        {"biomarkers": ["Child-Pugh A"], "conditions": ["cirrhosis Child-Pugh C"]},
        {"biomarkers": ["Child-Pugh A", "Child-Pugh C"]},
        {"stage": "BCLC C, Child-Pugh A", "conditions": ["cirrhosis Child-Pugh C"]},
    ],
)
def test_a_contradictory_child_pugh_a_and_c_does_not_pass_as_a(recommend, given):
    result = recommend(**{**HCC_AFTER_SORAFENIB, **given})
    assert not {"cabozantinib-hcc", "regorafenib-hcc"} & set(option_ids(result))
    assert "contraindication" in excluded_kinds(result, "cabozantinib-hcc")
    warning = next(w for w in result.warnings if w.code == "contradictory_results")
    assert "Child-Pugh is given as A and C" in warning.message and "Child-Pugh C are applied" in warning.message
    assert result.provisional
    # the hepatic rules were checked, on the worse class: the answer does not say they were not
    assert not any(w.code == "patient_context_not_checked" and "Child-Pugh" in w.message for w in result.warnings)


def test_a_contradictory_child_pugh_a_and_b_keeps_the_child_pugh_b_rules_only(kb, recommend):
    result = recommend(**HCC_AFTER_SORAFENIB, biomarkers=["Child-Pugh A", "Child-Pugh B"])
    profile = normalise_profile(kb, PatientProfileInput.model_validate({**HCC_AFTER_SORAFENIB, "biomarkers": ["Child-Pugh A", "Child-Pugh B"]}))
    assert profile.child_pugh_contradicted == ("A", "B")
    # no Child-Pugh C rule fires on an A/B contradiction
    for rule in kb.source.rules.patient:
        if rule.when.child_pugh == ["C"]:
            assert _patient_rule_finding(kb, profile, rule) is None
    assert "Child-Pugh" not in profile.biomarkers and result.provisional


RCC_1L = {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": []}
RCC_2L = {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [{"drugs": ["pembrolizumab", "axitinib"], "outcome": "progression"}]}
HCC_1L = {"cancer_type": "HCC", "stage": "BCLC C", "biomarkers": ["Child-Pugh A"], "prior_therapies": []}
CRC_REFRACTORY = {
    "cancer_type": "COADREAD",
    "stage": "IV",
    "mutations": ["KRAS G12D"],
    "prior_therapies": [{"drugs": ["FOLFOX", "bevacizumab"], "outcome": "progression"}, {"drugs": ["FOLFIRI"], "outcome": "progression"}],
}
MTC = {"cancer_type": "THME", "stage": "IV", "mutations": ["RET M918T"], "prior_therapies": []}
SCT = "http://snomed.info/sct"


def offered_with(result, drug):  # type: ignore[no-untyped-def]
    return [o for o in result.options if drug in o.drugs]


# ---- the audit's remaining unsafe answers ---------------------------------------------------------------------------
def test_pazopanib_is_not_offered_in_child_pugh_c(recommend):
    for base in (RCC_1L, {"cancer_type": "LMS", "stage": "IV", "prior_therapies": [{"drugs": ["doxorubicin"], "outcome": "progression"}]}):
        result = recommend(**base, conditions=["cirrhosis Child-Pugh C"])
        assert not offered_with(result, "pazopanib")
    assert offered_with(recommend(**RCC_1L, biomarkers=["Child-Pugh B"]), "pazopanib")


def test_cometriq_capsules_are_excluded_in_child_pugh_c_and_cautioned_in_b(recommend):
    severe = recommend(**MTC, biomarkers=["Child-Pugh C"])
    assert "cabozantinib-mtc" not in option_ids(severe)
    assert "contraindication" in excluded_kinds(severe, "cabozantinib-mtc")
    moderate = next(o for o in recommend(**MTC, biomarkers=["Child-Pugh B"]).options if o.id == "cabozantinib-mtc")
    assert any("COMETRIQ" in c.detail for c in moderate.cautions)


@pytest.mark.parametrize("base", [HCC_1L, CRC_REFRACTORY])
def test_bevacizumab_is_not_offered_after_recent_haemoptysis_outside_nsclc(recommend, base):
    result = recommend(**base, conditions=["recent haemoptysis"])
    assert not offered_with(result, "bevacizumab")
    # a past haemoptysis outside NSCLC keeps the bleeding caution, not the exclusion
    past = recommend(**base, conditions=["history of haemoptysis"])
    assert all(o.cautions for o in offered_with(past, "bevacizumab"))


def test_cisplatin_below_60_ml_min_is_excluded_in_urothelial_cancer_and_cautioned_elsewhere(recommend):
    urothelial = recommend(cancer_type="BLCA", stage="IV", prior_therapies=[], organ_function={"creatinine_clearance_ml_min": 45})
    assert not offered_with(urothelial, "cisplatin")
    assert "contraindication" in excluded_kinds(urothelial, "gemcitabine-cisplatin-urothelial")
    biliary = recommend(cancer_type="BILIARY_TRACT", stage="IV", prior_therapies=[], organ_function={"creatinine_clearance_ml_min": 20})
    options = offered_with(biliary, "cisplatin")
    assert options and all(any("cisplatin label" in c.detail for c in o.cautions) for o in options)
    assert offered_with(recommend(cancer_type="BLCA", stage="IV", prior_therapies=[], organ_function={"creatinine_clearance_ml_min": 75}), "cisplatin")


# ---- the new conditions: reading ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, condition, current",
    [
        ("uncontrolled hypertension", "uncontrolled_hypertension", True),
        ("hypertensive crisis", "uncontrolled_hypertension", True),
        ("well-controlled hypertension", "hypertension", True),
        ("stroke 2 months ago", "stroke", True),
        ("history of stroke 2 months ago", "stroke", True),
        ("myocardial infarction 3 years ago", "myocardial_infarction", False),
        ("TIA in the last 3 months", "transient_ischaemic_attack", True),
        ("history of GI perforation", "gi_perforation", False),
        ("enterocutaneous fistula", "fistula", True),
        ("major surgery 2 weeks ago", "recent_major_surgery", True),
        ("wound dehiscence", "recent_major_surgery", True),
        ("active bleeding", "active_bleeding", True),
    ],
)
def test_new_condition_words_are_read_with_their_time(kb, text, condition, current):
    from service.engine.readers.patient import read_condition

    reading = read_condition(kb, text)
    assert (reading.condition, reading.current) == (condition, current)
    if "ago" in text or "last" in text:
        assert "read as" in reading.understood.read_as and "6 months" in reading.understood.read_as


@pytest.mark.parametrize(
    "code, condition",
    [("70272006", "uncontrolled_hypertension"), ("443482000", "uncontrolled_hypertension"), ("59621000", "hypertension"),
     ("22298006", "myocardial_infarction"), ("230690007", "stroke"), ("266257000", "transient_ischaemic_attack")],
)  # fmt: skip
def test_new_conditions_are_read_from_fhir_snomed_codes(kb, code, condition):
    from schemas.requests import ConditionInput
    from service.engine.readers.patient import read_condition

    assert read_condition(kb, ConditionInput(code=code, system=SCT, clinical_status="active")).condition == condition


def test_a_fhir_condition_resource_for_malignant_hypertension_excludes_lenvatinib(recommend):
    from service.fhir.codes import fhir_codes
    from service.fhir.profile import read_record
    from service.fhir.resources import Record, parse_resource
    from tests.fixtures.fhir import make_fixtures as fx

    record = Record()
    record.add(parse_resource(fx.comorbidity("p1", "h", fx.SCT, "70272006", "Malignant hypertension (disorder)"), "test"))
    conditions = read_record(fhir_codes(), record).profile["conditions"]
    result = recommend(**RCC_1L, conditions=conditions)
    assert not offered_with(result, "lenvatinib") and not offered_with(result, "axitinib")


# ---- the new conditions: rules --------------------------------------------------------------------------------------
def test_uncontrolled_hypertension_excludes_the_vegf_inhibitors_whose_labels_say_control_it_first(recommend):
    result = recommend(**RCC_1L, conditions=["uncontrolled hypertension"])
    for drug in ("lenvatinib", "axitinib", "cabozantinib"):
        assert not offered_with(result, drug), drug
    controlled = recommend(**RCC_1L, conditions=["controlled hypertension"])
    for drug in ("lenvatinib", "axitinib", "cabozantinib"):
        options = offered_with(controlled, drug)
        assert options and all(any("blood pressure" in c.detail for c in o.cautions) for o in options), drug


def test_a_recent_arterial_event_cautions_and_an_old_one_cautions_only_where_the_label_reads_history(recommend):
    recent = recommend(**RCC_1L, conditions=["stroke 2 months ago"])
    for drug in ("lenvatinib", "axitinib", "cabozantinib"):
        assert all(o.cautions for o in offered_with(recent, drug)), drug
    old = recommend(**RCC_1L, conditions=["myocardial infarction 3 years ago"])
    lenvatinib = next(o for o in old.options if o.id == "pembrolizumab-lenvatinib")
    assert not any("6 months" in c.detail for c in lenvatinib.cautions)
    assert all(any("12 months" in c.detail for c in o.cautions) for o in offered_with(old, "axitinib"))


def test_a_current_gi_perforation_excludes_bevacizumab_and_cabozantinib_and_a_past_one_cautions(recommend):
    current = recommend(**HCC_AFTER_SORAFENIB, biomarkers=["Child-Pugh A"], conditions=["GI perforation"])
    assert "cabozantinib-hcc" not in option_ids(current)
    past = recommend(**HCC_1L, conditions=["history of GI perforation"])
    assert all(o.cautions for o in offered_with(past, "bevacizumab"))
    assert not offered_with(recommend(**HCC_1L, conditions=["GI perforation"]), "bevacizumab")


@pytest.mark.parametrize("when, offered", [("major surgery 2 weeks ago", False), ("major surgery 2 months ago", True)])
def test_bevacizumab_waits_28_days_after_surgery(recommend, when, offered):
    options = offered_with(recommend(**HCC_1L, conditions=[when]), "bevacizumab")
    assert bool(options) == offered
    assert all(any("wound" in c.detail for c in o.cautions) for o in options)


def test_pregnancy_cautions_every_systemic_option(recommend):
    for base in (RCC_1L, CRC_REFRACTORY, {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": []}):
        result = recommend(**base, conditions=["pregnant"])
        assert result.options
        for option in result.options:
            assert any("pregnan" in c.detail for c in option.cautions), option.id


def test_axitinib_is_not_offered_after_recent_gi_bleeding_and_pazopanib_not_after_recent_haemorrhage(recommend):
    result = recommend(**RCC_2L, conditions=["recent GI bleeding"])
    assert not offered_with(result, "axitinib") and not offered_with(result, "pazopanib")
    assert not offered_with(recommend(**RCC_1L, conditions=["recent haemoptysis"]), "pazopanib")


@pytest.mark.parametrize(
    "profile, regimen",
    [
        ({**CRC_REFRACTORY}, "trifluridine-tipiracil-bevacizumab"),
        ({"cancer_type": "BILIARY_TRACT", "stage": "IV", "prior_therapies": []}, "pembrolizumab-gemcitabine-cisplatin"),
        ({"cancer_type": "LUAD", "stage": "IV", "mutations": ["ERBB2 exon 20 insertion"], "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]}, "zongertinib-nsclc"),
    ],
)
def test_ecog_2_cautions_options_whose_trials_enrolled_ecog_0_1(recommend, profile, regimen):
    result = recommend(**profile, ecog=2)
    option = next((o for o in result.options if o.id == regimen), None)
    assert option is not None, [o.id for o in result.options]
    assert any("0-1 only" in c.detail for c in option.cautions)
    assert not any("0-1 only" in c.detail for c in next(o for o in recommend(**profile, ecog=1).options if o.id == regimen).cautions)


def test_ponatinib_carries_its_arterial_occlusion_caution_after_a_stroke_recent_or_past(recommend):
    base = {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR::ABL1 T315I"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}
    for when in ("stroke 2 months ago", "history of myocardial infarction"):
        options = offered_with(recommend(**base, conditions=[when]), "ponatinib")
        assert options and all(any("arterial occlusive" in c.detail for c in o.cautions) for o in options), when
