"""Map the decision guide's form fields to the engine's one input, and describe the form's choices.

The form is a front door like the JSON API: it builds the same `PatientProfileInput`, so the page and
`POST /v1/recommendations` cannot disagree for the same patient.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from schemas.problems import field_path
from schemas.requests import PatientProfileInput
from service.engine.matching import tumour_agnostic_relation
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Alteration, Indication

ALTERATION_PREFIX = "alt::"
GENE_PREFIX = "gene::"
BIOMARKER_PREFIX = "biomarker::"
PRIOR_LINES = 4
MEDICATION_ROWS = 4  # shown at first; the page adds rows with JavaScript, and the free-text list takes any number
MEDICATION_LIST = "more_medications"
MAX_MEDICATIONS = 60  # the request schema's bound

SOLID_STAGES = ["I", "II", "III", "IV", "early", "locally advanced", "unresectable", "advanced", "metastatic", "recurrent"]
LEUKAEMIA_STAGES = ["chronic phase", "accelerated phase", "blast phase", "newly diagnosed", "relapsed", "refractory"]
OUTCOMES = ["unknown", "progression", "intolerance", "response", "stable disease"]


@dataclass
class FormResult:
    """What the form asked for: the engine input, or the problems that stopped it being built."""

    profile: PatientProfileInput | None
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    controls: dict[str, str] = field(default_factory=dict)  # problem sentence -> the id of the control to fix


# What each profile field is called on the form, the control that sets it, and what to enter: a problem says what
# to fix in the form's words, never the schema's (pydantic's messages name types and paths the user never sees).
FIELD_HELP: dict[str, tuple[str, str, str]] = {
    "cancer_type": ("cancer_type", "Cancer type", "choose a cancer type from the list."),
    "stage": ("stage", "Stage or phase", "choose a stage from the list, or Not stated."),
    "pd_l1": ("pd_l1_value", "PD-L1 value", "enter a number from 0 to 100."),
    "ecog": ("ecog", "ECOG performance status", "choose 0, 1, 2, 3 or 4, or Not stated."),
    "organ_function.qtc_ms": ("qtc_ms", "QTc (ms)", "enter a number of milliseconds from 200 to 800."),
    "organ_function.creatinine_clearance_ml_min": ("creatinine_clearance_ml_min", "Creatinine clearance (mL/min)", "enter a number from 0 to 300."),
    "blood_counts.platelets": ("platelets", "Platelets", "enter a count from 0 to 5000 (x10^9/L), or a number with its unit, such as 85 K/uL."),
    "blood_counts.haemoglobin": ("haemoglobin", "Haemoglobin", "enter a value from 0 to 30 (g/dL), or a number with its unit, such as 92 g/L."),
    "blood_counts.transfusion_dependent": ("transfusion_dependent", "Red-cell transfusion dependent", "choose Yes, No or Not known."),
    "mutations": ("other_mutations", "Other alterations", "give at most 50, each in 200 characters or fewer, separated by commas."),
    "biomarkers": ("other_mutations", "Biomarkers", "choose each biomarker's result from its list."),
    "prior_therapies": ("prior_1_drugs", "Prior therapy", "give at most 10 drugs per line, each in 100 characters or fewer."),
    "current_medications": (MEDICATION_LIST, "Current medications", "give at most 60 medications, each in 200 characters or fewer."),
    "conditions": ("conditions", "Conditions", "give at most 30 conditions, one per line, each in 200 characters or fewer."),
    "brain_metastases": ("brain_metastases", "Brain metastases", "choose a status from the list."),
}


def _problem_for(loc: tuple[object, ...], values: dict[str, str]) -> tuple[str, str | None]:
    """One sentence saying which control to change and what to enter, and that control's id."""
    first = str(loc[0]) if loc else ""
    key = f"{first}.{loc[1]}" if first in ("organ_function", "blood_counts") and len(loc) > 1 else first
    if key not in FIELD_HELP:
        return f"{field_path(loc)}: check this entry.", None
    control, label, fix = FIELD_HELP[key]
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    if first == "current_medications" and index is not None:
        rows = sorted(int(k.removeprefix("medication_")) for k, v in values.items()
                      if k.startswith("medication_") and k.removeprefix("medication_").isdigit() and v.strip())  # fmt: skip
        control, label = (f"medication_{rows[index]}", f"Medication {rows[index]}") if index < len(rows) else (MEDICATION_LIST, "More medications")
        fix = "shorten it to 200 characters or fewer."
    elif first == "prior_therapies" and index is not None:
        control, label = f"prior_{index + 1}_drugs", f"Prior therapy line {index + 1}"
    return f"{label}: {fix}", control


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def medications_from_form(values: dict[str, str]) -> list[str]:
    """Every medication row (medication_1, medication_2, ... however many the page added), then the free-text list."""
    rows = sorted(
        (int(number), value.strip())
        for key, value in values.items()
        if key.startswith("medication_") and (number := key.removeprefix("medication_")).isdigit() and value.strip()
    )
    listed = [line.strip() for line in values.get(MEDICATION_LIST, "").splitlines() if line.strip()]
    return [value for _, value in rows] + listed


