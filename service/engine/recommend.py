"""The recommendation engine: a normalised profile in, ranked options, exclusions and warnings out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from schemas.requests import MedicationInput, PatientProfileInput
from schemas.responses import (
    Component,
    Coverage,
    DoseSourceShown,
    OptionCaution,
    DrugUnderstood,
    EvidenceLevelInfo,
    ExcludedRegimenRef,
    ExclusionGroup,
    ExclusionReason,
    InteractionCheckResponse,
    InteractionWarning,
    KnowledgeVersion,
    NotRecommended,
    OverallSurvivalShown,
    RankingNote,
    RecommendationResponse,
    TreatmentOption,
    Warning,
    WithheldRegimen,
)
from service.engine.evidence import EVIDENCE_LEVELS, cite_evidence, cite_label, citations_for
from service.engine.interactions import InteractionReport, check_interactions, interaction_subjects
from service.engine.matching import (
    Exclusion,
    IndicationAssessment,
    CompiledIndication,
    Judgement,
    applying,
    assess_but_for,
    defining_alterations_below,
    is_clinical_grading,
    assess_compiled,
    biomarker_gap,
    pd_l1_gap,
    failed_gate,
    compiled_indication,
    indication_relation,
    continue_current_therapy,
    unchecked_patient_context,
    prior_failure_exclusions,
    same_regimen_exclusions,
    driver_result_caveats,
    open_driver_gene,
    repeat_caveats,
    resistance_exclusions,
    toxicity_exclusions,
)
from service.engine.normalise import DrugRef, NormalisedProfile, normalise_drug, normalise_profile
from service.engine.shown import assembled
from service.knowledge.index import KnowledgeBase
from service.engine.coverage import coverage_for
from service.knowledge.records import Component as ComponentRecord
from service.knowledge.records import DefersToTargeted, DoseSource, Indication, Regimen, RegulatoryStatus

INTENDED_USE = (
    "For use by healthcare professionals. This service supports, and does not replace, clinical judgement: "
    "check each option against the cited sources, the current prescribing information and the patient."
)

_REGULATORY_ORDER = {
    RegulatoryStatus.FDA_APPROVED: 0,
    RegulatoryStatus.FDA_APPROVED_OTHER_SETTING: 1,
    RegulatoryStatus.NOT_FDA_APPROVED: 2,
    RegulatoryStatus.INVESTIGATIONAL: 3,
}


def knowledge_version(kb: KnowledgeBase) -> KnowledgeVersion:
    """The release and content hash served: built once per knowledge base, shared by the responses."""
    return kb.once(("knowledge_version",), lambda: _knowledge_version(kb))  # type: ignore[no-any-return]


def _knowledge_version(kb: KnowledgeBase) -> KnowledgeVersion:
    release = kb.source.release
    return KnowledgeVersion(
        release=release.version,
        content_hash=kb.content_hash,
        released=release.released.isoformat(),
        label_region=release.label_region,
        oncotree_release=kb.source.cancer_types.oncotree_release,
    )


def _best_indication_key(a: IndicationAssessment) -> tuple[int, int, str, int, str]:
    """Within one regimen, the indication the profile answers fully beats a better-evidenced one with caveats, and
    one whose evidence enrolled the patient's prior therapy beats one where that was not read."""
    return (
        1 if a.incomplete else 0,
        1 if a.prior_not_shown_covered else 0,
        a.indication.evidence_level,  # a StrEnum: its own value
        _REGULATORY_ORDER[a.indication.regulatory_status],
        a.regimen.name,
    )


@dataclass
class _Considered:
    regimen: Regimen
    best_match: IndicationAssessment | None
    exclusions: list[Exclusion]
    withheld: list[tuple[IndicationAssessment, str, list[str]]] = field(default_factory=list)


def _concerns_patient(kb: KnowledgeBase, profile: NormalisedProfile, indication: Indication) -> bool:
    """An indication for the patient's cancer type whose required alterations the patient has, whatever
    the line or setting: a cheap first filter before the full assessment."""
    if indication_relation(kb, profile.cancer_type, indication) == "other":
        return False
    if not indication.requires_alterations:
        return True
    terms = _detected_terms(profile)  # an alteration matches a group by its id or one of its categories
    return all(not terms.isdisjoint(group) for group in indication.requires_alterations)


def _detected_terms(profile: NormalisedProfile) -> frozenset[str]:
    if "detected_terms" not in profile.memo:
        profile.memo["detected_terms"] = frozenset(profile.detected_terms)
    return profile.memo["detected_terms"]  # type: ignore[return-value]


def _fails_only_on_line(profile: NormalisedProfile, indication: Indication, failed: str | None) -> bool:
    """The indication fits the patient's type, setting and drivers and fails only on line or prior therapy (the
    criterion `failed` is the first it fails on: the gates before it record no failure)."""
    if failed not in ("line of therapy", "prior therapy"):
        return False
    if any(alt.gene in indication.requires_negative for alt in profile.detected):
        return False  # evidence in driver-negative disease does not concern a patient with that driver
    return all(profile.alterations_matching(group) for group in indication.requires_alterations)


def _candidates(kb: KnowledgeBase, code: str) -> tuple[tuple[Regimen, tuple[CompiledIndication, ...]], ...]:
    """Per cancer type, once: each regimen with its compiled indications whose cancer type is related to it. An
    indication for an unrelated type can never apply, exclude or be withheld for the patient, so it is not assessed."""
    def build() -> tuple[tuple[Regimen, tuple[CompiledIndication, ...]], ...]:
        related = (
            (r, tuple(compiled_indication(kb, r, i) for i in r.indications if indication_relation(kb, code, i) != "other"))
            for r in kb.regimens_for_cancer_type(code)
        )
        return tuple((r, indications) for r, indications in related if indications)

    return kb.once(("candidates", code), build)  # type: ignore[no-any-return]


class ResultTest(NamedTuple):
    """A result that decides options for a cancer type: a gene's (`result_needed_in`), a biomarker's (any one of
    `names` answers it: MSI or MMR), or a PD-L1 score in one scoring system."""

    kind: Literal["gene", "biomarker", "pd_l1"]
    names: tuple[str, ...]

    @property
    def shown(self) -> str:
        if self.kind == "pd_l1":
            return f"PD-L1 {self.names[0].upper()}"
        return " or ".join(self.names)

    @property
    def field(self) -> str:
        return {"gene": "mutations", "biomarker": "biomarkers", "pd_l1": "pd_l1"}[self.kind]


