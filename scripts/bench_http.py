"""HTTP benchmark: the real recommendation route against the same app returning pre-serialised bytes.

Starts the service (`python -m service.serve`, one worker) on loopback with TKI_CDS_BENCH_ENDPOINTS=1, then for each route runs
  - closed-loop load with Debian's `wrk` (N connections, each sends as soon as its answer arrives):
    throughput, latency percentiles, and the server's CPU time per request;
  - constant-rate open-loop load with scripts/loadgen.py (latency from each request's scheduled send
    time, so queueing is not hidden) at the same rate for both routes.
Prints requests/s, p50/p99/p99.9, CPU per request, and the real/static throughput ratio.
Both routes validate the same request body; the static one returns the bytes of the answer computed at
startup (service/api/bench.py). Figures on a shared machine are noisy: compare the ratio within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scripts.loadgen import open_loop, post_request
from service.api.bench import BENCH_PROFILE

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ROUTES = {"real": "/v1/recommendations", "static": "/bench/static-recommendations"}

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install wrk")
    print("installing Debian's wrk", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk did not install")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TKI_CDS_BENCH_ENDPOINTS": "1", **(extra_env or {})}
    # As deployed: the launcher, one worker, its limits and JSON logs (one line per request, discarded here).
    command = [sys.executable, "-m", "service.serve", "--host", HOST, "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, server)
    return server


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/ready", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    sys.exit("the server did not become ready")


def run_wrk(wrk: str, url: str, script: Path, connections: int, seconds: float) -> dict[str, float]:
    output = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(script), url],
        check=True, capture_output=True, text=True, timeout=seconds + 30,
    ).stdout
    match = re.search(r"WRK_RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    if not match:
        sys.exit("wrk printed no result:\n" + output)
    requests, duration_us, errors, p50, p99, p999, worst = (int(g) for g in match.groups())
    return {
        "requests": requests, "errors": errors, "rps": requests / (duration_us / 1e6),
        "p50_ms": p50 / 1000, "p99_ms": p99 / 1000, "p999_ms": p999 / 1000, "max_ms": worst / 1000,
    }


def answer_costs(rounds: int = 200) -> dict[str, float]:
    """In this process, CPU ms per answer of BENCH_PROFILE: the engine, serialisation, and gzip at the served level."""
    from schemas.requests import PatientProfileInput
    from service.api.answers import json_answer
    from service.config import get_settings
    from service.engine.recommend import recommend_for
    from service.knowledge.loader import load_knowledge
    from service.ops import GZIP_LEVEL
    from service.ops.compression import gzip_answer

    kb = load_knowledge(get_settings().knowledge_db_url)
    profile = PatientProfileInput.model_validate(BENCH_PROFILE)
    answer = recommend_for(kb, profile)
    data = json_answer(answer).body
    steps = {
        "engine": lambda: recommend_for(kb, profile),
        "serialisation": lambda: json_answer(answer),
        f"gzip (ISA-L level {GZIP_LEVEL})": lambda: gzip_answer(data, GZIP_LEVEL),
    }
    costs = {}
    for name, step in steps.items():
        step()
        started = time.process_time()
        for _ in range(rounds):
            step()
        costs[name] = (time.process_time() - started) * 1000 / rounds
    return costs


def fetch(port: int, path: str, body: bytes) -> tuple[bytes, dict[str, int]]:
    """The answer's bytes, and its size as sent without and with gzip."""
    sizes = {}
    plain = b""
    for encoding in ("identity", "gzip"):
        request = urllib.request.Request(
            f"http://{HOST}:{port}{path}", data=body, headers={"Content-Type": "application/json", "Accept-Encoding": encoding}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            sent = answer.read()
            sizes[encoding] = len(sent)
            if encoding == "identity":
                plain = sent
            elif answer.headers.get("content-encoding") == "gzip" and gzip.decompress(sent) != plain:
                sys.exit(f"{path}: the gzip answer differs from the plain one")
    return plain, sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench-http", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="length of each load phase (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--rate", type=float, help="open-loop requests/s for both routes (default: half the real route's closed-loop rate)")
    parser.add_argument("--no-gzip", action="store_true", help="ask for uncompressed answers")
    args = parser.parse_args(argv)
    args.seconds = min(max(args.seconds, 1), 60)  # bounded load

    wrk = ensure_wrk()
    subprocess.run([sys.executable, "-m", "service.knowledge", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    body = json.dumps(BENCH_PROFILE).encode()
    headers = {} if args.no_gzip else {"Accept-Encoding": "gzip"}
    port = free_port()
    server = start_server(port)
    try:
        with tempfile.TemporaryDirectory(prefix="tki-cds-bench-") as scratch:
            script = Path(scratch) / "post.lua"
            lua_headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
            script.write_text(WRK_SCRIPT.format(body="[[" + body.decode() + "]]", headers=lua_headers))
            sizes, answers = {}, {}
            for name, path in ROUTES.items():
                answers[name], sizes[name] = fetch(port, path, body)
                run_wrk(wrk, f"http://{HOST}:{port}{path}", script, args.connections, 2)  # warm-up
            if answers["real"] != answers["static"]:
                sys.exit("the static route does not send the real route's bytes: the comparison would be unfair")
            closed = {}
            for name, path in ROUTES.items():
                before = cpu_seconds(server.pid)
                closed[name] = run_wrk(wrk, f"http://{HOST}:{port}{path}", script, args.connections, args.seconds)
                closed[name]["cpu_ms"] = (cpu_seconds(server.pid) - before) * 1000 / max(closed[name]["requests"], 1)
            rate = args.rate or round(closed["real"]["rps"] / 2)
            opened = {}
            for name, path in ROUTES.items():
                before = cpu_seconds(server.pid)
                result = asyncio.run(open_loop(HOST, port, post_request(HOST, port, path, body, headers), rate, args.seconds))
                opened[name] = {
                    "sent": result.scheduled, "failed": result.failed,
                    "p50_ms": result.percentile(50) * 1000, "p99_ms": result.percentile(99) * 1000, "p999_ms": result.percentile(99.9) * 1000,
                    "cpu_ms": (cpu_seconds(server.pid) - before) * 1000 / max(result.completed, 1),
                    "errors": result.errors, "stale_retries": result.stale_retries,
                }
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    loop_name = "uvloop" if _has("uvloop") else "asyncio"
    http_name = "httptools" if _has("httptools") else "h11"
    print(f"tki-cds HTTP benchmark: python -m service.serve, one uvicorn worker ({loop_name}, {http_name}) on {HOST}, {os.cpu_count()} CPUs shared with the load tools")
    print(f"load tools: wrk {wrk_version(wrk)} (closed loop), scripts/loadgen.py (open loop); responses {'gzip' if headers else 'identity'}")
    print(
        f"profile: service/api/bench.py BENCH_PROFILE; answer {sizes['real']['identity']} bytes, {sizes['real']['gzip']} bytes gzip; "
        f"the static route sends the same bytes ({sizes['static']['identity']} / {sizes['static']['gzip']})"
    )
    print(f"\nclosed loop: wrk -t1 -c{args.connections} -d{args.seconds:g}s (latency from send; hides queueing)")
    print(f"{'route':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'CPU ms/req':>11} {'errors':>7}")
    for name, row in closed.items():
        print(f"{name:8} {row['rps']:8.0f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['p999_ms']:9.2f} {row['cpu_ms']:11.2f} {row['errors']:7d}")
    print(f"\nopen loop: scripts/loadgen.py at {rate:g} req/s for {args.seconds:g}s (latency from the scheduled send time)")
    print(f"{'route':8} {'sent':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'CPU ms/req':>11} {'failed':>7}")
    for name, row in opened.items():
        print(f"{name:8} {row['sent']:8d} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['p999_ms']:9.2f} {row['cpu_ms']:11.2f} {row['failed']:7d}")
    for name, row in opened.items():
        if row["errors"] or row["stale_retries"]:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(row["errors"].items())) or "none"
            print(f"  {name}: failures by kind: {kinds}; resent after the server closed an idle kept-alive connection: {row['stale_retries']}")
    costs = answer_costs()
    print("\nin-process CPU per answer (this process, 200 rounds): " + ", ".join(f"{k} {v:.2f} ms" for k, v in costs.items()))
    answering = closed["real"]["cpu_ms"] - closed["static"]["cpu_ms"]
    print(f"real minus static server CPU per request (closed loop): {answering:.2f} ms")
    # CPU-bound, throughput goes as 1 / CPU per request: the ratio 0.6 leaves answering 2/3 of the static route's cost.
    budget = closed["static"]["cpu_ms"] * (1 / 0.6 - 1)
    print(f"answering within ratio 0.6 (static CPU x 2/3): at most {budget:.2f} ms per request; measured {answering:.2f} ms")
    ratio = closed["real"]["rps"] / closed["static"]["rps"]
    print(f"\nratio real/static throughput (closed loop): {ratio:.2f}")
    # CPU per request is steadier than throughput on a machine shared with other work.
    print(f"ratio static/real server CPU per request (closed loop): {closed['static']['cpu_ms'] / closed['real']['cpu_ms']:.2f}")
    return 0


def wrk_version(wrk: str) -> str:
    ran = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    shown = ran.stdout + ran.stderr
    match = re.search(r"wrk (\S+)", shown)
    return match.group(1) if match else "(version unknown)"


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    sys.exit(main())
