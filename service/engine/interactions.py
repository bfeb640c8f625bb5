"""Drug interaction check: label rules applied from the most specific to the most general.

For each pair (a drug with label rules, another medicine) the first level that has a rule decides:
drug + drug, then drug + class of the other medicine, then class + class. A rule that says the
effect is not clinically meaningful decides too, and silences the levels below it. One pair gives
exactly one status: a warning, no meaningful effect (label), no label guidance (the label was read
and is silent), or not assessed (nothing was checked: never shown as safe).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from schemas.responses import (
    ExposureChange,
    InteractionCleared,
    InteractionPair,
    InteractionScope,
    InteractionWarning,
    LabelCitation,
    LabelVerification,
)
from service.engine.evidence import cite_label
from service.engine.normalise import DrugRef
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import (
    DAILYMED_LABEL_URL,
    MECHANISM_NAMES,
    WARNING_SEVERITIES,
    ClassInteractionRule,
    DrugLabel,
    EvidenceKind,
    InteractionRule,
    Mechanism,
    Severity,
)

# most severe first; Severity is a StrEnum, so a warning's plain severity string looks its rank up too
SEVERITY_ORDER = {
    Severity.CONTRAINDICATED: 0,
    Severity.AVOID: 1,
    Severity.ADJUST_DOSE: 2,
    Severity.SEPARATE_IN_TIME: 3,
    Severity.MONITOR: 4,
    Severity.NOT_MEANINGFUL: 5,
    Severity.NO_LABEL_GUIDANCE: 6,
}

WORDING_NOT_READ = "Label wording not read: this rule was curated from {source}; confirm it in the DailyMed label before acting."
WORDING_READ = "Label wording read on {source} (checked {checked})."
_METHOD_SOURCE = {
    "openFDA label record": "the openFDA label record",
    "DailyMed label": "the DailyMed label",
    "manufacturer's copy of the US label": "the label holder's copy of the US label",
    "third-party copy of the US label": "a third-party copy of the US label",
    "secondary sources only": "secondary sources (summaries, non-US product information, studies)",
    "no US label": "non-US sources",
}
# How the set ID behind the DailyMed link was verified: said in every answer, beside what was read.
_SET_ID_STATEMENT = {
    "dailymed": "Set ID read on DailyMed.",
    "openfda": "Set ID read in the openFDA label record.",
    "copy_of_dailymed": "Set ID read on a copy of the DailyMed page, not on DailyMed itself.",
    "openfda_copy": "Set ID read on a copy of the openFDA label record, not on openFDA itself.",
    "nci_drug_page_link": "Set ID taken from the DailyMed link on NCI's drug information page, not read on DailyMed itself.",
}
SET_ID_NOT_VERIFIED = "No DailyMed set ID was verified for this label, so no link to it is given."
SET_ID_OF_FORMULATION = "Set ID of this formulation's own label, as listed in the record."


def interaction_id(drug: str, interacting_drug: str) -> str:
    """A warning's id: its two catalogue names, so it is the same in every answer; one answer has at most one
    warning per (drug, other medicine) pair, so the id is unique within it."""
    return "interaction:" + "+".join(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") for name in (drug, interacting_drug))


@dataclass(frozen=True)
class PairFinding:
    """The one answer for a pair: its status, and the warning or clearance when there is one."""

    status: str
    detail: str
    warning: InteractionWarning | None = None
    cleared: InteractionCleared | None = None
    mechanism: str | None = None
    label_wording_read: bool | None = None
    source: str | None = None  # the id of the label citation the status rests on


def label_citation(kb: KnowledgeBase, label: DrugLabel, sections: list[str] | None = None, formulation: str | None = None) -> LabelCitation:
    """The DailyMed label by set ID: the link a clinician is given, never the copy that was read.

    A formulation with its own label (DANZITEN beside TASIGNA) is cited by its own set ID.
    """
    own = next((f for f in label.formulations if f.id == formulation and f.set_id), None)
    if own is not None:
        return cite_label(
            kb,
            title=own.name,
            url=DAILYMED_LABEL_URL.format(set_id=own.set_id),
            set_id=own.set_id,
            section="; ".join(sections) if sections else None,
        )
    return cite_label(
        kb,
        title=label.label.title,
        url=label.label.dailymed_url,
        set_id=label.label.set_id,
        version=label.label.version,
        section="; ".join(sections) if sections else None,
    )


def _verification(label: DrugLabel, rule: InteractionRule, citation: LabelCitation) -> LabelVerification:
    read = label.wording_read(rule)
    method = label.verification.method
    checked = label.verification.checked.isoformat()
    statement = (WORDING_READ if read else WORDING_NOT_READ).format(source=_METHOD_SOURCE[method], checked=checked)
    kind = label.label.set_id_verified if citation.set_id == label.label.set_id else None
    if citation.set_id is None:
        set_id_line = SET_ID_NOT_VERIFIED if label.us_label else None
    elif kind is not None:
        set_id_line = _SET_ID_STATEMENT[kind]
    else:
        set_id_line = SET_ID_OF_FORMULATION
    return LabelVerification(
        label_wording_read=read,
        method=method,
        read_from=list(dict.fromkeys([*rule.read_from, *label.verification.read_from])),
        checked=checked,
        set_id_verified=kind,
        statement=f"{statement} {set_id_line}" if set_id_line else statement,
    )


@dataclass(frozen=True)
class _RuleIndex:
    by_drug: dict[str, list[InteractionRule]]
    by_class: dict[str, list[InteractionRule]]
    # class rules by the drugs the label names as their examples (the label's own class membership)
    by_example: dict[str, list[InteractionRule]]


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
        by_example: dict[str, list[InteractionRule]] = {}
        for rule in rules:
            if rule.with_drug is not None:
                by_drug.setdefault(rule.with_drug, []).append(rule)
            else:
                by_class.setdefault(rule.with_class or "", []).append(rule)
                for example in rule.label_examples:
                    by_example.setdefault(example, []).append(rule)
        index = _RuleIndex(by_drug=by_drug, by_class=by_class, by_example=by_example)
        kb.memo[key] = index
    return index


def rule_mechanism(kb: KnowledgeBase, rule: InteractionRule) -> Mechanism | None:
    """A rule's mechanism: its own, else its class's, else that of the named drug's first class that has one."""
    if rule.mechanism is not None:
        return rule.mechanism
    classes = [rule.with_class] if rule.with_class else list(kb.drug_classes(rule.with_drug)) if rule.with_drug in kb.drugs else []
    for cls in classes:
        mechanism = kb.class_mechanisms.get(cls)
        if mechanism is not None:
            return mechanism
    return None


