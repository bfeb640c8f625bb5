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
ACTIVE_ADMINISTRATION = {"in-progress"}  # a completed administration is a dose given, not a medicine being taken
NOT_AN_ORDER_INTENT = {"proposal", "plan"}
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
IMPLICATION_ROLES = {"diagnostic_implication", "therapeutic_implication"}
TUMOR_MARKERS = {"msi": "MSI", "tmb": "TMB", "her2": "HER2"}  # Observation role -> the biomarker name the engine reads
# clinical significance words (LOINC answer list LL4034-6 displays) that make a present variant no actionable result
BENIGN_WORDS = {"benign", "likely benign", "presumed benign"}
UNCERTAIN_WORDS = {"uncertain significance", "unknown significance"}
FUSION_WORDS = re.compile(r"fusion|rearrange|translocation", re.IGNORECASE)
PRELIMINARY_OBSERVATION_STATUS = {"preliminary"}


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


HISTOLOGY_EXTENSION = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
SYSTEM_NAMES = {ICD10CM: "ICD-10-CM", SNOMED: "SNOMED CT", ICDO3: "ICD-O-3", LOINC: "LOINC", RXNORM: "RxNorm"}


def _system_name(system: Any) -> str:
    return SYSTEM_NAMES.get(str(system), "a code") if system else "an uncoded"


def icd10cm_dotted(code: str) -> str:
    """ICD-10-CM as FHIR writes it (C34.90); some systems send it without the dot (C3490)."""
    code = code.upper()
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 and "." not in code and re.fullmatch(r"[A-Z][0-9][0-9A-Z]{2,5}", code) else code


def _abated(condition: Resource) -> bool:
    return any(getattr(condition, name, None) for name in ("abatementDateTime", "abatementPeriod", "abatementString", "abatementAge", "abatementRange"))


def _histology_note(condition: Resource) -> str:
    """The mCODE histology-morphology-behavior extension, shown with the reading (it does not change the cancer type)."""
    for extension in condition.extension or []:
        if extension.url == HISTOLOGY_EXTENSION and extension.valueCodeableConcept is not None:
            return f"; histology '{concept_text(extension.valueCodeableConcept)}' shown, not used to choose the cancer type"
    return ""


def _without_gene(words: str, gene: str) -> str:
    """'MET exon 14 skipping' with gene MET is the change 'exon 14 skipping'."""
    rest = re.sub(rf"^{re.escape(gene)}\b[\s:]*", "", words.strip(), flags=re.IGNORECASE)
    return rest or words


def _when(resource: Resource) -> str:
    for name in ("effectiveDateTime", "issued", "recordedDate", "onsetDateTime", "authoredOn", "dateAsserted"):
        value = getattr(resource, name, None)
        if value:
            return str(value)
    return ""


