"""The unsafe-answer set: what must not be offered, and what must be excluded with which reason (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.requests import PatientProfileInput
from service.engine.matching import profile_histology
from service.engine.normalise import normalise_profile
from service.knowledge.restrictions import RESTRICTIONS
from tests.engine.answers import option_ids

GOLDEN_PROFILES = json.loads((Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8"))


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


def kinds(result, regimen):  # type: ignore[no-untyped-def]
    return {r.kind for r in excluded(result)[regimen].reasons}


# --- histology ------------------------------------------------------------------------------


def test_squamous_egfr_nsclc_is_not_offered_pemetrexed_combinations(recommend):
    result = recommend(cancer_type="LUSC", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    assert option_ids(result)[:2] == ["amivantamab-lazertinib", "osimertinib-nsclc"]  # MARIPOSA beat osimertinib
    for regimen in ("osimertinib-pemetrexed-platinum", "erlotinib-bevacizumab"):
        assert regimen not in option_ids(result)
        assert kinds(result, regimen) == {"histology"}
        assert "Squamous" in excluded(result)[regimen].reason


def test_histology_biomarker_squamous_excludes_non_squamous_only_regimens(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR L858R"], biomarkers=["Histology: squamous"], prior_therapies=[])
    assert "osimertinib-pemetrexed-platinum" not in option_ids(result)
    assert "enrolled non-squamous histology only" in excluded(result)["osimertinib-pemetrexed-platinum"].reason


def test_nsclc_without_histology_gets_the_non_squamous_option_with_a_caveat_never_silently(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    flaura2 = next(o for o in result.options if o.id == "osimertinib-pemetrexed-platinum")
    assert any("confirm non-squamous histology" in c for c in flaura2.caveats)
    assert any(c.criterion == "histology" and c.result == "unknown" for c in flaura2.rationale)
    # an option with an open criterion is ranked after its complete equals
    ids = option_ids(result)
    assert ids.index("osimertinib-nsclc") < ids.index("osimertinib-pemetrexed-platinum")


def test_adenocarcinoma_meets_the_non_squamous_criterion(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    flaura2 = next(o for o in result.options if o.id == "osimertinib-pemetrexed-platinum")
    assert flaura2.ranking.rank == 1  # tied with amivantamab + lazertinib at the top
    assert any(c.criterion == "histology" and c.result == "met" for c in flaura2.rationale)


def test_driver_negative_squamous_nsclc_is_not_offered_pembrolizumab_pemetrexed(recommend):
    result = recommend(cancer_type="LUSC", stage="IV", mutations=["EGFR not detected", "ALK fusion not detected"], pd_l1={"tps": 10}, prior_therapies=[])
    assert "pembrolizumab-pemetrexed-platinum" not in option_ids(result)
    assert kinds(result, "pembrolizumab-pemetrexed-platinum") == {"histology"}


def test_histology_contradicting_the_cancer_type_is_an_open_question(kb):
    profile = normalise_profile(kb, PatientProfileInput.model_validate({"cancer_type": "LUAD", "biomarkers": ["Histology: squamous"]}))
    histology, finding = profile_histology(kb, profile)
    assert histology is None and "disagree" in finding


# --- contraindications and cautions ---------------------------------------------------------


def test_active_myasthenia_gravis_excludes_every_checkpoint_inhibitor_regimen_in_rcc(recommend):
    result = recommend(
        cancer_type="CCRCC", stage="metastatic", prior_therapies=[], conditions=["active myasthenia gravis"], current_medications=["azathioprine"],
        biomarkers=[{"name": "IMDC risk", "status": "intermediate"}],
    )
    for regimen in ("nivolumab-cabozantinib", "pembrolizumab-axitinib", "pembrolizumab-lenvatinib", "avelumab-axitinib", "nivolumab-ipilimumab-rcc"):
        assert regimen not in option_ids(result)
        assert kinds(result, regimen) == {"contraindication"}
        assert excluded(result)[regimen].evidence


def test_a_missing_result_never_names_a_checkpoint_inhibitor_the_patient_cannot_take(recommend):
    result = recommend(
        cancer_type="CCRCC", stage="metastatic", prior_therapies=[], conditions=["active myasthenia gravis"], current_medications=["azathioprine"]
    )
    assert "nivolumab-ipilimumab-rcc" not in option_ids(result)
    crc = recommend(
        cancer_type="COADREAD", stage="metastatic", prior_therapies=[], conditions=["active myasthenia gravis"], current_medications=["azathioprine"]
    )
    assert not {"nivolumab-ipilimumab-crc", "pembrolizumab-crc-msi-high"} & set(option_ids(crc))
    named = [w.message for w in crc.warnings if w.code == "result_not_given"]
    assert not any("Nivolumab + ipilimumab" in m or "Pembrolizumab" in m for m in named)
    without_condition = recommend(cancer_type="COADREAD", stage="metastatic", prior_therapies=[])
    assert any("Nivolumab + ipilimumab" in w.message for w in without_condition.warnings if w.code == "result_not_given")


def test_autoimmune_disease_excludes_atezolizumab_bevacizumab_in_hcc_but_keeps_the_tkis(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=["Child-Pugh A"], prior_therapies=[], conditions=["autoimmune hepatitis"])
    assert "atezolizumab-bevacizumab" not in option_ids(result)
    assert kinds(result, "atezolizumab-bevacizumab") == {"contraindication"}
    assert {"lenvatinib-hcc", "sorafenib-hcc"} <= set(option_ids(result))


def test_history_of_autoimmune_disease_is_a_caution_not_an_exclusion(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=["Child-Pugh A"], prior_therapies=[], conditions=["history of rheumatoid arthritis"])
    option = next(o for o in result.options if o.id == "atezolizumab-bevacizumab")
    assert option.cautions and option.caveats[0].startswith("caution:")


@pytest.mark.parametrize("condition", ["kidney transplant recipient", "allogeneic stem cell transplant"])
def test_transplant_excludes_checkpoint_inhibitors(recommend, condition):
    result = recommend(cancer_type="CCRCC", stage="metastatic", prior_therapies=[], conditions=[condition])
    assert not [o for o in result.options if {"nivolumab", "pembrolizumab", "avelumab", "ipilimumab"} & set(o.drugs)]
    assert kinds(result, "pembrolizumab-axitinib") == {"contraindication"}


def test_prior_severe_irae_puts_a_caution_on_checkpoint_inhibitors(recommend):
    result = recommend(cancer_type="CCRCC", stage="metastatic", prior_therapies=[], conditions=["grade 3 immune-related adverse event"])
    ici = [o for o in result.options if {"nivolumab", "pembrolizumab", "avelumab"} & set(o.drugs)]
    assert ici and all(any("28.8%" in c.detail for c in o.cautions) for o in ici)


def test_child_pugh_b_excludes_hcc_regimens_studied_in_child_pugh_a(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=["Child-Pugh B"], prior_therapies=[])
    assert not result.options
    for regimen in ("atezolizumab-bevacizumab", "lenvatinib-hcc", "sorafenib-hcc"):
        assert "Child-Pugh B" in excluded(result)[regimen].reason


def test_vandetanib_is_excluded_in_long_qt_syndrome_by_its_boxed_warning(recommend):
    result = recommend(cancer_type="THME", stage="metastatic", mutations=["RET M918T"], prior_therapies=[], conditions=["congenital long QT syndrome"])
    assert "vandetanib-mtc" not in option_ids(result)
    reason = excluded(result)["vandetanib-mtc"]
    assert reason.reasons[0].kind == "contraindication" and result.citations[reason.evidence[0]].dailymed_set_id


def test_nilotinib_carries_the_qt_caution(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[], conditions=["QTc prolongation"])
    nilotinib = next(o for o in result.options if o.id == "nilotinib-cml")
    assert nilotinib.cautions and "QT" in nilotinib.cautions[0].detail
    ids = option_ids(result)
    assert ids.index("nilotinib-cml") > ids.index("dasatinib-cml")


def test_ild_excludes_amivantamab_chemotherapy(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 20 insertion"], prior_therapies=[], conditions=["interstitial lung disease"])
    assert "amivantamab-carboplatin-pemetrexed" not in option_ids(result)
    assert kinds(result, "amivantamab-carboplatin-pemetrexed") == {"contraindication"}


def test_ecog_2_is_a_caution_where_the_trial_enrolled_0_to_1(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], ecog=2)
    flaura2 = next(o for o in result.options if o.id == "osimertinib-pemetrexed-platinum")
    assert any("performance status 0-1" in c.detail for c in flaura2.cautions)
    ids = option_ids(result)
    assert ids.index("osimertinib-nsclc") < ids.index("osimertinib-pemetrexed-platinum")  # the caution ranks it lower


def test_active_brain_metastases_exclude_erlotinib_ramucirumab(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], brain_metastases="active")
    assert "erlotinib-ramucirumab" not in option_ids(result)
    assert "CNS metastases" in excluded(result)["erlotinib-ramucirumab"].reason
    assert "osimertinib-nsclc" in option_ids(result)[:2]


# --- resistance -------------------------------------------------------------------------------


def test_ret_g810s_after_selpercatinib_offers_no_selective_ret_inhibitor(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV", mutations=["RET fusion", "RET G810S"], prior_therapies=[{"drugs": ["selpercatinib"], "outcome": "progression"}]
    )
    assert "pralsetinib-nsclc" not in option_ids(result)
    assert kinds(result, "pralsetinib-nsclc") == {"resistance"}
    assert "G810" in excluded(result)["pralsetinib-nsclc"].reason


def test_ros1_g2032r_after_crizotinib_names_repotrectinib(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion", "ROS1 G2032R"], prior_therapies=[{"drugs": ["crizotinib"], "outcome": "progression"}]
    )
    assert "crizotinib-ros1" not in option_ids(result)
    crizotinib = excluded(result)["crizotinib-ros1"]
    assert "repotrectinib" in crizotinib.reason
    assert {result.citations[e].nct_id for e in crizotinib.evidence} >= {"NCT03093116"}


@pytest.mark.parametrize(
    ("mutation", "excluded_regimen", "kept"),
    [
        ("BCR-ABL1 F317V", "dasatinib-cml", "bosutinib-cml"),
        ("BCR-ABL1 Y253H", "nilotinib-cml", "dasatinib-cml"),
        ("BCR-ABL1 E255K", "nilotinib-cml", "dasatinib-cml"),
        ("BCR-ABL1 F359C", "nilotinib-cml", "dasatinib-cml"),
    ],
)
def test_bcr_abl1_kinase_domain_mutations_beyond_t315i(recommend, mutation, excluded_regimen, kept):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=[mutation], prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    assert excluded_regimen not in option_ids(result)
    assert kinds(result, excluded_regimen) == {"resistance"}
    assert kept in option_ids(result)


def test_met_d1228_excludes_type_i_met_inhibitors(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["MET exon 14 skipping", "MET D1228N"], prior_therapies=[{"drugs": ["capmatinib"], "outcome": "progression"}]
    )
    assert not {"capmatinib-nsclc", "tepotinib-nsclc"} & set(option_ids(result))
    assert kinds(result, "tepotinib-nsclc") == {"resistance"}


def test_kit_activation_loop_mutation_excludes_sunitinib_after_imatinib(recommend):
    result = recommend(
        cancer_type="GIST", stage="metastatic", mutations=["KIT exon 11 deletion", "KIT exon 17 mutation"],
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}],
    )
    assert "sunitinib-gist" not in option_ids(result)
    assert "ripretinib" in excluded(result)["sunitinib-gist"].alternatives


def test_kit_atp_pocket_mutation_keeps_sunitinib(recommend):
    result = recommend(
        cancer_type="GIST", stage="metastatic", mutations=["KIT exon 11 deletion", "KIT exon 13 mutation"],
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}],
    )
    assert option_ids(result) == ["sunitinib-gist"]


def test_c797s_in_cis_with_t790m_excludes_every_egfr_tki(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV",
        mutations=["EGFR exon 19 deletion", "EGFR T790M", {"gene": "EGFR", "alteration": "C797S", "in_cis_with": "T790M"}],
        prior_therapies=[{"drugs": ["osimertinib"], "outcome": "progression"}],
    )
    assert not [o for o in result.options if {"osimertinib", "erlotinib", "gefitinib", "afatinib"} & set(o.drugs)]
    assert any("in cis" in r.detail for r in excluded(result)["erlotinib-bevacizumab"].reasons)


def test_c797s_in_trans_does_not_trigger_the_cis_rule(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV",
        mutations=["EGFR exon 19 deletion", "EGFR T790M", {"gene": "EGFR", "alteration": "C797S", "in_trans_with": "T790M"}],
        prior_therapies=[{"drugs": ["osimertinib"], "outcome": "progression"}],
    )
    for item in result.not_recommended:
        assert not any("in cis with T790M (on the same allele)" in r.detail for r in item.reasons)


def test_pending_resistance_result_leaves_the_drug_only_with_a_caution(recommend):
    result = recommend(
        cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I pending"], prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}]
    )
    assert result.provisional
    for option in result.options:
        if {"dasatinib", "nilotinib", "bosutinib"} & set(option.drugs):
            assert option.caveats[0].startswith("caution:") and "pending" in option.caveats[0]


# --- continue what works ----------------------------------------------------------------------


def test_cml_in_mmr_on_imatinib_starting_carbamazepine_continues_imatinib(recommend):
    result = recommend(
        cancer_type="CML", stage="chronic phase",
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "major molecular response", "ongoing": True}],
        current_medications=["carbamazepine"],
    )
    assert option_ids(result) == ["imatinib-cml"]
    option = result.options[0]
    assert option.continues_current_therapy and option.name.startswith("Continue")
    warnings = {w.id: w for w in result.interaction_warnings}
    assert option.evidence and any(warnings[i].interacting_drug == "carbamazepine" for i in option.interactions)
    assert "responding_on_current_therapy" in {w.code for w in result.warnings}


def test_gist_responding_on_imatinib_with_st_johns_wort_continues_imatinib(recommend):
    result = recommend(
        cancer_type="GIST", stage="metastatic",
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "response", "ongoing": True}],
        current_medications=["St John's wort"],
    )
    assert option_ids(result) == ["imatinib-gist"]
    assert result.options[0].interactions


def test_a_responder_is_warned_only_about_the_regimen_continued_not_the_alternatives_held_back(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV", mutations=["ALK fusion"],
        prior_therapies=[{"line": 1, "drugs": ["alectinib"], "outcome": "partial response", "ongoing": True}],
        current_medications=["rifampin"],
    )
    assert option_ids(result) == ["alectinib-nsclc"] and result.options[0].continues_current_therapy
    # lorlatinib + rifampin is contraindicated, but lorlatinib is held back: no alert for a drug not offered
    assert not any(w.drug != "alectinib" for w in result.interaction_warnings)
    assert {p.drug for p in result.interaction_pairs} == {"alectinib"}
    # the regimen continued is not also listed as not recommended
    assert "alectinib-nsclc" not in {n.id for n in result.not_recommended}
    assert "alectinib-nsclc" not in {r.id for g in result.exclusion_groups for r in g.regimens}


def test_a_responder_with_a_new_resistance_mutation_is_not_told_to_continue(recommend):
    result = recommend(
        cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I"],
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "response", "ongoing": True}],
    )
    assert not any(o.continues_current_therapy for o in result.options)
    assert "imatinib-cml" not in option_ids(result)


# --- provisional and contradictory input ---------------------------------------------------


def test_unrecognised_entry_does_not_bring_back_what_known_input_rules_out(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I", "BCR-ABL1 Q999Z"], prior_therapies=["imatinib"])
    assert result.provisional
    assert not {"imatinib-cml", "dasatinib-cml", "nilotinib-cml", "bosutinib-cml"} & set(option_ids(result))
    assert set(option_ids(result)) == {"ponatinib-cml", "asciminib-cml"}


def _contradictions(kb, request, response) -> list[str]:  # type: ignore[no-untyped-def]
    """Every option whose own text names a restriction the patient's input contradicts."""
    profile = normalise_profile(kb, PatientProfileInput.model_validate(request))
    histology, _ = profile_histology(kb, profile)
    detected = {a.id for a in profile.detected}
    found = []
    for option in response.options:
        text = f"{option.indication} {option.notes or ''}"
        for restriction in RESTRICTIONS:
            if not restriction.pattern.search(text):
                continue
            if restriction.name == "non-squamous histology" and histology == "squamous":
                found.append(f"{option.id}: non-squamous text, squamous patient")
            if restriction.name == "no activity against T315I" and "BCR::ABL1 T315I" in detected:
                found.append(f"{option.id}: no activity against T315I, T315I detected")
        if "excluded CNS metastases" in text and profile.brain_metastases in ("active", "present", "treated") and not option.cautions:
            found.append(f"{option.id}: trial excluded CNS metastases, patient has them, no caution")
    return found


