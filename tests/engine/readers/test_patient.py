"""Stage and the details written with it, performance status and conditions."""

from __future__ import annotations

import pytest

from schemas.requests import ConditionInput
from service.engine.readers.patient import PatientDetails, read_condition, read_ecog, read_stage
from service.knowledge.records import Setting


@pytest.mark.parametrize(
    ("text", "settings"),
    [
        ("IV", (Setting.METASTATIC,)),
        ("stage IVB", (Setting.METASTATIC,)),
        ("IIIA", (Setting.LOCALLY_ADVANCED,)),
        ("Stage IB", (Setting.EARLY,)),
        ("locally advanced", (Setting.LOCALLY_ADVANCED,)),
        ("unresectable", (Setting.ADVANCED,)),
        ("metastatic", (Setting.METASTATIC,)),
        ("recurrent", (Setting.RECURRENT,)),
        ("chronic phase", (Setting.CHRONIC_PHASE,)),
        ("Accelerated Phase", (Setting.ACCELERATED_PHASE,)),
        ("blast crisis", (Setting.BLAST_PHASE,)),
        ("newly diagnosed", (Setting.NEWLY_DIAGNOSED,)),
        ("relapsed/refractory", (Setting.RELAPSED, Setting.REFRACTORY)),
        ("cT2aN1M1b", (Setting.METASTATIC,)),
        ("BCLC C, Child-Pugh A5", (Setting.ADVANCED,)),
    ],
)
def test_stage_forms_map_to_settings(text, settings):
    understood, result = read_stage(text, PatientDetails())
    assert understood.status == "recognised", understood.detail
    assert result == settings


def test_details_in_the_stage_text_are_read_into_their_fields():
    details = PatientDetails()
    understood, settings = read_stage("IV (active brain metastases), ECOG 1", details)
    assert settings == (Setting.METASTATIC,)
    assert details.brain_metastases == "active" and details.ecog == 1
    assert "brain metastases: active" in (understood.read_as or "")
    hcc = PatientDetails()
    read_stage("BCLC C, Child-Pugh A5", hcc)
    assert hcc.biomarkers == {"BCLC": "C", "Child-Pugh": "A"} and hcc.child_pugh_score == "A5"
    rcc = PatientDetails()
    read_stage("metastatic, IMDC intermediate risk", rcc)
    assert rcc.biomarkers == {"IMDC risk": "intermediate"}


@pytest.mark.parametrize(
    ("text", "state"),
    [("IV with treated brain mets", "treated"), ("IV, untreated brain metastases", "active"), ("IV, no brain metastases", "none"), ("IV, brain metastases", "present")],
)
def test_brain_metastases_states(text, state):
    details = PatientDetails()
    read_stage(text, details)
    assert details.brain_metastases == state


@pytest.mark.parametrize("text", ["IIIA, completely resected", "stage IIIA resected", "IB (after resection)", "stage II, adjuvant"])
def test_resected_stage_i_to_iii_is_the_early_adjuvant_setting(text):
    details = PatientDetails()
    understood, settings = read_stage(text, details)
    assert understood.status == "recognised" and settings == (Setting.EARLY,)
    assert "resected" in (understood.read_as or "")


@pytest.mark.parametrize("text", ["resected", "completely resected", "resected, adjuvant"])
def test_resected_with_no_stage_is_the_early_setting_and_says_so(text):
    understood, settings = read_stage(text, PatientDetails())
    assert understood.status == "recognised" and settings == (Setting.EARLY,)
    assert "early" in (understood.read_as or "")


def test_resected_metastatic_disease_is_not_guessed():
    for text in ("IV, resected", "IV, resected, adjuvant", "metastatic, resected"):
        understood, settings = read_stage(text, PatientDetails())
        assert settings == () and understood.status == "not_recognised", text


def test_unrecognised_stage_words_make_the_stage_not_recognised():
    understood, settings = read_stage("stage V", PatientDetails())
    assert settings == () and understood.status == "not_recognised"
    understood, settings = read_stage("IV (bulky nodes)", PatientDetails())
    assert settings == () and "bulky nodes" in (understood.detail or "")


def test_ecog_as_number_or_text():
    details = PatientDetails()
    assert read_ecog(2, details).status == "recognised" and details.ecog == 2
    assert read_ecog("ECOG 1", details).status == "recognised" and details.ecog == 1
    assert read_ecog("KPS 70", PatientDetails()).status == "not_recognised"


@pytest.mark.parametrize(
    ("text", "condition", "groups", "current"),
    [
        ("myasthenia gravis on azathioprine", "myasthenia_gravis", ["active_autoimmune_disease"], True),
        ("active autoimmune disease", "autoimmune_disease", ["active_autoimmune_disease"], True),
        ("history of ulcerative colitis", "ulcerative_colitis", ["active_autoimmune_disease"], False),
        ("renal transplant recipient", "kidney_transplant", ["solid_organ_transplant"], True),
        ("allo-HSCT 2019", None, None, None),
        ("prior allogeneic stem cell transplant", "allogeneic_stem_cell_transplant", ["allogeneic_hsct"], False),
        ("interstitial lung disease", "interstitial_lung_disease", ["interstitial_lung_disease"], True),
        ("previous immune-related pneumonitis", "pneumonitis", ["interstitial_lung_disease"], False),
        ("grade 3 irAE", "severe_immune_related_adverse_event", ["prior_severe_irae"], True),
        ("cirrhosis, Child-Pugh B7", "cirrhosis", ["hepatic_impairment"], True),
        ("CrCl 25 mL/min", "renal_impairment", ["renal_impairment"], True),
        ("QTc 510 ms", "qtc_prolongation", ["qtc_prolongation"], True),
        ("congenital long QT syndrome", "congenital_long_qt_syndrome", ["congenital_long_qt"], True),
        ("heart failure NYHA III", "heart_failure", ["heart_failure"], True),
        ("pregnant", "pregnancy", ["pregnancy"], True),
    ],
)
def test_conditions_in_clinic_letter_words(kb, text, condition, groups, current):
    reading = read_condition(kb, text)
    if condition is None:
        assert reading.condition is None and reading.understood.status == "not_recognised"
        return
    assert reading.condition == condition, reading.understood.detail
    assert list(reading.groups) == groups and reading.current is current
    assert reading.understood.read_as


def test_condition_measurements_are_kept(kb):
    assert read_condition(kb, "CrCl 25 mL/min").measurements == {"creatinine_clearance_ml_min": 25.0}
    assert read_condition(kb, "QTc 510 ms").measurements == {"qtc_ms": 510.0}
    assert read_condition(kb, "cirrhosis, Child-Pugh B7").measurements == {"child_pugh": "B"}


def test_two_conditions_in_one_entry_or_unknown_words_are_not_recognised(kb):
    assert read_condition(kb, "lupus and psoriasis").condition is None
    assert read_condition(kb, "myasthenia gravis, sort of").condition is None
    assert read_condition(kb, "active history of lupus").condition is None


def test_a_coded_condition_is_read_by_its_code(kb):
    codes = [(c, code) for c in kb.source.readings.conditions for code in c.codes]
    if not codes:
        pytest.skip("no condition codes in this knowledge release")
    condition, code = codes[0]
    reading = read_condition(kb, ConditionInput(code=code.code, system=code.system))
    assert reading.condition == condition.id
    resolved = read_condition(kb, ConditionInput(code=code.code, system=code.system, clinical_status="resolved"))
    assert resolved.current is False
