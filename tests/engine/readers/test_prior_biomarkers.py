"""Prior therapy outcomes in clinicians' words, and biomarkers as objects or text."""

from __future__ import annotations

import pytest

from schemas.requests import BiomarkerInput, PriorTherapyInput
from service.engine.readers.biomarkers import normalise_biomarker, read_biomarker
from service.engine.readers.prior_therapy import normalise_prior_therapy, read_outcome


@pytest.mark.parametrize(
    ("words", "outcome"),
    [
        ("failure", "progression"),
        ("refractory", "progression"),
        ("relapse", "progression"),
        ("resistance", "progression"),
        ("loss of response", "progression"),
        ("loss of MMR", "progression"),
        ("PD", "progression"),
        ("toxicity", "intolerance"),
        ("intolerant", "intolerance"),
        ("ongoing response", "response"),
        ("MMR", "response"),
        ("partial response", "response"),
        ("stable disease", "stable disease"),
        ("unknown", "unknown"),
    ],
)
def test_outcomes_in_clinicians_words(kb, words, outcome):
    reading = read_outcome(kb, words)
    assert reading.status == "recognised" and reading.outcome == outcome
    assert reading.input == words


def test_an_unknown_outcome_is_reported_and_taken_as_unknown(kb):
    reading = read_outcome(kb, "went to Spain")
    assert reading.status == "not_recognised" and reading.outcome == "unknown"


def test_line_number_ongoing_and_original_words_are_kept(kb):
    understood, line = normalise_prior_therapy(kb, PriorTherapyInput(drugs=["imatinib"], outcome="ongoing response", line=2, ongoing=True), 1)
    assert line.number == 2 and line.outcome == "response" and line.ongoing
    assert understood.outcome_reading is not None and understood.outcome_reading.input == "ongoing response"


@pytest.mark.parametrize(
    ("text", "drugs", "outcome", "ongoing"),
    [
        ("imatinib (loss of MMR)", ("imatinib",), "progression", False),
        ("osimertinib - progression", ("osimertinib",), "progression", False),
        ("carboplatin + pemetrexed, progression", ("carboplatin", "pemetrexed"), "progression", False),
        ("imatinib 400 mg daily, ongoing", ("imatinib",), "unknown", True),
        ("FOLFOX", ("fluorouracil", "leucovorin", "oxaliplatin"), "unknown", False),
    ],
)
def test_text_lines_carry_their_outcome(kb, text, drugs, outcome, ongoing):
    _, line = normalise_prior_therapy(kb, text, 1)
    assert tuple(sorted(line.drugs)) == tuple(sorted(drugs))
    assert line.outcome == outcome and line.ongoing is ongoing


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (BiomarkerInput(name="MSI", status="MSI-H"), ("MSI", "high")),
        (BiomarkerInput(name="mismatch repair", status="pMMR"), ("MMR", "proficient")),
        (BiomarkerInput(name="HER2", status="3+"), ("HER2", "positive")),
        ("MSI-H", ("MSI", "high")),
        ("dMMR", ("MMR", "deficient")),
        ("HER2 3+", ("HER2", "positive")),
        ("Child-Pugh B", ("Child-Pugh", "B")),
        ("IMDC risk: poor", ("IMDC risk", "poor")),
    ],
)
def test_biomarkers_as_objects_or_text(kb, item, expected):
    understood, value = read_biomarker(kb, item)
    assert value == expected, understood.detail


def test_a_pending_biomarker_is_recognised_without_a_value(kb):
    understood, value = normalise_biomarker(kb, "MSI", "pending")
    assert value is None and understood.status == "recognised" and understood.result == "pending"


def test_unknown_biomarker_status_is_reported(kb):
    understood, value = normalise_biomarker(kb, "MSI", "sort of")
    assert value is None and understood.status == "not_recognised"
