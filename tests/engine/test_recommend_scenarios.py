"""Whole-profile behaviour of the engine, without HTTP, on the curated knowledge."""

from __future__ import annotations

from tests.engine.answers import option_ids


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


def test_t315i_cml_points_to_ponatinib_and_asciminib(recommend):
    result = recommend(
        cancer_type="CML",
        stage="chronic phase",
        mutations=["BCR-ABL1 T315I"],
        prior_therapies=["imatinib"],
        current_medications=["omeprazole"],
    )
    assert set(option_ids(result)) == {"ponatinib-cml", "asciminib-cml"}
    assert {o.indication_id for o in result.options} == {"ponatinib-cml-t315i", "asciminib-cml-t315i"}
    for option in result.options:
        assert option.evidence and all(result.citations[e].pmid or result.citations[e].nct_id or result.citations[e].doi for e in option.evidence)
        assert any(c.criterion == "alteration" and c.result == "met" for c in option.rationale)


def test_t315i_excludes_imatinib_and_second_generation_tkis_with_the_reason(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I"], prior_therapies=["imatinib"])
    exclusions = excluded(result)
    for regimen in ("imatinib-cml", "dasatinib-cml", "nilotinib-cml", "bosutinib-cml"):
        assert regimen in exclusions
        assert "T315I" in exclusions[regimen].reason
        assert exclusions[regimen].reasons[0].kind == "resistance"
        assert exclusions[regimen].evidence
        assert set(exclusions[regimen].alternatives) == {"ponatinib", "asciminib"}


def test_t315i_excludes_dasatinib_combinations_in_ph_all(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="newly diagnosed", mutations=["BCR::ABL1 T315I"], prior_therapies=[])
    assert "dasatinib-blinatumomab" in excluded(result)
    assert "ponatinib-chemotherapy-ph-all" in option_ids(result)


def test_no_ppi_warning_for_ponatinib_or_asciminib(recommend):
    result = recommend(
        cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I"], prior_therapies=["imatinib"], current_medications=["omeprazole"]
    )
    assert not [w for w in result.interaction_warnings if w.drug in ("ponatinib", "asciminib") and w.interacting_drug == "omeprazole"]
    cleared = {(c.drug, c.interacting_drug) for c in result.interactions_cleared}
    assert {("ponatinib", "omeprazole"), ("asciminib", "omeprazole")} <= cleared


def test_first_line_cml_lists_all_first_line_tkis_and_ranks_by_head_to_head_evidence(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[])
    ids = option_ids(result)
    assert {"imatinib-cml", "dasatinib-cml", "nilotinib-cml", "bosutinib-cml", "asciminib-cml"} <= set(ids)
    imatinib = next(o for o in result.options if o.id == "imatinib-cml")
    assert imatinib.ranked_below  # second-generation TKIs and asciminib beat it head to head
    assert ids.index("imatinib-cml") > ids.index("dasatinib-cml")


def test_missing_phase_is_a_caveat_not_a_guess(recommend):
    result = recommend(cancer_type="CML", prior_therapies=[])
    assert result.options
    assert all(any("setting" in c for c in o.caveats) for o in result.options)
    assert "stage_missing" in {w.code for w in result.warnings}


def test_later_line_cml_after_two_tkis(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=["imatinib", "dasatinib"])
    assert {o.indication_id for o in result.options} >= {"asciminib-cml-after-two-tkis", "ponatinib-cml-after-two-tkis"}
    assert "imatinib-cml" not in option_ids(result)


def test_progression_on_a_tki_excludes_it(recommend):
    result = recommend(
        cancer_type="CML",
        stage="chronic phase",
        prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}, {"drugs": ["dasatinib"], "outcome": "intolerance"}],
    )
    exclusions = excluded(result)
    assert exclusions["dasatinib-cml"].reasons[0].kind == "prior_therapy"


def test_gist_pdgfra_d842v_excludes_imatinib_and_points_to_avapritinib(recommend):
    result = recommend(cancer_type="GIST", stage="metastatic", mutations=["PDGFRA D842V"], prior_therapies=[])
    assert "avapritinib-gist" in option_ids(result)
    exclusions = excluded(result)
    assert "imatinib-gist" in exclusions and "D842V" in exclusions["imatinib-gist"].reason
    assert exclusions["imatinib-gist"].alternatives == ["avapritinib"]


