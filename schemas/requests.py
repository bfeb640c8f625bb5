"""Request models of the public contract (`/v1`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Contract(BaseModel):
    # strict: a boolean is not a number and a number is not a string, whatever Python would coerce
    model_config = ConfigDict(extra="forbid", strict=True)


ResultStatus = Literal["detected", "not detected", "pending", "equivocal", "uncertain significance", "not tested"]

RESULT_STATUS_DESCRIPTION = (
    "Only 'detected' satisfies a requirement or fires a rule. 'not detected' is a tested-negative result, which "
    "differs from 'not tested'; 'pending', 'equivocal' (indeterminate) and 'uncertain significance' (VUS) are "
    "shown and make the answer provisional where they could change it."
)


class MutationInput(Contract):
    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"anyOf": [{"required": ["gene"]}, {"required": ["alteration"]}]}
    )

    gene: Annotated[str, Field(min_length=1, max_length=40, examples=["EGFR"])] = Field(
        default=None, description="Gene symbol; may be omitted when the variant belongs to only one gene the knowledge has for the cancer type (CML: T315I)."
    )
    alteration: Annotated[str, Field(min_length=1, max_length=100, examples=["L858R"])] = Field(
        default=None,
        description="HGVS protein (p.Leu858Arg, L858R) or cDNA on the curated transcript (NM_005228.5:c.2573T>G), "
        "an exon-level event, a fusion or a copy-number change; omit for a gene-level result.",
    )
    status: ResultStatus = Field(default="detected", description=RESULT_STATUS_DESCRIPTION)
    in_cis_with: Annotated[str, Field(min_length=1, max_length=100, examples=["T790M"])] = Field(
        default=None, description="Another variant of the same gene on the same allele."
    )
    in_trans_with: Annotated[str, Field(min_length=1, max_length=100)] = Field(
        default=None, description="Another variant of the same gene on the other allele."
    )

    @model_validator(mode="after")
    def _names_something(self) -> MutationInput:
        if self.gene is None and self.alteration is None:
            raise ValueError("give the gene, the alteration, or both")
        return self


class BiomarkerInput(Contract):
    name: Annotated[str, Field(min_length=1, max_length=40, examples=["MSI"])]
    status: Annotated[str, Field(min_length=1, max_length=40, examples=["high"])] = Field(
        description="The result in the report's words (high, MSI-H, positive, 3+, pending, not tested...)."
    )


class PdL1Input(Contract):
    """PD-L1 expression with its scoring system; thresholds are compared only within one system."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"minProperties": 1, "examples": [{"tps": 60}]})

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
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"line": 1, "drugs": ["imatinib"], "outcome": "loss of MMR"}]},
    )

    drugs: Annotated[list[Name], Field(min_length=1, max_length=10)]
    outcome: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        default="unknown",
        description="In clinicians' words: progression, failure, refractory, relapse, resistance, loss of response, PD "
        "(read as progression); intolerance, toxicity; response, partial response, MMR, CCyR (read as response); "
        "stable disease; unknown.",
    )
    # a whole number; JSON's 2.0 is the number 2
    line: float = Field(default=None, ge=1, le=20, multiple_of=1, description="Line number; lines are ordered by it when given.")
    ongoing: bool = Field(default=None, description="True while this line is still being given.")
    weeks_since_last_dose: float = Field(
        default=None,
        ge=0,
        le=1040,
        description="Weeks from the last dose of this line to now (for cautions that depend on the interval, such as a "
        "targeted agent started within 8 weeks of an immune checkpoint inhibitor).",
    )


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


CONDITION_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct")


