"""BCR::ABL1 kinase-domain mutations, mutation x TKI, as the sources read state them (ELN 2011 mutation recommendations,
the Blood 2009 second-line selection abstract and the Blood review tables)."""

from __future__ import annotations

import pytest

AFTER_IMATINIB = [{"drugs": ["imatinib"], "outcome": "progression"}]
TKI_REGIMENS = {"dasatinib": "dasatinib-cml", "nilotinib": "nilotinib-cml", "bosutinib": "bosutinib-cml"}

# (mutation, TKI, "excluded" | "offered"): each row is a statement of a table read
TABLE = [
    ("V299L", "dasatinib", "excluded"),
    ("V299L", "bosutinib", "excluded"),
    ("V299L", "nilotinib", "offered"),
    ("T315A", "dasatinib", "excluded"),
    ("T315A", "nilotinib", "offered"),
    ("F317L", "dasatinib", "excluded"),
    ("F317V", "dasatinib", "excluded"),
    ("F317I", "dasatinib", "excluded"),
    ("F317C", "dasatinib", "excluded"),
    ("F317L", "nilotinib", "offered"),
    ("Y253H", "nilotinib", "excluded"),
    ("E255K", "nilotinib", "excluded"),
    ("E255V", "nilotinib", "excluded"),
    ("F359V", "nilotinib", "excluded"),
    ("F359C", "nilotinib", "excluded"),
    ("F359I", "nilotinib", "excluded"),
    ("Y253H", "dasatinib", "offered"),
    ("E255K", "dasatinib", "offered"),
    ("F359V", "dasatinib", "offered"),
    ("T315I", "dasatinib", "excluded"),
    ("T315I", "nilotinib", "excluded"),
    ("T315I", "bosutinib", "excluded"),
]


@pytest.mark.parametrize(("mutation", "tki", "expected"), TABLE)
def test_kinase_domain_mutation_against_each_tki(recommend, mutation, tki, expected):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=[f"BCR-ABL1 {mutation}"], prior_therapies=AFTER_IMATINIB)
    regimen = TKI_REGIMENS[tki]
    offered = {o.id: o for o in result.options}
    excluded = {n.id: n for n in result.not_recommended}
    if expected == "excluded":
        assert regimen not in offered
        assert {r.kind for r in excluded[regimen].reasons} >= {"resistance"}
        assert mutation in excluded[regimen].reason
    else:
        assert regimen in offered
        assert not [c for c in offered[regimen].caveats if c.startswith(f"not checked for BCR::ABL1 {mutation}")]


def test_v299l_after_imatinib_offers_nilotinib_first_with_a_cited_reason(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 V299L"], prior_therapies=AFTER_IMATINIB)
    assert [o.id for o in result.options] == ["nilotinib-cml"]
    dasatinib = next(n for n in result.not_recommended if n.id == "dasatinib-cml")
    assert "nilotinib" in dasatinib.alternatives
    assert any(result.citations[e].doi == "10.1182/blood-2010-12-326405" for e in dasatinib.evidence)


def test_ph_all_with_v299l_is_not_offered_dasatinib(recommend):
    result = recommend(cancer_type="BLLBCRABL1", mutations=["BCR-ABL1 V299L"], prior_therapies=AFTER_IMATINIB)
    assert not [o for o in result.options if "dasatinib" in o.drugs or "bosutinib" in o.drugs]


def test_exclusion_reasons_are_read_once_per_reason(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", mutations=["BCR-ABL1 V299L"], prior_therapies=AFTER_IMATINIB)
    for item in result.not_recommended:
        details = [r.detail for r in item.reasons]
        assert len(details) == len(set(details)), item.id