def test_gist_kit_exon_9_ranks_the_higher_imatinib_dose_first(recommend):
    result = recommend(cancer_type="GIST", stage="metastatic", mutations=["KIT exon 9 mutation"], prior_therapies=[])
    ids = option_ids(result)
    assert ids.index("imatinib-800-gist-exon-9") < ids.index("imatinib-gist")


def test_gist_lines_follow_prior_therapy(recommend):
    second = recommend(cancer_type="GIST", stage="metastatic", prior_therapies=["imatinib"])
    assert option_ids(second) == ["sunitinib-gist"]
    fourth = recommend(cancer_type="GIST", stage="metastatic", prior_therapies=["imatinib", "sunitinib", "regorafenib"])
    assert "ripretinib-gist" in option_ids(fourth)


def test_rcc_first_line_lists_the_io_tki_combinations(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[])
    assert {"nivolumab-cabozantinib", "pembrolizumab-axitinib", "pembrolizumab-lenvatinib", "avelumab-axitinib"} <= set(option_ids(result))
    combinations = [o for o in result.options if o.id in {"nivolumab-cabozantinib", "pembrolizumab-axitinib", "pembrolizumab-lenvatinib"}]
    assert all(o.evidence_level == "1" and o.overall_survival for o in combinations)
    sunitinib = next(o for o in result.options if o.id == "sunitinib-rcc")
    assert "Pembrolizumab + axitinib" in sunitinib.ranked_below  # the comparator of KEYNOTE-426 sits below it


def test_unspecified_rcc_histology_gives_caveated_options(recommend):
    result = recommend(cancer_type="RCC", stage="IV", prior_therapies=[])
    assert result.options
    assert all(o.caveats for o in result.options)


def test_kidney_cancer_is_ambiguous_and_said_so(recommend):
    result = recommend(cancer_type="kidney cancer", stage="IV", prior_therapies=[])
    assert result.profile.cancer_type.status == "ambiguous"
    assert "ambiguous_cancer_type" in {w.code for w in result.warnings}


def test_endometrial_pmmr_after_platinum_gets_lenvatinib_pembrolizumab(recommend):
    result = recommend(
        cancer_type="endometrial carcinoma",
        stage="recurrent",
        biomarkers=[{"name": "MMR", "status": "pMMR"}],
        prior_therapies=[{"drugs": ["carboplatin", "paclitaxel"], "outcome": "progression"}],
    )
    [option] = result.options
    assert option.indication_id == "pembrolizumab-lenvatinib-endometrial-after-platinum"
    assert not option.caveats


def test_endometrial_dmmr_excludes_lenvatinib_pembrolizumab_for_the_biomarker(recommend):
    result = recommend(
        cancer_type="UCEC", stage="recurrent", biomarkers=[{"name": "MMR", "status": "deficient"}], prior_therapies=["carboplatin + paclitaxel"]
    )
    # GARNET and KEYNOTE-158: dMMR after platinum
    assert sorted(option_ids(result)) == ["dostarlimab-endometrial", "pembrolizumab-endometrial-msi-high"]
    reasons = excluded(result)["pembrolizumab-lenvatinib"].reasons
    assert reasons[0].kind == "biomarker" and "MMR deficient" in reasons[0].detail


def test_hcc_after_sorafenib(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", prior_therapies=["sorafenib"], biomarkers=[{"name": "Child-Pugh", "status": "A"}])
    assert {"regorafenib-hcc", "cabozantinib-hcc"} <= set(option_ids(result))


def test_crc_mss_gets_investigational_regorafenib_nivolumab_below_regorafenib(recommend):
    result = recommend(
        cancer_type="colorectal cancer",
        stage="metastatic",
        biomarkers=[{"name": "MSI", "status": "MSS"}],
        prior_therapies=["FOLFOX", "capecitabine + irinotecan"],
    )
    ids = option_ids(result)
    assert ids.index("regorafenib-crc") < ids.index("regorafenib-nivolumab-crc")
    combo = next(o for o in result.options if o.id == "regorafenib-nivolumab-crc")
    assert combo.regulatory_status == "investigational" and combo.evidence_level == "3"


def test_crc_msi_high_excludes_the_mss_only_combination(recommend):
    result = recommend(
        cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "high"}], prior_therapies=["capecitabine"]
    )
    assert "regorafenib-nivolumab-crc" in excluded(result)


