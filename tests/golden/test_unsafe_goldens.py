"""The unsafe-answer golden profiles: beyond the pinned response, what each must and must not contain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROFILES: dict[str, dict] = json.loads((HERE / "profiles.json").read_text(encoding="utf-8"))
EXPECTATIONS: dict[str, dict] = json.loads((HERE / "unsafe_expectations.json").read_text(encoding="utf-8"))


def test_every_unsafe_golden_profile_has_expectations():
    assert {n for n in PROFILES if n.startswith("unsafe-")} == set(EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_unsafe_profile_gives_the_safe_answer(client, name):  # type: ignore[no-untyped-def]
    body = client.post("/v1/recommendations", json=PROFILES[name]).json()
    expect = EXPECTATIONS[name]
    offered = [o["id"] for o in body["options"]]
    excluded = {n["id"]: {r["kind"] for r in n["reasons"]} for n in body["not_recommended"]}
    if "first" in expect:
        assert offered and offered[0] == expect["first"]
    if expect.get("only"):
        assert offered == [expect["first"]]
    for regimen in expect.get("offered", []):
        assert regimen in offered, regimen
    for regimen in expect.get("not_offered", []):
        assert regimen not in offered
    for option in body["options"]:
        assert not set(expect.get("not_offered_drugs", [])) & set(option["drugs"]), option["id"]
    for regimen, kind in expect.get("excluded", {}).items():
        assert regimen not in offered and kind in excluded.get(regimen, set()), regimen
    if "provisional" in expect:
        assert body["provisional"] is expect["provisional"]
    if "warning" in expect:
        assert expect["warning"] in {w["code"] for w in body["warnings"]}
    for regimen, below in expect.get("ranked_above", {}).items():
        assert regimen in offered, regimen
        for other in below:
            assert other not in offered or offered.index(regimen) < offered.index(other), (regimen, other)
    for regimen, words in expect.get("caution", {}).items():
        option = next(o for o in body["options"] if o["id"] == regimen)
        assert any(words in c["detail"] for c in option.get("cautions", [])), regimen
    for regimen, words in expect.get("caveat", {}).items():
        option = next(o for o in body["options"] if o["id"] == regimen)
        assert any(words in c for c in option["caveats"]), regimen
