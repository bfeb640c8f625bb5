"""GET /metrics: counts and latency by route template and status, with the release, and no request data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.middleware.base import BaseHTTPMiddleware

from service.main import create_app
from service.ops.metrics import MetricsMiddleware


def _metrics(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def test_requests_are_counted_by_route_template_never_by_path(client, kb):  # type: ignore[no-untyped-def]
    regimen_id = kb.source.regimens[0].id
    assert client.get(f"/v1/regimens/{regimen_id}").status_code == 200
    text = _metrics(client)
    release = kb.source.release.version
    assert f'tki_cds_http_requests_total{{method="GET",release="{release}",route="/v1/regimens/{{regimen_id}}",status="200"}}' in text
    assert regimen_id not in text


def test_unknown_paths_share_one_label(client):  # type: ignore[no-untyped-def]
    assert client.get("/patients/smith-1957-03-02").status_code == 404
    text = _metrics(client)
    assert 'route="unmatched",status="404"' in text
    assert "smith" not in text


def test_nothing_submitted_reaches_a_label(client):  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/recommendations",
        json={"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR-ABL1 T315I"], "current_medications": ["omeprazole"]},
    )
    assert response.status_code == 200
    text = _metrics(client)
    assert 'route="/v1/recommendations",status="200"' in text
    assert 'tki_cds_http_request_duration_seconds_bucket{le="0.001",method="POST"' in text
    for submitted in ("CML", "T315I", "omeprazole", "chronic"):
        assert submitted not in text


def test_the_knowledge_release_is_exported(client, kb):  # type: ignore[no-untyped-def]
    text = _metrics(client)
    assert f'tki_cds_knowledge_info{{content_hash="{kb.content_hash}",release="{kb.source.release.version}"}} 1.0' in text


def test_metrics_middleware_is_pure_asgi_and_outermost(app):  # type: ignore[no-untyped-def]
    outermost = app.build_middleware_stack()
    assert type(outermost) is MetricsMiddleware
    assert not isinstance(outermost, BaseHTTPMiddleware)
    assert not any(issubclass(m.cls, BaseHTTPMiddleware) for m in app.user_middleware)  # type: ignore[arg-type]


def test_metrics_is_not_part_of_the_contract(app):  # type: ignore[no-untyped-def]
    assert "/metrics" not in app.openapi()["paths"]


def test_answers_the_guard_gives_itself_are_counted(client):  # type: ignore[no-untyped-def]
    response = client.post("/v1/recommendations", content=b" " * (300 * 1024), headers={"content-type": "application/json"})
    assert response.status_code == 413  # refused by the guard before any route runs
    assert 'status="413"' in _metrics(client)


def test_fastapi_native_telemetry_never_looks_for_a_provider(kb, monkeypatch):  # type: ignore[no-untyped-def]
    # were a provider configured (an operator's auto-instrumentation), its spans would carry raw paths and queries
    import fastapi.telemetry._asgi as native

    asked: list[str] = []

    def provider(kind: str):  # type: ignore[no-untyped-def]
        def lookup():  # type: ignore[no-untyped-def]
            asked.append(kind)
            return object()  # not one of OpenTelemetry's deferred providers: counts as configured

        return lookup

    monkeypatch.setattr(native.trace, "get_tracer_provider", provider("tracer"))
    monkeypatch.setattr(native.metrics, "get_meter_provider", provider("meter"))
    monkeypatch.setattr(native._logs, "get_logger_provider", provider("logger"))
    with TestClient(create_app(knowledge_base=kb)) as client:
        assert client.get("/v1/drugs/imatinib").status_code == 200
        assert client.post("/v1/interactions", json={"drugs": ["imatinib", "rifampin"]}).status_code == 200
    assert asked == []
