"""The normalisers: exact recognition after folding notation, never a guess."""

from __future__ import annotations

import pytest

from schemas.requests import MedicationInput, MutationInput
from service.engine.normalise import (
    UnknownCancerTypeError,
    normalise_biomarker,
    normalise_cancer_type,
    normalise_drug,
    normalise_mutation,
    normalise_stage,
)
from service.knowledge.records import Setting


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NSCLC", "NSCLC"),
        ("nsclc", "NSCLC"),
        ("non-small cell lung cancer", "NSCLC"),
        ("Non–Small Cell Lung Cancer", "NSCLC"),
        ("LUAD", "LUAD"),
        ("chronic myeloid leukaemia", "CML"),
        ("Gastrointestinal Stromal Tumour", "GIST"),
        ("clear cell renal cell carcinoma", "CCRCC"),
        ("Ph+ ALL", "BLLBCRABL1"),
    ],
)
def test_cancer_type_codes_names_and_synonyms_resolve(kb, text, code):
    result = normalise_cancer_type(kb, text)
    assert result.code == code
    assert result.understood.status == "recognised"


def test_kidney_cancer_is_reported_ambiguous_with_candidates(kb):
    result = normalise_cancer_type(kb, "kidney cancer")
    assert result.ambiguous
    assert result.understood.status == "ambiguous"
    assert {"RCC", "CCRCC"} <= set(result.understood.candidates)


def test_unknown_cancer_type_raises_with_suggestions_not_a_guess(kb):
    with pytest.raises(UnknownCancerTypeError) as error:
        normalise_cancer_type(kb, "non-small cell lung cancr")
    assert "NSCLC" in [code for code, _ in error.value.suggestions]


@pytest.mark.parametrize(
    ("text", "settings"),
    [
        ("IV", (Setting.METASTATIC,)),
        ("stage IVB", (Setting.METASTATIC,)),
        ("IIIA", (Setting.LOCALLY_ADVANCED,)),
        ("Stage IB", (Setting.EARLY,)),
        ("locally advanced", (Setting.LOCALLY_ADVANCED,)),
        ("unresectable", (Setting.ADVANCED,)),
        ("metastatic", (Setting.METASTATIC,)),
        ("recurrent", (Setting.RECURRENT,)),
        ("chronic phase", (Setting.CHRONIC_PHASE,)),
        ("Accelerated Phase", (Setting.ACCELERATED_PHASE,)),
        ("blast crisis", (Setting.BLAST_PHASE,)),
        ("newly diagnosed", (Setting.NEWLY_DIAGNOSED,)),
        ("relapsed/refractory", (Setting.RELAPSED, Setting.REFRACTORY)),
    ],
)
def test_stage_forms_map_to_settings(text, settings):
    understood, result = normalise_stage(text)
    assert result == settings
    assert understood.status == "recognised"


def test_unrecognised_stage_is_reported_not_guessed():
    understood, settings = normalise_stage("stage V")
    assert settings == ()
    assert understood.status == "not_recognised"


@pytest.mark.parametrize(
    ("item", "alteration_id"),
    [
        ("EGFR L858R", "EGFR L858R"),
        ("EGFR p.Leu858Arg", "EGFR L858R"),
        ("EGFR p.L858R", "EGFR L858R"),
        (MutationInput(gene="EGFR", alteration="exon 21 L858R"), "EGFR L858R"),
        ("EGFR T790M (acquired)", "EGFR T790M"),
        ("EGFR exon 19 deletion", "EGFR exon 19 deletion"),
        ("EGFR ex19del", "EGFR exon 19 deletion"),
        ("EML4-ALK fusion", "ALK fusion"),
        ("ALK rearrangement", "ALK fusion"),
        ("MET amplification", "MET amplification"),
        ("MET exon 14 skipping", "MET exon 14 skipping"),
        ("BCR-ABL1 T315I", "BCR::ABL1 T315I"),
        ("BCR::ABL1 p210", "BCR::ABL1 fusion"),
        ("BCR-ABL p.Thr315Ile", "BCR::ABL1 T315I"),
        ("KIT exon 11 mutation", "KIT exon 11 mutation"),
        ("PDGFRA D842V", "PDGFRA D842V"),
        ("HER2 amplification", "ERBB2 amplification"),
    ],
)
def test_mutation_notations_resolve_to_one_alteration(kb, item, alteration_id):
    finding = normalise_mutation(kb, item)
    assert finding.understood.status == "recognised", finding.understood.detail
    assert finding.alteration is not None and finding.alteration.id == alteration_id
    assert finding.detected