def _formulation_note(kb: KnowledgeBase, subject: DrugRef, candidates: list[InteractionRule], shown: InteractionRule) -> list[str]:
    """For an unspecified formulation: that the strictest answer is shown, and what each other formulation's label says."""
    if subject.formulation is not None or not any(r.formulation for r in candidates):
        return []
    formulations = kb.drugs[subject.name].formulations
    names = ", ".join(f.name for f in formulations)
    shown_name = next((f.name for f in formulations if f.id == shown.formulation), None)
    # a conditional answer: it holds for one formulation only, and says which, so the caller can name theirs
    applies = f"this answer is that of {shown_name}, the most restrictive" if shown_name else "the answer for the most restrictive formulation is shown"
    notes = [
        f"Formulation not specified ({names}): their labels differ for this medicine, so {applies}. "
        "Give the formulation to get its own answer."
    ]
    for formulation in formulations:
        own = [r for r in candidates if r.formulation == formulation.id] or [r for r in candidates if r.formulation is None]
        if not own:
            continue
        answer = _most_severe(own)
        if answer.severity == shown.severity:
            continue
        if answer.severity == Severity.NOT_MEANINGFUL:
            notes.append(f"{formulation.name}: not affected (the label reports no clinically meaningful effect). {answer.management or ''}".rstrip())
        elif answer.severity in WARNING_SEVERITIES:
            notes.append(f"{formulation.name}: {answer.severity.value.replace('_', ' ')}. {answer.management or ''}".rstrip())
    return notes


