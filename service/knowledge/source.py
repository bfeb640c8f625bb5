"""Read the curated YAML under `knowledge/` into validated records and check cross-references."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from service.knowledge.hosts import evidence_host_problem, is_label_text_url, set_id_kind_problem, source_host_problem
from service.knowledge.records import (
    REQUIRED_INTERACTION_CLASSES,
    Indication,
    RegulatoryStatus,
    WARNING_SEVERITIES,
    InteractionRule,
    Severity,
    AlterationFile,
    CancerTypeFile,
    CancerTypeOverlay,
    ClassInteractionRule,
    DrugFile,
    DrugLabel,
    Evidence,
    LabelAddition,
    Indication,
    ReadingsFile,
    RxNormConcept,
    RxNormFile,
    Regimen,
    Release,
    RulesFile,
    TranscriptFile,
)
from service.knowledge.oncotree import build_cancer_types
from service.knowledge.restrictions import check_patient_rules, check_structured_restrictions
from service.knowledge.terms import fold


class KnowledgeError(Exception):
    """The curated knowledge is invalid; `problems` lists every problem found, each with its file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n- " + "\n- ".join(problems))


@dataclass(frozen=True)
class KnowledgeSource:
    """Every curated record, validated; the input of the store build and of the in-memory index."""

    release: Release
    cancer_types: CancerTypeFile
    drugs: DrugFile
    alterations: AlterationFile
    regimens: list[Regimen]
    evidence: list[Evidence]
    rules: RulesFile
    labels: list[DrugLabel]
    readings: ReadingsFile = field(default_factory=ReadingsFile)
    transcripts: TranscriptFile = field(default_factory=TranscriptFile)
    class_rules: list[ClassInteractionRule] = field(default_factory=list)

    def canonical_json(self) -> str:
        """A stable serialisation: the content hash is taken over it."""
        payload = {
            "release": self.release.model_dump(mode="json"),
            "cancer_types": self.cancer_types.model_dump(mode="json"),
            "drugs": self.drugs.model_dump(mode="json"),
            "alterations": self.alterations.model_dump(mode="json"),
            "regimens": sorted((r.model_dump(mode="json") for r in self.regimens), key=lambda r: r["id"]),
            "evidence": sorted((e.model_dump(mode="json") for e in self.evidence), key=lambda e: e["id"]),
            "rules": self.rules.model_dump(mode="json"),
            "readings": self.readings.model_dump(mode="json"),
            "transcripts": self.transcripts.model_dump(mode="json"),
            "labels": sorted((label.model_dump(mode="json") for label in self.labels), key=lambda x: x["drug"]),
            "class_rules": sorted((c.model_dump(mode="json") for c in self.class_rules), key=lambda c: c["id"]),
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _format_validation_error(path: Path, error: ValidationError) -> list[str]:
    return [
        f"{path.name}: {'.'.join(str(p) for p in item['loc']) or '(root)'}: {item['msg']}"
        for item in error.errors(include_input=False)
    ]


def _parse(model: type, path: Path, data: Any, problems: list[str]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(_format_validation_error(path, error))
        return None


def _parse_list(model: type, path: Path, problems: list[str]) -> list[Any]:
    data = _read_yaml(path) or []
    if not isinstance(data, list):
        problems.append(f"{path.name}: expected a YAML list of records")
        return []
    parsed = []
    for index, item in enumerate(data):
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as error:
            label = item.get("id") or item.get("drug") if isinstance(item, dict) else index
            problems.extend(f"[{label}] {p}" for p in _format_validation_error(path, error))
    return parsed


def read_knowledge(root: Path) -> KnowledgeSource:
    """Parse and validate every file under `root`; raise KnowledgeError listing all problems."""
    problems: list[str] = []
    release = _parse(Release, root / "release.yaml", _read_yaml(root / "release.yaml"), problems)
    overlay = _parse(CancerTypeOverlay, root / "cancer_types.yaml", _read_yaml(root / "cancer_types.yaml"), problems)
    cancer_types = build_cancer_types(root, overlay, problems) if overlay is not None else None
    drugs = _parse(DrugFile, root / "drugs.yaml", _read_yaml(root / "drugs.yaml"), problems)
    rxnorm = _parse(RxNormFile, root / "rxnorm.yaml", _read_yaml(root / "rxnorm.yaml"), problems)
    if drugs is not None and rxnorm is not None:
        drugs = _with_rxnorm(drugs, rxnorm, problems)
    alterations = _parse(AlterationFile, root / "alterations.yaml", _read_yaml(root / "alterations.yaml"), problems)
    rules = _parse(RulesFile, root / "rules.yaml", _read_yaml(root / "rules.yaml"), problems)
    readings = _parse(ReadingsFile, root / "readings.yaml", _read_yaml(root / "readings.yaml"), problems)
    transcripts = _parse(TranscriptFile, root / "transcripts.yaml", _read_yaml(root / "transcripts.yaml"), problems)
    regimens = [r for path in sorted((root / "regimens").glob("*.yaml")) for r in _parse_list(Regimen, path, problems)]
    evidence = [e for path in sorted((root / "evidence").glob("*.yaml")) for e in _parse_list(Evidence, path, problems)]
    labels = [
        label
        for path in sorted((root / "interactions").glob("labels_*.yaml"))
        for label in _parse_list(DrugLabel, path, problems)
    ]
    additions = [
        addition
        for path in sorted((root / "interactions").glob("additions_*.yaml"))
        for addition in _parse_list(LabelAddition, path, problems)
    ]
    labels = _with_additions(labels, additions, problems)
    class_rules_path = root / "interactions" / "class_rules.yaml"
    class_rules = _parse_list(ClassInteractionRule, class_rules_path, problems) if class_rules_path.exists() else []
    if problems:
        raise KnowledgeError(problems)
    source = KnowledgeSource(
        release=release,
        cancer_types=cancer_types,
        drugs=drugs,
        alterations=alterations,
        regimens=regimens,
        evidence=evidence,
        rules=rules,
        labels=labels,
        readings=readings,
        transcripts=transcripts,
        class_rules=class_rules,
    )
    problems = check_cross_references(source)
    if problems:
        raise KnowledgeError(problems)
    return source


def _with_rxnorm(drugs: DrugFile, rxnorm: RxNormFile, problems: list[str]) -> DrugFile:
    """Each catalogue drug with the RxNorm concepts rxnorm.yaml gives it, each carrying the URL of its source."""
    sources = {source.id: source for source in rxnorm.sources}
    names = {drug.name for drug in drugs.drugs}
    concepts: dict[str, list[RxNormConcept]] = {}
    for entry in rxnorm.drugs:
        if entry.drug not in names:
            problems.append(f"rxnorm.yaml: {entry.drug} is not in drugs.yaml")
        if entry.source not in sources:
            problems.append(f"rxnorm.yaml: {entry.drug}: source {entry.source} is not one of the file's sources")
            continue
        url = sources[entry.source].url
        concepts.setdefault(entry.drug, []).extend(c.model_copy(update={"source_url": url}) for c in entry.concepts)
    merged = [d.model_copy(update={"rxnorm": concepts[d.name]}) if d.name in concepts else d for d in drugs.drugs]
    return drugs.model_copy(update={"drugs": merged})


def _with_additions(labels: list[DrugLabel], additions: list[LabelAddition], problems: list[str]) -> list[DrugLabel]:
    """Each drug's label record with the rules its additions files give appended (checked with the record)."""
    extra: dict[str, list[InteractionRule]] = {}
    for addition in additions:
        extra.setdefault(addition.drug, []).extend(addition.rules)
    known = {label.drug for label in labels}
    problems.extend(f"interactions additions: {drug} has no label record to add to" for drug in sorted(set(extra) - known))
    return [label.model_copy(update={"rules": [*label.rules, *extra[label.drug]]}) if label.drug in extra else label for label in labels]


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def check_cross_references(source: KnowledgeSource) -> list[str]:
    """Every name a record refers to must exist, every regimen must cite verified evidence."""
    problems: list[str] = []
    cancer_codes = {c.code for c in source.cancer_types.cancer_types}
    drug_names = {d.name for d in source.drugs.drugs}
    class_ids = {c.id for c in source.drugs.classes}
    evidence_by_id = {e.id: e for e in source.evidence}
    alteration_ids = {a.id for a in source.alterations.alterations}
    categories = set(source.alterations.categories)
    genes = {g.symbol for g in source.alterations.genes}
    biomarkers = {b.name: b for b in source.alterations.biomarkers}
    alteration_terms = alteration_ids | categories
    regimen_ids = {r.id for r in source.regimens}

    for kind, values in (
        ("cancer type code", [c.code for c in source.cancer_types.cancer_types]),
        ("drug name", [d.name for d in source.drugs.drugs]),
        ("evidence id", [e.id for e in source.evidence]),
        ("regimen id", [r.id for r in source.regimens]),
        ("alteration id", [a.id for a in source.alterations.alterations]),
        ("indication id", [i.id for r in source.regimens for i in r.indications]),
        ("label drug", [label.drug for label in source.labels]),
    ):
        problems.extend(f"duplicate {kind}: {value}" for value in _duplicates(values))

    for cancer in source.cancer_types.cancer_types:
        if cancer.parent is not None and cancer.parent not in cancer_codes:
            problems.append(f"cancer_types.yaml: {cancer.code}: parent {cancer.parent} does not exist")
    for term in source.cancer_types.ambiguous_terms:
        for code in [*term.candidates, term.ancestor]:
            if code not in cancer_codes:
                problems.append(f"cancer_types.yaml: ambiguous term {term.term!r}: {code} does not exist")
    for abbreviation in source.cancer_types.abbreviations:
        problems.extend(
            f"cancer_types.yaml: abbreviation {abbreviation.term!r}: {code} does not exist"
            for code in (abbreviation.code, abbreviation.code_written_as)
            if code not in cancer_codes
        )
    problems.extend(_check_cancer_vocabulary(source))
    for marker in source.alterations.biomarkers:
        problems.extend(f"alterations.yaml: biomarker {marker.name}: reported_in {c} does not exist" for c in marker.reported_in if c not in cancer_codes)
    for gene in source.alterations.genes:
        problems.extend(f"alterations.yaml: gene {gene.symbol}: result_needed_in {c} does not exist" for c in gene.result_needed_in if c not in cancer_codes)
        if gene.mutation_scope is not None:
            scope = gene.mutation_scope
            problems.extend(f"alterations.yaml: gene {gene.symbol}: mutation_scope cancer type {c} does not exist" for c in scope.cancer_types if c not in cancer_codes)
            if scope.category not in source.alterations.categories:
                problems.append(f"alterations.yaml: gene {gene.symbol}: mutation_scope category {scope.category} is not defined")
            known_classes = {c.id for c in source.drugs.classes}
            problems.extend(f"alterations.yaml: gene {gene.symbol}: mutation_scope class {c} is not defined" for c in scope.drug_classes if c not in known_classes)

    for drug in source.drugs.drugs:
        problems.extend(
            f"drugs.yaml: {drug.name}: class {cls} is not defined" for cls in drug.classes if cls not in class_ids
        )
    problems.extend(_check_drug_terms(source))
    for combination in source.drugs.combinations:
        problems.extend(
            f"drugs.yaml: combination {combination.name}: drug {d} is not in drugs.yaml"
            for d in combination.drugs
            if d not in drug_names
        )

    for gene in source.alterations.genes:
        problems.extend(
            f"alterations.yaml: gene {gene.symbol}: driver alteration {a} does not exist"
            for a in gene.driver_alterations
            if a not in alteration_ids
        )
    for alteration in source.alterations.alterations:
        if alteration.gene not in genes:
            problems.append(f"alterations.yaml: {alteration.id}: gene {alteration.gene} is not defined")
        problems.extend(
            f"alterations.yaml: {alteration.id}: category {c!r} is not defined"
            for c in alteration.categories
            if c not in categories
        )

    def check_evidence(where: str, ids: list[str]) -> None:
        for evidence_id in ids:
            if evidence_id not in evidence_by_id:
                problems.append(f"{where}: evidence {evidence_id} does not exist")
        if ids and not any(evidence_by_id[e].citable for e in ids if e in evidence_by_id):
            problems.append(f"{where}: no verified evidence with a PMID, NCT ID or DOI")

    for item in source.evidence:
        why = evidence_host_problem(item.source_url)
        if why:
            problems.append(f"evidence {item.id}: source_url {why}")

    for regimen in source.regimens:
        where = f"regimens/{regimen.id}"
        problems.extend(
            f"{where}: drug {c.drug} is not in drugs.yaml" for c in regimen.components if c.drug is not None and c.drug not in drug_names
        )
        problems.extend(f"{where}: class {c} is not defined" for c in regimen.component_classes if c not in class_ids)
        for indication in regimen.indications:
            at = f"{where}/{indication.id}"
            problems.extend(_check_doses(at, regimen, indication, evidence_by_id))
            problems.extend(f"{at}: cancer type {c} does not exist" for c in [*indication.cancer_types, *indication.excluded_cancer_types] if c not in cancer_codes)
            problems.extend(_check_regulatory_history(at, indication))
            for group in indication.requires_alterations:
                problems.extend(f"{at}: alteration {a!r} does not exist" for a in group if a not in alteration_terms)
            problems.extend(
                f"{at}: alteration {a!r} does not exist" for a in indication.excludes_alterations if a not in alteration_terms
            )
            problems.extend(f"{at}: gene {g} is not defined" for g in indication.requires_negative if g not in genes)
            for criterion in (c for group in indication.biomarkers for c in group):
                marker = biomarkers.get(criterion.name)
                if marker is None:
                    problems.append(f"{at}: biomarker {criterion.name} is not defined")
                    continue
                problems.extend(
                    f"{at}: biomarker {criterion.name} has no status {s!r}" for s in criterion.status if s not in marker.statuses
                )
                if criterion.unit is not None and criterion.unit != marker.unit:
                    problems.append(f"{at}: biomarker {criterion.name} is compared in {marker.unit or 'statuses'}, not {criterion.unit}")
            for prior in [*indication.requires_prior, *indication.excludes_prior, *indication.prior_not_shown_covered]:
                problems.extend(f"{at}: prior-therapy drug {d} is not in drugs.yaml" for d in prior.drugs if d not in drug_names)
                problems.extend(f"{at}: prior-therapy class {c} is not defined" for c in prior.classes if c not in class_ids)
            problems.extend(
                f"{at}: caution_outcomes belong to excludes_prior ({prior.description})"
                for prior in [*indication.requires_prior, *indication.prior_not_shown_covered]
                if prior.caution_outcomes
            )
            for evidence_id in indication.evidence:
                if evidence_id not in evidence_by_id:
                    problems.append(f"{at}: evidence {evidence_id} does not exist")
            # An indication without citable evidence is not an error: it is withheld, naming what is pending.
            problems.extend(
                f"{at}: continued drug {d} is not in the regimen" for d in indication.continued_after_progression if d not in regimen.drugs
            )
            problems.extend(f"{at}: outranked regimen {r} does not exist" for r in indication.outranks if r not in regimen_ids)
            if indication.outranks and not indication.outranks_evidence:
                problems.append(f"{at}: outranks other regimens without outranks_evidence")
            if indication.outranks_evidence:
                check_evidence(f"{at} (outranks)", indication.outranks_evidence)
            if indication.overall_survival is not None:
                check_evidence(f"{at} (overall_survival)", indication.overall_survival.evidence)
                problems.extend(_check_hazard_ratio(at, indication, evidence_by_id))
                if indication.evidence_level.value not in ("1", "2"):
                    problems.append(f"{at}: overall_survival needs randomised evidence (level 1 or 2)")
            if indication.defers_to_targeted is not None:
                check_evidence(f"{at} (defers_to_targeted)", indication.defers_to_targeted.evidence)
                if indication.requires_alterations:
                    problems.append(f"{at}: an indication made for a driver alteration does not defer to targeted options")

    for rule in source.rules.resistance:
        where = f"rules.yaml: resistance {rule.id}"
        problems.extend(
            f"{where}: alteration {a!r} does not exist" for a in [*rule.alterations, *rule.not_when_also] if a not in alteration_terms
        )
        problems.extend(f"{where}: drug {d} is not in drugs.yaml" for d in [*rule.drugs, *rule.alternatives] if d not in drug_names)
        problems.extend(f"{where}: cancer type {c} does not exist" for c in rule.cancer_types if c not in cancer_codes)
        problems.extend(
            f"{where}: class {c} is not defined" for c in [*rule.drug_classes, *rule.unless_prior_classes] if c not in class_ids
        )
        check_evidence(where, rule.evidence)
    for rule in source.rules.toxicity:
        where = f"rules.yaml: toxicity {rule.id}"
        problems.extend(f"{where}: drug {d} is not in drugs.yaml" for d in rule.drugs if d not in drug_names)
        check_evidence(where, rule.evidence)

    problems.extend(_check_labels(source, drug_names, class_ids))
    problems.extend(_check_readings(source, genes))
    problems.extend(check_structured_restrictions(source))
    problems.extend(check_patient_rules(source))
    problems.extend(_check_clinical_wording(source))
    return problems


_BARE_HOST = re.compile(r"^https?://[0-9.:]+(/|$)")


def _check_regulatory_history(at: str, indication: Indication) -> list[str]:
    """Events in date order, each with a named source; a withdrawn indication is not shown as approved."""
    problems = []
    history = indication.regulatory_history
    for earlier, later in zip(history, history[1:]):
        if later.date < earlier.date:
            problems.append(f"{at}: regulatory history is not in date order ({earlier.event} {earlier.date} before {later.event} {later.date})")
    for event in history:
        for url in (event.source_url, *event.read_at):
            if _BARE_HOST.match(url):
                problems.append(f"{at}: regulatory {event.event} source is a bare address, not a named source")
    events = [e.event for e in history]
    if "converted" in events and "accelerated_approval" not in events[: events.index("converted")]:
        problems.append(f"{at}: a conversion needs an earlier accelerated approval")
    first_approval = next((e for e in history if e.event in ("approved", "accelerated_approval")), None)
    if first_approval is not None and indication.approval_year is not None and indication.approval_year != first_approval.date.year:
        problems.append(f"{at}: approval_year {indication.approval_year} is not the year of the first approval ({first_approval.date})")
    if indication.withdrawal is not None:
        if indication.regulatory_status != RegulatoryStatus.NOT_FDA_APPROVED:
            problems.append(f"{at}: the approval was withdrawn, so regulatory_status must be not_fda_approved")
        if not indication.withdrawal.note:
            problems.append(f"{at}: a withdrawal needs a note saying why, as the answer shows it")
    return problems


def _check_readings(source: KnowledgeSource, genes: set[str]) -> list[str]:
    """Each condition word and code names one condition; transcripts' exons are in order and their variants parse."""
    problems = []
    groups = {g.id for g in source.readings.condition_groups}
    word_owner: dict[str, str] = {}
    code_owner: dict[tuple[str, str], str] = {}
    problems.extend(
        f"readings.yaml: measured_conditions: {m.measure}: group {m.group} is not defined"
        for m in source.readings.measured_conditions
        if m.group not in groups
    )
    problems.extend(
        f"readings.yaml: gene_groups: {group.name}: {gene} is not a gene of the knowledge base"
        for group in source.readings.gene_groups
        for gene in group.genes
        if gene not in genes
    )
    for condition in source.readings.conditions:
        problems.extend(f"readings.yaml: {condition.id}: group {g} is not defined" for g in condition.groups if g not in groups)
        for word in (condition.name, *condition.synonyms):
            other = word_owner.setdefault(fold(word), condition.id)
            if other != condition.id:
                problems.append(f"readings.yaml: {word!r} names both {other} and {condition.id}")
        for code in condition.codes:
            other = code_owner.setdefault((code.system, code.code.upper()), condition.id)
            if other != condition.id:
                problems.append(f"readings.yaml: code {code.code} names both {other} and {condition.id}")
    for transcript in source.transcripts.transcripts:
        where = f"transcripts.yaml: {transcript.gene}"
        if transcript.gene not in genes:
            problems.append(f"{where}: gene is not defined in alterations.yaml")
        previous = None
        for exon in transcript.exons:
            if exon.last_codon < exon.first_codon or (previous is not None and (exon.exon != previous.exon + 1 or exon.first_codon < previous.last_codon)):
                problems.append(f"{where}: exon {exon.exon} is out of order")
            previous = exon
        if transcript.protein_length is not None and transcript.exons and transcript.exons[-1].last_codon > transcript.protein_length:
            problems.append(f"{where}: the last exon ends beyond the protein")
    curated = {t.gene: t.transcript for t in source.transcripts.transcripts}
    for variant in source.transcripts.coding_variants:
        if curated.get(variant.gene) != variant.transcript:
            problems.append(f"transcripts.yaml: {variant.gene} {variant.hgvs_c} is not on the curated transcript of its gene")
    return problems


def _check_cancer_vocabulary(source: KnowledgeSource) -> list[str]:
    """A curated synonym names one type; qualifiers and definitions name alterations and biomarkers that exist."""
    problems = []
    owner: dict[str, str] = {}
    for cancer in source.cancer_types.cancer_types:
        for term in (cancer.code, cancer.name):
            owner.setdefault(fold(term), cancer.code)
    for cancer in source.cancer_types.cancer_types:
        for synonym in cancer.synonyms:
            other = owner.get(fold(synonym))
            if other is not None and other != cancer.code:
                problems.append(f"cancer_types.yaml: synonym {synonym!r} of {cancer.code} already names {other}")
            owner[fold(synonym)] = cancer.code
    alterations = {a.id for a in source.alterations.alterations}
    biomarkers = {b.name: b for b in source.alterations.biomarkers}
    for cancer in source.cancer_types.cancer_types:
        if cancer.defined_by is not None and cancer.defined_by not in alterations:
            problems.append(f"cancer_types.yaml: {cancer.code} is defined by {cancer.defined_by}, which is not an alteration")
    for qualifier in source.cancer_types.qualifiers:
        if qualifier.alteration is not None and qualifier.alteration not in alterations:
            problems.append(f"cancer_types.yaml: qualifier {qualifier.terms[0]!r}: alteration {qualifier.alteration} does not exist")
        if qualifier.biomarker is not None:
            marker = biomarkers.get(qualifier.biomarker)
            if marker is None or qualifier.status not in marker.statuses:
                problems.append(f"cancer_types.yaml: qualifier {qualifier.terms[0]!r}: {qualifier.biomarker} {qualifier.status} is not defined")
    return problems


def _check_drug_terms(source: KnowledgeSource) -> list[str]:
    """A name, brand, salt or synonym must point to exactly one drug, compared as lookups compare them."""
    owner: dict[str, str] = {}
    problems = []
    for drug in source.drugs.drugs:
        terms = {drug.name, *drug.brands, *drug.salts, *drug.synonyms}
        terms |= {name for f in drug.formulations for name in f.names}
        for term in terms:
            key = fold(term)
            if key in owner and owner[key] != drug.name:
                problems.append(f"drugs.yaml: term {term!r} names both {owner[key]} and {drug.name}")
            owner[key] = drug.name
    for combination in source.drugs.combinations:
        for term in (combination.name, *combination.synonyms):
            if fold(term) in owner:
                problems.append(f"drugs.yaml: combination term {term!r} is also a name of {owner[fold(term)]}")
    return problems


# Words that belong to curators' provenance notes, never to text a clinician reads.
_CURATOR_WORDS = re.compile(r"UNVERIFIED|\bNOT read\b|this session|the brief|\bcurator|\bbelieved\b|see notes|\bNOT confirmed\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s\"')]+")


# How a record was curated (what was read, for which record) is provenance: it goes in `curator_notes`, never in the
# text a clinician is shown. "Not checked" wording that tells the clinician what the service did not check stays.
_PROVENANCE_WORDS = re.compile(
    r"UNVERIFIED|\bcurat(?:or|ed)\b|this session|the brief|see notes|\bNOT confirmed\b|\bthis record\b|\bread here\b"
    r"|\blook-?ups?\b|\bsearches\b|\bbelieved\b",
    re.IGNORECASE,
)


def _check_clinical_wording(source: KnowledgeSource) -> list[str]:
    """Text that reaches a clinician (indications, doses, patient and resistance rules, shown evidence) says no provenance."""
    texts: list[tuple[str, str]] = []
    for regimen in source.regimens:
        texts.append((f"regimen {regimen.id}: name", regimen.name))
        texts += [(f"regimen {regimen.id}: dose of {c.key}", c.dose or "") for c in regimen.components]
        for indication in regimen.indications:
            at = f"regimen {regimen.id} indication {indication.id}"
            texts += [(f"{at}: summary", indication.summary), (f"{at}: notes", indication.notes)]
            texts += [(f"{at}: dose of {key}", dose.dose) for key, dose in indication.doses.items()]
    texts += [(f"rules.yaml: patient {rule.id}: reason", rule.reason) for rule in source.rules.patient]
    texts += [(f"rules.yaml: resistance {rule.id}: reason", rule.reason) for rule in source.rules.resistance]
    for evidence in source.evidence:
        if evidence.verified:
            at = f"evidence {evidence.id}"
            texts += [(f"{at}: title", evidence.title), (f"{at}: population", evidence.population)]
            texts += [(f"{at}: key figure", figure) for figure in evidence.key_figures]
            texts.append((f"{at}: regulatory", evidence.regulatory or ""))
    return [
        f"{where}: provenance wording {found.group(0)!r} in clinical text (move it to curator_notes)"
        for where, text in texts
        if (found := _PROVENANCE_WORDS.search(text or ""))
    ]


def _url_problems(where: str, urls: Iterable[str]) -> list[str]:
    problems = []
    for url in urls:
        why = source_host_problem(url.rstrip(".,;"))
        if why is not None:
            problems.append(f"{where}: source {url} {why}")
    return problems


def _check_rule_grade(where: str, rule: InteractionRule) -> list[str]:
    """The severity, its fields and its text must agree (the scale in knowledge/README.md)."""
    problems = []
    text = rule.management.strip()
    if rule.severity in WARNING_SEVERITIES or rule.severity == Severity.NOT_MEANINGFUL:
        if not rule.label_sections:
            problems.append(f"{where}: {rule.severity.value} rule without label_sections (e.g. ['7.1', '12.3'])")
        if rule.evidence_kind is None:
            problems.append(f"{where}: {rule.severity.value} rule without evidence_kind")
    if rule.severity == Severity.CONTRAINDICATED and "4" not in rule.label_sections:
        problems.append(f"{where}: contraindicated rule must cite section 4 (Contraindications)")
    if rule.severity == Severity.ADJUST_DOSE and not rule.dose_numbers_read:
        if rule.label_wording_read is not True:
            problems.append(f"{where}: dose_numbers_read: false needs the instruction itself read (label_wording_read: true)")
        if not (rule.dose_change and "label" in rule.dose_change.lower()):
            problems.append(f"{where}: dose_numbers_read: false needs a dose_change that sends the clinician to the label's table")
    elif rule.severity == Severity.ADJUST_DOSE and not (rule.dose_change and re.search(r"[0-9]", rule.dose_change)):
        problems.append(f"{where}: adjust_dose rule without a dose_change carrying the label's number")
    if rule.severity == Severity.SEPARATE_IN_TIME and not rule.separation_hours and "several hours" not in text:
        problems.append(f"{where}: separate_in_time rule without separation_hours")
    problems.extend(
        f"{where}: {problem}"
        for problem in management_problems(rule.severity, text, rule.separation_hours, rule.dose_numbers_read)
    )
    for field_name in ("effect", "management", "note"):
        if _CURATOR_WORDS.search(getattr(rule, field_name)):
            problems.append(f"{where}: curator wording in {field_name} (move it to curator_notes)")
    return problems


def management_problems(severity: Severity, text: str, hours: list[float], numbers_read: bool = True) -> list[str]:
    """Why a rule's management text disagrees with its severity (empty when they agree).

    numbers_read is False for a dose change the label gives in a table that was not read: the text must then
    start with the change and send the reader to the label instead of carrying a number."""
    lower = text.lower()
    first = lower.split(":")[0].split(".")[0]
    problems = []
    if severity in WARNING_SEVERITIES and not text:
        return ["a warning without management text"]
    if severity == Severity.CONTRAINDICATED and not (lower.startswith("contraindicated") or lower.startswith("do not")):
        problems.append("contraindicated management must start with 'Contraindicated' or 'Do not'")
    if severity != Severity.CONTRAINDICATED and "contraindicated" in lower:
        problems.append(f"{severity.value} management says 'contraindicated'")
    if severity == Severity.AVOID and not (first.startswith("avoid") or first.startswith("do not")):
        problems.append("avoid management must start with 'Avoid' or 'Do not'")
    if severity == Severity.ADJUST_DOSE:
        starts_with_change = re.match(r"^(reduce|increase|adjust|decrease|use \w+ \d)", lower)
        if numbers_read and not (starts_with_change and re.search(r"[0-9]", text)):
            problems.append("adjust_dose management must start with the dose change and carry its number")
        if not numbers_read and not (starts_with_change and "label" in lower):
            problems.append("adjust_dose management without the label's number must start with the change and name the label")
    if severity == Severity.SEPARATE_IN_TIME:
        if not lower.startswith("separate"):
            problems.append("separate_in_time management must start with 'Separate'")
        if hours and not all(re.search(rf"\b{h:g} hours?\b", text) for h in hours):
            problems.append("separate_in_time management must state each of its separation_hours")
    if severity == Severity.MONITOR:
        if not lower.startswith("monitor"):
            problems.append("monitor management must start with 'Monitor'")
        if re.search(r"\bavoid\b", first):
            problems.append("monitor management says 'avoid'")
    if severity == Severity.NOT_MEANINGFUL and re.search(r"\b(avoid|reduce|increase)\b", first):
        problems.append("not_meaningful management asks for an action")
    return problems


def _set_id_verification_problems(where: str, label: DrugLabel) -> list[str]:
    """A set ID says how it was verified, and that kind matches the page it was read on."""
    source = label.label
    if source.set_id is None:
        return [f"{where}: set_id_verified without a set_id"] if source.set_id_verified else []
    if source.set_id_verified is None:
        return [f"{where}: set_id without set_id_verified (dailymed, openfda, copy_of_dailymed, openfda_copy or nci_drug_page_link)"]
    problems = []
    if source.set_id_source is not None:
        problem = set_id_kind_problem(source.set_id_verified, source.set_id_source)
        if problem:
            problems.append(f"{where}: {problem}")
        # a copy is keyed by the set ID: the address read must carry all 36 characters of it
        if source.set_id_verified == "copy_of_dailymed" and source.set_id not in source.set_id_source:
            problems.append(f"{where}: set_id_verified: copy_of_dailymed, but the set ID is not in the copy's address")
    return problems


def _check_labels(source: KnowledgeSource, drug_names: set[str], class_ids: set[str]) -> list[str]:
    problems = []
    drugs = {d.name: d for d in source.drugs.drugs}
    mechanisms = {c.id: c.mechanism for c in source.drugs.classes if c.mechanism is not None}
    for label in source.labels:
        where = f"interactions: {label.drug}"
        if label.drug not in drug_names:
            problems.append(f"{where}: drug is not in drugs.yaml")
            continue
        if label.us_label and label.label.set_id is None and not label.label.set_id_missing:
            problems.append(f"{where}: no DailyMed set_id for the US label (or set_id_missing saying why)")
        if label.label.set_id is not None and label.label.set_id_missing:
            problems.append(f"{where}: set_id and set_id_missing both given")
        if label.label.set_id is None and label.verification.label_wording_read:
            problems.append(f"{where}: label wording read, but no set ID names the label that was read")
        if label.us_label and label.label.set_id is not None and label.label.set_id_source is None:
            problems.append(f"{where}: set_id without set_id_source (where the set ID was seen)")
        problems.extend(_set_id_verification_problems(where, label))
        urls = [*label.verification.read_from, *([label.label.set_id_source] if label.label.set_id_source else [])]
        urls += label.label.set_id_also_seen_on
        urls += _URL.findall(label.curator_notes) + _URL.findall(label.eu_note)
        for rule in label.rules:
            urls += rule.read_from + _URL.findall(rule.curator_notes) + _URL.findall(rule.management) + _URL.findall(rule.effect)
        problems.extend(_url_problems(where, urls))
        formulations = {f.id for f in drugs[label.drug].formulations}
        covered = set()
        for rule in label.rules:
            at = f"{where} / {rule.with_class or rule.with_drug}{' / ' + rule.formulation if rule.formulation else ''}"
            if rule.with_class is not None:
                covered.add(rule.with_class)
                if rule.with_class not in class_ids:
                    problems.append(f"{where}: class {rule.with_class} is not defined")
            if rule.with_drug is not None and rule.with_drug not in drug_names:
                problems.append(f"{where}: interacting drug {rule.with_drug} is not in drugs.yaml")
            if rule.label_examples and rule.with_class is None:
                problems.append(f"{at}: label_examples belong to a class rule")
            problems.extend(
                f"{at}: label example {name} is not in drugs.yaml" for name in rule.label_examples if name not in drug_names
            )
            if rule.formulation is not None and rule.formulation not in formulations:
                problems.append(f"{where}: formulation {rule.formulation} is not in the drug catalogue")
            problems.extend(_check_rule_grade(at, rule))
            resolvable = rule.mechanism is not None or (rule.with_class in mechanisms) or any(
                c in mechanisms for c in (drugs[rule.with_drug].classes if rule.with_drug in drugs else [])
            )
            if not resolvable:
                problems.append(f"{at}: no mechanism (set mechanism, or give the class one in drugs.yaml)")
            if label.wording_read(rule):
                read = [*rule.read_from, *label.verification.read_from]
                if not any(is_label_text_url(u) for u in read):
                    problems.append(f"{at}: label_wording_read without a read_from on FDA, NLM or the label holder's site")
            if label.wording_read(rule) and not label.us_label:
                problems.append(f"{at}: label wording read, but the record has no US label")
        missing = [c for c in REQUIRED_INTERACTION_CLASSES if c not in covered]
        if missing:
            problems.append(f"{where}: no rule or 'no_label_guidance' note for {', '.join(missing)}")
    for rule in source.class_rules:
        for cls in (rule.subject_class, rule.with_class):
            if cls not in class_ids:
                problems.append(f"class_rules.yaml: {rule.id}: class {cls} is not defined")
    oral_tkis = sorted(d.name for d in source.drugs.drugs if "tyrosine_kinase_inhibitor" in d.classes and "oral" in d.route)
    labelled = {label.drug for label in source.labels}
    withheld_only = {
        d for r in source.regimens if r.withheld_reason for d in r.drugs
    } - {d for r in source.regimens if not r.withheld_reason for d in r.drugs}
    problems.extend(
        f"interactions: oral TKI {name} has no label interaction record"
        for name in oral_tkis
        if name not in labelled and name not in withheld_only
    )
    problems.extend(_check_rxcuis(source))
    return problems


def _check_rxcuis(source: KnowledgeSource) -> list[str]:
    problems = []
    owner: dict[str, str] = {}
    for drug in source.drugs.drugs:
        for url in sorted({c.source_url or "" for c in drug.rxnorm}):
            if not url:
                problems.append(f"rxnorm.yaml: {drug.name}: RxCUIs without the RxNorm source they were read in")
            else:
                problems.extend(_url_problems(f"rxnorm.yaml: {drug.name}", [url]))
        for concept in drug.rxnorm:
            if concept.rxcui in owner and owner[concept.rxcui] != drug.name:
                problems.append(f"rxnorm.yaml: RxCUI {concept.rxcui} names both {owner[concept.rxcui]} and {drug.name}")
            owner[concept.rxcui] = drug.name
    return problems


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def pending_evidence(indication: Indication, evidence_by_id: dict[str, Evidence]) -> list[str]:
    """The evidence ids an indication waits on: all of them when none is citable, else none."""
    records = [evidence_by_id[e] for e in indication.evidence if e in evidence_by_id]
    if any(r.citable for r in records):
        return []
    return list(indication.evidence)


def is_withheld(regimen: Regimen, indication: Indication, evidence_by_id: dict[str, Evidence]) -> bool:
    return bool(regimen.withheld_reason or pending_evidence(indication, evidence_by_id))


def _evidence_text(evidence: Evidence) -> str:
    parts = [evidence.title, evidence.population, evidence.intervention, evidence.comparator or "", evidence.regulatory or "", *evidence.key_figures]
    return " ".join(parts)


def _check_hazard_ratio(at: str, indication: Indication, evidence_by_id: dict[str, Evidence]) -> list[str]:
    """An overall-survival hazard ratio is one its evidence records state."""
    shown = indication.overall_survival
    if shown is None or shown.hazard_ratio is None:
        return []
    text = " ".join(_evidence_text(evidence_by_id[e]) for e in shown.evidence if e in evidence_by_id)
    if f"{shown.hazard_ratio:g}" not in _NUMBER.findall(text):
        return [f"{at}: overall_survival hazard_ratio {shown.hazard_ratio:g} is not in its evidence"]
    return []


def _check_doses(at: str, regimen: Regimen, indication: Indication, evidence_by_id: dict[str, Evidence]) -> list[str]:
    """Every component of an indication that can be offered has a dose; every dose given here names its source,
    and a dose taken from a trial states no number that the trial's record does not."""
    problems = []
    keys = {c.key for c in regimen.components}
    problems.extend(f"{at}: dose for {k}, which is not a component" for k in indication.doses if k not in keys)
    sources = [(k, d.dose, d.source) for k, d in indication.doses.items()]
    sources += [(c.key, c.dose, c.dose_source) for c in regimen.components if c.dose_source is not None and c.dose]
    for key, dose, dose_source in sources:
        for evidence_id in dose_source.evidence:
            record = evidence_by_id.get(evidence_id)
            if record is None:
                problems.append(f"{at}: dose of {key}: evidence {evidence_id} does not exist")
            elif not record.citable:
                problems.append(f"{at}: dose of {key}: evidence {evidence_id} is not citable")
        if dose_source.evidence and dose_source.label is None:
            text = " ".join(_evidence_text(evidence_by_id[e]) for e in dose_source.evidence if e in evidence_by_id)
            unseen = [n for n in _NUMBER.findall(dose) if n not in _NUMBER.findall(text)]
            if unseen:
                problems.append(f"{at}: dose of {key} ({dose!r}) states {', '.join(unseen)}, not in its evidence")
        if dose_source.label is not None and not dose_source.label.source_url.startswith("http"):
            problems.append(f"{at}: dose of {key}: label source_url is not an http(s) address")
    if not is_withheld(regimen, indication, evidence_by_id):
        missing = [c.key for c in regimen.components if indication.dose_for(c)[0] is None]
        problems.extend(f"{at}: no dose for {k} (give the component a dose or the indication a doses entry)" for k in missing)
    return problems
