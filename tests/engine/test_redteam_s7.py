"""Red-team findings of session 7: inputs written the way EHRs and clinic letters send them, read as they mean, and a
detected variant the knowledge does not hold never counted as a negative result."""

from __future__ import annotations

import pytest

from service.engine.readers.biomarkers import read_biomarkers
from service.engine.readers.cancer_type import read_cancer_type
from service.engine.readers.variants import read_mutation
from tests.engine.answers import not_recommended_ids, offered_ids


def read(kb, text, cancer_type="NSCLC"):  # type: ignore[no-untyped-def]
    return [(r.understood.status, r.understood.read_as or "", r.understood.detail or "") for r in read_mutation(kb, text, cancer_type)]


# --- variants ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["BRAF V600E (c.1799T>A)", "BRAF c.1799T>A (p.V600E)"])
def test_a_cdna_change_beside_the_protein_change_keeps_its_letters(kb, text):
    # "a" is a noise word elsewhere; inside c.1799T>A it is the new base
    [(status, read_as, _)] = read(kb, text)
    assert status == "recognised" and read_as.startswith("BRAF V600E")


@pytest.mark.parametrize(("text", "gene"), [("EGFR-negative", "EGFR"), ("ALK-negative", "ALK"), ("ROS1-neg", "ROS1"), ("KRAS-wildtype", "KRAS")])
def test_a_gene_and_its_negative_result_joined_by_a_hyphen_is_tested_negative(kb, text, gene):
    [(status, read_as, _)] = read(kb, text, "COADREAD" if gene == "KRAS" else "NSCLC")
    assert status == "recognised" and read_as == f"{gene}: tested and not detected (no alteration detected)"


def test_a_hyphenated_positive_driver_still_reads_as_the_driver(kb):
    [(status, read_as, _)] = read(kb, "ALK-positive")
    assert status == "recognised" and read_as.startswith("ALK fusion")


@pytest.mark.parametrize("text", ["KRAS/NRAS wild type", "RAS wild type", "RAS wt", "all-RAS wild-type", "extended RAS negative"])
def test_genes_listed_with_a_slash_or_named_as_ras_are_each_tested_negative(kb, text):
    readings = read(kb, text, "COADREAD")
    assert [(s, r) for s, r, _ in readings] == [
        ("recognised", "KRAS: tested and not detected (no alteration detected)"),
        ("recognised", "NRAS: tested and not detected (no alteration detected)"),
    ]
    assert all(detail for _, _, detail in readings)  # the reading says how it was split


@pytest.mark.parametrize("text", ["KRAS/NRAS mutated", "RAS mutant", "KRAS/NRAS positive"])
def test_a_detected_result_for_listed_genes_names_no_gene_and_is_not_recognised(kb, text):
    [(status, _, detail)] = read(kb, text, "COADREAD")
    assert status == "not_recognised" and "more than one gene" in detail


@pytest.mark.parametrize(("text", "read_as"), [("BCR/ABL1 positive", "BCR::ABL1 fusion"), ("EML4/ALK fusion", "ALK fusion")])
def test_a_fusion_written_with_a_slash_is_still_a_fusion(kb, text, read_as):
    [(status, reading, _)] = read(kb, text, "CML" if "BCR" in text else "NSCLC")
    assert status == "recognised" and reading.startswith(read_as)


def test_kras_nras_wild_type_opens_the_anti_egfr_options(recommend):
    answer = recommend(cancer_type="COADREAD", stage="IV", mutations=["KRAS/NRAS wild type"], biomarkers=["MSS"], prior_therapies=[])
    assert {"folfox-panitumumab-crc", "folfiri-cetuximab-crc"} <= offered_ids(answer)
    assert not any("KRAS status not reported" in r for r in answer.provisional_reasons)


@pytest.mark.parametrize("text", ["FLT3 ITD allelic ratio 0.6", "FLT3-ITD (allelic ratio 0.45)"])
def test_an_flt3_itd_with_its_allelic_ratio_is_the_itd(kb, text):
    [(status, read_as, _)] = read(kb, text, "AML")
    assert status == "recognised" and read_as.startswith("FLT3 ITD")


def test_met_ex14_is_met_exon_14_skipping(kb):
    [(status, read_as, _)] = read(kb, "MET ex14")
    assert status == "recognised" and read_as.startswith("MET exon 14 skipping")


# --- a detected variant the knowledge does not hold -------------------------------------


def test_a_tp53_mutation_not_in_the_knowledge_rules_out_the_tp53_negative_regimen(recommend):
    answer = recommend(cancer_type="CLL", stage="newly diagnosed", mutations=["TP53 p.R175H"], biomarkers=["del(17p) not detected"], prior_therapies=[])
    assert "acalabrutinib-venetoclax-cll" not in offered_ids(answer)
    assert "acalabrutinib-venetoclax-cll" in not_recommended_ids(answer)
    assert not any("TP53 status not reported" in r for r in answer.provisional_reasons)


def test_an_uncommon_kras_mutation_rules_out_the_anti_egfr_antibodies(recommend):
    answer = recommend(cancer_type="COADREAD", stage="IV", mutations=["KRAS p.A59T", "NRAS wild type"], biomarkers=["MSS"], prior_therapies=[])
    assert not {"folfox-panitumumab-crc", "folfiri-cetuximab-crc"} & offered_ids(answer)
    reason = next(e.reason for e in answer.not_recommended if e.id == "folfox-panitumumab-crc")
    assert "KRAS p.A59T" in reason and "KRAS-negative" in reason


# --- biomarkers -------------------------------------------------------------------------


