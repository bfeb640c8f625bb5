"""NSCLC, session 4: targeted therapy listed before first-line immunotherapy for a driver with a targeted option, and
same-target TKIs after one another shown as not checked for the prior TKI."""

from __future__ import annotations

import pytest

from tests.engine.answers import option, option_ids

ICI_FIRST_LINE = {
    "pembrolizumab-nsclc",
    "pembrolizumab-pemetrexed-platinum",
    "pembrolizumab-carboplatin-taxane",
    # session 6: CheckMate 227 and 9LA
    "nivolumab-ipilimumab-nsclc",
    "nivolumab-ipilimumab-pemetrexed-platinum-nsclc",
    "nivolumab-ipilimumab-carboplatin-paclitaxel-nsclc",
    # session 7: IMpower110, IMpower130, IMpower150, EMPOWER-Lung 1 and 3, POSEIDON
    "atezolizumab-nsclc",
    "atezolizumab-carboplatin-nab-paclitaxel-nsclc",
    "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc",
    "cemiplimab-nsclc",
    "cemiplimab-pemetrexed-platinum-nsclc",
    "cemiplimab-carboplatin-paclitaxel-nsclc",
    "durvalumab-tremelimumab-pemetrexed-platinum-nsclc",
    "durvalumab-tremelimumab-carboplatin-nab-paclitaxel-nsclc",
}


@pytest.mark.parametrize(
    ("mutations", "targeted"),
    [
        # ROS1 and RET fusions: checkpoint inhibitors are excluded before their TKIs (tests/engine/test_redteam_s9.py)
        (["MET exon 14 skipping"], {"capmatinib-nsclc", "tepotinib-nsclc"}),
        (["NTRK1 fusion"], {"entrectinib-ntrk", "larotrectinib-ntrk", "repotrectinib-ntrk"}),
        (["BRAF V600E"], {"dabrafenib-trametinib-nsclc", "encorafenib-binimetinib-nsclc"}),
        (["ERBB2 exon 20 insertion"], {"zongertinib-nsclc"}),
    ],
)
@pytest.mark.parametrize("pd_l1", [None, {"tps": 80}])
def test_first_line_immunotherapy_is_listed_below_the_targeted_options_for_the_driver(recommend, mutations, targeted, pd_l1):
    profile = {"cancer_type": "LUAD", "stage": "IV", "mutations": mutations, "prior_therapies": []}
    if pd_l1 is not None:
        profile["pd_l1"] = pd_l1
    result = recommend(**profile)
    ids = option_ids(result)
    ici = [i for i in ids if i in ICI_FIRST_LINE]
    assert ici, "the immunotherapy standards stay listed"
    assert targeted <= set(ids)
    assert max(ids.index(t) for t in targeted) < min(ids.index(i) for i in ici)
    last_targeted = result.options[max(ids.index(t) for t in targeted)]
    assert last_targeted.ranking.above_next.startswith("A targeted option for the patient's")
    assert last_targeted.ranking.evidence == ["ici-in-nsclc-with-actionable-drivers-review-2021"]
    assert "ici-in-nsclc-with-actionable-drivers-review-2021" in result.citations
    for i in ici:
        assert any(c.startswith("ranked below ") and "targeted options for the patient's" in c for c in option(result, i).caveats)


def test_without_a_targeted_option_first_line_immunotherapy_keeps_its_place(recommend):
    # KRAS G12C: sotorasib and adagrasib are for a later line, so nothing targeted is listed first line
    # (EGFR and ALK reported negative: with them unreported the immunotherapy options are incomplete, and a complete
    # option such as platinum-pemetrexed is listed first, as the ranking says)
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["KRAS G12C", "EGFR negative", "ALK negative"], pd_l1={"tps": 80},
                       prior_therapies=[])  # fmt: skip
    assert option_ids(result)[0] in ICI_FIRST_LINE
    assert all(o.ranking.evidence is None for o in result.options)
    assert not any(c.startswith("ranked below ") for o in result.options for c in o.caveats)