def test_unverified_evidence_is_never_cited(recommend, kb):
    result = recommend(cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "MSS"}], prior_therapies=["capecitabine"])
    cited = {e for o in result.options for e in o.evidence}
    assert cited and all(kb.evidence[i].citable for i in cited)
    assert "regonivo-epoc1603-crc" not in cited


def test_her2_breast_after_trastuzumab(recommend):
    result = recommend(
        cancer_type="BRCA",
        stage="metastatic",
        biomarkers=[{"name": "HER2", "status": "positive"}],
        prior_therapies=["doxorubicin", "trastuzumab + docetaxel"],
    )
    assert {"tucatinib-trastuzumab-capecitabine", "lapatinib-capecitabine"} <= set(option_ids(result))


def test_lapatinib_needs_the_anthracycline_and_taxane_its_label_names(recommend):
    result = recommend(
        cancer_type="BRCA", stage="metastatic", biomarkers=[{"name": "HER2", "status": "positive"}], prior_therapies=["trastuzumab + docetaxel"]
    )
    assert "tucatinib-trastuzumab-capecitabine" in option_ids(result)
    assert "lapatinib-capecitabine" not in option_ids(result)


def test_egfr_l858r_nsclc_puts_mariposa_then_osimertinib_first_and_excludes_checkpoint_inhibitors(recommend):
    result = recommend(
        cancer_type="NSCLC",
        stage="IV",
        mutations=[{"gene": "EGFR", "alteration": "L858R"}],
        pd_l1={"tps": 80},
        current_medications=["Nexium"],
    )
    ids = option_ids(result)
    # histology not given: the pemetrexed combination is shown with a caveat; MARIPOSA beat osimertinib
    assert ids[:2] == ["amivantamab-lazertinib", "osimertinib-nsclc"]
    assert "osimertinib-pemetrexed-platinum" in ids
    assert ids.index("gefitinib-nsclc") > ids.index("dacomitinib-nsclc")  # ARCHER 1050
    exclusions = excluded(result)
    for regimen in ("pembrolizumab-nsclc", "pembrolizumab-pemetrexed-platinum"):
        assert regimen in exclusions
        assert "EGFR L858R" in exclusions[regimen].reason
        assert exclusions[regimen].evidence
    assert not [w for w in result.interaction_warnings if w.drug == "osimertinib"]


def test_egfr_t790m_after_first_generation_tki(recommend):
    result = recommend(
        cancer_type="LUAD",
        stage="metastatic",
        mutations=["EGFR exon 19 deletion", "EGFR T790M (acquired)"],
        prior_therapies=[{"drugs": ["gefitinib"], "outcome": "progression"}],
    )
    [option] = [o for o in result.options if o.id == "osimertinib-nsclc"]
    assert option.indication_id == "osimertinib-egfr-t790m-after-tki"


def test_driver_negative_nsclc_after_immunotherapy_gets_low_level_anlotinib_rechallenge(recommend):
    result = recommend(
        cancer_type="NSCLC",
        stage="IV",
        mutations=["EGFR not detected", {"gene": "ALK", "alteration": "fusion", "status": "not detected"}],
        pd_l1={"tps": 20},
        prior_therapies=[{"drugs": ["pembrolizumab", "carboplatin", "pemetrexed"], "outcome": "progression"}],
    )
    assert "anlotinib-ici-rechallenge" not in option_ids(result)  # its dose was not in the record read
    [withheld] = [w for w in result.withheld if w.id == "anlotinib-ici-rechallenge"]
    assert withheld.reason.startswith("dose pending verification")
    assert {"docetaxel-ramucirumab", "docetaxel-nsclc"} <= set(option_ids(result))  # REVEL after platinum
    assert option_ids(result).index("docetaxel-ramucirumab") < option_ids(result).index("docetaxel-nsclc")


