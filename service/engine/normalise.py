"""The whole profile: every front door (JSON API, web form, CDS Hooks) produces one NormalisedProfile.

Each input kind has its own reader in `service.engine.readers`; this module puts their readings
together, finds what contradicts itself, and says when the answer is provisional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from schemas.requests import PatientProfileInput
from schemas.responses import (
    BiomarkerUnderstood,
    DrugUnderstood,
    MutationUnderstood,
    PatientContextUnderstood,
    PriorTherapyUnderstood,
    ProfileUnderstood,
    StageUnderstood,
    Warning,
)
from service.engine.readers.biomarkers import normalise_biomarker, read_biomarkers, read_pd_l1_text
from service.engine.readers.cancer_type import CancerTypeReading, read_cancer_type
from service.engine.readers.medicines import DrugRef, normalise_drug
from service.engine.readers.patient import (
    BloodCountsReading,
    ConditionReading,
    PatientDetails,
    read_blood_counts,
    read_condition,
    read_ecog,
    read_stage,
)
from service.engine.readers.prior_therapy import PriorLine, normalise_prior_therapy
from service.engine.readers.variants import VariantReading, read_mutation
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Alteration, Setting

__all__ = [
    "DrugRef",
    "NormalisedProfile",
    "PriorLine",
    "normalise_biomarker",
    "normalise_drug",
    "normalise_profile",
    "read_cancer_type",
    "read_mutation",
]

_UNRESOLVED = ("pending", "equivocal", "uncertain significance")
CHILD_PUGH = "Child-Pugh"


@dataclass
class NormalisedProfile:
    """The engine's one input: every front door produces this from what its caller sent."""

    cancer_type: str
    cancer_type_ambiguous: bool
    settings: tuple[Setting, ...]
    detected: list[Alteration]
    negative_genes: set[str]
    negative_alterations: set[str]
    biomarkers: dict[str, str]
    pd_l1: dict[str, float] | None
    prior_lines: list[PriorLine] | None
    line: int
    medications: list[DrugRef]
    understood: ProfileUnderstood
    warnings: list[Warning] = field(default_factory=list)
    # alteration id -> (cis | trans, the other alteration's id)
    allelic: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    # (alteration id or gene, status) for results that are pending, equivocal or of uncertain significance
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    # genes with a detected variant the knowledge does not act on: they are not "tested negative"
    uncurated_genes: set[str] = field(default_factory=set)
    # genes named as altered without the alteration ("EGFR positive"): not negative, and no variant is read
    altered_genes_unstated: set[str] = field(default_factory=set)
    ecog: int | None = None
    conditions: dict[str, ConditionReading] = field(default_factory=dict)
    condition_groups: set[str] = field(default_factory=set)  # current conditions only
    past_condition_groups: set[str] = field(default_factory=set)
    brain_metastases: str | None = None
    # every Child-Pugh class given when they disagree: the patient rules of each apply, no indication matches on them
    child_pugh_contradicted: tuple[str, ...] = ()
    creatinine_clearance_ml_min: float | None = None
    qtc_ms: float | None = None
    platelets: float | None = None  # x10^9/L
    haemoglobin_g_dl: float | None = None
    transfusion_dependent: bool | None = None
    # blood counts sent but not readable: criteria that need them say so instead of "not given"
    blood_counts_unread: tuple[str, ...] = ()
    covered: bool = True
    provisional_reasons: list[str] = field(default_factory=list)
    # a bare stage III in a cancer type where it may be resected (adjuvant) or unresectable: both settings are read,
    # and the options of either carry this as an open setting criterion
    stage_ambiguity: str | None = None
    # answers derived from this profile alone, found once per request (e.g. the resistance rules it fires)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def detected_terms(self) -> set[str]:
        """Ids and categories of every detected alteration."""
        terms = set()
        for alteration in self.detected:
            terms.add(alteration.id)
            terms.update(alteration.categories)
        return terms

    def unresolved_result(self, genes: set[str]) -> str | None:
        """"result pending" (or equivocal, ...) when a result in one of these genes was sent but is not resolved."""
        statuses = sorted(
            {m.result for m in self.understood.mutations if m.status == "recognised" and m.gene in genes and m.result in _UNRESOLVED}
        )
        return f"result {' / '.join(statuses)}" if statuses else None

    def alterations_matching(self, terms: list[str] | set[str]) -> list[Alteration]:
        wanted = set(terms)
        return [a for a in self.detected if a.id in wanted or wanted.intersection(a.categories)]


