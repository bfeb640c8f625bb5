"""The knowledge check that an indication's own words are enforced by its structured criteria.

Every restriction a clinician would read in an indication's summary or notes (a histology, a
subtype, a biomarker, a line, a prior therapy, an alteration) must be a structured field the
matcher enforces; otherwise the option would be offered to the patients its text rules out.
Each entry of the table names the phrase, the field that must carry it, and the test of that field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.knowledge.records import Indication, Regimen, RulesFile


@dataclass(frozen=True)
class Context:
    """What a restriction test may look at besides the indication itself."""

    regimen: Regimen
    is_within: Callable[[str, str], bool]
    rules: RulesFile
    drug_classes: Callable[[str], list[str]]

    def all_within(self, indication: Indication, ancestor: str) -> bool:
        return all(self.is_within(code, ancestor) for code in indication.cancer_types)


def _requires_alteration(term: str) -> Callable[[Indication, Context], bool]:
    return lambda i, _c: any(term in group for group in i.requires_alterations)


def _requires_biomarker(*names: str) -> Callable[[Indication, Context], bool]:
    return lambda i, _c: any(c.name in names for group in i.biomarkers for c in group)


def _requires_prior_drug_or_class(drugs: set[str], classes: set[str]) -> Callable[[Indication, Context], bool]:
    return lambda i, _c: any(set(p.drugs) & drugs or set(p.classes) & classes for p in i.requires_prior)


def _requires_blood_count(measure: str) -> Callable[[Indication, Context], bool]:
    return lambda i, _c: any(c.measure == measure for group in i.blood_counts for c in group)


def _later_line(i: Indication, _c: Context) -> bool:
    return i.lines.min >= 2 or bool(i.requires_prior)


def _min_two_prior(i: Indication, _c: Context) -> bool:
    return i.lines.min >= 3 or any(p.min_count >= 2 for p in i.requires_prior)


def _min_three_prior(i: Indication, _c: Context) -> bool:
    return i.lines.min >= 4 or any(p.min_count >= 3 for p in i.requires_prior)


def _resistance_covers(alteration_name: str) -> Callable[[Indication, Context], bool]:
    """'No activity against X': X must exclude the regimen, by the indication or by a resistance rule."""

    def check(i: Indication, c: Context) -> bool:
        if any(alteration_name in term for term in i.excludes_alterations):
            return True
        drugs = set(c.regimen.drugs)
        classes = {cls for d in drugs for cls in c.drug_classes(d)}
        return any(
            any(alteration_name in a for a in rule.alterations) and (drugs & set(rule.drugs) or classes & set(rule.drug_classes))
            for rule in c.rules.resistance
        )

    return check


@dataclass(frozen=True)
class Restriction:
    name: str
    pattern: re.Pattern[str]
    field: str  # the structured field that must enforce it, as the problem report names it
    enforced: Callable[[Indication, Context], bool]
    summary_only: bool = False  # line words in notes describe the trial, not the indication


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


RESTRICTIONS: tuple[Restriction, ...] = (
    # histology and subtype
    Restriction("non-squamous histology", _p(r"\bnon-?squamous\b"), "histology: [non-squamous] and excluded_cancer_types: [LUSC]",
                lambda i, _c: i.histology == ["non-squamous"] and "LUSC" in i.excluded_cancer_types),
    Restriction("squamous histology", _p(r"(?<!non-)(?<!non)\bsquamous\b(?! NSCLC\))"), "histology: [squamous]",
                lambda i, _c: "squamous" in i.histology),
    Restriction("clear-cell histology", _p(r"\bclear[- ]cell\b"), "cancer_types within CCRCC", lambda i, c: c.all_within(i, "CCRCC")),
    Restriction("KIT-positive GIST", _p(r"\bKIT-positive\b"), "cancer_types within GIST (KIT/CD117 positivity is part of the diagnosis)",
                lambda i, c: c.all_within(i, "GIST")),
    # biomarkers
    Restriction("PD-L1 threshold", _p(r"\bPD-L1 (TPS|CPS)\b"), "pd_l1", lambda i, _c: i.pd_l1 is not None),
    Restriction("mismatch repair / microsatellite status", _p(r"\b(MSI-H|dMMR|pMMR|mismatch-repair|microsatellite)\b"), "biomarkers: MSI or MMR",
                _requires_biomarker("MSI", "MMR")),
    Restriction("HER2 status", _p(r"\bHER2-positive\b"), "biomarkers: HER2", _requires_biomarker("HER2")),
    Restriction("Child-Pugh class", _p(r"\bChild-Pugh [ABC]\b"), "biomarkers: Child-Pugh", _requires_biomarker("Child-Pugh")),
    Restriction("IMDC risk group", _p(r"\bIMDC (favou?rable|intermediate|poor)\b(?! risk, )"), "biomarkers: IMDC risk", _requires_biomarker("IMDC risk")),
    Restriction("alpha-fetoprotein level", _p(r"\b(AFP|alpha-fetoprotein)\s*(>=|>|≥|of)\s*\d"), "biomarkers: AFP", _requires_biomarker("AFP")),
    Restriction("radioactive-iodine refractory", _p(r"\b(radioactive iodine|RAI)-refractory\b"), "biomarkers: RAI", _requires_biomarker("RAI")),
    # driver status and alterations
    Restriction("no EGFR or ALK alteration", _p(r"\b(no|without) EGFR or ALK\b"), "requires_negative: [EGFR, ALK]",
                lambda i, _c: {"EGFR", "ALK"} <= set(i.requires_negative)),
    Restriction("driver-negative", _p(r"\bdriver-negative\b"), "requires_negative: [EGFR, ALK]", lambda i, _c: {"EGFR", "ALK"} <= set(i.requires_negative)),
    Restriction("EGFR exon 19 deletion or L858R", _p(r"\bexon 19 deletion or L858R\b"), "requires_alterations: EGFR common sensitizing",
                _requires_alteration("EGFR common sensitizing")),
    Restriction("EGFR T790M", _p(r"\bT790M-positive\b"), "requires_alterations: EGFR T790M", _requires_alteration("EGFR T790M")),
    Restriction("EGFR exon 20 insertion", _p(r"\bexon 20 insertion\b"), "requires_alterations: EGFR exon 20 insertion", _requires_alteration("EGFR exon 20 insertion")),
    Restriction("ALK-positive", _p(r"\bALK-positive\b"), "requires_alterations: ALK fusion", _requires_alteration("ALK fusion")),
    Restriction("ROS1-positive", _p(r"\bROS1-positive\b"), "requires_alterations: ROS1 fusion", _requires_alteration("ROS1 fusion")),
    Restriction("RET fusion", _p(r"\bRET fusion-positive\b"), "requires_alterations: RET fusion", _requires_alteration("RET fusion")),
    Restriction("RET mutation", _p(r"\bRET-mutant\b"), "requires_alterations: RET mutation", _requires_alteration("RET mutation")),
    Restriction("MET exon 14 skipping", _p(r"\bMET exon 14 skipping\b"), "requires_alterations: MET exon 14 skipping", _requires_alteration("MET exon 14 skipping")),
    Restriction("MET amplification", _p(r"\bMET amplification\b"), "requires_alterations: MET amplification", _requires_alteration("MET amplification")),
    Restriction("KIT exon 9", _p(r"\bKIT exon 9\b"), "requires_alterations: KIT exon 9 mutation", _requires_alteration("KIT exon 9 mutation")),
    Restriction("BCR::ABL1 T315I", _p(r"\bwith the T315I\b"), "requires_alterations: BCR::ABL1 T315I", _requires_alteration("BCR::ABL1 T315I")),
    Restriction("FGFR3 alteration", _p(r"\bFGFR3\b"), "requires_alterations: FGFR3 susceptible alteration", _requires_alteration("FGFR3 susceptible alteration")),
    Restriction("not adipocytic sarcoma", _p(r"\badipocytic\b"), "excluded_cancer_types: [LIPO, ALT]",
                lambda i, _c: {"LIPO", "ALT"} <= set(i.excluded_cancer_types)),
    Restriction("PDGFRA exon 18", _p(r"\bPDGFRA exon 18\b"), "requires_alterations: PDGFRA D842V (or another PDGFRA exon 18 alteration)",
                lambda i, _c: any(any(t.startswith("PDGFRA") for t in g) for g in i.requires_alterations)),
    Restriction("FLT3-ITD", _p(r"\bFLT3-ITD\b"), "requires_alterations: FLT3 ITD", _requires_alteration("FLT3 ITD")),
    Restriction("FLT3 mutation", _p(r"\bFLT3-mutated\b|\bFLT3 mutation\b"), "requires_alterations: FLT3 mutation (or FLT3 ITD)",
                lambda i, _c: any({"FLT3 mutation", "FLT3 ITD"} & set(g) for g in i.requires_alterations)),
    Restriction("myelofibrosis risk category", _p(r"\bintermediate(-[12])? or high-risk\b"), "biomarkers: MF risk", _requires_biomarker("MF risk")),
    # blood counts (myelofibrosis: the JAK inhibitor and its dose follow them)
    Restriction("platelet count", _p(r"\bplatelets?\b"), "blood_counts: platelets", _requires_blood_count("platelets")),
    Restriction("anaemia or haemoglobin", _p(r"\b(anaemi|anemi|haemoglobin|hemoglobin)"), "blood_counts: haemoglobin",
                _requires_blood_count("haemoglobin")),
    Restriction("transfusion dependence", _p(r"\btransfusion[- ]dependen"), "blood_counts: transfusion_dependent",
                _requires_blood_count("transfusion_dependent")),
    Restriction("ineligible for intensive chemotherapy", _p(r"\b(ineligible for|unfit for|precludes?) intensive\b"), "ineligible_for_intensive_chemotherapy: true",
                lambda i, _c: i.ineligible_for_intensive_chemotherapy),
    Restriction("no activity against T315I", _p(r"\bno activity against T315I\b"), "excludes_alterations or a resistance rule for T315I",
                _resistance_covers("T315I")),
    # line and prior therapy (summaries state the indication; notes describe trials)
    Restriction("first line", _p(r"\b(first-line|newly diagnosed)\b"), "lines.max: 1", lambda i, _c: i.lines.max == 1, summary_only=True),
    Restriction("later line", _p(r"\b(after|previously treated|progressing on|resistant (to|or)|(?<!iodine-)(?<!RAI-)refractory)\b"), "lines.min >= 2 or requires_prior",
                _later_line, summary_only=True),
    Restriction("two or more prior therapies", _p(r"\btwo or more\b"), "lines.min >= 3 or requires_prior min_count >= 2", _min_two_prior, summary_only=True),
    Restriction("three or more prior therapies", _p(r"\bthree or more\b"), "lines.min >= 4 or requires_prior min_count >= 3", _min_three_prior, summary_only=True),
    Restriction("no prior ROS1 inhibitor", _p(r"\bno prior ROS1 inhibitor\b"), "excludes_prior: ros1_tki",
                lambda i, _c: any("ros1_tki" in p.classes for p in i.excludes_prior)),
    Restriction("prior oxaliplatin", _p(r"\boxaliplatin\b"), "requires_prior: oxaliplatin", _requires_prior_drug_or_class({"oxaliplatin"}, set()), summary_only=True),
    Restriction("prior irinotecan", _p(r"\birinotecan\b"), "requires_prior: irinotecan", _requires_prior_drug_or_class({"irinotecan"}, set()), summary_only=True),
    Restriction("prior anthracycline", _p(r"\banthracycline\b"), "requires_prior: anthracycline", _requires_prior_drug_or_class(set(), {"anthracycline"}), summary_only=True),
    Restriction("prior taxane", _p(r"\btaxane\b"), "requires_prior: taxane", _requires_prior_drug_or_class(set(), {"taxane"}), summary_only=True),
    Restriction("prior sorafenib tolerated", _p(r"\bwhich was tolerated\b"), "requires_prior sorafenib with excluded_outcomes: [intolerance]",
                lambda i, _c: any("intolerance" in p.excluded_outcomes for p in i.requires_prior), summary_only=True),
)

# Words that, earlier in the same sentence, make a phrase a statement about what was not required.
_NEGATION = re.compile(r"\b(not|no|regardless|irrespective|did not|without)\b[^.;]*$", re.IGNORECASE)
# A later-line word and a first-line word together ("treatment-naive or previously treated") restrict neither.
_EITHER_LINE = re.compile(r"\b(treatment-naive|newly diagnosed)\b[^.;]*\bor (previously treated|relapsed)", re.IGNORECASE)


def _stated(restriction: Restriction, text: str) -> bool:
    for match in restriction.pattern.finditer(text):
        before = text[: match.start()]
        if restriction.name not in {"no EGFR or ALK alteration", "no activity against T315I", "no prior ROS1 inhibitor", "not adipocytic sarcoma"} and _NEGATION.search(
            before.split(".")[-1]
        ):
            continue
        return True
    return False


def unenforced_restrictions(regimen: Regimen, indication: Indication, context: Context) -> list[str]:
    """Every restriction the indication's text names that its structured criteria do not enforce."""
    problems = []
    texts = [("summary", indication.summary), ("notes", indication.notes)]
    for restriction in RESTRICTIONS:
        for where, text in texts:
            if not text or (restriction.summary_only and where != "summary"):
                continue
            if restriction.name in {"first line", "later line"} and _EITHER_LINE.search(text):
                continue
            if _stated(restriction, text) and not restriction.enforced(indication, context):
                problems.append(
                    f"regimens/{regimen.id}/{indication.id}: its {where} names a restriction ({restriction.name}) "
                    f"that the structured criteria do not enforce; needs {restriction.field}"
                )
                break
    return problems


