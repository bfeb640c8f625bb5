"""Schemas of the curated knowledge records, as written in `knowledge/*.yaml`.

One model per record kind. The same models validate the YAML at build time and re-hydrate the
rows read back from the knowledge store, so the files and the store cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
import re
from datetime import date
from functools import cached_property
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PMID_PATTERN = re.compile(r"^[1-9][0-9]{0,8}$")
NCT_PATTERN = re.compile(r"^NCT[0-9]{8}$")
DOI_PATTERN = re.compile(r"^10\.[0-9]{4,9}/\S+$")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceLevel(StrEnum):
    """The evidence scale documented in knowledge/README.md."""

    LEVEL_1 = "1"
    LEVEL_2 = "2"
    LEVEL_3 = "3"
    LEVEL_4 = "4"


LOW_EVIDENCE_LEVELS = frozenset({EvidenceLevel.LEVEL_4})


class RegulatoryStatus(StrEnum):
    FDA_APPROVED = "fda_approved"
    FDA_APPROVED_OTHER_SETTING = "fda_approved_other_setting"
    NOT_FDA_APPROVED = "not_fda_approved"
    INVESTIGATIONAL = "investigational"


class Setting(StrEnum):
    """Disease setting, the normalised form of `stage`."""

    EARLY = "early"
    LOCALLY_ADVANCED = "locally_advanced"
    ADVANCED = "advanced"
    METASTATIC = "metastatic"
    RECURRENT = "recurrent"
    CHRONIC_PHASE = "chronic_phase"
    ACCELERATED_PHASE = "accelerated_phase"
    BLAST_PHASE = "blast_phase"
    NEWLY_DIAGNOSED = "newly_diagnosed"
    RELAPSED = "relapsed"
    REFRACTORY = "refractory"


class Severity(StrEnum):
    """One graded scale (knowledge/README.md maps it to Lexicomp's and Micromedex's)."""

    CONTRAINDICATED = "contraindicated"
    AVOID = "avoid"
    ADJUST_DOSE = "adjust_dose"
    SEPARATE_IN_TIME = "separate_in_time"
    MONITOR = "monitor"
    NOT_MEANINGFUL = "not_meaningful"
    NO_LABEL_GUIDANCE = "no_label_guidance"


WARNING_SEVERITIES = (
    Severity.CONTRAINDICATED,
    Severity.AVOID,
    Severity.ADJUST_DOSE,
    Severity.SEPARATE_IN_TIME,
    Severity.MONITOR,
)


class EvidenceKind(StrEnum):
    """What a rule rests on."""

    DEDICATED_PK_STUDY = "dedicated_pk_study"
    LABEL_STATEMENT = "label_statement"
    PBPK_PREDICTION = "pbpk_prediction"
    CLASS_EXTRAPOLATION = "class_extrapolation"


class Mechanism(StrEnum):
    """The interaction mechanisms the service can check; a label record says which it addresses."""

    GASTRIC_ACID_REDUCTION = "gastric_acid_reduction"
    CYP3A4_INDUCTION = "cyp3a4_induction"
    CYP3A4_INHIBITION = "cyp3a4_inhibition"
    PGP_INDUCTION = "pgp_induction"
    PGP_INHIBITION = "pgp_inhibition"
    CYP2C8_INHIBITION = "cyp2c8_inhibition"
    CYP1A2_INDUCTION = "cyp1a2_induction"
    CYP1A2_INHIBITION = "cyp1a2_inhibition"
    TKI_INHIBITS_CYP3A4_SUBSTRATE = "tki_inhibits_cyp3a4_substrate"
    TKI_INDUCES_CYP3A4_SUBSTRATE = "tki_induces_cyp3a4_substrate"
    TKI_INHIBITS_PGP_SUBSTRATE = "tki_inhibits_pgp_substrate"
    TKI_INHIBITS_BCRP_SUBSTRATE = "tki_inhibits_bcrp_substrate"
    TKI_INHIBITS_UGT1A1_SUBSTRATE = "tki_inhibits_ugt1a1_substrate"
    TKI_INHIBITS_CYP2C8_SUBSTRATE = "tki_inhibits_cyp2c8_substrate"
    TKI_INHIBITS_CYP2C9_SUBSTRATE = "tki_inhibits_cyp2c9_substrate"
    TKI_INHIBITS_CYP2D6_SUBSTRATE = "tki_inhibits_cyp2d6_substrate"
    TKI_INHIBITS_CYP1A2_SUBSTRATE = "tki_inhibits_cyp1a2_substrate"
    TKI_INHIBITS_OATP1B_SUBSTRATE = "tki_inhibits_oatp1b_substrate"
    TKI_INHIBITS_MATE_OCT2_SUBSTRATE = "tki_inhibits_mate_oct2_substrate"
    ANTICOAGULANT_EFFECT = "anticoagulant_effect"
    QT_PROLONGATION = "qt_prolongation"
    DUPLICATE_TKI = "duplicate_tki"


MECHANISM_NAMES = {
    Mechanism.GASTRIC_ACID_REDUCTION: "gastric acid reducers lowering TKI absorption",
    Mechanism.CYP3A4_INDUCTION: "CYP3A4 inducers lowering TKI exposure",
    Mechanism.CYP3A4_INHIBITION: "CYP3A4 inhibitors (grapefruit included) raising TKI exposure",
    Mechanism.PGP_INDUCTION: "P-gp inducers lowering TKI exposure",
    Mechanism.PGP_INHIBITION: "P-gp inhibitors raising TKI exposure",
    Mechanism.CYP2C8_INHIBITION: "CYP2C8 inhibitors raising TKI exposure",
    Mechanism.CYP1A2_INDUCTION: "CYP1A2 inducers (smoking included) lowering TKI exposure",
    Mechanism.CYP1A2_INHIBITION: "CYP1A2 inhibitors raising TKI exposure",
    Mechanism.TKI_INHIBITS_CYP3A4_SUBSTRATE: "the TKI raising CYP3A4 substrates",
    Mechanism.TKI_INDUCES_CYP3A4_SUBSTRATE: "the TKI lowering CYP3A4 substrates",
    Mechanism.TKI_INHIBITS_PGP_SUBSTRATE: "the TKI raising P-gp substrates",
    Mechanism.TKI_INHIBITS_BCRP_SUBSTRATE: "the TKI raising BCRP substrates",
    Mechanism.TKI_INHIBITS_UGT1A1_SUBSTRATE: "the TKI raising UGT1A1 substrates",
    Mechanism.TKI_INHIBITS_CYP2C8_SUBSTRATE: "the TKI raising CYP2C8 substrates",
    Mechanism.TKI_INHIBITS_CYP2C9_SUBSTRATE: "the TKI raising CYP2C9 substrates",
    Mechanism.TKI_INHIBITS_CYP2D6_SUBSTRATE: "the TKI raising CYP2D6 substrates",
    Mechanism.TKI_INHIBITS_CYP1A2_SUBSTRATE: "the TKI raising CYP1A2 substrates",
    Mechanism.TKI_INHIBITS_OATP1B_SUBSTRATE: "the TKI raising OATP1B1/1B3 substrates",
    Mechanism.TKI_INHIBITS_MATE_OCT2_SUBSTRATE: "the TKI raising MATE1/MATE2-K or OCT2 substrates (metformin)",
    Mechanism.ANTICOAGULANT_EFFECT: "raised INR or bleeding with anticoagulants",
    Mechanism.QT_PROLONGATION: "additive QT prolongation",
    Mechanism.DUPLICATE_TKI: "two TKIs of the same class at once",
}

# The classes every oral TKI's label record must address (issue 4's coverage rule).
REQUIRED_INTERACTION_CLASSES = (
    "proton_pump_inhibitor",
    "h2_blocker",
    "antacid",
    "strong_cyp3a4_inducer",
    "moderate_cyp3a4_inducer",
    "strong_cyp3a4_inhibitor",
    "moderate_cyp3a4_inhibitor",
)

# --- vocabularies -------------------------------------------------------------------------


class CancerType(Record):
    code: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9_/-]*$")]
    name: NonEmpty
    parent: str | None = None
    category: Literal["solid", "haematological", "tissue"]
    main_type: str | None = None
    level: int | None = None
    # codes this node had in earlier OncoTree releases, still accepted as input
    previous_codes: list[str] = []
    synonyms: list[str] = []
    # the alteration that defines this type (Ph+ B-ALL: BCR::ABL1 fusion); a qualifier naming it selects the type
    defined_by: str | None = None


class AmbiguousCancerTerm(Record):
    term: NonEmpty
    candidates: list[str] = Field(min_length=2)
    ancestor: str


class CancerAbbreviation(Record):
    """A clinical abbreviation that is also another type's OncoTree code ("pNET": pancreatic NET, PNET):
    read as `code` unless written exactly as the other code, and the reading says so."""

    term: NonEmpty
    code: NonEmpty
    code_written_as: NonEmpty  # the exact spelling that stays the other type's OncoTree code
    how: NonEmpty  # shown in read_as


class CancerQualifier(Record):
    """Words after a cancer type that state a biomarker ("HER2-positive") or an alteration ("Ph+")."""

    terms: list[NonEmpty] = Field(min_length=1)
    alteration: str | None = None
    biomarker: str | None = None
    status: str | None = None

    @model_validator(mode="after")
    def _names_one_finding(self) -> CancerQualifier:
        if (self.alteration is None) == (self.biomarker is None) or (self.biomarker is not None and self.status is None):
            raise ValueError("a qualifier names either an alteration, or a biomarker with its status")
        return self


class CancerTypeFile(Record):
    """The whole OncoTree release, with the curated synonyms, qualifiers and ambiguous terms laid over it."""

    source_url: NonEmpty
    accessed: date
    oncotree_release: str | None = None
    cancer_types: list[CancerType]
    ambiguous_terms: list[AmbiguousCancerTerm] = []
    abbreviations: list[CancerAbbreviation] = []
    qualifiers: list[CancerQualifier] = []


class CancerTypeOverlay(Record):
    """`cancer_types.yaml`: what the curators add to the OncoTree release they name."""

    oncotree_release: NonEmpty
    oncotree_file: NonEmpty
    source_url: NonEmpty
    accessed: date
    synonyms: dict[str, list[str]] = {}
    defined_by: dict[str, str] = {}
    ambiguous_terms: list[AmbiguousCancerTerm] = []
    abbreviations: list[CancerAbbreviation] = []
    qualifiers: list[CancerQualifier] = []


class DrugClass(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: NonEmpty
    # the interaction mechanism a label rule written for this class checks
    mechanism: Mechanism | None = None
    # two drugs of this class at once are flagged as duplicate therapy (target classes of TKIs)
    duplicate_therapy: bool = False
    source_url: str | None = None
    accessed: date | None = None
    notes: str = ""


class Formulation(Record):
    id: Slug
    name: NonEmpty
    names: list[str] = []  # identify the drug and this formulation on their own (a brand, a salt)
    keywords: list[str] = []  # identify this formulation once the drug is known ("capsules")


RxCUI = Annotated[str, Field(pattern=r"^[0-9]{1,9}$")]


class RxNormConcept(Record):
    """One RxNorm concept that names a catalogue drug: its ingredient (IN), a salt (PIN), a brand (BN), or a
    single-ingredient clinical or branded drug (SCD, SBD) whose RxNorm name reads as the drug."""

    rxcui: RxCUI
    tty: Literal["IN", "PIN", "BN", "SCD", "SBD"]
    name: NonEmpty
    source_url: str | None = None  # the RxNorm source read; filled from rxnorm.yaml's sources when merged


INGREDIENT_TTYS = frozenset({"IN", "PIN"})


class Drug(Record):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9 '\-]*$")]
    brands: list[str] = []
    salts: list[str] = []
    synonyms: list[str] = []
    classes: list[str] = []
    targets: list[str] = []
    route: Literal["oral", "intravenous", "subcutaneous", "oral or intravenous", "other"] = "oral"
    # RxNorm concepts naming this drug, merged from rxnorm.yaml (each with the source it was read in)
    rxnorm: list[RxNormConcept] = []
    formulations: list[Formulation] = []
    # Which formulation gets the cautious answer when the caller does not name one.
    default_formulation: str | None = None

    @property
    def ingredient_rxcuis(self) -> list[str]:
        """The RxCUIs of the ingredient and its salts (IN, PIN), without brands and products."""
        return [c.rxcui for c in self.rxnorm if c.tty in INGREDIENT_TTYS]

    @property
    def product_rxcuis(self) -> list[str]:
        """The RxCUIs of its brands and single-ingredient products (BN, SCD, SBD)."""
        return [c.rxcui for c in self.rxnorm if c.tty not in INGREDIENT_TTYS]

    @model_validator(mode="after")
    def _default_formulation_exists(self) -> Drug:
        ids = {f.id for f in self.formulations}
        if self.default_formulation is not None and self.default_formulation not in ids:
            raise ValueError(f"default_formulation {self.default_formulation!r} is not one of {sorted(ids)}")
        return self


class NamedCombination(Record):
    """A regimen acronym (FOLFOX) and the drugs it always stands for, so prior therapy written that way counts."""

    name: NonEmpty
    synonyms: list[str] = []
    drugs: list[str] = Field(min_length=2)


class RxNormSource(Record):
    id: Slug
    title: NonEmpty  # which RxNorm release, and through which copy it was read
    url: NonEmpty
    accessed: date


class RxNormDrug(Record):
    drug: NonEmpty
    source: Slug
    concepts: list[RxNormConcept] = Field(min_length=1)


class RxNormFile(Record):
    """knowledge/rxnorm.yaml: the RxNorm codes the catalogue accepts, per drug, each from a named source."""

    sources: list[RxNormSource] = []
    drugs: list[RxNormDrug] = []


class DrugFile(Record):
    classes: list[DrugClass]
    drugs: list[Drug]
    combinations: list[NamedCombination] = []


class MutationScope(Record):
    """Acquired mutations of a gene (those in `category`) whose effect on every drug of `drug_classes` a resistance rule
    must state, in `cancer_types`: a drug no rule names for a detected one (as defeated, or as the alternative) is shown
    "not checked for" that mutation, never as checked and fine."""

    category: NonEmpty
    drug_classes: list[str] = Field(min_length=1)
    cancer_types: list[str] = Field(min_length=1)


class Gene(Record):
    symbol: NonEmpty
    aliases: list[str] = []
    # alterations whose tested-negative result means the gene's driver is absent (e.g. "ALK fusion")
    driver_alterations: list[str] = []
    # where set, the cancer types (with subtypes) in which this gene's alterations are expected; a finding
    # elsewhere (BCR::ABL1 in GIST) is reported as a likely mix-up, not silently used
    expected_in: list[str] = []
    # OncoTree codes (with subtypes) where this gene's result decides options (FLT3 in AML): an answer without any
    # result for it is provisional and names the options that depend on it, rather than leaving them out silently
    result_needed_in: list[str] = []
    mutation_scope: MutationScope | None = None


AlterationKind = Literal[
    "missense",
    "deletion",
    "insertion",
    "fusion",
    "amplification",
    "exon_skipping",
    "exon_mutation",
    "exon_deletion",
    "exon_insertion",
    "any",
]


class Alteration(Record):
    id: NonEmpty  # "EGFR L858R": gene and name, the form shown back to callers
    gene: NonEmpty
    name: NonEmpty
    kind: AlterationKind
    exon: int | None = None
    aliases: list[str] = []
    categories: list[str] = []

    @model_validator(mode="after")
    def _id_is_gene_and_name(self) -> Alteration:
        if self.id != f"{self.gene} {self.name}":
            raise ValueError(f"alteration id must be '<gene> <name>', got {self.id!r}")
        return self


class Biomarker(Record):
    name: NonEmpty
    aliases: list[str] = []
    # canonical status -> accepted spellings (empty for a measured biomarker, which has a unit instead)
    statuses: dict[str, list[str]] = {}
    # a measured biomarker (AFP): the unit its value is compared in, and each accepted unit spelling with the
    # factor that converts it to that unit (only units equal by definition: 1 ng/mL is 1 µg/L)
    unit: str | None = None
    units: dict[str, float] = {}
    # a value outside this range is a mistyped value or unit, not a result to act on
    plausible: tuple[float, float] | None = None
    # OncoTree codes (with subtypes) whose reports carry this result: the guide asks for it there even where
    # no indication decides on it (it is read and shown, never matched)
    reported_in: list[str] = []
    # a grading the treating team makes from the patient in front of them (Child-Pugh class, IMDC risk group), not
    # a tumour test sent out: when it is not given, an indication that names it stays offered with a caveat to
    # confirm it, where a missing tumour test result keeps the indication from applying
    clinical_grading: bool = False

    @property
    def terms(self) -> tuple[str, ...]:
        """The words that name this biomarker: its name, then its aliases."""
        return (self.name, *self.aliases)

    @model_validator(mode="after")
    def _statuses_or_unit(self) -> Biomarker:
        if bool(self.statuses) == (self.unit is not None):
            raise ValueError("a biomarker has statuses, or a unit (with its accepted units) for a measured value")
        if self.unit is not None and (not self.units or self.plausible is None):
            raise ValueError("a measured biomarker lists its accepted unit spellings and its plausible range")
        return self


class AlterationFile(Record):
    genes: list[Gene]
    alterations: list[Alteration]
    categories: dict[str, str]  # category -> one-line definition
    biomarkers: list[Biomarker]


# --- evidence ---------------------------------------------------------------------------

StudyDesign = Literal[
    "randomized phase 3",
    "randomized phase 2",
    "single-arm phase 2",
    "phase 1/2",
    "phase 1",
    "prospective cohort",
    "retrospective",
    "case report",
    "meta-analysis",
    "pooled analysis",
    "preclinical",
    "prescribing information",
    "guideline",
    "review",
]


class Eligibility(Record):
    """The studied population as the curator read it: what the indication criteria are drawn from."""

    line: str | None = None
    disease_phase: str | None = None
    required_biomarkers: str | None = None
    prior_therapy: str | None = None
    notes: str = ""


class Evidence(Record):
    id: Slug
    title: NonEmpty
    source_url: NonEmpty
    # how the source was reached when not directly (a mirrored copy): provenance, never a link
    read_via: str = ""
    accessed: date
    pmid: str | None = None
    nct_id: str | None = None
    doi: str | None = None
    # prescribing information: the DailyMed set ID and the label sections read (e.g. "Boxed Warning; 5.3")
    dailymed_set_id: Annotated[str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")] | None = None
    label_sections: str | None = None
    design: StudyDesign
    n: int | None = Field(default=None, ge=1)
    population: str = ""
    intervention: str = ""
    comparator: str | None = None
    key_figures: list[str] = []
    regulatory: str | None = None
    eligibility: Eligibility | None = None
    verified: bool
    notes: str = ""

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid_is_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("pmid")
    @classmethod
    def _pmid_well_formed(cls, value: str | None) -> str | None:
        if value is not None and not PMID_PATTERN.match(value):
            raise ValueError("PMID must be 1-9 digits")
        return value

    @field_validator("nct_id")
    @classmethod
    def _nct_well_formed(cls, value: str | None) -> str | None:
        if value is not None and not NCT_PATTERN.match(value):
            raise ValueError("NCT ID must be 'NCT' followed by 8 digits")
        return value

    @field_validator("doi")
    @classmethod
    def _doi_well_formed(cls, value: str | None) -> str | None:
        if value is not None and not DOI_PATTERN.match(value):
            raise ValueError("DOI must look like 10.NNNN/suffix, without a https://doi.org/ prefix")
        return value

    @field_validator("source_url")
    @classmethod
    def _source_is_url(cls, value: str) -> str:
        if not value.startswith("https://") and not value.startswith("http://"):
            raise ValueError("source_url must be the http(s) address of the page that was read")
        return value

    @property
    def has_identifier(self) -> bool:
        return any((self.pmid, self.nct_id, self.doi, self.dailymed_set_id))

    @property
    def citable(self) -> bool:
        """Only verified records with a checkable identifier are ever shown as evidence."""
        return self.verified and self.has_identifier


# --- regimens ---------------------------------------------------------------------------

ComponentRole = Literal["tki", "immunotherapy", "chemotherapy", "antibody", "targeted", "other"]


class DoseLabel(Record):
    """The prescribing information a dose was read from (section 2 of the US label, or a copy of it)."""

    title: NonEmpty
    source_url: NonEmpty
    set_id: str | None = None
    section: str | None = None
    accessed: date
    # False when the label text was read on a copy (drugs.com, Medscape), not on DailyMed or the FDA page.
    verified: bool = False


class DoseSource(Record):
    """Where a dose comes from: the trial that gave it (evidence ids) or the label that states it."""

    evidence: list[str] = []
    label: DoseLabel | None = None

    @model_validator(mode="after")
    def _names_a_source(self) -> DoseSource:
        if not self.evidence and self.label is None:
            raise ValueError("a dose source names evidence ids or a label")
        return self


class IndicationDose(Record):
    """A component's dose for one indication (phase, line, mutation or weight band), with its source."""

    dose: NonEmpty
    source: DoseSource


