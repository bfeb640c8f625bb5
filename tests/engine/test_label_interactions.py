"""Label interaction rules on the curated knowledge: warn where the label says so, and only there."""

from __future__ import annotations

import pytest

from schemas.requests import MedicationInput
from service.engine.recommend import check_medication_list


def warnings_for(kb, *drugs):  # type: ignore[no-untyped-def]
    return check_medication_list(kb, list(drugs)).interaction_warnings


def one_warning(kb, subject, other):  # type: ignore[no-untyped-def]
    found = [w for w in warnings_for(kb, subject, other) if w.drug == subject]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("ppi", ["omeprazole", "esomeprazole", "lansoprazole", "dexlansoprazole", "pantoprazole", "rabeprazole"])
def test_dasatinib_with_every_ppi_is_avoid(kb, ppi):
    warning = one_warning(kb, "dasatinib", ppi)
    assert warning.severity == "avoid" and warning.interacting_class == "proton pump inhibitor"


def test_dasatinib_with_famotidine_follows_the_label(kb):
    warning = one_warning(kb, "dasatinib", "famotidine 20 mg")
    # the SPRYCEL label advises against H2 antagonists (famotidine lowered exposure) and offers an antacid, with timing
    assert warning.severity == "avoid"
    assert "famotidine" in warning.effect.lower()
    assert "2 hours" in warning.management


def test_dasatinib_with_an_antacid_is_a_timing_rule(kb):
    warning = one_warning(kb, "dasatinib", "Maalox")
    assert warning.severity == "separate_in_time" and warning.separation_hours == [2.0] and "2 hours" in warning.management


@pytest.mark.parametrize("ppi", ["omeprazole", "Nexium", "pantoprazole sodium"])
def test_erlotinib_with_ppis_is_avoid(kb, ppi):
    assert one_warning(kb, "erlotinib", ppi).severity == "avoid"


def test_erlotinib_with_h2_blocker_gives_the_timing(kb):
    warning = one_warning(kb, "erlotinib", "famotidine")
    assert warning.severity == "separate_in_time" and 10.0 in warning.separation_hours and "10 hours" in warning.management


@pytest.mark.parametrize("tki", ["bosutinib", "imatinib", "dasatinib", "crizotinib", "lorlatinib", "cabozantinib", "erlotinib", "gefitinib"])
@pytest.mark.parametrize("inducer", ["rifampin", "carbamazepine", "phenytoin", "enzalutamide", "St John's wort"])
def test_strong_cyp3a4_inducers_warn_for_tkis_whose_labels_say_so(kb, tki, inducer):
    warning = one_warning(kb, tki, inducer)
    assert warning.severity in ("contraindicated", "avoid", "adjust_dose") and warning.interacting_class == "strong CYP3A4 inducer"


def test_bosutinib_rifampin_reports_the_exposure_loss(kb):
    warning = one_warning(kb, "bosutinib", "rifampin")
    assert warning.severity == "avoid"
    assert warning.exposure_change is not None and warning.exposure_change.percent is not None and warning.exposure_change.percent <= -80


@pytest.mark.parametrize("tki", ["osimertinib", "ponatinib", "asciminib", "crizotinib", "cabozantinib", "alectinib"])
@pytest.mark.parametrize("ppi", ["omeprazole", "esomeprazole", "pantoprazole"])
def test_no_ppi_warning_where_the_label_shows_no_meaningful_effect(kb, tki, ppi):
    assert [w for w in warnings_for(kb, tki, ppi) if w.drug == tki] == []


@pytest.mark.parametrize("other", ["rifampin", "ketoconazole"])
def test_lenvatinib_with_rifampin_or_ketoconazole_is_silent(kb, other):
    result = check_medication_list(kb, ["lenvatinib", other])
    assert result.interaction_warnings == []
    assert [(c.drug, c.finding) for c in result.interactions_cleared] == [("lenvatinib", "not_meaningful")]


def test_brand_salt_and_generic_give_the_same_warning(kb):
    answers = {
        (w.drug, w.interacting_drug, w.severity, w.management)
        for text in ("esomeprazole", "Nexium 40 mg", "esomeprazole magnesium")
        for w in warnings_for(kb, "dasatinib", text)
    }
    assert len(answers) == 1


def test_acalabrutinib_capsules_and_tablets_differ_with_a_ppi(kb):
    capsules = check_medication_list(kb, [MedicationInput(name="Calquence", formulation="capsules"), "omeprazole"])
    tablets = check_medication_list(kb, ["acalabrutinib maleate 100 mg", "omeprazole"])
    unspecified = check_medication_list(kb, ["acalabrutinib", "omeprazole"])
    assert [w.severity for w in capsules.interaction_warnings] == ["avoid"]
    assert tablets.interaction_warnings == []
    assert [c.finding for c in tablets.interactions_cleared] == ["not_meaningful"]
    [cautious] = unspecified.interaction_warnings
    assert cautious.severity == "avoid" and any("Formulation not specified" in n for n in cautious.notes)


def test_interactions_are_checked_in_both_directions_of_a_list(kb):
    forward = warnings_for(kb, "imatinib", "rifampin")
    backward = warnings_for(kb, "rifampin", "imatinib")
    assert [(w.drug, w.interacting_drug) for w in forward] == [(w.drug, w.interacting_drug) for w in backward] == [("imatinib", "rifampin")]


def test_a_tki_can_be_the_perpetrator_for_another_tki(kb):
    # imatinib is a moderate CYP3A4 inhibitor (FDA table); bosutinib's label says avoid moderate inhibitors
    warning = one_warning(kb, "bosutinib", "imatinib")
    assert warning.interacting_class == "moderate CYP3A4 inhibitor" and warning.severity == "avoid"


def test_one_warning_per_pair_even_across_options(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], current_medications=["carbamazepine", "Tegretol"])
    pairs = [(w.drug, w.interacting_drug) for w in result.interaction_warnings]
    assert len(pairs) == len(set(pairs))
    option = next(o for o in result.options if o.id == "pembrolizumab-axitinib")
    warnings = {w.id: w for w in result.interaction_warnings}
    assert [(warnings[i].drug, warnings[i].interacting_drug) for i in option.interactions] == [("axitinib", "carbamazepine")]


def test_each_warning_and_pair_keeps_the_callers_own_spelling_of_the_medicine(kb):
    by_brand = check_medication_list(kb, ["dasatinib", "Nexium 40 mg"])
    by_name = check_medication_list(kb, ["dasatinib", "esomeprazole"])
    assert [w.interacting_input for w in by_brand.interaction_warnings] == ["Nexium 40 mg"]
    assert [w.interacting_input for w in by_name.interaction_warnings] == ["esomeprazole"]
    assert [p.interacting_input for p in by_brand.interaction_pairs] == ["Nexium 40 mg"]
    assert by_brand.interaction_warnings[0].severity == by_name.interaction_warnings[0].severity


def test_a_repeated_check_gives_the_same_answer(kb):
    drugs = ["dasatinib", "imatinib", "omeprazole 20 mg", "rifampin", "unknownium"]
    assert check_medication_list(kb, drugs).model_dump() == check_medication_list(kb, drugs).model_dump()


def test_interaction_ids_cannot_collide_because_catalogue_names_stay_distinct(kb):
    from service.engine.interactions import interaction_id

    # an answer holds one warning per (drug, other medicine) pair; the id must keep every pair apart
    names = sorted(kb.drugs)
    ids = {interaction_id(name, "x").removesuffix("+x") for name in names}
    assert len(ids) == len(names)
    assert interaction_id("st john's wort", "imatinib") == "interaction:st-john-s-wort+imatinib"
