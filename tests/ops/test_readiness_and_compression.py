"""GET /ready, gzip for large answers, and the benchmark's yardstick route."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient

from service.api.bench import BENCH_PROFILE
from service.config import Settings
from service.main import create_app


def test_not_ready_until_the_lifespan_has_bound_the_knowledge(kb):  # type: ignore[no-untyped-def]
    app = create_app(knowledge_base=kb)
    before = TestClient(app).get("/ready")  # no lifespan run
    assert before.status_code == 503
    assert before.headers["content-type"] == "application/problem+json"
    with TestClient(app) as client:
        during = client.get("/ready")
    assert during.status_code == 200
    assert during.json()["knowledge_version"]["release"] == kb.source.release.version


def test_liveness_does_not_wait_for_the_lifespan(kb):  # type: ignore[no-untyped-def]
    assert TestClient(create_app(knowledge_base=kb)).get("/health").status_code == 200


def test_large_answers_are_gzipped_when_the_client_accepts_it(client):  # type: ignore[no-untyped-def]
    compressed = client.post("/v1/recommendations", json=BENCH_PROFILE, headers={"Accept-Encoding": "gzip"})
    plain = client.post("/v1/recommendations", json=BENCH_PROFILE, headers={"Accept-Encoding": "identity"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert compressed.json() == plain.json()
    assert int(compressed.headers["content-length"]) < len(plain.content) / 3


def test_small_answers_are_sent_as_they_are(client):  # type: ignore[no-untyped-def]
    assert "content-encoding" not in client.get("/health", headers={"Accept-Encoding": "gzip"}).headers


def test_the_yardstick_route_exists_only_under_the_benchmark_setting(kb):  # type: ignore[no-untyped-def]
    with TestClient(create_app(knowledge_base=kb)) as client:
        assert client.post("/bench/static-recommendations", json=BENCH_PROFILE).status_code == 404
    app = create_app(Settings(bench_endpoints=True), knowledge_base=kb)
    assert not any(p.startswith("/bench") for p in app.openapi()["paths"])
    with TestClient(app) as client:
        static = client.post("/bench/static-recommendations", json=BENCH_PROFILE)
        real = client.post("/v1/recommendations", json=BENCH_PROFILE)
        assert static.status_code == real.status_code == 200
        assert static.content == real.content  # the same bytes, in the answer's current shape
        assert "citations" in static.json()
        assert client.post("/bench/static-recommendations", json={"stage": "IV"}).status_code == 422
        # the body is read as strictly as by the real route
        repeated = b'{"cancer_type": "NSCLC", "cancer_type": "LUAD"}'
        for path in ("/bench/static-recommendations", "/v1/recommendations"):
            answer = client.post(path, content=repeated, headers={"content-type": "application/json"})
            assert answer.status_code == 422 and answer.json()["type"].endswith("duplicate-key")
        # through the same middleware: both are compressed alike, and the answer is the new shape (warnings by id)
        zipped = {
            path: client.post(path, json=BENCH_PROFILE, headers={"accept-encoding": "gzip"})
            for path in ("/bench/static-recommendations", "/v1/recommendations")
        }
        assert {a.headers.get("content-encoding") for a in zipped.values()} == {"gzip"}
        assert {a.headers["x-request-id"] != "" for a in zipped.values()} == {True}
        body = static.json()
        assert body["interaction_warnings"] and all(isinstance(i, str) for o in body["options"] for i in o["interactions"])