def _most_severe(rules: Iterable[InteractionRule], other: str = "") -> InteractionRule:
    # of equally severe rules, the one whose label names the other drug as an example answers
    return min(rules, key=lambda r: (SEVERITY_ORDER[r.severity], other not in r.label_examples))


def check_pair(kb: KnowledgeBase, subject: DrugRef, other: DrugRef) -> PairFinding:
    """The one answer for `subject`'s label against `other`.

    The answer depends only on the drugs, so it is computed once per knowledge base and pair; only the
    caller's own spelling of the other medicine is filled in per request.
    """
    key = ("pair", subject.name, subject.formulation, other.name)
    finding = kb.memo.get(key)
    if not isinstance(finding, PairFinding):
        finding = _with_duplicate_check(kb, subject, other, _with_unread_qt_status(kb, subject, other, _decide_pair(kb, subject, other)))
        kb.memo[key] = finding
    if finding.warning is not None:
        return PairFinding(
            status=finding.status,
            detail=finding.detail,
            warning=finding.warning.model_copy(update={"interacting_input": other.input}),
            mechanism=finding.mechanism,
            label_wording_read=finding.label_wording_read,
            source=finding.source,
        )
    return finding


def _class_list(kb: KnowledgeBase, classes: Iterable[str]) -> str:
    return ", ".join(kb.class_names.get(c, c) for c in classes)


def _decide_pair(kb: KnowledgeBase, subject: DrugRef, other: DrugRef) -> PairFinding:
    label = kb.labels.get(subject.name)
    other_classes = kb.drug_classes(other.name)
    if label is not None and not label.us_label:
        return PairFinding(status="not_assessed", detail=f"{subject.name} has no US prescribing information: not assessed.")
    if label is not None:
        index = _rule_index(kb, label, subject.formulation)
        pair_rules = index.by_drug.get(other.name, [])
        class_rules = [rule for cls in other_classes for rule in index.by_class.get(cls, [])]
        # a drug the label names as an example of a class gets that class's rule, whatever the catalogue's grading
        class_rules += [rule for rule in index.by_example.get(other.name, []) if rule not in class_rules]
        for level, candidates in (("drug_pair", pair_rules), ("drug_class", class_rules)):
            if candidates:
                shown = _most_severe(candidates, other.name)
                notes = _formulation_note(kb, subject, candidates, shown)
                return _finding_from_label(kb, label, subject, other, shown, level, notes)
    subject_classes = kb.drug_classes(subject.name)
    general = [r for r in kb.class_rules if r.subject_class in subject_classes and r.with_class in other_classes]
    if general:
        return _finding_from_class_rule(kb, subject, other, min(general, key=lambda r: SEVERITY_ORDER[r.severity]))
    if label is None:
        return PairFinding(status="not_assessed", detail=f"{subject.name} has no label record: not assessed.")
    checked = [c for c in other_classes if kb.class_mechanisms.get(c)]
    if checked:
        detail = (
            f"{subject.name}'s label record has no rule for {other.name}'s mechanisms ({_class_list(kb, checked)}): not assessed."
        )
    else:
        detail = f"{other.name} has no interaction mechanism the service checks for {subject.name}: not assessed."
    return PairFinding(status="not_assessed", detail=detail, source=label_citation(kb, label).id)


