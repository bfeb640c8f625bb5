"""Red-team walk (issues 10 and 11, session 7): vignettes written the way clinic letters and EHRs send them, through the
JSON route; prints, per case, what was unsafe (a regimen the case rules out was offered), missing (an expected regimen
was not offered), misread (an input not read as the case says) or a missing interaction warning, then the figures.

The cases are in scripts/redteam_cases.json; the expectations are the auditor's judgement, not sourced knowledge. A name
in brackets is a standard the knowledge does not hold, counted as missing so the figure does not flatter it.
Run: PYTHONPATH=. .venv/bin/python scripts/redteam_cases.py [--all]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.main import create_app
from tests.support import curated_knowledge

CASES = Path(__file__).with_name("redteam_cases.json")


def load_cases() -> list[dict[str, Any]]:
    return json.loads(CASES.read_text(encoding="utf-8"))["cases"]


def reading_of(answer: dict[str, Any], profile: dict[str, Any], key: str) -> str:
    """The words the service read one input entry as ('mutations[0]' names the case's first mutation)."""
    field, _, index = key.partition("[")
    sent = profile[field][int(index.rstrip("]"))]
    read = [e for e in answer["profile"].get(field, []) if isinstance(e, dict) and e.get("input") == sent]
    return " | ".join(f"{e.get('status')}: {e.get('read_as') or e.get('detail') or ''}" for e in read) or "(no reading)"


def judge(case: dict[str, Any], answer: dict[str, Any]) -> dict[str, list[str]]:
    """The findings of one answer, by kind."""
    offered = {o["id"] for o in answer["options"]}
    warned = {w["id"] for w in answer["interaction_warnings"]}
    misread = []
    for key, words in case.get("read", {}).items():
        reading = reading_of(answer, case["profile"], key)
        if not reading.startswith("recognised") or words.lower() not in reading.lower():
            misread.append(f"{key} read as {reading!r}, expected {words!r}")
    return {
        "unsafe": sorted(set(case["forbid"]) & offered),
        "missing": [e for e in case["expect"] if e not in offered],
        "misread": misread,
        "warning missing": [w for w in case.get("interactions", []) if w not in warned],
    }


def main(show_all: bool = False) -> None:
    client = TestClient(create_app(knowledge_base=curated_knowledge()))
    cases = load_cases()
    totals = {"expected": 0, "found": 0, "forbidden": 0, "unsafe": 0, "reads": 0, "misread": 0, "cases with a finding": 0}
    for case in cases:
        response = client.post("/v1/recommendations", json=case["profile"])
        if response.status_code != 200:
            print(f"ERROR {response.status_code}  {case['id']}")
            totals["cases with a finding"] += 1
            continue
        found = judge(case, response.json())
        totals["expected"] += len(case["expect"])
        totals["found"] += len(case["expect"]) - len(found["missing"])
        totals["forbidden"] += len(case["forbid"])
        totals["unsafe"] += len(found["unsafe"])
        totals["reads"] += len(case.get("read", {}))
        totals["misread"] += len(found["misread"])
        flagged = {kind: items for kind, items in found.items() if items}
        totals["cases with a finding"] += bool(flagged)
        if flagged or show_all:
            print(case["id"] + "".join(f"\n  {kind}: {'; '.join(items)}" for kind, items in flagged.items()))
    share = 100 * totals["found"] / totals["expected"] if totals["expected"] else 0.0
    print(
        f"\n{len(cases)} cases; expected options found {totals['found']}/{totals['expected']} ({share:.1f} %); "
        f"unsafe {totals['unsafe']} of {totals['forbidden']} ruled-out regimens offered; "
        f"misread {totals['misread']} of {totals['reads']} readings checked; {totals['cases with a finding']} cases with a finding"
    )


if __name__ == "__main__":
    main(show_all="--all" in sys.argv)
