"""Session 5 safety audit (issue 10): the remaining unsafe answers and the conditions the profile could not say."""

from __future__ import annotations

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import _patient_rule_finding
from service.engine.normalise import normalise_profile

HCC_AFTER_SORAFENIB = {"cancer_type": "HCC", "stage": "BCLC C", "prior_therapies": [{"drugs": ["sorafenib"], "outcome": "progression"}]}


def option_ids(result):  # type: ignore[no-untyped-def]
    return [o.id for o in result.options]


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
