"""Haematology, session 6: AML by IDH1, IDH2, NPM1 and KMT2A; imatinib in advanced-phase CML; acalabrutinib +
venetoclax in CLL; a CLL patient progressing on ibrutinib is not offered more of it."""

from __future__ import annotations

AFTER_7_3 = [{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}]
ALL_NEGATIVE = ["FLT3 not detected", "IDH1 not detected", "IDH2 not detected", "NPM1 not detected", "KMT2A rearrangement not detected"]


def _offered(result):
    return {o.id: o for o in result.options}


def _missing(result):
    return {w.message.split(":", 1)[0] for w in result.warnings if w.code == "result_not_given"}


def _with(mutation, others=ALL_NEGATIVE):
    gene = mutation.split()[0]
    return [mutation, *(m for m in others if not m.startswith(gene))]


def test_idh1_aml_ineligible_for_intensive_chemotherapy_offers_ivosidenib_azacitidine(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=_with("IDH1 R132H"), prior_therapies=[], ecog=2)
    offered = _offered(result)
    option = offered["ivosidenib-azacitidine-aml"]
    assert option.indication_id == "ivosidenib-azacitidine-idh1-aml-newly-diagnosed-ineligible-for-intensive"
    assert {"venetoclax-azacitidine-aml", "ivosidenib-aml"} <= set(offered)
    assert result.citations["agile"].nct_id == "NCT03173248"
    assert "500 mg" in next(c.dose for c in option.components if c.drug == "ivosidenib")


def test_ecog_3_cautions_ivosidenib_azacitidine_as_agile_enrolled_ecog_0_to_2(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=_with("IDH1 R132H"), prior_therapies=[], ecog=3)
    option = _offered(result)["ivosidenib-azacitidine-aml"]
    assert any("AGILE enrolled ECOG 0-2" in c for c in option.caveats)


def test_idh1_wild_type_aml_is_not_offered_an_idh1_inhibitor(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=ALL_NEGATIVE, prior_therapies=AFTER_7_3)
    assert not {"ivosidenib-aml", "olutasidenib-aml", "enasidenib-aml", "revumenib-acute-leukaemia", "ziftomenib-aml"} & set(_offered(result))
    assert not _missing(result)


def test_relapsed_idh1_aml_offers_ivosidenib_and_olutasidenib(recommend):
    result = recommend(cancer_type="AML", stage="refractory", mutations=_with("IDH1 R132C"), prior_therapies=AFTER_7_3)
    offered = _offered(result)
    assert {"ivosidenib-aml", "olutasidenib-aml"} <= set(offered)
    assert offered["ivosidenib-aml"].indication_id == "ivosidenib-idh1-aml-relapsed-refractory"
    assert "enasidenib-aml" not in offered


def test_relapsed_idh2_aml_offers_enasidenib_only_for_idh2(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=_with("IDH2 R140Q"), prior_therapies=AFTER_7_3)
    offered = _offered(result)
    assert "enasidenib-aml" in offered
    assert not {"ivosidenib-aml", "olutasidenib-aml"} & set(offered)
    assert "100 mg" in offered["enasidenib-aml"].components[0].dose


def test_relapsed_npm1_aml_offers_both_menin_inhibitors(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=_with("NPM1 mutated"), prior_therapies=AFTER_7_3)
    offered = _offered(result)
    assert {"revumenib-acute-leukaemia", "ziftomenib-aml"} <= set(offered)
    assert offered["revumenib-acute-leukaemia"].indication_id == "revumenib-npm1-aml-relapsed-refractory"


def test_kmt2a_rearranged_aml_gets_revumenib_but_never_ziftomenib(recommend):
    # ziftomenib's KMT2A cohort closed for differentiation syndrome: its indication is NPM1 only
    for entry in ("KMT2A rearrangement", "KMT2A-MLLT3 fusion", "MLL rearranged"):
        result = recommend(cancer_type="AML", stage="relapsed", mutations=_with(entry, ["FLT3 not detected", "IDH1 not detected", "IDH2 not detected", "NPM1 not detected"]), prior_therapies=AFTER_7_3)
        offered = _offered(result)
        assert "revumenib-acute-leukaemia" in offered, entry
        assert "ziftomenib-aml" not in offered, entry