class _Collector:
    """Warnings and provisional reasons, each said once."""

    def __init__(self) -> None:
        self.warnings: list[Warning] = []
        self.provisional: list[str] = []

    def warn(self, code: str, message: str, field_path: str | None = None) -> None:
        self.warnings.append(Warning(code=code, field=field_path, message=message))

    def provisional_because(self, reason: str) -> None:
        if reason not in self.provisional:
            self.provisional.append(reason)


def _read_cancer(kb: KnowledgeBase, request: PatientProfileInput, out: _Collector) -> CancerTypeReading:
    cancer = read_cancer_type(kb, request.cancer_type)
    if not cancer.code:
        out.warn(
            "cancer_type_not_recognised",
            f"The cancer type was not recognised ({cancer.understood.detail}): no option can be matched. "
            "Send an OncoTree code (GET /v1/cancer-types lists them).",
            "cancer_type",
        )
        out.provisional_because("the cancer type was not recognised")
        return cancer
    if not cancer.ambiguous and kb.cancer_types[cancer.code].category == "tissue":
        out.warn(
            "cancer_type_not_specific",
            "The cancer type names a tissue, not a diagnosis: options studied in a specific type are shown "
            "with a caveat. Give the histology (an OncoTree code) for a complete answer.",
            "cancer_type",
        )
    if cancer.ambiguous:
        out.warn("ambiguous_cancer_type", f"The cancer type is ambiguous ({cancer.understood.detail}). Give a specific type.", "cancer_type")
    if cancer.understood.detail and not cancer.ambiguous:
        out.warn("cancer_type_partly_read", f"The cancer type was read only in part: {cancer.understood.detail}.", "cancer_type")
        out.provisional_because("part of the cancer type was not understood")
    return cancer


def _read_mutations(
    kb: KnowledgeBase, request: PatientProfileInput, cancer: CancerTypeReading, out: _Collector
) -> tuple[list[MutationUnderstood], list[VariantReading]]:
    understood: list[MutationUnderstood] = []
    readings: list[VariantReading] = []
    relevant = kb.genes_for_cancer_type(cancer.code) if cancer.code else frozenset()
    for index, item in enumerate(request.mutations):
        for reading in read_mutation(kb, item, cancer.code or None):
            understood.append(reading.understood)
            readings.append(reading)
            where = f"mutations[{index}]"
            if not reading.recognised:
                out.warn("mutation_not_recognised", f"A mutation entry was not used: {reading.understood.detail}.", where)
                out.provisional_because(f"{where} was not recognised")
            elif reading.status in _UNRESOLVED and (reading.gene in relevant or reading.gene is None):
                what = reading.alteration.id if reading.alteration else reading.gene
                out.provisional_because(f"{what} is {reading.status}")
            elif reading.uncurated_variant and reading.status == "detected" and reading.gene in relevant:
                out.provisional_because(f"{reading.understood.normalised} is not in the knowledge base")
    # a gene result written in the cancer type ("EGFR-mutant NSCLC") is read as a mutation entry, unless the mutations
    # already give a detected result of that gene (the specific entry is the one used)
    for text in cancer.stated_mutations:
        for reading in read_mutation(kb, text, cancer.code or None):
            if reading.gene and any(r.gene == reading.gene and r.recognised and r.status == "detected" for r in readings):
                continue
            note = "stated in the cancer type"
            reading = replace(reading, understood=reading.understood.model_copy(
                update={"read_as": f"{reading.understood.read_as} ({note})" if reading.understood.read_as else None,
                        "detail": f"{reading.understood.detail} ({note})" if reading.understood.detail else None}))  # fmt: skip
            understood.append(reading.understood)
            readings.append(reading)
            if not reading.recognised:
                out.warn("mutation_not_recognised", f"A gene result in the cancer type was not used: {reading.understood.detail}.", "cancer_type")
                out.provisional_because(f"'{text}' in the cancer type was not recognised")
            elif reading.status in _UNRESOLVED:
                out.provisional_because(f"{reading.alteration.id if reading.alteration else reading.gene} is {reading.status}")
    # the cancer type can state an alteration: a qualifier ("Ph+ ALL"), or a type defined by one (BLLBCRABL1)
    stated = [(kb.alterations[q.alteration], "stated in the cancer type") for q in cancer.qualifiers if q.alteration]
    defined_by = kb.cancer_types[cancer.code].defined_by if cancer.code else None
    if defined_by is not None:
        stated.append((kb.alterations[defined_by], "the cancer type is defined by it"))
    for alteration, why in stated:
        if not any(r.alteration and r.alteration.gene == alteration.gene and r.status == "detected" for r in readings):
            readings.append(_stated_alteration(request.cancer_type, alteration, why))
            understood.append(readings[-1].understood)
    return understood, readings


