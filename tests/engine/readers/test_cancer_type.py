"""Cancer types: the whole OncoTree, clinician phrasing resolved by rule, misses suggested and never applied."""

from __future__ import annotations

import pytest

from service.engine.readers.cancer_type import read_cancer_type


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NSCLC", "NSCLC"),
        ("nsclc", "NSCLC"),
        ("non-small cell lung cancer", "NSCLC"),
        ("Non–Small Cell Lung Cancer", "NSCLC"),
        ("LUAD", "LUAD"),
        ("chronic myeloid leukaemia", "CML"),
        ("Gastrointestinal Stromal Tumour", "GIST"),
        ("clear cell renal cell carcinoma", "CCRCC"),
        ("Ph+ ALL", "BLLBCRABL1"),
        ("MTC", "THME"),
        # every OncoTree node, not only the curated ones
        ("melanoma", "MEL"),
        ("High-Grade Serous Ovarian Cancer", "HGSOC"),
        ("PAAD", "PAAD"),
        # an earlier OncoTree code is still accepted
        ("MM", "PCM"),
    ],
)
def test_codes_names_synonyms_and_earlier_codes_resolve(kb, text, code):
    reading = read_cancer_type(kb, text)
    assert reading.understood.status == "recognised", reading.understood.detail
    assert reading.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("non-small cell lung cancer, adenocarcinoma", "LUAD"),
        ("non-small cell lung cancer (adenocarcinoma)", "LUAD"),
        ("NSCLC - squamous cell carcinoma", "LUSC"),
        ("renal cell carcinoma, clear cell", "CCRCC"),
        ("carcinoma, renal cell, clear cell", "CCRCC"),
        ("B-cell acute lymphoblastic leukemia, Philadelphia-positive", "BLLBCRABL1"),
        ("Philadelphia-positive B-cell acute lymphoblastic leukaemia", "BLLBCRABL1"),
        ("lung adenocarcinoma (NSCLC)", "LUAD"),
    ],
)
def test_clinician_phrasing_resolves_to_the_subtype_it_names(kb, text, code):
    reading = read_cancer_type(kb, text)
    assert reading.understood.status == "recognised", reading.understood.detail
    assert reading.code == code
    assert reading.understood.detail is None


def test_a_biomarker_qualifier_becomes_that_biomarker(kb):
    reading = read_cancer_type(kb, "breast cancer, HER2-positive")
    assert reading.code == "BREAST"
    assert [(q.biomarker, q.status) for q in reading.qualifiers] == [("HER2", "positive")]


def test_an_unknown_qualifier_keeps_the_broader_type_and_says_so(kb):
    reading = read_cancer_type(kb, "non-small cell lung cancer, EGFR-ish")
    assert reading.code == "NSCLC"
    assert "egfr-ish" in (reading.understood.detail or "")


def test_a_type_without_knowledge_is_recognised_and_marked_not_covered(kb):
    reading = read_cancer_type(kb, "ovarian cancer")
    assert reading.understood.status == "recognised" and reading.code == "OVARY"
    assert reading.understood.covered is False
    assert read_cancer_type(kb, "NSCLC").understood.covered is True


def test_kidney_cancer_is_ambiguous_with_candidates(kb):
    reading = read_cancer_type(kb, "kidney cancer")
    assert reading.ambiguous and reading.understood.status == "ambiguous"
    assert {"RCC", "CCRCC"} <= set(reading.understood.candidates)


def test_a_miss_gets_suggestions_never_applied(kb):
    reading = read_cancer_type(kb, "non-small cell lung cancr")
    assert reading.understood.status == "not_recognised" and reading.code == ""
    assert "NSCLC" in [s.code for s in reading.understood.suggestions]


def test_the_opposite_histology_is_never_the_first_suggestion(kb):
    reading = read_cancer_type(kb, "non-small cell lung cancer, adenocarcinomaa")
    suggestions = [s.code for s in reading.understood.suggestions]
    assert "SCLC" not in suggestions[:1]


def test_a_name_of_several_sites_is_not_resolved_but_its_types_are_suggested(kb):
    reading = read_cancer_type(kb, "yolk sac tumor")
    assert reading.understood.status == "not_recognised"
    assert len(reading.understood.suggestions) >= 2