def _finding_from_label(
    kb: KnowledgeBase,
    label: DrugLabel,
    subject: DrugRef,
    other: DrugRef,
    rule: InteractionRule,
    level: str,
    notes: list[str],
) -> PairFinding:
    citation = label_citation(kb, label, rule.label_sections, subject.formulation or rule.formulation)
    read = label.wording_read(rule)
    mechanism = rule_mechanism(kb, rule)
    mechanism_id = mechanism.value if mechanism else None
    interacting_class = kb.class_names.get(rule.with_class) if rule.with_class else None
    through = f" ({interacting_class})" if interacting_class else ""
    if rule.severity == Severity.NO_LABEL_GUIDANCE:
        if read:
            return PairFinding(
                status="no_label_guidance",
                detail=f"The {subject.name} label was read and gives no guidance for {other.name}{through}.",
                mechanism=mechanism_id,
                label_wording_read=True,
                source=citation.id,
            )
        return PairFinding(
            status="not_assessed",
            detail=f"The {subject.name} label's wording for {other.name}{through} was not read: not assessed.",
            mechanism=mechanism_id,
            label_wording_read=False,
            source=citation.id,
        )
    verification = _verification(label, rule, citation)
    if rule.severity not in WARNING_SEVERITIES:
        return PairFinding(
            status="not_meaningful",
            detail=f"The {subject.name} label reports no clinically meaningful effect with {other.name}{through}.",
            cleared=InteractionCleared(
                drug=subject.name,
                interacting_drug=other.name,
                interacting_class=interacting_class,
                finding="not_meaningful",
                mechanism=mechanism_id,
                effect=rule.effect,
                label_wording_read=read,
                verification=verification,
                evidence=[citation.id] if citation.url else [],
            ),
            mechanism=mechanism_id,
            label_wording_read=read,
            source=citation.id,
        )
    # `curator_notes` stay with the curators; `note` is written for the clinician.
    extra = [rule.note] if rule.note else []
    if not read:
        extra.append(verification.statement)
    warning = InteractionWarning(
        id=interaction_id(subject.name, other.name),
        drug=subject.name,
        interacting_drug=other.name,
        interacting_input=other.input,
        interacting_class=interacting_class,
        severity=rule.severity.value,
        mechanism=mechanism_id or "label_named_drug",
        evidence_kind=rule.evidence_kind.value if rule.evidence_kind else None,
        effect=rule.effect,
        exposure_change=ExposureChange(**rule.exposure_change.model_dump()) if rule.exposure_change else None,
        management=rule.management,
        dose_change=rule.dose_change,
        separation_hours=rule.separation_hours,
        rule_level=level,
        formulation=subject.formulation or rule.formulation,
        label_wording_read=read,
        verification=verification,
        notes=notes + extra,
        evidence=[citation.id],
    )
    return PairFinding(
        status="warning",
        detail=f"{rule.severity.value.replace('_', ' ')}: {rule.management}",
        warning=warning,
        mechanism=mechanism_id,
        label_wording_read=read,
        source=citation.id,
    )


def _finding_from_class_rule(kb: KnowledgeBase, subject: DrugRef, other: DrugRef, rule: ClassInteractionRule) -> PairFinding:
    citation = cite_label(kb, title=rule.source_title, url=rule.source_url)
    if rule.severity == Severity.NO_LABEL_GUIDANCE:
        return PairFinding(status="no_label_guidance", detail=f"{rule.source_title} gives no guidance for this pair.", source=citation.id)
    if rule.severity not in WARNING_SEVERITIES:
        return PairFinding(
            status="not_meaningful",
            detail=f"{rule.source_title} reports no clinically meaningful effect.",
            cleared=InteractionCleared(
                drug=subject.name, interacting_drug=other.name, finding="not_meaningful", effect=rule.effect, evidence=[citation.id]
            ),
            source=citation.id,
        )
    warning = InteractionWarning(
        id=interaction_id(subject.name, other.name),
        drug=subject.name,
        interacting_drug=other.name,
        interacting_input=other.input,
        severity=rule.severity.value,
        mechanism="class_rule",
        effect=rule.effect,
        management=rule.management,
        rule_level="class_class",
        label_wording_read=False,
        evidence=[citation.id],
    )
    return PairFinding(status="warning", detail=f"{rule.severity.value}: {rule.management}", warning=warning, source=citation.id)


QT_UNREAD_CLASS = "qt_labelling_not_read"


