"""Issue 11, session 5: first-line chemotherapy backbones with a biologic in metastatic colorectal cancer, anti-EGFR
antibodies only in RAS wild-type disease, second lines that follow the first-line backbone, and first-line HER2 therapy
in gastric and breast cancer."""

from __future__ import annotations

from tests.engine.answers import excluded_ids, option, option_ids

CRC_FIRST_LINE_BACKBONES = {"folfox-bevacizumab-crc", "folfiri-bevacizumab-crc"}
ANTI_EGFR = {"folfox-panitumumab-crc", "folfiri-cetuximab-crc"}


def test_stage_iv_colorectal_cancer_gets_first_line_chemotherapy_with_bevacizumab(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="IV")
    assert CRC_FIRST_LINE_BACKBONES <= set(option_ids(result))
    for regimen_id in CRC_FIRST_LINE_BACKBONES:
        shown = option(result, regimen_id)
        assert shown.contains_tki is False
        assert all(c.dose for c in shown.components)
    doses = {c.drug: c.dose for c in option(result, "folfox-bevacizumab-crc").components}
    assert doses["oxaliplatin"].startswith("85 mg/m2") and doses["bevacizumab"].startswith("5 mg/kg")


def test_ras_wild_type_colorectal_cancer_adds_the_anti_egfr_first_lines(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="IV", mutations=["KRAS not detected", "NRAS not detected"])
    assert ANTI_EGFR | CRC_FIRST_LINE_BACKBONES <= set(option_ids(result))
    doses = {c.drug: c.dose for c in option(result, "folfiri-cetuximab-crc").components}
    assert doses["cetuximab"].startswith("400 mg/m2") and "500 mg/m2" in doses["cetuximab"]


def test_kras_or_nras_mutation_excludes_the_anti_egfr_antibodies_with_a_reason(recommend):
    for mutation in ("KRAS G12D", "NRAS Q61K"):
        result = recommend(cancer_type="colorectal cancer", stage="IV", mutations=[mutation])
        assert not ANTI_EGFR & set(option_ids(result)), mutation
        assert ANTI_EGFR <= excluded_ids(result), mutation
        assert CRC_FIRST_LINE_BACKBONES <= set(option_ids(result))


def test_colorectal_second_line_changes_the_backbone_and_follows_bevacizumab(recommend):
    after_folfox_bev = recommend(cancer_type="colorectal cancer", stage="IV", prior_therapies=["FOLFOX + bevacizumab (progression)"])
    ids = option_ids(after_folfox_bev)
    assert "folfiri-bevacizumab-crc" in ids and "folfox-bevacizumab-crc" not in ids
    assert option(after_folfox_bev, "folfiri-bevacizumab-crc").indication_id == "folfiri-bevacizumab-crc-second-line-after-oxaliplatin"
    after_folfiri = recommend(cancer_type="colorectal cancer", stage="IV", prior_therapies=["FOLFIRI (progression)"])
    folfox = option(after_folfiri, "folfox-bevacizumab-crc")
    assert folfox.indication_id == "folfox-bevacizumab-crc-second-line-bevacizumab-naive"
    assert {c.drug: c.dose for c in folfox.components}["bevacizumab"].startswith("10 mg/kg")
    after_folfiri_bev = recommend(cancer_type="colorectal cancer", stage="IV", prior_therapies=["FOLFIRI + bevacizumab (progression)"])
    continued = option(after_folfiri_bev, "folfox-bevacizumab-crc")
    assert continued.indication_id == "folfox-bevacizumab-crc-second-line-after-bevacizumab"
    assert {c.drug: c.dose for c in continued.components}["bevacizumab"].startswith("5 mg/kg")


def test_her2_positive_gastric_cancer_first_line_gets_trastuzumab_with_chemotherapy(recommend):
    positive = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=["HER2 positive"])
    toga = option(positive, "trastuzumab-cisplatin-capecitabine-gastric")
    assert toga.overall_survival and toga.overall_survival.result == "superior"
    assert {c.drug: c.dose for c in toga.components}["cisplatin"].startswith("80 mg/m2")
    negative = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=["HER2 negative"])
    assert "trastuzumab-cisplatin-capecitabine-gastric" not in option_ids(negative)


def test_her2_positive_breast_cancer_first_line_gets_pertuzumab_trastuzumab_docetaxel_and_not_later(recommend):
    first = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 positive"])
    thp = option(first, "pertuzumab-trastuzumab-docetaxel-breast")
    assert {c.drug: c.dose for c in thp.components}["pertuzumab"].startswith("840 mg")
    later = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HER2 positive"], prior_therapies=["trastuzumab + pertuzumab + docetaxel (progression)"])
    assert "pertuzumab-trastuzumab-docetaxel-breast" not in option_ids(later)
    assert "trastuzumab-deruxtecan-breast" in option_ids(later)


def test_keynote_811_is_offered_with_pd_l1_cps_1_or_more_and_not_below(recommend):
    result = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=["HER2 positive"], pd_l1={"cps": 5})
    assert "pembrolizumab-trastuzumab-chemotherapy-gastric" in option_ids(result)
    assert not any(w.id == "pembrolizumab-trastuzumab-chemotherapy-gastric" for w in result.withheld)
    below = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=["HER2 positive"], pd_l1={"cps": 0})
    assert "pembrolizumab-trastuzumab-chemotherapy-gastric" not in option_ids(below)
