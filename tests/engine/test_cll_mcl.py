"""CLL/SLL and mantle cell lymphoma: BTK inhibitors, venetoclax, BTK C481 resistance and a withdrawn MCL approval."""

from __future__ import annotations

from tests.engine.answers import option_ids


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


COVALENT_BTK_REGIMENS = {"ibrutinib-cll", "acalabrutinib-cll", "zanubrutinib-cll", "acalabrutinib-obinutuzumab-cll"}


def test_first_line_cll_offers_btk_inhibitors_and_the_fixed_duration_non_tki_standard(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", biomarkers=["del(17p) not detected"])
    ids = option_ids(result)
    assert {"ibrutinib-cll", "acalabrutinib-cll", "acalabrutinib-obinutuzumab-cll", "zanubrutinib-cll"} <= set(ids)
    standard = next(o for o in result.options if o.id == "venetoclax-obinutuzumab-cll")
    assert standard.contains_tki is False
    assert "pirtobrutinib-cll" not in ids  # it needs a prior covalent BTK inhibitor


def test_ibrutinib_venetoclax_is_never_shown_as_fda_approved_and_ranks_below_approved_options(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed")
    combination = next(o for o in result.options if o.id == "ibrutinib-venetoclax-cll")
    assert combination.regulatory_status == "not_fda_approved"
    assert combination.evidence_level == "2"
    assert option_ids(result).index("ibrutinib-venetoclax-cll") > max(
        option_ids(result).index(i) for i in ("ibrutinib-cll", "venetoclax-obinutuzumab-cll")
    )


def test_btk_c481s_after_ibrutinib_excludes_covalent_btk_inhibitors_and_offers_pirtobrutinib(recommend):
    result = recommend(
        cancer_type="CLL", stage="relapsed", mutations=["BTK C481S detected"], prior_therapies=[{"drugs": ["ibrutinib"], "outcome": "progression"}]
    )
    ids = option_ids(result)
    assert "pirtobrutinib-cll" in ids
    assert not COVALENT_BTK_REGIMENS & set(ids)
    for regimen in ("acalabrutinib-cll", "zanubrutinib-cll"):
        reasons = excluded(result)[regimen].reasons
        assert [r.kind for r in reasons] == ["resistance"]
        assert "C481" in reasons[0].detail and reasons[0].evidence


def test_btk_c481s_reported_pending_does_not_exclude_but_cautions(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", mutations=["BTK C481S pending"], prior_therapies=["acalabrutinib"])
    assert "zanubrutinib-cll" in option_ids(result)
    assert "zanubrutinib-cll" not in excluded(result)


def test_pirtobrutinib_cll_requires_a_prior_covalent_btk_inhibitor(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["venetoclax", "obinutuzumab"], "outcome": "progression"}])
    assert "pirtobrutinib-cll" not in option_ids(result)
    assert {"zanubrutinib-cll", "venetoclax-rituximab-cll"} <= set(option_ids(result))


def test_zanubrutinib_ranks_above_ibrutinib_in_relapsed_cll_by_alpine(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["venetoclax", "obinutuzumab"], "outcome": "progression"}])
    ids = option_ids(result)
    assert ids.index("zanubrutinib-cll") < ids.index("ibrutinib-cll")


def test_withdrawn_ibrutinib_mcl_indication_is_not_offered_and_says_withdrawn(recommend):
    result = recommend(cancer_type="mantle cell lymphoma", stage="relapsed", prior_therapies=["bendamustine + rituximab"])
    assert "ibrutinib-mcl" not in option_ids(result)
    assert "acalabrutinib-mcl" in option_ids(result)
    reason = excluded(result)["ibrutinib-mcl"]
    assert [r.kind for r in reason.reasons] == ["withdrawn"]
    assert "withdrawn on 2023-04-06" in reason.reason


def test_mcl_after_a_btk_inhibitor_offers_pirtobrutinib_only_from_the_third_line(recommend):
    after_two = recommend(cancer_type="MCL", stage="relapsed", prior_therapies=["bendamustine + rituximab", "acalabrutinib"])
    assert "pirtobrutinib-mcl" in option_ids(after_two)
    after_one = recommend(cancer_type="MCL", stage="relapsed", prior_therapies=["acalabrutinib"])
    assert "pirtobrutinib-mcl" not in option_ids(after_one)


def test_first_line_mcl_offers_acalabrutinib_with_bendamustine_rituximab(recommend):
    result = recommend(cancer_type="MCL", stage="newly diagnosed")
    assert "acalabrutinib-bendamustine-rituximab-mcl" in option_ids(result)
    assert "acalabrutinib-mcl" not in option_ids(result)


