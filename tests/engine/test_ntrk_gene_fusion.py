"""'NTRK fusion', as the TRK inhibitor indications word it, names the fusion those indications need even when the
report does not say which of NTRK1-3 is fused; a negative or pending one opens nothing."""

from __future__ import annotations

import pytest

from tests.engine.answers import offered_ids

TRK_INHIBITORS = {"entrectinib-ntrk", "larotrectinib-ntrk", "repotrectinib-ntrk"}


@pytest.mark.parametrize("entry", ["NTRK fusion", "NTRK gene fusion positive", "NTRK rearrangement detected", "TRK fusion"])
def test_an_ntrk_fusion_without_its_gene_number_opens_the_trk_inhibitors(recommend, entry):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=[entry])
    assert result.profile.mutations[0].read_as == "NTRK gene fusion: detected"
    assert TRK_INHIBITORS <= offered_ids(result)


@pytest.mark.parametrize("entry", ["NTRK fusion negative", "NTRK fusion pending"])
def test_an_ntrk_fusion_not_found_or_not_resulted_opens_nothing(recommend, entry):
    assert not TRK_INHIBITORS & offered_ids(recommend(cancer_type="LUAD", stage="IV", mutations=[entry]))
