"""Every input reader over the whole of Unicode: nothing a caller writes makes the engine raise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from schemas.requests import BiomarkerInput, MedicationInput, MutationInput, PatientProfileInput, PriorTherapyInput
from service.engine.normalise import normalise_profile
from service.engine.recommend import recommend_for
from service.knowledge.index import KnowledgeBase
from tests.support import curated_knowledge

# Every code point the contract admits, unassigned ones and controls included; lone surrogates are refused
# before any reader sees them (test_the_contract_refuses_lone_surrogates).
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
# Characters whose case mapping or folding leaves ASCII, or lands on it (ſ -> s, ı/İ -> i, K -> k, ß -> ss).
CASE_TRAPS = st.sampled_from("\u017f\u0131\u0130\u212a\u212b\u00df\u1e9e\ufb00\ufb01\ufb05\u0345\u03c2\u1fbe")

kb = curated_knowledge()


def _vocabulary(base: KnowledgeBase) -> list[str]:
    words = {"exon", "del", "ins", "skipping", "fusion", "amp", "not", "detected", "negative", "p.", "ser", "ile", "stage"}
    words.update(base.gene_terms, base.drug_terms, base.biomarker_terms, base.cancer_type_terms, base.combination_terms)
    for terms in base.alteration_terms.values():
        words.update(terms)
    return sorted(words)


VOCABULARY = _vocabulary(kb)


def text(max_size: int) -> st.SearchStrategy[str]:
    """Known words, case traps and arbitrary code points, mixed: reaches past the first lookup."""
    piece = st.one_of(st.sampled_from(VOCABULARY), CASE_TRAPS, st.text(ANY_CHARACTER, min_size=1, max_size=8))
    separator = st.sampled_from([" ", "-", "::", "/", "+", ",", "", "\u00a0", "\u3000"])
    return (
        st.lists(st.tuples(piece, separator), min_size=1, max_size=6)
        .map(lambda parts: "".join(p + s for p, s in parts)[:max_size])
        .filter(bool)
    )


MUTATION = st.one_of(
    text(200),
    st.builds(MutationInput, gene=text(40), status=st.sampled_from(["detected", "not detected"])),
    st.builds(MutationInput, gene=text(40), alteration=text(100), status=st.sampled_from(["detected", "not detected"])),
)
PRIOR = st.one_of(text(200), st.builds(PriorTherapyInput, drugs=st.lists(text(100), min_size=1, max_size=3)))
MEDICATION = st.one_of(
    text(200), st.builds(MedicationInput, name=text(100)), st.builds(MedicationInput, name=text(100), formulation=text(60))
)
PROFILE = st.fixed_dictionaries(
    {
        "cancer_type": st.one_of(st.sampled_from(["NSCLC", "CML", "GIST", "kidney cancer"]), text(100)),
        "mutations": st.lists(MUTATION, max_size=3),
        "biomarkers": st.lists(st.builds(BiomarkerInput, name=text(40), status=text(40)), max_size=2),
        "current_medications": st.lists(MEDICATION, max_size=3),
    },
    optional={"stage": text(60), "prior_therapies": st.lists(PRIOR, max_size=2)},
).map(lambda fields: PatientProfileInput(**fields))
READERS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(profile: PatientProfileInput) -> None:
    normalised = normalise_profile(kb, profile)
    understood = normalised.understood
    # every entry comes back, as it was read: nothing dropped (an entry may name several variants, and the
    # cancer type or stage may state more)
    assert len(understood.mutations) >= len(profile.mutations)
    assert len(understood.current_medications) == len(profile.current_medications)
    assert len(understood.biomarkers) >= len(profile.biomarkers)


@pytest.mark.parametrize("mutation", ["EGFR \u017fer768Ile", "KIT \u0131le563Ser", "KIT \u0130le563Ser", "ABL1 \u0131le"])
def test_case_folding_letters_in_a_mutation_do_not_crash(mutation):
    # each letter maps to s or i under a case-insensitive Unicode regex: "ſer" once met the three-letter table as a KeyError
    profile = PatientProfileInput(cancer_type="NSCLC", mutations=[mutation])
    _read(profile)
    recommend_for(kb, profile)


@pytest.mark.parametrize("field", ["cancer_type", "stage"])
def test_the_contract_refuses_lone_surrogates(field):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        PatientProfileInput.model_validate({"cancer_type": "NSCLC", field: "EGFR \ud800"})


@READERS
@given(cancer_type=text(100))
def test_cancer_type_reader(cancer_type):
    _read(PatientProfileInput(cancer_type=cancer_type))


@READERS
@given(stage=text(60))
def test_stage_reader(stage):
    _read(PatientProfileInput(cancer_type="NSCLC", stage=stage))


@READERS
@given(mutation=MUTATION)
@example(mutation="EGFR \u017fer768\u0131le")
@example(mutation="KIT exon \u0661\u0661 deletion")
def test_mutation_reader(mutation):
    _read(PatientProfileInput(cancer_type="NSCLC", mutations=[mutation]))


@READERS
@given(name=text(40), status=text(40))
def test_biomarker_reader(name, status):
    _read(PatientProfileInput(cancer_type="NSCLC", biomarkers=[BiomarkerInput(name=name, status=status)]))


@READERS
@given(medication=MEDICATION)
def test_drug_reader(medication):
    _read(PatientProfileInput(cancer_type="NSCLC", current_medications=[medication]))


@READERS
@given(prior=PRIOR)
def test_prior_therapy_reader(prior):
    _read(PatientProfileInput(cancer_type="CML", prior_therapies=[prior]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=PROFILE)
def test_whole_profile_through_the_engine(profile):
    recommend_for(kb, profile)