def _result_dependants(kb: KnowledgeBase, code: str) -> tuple[tuple[ResultTest, tuple[tuple[Regimen, Indication], ...]], ...]:
    """Per cancer type, once: each result that decides options here, with the indications that need it: the genes
    whose result is needed (`result_needed_in`) with the indications that require one of their alterations, then
    every biomarker and PD-L1 result an indication for this type judges."""

    def build() -> tuple[tuple[ResultTest, tuple[tuple[Regimen, Indication], ...]], ...]:
        # a subtype an alteration defines (Ph+ B-ALL, BCR::ABL1) needs that gene's result when the patient's type is broader
        defining = {
            c.indication.id: {kb.alterations[d].gene for d in defining_alterations_below(kb, code, c.indication).values()}
            for _, compiled in _candidates(kb, code)
            for c in compiled
        }
        needed = sorted(
            {g.symbol for g in kb.genes.values() if any(kb.is_within(code, c) for c in g.result_needed_in)}
            | {gene for genes in defining.values() for gene in genes}
        )
        out: list[tuple[ResultTest, tuple[tuple[Regimen, Indication], ...]]] = []
        for gene in needed:
            of_gene = {a.id for a in kb.alterations.values() if a.gene == gene} | {
                c for a in kb.alterations.values() if a.gene == gene for c in a.categories
            }
            dependants = tuple(
                (r, c.indication)
                for r, compiled in _candidates(kb, code)
                for c in compiled
                if any(of_gene.intersection(group) for group in c.indication.requires_alterations) or gene in defining[c.indication.id]
            )
            if dependants:
                out.append((ResultTest("gene", (gene,)), dependants))
        # a biomarker result: one test per set of biomarkers a criterion accepts (MSI high or MMR deficient)
        tests: dict[tuple[str, frozenset[str]], tuple[ResultTest, list[tuple[Regimen, Indication]]]] = {}
        for r, compiled in _candidates(kb, code):
            for c in compiled:
                indication = c.indication
                wanted = [
                    ResultTest("biomarker", tuple(dict.fromkeys(b.name for b in group)))
                    for group in indication.biomarkers
                    if not is_clinical_grading(kb, [b.name for b in group])  # a caveat to confirm, not a test to send
                ]
                if indication.pd_l1 is not None:
                    wanted.append(ResultTest("pd_l1", (indication.pd_l1.scoring,)))
                for test in wanted:
                    entry = tests.setdefault((test.kind, frozenset(test.names)), (test, []))
                    if (r, indication) not in entry[1]:
                        entry[1].append((r, indication))
        out += [(test, tuple(dependants)) for test, dependants in tests.values()]
        return tuple(out)

    return kb.once(("result_dependants", code), build)  # type: ignore[no-any-return]


def _result_gap(profile: NormalisedProfile, gene: str) -> str | None:
    """What is missing of the gene's result, in words, or None when a result decides it (detected, tested negative as
    a gene, or a variant the knowledge does not act on)."""
    if any(a.gene == gene for a in profile.detected) or gene in profile.uncurated_genes | profile.altered_genes_unstated:
        return None
    unresolved = sorted({f"{what} is {status}" for what, status in profile.unresolved if what == gene or what.startswith(gene + " ")})
    if unresolved:
        return "; ".join(unresolved)
    if any(m.gene == gene and m.alteration is None and m.result == "not detected" for m in profile.understood.mutations):
        return None
    negative = sorted(a for a in profile.negative_alterations if a.startswith(gene + " "))
    if negative:
        return f"{gene} was reported only as {', '.join(negative)} not detected"
    if gene in profile.negative_genes:
        return None
    return f"no {gene} result was given"


def _ruled_out_by_negatives(kb: KnowledgeBase, profile: NormalisedProfile, indication: Indication) -> bool:
    """An indication one of whose required alteration groups names only alterations reported not detected."""
    for group in indication.requires_alterations:
        wanted = set(group)
        members = {a.id for a in kb.alterations.values() if a.id in wanted or wanted.intersection(a.categories)}
        # the group's own category ids (a type-not-stated entry) count only through their member alterations
        drivers = {m for m in members if not kb.alterations[m].name.endswith("type not stated")}
        if drivers and drivers <= profile.negative_alterations:
            return True
    return False


class MissingResult(NamedTuple):
    test: ResultTest
    gap: str  # what is missing, in words
    regimens: list[str]  # the regimens the result would open


def _test_gap(profile: NormalisedProfile, test: ResultTest) -> str | None:
    """What is missing of the test's result, in words, or None when a result was given."""
    if test.kind == "gene":
        return _result_gap(profile, test.names[0])
    if test.kind == "pd_l1":
        return None if profile.pd_l1 is not None and test.names[0] in profile.pd_l1 else pd_l1_gap(profile, test.names[0])
    return None if any(name in profile.biomarkers for name in test.names) else biomarker_gap(profile, test.names)


# the gate a missing result fails: an indication that fails only on it depends on that result
_RESULT_GATE = {"gene": "alteration", "biomarker": "test result", "pd_l1": "test result"}


def _regimen_exclusions(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen, indication: Indication) -> bool:
    return bool(
        resistance_exclusions(kb, profile, regimen)
        or toxicity_exclusions(kb, profile, regimen)
        or prior_failure_exclusions(profile, regimen, indication)
    )


def results_not_given(kb: KnowledgeBase, profile: NormalisedProfile) -> list[MissingResult]:
    """Results that decide options for this patient but are not known (a gene's, a biomarker's, a PD-L1 score), with
    what is missing and the regimens that depend on it: those that would apply on the rest of the profile but need
    the result (rule 3, no silent guess: they are named, not left out)."""
    missing = []
    for test, dependants in _result_dependants(kb, profile.cancer_type):
        gap = _test_gap(profile, test)
        if gap is None:
            continue
        names: list[str] = []
        for regimen, indication in dependants:
            if any(n.startswith(regimen.name) for n in names):
                continue
            if test.kind == "gene" and (
                profile.alterations_matching([t for group in indication.requires_alterations for t in group])
                or _ruled_out_by_negatives(kb, profile, indication)
            ):
                continue
            a = assess_but_for(profile, compiled_indication(kb, regimen, indication), _RESULT_GATE[test.kind])
            if a is None or a.exclusions or _regimen_exclusions(kb, profile, regimen, indication):
                continue  # another criterion, a contraindication or a resistance rule keeps it closed whatever the result
            withheld = kb.withheld_reason(regimen, indication) is not None
            names.append(regimen.name + (" (withheld until verified)" if withheld else ""))
        if names:
            missing.append(MissingResult(test, gap, names))
    return missing


def _concerning(kb: KnowledgeBase, profile: NormalisedProfile) -> tuple[tuple[Regimen, tuple[CompiledIndication, ...]], ...]:
    """The candidates with an indication whose required alterations the patient has, whatever the line or
    setting: a function of the cancer type and the detected alterations' terms, kept in a bounded cache."""
    return kb.cached("concerning", lambda code, terms: _concerning_for(kb, code, terms))(profile.cancer_type, _detected_terms(profile))  # type: ignore[no-any-return]


def _concerning_for(kb: KnowledgeBase, code: str, terms: frozenset[str]) -> tuple[tuple[Regimen, tuple[CompiledIndication, ...]], ...]:
    def has_drivers(indication: Indication) -> bool:
        return all(not terms.isdisjoint(group) for group in indication.requires_alterations)

    return tuple((r, compiled) for r, compiled in _candidates(kb, code) if any(has_drivers(c.indication) for c in compiled))


