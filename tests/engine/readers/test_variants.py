"""Variants: result status, HGVS notation, exon placement, fusions, copy number and allelic context."""

from __future__ import annotations

import pytest

from schemas.requests import MutationInput
from service.engine.readers.variants import read_mutation, read_protein_change


def one(kb, item, cancer_type="NSCLC"):  # type: ignore[no-untyped-def]
    readings = read_mutation(kb, item, cancer_type)
    assert len(readings) == 1, [r.understood for r in readings]
    return readings[0]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("EGFR T790M pending", "pending"),
        ("no EGFR T790M", "not detected"),
        ("T790M neg", "not detected"),
        ("EGFR T790M negative", "not detected"),
        ("EGFR T790M not detected", "not detected"),
        ("EGFR T790M absent", "not detected"),
        ("EGFR T790M equivocal", "equivocal"),
        ("EGFR T790M indeterminate", "equivocal"),
        ("T790M?", "equivocal"),
        ("EGFR T790M suspected", "equivocal"),
        ("EGFR T790M VUS", "uncertain significance"),
        ("EGFR T790M variant of uncertain significance", "uncertain significance"),
        ("EGFR T790M not tested", "not tested"),
        ("EGFR T790M detected", "detected"),
        ("EGFR T790M", "detected"),
        ("EGFR T790M mutation positive", "detected"),
    ],
)
def test_result_words_map_to_a_status_and_are_echoed(kb, text, status):
    reading = one(kb, text)
    assert reading.recognised, reading.understood.detail
    assert reading.alteration is not None and reading.alteration.id == "EGFR T790M"
    assert reading.status == status and reading.understood.result == status
    assert reading.understood.read_as


def test_only_detected_counts_as_detected_in_the_profile(kb, recommend):
    for text in ("EGFR T790M pending", "no EGFR T790M", "T790M neg", "EGFR T790M equivocal", "T790M?", "EGFR T790M VUS"):
        answer = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR L858R", text], prior_therapies=["erlotinib (progression)"])
        ids = [o.id for o in answer.options]
        assert "osimertinib-nsclc" not in ids or not any(
            c.criterion == "alteration" and "T790M" in c.finding for o in answer.options for c in o.rationale
        ), text
        assert not any("T790M" in n.reason for n in answer.not_recommended), text


def test_two_result_words_that_disagree_make_the_entry_not_recognised(kb):
    reading = one(kb, "EGFR T790M not detected pending")
    assert not reading.recognised and "more than one result" in (reading.understood.detail or "")


def test_a_word_that_is_not_part_of_the_variant_makes_it_not_recognised(kb):
    reading = one(kb, "EGFR T790M borderlinish")
    assert not reading.recognised and "borderlinish" in (reading.understood.detail or "")


@pytest.mark.parametrize(
    ("item", "alteration_id"),
    [
        ("EGFR L858R", "EGFR L858R"),
        ("EGFR p.Leu858Arg", "EGFR L858R"),
        ("EGFR p.L858R", "EGFR L858R"),
        ("EGFR:p.L858R", "EGFR L858R"),
        ("EGFR p.(Leu858Arg)", "EGFR L858R"),
        (MutationInput(gene="EGFR", alteration="exon 21 L858R"), "EGFR L858R"),
        ("NM_005228.5(EGFR):c.2573T>G", "EGFR L858R"),
        ("EGFR NM_005228.5:c.2369C>T", "EGFR T790M"),
        ("EGFR T790M (acquired)", "EGFR T790M"),
        ("EGFR exon 19 deletion", "EGFR exon 19 deletion"),
        ("EGFR ex19del", "EGFR exon 19 deletion"),
        ("EGFR p.E746_A750del", "EGFR exon 19 deletion"),
        ("EGFR p.Glu746_Ala750del", "EGFR exon 19 deletion"),
        ("EGFR L747_P753delinsS", "EGFR exon 19 deletion"),
        ("EGFR D770_N771insSVD", "EGFR exon 20 insertion"),
        ("EGFR p.A767_V769dup", "EGFR exon 20 insertion"),
        ("EML4-ALK fusion", "ALK fusion"),
        ("EML4::ALK", "ALK fusion"),
        ("ALK/EML4 rearrangement", "ALK fusion"),
        ("ALK rearrangement", "ALK fusion"),
        ("ALK positive", "ALK fusion"),
        ("CD74-ROS1 fusion", "ROS1 fusion"),
        ("KIF5B-RET", "RET fusion"),
        ("MET amplification", "MET amplification"),
        ("MET amplification (copy number 8)", "MET amplification"),
        ("MET exon 14 skipping", "MET exon 14 skipping"),
        ("BCR-ABL1 T315I", "BCR::ABL1 T315I"),
        ("BCR::ABL1 p210", "BCR::ABL1 fusion"),
        ("BCR-ABL p.Thr315Ile", "BCR::ABL1 T315I"),
        ("KIT exon 11 mutation", "KIT exon 11 mutation"),
        ("KIT exon 11 p.V560D", "KIT exon 11 mutation"),
        ("KIT V560D", "KIT exon 11 mutation"),
        ("KIT p.Trp557_Lys558del", "KIT exon 11 mutation"),
        ("KIT p.A502_Y503dup", "KIT exon 9 mutation"),
        ("KIT V654A", "KIT exon 13 mutation"),
        ("KIT D816V", "KIT D816V"),
        ("KIT N822K", "KIT exon 17 mutation"),
        ("PDGFRA D842V", "PDGFRA D842V"),
        ("HER2 amplification", "ERBB2 amplification"),
    ],
)
def test_notations_resolve_to_one_alteration(kb, item, alteration_id):
    reading = one(kb, item, "GIST" if "KIT" in str(item) or "PDGFRA" in str(item) else "NSCLC")
    assert reading.recognised, reading.understood.detail
    assert reading.alteration is not None and reading.alteration.id == alteration_id
    assert reading.status == "detected"


