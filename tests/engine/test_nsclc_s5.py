"""NSCLC, session 5: encorafenib + binimetinib for BRAF V600E metastatic NSCLC (PHAROS)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.main import create_app
from tests.support import curated_knowledge

_CLIENT = TestClient(create_app(knowledge_base=curated_knowledge()))


def _answer(profile: dict[str, object]) -> dict[str, object]:
    response = _CLIENT.post("/v1/recommendations", json=profile)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _names(answer: dict[str, object]) -> list[str]:
    return [o["name"] for o in answer["options"]]  # type: ignore[index,union-attr]


def test_braf_v600e_nsclc_first_line_offers_encorafenib_binimetinib_with_label_doses() -> None:
    answer = _answer({"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": []})
    option = next(o for o in answer["options"] if o["name"] == "Encorafenib + binimetinib")  # type: ignore[union-attr]
    doses = " ".join(str(c) for c in option["components"])
    assert "450 mg" in doses and "45 mg" in doses
    assert "pharos-encorafenib-binimetinib-nsclc" in option["evidence"]
    assert "Dabrafenib + trametinib" in _names(answer)


def test_encorafenib_binimetinib_not_offered_after_dabrafenib_trametinib() -> None:
    answer = _answer(
        {
            "cancer_type": "lung adenocarcinoma",
            "stage": "IV",
            "mutations": ["BRAF V600E"],
            "prior_therapies": [{"line": 1, "drugs": ["dabrafenib", "trametinib"], "outcome": "progression"}],
        }
    )
    assert "Encorafenib + binimetinib" not in _names(answer)


def test_encorafenib_binimetinib_needs_braf_v600e() -> None:
    answer = _answer({"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["KRAS G12C"], "prior_therapies": []})
    assert "Encorafenib + binimetinib" not in _names(answer)