def _consider(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen, compiled: tuple[CompiledIndication, ...]) -> _Considered | None:
    """Assess one regimen that concerns the patient on its indications related to the patient's type; None when
    none applies to this patient's type, setting, line, prior therapy and drivers: a regimen no clinician would
    weigh for the patient is neither offered nor listed as excluded."""
    applicable = applying(profile, compiled)
    if not applicable:
        # A resistance or driver rule says the drug will not work whatever the line: that still concerns a
        # regimen for this type, setting and driver that the patient's line or prior therapy rules out.
        driver_level = [e for e in resistance_exclusions(kb, profile, regimen) if e.kind in ("resistance", "biomarker")]
        if driver_level and any(_fails_only_on_line(profile, c.indication, failed_gate(profile, c)) for c in compiled):
            return _Considered(regimen, None, driver_level)
        # a contraindication holds whatever a missing biomarker result would say: it is still listed
        for c in compiled:
            if failed_gate(profile, c) == "test result":
                a = assess_but_for(profile, c, "test result")
                contraindications = [e for e in a.exclusions if e.kind == "contraindication"] if a is not None else []
                if contraindications:
                    return _Considered(regimen, None, contraindications)
        return None
    matched: list[IndicationAssessment] = []
    excluded: list[IndicationAssessment] = []
    withheld: list[tuple[IndicationAssessment, str, list[str]]] = []
    for c in applicable:
        a = assess_compiled(profile, c)
        if c.withdrawn is not None:
            a.exclusions.append(c.withdrawn)
        reason = kb.withheld_reason(regimen, c.indication)
        if reason is not None:
            # a held indication the patient's own input rules out is not named: the criterion that excludes it
            # rests on evidence that is not yet citable, and listing it would suggest it might be offered
            if not a.exclusions:
                withheld.append((a, *reason))
        elif a.exclusions:
            excluded.append(a)
        else:
            matched.append(a)
    # the first of the best, as a stable sort would give
    best = min(matched, key=_best_indication_key) if matched else None
    failed_before = prior_failure_exclusions(profile, regimen, best.indication if best else None)
    if not failed_before and best is not None:
        failed_before = same_regimen_exclusions(profile, regimen, best.indication)
    regimen_level = [*resistance_exclusions(kb, profile, regimen), *toxicity_exclusions(kb, profile, regimen), *failed_before]
    if regimen_level:
        return _Considered(regimen, None, regimen_level)
    if best is not None:
        return _Considered(regimen, best, [])
    if excluded:
        return _Considered(regimen, None, min(excluded, key=_best_indication_key).exclusions)
    return _Considered(regimen, None, [], withheld)


def _not_recommended(kb: KnowledgeBase, item: _Considered) -> NotRecommended:
    # a function of the regimen and its exclusions alone, which recur across answers: kept (bounded) and shared
    return kb.cached("not_recommended", lambda regimen_id, exclusions: _build_not_recommended(kb, regimen_id, exclusions))(
        item.regimen.id, tuple(item.exclusions)
    )  # type: ignore[no-any-return]


def _build_not_recommended(kb: KnowledgeBase, regimen_id: str, exclusions: tuple[Exclusion, ...]) -> NotRecommended:
    regimen = kb.regimens[regimen_id]
    reasons = [ExclusionReason(kind=e.kind, detail=e.detail, evidence=cite_evidence(kb, e.evidence)) for e in exclusions]
    evidence_ids = [i for e in exclusions for i in e.evidence]
    alternatives = list(dict.fromkeys(a for e in exclusions for a in e.alternatives))
    return NotRecommended(
        id=regimen.id,
        name=regimen.name,
        drugs=regimen.drugs,
        reason="; ".join(dict.fromkeys(e.detail for e in exclusions)),
        reasons=reasons,
        evidence=cite_evidence(kb, evidence_ids),
        alternatives=alternatives,
    )


def _dose_source(kb: KnowledgeBase, source: DoseSource | None) -> DoseSourceShown | None:
    if source is None:
        return None
    label = None
    if source.label is not None:
        set_id = source.label.set_id
        label = cite_label(
            kb,
            title=source.label.title,
            url=f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}" if set_id else None,
            set_id=set_id,
            section=source.label.section,
            read_from=source.label.source_url,
        ).id
    return DoseSourceShown(evidence=cite_evidence(kb, source.evidence), label=label)


def components_for(kb: KnowledgeBase, regimen: Regimen, indication: Indication) -> list[Component]:
    """The regimen's components with the dose for this indication and where that dose was read: a fact of the
    knowledge, built once per indication and shared by the responses, which never modify it."""
    found = kb.once(
        ("components", regimen.id, indication.id),
        lambda: tuple(_component(kb, component, *indication.dose_for(component)) for component in regimen.components),
    )
    return list(found)


def _component(kb: KnowledgeBase, component: ComponentRecord, dose: str | None, source: DoseSource | None) -> Component:
    return Component(
        drug=component.drug, drug_class=component.drug_class, role=component.role, dose=dose, dose_source=_dose_source(kb, source)
    )


class _OptionFacts(NamedTuple):
    """What an option for one indication shows whatever the patient: built once per indication and shared."""

    id: str
    name: str
    drugs: tuple[str, ...]
    contains_tki: bool
    components: tuple[Component, ...]
    indication_id: str
    indication: str
    evidence_level: str
    evidence_level_detail: EvidenceLevelInfo
    regulatory_status: str
    approval_year: int | None
    evidence: tuple[str, ...]
    overall_survival: OverallSurvivalShown | None
    notes: str | None
    # what these facts cite, in the order an option refers to it: evidence, dose sources, overall survival
    cited: tuple[str, ...]


def _option_facts(kb: KnowledgeBase, regimen: Regimen, indication: Indication) -> _OptionFacts:
    key = ("option_facts", regimen.id, indication.id)
    found = kb.memo.get(key)
    if found is None:
        components = tuple(components_for(kb, regimen, indication))
        evidence = tuple(cite_evidence(kb, indication.evidence))
        overall_survival = _overall_survival(kb, indication)
        cited = [*evidence]
        for component in components:
            if component.dose_source is not None:
                cited += component.dose_source.evidence
                if component.dose_source.label is not None:
                    cited.append(component.dose_source.label)
        if overall_survival is not None:
            cited += overall_survival.evidence
        found = kb.memo[key] = _OptionFacts(
            id=regimen.id,
            name=regimen.name,
            drugs=tuple(regimen.drugs),
            contains_tki=regimen.contains_tki,
            components=components,
            indication_id=indication.id,
            indication=indication.summary,
            evidence_level=indication.evidence_level.value,
            evidence_level_detail=EVIDENCE_LEVELS[indication.evidence_level],
            regulatory_status=indication.regulatory_status.value,
            approval_year=indication.approval_year,
            evidence=evidence,
            overall_survival=overall_survival,
            notes=indication.notes or None,
            cited=tuple(cited),
        )
    return found  # type: ignore[return-value]


