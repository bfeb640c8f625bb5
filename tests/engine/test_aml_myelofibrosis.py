"""FLT3-mutated AML (ITD versus TKD) and myelofibrosis (platelet count and anaemia decide the JAK inhibitor)."""

from __future__ import annotations

from tests.engine.answers import option, option_ids


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


def withheld_ids(result):  # type: ignore[no-untyped-def]
    return [w.id for w in result.withheld]


def test_flt3_itd_newly_diagnosed_gets_midostaurin_and_quizartinib_tied_above_7_3(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[])
    ids = option_ids(result)
    assert set(ids[:2]) == {"midostaurin-daunorubicin-cytarabine", "quizartinib-chemotherapy"}
    assert option(result, "quizartinib-chemotherapy").ranking.rank == option(result, "midostaurin-daunorubicin-cytarabine").ranking.rank
    assert ids.index("daunorubicin-cytarabine-aml") > ids.index("quizartinib-chemotherapy")
    assert "quizartinib-chemotherapy" not in withheld_ids(result)
    comparator = option(result, "daunorubicin-cytarabine-aml")
    assert comparator.contains_tki is False


def test_quizartinib_shows_its_dose_per_phase_and_the_cyp3a_reduction_it_could_not_quantify(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[])
    quiz = option(result, "quizartinib-chemotherapy")
    dose = next(c.dose for c in quiz.components if c.drug == "quizartinib")
    for phase in ("days 8 to 21", "days 6 to 19", "26.5 mg", "53 mg"):
        assert phase in dose, phase
    assert "strong CYP3A inhibitor" in dose and "not read" in dose
    assert result.citations["quantum-first"].nct_id == "NCT02668653"


def test_quizartinib_with_azole_prophylaxis_warns_to_reduce_the_dose_never_silent(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[], current_medications=["posaconazole"])
    pair = next(p for p in result.interaction_pairs if p.drug == "quizartinib" and p.interacting_drug == "posaconazole")
    assert pair.status == "warning" and pair.severity == "adjust_dose" and pair.label_wording_read is True
    assert "interaction:quizartinib+posaconazole" in next(o for o in result.options if o.id == "quizartinib-chemotherapy").interactions


def test_flt3_tkd_only_gets_midostaurin_and_never_quizartinib(recommend):
    for text in ("FLT3 TKD D835Y", "FLT3 D835", "FLT3-TKD"):
        result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=[text], prior_therapies=[])
        assert "midostaurin-daunorubicin-cytarabine" in option_ids(result), text
        assert "quizartinib-chemotherapy" not in option_ids(result) + withheld_ids(result), text


def test_flt3_itd_written_with_a_hyphen_is_the_itd_not_a_fusion(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[])
    assert result.profile.mutations[0].normalised == "FLT3 ITD"