class Component(Record):
    """One drug of a regimen, or a class where the evidence allowed any member (e.g. any PD-1 inhibitor)."""

    drug: str | None = None
    drug_class: str | None = None
    role: ComponentRole
    dose: str | None = None
    dose_source: DoseSource | None = None

    @property
    def key(self) -> str:
        """The name an indication's `doses` uses for this component: the drug, or the class."""
        return self.drug or self.drug_class or ""

    @model_validator(mode="after")
    def _drug_or_class(self) -> Component:
        if (self.drug is None) == (self.drug_class is None):
            raise ValueError("a component names exactly one of drug or drug_class")
        return self


class LineRange(Record):
    min: int = Field(default=1, ge=1)
    max: int | None = Field(default=None, ge=1)


class BiomarkerCriterion(Record):
    name: NonEmpty
    status: list[str] = []
    # a measured biomarker: the bounds the evidence required, in `unit` (which must be the biomarker's own)
    min: float | None = None  # inclusive
    below: float | None = None  # exclusive
    unit: str | None = None

    @model_validator(mode="after")
    def _status_or_bounds(self) -> BiomarkerCriterion:
        bounded = self.min is not None or self.below is not None
        if bool(self.status) == bounded or bounded != (self.unit is not None):
            raise ValueError("a biomarker criterion names statuses, or bounds with their unit")
        return self

    @property
    def requirement(self) -> str:
        if self.status:
            return f"{self.name} {'/'.join(self.status)}"
        parts = [f"{sign} {bound:g}" for sign, bound in ((">=", self.min), ("<", self.below)) if bound is not None]
        return f"{self.name} {' and '.join(parts)} {self.unit}"

    def holds(self, value: str) -> bool:
        """Whether a reported value (a status, or a measured value in the biomarker's unit) meets the criterion."""
        if self.status:
            return value in self.status
        number = float(value)
        return (self.min is None or number >= self.min) and (self.below is None or number < self.below)