def values(kb, text):  # type: ignore[no-untyped-def]
    return [(r.status, r.name, r.value) for r, _ in read_biomarkers(kb, text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("Child-Pugh A6", "A"), ("Child-Pugh B7", "B"), ("Child-Pugh score 8", "B"), ("Child-Pugh class B9", "B"), ("Child Pugh C10", "C")],
)
def test_child_pugh_with_its_points_is_its_class(kb, text, value):
    assert values(kb, text) == [("recognised", "Child-Pugh", value)]


def test_child_pugh_b7_keeps_out_the_regimens_studied_in_child_pugh_a(recommend):
    answer = recommend(cancer_type="HCC", stage="BCLC C", biomarkers=["Child-Pugh B7"], prior_therapies=[])
    studied_in_a = {"atezolizumab-bevacizumab", "tremelimumab-durvalumab-hcc", "lenvatinib-hcc", "nivolumab-ipilimumab-hcc"}
    assert not studied_in_a & offered_ids(answer)
    assert studied_in_a <= not_recommended_ids(answer)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("HER2 2+ FISH negative", "low"),
        ("HER2 2+ ISH not amplified", "low"),
        ("HER2 2+, ISH amplified", "positive"),
        ("HER2 positive (3+)", "positive"),
        ("HER2 3+ by IHC", "positive"),
        ("HER2 FISH not amplified", "negative"),
    ],
)
def test_her2_ihc_and_ish_are_read_together(kb, text, value):
    assert values(kb, text) == [("recognised", "HER2", value)]


@pytest.mark.parametrize("text", ["HER2 2+", "HER2 positive (1+)"])
def test_an_equivocal_her2_or_a_bracket_that_disagrees_is_not_recognised(kb, text):
    assert [s for s, _, _ in values(kb, text)] == ["not_recognised"]


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("MSI-H by PCR", "MSI", "high"),
        ("MSI-H (PCR)", "MSI", "high"),
        ("MSS by NGS", "MSI", "stable"),
        ("MMR deficient (loss of MLH1/PMS2)", "MMR", "deficient"),
        ("MMR: loss of MLH1 and PMS2", "MMR", "deficient"),
        ("ER positive 90%", "ER", "positive"),
    ],
)
def test_a_result_with_its_method_or_detail_is_the_result(kb, text, name, value):
    assert values(kb, text) == [("recognised", name, value)]


def test_mmr_proficient_with_a_protein_lost_is_not_recognised(kb):
    assert [s for s, _, _ in values(kb, "MMR proficient (loss of MLH1)")] == ["not_recognised"]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("ER+/PR+/HER2-", [("ER", "positive"), ("PR", "positive"), ("HER2", "negative")]),
        ("HR+/HER2-", [("HR", "positive"), ("HER2", "negative")]),
        ("ER/PR positive", [("ER", "positive"), ("PR", "positive")]),
        # the last name written out in full carries its result to the names before it
        ("ER/progesterone receptor positive", [("ER", "positive"), ("PR", "positive")]),
    ],
)
def test_receptors_listed_in_one_entry_are_each_read(kb, text, read):
    assert values(kb, text) == [("recognised", name, value) for name, value in read]


def test_receptors_in_one_entry_open_the_endocrine_options(recommend):
    answer = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["ER+/PR+/HER2-"], prior_therapies=[])
    assert {"ribociclib-letrozole-breast", "palbociclib-letrozole-breast"} <= offered_ids(answer)


def test_receptors_listed_with_a_pending_result_are_each_pending(kb):
    read = read_biomarkers(kb, "ER/PR pending")
    assert [(r.status, r.name, r.value, r.result) for r, _ in read] == [
        ("recognised", "ER", None, "pending"),
        ("recognised", "PR", None, "pending"),
    ]


def test_a_list_with_a_part_not_read_is_not_recognised(kb):
    assert [s for s, _, _ in values(kb, "ER+/PR+/Ki67 20%")] == ["not_recognised"]


# --- cancer type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("Squamous cell carcinoma of lung", "LUSC"), ("urothelial carcinoma of the bladder", "BLCA"), ("adenocarcinoma of the lung", "LUAD")],
)
def test_histology_of_an_organ_reads_as_the_organ_histology(kb, text, code):
    reading = read_cancer_type(kb, text)
    assert reading.understood.status == "recognised" and reading.code == code


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("EGFR E19del", "EGFR exon 19 deletion"),
        ("EGFR: exon 19 deletion detected", "EGFR exon 19 deletion"),
        ("ERBB2 (HER2) exon 20 insertion", "ERBB2 exon 20 insertion"),
        ("HER2 (ERBB2) amplification", "ERBB2 amplification"),
        ("ALK positive (IHC D5F3)", "ALK fusion"),
    ],
)
def test_report_shorthand_reads_as_the_variant_it_names(kb, text, read_as):
    [(status, reading, _)] = read(kb, text)
    assert status == "recognised" and reading.startswith(read_as + ":")


def test_a_gene_in_brackets_that_is_another_gene_is_not_dropped(kb):
    [(status, _, _)] = read(kb, "EGFR (KRAS) exon 19 deletion")
    assert status == "not_recognised"


@pytest.mark.parametrize("stage", ["Stage IVA (M1a)", "stage IV, M1c", "de novo metastatic", "oligometastatic"])
def test_stage_iv_with_its_m_category_or_clinic_words_is_metastatic(recommend, stage):
    answer = recommend(cancer_type="NSCLC", stage=stage, mutations=["EGFR L858R"], prior_therapies=[])
    assert answer.profile.stage.status == "recognised" and "metastatic" in answer.profile.stage.settings
