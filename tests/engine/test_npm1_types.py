"""An NPM1 result written by its type (A, B, D) or by exon 12 names the NPM1 mutation the menin inhibitors need; its
result words still decide whether it was found."""

from __future__ import annotations

import pytest

from tests.engine.answers import offered_ids

AFTER_INDUCTION = [{"line": 1, "drugs": ["cytarabine", "daunorubicin"], "outcome": "progression"}]
MENIN = {"revumenib-acute-leukaemia", "ziftomenib-aml"}


@pytest.mark.parametrize("entry", ["NPM1 type A mutation", "NPM1 type A", "NPM1 mutation type B", "NPM1 type D mutation detected",
                                   "NPM1 exon 12 frameshift"])  # fmt: skip
def test_an_npm1_type_or_exon_12_result_opens_the_menin_inhibitors(recommend, entry):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=[entry], prior_therapies=AFTER_INDUCTION)
    assert result.profile.mutations[0].read_as == "NPM1 mutation: detected"
    assert MENIN <= offered_ids(result)


def test_an_npm1_type_a_result_still_pending_opens_nothing(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["NPM1 type A pending"], prior_therapies=AFTER_INDUCTION)
    assert result.profile.mutations[0].read_as != "NPM1 mutation: detected"
    assert not MENIN & offered_ids(result)