def _stated_alteration(shown: str, alteration: Alteration, why: str) -> VariantReading:
    return VariantReading(
        understood=MutationUnderstood(
            input=shown,
            status="recognised",
            normalised=alteration.id,
            read_as=f"{alteration.id}: detected ({why})",
            gene=alteration.gene,
            alteration=alteration.name,
            result="detected",
            categories=list(alteration.categories),
        ),
        alteration=alteration,
        gene=alteration.gene,
        status="detected",
    )


def _sort_results(
    kb: KnowledgeBase, cancer_code: str, readings: list[VariantReading], out: _Collector
) -> tuple[list[Alteration], set[str], set[str], dict[str, set[tuple[str, str]]], list[tuple[str, str]], set[str], set[str]]:
    detected: dict[str, Alteration] = {}
    negative_alterations: set[str] = set()
    negative_genes: set[str] = set()
    unresolved: list[tuple[str, str]] = []
    uncurated: set[str] = set()
    allelic: dict[str, set[tuple[str, str]]] = {}
    unstated = {r.gene for r in readings if r.gene_altered_unstated and r.gene}
    for reading in (r for r in readings if r.recognised):
        alteration = reading.alteration
        if reading.status == "detected":
            if alteration is not None:
                detected.setdefault(alteration.id, alteration)
                for relation, other in reading.allelic:
                    allelic.setdefault(alteration.id, set()).add((relation, other))
            elif reading.uncurated_variant and reading.gene:
                uncurated.add(reading.gene)
        elif reading.status == "not detected":
            if reading.negative_alterations:
                negative_alterations.update(reading.negative_alterations)
            elif alteration is None and reading.gene is not None:
                negative_genes.add(reading.gene)
            elif alteration is not None:
                negative_alterations.add(alteration.id)
                if alteration.id in kb.genes[alteration.gene].driver_alterations:
                    negative_genes.add(alteration.gene)
        elif reading.status in _UNRESOLVED:
            unresolved.append((alteration.id if alteration else (reading.gene or "?"), reading.status))
    # contradictions are flagged, not settled by a guess: neither reading is used
    both = sorted(set(detected) & negative_alterations)
    genes_both = sorted({a.gene for a in detected.values() if a.gene in negative_genes and a.id not in both})
    for alteration_id in both:
        out.warn("contradictory_results", f"{alteration_id} is reported both detected and not detected: neither result is used.", "mutations")
        out.provisional_because(f"{alteration_id} is reported both detected and not detected")
        detected.pop(alteration_id)
        negative_alterations.discard(alteration_id)
        unresolved.append((alteration_id, "equivocal"))
    for gene in genes_both:
        out.warn(
            "contradictory_results",
            f"{gene} is reported tested negative, yet an alteration of it is detected: the gene is not counted as negative.",
            "mutations",
        )
        out.provisional_because(f"{gene} is reported both negative and altered")
        negative_genes.discard(gene)
    negative_genes -= uncurated
    for gene in sorted(unstated & negative_genes):
        out.warn("contradictory_results", f"{gene} is reported tested negative, yet also named as altered: the gene is not counted as negative.", "mutations")
        negative_genes.discard(gene)
    for alteration in detected.values():
        expected = kb.genes[alteration.gene].expected_in
        if expected and cancer_code and not any(kb.is_within(cancer_code, c) for c in expected):
            out.warn(
                "unexpected_alteration",
                f"{alteration.id} is not expected in this cancer type ({cancer_code}): check the cancer type and the result.",
                "mutations",
            )
            out.provisional_because(f"{alteration.id} does not belong to {cancer_code}")
    return list(detected.values()), negative_genes, negative_alterations, allelic, unresolved, uncurated, unstated


