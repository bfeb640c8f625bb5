"""PD-L1 written as a biomarker ("PD-L1 TPS 60%") is read as the pd_l1 score, only as a number with its system."""

from __future__ import annotations

import pytest

from service.engine.readers.biomarkers import read_pd_l1_text

DRIVER_NEGATIVE = {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR negative", "ALK negative"], "prior_therapies": []}


@pytest.mark.parametrize(
    ("text", "value"),
    [("PD-L1 TPS 60%", "tps 60"), ("PD-L1 (22C3) TPS: 60 %", "tps 60"), ("pdl1 cps 10", "cps 10"), ("PD-L1 60% TPS", "tps 60"), ("PD-L1 TPS 0%", "tps 0")],
)
def test_a_score_with_its_system_is_read(text, value):
    read = read_pd_l1_text(text)
    assert read is not None
    reading, score = read
    assert reading.status == "recognised" and reading.value == value and score is not None


@pytest.mark.parametrize("text", ["PD-L1 high", "PD-L1 TPS <1%", "PD-L1 >=50%", "PD-L1 60%", "PD-L1 TPS 150%"])
def test_words_bounds_and_scores_without_a_system_are_not_recognised(text):
    read = read_pd_l1_text(text)
    assert read is not None
    reading, score = read
    assert reading.status == "not_recognised" and reading.detail and score is None


def test_other_biomarkers_are_left_to_their_reader():
    assert read_pd_l1_text("MSI-H") is None


def test_a_pd_l1_score_in_text_opens_the_options_the_field_opens(recommend):
    from_text = recommend(**DRIVER_NEGATIVE, biomarkers=["PD-L1 TPS 60%"])
    from_field = recommend(**DRIVER_NEGATIVE, pd_l1={"tps": 60})
    assert [o.id for o in from_text.options] == [o.id for o in from_field.options]
    assert "pembrolizumab-nsclc" in {o.id for o in from_text.options}
    assert from_text.profile.pd_l1 == {"tps": 60}


def test_two_different_scores_in_one_system_use_neither(recommend):
    result = recommend(**DRIVER_NEGATIVE, biomarkers=["PD-L1 TPS 60%"], pd_l1={"tps": 30})
    assert "pembrolizumab-nsclc" not in {o.id for o in result.options}
    assert any(w.code == "contradictory_results" and w.field == "pd_l1" for w in result.warnings)
    assert result.provisional


def test_pd_l1_words_are_not_recognised_and_said(recommend):
    result = recommend(**DRIVER_NEGATIVE, biomarkers=["PD-L1 high"])
    assert result.profile.biomarkers[0].status == "not_recognised"
    assert "pembrolizumab-nsclc" not in {o.id for o in result.options}
