"""Issue 10, item 5: no option is shown whose own notes, caveats or cautions contradict its patient's input. The walk
of scripts/safety_audit.py runs over every golden profile."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from schemas.requests import PatientProfileInput
from service.engine.normalise import normalise_profile
from service.engine.recommend import recommend_for

ROOT = Path(__file__).resolve().parents[2]
PROFILES = json.loads((ROOT / "tests" / "golden" / "profiles.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def audit():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("safety_audit", ROOT / "scripts" / "safety_audit.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_no_golden_option_says_the_opposite_of_its_patient(kb, audit):
    found = []
    for name, body in PROFILES.items():
        request = PatientProfileInput.model_validate(body)
        profile = normalise_profile(kb, request)
        for option in recommend_for(kb, request).options:
            if hits := audit.note_contradictions(profile, option):
                found.append((name, option.id, hits))
    assert found == []


@pytest.mark.parametrize(
    ("profile", "text"),
    [
        ({"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR::ABL1 T315I"]}, "No activity against T315I."),
        ({"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR L858R"]}, "Studied in EGFR-negative disease."),
        ({"cancer_type": "LUAD", "stage": "IV", "mutations": ["ALK not detected"]}, "For ALK-positive NSCLC."),
        ({"cancer_type": "GIST", "stage": "metastatic", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}, "In imatinib-naive GIST."),
    ],
)
def test_the_walk_flags_a_note_that_contradicts_the_input(kb, audit, profile, text):
    option = SimpleNamespace(notes=text, caveats=[], cautions=[])
    assert audit.note_contradictions(normalise_profile(kb, PatientProfileInput.model_validate(profile)), option)


def test_the_walk_flags_a_not_reported_caveat_for_a_gene_that_was_reported(kb, audit):
    profile = normalise_profile(kb, PatientProfileInput.model_validate({"cancer_type": "COADREAD", "stage": "IV", "mutations": ["KRAS G12D"]}))
    option = SimpleNamespace(notes="", caveats=["driver status: KRAS/NRAS status not reported"], cautions=[])
    assert audit.note_contradictions(profile, option)
