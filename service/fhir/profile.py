"""A patient's FHIR record (mCODE, Genomics Reporting, RxNorm) read into the `PatientProfileInput` the JSON API takes.

Every resource comes back in one of two lists: `read` (what it became) or `not_mapped` (why it was not used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from schemas.requests import MutationInput, PatientProfileInput
from service.fhir.codes import ICD10CM, LOINC, RXNORM, SNOMED, FhirCodes

MCODE_PRIMARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
MCODE_SECONDARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
CONDITION_SYSTEMS = {ICD10CM: "ICD-10-CM", SNOMED: "SNOMED CT"}
CURRENT_CLINICAL_STATUS = {"active": "active", "recurrence": "active", "relapse": "active"}
PAST_CLINICAL_STATUS = {"inactive": "inactive", "remission": "remission", "resolved": "resolved"}
NOT_USED_VERIFICATION = {"refuted", "entered-in-error"}
UNUSABLE_OBSERVATION_STATUS = {"cancelled", "entered-in-error"}
PENDING_OBSERVATION_STATUS = {"registered"}
ACTIVE_MEDICATION_REQUEST = {"active"}
ACTIVE_MEDICATION_STATEMENT = {"active", "intended"}
MAX_CONDITIONS = 30
# UCUM units of a blood count -> the factor to the profile's unit (platelets x10^9/L, haemoglobin g/dL)
BLOOD_COUNT_UNITS: dict[str, dict[str, float]] = {
    "platelets": {"10*9/L": 1.0, "10*3/uL": 1.0, "10^9/L": 1.0, "10^3/uL": 1.0, "x10^9/L": 1.0, "K/uL": 1.0, "/uL": 0.001, "/mm3": 0.001},
    "haemoglobin": {"g/dL": 1.0, "g/L": 0.1},
}
SCORING_WORDS = {
    "tps": ("tps", "tumor proportion score", "tumour proportion score"),
    "cps": ("cps", "combined positive score"),
    "ic": ("immune cell score", "immune cells", "ic score"),
}
SIGNIFICANCE_LOINC = "53037-8"  # Genetic variation clinical significance (a Variant component in GR 2.0 examples)


@dataclass
class NotMapped:
    resource: str
    what: str
    reason: str


@dataclass
class FhirReading:
    profile: dict[str, Any] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    not_mapped: list[NotMapped] = field(default_factory=list)
    medication_lines: list[Any] = field(default_factory=list)


def _ref(resource: Resource) -> str:
    kind = resource.get_resource_type()
    return f"{kind}/{resource.id}" if resource.id else kind


def _codings(concept: Any) -> list[Any]:
    return list(concept.coding or []) if concept is not None else []


def concept_text(concept: Any) -> str | None:
    """The words a CodeableConcept shows: its text, else the first coding's display, else its code."""
    if concept is None:
        return None
    if concept.text:
        return concept.text
    for coding in _codings(concept):
        if coding.display:
            return coding.display
    for coding in _codings(concept):
        if coding.code:
            return coding.code
    return None


def _has_code(concept: Any, system: str, codes: set[str] | list[str]) -> bool:
    return any(c.system == system and c.code in codes for c in _codings(concept))


def _profiles(resource: Resource) -> list[str]:
    return [str(p) for p in (resource.meta.profile or [])] if resource.meta is not None else []


def _status_code(concept: Any) -> str | None:
    for coding in _codings(concept):
        if coding.code:
            return str(coding.code)
    return None


def _when(resource: Resource) -> str:
    for name in ("effectiveDateTime", "issued", "recordedDate", "onsetDateTime", "authoredOn", "dateAsserted"):
        value = getattr(resource, name, None)
        if value:
            return str(value)
    return ""