# all-of groups; a group is met by any one of its criteria (e.g. MMR proficient, or MSI stable)
BiomarkerGroups = list[list[BiomarkerCriterion]]


class PdL1Criterion(Record):
    scoring: Literal["tps", "cps", "ic"]
    min: float | None = None  # inclusive
    below: float | None = None  # exclusive upper bound


class PriorTherapyCriterion(Record):
    drugs: list[str] = []
    classes: list[str] = []
    min_count: int = Field(default=1, ge=1)
    # prior lines with these outcomes do not count (RESORCE required sorafenib to have been tolerated)
    excluded_outcomes: list[Literal["progression", "intolerance", "response", "stable disease", "unknown"]] = []
    # excludes_prior only: prior lines with these outcomes do not exclude; the option is offered with `caution`
    # (the evidence population had not received the drug, but the source does not make this an exclusion)
    caution_outcomes: list[Literal["progression", "intolerance", "response", "stable disease", "unknown"]] = []
    caution: str = ""
    description: NonEmpty

    @model_validator(mode="after")
    def _names_something(self) -> PriorTherapyCriterion:
        if not self.drugs and not self.classes:
            raise ValueError("a prior-therapy criterion needs drugs or classes")
        if bool(self.caution_outcomes) != bool(self.caution.strip()):
            raise ValueError("caution_outcomes and caution go together: the outcomes that caution and what the caution says")
        return self