def _option(
    kb: KnowledgeBase,
    profile: NormalisedProfile,
    a: IndicationAssessment,
    ranked_below: list[str],
    ranking: RankingNote,
    targeted_first: list[IndicationAssessment] | None = None,
) -> TreatmentOption:
    facts = _option_facts(kb, a.regimen, a.indication)
    # the same judgement recurs across answers: its validated Criterion is kept (bounded) and shared
    shown = kb.cached("criterion", Judgement.shown)
    return assembled(
        TreatmentOption,
        {
            "id": facts.id,
            "name": facts.name,
            "drugs": list(facts.drugs),
            "contains_tki": facts.contains_tki,
            "components": list(facts.components),
            "indication_id": facts.indication_id,
            "indication": facts.indication,
            "evidence_level": facts.evidence_level,
            "evidence_level_detail": facts.evidence_level_detail,
            "regulatory_status": facts.regulatory_status,
            "approval_year": facts.approval_year,
            "evidence": list(facts.evidence),
            "rationale": [shown(judgement) for judgement in a.criteria],
            "caveats": [f"caution: {c.detail}" for c in a.cautions]
            + [u.detail for u in a.unchecked]
            + [f"{c.criterion}: {c.finding} (requires {c.requirement})" for c in a.unknowns]
            + repeat_caveats(profile, a.regimen)
            + driver_result_caveats(kb, profile, a.regimen, {g for c in a.unknowns if (g := open_driver_gene(c))})
            + _targeted_first_caveat(kb, a, targeted_first),
            "ranked_below": ranked_below,
            "continues_current_therapy": None,
            "overall_survival": facts.overall_survival,
            "interactions": [],  # given with the answer's interaction check
            "cautions": [assembled(OptionCaution, {"detail": c.detail, "evidence": cite_evidence(kb, c.evidence)}) for c in a.cautions],
            "notes": facts.notes,
            "ranking": ranking,
        },
    )


def _targeted_first_caveat(kb: KnowledgeBase, a: IndicationAssessment, targeted: list[IndicationAssessment] | None) -> list[str]:
    """For an option listed below the targeted options for the patient's driver: which, and why."""
    rule = a.indication.defers_to_targeted
    if rule is None or not targeted:
        return []
    names = ", ".join(dict.fromkeys(b.regimen.name for b in targeted))
    drivers = "; ".join(dict.fromkeys(_drivers_of(b.indication) for b in targeted))
    sources = ", ".join(kb.evidence_short_name(e) for e in rule.evidence)
    return [f"ranked below {names} (targeted options for the patient's {drivers}): {rule.reason} ({sources})"]


def _overall_survival(kb: KnowledgeBase, indication: Indication) -> OverallSurvivalShown | None:
    """The overall survival an indication's evidence showed: built once per indication, shared by the responses."""
    shown = indication.overall_survival
    if shown is None:
        return None
    return kb.once(  # type: ignore[no-any-return]
        ("overall_survival", indication.id),
        lambda: OverallSurvivalShown(result=shown.result, comparator=shown.comparator, evidence=cite_evidence(kb, shown.evidence)),
    )


def _is_tumour_agnostic(a: IndicationAssessment) -> int:
    return 1 if a.indication.tumour_agnostic is not None else 0


def _rank_key(a: IndicationAssessment, record: dict[str, tuple[int, int]] | None = None) -> tuple[str, int, int, int, int, int]:
    """Evidence level, completeness, regulatory status, shown overall survival, then the head-to-head record
    (how deep its chain of randomised wins reaches among the options, and over how many): the order before moves."""
    depth, wins = (record or {}).get(a.regimen.id, (0, 0))
    return (
        a.indication.evidence_level,  # a StrEnum: its own value
        1 if a.incomplete else 0,
        _REGULATORY_ORDER[a.indication.regulatory_status],
        0 if a.indication.overall_survival is not None else 1,
        -depth,
        -wins,
    )


# a criterion left open on these still shows the patient belongs to the trial's population
_POPULATION_SHOWN_WITHOUT = frozenset({"line of therapy", "disease setting", "prior therapy"})


def _win_counts(winner: IndicationAssessment, loser: IndicationAssessment) -> bool:
    """A randomised win counts when the profile shows the patient belongs to the winner's trial population: no
    biomarker, PD-L1, driver or cancer-type criterion unanswered, and no caution the loser does not carry too
    (a caution both carry, such as one rule on every EGFR TKI, does not tell them apart)."""
    for c in winner.criteria:
        if c.result == "unknown" and c.criterion not in _POPULATION_SHOWN_WITHOUT:
            return False
    if not winner.cautions and not winner.unchecked:
        return True
    shared = {c.rule for c in loser.cautions if c.rule is not None}
    # a caution on a condition (one rule per drug: ILD on each EGFR TKI) matches the loser's caution on it, or the
    # loser's "not checked" for it: neither option is shown safer than the other for that condition
    conditions = {g for c in loser.cautions for g in c.conditions} | {u.condition for u in loser.unchecked}
    return all(
        c.rule is not None and (c.rule in shared or bool(set(c.conditions) & conditions)) for c in winner.cautions
    ) and all(u.condition in conditions for u in winner.unchecked)


def _head_to_head_record(matches: list[IndicationAssessment]) -> dict[str, tuple[int, int]]:
    """Per option: the length of its chain of randomised wins over other options, and how many control arms it beat
    (regimens that were one investigator's-choice arm count once)."""
    return _head_to_head(matches)[1]


def _head_to_head(matches: list[IndicationAssessment]) -> tuple[dict[str, list[str]], dict[str, tuple[int, int]]]:
    """The randomised wins that count among the options, each judged once: per option, who beat it (in the options'
    order), and its head-to-head record."""
    present = {a.regimen.id: a for a in matches}
    outranked_by: dict[str, list[str]] = {}
    beaten: dict[str, list[str]] = {rid: [] for rid in present}
    for a in matches:
        rid = a.regimen.id
        for loser in a.indication.outranks:
            # a win in a population the profile does not show the patient belongs to is not used
            if loser in present and _win_counts(a, present[loser]):
                outranked_by.setdefault(loser, []).append(rid)
                if loser != rid:
                    beaten[rid].append(loser)
    depth: dict[str, int] = {}

    def chain(rid: str, seen: frozenset[str]) -> int:
        found = depth.get(rid)
        if found is None:
            found = 0
            if beaten[rid]:
                further = seen | {rid}
                for loser in beaten[rid]:
                    if loser not in seen:
                        found = max(found, 1 + chain(loser, further))
            depth[rid] = found
        return found

    none: frozenset[str] = frozenset()
    return outranked_by, {rid: (chain(rid, none), present[rid].indication.arms_beaten(beaten[rid])) for rid in present}


def _targeted_first(matches: list[IndicationAssessment]) -> dict[str, list[IndicationAssessment]]:
    """Per option whose indication defers to targeted therapy: the level 1-2 options listed here that were made for a
    driver alteration the patient has (an option applies only when its required alterations were detected)."""
    targeted = [
        a
        for a in matches
        if a.indication.requires_alterations and a.indication.evidence_level.value in ("1", "2") and a.indication.defers_to_targeted is None
    ]
    if not targeted:
        return {}
    return {a.regimen.id: targeted for a in matches if a.indication.defers_to_targeted is not None}


