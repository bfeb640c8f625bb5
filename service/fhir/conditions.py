"""Conditions: the current primary cancer (mCODE, SNOMED CT, ICD-10-CM), metastatic disease, stage, comorbidities."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.resource import Resource

from schemas.requests import PatientProfileInput
from service.fhir.codes import ICD10CM, SNOMED
from service.fhir.reading import SYSTEM_NAMES, NotMapped, ReaderBase, codings, concept_text, profiles_of, ref_of, status_code

MCODE_PRIMARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
MCODE_SECONDARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
CONDITION_SYSTEMS = {ICD10CM: "ICD-10-CM", SNOMED: "SNOMED CT"}
CURRENT_CLINICAL_STATUS = {"active": "active", "recurrence": "active", "relapse": "active"}
PAST_CLINICAL_STATUS = {"inactive": "inactive", "remission": "remission", "resolved": "resolved"}
NOT_USED_VERIFICATION = {"refuted", "entered-in-error"}
# a suspected cancer is not the cancer to treat; a suspected comorbidity is still sent (it can only add cautions)
UNCONFIRMED_VERIFICATION = {"unconfirmed", "provisional", "differential"}
MAX_CONDITIONS = 30
HISTOLOGY_EXTENSION = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
# a secondary cancer at one of these sites is a brain metastasis (the words of its code, display or body site)
_BRAIN_SITE = re.compile(r"\b(?:brain|cerebral|cerebellar|cerebellum|intracranial|cns|central nervous system|leptomeningeal)\b", re.IGNORECASE)
_AJCC_WORDS = re.compile(r"^(?:american joint committee on cancer|ajcc)\s+(?:(?:clinical|pathologic(?:al)?|yp)\s+)?(?:stage\s+(?:group\s+)?)?", re.IGNORECASE)
_AJCC_PREFIX = re.compile(r"^y?[cp](?=(?:iv|iii|ii|i|0)[abc]?[0-9]?$)", re.IGNORECASE)


def _system_name(system: Any) -> str:
    return SYSTEM_NAMES.get(str(system), "a code") if system else "an uncoded"


def icd10cm_dotted(code: str) -> str:
    """ICD-10-CM as FHIR writes it (C34.90); some systems send it without the dot (C3490)."""
    code = code.upper()
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 and "." not in code and re.fullmatch(r"[A-Z][0-9][0-9A-Z]{2,5}", code) else code


def _abated(condition: Resource) -> bool:
    return any(getattr(condition, name, None) for name in ("abatementDateTime", "abatementPeriod", "abatementString", "abatementAge", "abatementRange"))


def _names_brain(condition: Resource) -> bool:
    """A secondary cancer whose code, display or body site names the brain or its coverings."""
    concepts = [condition.code, *(condition.bodySite or [])]
    words = [concept_text(c) or "" for c in concepts] + [str(c.display or "") for concept in concepts for c in codings(concept)]
    return any(_BRAIN_SITE.search(w) for w in words)


def _histology_note(condition: Resource) -> str:
    """The mCODE histology-morphology-behavior extension, shown with the reading (it does not change the cancer type)."""
    for extension in condition.extension or []:
        if extension.url == HISTOLOGY_EXTENSION and extension.valueCodeableConcept is not None:
            return f"; histology '{concept_text(extension.valueCodeableConcept)}' shown, not used to choose the cancer type"
    return ""


def _read_as(text: str, words: str) -> str:
    return f"'{text}'" if text == words else f"'{text}' read as '{words}'"


def stage_words(text: str) -> str:
    """A SNOMED CT / AJCC stage group as the stage it names: 'American Joint Committee on Cancer stage IIIC
    (qualifier value)' and 'cIIIC' read as 'IIIC'; other words are passed on unchanged."""
    words = re.sub(r"\s*\((?:qualifier value|finding)\)$", "", text.strip(), flags=re.IGNORECASE)
    words = _AJCC_WORDS.sub("", words)
    return _AJCC_PREFIX.sub("", words) or text