def test_revumenib_dose_is_tied_to_a_strong_cyp3a4_inhibitor(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=_with("KMT2A rearrangement"), prior_therapies=AFTER_7_3)
    dose = _offered(result)["revumenib-acute-leukaemia"].components[0].dose
    assert "with a strong CYP3A4 inhibitor" in dose and "163 mg" in dose
    assert "Without a strong CYP3A4 inhibitor the dose is different and is not given here" in dose


def test_kmt2a_rearranged_b_all_gets_revumenib(recommend):
    result = recommend(cancer_type="B-ALL", stage="relapsed", mutations=["KMT2A rearrangement"], prior_therapies=[{"drugs": ["cytarabine"], "outcome": "relapse"}])
    assert "revumenib-acute-leukaemia" in _offered(result)


def test_kmt2a_partial_tandem_duplication_is_not_read_as_a_translocation(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["KMT2A PTD"], prior_therapies=AFTER_7_3)
    assert "revumenib-acute-leukaemia" not in _offered(result)
    assert result.profile.mutations[0].status == "not_recognised"


def test_aml_with_mutated_npm1_typed_as_aml_is_not_offered_a_menin_inhibitor_for_kmt2a_or_idh2(recommend):
    # an indication for a WHO entity would match plain AML with a "less specific" caveat: the entity states the lesion instead
    result = recommend(cancer_type="AML", stage="relapsed", mutations=_with("IDH2 R140Q"), prior_therapies=AFTER_7_3)
    assert not {"revumenib-acute-leukaemia", "ziftomenib-aml"} & set(_offered(result))


def test_relapsed_aml_without_idh_npm1_or_kmt2a_results_says_which_are_missing(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["FLT3 not detected"], prior_therapies=AFTER_7_3)
    assert {"No IDH1 result was given", "No IDH2 result was given", "No NPM1 result was given", "No KMT2A result was given"} <= _missing(result)
    assert result.provisional


