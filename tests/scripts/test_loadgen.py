"""The open-loop generator counts queueing against the server (latency from the scheduled send time)."""

from __future__ import annotations

import asyncio
import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from scripts.loadgen import OpenLoopResult, open_loop, post_request

SERVICE_SECONDS = 0.2


def run_on_own_loop(coroutine):  # type: ignore[no-untyped-def]
    # The browser tests' sync Playwright keeps an event loop running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _slow_server() -> tuple[asyncio.AbstractServer, int]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
                await reader.readexactly(length)
                await asyncio.sleep(SERVICE_SECONDS)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_waiting_behind_a_slow_answer_counts_as_latency():  # type: ignore[no-untyped-def]
    async def run() -> OpenLoopResult:
        server, port = await _slow_server()
        async with server:
            request = post_request("127.0.0.1", port, "/", b"{}")
            # 10 requests due every 50 ms over one connection that answers every 200 ms.
            return await open_loop("127.0.0.1", port, request, rate=20, duration=0.5, max_connections=1)

    result = run_on_own_loop(run())
    assert (result.completed, result.failed) == (10, 0)
    # A closed-loop tool would report ~200 ms for every request; the last one here waited behind nine.
    assert min(result.latencies) == pytest.approx(SERVICE_SECONDS, abs=0.1)
    assert max(result.latencies) > 1.0


def test_an_unanswered_request_counts_as_slower_than_any_answer():  # type: ignore[no-untyped-def]
    result = OpenLoopResult(scheduled=4, completed=3, failed=1, latencies=[0.01, 0.02, 0.03])
    assert result.percentile(50) == 0.02
    assert math.isinf(result.percentile(99))


def test_load_goes_to_loopback_only():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="loopback"):
        run_on_own_loop(open_loop("192.0.2.1", 80, b"", rate=1, duration=1))


def test_a_request_the_server_dropped_on_a_closed_idle_connection_is_resent_on_a_new_one():  # type: ignore[no-untyped-def]
    async def one_answer_per_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # keeps no connection alive, without saying so: every idle connection the client holds goes stale
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            await asyncio.sleep(0.15)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def run() -> OpenLoopResult:
        server = await asyncio.start_server(one_answer_per_connection, "127.0.0.1", 0)
        async with server:
            port = server.sockets[0].getsockname()[1]
            # answers overlap, so several stale connections sit idle at once
            return await open_loop("127.0.0.1", port, post_request("127.0.0.1", port, "/", b"{}"), rate=20, duration=1, max_connections=8)

    result = run_on_own_loop(run())
    assert result.stale_retries > 0
    assert (result.completed, result.failed, result.errors) == (20, 0, {})
