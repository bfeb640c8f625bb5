"""CDS Hooks 2.0: discovery, patient-view and order hooks, prefetch and FHIR-server access, errors, cards, feedback."""

from __future__ import annotations

import copy
import logging
import re
import uuid

import httpx
import pytest

from tests.cdshooks.support import ORDERS, PATIENTS, load, patient_view, prefetch_for, searchset

OPTIONS = "/cds-services/tki-treatment-options"
ORDER = "/cds-services/tki-order-interactions"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# the spec's recommended prefetch subset: reads by id, or type searches on these parameters without modifiers
TEMPLATE = re.compile(r"^[A-Z][A-Za-z]+(/\{\{context\.patientId\}\}|\?[^ ]+)$")
SEARCH_PARAMETERS = {"patient", "code", "status", "category", "date", "_count", "_sort", "_maxresults"}


def _outcome(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["severity"] == "error"
    return body


def _draft(rid: str, display: str, status: str = "draft") -> dict:
    return {"resourceType": "MedicationRequest", "id": rid, "status": status, "intent": "order",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "display": display}]},
            "subject": {"reference": "Patient/p1"}}  # fmt: skip


def _statement(rid: str, display: str) -> dict:
    return {"resourceType": "MedicationStatement", "id": rid, "status": "active", "subject": {"reference": "Patient/p1"},
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "display": display}]}}  # fmt: skip


def _order(hook: str, drafts: list[dict], active: list[dict], statements: list[dict] | None = None) -> dict:
    return {
        "hook": hook, "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": "p1",
                    "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": d} for d in drafts]}},
        "prefetch": {"medicationRequests": searchset(active), "medicationStatements": searchset(statements or [])},
    }  # fmt: skip


# ---- 1. discovery --------------------------------------------------------------------------------------------------
def test_discovery_lists_patient_view_and_one_interaction_service_on_both_order_hooks(cds):
    services = cds.get("/cds-services").json()["services"]
    hooks = {(s["id"], s["hook"]) for s in services}
    assert hooks == {
        ("tki-treatment-options", "patient-view"),
        ("tki-order-interactions", "order-select"),
        ("tki-order-interactions", "order-sign"),
    }
    for service in services:
        assert service["title"] and service["description"] and service["prefetch"]


def test_prefetch_templates_stay_within_the_recommended_query_subset(cds):
    for service in cds.get("/cds-services").json()["services"]:
        for key, template in service["prefetch"].items():
            assert TEMPLATE.match(template), (key, template)
            if "?" in template:
                for pair in template.split("?", 1)[1].split("&"):
                    name = pair.split("=", 1)[0]
                    assert name in SEARCH_PARAMETERS and ":" not in name, (key, pair)
                    if name == "patient":
                        assert pair == "patient={{context.patientId}}"


# ---- 2. service calls ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("patient", PATIENTS)
def test_every_fixture_patient_gets_option_cards_and_an_account_of_what_was_read(cds, patient):
    cards = cds.post(OPTIONS, json=patient_view(patient)).json()["cards"]
    assert any(c["summary"].startswith("Option 1 of") for c in cards)
    assert cards[-1]["summary"].startswith("What this service read from the record")


def test_unknown_service_id_is_a_404_operation_outcome(cds):
    _outcome(cds.post("/cds-services/no-such-service", json=patient_view(PATIENTS[0])), 404)
    _outcome(cds.post("/cds-services/no-such-service/feedback", json={"feedback": []}), 404)


@pytest.mark.parametrize("key", ["conditions", "variants", "medicationRequests"])
def test_missing_required_prefetch_without_a_fhir_server_is_412(cds, key):
    body = patient_view(PATIENTS[0])
    del body["prefetch"][key]
    outcome = _outcome(cds.post(OPTIONS, json=body), 412)
    assert outcome["issue"][0]["expression"] == [f"prefetch.{key}"]


@pytest.mark.parametrize(
    "value",
    [None, {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "forbidden"}]}],
    ids=["null", "operation-outcome"],
)
def test_prefetch_that_is_null_or_an_operation_outcome_counts_as_missing(cds, value):
    body = patient_view(PATIENTS[0])
    body["prefetch"]["variants"] = value
    _outcome(cds.post(OPTIONS, json=body), 412)