class DefersToTargeted(Record):
    """The indication's evidence does not cover a patient with a targetable driver as well as that driver's targeted
    therapy does: listed below the targeted options the answer holds for a detected driver, with the reason."""

    reason: NonEmpty
    evidence: list[str] = Field(min_length=1)


class OverallSurvival(Record):
    result: Literal["superior", "non_inferior"]
    comparator: NonEmpty
    evidence: list[str] = Field(min_length=1)
    # the trial's hazard ratio for death against the comparator, as its evidence record states it: orders options
    # otherwise tied whose trials had the same comparator (an indirect comparison, and said so)
    hazard_ratio: float | None = Field(default=None, gt=0, lt=1)


RegulatoryEventKind = Literal["approved", "accelerated_approval", "converted", "withdrawn"]


class RegulatoryEvent(Record):
    """One US regulatory event of an indication: approval, accelerated approval, conversion or withdrawal."""

    event: RegulatoryEventKind
    date: date
    # the page a clinician can check (FDA, DailyMed by set id, the company's statement)
    source_url: NonEmpty
    # the pages a curator actually read for this event (copies included): provenance, never shown
    read_at: list[str] = Field(min_length=1)
    # shown with a withdrawal: why it happened, in clinical words
    note: str = ""

    @field_validator("source_url")
    @classmethod
    def _is_https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("a regulatory source must be an https:// address")
        return value

    @field_validator("read_at")
    @classmethod
    def _read_are_urls(cls, value: list[str]) -> list[str]:
        if any(not (u.startswith("https://") or u.startswith("http://")) for u in value):
            raise ValueError("read_at lists the http(s) addresses that were read")
        return value


