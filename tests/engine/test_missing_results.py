"""A result an indication needs that the patient did not report (a gene's, a biomarker's, a PD-L1 score) keeps that
indication from being offered: the answer is provisional, names the missing result and the regimens it would open."""

from __future__ import annotations

import json

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import compiled_indication
from service.engine.normalise import normalise_profile
from tests.cdshooks.support import patient_view
from tests.engine.answers import option_ids

CRC_IV = {"cancer_type": "COADREAD", "stage": "IV", "prior_therapies": []}
MSI_H_ONLY = {"nivolumab-ipilimumab-crc", "pembrolizumab-crc-msi-high"}
NSCLC_DRIVER_NEGATIVE = {"cancer_type": "NSCLC", "stage": "IV", "mutations": ["EGFR not detected", "ALK negative"], "prior_therapies": []}


def opened_by(result):  # type: ignore[no-untyped-def]
    """The result_not_given warnings, by what they say is missing."""
    return {w.message.split(":", 1)[0]: w for w in result.warnings if w.code == "result_not_given"}


def test_crc_without_msi_offers_no_msi_high_only_immunotherapy_and_names_the_test(recommend):
    result = recommend(**CRC_IV)
    assert not MSI_H_ONLY & set(option_ids(result))
    assert result.provisional and "no MSI or MMR result was given" in result.provisional_reasons
    warning = opened_by(result)["No MSI or MMR result was given"]
    assert warning.field == "biomarkers"
    assert "Nivolumab + ipilimumab; Pembrolizumab depend(s) on it" in warning.message and "Send the MSI or MMR result" in warning.message


@pytest.mark.parametrize("biomarkers", [["MSI-H"], [{"name": "MMR", "status": "deficient"}], ["MSI equivocal", "dMMR"]])
def test_crc_msi_high_or_dmmr_gets_the_immunotherapy_with_nothing_missing(recommend, biomarkers):
    result = recommend(**CRC_IV, biomarkers=biomarkers)
    assert MSI_H_ONLY <= set(option_ids(result))
    assert not opened_by(result)
    for option in result.options:
        if option.id in MSI_H_ONLY:
            assert next(c for c in option.rationale if c.criterion == "biomarker").result == "met"


@pytest.mark.parametrize(("biomarkers", "gap"), [(["MSI pending"], "MSI is pending"), (["MSI equivocal"], "MSI is equivocal"),
                                                 (["MSI-H", "MSI stable"], "MSI is given twice with different values")])  # fmt: skip
def test_a_pending_equivocal_or_contradictory_biomarker_is_a_missing_result_said_as_such(recommend, biomarkers, gap):
    result = recommend(**CRC_IV, biomarkers=biomarkers)
    assert not MSI_H_ONLY & set(option_ids(result))
    assert gap in result.provisional_reasons and gap in opened_by(result)


def test_crc_mss_excludes_the_msi_high_regimens_with_the_value_read(recommend):
    result = recommend(**CRC_IV, biomarkers=["MSS"])
    excluded = {n.id: n for n in result.not_recommended}
    assert MSI_H_ONLY <= set(excluded) and "MSI stable" in excluded["pembrolizumab-crc-msi-high"].reason
    assert not opened_by(result)


def test_endometrial_without_mmr_names_the_dmmr_and_the_pmmr_regimens_it_decides(recommend):
    # an indication for "not MSI-H/dMMR" (pembrolizumab + lenvatinib, KEYNOTE-775) needs the result as much as one for it
    after_platinum = [{"line": 1, "drugs": ["carboplatin", "paclitaxel"], "outcome": "progression"}]
    result = recommend(cancer_type="UCEC", stage="IV", prior_therapies=after_platinum)
    assert not {"dostarlimab-endometrial", "pembrolizumab-endometrial-msi-high", "pembrolizumab-lenvatinib"} & set(option_ids(result))
    warning = opened_by(result)["No MMR or MSI result was given"]
    assert "Dostarlimab" in warning.message and "Pembrolizumab + lenvatinib" in warning.message
    proficient = recommend(cancer_type="UCEC", stage="IV", prior_therapies=after_platinum, biomarkers=["pMMR"])
    assert "pembrolizumab-lenvatinib" in option_ids(proficient) and "dostarlimab-endometrial" not in option_ids(proficient)