def test_newly_diagnosed_aml_without_idh1_asks_for_it_but_not_for_npm1(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 not detected"], prior_therapies=[], ecog=2)
    missing = _missing(result)
    assert "No IDH1 result was given" in missing
    assert not {"No IDH2 result was given", "No NPM1 result was given", "No KMT2A result was given"} & missing


def test_cml_accelerated_phase_first_line_offers_imatinib_600_mg(recommend):
    result = recommend(cancer_type="CML", stage="accelerated phase", prior_therapies=[])
    option = _offered(result)["imatinib-cml"]
    assert option.indication_id == "imatinib-cml-accelerated-or-blast-phase"
    assert option.components[0].dose.startswith("600 mg")


def test_cml_blast_phase_after_imatinib_progression_does_not_offer_imatinib_again(recommend):
    result = recommend(cancer_type="CML", stage="blast phase", prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    offered = _offered(result)
    assert "imatinib-cml" not in offered
    assert {"dasatinib-cml", "bosutinib-cml"} <= set(offered)


def test_cll_first_line_without_del17p_or_tp53_offers_acalabrutinib_venetoclax(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", biomarkers=["del(17p) not detected"], mutations=["TP53 not detected"], prior_therapies=[])
    option = _offered(result)["acalabrutinib-venetoclax-cll"]
    doses = {c.drug: c.dose for c in option.components}
    assert "cycles 1 to 14" in doses["acalabrutinib"] and "400 mg" in doses["venetoclax"]


def test_cll_with_del17p_or_tp53_mutation_is_not_offered_acalabrutinib_venetoclax(recommend):
    for extra in ({"biomarkers": ["del(17p) detected"]}, {"biomarkers": ["del(17p) not detected"], "mutations": ["TP53 mutated"]}):
        result = recommend(cancer_type="CLL", stage="newly diagnosed", prior_therapies=[], **extra)
        assert "acalabrutinib-venetoclax-cll" not in _offered(result), extra


def test_cll_without_a_del17p_result_asks_for_it_before_acalabrutinib_venetoclax(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", prior_therapies=[])
    assert "acalabrutinib-venetoclax-cll" not in _offered(result)
    assert "No del(17p) result was given" in _missing(result)


def test_cll_progressing_while_still_on_ibrutinib_is_not_offered_to_continue_it(recommend):
    result = recommend(
        cancer_type="CLL",
        stage="relapsed",
        prior_therapies=[{"drugs": ["ibrutinib"], "outcome": "progression", "ongoing": True}],
        current_medications=["ibrutinib 420 mg daily"],
    )
    offered = _offered(result)
    assert "ibrutinib-cll" not in offered
    assert {"pirtobrutinib-cll", "venetoclax-rituximab-cll"} <= set(offered)
    excluded = {n.id: n for n in result.not_recommended}
    assert "prior_therapy" in {r.kind for r in excluded["ibrutinib-cll"].reasons}


def test_aml_ineligible_for_intensive_chemotherapy_offers_venetoclax_with_decitabine_too(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 not detected", "IDH1 not detected"], prior_therapies=[], ecog=2)
    option = _offered(result)["venetoclax-decitabine-aml"]
    assert "20 mg/m2" in next(c.dose for c in option.components if c.drug == "decitabine")
    assert result.citations["venetoclax-hma-phase-1b-m14-358"].nct_id == "NCT02203773"


def test_therapy_related_aml_offers_cpx_351_above_7_3(recommend):
    result = recommend(cancer_type="therapy-related AML", stage="newly diagnosed", mutations=["FLT3 not detected", "IDH1 not detected"], prior_therapies=[], ecog=1)
    ids = [o.id for o in result.options]
    assert result.profile.cancer_type.code == "TAML"
    assert ids.index("cpx-351-aml") < ids.index("daunorubicin-cytarabine-aml")
    dose = _offered(result)["cpx-351-aml"].components[0].dose
    assert "44 mg/m2" in dose and "100 mg/m2" in dose


def test_cpx_351_in_aml_without_a_subtype_carries_the_subtype_caveat(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 not detected", "IDH1 not detected"], prior_therapies=[], ecog=0)
    option = _offered(result)["cpx-351-aml"]
    assert any("less specific" in c and "TAML" in c for c in option.caveats)


def test_ecog_3_cautions_cpx_351_as_intensive_induction(recommend):
    result = recommend(cancer_type="AML with myelodysplasia-related changes", stage="newly diagnosed", mutations=["FLT3 not detected", "IDH1 not detected"], prior_therapies=[], ecog=3)
    option = _offered(result)["cpx-351-aml"]
    assert any("Confirm fitness for intensive chemotherapy" in c for c in option.caveats)


def test_who_entities_that_name_their_lesion_meet_the_menin_inhibitor_criterion(recommend):
    relapse = [{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}]
    npm1 = recommend(cancer_type="AML with mutated NPM1", stage="relapsed", mutations=["FLT3 not detected", "IDH1 not detected", "IDH2 not detected", "KMT2A rearrangement not detected"], prior_therapies=relapse)
    assert {"revumenib-acute-leukaemia", "ziftomenib-aml"} <= set(_offered(npm1))
    assert "No NPM1 result was given" not in _missing(npm1)
    for code in ("AMLMLLT3KMT2A", "BLLKMT2A", "MPALKMT2A"):
        kmt2a = recommend(cancer_type=code, stage="relapsed", prior_therapies=relapse)
        offered = _offered(kmt2a)
        assert offered["revumenib-acute-leukaemia"].indication_id == "revumenib-kmt2a-acute-leukaemia-relapsed-refractory", code
        assert "ziftomenib-aml" not in offered, code


def test_qtc_prolongation_cautions_revumenib(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=_with("KMT2A rearrangement"), prior_therapies=AFTER_7_3, conditions=["QTc prolongation"])
    option = _offered(result)["revumenib-acute-leukaemia"]
    assert any("QTc interval prolongation and torsades de pointes" in c for c in option.caveats)
