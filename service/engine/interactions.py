"""Drug interaction check: label rules applied from the most specific to the most general.

For each pair (a drug with label rules, another medicine) the first level that has a rule decides:
drug + drug, then drug + class of the other medicine, then class + class. A rule that says the
effect is not clinically meaningful decides too, and silences the levels below it. One pair gives
at most one answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemas.responses import ExposureChange, InteractionCleared, InteractionWarning, LabelCitation
from service.engine.normalise import DrugRef
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import WARNING_SEVERITIES, ClassInteractionRule, DrugLabel, InteractionRule, Severity

_SEVERITY_ORDER = {
    Severity.AVOID: 0,
    Severity.ADJUST: 1,
    Severity.MONITOR: 2,
    Severity.NOT_MEANINGFUL: 3,
    Severity.NO_LABEL_GUIDANCE: 4,
}


UNVERIFIED_LABEL_NOTE = (
    "Read from a copy or summary of the US prescribing information (see the source), not the FDA page itself: "
    "confirm against the current label."
)


@dataclass(frozen=True)
class PairFinding:
    warning: InteractionWarning | None
    cleared: InteractionCleared | None


def _label_citation(label: DrugLabel, section: str | None) -> LabelCitation:
    return LabelCitation(
        title=label.label.title,
        url=label.label.source_url,
        set_id=label.label.set_id,
        version=label.label.version,
        section=section,
    )


@dataclass(frozen=True)
class _RuleIndex:
    by_drug: dict[str, list[InteractionRule]]
    by_class: dict[str, list[InteractionRule]]


def _rule_index(kb: KnowledgeBase, label: DrugLabel, formulation: str | None) -> _RuleIndex:
    """The label's rules for one formulation, indexed by target; built once per label and formulation.

    A named formulation's own rules replace the general ones for the same target; none named keeps
    every formulation's rules, so the most restrictive one answers.
    """
    key = ("rule-index", label.drug, formulation)
    index = kb.memo.get(key)
    if not isinstance(index, _RuleIndex):
        if formulation is None:
            rules = list(label.rules)
        else:
            specific = [r for r in label.rules if r.formulation == formulation]
            targets = {(r.with_drug, r.with_class) for r in specific}
            rules = specific + [r for r in label.rules if r.formulation is None and (r.with_drug, r.with_class) not in targets]
        by_drug: dict[str, list[InteractionRule]] = {}
        by_class: dict[str, list[InteractionRule]] = {}
        for rule in rules:
            if rule.with_drug is not None:
                by_drug.setdefault(rule.with_drug, []).append(rule)
            else:
                by_class.setdefault(rule.with_class or "", []).append(rule)
        index = _RuleIndex(by_drug=by_drug, by_class=by_class)
        kb.memo[key] = index
    return index


def _formulation_note(kb: KnowledgeBase, subject: DrugRef, candidates: list[InteractionRule]) -> list[str]:
    if subject.formulation is not None or not any(r.formulation for r in candidates):
        return []
    names = ", ".join(f.name for f in kb.drugs[subject.name].formulations)
    return [f"Formulation not specified ({names}): the answer for the most restrictive formulation is shown."]


def _most_severe(rules: Iterable[InteractionRule]) -> InteractionRule:
    return min(rules, key=lambda r: _SEVERITY_ORDER[r.severity])


def check_pair(kb: KnowledgeBase, subject: DrugRef, other: DrugRef) -> PairFinding | None:
    """The one answer for `subject`'s label against `other`, or None when no rule at any level applies.

    The answer depends only on the drugs, so it is computed once per knowledge base and pair; only the
    caller's own spelling of the other medicine is filled in per request.
    """
    key = ("pair", subject.name, subject.formulation, other.name)
    if key not in kb.memo:
        kb.memo[key] = _decide_pair(kb, subject, other)
    finding = kb.memo[key]
    if isinstance(finding, PairFinding) and finding.warning is not None:
        return PairFinding(warning=finding.warning.model_copy(update={"interacting_input": other.input}), cleared=None)
    return finding  # type: ignore[return-value]


def _decide_pair(kb: KnowledgeBase, subject: DrugRef, other: DrugRef) -> PairFinding | None:
    label = kb.labels.get(subject.name)
    other_classes = kb.drug_classes(other.name)
    if label is not None:
        index = _rule_index(kb, label, subject.formulation)
        pair_rules = index.by_drug.get(other.name, [])
        class_rules = [rule for cls in other_classes for rule in index.by_class.get(cls, [])]
        for level, candidates in (("drug_pair", pair_rules), ("drug_class", class_rules)):
            if candidates:
                notes = _formulation_note(kb, subject, candidates)
                return _finding_from_label(kb, label, subject, other, _most_severe(candidates), level, notes)
    subject_classes = kb.drug_classes(subject.name)
    general = [r for r in kb.class_rules if r.subject_class in subject_classes and r.with_class in other_classes]
    if general:
        return _finding_from_class_rule(subject, other, min(general, key=lambda r: _SEVERITY_ORDER[r.severity]))
    return None


def _finding_from_label(
    kb: KnowledgeBase,
    label: DrugLabel,
    subject: DrugRef,
    other: DrugRef,
    rule: InteractionRule,
    level: str,
    notes: list[str],
) -> PairFinding:
    if rule.severity == Severity.NO_LABEL_GUIDANCE:
        return PairFinding(warning=None, cleared=None)
    citation = _label_citation(label, rule.label_section)
    interacting_class = kb.class_names.get(rule.with_class) if rule.with_class else None
    if rule.severity not in WARNING_SEVERITIES:
        return PairFinding(
            warning=None,
            cleared=InteractionCleared(
                drug=subject.name,
                interacting_drug=other.name,
                interacting_class=interacting_class,
                finding=rule.severity.value,
                effect=rule.effect,
                evidence=[citation] if label.label.source_url else [],
            ),
        )
    # `notes` are the curator's provenance notes; `note` is written for the clinician.
    extra = [rule.note] if rule.note else []
    if not label.verified:
        extra.append(UNVERIFIED_LABEL_NOTE)
    return PairFinding(
        warning=InteractionWarning(
            drug=subject.name,
            interacting_drug=other.name,
            interacting_input=other.input,
            interacting_class=interacting_class,
            severity=rule.severity.value,
            effect=rule.effect,
            exposure_change=ExposureChange(**rule.exposure_change.model_dump()) if rule.exposure_change else None,
            management=rule.management,
            rule_level=level,
            formulation=subject.formulation or rule.formulation,
            notes=notes + extra,
            evidence=[citation],
        ),
        cleared=None,
    )


def _finding_from_class_rule(subject: DrugRef, other: DrugRef, rule: ClassInteractionRule) -> PairFinding:
    if rule.severity == Severity.NO_LABEL_GUIDANCE:
        return PairFinding(warning=None, cleared=None)
    citation = LabelCitation(title=rule.source_title, url=rule.source_url)
    if rule.severity not in WARNING_SEVERITIES:
        return PairFinding(
            warning=None,
            cleared=InteractionCleared(
                drug=subject.name, interacting_drug=other.name, finding=rule.severity.value, effect=rule.effect, evidence=[citation]
            ),
        )
    return PairFinding(
        warning=InteractionWarning(
            drug=subject.name,
            interacting_drug=other.name,
            interacting_input=other.input,
            severity=rule.severity.value,
            effect=rule.effect,
            management=rule.management,
            rule_level="class_class",
            evidence=[citation],
        ),
        cleared=None,
    )


@dataclass
class InteractionReport:
    warnings: list[InteractionWarning]
    cleared: list[InteractionCleared]


def check_interactions(kb: KnowledgeBase, subjects: list[DrugRef], medications: list[DrugRef]) -> InteractionReport:
    """Every subject drug against every other medicine, one answer per ordered pair."""
    warnings: list[InteractionWarning] = []
    cleared: list[InteractionCleared] = []
    seen: set[tuple[str, str]] = set()
    for subject in subjects:
        for other in medications:
            pair = (subject.name, other.name)
            if other.name == subject.name or pair in seen:
                continue
            seen.add(pair)
            finding = check_pair(kb, subject, other)
            if finding is None:
                continue
            if finding.warning is not None:
                warnings.append(finding.warning)
            if finding.cleared is not None:
                cleared.append(finding.cleared)
    warnings.sort(key=lambda w: (_SEVERITY_ORDER[Severity(w.severity)], w.drug, w.interacting_drug))
    cleared.sort(key=lambda c: (c.drug, c.interacting_drug))
    return InteractionReport(warnings=warnings, cleared=cleared)


def interaction_subjects(kb: KnowledgeBase, drugs: Iterable[DrugRef]) -> list[DrugRef]:
    """The drugs whose labels or classes carry rules: the side of each pair a rule is written for."""
    subject_classes = {r.subject_class for r in kb.class_rules}
    return [d for d in drugs if d.name in kb.labels or subject_classes.intersection(kb.drug_classes(d.name))]
