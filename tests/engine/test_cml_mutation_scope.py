"""BCR::ABL1 kinase-domain mutations: a TKI no sourced rule states for a detected mutation is shown "not checked for" it."""

from __future__ import annotations

from tests.engine.answers import option

AFTER_IMATINIB = [{"drugs": ["imatinib"], "outcome": "progression"}]


def unchecked(result, regimen_id):  # type: ignore[no-untyped-def]
    return [c for c in option(result, regimen_id).caveats if c.startswith("not checked for BCR::ABL1")]


def test_a_mutation_no_rule_states_for_bosutinib_leaves_it_not_checked_and_the_answer_provisional(recommend):
    # T315A: the tables read state dasatinib (excluded) and nilotinib (its alternative), not bosutinib
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315A"], prior_therapies=AFTER_IMATINIB)
    assert result.profile.mutations[0].normalised == "BCR::ABL1 T315A"
    assert unchecked(result, "bosutinib-cml") and not unchecked(result, "nilotinib-cml")
    assert result.provisional
    assert any("BCR::ABL1 T315A" in r for r in result.provisional_reasons)


def test_the_alternative_a_rule_names_is_checked_and_ranks_first(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 Y253H"], prior_therapies=AFTER_IMATINIB)
    assert result.options[0].id == "dasatinib-cml" and not unchecked(result, "dasatinib-cml")
    assert "nilotinib-cml" not in [o.id for o in result.options]


def test_no_kinase_domain_mutation_means_no_mutation_note(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=AFTER_IMATINIB)
    assert not any(c.startswith("not checked for BCR::ABL1") for o in result.options for c in o.caveats)
