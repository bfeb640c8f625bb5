"""Each answer gives every interaction warning once, in its top-level `interaction_warnings`; options refer to them by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.responses import InteractionCheckResponse, RecommendationResponse

PROFILES: dict[str, dict] = json.loads((Path(__file__).parent.parent / "golden" / "profiles.json").read_text(encoding="utf-8"))


def _answers(client):  # type: ignore[no-untyped-def]
    for name in sorted(PROFILES):
        response = client.post("/v1/recommendations", json=PROFILES[name])
        assert response.status_code == 200, name
        yield name, response.text, RecommendationResponse.model_validate_json(response.text)


def test_every_warning_an_option_refers_to_is_given_and_every_one_given_is_referred_to(client):  # type: ignore[no-untyped-def]
    referred_somewhere = unreferred = 0
    for name, text, answer in _answers(client):
        given = {w.id: w for w in answer.interaction_warnings}
        assert len(given) == len(answer.interaction_warnings), f"{name}: an interaction id is given twice"
        used: set[str] = set()
        for option in answer.options:
            assert set(option.interactions) <= set(given), f"{name}/{option.id}: referred to but not given"
            # an option refers to exactly the warnings on its own drugs, in the answer's order
            assert option.interactions == [w.id for w in answer.interaction_warnings if w.drug in option.drugs], f"{name}/{option.id}"
            used.update(option.interactions)
        option_drugs = {d for o in answer.options for d in o.drugs}
        for warning in answer.interaction_warnings:
            # given but referred to by no option only when it is about a medicine the patient takes, not an option's drug
            assert warning.id in used or warning.drug not in option_drugs, f"{name}: {warning.id} is given but never referred to"
            unreferred += warning.id not in used
        referred_somewhere += len(used)
        # the full warning appears once: only the top-level list carries a warning's management text
        assert text.count('"management":') == len(answer.interaction_warnings), name
    # the goldens include options with interactions and a TKI the patient still takes, so neither check is vacuous
    assert referred_somewhere and unreferred


def test_an_interaction_id_means_the_same_pair_in_every_answer(client):  # type: ignore[no-untyped-def]
    seen: dict[str, tuple[str, str]] = {}
    for _, _, answer in _answers(client):
        for warning in answer.interaction_warnings:
            assert warning.id.startswith("interaction:")
            assert seen.setdefault(warning.id, (warning.drug, warning.interacting_drug)) == (warning.drug, warning.interacting_drug)
    assert len(set(seen.values())) == len(seen)


@pytest.mark.parametrize("drugs", [["osimertinib", "rifampin", "omeprazole"], ["imatinib", "dasatinib", "St John's wort", "grapefruit juice"]])
def test_the_interaction_check_gives_each_warning_an_id(client, drugs):  # type: ignore[no-untyped-def]
    answer = InteractionCheckResponse.model_validate(client.post("/v1/interactions", json={"drugs": drugs}).json())
    ids = [w.id for w in answer.interaction_warnings]
    assert ids and len(ids) == len(set(ids)) and all(" " not in i and "'" not in i for i in ids)