def _read_biomarkers(
    kb: KnowledgeBase, request: PatientProfileInput, details: PatientDetails, out: _Collector, cancer: CancerTypeReading
) -> tuple[list[BiomarkerUnderstood], dict[str, str], dict[str, set[str]], list[tuple[str, float]]]:
    """The biomarker entries as read, their values by name, every value stated per name, and the PD-L1 scores
    written as biomarker text ("PD-L1 TPS 60%")."""
    understood: list[BiomarkerUnderstood] = []
    values: dict[str, str] = {}
    stated: dict[str, set[str]] = {}
    pd_l1_scores: list[tuple[str, float]] = []
    for index, item in enumerate(request.biomarkers):
        if (pd_l1_read := read_pd_l1_text(item)) is not None:
            # a PD-L1 score is a score, not a biomarker value: it joins the pd_l1 field's
            reading, score = pd_l1_read
            if score is not None:
                pd_l1_scores.append(score)
            reads = [(reading, None)]
        else:
            reads = read_biomarkers(kb, item)
        for reading, value in reads:
            understood.append(reading)
            if reading.status != "recognised":
                out.warn("biomarker_not_recognised", f"A biomarker entry was not used: {reading.detail}.", f"biomarkers[{index}]")
                out.provisional_because(f"biomarkers[{index}] was not recognised")
            elif value is not None:
                _set_value(values, value[0], value[1], out, stated)
            elif reading.result in _UNRESOLVED:
                out.provisional_because(f"{reading.name} is {reading.result}")
    for qualifier in cancer.qualifiers:
        if qualifier.biomarker is not None and qualifier.status is not None:
            understood.append(
                BiomarkerUnderstood(
                    input=request.cancer_type,
                    status="recognised",
                    normalised=f"{qualifier.biomarker} {qualifier.status}",
                    name=qualifier.biomarker,
                    value=qualifier.status,
                    result="detected",
                    read_as=f"{qualifier.biomarker} {qualifier.status} (stated in the cancer type)",
                )
            )
            _set_value(values, qualifier.biomarker, qualifier.status, out, stated)
    for name, value in details.biomarkers.items():
        understood.append(
            BiomarkerUnderstood(
                input=request.stage or name,
                status="recognised",
                normalised=f"{name} {value}",
                name=name,
                value=value,
                result="detected",
                read_as=f"{name} {value} (read from the stage)",
            )
        )
        _set_value(values, name, value, out, stated)
    for value in details.condition_child_pugh:
        # a class read from a condition ("cirrhosis Child-Pugh C") is weighed with the others, never dropped
        if value not in stated.get(CHILD_PUGH, ()):
            _set_value(values, CHILD_PUGH, value, out, stated)
    return understood, values, stated, pd_l1_scores


def _pd_l1_scores(request: PatientProfileInput, from_text: list[tuple[str, float]], out: _Collector) -> dict[str, float] | None:
    """The PD-L1 scores of the `pd_l1` field and of biomarker text; a system given two different scores is used in
    neither reading."""
    given: dict[str, set[float]] = {}
    for system, score in [*(request.pd_l1.scores() if request.pd_l1 is not None else {}).items(), *from_text]:
        given.setdefault(system, set()).add(score)
    scores: dict[str, float] = {}
    for system, values in given.items():
        if len(values) > 1:
            shown = " and ".join(f"{v:g}" for v in sorted(values))
            out.warn("contradictory_results", f"PD-L1 {system.upper()} is given as {shown}: neither is used.", "pd_l1")
            out.provisional_because(f"PD-L1 {system.upper()} is given twice with different values")
        else:
            scores[system] = next(iter(values))
    return scores or None