BloodMeasure = Literal["platelets", "haemoglobin", "transfusion_dependent"]
BLOOD_UNITS = {"platelets": "x10^9/L", "haemoglobin": "g/dL"}


class BloodCountCriterion(Record):
    """One blood-count bound from a label or trial: platelets (x10^9/L), haemoglobin (g/dL) or transfusion dependence."""

    measure: BloodMeasure
    min: float | None = None  # inclusive
    above: float | None = None  # exclusive
    max: float | None = None  # inclusive
    below: float | None = None  # exclusive
    # transfusion_dependent: the status the evidence required
    value: bool | None = None

    @model_validator(mode="after")
    def _bounds_fit_measure(self) -> BloodCountCriterion:
        bounds = [b for b in (self.min, self.above, self.max, self.below) if b is not None]
        if self.measure == "transfusion_dependent":
            if self.value is None or bounds:
                raise ValueError("a transfusion-dependence criterion gives value (true or false) and no bounds")
        elif self.value is not None or not bounds:
            raise ValueError(f"a {self.measure} criterion gives bounds (min, above, max, below) and no value")
        return self

    def holds(self, value: float | bool) -> bool:
        if self.measure == "transfusion_dependent":
            return value is self.value
        number = float(value)
        return (
            (self.min is None or number >= self.min)
            and (self.above is None or number > self.above)
            and (self.max is None or number <= self.max)
            and (self.below is None or number < self.below)
        )

    @property
    def requirement(self) -> str:
        if self.measure == "transfusion_dependent":
            return "transfusion dependent" if self.value else "not transfusion dependent"
        unit = BLOOD_UNITS[self.measure]
        parts = [
            f"{sign} {bound:g}"
            for sign, bound in ((">=", self.min), (">", self.above), ("<=", self.max), ("<", self.below))
            if bound is not None
        ]
        return f"{self.measure} {' and '.join(parts)} {unit}"


HISTOLOGIES = ("squamous", "non-squamous")


