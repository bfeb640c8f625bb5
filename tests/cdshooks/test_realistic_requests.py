"""CDS Hooks requests shaped the way EHRs send them: draft orders that reference their Medication, records whose
prefetch ignores the status filter, a whole patient bundle, missing prefetch, and a token with no usable server."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.cdshooks.support import prefetch_of
from tests.fhir.bundles import PID, Case, administration, bundle_of, egfr_l858r, med_request, med_statement, medication, patient, rx

ORDER = "/cds-services/tki-order-interactions"
OPTIONS = "/cds-services/tki-treatment-options"
LUAD = ("http://snomed.info/sct", "254626006", "Adenocarcinoma of lung (disorder)")


def _draft_orders(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": list(entries)}


def _order(hook: str, drafts: dict[str, Any], record: list[dict[str, Any]], **context: Any) -> dict[str, Any]:
    return {"hook": hook, "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/onc-1", "patientId": PID, "draftOrders": drafts, **context},
            "prefetch": prefetch_of(record, "tki-order-interactions")}  # fmt: skip


def _text(response: Any) -> str:
    return " ".join(f"{c['summary']} {c.get('detail', '')}" for c in response.json()["cards"]).replace("\\", "")


def test_a_draft_naming_its_medication_by_fullurl_in_the_draft_bundle_is_checked(cds):
    url = f"urn:uuid:{uuid.uuid4()}"
    drafts = _draft_orders(
        {"fullUrl": url, "resource": medication("dasatinib-100", rx("dasatinib 100 MG Oral Tablet"))},
        {"resource": med_request("draft-1", status="draft", medicationReference={"reference": url})},
    )
    response = cds.post(ORDER, json=_order("order-sign", drafts, [med_request("omep", rx("omeprazole 20 MG Delayed Release Oral Capsule"))]))
    assert response.status_code == 200
    assert "dasatinib + omeprazole" in _text(response)


def test_a_draft_with_a_contained_medication_is_checked_on_order_select(cds):
    draft = med_request("draft-2", status="draft", contained=[medication("m", rx("imatinib 400 MG Oral Tablet"))], medicationReference={"reference": "#m"})
    body = _order("order-select", _draft_orders({"resource": draft}), [med_statement("rif", rx("rifampin 300 MG Oral Capsule"))],
                  selections=["MedicationRequest/draft-2"])  # fmt: skip
    response = cds.post(ORDER, json=body)
    assert response.status_code == 200 and "imatinib + rifampin" in _text(response)


def test_a_stopped_medicine_the_ehr_sent_anyway_is_not_checked_against_the_draft(cds):
    drafts = _draft_orders({"resource": med_request("draft-3", rx("dasatinib 100 MG Oral Tablet"), status="draft")})
    record = [med_request("omep", rx("omeprazole 20 MG Delayed Release Oral Capsule"), status="stopped"),
              med_statement("rif", rx("rifampin 300 MG Oral Capsule"), status="completed")]  # fmt: skip
    response = cds.post(ORDER, json=_order("order-sign", drafts, record))
    assert response.status_code == 200
    text = _text(response)
    assert "dasatinib + omeprazole" not in text and "dasatinib + rifampin" not in text
    assert "No label interaction found for dasatinib" in text


def test_an_administration_in_progress_is_a_current_medicine_for_patient_view(cds):
    case = Case("x", [patient(), {"resourceType": "Condition", "id": "c", "subject": {"reference": f"Patient/{PID}"},
                                  "code": {"coding": [{"system": s, "code": c, "display": d} for s, c, d in [LUAD]]}},
                      egfr_l858r(), administration("ppi", rx("pantoprazole 40 MG Injection"), "in-progress")])  # fmt: skip
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"userId": "Practitioner/1", "patientId": PID},
            "prefetch": prefetch_of(bundle_of(case)["entry"])}  # fmt: skip
    response = cds.post(OPTIONS, json=body)
    assert response.status_code == 200
    assert "MedicationAdministration/ppi: RxNorm 'pantoprazole 40 MG Injection'" in _text(response)


@pytest.mark.parametrize("server", [None, "http://ehr.example.org/fhir"])
def test_missing_required_prefetch_with_a_token_but_no_usable_server_is_412(cds, server):
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"userId": "Practitioner/1", "patientId": PID},
            "fhirAuthorization": {"access_token": "tok", "token_type": "Bearer", "expires_in": 300, "scope": "patient/*.read", "subject": "tki-cds"}}  # fmt: skip
    if server:
        body["fhirServer"] = server
    response = cds.post(OPTIONS, json=body)
    assert response.status_code in (400, 412) and response.json()["resourceType"] == "OperationOutcome"
    assert "tok" not in response.text


def test_a_whole_patient_bundle_sent_under_one_key_is_read_entry_by_entry(cds):
    case = Case("x", [patient(), {"resourceType": "Condition", "id": "c", "subject": {"reference": f"Patient/{PID}"},
                                  "code": {"coding": [{"system": s, "code": c, "display": d} for s, c, d in [LUAD]]}},
                      egfr_l858r(), egfr_l858r("egfr-cancelled", protein="p.Thr790Met", status="cancelled")])  # fmt: skip
    everything = bundle_of(case)
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"userId": "Practitioner/1", "patientId": PID},
            "prefetch": {"conditions": everything, "variants": everything, "medicationRequests": {"resourceType": "Bundle", "type": "searchset"}}}  # fmt: skip
    response = cds.post(OPTIONS, json=body)
    assert response.status_code == 200
    text = _text(response)
    assert "Observation/egfr-cancelled (Genetic variant assessment): status 'cancelled': not used" in text
    assert "Not checked** (not sent and not fetched)" in text


@pytest.mark.parametrize("bad", [
    {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation", "id": "o", "status": "final"}}]},
    {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Basic", "id": "b", "code": {"text": "x"}}}]},
    {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "NotAType", "id": "b"}}]},
    {"resourceType": "MedicationAdministration", "id": "a", "status": "in-progress"},
    [1, 2, 3],
    "a string",
])  # fmt: skip
def test_malformed_or_unexpected_prefetch_is_a_4xx_never_a_500(cds, bad):
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"userId": "Practitioner/1", "patientId": PID},
            "prefetch": {"conditions": {"resourceType": "Bundle", "type": "searchset"}, "variants": bad,
                         "medicationRequests": {"resourceType": "Bundle", "type": "searchset"}}}  # fmt: skip
    response = cds.post(OPTIONS, json=body)
    assert response.status_code < 500, response.text


def test_a_do_not_perform_draft_is_not_checked_as_if_it_would_be_given(cds):
    drafts = _draft_orders({"resource": med_request("dnp", rx("dasatinib 100 MG Oral Tablet"), status="draft", doNotPerform=True)})
    response = cds.post(ORDER, json=_order("order-sign", drafts, [med_request("omep", rx("omeprazole 20 MG Delayed Release Oral Capsule"))]))
    assert response.status_code == 200
    text = _text(response)
    assert "dasatinib + omeprazole" not in text and "doNotPerform" in text
