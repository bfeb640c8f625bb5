"""A DPD deficiency written with its DPYD genotype is read as the deficiency it states: homozygous as complete (the
fluoropyrimidines are excluded), heterozygous as partial (a caution); a genotype with no zygosity stays not recognised."""

from __future__ import annotations

import pytest

from tests.engine.answers import offered_ids

FLUOROPYRIMIDINE = {"folfox-bevacizumab-crc", "folfiri-bevacizumab-crc"}


def _condition(result):  # type: ignore[no-untyped-def]
    return result.profile.patient.conditions[0]


@pytest.mark.parametrize("entry", ["complete DPD deficiency (DPYD *2A homozygous)", "homozygous DPYD*2A", "DPYD c.1905+1G>A homozygous"])
def test_a_homozygous_dpyd_genotype_is_complete_deficiency_and_excludes_fluoropyrimidines(recommend, entry):
    result = recommend(cancer_type="COADREAD", stage="IV", conditions=[entry], prior_therapies=[])
    assert _condition(result).read_as == "DPD deficiency (current)"
    assert not FLUOROPYRIMIDINE & offered_ids(result)


def test_a_heterozygous_dpyd_genotype_is_partial_deficiency_and_keeps_the_options_with_a_caution(recommend):
    result = recommend(cancer_type="COADREAD", stage="IV", conditions=["DPYD *2A heterozygous"], prior_therapies=[])
    assert _condition(result).status == "recognised" and "partial DPD deficiency" in _condition(result).read_as
    assert FLUOROPYRIMIDINE <= offered_ids(result)
    assert all(any("DPD" in c for c in o.caveats) for o in result.options if o.id in FLUOROPYRIMIDINE)


def test_a_dpyd_genotype_without_zygosity_is_not_recognised(recommend):
    result = recommend(cancer_type="COADREAD", stage="IV", conditions=["DPYD *2A"], prior_therapies=[])
    assert _condition(result).status == "not_recognised"