class FhirReader:
    """Reads one patient's resources; `read()` returns the profile input and the account of every resource."""

    def __init__(self, codes: FhirCodes, medications: dict[str, Resource], urls: dict[str, str] | None = None) -> None:
        self.codes = codes
        self.medications = medications
        self.urls = urls or {}
        self.out = FhirReading()
        self._stage_from_conditions: list[tuple[str, str]] = []
        self._secondaries: list[Resource] = []

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
            clinical = _status_code(condition.clinicalStatus) or ("resolved" if _abated(condition) else "active")
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
                    how += _histology_note(condition)
                    primaries.append((condition, row.oncotree, how))
                elif condition.code is not None and concept_text(condition.code):
                    codes = ", ".join(f"{_system_name(c.system)} {c.code}" for c in _codings(condition.code) if c.code)
                    why = f"{codes} not in this service's code table: its words were read" if codes else "no code: its words were read"
                    primaries.append((condition, concept_text(condition.code) or "", why + _histology_note(condition)))
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
                    code = str(coding.code).strip()
                    if system == ICD10CM:
                        code = icd10cm_dotted(code)
                    row = self.codes.cancer_code(system, code)
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
                code = icd10cm_dotted(str(coding.code).strip()) if coding.system == ICD10CM else str(coding.code).strip()
                item.update(code=code[:20], system=coding.system)
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
        blood: dict[str, list[tuple[str, float, Resource]]] = {"platelets": [], "haemoglobin": []}
        mutations: list[Any] = []
        pd_l1: list[tuple[str, str, float, Resource]] = []
        stage_groups: list[tuple[str, str, Resource]] = []
        latest: dict[str, list[tuple[str, Any, Resource]]] = {"ecog": [], "qtc": []}
        biomarkers: list[tuple[str, str, str, Resource]] = []  # (when, name, status, observation)
        usable = [o for o in observations if self._usable_observation(o)]
        variant_refs = {_ref(o) for o in usable if self.codes.role_of(o.code) == "variant"}
        significance = self._implications([o for o in usable if self.codes.role_of(o.code) in IMPLICATION_ROLES], variant_refs)
        for observation in usable:
            ref, shown = _ref(observation), concept_text(observation.code) or "(no code)"
            role = self.codes.role_of(observation.code)
            if role in IMPLICATION_ROLES:
                continue
            if role == "variant":
                mutation = self._variant(observation, significance.get(ref))
                if mutation is not None:
                    self.out.read[-1] += f" (sent as mutations[{len(mutations)}])"
                    mutations.append(mutation)
            elif role == "pd_l1":
                score = self._pd_l1(observation)
                if score is not None:
                    pd_l1.append((*score, observation))
            elif role in blood:
                value = self._blood_count(observation, role)
                if value is not None:
                    blood[role].append((_when(observation), value, observation))
            elif role == "stage_group":
                text = concept_text(observation.valueCodeableConcept) or observation.valueString
                if text:
                    stage_groups.append((_when(observation), text, observation))
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, "stage group without a value"))
            elif role == "ecog":
                score = self._ecog(observation)
                if score is not None:
                    latest["ecog"].append((_when(observation), score, observation))
            elif role == "karnofsky":
                value = observation.valueInteger if observation.valueInteger is not None else getattr(observation.valueQuantity, "value", None)
                what = f"Karnofsky {value}" if value is not None else shown
                self.out.not_mapped.append(NotMapped(ref, what, "Karnofsky performance status is not converted to ECOG: send ECOG (LOINC 89247-1)"))
            elif role == "qtc":
                qtc = self._qtc(observation)
                if qtc is not None:
                    latest["qtc"].append((_when(observation), qtc, observation))
            elif role in TUMOR_MARKERS:
                status = self._marker_status(observation)
                if status is None:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"{TUMOR_MARKERS[role]} result without a value: not used"))
                else:
                    biomarkers.append((_when(observation), TUMOR_MARKERS[role], status, observation))
            else:
                self.out.not_mapped.append(NotMapped(ref, shown, "an observation code this service does not read"))
        if mutations:
            self.out.profile["mutations"] = mutations[:50]
            for extra in mutations[50:]:
                self.out.not_mapped.append(NotMapped("Observation", str(extra), "more than 50 variant results: not read"))
        self._pd_l1_choice(pd_l1)
        self._blood_counts(blood)
        self._stage(stage_groups)
        self._latest_values(latest)
        self._biomarkers(biomarkers)

    def _usable_observation(self, observation: Resource) -> bool:
        ref, shown = _ref(observation), concept_text(observation.code) or "(no code)"
        if observation.status in UNUSABLE_OBSERVATION_STATUS:
            self.out.not_mapped.append(NotMapped(ref, shown, f"status '{observation.status}': not used"))
            return False
        if observation.status == "unknown":
            self.out.not_mapped.append(NotMapped(ref, shown, "status 'unknown': whether this result is final is not known; not used"))
            return False
        return True

    def _implications(self, implications: list[Resource], variants: set[str]) -> dict[str, str]:
        """Clinical significance a Genomics Reporting DiagnosticImplication gives the variants it is derived from."""
        found: dict[str, str] = {}
        for observation in implications:
            ref = _ref(observation)
            if self.codes.role_of(observation.code) == "therapeutic_implication":
                self.out.not_mapped.append(NotMapped(ref, "therapeutic implication", "a laboratory's therapeutic annotation: this "
                                                     "service makes its own assessment from the variant; not used"))  # fmt: skip
                continue
            values = self._component_values(observation)
            words = values.get("significance", [])
            targets = [self._reference(r.reference) for r in observation.derivedFrom or [] if r.reference]
            known = [t for t in targets if t in variants]
            if not words or not known:
                why = "no clinical significance given" if not words else "derived from no variant result in the record"
                self.out.not_mapped.append(NotMapped(ref, "diagnostic implication", f"{why}: not used"))
                continue
            for target in known:
                found[target] = words[0]
            self.out.read.append(f"{ref}: clinical significance '{words[0]}' of {', '.join(known)}")
        return found

    def _reference(self, reference: str) -> str:
        """A reference as "Type/id": a Bundle fullUrl through the record's entries, an absolute URL by its last two parts."""
        if reference in self.urls:
            return self.urls[reference]
        parts = reference.rstrip("/").split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else reference

    def _ecog(self, observation: Resource) -> int | None:
        ref = _ref(observation)
        value = observation.valueInteger
        if value is None and observation.valueQuantity is not None and observation.valueQuantity.value is not None:
            value = observation.valueQuantity.value
        if value is None or float(value) not in (0, 1, 2, 3, 4):
            self.out.not_mapped.append(NotMapped(ref, "ECOG", "ECOG without a whole-number score 0-4 (valueInteger): not used"))
            return None
        return int(value)

    def _qtc(self, observation: Resource) -> float | None:
        ref, shown = _ref(observation), concept_text(observation.code) or "QTc"
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            self.out.not_mapped.append(NotMapped(ref, shown, "QTc without a numeric value: not used"))
            return None
        unit = (quantity.code or quantity.unit or "").strip()
        factor = {"ms": 1.0, "msec": 1.0, "s": 1000.0}.get(unit)
        value = float(quantity.value) * factor if factor is not None else None
        if value is None or not 200 <= value <= 800:
            why = "a unit this service does not convert" if factor is None else "outside 200-800 ms"
            self.out.not_mapped.append(NotMapped(ref, f"{shown} {quantity.value} {unit}".strip(), f"QTc {why}: not used"))
            return None
        return round(value, 1)

    def _latest_values(self, latest: dict[str, list[tuple[str, Any, Resource]]]) -> None:
        """The most recent ECOG and QTc; earlier ones are listed as not used."""
        for role, values in latest.items():
            for index, (_, value, observation) in enumerate(sorted(values, key=lambda v: v[0], reverse=True)):
                shown = f"ECOG {value}" if role == "ecog" else f"QTc {value:g} ms"
                if index:
                    self.out.not_mapped.append(NotMapped(_ref(observation), shown, "an earlier result than the one used"))
                    continue
                if role == "ecog":
                    self.out.profile["ecog"] = value
                    self.out.read.append(f"{_ref(observation)}: {shown} (the most recent; sent as ecog)")
                else:
                    self.out.profile.setdefault("organ_function", {})["qtc_ms"] = value
                    self.out.read.append(f"{_ref(observation)}: {shown} (the most recent; sent as organ_function.qtc_ms)")

    def _marker_status(self, observation: Resource) -> str | None:
        """A tumour marker's result in the report's words: its coded or text value, else its interpretation, else the number."""
        text = concept_text(observation.valueCodeableConcept) or observation.valueString
        if text:
            return text.strip()
        for interpretation in observation.interpretation or []:
            words = concept_text(interpretation)
            if words:
                return words.strip()
        quantity = observation.valueQuantity
        if quantity is not None and quantity.value is not None:
            return f"{quantity.value:g} {quantity.unit or quantity.code or ''}".strip()
        return None

    def _biomarkers(self, found: list[tuple[str, str, str, Resource]]) -> None:
        chosen: dict[str, str] = {}
        sent: list[dict[str, str]] = []
        for _, name, status, observation in sorted(found, key=lambda f: f[0], reverse=True):
            if name in chosen:
                self.out.not_mapped.append(NotMapped(_ref(observation), f"{name} {status}", "an earlier result than the one used"))
                continue
            chosen[name] = status
            self.out.read.append(f"{_ref(observation)}: {name} '{status}' (sent as biomarkers[{len(sent)}])")
            sent.append({"name": name, "status": status[:40]})
        if sent:
            self.out.profile["biomarkers"] = sent

    def _component_values(self, observation: Resource) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for component in observation.component or []:
            role = None
            for coding in _codings(component.code):
                role = self.codes.component_roles.get((str(coding.system), str(coding.code)))
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

    def _variant(self, observation: Resource, implied_significance: str | None = None) -> Any:
        ref = _ref(observation)
        values = self._component_values(observation)
        genes = list(dict.fromkeys(values.get("gene", [])))
        value = observation.valueCodeableConcept
        status = None
        for coding in _codings(value):
            if coding.system == LOINC and coding.code in self.codes.variant_status:
                status = self.codes.variant_status[str(coding.code)]
        if status is None and value is not None and concept_text(value):
            status = self.codes.variant_status_by_display.get((concept_text(value) or "").strip().lower())
        if status is None and observation.valueString:
            status = self.codes.variant_status_by_display.get(observation.valueString.strip().lower())
        named = values.get("variation_code", []) + values.get("cytogenomic", [])
        shown = " ".join([*genes, *values.get("p_hgvs", values.get("c_hgvs", []))]) or " ".join(named) or concept_text(observation.code) or "variant"
        if status is None:
            self.out.not_mapped.append(NotMapped(ref, shown, "no Present / Absent / No call / Indeterminate value: not read as a result"))
            return None
        notes: list[str] = []
        if observation.status in PENDING_OBSERVATION_STATUS:
            status = "pending"
        elif observation.status in PRELIMINARY_OBSERVATION_STATUS and status == "detected":
            status = "pending"
            notes.append("preliminary result: used once final")
        significance = [s.strip().lower() for s in values.get("significance", [])]
        if implied_significance:
            significance.append(implied_significance.strip().lower())
        if status == "detected" and any(s in BENIGN_WORDS for s in significance):
            self.out.not_mapped.append(NotMapped(ref, shown, "reported as benign or likely benign: not an alteration used for treatment"))
            return None
        if status == "detected" and any(s in UNCERTAIN_WORDS for s in significance):
            status = "uncertain significance"
        source = [s.lower() for s in values.get("source_class", [])]
        if "germline" in source:
            notes.append("germline")
        # no HGVS: the variation code's words name the change ("MET exon 14 skipping"), never a gene-level guess
        alteration = self._alteration(values) or (_without_gene(named[0], genes[0]) if named and len(genes) == 1 else None)
        if len(genes) == 2 and not self._alteration(values) and any(FUSION_WORDS.search(t) for t in [*values.get("change_type", []), *named]):
            # Genomics Reporting / mCODE report a fusion as two genes studied with a rearrangement change type
            text, how = f"{genes[0]}::{genes[1]} fusion", "two genes studied with a rearrangement, read as a fusion"
            return self._variant_text(ref, text, status, how, notes)
        if not genes and named:
            # a variant named only by its variation code text (e.g. "ROS1 fusion"): its words go to the variant reader
            return self._variant_text(ref, named[0], status, "no gene studied: the variation code's words were read", notes)
        if len(genes) != 1:
            self.out.not_mapped.append(NotMapped(ref, shown, "a variant result naming no gene or several genes: not read"))
            return None
        item: dict[str, Any] = {"gene": genes[0][:40], "status": status}
        if alteration:
            item["alteration"] = alteration[:100]
        try:
            MutationInput.model_validate(item)
        except ValidationError:
            self.out.not_mapped.append(NotMapped(ref, shown, f"result '{status}' cannot be sent in this release's profile"))
            return None
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.out.read.append(f"{ref}: {genes[0]} {alteration or '(gene-level result)'}, {status}{extra}")
        return item

    def _variant_text(self, ref: str, text: str, status: str, how: str, notes: list[str]) -> str:
        """A variant sent as words, with its result in words the variant reader knows ('EML4::ALK fusion pending')."""
        words = {"detected": "", "not detected": "not detected", "pending": "pending", "equivocal": "equivocal",
                 "uncertain significance": "uncertain significance", "not tested": "not tested"}[status]  # fmt: skip
        sent = f"{text} {words}".strip()[:200]
        extra = f"; {'; '.join(notes)}" if notes else ""
        self.out.read.append(f"{ref}: {text}, {status} ({how}{extra})")
        return sent

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
            _, text, observation = groups[0]
            stage = stage_words(text)
            self.out.read.append(f"{_ref(observation)}: stage group {_read_as(text, stage)} (the most recent)")
            for _, other_text, other in groups[1:]:
                self.out.not_mapped.append(NotMapped(_ref(other), other_text, "an earlier stage group than the one used"))
        elif self._stage_from_conditions:
            where, text = self._stage_from_conditions[0]
            stage = stage_words(text)
            self.out.read.append(f"{where}: {_read_as(text, stage)}")
            for other_where, other_text in self._stage_from_conditions[1:]:
                self.out.not_mapped.append(NotMapped(other_where, other_text, "another Condition.stage than the one used"))
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
            elif reference in self.medications:  # a Bundle entry's fullUrl (urn:uuid:...)
                medication = self.medications[reference]
            elif self._reference(reference).startswith("Medication/"):
                medication = self.medications.get(self._reference(reference).split("/", 1)[1])
            if medication is None or medication.get_resource_type() != "Medication":
                return None
            concept, how = medication.code, f"through {reference}"
            if concept is None or not concept_text(concept):
                return self._ingredients(medication, how)
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

    def _ingredients(self, medication: Resource, how: str) -> tuple[list[Any], str] | None:
        """A Medication with no code (a compounded product): the ingredients it lists, each as a medicine."""
        names: list[Any] = []
        for ingredient in medication.ingredient or []:
            concept = getattr(ingredient, "itemCodeableConcept", None)
            found = self.medication_names_of(concept) if concept is not None else None
            if found:
                names += found[0]
        return (names, f"the ingredients of {how.removeprefix('through ')}") if names else None

    def medication_names_of(self, concept: Any) -> tuple[list[Any], str] | None:
        for coding in _codings(concept):
            if coding.system == RXNORM and coding.display:
                return list(rxnorm_ingredients(coding.display)), f"RxNorm '{coding.display}'"
        text = concept_text(concept)
        return ([text], f"'{text}'") if text else None

    def read_medications(self, requests: list[Resource], statements: list[Resource], administrations: list[Resource] | None = None) -> None:
        lines: list[str] = []
        for resource in [*requests, *statements, *(administrations or [])]:
            ref = _ref(resource)
            kind = resource.get_resource_type()
            active = {"MedicationRequest": ACTIVE_MEDICATION_REQUEST, "MedicationStatement": ACTIVE_MEDICATION_STATEMENT}.get(kind, ACTIVE_ADMINISTRATION)
            names = self.medication_names(resource)
            shown = names[1] if names else "medication"
            if resource.status not in active:
                why = f"status '{resource.status}': not a current medicine"
                if kind == "MedicationAdministration":
                    why = f"an administration with status '{resource.status}': a record of a dose given, not a current medicine"
                self.out.not_mapped.append(NotMapped(ref, shown, why))
                continue
            if kind == "MedicationRequest" and getattr(resource, "doNotPerform", None):
                self.out.not_mapped.append(NotMapped(ref, shown, "an order not to give this medicine (doNotPerform): not a current medicine"))
                continue
            if kind == "MedicationRequest" and resource.intent in NOT_AN_ORDER_INTENT:
                self.out.not_mapped.append(NotMapped(ref, shown, f"intent '{resource.intent}': proposed or planned, not a current medicine"))
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
_AJCC_WORDS = re.compile(r"^(?:american joint committee on cancer|ajcc)\s+(?:(?:clinical|pathologic(?:al)?|yp)\s+)?(?:stage\s+(?:group\s+)?)?", re.IGNORECASE)
_AJCC_PREFIX = re.compile(r"^y?[cp](?=(?:iv|iii|ii|i|0)[abc]?[0-9]?$)", re.IGNORECASE)


def _read_as(text: str, words: str) -> str:
    return f"'{text}'" if text == words else f"'{text}' read as '{words}'"


def stage_words(text: str) -> str:
    """A SNOMED CT / AJCC stage group as the stage it names: 'American Joint Committee on Cancer stage IIIC
    (qualifier value)' and 'cIIIC' read as 'IIIC'; other words are passed on unchanged."""
    words = re.sub(r"\s*\((?:qualifier value|finding)\)$", "", text.strip(), flags=re.IGNORECASE)
    words = _AJCC_WORDS.sub("", words)
    return _AJCC_PREFIX.sub("", words) or text


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
    reader = FhirReader(codes, record.medications, record.urls)
    for patient in record.patient:
        reader.out.read.append(f"{_ref(patient)}: the patient (demographics are not used)")
    reader.read_conditions(record.conditions)
    reader.read_observations(record.observations)
    reader.read_medications(record.medication_requests, record.medication_statements, record.medication_administrations)
    for ref in record.other:
        kind = ref.split("/", 1)[0]
        reader.out.not_mapped.append(NotMapped(ref, kind, "a resource type this service does not read"))
    return reader.out
