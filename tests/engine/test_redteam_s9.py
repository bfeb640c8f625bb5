"""Red-team findings of session 9: checkpoint inhibitors are not offered before the targeted therapy of an ALK, ROS1 or
RET fusion, bevacizumab is not started in HCC while the gut bleeds, and a cDNA change that cannot be placed does not hide
the alteration named beside it."""

from __future__ import annotations

import pytest

from service.engine.readers.variants import read_mutation, read_protein_change
from tests.engine.answers import excluded_ids, offered_ids, option, cautions

ICI_FIRST_LINE = {
    "pembrolizumab-pemetrexed-platinum",
    "pembrolizumab-carboplatin-taxane",
    "nivolumab-ipilimumab-pemetrexed-platinum-nsclc",
    "nivolumab-ipilimumab-carboplatin-paclitaxel-nsclc",
    "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc",
}


@pytest.mark.parametrize(
    ("driver", "targeted"),
    [("CD74-ROS1 fusion", "repotrectinib-ros1"), ("ALK rearranged by FISH", "alectinib-nsclc"), ("KIF5B-RET fusion", "selpercatinib-nsclc")],
)
def test_no_checkpoint_inhibitor_before_the_fusion_s_targeted_therapy(recommend, driver, targeted):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=[driver], prior_therapies=[])
    offered = offered_ids(result)
    assert targeted in offered
    assert not ICI_FIRST_LINE & offered
    assert ICI_FIRST_LINE & excluded_ids(result)
    [group] = [g for g in result.exclusion_groups if ICI_FIRST_LINE & {r.id for r in g.regimens}]
    assert group.kind == "biomarker" and "before any" in group.reason and group.evidence


def test_after_progression_on_an_alk_tki_the_chemo_immunotherapy_studied_there_stays_open(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["ALK fusion"], prior_therapies=[{"drugs": ["alectinib"], "outcome": "progression", "line": 1}]
    )
    assert "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc" in offered_ids(result)


def test_a_driver_whose_checkpoint_inhibitor_responses_match_driver_negative_disease_keeps_chemo_immunotherapy(recommend):
    # the review behind the rule found BRAF and KRAS response rates comparable to NSCLC without them
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["KRAS G12C", "EGFR negative", "ALK negative"], pd_l1={"tps": 10})
    assert "pembrolizumab-pemetrexed-platinum" in offered_ids(result)


@pytest.mark.parametrize("condition", ["active GI bleeding", "bleeding oesophageal varices", "variceal haemorrhage"])
def test_hcc_with_current_gastrointestinal_bleeding_is_not_started_on_bevacizumab(recommend, condition):
    result = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh A"], conditions=[condition])
    assert "atezolizumab-bevacizumab" not in offered_ids(result)
    assert "atezolizumab-bevacizumab" in excluded_ids(result)
    assert {"lenvatinib-hcc", "sorafenib-hcc", "tremelimumab-durvalumab-hcc"} <= offered_ids(result)


def test_hcc_with_varices_not_bleeding_gets_bevacizumab_with_the_varices_caution(recommend):
    result = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh A"], conditions=["oesophageal varices"])
    assert "IMbrave150 required an upper endoscopy" in cautions(option(result, "atezolizumab-bevacizumab"))


def read(kb, text, cancer_type="AML"):  # type: ignore[no-untyped-def]
    return [(r.understood.status, r.understood.read_as or "", r.understood.detail or "") for r in read_mutation(kb, text, cancer_type)]


def test_a_cdna_change_without_a_curated_transcript_is_read_by_the_name_beside_it(kb):
    [(status, read_as, detail)] = read(kb, "NPM1 c.860_863dup (type A)")
    assert status == "recognised" and read_as == "NPM1 mutation: detected"
    assert "c.860_863dup was not read" in detail


def test_the_cdna_change_alone_still_asks_for_the_protein_change(kb):
    [(status, _, detail)] = read(kb, "NPM1 c.860_863dup")
    assert status == "not_recognised" and "send the protein change" in detail


def test_a_placed_cdna_change_that_contradicts_the_name_beside_it_stays_not_recognised(kb):
    [(status, _, detail)] = read(kb, "EGFR c.2573T>G (exon 19 deletion)", "NSCLC")
    assert status == "not_recognised" and "exon 21" in detail


def test_a_pending_result_written_with_the_cdna_change_stays_pending(kb):
    [(status, read_as, _)] = read(kb, "NPM1 c.860_863dup (type A) pending")
    assert status == "recognised" and "pending" in read_as


@pytest.mark.parametrize(("token", "shown"), [("p.w288cfs*12", "p.W288Cfs*12"), ("p.trp288cysfster12", "p.W288Cfs*12"), ("p.trp288fster12", "p.W288fs*12")])
def test_a_frameshift_written_with_its_first_new_residue_is_read(token, shown):
    change = read_protein_change(token)
    assert change is not None and change.kind == "fs" and change.start == 288 and change.one_letter == shown


def resected_egfr_after_chemotherapy(recommend, outcome):  # type: ignore[no-untyped-def]
    return recommend(
        cancer_type="NSCLC",
        stage="IIB, resected",
        mutations=["EGFR exon 19 deletion"],
        prior_therapies=[{"drugs": ["cisplatin", "pemetrexed"], "outcome": outcome, "line": 1}],
    )


def test_resected_egfr_nsclc_after_adjuvant_platinum_chemotherapy_gets_adjuvant_osimertinib(recommend):
    # ADAURA allowed adjuvant platinum chemotherapy before randomisation
    result = resected_egfr_after_chemotherapy(recommend, "completed")
    assert option(result, "osimertinib-nsclc").indication_id == "osimertinib-egfr-adjuvant-after-adjuvant-chemotherapy"
    assert not {"amivantamab-lazertinib", "osimertinib-pemetrexed-platinum"} & offered_ids(result)


def test_recurrence_on_adjuvant_chemotherapy_is_not_the_adjuvant_setting_for_osimertinib(recommend):
    assert "osimertinib-nsclc" not in offered_ids(resected_egfr_after_chemotherapy(recommend, "progression"))
