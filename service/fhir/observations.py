"""Observations: Genomics Reporting variants and implications, PD-L1, tumour markers, ECOG, QTc, creatinine clearance,
blood counts, stage group."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from schemas.requests import MutationInput, OrganFunctionInput
from service.fhir.codes import LOINC
from service.fhir.reading import NotMapped, ReaderBase, codings, concept_text, ref_of, when_of
from service.knowledge.terms import fold

UNUSABLE_OBSERVATION_STATUS = {"cancelled", "entered-in-error"}
PENDING_OBSERVATION_STATUS = {"registered"}
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
# Observation role -> the biomarker name the engine reads
TUMOR_MARKERS = {"msi": "MSI", "tmb": "TMB", "her2": "HER2", "er": "ER", "pr": "PR"}
# clinical significance words (LOINC answer list LL4034-6 displays) that make a present variant no actionable result
BENIGN_WORDS = {"benign", "likely benign", "presumed benign"}
UNCERTAIN_WORDS = {"uncertain significance", "unknown significance"}
FUSION_WORDS = re.compile(r"fusion|rearrange|translocation", re.IGNORECASE)
PRELIMINARY_OBSERVATION_STATUS = {"preliminary"}

# the profile's own bounds on a QTc (schemas/requests.py), so a reading is refused here for the same reason
_QTC_FIELD = OrganFunctionInput.model_fields["qtc_ms"].metadata
QTC_LOW_MS = next(m.ge for m in _QTC_FIELD if hasattr(m, "ge"))
QTC_HIGH_MS = next(m.le for m in _QTC_FIELD if hasattr(m, "le"))
_CRCL_FIELD = OrganFunctionInput.model_fields["creatinine_clearance_ml_min"].metadata
CRCL_LOW = next(m.ge for m in _CRCL_FIELD if hasattr(m, "ge"))
CRCL_HIGH = next(m.le for m in _CRCL_FIELD if hasattr(m, "le"))
# what the latest result of each kind is sent as, and how it is shown
LATEST_FIELDS = {
    "ecog": (None, "ecog", "ECOG {value}"),
    "qtc": ("organ_function", "qtc_ms", "QTc {value:g} ms"),
    "creatinine_clearance": ("organ_function", "creatinine_clearance_ml_min", "creatinine clearance {value:g} mL/min"),
}


def _without_gene(words: str, gene: str) -> str:
    """'MET exon 14 skipping' with gene MET is the change 'exon 14 skipping'."""
    rest = re.sub(rf"^{re.escape(gene)}\b[\s:]*", "", words.strip(), flags=re.IGNORECASE)
    return rest or words


class ObservationReader(ReaderBase):
    def read_observations(self, observations: list[Resource]) -> None:
        blood: dict[str, list[tuple[str, float, Resource]]] = {"platelets": [], "haemoglobin": []}
        mutations: list[Any] = []
        pd_l1: list[tuple[str, str, float, Resource]] = []
        stage_groups: list[tuple[str, str, Resource]] = []
        latest: dict[str, list[tuple[str, Any, Resource]]] = {role: [] for role in LATEST_FIELDS}
        biomarkers: list[tuple[str, str, str, Resource]] = []  # (when, name, status, observation)
        usable = [o for o in observations if self._usable_observation(o)]
        variant_refs = {ref_of(o) for o in usable if self.codes.role_of(o.code) == "variant"}
        significance = self._implications([o for o in usable if self.codes.role_of(o.code) in IMPLICATION_ROLES], variant_refs)
        for observation in usable:
            ref, shown = ref_of(observation), concept_text(observation.code) or "(no code)"
            role = self.codes.role_of(observation.code)
            if role in IMPLICATION_ROLES:
                continue
            if role == "variant":
                lesion = self._cytogenetic_lesion(observation)
                if lesion is not None:
                    # a chromosomal deletion or gain named in ISCN (del(17p)) is a biomarker of the profile, not a variant
                    biomarkers.append((when_of(observation), lesion[0], lesion[1], observation))
                    continue
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
                    blood[role].append((when_of(observation), value, observation))
            elif role == "stage_group":
                text = concept_text(observation.valueCodeableConcept) or observation.valueString
                if text:
                    stage_groups.append((when_of(observation), text, observation))
                else:
                    self.out.not_mapped.append(NotMapped(ref, shown, "stage group without a value"))
            elif role == "ecog":
                score = self._ecog(observation)
                if score is not None:
                    latest["ecog"].append((when_of(observation), score, observation))
            elif role == "karnofsky":
                value = observation.valueInteger if observation.valueInteger is not None else getattr(observation.valueQuantity, "value", None)
                what = f"Karnofsky {value}" if value is not None else shown
                self.out.not_mapped.append(NotMapped(ref, what, "Karnofsky performance status is not converted to ECOG: send ECOG (LOINC 89247-1)"))
            elif role == "qtc":
                qtc = self._qtc(observation)
                if qtc is not None:
                    latest["qtc"].append((when_of(observation), qtc, observation))
            elif role == "creatinine_clearance":
                clearance = self._creatinine_clearance(observation)
                if clearance is not None:
                    latest["creatinine_clearance"].append((when_of(observation), clearance, observation))
            elif role in TUMOR_MARKERS:
                status = self._marker_status(observation)
                if status is None:
                    self.out.not_mapped.append(NotMapped(ref, shown, f"{TUMOR_MARKERS[role]} result without a value: not used"))
                else:
                    biomarkers.append((when_of(observation), TUMOR_MARKERS[role], status, observation))
            elif role is None and fold(shown) in self.codes.biomarker_names:
                # a local code named only by a biomarker's name ("Estrogen receptor", "Child-Pugh class"): its result
                # goes to the biomarker reader with that name, exactly as the JSON route reads the same words
                status = self._marker_status(observation)
                if status is None:
                    self.out.not_mapped.append(NotMapped(ref, shown, "a biomarker named without a result: not used"))
                else:
                    biomarkers.append((when_of(observation), shown.strip()[:40], status, observation))
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
        ref, shown = ref_of(observation), concept_text(observation.code) or "(no code)"
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
            ref = ref_of(observation)
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

    def _ecog(self, observation: Resource) -> int | None:
        ref = ref_of(observation)
        value = observation.valueInteger
        if value is None and observation.valueQuantity is not None and observation.valueQuantity.value is not None:
            value = observation.valueQuantity.value
        if value is None or float(value) not in (0, 1, 2, 3, 4):
            self.out.not_mapped.append(NotMapped(ref, "ECOG", "ECOG without a whole-number score 0-4 (valueInteger): not used"))
            return None
        return int(value)

    def _quantity(self, observation: Resource, name: str, missing: str) -> tuple[str, str, Any, str] | None:
        """The observation's reference, shown name, valueQuantity and unit; without a numeric value it is not used."""
        ref, shown = ref_of(observation), concept_text(observation.code) or name
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            self.out.not_mapped.append(NotMapped(ref, shown, f"{missing}: not used"))
            return None
        return ref, shown, quantity, (quantity.code or quantity.unit or "").strip()

    def _qtc(self, observation: Resource) -> float | None:
        measured = self._quantity(observation, "QTc", "QTc without a numeric value")
        if measured is None:
            return None
        ref, shown, quantity, unit = measured
        factor = {"ms": 1.0, "msec": 1.0, "s": 1000.0}.get(unit)
        value = float(quantity.value) * factor if factor is not None else None
        if value is None or not QTC_LOW_MS <= value <= QTC_HIGH_MS:
            why = "a unit this service does not convert" if factor is None else f"outside {QTC_LOW_MS:g}-{QTC_HIGH_MS:g} ms"
            self.out.not_mapped.append(NotMapped(ref, f"{shown} {quantity.value} {unit}".strip(), f"QTc {why}: not used"))
            return None
        return round(value, 1)

    def _creatinine_clearance(self, observation: Resource) -> float | None:
        measured = self._quantity(observation, "creatinine clearance", "creatinine clearance without a numeric value")
        if measured is None:
            return None
        ref, shown, quantity, unit = measured
        # mL/min only: a clearance normalised to 1.73 m2, or an estimated GFR, is not the clearance the labels dose by
        factor = {"mL/min": 1.0, "ml/min": 1.0}.get(unit)
        value = float(quantity.value) * factor if factor is not None else None
        if value is None or not CRCL_LOW <= value <= CRCL_HIGH:
            why = f"unit '{unit}' is not mL/min" if factor is None else f"outside {CRCL_LOW:g}-{CRCL_HIGH:g} mL/min"
            self.out.not_mapped.append(NotMapped(ref, f"{shown} {quantity.value} {unit}".strip(), f"creatinine clearance {why}: not used"))
            return None
        return round(value, 1)

    def _latest_values(self, latest: dict[str, list[tuple[str, Any, Resource]]]) -> None:
        """The most recent ECOG, QTc and creatinine clearance; earlier ones are listed as not used."""
        for role, values in latest.items():
            group, field, template = LATEST_FIELDS[role]
            for index, (_, value, observation) in enumerate(sorted(values, key=lambda v: v[0], reverse=True)):
                shown = template.format(value=value)
                if index:
                    self.out.not_mapped.append(NotMapped(ref_of(observation), shown, "an earlier result than the one used"))
                    continue
                (self.out.profile.setdefault(group, {}) if group else self.out.profile)[field] = value
                sent_as = f"{group}.{field}" if group else field
                self.out.read.append(f"{ref_of(observation)}: {shown} (the most recent; sent as {sent_as})")

    def _marker_status(self, observation: Resource) -> str | None:
        """A tumour marker's result in the report's words: its coded or text value, else its interpretation, else the number.
        A result not yet final (registered, preliminary) is pending, whatever its value says."""
        if _not_final(observation):
            return "pending"
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
                self.out.not_mapped.append(NotMapped(ref_of(observation), f"{name} {status}", "an earlier result than the one used"))
                continue
            chosen[name] = status
            self.out.read.append(f"{ref_of(observation)}: {name} '{status}' (sent as biomarkers[{len(sent)}])")
            sent.append({"name": name, "status": status[:40]})
        if sent:
            self.out.profile["biomarkers"] = sent

    def _component_values(self, observation: Resource) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for component in observation.component or []:
            role = None
            for coding in codings(component.code):
                role = self.codes.component_roles.get((str(coding.system), str(coding.code)))
                if role:
                    break
            if role is None:
                continue
            text = None
            if component.valueCodeableConcept is not None:
                concept = component.valueCodeableConcept
                if role == "gene":  # HGNC: the symbol is the display, the code an HGNC ID
                    text = next((c.display for c in codings(concept) if c.display), None) or concept.text
                    if text is None:
                        text = next((str(c.code) for c in codings(concept) if c.code and not str(c.code).upper().startswith("HGNC:")), None)
                elif role in ("c_hgvs", "p_hgvs", "transcript"):
                    text = next((str(c.code) for c in codings(concept) if c.code), None) or concept.text or concept_text(concept)
                else:
                    text = concept_text(concept)
            elif component.valueString:
                text = component.valueString
            elif component.valueQuantity is not None and component.valueQuantity.value is not None:
                text = str(component.valueQuantity.value)
            if text:
                values.setdefault(role, []).append(text.strip())
        return values

    def _cytogenetic_lesion(self, observation: Resource) -> tuple[str, str] | None:
        """(ISCN, result) for a Variant naming only a chromosomal deletion or gain ("del(17)(p13.1)"), which the
        profile carries as a biomarker; None for anything else (a gene, a translocation, no final result)."""
        values = self._component_values(observation)
        iscn = values.get("cytogenomic", [])
        if values.get("gene") or values.get("variation_code") or len(iscn) != 1 or not re.match(r"^(?:del|dup|\+|-)", iscn[0].strip()):
            return None
        if _not_final(observation):
            return None
        status = None
        for coding in codings(observation.valueCodeableConcept):
            if coding.system == LOINC and coding.code in self.codes.variant_status:
                status = self.codes.variant_status[str(coding.code)]
        if status not in ("detected", "not detected"):
            return None
        return iscn[0].strip()[:40], status

    def _variant(self, observation: Resource, implied_significance: str | None = None) -> Any:
        ref = ref_of(observation)
        values = self._component_values(observation)
        genes = list(dict.fromkeys(values.get("gene", [])))
        value = observation.valueCodeableConcept
        status = None
        for coding in codings(value):
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
        measured = self._quantity(observation, "PD-L1", "PD-L1 without a numeric score")
        if measured is None:
            return None
        ref, shown, quantity, unit = measured
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
        return when_of(observation), systems[0], value

    def _blood_count(self, observation: Resource, role: str) -> float | None:
        """A platelet count in x10^9/L or a haemoglobin in g/dL, from a valueQuantity whose UCUM unit says which."""
        measured = self._quantity(observation, role, "a blood count without a numeric value")
        if measured is None:
            return None
        ref, shown, quantity, unit = measured
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
                    self.out.not_mapped.append(NotMapped(ref_of(observation), f"{role} {value:g} {unit}", "an earlier result than the one used"))
                    continue
                found[role] = value
                self.out.read.append(f"{ref_of(observation)}: {role} {value:g} {unit} (the most recent)")
        if found:
            self.out.profile["blood_counts"] = found

    def _pd_l1_choice(self, scores: list[tuple[str, str, float, Resource]]) -> None:
        chosen: dict[str, tuple[str, float, Resource]] = {}
        for when, system, value, observation in sorted(scores, key=lambda s: s[0], reverse=True):
            if system in chosen:
                self.out.not_mapped.append(NotMapped(ref_of(observation), f"PD-L1 {system.upper()} {value:g}%", "an earlier result than the one used"))
                continue
            chosen[system] = (when, value, observation)
            self.out.read.append(f"{ref_of(observation)}: PD-L1 {system.upper()} {value:g}%")
        if chosen:
            self.out.profile["pd_l1"] = {system: value for system, (_, value, _) in chosen.items()}


def _not_final(observation: Resource) -> bool:
    """A result still registered or preliminary: not yet a result to act on."""
    return observation.status in PENDING_OBSERVATION_STATUS or observation.status in PRELIMINARY_OBSERVATION_STATUS
