"""Self-measure of the label interaction rules (issue 12): reads knowledge/ only and prints figures.

For each label record chosen, every class rule is crossed with every catalogue member of its class (and every drug
rule with its drug) and sent through the engine as a two-drug medication list:
- sensitivity: pairs whose rule says contraindicated, avoid or adjust dose that get a warning;
- false warnings: pairs whose rule says the label found no clinically meaningful effect that still get one;
- not assessed: pairs of the TKI with a member of each core class (CYP3A4 inhibitors and inducers, acid reducers)
  that the answer reports as not assessed (the label's wording for them was not read).
This checks the rules against themselves and shows what is not read; it is not the hidden pair set.
Run: PYTHONPATH=. .venv/bin/python scripts/label_pairs_measure.py [drug ...]   (no drug: every label)
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from service.config import get_settings
from service.engine.recommend import check_medication_list
from service.knowledge.source import read_knowledge
from tests.support import curated_knowledge

WARNING_GRADES = {"contraindicated", "avoid", "adjust_dose"}
CORE_CLASSES = (
    "strong_cyp3a4_inhibitor",
    "moderate_cyp3a4_inhibitor",
    "strong_cyp3a4_inducer",
    "moderate_cyp3a4_inducer",
    "proton_pump_inhibitor",
    "h2_blocker",
    "antacid",
)


def main(chosen: list[str]) -> None:
    source = read_knowledge(get_settings().knowledge_dir)
    kb = curated_knowledge()
    members: dict[str, list[str]] = defaultdict(list)
    for drug in source.drugs.drugs:
        for cls in drug.classes:
            members[cls].append(drug.name)
    labels = [label for label in source.labels if not chosen or label.drug in chosen]

    def answer(tki: str, medicine: str) -> tuple[str, bool]:
        result = check_medication_list(kb, [tki, medicine])
        pair = next((p for p in result.interaction_pairs if p.drug == tki), None)
        warned = any(w.drug == tki and w.mechanism != "duplicate_tki" for w in result.interaction_warnings)
        return (pair.status if pair else "no pair"), warned

    hits = total = cleared = false_warnings = 0
    misses: list[tuple[str, str, str]] = []
    flagged: list[tuple[str, str]] = []
    not_assessed: Counter[str] = Counter()
    core_pairs: Counter[str] = Counter()
    for label in labels:
        for rule in label.rules:
            others = members.get(rule.with_class, []) if rule.with_class else [rule.with_drug]
            for medicine in others:
                if medicine is None or medicine == label.drug:
                    continue
                grade = rule.severity.value
                if grade in WARNING_GRADES:
                    total += 1
                    if answer(label.drug, medicine)[1]:
                        hits += 1
                    else:
                        misses.append((label.drug, medicine, grade))
                elif grade == "not_meaningful":
                    cleared += 1
                    if answer(label.drug, medicine)[1]:
                        false_warnings += 1
                        flagged.append((label.drug, medicine))
        for cls in CORE_CLASSES:
            for medicine in members.get(cls, []):
                core_pairs[label.drug] += 1
                if answer(label.drug, medicine)[0] == "not_assessed":
                    not_assessed[label.drug] += 1

    print(f"labels: {len(labels)}")
    print(f"sensitivity (contraindicated/avoid/adjust rules x class members): {hits}/{total}"
          + (f" = {hits / total:.4f}" if total else ""))
    for tki, medicine, grade in misses:
        print(f"  missed: {tki} + {medicine} ({grade})")
    print(f"warnings on pairs a label clears: {false_warnings}/{cleared}"
          + (f" = {false_warnings / cleared:.4f}" if cleared else ""))
    for tki, medicine in flagged:
        print(f"  warned: {tki} + {medicine}")
    print(f"core-class pairs not assessed: {sum(not_assessed.values())}/{sum(core_pairs.values())}")
    for tki in sorted(core_pairs):
        if not_assessed[tki]:
            print(f"  {tki}: {not_assessed[tki]}/{core_pairs[tki]} not assessed")


if __name__ == "__main__":
    main(sys.argv[1:])
