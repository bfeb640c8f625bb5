"""Issue 11, session 7: new standards (NSCLC first-line immunotherapy, the first platinum doublet after targeted therapy
or immunotherapy alone,
NALIRIFOX, zenocutuzumab for NRG1 fusions, CAPOX + bevacizumab withheld) and ties broken by the hazard ratio for death
against a shared comparator."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.config import get_settings
from service.knowledge.source import KnowledgeError, read_knowledge
from tests.engine.answers import excluded_ids, offered_ids, option, option_ids

DRIVER_NEGATIVE = ["EGFR not detected", "ALK not detected", "ROS1 not detected"]
NEW_NSCLC_FIRST_LINE = {
    "atezolizumab-nsclc",
    "cemiplimab-nsclc",
    "cemiplimab-pemetrexed-platinum-nsclc",
    "durvalumab-tremelimumab-pemetrexed-platinum-nsclc",
    "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc",
    "atezolizumab-carboplatin-nab-paclitaxel-nsclc",
}
CHEMOTHERAPY_AFTER_TARGETED = "pemetrexed-cisplatin-nsclc-chemotherapy-naive"


def test_driver_negative_non_squamous_pd_l1_high_gets_the_new_first_line_options_with_doses(recommend):
    result = recommend(cancer_type="lung adenocarcinoma", stage="IV", mutations=DRIVER_NEGATIVE, pd_l1={"tps": 70})
    assert offered_ids(result) >= NEW_NSCLC_FIRST_LINE
    for regimen_id in NEW_NSCLC_FIRST_LINE:
        shown = option(result, regimen_id)
        assert shown.contains_tki is False
        assert shown.evidence_level == "1"
        assert all(c.dose for c in shown.components), regimen_id
    doses = {c.drug: c.dose for c in option(result, "durvalumab-tremelimumab-pemetrexed-platinum-nsclc").components}
    assert doses["tremelimumab"].startswith("75 mg") and "week 16" in doses["tremelimumab"]
    assert doses["durvalumab"].startswith("1,500 mg")
    assert {c.drug: c.dose for c in option(result, "cemiplimab-nsclc").components}["cemiplimab"].startswith("350 mg")


def test_single_agent_atezolizumab_and_cemiplimab_need_a_tumour_proportion_score_of_50(recommend):
    result = recommend(cancer_type="lung adenocarcinoma", stage="IV", mutations=DRIVER_NEGATIVE, pd_l1={"tps": 30})
    offered = offered_ids(result)
    assert not {"atezolizumab-nsclc", "cemiplimab-nsclc"} & offered
    assert {"cemiplimab-pemetrexed-platinum-nsclc", "durvalumab-tremelimumab-pemetrexed-platinum-nsclc"} <= offered


def test_squamous_nsclc_gets_the_squamous_doublets_and_never_pemetrexed_or_bevacizumab(recommend):
    result = recommend(cancer_type="lung squamous cell carcinoma", stage="IV", mutations=DRIVER_NEGATIVE, pd_l1={"tps": 10})
    offered = offered_ids(result)
    assert {"cemiplimab-carboplatin-paclitaxel-nsclc", "durvalumab-tremelimumab-carboplatin-nab-paclitaxel-nsclc"} <= offered
    assert not {
        "cemiplimab-pemetrexed-platinum-nsclc",
        "durvalumab-tremelimumab-pemetrexed-platinum-nsclc",
        "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc",
    } & offered


def test_cemiplimab_regimens_are_excluded_with_a_ros1_fusion_as_their_indications_say(recommend):
    result = recommend(cancer_type="lung adenocarcinoma", stage="IV", mutations=["CD74::ROS1", "EGFR not detected", "ALK not detected"])
    assert not {"cemiplimab-nsclc", "cemiplimab-pemetrexed-platinum-nsclc"} & offered_ids(result)
    assert "cemiplimab-pemetrexed-platinum-nsclc" in excluded_ids(result)


def test_impower150_after_an_alk_tki_follows_its_eu_indication_and_egfr_keeps_the_keynote_789_rule(recommend):
    alk = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["EML4::ALK"],
        prior_therapies=[{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}],
    )
    shown = option(alk, "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc")
    assert shown.evidence_level == "2" and shown.regulatory_status == "not_fda_approved"
    assert [o.id for o in alk.options].index("lorlatinib-nsclc") < [o.id for o in alk.options].index(shown.id)
    after_platinum = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["EML4::ALK"],
        prior_therapies=[
            {"line": 1, "drugs": ["alectinib"], "outcome": "progression"},
            {"line": 2, "drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"},
        ],
    )
    assert shown.id not in offered_ids(after_platinum)
    egfr = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["EGFR L858R"],
        prior_therapies=[{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}],
    )
    assert shown.id not in offered_ids(egfr)
    assert shown.id in excluded_ids(egfr)


@pytest.mark.parametrize(
    ("mutation", "prior"),
    [
        ("BRAF V600E", ["dabrafenib", "trametinib"]),
        ("MET exon 14 skipping", ["capmatinib"]),
        ("ETV6::NTRK3", ["larotrectinib"]),
        ("KRAS G12C", ["sotorasib"]),
        ("ERBB2 exon 20 insertion", ["fam-trastuzumab deruxtecan"]),
        ("CD74::NRG1", ["zenocutuzumab"]),
        ("EGFR G719S", ["afatinib"]),
    ],
)
def test_any_driver_after_its_targeted_therapy_and_no_platinum_gets_platinum_pemetrexed(recommend, mutation, prior):
    result = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=[mutation],
        prior_therapies=[{"line": 1, "drugs": prior, "outcome": "progression"}],
    )
    shown = option(result, CHEMOTHERAPY_AFTER_TARGETED)
    assert shown.contains_tki is False
    assert {c.drug for c in shown.components} == {"pemetrexed", "cisplatin"}
    assert all(c.dose for c in shown.components)
    # chemo-immunotherapy stays first line: its trials enrolled untreated patients
    assert not {"pembrolizumab-pemetrexed-platinum", "cemiplimab-pemetrexed-platinum-nsclc"} & offered_ids(result)


def test_platinum_pemetrexed_after_targeted_therapy_needs_no_platinum_yet_and_non_squamous_histology(recommend):
    after_platinum = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["BRAF V600E"],
        prior_therapies=[
            {"line": 1, "drugs": ["dabrafenib", "trametinib"], "outcome": "progression"},
            {"line": 2, "drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"},
        ],
    )
    assert CHEMOTHERAPY_AFTER_TARGETED not in offered_ids(after_platinum)
    squamous = recommend(
        cancer_type="lung squamous cell carcinoma",
        stage="IV",
        mutations=["KRAS G12C"],
        prior_therapies=[{"line": 1, "drugs": ["sotorasib"], "outcome": "progression"}],
    )
    assert CHEMOTHERAPY_AFTER_TARGETED not in offered_ids(squamous)  # pemetrexed: non-squamous only
    responding = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["BRAF V600E"],
        prior_therapies=[{"line": 1, "drugs": ["dabrafenib", "trametinib"], "outcome": "response"}],
    )
    assert CHEMOTHERAPY_AFTER_TARGETED not in offered_ids(responding)


def test_drivers_with_their_own_platinum_option_do_not_get_a_second_copy(recommend):
    result = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["EGFR exon 19 deletion"],
        prior_therapies=[{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}],
    )
    assert "pemetrexed-platinum-after-egfr-tki" in offered_ids(result)
    assert CHEMOTHERAPY_AFTER_TARGETED not in offered_ids(result)


def test_nalirifox_is_a_first_line_above_gemcitabine_nab_paclitaxel_by_napoli_3(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV")
    ids = option_ids(result)
    assert ids.index("nalirifox-pancreas") < ids.index("nab-paclitaxel-gemcitabine-pancreas")
    shown = option(result, "nalirifox-pancreas")
    doses = {c.drug: c.dose for c in shown.components}
    assert doses["irinotecan liposome"].startswith("50 mg/m2") and doses["oxaliplatin"].startswith("60 mg/m2")
    assert "NAPOLI 3" in shown.ranking.above_next


def test_pancreatic_first_line_ties_are_broken_by_the_survival_gain_against_gemcitabine_and_say_so(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV")
    ids = option_ids(result)
    assert ids.index("nab-paclitaxel-gemcitabine-pancreas") < ids.index("erlotinib-gemcitabine-pancreas")
    why = option(result, "nab-paclitaxel-gemcitabine-pancreas").ranking.above_next
    assert "gemcitabine alone" in why and "0.72" in why and "0.82" in why and "not a head-to-head" in why
    erlotinib = option(result, "erlotinib-gemcitabine-pancreas").ranking
    assert "Gemcitabine + nab-paclitaxel" not in erlotinib.tied_with


def test_tied_options_without_every_hazard_ratio_stay_tied_by_name(recommend):
    # first-line NSCLC options share comparators but no hazard ratios are recorded for them: nothing is reordered
    result = recommend(cancer_type="lung adenocarcinoma", stage="IV", mutations=DRIVER_NEGATIVE, pd_l1={"tps": 70})
    first = result.options[0]
    assert first.ranking.tied_with
    assert "hazard ratio" not in (first.ranking.above_next or "")


@pytest.mark.parametrize(
    ("cancer_type", "indication"),
    [("lung adenocarcinoma", "zenocutuzumab-nrg1-nsclc-after-systemic-therapy"), ("pancreatic adenocarcinoma", "zenocutuzumab-nrg1-pancreas-after-systemic-therapy")],
)
def test_nrg1_fusion_after_systemic_therapy_gets_zenocutuzumab_as_an_accelerated_approval(recommend, cancer_type, indication):
    result = recommend(
        cancer_type=cancer_type,
        stage="IV",
        mutations=["CD74::NRG1"],
        prior_therapies=[{"line": 1, "drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}],
    )
    shown = option(result, "zenocutuzumab-nrg1")
    assert shown.indication_id == indication
    assert shown.contains_tki is False
    assert {c.drug: c.dose for c in shown.components}["zenocutuzumab"].startswith("750 mg")
    first_line = recommend(cancer_type=cancer_type, stage="IV", mutations=["CD74::NRG1"], prior_therapies=[])
    assert "zenocutuzumab-nrg1" not in offered_ids(first_line)


def test_nrg1_fusion_is_read_from_its_usual_spellings(recommend):
    for text in ("NRG1 fusion", "CD74::NRG1", "NRG1 rearrangement"):
        result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV", mutations=[text], prior_therapies=["FOLFIRINOX"])
        assert "zenocutuzumab-nrg1" in offered_ids(result), text


def test_capox_bevacizumab_is_offered_with_the_no16966_bevacizumab_dose(recommend):
    # session 10: the registry's results record gives 7.5 mg/kg every 3 weeks with XELOX
    result = recommend(cancer_type="colorectal cancer", stage="IV")
    assert "capox-bevacizumab-crc" in offered_ids(result)
    [shown] = [o for o in result.options if o.id == "capox-bevacizumab-crc"]
    assert {c.drug: c.dose for c in shown.components}["bevacizumab"].startswith("7.5 mg/kg")


def test_check_refuses_a_hazard_ratio_its_evidence_does_not_state(tmp_path: Path):
    root = tmp_path / "knowledge"
    shutil.copytree(get_settings().knowledge_dir, root)
    path = root / "regimens" / "soc_s7_new.yaml"
    text = path.read_text(encoding="utf-8")
    assert "hazard_ratio: 0.83}" in text
    path.write_text(text.replace("hazard_ratio: 0.83}", "hazard_ratio: 0.61}"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(root)
    assert any("hazard_ratio 0.61 is not in its evidence" in p for p in error.value.problems)


@pytest.mark.parametrize(
    ("cancer_type", "doublet", "drugs"),
    [
        ("lung adenocarcinoma", CHEMOTHERAPY_AFTER_TARGETED, {"pemetrexed", "cisplatin"}),
        ("lung squamous cell carcinoma", "gemcitabine-cisplatin-nsclc-chemotherapy-naive", {"gemcitabine", "cisplatin"}),
    ],
)
def test_after_first_line_immunotherapy_alone_the_first_platinum_doublet_follows_histology(recommend, cancer_type, doublet, drugs):
    result = recommend(
        cancer_type=cancer_type,
        stage="IV",
        mutations=["EGFR not detected", "ALK not detected"],
        pd_l1={"tps": 80},
        prior_therapies=[{"line": 1, "drugs": ["pembrolizumab"], "outcome": "progression"}],
    )
    shown = option(result, doublet)
    assert {c.drug for c in shown.components} == drugs and all(c.dose for c in shown.components)
    other = ({CHEMOTHERAPY_AFTER_TARGETED, "gemcitabine-cisplatin-nsclc-chemotherapy-naive"} - {doublet}).pop()
    assert other not in offered_ids(result)
    after_chemo_immunotherapy = recommend(
        cancer_type=cancer_type,
        stage="IV",
        mutations=["EGFR not detected", "ALK not detected"],
        prior_therapies=[{"line": 1, "drugs": ["carboplatin", "paclitaxel", "pembrolizumab"], "outcome": "progression"}],
    )
    assert doublet not in offered_ids(after_chemo_immunotherapy)


def test_squamous_nsclc_with_a_driver_after_its_targeted_therapy_gets_gemcitabine_cisplatin(recommend):
    result = recommend(
        cancer_type="lung squamous cell carcinoma",
        stage="IV",
        mutations=["KRAS G12C"],
        prior_therapies=[{"line": 1, "drugs": ["sotorasib"], "outcome": "progression"}],
    )
    assert "gemcitabine-cisplatin-nsclc-chemotherapy-naive" in offered_ids(result)


def test_immunotherapy_then_an_egfr_tki_gives_one_platinum_pemetrexed_option_not_two(recommend):
    result = recommend(
        cancer_type="lung adenocarcinoma",
        stage="IV",
        mutations=["EGFR L858R"],
        prior_therapies=[
            {"line": 1, "drugs": ["pembrolizumab"], "outcome": "progression"},
            {"line": 2, "drugs": ["osimertinib"], "outcome": "progression"},
        ],
    )
    assert "pemetrexed-platinum-after-egfr-tki" in offered_ids(result)
    assert CHEMOTHERAPY_AFTER_TARGETED not in offered_ids(result)
