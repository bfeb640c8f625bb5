"""Load and fault cases against the service as deployed (`python -m service.serve`), printing figures.

Run with `./scripts/reliability`. It starts its own servers on 127.0.0.1 (never another host), with a
store built into a temporary directory, and every loop is bounded in count and time: the whole run
takes about two minutes and stops by itself. Sections:

1. hostile requests: each tried, with the status it got (none may be a 5xx);
2. memory: the worker's RSS under a burst of oversized bodies;
3. idle, slow-header and slow-body connections: how many the server closed, and when;
4. a worker killed under load (two workers): requests lost, and time until capacity is back;
5. every store fault: exit code, time to exit and the one line printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

from service.config import get_settings
from service.knowledge.source import read_knowledge
from service.knowledge.store import write_store

HOST = "127.0.0.1"  # the only address this script talks to
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """`python -m service.serve` on a free local port, its stderr collected in a file."""

    def __init__(self, store_url: str, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="tki-cds-reliability-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [PYTHON, "-m", "service.serve", "--host", HOST, "--port", str(self.port), "--workers", str(workers)],
            env={**os.environ, "TKI_CDS_KNOWLEDGE_DB_URL": store_url, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        self.workers = workers

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text().count("Application startup complete") >= self.workers:
                return
            if self.process.poll() is not None:
                raise SystemExit(f"server exited: {self.log.read_text()}")
            time.sleep(0.1)
        raise SystemExit("server did not start in time")

    def worker_pids(self) -> list[int]:
        if self.workers == 1:
            return [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        pids = []
        for child in map(int, children):
            try:  # the multiprocessing helper (resource tracker) is a child too: workers run service code
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"resource_tracker" not in cmdline:
                pids.append(child)
        return sorted(pids)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def socket_count(pid: int) -> int:
    """Open TCP connections of a process (its sockets, less the listening one)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return max(0, sum(1 for link in links if link.startswith("socket:")) - 1)


async def exchange(port: int, data: bytes, timeout: float = 15) -> tuple[int | None, bytes, float]:
    """Send `data`, read until the server closes or `timeout`; return (status, response, seconds to close)."""
    start = time.monotonic()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        if data:
            writer.write(data)
            await writer.drain()
        response = b""
        try:
            async with asyncio.timeout(timeout):
                while chunk := await reader.read(65536):
                    response += chunk
        except TimeoutError:
            return _status(response), response, float("inf")
        return _status(response), response, time.monotonic() - start
    except ConnectionError:
        return None, b"", time.monotonic() - start
    finally:
        writer.close()


def _status(response: bytes) -> int | None:
    match = re.match(rb"HTTP/1\.[01] (\d{3})", response)
    return int(match.group(1)) if match else None