def profile_from_form(values: dict[str, str]) -> FormResult:
    """Build the engine input from the form's fields; problems are returned as sentences, never raised."""
    body: dict[str, object] = {"cancer_type": values.get("cancer_type", "").strip()}
    if values.get("stage", "").strip():
        body["stage"] = values["stage"].strip()
    mutations: list[object] = []
    for key, status in sorted(values.items()):
        if key.startswith(ALTERATION_PREFIX) and status in ("detected", "not detected"):
            gene, _, name = key.removeprefix(ALTERATION_PREFIX).partition(" ")
            mutations.append({"gene": gene, "alteration": name, "status": status})
        elif key.startswith(GENE_PREFIX) and status == "not detected":
            mutations.append({"gene": key.removeprefix(GENE_PREFIX), "status": "not detected"})
    mutations.extend(_lines(values.get("other_mutations", "")))
    body["mutations"] = mutations
    body["biomarkers"] = [
        {"name": key.removeprefix(BIOMARKER_PREFIX), "status": status}
        for key, status in sorted(values.items())
        if key.startswith(BIOMARKER_PREFIX) and status
    ]
    scoring, score = values.get("pd_l1_scoring", ""), values.get("pd_l1_value", "").strip()
    problems: list[str] = []
    controls: dict[str, str] = {}

    def problem(control: str, message: str) -> None:
        problems.append(message)
        controls[message] = control

    if scoring and score:
        try:
            body["pd_l1"] = {scoring: float(score)}
        except ValueError:
            problem("pd_l1_value", "PD-L1 value: enter a number from 0 to 100.")
    elif score:  # a value with no scoring system cannot be read: say so rather than drop it
        problem("pd_l1_scoring", "PD-L1 scoring system: choose TPS, CPS or IC for the value given, or clear the value.")
    elif scoring:
        problem("pd_l1_value", "PD-L1 value: enter the score for the scoring system chosen, or set the scoring system to Not tested.")
    prior_status = values.get("prior_status", "unknown")
    if prior_status == "none":
        body["prior_therapies"] = []
    elif prior_status == "listed":
        body["prior_therapies"] = [
            {"drugs": drugs, "outcome": values.get(f"prior_{n}_outcome", "unknown") or "unknown"}
            for n in range(1, PRIOR_LINES + 1)
            if (drugs := [d for d in (p.strip() for p in values.get(f"prior_{n}_drugs", "").replace("+", ",").split(",")) if d])
        ]
        for n in range(1, PRIOR_LINES + 1):
            if not values.get(f"prior_{n}_drugs", "").strip() and (values.get(f"prior_{n}_outcome") or "unknown") != "unknown":
                problem(f"prior_{n}_drugs", f"Prior therapy line {n}: enter the drugs given with this outcome, or set the outcome to unknown.")
        if not body["prior_therapies"]:  # "as listed" with nothing listed is not "treatment-naive": ask, never assume
            problem("prior_1_drugs", "Prior therapy: enter the drugs of line 1, or choose None (treatment-naive) or Not stated.")
    body["current_medications"] = medications_from_form(values)
    if values.get("ecog", "").strip():
        body["ecog"] = int(values["ecog"]) if values["ecog"].strip().isdigit() else values["ecog"].strip()
    if values.get("brain_metastases", "").strip():
        body["brain_metastases"] = values["brain_metastases"].strip()
    conditions = [line.strip() for line in values.get("conditions", "").splitlines() if line.strip()]
    if conditions:
        body["conditions"] = conditions
    organ_function: dict[str, float] = {}
    for key in ("creatinine_clearance_ml_min", "qtc_ms"):
        if values.get(key, "").strip():
            try:
                organ_function[key] = float(values[key])
            except ValueError:
                control, label, fix = FIELD_HELP[f"organ_function.{key}"]
                problem(control, f"{label}: {fix}")
    if organ_function:
        body["organ_function"] = organ_function
    blood_counts = _blood_counts_from_form(values)
    if blood_counts:
        body["blood_counts"] = blood_counts
    if problems:
        return FormResult(profile=None, values=values, problems=problems, controls=controls)
    try:
        return FormResult(profile=PatientProfileInput.model_validate(body), values=values)
    except ValidationError as error:
        for e in error.errors(include_input=False):
            message, control = _problem_for(tuple(e["loc"]), values)
            if message not in problems:
                problems.append(message)
                if control:
                    controls[message] = control
        return FormResult(profile=None, values=values, problems=problems, controls=controls)


