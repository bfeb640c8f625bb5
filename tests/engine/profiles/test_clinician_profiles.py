"""Profiles in the words of clinic letters and lab reports: each is accepted and read as a clinician means it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.requests import PatientProfileInput
from service.engine.normalise import normalise_profile

CASES = json.loads((Path(__file__).parent / "clinician_profiles.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_clinician_profile_is_read_as_meant(kb, case):  # type: ignore[no-untyped-def]
    profile = normalise_profile(kb, PatientProfileInput.model_validate(case["profile"]))
    expect = case["expect"]
    understood = profile.understood
    assert profile.cancer_type == expect["cancer_type"], understood.cancer_type
    if "detected" in expect:
        assert sorted(a.id for a in profile.detected) == sorted(expect["detected"])
    for alteration, status in expect.get("results", {}).items():
        assert [m.result for m in understood.mutations if m.normalised == alteration] == [status]
    for gene in expect.get("negative_genes", []):
        assert gene in profile.negative_genes
    for alteration, pairs in expect.get("allelic", {}).items():
        assert profile.allelic[alteration] == {tuple(p) for p in pairs}
    for alteration, number in expect.get("copy_number", {}).items():
        assert [m.copy_number for m in understood.mutations if m.normalised == alteration] == [number]
    for name in expect.get("gene_inferred", []):
        assert [m.gene_inferred for m in understood.mutations if m.normalised == name] == [True]
    for name, value in expect.get("biomarkers", {}).items():
        assert profile.biomarkers.get(name) == value
    not_recognised = [m for m in understood.mutations if m.status != "recognised"]
    assert len(not_recognised) == expect.get("mutation_not_recognised", 0), [m.detail for m in not_recognised]
    if "stage_recognised" in expect:
        assert (understood.stage is not None and understood.stage.status == "recognised") is expect["stage_recognised"]
    elif understood.stage is not None:
        assert understood.stage.status == "recognised", understood.stage.detail
    if "ecog" in expect:
        assert profile.ecog == expect["ecog"]
    if "brain_metastases" in expect:
        assert profile.brain_metastases == expect["brain_metastases"]
    for group in expect.get("condition_groups", []):
        assert group in profile.condition_groups
    for group in expect.get("past_condition_groups", []):
        assert group in profile.past_condition_groups and group not in profile.condition_groups
    if "prior_outcomes" in expect:
        assert [line.outcome for line in profile.prior_lines or []] == expect["prior_outcomes"]
    if "ongoing" in expect:
        assert [line.ongoing for line in profile.prior_lines or []] == expect["ongoing"]
    if "covered" in expect:
        assert profile.covered is expect["covered"]
    if "provisional" in expect:
        assert bool(profile.provisional_reasons) is expect["provisional"], profile.provisional_reasons
    if "warning" in expect:
        assert expect["warning"] in [w.code for w in profile.warnings]
    for name in ("qtc_ms", "creatinine_clearance_ml_min"):
        if name in expect:
            assert getattr(profile, name) == expect[name]
    # every entry comes back with how it was read
    for entry in [*understood.mutations, *understood.biomarkers, *understood.current_medications]:
        assert entry.read_as or entry.detail or entry.status == "recognised"
    for drug_line in understood.prior_therapies or []:
        for drug in drug_line.drugs:
            assert drug.status == "recognised", drug
