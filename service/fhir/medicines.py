"""MedicationRequest, MedicationStatement and MedicationAdministration: the current medicines, by RxNorm or words."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.resource import Resource

from service.fhir.codes import RXNORM
from service.fhir.reading import NotMapped, ReaderBase, codings, concept_text, ref_of

ACTIVE_MEDICATION_REQUEST = {"active"}
ACTIVE_MEDICATION_STATEMENT = {"active", "intended"}
ACTIVE_ADMINISTRATION = {"in-progress"}  # a completed administration is a dose given, not a medicine being taken
NOT_AN_ORDER_INTENT = {"proposal", "plan"}
_STRENGTH = re.compile(r"\s\d")


class MedicationReader(ReaderBase):
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
        for coding in codings(concept):
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
        for coding in codings(concept):
            if coding.system == RXNORM and coding.display:
                return list(rxnorm_ingredients(coding.display)), f"RxNorm '{coding.display}'"
        text = concept_text(concept)
        return ([text], f"'{text}'") if text else None

    def read_medications(self, requests: list[Resource], statements: list[Resource], administrations: list[Resource] | None = None) -> None:
        lines: list[str] = []
        for resource in [*requests, *statements, *(administrations or [])]:
            ref = ref_of(resource)
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


def rxnorm_ingredients(display: str) -> list[str]:
    """RxNorm clinical drug names are 'ingredient strength unit form [Brand]': the ingredients are what precedes the strengths."""
    names = []
    for part in display.split(" / "):
        match = _STRENGTH.search(" " + part.strip())
        name = (" " + part.strip())[: match.start()].strip() if match else re.sub(r"\s*\[.*\]$", "", part.strip())
        if name:
            names.append(name)
    return names or [display]