class FhirReader:
    """Reads one patient's resources; `read()` returns the profile input and the account of every resource."""

    def __init__(self, codes: FhirCodes, medications: dict[str, Resource]) -> None:
        self.codes = codes
        self.medications = medications
        self.out = FhirReading()

    # ---- conditions -------------------------------------------------------------------------------------
    def read_conditions(self, conditions: list[Resource]) -> None:
        primaries: list[tuple[Resource, str, str]] = []  # (condition, cancer_type text, how it was read)
        secondaries: list[Resource] = []
        stage_texts: list[tuple[str, str]] = []
        comorbidities: list[dict[str, Any]] = []
        for condition in conditions:
            ref, shown = _ref(condition), concept_text(condition.code) or "(no code or text)"
            verification = _status_code(condition.verificationStatus)
            if verification in NOT_USED_VERIFICATION:
                self.out.not_mapped.append(NotMapped(ref, shown, f"verification status '{verification}': not used"))
                continue
            clinical = _status_code(condition.clinicalStatus) or "active"
            profiles = _profiles(condition)
            row = self._cancer_row(condition.code)
            if MCODE_SECONDARY in profiles:
                if clinical in CURRENT_CLINICAL_STATUS:
                    secondaries.append(condition)
                    self.out.read.append(f"{ref}: secondary cancer ({shown}) read as metastatic disease")
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"secondary cancer with clinical status '{clinical}': not current"))
                continue
            if MCODE_PRIMARY in profiles or row is not None:
                if clinical not in CURRENT_CLINICAL_STATUS:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"cancer with clinical status '{clinical}': not the current cancer"))
                    continue
                if row is not None:
                    how = f"{CONDITION_SYSTEMS[row.system]} {row.code} read as OncoTree {row.oncotree}"
                    if row.reads_as:
                        how += f" ({row.reads_as})"
                    primaries.append((condition, row.oncotree, how))
                elif condition.code is not None and concept_text(condition.code):
                    primaries.append((condition, concept_text(condition.code) or "", "no curated code: its words were read"))
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, "primary cancer without a code or text"))
                    continue
                for stage in condition.stage or []:
                    text = concept_text(stage.summary)
                    if text:
                        stage_texts.append((f"{ref} stage", text))
                continue
            comorbidity = self._comorbidity(condition, clinical)
            if comorbidity is None:
                self.out.not_mapped.append(NotMapped(ref, shown, "no ICD-10-CM or SNOMED CT code and no text"))
            else:
                self.out.read.append(
                    f"{ref}: condition ({shown}), clinical status {comorbidity['clinical_status']} (sent as conditions[{len(comorbidities)}])"
                )
                comorbidities.append(comorbidity)
        self._primary(primaries)
        self._stage_from_conditions = stage_texts
        self._secondaries = secondaries
        self._conditions(comorbidities)

    def _cancer_row(self, concept: Any) -> Any:
        # SNOMED CT names histology; an ICD-10-CM code often names only the organ, so SNOMED is read first
        for system in (SNOMED, ICD10CM):
            for coding in _codings(concept):
                if coding.system == system and coding.code:
                    row = self.codes.cancer_code(system, str(coding.code))
                    if row is not None:
                        return row
        return None

    def _primary(self, primaries: list[tuple[Resource, str, str]]) -> None:
        distinct = list(dict.fromkeys(cancer for _, cancer, _ in primaries))
        if len(distinct) > 1:
            for condition, _, _ in primaries:
                self.out.not_mapped.append(
                    NotMapped(_ref(condition), concept_text(condition.code) or "", "more than one current primary cancer: "
                              "this service answers for one cancer at a time")  # fmt: skip
                )
            return
        if primaries:
            condition, cancer, how = primaries[0]
            self.out.profile["cancer_type"] = cancer[:100]
            self.out.read.append(f"{_ref(condition)}: primary cancer, {how}")
            for other, _, _ in primaries[1:]:
                self.out.read.append(f"{_ref(other)}: the same primary cancer recorded again")

    def _comorbidity(self, condition: Resource, clinical: str) -> dict[str, Any] | None:
        status = CURRENT_CLINICAL_STATUS.get(clinical) or PAST_CLINICAL_STATUS.get(clinical) or "active"
        item: dict[str, Any] = {"clinical_status": status}
        for coding in _codings(condition.code):
            if coding.system in CONDITION_SYSTEMS and coding.code:
                item.update(code=str(coding.code)[:20], system=coding.system)
                break
        text = condition.code.text if condition.code is not None else None
        if text:
            item["text"] = text[:200]
        return item if ("code" in item or "text" in item) else None

    def _conditions(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        if "conditions" not in PatientProfileInput.model_fields:
            for item in items:
                self.out.not_mapped.append(NotMapped("Condition", item.get("text") or item.get("code", ""), "comorbidities are not read by this release"))
            return
        kept = items[:MAX_CONDITIONS]
        for item in items[MAX_CONDITIONS:]:
            self.out.not_mapped.append(NotMapped("Condition", item.get("text") or item.get("code", ""), f"more than {MAX_CONDITIONS} conditions: not read"))
        self.out.profile["conditions"] = kept

    # ---- observations -----------------------------------------------------------------------------------
    def read_observations(self, observations: list[Resource]) -> None:
        variant_codes = self.codes.codes_for("variant")
        pd_l1_codes = self.codes.codes_for("pd_l1")
        stage_codes = self.codes.codes_for("stage_group")
        blood_codes = {role: self.codes.codes_for(role) for role in ("platelets", "haemoglobin")}
        blood: dict[str, list[tuple[str, float, Resource]]] = {"platelets": [], "haemoglobin": []}
        mutations: list[Any] = []
        pd_l1: list[tuple[str, str, float, Resource]] = []
        stage_groups: list[tuple[str, str, Resource]] = []
        for observation in observations:
            ref, shown = _ref(observation), concept_text(observation.code) or "(no code)"
            if observation.status in UNUSABLE_OBSERVATION_STATUS:
                self.out.not_mapped.append(NotMapped(ref, shown, f"status '{observation.status}': not used"))
            elif _has_code(observation.code, LOINC, variant_codes):
                mutation = self._variant(observation)
                if mutation is not None:
                    self.out.read[-1] += f" (sent as mutations[{len(mutations)}])"
                    mutations.append(mutation)
            elif _has_code(observation.code, LOINC, pd_l1_codes):
                score = self._pd_l1(observation)
                if score is not None:
                    pd_l1.append((*score, observation))
            elif role := next((r for r, codes in blood_codes.items() if _has_code(observation.code, LOINC, codes)), None):
                value = self._blood_count(observation, role)
                if value is not None:
                    blood[role].append((_when(observation), value, observation))
            elif _has_code(observation.code, LOINC, stage_codes):
                text = concept_text(observation.valueCodeableConcept) or observation.valueString
                if text:
                    stage_groups.append((_when(observation), text, observation))
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, "stage group without a value"))
            else:
                self.out.not_mapped.append(NotMapped(ref, shown, "an observation code this service does not read"))
        if mutations:
            self.out.profile["mutations"] = mutations[:50]
            for extra in mutations[50:]:
                self.out.not_mapped.append(NotMapped("Observation", str(extra), "more than 50 variant results: not read"))
        self._pd_l1_choice(pd_l1)
        self._blood_counts(blood)
        self._stage(stage_groups)

    def _component_values(self, observation: Resource) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for component in observation.component or []:
            role = None
            for coding in _codings(component.code):
                role = self.codes.component_roles.get((str(coding.system), str(coding.code)))
                if coding.system == LOINC and coding.code == SIGNIFICANCE_LOINC:
                    role = "significance"
                if role:
                    break
            if role is None:
                continue
            text = None
            if component.valueCodeableConcept is not None:
                concept = component.valueCodeableConcept
                if role == "gene":  # HGNC: the symbol is the display, the code an HGNC ID
                    text = next((c.display for c in _codings(concept) if c.display), None) or concept.text
                    if text is None:
                        text = next((str(c.code) for c in _codings(concept) if c.code and not str(c.code).upper().startswith("HGNC:")), None)
                elif role in ("c_hgvs", "p_hgvs", "transcript"):
                    text = next((str(c.code) for c in _codings(concept) if c.code), None) or concept.text or concept_text(concept)
                else:
                    text = concept_text(concept)
            elif component.valueString:
                text = component.valueString
            elif component.valueQuantity is not None and component.valueQuantity.value is not None:
                text = str(component.valueQuantity.value)
            if text:
                values.setdefault(role, []).append(text.strip())
        return values

    def _variant(self, observation: Resource) -> Any:
        ref = _ref(observation)
        values = self._component_values(observation)
        genes = values.get("gene", [])
        value = observation.valueCodeableConcept
        status = None
        for coding in _codings(value):
            if coding.system == LOINC and coding.code in self.codes.variant_status:
                status = self.codes.variant_status[str(coding.code)]
        if status is None and value is not None and concept_text(value):
            status = self.codes.variant_status_by_display.get((concept_text(value) or "").strip().lower())
        shown = " ".join([*genes, *values.get("p_hgvs", values.get("c_hgvs", []))]) or concept_text(observation.code) or "variant"
        if status is None:
            self.out.not_mapped.append(NotMapped(ref, shown, "no Present / Absent / No call / Indeterminate value: not read as a result"))
            return None
        if observation.status in PENDING_OBSERVATION_STATUS:
            status = "pending"
        if status == "detected" and any(s.strip().lower() == "uncertain significance" for s in values.get("significance", [])):
            status = "uncertain significance"
        if len(genes) != 1:
            self.out.not_mapped.append(NotMapped(ref, shown, "a variant result naming no gene or several genes: not read"))
            return None
        alteration = self._alteration(values)
        item: dict[str, Any] = {"gene": genes[0][:40], "status": status}
        if alteration:
            item["alteration"] = alteration[:100]
        try:
            MutationInput.model_validate(item)
        except ValidationError:
            self.out.not_mapped.append(NotMapped(ref, shown, f"result '{status}' cannot be sent in this release's profile"))
            return None
        self.out.read.append(f"{ref}: {genes[0]} {alteration or '(gene-level result)'}, {status}")
        return item

    @staticmethod
    def _alteration(values: dict[str, list[str]]) -> str | None:
        for protein in values.get("p_hgvs", []):
            change = protein.split(":", 1)[-1].strip()  # NP_005219.2:p.Leu858Arg -> p.Leu858Arg
            # p.(Leu858Arg): predicted from the DNA change; read as the change it names
            match = re.fullmatch(r"p\.\((.+)\)", change)
            return f"p.{match.group(1)}" if match else change
        for dna in values.get("c_hgvs", []):
            if ":" not in dna and values.get("transcript"):
                return f"{values['transcript'][0]}:{dna}"
            return dna
        return None

    def _pd_l1(self, observation: Resource) -> tuple[str, str, float] | None:
        ref, shown = _ref(observation), concept_text(observation.code) or "PD-L1"
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            self.out.not_mapped.append(NotMapped(ref, shown, "PD-L1 without a numeric score: not used"))
            return None
        unit = (quantity.code or quantity.unit or "").strip()
        if unit not in ("%", "{percent}", "") and quantity.code != "%":
            self.out.not_mapped.append(NotMapped(ref, shown, "PD-L1 score in a unit other than %: not used"))
            return None
        value = float(quantity.value)
        if not 0 <= value <= 100:
            self.out.not_mapped.append(NotMapped(ref, shown, "PD-L1 score outside 0-100: not used"))
            return None
        words = " ".join(
            t.lower() for t in [concept_text(observation.method), observation.code.text,
                                *[concept_text(c.code) or "" for c in observation.component or []]] if t  # fmt: skip
        )
        systems = [name for name, terms in SCORING_WORDS.items() if any(re.search(rf"\b{re.escape(t)}\b", words) for t in terms)]
        if len(systems) != 1:
            reason = "scoring method unknown (TPS, CPS or IC not stated): not used" if not systems else "more than one scoring method named: not used"
            self.out.not_mapped.append(NotMapped(ref, f"{shown} {value:g}%", reason))
            return None
        return _when(observation), systems[0], value

    def _blood_count(self, observation: Resource, role: str) -> float | None:
        """A platelet count in x10^9/L or a haemoglobin in g/dL, from a valueQuantity whose UCUM unit says which."""
        ref, shown = _ref(observation), concept_text(observation.code) or role
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            self.out.not_mapped.append(NotMapped(ref, shown, "a blood count without a numeric value: not used"))
            return None
        unit = (quantity.code or quantity.unit or "").strip()
        factor = BLOOD_COUNT_UNITS[role].get(unit)
        if factor is None:
            self.out.not_mapped.append(NotMapped(ref, f"{shown} {quantity.value} {unit}".strip(), "a unit this service does not convert: not used"))
            return None
        return round(float(quantity.value) * factor, 3)

    def _blood_counts(self, counts: dict[str, list[tuple[str, float, Resource]]]) -> None:
        """The most recent platelet count and haemoglobin, as numbers in the profile's units."""
        found: dict[str, float] = {}
        for role, values in counts.items():
            for index, (_, value, observation) in enumerate(sorted(values, key=lambda v: v[0], reverse=True)):
                unit = "x10^9/L" if role == "platelets" else "g/dL"
                if index:
                    self.out.not_mapped.append(NotMapped(_ref(observation), f"{role} {value:g} {unit}", "an earlier result than the one used"))
                    continue
                found[role] = value
                self.out.read.append(f"{_ref(observation)}: {role} {value:g} {unit} (the most recent)")
        if found:
            self.out.profile["blood_counts"] = found

    def _pd_l1_choice(self, scores: list[tuple[str, str, float, Resource]]) -> None:
        chosen: dict[str, tuple[str, float, Resource]] = {}
        for when, system, value, observation in sorted(scores, key=lambda s: s[0], reverse=True):
            if system in chosen:
                self.out.not_mapped.append(NotMapped(_ref(observation), f"PD-L1 {system.upper()} {value:g}%", "an earlier result than the one used"))
                continue
            chosen[system] = (when, value, observation)
            self.out.read.append(f"{_ref(observation)}: PD-L1 {system.upper()} {value:g}%")
        if chosen:
            self.out.profile["pd_l1"] = {system: value for system, (_, value, _) in chosen.items()}

    def _stage(self, groups: list[tuple[str, str, Resource]]) -> None:
        stage: str | None = None
        if groups:
            groups.sort(key=lambda g: g[0], reverse=True)
            _, stage, observation = groups[0]
            self.out.read.append(f"{_ref(observation)}: stage group '{stage}' (the most recent)")
            for _, text, other in groups[1:]:
                self.out.not_mapped.append(NotMapped(_ref(other), text, "an earlier stage group than the one used"))
        elif self._stage_from_conditions:
            where, stage = self._stage_from_conditions[0]
            self.out.read.append(f"{where}: '{stage}'")
        elif self._secondaries:
            stage = "metastatic"
        if stage:
            self.out.profile["stage"] = stage[:60]

    # ---- medications ------------------------------------------------------------------------------------
    def medication_names(self, resource: Resource) -> tuple[list[Any], str] | None:
        """The ingredient words to send for a MedicationRequest / MedicationStatement, and what was read."""
        concept = resource.medicationCodeableConcept
        how = "coded"
        if concept is None and resource.medicationReference is not None:
            reference = resource.medicationReference.reference or ""
            medication = None
            if reference.startswith("#"):
                medication = next((c for c in resource.contained or [] if c.id == reference[1:]), None)
            elif reference.startswith("Medication/"):
                medication = self.medications.get(reference.split("/", 1)[1])
            if medication is None or medication.get_resource_type() != "Medication":
                return None
            concept, how = medication.code, f"through {reference}"
        if concept is None:
            return None
        for coding in _codings(concept):
            if coding.system == RXNORM and (coding.display or coding.code):
                rxcui = str(coding.code) if coding.code and re.fullmatch(r"[0-9]{1,9}", str(coding.code)) else None
                code = f"RxNorm {coding.code}" if coding.code else "RxNorm"
                if not coding.display:
                    if rxcui is None:
                        continue
                    return [{"rxcui": rxcui}], f"{code} {how}"
                names: list[Any] = list(rxnorm_ingredients(coding.display))
                # the code names the whole clinical drug: it travels with the name only when there is one ingredient
                if rxcui and len(names) == 1:
                    names = [{"name": names[0][:100], "rxcui": rxcui}]
                return names, f"{code} '{coding.display}' {how}"
        text = concept_text(concept)
        return ([text], f"'{text}' {how}") if text else None

    def read_medications(self, requests: list[Resource], statements: list[Resource]) -> None:
        lines: list[str] = []
        for resource in [*requests, *statements]:
            ref = _ref(resource)
            active = ACTIVE_MEDICATION_REQUEST if resource.get_resource_type() == "MedicationRequest" else ACTIVE_MEDICATION_STATEMENT
            names = self.medication_names(resource)
            shown = names[1] if names else "medication"
            if resource.status not in active:
                self.out.not_mapped.append(NotMapped(ref, shown, f"status '{resource.status}': not a current medicine"))
                continue
            if names is None:
                self.out.not_mapped.append(NotMapped(ref, "medication", "medication not coded and not resolvable (no contained or prefetched Medication)"))
                continue
            sent = []
            for name in names[0]:
                if medicine_key(name) not in {medicine_key(line) for line in lines}:
                    sent.append(f"current_medications[{len(lines)}]")
                    lines.append(name[:200] if isinstance(name, str) else name)
            where = f" ({', '.join(sent)})" if sent else " (already sent)"
            self.out.read.append(f"{ref}: {names[1]}, sent as {', '.join(medicine_label(n) for n in names[0])}{where}")
        self.out.medication_lines = lines
        if lines:
            self.out.profile["current_medications"] = lines[:60]