def check_structured_restrictions(source) -> list[str]:  # type: ignore[no-untyped-def]
    """The knowledge check over every indication, and the cross-references of the fields it relies on."""
    parents = {c.code: c.parent for c in source.cancer_types.cancer_types}

    def is_within(code: str, ancestor: str) -> bool:
        current: str | None = code
        seen = 0
        while current is not None and seen < 64:
            if current == ancestor:
                return True
            current, seen = parents.get(current), seen + 1
        return False

    classes_of = {d.name: list(d.classes) for d in source.drugs.drugs}
    problems: list[str] = []
    for regimen in source.regimens:
        for indication in regimen.indications:
            at = f"regimens/{regimen.id}/{indication.id}"
            problems.extend(
                f"{at}: excluded cancer type {c} does not exist" for c in indication.excluded_cancer_types if c not in parents
            )
            problems.extend(
                f"{at}: excluded cancer type {c} is not within the indication's cancer types"
                for c in indication.excluded_cancer_types
                if c in parents and indication.tumour_agnostic is None and not any(is_within(c, t) for t in indication.cancer_types)
            )
            context = Context(regimen=regimen, is_within=is_within, rules=source.rules, drug_classes=lambda d: classes_of.get(d, []))
            problems.extend(unenforced_restrictions(regimen, indication, context))
    return problems


