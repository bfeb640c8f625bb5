"""Withdrawn approvals are never offered and are explained; tumour-agnostic indications reach any solid tumour."""

from __future__ import annotations

from tests.engine.answers import option_ids


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


def test_withdrawn_pralsetinib_mtc_indication_is_not_offered_and_says_withdrawn(recommend):
    result = recommend(cancer_type="THME", stage="metastatic", mutations=["RET M918T"])
    assert "pralsetinib-mtc" not in option_ids(result)
    assert "selpercatinib-thyroid" in option_ids(result)
    reason = excluded(result)["pralsetinib-mtc"]
    assert [r.kind for r in reason.reasons] == ["withdrawn"]
    assert "withdrawn on 2023-06-30" in reason.reason
    evidence = [result.citations[i] for i in reason.evidence]
    assert evidence and all(e.pmid or e.nct_id or e.doi for e in evidence)


def test_withdrawn_indication_is_silent_when_the_patient_does_not_fit_it(recommend):
    result = recommend(cancer_type="THME", stage="metastatic", mutations=["RET fusion"])
    assert "pralsetinib-mtc" not in excluded(result)


def test_ntrk_fusion_in_a_tumour_without_specific_regimens_gets_tumour_agnostic_options(recommend):
    # adrenocortical carcinoma: no regimen of its own in the knowledge (pancreatic adenocarcinoma now has some)
    result = recommend(cancer_type="ACC", stage="metastatic", mutations=["NTRK1 fusion"], prior_therapies=["mitotane"])
    assert set(option_ids(result)) == {"larotrectinib-ntrk", "entrectinib-ntrk", "repotrectinib-ntrk"}
    assert result.coverage.covered and "tumour-agnostic" in result.coverage.statement
    for option in result.options:
        cancer = next(c for c in option.rationale if c.criterion == "cancer type")
        assert cancer.result == "met" and "tumour-agnostic" in cancer.finding
    assert "not_covered" not in {w.code for w in result.warnings}


def test_tumour_agnostic_option_ranks_below_tumour_specific_options_of_its_level_only(recommend):
    result = recommend(cancer_type="COADREAD", stage="metastatic", mutations=["RET fusion"], prior_therapies=["FOLFOX", "FOLFIRI"])
    ids = option_ids(result)
    assert "regorafenib-crc" in ids
    agnostic = ids.index("selpercatinib-ret-fusion-tumour-agnostic")
    level = result.options[agnostic].evidence_level
    for index, option in enumerate(result.options):
        if option.evidence_level <= level and index != agnostic:
            assert index < agnostic, option.id  # same or stronger evidence, made for this tumour type: above
        elif option.evidence_level > level:
            assert index > agnostic, option.id  # weaker evidence is never above an approved agnostic option


def test_tumour_agnostic_ret_indication_leaves_nsclc_to_its_own_indication(recommend):
    result = recommend(cancer_type="LUAD", stage="metastatic", mutations=["RET fusion"])
    assert "selpercatinib-nsclc" in option_ids(result)
    assert "selpercatinib-ret-fusion-tumour-agnostic" not in option_ids(result)


def test_tumour_agnostic_indication_does_not_reach_a_haematological_cancer(recommend):
    # CMML: a haematological type no regimen covers (AML now has its own FLT3 regimens)
    result = recommend(cancer_type="CMML", stage="relapsed", mutations=["NTRK3 fusion"])
    assert option_ids(result) == []
    assert not result.coverage.covered


def test_ntrk_fusion_not_detected_gives_no_tumour_agnostic_option(recommend):
    result = recommend(cancer_type="PAAD", stage="metastatic", mutations=["NTRK1 fusion not detected"])
    assert "larotrectinib-ntrk" not in option_ids(result)
