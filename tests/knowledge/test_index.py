"""The indexes compiled at load answer as a scan of the whole knowledge would, and the caches stay bounded."""

from __future__ import annotations

import pytest

from service.knowledge.index import KnowledgeBase

TYPES = ["NSCLC", "LUAD", "LUSC", "CML", "CCRCC", "GIST", "HCC", "BRCA", "PAAD", "AML", "LUNG"]


@pytest.mark.parametrize("code", TYPES)
def test_resistance_rules_for_a_type_are_those_for_every_type_or_one_above_it(kb: KnowledgeBase, code: str) -> None:
    scanned = [r for r in kb.source.rules.resistance if not r.cancer_types or any(kb.is_within(code, c) for c in r.cancer_types)]
    assert list(kb.resistance_rules_for(code)) == scanned


@pytest.mark.parametrize("code", TYPES)
def test_patient_rules_concerning_an_indication_hold_for_the_type(kb: KnowledgeBase, code: str) -> None:
    """Rules for every type, a type above this one, or a subtype this one may be (LUNG may be NSCLC)."""
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            scanned = [
                rule
                for rule in kb.patient_rules_for(regimen.id, indication.id)
                if not rule.cancer_types  # type: ignore[attr-defined]
                or any(kb.is_within(code, c) or kb.is_within(c, code) for c in rule.cancer_types)  # type: ignore[attr-defined]
            ]
            assert list(kb.patient_rules_concerning(regimen.id, indication.id, code)) == scanned


def test_regimens_of_exactly_a_drug_set_have_those_drugs_and_no_class_component(kb: KnowledgeBase) -> None:
    for regimen in kb.regimens.values():
        found = kb.regimens_of_exactly(frozenset(regimen.drugs))
        assert (regimen in found) == (not regimen.component_classes)
        assert all(set(r.drugs) == set(regimen.drugs) and not r.component_classes for r in found)


def test_cached_computes_once_per_argument_and_stays_bounded(kb: KnowledgeBase) -> None:
    calls: list[str] = []

    def compute(term: str) -> str:
        calls.append(term)
        return term.upper()

    cached = kb.cached("test-bounded", compute, maxsize=2)
    assert [cached("a"), cached("a"), cached("b")] == ["A", "A", "B"]
    assert calls == ["a", "b"]
    cached("c")  # evicts "a", the least recently used
    cached("a")
    assert calls == ["a", "b", "c", "a"]
    assert cached.cache_info().currsize == 2  # type: ignore[attr-defined]
    assert kb.cached("test-bounded", lambda term: "other") is cached


def test_cached_keeps_only_the_answers_it_is_allowed_to(kb: KnowledgeBase) -> None:
    calls: list[str] = []

    def compute(term: str) -> bool:
        calls.append(term)
        return term == "known"

    cached = kb.cached("test-keep", compute, keep=bool)
    for term in ("known", "known", "free text", "free text"):
        cached(term)
    assert calls == ["known", "free text", "free text"]
    assert len(cached) == 1
    assert cached.holds("known") and not cached.holds("free text")