def http(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, host: str = "localhost") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"host: {host}", "connection: close"]
    all_headers = {"content-length": str(len(body))} if body or method == "POST" else {}
    all_headers.update(headers or {})
    lines += [f"{k}: {v}" for k, v in all_headers.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


JSON = {"content-type": "application/json"}


# --- 1. hostile requests -------------------------------------------------------------------


def hostile_cases() -> list[tuple[str, bytes, set[int]]]:
    big = 100 * 1024 * 1024
    return [
        ("100 MB JSON body (Content-Length)", http("POST", "/v1/recommendations", headers={**JSON, "content-length": str(big)}), {413}),
        ("multipart upload to /guide", http("POST", "/guide", b"--b\r\n\r\nx\r\n--b--\r\n", {"content-type": "multipart/form-data; boundary=b"}), {415}),
        ("oversized form to /guide", http("POST", "/guide", b"cancer_type=" + b"a" * 300_000, {"content-type": "application/x-www-form-urlencoded"}), {413}),
        ("mutation with U+017F", http("POST", "/v1/recommendations", '{"cancer_type":"NSCLC","mutations":["EGFR \u017fer768Ile"]}'.encode(), JSON), {200}),
        ("mutation with U+0131", http("POST", "/v1/recommendations", '{"cancer_type":"NSCLC","mutations":["KIT \u0131le563Ser"]}'.encode(), JSON), {200}),
        ("mutation with U+0130", http("POST", "/v1/recommendations", '{"cancer_type":"NSCLC","mutations":["KIT \u0130le563Ser"]}'.encode(), JSON), {200}),
        ("duplicate key drops a warning", http("POST", "/v1/interactions", b'{"drugs":["dasatinib","omeprazole"],"drugs":["imatinib"]}', JSON), {422}),
        ("malformed JSON", http("POST", "/v1/interactions", b'{"drugs":[', JSON), {400}),
        ("NaN in JSON", http("POST", "/v1/recommendations", b'{"cancer_type":"NSCLC","pd_l1":{"tps":NaN}}', JSON), {400}),
        ("lone surrogate escape", http("POST", "/v1/interactions", b'{"drugs":["\\udc00"]}', JSON), {400}),
        ("100,000-deep nesting", http("POST", "/v1/interactions", b"[" * 100_000 + b"]" * 100_000, JSON), {400}),
        ("no Content-Type", http("POST", "/v1/interactions", b'{"drugs":["imatinib"]}'), {415}),
        ("text/plain Content-Type", http("POST", "/v1/interactions", b'{"drugs":["imatinib"]}', {"content-type": "text/plain"}), {415}),
        ("10 KB path parameter", http("GET", "/v1/regimens/" + "x" * 10_000), {422}),
        ("unknown key", http("POST", "/v1/interactions", b'{"drugs":["imatinib"],"Jane Doe":1}', JSON), {422}),
        ("Content-Length with Transfer-Encoding", http("POST", "/v1/interactions", b"0\r\n\r\n", {**JSON, "transfer-encoding": "chunked", "content-length": "5"}), {400}),
        ("trailing slash with a foreign Host", http("GET", "/v1/regimens/", host="evil.example"), {404}),
        ("HEAD /health", http("HEAD", "/health"), {200}),
        ("HEAD /v1/regimens", http("HEAD", "/v1/regimens"), {200}),
        ("16 KiB of headers", http("GET", "/health", headers={"x-pad": "a" * 20_000}), {400}),
    ]


async def section_hostile(port: int) -> None:
    print("\n1. hostile requests (each sent on its own connection)")
    tried = rejected = fives = unexpected = 0
    for name, data, expected in hostile_cases():
        status, response, _ = await exchange(port, data, timeout=10)
        head = response.split(b"\r\n\r\n", 1)[0].lower()
        notes = []
        if b"\r\nserver:" in head:
            notes.append("server banner!")
        if status is not None and b"cache-control: no-store" not in head:
            notes.append("(uvicorn's own reply: no security headers)")
        if b"evil.example" in response or b"Jane Doe" in response or b"x" * 200 in response:
            notes.append("echo!")
        tried += 1
        rejected += status is not None and 400 <= status < 500
        fives += status is not None and status >= 500
        unexpected += status not in expected
        mark = "ok " if status in expected and not any("!" in note for note in notes) else "!! "
        print(f"   {mark}{name:<42} -> {status}  {' '.join(notes)}")
    print(f"   bodies and requests tried: {tried}; rejected with a 4xx: {rejected}; 5xx: {fives}; not as expected: {unexpected}")


# --- 2. memory under oversized bodies --------------------------------------------------------


async def _send_oversized(port: int, size: int, chunked: bool) -> tuple[int | None, int]:
    """Offer `size` bytes of body; stop when the server answers or closes. Returns (status, bytes sent)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    headers = {**JSON, "transfer-encoding": "chunked"} if chunked else {**JSON, "content-length": str(size)}
    writer.write(http("POST", "/v1/recommendations", headers=headers | {"content-length": None} if chunked else headers))
    sent = 0
    chunk = b"[" + b"1," * 32767 + b"1"  # 64 KiB of valid-looking JSON text
    response = b""
    read = asyncio.ensure_future(reader.read(65536))
    try:
        async with asyncio.timeout(30):
            while sent < size and not read.done():
                piece = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") if chunked else chunk
                writer.write(piece)
                await writer.drain()
                sent += len(chunk)
            response = await read
    except (ConnectionError, TimeoutError):
        if read.done() and not read.cancelled() and read.exception() is None:
            response = read.result()
    finally:
        read.cancel()
        writer.close()
    return _status(response), sent


async def section_memory(server: Server) -> None:
    print("\n2. worker RSS under a burst of oversized bodies (12 at once: 6 x 100 MB declared, 6 x 100 MB chunked)")
    pid = server.worker_pids()[0]
    before = rss_mib(pid)
    peak = before
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_mib(pid))
            await asyncio.sleep(0.02)

    sampler = asyncio.ensure_future(sample())
    start = time.monotonic()
    results = await asyncio.gather(*[_send_oversized(server.port, 100 * 1024 * 1024, chunked=i % 2 == 1) for i in range(12)])
    elapsed = time.monotonic() - start
    done.set()
    await sampler
    after = rss_mib(pid)
    statuses = sorted({str(s) for s, _ in results})
    offered = sum(100 for _ in results)
    taken = sum(sent for _, sent in results) / 1024 / 1024
    print(
        f"   answers: {', '.join(statuses)} in {elapsed:.2f} s; of {offered} MB offered, the clients wrote {taken:.1f} MB "
        "before reading the 413 (the server drops what follows a refused body, it keeps none of it)"
    )
    print(f"   RSS before {before:.0f} MiB, peak {peak:.0f} MiB (+{peak - before:.0f}), after {after:.0f} MiB")


# --- 3. idle and slow connections ------------------------------------------------------------


async def _idle(port: int) -> float:
    _, _, closed = await exchange(port, b"", timeout=40)
    return closed


async def _slow_headers(port: int) -> float:
    start = time.monotonic()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        async with asyncio.timeout(40):
            for byte in b"GET /health HTTP/1.1\r\nhost: localhost\r\nx-slow: " + b"a" * 100:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    async with asyncio.timeout(1):
                        if await reader.read(65536) == b"":
                            return time.monotonic() - start
                except TimeoutError:
                    continue
                return time.monotonic() - start  # answered (408) and closed next
    except (ConnectionError, TimeoutError):
        return time.monotonic() - start
    finally:
        writer.close()
    return float("inf")


async def _slow_body(port: int) -> float:
    start = time.monotonic()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(http("POST", "/v1/interactions", headers={**JSON, "content-length": "1000"}))
        async with asyncio.timeout(40):
            for _ in range(1000):
                writer.write(b" ")
                await writer.drain()
                try:
                    async with asyncio.timeout(1):
                        if await reader.read(65536) == b"":
                            return time.monotonic() - start
                except TimeoutError:
                    continue
                return time.monotonic() - start
    except (ConnectionError, TimeoutError):
        return time.monotonic() - start
    finally:
        writer.close()
    return float("inf")


async def section_slow(server: Server) -> None:
    settings = get_settings()
    print(
        f"\n3. idle and slow connections (limits: keep-alive/idle {settings.timeout_keep_alive} s, headers "
        f"{settings.header_timeout:g} s, body {settings.body_timeout:g} s; 40 s allowed)"
    )
    groups: list[tuple[str, int, Callable[[int], Any]]] = [
        ("idle", 1000, _idle),
        ("slow headers (1 byte/s)", 300, _slow_headers),
        ("slow body (1 byte/s)", 300, _slow_body),
    ]
    for name, count, make in groups:  # one group at a time, each bounded by 40 s
        tasks = [asyncio.ensure_future(make(server.port)) for _ in range(count)]
        await asyncio.sleep(2)
        during, _, _ = await exchange(server.port, http("GET", "/health"), timeout=10)
        closed = await asyncio.gather(*tasks)
        finite = sorted(c for c in closed if c != float("inf"))
        slowest = f"{finite[-1]:.1f} s" if finite else "-"
        print(f"   {name:<26} {len(finite)}/{len(closed)} closed by the server, the last after {slowest}; GET /health meanwhile: {during}")
    after, _, _ = await exchange(server.port, http("GET", "/health"), timeout=10)
    print(f"   GET /health after: {after} (concurrency limit: {settings.limit_concurrency} open connections per worker)")


# --- 4. a worker killed under load -----------------------------------------------------------


async def section_worker_kill(store_url: str) -> None:
    clients, duration, kill_at = 16, 14.0, 4.0
    print(f"\n4. a worker killed under load (2 workers, {clients} keep-alive clients on POST /v1/interactions for {duration:g} s, SIGKILL at {kill_at:g} s)")
    server = Server(store_url, workers=2)
    server.wait_ready()
    body = b'{"drugs":["dasatinib","omeprazole 20 mg"]}'
    request = (
        b"POST /v1/interactions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
        + f"content-length: {len(body)}\r\n\r\n".encode()
        + body
    )
    start = time.monotonic()
    completions: list[float] = []
    lost = 0
    errors = 0

    async def client() -> None:
        nonlocal lost, errors
        while time.monotonic() - start < duration:
            try:
                reader, writer = await asyncio.open_connection(HOST, server.port)
            except OSError:
                errors += 1
                await asyncio.sleep(0.05)
                continue
            try:
                while time.monotonic() - start < duration:
                    writer.write(request)
                    await writer.drain()
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))  # type: ignore[union-attr]
                    await reader.readexactly(length)
                    completions.append(time.monotonic() - start)
                    if b"connection: close" in head.lower():
                        break
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                lost += 1  # a request sent that never got its answer
            finally:
                writer.close()

    samples: list[tuple[float, dict[int, int]]] = []

    async def watch() -> None:
        while time.monotonic() - start < duration:
            samples.append((time.monotonic() - start, {pid: socket_count(pid) for pid in server.worker_pids()}))
            await asyncio.sleep(0.25)

    async def kill() -> tuple[int, set[int]]:
        await asyncio.sleep(kill_at)
        victims = server.worker_pids()
        os.kill(victims[0], signal.SIGKILL)
        return victims[0], set(victims)

    results = await asyncio.gather(kill(), watch(), *[client() for _ in range(clients)])
    victim, original = results[0]
    log = server.log.read_text()
    server.stop()

    def rate(low: float, high: float) -> float:
        return sum(1 for t in completions if low <= t < high) / (high - low)

    before = rate(1.0, kill_at)
    replacement_up = None
    balanced_at = None
    for at, per_worker in samples:
        new = [pid for pid in per_worker if pid not in original]
        if at > kill_at and new and replacement_up is None:
            replacement_up = at
        if at > kill_at and new and all(count >= clients // 4 for count in per_worker.values()) and len(per_worker) == 2:
            balanced_at = at
            break
    recovered_at = None
    for t in [kill_at + 0.5 * i for i in range(1, int((duration - kill_at) * 2))]:
        if rate(t, t + 1.0) >= 0.9 * before:
            recovered_at = t
            break
    restarted = "Child process [%d] died" % victim in log

    def after_kill(at: float | None) -> str:
        return f"{at - kill_at:.2f} s after the kill" if at is not None else "not within the run"

    print(f"   throughput before the kill: {before:.0f} req/s; requests completed {len(completions)}; requests lost {lost}; connection errors {errors}")
    print(f"   worker restarted by the supervisor: {'yes' if restarted else 'no'}; replacement serving connections {after_kill(replacement_up)}")
    print(f"   connections spread over both workers again {after_kill(balanced_at)}; throughput back to 90 % {after_kill(recovered_at)}")
    timeline = [f"{int(rate(t, t + 1.0))}" for t in range(int(duration))]
    print("   requests per second, second by second: " + " ".join(timeline))
    spread = [f"{at:4.1f}s {sorted(c.values())}" for at, c in samples if int(at * 4) % 8 == 0]
    print("   connections per worker over time: " + ", ".join(spread))


# --- 5. store faults ------------------------------------------------------------------------


def store_faults(good: Path, directory: Path) -> dict[str, Path]:
    faults: dict[str, Path] = {}
    faults["missing"] = directory / "missing.sqlite"
    empty = directory / "empty.sqlite"
    empty.write_bytes(b"")
    faults["empty file"] = empty
    truncated = directory / "truncated.sqlite"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    faults["truncated"] = truncated
    garbage = directory / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    faults["not SQLite"] = garbage
    corrupt = directory / "corrupt.sqlite"
    data = bytearray(good.read_bytes())
    data[4096 : 4096 * 40] = bytes((b * 7 + 13) % 256 for b in data[4096 : 4096 * 40])
    corrupt.write_bytes(bytes(data))
    faults["corrupt pages"] = corrupt
    edited = directory / "edited.sqlite"
    edited.write_bytes(good.read_bytes())
    with sqlite3.connect(edited) as connection:
        connection.execute("UPDATE regimen SET payload = json_set(payload, '$.name', 'edited') WHERE id = (SELECT min(id) FROM regimen)")
    faults["edited after build"] = edited
    no_release = directory / "no-release.sqlite"
    no_release.write_bytes(good.read_bytes())
    with sqlite3.connect(no_release) as connection:
        connection.execute("DELETE FROM knowledge_release")
    faults["no release row"] = no_release
    return faults


def section_store_faults(good: Path, directory: Path) -> None:
    print("\n5. store faults (python -m service.serve --workers 2)")
    for name, path in store_faults(good, directory).items():
        start = time.monotonic()
        result = subprocess.run(
            [PYTHON, "-m", "service.serve", "--host", HOST, "--port", str(free_port()), "--workers", "2"],
            env={**os.environ, "TKI_CDS_KNOWLEDGE_DB_URL": f"sqlite:///{path}"},
            capture_output=True,
            timeout=60,
        )
        elapsed = time.monotonic() - start
        lines = result.stderr.decode().strip().splitlines()
        created = " (file created!)" if name == "missing" and path.exists() else ""
        shown = lines[0].replace(str(directory), "<tmp>") if lines else ""
        print(f"   {name:<20} exit {result.returncode} in {elapsed:.1f} s, {len(lines)} line{created}: {shown}")


def main() -> int:
    directory = Path(tempfile.mkdtemp(prefix="tki-cds-reliability-"))
    good = directory / "knowledge.sqlite"
    write_store(read_knowledge(get_settings().knowledge_dir), f"sqlite:///{good}")
    store_url = f"sqlite:///{good}"
    print(f"tki-cds reliability run against {HOST} (python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    server = Server(store_url)
    server.wait_ready()
    try:
        asyncio.run(section_hostile(server.port))
        asyncio.run(section_memory(server))
        asyncio.run(section_slow(server))
    finally:
        log = server.log.read_text()
        server.stop()
    leaked = [word for word in ("Jane Doe", "evil.example", "\u017fer768", "x" * 200, "Traceback") if word in log]
    print(f"   server log: {len(log.splitlines())} lines; request data or tracebacks in it: {', '.join(leaked) or 'none'}")
    asyncio.run(section_worker_kill(store_url))
    section_store_faults(good, directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