def check_patient_rules(source) -> list[str]:  # type: ignore[no-untyped-def]
    """Patient rules and the new resistance fields refer only to things that exist, and cite citable evidence."""
    problems: list[str] = []
    drugs = {d.name for d in source.drugs.drugs}
    classes = {c.id for c in source.drugs.classes}
    codes = {c.code for c in source.cancer_types.cancer_types}
    indications = {i.id for r in source.regimens for i in r.indications}
    evidence = {e.id: e for e in source.evidence}
    groups = {g.id for g in source.readings.condition_groups}
    terms = {a.id for a in source.alterations.alterations} | set(source.alterations.categories)
    for rule in source.rules.patient:
        where = f"rules.yaml: patient {rule.id}"
        problems.extend(f"{where}: drug {d} is not in drugs.yaml" for d in rule.drugs if d not in drugs)
        problems.extend(f"{where}: class {c} is not defined" for c in [*rule.drug_classes, *rule.when.prior_or_current_drug_classes, *(rule.when.recent_drug_classes.classes if rule.when.recent_drug_classes else []), *rule.when.last_line_drug_classes] if c not in classes)
        problems.extend(f"{where}: indication {i} does not exist" for i in rule.indications if i not in indications)
        problems.extend(f"{where}: cancer type {c} does not exist" for c in rule.cancer_types if c not in codes)
        problems.extend(
            f"{where}: condition group {g} is not defined"
            for g in [*rule.when.condition_groups, *rule.when.past_condition_groups]
            if g not in groups
        )
        problems.extend(f"{where}: evidence {e} does not exist" for e in rule.evidence if e not in evidence)
        if not any(evidence[e].citable for e in rule.evidence if e in evidence):
            problems.append(f"{where}: no verified evidence with a PMID, NCT ID, DOI or DailyMed set ID")
    problems.extend(
        f"rules.yaml: histology_by_cancer_type: cancer type {c} does not exist" for c in source.rules.histology_by_cancer_type if c not in codes
    )
    for rule in source.rules.resistance:
        if rule.allelic_context is not None and rule.allelic_context.with_alteration not in terms:
            problems.append(f"rules.yaml: resistance {rule.id}: allelic context alteration {rule.allelic_context.with_alteration!r} does not exist")
    return problems
