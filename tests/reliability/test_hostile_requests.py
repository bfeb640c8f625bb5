"""The hostile requests of issue 15, through the app in process: each is refused cleanly, or answered, never a 5xx."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.config import get_settings
from service.main import create_app
from tests.support import curated_knowledge

PROBLEM = "application/problem+json"
LIMIT = get_settings().max_body_bytes
SECURITY = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in SECURITY.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


# --- body limits ---------------------------------------------------------------------------


def test_an_oversized_json_body_is_a_413_problem_before_it_is_read(client):
    response = client.post(
        "/v1/recommendations", content=b"[" + b"1," * LIMIT + b"1]", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    assert_security_headers(response)


def test_an_oversized_body_without_a_length_is_cut_off_at_the_limit():
    from service.api.guard import GuardMiddleware

    received = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal received
        received += 1  # 64 MB offered in 64 KiB chunks, with no Content-Length
        return {"type": "http.request", "body": b" " * 65536, "more_body": received < 1000}

    async def send(message: dict) -> None:
        sent.append(message)

    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("the app is never called with an oversized body")

    scope = {"type": "http", "method": "POST", "path": "/v1/interactions", "headers": [(b"transfer-encoding", b"chunked")]}
    guard = GuardMiddleware(app, max_body_bytes=LIMIT, body_timeout=5)
    # a thread of its own: another test's event loop (Playwright's) may be running in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    assert sent[0]["status"] == 413
    assert received == LIMIT // 65536 + 1


def test_an_oversized_form_is_a_413(client):
    response = client.post(
        "/guide", content=b"cancer_type=" + b"a" * (LIMIT + 1), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/guide", "/guide/panel"])
def test_the_guide_refuses_multipart(client, path):
    response = client.post(path, files={"upload": ("big.bin", b"x" * 1024)}, data={"cancer_type": "NSCLC"})
    assert response.status_code == 415
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["instance"] == path


def test_the_guide_refuses_a_field_given_twice(client):
    body = b"cancer_type=NSCLC&medication_1=omeprazole&medication_1=imatinib"
    response = client.post("/guide/panel", content=body, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert "omeprazole" not in response.text and "medication_1" not in response.text


def test_the_guide_still_answers_its_own_form(client):
    response = client.post("/guide", data={"cancer_type": "NSCLC"})
    assert response.status_code == 200


# --- the three letters ---------------------------------------------------------------------


@pytest.mark.parametrize("letter", ["\u017f", "\u0131", "\u0130"])
def test_case_folding_letters_are_answered_not_a_500(client, letter):
    text = f"EGFR {letter}er768{letter}le" if letter == "\u017f" else f"KIT {letter}le563Ser"
    response = client.post("/v1/recommendations", json={"cancer_type": "NSCLC", "mutations": [text]})
    assert response.status_code == 200
    assert response.json()["profile"]["mutations"][0]["input"] == text


# --- a 500: headers, body and log ------------------------------------------------------------


@pytest.fixture
def failing_app() -> FastAPI:
    app = create_app(knowledge_base=curated_knowledge())

    @app.post("/v1/fail/{item}")
    async def fail(item: str) -> None:
        raise KeyError(f"patient text {item}")

    return app


def test_a_500_carries_the_security_headers_and_logs_only_type_and_route(failing_app, caplog):
    caplog.set_level(logging.DEBUG)
    with TestClient(failing_app) as client:
        response = client.post("/v1/fail/Jane-Doe-1950")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM)
    assert_security_headers(response)
    assert "Jane-Doe" not in response.text
    assert response.json()["instance"] == "/v1/fail/{item}"
    logged = [r for r in caplog.records if r.name == "tki_cds"]
    assert [r.getMessage() for r in logged] == ["unhandled KeyError on POST /v1/fail/{item}"]
    for record in caplog.records:
        if record.name.startswith("httpx"):
            continue  # the test client's own log of the URL it called
        assert "Jane-Doe" not in record.getMessage()
        assert record.exc_info is None


def test_the_server_error_log_never_carries_exception_text():
    from service.serve import WithoutExceptionText

    try:
        raise KeyError("EGFR L858R of Jane Doe")
    except KeyError:
        import sys

        record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application", None, sys.exc_info())
    assert WithoutExceptionText().filter(record)
    formatted = logging.Formatter().format(record)
    assert "Jane Doe" not in formatted and "Traceback" not in formatted
    assert "KeyError" in formatted


# --- duplicate keys, malformed JSON, content types --------------------------------------------


def test_a_repeated_key_is_a_422_naming_the_key_not_a_dropped_warning(client):
    body = b'{"drugs":["dasatinib","omeprazole"],"drugs":["imatinib"]}'
    response = client.post("/v1/interactions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.drugs", "message": "this key appears more than once"}]


def test_a_repeated_nested_key_is_located(client):
    body = b'{"cancer_type":"NSCLC","mutations":[{"gene":"EGFR","gene":"ALK","alteration":"L858R"}]}'
    response = client.post("/v1/recommendations", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.mutations[0].gene"


def test_a_repeated_unknown_key_is_not_named(client):
    body = b'{"drugs":["imatinib"],"Jane Doe":1,"Jane Doe":2}'
    response = client.post("/v1/interactions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "Jane" not in response.text
    assert response.json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b'{"drugs": ["imatinib"]} {"drugs": []}',
        b'{"cancer_type": "NSCLC", "pd_l1": {"tps": NaN}}',
        b'{"drugs": ["\\ud800"]}',
        "{\"drugs\": [\"imatinib\"]}".encode("utf-16"),
        b"\xff\xfe\xfa",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 40 + b"1" + b"}" * 40,
    ],
    ids=["malformed", "empty", "two-texts", "nan", "lone-surrogate", "utf-16", "not-utf-8", "deep", "nested-40"],
)
def test_a_body_that_is_not_one_json_text_is_a_400(client, body):
    response = client.post("/v1/interactions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["instance"] == "/v1/interactions"


@pytest.mark.parametrize(
    "headers",
    [{}, {"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}, {"content-type": "application/json; charset=latin-1"}],
    ids=["missing", "text", "form", "latin-1"],
)
def test_a_missing_or_wrong_content_type_is_a_415(client, headers):
    response = client.post("/v1/interactions", content=json.dumps({"drugs": ["imatinib"]}).encode(), headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"].startswith(PROBLEM)


def test_json_with_a_utf_8_charset_is_accepted(client):
    response = client.post(
        "/v1/interactions", content=b'{"drugs": ["imatinib"]}', headers={"content-type": "application/json; charset=UTF-8"}
    )
    assert response.status_code == 200


# --- HEAD, redirects ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/health", "/v1/regimens", "/v1/knowledge", "/guide", "/"])
def test_head_answers_like_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert_security_headers(head)


def test_a_trailing_slash_is_not_redirected_using_the_host_header(client):
    response = client.get("/v1/regimens/", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers
    assert "evil.example" not in response.text


# --- echo ---------------------------------------------------------------------------------


def test_instance_is_the_route_template_not_the_path(client):
    long_id = "x" * 10_000
    response = client.get(f"/v1/regimens/{long_id}")
    assert response.status_code == 422  # longer than any identifier
    assert response.json()["instance"] == "/v1/regimens/{regimen_id}"
    assert long_id not in response.text
    assert len(response.content) < 1000


def test_an_unknown_path_has_no_instance(client):
    response = client.get("/v1/Jane-Doe?drug=imatinib")
    assert response.status_code == 404
    assert "instance" not in response.json()
    assert "Jane" not in response.text


def test_an_unknown_key_is_reported_without_its_name(client):
    response = client.post("/v1/interactions", json={"drugs": [{"name": "imatinib", "Jane Doe 1950": 1}]})
    assert response.status_code == 422
    assert "Jane" not in response.text
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["body.drugs[0]"].startswith("an unknown field was sent")