def _rank(matches: list[IndicationAssessment]) -> list[tuple[IndicationAssessment, list[str]]]:
    """Order by evidence level, completeness, regulatory status and shown overall survival; then head-to-head
    evidence moves each option below every option shown superior to it in a randomised comparison."""
    return _rank_with_record(matches)[0]


def _rank_with_record(
    matches: list[IndicationAssessment],
) -> tuple[list[tuple[IndicationAssessment, list[str]]], dict[str, tuple[int, int]]]:
    """`_rank`, with the options' head-to-head record, which their ranking notes use."""
    outranked_by, record = _head_to_head(matches)
    deferred = _targeted_first(matches)

    def order(a: IndicationAssessment) -> tuple[object, ...]:
        key = _rank_key(a, record)
        return (key[0], _is_tumour_agnostic(a), *key[1:], a.regimen.name, a.regimen.id)

    # within one evidence level, a tumour-agnostic indication comes after the options made for the patient's
    # tumour type; it is not put below weaker evidence (an approved agnostic TKI above an investigational combination)
    ranked = _order_ties_by_hazard_ratio(sorted(matches, key=order), lambda a: order(a)[:-2])
    for _ in range(len(ranked) ** 2):  # bounded: the outranks graph is acyclic, so this settles
        moved = False
        for index, a in enumerate(ranked):
            # below the options that beat it head to head, and below the targeted options it defers to
            above = {*outranked_by.get(a.regimen.id, ()), *(b.regimen.id for b in deferred.get(a.regimen.id, ()))}
            if not above:
                continue  # nothing listed beat it head to head or is its targeted alternative: it does not move
            winners = [i for i, b in enumerate(ranked) if b.regimen.id in above]
            if winners and max(winners) > index:
                ranked.insert(max(winners), ranked.pop(index))
                moved = True
                break
        if not moved:
            break
    names = {a.regimen.id: a.regimen.name for a in matches}
    return [(a, sorted(names[w] for w in outranked_by.get(a.regimen.id, []) if w in names)) for a in ranked], record


def _comparator(a: IndicationAssessment) -> str | None:
    """The comparator, normalised, of an option's shown overall survival."""
    shown = a.indication.overall_survival
    return None if shown is None else " ".join(shown.comparator.lower().split())


def _same_comparator_hazard_ratio(a: IndicationAssessment) -> tuple[str, float] | None:
    """The comparator (normalised) and hazard ratio of an option's shown overall survival, when both are known."""
    comparator = _comparator(a)
    if comparator is None or a.indication.overall_survival.hazard_ratio is None:  # type: ignore[union-attr]
        return None
    return comparator, a.indication.overall_survival.hazard_ratio  # type: ignore[union-attr]


def _order_ties_by_hazard_ratio(
    ranked: list[IndicationAssessment], tie_key: Callable[[IndicationAssessment], tuple[object, ...]]
) -> list[IndicationAssessment]:
    """Within each run of options tied on every ranking criterion, those whose trials showed longer survival against
    the same comparator are listed together, the lower hazard ratio for death first, when every one of them has its
    hazard ratio recorded (curators record it where those trials enrolled the same population); the others keep
    their order."""
    result: list[IndicationAssessment] = []
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and tie_key(ranked[end]) == tie_key(ranked[start]):
            end += 1
        block = ranked[start:end]
        shown = [_same_comparator_hazard_ratio(a) for a in block]
        first_of: dict[str, int] = {}
        for index, found in enumerate(shown):
            if found is not None:
                first_of.setdefault(found[0], index)
        complete = {c for c in first_of if _hazard_ratio_group_complete(block, c)}

        def place(index: int) -> tuple[int, float, int]:
            found = shown[index]
            if found is None or found[0] not in complete:
                return (index, 0.0, index)
            return (first_of[found[0]], found[1], index)

        result.extend(block[i] for i in sorted(range(len(block)), key=place))
        start = end
    return result


def _hazard_ratio_group_complete(block: Sequence[IndicationAssessment], comparator: str) -> bool:
    """Whether two or more of these tied options showed survival against `comparator` and each has its hazard ratio."""
    with_comparator = [a for a in block if _comparator(a) == comparator]
    return len(with_comparator) >= 2 and all(_same_comparator_hazard_ratio(a) is not None for a in with_comparator)


def _hazard_ratio_reason(upper: IndicationAssessment, lower: IndicationAssessment, block: Sequence[IndicationAssessment]) -> str | None:
    """Why `upper` is above `lower`, tied otherwise (`block`: the options tied with them): a lower hazard ratio for
    death against the same comparator, every such option's hazard ratio being known."""
    u, l = _same_comparator_hazard_ratio(upper), _same_comparator_hazard_ratio(lower)
    if u is None or l is None or u[0] != l[0] or u[1] >= l[1] or not _hazard_ratio_group_complete(block, u[0]):
        return None
    comparator = upper.indication.overall_survival.comparator  # type: ignore[union-attr]
    return (
        f"Same evidence level, regulatory status and overall-survival evidence; against the same comparator "
        f"({comparator}) its trial showed the larger survival gain (hazard ratio for death {u[1]:g} against {l[1]:g}). "
        "The trials differ: an indirect comparison, not a head-to-head result."
    )


_STATUS_WORDS = {
    RegulatoryStatus.FDA_APPROVED: "FDA-approved for this indication",
    RegulatoryStatus.FDA_APPROVED_OTHER_SETTING: "FDA-approved only in another setting",
    RegulatoryStatus.NOT_FDA_APPROVED: "not FDA-approved",
    RegulatoryStatus.INVESTIGATIONAL: "investigational",
}


