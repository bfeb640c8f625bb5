"""A patient typed by a broader cancer type than the subtype an alteration defines (B-ALL; Ph+ B-ALL is defined by
BCR::ABL1): the subtype's regimens wait on that result like any required result, never offered on a guess (issue 10)."""

from __future__ import annotations

import pytest

from service.engine.matching import compiled_indication, defining_alterations_below
from tests.engine.answers import offered_ids

B_ALL = {"cancer_type": "B-ALL", "stage": "newly diagnosed", "prior_therapies": []}
PH_ALL_FIRST_LINE = {"ponatinib-chemotherapy-ph-all", "imatinib-chemotherapy-ph-all", "ponatinib-blinatumomab"}


def test_b_all_without_a_bcr_abl1_result_is_not_offered_the_ph_positive_regimens(recommend):
    result = recommend(**B_ALL)
    assert not offered_ids(result) & PH_ALL_FIRST_LINE
    assert result.provisional
    warning = next(w for w in result.warnings if w.code == "result_not_given")
    assert "BCR::ABL1" in warning.message and warning.field == "mutations"
    for name in ("Ponatinib + reduced-intensity chemotherapy", "Imatinib + reduced-intensity chemotherapy", "Ponatinib + blinatumomab"):
        assert name in warning.message
    assert not any("less specific" in c for o in result.options for c in o.caveats)


@pytest.mark.parametrize("mutations", [["BCR::ABL1 fusion"], ["BCR-ABL1 p190 fusion detected"], ["BCR::ABL1 T315I"]])
def test_b_all_with_bcr_abl1_detected_meets_the_ph_positive_population_without_a_caveat(recommend, mutations):
    result = recommend(**B_ALL, mutations=mutations)
    assert offered_ids(result) & PH_ALL_FIRST_LINE or "ponatinib" in {d for o in result.options for d in o.drugs}
    assert not any(w.code == "result_not_given" and "BCR::ABL1" in w.message for w in result.warnings)
    for option in result.options:
        assert not any("less specific" in c for c in option.caveats)


def test_b_all_with_bcr_abl1_not_detected_is_never_offered_a_ph_positive_regimen(recommend):
    result = recommend(**B_ALL, mutations=["BCR::ABL1 not detected"])
    assert not offered_ids(result) & PH_ALL_FIRST_LINE
    assert not any(w.code == "result_not_given" and "BCR::ABL1" in w.message for w in result.warnings)


def test_ph_positive_all_typed_as_such_is_unchanged(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="newly diagnosed", prior_therapies=[])
    assert PH_ALL_FIRST_LINE <= offered_ids(result)
    assert not any(w.code == "result_not_given" for w in result.warnings)


def test_the_rule_is_general_it_reads_defined_by_from_the_cancer_types(kb):
    regimen = kb.regimens["ponatinib-chemotherapy-ph-all"]
    indication = regimen.indications[0]
    assert defining_alterations_below(kb, "BLL", indication) == {"BLLBCRABL1": kb.cancer_types["BLLBCRABL1"].defined_by}
    # the patient's own type, or a type the indication already covers, needs nothing more
    assert defining_alterations_below(kb, "BLLBCRABL1", indication) == {}
    assert [criterion for criterion, _ in compiled_indication(kb, regimen, indication).gates].count("alteration") >= 1


def test_a_broader_type_over_a_subtype_no_alteration_defines_keeps_the_less_specific_caveat(recommend):
    # AML typed without a subtype still sees CPX-351's therapy-related and MRC subtypes with the caveat
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 not detected", "IDH1 not detected",
                       "IDH2 not detected", "NPM1 not detected", "KMT2A not detected"], prior_therapies=[])
    cpx = [o for o in result.options if o.id == "cpx-351-aml"]
    assert cpx and all(any("less specific" in c for c in o.caveats) for o in cpx)
