"""Solid tumours other than lung (issues 10 and 11, third pass): control arms that were one investigator's choice,
AFP for REACH-2, QT cautions from the labels, and the audit cases."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.engine.matching import IndicationAssessment
from service.engine.recommend import _head_to_head_record, _rank
from service.knowledge.records import Indication, Regimen
from tests.engine.answers import option, option_ids


def _assessment(regimen_id: str, outranks: list[str] = [], one_arm: list[list[str]] = []) -> IndicationAssessment:
    indication = Indication(
        id=f"{regimen_id}-first-line",
        summary="First-line advanced disease",
        cancer_types=["HCC"],
        settings=["advanced"],
        evidence_level="1",
        regulatory_status="fda_approved",
        evidence=["trial"],
        outranks=outranks,
        outranks_evidence=["trial"] if outranks else [],
        outranks_one_arm=one_arm,
    )
    regimen = Regimen(id=regimen_id, name=regimen_id, components=[{"drug": regimen_id, "role": "tki"}], indications=[indication])
    return IndicationAssessment(regimen=regimen, indication=indication)


def test_a_control_arm_of_several_choices_counts_as_one_win():
    choice = _assessment("dual", outranks=["tki-a", "tki-b"], one_arm=[["tki-a", "tki-b"]])
    alone = _assessment("alone", outranks=["tki-a"])
    matches = [choice, alone, _assessment("tki-a"), _assessment("tki-b")]
    record = _head_to_head_record(matches)
    assert record["dual"] == record["alone"] == (1, 1)
    # both beat their comparators and neither is put above the other for it: listed by name (alone, then dual)
    ranked = [a.regimen.id for a, _ in _rank(matches)]
    assert ranked[:2] == ["alone", "dual"] and set(ranked[2:]) == {"tki-a", "tki-b"}


def test_two_separate_control_arms_still_count_twice():
    two_trials = _assessment("two", outranks=["tki-a", "tki-b"])
    assert _head_to_head_record([two_trials, _assessment("tki-a"), _assessment("tki-b")])["two"] == (1, 2)


def test_a_one_arm_group_must_name_regimens_it_outranks():
    with pytest.raises(ValidationError):
        _assessment("dual", outranks=["tki-a"], one_arm=[["tki-a", "tki-b"]])


def test_first_line_hcc_immunotherapy_standards_tie_and_nivolumab_ipilimumab_is_not_first_for_its_control_arm(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=[{"name": "Child-Pugh", "status": "A"}], prior_therapies=[])
    first = {o.id for o in result.options if o.ranking.rank == 1}
    assert first == {"atezolizumab-bevacizumab", "nivolumab-ipilimumab-hcc", "tremelimumab-durvalumab-hcc"}
    ids = option_ids(result)
    assert max(ids.index(r) for r in first) < min(ids.index("lenvatinib-hcc"), ids.index("sorafenib-hcc"))


AFTER_SORAFENIB = {"cancer_type": "HCC", "stage": "advanced", "prior_therapies": ["sorafenib (progression)"]}


def test_afp_of_400_or_more_after_sorafenib_offers_ramucirumab_with_its_reach2_dose(recommend):
    result = recommend(**AFTER_SORAFENIB, biomarkers=["Child-Pugh A", "AFP 1,250 ng/mL"])
    reading = next(b for b in result.profile.biomarkers if b.name == "AFP")
    assert reading.status == "recognised" and reading.read_as == "AFP 1250 ng/mL"
    ramucirumab = option(result, "ramucirumab-hcc")
    assert ramucirumab.contains_tki is False and ramucirumab.components[0].dose == "8 mg/kg IV every 2 weeks"
    assert not ramucirumab.caveats
    assert any(c.criterion == "biomarker" and "AFP >= 400 ng/mL" in c.requirement for c in ramucirumab.rationale)
    assert "reach-2" in ramucirumab.evidence and result.citations["reach-2"].nct_id == "NCT02435433"


def test_afp_below_400_excludes_ramucirumab_with_the_value_read(recommend):
    result = recommend(**AFTER_SORAFENIB, biomarkers=["Child-Pugh A", {"name": "alpha-fetoprotein", "status": "35 ug/L"}])
    reading = next(b for b in result.profile.biomarkers if b.name == "AFP")
    assert reading.read_as == "AFP 35 ng/mL (from 35 ug/L)"
    assert "ramucirumab-hcc" not in option_ids(result)
    excluded = next(n for n in result.not_recommended if n.id == "ramucirumab-hcc")
    assert "AFP 35 ng/mL" in excluded.reason and "AFP >= 400 ng/mL" in excluded.reason


def _opened_by(result, gap):  # type: ignore[no-untyped-def]
    return next(w.message for w in result.warnings if w.code == "result_not_given" and w.message.startswith(gap))


def test_afp_not_given_leaves_ramucirumab_out_and_names_it(recommend):
    result = recommend(**AFTER_SORAFENIB, biomarkers=["Child-Pugh A"])
    assert "ramucirumab-hcc" not in option_ids(result) and "cabozantinib-hcc" in option_ids(result)
    assert result.provisional and "Ramucirumab" in _opened_by(result, "No AFP result was given")


@pytest.mark.parametrize(
    ("written", "why"),
    [("AFP 500 IU/mL", "not converted"), ("AFP >400", "not a value"), ("AFP 520", "needs its unit"), ("AFP 99999999 ng/mL", "outside")],
)
def test_an_afp_that_cannot_be_read_as_a_value_is_not_recognised_and_says_why(recommend, written, why):
    result = recommend(**AFTER_SORAFENIB, biomarkers=["Child-Pugh A", written])
    reading = next(b for b in result.profile.biomarkers if b.input == written)
    assert reading.status == "not_recognised" and why in (reading.detail or "")
    assert result.provisional and "ramucirumab-hcc" not in option_ids(result)
    assert "Ramucirumab" in _opened_by(result, "No AFP result was given")


def test_afp_pending_is_read_as_pending_and_not_used(recommend):
    result = recommend(**AFTER_SORAFENIB, biomarkers=["Child-Pugh A", "AFP pending"])
    reading = next(b for b in result.profile.biomarkers if b.name == "AFP")
    assert reading.result == "pending" and "ramucirumab-hcc" not in option_ids(result)
    assert "AFP is pending" in result.provisional_reasons and "Ramucirumab" in _opened_by(result, "AFP is pending")


HCC_FIRST_LINE = {"cancer_type": "HCC", "stage": "advanced", "biomarkers": ["Child-Pugh A"], "prior_therapies": []}


def test_sorafenib_is_excluded_in_congenital_long_qt_syndrome_as_its_label_says_avoid(recommend):
    result = recommend(**HCC_FIRST_LINE, conditions=["congenital long QT syndrome"])
    assert "sorafenib-hcc" not in option_ids(result)
    excluded = next(n for n in result.not_recommended if n.id == "sorafenib-hcc")
    assert "congenital long QT" in excluded.reason and "nexavar-label-warnings-qt" in excluded.evidence
    assert result.citations["nexavar-label-warnings-qt"].url.endswith("b50667e4-5ebc-4968-a646-d605058dbef0")


def test_a_prolonged_qtc_cautions_sorafenib_and_lenvatinib_from_their_qt_warnings(recommend):
    result = recommend(**HCC_FIRST_LINE, conditions=["QTc 500 ms"])
    for regimen_id, drug in (("sorafenib-hcc", "sorafenib"), ("lenvatinib-hcc", "lenvatinib")):
        cautions = option(result, regimen_id).cautions
        assert any(drug in c.detail and "QT" in c.detail for c in cautions)
    # the regimens without a TKI carry no QT caution: none was read for them, and none is shown
    assert not option(result, "atezolizumab-bevacizumab").cautions


def test_pazopanib_in_sarcoma_carries_the_qt_caution_of_its_label(recommend):
    result = recommend(cancer_type="synovial sarcoma", stage="metastatic", conditions=["congenital long QT syndrome"], prior_therapies=["doxorubicin (progression)"])
    pazopanib = option(result, "pazopanib-sts")
    assert any("QT" in c.detail and "votrient-label-warnings-qt" in c.evidence for c in pazopanib.cautions)


def test_braf_v600e_anaplastic_thyroid_cancer_offers_dabrafenib_trametinib_with_the_fda_doses(recommend):
    result = recommend(cancer_type="anaplastic thyroid cancer", stage="metastatic", mutations=["BRAF V600E"], prior_therapies=[])
    dt = option(result, "dabrafenib-trametinib-atc")
    assert {c.drug: c.dose for c in dt.components} == {"dabrafenib": "150 mg orally twice daily", "trametinib": "2 mg orally once daily"}
    assert result.citations["brf117019-atc"].nct_id == "NCT02034110"


def test_anaplastic_thyroid_cancer_without_braf_v600e_is_not_offered_dabrafenib_trametinib(recommend):
    result = recommend(cancer_type="anaplastic thyroid cancer", stage="metastatic", mutations=["BRAF not detected"], prior_therapies=[])
    assert "dabrafenib-trametinib-atc" not in option_ids(result)


CRC_AFTER_FP_OX_IRI = ["FOLFOX + bevacizumab (progression)", "FOLFIRI (progression)"]


def test_her2_positive_ras_wild_type_colorectal_cancer_offers_tucatinib_trastuzumab(recommend):
    result = recommend(
        cancer_type="colorectal cancer", stage="metastatic", mutations=["KRAS not detected", "NRAS not detected"],
        biomarkers=["HER2 positive"], prior_therapies=CRC_AFTER_FP_OX_IRI,
    )
    tt = option(result, "tucatinib-trastuzumab-crc")
    assert tt.contains_tki and not tt.caveats
    assert {c.drug: c.dose for c in tt.components}["tucatinib"] == "300 mg orally twice daily"


def test_a_detected_kras_hotspot_rules_out_tucatinib_trastuzumab_which_needs_ras_wild_type(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="metastatic", mutations=["KRAS G12D"], biomarkers=["HER2 positive"], prior_therapies=CRC_AFTER_FP_OX_IRI)
    assert "tucatinib-trastuzumab-crc" not in option_ids(result)
    assert "KRAS G12D detected" in next(n for n in result.not_recommended if n.id == "tucatinib-trastuzumab-crc").reason


def test_nras_not_tested_leaves_tucatinib_trastuzumab_with_a_caveat(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="metastatic", mutations=["KRAS not detected"], biomarkers=["HER2 positive"], prior_therapies=CRC_AFTER_FP_OX_IRI)
    assert any("NRAS" in c for c in option(result, "tucatinib-trastuzumab-crc").caveats)


def test_braf_v600e_colorectal_cancer_is_offered_encorafenib_cetuximab_with_the_beacon_doses(recommend):
    # session 10: the cetuximab dose BEACON CRC gave was read, so the regimen is no longer withheld
    result = recommend(cancer_type="colorectal cancer", stage="metastatic", mutations=["BRAF V600E"], prior_therapies=["FOLFOX (progression)"])
    assert "encorafenib-cetuximab-crc" in option_ids(result)
    doses = {c.drug: c.dose for c in option(result, "encorafenib-cetuximab-crc").components}
    assert doses["encorafenib"].startswith("300 mg") and doses["cetuximab"].startswith("400 mg/m2")


def test_cabozantinib_for_medullary_thyroid_cancer_is_offered_once_exam_is_identified(recommend):
    # session 4: EXAM's NCT ID was read on its registry record, so the capsules are no longer withheld
    result = recommend(cancer_type="medullary thyroid carcinoma", stage="metastatic", mutations=["RET M918T"], prior_therapies=[])
    assert "cabozantinib-mtc" in option_ids(result)
    assert not any(w.id == "cabozantinib-mtc" for w in result.withheld)
    assert "exam-cabozantinib-mtc" in result.citations


def test_resected_gist_gets_three_years_of_adjuvant_imatinib_and_no_metastatic_regimen(recommend):
    result = recommend(cancer_type="GIST", stage="resected, adjuvant", mutations=["KIT exon 11 deletion"], prior_therapies=[])
    assert result.profile.stage.settings == ["early"]
    assert option_ids(result) == ["imatinib-gist-adjuvant"]
    assert "36 months" in option(result, "imatinib-gist-adjuvant").components[0].dose


def test_the_guide_asks_for_afp_as_a_value_with_its_unit_and_reads_it(client):
    page = client.get("/guide").text
    assert 'id="biomarker::AFP"' in page and 'type="text"' in page.split('id="biomarker::AFP"')[1].split(">")[0]
    response = client.post(
        "/guide",
        data={"cancer_type": "HCC", "stage": "advanced", "biomarker::Child-Pugh": "A", "biomarker::AFP": "800 ng/mL", "prior_status": "listed", "prior_1_drugs": "sorafenib", "prior_1_outcome": "progression"},
    )
    assert "AFP 800 ng/mL" in response.text and 'data-option-id="ramucirumab-hcc"' in response.text
