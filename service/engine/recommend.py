"""The recommendation engine: a normalised profile in, ranked options, exclusions and warnings out."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.requests import MedicationInput, PatientProfileInput
from schemas.responses import (
    Component,
    Coverage,
    DrugUnderstood,
    ExclusionReason,
    InteractionCheckResponse,
    KnowledgeVersion,
    NotRecommended,
    OverallSurvivalShown,
    RecommendationResponse,
    TreatmentOption,
    Warning,
)
from service.engine.evidence import EVIDENCE_LEVELS, to_citation
from service.engine.interactions import check_interactions, interaction_subjects
from service.engine.matching import (
    Exclusion,
    IndicationAssessment,
    assess_indication,
    cancer_type_relation,
    prior_failure_exclusions,
    repeat_caveats,
    resistance_exclusions,
    toxicity_exclusions,
)
from service.engine.normalise import DrugRef, NormalisedProfile, normalise_drug, normalise_profile
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Indication, Regimen, RegulatoryStatus

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
    release = kb.source.release
    return KnowledgeVersion(
        release=release.version,
        content_hash=kb.content_hash,
        released=release.released.isoformat(),
        label_region=release.label_region,
        oncotree_release=kb.source.cancer_types.oncotree_release,
    )


def _best_indication_key(a: IndicationAssessment) -> tuple[int, str, int, str]:
    """Within one regimen, the indication the profile answers fully beats a better-evidenced one with caveats."""
    return (
        1 if a.unknowns else 0,
        a.indication.evidence_level.value,
        _REGULATORY_ORDER[a.indication.regulatory_status],
        a.regimen.name,
    )


@dataclass
class _Considered:
    regimen: Regimen
    best_match: IndicationAssessment | None
    exclusions: list[Exclusion]


def _concerns_patient(kb: KnowledgeBase, profile: NormalisedProfile, indication: Indication) -> bool:
    """An indication for the patient's cancer type whose required alterations the patient has, whatever
    the line or setting: the regimens a clinician would weigh, and so the ones an exclusion must explain."""
    if cancer_type_relation(kb, profile.cancer_type, indication.cancer_types) == "other":
        return False
    return all(profile.alterations_matching(group) for group in indication.requires_alterations)


def _consider(kb: KnowledgeBase, profile: NormalisedProfile, regimen: Regimen) -> _Considered | None:
    """Assess one regimen; None when none of its indications concerns this patient."""
    if not any(_concerns_patient(kb, profile, i) for i in regimen.indications):
        return None
    assessments = [assess_indication(kb, profile, regimen, indication) for indication in regimen.indications]
    matched = sorted((a for a in assessments if a.applicable and not a.exclusions), key=_best_indication_key)
    excluded = sorted((a for a in assessments if a.applicable and a.exclusions), key=_best_indication_key)
    best = matched[0] if matched else None
    regimen_level = [
        *resistance_exclusions(kb, profile, regimen),
        *toxicity_exclusions(kb, profile, regimen),
        *prior_failure_exclusions(profile, regimen, best.indication if best else None),
    ]
    if regimen_level:
        return _Considered(regimen, None, regimen_level)
    if best is not None:
        return _Considered(regimen, best, [])
    if excluded:
        return _Considered(regimen, None, excluded[0].exclusions)
    return _Considered(regimen, None, [])


def _citations(kb: KnowledgeBase, ids: tuple[str, ...] | list[str]):
    return [to_citation(e) for e in kb.citable_evidence(list(dict.fromkeys(ids)))]


def _not_recommended(kb: KnowledgeBase, item: _Considered) -> NotRecommended:
    reasons = [ExclusionReason(kind=e.kind, detail=e.detail, evidence=_citations(kb, e.evidence)) for e in item.exclusions]
    evidence_ids = [i for e in item.exclusions for i in e.evidence]
    alternatives = list(dict.fromkeys(a for e in item.exclusions for a in e.alternatives))
    return NotRecommended(
        id=item.regimen.id,
        name=item.regimen.name,
        drugs=item.regimen.drugs,
        reason="; ".join(dict.fromkeys(e.detail for e in item.exclusions)),
        reasons=reasons,
        evidence=_citations(kb, evidence_ids),
        alternatives=alternatives,
    )


def _option(kb: KnowledgeBase, profile: NormalisedProfile, a: IndicationAssessment, ranked_below: list[str]) -> TreatmentOption:
    indication = a.indication
    return TreatmentOption(
        id=a.regimen.id,
        name=a.regimen.name,
        drugs=a.regimen.drugs,
        components=[Component(drug=c.drug, drug_class=c.drug_class, role=c.role, dose=c.dose) for c in a.regimen.components],
        indication_id=indication.id,
        indication=indication.summary,
        evidence_level=indication.evidence_level.value,
        evidence_level_detail=EVIDENCE_LEVELS[indication.evidence_level],
        regulatory_status=indication.regulatory_status.value,
        approval_year=indication.approval_year,
        evidence=_citations(kb, indication.evidence),
        rationale=a.criteria,
        caveats=[f"{c.criterion}: {c.finding} (requires {c.requirement})" for c in a.unknowns] + repeat_caveats(profile, a.regimen),
        ranked_below=ranked_below,
        overall_survival=_overall_survival(kb, indication),
        notes=indication.notes or None,
    )


def _overall_survival(kb: KnowledgeBase, indication: Indication) -> OverallSurvivalShown | None:
    shown = indication.overall_survival
    if shown is None:
        return None
    return OverallSurvivalShown(result=shown.result, comparator=shown.comparator, evidence=_citations(kb, shown.evidence))


def _rank(matches: list[IndicationAssessment]) -> list[tuple[IndicationAssessment, list[str]]]:
    """Order by evidence level, completeness, regulatory status and shown overall survival; then head-to-head
    evidence moves each option below every option shown superior to it in a randomised comparison."""
    outranked_by: dict[str, list[str]] = {}
    for a in matches:
        for loser in a.indication.outranks:
            outranked_by.setdefault(loser, []).append(a.regimen.id)
    ranked = sorted(
        matches,
        key=lambda a: (
            a.indication.evidence_level.value,
            1 if a.unknowns else 0,
            _REGULATORY_ORDER[a.indication.regulatory_status],
            0 if a.indication.overall_survival is not None else 1,
            a.regimen.name,
            a.regimen.id,
        ),
    )
    for _ in range(len(ranked) ** 2):  # bounded: the outranks graph is acyclic, so this settles
        moved = False
        for index, a in enumerate(ranked):
            winners = [i for i, b in enumerate(ranked) if b.regimen.id in outranked_by.get(a.regimen.id, [])]
            if winners and max(winners) > index:
                ranked.insert(max(winners), ranked.pop(index))
                moved = True
                break
        if not moved:
            break
    names = {a.regimen.id: a.regimen.name for a in matches}
    return [(a, sorted(names[w] for w in outranked_by.get(a.regimen.id, []) if w in names)) for a in ranked]


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
        [c for r in kb.regimens.values() if (c := _consider(kb, profile, r)) is not None] if profile.cancer_type else []
    )
    ranked = _rank([c.best_match for c in considered if c.best_match is not None])
    options = [_option(kb, profile, a, below) for a, below in ranked]
    not_recommended = sorted((_not_recommended(kb, c) for c in considered if c.exclusions), key=lambda n: n.name)

    medications = profile.medications
    taken = {m.name: m for m in medications}
    option_drugs = [taken.get(d, DrugRef(name=d, formulation=None, input=d)) for o in options for d in o.drugs]
    subjects = list({d.name: d for d in interaction_subjects(kb, [*option_drugs, *medications])}.values())
    unrecognised = [m.input for m in profile.understood.current_medications if m.status != "recognised"]
    report = check_interactions(kb, subjects, medications, unrecognised)
    for option in options:
        option.interactions = [w for w in report.warnings if w.drug in option.drugs]

    warnings = list(profile.warnings) + _missing_data_warnings(options)
    coverage = _coverage(kb, profile)
    if not profile.covered:
        warnings.append(Warning(code="not_covered", field="cancer_type", message=coverage.statement))
    elif not options:
        warnings.append(
            Warning(
                code="no_options",
                message="No regimen in the knowledge base matches this profile. Check the excluded regimens and the "
                "inputs marked not recognised; the knowledge base may not cover this situation.",
            )
        )
    return RecommendationResponse(
        knowledge_version=knowledge_version(kb),
        provisional=bool(profile.provisional_reasons),
        provisional_reasons=profile.provisional_reasons,
        coverage=coverage,
        profile=profile.understood,
        options=options,
        not_recommended=not_recommended,
        interaction_warnings=report.warnings,
        interactions_cleared=report.cleared,
        interaction_pairs=report.pairs,
        interaction_scope=report.scope,
        warnings=warnings,
        intended_use=INTENDED_USE,
    )


def _coverage(kb: KnowledgeBase, profile: NormalisedProfile) -> Coverage:
    """Tell "nothing matched" from "not covered": whether any regimen or rule concerns this cancer type."""
    if not profile.cancer_type:
        return Coverage(covered=False, statement="The cancer type was not recognised, so no regimen could be matched.")
    cancer = kb.cancer_types[profile.cancer_type]
    if not profile.covered:
        return Coverage(
            covered=False,
            statement=f"The knowledge base does not cover {cancer.name} ({cancer.code}): it holds no regimen or rule for "
            "this cancer type, so no option is offered. This is not a finding about the patient.",
        )
    return Coverage(covered=True, statement=f"The knowledge base holds regimens or rules for {cancer.name} ({cancer.code}).")


def recommend_for(kb: KnowledgeBase, request: PatientProfileInput) -> RecommendationResponse:
    """Normalise a profile and recommend: what every front door calls."""
    return recommend(kb, normalise_profile(kb, request))


def check_medication_list(kb: KnowledgeBase, drugs: list[str | MedicationInput]) -> InteractionCheckResponse:
    """The medication-reconciliation check: every drug with label rules against every other drug."""
    understood: list[DrugUnderstood] = []
    refs: list[DrugRef] = []
    warnings: list[Warning] = []
    unrecognised: list[str] = []
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
        elif ref.name not in {r.name for r in refs}:
            refs.append(ref)
    report = check_interactions(kb, interaction_subjects(kb, refs), refs, unrecognised)
    return InteractionCheckResponse(
        knowledge_version=knowledge_version(kb),
        drugs=understood,
        interaction_warnings=report.warnings,
        interactions_cleared=report.cleared,
        interaction_pairs=report.pairs,
        interaction_scope=report.scope,
        warnings=warnings,
    )