def _why_above(
    kb: KnowledgeBase,
    upper: IndicationAssessment,
    lower: IndicationAssessment,
    uk: tuple[str, int, int, int, int, int],
    lk: tuple[str, int, int, int, int, int],
    deferred: dict[str, list[IndicationAssessment]],
    tied: Sequence[IndicationAssessment] = (),
) -> str | None:
    """Why `upper` (rank key `uk`) is listed above `lower` (`lk`); None when nothing separates them (a tie).
    `deferred`: per option that defers to targeted therapy, the targeted options listed for the patient's drivers;
    `tied`: the options whose rank key is `uk`."""
    u, l = upper.indication, lower.indication
    if lower.regimen.id in u.outranks and _win_counts(upper, lower):
        trials = ", ".join(kb.evidence_short_name(e) for e in u.outranks_evidence) or "randomised evidence"
        return f"{upper.regimen.name} was superior to {lower.regimen.name} head to head ({trials})."
    if (rule := _deferral(upper, lower, deferred)) is not None:
        sources = ", ".join(kb.evidence_short_name(e) for e in rule.evidence)
        return (
            f"A targeted option for the patient's {_drivers_of(u)}, listed above {lower.regimen.name} whatever their "
            f"evidence levels: {rule.reason} ({sources})."
        )
    if uk > lk and upper.regimen.id in deferred:
        return "Placed here by the targeted-therapy-first rule (below the targeted options listed), not by its own evidence level."
    if uk[0] == lk[0] and _is_tumour_agnostic(upper) < _is_tumour_agnostic(lower):
        return "It is an indication for this tumour type; the next is tumour-agnostic, ranked after tumour-specific options of the same level."
    if uk > lk:
        return "Placed here by head-to-head evidence elsewhere in the list, not by its own evidence level."
    if uk[0] != lk[0]:
        return f"Evidence level {u.evidence_level.value} against level {l.evidence_level.value}."
    if uk[1] != lk[1]:
        return "The profile answers every criterion of this option; the next is shown with caveats."
    if uk[2] != lk[2]:
        words = _STATUS_WORDS[u.regulatory_status]
        return f"{words[0].upper()}{words[1:]}; the next is {_STATUS_WORDS[l.regulatory_status]}."
    if uk[3] != lk[3] and u.overall_survival is not None:
        shown = "longer overall survival than" if u.overall_survival.result == "superior" else "overall survival non-inferior to"
        return (
            f"Same evidence level and regulatory status; randomised evidence showed {shown} "
            f"{u.overall_survival.comparator}, which the next option has not shown."
        )
    if uk[4] != lk[4]:
        if lk[4] == 0:
            return (
                "Same evidence level, regulatory status and overall-survival evidence; it was superior head to head "
                "to another option listed here, the next was not."
            )
        return (
            "Same evidence level, regulatory status and overall-survival evidence; its chain of head-to-head wins "
            "among these options is longer (it beat an option that itself beat another)."
        )
    if uk[5] != lk[5]:
        return (
            f"Same evidence level, regulatory status and overall-survival evidence; it was superior head to head to "
            f"{-uk[5]} of these options, the next to {-lk[5]}."
        )
    if _is_tumour_agnostic(upper) == _is_tumour_agnostic(lower):
        return _hazard_ratio_reason(upper, lower, tied)
    return None


def _deferral(
    upper: IndicationAssessment, lower: IndicationAssessment, deferred: dict[str, list[IndicationAssessment]]
) -> DefersToTargeted | None:
    """The rule that puts `lower` below `upper`, a targeted option for the patient's driver; None if none does."""
    rule = lower.indication.defers_to_targeted
    if rule is not None and any(b is upper for b in deferred.get(lower.regimen.id, ())):
        return rule
    return None


def _drivers_of(indication: Indication) -> str:
    """The driver alterations an indication was made for, as its criteria name them."""
    return " and ".join(" or ".join(group) for group in indication.requires_alterations)


def _ranking_notes(
    kb: KnowledgeBase,
    ranked: list[IndicationAssessment],
    deferred: dict[str, list[IndicationAssessment]],
    continued: IndicationAssessment | None = None,
    record: dict[str, tuple[int, int]] | None = None,
) -> list[RankingNote]:
    """Each option's rank, the options tied with it, and why it sits above the next one (`deferred`: the
    `_targeted_first` map of these very options; `record`: their head-to-head record, when already found)."""
    if record is None:
        record = _head_to_head_record(ranked)
    keys = [_rank_key(a, record) for a in ranked]
    reasons = [
        "It continues the current line, which is responding: shown first."
        if a is continued
        else _why_above(
            kb, a, ranked[index + 1], keys[index], keys[index + 1], deferred,
            [b for b, k in zip(ranked, keys) if k == keys[index] and _is_tumour_agnostic(b) == _is_tumour_agnostic(a)],
        )
        for index, a in enumerate(ranked[:-1])
    ]
    ranks = [1]
    for reason in reasons:
        ranks.append(ranks[-1] if reason is None else len(ranks) + 1)
    sharing: dict[int, list[tuple[int, str]]] = {}  # rank -> the options holding it, by position
    for index, a in enumerate(ranked):
        sharing.setdefault(ranks[index], []).append((index, a.regimen.name))
    notes = []
    for index, a in enumerate(ranked):
        tied = [name for j, name in sharing[ranks[index]] if j != index]
        if index == len(ranked) - 1:
            above = None
        elif reasons[index] is None:
            above = (
                f"Tied with {ranked[index + 1].regimen.name}: same evidence level, completeness, regulatory status and "
                "overall-survival evidence, and no head-to-head result; listed by name, not by preference."
            )
        else:
            above = reasons[index]
        note: dict[str, object] = {"rank": ranks[index], "tied_with": tied, "above_next": above}
        rule = _deferral(a, ranked[index + 1], deferred) if index + 1 < len(ranked) and a is not continued else None
        if rule is not None:
            note["evidence"] = cite_evidence(kb, rule.evidence)
        notes.append(assembled(RankingNote, note))
    return notes


def _withheld(kb: KnowledgeBase, considered: list[_Considered]) -> list[WithheldRegimen]:
    """Regimens held for this situation whose evidence, dose or label is not yet verified: named, never cited."""
    items = []
    for item in considered:
        for assessment, reason, pending in item.withheld:
            items.append(
                WithheldRegimen(
                    id=item.regimen.id,
                    name=item.regimen.name,
                    drugs=item.regimen.drugs,
                    contains_tki=item.regimen.contains_tki,
                    indication_id=assessment.indication.id,
                    indication=assessment.indication.summary,
                    reason=reason,
                    pending_evidence=pending,
                )
            )
    return sorted(items, key=lambda w: (w.name, w.indication_id))


def _exclusion_groups(kb: KnowledgeBase, considered: list[_Considered]) -> list[ExclusionGroup]:
    """One entry per reason, with its citation and the regimens it rules out, instead of one per regimen."""
    groups: dict[tuple[str, str, tuple[str, ...]], tuple[Exclusion, list[Regimen]]] = {}
    for item in considered:
        for exclusion in dict.fromkeys(item.exclusions):
            key = (exclusion.kind, exclusion.detail, exclusion.evidence)
            groups.setdefault(key, (exclusion, []))[1].append(item.regimen)
    return [
        assembled(
            ExclusionGroup,
            {
                "kind": exclusion.kind,
                "reason": exclusion.detail,
                "evidence": cite_evidence(kb, exclusion.evidence),
                "regimens": [_excluded_ref(kb, r) for r in sorted(regimens, key=lambda r: r.name)],
                "alternatives": list(exclusion.alternatives),
            },
        )
        for exclusion, regimens in sorted(groups.values(), key=lambda g: (g[0].kind, g[0].detail))
    ]


def _excluded_ref(kb: KnowledgeBase, regimen: Regimen) -> ExcludedRegimenRef:
    """A regimen as an exclusion group names it: built once per regimen, shared by the answers, which never modify it."""
    key = ("excluded_ref", regimen.id)
    found = kb.memo.get(key)
    if found is None:
        found = kb.memo[key] = ExcludedRegimenRef(id=regimen.id, name=regimen.name)
    return found  # type: ignore[return-value]


def _cited_by_options(kb: KnowledgeBase, options: list[TreatmentOption]) -> list[str]:
    cited: list[str] = []
    for option in options:
        cited += _facts_of(kb, option).cited
        for caution in option.cautions:
            cited += caution.evidence
        cited += option.ranking.evidence or []
    return cited