class ConditionReader(ReaderBase):
    def read_conditions(self, conditions: list[Resource]) -> None:
        primaries: list[tuple[Resource, str, str]] = []  # (condition, cancer_type text, how it was read)
        secondaries: list[Resource] = []
        stage_texts: list[tuple[str, str]] = []
        comorbidities: list[dict[str, Any]] = []
        for condition in conditions:
            ref, shown = ref_of(condition), concept_text(condition.code) or "(no code or text)"
            verification = status_code(condition.verificationStatus)
            if verification in NOT_USED_VERIFICATION:
                self.out.not_mapped.append(NotMapped(ref, shown, f"verification status '{verification}': not used"))
                continue
            clinical = status_code(condition.clinicalStatus) or ("resolved" if _abated(condition) else "active")
            profiles = profiles_of(condition)
            row = self._cancer_row(condition.code)
            if MCODE_SECONDARY in profiles:
                if clinical in CURRENT_CLINICAL_STATUS:
                    secondaries.append(condition)
                    if _names_brain(condition):
                        # whether it is treated and stable is not in the resource: 'present' says not known which
                        self.out.profile["brain_metastases"] = "present"
                        self.out.read.append(f"{ref}: secondary cancer ({shown}) read as metastatic disease with brain metastases "
                                             "(present: whether active or treated and stable is not recorded)")  # fmt: skip
                    else:
                        self.out.read.append(f"{ref}: secondary cancer ({shown}) read as metastatic disease")
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"secondary cancer with clinical status '{clinical}': not current"))
                continue
            if MCODE_PRIMARY in profiles or row is not None:
                if verification in UNCONFIRMED_VERIFICATION:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"verification status '{verification}': the cancer is not a confirmed "
                                                         "diagnosis, so it is not the cancer answered for"))  # fmt: skip
                    continue
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
                    codes = ", ".join(f"{_system_name(c.system)} {c.code}" for c in codings(condition.code) if c.code)
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
                unconfirmed = f", verification '{verification}' (sent all the same)" if verification in UNCONFIRMED_VERIFICATION else ""
                self.out.read.append(
                    f"{ref}: condition ({shown}), clinical status {comorbidity['clinical_status']}{unconfirmed} (sent as conditions[{len(comorbidities)}])"
                )
                comorbidities.append(comorbidity)
        self._primary(primaries)
        self._stage_from_conditions = stage_texts
        self._secondaries = secondaries
        self._conditions(comorbidities)

    def _cancer_row(self, concept: Any) -> Any:
        # SNOMED CT names histology; an ICD-10-CM code often names only the organ, so SNOMED is read first
        for system in (SNOMED, ICD10CM):
            for coding in codings(concept):
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
                    NotMapped(ref_of(condition), concept_text(condition.code) or "", "more than one current primary cancer: "
                              "this service answers for one cancer at a time")  # fmt: skip
                )
            return
        if primaries:
            condition, cancer, how = primaries[0]
            self.out.profile["cancer_type"] = cancer[:100]
            self.out.read.append(f"{ref_of(condition)}: primary cancer, {how}")
            for other, _, _ in primaries[1:]:
                self.out.read.append(f"{ref_of(other)}: the same primary cancer recorded again")

    def _comorbidity(self, condition: Resource, clinical: str) -> dict[str, Any] | None:
        status = CURRENT_CLINICAL_STATUS.get(clinical) or PAST_CLINICAL_STATUS.get(clinical) or "active"
        item: dict[str, Any] = {"clinical_status": status}
        for coding in codings(condition.code):
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

    def _stage(self, groups: list[tuple[str, str, Resource]]) -> None:
        stage: str | None = None
        if groups:
            groups.sort(key=lambda g: g[0], reverse=True)
            _, text, observation = groups[0]
            stage = stage_words(text)
            self.out.read.append(f"{ref_of(observation)}: stage group {_read_as(text, stage)} (the most recent)")
            for _, other_text, other in groups[1:]:
                self.out.not_mapped.append(NotMapped(ref_of(other), other_text, "an earlier stage group than the one used"))
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