def _with_unread_qt_status(kb: KnowledgeBase, subject: DrugRef, other: DrugRef, finding: PairFinding) -> PairFinding:
    """A TKI whose label warns of QT prolongation, with a medicine whose own QT labelling was not read.

    The medicine is not in the QT class (its label was not read), so the QT pair was not checked: the
    answer says so, and a silent or "no guidance" answer for its other mechanisms becomes "not assessed".
    """
    label = kb.labels.get(subject.name)
    other_classes = kb.drug_classes(other.name)
    if (
        label is None
        or QT_UNREAD_CLASS not in other_classes
        or "qt_prolonging_drug" in other_classes
        or not any(r.with_class == "qt_prolonging_drug" and r.severity in WARNING_SEVERITIES for r in label.rules)
    ):
        return finding
    sentence = (
        f"{other.name} may prolong the QT interval, but its own labelling on QT prolongation was not read, so the QT "
        f"interaction with {subject.name} (whose label warns of QT prolongation) was not assessed."
    )
    if finding.status in ("not_assessed", "no_label_guidance"):
        # "no mechanism the service checks" would be misleading here: the QT mechanism is the one not checked
        silent = finding.label_wording_read is None and finding.mechanism is None
        return replace(finding, status="not_assessed", detail=sentence if silent else f"{finding.detail} {sentence}", warning=None, cleared=None)
    if finding.warning is not None:
        warning = finding.warning.model_copy(update={"notes": [*finding.warning.notes, sentence]})
        return replace(finding, detail=f"{finding.detail} {sentence}", warning=warning, cleared=None)
    return replace(finding, detail=f"{finding.detail} {sentence}")


def _shared_specific_classes(kb: KnowledgeBase, subject: str, other: str) -> list[str]:
    if subject == other or "tyrosine_kinase_inhibitor" not in kb.drug_classes(other):
        return []
    shared = set(kb.drug_classes(subject)) & set(kb.drug_classes(other))
    return sorted(c for c in shared if c in kb.duplicate_therapy_classes)


def _with_duplicate_check(kb: KnowledgeBase, subject: DrugRef, other: DrugRef, finding: PairFinding) -> PairFinding:
    """Two TKIs of the same target class at once: flagged, unless a label rule already warns for the pair."""
    shared = _shared_specific_classes(kb, subject.name, other.name)
    if not shared:
        return finding
    names = _class_list(kb, shared)
    if finding.warning is not None:
        note = f"{subject.name} and {other.name} are both a {names}: check that one is not meant to replace the other."
        return PairFinding(
            status=finding.status,
            detail=finding.detail,
            warning=finding.warning.model_copy(update={"notes": [*finding.warning.notes, note]}),
            mechanism=finding.mechanism,
            label_wording_read=finding.label_wording_read,
            source=finding.source,
        )
    management = (
        f"Avoid giving two of the same kind of TKI ({names}) at once: confirm which one the patient is to take and "
        "stop the other; no label supports taking them together."
    )
    warning = InteractionWarning(
        id=interaction_id(subject.name, other.name),
        drug=subject.name,
        interacting_drug=other.name,
        interacting_input=other.input,
        interacting_class=names,
        severity="avoid",
        mechanism=Mechanism.DUPLICATE_TKI.value,
        evidence_kind=EvidenceKind.CLASS_EXTRAPOLATION.value,
        effect=f"Duplicate therapy: {subject.name} and {other.name} are both a {names}.",
        management=management,
        rule_level="duplicate_class",
        label_wording_read=False,
        notes=["A duplicate-therapy check by drug class, not a label rule."],
        evidence=[],
    )
    return PairFinding(
        status="warning",
        detail=f"avoid: {management}",
        warning=warning,
        mechanism=Mechanism.DUPLICATE_TKI.value,
        label_wording_read=False,
    )


@dataclass
class InteractionReport:
    warnings: list[InteractionWarning]
    cleared: list[InteractionCleared]
    pairs: list[InteractionPair]
    scope: list[InteractionScope]


def mechanism_scope(kb: KnowledgeBase, subject: str) -> InteractionScope:
    """The mechanisms the service checked for one drug (label rules read or stated) and those it did not;
    a fact of the knowledge, built once per drug and never modified by a response."""
    return kb.once(("mechanism_scope", subject), lambda: _mechanism_scope(kb, subject))  # type: ignore[no-any-return]


def _mechanism_scope(kb: KnowledgeBase, subject: str) -> InteractionScope:
    label = kb.labels.get(subject)
    checked: set[Mechanism] = set()
    if label is not None and label.us_label:
        for rule in label.rules:
            mechanism = rule_mechanism(kb, rule)
            if mechanism is not None and (rule.severity != Severity.NO_LABEL_GUIDANCE or label.wording_read(rule)):
                checked.add(mechanism)
    if "tyrosine_kinase_inhibitor" in kb.drug_classes(subject):
        checked.add(Mechanism.DUPLICATE_TKI)
    return InteractionScope(
        drug=subject,
        label=label_citation(kb, label).id if label is not None and label.us_label else None,
        label_wording_read=bool(label and label.verification.label_wording_read),
        mechanisms_checked=[MECHANISM_NAMES[m] for m in Mechanism if m in checked],
        mechanisms_not_checked=[MECHANISM_NAMES[m] for m in Mechanism if m not in checked],
    )