def test_untested_drivers_leave_checkpoint_options_with_a_caveat(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", pd_l1={"tps": 70}, prior_therapies=[])
    option = next(o for o in result.options if o.id == "pembrolizumab-nsclc")
    assert any("EGFR status not reported" in c for c in option.caveats)
    assert any(w.code == "missing_driver_status" for w in result.warnings)


def test_pd_l1_threshold_compared_only_in_its_scoring_system(recommend):
    # below 1%: neither the TPS 50% nor the TPS 1-49% pembrolizumab indication (KEYNOTE-042, session 6) applies
    below = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR not detected", "ALK negative"], pd_l1={"tps": 0}, prior_therapies=[])
    assert "pembrolizumab-nsclc" in excluded(below)
    other_system = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR not detected", "ALK negative"], pd_l1={"cps": 80}, prior_therapies=[])
    # a score in another system is not the result the evidence used: not offered, named with what is missing
    assert "pembrolizumab-nsclc" not in option_ids(other_system)
    [message] = [w.message for w in other_system.warnings if w.code == "result_not_given"]
    assert "not interchangeable" in message and "Pembrolizumab depend(s) on it" in message
    assert other_system.provisional and "pembrolizumab-pemetrexed-platinum" in option_ids(other_system)


def test_crizotinib_with_nivolumab_is_excluded_for_hepatotoxicity(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EML4-ALK fusion"], prior_therapies=[])
    exclusion = excluded(result)["crizotinib-nivolumab"]
    assert any(r.kind == "toxicity" for r in exclusion.reasons) and "hepatotoxicity" in exclusion.reason
    assert {"alectinib-nsclc", "lorlatinib-nsclc", "brigatinib-nsclc"} <= set(option_ids(result))


def test_toxicity_rule_applies_to_a_current_medicine_too(recommend):
    result = recommend(
        cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion"], prior_therapies=[], current_medications=["nivolumab"]
    )
    exclusion = excluded(result)["crizotinib-ros1"]
    assert "current medication nivolumab" in exclusion.reason


def test_tki_in_current_medications_is_checked_too(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[], current_medications=["dasatinib 100 mg", "pantoprazole"])
    assert any(w.drug == "dasatinib" and w.interacting_drug == "pantoprazole" and w.severity == "avoid" for w in result.interaction_warnings)


def test_met_exon_14_skipping_gets_capmatinib_and_tepotinib(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["MET exon 14 skipping"], prior_therapies=[])
    assert {"capmatinib-nsclc", "tepotinib-nsclc"} <= set(option_ids(result))


def test_uncommon_egfr_mutation_gets_afatinib_not_the_common_mutation_regimens(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR G719A"], prior_therapies=[])
    ids = option_ids(result)
    assert "afatinib-nsclc" in ids and "osimertinib-pemetrexed-platinum" not in ids


def test_c797s_excludes_osimertinib_with_the_allelic_context_reason(recommend):
    result = recommend(
        cancer_type="NSCLC",
        stage="IV",
        mutations=["EGFR exon 19 deletion", "EGFR T790M", "EGFR C797S"],
        prior_therapies=[{"drugs": ["gefitinib"], "outcome": "progression"}, {"drugs": ["osimertinib"], "outcome": "progression"}],
    )
    exclusion = excluded(result)["osimertinib-nsclc"]
    assert any("C797S" in r.detail and r.kind == "resistance" for r in exclusion.reasons)


def test_alk_g1202r_excludes_second_generation_tkis_and_points_to_lorlatinib(recommend):
    result = recommend(
        cancer_type="NSCLC",
        stage="IV",
        mutations=["ALK fusion", "ALK G1202R"],
        prior_therapies=[{"drugs": ["alectinib"], "outcome": "progression"}],
    )
    exclusions = excluded(result)
    for regimen in ("alectinib-nsclc", "brigatinib-nsclc"):
        assert "G1202R" in exclusions[regimen].reason and exclusions[regimen].alternatives == ["lorlatinib"]


def test_cml_after_imatinib_failure_offers_second_generation_tkis(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    assert {o.indication_id for o in result.options} >= {"dasatinib-cml-after-imatinib", "bosutinib-cml-after-prior-tki"}
    assert "imatinib-cml" not in option_ids(result)
    assert "imatinib-cml" not in excluded(result)  # first-line only: no clinician weighs it in line 2


def test_accelerated_phase_cml_after_imatinib(recommend):
    result = recommend(cancer_type="CML", stage="accelerated phase", prior_therapies=["imatinib"])
    assert {"dasatinib-cml-accelerated-phase", "nilotinib-cml-accelerated-phase"} <= {o.indication_id for o in result.options}


def test_imdc_risk_decides_the_immunotherapy_doublet_in_rcc(recommend):
    favourable = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], biomarkers=[{"name": "IMDC risk", "status": "favorable"}])
    assert "nivolumab-ipilimumab-rcc" in excluded(favourable)
    assert "nivolumab-cabozantinib" in option_ids(favourable)
    poor = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], biomarkers=[{"name": "IMDC", "status": "poor"}])
    assert "nivolumab-ipilimumab-rcc" in option_ids(poor)
    unknown = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[])
    # the risk group is graded by the treating team, not sent out as a test: offered, with the caveat to grade it
    doublet = next(o for o in unknown.options if o.id == "nivolumab-ipilimumab-rcc")
    assert any("IMDC risk" in c for c in doublet.caveats)
    assert not any(w.code == "result_not_given" for w in unknown.warnings)