class Indication(Record):
    id: Slug
    summary: NonEmpty
    # OncoTree codes (subtypes match); empty only for a tumour-agnostic indication
    cancer_types: list[str] = []
    # "solid": any OncoTree solid tumour with the required alteration, whatever its site
    tumour_agnostic: Literal["solid"] | None = None
    # OncoTree codes (with their subtypes) the evidence does not cover, as OncoKB's levelExcludedCancerTypes
    excluded_cancer_types: list[str] = []
    # the histologies the evidence enrolled (the profile's "Histology" biomarker); empty: any
    histology: list[Literal["squamous", "non-squamous"]] = []
    settings: list[Setting] = []
    # the evidence is not restricted by disease setting (myelofibrosis has no stage or phase): settings stay empty
    any_setting: bool = False
    lines: LineRange = LineRange()
    # all-of groups, each satisfied by any one of its alteration ids or categories
    requires_alterations: list[list[str]] = []
    excludes_alterations: list[str] = []
    # genes whose driver alterations must have been tested and found absent
    requires_negative: list[str] = []
    biomarkers: BiomarkerGroups = []
    pd_l1: PdL1Criterion | None = None
    # all-of groups, each met by any one of its criteria (MOMENTUM: haemoglobin < 10 g/dL or transfusion dependent)
    blood_counts: list[list[BloodCountCriterion]] = []
    # the evidence enrolled only patients ineligible for intensive induction chemotherapy (VIALE-A: aged 75 or older,
    # or ECOG 2-3 or another comorbidity); the profile carries ECOG but neither age nor those comorbidities
    ineligible_for_intensive_chemotherapy: bool = False
    requires_prior: list[PriorTherapyCriterion] = []
    excludes_prior: list[PriorTherapyCriterion] = []
    # prior therapies the evidence was not shown to cover (its eligibility on them was not read): a patient who had one
    # is offered the option with "not checked for" it, ranked after complete options, never as checked and fine
    prior_not_shown_covered: list[PriorTherapyCriterion] = []
    evidence_level: EvidenceLevel
    regulatory_status: RegulatoryStatus
    approval_year: int | None = Field(default=None, ge=1990, le=2100)
    evidence: list[str] = Field(min_length=1)
    # drugs the evidence continues beyond progression by design (e.g. osimertinib when adding a MET TKI)
    continued_after_progression: list[str] = []
    # regimens that randomised evidence shows this one to beat, with that evidence
    outranks: list[str] = []
    outranks_evidence: list[str] = []
    # groups of `outranks` regimens that were one control arm, the investigator's choice among them (CheckMate 9DW:
    # lenvatinib or sorafenib): beating that arm is one randomised win, whichever of its regimens are listed
    outranks_one_arm: list[list[str]] = []
    # overall survival shown in randomised evidence: longer than the comparator, or non-inferior to a
    # standard that had shown it; ranks the option first among options otherwise level
    overall_survival: OverallSurvival | None = None
    # ranked below every level 1-2 option made for a driver alteration the patient has (first-line immunotherapy in
    # NSCLC: targeted therapy is the standard for an actionable driver); not an exclusion, the option stays listed
    defers_to_targeted: DefersToTargeted | None = None
    # per-indication doses, keyed by component drug (or class): they override the component's default dose
    doses: dict[str, IndicationDose] = {}
    # US regulatory history, oldest first; the last event decides whether the approval stands
    regulatory_history: list[RegulatoryEvent] = []
    notes: str = ""
    curator_notes: str = ""  # how the record was curated (what was read or not): for curators only, never in a response

    def dose_for(self, component: Component) -> tuple[str | None, DoseSource | None]:
        """The dose of `component` for this indication: the indication's own, else the component's default."""
        own = self.doses.get(component.key)
        if own is not None:
            return own.dose, own.source
        return component.dose, component.dose_source

    def arms_beaten(self, beaten: Iterable[str]) -> int:
        """How many control arms the beaten regimens stand for: regimens of one investigator's-choice arm count once."""
        arm_of = {r: index for index, arm in enumerate(self.outranks_one_arm) for r in arm}
        return len({arm_of.get(r, r) for r in beaten})


    @model_validator(mode="after")
    def _names_its_tumours(self) -> Indication:
        if not self.cancer_types and self.tumour_agnostic is None:
            raise ValueError("an indication names cancer_types unless it is tumour_agnostic")
        for arm in self.outranks_one_arm:
            if len(arm) < 2 or len(set(arm)) != len(arm) or not set(arm) <= set(self.outranks):
                raise ValueError("each outranks_one_arm group names two or more distinct regimens of outranks")
        grouped = [r for arm in self.outranks_one_arm for r in arm]
        if len(grouped) != len(set(grouped)):
            raise ValueError("a regimen belongs to one outranks_one_arm group at most")
        if bool(self.settings) == self.any_setting:
            raise ValueError("an indication names its settings, or is any_setting with none")
        return self

    @property
    def withdrawal(self) -> RegulatoryEvent | None:
        """The withdrawal event when the indication's approval was withdrawn and not since restored."""
        if self.regulatory_history and self.regulatory_history[-1].event == "withdrawn":
            return self.regulatory_history[-1]
        return None


class Regimen(Record):
    id: Slug
    name: NonEmpty
    components: list[Component] = Field(min_length=1)
    indications: list[Indication] = Field(min_length=1)
    # Set while something the regimen needs is not yet verified (e.g. a label's interaction section): the
    # regimen is then listed as withheld, never offered. Indications without citable evidence are withheld
    # on their own, without this field.
    withheld_reason: str = ""

    @property
    def contains_tki(self) -> bool:
        return any(c.role == "tki" for c in self.components)

    @cached_property
    def drugs(self) -> list[str]:
        """The named drugs (class components are not drugs a patient can be checked against)."""
        return [c.drug for c in self.components if c.drug is not None]

    @cached_property
    def component_classes(self) -> list[str]:
        return [c.drug_class for c in self.components if c.drug_class is not None]


# --- rules ------------------------------------------------------------------------------


class AllelicRequirement(Record):
    """The rule applies only when the alteration lies in cis, or in trans, with another one."""

    relation: Literal["cis", "trans"]
    with_alteration: NonEmpty  # an alteration id or category


class ResistanceRule(Record):
    id: Slug
    alterations: list[str] = Field(min_length=1)  # ids or categories; any one triggers the rule
    drugs: list[str] = []
    drug_classes: list[str] = []  # any drug of these classes, or a class component, triggers the rule
    cancer_types: list[str] = []  # empty: every cancer type
    kind: Literal["resistance", "biomarker"] = "resistance"
    allelic_context: AllelicRequirement | None = None
    reason: NonEmpty
    evidence: list[str] = Field(min_length=1)
    alternatives: list[str] = []
    # with one of these also detected the rule does not exclude: its source reported each group alone, so the
    # option is shown with `mixed_caution` (GIST with both ATP-binding-pocket and activation-loop KIT mutations)
    not_when_also: list[str] = []
    mixed_caution: str | None = None
    # the rule holds only before targeted therapy: a drug of these classes in an earlier line lifts it (ICIs are not
    # offered first for an ALK fusion, but stay open after progression on the ALK TKIs)
    unless_prior_classes: list[str] = []

    @model_validator(mode="after")
    def _names_drugs(self) -> ResistanceRule:
        if not self.drugs and not self.drug_classes:
            raise ValueError("a resistance rule needs drugs or drug_classes")
        if bool(self.not_when_also) != bool(self.mixed_caution):
            raise ValueError("not_when_also and mixed_caution go together")
        return self


class ToxicityRule(Record):
    id: Slug
    drugs: list[str] = Field(min_length=2)  # given together, in one regimen or alongside a current medicine
    reason: NonEmpty
    evidence: list[str] = Field(min_length=1)


class RecentDrugClasses(Record):
    classes: list[str] = Field(min_length=1)
    weeks: float = Field(gt=0, le=520)


