"""Curator tool: write knowledge/rxnorm.yaml from an RxNorm ingredient extract (one JSON file per initial letter,
each a list of IN/PIN/MIN concepts with their SCDC -> SCD -> SBD -> BN descendants).

A concept is kept for a catalogue drug only when it names that drug alone:
- the ingredients (IN) and salts (PIN) whose RxNorm name the medicine reader reads as the drug;
- single-ingredient clinical and branded drugs (SCD, SBD) whose RxNorm name the medicine reader reads as the drug,
  so a topical, ophthalmic or inhaled product is left out exactly as its name typed in would be; a clinical drug
  whose branded drugs read as another drug is left out too;
- brands (BN) all of whose branded drugs were kept.
Multi-ingredient products and packs are left out: a code read as one drug would hide the other.

Run: PYTHONPATH=. .venv/bin/python scripts/rxnorm_codes.py <directory of letter files> <source id> > rxnorm.yaml
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from service.engine.readers.medicines import normalise_drug
from tests.support import curated_knowledge


def _descendants(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for value in node.values():
        if isinstance(value, list):
            for child in value:
                if isinstance(child, dict) and "RXCUI" in child:
                    found.append(child)
                    found.extend(_descendants(child))
    return found


def main(folder: Path, source_id: str) -> None:
    kb = curated_knowledge()
    top: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        top.extend(json.loads(text) if text.strip() else [])

    def reads_as(name: str) -> str | None:
        reading = normalise_drug(kb, name)[1]
        return reading.name if reading is not None else None

    kept: dict[str, dict[str, tuple[str, str]]] = {}
    brand_drugs: dict[str, set[str | None]] = {}  # BN -> the drugs its branded drugs were kept for (None: left out)
    brand_names: dict[str, str] = {}
    for concept in top:
        if concept["TTY"] not in ("IN", "PIN"):
            continue
        drug = reads_as(concept["Name"])
        if drug is not None:
            kept.setdefault(drug, {})[concept["RXCUI"]] = (concept["TTY"], concept["Name"])
        for child in _descendants(concept):
            if child["TTY"] not in ("SCD", "SBD"):
                continue
            product = reads_as(child["Name"]) if " / " not in child["Name"] else None
            # a clinical drug sold under another catalogue drug's brand is that drug's product
            # ("paclitaxel 100 MG Injection" is sold as Abraxane, albumin-bound paclitaxel): left out
            brands = [b for b in _descendants(child) if b["TTY"] == "BN"]
            if product is not None and all(reads_as(b["Name"]) in (product, None) for b in brands):
                kept.setdefault(product, {})[child["RXCUI"]] = (child["TTY"], child["Name"])
            else:
                product = None
            if child["TTY"] == "SBD":
                for brand in brands:
                    brand_drugs.setdefault(brand["RXCUI"], set()).add(product)
                    brand_names[brand["RXCUI"]] = brand["Name"]
    for code, drugs in brand_drugs.items():
        if len(drugs) == 1 and None not in drugs:
            [drug] = drugs
            kept[drug][code] = ("BN", brand_names[code])  # type: ignore[index]

    order = {"IN": 0, "PIN": 1, "BN": 2, "SCD": 3, "SBD": 4}
    for drug in sorted(kept):
        print(f"  - drug: {drug}")
        print(f"    source: {source_id}")
        print("    concepts:")
        for code, (tty, name) in sorted(kept[drug].items(), key=lambda item: (order[item[1][0]], item[1][1].lower(), item[0])):
            print(f"      - {{rxcui: \"{code}\", tty: {tty}, name: {json.dumps(name, ensure_ascii=False)}}}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