def test_flt3_negative_aml_gets_the_chemotherapy_standard_and_no_flt3_inhibitor(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 negative"], prior_therapies=[])
    # the low-intensity options follow, their fitness criterion open (age and comorbidities are not in the profile)
    ids = option_ids(result)
    assert ids[0] == "daunorubicin-cytarabine-aml" and "venetoclax-azacitidine-aml" in ids
    assert not {"midostaurin-daunorubicin-cytarabine", "quizartinib-chemotherapy", "gilteritinib-aml"} & set(ids)


def test_relapsed_flt3_aml_gets_gilteritinib_with_the_azole_warning(recommend):
    result = recommend(
        cancer_type="AML",
        stage="relapsed",
        mutations=["FLT3 D835Y"],
        prior_therapies=[{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}],
        current_medications=["posaconazole 300 mg daily"],
    )
    assert option_ids(result) == ["gilteritinib-aml"]
    pair = next(p for p in result.interaction_pairs if p.drug == "gilteritinib" and p.interacting_drug == "posaconazole")
    assert pair.status == "warning" and pair.severity == "avoid"


def test_midostaurin_with_posaconazole_is_monitored_and_with_rifampin_avoided(recommend):
    result = recommend(
        cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[], current_medications=["posaconazole", "rifampin"]
    )
    severities = {p.interacting_drug: p.severity for p in result.interaction_pairs if p.drug == "midostaurin"}
    assert severities == {"posaconazole": "monitor", "rifampin": "avoid"}


# the risk category every JAK inhibitor indication here requires (intermediate or high)
HIGH_RISK = ["DIPSS high"]


def test_myelofibrosis_platelets_200_gets_ruxolitinib_at_the_label_band_dose(recommend):
    result = recommend(cancer_type="myelofibrosis", biomarkers=HIGH_RISK, blood_counts={"platelets": 200}, prior_therapies=[])
    assert {"ruxolitinib-myelofibrosis", "fedratinib-myelofibrosis"} <= set(option_ids(result))
    ruxolitinib = option(result, "ruxolitinib-myelofibrosis")
    assert ruxolitinib.components[0].dose.startswith("15 mg orally twice daily")
    assert excluded(result)["pacritinib-myelofibrosis"].reasons[0].kind == "blood_count"


def test_ruxolitinib_dose_follows_each_platelet_band(recommend):
    for platelets, dose in ((250, "20 mg"), (150, "15 mg"), (75, "5 mg")):
        result = recommend(cancer_type="PMF", biomarkers=HIGH_RISK, blood_counts={"platelets": platelets}, prior_therapies=[])
        assert option(result, "ruxolitinib-myelofibrosis").components[0].dose.startswith(dose), platelets


def test_myelofibrosis_platelets_40_gets_pacritinib_and_not_ruxolitinib_or_fedratinib(recommend):
    result = recommend(cancer_type="myelofibrosis", biomarkers=HIGH_RISK, blood_counts={"platelets": 40}, prior_therapies=[])
    assert "pacritinib-myelofibrosis" in option_ids(result)
    for regimen in ("ruxolitinib-myelofibrosis", "fedratinib-myelofibrosis"):
        assert regimen not in option_ids(result)
        assert excluded(result)[regimen].reasons[0].kind == "blood_count"


def test_anaemic_or_transfusion_dependent_myelofibrosis_gets_momelotinib(recommend):
    for counts in ({"platelets": 120, "haemoglobin": "85 g/L"}, {"platelets": 120, "haemoglobin": 11.5, "transfusion_dependent": "yes"}):
        result = recommend(cancer_type="ETMF", biomarkers=HIGH_RISK, blood_counts=counts, prior_therapies=[])
        momelotinib = option(result, "momelotinib-myelofibrosis")
        assert all(c.result == "met" for c in momelotinib.rationale if c.criterion == "blood counts"), counts


def test_momelotinib_is_not_offered_without_anaemia(recommend):
    result = recommend(cancer_type="PMF", biomarkers=HIGH_RISK, blood_counts={"platelets": 120, "haemoglobin": 13.1, "transfusion_dependent": "no"}, prior_therapies=[])
    assert "momelotinib-myelofibrosis" not in option_ids(result)
    assert excluded(result)["momelotinib-myelofibrosis"].reasons[0].kind == "blood_count"


def test_missing_blood_counts_leave_the_criteria_unevaluated_and_say_so(recommend):
    result = recommend(cancer_type="PMF", biomarkers=HIGH_RISK, prior_therapies=[])
    ruxolitinib = option(result, "ruxolitinib-myelofibrosis")
    criterion = next(c for c in ruxolitinib.rationale if c.criterion == "blood counts")
    assert criterion.result == "unknown" and "platelets not given" in criterion.finding
    # with the count unknown, the lowest starting dose of the label's bands is the one shown
    assert ruxolitinib.components[0].dose.startswith("5 mg")
    assert any("platelets not given" in w.message for w in result.warnings)


def test_an_unreadable_blood_count_is_reported_and_makes_the_answer_provisional(recommend):
    result = recommend(cancer_type="PMF", biomarkers=HIGH_RISK, blood_counts={"platelets": "low"}, prior_therapies=[])
    assert result.provisional
    assert any(w.code == "blood_count_not_recognised" and w.field == "blood_counts.platelets" for w in result.warnings)
    ruxolitinib = option(result, "ruxolitinib-myelofibrosis")
    criterion = next(c for c in ruxolitinib.rationale if c.criterion == "blood counts")
    assert "platelets not recognised" in criterion.finding


def test_myelofibrosis_without_a_risk_category_offers_the_jak_inhibitors_with_a_caveat_to_grade_it(recommend):
    # the risk category is a clinical grading the team makes, not a test sent out: offered with the caveat
    result = recommend(cancer_type="PMF", blood_counts={"platelets": 250}, prior_therapies=[])
    ruxolitinib = option(result, "ruxolitinib-myelofibrosis")
    criterion = next(c for c in ruxolitinib.rationale if c.criterion == "biomarker")
    assert criterion.result == "unknown" and "MF risk" in criterion.requirement
    assert any("MF risk" in c for c in ruxolitinib.caveats)
    assert not any(w.code == "result_not_given" for w in result.warnings)
    assert "pacritinib-myelofibrosis" not in option_ids(result)  # platelets 250 are outside its studied range


def test_pacritinib_is_contraindicated_with_a_strong_cyp3a4_inhibitor(recommend):
    result = recommend(cancer_type="PMF", biomarkers=HIGH_RISK, blood_counts={"platelets": 30}, prior_therapies=[], current_medications=["voriconazole"])
    pair = next(p for p in result.interaction_pairs if p.drug == "pacritinib" and p.interacting_drug == "voriconazole")
    assert pair.severity == "contraindicated"


def test_low_risk_myelofibrosis_gets_no_jak_inhibitor_and_fedratinib_needs_intermediate_2(recommend):
    low = recommend(cancer_type="PMF", stage="DIPSS low", blood_counts={"platelets": 250}, prior_therapies=[])
    assert option_ids(low) == []
    assert excluded(low)["ruxolitinib-myelofibrosis"].reasons[0].kind == "biomarker"
    int1 = recommend(cancer_type="PMF", stage="DIPSS intermediate-1", blood_counts={"platelets": 250}, prior_therapies=[])
    assert "ruxolitinib-myelofibrosis" in option_ids(int1)
    assert "fedratinib-myelofibrosis" not in option_ids(int1)
    int2 = recommend(cancer_type="PMF", biomarkers=["DIPSS intermediate-2"], blood_counts={"platelets": 250}, prior_therapies=[])
    assert {"ruxolitinib-myelofibrosis", "fedratinib-myelofibrosis"} <= set(option_ids(int2))


def test_flt3_mutation_with_the_type_not_stated_gets_midostaurin_but_not_quizartinib(recommend):
    for text in ("FLT3 positive", "FLT3 mutated", "FLT3 mutation-positive"):
        result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=[text], prior_therapies=[])
        assert result.profile.mutations[0].normalised == "FLT3 mutation, type not stated", text
        assert "midostaurin-daunorubicin-cytarabine" in option_ids(result), text
        assert "quizartinib-chemotherapy" not in option_ids(result) + withheld_ids(result), text