class ConditionInput(Contract):
    """A coded or written condition (as an EHR problem list gives it)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "anyOf": [{"required": ["text"]}, {"required": ["code", "system"]}],
            "dependentRequired": {"code": ["system"], "system": ["code"]},
        },
    )

    text: Annotated[str, Field(min_length=1, max_length=200, examples=["myasthenia gravis on azathioprine"])] = None
    code: Annotated[str, Field(min_length=1, max_length=20, examples=["G70.00"])] = None
    system: Literal["http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct"] = None
    clinical_status: Literal["active", "resolved", "inactive", "remission"] = "active"

    @model_validator(mode="after")
    def _text_or_code(self) -> ConditionInput:
        if self.text is None and self.code is None:
            raise ValueError("give the condition's text, its code with system, or both")
        if (self.code is None) != (self.system is None):
            raise ValueError("a code needs its system, and a system its code")
        return self


class OrganFunctionInput(Contract):
    creatinine_clearance_ml_min: float = Field(default=None, ge=0, le=300, description="Creatinine clearance, mL/min.")
    qtc_ms: float = Field(default=None, ge=200, le=800, description="Corrected QT interval, ms.")


Reading = Annotated[str, Field(min_length=1, max_length=40)]


class BloodCountsInput(Contract):
    """Blood counts that decide some myeloid regimens and their doses; each comes back with how it was read."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"minProperties": 1, "examples": [{"platelets": 85, "haemoglobin": "9.2 g/dL", "transfusion_dependent": "no"}]},
    )

    platelets: Annotated[float, Field(ge=0, le=5000)] | Reading = Field(
        default=None,
        description="Platelet count: a number in x10^9/L, or text with its unit ('85 x10^9/L', '85 K/uL', '85,000/uL').",
        examples=[85, "85 x10^9/L"],
    )
    haemoglobin: Annotated[float, Field(ge=0, le=30)] | Reading = Field(
        default=None,
        description="Haemoglobin: a number in g/dL, or text with its unit ('9.2 g/dL', '92 g/L').",
        examples=[9.2, "92 g/L"],
    )
    transfusion_dependent: bool | Reading = Field(
        default=None,
        description="Red-cell transfusion dependence: true or false, or yes / no / unknown (text such as 'transfusion dependent').",
        examples=["yes", False],
    )

    @model_validator(mode="after")
    def _at_least_one(self) -> BloodCountsInput:
        if self.platelets is None and self.haemoglobin is None and self.transfusion_dependent is None:
            raise ValueError("give at least one of platelets, haemoglobin or transfusion_dependent")
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
        description="Any OncoTree code or name (release in GET /v1/knowledge), or a clinical synonym, case-insensitive; "
        "qualifiers are read ('renal cell carcinoma, clear cell', 'breast cancer, HER2-positive', 'Ph+ ALL').",
        examples=["NSCLC", "non-small cell lung cancer, adenocarcinoma", "CML", "renal cell carcinoma, clear cell"],
    )
    stage: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        default=None,
        description="Roman numeral stage with sub-stage, or early / locally advanced / unresectable / advanced / "
        "metastatic / recurrent, or for leukaemias chronic / accelerated / blast phase, newly diagnosed, relapsed, refractory.",
    )
    mutations: Annotated[list[ShortText | MutationInput], Field(max_length=50)] = Field(
        default=[],
        description="Variants in lab-report words: 'EGFR L858R', 'EGFR T790M pending', 'no EGFR T790M', 'KIT exon 11 p.V560D', "
        "'EML4::ALK fusion', 'MET amplification (copy number 8)', 'EGFR C797S in cis with T790M'. " + RESULT_STATUS_DESCRIPTION,
    )
    biomarkers: Annotated[list[ShortText | BiomarkerInput], Field(max_length=20)] = Field(
        default=[], description="Non-genomic biomarkers: {name, status} or text such as 'MSI-H', 'HER2 3+', 'Child-Pugh B'."
    )
    pd_l1: PdL1Input = Field(default=None)
    prior_therapies: Annotated[list[ShortText | PriorTherapyInput], Field(max_length=20)] = Field(
        default=None,
        description="One item per line of systemic therapy, oldest first. Omitted means unknown (first line is assumed, "
        "with a warning); an empty list means no prior therapy.",
    )
    current_medications: Annotated[list[ShortText | MedicationInput], Field(max_length=60)] = []
    # a number, and JSON's 2.0 is the whole number 2
    ecog: Annotated[float, Field(ge=0, le=4, multiple_of=1)] | ShortText = Field(
        default=None, description="ECOG performance status, 0-4 (a number, or text such as 'ECOG 1')."
    )
    conditions: Annotated[list[ShortText | ConditionInput], Field(max_length=30)] = Field(
        default=[],
        description="Comorbidities that change the choice: autoimmune disease, transplant, interstitial lung disease or "
        "pneumonitis, prior severe immune-related adverse event, hepatic or renal impairment, QTc prolongation or "
        "congenital long QT, heart failure, pregnancy. Text or ICD-10-CM / SNOMED CT codes.",
    )
    brain_metastases: Literal["none", "present", "treated", "active"] = Field(
        default=None, description="'active' for untreated or progressing, 'treated' for treated and stable, 'present' when not known which."
    )
    organ_function: OrganFunctionInput = Field(default=None)
    blood_counts: BloodCountsInput = Field(
        default=None,
        description="Platelets, haemoglobin and transfusion dependence (myelofibrosis: the JAK inhibitor and its starting dose depend on them).",
    )


class InteractionCheckInput(Contract):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"drugs": ["dasatinib", "pantoprazole 40 mg daily"]}]},
    )

    drugs: Annotated[list[ShortText | MedicationInput], Field(min_length=1, max_length=60)]