def test_gene_level_negative_is_a_tested_negative_result(kb):
    finding = normalise_mutation(kb, "EGFR not detected")
    assert finding.understood.status == "recognised"
    assert finding.alteration is None and finding.gene == "EGFR" and not finding.detected


def test_structured_not_detected_status_is_kept(kb):
    finding = normalise_mutation(kb, MutationInput(gene="ALK", alteration="fusion", status="not detected"))
    assert finding.alteration is not None and finding.alteration.id == "ALK fusion"
    assert not finding.detected


@pytest.mark.parametrize("text", ["T790M", "EGFR Z999Q", "EGFR positive", "FOO1 V600E"])
def test_incomplete_or_unknown_mutations_are_not_recognised(kb, text):
    finding = normalise_mutation(kb, text)
    assert finding.understood.status == "not_recognised"
    assert finding.alteration is None
    assert finding.understood.detail


@pytest.mark.parametrize(
    ("item", "name", "formulation"),
    [
        ("omeprazole 20 mg daily", "omeprazole", None),
        ("Nexium", "esomeprazole", None),
        ("esomeprazole magnesium 40mg", "esomeprazole", None),
        ("Tegretol XR 200 mg bid", "carbamazepine", None),
        ("St. John’s Wort", "st john's wort", None),
        ("rifampicin", "rifampin", None),
        (MedicationInput(name="Tegretol"), "carbamazepine", None),
        ("acalabrutinib maleate 100 mg", "acalabrutinib", "tablets"),
        (MedicationInput(name="Calquence", formulation="capsules"), "acalabrutinib", "capsules"),
        ("Calquence", "acalabrutinib", None),
    ],
)
def test_medication_names_brands_salts_and_free_text(kb, item, name, formulation):
    understood, ref = normalise_drug(kb, item)
    assert ref is not None, understood.detail
    assert (ref.name, ref.formulation) == (name, formulation)


def test_unknown_medication_is_reported_not_dropped(kb):
    understood, ref = normalise_drug(kb, "nebivolol 5 mg")
    assert ref is None
    assert understood.status == "not_recognised"
    assert understood.input == "nebivolol 5 mg"


def test_generic_formulation_words_alone_name_no_drug(kb):
    _, ref = normalise_drug(kb, "nebivolol tablets")
    assert ref is None


@pytest.mark.parametrize(("name", "status", "expected"), [("MSI", "MSI-H", "high"), ("mismatch repair", "pMMR", "proficient"), ("HER2", "3+", "positive")])
def test_biomarker_spellings(kb, name, status, expected):
    understood, value = normalise_biomarker(kb, name, status)
    assert value is not None and value[1] == expected


def test_unknown_biomarker_status_is_reported(kb):
    understood, value = normalise_biomarker(kb, "MSI", "sort of")
    assert value is None and understood.status == "not_recognised"


def test_a_biomarker_sent_as_a_mutation_is_pointed_to_the_right_field(kb):
    finding = normalise_mutation(kb, "MSI-H")
    assert finding.understood.status == "not_recognised"
    assert "send it in biomarkers" in finding.understood.detail


@pytest.mark.parametrize(
    "text",
    ["trastuzumab xyzumab", "omeprazole sodium bicarbonate", "rifampin isoniazid 300 mg", "aspirin omeprazole"],
)
def test_a_known_name_with_other_words_is_not_guessed(kb, text):
    # the words beside the known name may make it another medicine: report it, never map it to the name
    understood, ref = normalise_drug(kb, text)
    assert ref is None
    assert understood.status == "not_recognised"
    assert "send the medicine's name alone" in (understood.detail or "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("omeprazole 20 mg PO daily before breakfast", "omeprazole"),
        ("esomeprazole magnesium delayed-release capsules 40 mg/day", "esomeprazole"),
        ("dasatinib (Sprycel) 100 mg once daily", "dasatinib"),
        ("trastuzumab emtansine", "ado-trastuzumab emtansine"),
        ("Enhertu 5.4 mg/kg IV", "fam-trastuzumab deruxtecan"),
    ],
)
def test_sig_words_and_the_drugs_own_names_are_understood(kb, text, name):
    understood, ref = normalise_drug(kb, text)
    assert ref is not None, understood.detail
    assert ref.name == name