def _facts_of(kb: KnowledgeBase, option: TreatmentOption) -> _OptionFacts:
    """The facts an option was built from (kept when it was built)."""
    found = kb.memo.get(("option_facts", option.id, option.indication_id))
    if found is None:
        regimen = kb.regimens[option.id]
        found = _option_facts(kb, regimen, next(i for i in regimen.indications if i.id == option.indication_id))
    return found  # type: ignore[return-value]


def _cited_by_exclusions(not_recommended: list[NotRecommended], groups: list[ExclusionGroup]) -> Iterator[str]:
    for item in not_recommended:
        yield from item.evidence
        for reason in item.reasons:
            yield from reason.evidence
    for group in groups:
        yield from group.evidence


def _cited_by_interactions(report: InteractionReport) -> list[str]:
    # a list, not a generator: a long medication list has a pair line per medicine, most citing the same label
    return [
        *(i for warning in report.warnings for i in warning.evidence),
        *(i for cleared in report.cleared for i in cleared.evidence),
        *[pair.source for pair in report.pairs if pair.source is not None],
        *[scope.label for scope in report.scope if scope.label is not None],
    ]


def _assumed_negative(options: list[TreatmentOption]) -> list[str]:
    """A driver the evidence excludes (KEYNOTE-189 enrolled EGFR- and ALK-negative disease) whose result was not given:
    the options for driver-negative disease stay shown with the caveat, and the answer says it rests on that assumption."""
    genes: dict[str, list[str]] = {}
    findings: dict[str, str] = {}  # "EGFR status not reported", or "EGFR result pending" when it was sent unresolved
    for option in options:
        for criterion in option.rationale:
            gene = open_driver_gene(criterion)
            if gene is not None:
                findings.setdefault(gene, criterion.finding)
                names = genes.setdefault(gene, [])
                if option.name not in names:
                    names.append(option.name)
    return [
        f"{findings[gene]}: {', '.join(names)} (evidence in {gene}-negative disease) shown on the assumption that it is not detected"
        for gene, names in genes.items()
    ]


def _missing_data_warnings(options: list[TreatmentOption]) -> list[Warning]:
    """One warning per piece of missing data that left options with caveats."""
    seen: dict[tuple[str, str], int] = {}
    for option in options:
        for criterion in option.rationale:
            if criterion.result == "unknown":
                key = (criterion.criterion, criterion.finding)
                seen[key] = seen.get(key, 0) + 1
    return [
        Warning(
            code="missing_" + criterion.replace(" ", "_").replace("-", "_").lower(),
            message=f"{criterion}: {finding}. {count} option(s) are shown with a caveat until this is known.",
        )
        for (criterion, finding), count in sorted(seen.items())
    ]


def recommend(kb: KnowledgeBase, profile: NormalisedProfile) -> RecommendationResponse:
    considered = (
        [c for r, indications in _concerning(kb, profile) if (c := _consider(kb, profile, r, indications)) is not None]
        if profile.cancer_type
        else []
    )
    ranked, record = _rank_with_record([c.best_match for c in considered if c.best_match is not None])
    continued = continue_current_therapy(kb, profile, _best_indication_key)
    in_order = [a for a, _ in ranked]
    if continued is not None:
        in_order = [continued, *(a for a in in_order if a.regimen.id != continued.regimen.id)]
    # the record of the ranked options holds for their notes unless "continue" changed who is listed
    targeted_first = _targeted_first(in_order)
    notes = {
        id(a): note
        for a, note in zip(in_order, _ranking_notes(kb, in_order, targeted_first, continued, record if continued is None else None))
    }
    options = [
        _option(kb, profile, a, below, notes[id(a)], targeted_first.get(a.regimen.id))
        for a, below in ranked
        if continued is None or a.regimen.id != continued.regimen.id
    ]
    if continued is not None:
        options = [continue_option(_option(kb, profile, continued, [], notes[id(continued)])), *options]
    if continued is not None:
        # the regimen being continued is not also "not recommended" for the line it was first judged against
        considered = [c for c in considered if c.regimen.id != continued.regimen.id]
    not_recommended = sorted((_not_recommended(kb, c) for c in considered if c.exclusions), key=lambda n: n.name)

    report = _interaction_report(kb, profile, options)
    options, withheld = keep_alternatives_only_if_unmanageable(options, report.warnings)
    if withheld:
        # alternatives held back for a responder: their interactions are not this patient's to act on (no alert
        # for a drug not offered), so the pairs are checked again for what is shown
        report = _interaction_report(kb, profile, options)

    if len(options) == 1:
        options[0].ranking = assembled(RankingNote, {"rank": 1, "tied_with": [], "above_next": None})
    shown = {o.id for o in options}
    warnings = list(profile.warnings) + _missing_data_warnings(options) + withheld
    provisional_reasons = list(profile.provisional_reasons)
    missing_results = results_not_given(kb, profile) if profile.cancer_type else []
    if profile.cancer_type:
        provisional_reasons += _assumed_negative(options)
        for test, gap, dependants in missing_results:
            if gap not in provisional_reasons and not any(r in gap for r in provisional_reasons):
                provisional_reasons.append(gap)
            send = (
                f"Send the {test.shown} result (the alteration detected, not detected, or pending)."
                if test.kind == "gene"
                else f"Send the {test.shown} result."
            )
            warnings.append(
                Warning(
                    code="result_not_given",
                    field=test.field,
                    message=f"{gap[0].upper() + gap[1:]}: {'; '.join(dependants)} depend(s) on it and cannot be offered "
                    f"until it is known. {send}",
                )
            )
    unchecked_mutations: dict[str, list[str]] = {}
    for a, _ in ranked:
        if a.regimen.id in shown:
            for u in a.unchecked:
                if u.condition.startswith("mutation:"):
                    unchecked_mutations.setdefault(u.condition.removeprefix("mutation:"), []).append(a.regimen.name)
    for mutation, names in unchecked_mutations.items():
        provisional_reasons.append(f"the effect of {mutation} on {', '.join(names)} is not in our notes")
    warnings += unchecked_patient_context(kb, profile, [a for a, _ in ranked if a.regimen.id in shown] + ([continued] if continued else []))
    coverage = coverage_for(kb, profile)
    if not coverage.covered and (agnostic := _tumour_agnostic_concerning(kb, profile, considered)):
        coverage = _agnostic_coverage(kb, profile, agnostic)
    if not coverage.covered:
        warnings.append(Warning(code="not_covered", field="cancer_type", message=coverage.statement))
    elif not options:
        withheld_count = sum(len(c.withheld) for c in considered)
        pending = (
            f" {withheld_count} regimen(s) for this situation are withheld until their evidence, dose or label is verified."
            if withheld_count
            else ""
        )
        waiting = (
            f" Regimens that depend on a result not given ({', '.join(dict.fromkeys(m.test.shown for m in missing_results))}) "
            "are named in the warnings above and can be offered once it is known."
            if missing_results
            else ""
        )
        warnings.append(
            Warning(
                code="no_options",
                message="No regimen in the knowledge base can be offered for this profile. Check the excluded regimens and "
                "the inputs marked not recognised; the knowledge base may not cover this situation." + waiting + pending,
            )
        )
    exclusion_groups = _exclusion_groups(kb, considered)
    cited = [*_cited_by_options(kb, options), *_cited_by_exclusions(not_recommended, exclusion_groups), *_cited_by_interactions(report)]
    # every part is a model built above or a fact validated at load: assembled without validating them again
    return assembled(
        RecommendationResponse,
        {
            "knowledge_version": knowledge_version(kb),
            "provisional": bool(provisional_reasons),
            "provisional_reasons": provisional_reasons,
            "coverage": coverage,
            "profile": profile.understood,
            "options": options,
            "withheld": _withheld(kb, considered),
            "not_recommended": not_recommended,
            "exclusion_groups": exclusion_groups,
            "interaction_warnings": report.warnings,
            "interactions_cleared": report.cleared,
            "interaction_pairs": report.pairs,
            "interaction_scope": report.scope,
            "warnings": warnings,
            "citations": citations_for(kb, cited),
            "intended_use": INTENDED_USE,
        },
    )


