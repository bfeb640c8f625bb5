"""Each answer gives every source once, in its top-level `citations`, and the items refer to them by id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from schemas.responses import EvidenceCitation, InteractionCheckResponse, LabelCitation, RecommendationResponse

PROFILES: dict[str, dict] = json.loads((Path(__file__).parent.parent / "golden" / "profiles.json").read_text(encoding="utf-8"))
MEDICATION_LISTS = [
    ["dasatinib", "pantoprazole 40 mg daily"],
    ["osimertinib", "rifampin", "omeprazole"],
    ["imatinib", "dasatinib", "bosutinib", "erlotinib", "rifampin", "omeprazole", "grapefruit juice"],
    ["Danziten", "ketoconazole", "Tasigna"],
]


def _is_reference(info: Any) -> bool:
    # the contract marks every field that holds citation ids by pointing to `citations` in its description
    return bool(info.description and "`citations`" in info.description)


def references(node: object) -> Iterator[str]:
    """Every citation id the answer refers to, found through the fields the contract declares as references."""
    if isinstance(node, (EvidenceCitation, LabelCitation)):
        raise AssertionError(f"a full citation outside `citations`: {node.title}")
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            if name == "citations" and isinstance(value, dict):
                continue
            if _is_reference(info):
                if isinstance(value, str):
                    yield value
                elif value is not None:
                    assert isinstance(value, list) and all(isinstance(i, str) for i in value), name
                    yield from value
                continue
            yield from references(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from references(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from references(item)


def assert_cited_once(answer: RecommendationResponse | InteractionCheckResponse) -> list[str]:
    referred = list(references(answer))
    assert set(referred) <= set(answer.citations), f"referred to but not in citations: {set(referred) - set(answer.citations)}"
    assert set(answer.citations) <= set(referred), f"in citations but never referred to: {set(answer.citations) - set(referred)}"
    for key, citation in answer.citations.items():
        assert citation.id == key
        assert citation.url is None or citation.url.startswith("https://"), key
    return referred


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_citation_referred_to_is_given_once_and_every_one_given_is_referred_to(client, name):  # type: ignore[no-untyped-def]
    response = client.post("/v1/recommendations", json=PROFILES[name])
    assert response.status_code == 200
    body = response.json()
    answer = RecommendationResponse.model_validate(body)
    referred = assert_cited_once(answer)
    # ids and objects never mix: a reference is a string, a citation appears only under `citations`
    assert all(isinstance(i, str) for i in referred)
    assert json.dumps(body).count('"source_url"') == sum(1 for c in answer.citations.values() if isinstance(c, EvidenceCitation))


@pytest.mark.parametrize("drugs", MEDICATION_LISTS, ids=lambda d: "+".join(d))
def test_the_interaction_check_cites_each_label_once(client, drugs):  # type: ignore[no-untyped-def]
    response = client.post("/v1/interactions", json={"drugs": drugs})
    assert response.status_code == 200
    answer = InteractionCheckResponse.model_validate(response.json())
    assert_cited_once(answer)
    assert answer.citations and all(c.kind == "label" for c in answer.citations.values())


def test_a_citation_id_means_the_same_source_in_every_answer(client):  # type: ignore[no-untyped-def]
    seen: dict[str, dict] = {}
    for profile in PROFILES.values():
        for key, citation in client.post("/v1/recommendations", json=profile).json()["citations"].items():
            assert seen.setdefault(key, citation) == citation, key
    assert any(k.startswith("label:") for k in seen) and any(not k.startswith("label:") for k in seen)
