"""The API documentation pages: served from the service's own files, and every documented example works."""

from __future__ import annotations

import re

import pytest

from service.api.guard import CONTENT_SECURITY_POLICY

OPERATIONS_WITH_INPUT = ("createRecommendations", "checkInteractions", "listRegimens", "getRegimen", "listDrugs", "getDrug", "getCancerType", "listAlterations", "getEvidence")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_only_the_services_own_files(client, path):
    response = client.get(path)
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources and all(s.startswith("/") or s.startswith("data:") for s in sources), sources
    assert "<script>" not in response.text and " style=" not in response.text  # nothing inline for the CSP to allow
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source


def test_csp_allows_no_inline_script_and_no_other_origin(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy and "*" not in policy


def test_vendored_renderers_ship_their_licences(client):
    for path in ("/static/vendor/swagger-ui/LICENSE", "/static/vendor/redoc/LICENSE"):
        assert "License" in client.get(path).text or "LICENSE" in client.get(path).text


def test_every_operation_with_input_has_a_named_example(client):
    schema = client.get("/openapi.json").json()
    operations = {op["operationId"]: op for ops in schema["paths"].values() for op in ops.values()}
    for operation_id in OPERATIONS_WITH_INPUT:
        operation = operations[operation_id]
        inputs = [p.get("examples", {}) for p in operation.get("parameters", [])]
        if "requestBody" in operation:
            inputs.append(operation["requestBody"]["content"]["application/json"].get("examples", {}))
        assert inputs and all(inputs), operation_id


def test_every_documented_example_gets_an_answer(client):
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body_examples = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("examples", {})
            for name, example in body_examples.items():
                response = client.request(method.upper(), path, json=example["value"])
                assert response.status_code == 200, (operation["operationId"], name, response.text[:300])
            parameters = operation.get("parameters", [])
            if parameters and all(p.get("examples") for p in parameters if p["in"] == "path"):
                url, query = path, {}
                for p in parameters:
                    value = next(iter(p.get("examples", {}).values()), {}).get("value")
                    if p["in"] == "path":
                        url = url.replace("{" + p["name"] + "}", value)
                    elif value is not None:
                        query[p["name"]] = value
                response = client.request(method.upper(), url, params=query)
                assert response.status_code == 200, (operation["operationId"], url, query)
