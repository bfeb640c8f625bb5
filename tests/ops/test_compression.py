"""The ISA-L gzip middleware sends standard gzip: whole and streamed bodies decode with the standard library."""

from __future__ import annotations

import gzip

from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from service.ops import compression
from service.ops.compression import IsalGZipMiddleware, gzip_answer

TEXT = b'{"drug": "osimertinib", "detail": "' + b"label wording read; " * 400 + b'"}'


def _client() -> TestClient:
    async def whole(request):  # type: ignore[no-untyped-def]
        return Response(TEXT, media_type="application/json")

    async def streamed(request):  # type: ignore[no-untyped-def]
        async def parts():  # type: ignore[no-untyped-def]
            for start in range(0, len(TEXT), 997):
                yield TEXT[start : start + 997]

        return StreamingResponse(parts(), media_type="application/json")

    app = Starlette(routes=[Route("/whole", whole), Route("/streamed", streamed)])
    app.add_middleware(IsalGZipMiddleware, minimum_size=1024, compresslevel=1)
    return TestClient(app)


def test_whole_and_streamed_bodies_are_standard_gzip():
    client = _client()
    for path in ("/whole", "/streamed"):
        raw = client.get(path, headers={"accept-encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip" and raw.headers["vary"] == "Accept-Encoding", path
        # httpx decodes with zlib; decode the wire bytes with gzip too
        assert raw.content == TEXT, path
    with client.stream("GET", "/whole", headers={"accept-encoding": "gzip"}) as response:
        assert gzip.decompress(b"".join(response.iter_raw())) == TEXT


def test_clients_that_do_not_accept_gzip_get_the_body_as_it_is():
    answer = _client().get("/whole", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in answer.headers and answer.content == TEXT


def test_the_benchmark_figure_compresses_as_the_middleware_does():
    assert gzip.decompress(gzip_answer(TEXT)) == TEXT and len(gzip_answer(TEXT)) < len(TEXT) / 10


def test_the_middleware_compresses_with_isal_not_zlib(monkeypatch):
    made = []
    original = compression.isal_zlib.compressobj

    def counting(*args):  # type: ignore[no-untyped-def]
        made.append(args)
        return original(*args)

    # if Starlette stopped asking the responder for its compressor, zlib would be used silently
    monkeypatch.setattr(compression.isal_zlib, "compressobj", counting)
    client = _client()
    assert client.get("/whole", headers={"accept-encoding": "gzip"}).content == TEXT
    assert client.get("/streamed", headers={"accept-encoding": "gzip"}).content == TEXT
    assert len(made) == 2