@pytest.mark.parametrize("name", sorted(GOLDEN_PROFILES))
def test_no_option_note_contradicts_the_golden_profile(kb, recommend, name):
    request = GOLDEN_PROFILES[name]
    assert _contradictions(kb, request, recommend(**request)) == []


@pytest.mark.parametrize(
    "request_",
    [
        {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR-ABL1 T315I", "BCR-ABL1 Q999Z"], "prior_therapies": ["imatinib", "dasatinib"]},
        {"cancer_type": "LUSC", "stage": "IV", "mutations": ["EGFR exon 19 deletion"], "prior_therapies": [], "brain_metastases": "treated"},
        {"cancer_type": "NSCLC", "stage": "IV", "mutations": ["EGFR L858R"], "biomarkers": ["Histology: squamous"], "prior_therapies": []},
    ],
)
def test_no_option_note_contradicts_partial_or_contradictory_input(kb, recommend, request_):
    assert _contradictions(kb, request_, recommend(**request_)) == []


def test_what_was_not_checked_is_said(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    unchecked = {w.field for w in result.warnings if w.code == "patient_context_not_checked"}
    # organ_function: the pemetrexed combinations' creatinine clearance rule
    assert unchecked == {"conditions", "ecog", "brain_metastases", "organ_function"}
    given = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], ecog=1, brain_metastases="none", conditions=["hypertension"])
    assert "ecog" not in {w.field for w in given.warnings if w.code == "patient_context_not_checked"}