def medicine_key(item: Any) -> str:
    """One medicine however it is sent: its name, folded, or its RxCUI."""
    if isinstance(item, str):
        return item.lower()
    return (item.get("name") or f"rxcui:{item.get('rxcui')}").lower()


def medicine_label(item: Any) -> str:
    if isinstance(item, str):
        return item
    return " ".join(p for p in (item.get("name"), f"(RxCUI {item['rxcui']})" if item.get("rxcui") else None) if p)


_STRENGTH = re.compile(r"\s\d")


def rxnorm_ingredients(display: str) -> list[str]:
    """RxNorm clinical drug names are 'ingredient strength unit form [Brand]': the ingredients are what precedes the strengths."""
    names = []
    for part in display.split(" / "):
        match = _STRENGTH.search(" " + part.strip())
        name = (" " + part.strip())[: match.start()].strip() if match else re.sub(r"\s*\[.*\]$", "", part.strip())
        if name:
            names.append(name)
    return names or [display]


def read_record(codes: FhirCodes, record: Any) -> FhirReading:
    reader = FhirReader(codes, record.medications)
    reader.read_conditions(record.conditions)
    reader.read_observations(record.observations)
    reader.read_medications(record.medication_requests, record.medication_statements)
    for kind in record.other:
        reader.out.not_mapped.append(NotMapped(kind, kind, "a resource type this service does not read"))
    return reader.out
