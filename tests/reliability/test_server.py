"""The server as deployed (python -m service.serve, httptools), over real sockets on 127.0.0.1 with short limits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.knowledge.source import read_knowledge
from service.knowledge.store import write_store
from service.serve import server_config

LIMITS = {
    "TKI_CDS_TIMEOUT_KEEP_ALIVE": "1",
    "TKI_CDS_HEADER_TIMEOUT": "1",
    "TKI_CDS_BODY_TIMEOUT": "1",
    "TKI_CDS_MAX_REQUESTS_PER_CONNECTION": "3",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory, knowledge_source_dir) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("store") / "knowledge.sqlite"
    url = f"sqlite:///{path}"
    write_store(read_knowledge(knowledge_source_dir), url)
    return url


def _launch(url: str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **LIMITS, "TKI_CDS_KNOWLEDGE_DB_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "service.serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def server(store) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:  # type: ignore[no-untyped-def]
    port = _free_port()
    process = _launch(store, port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        process.communicate()
        pytest.fail("the server did not start")
    yield port, process
    process.terminate()
    process.communicate(timeout=10)


def _exchange(port: int, data: bytes, wait: float = 3.0) -> tuple[bytes, float]:
    """Send `data`, read until the server closes (or `wait` passes); return what came back and when it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as conn:
        start = time.monotonic()
        if data:
            conn.sendall(data)
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except TimeoutError:
            return received, float("inf")
        return received, time.monotonic() - start


def test_no_server_banner(server):
    port, _ = server
    response, _ = _exchange(port, b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 200")
    assert b"\r\nserver:" not in response.lower()


def test_content_length_with_transfer_encoding_is_refused_and_closed(server):
    port, _ = server
    request = (
        b"POST /v1/interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        b"content-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    response, closed = _exchange(port, request)
    assert response.startswith(b"HTTP/1.1 400")
    assert closed < 3


def test_an_idle_connection_is_closed(server):
    port, _ = server
    response, closed = _exchange(port, b"")
    assert response == b"" and closed < 3


def test_slow_headers_are_timed_out(server):
    port, _ = server
    response, closed = _exchange(port, b"GET /health HTTP/1.1\r\nhost: x\r\n")
    assert response.startswith(b"HTTP/1.1 408") and closed < 3


def test_a_slow_body_is_timed_out(server):
    port, _ = server
    request = b"POST /v1/interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"
    response, closed = _exchange(port, request)
    assert response.startswith(b"HTTP/1.1 408") and b"application/problem+json" in response and closed < 3


def test_an_oversized_body_sent_in_full_still_gets_its_413(server):
    port, _ = server
    body = b'{"drugs": ["' + b"a" * 400_000 + b'"]}'
    request = (
        b"POST /v1/interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        + f"content-length: {len(body)}\r\n\r\n".encode()
        + body
    )
    for ending in (b"", b"connection: close\r\n"):  # the rest of the body is read and dropped, not met with a reset
        response, _ = _exchange(port, request.replace(b"host: x\r\n", b"host: x\r\n" + ending))
        assert response.startswith(b"HTTP/1.1 413") and b"application/problem+json" in response


def test_oversized_headers_are_refused(server):
    port, _ = server
    response, closed = _exchange(port, b"GET /health HTTP/1.1\r\nhost: x\r\nx-pad: " + b"a" * 20000 + b"\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 400") and closed < 3


def test_a_kept_alive_connection_is_closed_after_its_requests(server):
    port, _ = server
    request = b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n"
    response, closed = _exchange(port, request * 3)
    assert response.count(b"HTTP/1.1 200") == 3
    assert response.lower().count(b"connection: close") == 1
    assert closed < 1  # closed after the third answer, not by the idle timeout


def test_the_log_holds_no_path_or_query(store):
    port = _free_port()
    process = _launch(store, port)
    try:
        for _ in range(100):
            try:
                _exchange(port, b"GET /v1/drugs/Jane-Doe-1950?cancer=NSCLC HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                break
            except OSError:
                time.sleep(0.1)
        _exchange(port, b"POST /v1/interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert b"Application startup complete" in stderr
    # route templates may be logged (/v1/drugs/{name}); the path and query as sent never are
    assert b"Jane-Doe" not in stderr and b"NSCLC" not in stderr and b"cancer=" not in stderr


def test_forwarded_headers_are_trusted_only_from_named_proxies():
    default = server_config(Settings(), "127.0.0.1", 8000, 1)
    assert default.proxy_headers is False and default.server_header is False and default.access_log is False
    behind_proxy = server_config(Settings(forwarded_allow_ips="10.0.0.5"), "127.0.0.1", 8000, 1)
    assert behind_proxy.proxy_headers is True and behind_proxy.forwarded_allow_ips == "10.0.0.5"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_missing_store_stops_the_start_with_one_line_and_creates_nothing(tmp_path: Path, workers):
    missing = tmp_path / "missing.sqlite"
    process = _launch(f"sqlite:///{missing}", _free_port(), "--workers", workers)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "knowledge store missing" in lines[0]
    assert not missing.exists()


def test_a_worker_that_meets_a_bad_store_stops_without_a_restart_loop(tmp_path: Path):
    # the store passes the launcher's check, then is removed before the worker loads it
    env = {**os.environ, "TKI_CDS_KNOWLEDGE_DB_URL": f"sqlite:///{tmp_path / 'gone.sqlite'}"}
    code = "import service.serve as s; s.verified_app()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=30)
    assert result.returncode == 3  # uvicorn's startup failure: its supervisor stops instead of restarting
    assert len(result.stderr.decode().strip().splitlines()) == 1
