"""Read-only views of the knowledge base."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.responses import Component, EvidenceCitation, EvidenceRecord, KnowledgeVersion


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicationView(Contract):
    id: str
    summary: str
    cancer_types: list[str]
    settings: list[str]
    lines: str
    criteria: list[str]
    evidence_level: str
    regulatory_status: str
    approval_year: int | None = None
    evidence: list[EvidenceCitation]
    notes: str | None = None


class RegimenSummary(Contract):
    id: str
    name: str
    drugs: list[str]
    cancer_types: list[str]


class RegimenView(Contract):
    id: str
    name: str
    drugs: list[str]
    components: list[Component]
    indications: list[IndicationView]


class RegimenList(Contract):
    knowledge_version: KnowledgeVersion
    items: list[RegimenSummary]


class DrugView(Contract):
    name: str
    brands: list[str] = []
    salts: list[str] = []
    synonyms: list[str] = []
    classes: list[str] = []
    targets: list[str] = []
    route: str
    rxcuis: list[str] = Field(default=[], description="RxNorm RxCUIs of the ingredient and its salts (TTY IN, PIN), accepted as input.")
    product_rxcuis: list[str] = Field(
        default=[],
        description=(
            "RxNorm RxCUIs of its brands and single-ingredient products (TTY BN, SCD, SBD), accepted as input. Only products "
            "that reach the blood are listed: a topical or ophthalmic product's code is not read as this drug."
        ),
    )
    formulations: list[str] = []
    has_label_interactions: bool


class DrugList(Contract):
    knowledge_version: KnowledgeVersion
    items: list[DrugView]


class CancerTypeView(Contract):
    code: str
    name: str
    parent: str | None = None
    category: str
    synonyms: list[str] = []
    children: list[str] = []


class CancerTypeList(Contract):
    knowledge_version: KnowledgeVersion
    items: list[CancerTypeView]


class EvidenceList(Contract):
    knowledge_version: KnowledgeVersion
    items: list[EvidenceRecord]


class AlterationView(Contract):
    id: str
    gene: str
    name: str
    kind: str
    exon: int | None = None
    aliases: list[str] = []
    categories: list[str] = []


class AlterationList(Contract):
    knowledge_version: KnowledgeVersion
    items: list[AlterationView]


class CancerTypeCoverage(Contract):
    """What the knowledge holds for one cancer type: regimens, the lines they cover, and how many are withheld."""

    code: str
    name: str
    regimens: int
    indications: int
    lines: str = Field(description="The lines of therapy its indications cover, e.g. 'line 1, lines 2+'.")
    without_tki: int = Field(description="Regimens without a TKI: the standard options the TKI regimens are weighed against.")
    withheld: int = Field(description="Indications withheld until their evidence, dose or label is verified.")


class KnowledgeOverview(KnowledgeVersion):
    coverage: list[CancerTypeCoverage] = Field(
        default=[], description="Per cancer type named by an indication: what is covered. Types not listed are not covered."
    )
