"""Response models of the public contract (`/v1`). Optional fields are omitted when empty."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KnowledgeVersion(Contract):
    release: str
    content_hash: str = Field(description="sha256 over the canonical form of every knowledge record served.")
    released: str
    label_region: str
    oncotree_release: str | None = Field(default=None, description="The OncoTree release whose every node is accepted as a cancer type.")


CITATION_REF = "Keys of the response's `citations`, where each source is given once in full."


class EvidenceCitation(Contract):
    """A citable source: a title, at least one of pmid / nct_id / doi, and a link."""

    kind: Literal["evidence"]
    id: str = Field(description="The evidence record's id: stable across requests and releases.")
    title: str
    pmid: str | None = None
    nct_id: str | None = None
    doi: str | None = None
    dailymed_set_id: str | None = Field(default=None, description="For prescribing information: the DailyMed set ID.")
    label_sections: str | None = Field(default=None, description="For prescribing information: the label sections read.")
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
    """The US prescribing information on DailyMed, by set ID: the label itself, never a copy."""

    kind: Literal["label"]
    id: str = Field(description="Stable: derived from what is cited (label, version, sections), the same in every response.")
    title: str
    url: str | None = Field(default=None, description="The DailyMed page of the label (by set ID).")
    set_id: str | None = None
    version: str | None = None
    section: str | None = None
    read_from: str | None = Field(
        default=None, description="For a dose: the page the curators actually read (provenance, possibly a copy), never presented as the label."
    )


Citation = Annotated[EvidenceCitation | LabelCitation, Field(discriminator="kind")]
CitationIds = Annotated[list[str], Field(description=CITATION_REF)]


class LabelVerification(Contract):
    """How the rule was checked: provenance for the curious, never the label itself."""

    label_wording_read: bool = Field(description="True only when the label's own wording for this rule was read.")
    method: str
    read_from: list[str] = Field(default=[], description="What the curators actually read (provenance, not the label).")
    checked: str
    set_id_verified: Literal["dailymed", "openfda", "copy_of_dailymed", "openfda_copy", "nci_drug_page_link"] | None = Field(
        default=None,
        description="How the DailyMed set ID behind the link was verified: on DailyMed or openFDA themselves, on a "
        "faithful copy of either, or from the DailyMed link on NCI's drug information page. Absent when the label has no verified set ID or the link is a formulation's own label.",
    )
    statement: str = Field(description="What was and was not read, and how the set ID behind the link was verified.")


class ExposureChange(Contract):
    parameter: str
    percent: float | None = None
    fold: float | None = None
    perpetrator: str | None = None


Severity = Literal["contraindicated", "avoid", "adjust_dose", "separate_in_time", "monitor"]
EvidenceKind = Literal["dedicated_pk_study", "label_statement", "pbpk_prediction", "class_extrapolation"]


INTERACTION_REF = (
    "Ids of the response's `interaction_warnings` that concern this option's drugs: each warning is given once, there."
)


class InteractionWarning(Contract):
    id: str = Field(
        description="Stable: `interaction:` and the catalogue names of `drug` and `interacting_drug`, the same in every "
        "answer; options refer to the warning by it."
    )
    drug: str = Field(description="The drug whose label gives the rule (a TKI).")
    interacting_drug: str
    interacting_input: str = Field(description="The medication as the caller wrote it.")
    interacting_class: str | None = Field(default=None, description="The class through which the rule applied, if any.")
    severity: Severity
    mechanism: str = Field(description="The interaction mechanism, e.g. cyp3a4_inhibition or qt_prolongation.")
    evidence_kind: EvidenceKind | None = None
    effect: str
    exposure_change: ExposureChange | None = None
    management: str = Field(description="Starts with the action; lists the label's alternatives.")
    dose_change: str | None = Field(default=None, description="adjust_dose: the label's dose, with its number.")
    separation_hours: list[float] = Field(default=[], description="separate_in_time: the label's hours.")
    rule_level: Literal["drug_pair", "drug_class", "class_class", "duplicate_class"]
    formulation: str | None = None
    label_wording_read: bool
    verification: LabelVerification | None = None
    notes: list[str] = []
    evidence: CitationIds


class InteractionCleared(Contract):
    """A pair the label studied and found not clinically meaningful: no action, with the label's words."""

    drug: str
    interacting_drug: str
    interacting_class: str | None = None
    finding: Literal["not_meaningful"]
    mechanism: str | None = None
    effect: str = ""
    label_wording_read: bool = False
    verification: LabelVerification | None = None
    evidence: CitationIds = []


PairStatus = Literal["warning", "not_meaningful", "no_label_guidance", "not_assessed"]


