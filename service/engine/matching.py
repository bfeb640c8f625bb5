"""Match a normalised profile against each regimen's indications and the exclusion rules.

Every criterion is judged met, not met or unknown (the profile does not say), and the judgement
is kept with what in the profile it rested on, so that each option and each exclusion can show
its basis line by line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from schemas.responses import Criterion, Warning
from service.engine.normalise import NormalisedProfile
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import (
    BLOOD_UNITS,
    Alteration,
    BiomarkerCriterion,
    BloodCountCriterion,
    Indication,
    PatientRule,
    PdL1Criterion,
    PriorTherapyCriterion,
    Regimen,
    ResistanceRule,
    Setting,
)

ExclusionKind = Literal[
    "resistance", "biomarker", "toxicity", "prior_therapy", "histology", "contraindication", "withdrawn", "blood_count"
]

# Settings are compared within one axis: a patient's extent of disease says nothing about a leukaemia phase.
_SETTING_AXES: tuple[frozenset[Setting], ...] = (
    frozenset({Setting.EARLY, Setting.LOCALLY_ADVANCED, Setting.ADVANCED, Setting.METASTATIC, Setting.RECURRENT}),
    frozenset({Setting.CHRONIC_PHASE, Setting.ACCELERATED_PHASE, Setting.BLAST_PHASE}),
    frozenset({Setting.NEWLY_DIAGNOSED, Setting.RELAPSED, Setting.REFRACTORY}),
)
# "advanced" (not curable by local therapy) and "metastatic" answer each other's criteria.
_SETTING_EQUIVALENTS = {Setting.ADVANCED: {Setting.METASTATIC}, Setting.METASTATIC: {Setting.ADVANCED}}


class Exclusion(NamedTuple):
    """Why a regimen or indication is not offered: a tuple, as many are made and compared on every answer."""

    kind: ExclusionKind
    detail: str
    evidence: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


# the condition an unchecked item names when a prior therapy was not shown covered by the evidence
_UNCOVERED_PRIOR = "prior:"


@dataclass(frozen=True)
class Caution:
    """A reason to think twice that the source does not make an exclusion: shown first among the caveats."""

    detail: str
    evidence: tuple[str, ...] = ()
    # the rule that raised it: two options with the same caution are still compared on their trials
    rule: str | None = None
    # the condition groups that triggered it: cautions on one condition (one rule per drug) do not tell two options apart
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unchecked:
    """A condition the patient has that our notes warn of for other drugs of the same class, but not for this one."""

    condition: str
    detail: str


class Judgement(NamedTuple):
    """One criterion judged: kept light here (a tuple), made a response Criterion only for the options shown."""

    criterion: str
    requirement: str
    finding: str
    result: Literal["met", "not_met", "unknown"]

    def shown(self) -> Criterion:
        return Criterion(criterion=self.criterion, requirement=self.requirement, finding=self.finding, result=self.result)


# Judgement(*fields) without the Python-level __new__ a NamedTuple class has: judgements are made per criterion judged
_tuple_new = tuple.__new__


@dataclass(slots=True)
class IndicationAssessment:
    regimen: Regimen
    indication: Indication
    criteria: list[Judgement] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    applicable: bool = True

    @property
    def unknowns(self) -> list[Judgement]:
        return [c for c in self.criteria if c.result == "unknown"]

    @property
    def incomplete(self) -> bool:
        """Shown with caveats: an open criterion, a caution or a condition not checked ranks an option after its complete
        equals (an option is never put first because its warning was not in our notes)."""
        if self.cautions or self.unchecked:
            return True
        for c in self.criteria:
            if c.result == "unknown":
                return True
        return False

    @property
    def prior_not_shown_covered(self) -> bool:
        """A prior therapy of the patient's that this indication's evidence was not shown to have enrolled."""
        return any(u.condition.startswith(_UNCOVERED_PRIOR) for u in self.unchecked)

    def met(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(_tuple_new(Judgement, (criterion, requirement, finding, "met")))

    def unknown(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(_tuple_new(Judgement, (criterion, requirement, finding, "unknown")))

    def not_met(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(_tuple_new(Judgement, (criterion, requirement, finding, "not_met")))
        self.applicable = False

    def exclude(self, criterion: str, requirement: str, finding: str, exclusion: Exclusion) -> None:
        self.criteria.append(_tuple_new(Judgement, (criterion, requirement, finding, "not_met")))
        self.exclusions.append(exclusion)


def cancer_type_relation(kb: KnowledgeBase, profile_code: str, indication_codes: list[str]) -> str:
    """'within' if the patient's type is one of or below the indication's, 'broader' if above, else 'other'."""
    if any(kb.is_within(profile_code, code) for code in indication_codes):
        return "within"
    below = [code for code in indication_codes if kb.is_within(code, profile_code)]
    # a listed type whose main type is listed elsewhere too is that disease at another site (anorectal mucosal
    # melanoma beside MEL): "bowel cancer" is not made broader than a melanoma indication by it
    elsewhere = {kb.cancer_types[code].main_type for code in indication_codes if code not in below}
    if any(kb.cancer_types[code].main_type not in elsewhere or kb.cancer_types[code].main_type is None for code in below):
        return "broader"
    return "other"


def _names(kb: KnowledgeBase, codes: list[str]) -> str:
    return ", ".join(f"{c} ({kb.cancer_types[c].name})" for c in codes)


_HAEMATOLOGICAL_TISSUES = frozenset({"MYELOID", "LYMPH"})


def is_solid_tumour(kb: KnowledgeBase, code: str) -> bool:
    """An OncoTree solid tumour, or a solid-tumour tissue (every level-1 node but Myeloid and Lymphoid)."""
    cancer = kb.cancer_types[code]
    if cancer.category == "tissue":
        return code not in _HAEMATOLOGICAL_TISSUES
    return cancer.category == "solid"


def tumour_agnostic_relation(kb: KnowledgeBase, profile_code: str, indication: Indication) -> str:
    """'within' for a solid tumour the tumour-agnostic indication does not exclude, else 'other'."""
    if not is_solid_tumour(kb, profile_code):
        return "other"
    if any(kb.is_within(profile_code, code) for code in indication.excluded_cancer_types):
        return "other"
    return "within"


def indication_relation(kb: KnowledgeBase, profile_code: str, indication: Indication) -> str:
    """How the patient's cancer type stands to an indication's: 'within', 'broader' or 'other'."""
    key = ("indication_relation", profile_code, indication.id)  # indication ids are unique in the knowledge
    found = kb.memo.get(key)
    if found is None:
        if indication.tumour_agnostic is not None:
            found = tumour_agnostic_relation(kb, profile_code, indication)
        else:
            found = cancer_type_relation(kb, profile_code, indication.cancer_types)
        kb.memo[key] = found
    return found  # type: ignore[return-value]


# A gate says whether the indication can still apply to the profile, and records its judgement when given an
# assessment (without one it only screens); a check records what excludes or cautions an indication that applies.
Gate = Callable[["NormalisedProfile", "IndicationAssessment | None"], bool]
Step = Callable[["NormalisedProfile", "IndicationAssessment"], None]


@dataclass(frozen=True)
class CompiledIndication:
    """One indication's criteria made once per knowledge base into steps that judge a profile: their words, sets and
    bounds are read from the knowledge once, so judging a patient is comparisons and set lookups."""

    regimen: Regimen
    indication: Indication
    # cancer type, setting, line, prior therapy, drivers and the results its biomarker criteria need, in this order,
    # each with the criterion it judges: once one is not met, the indication cannot apply
    gates: tuple[tuple[str, Gate], ...]
    # histology, biomarkers, PD-L1, blood counts, patient context, unresolved resistance: they exclude or caution
    checks: tuple[Step, ...]
    # the exclusion a patient who fits a withdrawn indication is told of
    withdrawn: Exclusion | None
    # the lines of therapy it is for (the last unbounded: sys.maxsize), the quickest gate to screen on
    first_line: int
    last_line: int


def compiled_indication(kb: KnowledgeBase, regimen: Regimen, indication: Indication) -> CompiledIndication:
    """The indication's criteria as steps, compiled on first use and kept with the knowledge base."""
    key = ("compiled_indication", regimen.id, indication.id)
    found = kb.memo.get(key)
    if found is None:
        found = kb.memo[key] = _compile_indication(kb, regimen, indication)
    return found  # type: ignore[return-value]


