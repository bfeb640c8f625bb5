"""Response models of the public contract (`/v1`). Optional fields are omitted when empty."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KnowledgeVersion(Contract):
    release: str
    content_hash: str = Field(description="sha256 over the canonical form of every knowledge record served.")
    released: str
    label_region: str


class EvidenceCitation(Contract):
    """A citable source: a title, at least one of pmid / nct_id / doi, and a link."""

    id: str
    title: str
    pmid: str | None = None
    nct_id: str | None = None
    doi: str | None = None
    url: str
    source_url: str = Field(description="The page the curators read to verify this record.")
    accessed: str
    design: str
    n: int | None = None
    low_level: bool = Field(description="True for retrospective series, case reports and preclinical work.")
    key_figures: list[str] = []
    regulatory: str | None = None


class EvidenceRecord(EvidenceCitation):
    population: str = ""
    intervention: str = ""
    comparator: str | None = None
    verified: bool
    notes: str = ""


class LabelCitation(Contract):
    title: str
    url: str | None = None
    set_id: str | None = None
    version: str | None = None
    section: str | None = None


class ExposureChange(Contract):
    parameter: str
    percent: float | None = None
    fold: float | None = None
    perpetrator: str | None = None


Severity = Literal["avoid", "adjust", "monitor"]


class InteractionWarning(Contract):
    drug: str = Field(description="The drug whose label gives the rule (a TKI).")
    interacting_drug: str
    interacting_input: str = Field(description="The medication as the caller wrote it.")
    interacting_class: str | None = Field(default=None, description="The class through which the rule applied, if any.")
    severity: Severity
    effect: str
    exposure_change: ExposureChange | None = None
    management: str
    rule_level: Literal["drug_pair", "drug_class", "class_class"]
    formulation: str | None = None
    notes: list[str] = []
    evidence: list[LabelCitation]


class InteractionCleared(Contract):
    """A pair the label studied and found not clinically meaningful: no action, with the label's words."""

    drug: str
    interacting_drug: str
    interacting_class: str | None = None
    finding: Literal["not_meaningful"]
    effect: str = ""
    evidence: list[LabelCitation] = []


class Criterion(Contract):
    criterion: str
    requirement: str
    finding: str
    result: Literal["met", "not_met", "unknown"]


class EvidenceLevelInfo(Contract):
    code: Literal["1", "2", "3", "4"]
    description: str
    oncokb_equivalent: str
    amp_asco_cap_tier: str
    low_level: bool


class DoseSourceShown(Contract):
    """Where a dose comes from: the trial that gave it, or the prescribing information that states it."""

    evidence: list[EvidenceCitation] = []
    label: LabelCitation | None = None


class Component(Contract):
    drug: str | None = Field(default=None, description="Generic name; absent when the evidence allowed any drug of a class.")
    drug_class: str | None = Field(default=None, description="The class, when any of its drugs may be used.")
    role: str
    dose: str | None = Field(default=None, description="The dose for the matched indication (phase, line, mutation or weight band).")
    dose_source: DoseSourceShown | None = Field(default=None, description="The trial or label the dose was read from, where recorded.")


class OverallSurvivalShown(Contract):
    result: Literal["superior", "non_inferior"] = Field(
        description="Randomised evidence showed longer overall survival than the comparator, or non-inferior "
        "survival to a standard that had shown it. Ranks the option first among options otherwise level."
    )
    comparator: str
    evidence: list[EvidenceCitation]


class RankingNote(Contract):
    rank: int = Field(description="1 for the first option; options whose order is not a preference share a rank.")
    tied_with: list[str] = Field(default=[], description="Options tied with this one: listed by name, not by preference.")
    above_next: str | None = Field(
        default=None,
        description="Why this option is listed above the next one: evidence level, completeness, regulatory status, "
        "overall survival shown (against what), or head-to-head evidence; or that the two are tied.",
    )


class TreatmentOption(Contract):
    id: str
    name: str
    drugs: list[str]
    contains_tki: bool = Field(description="False for standard-of-care options without a tyrosine kinase inhibitor, so a client can filter them.")
    components: list[Component]
    indication_id: str
    indication: str
    evidence_level: Literal["1", "2", "3", "4"]
    evidence_level_detail: EvidenceLevelInfo
    regulatory_status: str
    approval_year: int | None = None
    evidence: list[EvidenceCitation]
    rationale: list[Criterion]
    caveats: list[str] = Field(default=[], description="Criteria the profile did not answer; confirm before use.")
    ranked_below: list[str] = Field(default=[], description="Options that head-to-head evidence ranks above this one.")
    overall_survival: OverallSurvivalShown | None = None
    interactions: list[InteractionWarning] = []
    notes: str | None = None
    ranking: RankingNote


