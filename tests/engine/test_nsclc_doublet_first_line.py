"""First-line NSCLC for a patient who cannot have an immune checkpoint inhibitor: the platinum doublet of the histology
is offered (ALIMTA and gemcitabine US indications, JMDB), and it ranks below chemo-immunotherapy where that applies."""

from __future__ import annotations

from tests.engine.answers import option, option_ids

DRIVER_NEGATIVE = ["EGFR negative", "ALK negative", "ROS1 negative"]
LUPUS = ["active systemic lupus erythematosus"]


def test_non_squamous_nsclc_with_active_autoimmune_disease_gets_platinum_pemetrexed(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=DRIVER_NEGATIVE, conditions=LUPUS, prior_therapies=[])
    assert option_ids(result) == ["pemetrexed-cisplatin-nsclc-chemotherapy-naive", "pemetrexed-carboplatin-nsclc"]
    for regimen in option_ids(result):
        doublet = option(result, regimen)
        assert doublet.contains_tki is False
        assert all(c.dose for c in doublet.components)


def test_carboplatin_pemetrexed_carries_no_cisplatin_renal_caution(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=DRIVER_NEGATIVE, conditions=LUPUS, prior_therapies=[],
        organ_function={"creatinine_clearance_ml_min": 50},
    )
    cisplatin, carboplatin = (option(result, r) for r in ("pemetrexed-cisplatin-nsclc-chemotherapy-naive", "pemetrexed-carboplatin-nsclc"))
    assert any("cisplatin label" in c.detail for c in cisplatin.cautions)
    assert not any("cisplatin" in c.detail for c in carboplatin.cautions)
    assert carboplatin.indication_id == "pemetrexed-carboplatin-non-squamous-first-line"
    assert any(c.drug == "carboplatin" and "AUC 5" in c.dose for c in carboplatin.components)


def test_squamous_nsclc_with_active_autoimmune_disease_gets_gemcitabine_cisplatin(recommend):
    result = recommend(cancer_type="LUSC", stage="IV", conditions=LUPUS, prior_therapies=[])
    assert "gemcitabine-cisplatin-nsclc-chemotherapy-naive" in option_ids(result)
    assert "pemetrexed-cisplatin-nsclc-chemotherapy-naive" not in option_ids(result)


def test_the_doublet_ranks_below_chemo_immunotherapy_that_beat_it(recommend):
    ids = option_ids(recommend(cancer_type="LUAD", stage="IV", mutations=DRIVER_NEGATIVE, pd_l1={"tps": 10}, prior_therapies=[]))
    assert ids.index("pembrolizumab-pemetrexed-platinum") < ids.index("pemetrexed-cisplatin-nsclc-chemotherapy-naive")