def _tumour_agnostic_concerning(kb: KnowledgeBase, profile: NormalisedProfile, considered: list[_Considered]) -> list[str]:
    """The regimens considered for this patient only through a tumour-agnostic indication."""
    return [
        c.regimen.name
        for c in considered
        if any(i.tumour_agnostic is not None and _concerns_patient(kb, profile, i) for i in c.regimen.indications)
    ]


def _agnostic_coverage(kb: KnowledgeBase, profile: NormalisedProfile, regimens: list[str]) -> Coverage:
    """A type no specific regimen covers is still covered by tumour-agnostic indications for an alteration it has."""
    cancer = kb.cancer_types[profile.cancer_type]
    return Coverage(
        covered=True,
        statement=f"The knowledge base holds no regimen specific to {cancer.name} ({cancer.code}); it holds tumour-agnostic "
        f"regimens for an alteration this patient has ({', '.join(sorted(dict.fromkeys(regimens)))}). Other treatments for "
        "this cancer type are not covered.",
    )


def _interaction_report(kb: KnowledgeBase, profile: NormalisedProfile, options: list[TreatmentOption]) -> InteractionReport:
    """The label interactions of the options' drugs with the patient's medicines (and among them); each option
    refers to its warnings by id."""
    medications = profile.medications
    taken = {m.name: m for m in medications}
    option_drugs = [taken.get(d, DrugRef(name=d, formulation=None, input=d)) for o in options for d in o.drugs]
    # every option drug is checked against every medicine, one answering "not assessed" when it has no label record
    # (a silent pair would read as safe); a medicine is a subject only when its label or class carries rules
    subjects = list({d.name: d for d in [*option_drugs, *interaction_subjects(kb, medications)]}.values())
    unrecognised = [m.input for m in profile.understood.current_medications if m.status != "recognised"]
    report = check_interactions(kb, subjects, medications, unrecognised)
    for option in options:
        option.interactions = [w.id for w in report.warnings if w.drug in option.drugs]
    return report


def continue_option(option: TreatmentOption) -> TreatmentOption:
    """The regimen the patient responds to, shown first as "continue" with its evidence."""
    option.name = f"Continue {option.name}"
    option.continues_current_therapy = True
    option.ranked_below = []
    # the repeat flag ("already given") describes this very line: not a caveat for continuing it
    option.caveats = [c for c in option.caveats if not c.startswith("prior therapy: ")]
    return option


def keep_alternatives_only_if_unmanageable(
    options: list[TreatmentOption], warnings: list[InteractionWarning]
) -> tuple[list[TreatmentOption], list[Warning]]:
    """A responder keeps the regimen that works; switching is listed only when an interaction cannot be managed
    (the label says avoid and gives no management: no replacement of the medicine, no dose change). Otherwise the
    alternatives are withheld, and named, and the interaction is managed as its label says."""
    if not options or not options[0].continues_current_therapy:
        return options, []
    current, alternatives = options[0], options[1:]
    concerning = set(current.interactions)
    avoid = [w for w in warnings if w.id in concerning and w.severity == "avoid" and not w.management.strip()]
    if not alternatives:
        return options, []
    if avoid:
        medicines = ", ".join(sorted({w.interacting_drug for w in avoid}))
        for option in alternatives:
            option.caveats.insert(0, f"an alternative to continuing {current.drugs and ' + '.join(current.drugs)}: only if {medicines} cannot be stopped or replaced")
        return options, []
    names = "; ".join(o.name for o in alternatives)
    return [current], [
        Warning(
            code="responding_on_current_therapy",
            message=f"The current line is ongoing with a response, so continuing it is the option shown; any interaction with "
            f"a new medicine has label guidance to manage it (see the option's interactions). Alternatives not listed: {names}.",
        )
    ]


def recommend_for(kb: KnowledgeBase, request: PatientProfileInput) -> RecommendationResponse:
    """Normalise a profile and recommend: what every front door calls."""
    return recommend(kb, normalise_profile(kb, request))


def check_medication_list(kb: KnowledgeBase, drugs: list[str | MedicationInput]) -> InteractionCheckResponse:
    """The medication-reconciliation check: every drug with label rules against every other drug."""
    understood: list[DrugUnderstood] = []
    refs: list[DrugRef] = []
    warnings: list[Warning] = []
    unrecognised: list[str] = []
    named: set[str] = set()
    for index, item in enumerate(drugs):
        result, ref = normalise_drug(kb, item)
        understood.append(result)
        if ref is None:
            unrecognised.append(result.input)
            warnings.append(
                Warning(
                    code="medication_not_recognised",
                    field=f"drugs[{index}]",
                    message="A drug is not in the drug catalogue: its interactions were not checked.",
                )
            )
        elif ref.name not in named:
            named.add(ref.name)
            refs.append(ref)
    subjects = interaction_subjects(kb, refs)
    # a drug with no label or class rules is a subject only against the others that have none either: a pair that
    # neither side's label covers answers "not assessed" rather than nothing (a silent pair would read as safe)
    unchecked = [r for r in refs if r not in subjects]
    report = check_interactions(kb, subjects, refs, unrecognised)
    if len(unchecked) > 1:
        among = check_interactions(kb, unchecked[:-1], unchecked[1:])
        report = InteractionReport(
            warnings=report.warnings, cleared=report.cleared, pairs=[*report.pairs, *among.pairs], scope=[*report.scope, *among.scope]
        )
    # every part is a model built above or a fact validated at load: assembled without validating them again
    return assembled(
        InteractionCheckResponse,
        {
            "knowledge_version": knowledge_version(kb),
            "drugs": understood,
            "interaction_warnings": report.warnings,
            "interactions_cleared": report.cleared,
            "interaction_pairs": report.pairs,
            "interaction_scope": report.scope,
            "warnings": warnings,
            "citations": citations_for(kb, _cited_by_interactions(report)),
        },
    )