def _set_value(values: dict[str, str], name: str, value: str, out: _Collector, stated: dict[str, set[str]]) -> None:
    stated.setdefault(name, set()).add(value)
    if name in values and values[name] != value:
        if name == CHILD_PUGH:
            # a contradictory class must not pass as the milder one: the rules of each class given still apply
            worse = max(stated[name])
            message = f"{name} is given as {' and '.join(sorted(stated[name]))}: neither is used to match an indication; the contraindications and cautions of Child-Pugh {worse} are applied."
        else:
            message = f"{name} is given as both {values[name]} and {value}: neither is used."
        out.warn("contradictory_results", message, "biomarkers")
        out.provisional_because(f"{name} is given twice with different values")
        values[name] = ""
        return
    values[name] = value


def _read_prior_therapy(
    kb: KnowledgeBase, request: PatientProfileInput, out: _Collector
) -> tuple[list[PriorTherapyUnderstood] | None, list[PriorLine] | None, int, str]:
    if request.prior_therapies is None:
        out.warn(
            "prior_therapy_missing",
            "No prior therapy given: options are for first-line treatment. Send an empty list to say there was none.",
            "prior_therapies",
        )
        return None, None, 1, "prior_therapies not given: first line assumed"
    understood: list[PriorTherapyUnderstood] = []
    lines: list[PriorLine] = []
    for index, item in enumerate(request.prior_therapies):
        reading, line = normalise_prior_therapy(kb, item, index + 1)
        understood.append(reading)
        lines.append(line)
        where = f"prior_therapies[{index}]"
        for drug in reading.drugs:
            if drug.status != "recognised":
                out.warn(
                    "prior_drug_not_recognised",
                    "A prior-therapy drug is not in the drug catalogue: the line counts, but its drug was not used for matching.",
                    where,
                )
                out.provisional_because(f"a drug in {where} was not recognised")
        if reading.outcome_reading is not None and reading.outcome_reading.status != "recognised":
            out.warn("prior_outcome_not_recognised", f"The outcome was not used: {reading.outcome_reading.detail}.", where)
            out.provisional_because(f"the outcome of {where} was not recognised")
    numbers = [line.number for line in lines]
    if len(set(numbers)) != len(numbers):
        out.warn("prior_line_numbers", "Two prior lines have the same line number: they are kept in the order sent.", "prior_therapies")
        out.provisional_because("two prior lines share a line number")
    else:
        order = sorted(range(len(lines)), key=lambda i: lines[i].number)
        lines = [lines[i] for i in order]
        understood = [understood[i] for i in order]
    if sum(1 for line in lines if line.ongoing) > 1:
        out.warn("prior_line_ongoing", "More than one line is marked ongoing.", "prior_therapies")
        out.provisional_because("more than one line is marked ongoing")
    line = len(lines) + 1
    basis = f"{len(lines)} prior line(s) of systemic therapy" if lines else "no prior systemic therapy"
    return understood, lines, line, basis


def _read_medications(kb: KnowledgeBase, request: PatientProfileInput, out: _Collector) -> tuple[list[DrugUnderstood], list[DrugRef]]:
    understood: list[DrugUnderstood] = []
    medications: list[DrugRef] = []
    named: set[str] = set()
    for index, item in enumerate(request.current_medications):
        reading, ref = normalise_drug(kb, item)
        understood.append(reading)
        if ref is None:
            out.warn(
                "medication_not_recognised",
                "A current medication is not in the drug catalogue: its interactions were not checked.",
                f"current_medications[{index}]",
            )
            out.provisional_because(f"current_medications[{index}] was not recognised, so its interactions were not checked")
        elif ref.name not in named:
            named.add(ref.name)
            medications.append(ref)
    return understood, medications


