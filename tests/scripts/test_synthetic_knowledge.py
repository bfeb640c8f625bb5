"""The benchmark's synthetic knowledge base: ten times the curated one, valid, and silent for real patients."""

from __future__ import annotations

from functools import lru_cache

from schemas.requests import PatientProfileInput
from scripts.synthetic_knowledge import scaled_knowledge
from service.engine.recommend import recommend_for
from service.knowledge.index import KnowledgeBase
from service.knowledge.source import check_cross_references
from tests.support import curated_knowledge


@lru_cache(maxsize=1)
def _tenfold() -> KnowledgeBase:
    return scaled_knowledge(curated_knowledge(), 10)


def test_tenfold_knowledge_has_ten_times_the_records() -> None:
    real, big = curated_knowledge(), _tenfold()
    assert len(big.regimens) == 10 * len(real.regimens)
    assert len(big.evidence) == 10 * len(real.evidence)
    assert sum(len(r.indications) for r in big.regimens.values()) == 10 * sum(len(r.indications) for r in real.regimens.values())
    assert len(big.source.rules.resistance) == 10 * len(real.source.rules.resistance)
    assert len(big.source.rules.patient) == 10 * len(real.source.rules.patient)


def test_tenfold_knowledge_passes_the_cross_reference_check() -> None:
    assert check_cross_references(_tenfold().source) == []


def test_synthetic_types_share_ancestors_but_sit_outside_every_real_type() -> None:
    real, big = curated_knowledge(), _tenfold()
    synthetic = [code for code in big.cancer_types if code not in real.cancer_types]
    assert any(big.ancestors(code)[-1] in real.cancer_types for code in synthetic)
    assert not any(big.is_within(code, named) for code in synthetic for named in real.covered_cancer_types)


def test_a_real_profile_gets_the_same_answer_from_the_tenfold_knowledge() -> None:
    profile = PatientProfileInput.model_validate(
        {"cancer_type": "NSCLC", "stage": "IV", "mutations": ["EGFR L858R", "EGFR T790M"], "prior_therapies": ["gefitinib"]}
    )
    real, big = (recommend_for(kb, profile).model_dump(exclude={"knowledge_version"}) for kb in (curated_knowledge(), _tenfold()))
    assert real == big