def check_interactions(
    kb: KnowledgeBase,
    subjects: list[DrugRef],
    medications: list[DrugRef],
    unrecognised: Iterable[str] = (),
) -> InteractionReport:
    """Every subject drug against every other medicine, one status per ordered pair."""
    warnings: list[InteractionWarning] = []
    cleared: list[InteractionCleared] = []
    pairs: list[InteractionPair] = []
    seen: set[tuple[str, str]] = set()
    unrecognised = list(dict.fromkeys(unrecognised))
    answer = kb.cached("pair_answers", lambda *pair: _pair_answer(kb, *pair), _PAIR_CACHE_SIZE)
    for subject in subjects:
        name, formulation = subject.name, subject.formulation
        for other in medications:
            pair = (name, other.name)
            if other.name == name or pair in seen:
                continue
            seen.add(pair)
            finding, shown = answer(name, formulation, other.name, other.formulation, other.input)
            if finding.warning is not None:
                warnings.append(finding.warning)
            if finding.cleared is not None:
                cleared.append(finding.cleared)
            pairs.append(shown)
        if unrecognised:
            pairs.extend(_not_in_catalogue(name, text) for text in unrecognised)  # never kept: the entry is the caller's
    warnings.sort(key=lambda w: (SEVERITY_ORDER[w.severity], w.drug, w.interacting_drug))
    cleared.sort(key=lambda c: (c.drug, c.interacting_drug))
    # the scope is only news for drugs actually checked against something
    scope = [mechanism_scope(kb, name) for name in dict.fromkeys(p.drug for p in pairs)]
    return InteractionReport(warnings=warnings, cleared=cleared, pairs=pairs, scope=scope)


_PAIR_CACHE_SIZE = 16384


def _pair_answer(
    kb: KnowledgeBase, subject: str, formulation: str | None, other_name: str, other_formulation: str | None, other_input: str
) -> tuple[PairFinding, InteractionPair]:
    """The finding and the pair line for a subject drug (and formulation) and another, recognised medicine as the
    caller wrote it: a function of those values and the knowledge alone, so `check_interactions` keeps it in a
    bounded cache and a long medication list costs lookups, not rule scans."""
    other = DrugRef(name=other_name, formulation=other_formulation, input=other_input)
    finding = check_pair(kb, DrugRef(name=subject, formulation=formulation, input=subject), other)
    shown = InteractionPair(
        drug=subject,
        interacting_input=other.input,
        interacting_drug=other.name,
        status=finding.status,  # type: ignore[arg-type]
        severity=finding.warning.severity if finding.warning else None,
        mechanism=finding.mechanism,
        detail=finding.detail,
        label_wording_read=finding.label_wording_read,
        source=finding.source,
    )
    return finding, shown


def _not_in_catalogue(subject: str, text: str) -> InteractionPair:
    return InteractionPair(
        drug=subject,
        interacting_input=text,
        status="not_assessed",
        detail="Not in the drug catalogue: its interactions were not checked.",
    )


def interaction_subjects(kb: KnowledgeBase, drugs: Iterable[DrugRef]) -> list[DrugRef]:
    """The drugs whose labels or classes carry rules: the side of each pair a rule is written for."""
    subjects = kb.once(("interaction_subject_drugs",), lambda: _subject_drugs(kb))
    return [d for d in drugs if d.name in subjects]


def _subject_drugs(kb: KnowledgeBase) -> frozenset[str]:
    """Every drug with a label record, or in a class a class rule is written for: found once per knowledge base."""
    subject_classes = frozenset(r.subject_class for r in kb.class_rules)
    return frozenset(kb.labels) | {name for name, drug in kb.drugs.items() if subject_classes.intersection(drug.classes)}
