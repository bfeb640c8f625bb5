"""Session 12: what reports write beside the drivers is read, not dropped. A result sent under another biomarker's
name ("MMR deficient" under MSI) reads as the result it states; a panel gene no option or rule acts on (STK11, JAK2)
is read and said to be unused, so the answer is not provisional because of it."""

from __future__ import annotations

import pytest

from tests.engine.answers import offered_ids


def test_an_mmr_result_given_under_the_msi_name_reads_as_mmr_deficient(recommend):
    result = recommend(cancer_type="COADREAD", stage="IV", biomarkers=[{"name": "MSI", "status": "MMR deficient (loss of MLH1/PMS2)"}],
                       prior_therapies=[])  # fmt: skip
    [marker] = result.profile.biomarkers
    assert marker.status == "recognised" and marker.name == "MMR" and marker.value == "deficient"
    assert "sent as MSI" in marker.read_as
    assert "pembrolizumab-crc-msi-high" in offered_ids(result)


def test_a_result_naming_no_biomarker_under_the_msi_name_stays_not_recognised(recommend):
    result = recommend(cancer_type="COADREAD", stage="IV", biomarkers=[{"name": "MSI", "status": "see report"}], prior_therapies=[])
    assert result.profile.biomarkers[0].status == "not_recognised"
    assert "pembrolizumab-crc-msi-high" not in offered_ids(result)


@pytest.mark.parametrize("entry", ["STK11 mutation", "KEAP1 mutated", "BRCA2 pathogenic variant", "JAK2 V617F", "CALR mutation"])
def test_a_panel_gene_nothing_acts_on_is_read_and_said_to_be_unused(recommend, entry):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=[entry, "EGFR L858R"], prior_therapies=[])
    reading = result.profile.mutations[0]
    assert reading.status == "recognised" and "not used for matching" in reading.read_as
    assert not any("mutations[0]" in why for why in result.provisional_reasons)
    assert "osimertinib-nsclc" in offered_ids(result)


