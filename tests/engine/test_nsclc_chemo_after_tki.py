"""NSCLC, issue 11 second pass: platinum-pemetrexed for a patient who has had targeted therapy but no platinum yet."""

from __future__ import annotations

from tests.engine.answers import not_recommended_ids, option_ids

ALK = ["ALK fusion"]
EGFR = ["EGFR exon 19 deletion"]
PLATINUM = {"drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}


def test_alk_after_alectinib_offers_lorlatinib_then_platinum_pemetrexed(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=ALK, prior_therapies=[{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}])
    ids = option_ids(result)
    assert ids.index("lorlatinib-nsclc") < ids.index("pemetrexed-platinum-after-alk-tki")
    chemo = next(o for o in result.options if o.id == "pemetrexed-platinum-after-alk-tki")
    assert chemo.contains_tki is False and chemo.evidence_level == "4"
    assert "lin-2020-platinum-pemetrexed-after-second-generation-alk-tki" in result.citations


def test_alk_after_lorlatinib_is_offered_platinum_pemetrexed_but_no_chemo_immunotherapy(recommend):
    lines = [{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}, {"line": 2, "drugs": ["lorlatinib"], "outcome": "progression"}]
    result = recommend(cancer_type="LUAD", stage="IV", mutations=ALK, prior_therapies=lines)
    assert "pemetrexed-platinum-after-alk-tki" in option_ids(result)
    assert not {"pembrolizumab-pemetrexed-platinum", "pembrolizumab-carboplatin-taxane"} & set(option_ids(result))


def test_alk_after_platinum_is_not_offered_a_platinum_doublet_again(recommend):
    lines = [{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}, {"line": 2, **PLATINUM}]
    result = recommend(cancer_type="LUAD", stage="IV", mutations=ALK, prior_therapies=lines)
    assert "pemetrexed-platinum-after-alk-tki" not in option_ids(result)
    assert "pemetrexed-platinum-after-alk-tki" in not_recommended_ids(result)
    assert "docetaxel-ramucirumab" in option_ids(result)


def test_alk_after_crizotinib_only_is_not_the_second_generation_series(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=ALK, prior_therapies=[{"line": 1, "drugs": ["crizotinib"], "outcome": "progression"}])
    assert "pemetrexed-platinum-after-alk-tki" not in option_ids(result)


def test_squamous_alk_is_not_offered_pemetrexed(recommend):
    result = recommend(cancer_type="LUSC", stage="IV", mutations=ALK, prior_therapies=[{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}])
    assert "pemetrexed-platinum-after-alk-tki" not in option_ids(result)


def test_egfr_after_osimertinib_and_platinum_excludes_pemetrexed_platinum_and_flags_amivantamab_chemotherapy(recommend):
    lines = [{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}, {"line": 2, **PLATINUM}]
    result = recommend(cancer_type="LUAD", stage="IV", mutations=EGFR, prior_therapies=lines)
    assert "pemetrexed-platinum-after-egfr-tki" in not_recommended_ids(result)
    ids = option_ids(result)
    assert ids.index("docetaxel-ramucirumab") < ids.index("amivantamab-carboplatin-pemetrexed")
    amivantamab = next(o for o in result.options if o.id == "amivantamab-carboplatin-pemetrexed")
    assert any(c.startswith("not checked for prior platinum-based chemotherapy") for c in amivantamab.caveats)


def test_egfr_after_osimertinib_without_platinum_ranks_as_before(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=EGFR, prior_therapies=[{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}])
    assert option_ids(result)[:2] == ["amivantamab-carboplatin-pemetrexed", "pemetrexed-platinum-after-egfr-tki"]
    assert not next(o for o in result.options if o.id == "amivantamab-carboplatin-pemetrexed").caveats
