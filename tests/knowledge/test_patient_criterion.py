"""What a patient rule's trigger names decides whether it may exist and how its exclusion is labelled."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.knowledge.records import PatientCriterion


def test_a_criterion_that_names_nothing_is_refused():
    with pytest.raises(ValidationError, match="a patient criterion names"):
        PatientCriterion()


@pytest.mark.parametrize(
    ("when", "only_therapy"),
    [
        ({"prior_or_current_drug_classes": ["cdk46_inhibitor"]}, True),
        ({"recent_drug_classes": {"classes": ["pd1_pdl1_inhibitor"], "weeks": 8}}, True),
        ({"last_line_drug_classes": ["pd1_pdl1_inhibitor"]}, True),
        ({"prior_or_current_drug_classes": ["pd1_pdl1_inhibitor"], "condition_groups": ["interstitial_lung_disease"]}, False),
        ({"condition_groups": ["active_autoimmune_disease"]}, False),
        ({"creatinine_clearance_below": 60}, False),
        ({"qtc_ms_above": 470}, False),
    ],
)
def test_only_a_trigger_on_the_drugs_given_is_a_prior_therapy_reason(when, only_therapy):
    assert PatientCriterion.model_validate(when).names_only_prior_therapy is only_therapy
