"""Request logs: one JSON line per request with a request id, the route template, status, and no patient data."""

from __future__ import annotations

import json
import logging
import sys
import uuid

from service.ops.logging_config import JsonFormatter

PROFILE = {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR-ABL1 T315I"], "current_medications": ["omeprazole 20 mg"]}


def _request_lines(caplog) -> list[dict]:  # type: ignore[no-untyped-def]
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "tki_cds.request"]


def test_each_request_logs_its_id_route_and_status_without_the_body(client, caplog):  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="tki_cds.request"):
        response = client.post("/v1/recommendations", json=PROFILE)
    assert response.status_code == 200
    (line,) = _request_lines(caplog)
    assert line["request_id"] == response.headers["x-request-id"]
    assert (line["method"], line["route"], line["status"]) == ("POST", "/v1/recommendations", 200)
    assert line["duration_ms"] > 0
    text = json.dumps(line)
    for submitted in ("CML", "T315I", "omeprazole", "chronic"):
        assert submitted not in text


def test_a_proxy_request_id_is_kept(client, caplog):  # type: ignore[no-untyped-def]
    incoming = str(uuid.uuid4())
    with caplog.at_level(logging.INFO, logger="tki_cds.request"):
        response = client.get("/health", headers={"X-Request-ID": incoming})
    assert response.headers["x-request-id"] == incoming
    assert _request_lines(caplog)[0]["request_id"] == incoming


def test_free_text_in_the_request_id_header_is_replaced(client, caplog):  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="tki_cds.request"):
        response = client.get("/health", headers={"X-Request-ID": "MRN 0012345 Jane Doe"})
    assert "Jane" not in response.headers["x-request-id"]
    assert "Jane" not in json.dumps(_request_lines(caplog))


def test_raw_paths_are_not_logged(client, caplog):  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="tki_cds.request"):
        client.get("/v1/drugs/no-such-drug-for-jane")
    (line,) = _request_lines(caplog)
    assert line["route"] == "/v1/drugs/{name}" and line["status"] == 404
    assert "jane" not in json.dumps(line)


def test_exceptions_are_logged_by_type_and_place_never_by_message():  # type: ignore[no-untyped-def]
    try:
        raise ValueError("patient Jane Doe, omeprazole")
    except ValueError:
        record = logging.LogRecord("tki_cds", logging.ERROR, __file__, 1, "unhandled", None, sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["error"] == "ValueError" and line["stack"]
    assert "Jane" not in json.dumps(line)
