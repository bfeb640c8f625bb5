"""Issue 11, session 7: regimens withheld on an unread component dose are offered once the dose is read, each component
with its dose and source; where the trial let the investigator choose the chemotherapy (FP or CAPOX), each choice is
its own regimen, so the patient rules of its own drugs apply to it."""

from __future__ import annotations

import re

import pytest

from tests.engine.answers import offered_ids, option

HER2_NEGATIVE = [{"name": "HER2", "status": "negative"}]
HER2_POSITIVE = [{"name": "HER2", "status": "positive"}]
KEYNOTE_859 = {"pembrolizumab-chemotherapy-her2-negative-gastric", "pembrolizumab-capox-her2-negative-gastric"}
KEYNOTE_811 = {"pembrolizumab-trastuzumab-chemotherapy-gastric", "pembrolizumab-trastuzumab-capox-gastric"}
CHECKMATE_649 = {"nivolumab-fluoropyrimidine-oxaliplatin-gastric", "nivolumab-capeox-gastric"}
RELEASED = KEYNOTE_859 | KEYNOTE_811 | CHECKMATE_649 | {"pembrolizumab-fluorouracil-cisplatin-oesophageal", "atezolizumab-vemurafenib-cobimetinib-melanoma"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def doses(result, regimen_id):  # type: ignore[no-untyped-def]
    return {c.drug: c.dose for c in option(result, regimen_id).components}


def test_her2_negative_gastric_cancer_with_cps_1_or_more_gets_keynote_859_as_fp_and_as_capox(recommend):
    result = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=HER2_NEGATIVE, pd_l1={"cps": 5})
    assert offered_ids(result) >= KEYNOTE_859
    fp = doses(result, "pembrolizumab-chemotherapy-her2-negative-gastric")
    assert set(fp) == {"pembrolizumab", "fluorouracil", "cisplatin"}
    assert fp["fluorouracil"].startswith("800 mg/m2 per day") and fp["cisplatin"].startswith("80 mg/m2")
    capox = doses(result, "pembrolizumab-capox-her2-negative-gastric")
    assert set(capox) == {"pembrolizumab", "capecitabine", "oxaliplatin"}
    assert capox["capecitabine"].startswith("1000 mg/m2 orally twice daily") and capox["oxaliplatin"].startswith("130 mg/m2")
    for regimen_id in KEYNOTE_859:
        shown = option(result, regimen_id)
        assert shown.contains_tki is False
        assert shown.overall_survival is not None and shown.overall_survival.result == "superior"
        assert result.citations[shown.evidence[0]].nct_id == "NCT03675737"


def test_keynote_859_and_811_are_not_offered_below_cps_1(recommend):
    for biomarkers, regimens in ((HER2_NEGATIVE, KEYNOTE_859), (HER2_POSITIVE, KEYNOTE_811)):
        result = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=biomarkers, pd_l1={"cps": 0})
        assert not regimens & offered_ids(result)
        assert not regimens & {w.id for w in result.withheld}


def test_her2_positive_gastric_cancer_gets_keynote_811_with_the_trastuzumab_and_chemotherapy_doses_of_the_trial(recommend):
    result = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=HER2_POSITIVE, pd_l1={"cps": 5})
    assert offered_ids(result) >= KEYNOTE_811 | {"trastuzumab-cisplatin-capecitabine-gastric"}
    for regimen_id in KEYNOTE_811:
        assert doses(result, regimen_id)["trastuzumab"].startswith("8 mg/kg IV loading dose, then 6 mg/kg")
    assert doses(result, "pembrolizumab-trastuzumab-chemotherapy-gastric")["cisplatin"].startswith("80 mg/m2")
    assert doses(result, "pembrolizumab-trastuzumab-capox-gastric")["capecitabine"].startswith("1000 mg/m2")
    cited = {c.doi for c in result.citations.values() if getattr(c, "doi", None)}
    assert "10.2217/fon-2020-0737" in cited


def test_each_investigator_choice_meets_the_patient_rules_of_its_own_drugs(recommend):
    result = recommend(
        cancer_type="gastric adenocarcinoma",
        stage="IV",
        biomarkers=HER2_NEGATIVE,
        pd_l1={"cps": 5},
        organ_function={"creatinine_clearance_ml_min": 25},
    )
    capecitabine = next(g for g in result.exclusion_groups if "capecitabine is contraindicated" in g.reason)
    for capox in ("pembrolizumab-capox-her2-negative-gastric", "nivolumab-capeox-gastric"):
        assert capox not in offered_ids(result)
        assert capox in {r.id for r in capecitabine.regimens}
    fp = option(result, "pembrolizumab-chemotherapy-her2-negative-gastric")
    assert any("cisplatin" in c.detail for c in fp.cautions)
    folfox = option(result, "nivolumab-fluoropyrimidine-oxaliplatin-gastric")
    assert any("platinum clearance" in c.detail for c in folfox.cautions)