def _compile_indication(kb: KnowledgeBase, regimen: Regimen, indication: Indication) -> CompiledIndication:
    # a criterion kind the indication does not use compiles to no step
    gates = (
        ("cancer type", _compile_cancer_type(kb, indication)),
        ("disease setting", _compile_settings(indication)),
        ("line of therapy", _compile_line(indication)),
        ("prior therapy", _compile_prior(kb, indication)),
        ("alteration", _compile_alterations(indication)),
        ("alteration", _compile_defining_alteration(kb, indication)),
        ("test result", _compile_required_results(kb, indication)),
    )
    checks = (
        _compile_histology(kb, indication),
        _compile_biomarkers(kb, indication),
        _compile_pd_l1(indication),
        _compile_blood_counts(indication),
        _compile_intensive_chemotherapy_fitness(indication),
        _compile_patient_context(kb, regimen, indication),
        _compile_pending_resistance(kb, regimen),
        _compile_mixed_resistance(kb, regimen),
        _compile_unchecked_mutations(kb, regimen),
    )
    return CompiledIndication(
        regimen=regimen,
        indication=indication,
        gates=tuple((criterion, gate) for criterion, gate in gates if gate is not None),
        checks=tuple(step for step in checks if step is not None),
        withdrawn=_withdrawn(indication),
        first_line=indication.lines.min,
        last_line=sys.maxsize if indication.lines.max is None else indication.lines.max,
    )


def applying(profile: NormalisedProfile, compiled: tuple[CompiledIndication, ...]) -> list[CompiledIndication]:
    """The indications among `compiled` that can apply to the patient: every gate holds (the line is screened first,
    as most indications a patient's cancer type concerns are for other lines)."""
    line = profile.line
    return [c for c in compiled if c.first_line <= line <= c.last_line and _gates_hold(profile, c)]


def _gates_hold(profile: NormalisedProfile, compiled: CompiledIndication) -> bool:
    for _, gate in compiled.gates:
        if not gate(profile, None):
            return False
    return True


def failed_gate(profile: NormalisedProfile, compiled: CompiledIndication) -> str | None:
    """The first criterion (cancer type, disease setting, line of therapy, prior therapy or alteration) that keeps
    the indication from applying to the patient, or None when it applies; judged without recording why."""
    for criterion, gate in compiled.gates:
        if not gate(profile, None):
            return criterion
    return None


def assess_compiled(profile: NormalisedProfile, compiled: CompiledIndication) -> IndicationAssessment:
    """Judge every criterion of one compiled indication; stop early once it cannot apply."""
    a = IndicationAssessment(compiled.regimen, compiled.indication)
    for _, gate in compiled.gates:
        if not gate(profile, a):
            return a
    for step in compiled.checks:
        step(profile, a)
    return a


def assess_but_for(profile: NormalisedProfile, compiled: CompiledIndication, missing: str) -> IndicationAssessment | None:
    """Judge the indication as if the result whose gate is `missing` ("alteration" or "test result") were given and
    fitted: None when another gate fails, else the assessment with every check run (a regimen a missing result would
    open must still be one the rest of the profile allows)."""
    a = IndicationAssessment(compiled.regimen, compiled.indication)
    for criterion, gate in compiled.gates:
        if not gate(profile, a) and criterion != missing:
            return None
    for step in compiled.checks:
        step(profile, a)
    return a


def assess_indication(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen, indication: Indication) -> IndicationAssessment:
    """Judge every criterion of one indication; stop early once it cannot apply."""
    return assess_compiled(profile, compiled_indication(kb, regimen, indication))


def _cancer_type_finding(kb: KnowledgeBase, profile: NormalisedProfile) -> str:
    if "cancer_type_finding" not in profile.memo:
        profile.memo["cancer_type_finding"] = f"{profile.cancer_type} ({kb.cancer_types[profile.cancer_type].name})"
    return profile.memo["cancer_type_finding"]  # type: ignore[return-value]