class InteractionPair(Contract):
    """One (TKI, other medicine) pair and the one thing known about it."""

    drug: str
    interacting_input: str
    interacting_drug: str | None = Field(default=None, description="Absent when the medicine was not recognised.")
    status: PairStatus = Field(
        description="warning: the label (or the duplicate check) warns; not_meaningful: the label found no meaningful "
        "effect; no_label_guidance: the label was read and says nothing for this medicine's mechanisms; "
        "not_assessed: not checked (unrecognised medicine, mechanism not curated, or label wording not read)."
    )
    severity: Severity | None = None
    mechanism: str | None = None
    detail: str
    label_wording_read: bool | None = None
    source: str | None = Field(default=None, description="Key of the response's `citations`: the label the status rests on.")


class InteractionScope(Contract):
    """For one drug with label rules: the mechanisms checked and those not checked."""

    drug: str
    label: str | None = Field(default=None, description="Key of the response's `citations`: the drug's label.")
    label_wording_read: bool
    mechanisms_checked: list[str]
    mechanisms_not_checked: list[str]


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

    evidence: CitationIds = []
    label: str | None = Field(
        default=None, description="Key of the response's `citations`: the label stating the dose, with the page the curators read it from."
    )


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
    evidence: CitationIds


class OptionCaution(Contract):
    """A reason to think twice that its source does not make an exclusion (a trial population, a label warning)."""

    detail: str
    evidence: CitationIds = []