def test_osimertinib_with_a_history_of_pneumonitis_carries_the_label_caution(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], conditions=["history of radiation pneumonitis"])
    osimertinib = next(o for o in result.options if o.id == "osimertinib-nsclc")
    assert osimertinib.cautions and result.citations[osimertinib.cautions[0].evidence[0]].dailymed_set_id == "5e81b4a7-b971-45e1-9c31-29cea8c87ce7"


def test_alternatives_to_continuing_are_listed_only_when_the_interaction_cannot_be_managed(recommend):
    from schemas.responses import InteractionWarning
    from service.engine.recommend import keep_alternatives_only_if_unmanageable

    result = recommend(
        cancer_type="CML", stage="chronic phase",
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "response", "ongoing": True}, {"drugs": ["dasatinib"], "outcome": "intolerance"}],
    )
    current = result.options[0].model_copy(update={"continues_current_therapy": True})
    other = current.model_copy(update={"id": "other", "name": "Other", "continues_current_therapy": None})
    managed = InteractionWarning.model_construct(id="interaction:a+x", severity="avoid", management="Avoid; choose an alternative medicine.", interacting_drug="x")
    unmanaged = InteractionWarning.model_construct(id="interaction:a+x", severity="avoid", management="", interacting_drug="x")
    with_warning = current.model_copy(update={"interactions": ["interaction:a+x"]})
    kept, withheld = keep_alternatives_only_if_unmanageable([with_warning, other], [managed])
    assert [o.id for o in kept] == [current.id] and withheld[0].code == "responding_on_current_therapy"
    kept, withheld = keep_alternatives_only_if_unmanageable([with_warning, other.model_copy()], [unmanaged])
    assert [o.id for o in kept] == [current.id, "other"] and not withheld
    assert kept[1].caveats[0].startswith("an alternative to continuing")
    # a warning the current option does not refer to (another drug's) does not list the alternatives
    kept, withheld = keep_alternatives_only_if_unmanageable([current.model_copy(update={"interactions": []}), other.model_copy()], [unmanaged])
    assert [o.id for o in kept] == [current.id] and withheld[0].code == "responding_on_current_therapy"


