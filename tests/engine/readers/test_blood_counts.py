"""Blood counts: platelets, haemoglobin and transfusion dependence, each read with its unit or reported."""

from __future__ import annotations

import pytest

from schemas.requests import BloodCountsInput
from service.engine.readers.patient import read_blood_counts


@pytest.mark.parametrize(
    ("sent", "platelets"),
    [
        (85, 85.0),
        ("85", 85.0),
        ("85 x10^9/L", 85.0),
        ("85 x 10^9/l", 85.0),
        ("platelets 85 K/uL", 85.0),
        ("PLT: 85 x10^3/uL", 85.0),
        ("85,000/uL", 85.0),
        ("40000/mm3", 40.0),
        ("120 G/L", 120.0),
        ("85 K/µL", 85.0),
        ("85 × 10⁹/L", 85.0),
    ],
)
def test_platelet_count_is_read_in_x10_9_per_litre(sent, platelets):
    reading = read_blood_counts(BloodCountsInput(platelets=sent))
    assert reading.platelets == platelets
    assert reading.understood.platelets_10e9_l == platelets
    assert reading.understood.readings[0].status == "recognised"
    assert not reading.unread


@pytest.mark.parametrize("sent", ["low", "85 mg/dL", "850000", "platelets normal"])
def test_unreadable_platelet_count_is_not_recognised_with_its_reason(sent):
    reading = read_blood_counts(BloodCountsInput(platelets=sent))
    assert reading.platelets is None
    term = reading.understood.readings[0]
    assert term.status == "not_recognised" and term.detail
    assert "platelets" in reading.unread


@pytest.mark.parametrize(
    ("sent", "g_dl"),
    [(9.2, 9.2), ("9.2 g/dL", 9.2), ("Hb 92 g/L", 9.2), ("haemoglobin: 10.5 g/dl", 10.5)],
)
def test_haemoglobin_is_read_in_g_per_dl_and_g_per_l_is_converted(sent, g_dl):
    reading = read_blood_counts(BloodCountsInput(haemoglobin=sent))
    assert reading.haemoglobin == pytest.approx(g_dl)


def test_haemoglobin_text_without_a_unit_is_not_guessed():
    reading = read_blood_counts(BloodCountsInput(haemoglobin="92"))
    assert reading.haemoglobin is None
    assert "unit" in reading.understood.readings[0].detail


@pytest.mark.parametrize("sent", ["5.7 mmol/L", "300 g/L", "0.5 g/dL"])
def test_haemoglobin_in_another_unit_or_out_of_range_is_not_used(sent):
    reading = read_blood_counts(BloodCountsInput(haemoglobin=sent))
    assert reading.haemoglobin is None and "haemoglobin" in reading.unread


@pytest.mark.parametrize(
    ("sent", "word", "value"),
    [(True, "yes", True), (False, "no", False), ("yes", "yes", True), ("transfusion-dependent", "yes", True),
     ("independent", "no", False), ("unknown", "unknown", None)],
)
def test_transfusion_dependence_is_yes_no_or_unknown(sent, word, value):
    reading = read_blood_counts(BloodCountsInput(transfusion_dependent=sent))
    assert reading.understood.transfusion_dependent == word
    assert reading.transfusion_dependent is value
    assert not reading.unread


def test_transfusion_dependence_in_other_words_is_not_recognised():
    reading = read_blood_counts(BloodCountsInput(transfusion_dependent="sometimes"))
    assert reading.understood.transfusion_dependent is None
    assert reading.understood.readings[0].status == "not_recognised"
    assert "transfusion_dependent" in reading.unread


def test_blood_counts_need_at_least_one_value():
    with pytest.raises(ValueError):
        BloodCountsInput()