class RankingNote(Contract):
    rank: int = Field(description="1 for the first option; options whose order is not a preference share a rank.")
    tied_with: list[str] = Field(default=[], description="Options tied with this one: listed by name, not by preference.")
    above_next: str | None = Field(
        default=None,
        description="Why this option is listed above the next one: evidence level, completeness, regulatory status, "
        "overall survival shown (against what), head-to-head evidence, or that it is a targeted option for the patient's "
        "driver and the next is not; or that the two are tied.",
    )
    evidence: CitationIds | None = Field(
        default=None,
        description="The sources of `above_next` when it rests on a rule of its own (a targeted option for the patient's driver "
        "listed above immunotherapy), as ids into the answer's `citations`; omitted otherwise.",
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
    evidence: CitationIds
    rationale: list[Criterion]
    caveats: list[str] = Field(default=[], description="Criteria the profile did not answer; confirm before use.")
    ranked_below: list[str] = Field(default=[], description="Options that head-to-head evidence ranks above this one.")
    continues_current_therapy: bool | None = Field(
        default=None, description="True for the regimen the patient is on and responding to: continue it (omitted otherwise)."
    )
    overall_survival: OverallSurvivalShown | None = None
    interactions: list[str] = Field(default=[], description=INTERACTION_REF)
    cautions: list[OptionCaution] = Field(default=[], description="Cautions from trial exclusions or label warnings, with their evidence; shown first among the caveats.")
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

    kind: Literal["resistance", "biomarker", "toxicity", "prior_therapy", "histology", "contraindication", "withdrawn", "blood_count"]
    reason: str
    evidence: CitationIds = []
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
    kind: Literal["resistance", "biomarker", "toxicity", "prior_therapy", "histology", "contraindication", "withdrawn", "blood_count"]
    detail: str
    evidence: CitationIds = []


class NotRecommended(Contract):
    id: str
    name: str
    drugs: list[str]
    reason: str
    reasons: list[ExclusionReason]
    evidence: CitationIds
    alternatives: list[str] = []


class Warning(Contract):
    code: str
    field: str | None = None
    message: str


ResultStatus = Literal["detected", "not detected", "pending", "equivocal", "uncertain significance", "not tested"]


class RecognisedTerm(Contract):
    input: str
    status: Literal["recognised", "ambiguous", "not_recognised"]
    normalised: str | None = None
    read_as: str | None = Field(default=None, description="How the service read the entry, in words.")
    detail: str | None = None


class Suggestion(Contract):
    code: str
    name: str


class CancerTypeUnderstood(RecognisedTerm):
    code: str | None = None
    name: str | None = None
    candidates: list[str] = []
    covered: bool = Field(default=False, description="True when the knowledge base holds regimens or rules for this type.")
    suggestions: list[Suggestion] = Field(default=[], description="Closest known types for an entry that was not resolved: never applied.")


class StageUnderstood(RecognisedTerm):
    settings: list[str] = []


class AllelicContext(Contract):
    relation: Literal["cis", "trans"]
    variant: str = Field(description="The other variant, as read.")


class MutationUnderstood(RecognisedTerm):
    gene: str | None = None
    gene_inferred: bool = Field(default=False, description="The gene was not written; it is the only gene the knowledge has for this variant in this cancer type.")
    alteration: str | None = None
    result: ResultStatus
    variant: str | None = Field(default=None, description="The variant in HGVS protein notation (one-letter), where one was given.")
    transcript: str | None = None
    exon: int | None = None
    copy_number: float | None = None
    ratio: float | None = None
    fusion_partner: str | None = None
    allelic_context: list[AllelicContext] = []
    categories: list[str] = []
    candidates: list[str] = Field(default=[], description="Genes the variant could belong to, when it was written without one.")


class BiomarkerUnderstood(RecognisedTerm):
    name: str | None = None
    value: str | None = None
    result: ResultStatus | None = None


class DrugUnderstood(RecognisedTerm):
    name: str | None = None
    formulation: str | None = None
    classes: list[str] = []


class OutcomeUnderstood(RecognisedTerm):
    outcome: Literal["progression", "intolerance", "response", "stable disease", "unknown"]


class PriorTherapyUnderstood(Contract):
    line: int
    drugs: list[DrugUnderstood]
    outcome: str
    outcome_reading: OutcomeUnderstood | None = None
    ongoing: bool = False
    weeks_since_last_dose: float | None = Field(default=None, description="Weeks from the line's last dose, as sent.")


class ConditionUnderstood(RecognisedTerm):
    condition: str | None = None
    groups: list[str] = []
    current: bool | None = Field(default=None, description="False for a condition in the past (history of, resolved).")
    value: str | None = Field(default=None, description="A class or measurement stated with it (Child-Pugh B, CrCl 25 mL/min).")


class BloodCountsUnderstood(Contract):
    platelets_10e9_l: float | None = Field(default=None, description="Platelet count as read, x10^9/L.")
    haemoglobin_g_dl: float | None = Field(default=None, description="Haemoglobin as read, g/dL.")
    transfusion_dependent: Literal["yes", "no", "unknown"] | None = None
    readings: list[RecognisedTerm] = Field(default=[], description="Each value as sent, with how it was read or why it was not.")


class PatientContextUnderstood(Contract):
    ecog: int | None = None
    ecog_reading: RecognisedTerm | None = None
    conditions: list[ConditionUnderstood] = []
    brain_metastases: Literal["none", "present", "treated", "active"] | None = None
    child_pugh: str | None = None
    creatinine_clearance_ml_min: float | None = None
    qtc_ms: float | None = None
    measurements_read_as: list[str] | None = Field(
        default=None, description="Measurements read as a condition, with the bound used (QTc 450 ms or more: QTc prolongation)."
    )
    blood_counts: BloodCountsUnderstood | None = None
    read_from_stage: list[str] = Field(default=[], description="Details read from the stage text.")


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
    patient: PatientContextUnderstood | None = None


class RecommendationResponse(Contract):
    knowledge_version: KnowledgeVersion
    provisional: bool = Field(description="True while an entry that could change the answer is not recognised, pending or contradictory.")
    provisional_reasons: list[str] = []
    coverage: Coverage
    profile: ProfileUnderstood
    options: list[TreatmentOption]
    withheld: list[WithheldRegimen] = Field(default=[], description="Regimens held back until their evidence, dose or label is verified: never options.")
    not_recommended: list[NotRecommended]
    exclusion_groups: list[ExclusionGroup] = Field(default=[], description="The exclusions grouped by reason: one reason, one citation, the regimens it rules out.")
    interaction_warnings: list[InteractionWarning]
    interactions_cleared: list[InteractionCleared] = []
    interaction_pairs: list[InteractionPair] = Field(default=[], description="Every (TKI, medicine) pair with its one status.")
    interaction_scope: list[InteractionScope] = Field(default=[], description="Mechanisms checked and not checked, per TKI.")
    warnings: list[Warning]
    citations: dict[str, Citation] = Field(description="Every source cited anywhere in the answer, once, by its id: items carry only the ids.")
    intended_use: str


class InteractionCheckResponse(Contract):
    knowledge_version: KnowledgeVersion
    drugs: list[DrugUnderstood]
    interaction_warnings: list[InteractionWarning]
    interactions_cleared: list[InteractionCleared] = []
    interaction_pairs: list[InteractionPair] = Field(default=[], description="Every (TKI, medicine) pair with its one status.")
    interaction_scope: list[InteractionScope] = Field(default=[], description="Mechanisms checked and not checked, per TKI.")
    warnings: list[Warning] = []
    citations: dict[str, Citation] = Field(description="Every label cited anywhere in the answer, once, by its id: items carry only the ids.")


class Health(Contract):
    status: Literal["ok"]
    knowledge_version: KnowledgeVersion