def test_an_option_drug_without_a_label_record_says_its_pairs_were_not_assessed(recommend):
    # letrozole has no label record: clarithromycin must not pass silently as if checked; ribociclib's label (session 7)
    # now answers for itself
    result = recommend(cancer_type="IDC", stage="IV", biomarkers=["HER2 negative", "HR positive"], prior_therapies=[], current_medications=["clarithromycin"])
    assert any(o.id == "ribociclib-letrozole-breast" for o in result.options)
    pairs = {(p.drug, p.interacting_drug): p for p in result.interaction_pairs}
    assert pairs[("letrozole", "clarithromycin")].status == "not_assessed"
    assert pairs[("ribociclib", "clarithromycin")].status == "warning" and pairs[("ribociclib", "clarithromycin")].severity == "avoid"


def test_a_medication_check_of_drugs_without_label_records_says_not_assessed(kb):
    from service.engine.recommend import check_medication_list

    result = check_medication_list(kb, ["imatinib", "clarithromycin", "letrozole"])
    statuses = {(p.drug, p.interacting_drug): p.status for p in result.interaction_pairs}
    assert statuses[("imatinib", "clarithromycin")] == "warning"
    # neither letrozole nor clarithromycin has label rules: the pair is said, once, as not assessed
    assert statuses[("clarithromycin", "letrozole")] == "not_assessed" and ("letrozole", "clarithromycin") not in statuses
