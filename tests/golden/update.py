"""Regenerate the golden responses (`./scripts/update-golden`) after a reviewed knowledge change."""

from __future__ import annotations


from fastapi.testclient import TestClient

from service.main import create_app
from tests.golden.test_golden import EXPECTED_DIR, PROFILES, render
from tests.support import curated_knowledge


def main() -> None:
    client = TestClient(create_app(knowledge_base=curated_knowledge()))
    EXPECTED_DIR.mkdir(exist_ok=True)
    for name, profile in PROFILES.items():
        (EXPECTED_DIR / f"{name}.json").write_text(render(client.post("/v1/recommendations", json=profile).json()), encoding="utf-8")
        print(f"wrote tests/golden/expected/{name}.json")


if __name__ == "__main__":
    main()