def _blood_counts_from_form(values: dict[str, str]) -> dict[str, float | str]:
    """A bare number is sent as a number (platelets x10^9/L, haemoglobin g/dL); text with a unit as the text."""
    counts: dict[str, float | str] = {}
    for key in ("platelets", "haemoglobin"):
        text = values.get(key, "").strip()
        if text:
            try:
                counts[key] = float(text)
            except ValueError:
                counts[key] = text
    if values.get("transfusion_dependent", "").strip():
        counts["transfusion_dependent"] = values["transfusion_dependent"].strip()
    return counts


@dataclass(frozen=True)
class GeneChoices:
    gene: str
    alterations: list[Alteration]
    cancer_types: list[str]  # where any of them is relevant


@dataclass(frozen=True)
class FormChoices:
    cancer_types: list[tuple[str, str, str]]  # code, name, category
    genes: list[GeneChoices]
    relevance: dict[str, list[str]]  # alteration id -> cancer codes where the knowledge acts on it
    biomarkers: list[tuple[str, list[str], list[str]]]  # name, statuses, cancer codes whose indications name it
    # a measured biomarker (no statuses) -> the units its value may be written in
    biomarker_units: dict[str, list[str]]
    pd_l1_cancer_types: list[str]
    patient_fields: dict[str, list[str]]  # patient field -> cancer codes where a patient rule reads it
    drugs: list[str]