def test_the_exon_follows_from_the_position_on_the_named_transcript(kb):
    reading = one(kb, "KIT V560D", "GIST")
    assert reading.understood.exon == 11
    assert reading.understood.transcript == "NM_000222.3"
    assert reading.understood.variant == "p.V560D"


@pytest.mark.parametrize(("text", "exon"), [("ERBB2 p.A775_G776insYVMA", 20), ("RET M918T", 16), ("EGFR T790M", 20)])
def test_each_curated_transcript_places_its_variants(kb, text, exon):
    assert one(kb, text).understood.exon == exon


def test_an_exon_that_contradicts_the_position_is_not_recognised(kb):
    reading = one(kb, "KIT exon 9 p.V560D", "GIST")
    assert not reading.recognised and "exon 11" in (reading.understood.detail or "")


def test_a_cdna_change_on_another_transcript_is_not_placed(kb):
    reading = one(kb, "EGFR NM_005228.3:c.2573T>G")
    assert not reading.recognised


def test_a_readable_variant_the_knowledge_does_not_hold_is_recognised_but_not_used(kb):
    reading = one(kb, "EGFR L747P")
    assert reading.recognised and reading.alteration is None and reading.uncurated_variant
    assert reading.understood.exon == 19
    assert "not used for matching" in (reading.understood.read_as or "")


def test_copy_number_gain_is_not_amplification(kb):
    reading = one(kb, "ERBB2 gain")
    assert reading.alteration is None and reading.uncurated_variant
    assert "not amplification" in (reading.understood.detail or "")


def test_copy_number_and_fusion_partner_are_kept(kb):
    amplified = one(kb, "MET amplification (copy number 8)")
    assert amplified.understood.copy_number == 8
    ratio = one(kb, "MET amplified, MET/CEP7 ratio 2.4")
    assert ratio.understood.ratio == 2.4
    fusion = one(kb, "EML4-ALK fusion")
    assert fusion.understood.fusion_partner == "EML4"


def test_a_variant_without_its_gene_is_inferred_only_when_one_gene_has_it(kb):
    reading = one(kb, "T315I", "CML")
    assert reading.recognised and reading.gene == "BCR::ABL1" and reading.understood.gene_inferred
    assert "inferred" in (reading.understood.read_as or "")


def test_a_variant_without_its_gene_outside_that_gene_s_cancer_types_is_not_recognised(kb):
    reading = one(kb, "T315I", "GIST")
    assert not reading.recognised
    assert reading.understood.candidates == ["BCR::ABL1"]


def test_cis_and_trans_are_structured_and_imply_the_partner(kb):
    readings = read_mutation(kb, "EGFR C797S in cis with T790M", "NSCLC")
    by_id = {r.alteration.id: r for r in readings if r.alteration}
    assert set(by_id) == {"EGFR C797S", "EGFR T790M"}
    assert by_id["EGFR C797S"].allelic == (("cis", "EGFR T790M"),)
    assert by_id["EGFR T790M"].allelic == (("cis", "EGFR C797S"),)
    trans = read_mutation(kb, "EGFR T790M and C797S in trans", "NSCLC")
    assert {r.allelic for r in trans} == {(("trans", "EGFR C797S"),), (("trans", "EGFR T790M"),)}
    structured = read_mutation(kb, MutationInput(gene="EGFR", alteration="C797S", in_trans_with="T790M"), "NSCLC")
    assert structured[0].allelic == (("trans", "EGFR T790M"),)


def test_several_variants_in_one_entry_are_each_read_with_their_own_status(kb):
    readings = read_mutation(kb, "EGFR exon 19 deletion, T790M negative", "NSCLC")
    assert [(r.alteration.id, r.status) for r in readings if r.alteration] == [
        ("EGFR exon 19 deletion", "detected"),
        ("EGFR T790M", "not detected"),
    ]


def test_gene_level_results(kb):
    negative = one(kb, "EGFR not detected")
    assert negative.recognised and negative.alteration is None and negative.status == "not detected"
    pending = one(kb, "ALK pending")
    assert pending.recognised and pending.status == "pending"
    positive = one(kb, "EGFR positive")
    assert not positive.recognised and "without the alteration" in (positive.understood.detail or "")


def test_structured_status_and_text_must_agree(kb):
    reading = one(kb, MutationInput(gene="EGFR", alteration="T790M pending", status="detected"))
    assert not reading.recognised


@pytest.mark.parametrize("text", ["EGFR Z999Q", "FOO1 V600E", "VUS"])
def test_unknown_or_incomplete_entries_are_not_recognised(kb, text):
    reading = one(kb, text)
    assert not reading.recognised and reading.understood.detail


def test_a_biomarker_sent_as_a_mutation_is_pointed_to_the_right_field(kb):
    reading = one(kb, "MSI-H", "COADREAD")
    assert "send it in biomarkers" in (reading.understood.detail or "")


@pytest.mark.parametrize(
    ("token", "name", "kind"),
    [("v560d", "V560D", "sub"), ("thr790met", "T790M", "sub"), ("e746_a750del", "E746_A750del", "del"), ("d770_n771inssvd", "D770_N771insSVD", "ins")],
)
def test_protein_changes_parse_in_one_and_three_letter_form(token, name, kind):
    change = read_protein_change(token)
    assert change is not None and change.name == name and change.kind == kind