def test_missing_optional_prefetch_is_named_as_not_checked(cds):
    body = patient_view("nsclc-egfr-l858r-on-omeprazole")
    del body["prefetch"]["medicationStatements"]
    detail = cds.post(OPTIONS, json=body).json()["cards"][-1]["detail"]
    assert "**Not checked** (not sent and not fetched): medicationStatements" in detail


def test_fhir_authorization_needs_a_fhir_server(cds):
    body = patient_view(PATIENTS[0], fhirAuthorization={"access_token": "t", "token_type": "Bearer", "expires_in": 60,
                                                        "scope": "user/*.read", "subject": "tki-cds"})  # fmt: skip
    _outcome(cds.post(OPTIONS, json=body), 400)


def test_the_wrong_hook_for_a_service_is_a_400(cds):
    _outcome(cds.post(ORDER, json=patient_view(PATIENTS[0])), 400)


def _fhir_server(app, patient: str, seen: list[httpx.Request], fail: bool = False):  # type: ignore[no-untyped-def]
    """A FHIR server answering the prefetch templates from a fixture patient."""
    _, prefetch = prefetch_for(patient)
    templates = app.state.cds.services["tki-treatment-options"].prefetch
    urls = {httpx.URL("https://ehr.example/fhir/" + t.replace("{{context.patientId}}", "pid-1")): k for k, t in templates.items()}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if fail:
            return httpx.Response(500)
        key = urls.get(request.url)
        return httpx.Response(200, json=prefetch[key]) if key else httpx.Response(404)

    return httpx.MockTransport(handler)


def test_missing_prefetch_is_fetched_from_the_fhir_server_with_the_token_never_logged(app, cds, caplog):
    patient = "nsclc-egfr-l858r-on-omeprazole"
    expected = [c["summary"] for c in cds.post(OPTIONS, json=patient_view(patient)).json()["cards"]]
    seen: list[httpx.Request] = []
    app.state.cds.fhir_transport = _fhir_server(app, patient, seen)
    token = "secret-access-token-8f3a"
    body = patient_view(patient, fhirServer="https://ehr.example/fhir", context={"userId": "Practitioner/1", "patientId": "pid-1"},
                        fhirAuthorization={"access_token": token, "token_type": "Bearer", "expires_in": 60,
                                           "scope": "user/*.read", "subject": "tki-cds"})  # fmt: skip
    del body["prefetch"]
    try:
        with caplog.at_level(logging.DEBUG):
            response = cds.post(OPTIONS, json=body)
    finally:
        app.state.cds.fhir_transport = None
    assert [c["summary"] for c in response.json()["cards"]] == expected
    keys = app.state.cds.services["tki-treatment-options"].prefetch
    assert len(seen) == len(keys) and all(r.headers["authorization"] == f"Bearer {token}" for r in seen)
    assert token not in caplog.text and "pid-1" not in caplog.text and token not in response.text
    assert token not in repr(vars(app.state.cds))  # nothing kept after the call


def test_a_failing_fhir_server_with_no_prefetch_is_412(app, cds):
    seen: list[httpx.Request] = []
    app.state.cds.fhir_transport = _fhir_server(app, PATIENTS[0], seen, fail=True)
    body = patient_view(PATIENTS[0], fhirServer="https://ehr.example/fhir",
                        fhirAuthorization={"access_token": "t", "token_type": "Bearer", "expires_in": 60, "scope": "s", "subject": "c"})  # fmt: skip
    del body["prefetch"]
    try:
        _outcome(cds.post(OPTIONS, json=body), 412)
    finally:
        app.state.cds.fhir_transport = None
    assert seen


def test_a_plain_http_fhir_server_is_not_used(app, cds):
    seen: list[httpx.Request] = []
    app.state.cds.fhir_transport = _fhir_server(app, PATIENTS[0], seen)
    body = patient_view(PATIENTS[0], fhirServer="http://ehr.example/fhir",
                        fhirAuthorization={"access_token": "t", "token_type": "Bearer", "expires_in": 60, "scope": "s", "subject": "c"})  # fmt: skip
    del body["prefetch"]
    try:
        _outcome(cds.post(OPTIONS, json=body), 412)
    finally:
        app.state.cds.fhir_transport = None
    assert not seen


