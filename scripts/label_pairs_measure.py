"""Self-measure of the label interaction rules (issue 12): every class rule crossed with every catalogue member of
its class (and its label_examples), every drug rule with its drug, sent through the engine as a two-drug list.

Prints:
- sensitivity: the share of contraindicated / avoid / adjust_dose pairs that come back as a warning (a class rule is
  crossed with every member of its class except those the same label gives a rule of their own);
- false warnings: the share of not_meaningful pairs (the label calls the effect not clinically meaningful) that
  come back with a warning, split by why: a drug sent without its formulation (a conditional answer: the most
  restrictive formulation answers and says so), or the same mechanism. A warning that another label rule of the
  same TKI gives for that medicine (another mechanism, e.g. QT beside a cleared CYP3A effect) is the label's own
  instruction, not a false warning: it is listed apart and not counted;
- the same clearances sent with the formulation the statement names ("acalabrutinib tablets");
- how many rules rest on the label's own wording (label_wording_read).

This measures the rules against themselves and the catalogue, not against the label text: a rule that is wrong
about its label is not found here. Run: PYTHONPATH=. .venv/bin/python scripts/label_pairs_measure.py [--list]
"""

from __future__ import annotations

import sys
from collections import defaultdict

from service.config import get_settings
from service.engine.recommend import check_medication_list
from service.knowledge.records import Severity
from service.knowledge.source import read_knowledge
from tests.support import curated_knowledge

MUST_WARN = {Severity.CONTRAINDICATED, Severity.AVOID, Severity.ADJUST_DOSE}


def main(show: bool) -> None:
    source = read_knowledge(get_settings().knowledge_dir)
    kb = curated_knowledge()
    members: dict[str, list[str]] = defaultdict(list)
    for drug in source.drugs.drugs:
        for cls in drug.classes:
            members[cls].append(drug.name)
    formulated = {d.name: d for d in source.drugs.drugs if d.formulations}

    def answer(tki: str, medicine: str, formulation: str | None = None) -> tuple[str, list]:
        result = check_medication_list(kb, [f"{tki} {formulation}" if formulation else tki, medicine])
        pairs = [p for p in result.interaction_pairs if p.drug == tki]
        warnings = [w for w in result.interaction_warnings if w.drug == tki and w.mechanism != "duplicate_tki"]
        return (pairs[0].status if pairs else "no pair"), warnings

    def keyword(drug: str, formulation_id: str) -> str:
        [formulation] = [f for f in formulated[drug].formulations if f.id == formulation_id]
        return (formulation.keywords or formulation.names)[0]

    seen: set[tuple[str, str, str]] = set()
    hits = total = 0
    misses: list[tuple[str, str, str, str]] = []
    cleared = 0
    false_warnings: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    other_mechanism: list[tuple[str, str, str]] = []
    named_formulation = named_formulation_warned = 0
    for label in source.labels:
        # a class member the label gives its own rule (IV docetaxel and grapefruit) is measured by that rule alone
        own_rules = {r.with_drug for r in label.rules if r.with_drug}
        for rule in label.rules:
            if rule.with_class:
                names = sorted((set(members.get(rule.with_class, [])) | set(rule.label_examples)) - own_rules)
            else:
                names = [rule.with_drug or ""]
            for name in names:
                if name == label.drug or (label.drug, name, rule.severity) in seen:
                    continue
                seen.add((label.drug, name, rule.severity))
                if rule.severity in MUST_WARN:
                    total += 1
                    status, warnings = answer(label.drug, name)
                    if warnings:
                        hits += 1
                    else:
                        misses.append((label.drug, name, rule.severity.value, status))
                elif rule.severity == Severity.NOT_MEANINGFUL:
                    cleared += 1
                    _, warnings = answer(label.drug, name)
                    if not warnings:
                        continue
                    mechanisms = {w.mechanism for w in warnings}
                    row = (label.drug, name, ",".join(sorted(w.severity for w in warnings)))
                    if rule.formulation and label.drug in formulated:
                        why = "formulation not given: a conditional answer (the most restrictive formulation answers, and says so)"
                    elif rule.mechanism is None and mechanisms and all(m != _mechanism(source, rule) for m in mechanisms):
                        other_mechanism.append(row)
                        continue
                    else:
                        why = "same mechanism"
                    false_warnings[why].append(row)
                if rule.severity == Severity.NOT_MEANINGFUL and rule.formulation and label.drug in formulated:
                    named_formulation += 1
                    _, warnings = answer(label.drug, name, keyword(label.drug, rule.formulation))
                    named_formulation_warned += bool(warnings)
    wrong = sum(len(v) for v in false_warnings.values())
    print(f"sensitivity (contraindicated/avoid/adjust_dose pairs warned): {hits}/{total} = {hits / max(total, 1):.4f}")
    print(f"false warnings (not_meaningful pairs warned): {wrong}/{cleared} = {wrong / max(cleared, 1):.4f}")
    for why, rows in sorted(false_warnings.items()):
        print(f"  {why}: {len(rows)}")
        if show:
            for row in rows:
                print("    ", *row)
    print(f"  not counted: the label's own rule for another mechanism warns (e.g. QT beside a cleared CYP3A effect): {len(other_mechanism)}")
    if show:
        for row in other_mechanism:
            print("    ", *row)
    print(
        f"formulation-specific clearances sent with the formulation they name: {named_formulation_warned}/{named_formulation} warned"
    )
    us_rules = [(label, rule) for label in source.labels if label.us_label for rule in label.rules]
    read = sum(1 for label, rule in us_rules if label.wording_read(rule))
    print(f"US-label rules with the label's own wording read: {read}/{len(us_rules)}")
    if show:
        for row in misses:
            print("  MISS", *row)


def _mechanism(source, rule):  # type: ignore[no-untyped-def]
    classes = {c.id: c for c in source.drugs.classes}
    cls = classes.get(rule.with_class or "")
    return cls.mechanism.value if cls is not None and cls.mechanism is not None else None


if __name__ == "__main__":
    main("--list" in sys.argv)
