"""Scale-out drill on one machine: three replicas behind HAProxy sharing a PostgreSQL store, under steady
load, while one replica is SIGKILLed and another drained with SIGTERM.

Everything runs on loopback and is torn down at the end: a throwaway PostgreSQL (scripts/temp_postgres.py)
holding the knowledge store, three uvicorn replicas reading it, Debian's HAProxy in front (health checks
on /ready, retries of refused, reset or empty answers on another replica: an answer is a stateless
computation, so repeating a POST is safe), and scripts/loadgen.py sending the benchmark profile at a
constant rate. Prints requests sent, failed, and p99 overall and in the seconds after each fault.
Run by hand (`scripts/drill`); not part of CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scripts.bench_http import free_port
from scripts.loadgen import open_loop, post_request
from scripts.temp_postgres import temporary_postgres
from service.api.bench import BENCH_PROFILE

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
FAULT_WINDOW_SECONDS = 3.0

HAPROXY_CONFIG = """
global
    maxconn 2000

defaults
    mode http
    # Also the pause before retrying a failed connection (HAProxy waits min(timeout connect, 1 s)).
    timeout connect 250ms
    timeout client 30s
    timeout server 15s
    timeout http-request 10s
    timeout http-keep-alive 30s
    timeout queue 5s
    # A refused connection, a reset or an empty answer is retried, on another replica.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout

frontend api
    bind {host}:{port}
    default_backend replicas

backend replicas
    balance leastconn
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
{servers}
"""


def ensure_haproxy() -> str:
    found = shutil.which("haproxy")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("haproxy is missing: apt-get install haproxy")
    print("installing Debian's haproxy", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
    return shutil.which("haproxy") or sys.exit("haproxy did not install")


def wait_ready(port: int, process: subprocess.Popen[bytes], path: str = "/ready", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"a process exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"nothing ready on port {port}")


def start_replica(port: int, store_url: str, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "service.serve", "--host", HOST, "--port", str(port), "--workers", "1"]
    env = {**os.environ, "TKI_CDS_KNOWLEDGE_DB_URL": store_url, "TKI_CDS_TIMEOUT_GRACEFUL_SHUTDOWN": "20"}
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def warm_up(ports: list[int], requests_each: int = 10) -> None:
    """First answers of a fresh process are slower (imports, caches): keep them out of the figures."""
    body = json.dumps(BENCH_PROFILE).encode()
    for port in ports:
        for _ in range(requests_each):
            request = urllib.request.Request(f"http://{HOST}:{port}/v1/recommendations", data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                answer.read()


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def load_with_faults(port: int, rate: float, seconds: float, kill_at: float, drain_at: float,
                           killed: subprocess.Popen[bytes], drained: subprocess.Popen[bytes]):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    request = post_request(HOST, port, "/v1/recommendations", json.dumps(BENCH_PROFILE).encode(), {"Accept-Encoding": "gzip"})
    # open_loop's clock starts 0.05 s after the call; the faults are placed on the same clock.
    loop.call_later(0.05 + kill_at, os.kill, killed.pid, signal.SIGKILL)
    loop.call_later(0.05 + drain_at, os.kill, drained.pid, signal.SIGTERM)
    return await open_loop(HOST, port, request, rate, seconds, max_connections=128)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/drill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100, help="requests/s through the proxy (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load (default 20, at most 60)")
    args = parser.parse_args(argv)
    seconds = min(max(args.seconds, 10), 60)
    kill_at, drain_at = seconds * 0.3, seconds * 0.6
    haproxy = ensure_haproxy()
    processes: list[subprocess.Popen[bytes]] = []
    with temporary_postgres() as store_url, tempfile.TemporaryDirectory(prefix="tki-cds-drill-") as scratch:
        try:
            subprocess.run([sys.executable, "-m", "service.knowledge", "build", "--db-url", store_url], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            ports = [free_port() for _ in range(3)]
            replicas = [start_replica(p, store_url, Path(scratch) / f"replica-{i + 1}.log") for i, p in enumerate(ports)]
            processes += replicas
            for port, replica in zip(ports, replicas):
                wait_ready(port, replica)
            proxy_port = free_port()
            servers = "\n".join(f"    server replica-{i + 1} {HOST}:{p} check" for i, p in enumerate(ports))
            config = Path(scratch) / "haproxy.cfg"
            config.write_text(HAPROXY_CONFIG.format(host=HOST, port=proxy_port, servers=servers))
            proxy = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(proxy)
            wait_ready(proxy_port, proxy)
            warm_up(ports)
            time.sleep(1.5)  # every health check has passed at least twice
            result = asyncio.run(load_with_faults(proxy_port, args.rate, seconds, kill_at, drain_at, replicas[0], replicas[1]))
            replicas[1].wait(timeout=30)
            # uvicorn re-raises SIGTERM after a clean shutdown, so the exit status alone does not say it drained.
            drained_cleanly = "Finished server process" in (Path(scratch) / "replica-2.log").read_text(errors="replace")
        finally:
            for process in reversed(processes):
                stop(process)

    def window(start: float) -> tuple[str, int, int]:
        inside = [lat for due, lat in result.timeline if start <= due < start + FAULT_WINDOW_SECONDS]
        failed = sum(1 for lat in inside if lat is None)
        p99 = result.percentile(99, (start, start + FAULT_WINDOW_SECONDS)) * 1000
        return f"{p99:.1f} ms", len(inside), failed

    print(f"tki-cds scale-out drill: 3 replicas (python -m service.serve, 1 worker each) behind HAProxy on {HOST}, sharing a throwaway PostgreSQL store")
    print(f"load: scripts/loadgen.py open loop, {args.rate:g} req/s for {seconds:g} s, POST /v1/recommendations (gzip), latency from the scheduled send time")
    print(f"faults: replica-1 SIGKILL at {kill_at:g} s; replica-2 SIGTERM (drain) at {drain_at:g} s, "
          f"{'finished its in-flight requests and exited' if drained_cleanly else 'did NOT shut down cleanly'}")
    print(f"requests sent: {result.scheduled}, answered 2xx: {result.completed}, failed: {result.failed} ({100 * result.failed / max(result.scheduled, 1):.3f} %)")
    if result.errors:
        print("failures by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(result.errors.items())))
    if result.stale_retries:
        print(f"resent by the client after the proxy closed an idle kept-alive connection: {result.stale_retries}")
    print(f"p50 {result.percentile(50) * 1000:.1f} ms, p99 {result.percentile(99) * 1000:.1f} ms, p99.9 {result.percentile(99.9) * 1000:.1f} ms (whole run)")
    slowest = sorted(((lat, due) for due, lat in result.timeline if lat is not None), reverse=True)[:5]
    print("slowest: " + ", ".join(f"{lat * 1000:.0f} ms (due at {due:.2f} s)" for lat, due in slowest))
    for name, start in (("SIGKILL", kill_at), ("SIGTERM drain", drain_at)):
        p99, count, failed = window(start)
        print(f"{FAULT_WINDOW_SECONDS:g} s after {name}: {count} requests, {failed} failed, p99 {p99}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
