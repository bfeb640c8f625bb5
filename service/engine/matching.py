"""Match a normalised profile against each regimen's indications and the exclusion rules.

Every criterion is judged met, not met or unknown (the profile does not say), and the judgement
is kept with what in the profile it rested on, so that each option and each exclusion can show
its basis line by line.
"""

from __future__ import annotations

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
    PriorTherapyCriterion,
    Regimen,
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


@dataclass(frozen=True)
class Exclusion:
    kind: ExclusionKind
    detail: str
    evidence: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


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


@dataclass
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
        return bool(self.unknowns or self.cautions or self.unchecked)

    def met(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(Judgement(criterion, requirement, finding, "met"))

    def unknown(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(Judgement(criterion, requirement, finding, "unknown"))

    def not_met(self, criterion: str, requirement: str, finding: str) -> None:
        self.criteria.append(Judgement(criterion, requirement, finding, "not_met"))
        self.applicable = False

    def exclude(self, criterion: str, requirement: str, finding: str, exclusion: Exclusion) -> None:
        self.criteria.append(Judgement(criterion, requirement, finding, "not_met"))
        self.exclusions.append(exclusion)


def cancer_type_relation(kb: KnowledgeBase, profile_code: str, indication_codes: list[str]) -> str:
    """'within' if the patient's type is one of or below the indication's, 'broader' if above, else 'other'."""
    if any(kb.is_within(profile_code, code) for code in indication_codes):
        return "within"
    if any(kb.is_within(code, profile_code) for code in indication_codes):
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


@dataclass(frozen=True)
class _IndicationTerms:
    """The request-independent words and sets of an indication's criteria, made once per indication."""

    cancer_type: str
    settings: str
    wanted_settings: frozenset[Setting]
    line: str


def _terms(kb: KnowledgeBase, indication: Indication) -> _IndicationTerms:
    key = ("indication_terms", indication.id)
    found = kb.memo.get(key)
    if not isinstance(found, _IndicationTerms):
        if indication.tumour_agnostic is not None:
            excluded = indication.excluded_cancer_types
            cancer_type = "any solid tumour (tumour-agnostic)" + (f", except {_names(kb, excluded)}" if excluded else "")
        else:
            # a type listed and excluded (liposarcoma for pazopanib) is named as an exclusion, never as a requirement
            excluded = [c for c in indication.cancer_types if c in indication.excluded_cancer_types]
            listed = [c for c in indication.cancer_types if c not in excluded]
            cancer_type = _names(kb, listed) + " or a subtype" + (f", not {_names(kb, excluded)}" if excluded else "")
        lines = indication.lines
        if lines.max == lines.min:
            line = f"line {lines.min}"
        elif lines.max is None:
            line = f"line {lines.min} or later"
        else:
            line = f"lines {lines.min} to {lines.max}"
        found = _IndicationTerms(
            cancer_type=cancer_type,
            settings=" or ".join(s.value.replace("_", " ") for s in indication.settings),
            wanted_settings=frozenset(indication.settings),
            line=line,
        )
        kb.memo[key] = found
    return found


def _cancer_type_finding(kb: KnowledgeBase, profile: NormalisedProfile) -> str:
    if "cancer_type_finding" not in profile.memo:
        profile.memo["cancer_type_finding"] = f"{profile.cancer_type} ({kb.cancer_types[profile.cancer_type].name})"
    return profile.memo["cancer_type_finding"]  # type: ignore[return-value]


def _assess_tumour_agnostic(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    requirement = _terms(kb, a.indication).cancer_type
    finding = _cancer_type_finding(kb, profile)
    if indication_relation(kb, profile.cancer_type, a.indication) == "within":
        a.met("cancer type", requirement, finding + ": a solid tumour; this indication is tumour-agnostic")
    else:
        a.not_met("cancer type", requirement, finding)


def _assess_cancer_type(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    if a.indication.tumour_agnostic is not None:
        _assess_tumour_agnostic(kb, profile, a)
        return
    requirement = _terms(kb, a.indication).cancer_type
    relation = indication_relation(kb, profile.cancer_type, a.indication)
    finding = _cancer_type_finding(kb, profile)
    if relation == "within":
        a.met("cancer type", requirement, finding)
    elif relation == "broader":
        a.unknown("cancer type", requirement, finding + " is less specific than the studied population")
    else:
        a.not_met("cancer type", requirement, finding)


def _given_settings(profile: NormalisedProfile) -> tuple[frozenset[Setting], str]:
    """The settings the profile states with their equivalents, and how they read: found once per profile."""
    if "given_settings" not in profile.memo:
        given = set(profile.settings)
        for setting in profile.settings:
            given |= _SETTING_EQUIVALENTS.get(setting, set())
        profile.memo["given_settings"] = (frozenset(given), ", ".join(s.value.replace("_", " ") for s in profile.settings))
    return profile.memo["given_settings"]  # type: ignore[return-value]


def _assess_settings(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    if a.indication.any_setting:
        given = _given_settings(profile)[1] or "stage not needed"
        a.met("disease setting", "any: the evidence is not restricted by disease setting", given)
        return
    terms = _terms(kb, a.indication)
    wanted, requirement = terms.wanted_settings, terms.settings
    if not profile.settings:
        a.unknown("disease setting", requirement, "stage not given or not recognised")
        return
    given, finding = _given_settings(profile)
    for axis in _SETTING_AXES:
        wanted_here, given_here = wanted & axis, given & axis
        if not wanted_here:
            continue
        if not given_here:
            a.unknown("disease setting", requirement, f"{finding}; the {'phase' if Setting.CHRONIC_PHASE in axis else 'setting'} was not given")
            return
        if not wanted_here & given_here:
            a.not_met("disease setting", requirement, finding)
            return
    a.met("disease setting", requirement, finding)


def _assess_line(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    lines = a.indication.lines
    requirement = _terms(kb, a.indication).line
    finding = f"line {profile.line}"
    if not (lines.min <= profile.line and (lines.max is None or profile.line <= lines.max)):
        a.not_met("line of therapy", requirement, finding)
    elif profile.prior_lines is None:
        a.unknown("line of therapy", requirement, "prior therapy not given; first line assumed")
    else:
        a.met("line of therapy", requirement, finding)


def _prior_lines_matching(
    kb: KnowledgeBase, profile: NormalisedProfile, criterion: PriorTherapyCriterion, outcomes: list[str] | None = None
) -> list[str]:
    """Prior lines with a drug the criterion names; `outcomes` keeps only lines with those outcomes."""
    found = []
    for line in profile.prior_lines or []:
        if outcomes is not None:
            if line.outcome not in outcomes:
                continue
        elif line.outcome in criterion.excluded_outcomes or line.outcome in criterion.caution_outcomes:
            continue
        hits = [
            d
            for d in line.drugs
            if d in criterion.drugs or set(kb.drug_classes(d)).intersection(criterion.classes)
        ]
        if hits:
            found.append(f"line {line.number}: {' + '.join(hits)}")
    return found


def _unrecognised_prior_drugs(profile: NormalisedProfile) -> bool:
    return any(line.unrecognised for line in profile.prior_lines or [])


def _assess_prior(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    for criterion in a.indication.requires_prior:
        found = _prior_lines_matching(kb, profile, criterion)
        if len(found) >= criterion.min_count:
            a.met("prior therapy", criterion.description, "; ".join(found))
        elif profile.prior_lines is None:
            a.not_met("prior therapy", criterion.description, "prior therapy not given")
        elif _unrecognised_prior_drugs(profile):
            a.unknown("prior therapy", criterion.description, "a prior-therapy drug was not recognised")
        else:
            a.not_met("prior therapy", criterion.description, "; ".join(found) or "none matching")
    for criterion in a.indication.excludes_prior:
        found = _prior_lines_matching(kb, profile, criterion)
        if not found and _unrecognised_prior_drugs(profile):
            a.unknown("prior therapy", f"no {criterion.description}", "a prior-therapy drug was not recognised")
        if found:
            a.exclude(
                "prior therapy",
                criterion.description,
                "; ".join(found),
                Exclusion("prior_therapy", f"{criterion.description}: {'; '.join(found)}", tuple(a.indication.evidence)),
            )
            continue
        cautioned = _prior_lines_matching(kb, profile, criterion, outcomes=list(criterion.caution_outcomes))
        if cautioned:
            # not an exclusion the source makes: offered, with what the evidence population was
            outcomes = " or ".join(criterion.caution_outcomes)
            finding = f"{'; '.join(cautioned)} (stopped for {outcomes})"
            a.met("prior therapy", f"{criterion.description}: not given, or stopped for {outcomes}", finding)
            a.cautions.append(Caution(f"{finding}: {criterion.caution}", tuple(a.indication.evidence)))
    for criterion in a.indication.prior_not_shown_covered:
        found = _prior_lines_matching(kb, profile, criterion)
        if found:
            a.unchecked.append(
                Unchecked(
                    f"prior:{criterion.description}",
                    f"not checked for {criterion.description} ({'; '.join(found)}): whether the evidence for this option "
                    "covers patients after it was not read; options whose evidence enrolled such patients rank above it.",
                )
            )


def _assess_alterations(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    for group in a.indication.requires_alterations:
        requirement = " or ".join(group)
        hits = profile.alterations_matching(group)
        if hits:
            a.met("alteration", requirement, ", ".join(h.id for h in hits))
        else:
            a.not_met("alteration", requirement, "not detected or not reported")
    for term in a.indication.excludes_alterations:
        hits = profile.alterations_matching([term])
        if hits:
            found = ", ".join(h.id for h in hits)
            a.exclude(
                "alteration",
                f"no {term}",
                found,
                Exclusion("biomarker", f"{found} detected: the evidence for this regimen excludes {term}", tuple(a.indication.evidence)),
            )
    for gene in a.indication.requires_negative:
        requirement = f"{gene} driver alteration tested and not detected"
        in_gene = [alt.id for alt in profile.detected if alt.gene == gene]
        if in_gene:
            found = ", ".join(in_gene)
            a.exclude(
                "driver status",
                requirement,
                f"{found} detected",
                Exclusion(
                    "biomarker",
                    f"{found} detected: this regimen's evidence is in {gene}-negative disease",
                    tuple(a.indication.evidence),
                ),
            )
        elif gene in profile.negative_genes:
            a.met("driver status", requirement, f"{gene} tested negative")
        else:
            a.unknown("driver status", requirement, f"{gene} status not reported")


def _assess_biomarkers(profile: NormalisedProfile, a: IndicationAssessment) -> None:
    for group in a.indication.biomarkers:
        requirement = " or ".join(c.requirement for c in group)
        met = [c for c in group if c.name in profile.biomarkers and c.holds(profile.biomarkers[c.name])]
        if met:
            a.met("biomarker", requirement, ", ".join(_biomarker_finding(c, profile) for c in met))
            continue
        contrary = [c for c in group if c.name in profile.biomarkers]
        if contrary:
            found = ", ".join(dict.fromkeys(_biomarker_finding(c, profile) for c in contrary))
            a.exclude(
                "biomarker",
                requirement,
                found,
                Exclusion("biomarker", f"{found}: the evidence for this regimen requires {requirement}", tuple(a.indication.evidence)),
            )
        else:
            a.unknown("biomarker", requirement, _missing_biomarkers(group))


def _biomarker_finding(criterion: BiomarkerCriterion, profile: NormalisedProfile) -> str:
    value = profile.biomarkers[criterion.name]
    return f"{criterion.name} {value} {criterion.unit}" if criterion.unit else f"{criterion.name} {value}"


def _missing_biomarkers(group: list[BiomarkerCriterion]) -> str:
    return " / ".join(c.name for c in group) + " not reported"


def _assess_pd_l1(profile: NormalisedProfile, a: IndicationAssessment) -> None:
    criterion = a.indication.pd_l1
    if criterion is None:
        return
    system = criterion.scoring.upper()
    parts = []
    if criterion.min is not None:
        parts.append(f">= {criterion.min:g}")
    if criterion.below is not None:
        parts.append(f"< {criterion.below:g}")
    requirement = f"PD-L1 {system} {' and '.join(parts)}"
    if profile.pd_l1 is None:
        a.unknown("PD-L1", requirement, "PD-L1 not reported")
        return
    value = profile.pd_l1.get(criterion.scoring)
    if value is None:
        given = ", ".join(k.upper() for k in profile.pd_l1)
        a.unknown("PD-L1", requirement, f"PD-L1 given as {given}; the evidence used {system}, which is not interchangeable")
        return
    finding = f"PD-L1 {system} {value:g}"
    if (criterion.min is None or value >= criterion.min) and (criterion.below is None or value < criterion.below):
        a.met("PD-L1", requirement, finding)
    else:
        a.exclude("PD-L1", requirement, finding, Exclusion("biomarker", f"{finding} is outside the studied range ({requirement})", tuple(a.indication.evidence)))


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


def _assess_blood_counts(profile: NormalisedProfile, a: IndicationAssessment) -> None:
    """Platelet, haemoglobin and transfusion criteria: met, outside the studied or labelled range, or not evaluated."""
    for group in a.indication.blood_counts:
        requirement = " or ".join(c.requirement for c in group)
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
            Exclusion("blood_count", f"{found}: {a.indication.summary} requires {requirement}", tuple(a.indication.evidence)),
        )


def assess_indication(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen, indication: Indication) -> IndicationAssessment:
    """Judge every criterion of one indication; stop early once it cannot apply."""
    a = IndicationAssessment(regimen=regimen, indication=indication)
    for step in (_assess_cancer_type, _assess_settings, _assess_line, _assess_prior, _assess_alterations):
        step(kb, profile, a)
        if not a.applicable:
            return a
    _assess_histology(kb, profile, a)
    if not a.applicable:
        return a
    _assess_biomarkers(profile, a)
    _assess_pd_l1(profile, a)
    _assess_blood_counts(profile, a)
    apply_patient_rules(kb, profile, a)
    a.cautions.extend(pending_resistance_cautions(kb, profile, a.regimen))
    note_unchecked_mutations(kb, profile, a)
    return a


def note_unchecked_mutations(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    """Rule 4, say what was not checked: a detected mutation in a gene's `mutation_scope` (BCR::ABL1 kinase-domain
    mutations in CML) that no resistance rule states for a drug of this option (as defeated, or as the alternative)
    leaves that drug "not checked for" it, so an option is never shown first because its mutation was not in our notes."""
    for alteration in profile.detected:
        gene = kb.genes.get(alteration.gene)
        scope = gene.mutation_scope if gene is not None else None
        if scope is None or scope.category not in alteration.categories:
            continue
        if not any(kb.is_within(profile.cancer_type, c) for c in scope.cancer_types):
            continue
        stated: set[str] = set()
        for rule in kb.resistance_rules_for(profile.cancer_type):
            if alteration.id in rule.alterations or set(rule.alterations) & set(alteration.categories):
                stated.update(rule.drugs, rule.alternatives)
                stated.update(d for d in a.regimen.drugs if set(kb.drug_classes(d)) & set(rule.drug_classes))
        for drug in a.regimen.drugs:
            if drug in stated or not set(kb.drug_classes(drug)) & set(scope.drug_classes):
                continue
            a.unchecked.append(
                Unchecked(
                    f"mutation:{alteration.id}",
                    f"not checked for {alteration.id}: no sourced rule in our notes says whether it reduces the activity of "
                    f"{drug}; check a published mutation sensitivity table before relying on this option.",
                )
            )


def withdrawn_exclusion(kb: KnowledgeBase, a: IndicationAssessment) -> Exclusion | None:
    """A patient who fits an indication whose US approval was withdrawn is told so; it is never an option."""
    withdrawal = a.indication.withdrawal
    if withdrawal is None or not a.applicable:
        return None
    return Exclusion(
        "withdrawn",
        f"{a.indication.summary}: the US approval for this indication was withdrawn on {withdrawal.date.isoformat()} "
        f"({withdrawal.note}; source: {withdrawal.source_url})",
        tuple(a.indication.evidence),
    )


def _resistance_hits(kb: KnowledgeBase, profile: NormalisedProfile) -> list[tuple[object, list[Alteration]]]:
    """The resistance rules this profile's detected alterations fire, with their hits: found once per profile."""
    if "resistance_hits" not in profile.memo:
        fired = []
        for rule in kb.resistance_rules_for(profile.cancer_type):
            hits = [h for h in profile.alterations_matching(rule.alterations) if allelic_context_holds(kb, profile, rule, h.id)]
            if hits:
                fired.append((rule, hits))
        profile.memo["resistance_hits"] = fired
    return profile.memo["resistance_hits"]  # type: ignore[return-value]


def resistance_exclusions(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen) -> list[Exclusion]:
    """Exclusions from detected resistance alterations against the regimen's drugs."""
    exclusions = []
    for rule, hits in _resistance_hits(kb, profile):
        affected = _rule_affects(kb, rule, regimen)
        if affected:
            found = ", ".join(h.id for h in hits)
            exclusions.append(
                Exclusion(
                    rule.kind,
                    f"{found}: {rule.reason}",
                    tuple(rule.evidence),
                    tuple(rule.alternatives),
                )
            )
    return exclusions


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
    exempt: set[str] = set()
    if indication is not None:
        exempt = {d for c in indication.requires_prior for d in c.drugs} | set(indication.continued_after_progression)
    tkis = {c.drug for c in regimen.components if c.role == "tki" and c.drug is not None} - exempt
    exclusions = []
    for line in profile.prior_lines or []:
        if line.outcome not in ("progression", "intolerance"):
            continue
        for drug in sorted(tkis.intersection(line.drugs)):
            exclusions.append(Exclusion("prior_therapy", f"{line.outcome} on {drug} in line {line.number}"))
    return exclusions


def repeat_caveats(profile: NormalisedProfile, regimen: Regimen) -> list[str]:
    """Drugs of this regimen already given, with no progression or intolerance reported: worth a second look."""
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


def _assess_histology(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    indication = a.indication
    for code in indication.excluded_cancer_types:
        if kb.is_within(profile.cancer_type, code):
            finding = f"{profile.cancer_type} ({kb.cancer_types[profile.cancer_type].name})"
            requirement = f"not {code} ({kb.cancer_types[code].name})"
            a.exclude(
                "cancer type",
                requirement,
                finding,
                Exclusion("histology", f"{finding}: the evidence for this regimen excludes {kb.cancer_types[code].name}", tuple(indication.evidence)),
            )
            return
    if not indication.histology:
        return
    wanted = " or ".join(indication.histology)
    requirement = f"{wanted} histology"
    histology, finding = profile_histology(kb, profile)
    if histology is None:
        a.unknown("histology", requirement, f"{finding}; confirm {wanted} histology")
    elif histology in indication.histology:
        a.met("histology", requirement, finding)
    else:
        a.exclude(
            "histology",
            requirement,
            finding,
            Exclusion("histology", f"{finding}: the evidence for this regimen enrolled {wanted} histology only", tuple(indication.evidence)),
        )


# --- contraindications and cautions from the patient context ------------------------------


def _regimen_classes(kb: KnowledgeBase, regimen: Regimen) -> frozenset[str]:
    return kb.regimen_classes(regimen.id)


def _group_names(kb: KnowledgeBase, groups: set[str]) -> str:
    return ", ".join(kb.condition_groups.get(g, g.replace("_", " ")) for g in sorted(groups))


def unchecked_patient_context(kb: KnowledgeBase, profile: NormalisedProfile, assessments: list[IndicationAssessment]) -> list[Warning]:
    """Say what was not checked: the patient rules of the options shown whose input was not given."""
    missing: dict[str, list[str]] = {}
    for a in assessments:
        for rule in kb.patient_rules_concerning(a.regimen.id, a.indication.id, profile.cancer_type):
            when = rule.when
            needed = []
            if (when.condition_groups or when.past_condition_groups) and not profile.conditions:
                needed.append("conditions")
            if when.ecog_min is not None and profile.ecog is None:
                needed.append("ECOG performance status")
            if when.brain_metastases and profile.brain_metastases is None:
                needed.append("brain metastases")
            if when.recent_drug_classes and _recent_lines_without_interval(kb, profile, when.recent_drug_classes.classes):
                needed.append("weeks since an earlier line's last dose")
            for what in needed:
                names = missing.setdefault(what, [])
                if a.regimen.name not in names:
                    names.append(a.regimen.name)
    return [
        Warning(
            code="patient_context_not_checked",
            field={"conditions": "conditions", "ECOG performance status": "ecog", "brain metastases": "brain_metastases", "weeks since an earlier line's last dose": "prior_therapies"}[what],
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
        wanted = set(when.prior_or_current_drug_classes)
        prior = sorted({d for line in profile.prior_lines or [] for d in line.drugs if wanted.intersection(kb.drug_classes(d))})
        current = sorted({m.name for m in profile.medications if wanted.intersection(kb.drug_classes(m.name))} - set(prior))
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
    return "; ".join(found)


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


def apply_patient_rules(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment) -> None:
    """Contraindications exclude the indication with the source's reason; cautions are attached to it."""
    for rule in kb.patient_rules_concerning(a.regimen.id, a.indication.id, profile.cancer_type):
        finding = _patient_rule_finding(kb, profile, rule)
        if finding is None:
            continue
        if rule.action == "exclude":
            a.exclude(
                "patient context",
                f"no {rule.id.replace('-', ' ')}",
                finding,
                Exclusion("contraindication", f"{finding}: {rule.reason}", tuple(rule.evidence)),
            )
        else:
            a.cautions.append(Caution(f"{finding}: {rule.reason}", tuple(rule.evidence), rule.id, _condition_hits(profile, rule)))
    note_unchecked_conditions(kb, profile, a)


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
