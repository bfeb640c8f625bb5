"""NSCLC, session 6: the standard options missing from the walk through the NSCLC settings (issue 11)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.main import create_app
from tests.support import curated_knowledge

_CLIENT = TestClient(create_app(knowledge_base=curated_knowledge()))
_STAGE_III_AFTER_CHEMORADIATION = {
    "cancer_type": "lung adenocarcinoma",
    "stage": "stage III, unresectable",
    "prior_therapies": [{"line": 1, "drugs": ["cisplatin", "pemetrexed"], "outcome": "stable disease"}],
}


def _answer(profile: dict[str, object]) -> dict[str, object]:
    response = _CLIENT.post("/v1/recommendations", json=profile)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _ids(answer: dict[str, object]) -> list[str]:
    return [o["indication_id"] for o in answer["options"]]  # type: ignore[index,union-attr]


def _option(answer: dict[str, object], indication_id: str) -> dict[str, object]:
    return next(o for o in answer["options"] if o["indication_id"] == indication_id)  # type: ignore[union-attr,index]


def _metastatic(**extra: object) -> dict[str, object]:
    return {"cancer_type": "lung adenocarcinoma", "stage": "IV", "prior_therapies": [], **extra}


def test_stage_iii_without_progression_after_chemoradiation_offers_durvalumab_with_the_pacific_dose() -> None:
    answer = _answer(_STAGE_III_AFTER_CHEMORADIATION)
    option = _option(answer, "durvalumab-stage-iii-after-chemoradiation")
    assert "10 mg/kg" in str(option["components"])
    assert option["overall_survival"]["comparator"] == "placebo after chemoradiation"  # type: ignore[index]
    assert option["contains_tki"] is False


def test_durvalumab_needs_chemoradiation_without_progression() -> None:
    progressed = {**_STAGE_III_AFTER_CHEMORADIATION, "prior_therapies": [{"line": 1, "drugs": ["cisplatin", "pemetrexed"], "outcome": "progression"}]}
    assert "durvalumab-stage-iii-after-chemoradiation" not in _ids(_answer(progressed))
    assert "durvalumab-stage-iii-after-chemoradiation" not in _ids(_answer(_metastatic()))


def test_stage_iii_egfr_l858r_gets_osimertinib_not_durvalumab() -> None:
    answer = _answer({**_STAGE_III_AFTER_CHEMORADIATION, "mutations": ["EGFR L858R"]})
    assert "osimertinib-egfr-stage-iii-after-chemoradiation" in _ids(answer)
    assert "durvalumab-stage-iii-after-chemoradiation" not in _ids(answer)


def test_pd_l1_1_to_49_offers_pembrolizumab_alone_and_nivolumab_ipilimumab() -> None:
    answer = _answer(_metastatic(pd_l1={"tps": 30}))
    ids = _ids(answer)
    assert "pembrolizumab-nsclc-pdl1-1-49-first-line" in ids
    assert "pembrolizumab-nsclc-pdl1-high-first-line" not in ids
    assert "nivolumab-ipilimumab-nsclc-pdl1-positive-first-line" in ids
    option = _option(answer, "nivolumab-ipilimumab-nsclc-pdl1-positive-first-line")
    assert "3 mg/kg" in str(option["components"]) and "1 mg/kg" in str(option["components"])


def test_pd_l1_below_1_keeps_the_pd_l1_selected_immunotherapy_out_but_offers_checkmate_9la() -> None:
    ids = _ids(_answer(_metastatic(pd_l1={"tps": 0})))
    assert "pembrolizumab-nsclc-pdl1-1-49-first-line" not in ids
    assert "nivolumab-ipilimumab-nsclc-pdl1-positive-first-line" not in ids
    assert "nivolumab-ipilimumab-chemotherapy-nonsquamous-first-line" in ids


def test_checkmate_9la_chemotherapy_follows_histology() -> None:
    squamous = _ids(_answer({**_metastatic(pd_l1={"tps": 0}), "cancer_type": "lung squamous cell carcinoma"}))
    assert "nivolumab-ipilimumab-chemotherapy-squamous-first-line" in squamous
    assert "nivolumab-ipilimumab-chemotherapy-nonsquamous-first-line" not in squamous
    adeno = _ids(_answer(_metastatic(pd_l1={"tps": 0})))
    assert "nivolumab-ipilimumab-chemotherapy-squamous-first-line" not in adeno


def test_first_line_immunotherapy_stays_below_the_targeted_options_for_a_driver() -> None:
    # BRAF V600E: checkpoint inhibitors stay an option, below the targeted ones (with a RET fusion they are excluded
    # before a RET inhibitor: tests/engine/test_redteam_s9.py)
    answer = _answer(_metastatic(mutations=["BRAF V600E"], pd_l1={"tps": 0}))
    ids = _ids(answer)
    assert ids.index("dabrafenib-trametinib-braf-v600e-nsclc") < ids.index("nivolumab-ipilimumab-chemotherapy-nonsquamous-first-line")


def test_uncommon_egfr_mutations_get_afatinib_then_osimertinib_at_level_3() -> None:
    for mutation in ("EGFR G719A", "EGFR S768I", "EGFR L861Q"):
        answer = _answer(_metastatic(mutations=[mutation]))
        ids = _ids(answer)
        targeted = [i for i in ids if "egfr-uncommon" in i]
        assert ids[0] == "afatinib-egfr-uncommon-first-line", mutation
        assert targeted == ["afatinib-egfr-uncommon-first-line", "osimertinib-egfr-uncommon-first-line"], mutation
        assert _option(answer, "osimertinib-egfr-uncommon-first-line")["evidence_level"] == "3"


def test_exon_20_insertion_gets_neither_afatinib_nor_osimertinib() -> None:
    answer = _answer(_metastatic(mutations=["EGFR exon 20 insertion"]))
    drugs = {d for o in answer["options"] for d in o["drugs"]}  # type: ignore[union-attr,index]
    assert not drugs & {"afatinib", "osimertinib"}
    assert "amivantamab-chemotherapy-egfr-exon20-first-line" in _ids(answer)
