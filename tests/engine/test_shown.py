"""Answers assembled without revalidating their parts are exactly what validation would build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.requests import PatientProfileInput
from schemas.responses import ExcludedRegimenRef, RankingNote, RecommendationResponse
from service.engine.recommend import recommend_for
from service.engine.shown import assembled
from service.knowledge.index import KnowledgeBase

GOLDEN_PROFILES: dict[str, dict] = json.loads((Path(__file__).parents[1] / "golden" / "profiles.json").read_text(encoding="utf-8"))


def test_every_golden_answer_is_its_own_validated_round_trip(kb: KnowledgeBase) -> None:
    # the same bytes, field order included, as the answer validated from scratch: no part is missing, mistyped or misordered
    for name, body in GOLDEN_PROFILES.items():
        answer = recommend_for(kb, PatientProfileInput.model_validate(body))
        validated = RecommendationResponse.model_validate(answer.model_dump())
        assert answer.model_dump_json(exclude_none=True) == validated.model_dump_json(exclude_none=True), name


def test_an_assembled_part_equals_the_validated_one() -> None:
    note = assembled(RankingNote, {"rank": 2, "tied_with": ["imatinib"], "above_next": None})
    assert note == RankingNote(rank=2, tied_with=["imatinib"])
    assert list(note.__dict__) == list(RankingNote.model_fields)


@pytest.mark.parametrize(
    "fields",
    [{"rank": 1}, {"above_next": "why", "rank": 1, "tied_with": []}],
    ids=["defaults left out", "fields out of order"],
)
def test_parts_not_given_whole_and_in_order_go_through_model_construct(fields: dict[str, object]) -> None:
    note = assembled(RankingNote, dict(fields))
    assert note == RankingNote.model_construct(**fields)
    assert list(note.__dict__) == list(RankingNote.model_fields)


def test_the_fields_given_become_the_instance_s_own() -> None:
    fields = {"id": "imatinib-cml", "name": "Imatinib"}
    ref = assembled(ExcludedRegimenRef, fields)
    assert ref.model_dump() == fields and ref.model_fields_set == {"id", "name"}