class WithheldRegimen(Contract):
    """A regimen the knowledge holds for this situation but does not offer until what it waits on is verified."""

    id: str
    name: str
    drugs: list[str]
    contains_tki: bool
    indication_id: str
    indication: str
    reason: str = Field(description="What is pending, e.g. 'evidence pending verification: MARIPOSA'. Never a citation.")
    pending_evidence: list[str] = Field(default=[], description="Short names of the evidence records awaiting verification.")


class ExcludedRegimenRef(Contract):
    id: str
    name: str


class ExclusionGroup(Contract):
    """One reason, its targeted citation, and the regimens it rules out for this patient."""

    kind: Literal["resistance", "biomarker", "toxicity", "prior_therapy"]
    reason: str
    evidence: list[EvidenceCitation] = []
    regimens: list[ExcludedRegimenRef]
    alternatives: list[str] = []


class Coverage(Contract):
    covered: bool
    statement: str
    cancer_type: str | None = Field(default=None, description="The OncoTree code the statement is about.")
    line: int | None = Field(default=None, description="The line of therapy the statement is about.")
    regimens_for_type: int = Field(default=0, description="Regimens with an indication for this cancer type (or a type above or below it).")
    regimens_for_line: int = Field(default=0, description="Of those, regimens with an indication for this line.")
    withheld_for_line: int = Field(default=0, description="Of those, regimens withheld until their evidence, dose or label is verified.")


class ExclusionReason(Contract):
    kind: Literal["resistance", "biomarker", "toxicity", "prior_therapy"]
    detail: str
    evidence: list[EvidenceCitation] = []


class NotRecommended(Contract):
    id: str
    name: str
    drugs: list[str]
    reason: str
    reasons: list[ExclusionReason]
    evidence: list[EvidenceCitation]
    alternatives: list[str] = []


class Warning(Contract):
    code: str
    field: str | None = None
    message: str


class RecognisedTerm(Contract):
    input: str
    status: Literal["recognised", "ambiguous", "not_recognised"]
    normalised: str | None = None
    detail: str | None = None


class CancerTypeUnderstood(RecognisedTerm):
    code: str | None = None
    name: str | None = None
    candidates: list[str] = []


class StageUnderstood(RecognisedTerm):
    settings: list[str] = []


class MutationUnderstood(RecognisedTerm):
    gene: str | None = None
    alteration: str | None = None
    result: Literal["detected", "not detected"]
    categories: list[str] = []


class BiomarkerUnderstood(RecognisedTerm):
    name: str | None = None
    value: str | None = None


class DrugUnderstood(RecognisedTerm):
    name: str | None = None
    formulation: str | None = None
    classes: list[str] = []


class PriorTherapyUnderstood(Contract):
    line: int
    drugs: list[DrugUnderstood]
    outcome: str


class ProfileUnderstood(Contract):
    cancer_type: CancerTypeUnderstood
    stage: StageUnderstood | None = None
    mutations: list[MutationUnderstood] = []
    biomarkers: list[BiomarkerUnderstood] = []
    pd_l1: dict[str, float] | None = None
    prior_therapies: list[PriorTherapyUnderstood] | None = None
    line_of_therapy: int
    line_of_therapy_basis: str
    current_medications: list[DrugUnderstood] = []


class RecommendationResponse(Contract):
    knowledge_version: KnowledgeVersion
    profile: ProfileUnderstood
    coverage: Coverage
    options: list[TreatmentOption]
    withheld: list[WithheldRegimen] = Field(default=[], description="Regimens held back until their evidence, dose or label is verified: never options.")
    not_recommended: list[NotRecommended]
    exclusion_groups: list[ExclusionGroup] = Field(default=[], description="The exclusions grouped by reason: one reason, one citation, the regimens it rules out.")
    interaction_warnings: list[InteractionWarning]
    interactions_cleared: list[InteractionCleared] = []
    warnings: list[Warning]
    intended_use: str


class InteractionCheckResponse(Contract):
    knowledge_version: KnowledgeVersion
    drugs: list[DrugUnderstood]
    interaction_warnings: list[InteractionWarning]
    interactions_cleared: list[InteractionCleared] = []
    warnings: list[Warning] = []


class Health(Contract):
    status: Literal["ok"]
    knowledge_version: KnowledgeVersion