def _compile_cancer_type(kb: KnowledgeBase, indication: Indication) -> Gate:
    agnostic = indication.tumour_agnostic is not None
    if agnostic:
        excluded = indication.excluded_cancer_types
        requirement = "any solid tumour (tumour-agnostic)" + (f", except {_names(kb, excluded)}" if excluded else "")
    else:
        # a type listed and excluded (liposarcoma for pazopanib) is named as an exclusion, never as a requirement
        excluded = [c for c in indication.cancer_types if c in indication.excluded_cancer_types]
        listed = [c for c in indication.cancer_types if c not in excluded]
        requirement = _names(kb, listed) + " or a subtype" + (f", not {_names(kb, excluded)}" if excluded else "")

    relations: dict[str, str] = {}  # the patient's cancer type -> how it stands to this indication's

    def assess_cancer_type(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        relation = relations.get(profile.cancer_type)
        if relation is None:
            relation = relations[profile.cancer_type] = indication_relation(kb, profile.cancer_type, indication)
        if a is None:
            return relation != "other"
        finding = _cancer_type_finding(kb, profile)
        if relation == "within":
            a.met("cancer type", requirement, finding + ": a solid tumour; this indication is tumour-agnostic" if agnostic else finding)
        elif relation == "broader" and (defined := defining_alterations_below(kb, profile.cancer_type, indication)):
            hits = profile.alterations_matching(set(defined.values()))
            if hits:
                a.met("cancer type", requirement, f"{finding} with {', '.join(h.id for h in hits)} detected, which defines {_names(kb, list(defined))}")
            else:
                a.unknown("cancer type", requirement, f"{finding}: {_names(kb, list(defined))} is defined by {' or '.join(sorted(set(defined.values())))}")
        elif relation == "broader":
            a.unknown("cancer type", requirement, finding + " is less specific than the studied population")
        else:
            a.not_met("cancer type", requirement, finding)
        return a.applicable

    return assess_cancer_type


def defining_alterations_below(kb: KnowledgeBase, profile_code: str, indication: Indication) -> dict[str, str]:
    """The indication's listed cancer types below the patient's (broader) type, each with the alteration that defines
    it (BLLBCRABL1: BCR::ABL1 fusion), when every listed type below it is so defined; else empty (a listed subtype that
    no alteration defines leaves the broader type a caveat). Found once per (type, indication)."""
    key = ("defining_alterations_below", profile_code, indication.id)
    found = kb.memo.get(key)
    if found is None:
        below = [c for c in indication.cancer_types if c != profile_code and kb.is_within(c, profile_code)]
        defined = {c: kb.cancer_types[c].defined_by for c in below}
        found = kb.memo[key] = {c: d for c, d in defined.items() if d} if below and all(defined.values()) else {}
    return found  # type: ignore[return-value]


def _compile_defining_alteration(kb: KnowledgeBase, indication: Indication) -> Gate | None:
    """A patient typed by a broader cancer type than the subtype an alteration defines (B-ALL, and Ph+ B-ALL defined by
    BCR::ABL1): the indication applies once that alteration is detected; reported not detected, it does not apply; not
    given, it waits on the result as on a missing gene result (the answer names it and what it would open), never
    offered on the broader type with a caveat."""
    if indication.tumour_agnostic is not None or not any(kb.cancer_types[c].defined_by for c in indication.cancer_types):
        return None

    def assess_defining_alteration(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        if indication_relation(kb, profile.cancer_type, indication) != "broader":
            return True
        defined = defining_alterations_below(kb, profile.cancer_type, indication)
        if not defined:
            return True
        wanted = set(defined.values())
        hits = profile.alterations_matching(wanted)
        if hits:
            return True
        if a is not None:
            genes = sorted({kb.alterations[w].gene for w in wanted})
            negative = [g for g in genes if g in profile.negative_genes] + sorted(w for w in wanted if w in profile.negative_alterations)
            finding = f"{', '.join(negative)} reported not detected" if negative else f"no {' or '.join(genes)} result given"
            a.not_met("alteration", f"{' or '.join(sorted(wanted))}, which defines {_names(kb, list(defined))}", finding)
        return False

    return assess_defining_alteration


def _given_settings(profile: NormalisedProfile) -> tuple[frozenset[Setting], str]:
    """The settings the profile states with their equivalents, and how they read: found once per profile."""
    if "given_settings" not in profile.memo:
        given = set(profile.settings)
        for setting in profile.settings:
            given |= _SETTING_EQUIVALENTS.get(setting, set())
        profile.memo["given_settings"] = (frozenset(given), ", ".join(s.value.replace("_", " ") for s in profile.settings))
    return profile.memo["given_settings"]  # type: ignore[return-value]


_ANY_SETTING = "any: the evidence is not restricted by disease setting"


def _compile_settings(indication: Indication) -> Gate:
    if indication.any_setting:

        def assess_any_setting(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
            if a is not None:
                a.met("disease setting", _ANY_SETTING, _given_settings(profile)[1] or "stage not needed")
            return True

        return assess_any_setting
    requirement = " or ".join(s.value.replace("_", " ") for s in indication.settings)
    wanted = frozenset(indication.settings)
    # each axis the indication names a setting on, with those settings and what a missing one is called
    axes = tuple(
        (axis, wanted & axis, "phase" if Setting.CHRONIC_PHASE in axis else "setting") for axis in _SETTING_AXES if wanted & axis
    )

    def assess_settings(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        if not profile.settings:
            if a is not None:
                a.unknown("disease setting", requirement, "stage not given or not recognised")
            return True
        given, finding = _given_settings(profile)
        if profile.stage_ambiguity is not None and a is not None and not wanted.isdisjoint(given):
            # either reading of the stage fits this indication: it holds, but the open question is said
            a.unknown("disease setting", requirement, profile.stage_ambiguity)
            return True
        for axis, wanted_here, word in axes:
            if given.isdisjoint(axis):
                if a is not None:
                    a.unknown("disease setting", requirement, f"{finding}; the {word} was not given")
                return True
            if wanted_here.isdisjoint(given):
                if a is not None:
                    a.not_met("disease setting", requirement, finding)
                return False
        if a is not None:
            a.met("disease setting", requirement, finding)
        return True

    return assess_settings


def _compile_line(indication: Indication) -> Gate:
    first, last = indication.lines.min, indication.lines.max
    if last == first:
        requirement = f"line {first}"
    elif last is None:
        requirement = f"line {first} or later"
    else:
        requirement = f"lines {first} to {last}"

    def assess_line(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        line = profile.line
        if line < first or (last is not None and line > last):
            if a is not None:
                a.not_met("line of therapy", requirement, f"line {line}")
            return False
        if a is None:
            return True
        if profile.prior_lines is None:
            a.unknown("line of therapy", requirement, "prior therapy not given; first line assumed")
        else:
            a.met("line of therapy", requirement, f"line {line}")
        return True

    return assess_line


@dataclass(frozen=True)
class _PriorCriterion:
    """A prior-therapy criterion with the catalogue drugs it names (directly or by class) found once."""

    description: str
    min_count: int
    drugs: frozenset[str]
    # prior lines with these outcomes neither meet nor exclude (they caution, or do not count)
    skipped_outcomes: frozenset[str]
    caution_outcomes: tuple[str, ...]
    caution: str

    @classmethod
    def of(cls, kb: KnowledgeBase, criterion: PriorTherapyCriterion) -> _PriorCriterion:
        classes = set(criterion.classes)
        named = {d for d, record in kb.drugs.items() if classes.intersection(record.classes)}
        return cls(
            description=criterion.description,
            min_count=criterion.min_count,
            drugs=frozenset(criterion.drugs) | named,
            skipped_outcomes=frozenset(criterion.excluded_outcomes) | frozenset(criterion.caution_outcomes),
            caution_outcomes=tuple(criterion.caution_outcomes),
            caution=criterion.caution,
        )

    def lines_matching(self, profile: NormalisedProfile, outcomes: tuple[str, ...] | None = None) -> list[str]:
        """Prior lines with a drug the criterion names; `outcomes` keeps only lines with those outcomes."""
        found = []
        for line in profile.prior_lines or []:
            if outcomes is not None:
                if line.outcome not in outcomes:
                    continue
            elif line.outcome in self.skipped_outcomes:
                continue
            hits = [d for d in line.drugs if d in self.drugs]
            if hits:
                found.append(f"line {line.number}: {' + '.join(hits)}")
        return found


def _unrecognised_prior_drugs(profile: NormalisedProfile) -> bool:
    return any(line.unrecognised for line in profile.prior_lines or [])


def _compile_prior(kb: KnowledgeBase, indication: Indication) -> Gate | None:
    if not indication.requires_prior and not indication.excludes_prior and not indication.prior_not_shown_covered:
        return None
    required = tuple(_PriorCriterion.of(kb, c) for c in indication.requires_prior)
    excluded = tuple(_PriorCriterion.of(kb, c) for c in indication.excludes_prior)
    not_shown_covered = tuple(_PriorCriterion.of(kb, c) for c in indication.prior_not_shown_covered)
    evidence = tuple(indication.evidence)

    def assess_prior(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        for criterion in required:
            found = criterion.lines_matching(profile)
            if len(found) >= criterion.min_count:
                if a is not None:
                    a.met("prior therapy", criterion.description, "; ".join(found))
            elif profile.prior_lines is None:
                if a is None:
                    return False
                a.not_met("prior therapy", criterion.description, "prior therapy not given")
            elif _unrecognised_prior_drugs(profile):
                if a is not None:
                    a.unknown("prior therapy", criterion.description, "a prior-therapy drug was not recognised")
            else:
                if a is None:
                    return False
                a.not_met("prior therapy", criterion.description, "; ".join(found) or "none matching")
        if a is None:
            return True  # a prior therapy that excludes the indication does not stop it applying
        for criterion in excluded:
            found = criterion.lines_matching(profile)
            if not found and _unrecognised_prior_drugs(profile):
                a.unknown("prior therapy", f"no {criterion.description}", "a prior-therapy drug was not recognised")
            if found:
                a.exclude(
                    "prior therapy",
                    criterion.description,
                    "; ".join(found),
                    Exclusion("prior_therapy", f"{criterion.description}: {'; '.join(found)}", evidence),
                )
                continue
            cautioned = criterion.lines_matching(profile, criterion.caution_outcomes) if criterion.caution_outcomes else []
            if cautioned:
                # not an exclusion the source makes: offered, with what the evidence population was
                outcomes = " or ".join(criterion.caution_outcomes)
                finding = f"{'; '.join(cautioned)} (stopped for {outcomes})"
                a.met("prior therapy", f"{criterion.description}: not given, or stopped for {outcomes}", finding)
                a.cautions.append(Caution(f"{finding}: {criterion.caution}", evidence))
        for criterion in not_shown_covered:
            found = criterion.lines_matching(profile)
            if found:
                a.unchecked.append(
                    Unchecked(
                        f"{_UNCOVERED_PRIOR}{criterion.description}",
                        f"not checked for {criterion.description} ({'; '.join(found)}): whether the evidence for this option "
                        "covers patients after it was not read; options whose evidence enrolled such patients rank above it.",
                    )
                )
        return a.applicable

    return assess_prior


def _detected_with_terms(profile: NormalisedProfile) -> tuple[tuple[Alteration, frozenset[str]], ...]:
    """Each detected alteration with its id and categories, the terms a criterion names it by: found once per profile."""
    found = profile.memo.get("detected_with_terms")
    if found is None:
        found = profile.memo["detected_with_terms"] = tuple((alt, frozenset((alt.id, *alt.categories))) for alt in profile.detected)
    return found  # type: ignore[return-value]


_NEGATIVE_DRIVER = " driver alteration tested and not detected"


def open_driver_gene(criterion: Judgement | Criterion) -> str | None:
    """The gene whose driver status a criterion leaves open (not reported, or pending), else None."""
    if criterion.criterion == "driver status" and criterion.result == "unknown" and criterion.requirement.endswith(_NEGATIVE_DRIVER):
        return criterion.requirement.removesuffix(_NEGATIVE_DRIVER)
    return None


def _compile_alterations(indication: Indication) -> Gate | None:
    required = tuple((frozenset(group), " or ".join(group)) for group in indication.requires_alterations)
    excluded = tuple((term, f"no {term}") for term in indication.excludes_alterations)
    negative = tuple((gene, f"{gene}{_NEGATIVE_DRIVER}") for gene in indication.requires_negative)
    if not (required or excluded or negative):
        return None
    evidence = tuple(indication.evidence)

    def assess_alterations(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        detected = _detected_with_terms(profile)
        if a is None:
            # a detected alteration the indication excludes, or a driver where it needs none, does not stop it applying
            return all(any(not group.isdisjoint(terms) for _, terms in detected) for group, _ in required)
        for group, requirement in required:
            hits = [alt.id for alt, terms in detected if not group.isdisjoint(terms)]
            if hits:
                a.met("alteration", requirement, ", ".join(hits))
            else:
                a.not_met("alteration", requirement, "not detected or not reported")
        for term, requirement in excluded:
            hits = [alt.id for alt, terms in detected if term in terms]
            if hits:
                found = ", ".join(hits)
                a.exclude(
                    "alteration",
                    requirement,
                    found,
                    Exclusion("biomarker", f"{found} detected: the evidence for this regimen excludes {term}", evidence),
                )
        for gene, requirement in negative:
            in_gene = [alt.id for alt, _ in detected if alt.gene == gene]
            if in_gene:
                found = ", ".join(in_gene)
                a.exclude(
                    "driver status",
                    requirement,
                    f"{found} detected",
                    Exclusion("biomarker", f"{found} detected: this regimen's evidence is in {gene}-negative disease", evidence),
                )
            elif gene in profile.uncurated_genes:
                # a variant the knowledge does not hold is still a detected result: the gene is not negative
                found = ", ".join(
                    m.normalised or m.input
                    for m in profile.understood.mutations
                    if m.gene == gene and m.result == "detected" and m.status == "recognised" and m.alteration is None
                )
                a.exclude(
                    "driver status",
                    requirement,
                    f"{found} detected",
                    Exclusion(
                        "biomarker",
                        f"{found} detected (a variant the knowledge base does not hold): this regimen's evidence is in "
                        f"{gene}-negative disease; confirm the variant's significance",
                        evidence,
                    ),
                )
            elif gene in profile.altered_genes_unstated:
                found = ", ".join(
                    f"'{m.input}'" for m in profile.understood.mutations if m.gene == gene and m.status == "not_recognised" and m.result == "detected"
                )
                a.exclude(
                    "driver status",
                    requirement,
                    f"{found} reported",
                    Exclusion(
                        "biomarker",
                        f"{gene} is reported altered ({found}) without the alteration: this regimen's evidence is in {gene}-negative "
                        "disease; give the variant for the options that depend on it",
                        evidence,
                    ),
                )
            elif gene in profile.negative_genes:
                a.met("driver status", requirement, f"{gene} tested negative")
            else:
                a.unknown("driver status", requirement, f"{gene} {profile.unresolved_result({gene}) or 'status not reported'}")
        return a.applicable

    return assess_alterations


def _compile_required_results(kb: KnowledgeBase, indication: Indication) -> Gate | None:
    """The tumour test results (biomarker and PD-L1) the indication's criteria judge: one not given (or pending,
    equivocal, contradictory, or PD-L1 in another scoring system) keeps the indication from applying, as a required
    gene result not given does. Its population was chosen by that result, so it is not offered on a guess; the answer
    names the missing result and the options it would open (`results_not_given`). A clinical grading (Child-Pugh,
    IMDC risk) is not a test result: `_compile_biomarkers` shows it unknown, as a caveat to confirm."""
    groups = tuple(
        (tuple(dict.fromkeys(c.name for c in group)), " or ".join(c.requirement for c in group))
        for group in indication.biomarkers
        if not is_clinical_grading(kb, [c.name for c in group])
    )
    pd_l1 = indication.pd_l1
    if not groups and pd_l1 is None:
        return None
    pd_l1_requirement = _pd_l1_requirement(pd_l1) if pd_l1 is not None else ""

    def assess_required_results(profile: NormalisedProfile, a: IndicationAssessment | None) -> bool:
        given = profile.biomarkers
        held = True
        for names, requirement in groups:
            if not any(name in given for name in names):
                if a is None:
                    return False
                a.not_met("biomarker", requirement, biomarker_gap(profile, names))
                held = False
        if pd_l1 is not None and (profile.pd_l1 is None or pd_l1.scoring not in profile.pd_l1):
            if a is None:
                return False
            a.not_met("PD-L1", pd_l1_requirement, pd_l1_gap(profile, pd_l1.scoring))
            held = False
        return held

    return assess_required_results


def is_clinical_grading(kb: KnowledgeBase, names: Iterable[str]) -> bool:
    """Every one of `names` is a clinical grading (Child-Pugh, IMDC risk), not a tumour test result."""
    markers = [kb.biomarkers.get(name) for name in names]
    return all(m is not None and m.clinical_grading for m in markers)


def biomarker_gap(profile: NormalisedProfile, names: tuple[str, ...]) -> str:
    """What is missing of a biomarker result (any one of `names` would answer), in words: pending or equivocal,
    given twice with different values, or not given."""
    said: list[str] = []
    for reading in profile.understood.biomarkers:
        if reading.status != "recognised" or reading.name not in names:
            continue
        if reading.value is None and reading.result is not None:
            said.append(f"{reading.name} is {reading.result}")
        elif reading.value is not None and reading.name not in profile.biomarkers:
            said.append(f"{reading.name} is given twice with different values")
    if said:
        return "; ".join(dict.fromkeys(said))
    return f"no {' or '.join(names)} result was given"


def pd_l1_gap(profile: NormalisedProfile, scoring: str) -> str:
    """What is missing of the PD-L1 result a criterion scored by `scoring` needs, in words."""
    system = scoring.upper()
    if profile.pd_l1 is None:
        return f"no PD-L1 {system} result was given"
    given = ", ".join(k.upper() for k in profile.pd_l1)
    return f"PD-L1 given as {given}; the evidence used {system}, which is not interchangeable"


def _compile_biomarkers(kb: KnowledgeBase, indication: Indication) -> Step | None:
    if not indication.biomarkers:
        return None
    groups = tuple((tuple(group), " or ".join(c.requirement for c in group)) for group in indication.biomarkers)
    evidence = tuple(indication.evidence)

    def assess_biomarkers(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        # the results gate has recorded a group whose result is missing: each group given is met or excludes
        given = profile.biomarkers
        for group, requirement in groups:
            met = [c for c in group if c.name in given and c.holds(given[c.name])]
            if met:
                a.met("biomarker", requirement, ", ".join(_biomarker_finding(c, profile) for c in met))
                continue
            if not any(c.name in given for c in group):
                # a missing tumour result was recorded by the results gate; a clinical grading is a caveat
                if is_clinical_grading(kb, [c.name for c in group]):
                    a.unknown("biomarker", requirement, biomarker_gap(profile, tuple(dict.fromkeys(c.name for c in group))))
                continue
            found = ", ".join(dict.fromkeys(_biomarker_finding(c, profile) for c in group if c.name in given))
            a.exclude(
                "biomarker",
                requirement,
                found,
                Exclusion("biomarker", f"{found}: the evidence for this regimen requires {requirement}", evidence),
            )

    return assess_biomarkers


def _biomarker_finding(criterion: BiomarkerCriterion, profile: NormalisedProfile) -> str:
    value = profile.biomarkers[criterion.name]
    return f"{criterion.name} {value} {criterion.unit}" if criterion.unit else f"{criterion.name} {value}"


def _pd_l1_requirement(criterion: PdL1Criterion) -> str:
    parts = []
    if criterion.min is not None:
        parts.append(f">= {criterion.min:g}")
    if criterion.below is not None:
        parts.append(f"< {criterion.below:g}")
    return f"PD-L1 {criterion.scoring.upper()} {' and '.join(parts)}"


def _compile_pd_l1(indication: Indication) -> Step | None:
    criterion = indication.pd_l1
    if criterion is None:
        return None
    scoring, low, below = criterion.scoring, criterion.min, criterion.below
    system = scoring.upper()
    requirement = _pd_l1_requirement(criterion)
    evidence = tuple(indication.evidence)

    def assess_pd_l1(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        value = (profile.pd_l1 or {}).get(scoring)
        if value is None:
            return  # the results gate has recorded it as missing
        finding = f"PD-L1 {system} {value:g}"
        if (low is None or value >= low) and (below is None or value < below):
            a.met("PD-L1", requirement, finding)
        else:
            a.exclude("PD-L1", requirement, finding, Exclusion("biomarker", f"{finding} is outside the studied range ({requirement})", evidence))

    return assess_pd_l1


def _blood_value(profile: NormalisedProfile, measure: str) -> float | bool | None:
    return {"platelets": profile.platelets, "haemoglobin": profile.haemoglobin_g_dl, "transfusion_dependent": profile.transfusion_dependent}[measure]


def _blood_finding(measure: str, value: float | bool) -> str:
    if measure == "transfusion_dependent":
        return "transfusion dependent" if value else "not transfusion dependent"
    return f"{measure} {float(value):g} {BLOOD_UNITS[measure]}"


def _blood_missing(profile: NormalisedProfile, criteria: list[BloodCountCriterion]) -> str:
    said = []
    for measure in dict.fromkeys(c.measure for c in criteria):
        name = measure.replace("_", " ")
        if measure in profile.blood_counts_unread:
            said.append(f"{name} not recognised")
        elif measure == "transfusion_dependent" and profile.understood.patient and profile.understood.patient.blood_counts and (
            profile.understood.patient.blood_counts.transfusion_dependent == "unknown"
        ):
            said.append("transfusion dependence not known")
        else:
            said.append(f"{name} not given")
    return "; ".join(said) + ": not evaluated"


def _compile_blood_counts(indication: Indication) -> Step | None:
    """Platelet, haemoglobin and transfusion criteria: met, outside the studied or labelled range, or not evaluated."""
    if not indication.blood_counts:
        return None
    groups = tuple((tuple(group), " or ".join(c.requirement for c in group)) for group in indication.blood_counts)
    summary, evidence = indication.summary, tuple(indication.evidence)

    def assess_blood_counts(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        for group, requirement in groups:
            known = [(c, value) for c in group if (value := _blood_value(profile, c.measure)) is not None]
            met = [(c, v) for c, v in known if c.holds(v)]
            if met:
                a.met("blood counts", requirement, ", ".join(_blood_finding(c.measure, v) for c, v in met))
                continue
            if len(known) < len(group):
                a.unknown("blood counts", requirement, _blood_missing(profile, [c for c in group if _blood_value(profile, c.measure) is None]))
                continue
            found = ", ".join(dict.fromkeys(_blood_finding(c.measure, v) for c, v in known))
            a.exclude(
                "blood counts",
                requirement,
                found,
                Exclusion("blood_count", f"{found}: {summary} requires {requirement}", evidence),
            )

    return assess_blood_counts


INTENSIVE_INELIGIBLE = "ineligible for intensive induction chemotherapy (aged 75 or older, or ECOG 2-3 or another comorbidity that precludes it)"


def _compile_intensive_chemotherapy_fitness(indication: Indication) -> Step | None:
    """ECOG 2-3 meets the VIALE-A definition of ineligibility; otherwise age and comorbidities decide, which the
    profile does not carry, so the criterion stays open (shown with the caveat, never dropped or assumed)."""
    if not indication.ineligible_for_intensive_chemotherapy:
        return None

    def assess_intensive_chemotherapy_fitness(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        if profile.ecog is not None and 2 <= profile.ecog <= 3:
            a.met("fitness for intensive chemotherapy", INTENSIVE_INELIGIBLE, f"ECOG {profile.ecog}")
            return
        if profile.ecog == 4:
            finding = "ECOG 4: the evidence enrolled ECOG 0-3; not evaluated"
        elif profile.ecog is not None:
            finding = f"ECOG {profile.ecog}; age and comorbidities are not in the profile: not evaluated"
        else:
            finding = "ECOG not given; age and comorbidities are not in the profile: not evaluated"
        a.unknown("fitness for intensive chemotherapy", INTENSIVE_INELIGIBLE, finding)

    return assess_intensive_chemotherapy_fitness


def _withdrawn(indication: Indication) -> Exclusion | None:
    withdrawal = indication.withdrawal
    if withdrawal is None:
        return None
    return Exclusion(
        "withdrawn",
        f"{indication.summary}: the US approval for this indication was withdrawn on {withdrawal.date.isoformat()} "
        f"({withdrawal.note}; source: {withdrawal.source_url})",
        tuple(indication.evidence),
    )


def _compile_unchecked_mutations(kb: KnowledgeBase, regimen: Regimen) -> Step:
    """Rule 4, say what was not checked: a detected mutation in a gene's `mutation_scope` (BCR::ABL1 kinase-domain
    mutations in CML) that no resistance rule states for a drug of this option (as defeated, or as the alternative)
    leaves that drug "not checked for" it, so an option is never shown first because its mutation was not in our notes.
    The notes are a fact of the knowledge for one curated alteration in one cancer type: found once per pair and kept
    with the compiled indication."""
    notes: dict[tuple[str, str], tuple[Unchecked, ...]] = {}  # (cancer type, alteration id) -> the notes

    def assess_unchecked_mutations(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        for alteration in profile.detected:
            key = (profile.cancer_type, alteration.id)
            found = notes.get(key)
            if found is None:
                found = notes[key] = _unchecked_mutation(kb, profile.cancer_type, regimen, alteration)
            a.unchecked.extend(found)

    return assess_unchecked_mutations


def _unchecked_mutation(kb: KnowledgeBase, code: str, regimen: Regimen, alteration: Alteration) -> tuple[Unchecked, ...]:
    gene = kb.genes.get(alteration.gene)
    scope = gene.mutation_scope if gene is not None else None
    if scope is None or scope.category not in alteration.categories:
        return ()
    if not any(kb.is_within(code, c) for c in scope.cancer_types):
        return ()
    stated: set[str] = set()
    for rule in kb.resistance_rules_for(code):
        if alteration.id in rule.alterations or set(rule.alterations) & set(alteration.categories):
            stated.update(rule.drugs, rule.alternatives)
            stated.update(d for d in regimen.drugs if set(kb.drug_classes(d)) & set(rule.drug_classes))
    found = []
    for drug in regimen.drugs:
        if drug in stated or not set(kb.drug_classes(drug)) & set(scope.drug_classes):
            continue
        found.append(
            Unchecked(
                f"mutation:{alteration.id}",
                f"not checked for {alteration.id}: no sourced rule in our notes says whether it reduces the activity of "
                f"{drug}; check a published mutation sensitivity table before relying on this option.",
            )
        )
    return tuple(found)


def _resistance_hits(kb: KnowledgeBase, profile: NormalisedProfile) -> list[tuple[ResistanceRule, list[Alteration], Exclusion, frozenset[str]]]:
    """The resistance rules this profile's detected alterations fire, with their hits, the exclusion they make (the
    same for every regimen a rule affects) and the ids of the regimens it affects: found once per profile."""
    if "resistance_hits" not in profile.memo:
        fired = []
        for rule in kb.resistance_rules_for(profile.cancer_type):
            hits = [h for h in profile.alterations_matching(rule.alterations) if allelic_context_holds(kb, profile, rule, h.id)]
            if hits and not _rule_lifted(kb, profile, rule):
                found = ", ".join(h.id for h in hits)
                exclusion = Exclusion(rule.kind, f"{found}: {rule.reason}", tuple(rule.evidence), tuple(rule.alternatives))
                fired.append((rule, hits, exclusion, kb.regimens_a_resistance_rule_affects(rule)))
        profile.memo["resistance_hits"] = fired
    return profile.memo["resistance_hits"]  # type: ignore[return-value]


def driver_result_caveats(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen, said: set[str]) -> list[str]:
    """For a regimen a driver would rule out (checkpoint inhibitors before an ALK, ROS1 or RET TKI), while that driver's
    result is pending or equivocal: the option is shown, and says what a detected result would change. A gene whose
    status the option's own criteria already leave open (`said`) is not said twice; a result never sent is the
    missing-driver warning's, not one caveat per option and driver."""
    caveats = []
    for rule in kb.resistance_rules_for(profile.cancer_type):
        if rule.kind != "biomarker" or regimen.id not in kb.regimens_a_resistance_rule_affects(rule):
            continue
        if profile.alterations_matching(rule.alterations) or _rule_lifted(kb, profile, rule):
            continue
        genes = _rule_genes(kb, rule)
        if genes & profile.negative_genes or set(rule.alterations) & profile.negative_alterations:
            continue
        status = profile.unresolved_result(genes)
        if status is None or genes <= said:
            continue
        caveats.append(f"{' or '.join(rule.alterations)} {status}: if it is detected, this regimen is not for this patient ({rule.reason})")
    return caveats


def _rule_lifted(kb: KnowledgeBase, profile: NormalisedProfile, rule: ResistanceRule) -> bool:
    """A co-occurring alteration (`not_when_also`) or prior therapy of the named classes lifts the rule."""
    also = bool(rule.not_when_also and profile.alterations_matching(rule.not_when_also))
    return also or bool(_prior_drugs_in(kb, profile, rule.unless_prior_classes))


def _rule_genes(kb: KnowledgeBase, rule: ResistanceRule) -> frozenset[str]:
    """The genes of a rule's alterations (ids or categories), found once per knowledge base."""

    def build() -> frozenset[str]:
        wanted = set(rule.alterations)
        return frozenset(a.gene for a in kb.alterations.values() if a.id in wanted or wanted.intersection(a.categories))

    return kb.once(("rule_genes", rule.id), build)  # type: ignore[no-any-return]


def _prior_drugs_in(kb: KnowledgeBase, profile: NormalisedProfile, classes: list[str]) -> list[str]:
    """The drugs of these classes given in an earlier line, sorted (none named: none)."""
    return sorted({d for line in profile.prior_lines or [] for d in line.drugs if _in_classes(kb, d, classes)})


def resistance_exclusions(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen) -> list[Exclusion]:
    """Exclusions from detected resistance alterations against the regimen's drugs."""
    return [exclusion for _, _, exclusion, affected in _resistance_hits(kb, profile) if regimen.id in affected]


def toxicity_exclusions(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen) -> list[Exclusion]:
    """Exclusions for drug combinations with a published toxicity signal, within the regimen or with current medicines."""
    rules = kb.toxicity_rules_sharing_a_drug(regimen.id)
    if not rules:
        return []
    given = set(regimen.drugs) | {m.name for m in profile.medications}
    exclusions = []
    for rule in rules:
        if set(rule.drugs) <= given and set(rule.drugs) & set(regimen.drugs):
            from_medications = sorted(set(rule.drugs) - set(regimen.drugs))
            context = f" (with current medication {', '.join(from_medications)})" if from_medications else ""
            exclusions.append(Exclusion("toxicity", f"{' + '.join(rule.drugs)}{context}: {rule.reason}", tuple(rule.evidence)))
    return exclusions


def prior_failure_exclusions(profile: NormalisedProfile, regimen: Regimen, indication: Indication | None) -> list[Exclusion]:
    """A TKI the patient progressed on or could not tolerate is not offered again, unless the evidence continues it."""
    failed = [line for line in profile.prior_lines or [] if line.outcome in ("progression", "intolerance")]
    if not failed:
        return []
    tkis = {c.drug for c in regimen.components if c.role == "tki" and c.drug is not None}
    if indication is not None:
        tkis -= {d for c in indication.requires_prior for d in c.drugs} | set(indication.continued_after_progression)
    exclusions = []
    for line in failed:
        for drug in sorted(tkis.intersection(line.drugs)):
            exclusions.append(Exclusion("prior_therapy", f"{line.outcome} on {drug} in line {line.number}"))
    return exclusions


def same_regimen_exclusions(profile: NormalisedProfile, regimen: Regimen, indication: Indication) -> list[Exclusion]:
    """An indication that would be offered for a regimen the patient already had whole in one line that progressed or
    was not tolerated (ribociclib + fulvestrant again after progression on it), unless its evidence continues one of
    the drugs past progression. Checked only once an indication matches, so a sourced exclusion keeps its reason."""
    drugs = set(regimen.drugs)
    continued = set(indication.continued_after_progression) | {d for c in indication.requires_prior for d in c.drugs}
    return [
        Exclusion("prior_therapy", f"{line.outcome} on {' + '.join(sorted(drugs))} in line {line.number}: the same regimen")
        for line in profile.prior_lines or []
        if line.outcome in ("progression", "intolerance") and drugs and drugs <= set(line.drugs) and not drugs & continued
    ]


def repeat_caveats(profile: NormalisedProfile, regimen: Regimen) -> list[str]:
    """Drugs of this regimen already given, with no progression or intolerance reported: worth a second look."""
    if not profile.prior_lines:
        return []
    drugs = set(regimen.drugs)
    return [
        f"prior therapy: {drug} was already given in line {line.number} (outcome {line.outcome})"
        for line in profile.prior_lines or []
        if line.outcome not in ("progression", "intolerance")
        for drug in sorted(drugs.intersection(line.drugs))
    ]


# --- histology and excluded subtypes ------------------------------------------------------


def profile_histology(kb: KnowledgeBase, profile: NormalisedProfile) -> tuple[str | None, str]:
    """The histology the profile states, or its cancer type implies (LUSC is squamous), with how it was read."""
    given = profile.biomarkers.get("Histology")
    implied = next(
        (h for code, h in kb.source.rules.histology_by_cancer_type.items() if kb.is_within(profile.cancer_type, code)),
        None,
    )
    if given is not None and implied is not None and given != implied:
        return None, f"histology given as {given}, but cancer type {profile.cancer_type} is {implied}: the two disagree"
    if given is not None:
        return given, f"Histology {given}"
    if implied is not None:
        return implied, f"{profile.cancer_type} ({kb.cancer_types[profile.cancer_type].name}) is {implied}"
    return None, "histology not reported"


def _profile_histology(kb: KnowledgeBase, profile: NormalisedProfile) -> tuple[str | None, str]:
    if "histology" not in profile.memo:
        profile.memo["histology"] = profile_histology(kb, profile)
    return profile.memo["histology"]  # type: ignore[return-value]


def _compile_histology(kb: KnowledgeBase, indication: Indication) -> Step | None:
    if not indication.excluded_cancer_types and not indication.histology:
        return None
    excluded = tuple((code, f"not {code} ({kb.cancer_types[code].name})", kb.cancer_types[code].name) for code in indication.excluded_cancer_types)
    histologies = tuple(indication.histology)
    wanted = " or ".join(histologies)
    requirement = f"{wanted} histology"
    evidence = tuple(indication.evidence)

    def assess_histology(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        for code, not_code, name in excluded:
            if kb.is_within(profile.cancer_type, code):
                finding = _cancer_type_finding(kb, profile)
                a.exclude(
                    "cancer type",
                    not_code,
                    finding,
                    Exclusion("histology", f"{finding}: the evidence for this regimen excludes {name}", evidence),
                )
                return
        if not histologies:
            return
        histology, finding = _profile_histology(kb, profile)
        if histology is None:
            a.unknown("histology", requirement, f"{finding}; confirm {wanted} histology")
        elif histology in histologies:
            a.met("histology", requirement, finding)
        else:
            a.exclude(
                "histology",
                requirement,
                finding,
                Exclusion("histology", f"{finding}: the evidence for this regimen enrolled {wanted} histology only", evidence),
            )

    return assess_histology


# --- contraindications and cautions from the patient context ------------------------------


def _group_names(kb: KnowledgeBase, groups: set[str]) -> str:
    return ", ".join(kb.condition_groups.get(g, g.replace("_", " ")) for g in sorted(groups))


_INTERVAL = "weeks since an earlier line's last dose"
_CONTEXT_FIELDS = {
    "conditions": "conditions",
    "ECOG performance status": "ecog",
    "brain metastases": "brain_metastases",
    "creatinine clearance": "organ_function",
    "Child-Pugh class": "biomarkers",
    "QTc interval": "organ_function",
    _INTERVAL: "prior_therapies",
}


def _context_inputs(kb: KnowledgeBase, a: IndicationAssessment, code: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The patient inputs the indication's patient rules for this cancer type read, in the order its rules read
    them, each with the drug classes it concerns (for the interval since a line of those classes): found once per
    indication and type."""
    key = ("context_inputs", a.regimen.id, a.indication.id, code)
    found = kb.memo.get(key)
    if found is None:
        inputs: dict[tuple[str, tuple[str, ...]], None] = {}
        for rule in kb.patient_rules_concerning(a.regimen.id, a.indication.id, code):
            when = rule.when
            if when.condition_groups or when.past_condition_groups:
                inputs["conditions", ()] = None
            if when.ecog_min is not None:
                inputs["ECOG performance status", ()] = None
            if when.brain_metastases:
                inputs["brain metastases", ()] = None
            if when.creatinine_clearance_below is not None:
                inputs["creatinine clearance", ()] = None
            if when.child_pugh:
                inputs["Child-Pugh class", ()] = None
            if when.qtc_ms_above is not None:
                inputs["QTc interval", ()] = None
            if when.recent_drug_classes:
                inputs[_INTERVAL, tuple(when.recent_drug_classes.classes)] = None
        found = kb.memo[key] = tuple(inputs)
    return found  # type: ignore[return-value]


def unchecked_patient_context(kb: KnowledgeBase, profile: NormalisedProfile, assessments: list[IndicationAssessment]) -> list[Warning]:
    """Say what was not checked: the patient rules of the options shown whose input was not given."""
    not_given = {
        "conditions": not profile.conditions,
        "ECOG performance status": profile.ecog is None,
        "brain metastases": profile.brain_metastases is None,
        "creatinine clearance": profile.creatinine_clearance_ml_min is None,
        "Child-Pugh class": "Child-Pugh" not in profile.biomarkers and not profile.child_pugh_contradicted,
        "QTc interval": profile.qtc_ms is None,
    }
    missing: dict[str, list[str]] = {}
    for a in assessments:
        for what, classes in _context_inputs(kb, a, profile.cancer_type):
            if not_given[what] if what != _INTERVAL else _recent_lines_without_interval(kb, profile, list(classes)):
                names = missing.setdefault(what, [])
                if a.regimen.name not in names:
                    names.append(a.regimen.name)
    return [
        Warning(
            code="patient_context_not_checked",
            field=_CONTEXT_FIELDS[what],
            message=f"{what[0].upper() + what[1:]} not given: the contraindications and cautions that depend on it were not checked "
            f"for {', '.join(names)}.",
        )
        for what, names in missing.items()
    ]


def _patient_rule_finding(kb: KnowledgeBase, profile: NormalisedProfile, rule) -> str | None:  # type: ignore[no-untyped-def]
    """What in the profile triggers a rule already known to concern the regimen and cancer type, or None."""
    when = rule.when
    found: list[str] = []
    if when.condition_groups:
        hits = set(when.condition_groups) & profile.condition_groups
        if when.within_months is not None:
            hits = _dated_within(profile, hits, when.within_months)
        past = set(when.condition_groups) & profile.past_condition_groups if when.or_history else set()
        if not hits and not past:
            return None
        found.append(_group_names(kb, hits) if hits else "history of " + _group_names(kb, past))
    if when.past_condition_groups:
        hits = set(when.past_condition_groups) & profile.past_condition_groups
        if not hits:
            return None
        found.append("history of " + _group_names(kb, hits))
    if when.ecog_min is not None:
        if profile.ecog is None or profile.ecog < when.ecog_min:
            return None
        found.append(f"ECOG {profile.ecog}")
    if when.brain_metastases:
        if profile.brain_metastases not in when.brain_metastases:
            return None
        found.append(f"brain metastases {profile.brain_metastases}")
    if when.prior_or_current_drug_classes:
        # prior therapy not given is read as first line (said in the line caveat), so nothing earlier to match
        wanted = when.prior_or_current_drug_classes
        prior = _prior_drugs_in(kb, profile, wanted)
        current = sorted({m.name for m in profile.medications if _in_classes(kb, m.name, wanted)} - set(prior))
        if not prior and not current:
            return None
        found.append(", ".join([*(f"prior {d}" for d in prior), *(f"current {d}" for d in current)]))
    if when.last_line_drug_classes:
        lines = profile.prior_lines or []
        last = max(lines, key=lambda line: line.number) if lines else None
        hits = [d for d in (last.drugs if last else ()) if _in_classes(kb, d, when.last_line_drug_classes)]
        if not hits:
            return None
        found.append(", ".join(f"{d} in the last line" for d in hits))
    if when.recent_drug_classes:
        recent = _recent_drugs(kb, profile, when.recent_drug_classes.classes, when.recent_drug_classes.weeks)
        if not recent:
            return None
        found.append(", ".join(recent))
    if when.creatinine_clearance_below is not None:
        clearance = profile.creatinine_clearance_ml_min
        if clearance is None or clearance >= when.creatinine_clearance_below:
            return None
        found.append(f"creatinine clearance {clearance:g} mL/min")
    if when.child_pugh:
        if profile.child_pugh_contradicted:
            # classes that disagree: the rule of any class given applies, so a contradictory class never passes as the milder
            hits = [c for c in profile.child_pugh_contradicted if c in when.child_pugh]
            if not hits:
                return None
            found.append(f"Child-Pugh {hits[-1]} (given with {', '.join(c for c in profile.child_pugh_contradicted if c != hits[-1])})")
        else:
            child_pugh = profile.biomarkers.get("Child-Pugh")
            if child_pugh not in when.child_pugh:
                return None
            found.append(f"Child-Pugh {child_pugh}")
    if when.qtc_ms_above is not None:
        if profile.qtc_ms is None or profile.qtc_ms <= when.qtc_ms_above:
            return None
        found.append(f"QTc {profile.qtc_ms:g} ms (above {when.qtc_ms_above:g} ms)")
    return "; ".join(found)


def _dated_within(profile: NormalisedProfile, groups: set[str], months: float) -> set[str]:
    """The current condition groups not dated more than `months` ago ("major surgery 3 weeks ago" is, "2 months ago" is not)."""
    kept = set()
    for reading in profile.conditions.values():
        if not reading.current:
            continue
        dated = reading.measurements.get("months_ago")
        if dated is None or float(dated) <= months:
            kept.update(groups.intersection(reading.groups))
    # a measured group (QTc) has no reading of its own: it stays
    return kept | (groups - {g for r in profile.conditions.values() for g in r.groups})


def _in_classes(kb: KnowledgeBase, drug: str, classes: list[str]) -> bool:
    return bool(set(classes).intersection(kb.drug_classes(drug)))


def _recent_drugs(kb: KnowledgeBase, profile: NormalisedProfile, classes: list[str], weeks: float) -> list[str]:
    """The drugs of these classes given within `weeks`: current medicines, ongoing lines, lines with a recent last dose."""
    found: list[str] = []
    for line in profile.prior_lines or []:
        for drug in line.drugs:
            if not _in_classes(kb, drug, classes):
                continue
            if line.ongoing:
                found.append(f"{drug} ongoing")
            elif line.weeks_since_last_dose is not None and line.weeks_since_last_dose <= weeks:
                found.append(f"{drug} {line.weeks_since_last_dose:g} weeks ago")
    found.extend(f"current {m.name}" for m in profile.medications if _in_classes(kb, m.name, classes))
    return list(dict.fromkeys(found))


def _recent_lines_without_interval(kb: KnowledgeBase, profile: NormalisedProfile, classes: list[str]) -> bool:
    """A finished prior line with a drug of these classes whose interval was not given: the rule could not be checked."""
    return any(
        not line.ongoing and line.weeks_since_last_dose is None and any(_in_classes(kb, d, classes) for d in line.drugs)
        for line in profile.prior_lines or []
    )


def _apply_rules(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment, rules: tuple[PatientRule, ...]) -> None:
    for rule in rules:
        if not _may_fire(profile, _rule_screen(kb, rule)):
            continue
        finding = _patient_rule_finding(kb, profile, rule)
        if finding is None:
            continue
        if rule.action == "exclude":
            a.exclude(
                "patient context",
                f"no {rule.id.replace('-', ' ')}",
                finding,
                Exclusion(
                    "prior_therapy" if rule.when.names_only_prior_therapy else "contraindication",
                    f"{finding}: {rule.reason}",
                    tuple(rule.evidence),
                ),
            )
        else:
            a.cautions.append(Caution(f"{finding}: {rule.reason}", tuple(rule.evidence), rule.id, _condition_hits(profile, rule)))


class _RuleScreen(NamedTuple):
    """What a patient rule needs of the profile before it can fire, as sets made once per rule."""

    condition_groups: frozenset[str]
    or_history: bool
    past_condition_groups: frozenset[str]
    ecog_min: int | None
    brain_metastases: frozenset[str]


def _rule_screen(kb: KnowledgeBase, rule: PatientRule) -> _RuleScreen:
    key = ("patient_rule_screen", id(rule))  # the rule lives as long as the knowledge base
    found = kb.memo.get(key)
    if found is None:
        when = rule.when
        found = kb.memo[key] = _RuleScreen(
            frozenset(when.condition_groups), when.or_history, frozenset(when.past_condition_groups), when.ecog_min, frozenset(when.brain_metastases)
        )
    return found  # type: ignore[return-value]


def _may_fire(profile: NormalisedProfile, screen: _RuleScreen) -> bool:
    """False when the profile lacks what the rule needs first (each test is one `_patient_rule_finding` returns
    None on); True leaves the rule to `_patient_rule_finding`."""
    if screen.condition_groups and screen.condition_groups.isdisjoint(profile.condition_groups):
        if not screen.or_history or screen.condition_groups.isdisjoint(profile.past_condition_groups):
            return False
    if screen.past_condition_groups and screen.past_condition_groups.isdisjoint(profile.past_condition_groups):
        return False
    if screen.ecog_min is not None and (profile.ecog is None or profile.ecog < screen.ecog_min):
        return False
    return not screen.brain_metastases or profile.brain_metastases in screen.brain_metastases


def _compile_patient_context(kb: KnowledgeBase, regimen: Regimen, indication: Indication) -> Step:
    """The patient rules of the indication (found once per cancer type), then the conditions no rule checked."""
    by_type: dict[str, tuple[PatientRule, ...]] = {}

    def assess_patient_context(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        rules = by_type.get(profile.cancer_type)
        if rules is None:
            rules = by_type[profile.cancer_type] = kb.patient_rules_concerning(regimen.id, indication.id, profile.cancer_type)
        if rules:
            _apply_rules(kb, profile, a, rules)
        if profile.condition_groups or profile.past_condition_groups:
            note_unchecked_conditions(kb, profile, a)

    return assess_patient_context


def _condition_hits(profile: NormalisedProfile, rule) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The condition groups of the profile that trigger a matched rule (current, or past where the rule reads history)."""
    when = rule.when
    hits = set(when.condition_groups) & profile.condition_groups
    if when.or_history:
        hits |= set(when.condition_groups) & profile.past_condition_groups
    hits |= set(when.past_condition_groups) & profile.past_condition_groups
    return tuple(sorted(hits))


def note_unchecked_conditions(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    """Rule 4, say what was not checked: when the patient has a condition our notes warn of for some drugs of a class
    (ILD on EGFR TKIs, QT prolongation on ALK TKIs) and this option holds a member of that class with no rule on the
    condition, the option says so rather than look safer than its cautioned neighbours."""
    coverage = kb.condition_rule_coverage
    names = kb.condition_groups
    for group in sorted(profile.condition_groups | profile.past_condition_groups):
        if group not in coverage:
            continue
        covered, reads_history = coverage[group]
        if group not in profile.condition_groups and not reads_history:
            continue
        for drug in a.regimen.drugs:
            if drug in covered:
                continue
            classes = set(kb.drug_classes(drug)) & kb.duplicate_therapy_classes
            peers = sorted(d for d in covered if d != drug and classes & set(kb.drug_classes(d)))
            if not peers:
                continue
            shared = sorted(classes & {c for d in peers for c in kb.drug_classes(d)})
            name = names.get(group, group.replace("_", " "))
            a.unchecked.append(
                Unchecked(
                    group,
                    f"not checked for {name}: our notes have a warning on {name} for {', '.join(peers)} "
                    f"({', '.join(kb.class_names[c] for c in shared)}) but none for {drug}; read the {drug} label before relying on this option.",
                )
            )


# --- resistance: allelic context and results not yet known --------------------------------


def _term_matches(kb: KnowledgeBase, alteration_id: str, terms: list[str] | set[str]) -> bool:
    alteration = kb.alterations.get(alteration_id)
    wanted = set(terms)
    return alteration_id in wanted or (alteration is not None and bool(wanted.intersection(alteration.categories)))


def allelic_context_holds(kb: KnowledgeBase, profile: NormalisedProfile, rule, hit_id: str) -> bool:  # type: ignore[no-untyped-def]
    """A rule limited to cis (or trans) applies only when the report states that relation to the other alteration."""
    context = rule.allelic_context
    if context is None:
        return True
    return any(
        relation == context.relation and _term_matches(kb, other, [context.with_alteration])
        for relation, other in profile.allelic.get(hit_id, set())
    )


def _rule_affects(kb: KnowledgeBase, rule, regimen: Regimen) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return kb.resistance_rule_affects(rule, regimen)


def _compile_pending_resistance(kb: KnowledgeBase, regimen: Regimen) -> Step:
    def assess_pending_resistance(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        if profile.unresolved:
            a.cautions.extend(pending_resistance_cautions(kb, profile, regimen))

    return assess_pending_resistance


def _compile_mixed_resistance(kb: KnowledgeBase, regimen: Regimen) -> Step | None:
    """A resistance rule whose source reported its group alone (`not_when_also`) does not exclude when the other
    group is also detected: the drug it names is shown with the rule's `mixed_caution`, never silently."""
    rules = tuple(r for r in kb.source.rules.resistance if r.not_when_also and kb.resistance_rule_affects(r, regimen))
    if not rules:
        return None

    def assess_mixed_resistance(profile: NormalisedProfile, a: IndicationAssessment) -> None:
        for rule in rules:
            if rule not in kb.resistance_rules_for(profile.cancer_type):
                continue
            hits = profile.alterations_matching(rule.alterations)
            also = profile.alterations_matching(rule.not_when_also)
            if hits and also:
                found = f"{', '.join(h.id for h in hits)} with {', '.join(o.id for o in also)}"
                a.cautions.append(Caution(f"{found}: {rule.mixed_caution}", tuple(rule.evidence), rule.id))

    return assess_mixed_resistance


def pending_resistance_cautions(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen) -> list[Caution]:
    """A resistance alteration reported pending or equivocal leaves the drug it defeats shown only with a caution."""
    if not profile.unresolved:
        return []
    cautions = []
    for rule in kb.resistance_rules_for(profile.cancer_type):
        if rule.kind != "resistance":
            continue
        affected = _rule_affects(kb, rule, regimen)
        if not affected:
            continue
        for subject, status in profile.unresolved:
            if _term_matches(kb, subject, rule.alterations):
                cautions.append(
                    Caution(
                        f"{subject} is reported {status}: if confirmed, {rule.reason} Confirm the result before relying on {', '.join(affected)}.",
                        tuple(rule.evidence),
                        rule.id,
                    )
                )
    return cautions


# --- continue what works -------------------------------------------------------------------

RESPONDING_OUTCOMES = ("response", "stable disease")


def responding_current_line(profile: NormalisedProfile):  # type: ignore[no-untyped-def]
    """The one ongoing line with a response or stable disease, or None (none, or more than one, is ongoing)."""
    ongoing = [line for line in profile.prior_lines or [] if line.ongoing]
    if len(ongoing) != 1 or ongoing[0].outcome not in RESPONDING_OUTCOMES:
        return None
    return ongoing[0]


def continue_current_therapy(kb: KnowledgeBase, profile: NormalisedProfile, best_key) -> IndicationAssessment | None:  # type: ignore[no-untyped-def]
    """The regimen the patient is responding to, assessed as when it was started, if nothing now rules it out.

    A line is continued only when a curated regimen has exactly its drugs; the indication is judged against
    the profile at the time the line began (earlier lines only), and today's resistance and toxicity rules
    still apply, so a newly detected resistance mutation ends the answer "continue".
    """
    line = responding_current_line(profile)
    if line is None or line.unrecognised:
        return None
    started = replace(
        profile,
        prior_lines=[earlier for earlier in profile.prior_lines or [] if earlier.number < line.number],
        line=line.number,
        memo={},  # what was found from today's profile is not shared with the profile as it was then
    )
    found: list[IndicationAssessment] = []
    for regimen in kb.regimens_of_exactly(frozenset(line.drugs)):
        if resistance_exclusions(kb, profile, regimen) or toxicity_exclusions(kb, profile, regimen):
            continue
        for indication in regimen.indications:
            a = assess_indication(kb, started, regimen, indication)
            if a.applicable and not a.exclusions:
                found.append(a)
    if not found:
        return None
    chosen = sorted(found, key=best_key)[0]
    chosen.criteria.insert(
        0,
        Judgement(
            criterion="current therapy",
            requirement="an ongoing line with a response or stable disease",
            finding=f"line {line.number}: {' + '.join(line.drugs)}, ongoing, {line.outcome}",
            result="met",
        ),
    )
    return chosen