def _read_patient(
    kb: KnowledgeBase, request: PatientProfileInput, details: PatientDetails, out: _Collector
) -> tuple[PatientContextUnderstood, dict[str, ConditionReading], float | None, float | None, BloodCountsReading | None]:
    ecog_reading = read_ecog(request.ecog, details) if request.ecog is not None else None
    if ecog_reading is not None and ecog_reading.status != "recognised":
        out.warn("ecog_not_recognised", f"The performance status was not used: {ecog_reading.detail}.", "ecog")
        out.provisional_because("the performance status was not recognised")
    conditions: dict[str, ConditionReading] = {}
    understood = []
    creatinine = request.organ_function.creatinine_clearance_ml_min if request.organ_function else None
    qtc = request.organ_function.qtc_ms if request.organ_function else None
    for index, item in enumerate(request.conditions):
        reading = read_condition(kb, item)
        understood.append(reading.understood)
        if reading.condition is None:
            out.warn("condition_not_recognised", f"A condition was not used: {reading.understood.detail}.", f"conditions[{index}]")
            out.provisional_because(f"conditions[{index}] was not recognised")
            continue
        conditions[reading.condition] = reading
        creatinine = creatinine if creatinine is not None else reading.measurements.get("creatinine_clearance_ml_min")  # type: ignore[assignment]
        qtc = qtc if qtc is not None else reading.measurements.get("qtc_ms")  # type: ignore[assignment]
        child_pugh = reading.measurements.get("child_pugh")
        if isinstance(child_pugh, str):
            details.condition_child_pugh.append(child_pugh)
    brain = request.brain_metastases
    if brain is not None and details.brain_metastases is not None and brain != details.brain_metastases:
        out.warn("contradictory_input", "brain_metastases and the stage text disagree: the stage text's reading is not used.", "brain_metastases")
        out.provisional_because("brain metastases are described two ways")
    brain = brain or details.brain_metastases
    blood = _read_blood_counts(request, out)
    measured = _read_measured_conditions(kb, qtc, conditions, details)
    context = PatientContextUnderstood(
        ecog=details.ecog,
        ecog_reading=ecog_reading,
        conditions=understood,
        brain_metastases=brain,  # type: ignore[arg-type]
        child_pugh=details.child_pugh_score or details.biomarkers.get("Child-Pugh") or next(iter(details.condition_child_pugh), None),
        creatinine_clearance_ml_min=creatinine,
        qtc_ms=qtc,
        measurements_read_as=measured or None,
        blood_counts=blood.understood if blood else None,
        read_from_stage=details.read_from_stage,
    )
    return context, conditions, creatinine, qtc, blood


def _read_measured_conditions(
    kb: KnowledgeBase, qtc: float | None, conditions: dict[str, ConditionReading], details: PatientDetails
) -> list[str]:
    """A measured QTc at or above the bound `readings.yaml` states is read as its condition group, and says so."""
    read_as: list[str] = []
    named = {g for c in conditions.values() if c.current for g in c.groups}
    for rule in kb.source.readings.measured_conditions:
        if rule.measure == "qtc_ms" and qtc is not None and qtc >= rule.min:
            details.measured_groups.add(rule.group)
            name = kb.condition_groups.get(rule.group, rule.group)
            already = " (also given as a condition)" if rule.group in named else ""
            read_as.append(f"QTc {qtc:g} ms read as {name}{already}: {rule.basis}")
    return read_as


def _read_blood_counts(request: PatientProfileInput, out: _Collector) -> BloodCountsReading | None:
    if request.blood_counts is None:
        return None
    reading = read_blood_counts(request.blood_counts)
    for name, reason in reading.unread.items():
        out.warn("blood_count_not_recognised", f"A blood count was not used: {reason}.", f"blood_counts.{name}")
        out.provisional_because(f"blood_counts.{name} was not recognised")
    return reading


def _flag_contradictions(kb: KnowledgeBase, request: PatientProfileInput, medications: list[DrugRef], out: _Collector) -> None:
    if request.prior_therapies == []:
        tkis = [m.name for m in medications if "tyrosine_kinase_inhibitor" in kb.drugs[m.name].classes]
        if tkis:
            out.warn(
                "contradictory_input",
                f"Prior therapy says none, but the current medications include {', '.join(tkis)}: is this a current line of treatment?",
                "prior_therapies",
            )
            out.provisional_because(f"prior therapy says none while {', '.join(tkis)} is a current medication")


