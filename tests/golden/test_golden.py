"""Whole responses for a fixed set of profiles, pinned at the knowledge version that produced them.

A knowledge or engine change shows up here as a diff to review; after review, regenerate with
`./scripts/update-golden`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXPECTED_DIR = HERE / "expected"
PROFILES: dict[str, dict] = json.loads((HERE / "profiles.json").read_text(encoding="utf-8"))


# Every knowledge edit changes the content hash; pinning it here would make each golden file conflict with
# every other knowledge change. The hash itself is checked against the loaded knowledge in tests/api.
UNPINNED_HASH = "sha256:(not pinned in goldens)"


def render(body: dict) -> str:
    version = body.get("knowledge_version")
    if isinstance(version, dict) and "content_hash" in version:
        body = {**body, "knowledge_version": {**version, "content_hash": UNPINNED_HASH}}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_golden_response(client, name):  # type: ignore[no-untyped-def]
    expected_path = EXPECTED_DIR / f"{name}.json"
    assert expected_path.exists(), f"no golden response for {name}: run ./scripts/update-golden"
    response = client.post("/v1/recommendations", json=PROFILES[name])
    assert response.status_code == 200
    assert render(response.json()) == expected_path.read_text(encoding="utf-8"), (
        f"response for {name} changed: review the diff, then run ./scripts/update-golden"
    )
