"""Whatever JSON arrives in prefetch or context, a CDS Hooks call answers 200 or a 4xx OperationOutcome, never a 5xx."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cdshooks.support import patient_view, prefetch_of
from tests.fhir.bundles import PID, bundle_of, cases

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
RESOURCE_TYPES = st.sampled_from(["Bundle", "Condition", "Observation", "MedicationRequest", "Medication", "Patient", "Nope"])
RESOURCE = st.builds(lambda kind, extra: {**extra, "resourceType": kind}, RESOURCE_TYPES, st.dictionaries(
    st.sampled_from(["code", "status", "entry", "component", "valueCodeableConcept", "subject", "medicationReference", "type"]), JSON, max_size=4))
BASE = patient_view("nsclc-egfr-l858r-on-omeprazole")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=st.sampled_from(sorted(BASE["prefetch"])), value=JSON | RESOURCE)
def test_any_prefetch_value_is_answered_without_a_server_error(client, key, value):
    body = {**BASE, "prefetch": {**BASE["prefetch"], key: value}}
    response = client.post("/cds-services/tki-treatment-options", json=body)
    assert response.status_code == 200 or (400 <= response.status_code < 500 and response.json()["resourceType"] == "OperationOutcome")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(context=JSON, draft=RESOURCE)
def test_any_order_context_is_answered_without_a_server_error(client, context, draft):
    ctx = context if isinstance(context, dict) else {"patientId": "p1", "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": draft}]}}
    body = {"hook": "order-sign", "hookInstance": "x", "context": ctx, "prefetch": {"medicationRequests": BASE["prefetch"]["medicationRequests"]}}
    response = client.post("/cds-services/tki-order-interactions", json=body)
    assert response.status_code == 200 or (400 <= response.status_code < 500 and response.json()["resourceType"] == "OperationOutcome")


# realistic bundles with one element of one entry replaced: real EHR output is mostly right and wrong in one place
CASES = cases()
FIELDS = st.sampled_from(["status", "code", "valueCodeableConcept", "valueQuantity", "valueInteger", "valueString", "component",
                          "clinicalStatus", "verificationStatus", "stage", "extension", "derivedFrom", "medicationReference",
                          "medicationCodeableConcept", "contained", "intent", "doNotPerform", "effectiveDateTime", "ingredient"])  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(index=st.integers(0, len(CASES) - 1), entry=st.integers(0, 20), name=FIELDS, value=JSON)
def test_a_realistic_bundle_with_one_element_changed_is_answered_without_a_server_error(client, index, entry, name, value):
    entries = copy.deepcopy(bundle_of(CASES[index])["entry"])
    prefetch = prefetch_of(entries)  # the keys share the entries' resources, so the change below reaches them
    entries[entry % len(entries)]["resource"][name] = value
    body = {"hook": "patient-view", "hookInstance": "x", "context": {"userId": "Practitioner/1", "patientId": PID}, "prefetch": prefetch}
    response = client.post("/cds-services/tki-treatment-options", json=body)
    assert response.status_code == 200 or (400 <= response.status_code < 500 and response.json()["resourceType"] == "OperationOutcome")