def test_venetoclax_with_a_strong_cyp3a_inhibitor_is_contraindicated_at_initiation(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", current_medications=["posaconazole"])
    warnings = [w for w in result.interaction_warnings if w.drug == "venetoclax" and w.interacting_drug == "posaconazole"]
    assert warnings and warnings[0].severity == "contraindicated"


def test_ibrutinib_with_an_anticoagulant_warns_of_bleeding_from_the_label(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", current_medications=["apixaban"])
    warning = next(w for w in result.interaction_warnings if w.drug == "ibrutinib" and w.interacting_drug == "apixaban")
    assert warning.severity == "monitor"
    assert "haemorrhage" in warning.effect and warning.label_wording_read


def test_the_guide_asks_for_del17p_for_cll_only(kb):
    from service.web.form import form_choices

    codes = {name: codes for name, _, codes in form_choices(kb).biomarkers}
    assert "CLLSLL" in codes["del(17p)"]
    assert "LUAD" not in codes["del(17p)"]


def test_venetoclax_with_a_moderate_cyp3a_inhibitor_needs_the_dose_halved(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=["ibrutinib"], current_medications=["erythromycin"])
    warning = next(w for w in result.interaction_warnings if w.drug == "venetoclax" and w.interacting_drug == "erythromycin")
    assert warning.severity == "adjust_dose" and "50%" in (warning.dose_change or "")


def test_posaconazole_has_its_own_venetoclax_dose_after_the_ramp_up(recommend):
    result = recommend(cancer_type="CLL", stage="newly diagnosed", current_medications=["posaconazole"])
    warning = next(w for w in result.interaction_warnings if w.drug == "venetoclax" and w.interacting_drug == "posaconazole")
    assert warning.rule_level == "drug_pair" and "70 mg" in (warning.dose_change or "")


def test_chemoimmunotherapy_acronyms_count_as_prior_lines(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=["FCR", "BR"])
    assert [d.name for d in result.profile.prior_therapies[0].drugs] == ["fludarabine", "cyclophosphamide", "rituximab"]
    assert "venetoclax-rituximab-cll" in option_ids(result)
    assert not result.provisional


def test_mcl_after_progression_on_a_btk_inhibitor_excludes_acalabrutinib_with_its_reason_once(recommend):
    result = recommend(
        cancer_type="MCL",
        stage="relapsed",
        prior_therapies=[{"drugs": ["bendamustine", "rituximab"], "outcome": "progression"}, {"drugs": ["ibrutinib"], "outcome": "progression"}],
    )
    ids = option_ids(result)
    assert ids and ids[0] == "pirtobrutinib-mcl"
    assert "acalabrutinib-mcl" not in ids
    reasons = excluded(result)["acalabrutinib-mcl"].reasons
    assert [r.kind for r in reasons] == ["prior_therapy"]
    assert "have not received" in reasons[0].detail and "line 2: ibrutinib" in reasons[0].detail
    assert list(reasons[0].evidence) == ["ace-ly-004"]


def test_mcl_after_intolerance_of_another_btk_inhibitor_offers_acalabrutinib_with_the_population_caution(recommend):
    result = recommend(
        cancer_type="MCL",
        stage="relapsed",
        prior_therapies=[{"drugs": ["bendamustine", "rituximab"], "outcome": "progression"}, {"drugs": ["ibrutinib"], "outcome": "intolerance"}],
    )
    option = next(o for o in result.options if o.id == "acalabrutinib-mcl")
    assert any("stopped for intolerance" in c and "have not received a prior BTK inhibitor" in c for c in option.caveats)
    row = next(r for r in option.rationale if r.criterion == "prior therapy")
    assert "line 2: ibrutinib (stopped for intolerance)" in row.finding
    # the drug the patient could not tolerate is still not offered again
    assert "ibrutinib-mcl" in excluded(result)


def test_mcl_after_a_btk_inhibitor_with_no_outcome_stated_is_not_offered_acalabrutinib(recommend):
    result = recommend(cancer_type="MCL", stage="relapsed", prior_therapies=["bendamustine + rituximab", "zanubrutinib"])
    assert "acalabrutinib-mcl" not in option_ids(result)
    assert [r.kind for r in excluded(result)["acalabrutinib-mcl"].reasons] == ["prior_therapy"]


def test_cll_after_progression_on_a_covalent_btk_inhibitor_says_the_other_covalent_ones_were_not_checked(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["ibrutinib"], "outcome": "progression"}])
    ids = option_ids(result)
    for regimen in ("acalabrutinib-cll", "zanubrutinib-cll"):
        option = next(o for o in result.options if o.id == regimen)
        assert any(c.startswith("not checked for a prior covalent BTK inhibitor") for c in option.caveats)
        assert ids.index("pirtobrutinib-cll") < ids.index(regimen)
    pirtobrutinib = next(o for o in result.options if o.id == "pirtobrutinib-cll")
    assert not any("not checked" in c for c in pirtobrutinib.caveats)


def test_cll_relapsed_without_a_btk_inhibitor_carries_no_prior_btk_note(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["bendamustine", "rituximab"], "outcome": "progression"}])
    zanubrutinib = next(o for o in result.options if o.id == "zanubrutinib-cll")
    assert not any("not checked" in c for c in zanubrutinib.caveats)


def test_ibrutinib_intolerant_cll_gets_acalabrutinib_on_its_own_evidence_without_the_not_checked_note(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["ibrutinib"], "outcome": "intolerance"}])
    ids = [o.id for o in result.options]
    acalabrutinib = next(o for o in result.options if o.id == "acalabrutinib-cll")
    assert acalabrutinib.indication_id == "acalabrutinib-cll-after-ibrutinib-intolerance"
    assert acalabrutinib.evidence == ["acalabrutinib-ibrutinib-intolerant-cll-rogers-2021"]
    assert result.citations["acalabrutinib-ibrutinib-intolerant-cll-rogers-2021"].nct_id == "NCT02717611"
    assert not acalabrutinib.caveats
    assert ids.index("acalabrutinib-cll") < ids.index("zanubrutinib-cll")


def test_progression_on_ibrutinib_does_not_meet_the_intolerance_indication(recommend):
    result = recommend(cancer_type="CLL", stage="relapsed", prior_therapies=[{"drugs": ["ibrutinib"], "outcome": "progression"}])
    acalabrutinib = next(o for o in result.options if o.id == "acalabrutinib-cll")
    assert acalabrutinib.indication_id == "acalabrutinib-cll-relapsed"
    assert any("not checked for a prior covalent BTK inhibitor" in c for c in acalabrutinib.caveats)
