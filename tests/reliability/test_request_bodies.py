"""Request bodies of any shape and text, through the app: every answer is a 2xx or a 4xx problem, never a 5xx."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.main import create_app
from tests.reliability.test_unicode_readers import text
from tests.support import curated_knowledge

client = TestClient(create_app(knowledge_base=curated_knowledge()))
BODIES = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))

ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=30)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT | text(60),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT | st.sampled_from(["drugs", "gene", "name"]), children, max_size=4),
    max_leaves=12,
)
ITEM = text(120) | st.fixed_dictionaries({}, optional={"gene": text(40), "alteration": text(80), "status": JSON_VALUE, "name": text(80), "drugs": st.lists(text(60), max_size=3), "formulation": text(40)})
PROFILE = st.fixed_dictionaries(
    {"cancer_type": text(100) | st.sampled_from(["NSCLC", "CML", "GIST"])},
    optional={
        "stage": text(60) | JSON_VALUE,
        "mutations": st.lists(ITEM, max_size=4),
        "biomarkers": st.lists(st.fixed_dictionaries({"name": text(40), "status": text(40)}), max_size=3),
        "pd_l1": st.dictionaries(st.sampled_from(["tps", "cps", "ic", "x"]), JSON_VALUE | st.floats(), max_size=3),
        "prior_therapies": st.lists(ITEM, max_size=3) | st.none(),
        "current_medications": st.lists(ITEM, max_size=4),
        "other": JSON_VALUE,
    },
)


def _post(path: str, body: bytes, content_type: str = "application/json") -> int:
    response = client.post(path, content=body, headers={"content-type": content_type})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    return response.status_code


@BODIES
@given(profile=PROFILE)
def test_profiles_through_the_json_api(profile):
    _post("/v1/recommendations", json.dumps(profile, allow_nan=True).encode("utf-8", "surrogatepass"))


@BODIES
@given(value=JSON_VALUE)
def test_any_json_value_through_both_json_routes(value):
    body = json.dumps(value).encode()
    _post("/v1/recommendations", body)
    _post("/v1/interactions", body)


@BODIES
@given(drugs=st.lists(ITEM, min_size=1, max_size=6))
def test_medication_lists_through_the_interaction_check(drugs):
    _post("/v1/interactions", json.dumps({"drugs": drugs}).encode())


@BODIES
@given(raw=st.binary(max_size=300))
def test_any_bytes_through_the_json_api(raw):
    assert _post("/v1/recommendations", raw) in {400, 422}


@BODIES
@given(fields=st.dictionaries(st.sampled_from(["cancer_type", "stage", "other_mutations", "pd_l1_scoring", "pd_l1_value", "prior_status", "medication_1", "alteration:EGFR L858R", "gene:ALK", "biomarker:MSI"]) | text(30), text(120) | ANY_TEXT, max_size=8))
def test_forms_through_the_guide(fields):
    from urllib.parse import urlencode

    body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode("ascii")
    for path in ("/guide", "/guide/panel"):
        _post(path, body, "application/x-www-form-urlencoded")
