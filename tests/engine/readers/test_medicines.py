"""Medicines: names, brands and salts with the words of a prescription; anything else is reported."""

from __future__ import annotations

import pytest

from schemas.requests import MedicationInput
from service.engine.readers.medicines import normalise_drug


@pytest.mark.parametrize(
    ("item", "name", "formulation"),
    [
        ("omeprazole 20 mg daily", "omeprazole", None),
        ("Nexium", "esomeprazole", None),
        ("esomeprazole magnesium 40mg", "esomeprazole", None),
        ("Tegretol XR 200 mg bid", "carbamazepine", None),
        ("St. John’s Wort", "st john's wort", None),
        ("rifampicin", "rifampin", None),
        (MedicationInput(name="Tegretol"), "carbamazepine", None),
        ("acalabrutinib maleate 100 mg", "acalabrutinib", "tablets"),
        (MedicationInput(name="Calquence", formulation="capsules"), "acalabrutinib", "capsules"),
        ("Calquence", "acalabrutinib", None),
    ],
)
def test_medication_names_brands_salts_and_free_text(kb, item, name, formulation):
    understood, ref = normalise_drug(kb, item)
    assert ref is not None, understood.detail
    assert (ref.name, ref.formulation) == (name, formulation)


def test_unknown_medication_is_reported_not_dropped(kb):
    understood, ref = normalise_drug(kb, "nebivolol 5 mg")
    assert ref is None
    assert understood.status == "not_recognised"
    assert understood.input == "nebivolol 5 mg"


def test_generic_formulation_words_alone_name_no_drug(kb):
    _, ref = normalise_drug(kb, "nebivolol tablets")
    assert ref is None


@pytest.mark.parametrize(
    "text",
    ["trastuzumab xyzumab", "omeprazole sodium bicarbonate", "rifampin isoniazid 300 mg", "aspirin omeprazole"],
)
def test_a_known_name_with_other_words_is_not_guessed(kb, text):
    # the words beside the known name may make it another medicine: report it, never map it to the name
    understood, ref = normalise_drug(kb, text)
    assert ref is None
    assert understood.status == "not_recognised"
    assert "send the medicine's name alone" in (understood.detail or "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("omeprazole 20 mg PO daily before breakfast", "omeprazole"),
        ("esomeprazole magnesium delayed-release capsules 40 mg/day", "esomeprazole"),
        ("dasatinib (Sprycel) 100 mg once daily", "dasatinib"),
        ("trastuzumab emtansine", "ado-trastuzumab emtansine"),
        ("Enhertu 5.4 mg/kg IV", "fam-trastuzumab deruxtecan"),
    ],
)
def test_sig_words_and_the_drugs_own_names_are_understood(kb, text, name):
    understood, ref = normalise_drug(kb, text)
    assert ref is not None, understood.detail
    assert ref.name == name


def test_a_medicine_entry_reads_the_same_each_time_it_is_sent(kb):
    first = normalise_drug(kb, MedicationInput(name="Calquence", formulation="capsules"))
    again = normalise_drug(kb, MedicationInput(name="Calquence", formulation="capsules"))
    assert again == first
    assert normalise_drug(kb, MedicationInput(name="Calquence")) != first  # the formulation is part of the entry


def test_an_entry_that_was_not_recognised_is_not_kept_in_memory(kb):
    normalise_drug(kb, "Protonix 40 mg tablet qam")
    cache = kb.memo[("cached", "medicine_text")]
    assert cache.holds("Protonix 40 mg tablet qam")
    understood, ref = normalise_drug(kb, "Mrs Example's tablets 5 mg")
    assert ref is None and understood.status == "not_recognised"
    assert not cache.holds("Mrs Example's tablets 5 mg")
