"""Session 10: a pending driver result that would rule out checkpoint inhibitors says so on every option it concerns,
and the driver-status criteria name a pending result as pending, not as "not reported"."""

from __future__ import annotations

import pytest

ICI = ("pembrolizumab", "atezolizumab", "cemiplimab", "nivolumab", "durvalumab")


def _mentions(option, gene: str) -> bool:  # type: ignore[no-untyped-def]
    return any(gene in caveat and ("pending" in caveat or "equivocal" in caveat) for caveat in option.caveats)


@pytest.mark.parametrize(("entry", "gene"), [("ROS1 fusion pending", "ROS1"), ("RET fusion equivocal", "RET"), ("ALK fusion pending", "ALK")])
def test_every_checkpoint_inhibitor_option_says_what_a_pending_fusion_would_change(recommend, entry, gene):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=[entry], pd_l1={"tps": 60}, prior_therapies=[])
    with_ici = [o for o in result.options if any(d in ICI for d in o.drugs)]
    without = [o for o in result.options if not any(d in ICI for d in o.drugs)]
    assert with_ici and without
    assert all(_mentions(o, gene) for o in with_ici), [o.id for o in with_ici if not _mentions(o, gene)]
    assert not any(_mentions(o, gene) for o in without)


def test_the_caveat_is_said_once_per_option(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["ROS1 fusion pending"], pd_l1={"tps": 60}, prior_therapies=[])
    for option in result.options:
        assert sum("ROS1" in caveat for caveat in option.caveats) <= 1, option.caveats


def test_a_fusion_tested_negative_or_never_sent_adds_no_caveat(recommend):
    for mutations in (["ROS1 fusion not detected"], []):
        result = recommend(cancer_type="LUAD", stage="IV", mutations=mutations, pd_l1={"tps": 60}, prior_therapies=[])
        assert not any("if it is detected, this regimen is not for this patient" in c for o in result.options for c in o.caveats)


def test_a_pending_driver_is_named_pending_in_the_driver_status_criterion(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR pending"], pd_l1={"tps": 60}, prior_therapies=[])
    findings = {r.finding for o in result.options for r in o.rationale if r.criterion == "driver status" and "EGFR" in r.finding}
    assert findings == {"EGFR result pending"}
    # the answer's own reason for being provisional says the same, not "status not reported"
    assert any(r.startswith("EGFR result pending:") for r in result.provisional_reasons)
    assert not any(r.startswith("EGFR status not reported") for r in result.provisional_reasons)


@pytest.mark.parametrize("cancer_type", ["head and neck mucosal melanoma", "anorectal mucosal melanoma", "mucosal melanoma of the vulva/vagina"])
def test_mucosal_melanoma_is_offered_the_melanoma_checkpoint_inhibitors(recommend, cancer_type):
    result = recommend(cancer_type=cancer_type, stage="IV", mutations=["BRAF not detected"], prior_therapies=[])
    assert {"nivolumab-ipilimumab-melanoma", "nivolumab-melanoma", "pembrolizumab-melanoma"} <= {o.id for o in result.options}
    assert result.coverage.covered


def test_a_kit_mutant_mucosal_melanoma_is_offered_imatinib(recommend):
    result = recommend(cancer_type="anorectal mucosal melanoma", stage="IV", mutations=["KIT L576P"], prior_therapies=[])
    assert "imatinib-kit-melanoma" in {o.id for o in result.options}


def test_a_site_that_also_holds_a_mucosal_melanoma_is_not_given_melanoma_regimens(recommend):
    result = recommend(cancer_type="bowel", stage="IV", prior_therapies=[])
    assert result.options  # the colorectal options, with the caveat that bowel is less specific
    assert not any("melanoma" in o.id for o in result.options)
    assert not any("melanoma" in r.id for g in result.exclusion_groups for r in g.regimens)


def test_palbociclib_fulvestrant_after_progression_on_an_aromatase_inhibitor(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["letrozole (progression)"])
    [option] = [o for o in result.options if o.id == "palbociclib-fulvestrant-breast"]
    assert all(c.dose for c in option.components) and option.evidence


@pytest.mark.parametrize("entry", ["PIK3CA H1047R", "PIK3CA p.Glu545Lys", "PIK3CA mutated"])
def test_alpelisib_fulvestrant_for_a_pik3ca_mutation_after_endocrine_therapy(recommend, entry):
    result = recommend(
        cancer_type="breast cancer", stage="IV", biomarkers=["ER positive", "HER2 negative"], mutations=[entry], prior_therapies=["letrozole (progression)"]
    )
    [option] = [o for o in result.options if o.id == "alpelisib-fulvestrant-breast"]
    assert {c.drug: c.dose for c in option.components}["alpelisib"].startswith("300 mg")


@pytest.mark.parametrize("entry", ["PIK3CA not detected", "PIK3CA H1047L"])  # tested negative; a variant the knowledge does not hold
def test_alpelisib_is_not_offered_without_a_pik3ca_mutation_it_acts_on(recommend, entry):
    result = recommend(
        cancer_type="breast cancer", stage="IV", biomarkers=["ER positive", "HER2 negative"], mutations=[entry], prior_therapies=["letrozole (progression)"]
    )
    assert "alpelisib-fulvestrant-breast" not in {o.id for o in result.options}
    assert "palbociclib-fulvestrant-breast" in {o.id for o in result.options}


def test_everolimus_exemestane_after_a_nonsteroidal_aromatase_inhibitor_with_the_cdk46_caveat(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["palbociclib + letrozole (progression)"])
    [option] = [o for o in result.options if o.id == "everolimus-exemestane-breast"]
    assert {c.drug: c.dose for c in option.components} == {"everolimus": "10 mg orally once daily", "exemestane": "25 mg orally once daily"}
    assert any("CDK4/6" in c for c in option.caveats)
    after_tamoxifen = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["tamoxifen (progression)"])
    assert "everolimus-exemestane-breast" not in {o.id for o in after_tamoxifen.options}


def test_a_regimen_that_progressed_is_not_offered_again_whole(recommend):
    after = [{"drugs": ["ribociclib", "fulvestrant"], "outcome": "progression", "line": 1}]
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=after)
    offered = {o.id for o in result.options}
    assert "ribociclib-fulvestrant-breast" not in offered and "fulvestrant-breast" not in offered
    # palbociclib + fulvestrant after a CDK4/6 inhibitor is left out for its own reason (PACE), not as "the same regimen"
    assert "palbociclib-fulvestrant-breast" not in offered
    [pace] = [g for g in result.exclusion_groups if "palbociclib-fulvestrant-breast" in {r.id for r in g.regimens}]
    assert "PACE" in pace.reason
    [group] = [g for g in result.exclusion_groups if "ribociclib-fulvestrant-breast" in {r.id for r in g.regimens}]
    assert "the same regimen" in group.reason or "fulvestrant" in group.reason


def test_fulvestrant_alone_after_an_aromatase_inhibitor(recommend):
    result = recommend(cancer_type="breast cancer", stage="IV", biomarkers=["HR positive", "HER2 negative"], prior_therapies=["palbociclib + letrozole (progression)"])
    [option] = [o for o in result.options if o.id == "fulvestrant-breast"]
    assert option.components[0].dose.startswith("500 mg")