def normalise_profile(kb: KnowledgeBase, request: PatientProfileInput) -> NormalisedProfile:
    out = _Collector()
    details = PatientDetails()
    cancer = _read_cancer(kb, request, out)

    stage_understood: StageUnderstood | None = None
    settings: tuple[Setting, ...] = ()
    stage_ambiguity: str | None = None
    stage_text = request.stage if request.stage is not None else cancer.stated_stage
    if request.stage is not None and cancer.stated_stage is not None:
        _compare_stated_stage(request.stage, cancer.stated_stage, out)
    if stage_text is None:
        if not _stage_never_needed(kb, cancer.code):
            out.warn("stage_missing", "No stage given: options are not filtered by disease setting.", "stage")
    else:
        stage_understood, settings = read_stage(stage_text, details)
        if request.stage is None:
            stage_understood = stage_understood.model_copy(update={"read_as": f"{stage_understood.read_as} (stated in the cancer type)"})
        if stage_understood.status != "recognised":
            out.warn("stage_not_recognised", f"The stage was not used: {stage_understood.detail}.", "stage")
            out.provisional_because("the stage was not recognised")
        elif details.bare_stage_iii and cancer.code:
            stage_understood, settings, stage_ambiguity = _read_bare_stage_iii(
                kb, cancer.code, stage_understood, out, details.bare_stage_iii == "substage"
            )

    mutations, readings = _read_mutations(kb, request, cancer, out)
    detected, negative_genes, negative_alterations, allelic, unresolved, uncurated, unstated = _sort_results(kb, cancer.code, readings, out)
    patient, conditions, creatinine, qtc, blood = _read_patient(kb, request, details, out)
    biomarkers_understood, biomarkers, stated, pd_l1_from_text = _read_biomarkers(kb, request, details, out, cancer)
    biomarkers = {k: v for k, v in biomarkers.items() if v}
    prior_understood, prior_lines, line, basis = _read_prior_therapy(kb, request, out)
    medications_understood, medications = _read_medications(kb, request, out)
    _flag_contradictions(kb, request, medications, out)

    pd_l1 = _pd_l1_scores(request, pd_l1_from_text, out)
    understood = ProfileUnderstood(
        cancer_type=cancer.understood,
        stage=stage_understood,
        mutations=mutations,
        biomarkers=biomarkers_understood,
        pd_l1=pd_l1,
        prior_therapies=prior_understood,
        line_of_therapy=line,
        line_of_therapy_basis=basis,
        current_medications=medications_understood,
        patient=patient if _has_patient_context(patient) else None,
    )
    return NormalisedProfile(
        cancer_type=cancer.code,
        cancer_type_ambiguous=cancer.ambiguous,
        settings=settings,
        stage_ambiguity=stage_ambiguity,
        detected=detected,
        negative_genes=negative_genes,
        negative_alterations=negative_alterations,
        biomarkers=biomarkers,
        pd_l1=pd_l1,
        prior_lines=prior_lines,
        line=line,
        medications=medications,
        understood=understood,
        warnings=out.warnings,
        allelic=allelic,
        unresolved=unresolved,
        uncurated_genes=uncurated,
        altered_genes_unstated=unstated,
        ecog=patient.ecog,
        conditions=conditions,
        condition_groups={g for c in conditions.values() if c.current for g in c.groups} | details.measured_groups,
        past_condition_groups={g for c in conditions.values() if not c.current for g in c.groups},
        brain_metastases=patient.brain_metastases,
        child_pugh_contradicted=tuple(sorted(stated.get(CHILD_PUGH, ()))) if len(stated.get(CHILD_PUGH, ())) > 1 else (),
        creatinine_clearance_ml_min=creatinine,
        qtc_ms=qtc,
        platelets=blood.platelets if blood else None,
        haemoglobin_g_dl=blood.haemoglobin if blood else None,
        transfusion_dependent=blood.transfusion_dependent if blood else None,
        blood_counts_unread=tuple(blood.unread) if blood else (),
        covered=cancer.understood.covered,
        provisional_reasons=out.provisional,
    )


