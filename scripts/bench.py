"""Benchmarks that print figures: the interaction check for a 2- and a 30-drug list, and a full recommendation.

Run with `./scripts/bench`. Timings are medians of repeated in-process calls (no HTTP), on the curated knowledge.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from schemas.requests import PatientProfileInput
from service.engine.recommend import check_medication_list, recommend_for
from tests.support import curated_knowledge

TWO_DRUGS = ["dasatinib", "pantoprazole 40 mg"]
THIRTY_DRUGS = [
    "dasatinib", "imatinib", "erlotinib", "cabozantinib", "acalabrutinib",
    "omeprazole 20 mg", "Nexium", "famotidine", "Maalox", "rifampin 600 mg", "Tegretol XR", "phenytoin",
    "St John's wort", "ketoconazole", "clarithromycin", "fluconazole 200 mg", "diltiazem", "verapamil",
    "aprepitant", "ciprofloxacin", "cyclosporine", "metformin 500 mg", "amlodipine", "atorvastatin",
    "lisinopril", "levothyroxine", "apixaban", "sertraline", "ondansetron", "dexamethasone",
]  # fmt: skip
PROFILE = PatientProfileInput.model_validate(
    {
        "cancer_type": "NSCLC",
        "stage": "IV",
        "mutations": [{"gene": "EGFR", "alteration": "L858R"}, "EGFR T790M"],
        "pd_l1": {"tps": 60},
        "prior_therapies": ["gefitinib", {"drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}],
        "current_medications": ["omeprazole 20 mg daily", {"name": "Tegretol"}],
    }
)


def median_microseconds(call: Callable[[], object], repeat: int) -> float:
    call()  # warm the caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def main() -> None:
    kb = curated_knowledge()
    assert len(THIRTY_DRUGS) == 30
    two = median_microseconds(lambda: check_medication_list(kb, TWO_DRUGS), 2000)
    thirty = median_microseconds(lambda: check_medication_list(kb, THIRTY_DRUGS), 500)
    recommend = median_microseconds(lambda: recommend_for(kb, PROFILE), 500)
    pairs = len(check_medication_list(kb, THIRTY_DRUGS).interaction_warnings)
    print(f"interaction check,  2 drugs: {two:9.1f} us median")
    print(f"interaction check, 30 drugs: {thirty:9.1f} us median  ({thirty / two:.1f}x the 2-drug list; {pairs} warnings)")
    print(f"recommendation (NSCLC profile, {len(kb.regimens)} regimens): {recommend:9.1f} us median")


if __name__ == "__main__":
    main()