def _alteration_terms_relevant(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Alteration id -> the cancer codes (with their subtypes) where a regimen or rule refers to it."""
    def expand(terms: list[str]) -> set[str]:
        ids = set()
        for term in terms:
            ids |= {a.id for a in kb.alterations.values() if a.id == term or term in a.categories}
        return ids

    def with_subtypes(codes: list[str]) -> set[str]:
        return {c for c in kb.cancer_types if any(kb.is_within(c, code) for code in codes)}

    relevant: dict[str, set[str]] = {}
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            terms = [t for group in indication.requires_alterations for t in group] + indication.excludes_alterations
            terms += [a.id for a in kb.alterations.values() if a.gene in indication.requires_negative and a.id in kb.genes[a.gene].driver_alterations]
            for alteration in expand(terms):
                relevant.setdefault(alteration, set()).update(
                    tumour_agnostic_types(kb, indication) if indication.tumour_agnostic else with_subtypes(indication.cancer_types)
                )
    all_codes = set(kb.cancer_types)
    for rule in kb.source.rules.resistance:
        # a rule for every cancer type matters where a regimen it acts on is indicated
        codes = with_subtypes(rule.cancer_types) if rule.cancer_types else set()
        if not rule.cancer_types:
            for regimen in kb.regimens.values():
                classes = kb.regimen_classes(regimen.id)
                if set(rule.drugs) & set(regimen.drugs) or set(rule.drug_classes) & classes:
                    for indication in regimen.indications:
                        codes |= with_subtypes(indication.cancer_types)
        for alteration in expand(rule.alterations):
            relevant.setdefault(alteration, set()).update(codes)
    return relevant


def tumour_agnostic_types(kb: KnowledgeBase, indication: Indication) -> set[str]:
    """The solid tumours a tumour-agnostic indication covers."""
    return {c for c in kb.cancer_types if tumour_agnostic_relation(kb, c, indication) == "within"}


def _with_subtypes(kb: KnowledgeBase, codes: list[str]) -> set[str]:
    return {c for c in kb.cancer_types if any(kb.is_within(c, code) for code in codes)}


def _biomarkers_relevant(kb: KnowledgeBase) -> tuple[dict[str, set[str]], set[str]]:
    """Biomarker name -> cancer codes (with subtypes) whose indications name it; and the codes that use PD-L1."""
    biomarkers: dict[str, set[str]] = {}
    pd_l1: set[str] = set()
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            codes = _with_subtypes(kb, indication.cancer_types)
            for group in indication.biomarkers:
                for criterion in group:
                    biomarkers.setdefault(criterion.name, set()).update(codes)
            if indication.pd_l1 is not None:
                pd_l1 |= codes
    for marker in kb.biomarkers.values():
        if marker.reported_in:
            biomarkers.setdefault(marker.name, set()).update(_with_subtypes(kb, marker.reported_in))
    return biomarkers, pd_l1


def _offered(kb: KnowledgeBase, code: str) -> bool:
    """The form lists the types the knowledge names and their subtypes, not the whole OncoTree."""
    return any(kb.is_within(code, covered) for covered in kb.covered_cancer_types)


# Organ-function measurements are read into these condition groups; the field is shown where a rule uses one.
MEASUREMENT_GROUPS = {"qtc_ms": {"qtc_prolongation", "congenital_long_qt"}, "creatinine_clearance_ml_min": {"renal_impairment"}}
BLOOD_COUNT_FIELDS = ("platelets", "haemoglobin", "transfusion_dependent")
PATIENT_FIELDS = ("ecog", "brain_metastases", "conditions", *MEASUREMENT_GROUPS, *BLOOD_COUNT_FIELDS)


def _patient_fields_relevant(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Patient field -> the cancer codes (with subtypes) of the regimens a patient rule reading that field concerns."""
    relevant: dict[str, set[str]] = {name: set() for name in PATIENT_FIELDS}
    # blood counts are asked where an indication's criteria read them (myelofibrosis)
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            for criterion in (c for group in indication.blood_counts for c in group):
                relevant[criterion.measure] |= _with_subtypes(kb, indication.cancer_types)
    for rule in kb.source.rules.patient:
        when = rule.when
        groups = set(when.condition_groups) | set(when.past_condition_groups)
        fields = {"conditions"} if groups else set()
        fields |= {name for name, measured in MEASUREMENT_GROUPS.items() if measured & set(when.condition_groups)}
        if when.creatinine_clearance_below is not None:
            fields.add("creatinine_clearance_ml_min")
        if when.qtc_ms_above is not None:
            fields.add("qtc_ms")
        if when.ecog_min is not None:
            fields.add("ecog")
        if when.brain_metastases:
            fields.add("brain_metastases")
        for regimen in kb.regimens.values():
            classes = kb.regimen_classes(regimen.id)
            by_drug = bool(set(rule.drugs) & set(regimen.drugs) or set(rule.drug_classes) & classes)
            for indication in regimen.indications:
                if by_drug or indication.id in rule.indications:
                    codes = _with_subtypes(kb, indication.cancer_types)
                    if rule.cancer_types:
                        codes = {c for c in codes if any(kb.is_within(c, t) for t in rule.cancer_types)}
                    for name in fields:
                        relevant[name] |= codes
    return relevant


def form_choices(kb: KnowledgeBase) -> FormChoices:
    """Every choice the form offers, from the knowledge the service holds (computed once per knowledge base)."""
    cached = kb.memo.get("form-choices")
    if isinstance(cached, FormChoices):
        return cached
    relevance = _alteration_terms_relevant(kb)
    biomarker_codes, pd_l1_codes = _biomarkers_relevant(kb)
    genes = []
    for gene in kb.genes:
        alterations = [a for a in kb.alterations.values() if a.gene == gene and a.id in relevance]
        if alterations:
            codes = sorted(set().union(*(relevance[a.id] for a in alterations)))
            # Where the knowledge acts on a gene, every variant of it it knows is offered (KIT exon 11 beside exon 9).
            every = [a for a in kb.alterations.values() if a.gene == gene]
            for alteration in every:
                relevance.setdefault(alteration.id, set()).update(codes)
            genes.append(GeneChoices(gene=gene, alterations=every, cancer_types=codes))
    choices = FormChoices(
        cancer_types=sorted(
            ((c.code, c.name, c.category) for c in kb.cancer_types.values() if c.category != "tissue" and _offered(kb, c.code)),
            key=lambda c: c[1],
        ),
        genes=genes,
        relevance={k: sorted(v) for k, v in relevance.items()},
        biomarkers=[(b.name, list(b.statuses), sorted(biomarker_codes.get(b.name, ()))) for b in kb.biomarkers.values()],
        biomarker_units={b.name: list(b.units) for b in kb.biomarkers.values() if b.unit is not None},
        pd_l1_cancer_types=sorted(pd_l1_codes),
        patient_fields={name: sorted(codes) for name, codes in _patient_fields_relevant(kb).items()},
        drugs=sorted(kb.drugs),
    )
    kb.memo["form-choices"] = choices
    return choices