def test_a_gene_an_indication_acts_on_is_not_said_to_be_unused(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    assert "not used for matching" not in result.profile.mutations[0].read_as


def test_a_panel_gene_named_without_a_change_or_a_mutation_word_stays_not_recognised(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["STK11"], prior_therapies=[])
    assert result.profile.mutations[0].status == "not_recognised"


# --- the disease setting and gene results written in the cancer type -----------------------------------------------


@pytest.mark.parametrize(
    ("entry", "code", "setting"),
    [
        ("metastatic breast cancer", "BREAST", "metastatic"),
        ("HR+ HER2- metastatic breast cancer", "BREAST", "metastatic"),
        ("advanced NSCLC", "NSCLC", "advanced"),
        ("lung adenocarcinoma, stage IV", "LUAD", "metastatic"),
        ("CML in chronic phase", "CML", "chronic_phase"),
        ("relapsed/refractory AML", "AML", "relapsed"),
        ("unresectable hepatocellular carcinoma", "HCC", "advanced"),
    ],
)
def test_a_setting_written_in_the_cancer_type_is_read_as_the_stage(recommend, entry, code, setting):
    result = recommend(cancer_type=entry, prior_therapies=[])
    assert result.profile.cancer_type.status == "recognised" and result.profile.cancer_type.code == code
    assert result.profile.cancer_type.detail is None and "disease setting" in result.profile.cancer_type.read_as
    assert setting in result.profile.stage.settings and "stated in the cancer type" in result.profile.stage.read_as
    assert not any(w.code == "stage_missing" for w in result.warnings)


def test_the_stage_field_is_used_and_a_contradicting_setting_in_the_cancer_type_is_flagged(recommend):
    result = recommend(cancer_type="early breast cancer", stage="IV", prior_therapies=[])
    assert "metastatic" in result.profile.stage.settings
    assert any(w.code == "contradictory_input" and w.field == "stage" for w in result.warnings) and result.provisional


def test_words_that_are_neither_a_setting_nor_a_type_still_leave_the_cancer_type_unread(recommend):
    assert recommend(cancer_type="metastatic widget cancer", prior_therapies=[]).profile.cancer_type.status == "not_recognised"


def test_a_gene_result_in_the_cancer_type_is_read_with_the_mutations(recommend):
    result = recommend(cancer_type="metastatic ALK-positive lung adenocarcinoma", prior_therapies=[])
    assert result.profile.cancer_type.code == "LUAD"
    assert [(m.normalised, m.result) for m in result.profile.mutations] == [("ALK fusion", "detected")]
    assert "alectinib-nsclc" in offered_ids(result)


def test_a_gene_result_in_the_cancer_type_defers_to_the_specific_variant_in_the_mutations(recommend):
    result = recommend(cancer_type="EGFR-mutant NSCLC", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    assert [m.normalised for m in result.profile.mutations] == ["EGFR L858R"] and not result.provisional_reasons
    assert "osimertinib-nsclc" in offered_ids(result)


@pytest.mark.parametrize("where", ["cancer_type", "mutations"])
def test_a_gene_named_altered_without_the_variant_rules_out_options_for_gene_negative_disease(recommend, where):
    profile = {"cancer_type": "EGFR-mutant lung adenocarcinoma" if where == "cancer_type" else "LUAD", "stage": "IV",
               "pd_l1": {"tps": 60}, "prior_therapies": [], "mutations": [] if where == "cancer_type" else ["EGFR positive"]}  # fmt: skip
    result = recommend(**profile)
    reading = next(m for m in result.profile.mutations if m.gene == "EGFR")
    assert reading.status == "not_recognised" and result.provisional  # no variant is guessed
    assert not {"pembrolizumab-nsclc", "pembrolizumab-pemetrexed-platinum", "atezolizumab-nsclc"} & offered_ids(result)
    assert not {"osimertinib-nsclc", "erlotinib-nsclc"} & offered_ids(result)
    reasons = [g.reason for g in result.exclusion_groups if any(getattr(r, "id", r) == "pembrolizumab-nsclc" for r in g.regimens)]
    assert reasons and "without the alteration" in reasons[0] and "EGFR-negative" in reasons[0]


# --- standards that were missing --------------------------------------------------------------------------------------


def test_crizotinib_is_a_first_line_alk_option_ranked_below_each_alk_tki_that_beat_it(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EML4::ALK fusion"], prior_therapies=[])
    ids = [o.id for o in result.options]
    crizotinib = next(o for o in result.options if o.id == "crizotinib-alk-nsclc")
    assert {c.drug: c.dose for c in crizotinib.components} == {"crizotinib": "250 mg orally twice daily"}
    assert crizotinib.evidence == ["profile-1014-crizotinib-alk"]
    assert {"Alectinib", "Brigatinib", "Lorlatinib", "Ensartinib"} <= set(crizotinib.ranked_below)
    for better in ("alectinib-nsclc", "brigatinib-nsclc", "lorlatinib-nsclc", "ensartinib-nsclc"):
        assert ids.index(better) < ids.index("crizotinib-alk-nsclc"), better


def test_crizotinib_is_not_offered_first_line_after_an_alk_tki(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EML4::ALK fusion"],
                       prior_therapies=[{"drugs": ["alectinib"], "outcome": "progression", "line": 1}])  # fmt: skip
    assert "crizotinib-alk-nsclc" not in offered_ids(result)


def test_durvalumab_alone_is_a_first_line_hcc_option_with_its_dose_and_the_checkpoint_inhibitor_rules(recommend):
    result = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh A"], prior_therapies=[])
    durvalumab = next(o for o in result.options if o.id == "durvalumab-hcc")
    assert {c.drug: c.dose for c in durvalumab.components} == {"durvalumab": "1500 mg IV every 4 weeks"}
    assert durvalumab.evidence == ["himalaya"]
    autoimmune = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh A"], conditions=["active rheumatoid arthritis"],
                           prior_therapies=[])  # fmt: skip
    assert "durvalumab-hcc" not in offered_ids(autoimmune)
    assert "durvalumab-hcc" not in offered_ids(recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh B7"], prior_therapies=[]))
