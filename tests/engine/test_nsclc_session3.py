"""NSCLC, session 3: MARIPOSA-2, HER2 (ERBB2)-mutant NSCLC, the adjuvant and post-chemoradiation settings, and the
interval between an immune checkpoint inhibitor and a targeted agent."""

from __future__ import annotations

from tests.engine.answers import option, option_ids

CHEMO_IO = ["carboplatin", "pemetrexed", "pembrolizumab"]


def test_amivantamab_chemotherapy_is_offered_after_osimertinib_and_beats_chemotherapy_alone(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 19 deletion"], prior_therapies=[{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}])
    assert option_ids(result)[:2] == ["amivantamab-carboplatin-pemetrexed", "pemetrexed-platinum-after-egfr-tki"]
    assert option(result, "amivantamab-carboplatin-pemetrexed").indication_id == "amivantamab-chemotherapy-egfr-after-osimertinib"
    assert not result.withheld


def test_t790m_after_erlotinib_gets_osimertinib_not_the_post_osimertinib_regimen(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 19 deletion", "EGFR T790M"], prior_therapies=[{"line": 1, "drugs": ["erlotinib"], "outcome": "progression"}])
    assert option_ids(result)[0] == "osimertinib-nsclc"
    assert "amivantamab-carboplatin-pemetrexed" not in option_ids(result)


def test_her2_tkd_mutation_first_line_offers_zongertinib_not_the_after_therapy_options(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["ERBB2 exon 20 insertion"], prior_therapies=[])
    assert option_ids(result)[0] == "zongertinib-nsclc"
    assert "sevabertinib-nsclc" not in option_ids(result) and "trastuzumab-deruxtecan-nsclc" not in option_ids(result)


def test_her2_transmembrane_mutation_gets_trastuzumab_deruxtecan_but_no_tkd_inhibitor(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["ERBB2 G660D"], prior_therapies=[{"line": 1, "drugs": CHEMO_IO, "outcome": "progression"}])
    assert "trastuzumab-deruxtecan-nsclc" in option_ids(result)
    assert not {"zongertinib-nsclc", "sevabertinib-nsclc"} & set(option_ids(result))


def test_current_ild_excludes_trastuzumab_deruxtecan_and_past_ild_cautions(recommend):
    after = [{"line": 1, "drugs": CHEMO_IO, "outcome": "progression"}]
    current = recommend(cancer_type="LUAD", stage="IV", mutations=["ERBB2 L755S"], prior_therapies=after, conditions=["interstitial lung disease"])
    assert "trastuzumab-deruxtecan-nsclc" not in option_ids(current)
    past = recommend(cancer_type="LUAD", stage="IV", mutations=["ERBB2 L755S"], prior_therapies=after, conditions=["history of interstitial lung disease"])
    assert any("DESTINY-Lung01" in c.detail for c in option(past, "trastuzumab-deruxtecan-nsclc").cautions)


def test_resected_egfr_stage_iiia_gets_adjuvant_osimertinib_only(recommend):
    result = recommend(cancer_type="LUAD", stage="IIIA, completely resected", mutations=["EGFR L858R"], prior_therapies=[])
    assert option_ids(result) == ["osimertinib-nsclc"]
    assert result.options[0].indication_id == "osimertinib-egfr-adjuvant"


def test_stage_iii_after_chemoradiation_gets_osimertinib_not_second_line_chemotherapy(recommend):
    result = recommend(cancer_type="LUAD", stage="stage III, unresectable", mutations=["EGFR L858R"], prior_therapies=[{"line": 1, "drugs": ["cisplatin", "pemetrexed"], "outcome": "stable disease"}])
    assert option_ids(result) == ["osimertinib-nsclc"]
    assert result.options[0].indication_id == "osimertinib-egfr-stage-iii-after-chemoradiation"


def test_a_tki_within_8_weeks_of_a_pd1_inhibitor_carries_the_interval_caution(recommend):
    def run(**line):  # type: ignore[no-untyped-def]
        return recommend(cancer_type="LUAD", stage="IV", mutations=["ALK fusion"], prior_therapies=[{"line": 1, "drugs": CHEMO_IO, "outcome": "progression", **line}])

    recent = option(run(weeks_since_last_dose=3), "ensartinib-nsclc")
    assert any(c.detail.startswith("pembrolizumab 3 weeks ago") for c in recent.cautions)
    assert not any("weeks ago" in c.detail for c in option(run(weeks_since_last_dose=20), "ensartinib-nsclc").cautions)
    unknown = run()
    assert "prior_therapies" in {w.field for w in unknown.warnings if w.code == "patient_context_not_checked"}
    assert not any("weeks ago" in c.detail for c in option(unknown, "ensartinib-nsclc").cautions)


def test_sotorasib_right_after_a_pd1_inhibitor_carries_the_hepatotoxicity_caution_and_not_later(recommend):
    right_after = recommend(cancer_type="LUAD", stage="IV", mutations=["KRAS G12C"], prior_therapies=[{"line": 1, "drugs": CHEMO_IO, "outcome": "progression"}])
    assert any("last line" in c.detail and "50%" in c.detail for c in option(right_after, "sotorasib-nsclc").cautions)
    later = recommend(
        cancer_type="LUAD",
        stage="IV",
        mutations=["KRAS G12C"],
        prior_therapies=[{"line": 1, "drugs": CHEMO_IO, "outcome": "progression"}, {"line": 2, "drugs": ["docetaxel"], "outcome": "progression"}],
    )
    assert not any("last line" in c.detail for c in option(later, "sotorasib-nsclc").cautions)