def test_driver_negative_first_line_is_unchanged(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["EGFR not detected", "ALK not detected"], pd_l1={"tps": 80}, prior_therapies=[]
    )
    assert option_ids(result)[0] in ICI_FIRST_LINE
    assert "ici-in-nsclc-with-actionable-drivers-review-2021" not in result.citations


@pytest.mark.parametrize(
    ("mutations", "prior", "offered", "excluded"),
    [
        (["MET exon 14 skipping"], "capmatinib", "tepotinib-nsclc", "capmatinib-nsclc"),
        (["MET exon 14 skipping"], "tepotinib", "capmatinib-nsclc", "tepotinib-nsclc"),
        (["ROS1 fusion"], "entrectinib", "crizotinib-ros1", "entrectinib-ros1"),
        (["RET fusion"], "selpercatinib", "pralsetinib-nsclc", "selpercatinib-nsclc"),
        (["RET fusion"], "pralsetinib", "selpercatinib-nsclc", "pralsetinib-nsclc"),
        (["NTRK1 fusion"], "entrectinib", "larotrectinib-ntrk", "entrectinib-ntrk"),
        (["NTRK1 fusion"], "larotrectinib", "entrectinib-ntrk", "larotrectinib-ntrk"),
    ],
)
def test_a_same_target_tki_after_progression_on_another_is_not_checked_and_ranked_after_checked_options(
    recommend, mutations, prior, offered, excluded
):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=mutations, prior_therapies=[{"line": 1, "drugs": [prior], "outcome": "progression"}])
    assert excluded not in option_ids(result)
    shown = option(result, offered)
    assert any(c.startswith("not checked for ") and prior in c for c in shown.caveats)
    checked = [o.id for o in result.options if not any(c.startswith("not checked for ") for c in o.caveats)]
    ids = option_ids(result)
    assert all(ids.index(c) < ids.index(offered) for c in checked if result.options[ids.index(c)].evidence_level == shown.evidence_level)


def test_repotrectinib_after_a_ros1_tki_carries_no_prior_tki_note(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["ROS1 fusion"], prior_therapies=[{"line": 1, "drugs": ["crizotinib"], "outcome": "progression"}])
    assert option_ids(result)[0] in {"repotrectinib-ros1", "taletrectinib-ros1"}
    assert not any(c.startswith("not checked for ") for c in option(result, "repotrectinib-ros1").caveats)


@pytest.mark.parametrize(("mutations", "prior"), [(["ROS1 fusion"], "repotrectinib"), (["RET fusion"], "selpercatinib")])
def test_platinum_pemetrexed_follows_a_ros1_or_ret_tki_before_any_platinum(recommend, mutations, prior):
    after_tki = [{"line": 1, "drugs": [prior], "outcome": "progression"}]
    result = recommend(cancer_type="LUAD", stage="IV", mutations=mutations, prior_therapies=after_tki)
    assert "pemetrexed-platinum-after-ros1-ret-tki" in option_ids(result)
    assert option(result, "pemetrexed-platinum-after-ros1-ret-tki").evidence_level == "4"
    after_platinum = [*after_tki, {"line": 2, "drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}]
    assert "pemetrexed-platinum-after-ros1-ret-tki" not in option_ids(
        recommend(cancer_type="LUAD", stage="IV", mutations=mutations, prior_therapies=after_platinum)
    )
    squamous = recommend(cancer_type="LUSC", stage="IV", mutations=mutations, prior_therapies=after_tki)
    assert "pemetrexed-platinum-after-ros1-ret-tki" not in option_ids(squamous)


def test_platinum_pemetrexed_is_not_offered_first_line_for_ros1(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["ROS1 fusion"], prior_therapies=[])
    assert "pemetrexed-platinum-after-ros1-ret-tki" not in option_ids(result)