def test_alk_after_second_generation_tki_gets_lorlatinib(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["ALK fusion", "ALK G1202R"], prior_therapies=["alectinib"])
    option = next(o for o in result.options if o.id == "lorlatinib-nsclc")
    assert option.indication_id == "lorlatinib-alk-after-alk-tki"


def test_rcc_third_line_after_vegfr_tkis_includes_tivozanib(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=["pembrolizumab + axitinib", "cabozantinib"])
    assert "tivozanib-rcc" in option_ids(result)


def test_f317l_steers_away_from_dasatinib_towards_nilotinib(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 F317L"], prior_therapies=["imatinib"])
    exclusion = excluded(result)["dasatinib-cml"]
    assert "F317L" in exclusion.reason and exclusion.alternatives == ["nilotinib"]


def test_imatinib_peginterferon_is_a_first_line_option_with_its_level(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[])
    option = next(o for o in result.options if o.id == "imatinib-peginterferon-cml")
    assert option.evidence_level == "2" and option.regulatory_status == "not_fda_approved"


def test_a_drug_the_evidence_continues_after_progression_is_not_excluded_for_it(recommend):
    result = recommend(
        cancer_type="NSCLC",
        stage="IV",
        mutations=["EGFR exon 19 deletion", "MET amplification"],
        prior_therapies=[{"drugs": ["osimertinib"], "outcome": "progression"}],
    )
    assert "osimertinib-savolitinib" in option_ids(result)
    assert "osimertinib-nsclc" not in option_ids(result)


def test_a_drug_given_before_without_progression_is_flagged_not_hidden(recommend):
    result = recommend(cancer_type="GIST", stage="metastatic", prior_therapies=["imatinib", "sunitinib", "regorafenib"])
    regorafenib = next(o for o in result.options if o.id == "regorafenib-gist")
    assert any("regorafenib was already given in line 3" in c for c in regorafenib.caveats)


def test_selpercatinib_is_offered_and_chemo_immunotherapy_excluded_for_an_untreated_ret_fusion(recommend):
    # LIBRETTO-431: first-line selpercatinib beat platinum-pemetrexed with or without pembrolizumab
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["KIF5B-RET fusion"], prior_therapies=[])
    assert "selpercatinib-nsclc" in option_ids(result)
    assert "libretto-431" in excluded(result)["pembrolizumab-pemetrexed-platinum"].evidence


def test_a_regimen_acronym_in_prior_therapy_counts_as_its_drugs(recommend):
    result = recommend(
        cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "stable"}], prior_therapies=["FOLFOX", "FOLFIRI + bevacizumab"]
    )
    regorafenib = next(o for o in result.options if o.id == "regorafenib-crc")
    assert not regorafenib.caveats
    met = [c for c in regorafenib.rationale if c.criterion == "prior therapy" and c.result == "met"]
    assert met and "fluorouracil" in met[0].finding
    first_line = result.profile.prior_therapies[0]
    assert [d.name for d in first_line.drugs] == ["fluorouracil", "leucovorin", "oxaliplatin"]
    assert all(d.input == "FOLFOX" for d in first_line.drugs)


def test_an_unrecognised_prior_drug_leaves_a_prior_therapy_requirement_open_not_failed(recommend):
    result = recommend(
        cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "stable"}], prior_therapies=["an unlisted regimen"]
    )
    regorafenib = next(o for o in result.options if o.id == "regorafenib-crc")
    assert any("prior-therapy drug was not recognised" in c for c in regorafenib.caveats)
    # once every prior drug is recognised, an unmet requirement is not met
    result = recommend(cancer_type="COADREAD", stage="metastatic", prior_therapies=["oxaliplatin"])
    assert "regorafenib-crc" not in option_ids(result)