class PatientCriterion(Record):
    """What in the patient context triggers a patient rule; every field given must hold."""

    condition_groups: list[str] = []  # any one current condition group
    # also match those groups in the history (a transplant, a past severe irAE stay relevant once over)
    or_history: bool = False
    past_condition_groups: list[str] = []  # any one condition group in the history
    ecog_min: int | None = Field(default=None, ge=0, le=4)
    brain_metastases: list[Literal["present", "treated", "active"]] = []
    # a drug of these classes in an earlier line or among the current medicines (the sources give no interval)
    prior_or_current_drug_classes: list[str] = []
    # a drug of these classes given within `weeks` of now: a current medicine, an ongoing line, or a prior line whose
    # last dose was at most that many weeks ago (a line without its interval leaves the rule unchecked, and says so)
    recent_drug_classes: RecentDrugClasses | None = None
    # a drug of these classes in the most recent prior line (the line just before the regimen considered)
    last_line_drug_classes: list[str] = []
    # creatinine clearance (mL/min) below this bound, as given in organ_function or a condition's text
    creatinine_clearance_below: float | None = Field(default=None, gt=0, le=300)
    # a Child-Pugh class among these (from a biomarker, the stage text or a condition's text)
    child_pugh: list[Literal["A", "B", "C"]] = []
    # a measured QTc (ms) above this bound, as given in organ_function or a condition's text ("do not start if QTcF > 450 ms")
    qtc_ms_above: float | None = Field(default=None, ge=300, le=700)
    # with condition_groups: a condition dated more than this many months ago does not count (an undated current one
    # does): the label's window, as "do not initiate for at least 28 days after major surgery"
    within_months: float | None = Field(default=None, gt=0, le=24)

    @property
    def _names_therapy(self) -> bool:
        """A trigger on the drugs given: a prior, recent or last-line drug class."""
        return bool(self.prior_or_current_drug_classes or self.recent_drug_classes or self.last_line_drug_classes)

    @property
    def _names_patient(self) -> bool:
        """A trigger on the patient: a condition, ECOG, brain metastases, organ function or QTc."""
        return bool(
            self.condition_groups
            or self.past_condition_groups
            or self.ecog_min is not None
            or self.brain_metastases
            or self.creatinine_clearance_below is not None
            or self.child_pugh
            or self.qtc_ms_above is not None
        )

    @model_validator(mode="after")
    def _says_something(self) -> PatientCriterion:
        if not (self._names_therapy or self._names_patient):
            raise ValueError(
                "a patient criterion names a condition group, ECOG, brain metastases, a prior drug class, a creatinine "
                "clearance bound, a Child-Pugh class or a QTc bound"
            )
        if self.within_months is not None and not self.condition_groups:
            raise ValueError("within_months narrows condition_groups: name the condition groups it dates")
        return self

    @property
    def names_only_prior_therapy(self) -> bool:
        """Triggered by the drugs given, not by a condition, organ function or the patient's state: an exclusion on
        it is a prior-therapy reason, not a contraindication."""
        return self._names_therapy and not self._names_patient


class PatientRule(Record):
    """A contraindication or caution from a label's warnings or a pivotal trial's exclusion criteria."""

    id: Slug
    when: PatientCriterion
    # the regimens it concerns: any of these drugs or classes in the regimen, or these indications
    drugs: list[str] = []
    drug_classes: list[str] = []
    indications: list[str] = []
    cancer_types: list[str] = []  # empty: every cancer type
    # exclude: the regimen is not offered, with the reason; caution: offered, with the caution shown first
    action: Literal["exclude", "caution"]
    # where the source says so: "label" (warnings and precautions) or "trial" (exclusion criteria)
    basis: Literal["label", "trial", "study"]
    reason: NonEmpty
    evidence: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_regimens(self) -> PatientRule:
        if not (self.drugs or self.drug_classes or self.indications):
            raise ValueError("a patient rule needs drugs, drug_classes or indications")
        return self


class RulesFile(Record):
    resistance: list[ResistanceRule]
    toxicity: list[ToxicityRule]
    patient: list[PatientRule] = []
    # the histology a cancer type implies (LUSC is squamous), for indications restricted by histology
    histology_by_cancer_type: dict[str, Literal["squamous", "non-squamous"]] = {}


class ExposureChange(Record):
    parameter: str
    percent: float | None = None
    fold: float | None = None
    perpetrator: str | None = None


DAILYMED_LABEL_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
SET_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
LABEL_SECTION_PATTERN = r"^(?:boxed warning|(?:[1-9]|1[0-7])(?:\.[0-9]{1,2})?)$"


# How a set ID was verified. "dailymed" / "openfda": read on a DailyMed page or in an openFDA record itself;
# "copy_of_dailymed" / "openfda_copy": read on a faithful copy of one (a DailyMed mirror keyed by set ID, a
# repository storing openFDA label JSON); "nci_drug_page_link": taken from the DailyMed link on NCI's drug information
# page for the drug (the page names the brand, not the label holder). Shown to the clinician in the answer's provenance line.
SetIdVerification = Literal["dailymed", "openfda", "copy_of_dailymed", "openfda_copy", "nci_drug_page_link"]


class LabelSource(Record):
    """The US prescribing information, named by its DailyMed set ID: what the clinician is sent to."""

    title: NonEmpty
    set_id: Annotated[str, Field(pattern=SET_ID_PATTERN)] | None = None
    # the label's version date as seen (e.g. "2024-09"), when it was seen on the label or its record
    version: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")] | None = None
    # where the set ID itself was read, in full, with the product name and the label holder
    set_id_source: str | None = None
    # how the set ID was verified: on DailyMed or openFDA themselves, or on a faithful copy of either
    set_id_verified: SetIdVerification | None = None
    # further pages where the same set ID, product and holder were read (a second, agreeing source)
    set_id_also_seen_on: list[str] = []
    # why a US label has no set ID yet (shown to the clinician); the check requires one of the two
    set_id_missing: str | None = None

    @property
    def dailymed_url(self) -> str | None:
        return DAILYMED_LABEL_URL.format(set_id=self.set_id) if self.set_id else None


VerificationMethod = Literal[
    "openFDA label record",
    "DailyMed label",
    "manufacturer's copy of the US label",
    "third-party copy of the US label",
    "secondary sources only",
    "no US label",
]


class Verification(Record):
    """How the record was checked: provenance, never shown as the label."""

    method: VerificationMethod
    read_from: list[str] = []
    checked: date
    # True only when the label's own wording for these rules was read (on FDA, NLM or the manufacturer's copy)
    label_wording_read: bool = False