def test_nsclc_without_pd_l1_keeps_chemo_immunotherapy_and_leaves_out_pembrolizumab_alone(recommend):
    result = recommend(**NSCLC_DRIVER_NEGATIVE)
    ids = option_ids(result)
    assert "pembrolizumab-nsclc" not in ids  # KEYNOTE-024: TPS >= 50 %
    assert "pembrolizumab-pemetrexed-platinum" in ids  # KEYNOTE-189 enrolled whatever the PD-L1
    assert result.provisional and "no PD-L1 TPS result was given" in result.provisional_reasons
    warning = opened_by(result)["No PD-L1 TPS result was given"]
    assert warning.field == "pd_l1" and "Pembrolizumab depend(s) on it" in warning.message
    high = recommend(**NSCLC_DRIVER_NEGATIVE, pd_l1={"tps": 80})
    assert "pembrolizumab-nsclc" in option_ids(high) and not opened_by(high)


def test_nsclc_without_driver_results_says_the_driver_negative_options_rest_on_that_assumption(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", prior_therapies=[], pd_l1={"tps": 10})
    assert "pembrolizumab-pemetrexed-platinum" in option_ids(result)
    reasons = [r for r in result.provisional_reasons if "shown on the assumption that it is not detected" in r]
    # the cemiplimab indications also need ROS1 negative (EMPOWER-Lung 1 and 3)
    assert {r.split(" ", 1)[0] for r in reasons} == {"EGFR", "ALK", "ROS1"}


def test_gastric_without_her2_offers_no_her2_negative_regimen_and_names_it(recommend):
    result = recommend(cancer_type="STAD", stage="IV", prior_therapies=[])
    assert "nivolumab-fluoropyrimidine-oxaliplatin-gastric" not in option_ids(result)
    assert "Nivolumab + FOLFOX" in opened_by(result)["No HER2 result was given"].message
    assert "Nivolumab + CapeOX" in opened_by(result)["No HER2 result was given"].message
    negative = recommend(cancer_type="STAD", stage="IV", prior_therapies=[], biomarkers=["HER2 negative"])
    assert "nivolumab-fluoropyrimidine-oxaliplatin-gastric" in option_ids(negative)


def test_endometrial_after_platinum_without_mmr_offers_nothing_and_says_the_missing_result_is_why(recommend):
    result = recommend(
        cancer_type="UCEC", stage="IV", prior_therapies=[{"line": 1, "drugs": ["carboplatin", "paclitaxel"], "outcome": "progression"}]
    )
    assert option_ids(result) == [] and result.provisional
    message = opened_by(result)["No MMR or MSI result was given"].message
    assert "Dostarlimab" in message and "Pembrolizumab + lenvatinib" in message
    # nothing can be offered: the no-options warning says the missing result is why, not only "not covered"
    [no_options] = [w.message for w in result.warnings if w.code == "no_options"]
    assert "depend on a result not given (MMR or MSI)" in no_options


def test_hcc_without_child_pugh_offers_the_child_pugh_a_regimens_with_a_caveat_to_grade_it(recommend):
    # Child-Pugh is a grading the treating team makes, not a test sent out: a caveat, not a gate
    result = recommend(cancer_type="HCC", stage="advanced", prior_therapies=[])
    assert "atezolizumab-bevacizumab" in option_ids(result)
    assert not any(w.code == "result_not_given" for w in result.warnings)


def test_the_results_gate_is_compiled_with_the_indication_and_screens_without_recording(kb):
    regimen = kb.regimens["pembrolizumab-crc-msi-high"]
    compiled = compiled_indication(kb, regimen, regimen.indications[0])
    gates = dict(compiled.gates)
    assert "test result" in gates
    missing = normalise_profile(kb, PatientProfileInput.model_validate(CRC_IV))
    given = normalise_profile(kb, PatientProfileInput.model_validate({**CRC_IV, "biomarkers": ["MSI-H"]}))
    assert gates["test result"](missing, None) is False and gates["test result"](given, None) is True
    # an indication without biomarker or PD-L1 criteria compiles no such gate
    plain = kb.regimens["pembrolizumab-pemetrexed-platinum"]
    assert "test result" not in dict(compiled_indication(kb, plain, plain.indications[0]).gates)


def test_the_cds_hooks_card_and_the_guide_say_the_same(client):
    body = patient_view("hcc-bclc-c-cirrhosis")
    text = json.dumps(body).replace("BCLC C, Child-Pugh A", "BCLC C")  # the record gives no Child-Pugh class
    cards = client.post("/cds-services/tki-treatment-options", json=json.loads(text)).json()["cards"]
    details = "\n".join(card["detail"] for card in cards)
    assert any(card["summary"].startswith("Option ") and "Atezolizumab + bevacizumab" in card["summary"] for card in cards)
    assert r"no Child\-Pugh result was given \(requires Child\-Pugh A\)" in details
    guide = client.post("/guide/panel", data={"cancer_type": "HCC", "stage": "BCLC C", "prior_status": "none"}).text
    assert 'data-option-id="atezolizumab-bevacizumab"' in guide
    assert "no Child-Pugh result was given (requires Child-Pugh A)" in guide


# --- a bare "stage III": how it was read, and when it is ambiguous for the cancer type -------------------------------


def test_bare_stage_iii_melanoma_is_read_as_ambiguous_not_silently_as_advanced(recommend):
    result = recommend(cancer_type="melanoma", stage="III", mutations=["BRAF V600E"], prior_therapies=[])
    stage = result.profile.stage
    assert stage.read_as.startswith("ambiguous: stage III without 'resected' or 'unresectable'")
    assert set(stage.settings) == {"locally_advanced", "early"}
    assert result.provisional and any("may be the adjuvant setting" in r for r in result.provisional_reasons)
    assert any(w.code == "stage_ambiguous" and w.field == "stage" for w in result.warnings)
    for option in result.options:
        setting = next(c for c in option.rationale if c.criterion == "disease setting")
        assert setting.result == "unknown" and "resected" in setting.finding, option.id


@pytest.mark.parametrize(("stage", "setting", "indication"), [
    ("III, resected", "early", "dabrafenib-trametinib-braf-v600-melanoma-adjuvant"),
    ("IIIB completely resected", "early", "dabrafenib-trametinib-braf-v600-melanoma-adjuvant"),
    ("III unresectable", "advanced", "dabrafenib-trametinib-braf-v600-melanoma"),
    ("IIIC locally advanced", "locally_advanced", "dabrafenib-trametinib-braf-v600-melanoma"),
])  # fmt: skip
def test_stage_iii_melanoma_with_resected_or_unresectable_is_read_without_doubt(recommend, stage, setting, indication):
    result = recommend(cancer_type="melanoma", stage=stage, mutations=["BRAF V600E"], prior_therapies=[])
    assert result.profile.stage.status == "recognised" and setting in result.profile.stage.settings
    assert not result.provisional and not any(w.code == "stage_ambiguous" for w in result.warnings)
    assert next(o for o in result.options if o.id == "dabrafenib-trametinib-melanoma").indication_id == indication


def test_bare_stage_iii_where_the_knowledge_has_no_adjuvant_option_says_how_it_was_read(recommend):
    result = recommend(cancer_type="BLCA", stage="III", prior_therapies=[])
    assert result.profile.stage.read_as == "locally advanced; stage III read as locally advanced (unresectable): write 'resected' for the adjuvant setting"
    assert not any(w.code == "stage_ambiguous" for w in result.warnings)


def test_a_stage_iii_substage_is_read_as_written_and_says_so(recommend):
    # which substages the adjuvant trials enrolled is not in the knowledge (ADAURA: IB-IIIA), so IIIC is not read as adjuvant
    result = recommend(cancer_type="NSCLC", stage="IIIC", mutations=["EGFR L858R"], prior_therapies=[])
    assert "stage IIIC read as locally advanced (unresectable)" in result.profile.stage.read_as
    assert "osimertinib-egfr-adjuvant" not in {o.indication_id for o in result.options}
    ambiguous = recommend(cancer_type="melanoma", stage="Stage III, ECOG 1", prior_therapies=[])
    assert ambiguous.profile.stage.read_as.startswith("ambiguous:") and ambiguous.profile.stage.read_as.endswith("also read: ECOG 1")