MALFORMED = {
    "not json": b"{not json",
    "a list": b"[]",
    "no hook": b'{"hookInstance": "x", "context": {"patientId": "p"}}',
    "context not an object": b'{"hook": "patient-view", "hookInstance": "x", "context": 3}',
    "bad patient id": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "a b/../c"}}',
    "prefetch not a resource": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": {"conditions": 7}}',
    "unknown resource type": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": {"conditions": {"resourceType": "Nope"}}}',
    "bundle entry not FHIR": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": {"conditions": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Condition", "code": "LUNG-SECRET", "subject": {"reference": "Patient/p"}}}]}}}',
    "unknown type inside a bundle": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": {"conditions": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Nope"}}]}}}',
    "observation without code": b'{"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, "prefetch": {"variants": {"resourceType": "Observation", "status": "final"}}}',
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_requests_and_fhir_are_4xx_operation_outcomes_that_echo_nothing(cds, body):
    response = cds.post(OPTIONS, content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "LUNG-SECRET" not in response.text


def test_malformed_draft_orders_are_a_400(cds):
    body = _order("order-sign", [_draft("d", "dasatinib 100 MG Oral Tablet")], [])
    body["context"]["draftOrders"]["entry"][0]["resource"]["status"] = 12
    _outcome(cds.post(ORDER, json=body), 400)
    del body["context"]["draftOrders"]
    _outcome(cds.post(ORDER, json=body), 400)


# ---- 4. cards ------------------------------------------------------------------------------------------------------
def _all_cards(cds) -> list[dict]:  # type: ignore[no-untyped-def]
    cards = []
    for patient in PATIENTS:
        response = cds.post(OPTIONS, json=patient_view(patient))
        assert "systemActions" not in response.json()
        cards += response.json()["cards"]
    for order in ORDERS:
        cards += cds.post(ORDER, json=load(order)).json()["cards"]
    return cards


def test_cards_follow_the_spec(cds, kb):
    cards = _all_cards(cds)
    uuids = [c["uuid"] for c in cards]
    assert len(set(uuids)) == len(uuids) and all(uuid.UUID(u) for u in uuids)
    from service.engine.recommend import knowledge_version

    release = knowledge_version(kb).release
    for card in cards:
        assert len(card["summary"]) < 140
        assert card["indicator"] in {"info", "warning", "critical"}
        assert card["source"]["label"].startswith("tki-cds knowledge release ")
        assert card["source"]["label"].endswith(release)
        assert "suggestions" not in card and "selectionBehavior" not in card
        for link in card.get("links", []):
            assert link["type"] == "absolute" and link["url"].startswith("https://")
            assert not any(pid in link["url"] for pid in ("nsclc-egfr-1", "cml-1", "gist-1", "rcc-1", "hcc-1", "mtc-1", "cml-2", "gist-2"))
        for reason in card.get("overrideReasons", []):
            assert set(reason) == {"code", "system", "display"}


def test_option_cards_carry_evidence_level_dose_why_and_links(cds):
    cards = cds.post(OPTIONS, json=patient_view("gist-kit-exon11-metastatic-on-rifampin")).json()["cards"]
    option = cards[0]
    assert option["summary"].startswith("Option 1 of 1: Imatinib")
    for part in ("Evidence level 1", "Dose: imatinib: 400 mg", "**Why it matched**", "cancer type: GIST", "**Evidence**"):
        assert part in option["detail"].replace("\\", ""), part
    assert any("pubmed" in link["url"] or "clinicaltrials" in link["url"] or "doi.org" in link["url"] for link in option["links"])


def test_an_option_card_gives_the_interactions_of_its_drugs(cds):
    cards = cds.post(OPTIONS, json=patient_view("gist-kit-exon11-metastatic-on-rifampin")).json()["cards"]
    detail = cards[0]["detail"].replace("\\", "")
    assert "Interaction: imatinib with" in detail and "rifampin" in detail.lower()


def test_patient_supplied_strings_are_markdown_escaped(cds):
    body = patient_view("hcc-bclc-c-cirrhosis")
    hostile = "**bold** <img src=x onerror=alert(1)> [click](https://evil.example)"
    body["prefetch"]["conditions"]["entry"].append({"resource": {
        "resourceType": "Condition", "id": "x", "code": {"text": hostile}, "subject": {"reference": "Patient/hcc-1"}}})  # fmt: skip
    body["prefetch"]["medicationRequests"] = searchset([_draft("m", "_underline_ `code` 5 MG Oral Tablet", status="active")])
    detail = "\n".join(c.get("detail", "") for c in cds.post(OPTIONS, json=body).json()["cards"])
    assert "<img" not in detail and "**bold**" not in detail and "[click](" not in detail and "`code`" not in detail
    assert "&lt;img" in detail and "\\*\\*bold\\*\\*" in detail and "\\[click\\]\\(https://evil\\.example\\)" in detail


def test_critical_only_where_the_label_says_contraindicated(cds):
    lorlatinib = cds.post(ORDER, json=_order("order-sign", [_draft("d", "lorlatinib 100 MG Oral Tablet")], [],
                                             [_statement("r", "rifampin 300 MG Oral Capsule")]))  # fmt: skip
    [card] = lorlatinib.json()["cards"]
    assert card["indicator"] == "critical" and "contraindicated" in card["summary"]
    dasatinib = cds.post(ORDER, json=load("order-select-dasatinib-on-omeprazole")).json()["cards"]
    assert [c["indicator"] for c in dasatinib] == ["warning"]
    assert all(c["summary"].endswith(": contraindicated") for c in _all_cards(cds) if c["indicator"] == "critical")


# ---- order hooks ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("order", ["order-select-dasatinib-on-omeprazole", "order-sign-dasatinib-on-omeprazole"])
def test_a_tki_draft_while_a_ppi_is_active_gets_the_label_advice(cds, order):
    [card] = cds.post(ORDER, json=load(order)).json()["cards"]
    assert card["summary"] == "dasatinib + omeprazole: avoid the combination"
    assert "omeprazole is an active medicine in the record" in card["detail"].replace("\\", "")
    for link in card.get("links", []):  # the label itself, never a copy read elsewhere
        assert link["url"].startswith(("https://dailymed.nlm.nih.gov/", "https://www.accessdata.fda.gov/"))


def test_a_tki_draft_with_a_cyp3a4_inducer_gets_the_label_advice(cds):
    [card] = cds.post(ORDER, json=load("order-sign-imatinib-on-rifampin")).json()["cards"]
    assert card["summary"].startswith("imatinib + rifampin") and card["indicator"] in {"warning", "critical"}


def test_order_select_reads_only_the_selected_draft_against_the_others(cds):
    body = _order("order-select", [_draft("a", "omeprazole 20 MG Delayed Release Oral Capsule"), _draft("b", "dasatinib 100 MG Oral Tablet")], [])
    body["context"]["selections"] = ["MedicationRequest/b"]
    [card] = cds.post(ORDER, json=body).json()["cards"]
    assert "omeprazole is another draft order" in card["detail"].replace("\\", "")


def test_a_draft_without_label_rules_gets_no_cards(cds):
    body = _order("order-sign", [_draft("a", "acetaminophen 500 MG Oral Tablet")], [_draft("o", "omeprazole 20 MG Delayed Release Oral Capsule", "active")])
    assert cds.post(ORDER, json=body).json() == {"cards": []}


def test_a_tki_draft_with_nothing_interacting_says_what_was_checked(cds):
    body = _order("order-sign", [_draft("a", "dasatinib 100 MG Oral Tablet")], [_draft("o", "metformin 500 MG Oral Tablet", "active")])
    [card] = cds.post(ORDER, json=body).json()["cards"]
    assert card["indicator"] == "info" and card["summary"].startswith("No label interaction found for dasatinib")
    assert "metformin" in card["detail"] and "mechanisms checked" in card["detail"] and "Not checked for dasatinib" in card["detail"]


# ---- 5. feedback ---------------------------------------------------------------------------------------------------
def test_feedback_in_the_2_0_shape_is_counted_and_nothing_else_is_kept(app, cds):
    card = str(uuid.uuid4())
    before = sum(app.state.cds.feedback.values())
    accepted = {"card": card, "outcome": "accepted", "acceptedSuggestions": [{"id": str(uuid.uuid4())}], "outcomeTimestamp": "2026-12-01T22:00:00Z"}
    overridden = {"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-12-01T22:00:00Z",
                  "overrideReason": {"reason": {"code": "patient-ineligible", "system": "http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes"},
                                     "userComment": "Patient Jane Doe declined"}}  # fmt: skip
    response = cds.post(f"{OPTIONS}/feedback", json={"feedback": [accepted, overridden]})
    assert response.status_code == 200 and response.content == b""
    assert sum(app.state.cds.feedback.values()) == before + 2
    assert card not in repr(vars(app.state.cds)) and "Jane Doe" not in repr(vars(app.state.cds))


def test_accepted_feedback_without_suggestions_is_a_400(cds):
    body = {"feedback": [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-12-01T22:00:00Z"}]}
    _outcome(cds.post(f"{OPTIONS}/feedback", json=body), 400)


# ---- CORS ----------------------------------------------------------------------------------------------------------
def test_cors_answers_the_allowlisted_sandbox_origin_only(cds):
    allowed = cds.options("/cds-services", headers={"Origin": "https://sandbox.cds-hooks.org", "Access-Control-Request-Method": "POST"})
    assert allowed.headers["access-control-allow-origin"] == "https://sandbox.cds-hooks.org"
    other = cds.get("/cds-services", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    v1 = cds.client.get("/health", headers={"Origin": "https://sandbox.cds-hooks.org"})
    assert "access-control-allow-origin" not in v1.headers


def test_no_response_left_unwalked(cds):
    _all_cards(cds)
    assert cds.walked == len(PATIENTS) + len(ORDERS)


def test_each_call_gets_fresh_card_ids(cds):
    body = copy.deepcopy(load(ORDERS[0]))
    first = cds.post(ORDER, json=body).json()["cards"][0]["uuid"]
    assert cds.post(ORDER, json=body).json()["cards"][0]["uuid"] != first


def test_fhir_server_pages_are_followed_on_the_same_server_only(app, cds):
    patient = "nsclc-egfr-l858r-on-omeprazole"
    _, prefetch = prefetch_for(patient)
    seen: list[str] = []
    conditions = prefetch["conditions"]["entry"]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        url = str(request.url)
        if url.startswith("https://ehr.example/fhir/Condition?"):
            page = {"resourceType": "Bundle", "type": "searchset", "entry": conditions[:1],
                    "link": [{"relation": "next", "url": "https://ehr.example/fhir/page-2"}]}  # fmt: skip
            return httpx.Response(200, json=page)
        if url == "https://ehr.example/fhir/page-2":
            page = {"resourceType": "Bundle", "type": "searchset", "entry": conditions[1:],
                    "link": [{"relation": "next", "url": "https://elsewhere.example/steal"}]}  # fmt: skip
            return httpx.Response(200, json=page)
        return httpx.Response(404)

    app.state.cds.fhir_transport = httpx.MockTransport(handler)
    body = patient_view(patient, fhirServer="https://ehr.example/fhir",
                        fhirAuthorization={"access_token": "t", "token_type": "Bearer", "expires_in": 60, "scope": "s", "subject": "c"})  # fmt: skip
    del body["prefetch"]["conditions"]
    try:
        cards = cds.post(OPTIONS, json=body).json()["cards"]
    finally:
        app.state.cds.fhir_transport = None
    assert "https://ehr.example/fhir/page-2" in seen and not any("elsewhere" in url for url in seen)
    assert cards[0]["summary"].startswith("Option 1 of")
    assert "Metastatic adenocarcinoma to bone" in cards[-1]["detail"]  # from the second page
