"""Issue 11, session 6: the GI standards a tumour board lists: metastatic pancreatic adenocarcinoma by line, FOLFIRI +
ramucirumab after first-line bevacizumab with oxaliplatin, ramucirumab in gastric and GEJ adenocarcinoma, and first-line
checkpoint-inhibitor regimens for oesophageal squamous-cell carcinoma."""

from __future__ import annotations

from tests.engine.answers import offered_ids, option

PANCREAS_FIRST_LINE = {"erlotinib-gemcitabine-pancreas", "nab-paclitaxel-gemcitabine-pancreas", "folfirinox-pancreas"}
ESCC_FIRST_LINE = {"nivolumab-fluorouracil-cisplatin-escc", "nivolumab-ipilimumab-escc"}
AFTER_FOLFOX_BEVACIZUMAB = [{"line": 1, "drugs": ["oxaliplatin", "fluorouracil", "leucovorin", "bevacizumab"], "outcome": "progression"}]


def test_metastatic_pancreatic_adenocarcinoma_gets_its_three_first_lines_each_with_doses(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV")
    assert offered_ids(result) >= PANCREAS_FIRST_LINE
    assert option(result, "erlotinib-gemcitabine-pancreas").contains_tki is True
    assert option(result, "folfirinox-pancreas").evidence_level == "2"
    for regimen_id in PANCREAS_FIRST_LINE:
        assert all(c.dose for c in option(result, regimen_id).components), regimen_id
    doses = {c.drug: c.dose for c in option(result, "folfirinox-pancreas").components}
    assert doses["irinotecan"].startswith("180 mg/m2") and "2400 mg/m2" in doses["fluorouracil"]


def test_erlotinib_gemcitabine_is_checked_against_the_erlotinib_label(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV", current_medications=["omeprazole"])
    assert "interaction:erlotinib+omeprazole" in option(result, "erlotinib-gemcitabine-pancreas").interactions


def test_locally_advanced_pancreatic_cancer_keeps_only_the_regimen_studied_there(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="locally advanced")
    offered = offered_ids(result)
    assert "erlotinib-gemcitabine-pancreas" in offered
    assert not {"folfirinox-pancreas", "nab-paclitaxel-gemcitabine-pancreas"} & offered


def test_liposomal_irinotecan_follows_gemcitabine_and_is_not_a_first_line(recommend):
    first = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV")
    assert "nal-iri-fluorouracil-leucovorin-pancreas" not in offered_ids(first)
    after = recommend(
        cancer_type="pancreatic adenocarcinoma",
        stage="IV",
        prior_therapies=[{"line": 1, "drugs": ["gemcitabine", "nab-paclitaxel"], "outcome": "progression"}],
    )
    shown = option(after, "nal-iri-fluorouracil-leucovorin-pancreas")
    assert {c.drug for c in shown.components} == {"irinotecan liposome", "leucovorin", "fluorouracil"}
    assert not PANCREAS_FIRST_LINE & offered_ids(after)


def test_liposomal_irinotecan_is_read_by_its_names(recommend):
    result = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV", current_medications=["Onivyde", "nal-IRI"])
    medicines = result.profile.current_medications
    assert {m.name for m in medicines} == {"irinotecan liposome"}
    assert all("ugt1a1_substrate" in m.classes for m in medicines)


def test_folfiri_ramucirumab_follows_folfox_bevacizumab_and_never_prior_irinotecan(recommend):
    after_oxaliplatin = recommend(cancer_type="colorectal cancer", stage="IV", prior_therapies=AFTER_FOLFOX_BEVACIZUMAB)
    shown = option(after_oxaliplatin, "folfiri-ramucirumab-crc")
    assert {c.drug: c.dose for c in shown.components}["ramucirumab"].startswith("8 mg/kg")
    after_irinotecan = recommend(
        cancer_type="colorectal cancer",
        stage="IV",
        prior_therapies=[{"line": 1, "drugs": ["irinotecan", "fluorouracil", "leucovorin", "bevacizumab"], "outcome": "progression"}],
    )
    assert "folfiri-ramucirumab-crc" not in offered_ids(after_irinotecan)
    assert "folfiri-ramucirumab-crc" not in offered_ids(recommend(cancer_type="colorectal cancer", stage="IV"))


def test_gej_adenocarcinoma_after_platinum_gets_both_ramucirumab_regimens(recommend):
    result = recommend(
        cancer_type="gastroesophageal junction adenocarcinoma",
        stage="IV",
        prior_therapies=[{"line": 1, "drugs": ["oxaliplatin", "fluorouracil", "leucovorin"], "outcome": "progression"}],
    )
    assert offered_ids(result) >= {"ramucirumab-gastric", "ramucirumab-paclitaxel-gastric"}
    assert "ramucirumab-gastric" not in offered_ids(recommend(cancer_type="gastric adenocarcinoma", stage="IV"))


def test_oesophageal_squamous_cell_carcinoma_gets_the_nivolumab_first_lines_and_adenocarcinoma_does_not(recommend):
    squamous = recommend(cancer_type="esophageal squamous cell carcinoma", stage="IV")
    assert offered_ids(squamous) >= ESCC_FIRST_LINE
    for regimen_id in ESCC_FIRST_LINE:
        shown = option(squamous, regimen_id)
        assert all(c.dose for c in shown.components)
        assert shown.overall_survival is not None
    adenocarcinoma = recommend(cancer_type="esophageal adenocarcinoma", stage="IV", biomarkers=[{"name": "HER2", "status": "negative"}])
    assert not ESCC_FIRST_LINE & offered_ids(adenocarcinoma)
    assert "nivolumab-fluoropyrimidine-oxaliplatin-gastric" in offered_ids(adenocarcinoma)


def test_first_line_pembrolizumab_chemotherapy_is_offered_once_its_chemotherapy_doses_are_read(recommend):
    for profile, regimen_id in (
        ({"cancer_type": "esophageal squamous cell carcinoma", "stage": "IV"}, "pembrolizumab-fluorouracil-cisplatin-oesophageal"),
        (
            {"cancer_type": "gastric adenocarcinoma", "stage": "IV", "biomarkers": [{"name": "HER2", "status": "negative"}], "pd_l1": {"cps": 5}},
            "pembrolizumab-chemotherapy-her2-negative-gastric",
        ),
    ):
        result = recommend(**profile)
        assert regimen_id in offered_ids(result)
        assert regimen_id not in {w.id for w in result.withheld}
        assert all(c.dose for c in option(result, regimen_id).components)