class InteractionRule(Record):
    with_class: str | None = None
    with_drug: str | None = None
    formulation: str | None = None
    severity: Severity
    mechanism: Mechanism | None = None  # defaults to the class's mechanism
    evidence_kind: EvidenceKind | None = None
    effect: str = ""
    exposure_change: ExposureChange | None = None
    management: str = ""
    dose_change: str | None = None  # adjust_dose: the label's number ("reduce to 300 mg once daily")
    # adjust_dose whose instruction was read on the label but whose reduced doses were not: the answer sends the
    # clinician to the label's table instead of a number (never a silent "not assessed" for a read instruction)
    dose_numbers_read: bool = True
    separation_hours: list[float] = []  # separate_in_time: the label's hours
    label_sections: list[Annotated[str, Field(pattern=LABEL_SECTION_PATTERN)]] = []
    # overrides the record's verification for this rule (the wording of this rule was, or was not, read)
    label_wording_read: bool | None = None
    read_from: list[str] = []
    # the catalogue drugs the label names as examples for this class rule: each must get this rule's grade
    label_examples: list[str] = []
    note: str = ""  # for the clinician
    curator_notes: str = ""  # for curators only: never in a response

    @model_validator(mode="after")
    def _one_target(self) -> InteractionRule:
        if (self.with_class is None) == (self.with_drug is None):
            raise ValueError("an interaction rule names exactly one of with_class or with_drug")
        return self


class LabelFormulation(Record):
    id: Slug
    name: NonEmpty
    set_id: Annotated[str, Field(pattern=SET_ID_PATTERN)] | None = None


class DrugLabel(Record):
    """Every interaction rule the prescribing information of one drug gives."""

    drug: NonEmpty
    us_label: bool = True
    label: LabelSource
    verification: Verification
    formulations: list[LabelFormulation] = []
    rules: list[InteractionRule]
    eu_note: str = ""
    curator_notes: str = ""

    def wording_read(self, rule: InteractionRule) -> bool:
        return self.verification.label_wording_read if rule.label_wording_read is None else rule.label_wording_read


class LabelAddition(Record):
    """Further rules read in one drug's US label, kept in their own file (`interactions/additions_*.yaml`) and
    added to that drug's label record at load, so a new mechanism or clearance does not edit the record itself."""

    drug: NonEmpty
    rules: list[InteractionRule] = Field(min_length=1)
    curator_notes: str = ""


class ClassInteractionRule(Record):
    """A class-to-class rule: the most general level of the precedence, used only when sourced."""

    id: Slug
    subject_class: str
    with_class: str
    severity: Severity
    effect: str = ""
    management: str = ""
    source_title: NonEmpty
    source_url: NonEmpty


class Release(Record):
    version: NonEmpty
    released: date
    label_region: Literal["US"] = "US"


# --- how input is read --------------------------------------------------------------------

ResultStatus = Literal["detected", "not detected", "pending", "equivocal", "uncertain significance", "not tested"]
PriorOutcome = Literal["progression", "intolerance", "response", "stable disease", "unknown"]


class StatusWords(Record):
    """Words of a lab report or letter that state a result; `weak` words yield to any other status word."""

    status: ResultStatus
    words: list[NonEmpty] = Field(min_length=1)
    weak: bool = False


class OutcomeWords(Record):
    outcome: PriorOutcome
    words: list[NonEmpty] = Field(min_length=1)


class ConditionGroup(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: NonEmpty
    description: NonEmpty


class ConditionCode(Record):
    system: Literal["http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct"]
    code: NonEmpty
    display: NonEmpty
    # ICD-10-CM categories include their children: "G70.0" stands for G70.00 and G70.01
    prefix: bool = False
    source_url: NonEmpty


class ConditionTerm(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: NonEmpty
    groups: list[str] = Field(min_length=1)
    synonyms: list[str] = []
    codes: list[ConditionCode] = []


class MeasuredCondition(Record):
    """A measurement that, from a stated bound, is read as a condition group (QTc of 450 ms or more as QTc prolongation)."""

    measure: Literal["qtc_ms"]
    min: float = Field(gt=0)
    group: NonEmpty
    # how the bound is explained to the clinician in the reading, and where it comes from
    basis: NonEmpty
    source_url: NonEmpty


class GeneGroup(Record):
    """A name reports use for several genes at once ("RAS wild-type": KRAS and NRAS), read only with a result of not
    detected, since a detected result does not say which gene; `source_url` is where the definition was read."""

    name: NonEmpty
    terms: list[NonEmpty] = Field(min_length=1)
    genes: list[NonEmpty] = Field(min_length=2)
    definition: NonEmpty
    source_url: NonEmpty


class ReadingsFile(Record):
    """The vocabularies of the input readers: result words, prior-therapy outcomes, patient conditions."""

    result_statuses: list[StatusWords] = []
    variant_words: list[str] = []
    method_words: list[str] = []
    outcomes: list[OutcomeWords] = []
    ongoing_words: list[str] = []
    condition_groups: list[ConditionGroup] = []
    conditions: list[ConditionTerm] = []
    history_words: list[str] = []
    active_words: list[str] = []
    measured_conditions: list[MeasuredCondition] = []
    gene_groups: list[GeneGroup] = []


class ExonRange(Record):
    exon: int = Field(ge=1)
    first_codon: int = Field(ge=1)
    last_codon: int = Field(ge=1)


class GeneTranscript(Record):
    """A gene's canonical transcript and its exons in protein (codon) coordinates."""

    gene: NonEmpty
    transcript: Annotated[str, Field(pattern=r"^N[MR]_[0-9]+\.[0-9]+$")]
    protein_length: int | None = Field(default=None, ge=1)
    source_url: NonEmpty
    accessed: date
    how: NonEmpty
    exons: list[ExonRange] = Field(min_length=1)


class KnownCodingVariant(Record):
    """A cDNA change on a curated transcript and the protein change it makes, as the source states it."""

    gene: NonEmpty
    transcript: NonEmpty
    hgvs_c: Annotated[str, Field(pattern=r"^c\.\S+$")]
    hgvs_p: Annotated[str, Field(pattern=r"^p\.\S+$")]
    source_url: NonEmpty
    accessed: date


class TranscriptFile(Record):
    transcripts: list[GeneTranscript] = []
    coding_variants: list[KnownCodingVariant] = []
