"""A constant-rate (open-loop) HTTP/1.1 load generator that measures from each request's scheduled send time.

A closed-loop tool (wrk) waits for an answer before sending the next request, so a stalled server also
stalls the clock and hides the wait (coordinated omission). Here request i is due at start + i / rate,
whatever happened before; its latency runs from that due time to the end of its answer, so time spent
waiting for a free connection, or for the generator itself, counts against the server as a client's
would. Connections are kept alive and opened on demand up to a bound. Loopback only; bounded in count
and time.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field


@dataclass
class OpenLoopResult:
    scheduled: int
    completed: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, from the scheduled send time
    # (due time relative to start, latency or None if failed) for every request, for windowed figures
    timeline: list[tuple[float, float | None]] = field(default_factory=list)
    wall_seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)  # failure kind -> count
    # Requests sent again on a new connection because a kept-alive one had been closed by the server
    # before any byte of the answer (what HTTP clients do; the server never answered the first send).
    stale_retries: int = 0

    def percentile(self, q: float, window: tuple[float, float] | None = None) -> float:
        """The q-th percentile latency in seconds (nearest rank); failures count as never answered."""
        if window is None:
            values = sorted(self.latencies)
            missing = self.failed
        else:
            inside = [lat for due, lat in self.timeline if window[0] <= due < window[1]]
            values = sorted(lat for lat in inside if lat is not None)
            missing = sum(1 for lat in inside if lat is None)
        total = len(values) + missing
        if total == 0:
            return math.nan
        rank = max(1, math.ceil(q / 100 * total))
        return values[rank - 1] if rank <= len(values) else math.inf


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


class _StaleConnection(Exception):
    """A kept-alive connection the server had closed: no byte of an answer arrived."""


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.used = False
        self.reusable = True

    async def exchange(self, request: bytes) -> int:
        reused, self.used = self.used, True
        try:
            self.writer.write(request)
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            if reused and not getattr(error, "partial", b""):
                raise _StaleConnection() from error
            raise
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        close = chunked = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        self.reusable = not close
        return status

    def close(self) -> None:
        self.writer.close()

    async def closed(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except OSError:
            pass


async def open_loop(
    host: str,
    port: int,
    request: bytes,
    rate: float,
    duration: float,
    max_connections: int = 64,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """Send `request` (raw HTTP/1.1 bytes, keep-alive) at `rate` per second for `duration` seconds."""
    if not _is_loopback(host):
        raise ValueError("load is sent to loopback addresses only")
    loop = asyncio.get_running_loop()
    total = int(rate * duration)
    result = OpenLoopResult(scheduled=total)
    idle: list[_Connection] = []
    opened = 0
    freed = asyncio.Condition()
    start = loop.time() + 0.05

    async def connection(fresh: bool = False) -> _Connection:
        """An idle kept-alive connection, or a new one; always a new one when `fresh`."""
        nonlocal opened
        async with freed:
            while (fresh or not idle) and opened >= max_connections:
                if fresh and idle:
                    idle.pop(0).close()  # the longest idle: the likeliest to be closed by the server too
                    opened -= 1
                    break
                await freed.wait()
            if idle and not fresh:
                return idle.pop()
            opened += 1
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            async with freed:
                opened -= 1
                freed.notify()
            raise
        return _Connection(reader, writer)

    async def release(conn: _Connection | None) -> None:
        nonlocal opened
        async with freed:
            if conn is None:
                opened -= 1
            else:
                idle.append(conn)
            freed.notify()

    async def one(due: float) -> None:
        ok = False
        deadline = due + timeout
        for attempt in (1, 2):
            conn: _Connection | None = None
            try:
                # a resend goes on a new connection, as HTTP clients do: other idle ones may be closed as well
                conn = await asyncio.wait_for(connection(fresh=attempt == 2), max(deadline - loop.time(), 0.001))
                status = await asyncio.wait_for(conn.exchange(request), max(deadline - loop.time(), 0.001))
                ok = 200 <= status < 300
                if not ok:
                    result.errors[f"status {status}"] = result.errors.get(f"status {status}", 0) + 1
                if conn.reusable:
                    await release(conn)
                else:
                    await conn.closed()
                    await release(None)
                break
            except _StaleConnection:
                conn.close()  # type: ignore[union-attr]
                await release(None)
                if attempt == 1:
                    result.stale_retries += 1
                    continue
                result.errors["stale connection"] = result.errors.get("stale connection", 0) + 1
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as error:
                kind = type(error).__name__
                result.errors[kind] = result.errors.get(kind, 0) + 1
                if conn is not None:
                    conn.close()
                    await release(None)
                break
        finished = loop.time()
        if ok:
            result.completed += 1
            result.latencies.append(finished - due)
            result.timeline.append((due - start, finished - due))
        else:
            result.failed += 1
            result.timeline.append((due - start, None))

    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    _, pending = await asyncio.wait(tasks, timeout=timeout + 5)
    for task in pending:
        task.cancel()
    if pending:  # still unanswered past every timeout
        result.failed += len(pending)
        result.errors["unfinished"] = len(pending)
    await asyncio.gather(*tasks, return_exceptions=True)
    result.wall_seconds = loop.time() - start
    await asyncio.gather(*(conn.closed() for conn in idle))
    return result


def post_request(host: str, port: int, path: str, body: bytes, extra_headers: dict[str, str] | None = None) -> bytes:
    headers = {"Host": f"{host}:{port}", "Content-Type": "application/json", "Content-Length": str(len(body)), **(extra_headers or {})}
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body
