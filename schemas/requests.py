"""Request models of the public contract (`/v1`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Contract(BaseModel):
    # strict: a boolean is not a number and a number is not a string, whatever Python would coerce
    model_config = ConfigDict(extra="forbid", strict=True)


class MutationInput(Contract):
    gene: Annotated[str, Field(min_length=1, max_length=40, examples=["EGFR"])]
    alteration: Annotated[str, Field(min_length=1, max_length=100, examples=["L858R"])] = Field(
        default=None, description="Protein change, exon-level event, fusion or amplification; omit for a gene-level result."
    )
    status: Literal["detected", "not detected"] = Field(
        default="detected", description="'not detected' records a tested-negative result, which differs from not tested."
    )


class BiomarkerInput(Contract):
    name: Annotated[str, Field(min_length=1, max_length=40, examples=["MSI"])]
    status: Annotated[str, Field(min_length=1, max_length=40, examples=["high"])]


class PdL1Input(Contract):
    """PD-L1 expression with its scoring system; thresholds are compared only within one system."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"minProperties": 1})

    tps: float = Field(default=None, ge=0, le=100, description="Tumour proportion score, %.")
    cps: float = Field(default=None, ge=0, le=100, description="Combined positive score (capped at 100).")
    ic: float = Field(default=None, ge=0, le=100, description="Immune-cell score, % of tumour area.")

    @model_validator(mode="after")
    def _at_least_one_score(self) -> PdL1Input:
        if self.tps is None and self.cps is None and self.ic is None:
            raise ValueError("give at least one of tps, cps or ic")
        return self

    def scores(self) -> dict[str, float]:
        return {k: v for k, v in (("tps", self.tps), ("cps", self.cps), ("ic", self.ic)) if v is not None}


class PriorTherapyInput(Contract):
    drugs: Annotated[list[Name], Field(min_length=1, max_length=10)]
    outcome: Literal["progression", "intolerance", "response", "stable disease", "unknown"] = "unknown"


class MedicationInput(Contract):
    """A medicine by name, by RxNorm RxCUI (what EHRs send), or both."""

    model_config = ConfigDict(
        **Contract.model_config,
        json_schema_extra={
            "anyOf": [
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
                {"required": ["rxcui"], "properties": {"rxcui": {"type": "string"}}},
            ]
        },
    )
    name: Name | None = None
    rxcui: Annotated[str, Field(pattern=r"^[0-9]{1,9}$", examples=["11289"])] | None = Field(
        default=None, description="RxNorm RxCUI of the ingredient, brand or salt (only codes the catalogue holds are read)."
    )
    formulation: Annotated[str, Field(min_length=1, max_length=60, examples=["tablets"])] = Field(
        default=None, description="Dosage form where it changes interactions (e.g. capsules or tablets)."
    )

    @model_validator(mode="after")
    def _name_or_rxcui(self) -> MedicationInput:
        if self.name is None and self.rxcui is None:
            raise ValueError("a medication needs a name or an rxcui")
        return self


class PatientProfileInput(Contract):
    """A cancer patient's profile: the one input of the recommendation engine."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "cancer_type": "NSCLC",
                    "stage": "IV",
                    "mutations": [{"gene": "EGFR", "alteration": "L858R"}],
                    "pd_l1": {"tps": 80},
                    "prior_therapies": [],
                    "current_medications": ["Nexium 40 mg daily"],
                }
            ]
        },
    )

    cancer_type: Annotated[str, Field(min_length=1, max_length=100)] = Field(
        description="OncoTree code (NSCLC, LUAD, CML, GIST, CCRCC, HCC, ...) or a name or synonym, case-insensitive."
    )
    stage: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        default=None,
        description="Roman numeral stage with sub-stage, or early / locally advanced / unresectable / advanced / "
        "metastatic / recurrent, or for leukaemias chronic / accelerated / blast phase, newly diagnosed, relapsed, refractory.",
    )
    mutations: Annotated[list[ShortText | MutationInput], Field(max_length=50)] = []
    biomarkers: Annotated[list[BiomarkerInput], Field(max_length=20)] = []
    pd_l1: PdL1Input = Field(default=None)
    prior_therapies: Annotated[list[ShortText | PriorTherapyInput], Field(max_length=20)] = Field(
        default=None,
        description="One item per line of systemic therapy, oldest first. Omitted means unknown (first line is assumed, "
        "with a warning); an empty list means no prior therapy.",
    )
    current_medications: Annotated[list[ShortText | MedicationInput], Field(max_length=60)] = []


class InteractionCheckInput(Contract):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"drugs": ["dasatinib", "pantoprazole 40 mg daily"]}]},
    )

    drugs: Annotated[list[ShortText | MedicationInput], Field(min_length=1, max_length=60)]