def _read_bare_stage_iii(
    kb: KnowledgeBase, code: str, understood: StageUnderstood, out: _Collector, details_substage: bool
) -> tuple[StageUnderstood, tuple[Setting, ...], str | None]:
    """A stage III that says neither resected nor unresectable: read as locally advanced, and said so; where the
    knowledge holds both adjuvant (early) and locally advanced or advanced options for the cancer type (melanoma: stage III is
    mostly resected and treated adjuvantly, unresectable stage III is advanced), it is ambiguous: both are read, the
    answer is provisional and the options of either carry the open question."""
    name = kb.cancer_types[code].name
    # a substage (IIIA-IIID) is read as written: which substages the adjuvant trials enrolled (ADAURA IB-IIIA, the
    # melanoma trials IIIA-IIID) is not in the knowledge, so only a bare "stage III" is read both ways
    if details_substage or not _adjuvant_and_locally_advanced(kb, code):
        written = re.sub(r"(?i)^stage\s*", "", understood.input.strip())
        read_as = f"{understood.read_as}; stage {written} read as locally advanced (unresectable): write 'resected' for the adjuvant setting"
        return understood.model_copy(update={"read_as": read_as}), (Setting.LOCALLY_ADVANCED,), None
    ambiguity = (
        f"stage III without 'resected' or 'unresectable': for {name} it may be the adjuvant setting (after complete "
        "resection) or locally advanced (unresectable)"
    )
    out.provisional_because(ambiguity)
    out.warn(
        "stage_ambiguous",
        f"Stage III is ambiguous for {name}: options for the adjuvant setting (after complete resection) and for "
        "unresectable, locally advanced disease are both shown, each with a caveat. Write 'resected' or 'unresectable' with the stage.",
        "stage",
    )
    settings = (Setting.LOCALLY_ADVANCED, Setting.EARLY)
    also = understood.read_as.partition("; also read: ")[2]
    read_as = f"ambiguous: {ambiguity}; read as both, locally advanced and early (adjuvant)" + (f"; also read: {also}" if also else "")
    return understood.model_copy(update={"read_as": read_as, "normalised": "locally_advanced, early", "settings": [s.value for s in settings]}), settings, ambiguity


def _adjuvant_and_locally_advanced(kb: KnowledgeBase, code: str) -> bool:
    """Whether the knowledge holds, for this cancer type, options both for the early (adjuvant) setting and for
    locally advanced or advanced disease: found once per cancer type."""

    def build() -> bool:
        settings = {
            s
            for r in kb.regimens_for_cancer_type(code)
            for i in r.indications
            if i.tumour_agnostic is None and not i.any_setting
            and any(kb.is_within(code, c) or kb.is_within(c, code) for c in i.cancer_types)
            for s in i.settings
        }
        return Setting.EARLY in settings and bool(settings & {Setting.LOCALLY_ADVANCED, Setting.ADVANCED, Setting.METASTATIC})

    return kb.once(("adjuvant_and_locally_advanced", code), build)  # type: ignore[no-any-return]


def _compare_stated_stage(stage: str, stated: str, out: _Collector) -> None:
    """The stage field is used; a cancer type that states an early setting where the stage says otherwise (or the reverse)
    is a contradiction to resolve, not one to settle by picking either."""
    given, stated_settings = read_stage(stage, PatientDetails())[1], read_stage(stated, PatientDetails())[1]
    if given and stated_settings and (Setting.EARLY in given) != (Setting.EARLY in stated_settings):
        out.warn(
            "contradictory_input",
            f"The cancer type says '{stated}' but the stage says '{stage}': the stage field is used. Correct the one that is wrong.",
            "stage",
        )
        out.provisional_because("the cancer type and the stage name different disease settings")


def _stage_never_needed(kb: KnowledgeBase, code: str) -> bool:
    """Every regimen for this type is open to any setting (myelofibrosis has no stage): a missing stage changes nothing."""
    regimens = kb.regimens_for_cancer_type(code) if code else []
    indications = [i for r in regimens for i in r.indications if i.tumour_agnostic is None]
    return bool(indications) and all(i.any_setting for i in indications)


def _has_patient_context(patient: PatientContextUnderstood) -> bool:
    # what model_dump(exclude_defaults=True) would keep, without dumping the model
    return any(getattr(patient, name) != default for name, default in _PATIENT_CONTEXT_DEFAULTS)


_PATIENT_CONTEXT_DEFAULTS = tuple(
    (name, field.get_default(call_default_factory=True)) for name, field in PatientContextUnderstood.model_fields.items()
)
