"""Benchmarks that print figures: the recommendation engine over typical profiles (p50, p99), the interaction check
for a 2- and a 30-drug list, and the engine on a synthetic knowledge base ten times the curated one.

Run with `./scripts/bench`. Timings are of repeated in-process calls (no HTTP), after one warming call; on a shared
machine compare the ratios printed by one run, not absolute times across runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from schemas.requests import PatientProfileInput
from scripts.synthetic_knowledge import scaled_knowledge
from service.engine.recommend import check_medication_list, recommend_for
from service.knowledge.index import KnowledgeBase
from tests.support import curated_knowledge

TWO_DRUGS = ["dasatinib", "pantoprazole 40 mg"]
THIRTY_DRUGS = [
    "dasatinib", "imatinib", "erlotinib", "cabozantinib", "acalabrutinib",
    "omeprazole 20 mg", "Nexium", "famotidine", "Maalox", "rifampin 600 mg", "Tegretol XR", "phenytoin",
    "St John's wort", "ketoconazole", "clarithromycin", "fluconazole 200 mg", "diltiazem", "verapamil",
    "aprepitant", "ciprofloxacin", "cyclosporine", "metformin 500 mg", "amlodipine", "atorvastatin",
    "lisinopril", "levothyroxine", "apixaban", "sertraline", "ondansetron", "dexamethasone",
]  # fmt: skip
PROFILES = {
    "NSCLC EGFR": {
        "cancer_type": "NSCLC",
        "stage": "IV",
        "mutations": [{"gene": "EGFR", "alteration": "L858R"}, "EGFR T790M"],
        "pd_l1": {"tps": 60},
        "prior_therapies": ["gefitinib", {"drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}],
        "current_medications": ["omeprazole 20 mg daily", {"name": "Tegretol"}],
    },
    "CML T315I": {
        "cancer_type": "CML",
        "stage": "chronic phase",
        "mutations": ["BCR-ABL1 T315I"],
        "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}],
        "current_medications": ["omeprazole"],
    },
    "RCC": {
        "cancer_type": "CCRCC",
        "stage": "IV",
        "prior_therapies": [],
        "current_medications": ["Tegretol 200 mg bid"],
    },
    "provisional (CML, T315I pending)": {
        "cancer_type": "CML",
        "stage": "chronic phase",
        "mutations": ["BCR-ABL1 T315I pending", "BCR-ABL1 Q999Z"],
        "prior_therapies": ["imatinib"],
    },
}
REPEAT = 400


def sample_microseconds(call: Callable[[], object], repeat: int) -> list[float]:
    call()  # warm the caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def interleaved_microseconds(calls: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Samples of several calls taken in turn, so load on a shared machine falls on each alike."""
    for call in calls:
        call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for index, call in enumerate(calls):
            start = time.perf_counter()
            call()
            samples[index].append((time.perf_counter() - start) * 1e6)
    return samples


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def _answer(kb: KnowledgeBase, profile: PatientProfileInput) -> dict:
    return recommend_for(kb, profile).model_dump(exclude={"knowledge_version"})


def main() -> None:
    kb = curated_knowledge()
    profiles = {name: PatientProfileInput.model_validate(body) for name, body in PROFILES.items()}
    assert len(THIRTY_DRUGS) == 30

    print(f"engine: recommendation over typical profiles ({len(kb.regimens)} regimens, {REPEAT} calls each)")
    everything: list[float] = []
    for name, profile in profiles.items():
        samples = sample_microseconds(lambda profile=profile: recommend_for(kb, profile), REPEAT)
        everything += samples
        print(f"  {name:34s} p50 {p50(samples):8.1f} us   p99 {p99(samples):8.1f} us")
    print(f"  {'all profiles':34s} p50 {p50(everything):8.1f} us   p99 {p99(everything):8.1f} us")

    two, thirty = interleaved_microseconds(
        [lambda: check_medication_list(kb, TWO_DRUGS), lambda: check_medication_list(kb, THIRTY_DRUGS)], REPEAT
    )
    pairs = len(check_medication_list(kb, THIRTY_DRUGS).interaction_pairs)
    warnings = len(check_medication_list(kb, THIRTY_DRUGS).interaction_warnings)
    print("interaction check")
    print(f"  {'2 drugs':34s} p50 {p50(two):8.1f} us   p99 {p99(two):8.1f} us")
    print(f"  {'30 drugs':34s} p50 {p50(thirty):8.1f} us   p99 {p99(thirty):8.1f} us   ({pairs} pairs, {warnings} warnings)")
    print(f"  30-drug / 2-drug p50: {p50(thirty) / p50(two):.2f}x")

    start = time.perf_counter()
    big = scaled_knowledge(kb, 10)
    built = time.perf_counter() - start
    print(
        f"knowledge x10 (synthetic, same shape: {len(big.regimens)} regimens, {len(big.evidence)} evidence records, "
        f"{len(big.source.rules.resistance)} resistance and {len(big.source.rules.patient)} patient rules; built in {built:.1f} s)"
    )
    small_all: list[float] = []
    big_all: list[float] = []
    for name, profile in profiles.items():
        same = _answer(kb, profile) == _answer(big, profile)
        small, large = interleaved_microseconds(
            [lambda profile=profile: recommend_for(kb, profile), lambda profile=profile: recommend_for(big, profile)], REPEAT
        )
        small_all += small
        big_all += large
        print(
            f"  {name:34s} p50 x1 {p50(small):8.1f} us   x10 {p50(large):8.1f} us   ratio {p50(large) / p50(small):.2f}x"
            f"   same answer: {'yes' if same else 'NO'}"
        )
    print(f"  {'all profiles':34s} p50 x1 {p50(small_all):8.1f} us   x10 {p50(big_all):8.1f} us   ratio {p50(big_all) / p50(small_all):.2f}x")


if __name__ == "__main__":
    main()