def test_checkmate_649_is_offered_as_folfox_and_as_capeox_each_with_its_doses(recommend):
    result = recommend(cancer_type="gastric adenocarcinoma", stage="IV", biomarkers=HER2_NEGATIVE)
    assert offered_ids(result) >= CHECKMATE_649
    folfox = doses(result, "nivolumab-fluoropyrimidine-oxaliplatin-gastric")
    assert folfox["nivolumab"] == "240 mg IV every 2 weeks" and folfox["oxaliplatin"].startswith("85 mg/m2")
    assert folfox["fluorouracil"].startswith("400 mg/m2 IV on day 1, then 1200 mg/m2")
    capeox = doses(result, "nivolumab-capeox-gastric")
    assert capeox["nivolumab"] == "360 mg IV every 3 weeks" and capeox["oxaliplatin"].startswith("130 mg/m2")
    assert capeox["capecitabine"].startswith("1000 mg/m2 orally twice a day on days 1-14")


@pytest.mark.parametrize("cancer_type", ["esophageal squamous cell carcinoma", "esophageal adenocarcinoma"])
def test_keynote_590_is_offered_in_oesophageal_cancer_with_its_fluorouracil_and_cisplatin_doses(recommend, cancer_type):
    result = recommend(cancer_type=cancer_type, stage="IV", biomarkers=HER2_NEGATIVE)
    shown = doses(result, "pembrolizumab-fluorouracil-cisplatin-oesophageal")
    assert shown["cisplatin"] == "80 mg/m2 IV on day 1 every 3 weeks"
    assert shown["fluorouracil"].startswith("800 mg/m2/day by continuous IV infusion on days 1 to 5")
    assert result.citations["keynote-590"].nct_id == "NCT03189719"


def test_braf_v600_melanoma_gets_imspire150_with_vemurafenib_720_mg_from_cycle_2_above_vemurafenib_cobimetinib(recommend):
    result = recommend(cancer_type="cutaneous melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=[])
    shown = doses(result, "atezolizumab-vemurafenib-cobimetinib-melanoma")
    assert shown["vemurafenib"].startswith("720 mg orally twice daily from cycle 2")
    assert "TECENTRIQ label" in shown["vemurafenib"]  # the cycle-1 schedule is the label's, not restated
    order = [o.id for o in result.options]
    assert order.index("atezolizumab-vemurafenib-cobimetinib-melanoma") < order.index("vemurafenib-cobimetinib-melanoma")
    after_immunotherapy = recommend(cancer_type="cutaneous melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=["pembrolizumab"])
    assert "atezolizumab-vemurafenib-cobimetinib-melanoma" not in offered_ids(after_immunotherapy)


def test_released_regimens_give_every_component_a_dose_whose_numbers_their_trial_records_state(kb):
    for regimen_id in RELEASED:
        regimen = kb.regimens[regimen_id]
        assert not regimen.withheld_reason, regimen_id
        assert not regimen.component_classes, regimen_id  # a named drug per component, so its patient rules apply
        for indication in regimen.indications:
            assert kb.withheld_reason(regimen, indication) is None, indication.id
            for component in regimen.components:
                dose, source = indication.dose_for(component)
                assert dose and source is not None and source.evidence, (indication.id, component.key)
                text = " ".join(
                    " ".join([e.title, e.population, e.intervention, e.comparator or "", *e.key_figures])
                    for e in (kb.evidence[i] for i in source.evidence)
                )
                assert set(NUMBER.findall(dose)) <= set(NUMBER.findall(text)), (indication.id, component.key)


def test_regimens_still_waiting_on_a_dose_are_withheld_naming_it(recommend):
    for profile, regimen_id, named in (
        ({"cancer_type": "COADREAD", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": []},
         "encorafenib-cetuximab-mfolfox6-crc", "mFOLFOX6 component doses"),
    ):
        result = recommend(**profile)
        assert regimen_id not in offered_ids(result)
        withheld = next(w for w in result.withheld if w.id == regimen_id)
        assert named in withheld.reason


def test_no_offered_regimen_leaves_a_component_to_a_drug_class(kb):
    # a class component escapes the patient rules written for its drugs (capecitabine's renal contraindication)
    for regimen in kb.regimens.values():
        if regimen.component_classes:
            assert all(kb.withheld_reason(regimen, i) is not None for i in regimen.indications), regimen.id