def test_relapsed_flt3_aml_without_its_prior_lines_is_still_shown_gilteritinib_with_the_line_caveat(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["FLT3-ITD"])
    assert option_ids(result) == ["gilteritinib-aml"]
    assert any("first line assumed" in c for c in option(result, "gilteritinib-aml").caveats)


def _result_warnings(result):  # type: ignore[no-untyped-def]
    # the FLT3 ones: IDH1, IDH2, NPM1 and KMT2A results are asked for too (tests/engine/test_heme_s6.py)
    return [w.message for w in result.warnings if w.code == "result_not_given" and "FLT3" in w.message.split(":", 1)[0]]


def test_newly_diagnosed_aml_without_a_flt3_result_is_provisional_and_names_what_depends_on_it(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", prior_therapies=[])
    assert result.provisional and "no FLT3 result was given" in result.provisional_reasons
    [message] = _result_warnings(result)
    assert "Midostaurin" in message and "Quizartinib" in message and "withheld" not in message


def test_relapsed_aml_without_a_flt3_result_names_gilteritinib(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", prior_therapies=[{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}])
    [message] = _result_warnings(result)
    assert "Gilteritinib" in message and "Midostaurin" not in message


def test_aml_with_flt3_tested_negative_gives_no_result_warning(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 not detected"], prior_therapies=[])
    assert not _result_warnings(result) and not any("FLT3" in r for r in result.provisional_reasons)


def test_aml_with_only_itd_tested_negative_names_midostaurin_but_not_quizartinib(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD not detected"], prior_therapies=[])
    [message] = _result_warnings(result)
    assert "Midostaurin" in message and "Quizartinib" not in message and result.provisional


def test_aml_with_flt3_pending_names_what_waits_on_it(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 pending"], prior_therapies=[])
    [message] = _result_warnings(result)
    assert message.startswith("FLT3 is pending") and "Midostaurin" in message
    assert result.provisional_reasons.count("FLT3 is pending") == 1


def test_aml_with_flt3_itd_detected_gives_no_result_warning(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[])
    assert not _result_warnings(result)


def test_a_clinical_grading_not_given_is_a_caveat_while_a_tumour_test_not_given_keeps_the_option_out(recommend):
    hcc = recommend(cancer_type="HCC", stage="IV", prior_therapies=[])
    atezo_bev = option(hcc, "atezolizumab-bevacizumab")
    assert any("Child-Pugh" in c for c in atezo_bev.caveats)
    crc = recommend(cancer_type="COADREAD", stage="IV", prior_therapies=[])
    assert "pembrolizumab-crc-msi-high" not in option_ids(crc)
    assert any(w.code == "result_not_given" and "MSI" in w.message for w in crc.warnings)