def test_overall_survival_orders_options_otherwise_level(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[])
    shown = [o for o in result.options if o.evidence_level == "1" and not o.caveats]
    with_survival = [o.id for o in shown if o.overall_survival is not None]
    without = [o.id for o in shown if o.overall_survival is None]
    assert "avelumab-axitinib" in without and {"nivolumab-cabozantinib", "pembrolizumab-axitinib"} <= set(with_survival)
    ids = [o.id for o in shown]
    assert max(ids.index(i) for i in with_survival) < min(ids.index(i) for i in without)
    cabozantinib = next(o for o in shown if o.id == "nivolumab-cabozantinib")
    assert cabozantinib.overall_survival.result == "superior"
    assert cabozantinib.overall_survival.evidence and "favourable" in cabozantinib.overall_survival.comparator


def test_first_line_egfr_lists_tki_antibody_combinations_below_osimertinib(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    ids = option_ids(result)
    # FLAURA2 and MARIPOSA each beat osimertinib alone, with no head-to-head result between them: a tie
    assert set(ids[:2]) == {"osimertinib-pemetrexed-platinum", "amivantamab-lazertinib"}
    assert ids[2] == "osimertinib-nsclc"
    first, second = (next(o for o in result.options if o.id == i) for i in ids[:2])
    assert first.ranking.rank == second.ranking.rank
    assert ids.index("erlotinib-ramucirumab") > 2
    bevacizumab = next(o for o in result.options if o.id == "erlotinib-bevacizumab")
    assert bevacizumab.evidence_level == "2" and bevacizumab.regulatory_status == "not_fda_approved"


def test_t790m_excludes_first_and_second_generation_egfr_tki_regimens(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR exon 19 deletion", "EGFR T790M"], prior_therapies=[])
    exclusions = excluded(result)
    for regimen in ("erlotinib-ramucirumab", "erlotinib-bevacizumab"):
        assert exclusions[regimen].reasons[0].kind == "resistance"
        assert "T790M" in exclusions[regimen].reason
        assert exclusions[regimen].alternatives == ["osimertinib"]


def test_blast_phase_cml_after_a_second_generation_tki_points_to_ponatinib(recommend):
    result = recommend(
        cancer_type="CML", stage="blast phase", prior_therapies=[{"drugs": ["dasatinib"], "outcome": "progression"}]
    )
    ponatinib = next(o for o in result.options if o.id == "ponatinib-cml")
    assert ponatinib.indication_id == "ponatinib-cml-advanced-after-second-generation-tki"
    assert "dasatinib-cml" not in option_ids(result)


# --- issue 11: standard options, doses, withheld, coverage, grouped exclusions, ranking explained ---------------

GOLDEN_PROFILES = __import__("json").loads(
    (__import__("pathlib").Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8")
)


def test_every_option_component_has_a_dose_for_its_indication(recommend):
    for name, profile in GOLDEN_PROFILES.items():
        for option in recommend(**profile).options:
            for component in option.components:
                assert component.dose, (name, option.indication_id, component.drug or component.drug_class)
                if component.dose_source is not None:
                    assert component.dose_source.evidence or component.dose_source.label, (name, option.id)


def test_withheld_regimens_name_what_they_wait_on_and_are_never_options(recommend):
    seen = 0
    for profile in GOLDEN_PROFILES.values():
        result = recommend(**profile)
        offered = {(o.id, o.indication_id) for o in result.options}
        for item in result.withheld:
            seen += 1
            assert (item.id, item.indication_id) not in offered
            assert item.reason
            for name in item.pending_evidence:
                assert f"evidence pending verification: {name}" in item.reason or name in item.reason
    assert seen, "the golden profiles include withheld regimens (the anlotinib rechallenge, quizartinib)"


def test_mariposa_is_offered_with_its_fda_notice_and_a_dose_per_weight_band(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    assert not [w for w in result.withheld if w.id == "amivantamab-lazertinib"]
    option = next(o for o in result.options if o.id == "amivantamab-lazertinib")
    assert option.contains_tki and option.approval_year == 2024
    cited = set(option.evidence)
    assert "mariposa-fda-2024" in cited and "mariposa" not in cited  # the unverified record is never shown
    amivantamab, lazertinib = (next(c for c in option.components if c.drug == d) for d in ("amivantamab", "lazertinib"))
    assert "80 kg" in amivantamab.dose and "1050 mg" in amivantamab.dose and "1400 mg" in amivantamab.dose
    assert lazertinib.dose.startswith("240 mg")


def test_after_osimertinib_platinum_pemetrexed_and_mariposa_2_are_offered(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["EGFR exon 19 deletion"], prior_therapies=[{"drugs": ["osimertinib"], "outcome": "progression"}])
    assert "pemetrexed-platinum-after-egfr-tki" in option_ids(result)
    option = next(o for o in result.options if o.id == "pemetrexed-platinum-after-egfr-tki")
    assert option.contains_tki is False
    mariposa_2 = next(o for o in result.options if o.id == "amivantamab-carboplatin-pemetrexed")
    assert mariposa_2.indication_id == "amivantamab-chemotherapy-egfr-after-osimertinib" and mariposa_2.contains_tki is False
    assert "mariposa-2-fda-2024" in result.citations
    assert not [w for w in result.withheld if w.indication_id == "amivantamab-chemotherapy-egfr-after-osimertinib"]


def test_doses_follow_the_indication(recommend):
    second = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    bosutinib = next(o for o in second.options if o.id == "bosutinib-cml")
    assert bosutinib.components[0].dose.startswith("500 mg") and bosutinib.components[0].dose_source.evidence
    first = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[])
    assert next(o for o in first.options if o.id == "bosutinib-cml").components[0].dose.startswith("400 mg")
    hcc = recommend(cancer_type="HCC", stage="advanced", biomarkers=[{"name": "Child-Pugh", "status": "A"}], prior_therapies=[])
    lenvatinib = next(o for o in hcc.options if o.id == "lenvatinib-hcc").components[0]
    assert "12 mg" in lenvatinib.dose and "60 kg" in lenvatinib.dose and "8 mg" in lenvatinib.dose


def test_t315i_exclusions_give_the_reason_and_its_citations_once(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 T315I"], prior_therapies=["imatinib"])
    [group] = [g for g in result.exclusion_groups if "T315I" in g.reason]
    assert group.kind == "resistance" and group.evidence
    assert {"dasatinib-cml", "nilotinib-cml", "bosutinib-cml"} <= {r.id for r in group.regimens}
    assert len(result.exclusion_groups) == 1


def test_ranking_says_why_and_marks_ties(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    first, second, third = result.options[:3]
    # FLAURA2 and MARIPOSA: tied at the top (no head-to-head result), both above osimertinib alone
    assert first.ranking.rank == second.ranking.rank == 1
    assert second.name in first.ranking.tied_with and "Tied with" in first.ranking.above_next
    assert "head to head" in second.ranking.above_next
    assert third.id == "osimertinib-nsclc" and third.ranking.rank == 3
    tied = [o for o in result.options if o.ranking.tied_with]
    assert tied and all(o.ranking.rank == tied[0].ranking.rank for o in tied if o.ranking.rank == tied[0].ranking.rank)
    assert any("Tied with" in (o.ranking.above_next or "") for o in tied)


def test_coverage_says_what_is_held_for_the_type_and_line(recommend):
    result = recommend(cancer_type="cholangiocarcinoma", stage="metastatic", mutations=["FGFR2 fusion"], prior_therapies=["gemcitabine + cisplatin"])
    assert result.coverage.covered and result.coverage.line == 2
    assert result.coverage.regimens_for_line >= 3 and result.coverage.withheld_for_line == 0  # their label records are in
    assert {"pemigatinib-cholangiocarcinoma", "futibatinib-cholangiocarcinoma"} <= set(option_ids(result))
    assert "line 2" in result.coverage.statement


def test_squamous_nsclc_gets_keynote_407_and_adenocarcinoma_does_not(recommend):
    squamous = recommend(cancer_type="squamous NSCLC", stage="IV", mutations=["EGFR negative", "ALK negative"], prior_therapies=[])
    assert "pembrolizumab-carboplatin-taxane" in option_ids(squamous)
    adeno = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 20 insertion"], prior_therapies=[])
    assert "pembrolizumab-carboplatin-taxane" not in option_ids(adeno)
    assert option_ids(adeno)[0] == "amivantamab-carboplatin-pemetrexed"  # PAPILLON
