"""Benchmark of CDS Hooks calls with full prefetch, through the whole ASGI app (in process, no network).

Run with `./scripts/bench-cds`. Prints p50 / p99 per fixture (the spec asks services to answer in about 500 ms).
"""

from __future__ import annotations

import statistics
import time

from fastapi.testclient import TestClient

from service.main import create_app
from tests.cdshooks.support import ORDERS, PATIENTS, load, patient_view
from tests.support import curated_knowledge

REPEAT = 200


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def main() -> None:
    client = TestClient(create_app(knowledge_base=curated_knowledge()))
    calls = [(f"patient-view {p}", "/cds-services/tki-treatment-options", patient_view(p)) for p in PATIENTS]
    calls += [(o, "/cds-services/tki-order-interactions", load(o)) for o in ORDERS]
    everything: list[float] = []
    for name, path, body in calls:
        assert client.post(path, json=body).status_code == 200  # warm
        samples = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.post(path, json=body)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        everything += samples
        p50, p99 = percentiles(samples)
        print(f"{name:58s} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    p50, p99 = percentiles(everything)
    print(f"{'all calls (' + str(len(everything)) + ')':58s} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")


if __name__ == "__main__":
    main()
