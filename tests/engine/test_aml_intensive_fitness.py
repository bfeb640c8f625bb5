"""Newly diagnosed AML and fitness for intensive induction: ECOG 3 cautions 7+3 (with or without midostaurin) and puts
venetoclax + azacitidine, studied in patients ineligible for intensive induction (VIALE-A), first."""

from __future__ import annotations

from tests.engine.answers import option, option_ids


def fitness(result, regimen_id="venetoclax-azacitidine-aml"):  # type: ignore[no-untyped-def]
    return next(c for c in option(result, regimen_id).rationale if c.criterion == "fitness for intensive chemotherapy")


def test_flt3_itd_ecog_3_gets_venetoclax_azacitidine_first_and_intensive_induction_cautioned(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[], ecog=3)
    ids = option_ids(result)
    assert ids[0] == "venetoclax-azacitidine-aml"
    assert fitness(result).result == "met"
    for intensive in ("midostaurin-daunorubicin-cytarabine", "daunorubicin-cytarabine-aml"):
        assert ids.index(intensive) > 0
        assert any("intensive induction chemotherapy" in c and "VIALE-A" in c for c in (x.detail for x in option(result, intensive).cautions)), intensive


def test_venetoclax_azacitidine_carries_its_dose_and_evidence(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 negative"], prior_therapies=[], ecog=2)
    ven = option(result, "venetoclax-azacitidine-aml")
    assert ven.evidence == ["viale-a"]
    assert result.citations["viale-a"].nct_id == "NCT02993523"
    doses = {c.drug: c.dose for c in ven.components}
    assert "400 mg once daily from day 3" in doses["venetoclax"]
    assert "75 mg/m2" in doses["azacitidine"]


def test_fit_patient_keeps_midostaurin_first_and_the_venetoclax_fitness_criterion_open(recommend):
    for ecog in (None, 0, 1):
        extra = {} if ecog is None else {"ecog": ecog}
        result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3-ITD"], prior_therapies=[], **extra)
        assert option_ids(result)[0] == "midostaurin-daunorubicin-cytarabine", ecog
        judged = fitness(result)
        assert judged.result == "unknown", ecog
        assert "age and comorbidities are not in the profile" in judged.finding, ecog
        assert not option(result, "midostaurin-daunorubicin-cytarabine").cautions, ecog


def test_ecog_4_leaves_venetoclax_fitness_open_because_viale_a_enrolled_ecog_0_to_3(recommend):
    result = recommend(cancer_type="AML", stage="newly diagnosed", mutations=["FLT3 negative"], prior_therapies=[], ecog=4)
    judged = fitness(result)
    assert judged.result == "unknown"
    assert "ECOG 0-3" in judged.finding


def test_relapsed_aml_is_not_offered_first_line_venetoclax_azacitidine(recommend):
    result = recommend(
        cancer_type="AML",
        stage="relapsed",
        mutations=["FLT3 D835Y"],
        prior_therapies=[{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}],
        ecog=3,
    )
    assert "venetoclax-azacitidine-aml" not in option_ids(result)
