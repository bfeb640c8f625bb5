"""The in-memory knowledge base: indexes compiled once at startup, read-only on the request path."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from service.knowledge.records import (
    Alteration,
    AmbiguousCancerTerm,
    Biomarker,
    CancerType,
    ClassInteractionRule,
    Drug,
    DrugLabel,
    Evidence,
    Gene,
    Indication,
    NamedCombination,
    Regimen,
)
import re

from service.knowledge.source import KnowledgeSource, pending_evidence
from service.knowledge.terms import fold

@dataclass(frozen=True)
class KnowledgeBase:
    source: KnowledgeSource
    content_hash: str
    cancer_types: dict[str, CancerType] = field(init=False)
    drugs: dict[str, Drug] = field(init=False)
    evidence: dict[str, Evidence] = field(init=False)
    regimens: dict[str, Regimen] = field(init=False)
    labels: dict[str, DrugLabel] = field(init=False)
    genes: dict[str, Gene] = field(init=False)
    alterations: dict[str, Alteration] = field(init=False)
    biomarkers: dict[str, Biomarker] = field(init=False)
    # memo tables for derived, request-independent answers (filled lazily, never invalidated: the KB is immutable)
    memo: dict[object, object] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "cancer_types", {c.code: c for c in self.source.cancer_types.cancer_types})
        set_(self, "drugs", {d.name: d for d in sorted(self.source.drugs.drugs, key=lambda d: d.name)})
        set_(self, "evidence", {e.id: e for e in self.source.evidence})
        set_(self, "regimens", {r.id: r for r in sorted(self.source.regimens, key=lambda r: r.id)})
        set_(self, "labels", {label.drug: label for label in self.source.labels})
        set_(self, "genes", {g.symbol: g for g in self.source.alterations.genes})
        set_(self, "alterations", {a.id: a for a in self.source.alterations.alterations})
        set_(self, "biomarkers", {b.name: b for b in self.source.alterations.biomarkers})

    # --- cancer types ---------------------------------------------------------------

    @cached_property
    def cancer_type_terms(self) -> dict[str, str]:
        """Folded code, name or synonym -> OncoTree code."""
        terms: dict[str, str] = {}
        for cancer in self.source.cancer_types.cancer_types:
            for term in (cancer.code, cancer.name, *cancer.synonyms):
                terms[fold(term)] = cancer.code
        return terms

    @cached_property
    def ambiguous_cancer_terms(self) -> dict[str, AmbiguousCancerTerm]:
        return {fold(t.term): t for t in self.source.cancer_types.ambiguous_terms}

    @cached_property
    def cancer_type_vocabulary(self) -> list[str]:
        """Every accepted spelling, as published in the OpenAPI schema."""
        spellings = set()
        for cancer in self.source.cancer_types.cancer_types:
            spellings.update((cancer.code, cancer.name, *cancer.synonyms))
        spellings.update(t.term for t in self.source.cancer_types.ambiguous_terms)
        return sorted(spellings, key=lambda s: (s.casefold(), s))

    def ancestors(self, code: str) -> list[str]:
        """`code` and its ancestors, nearest first."""
        chain = []
        current: str | None = code
        while current is not None:
            chain.append(current)
            current = self.cancer_types[current].parent
        return chain

    def is_within(self, code: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(code)

    # --- drugs ----------------------------------------------------------------------

    @cached_property
    def drug_terms(self) -> dict[str, tuple[str, str | None]]:
        """Folded name, brand, salt, synonym or formulation alias -> (drug, formulation or None)."""
        terms: dict[str, tuple[str, str | None]] = {}
        for drug in self.drugs.values():
            for term in (drug.name, *drug.brands, *drug.salts, *drug.synonyms):
                terms[fold(term)] = (drug.name, None)
            for formulation in drug.formulations:
                for name in formulation.names:
                    terms[fold(name)] = (drug.name, formulation.id)
        return terms

    @cached_property
    def combination_terms(self) -> dict[str, NamedCombination]:
        """Folded acronym or synonym of a named combination -> the combination."""
        return {
            fold(term): combination
            for combination in self.source.drugs.combinations
            for term in (combination.name, *combination.synonyms)
        }

    @cached_property
    def drug_own_words(self) -> dict[str, frozenset[str]]:
        """Drug -> every word of its names, brands, salts, synonyms and formulation names or keywords."""
        words: dict[str, set[str]] = {name: set() for name in self.drugs}
        for term, (name, _) in self.drug_terms.items():
            words[name].update(term.split())
        for drug in self.drugs.values():
            for formulation in drug.formulations:  # its names are already drug terms; its keywords are not
                words[drug.name].update(fold(word) for word in formulation.keywords)
        return {name: frozenset(found) for name, found in words.items()}

    @cached_property
    def longest_drug_term_words(self) -> int:
        return max(len(term.split()) for term in self.drug_terms)

    def drug_classes(self, name: str) -> tuple[str, ...]:
        return tuple(self.drugs[name].classes)

    @cached_property
    def class_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.source.drugs.classes}

    @cached_property
    def class_rules(self) -> list[ClassInteractionRule]:
        return list(self.source.class_rules)

    # --- alterations ----------------------------------------------------------------

    @cached_property
    def gene_terms(self) -> dict[str, str]:
        """Folded gene symbol or alias -> gene symbol."""
        terms = {}
        for gene in self.genes.values():
            for term in (gene.symbol, *gene.aliases):
                terms[fold(term)] = gene.symbol
        return terms

    @cached_property
    def alteration_terms(self) -> dict[str, dict[str, str]]:
        """gene -> folded alteration name or alias -> alteration id."""
        terms: dict[str, dict[str, str]] = {}
        for alteration in self.alterations.values():
            by_gene = terms.setdefault(alteration.gene, {})
            for term in (alteration.name, *alteration.aliases):
                by_gene[fold(term)] = alteration.id
        return terms

    def alterations_of(self, gene: str) -> list[Alteration]:
        return [a for a in self.alterations.values() if a.gene == gene]

    @property
    def categories(self) -> dict[str, str]:
        return self.source.alterations.categories

    @cached_property
    def biomarker_terms(self) -> dict[str, str]:
        terms = {}
        for marker in self.biomarkers.values():
            for term in (marker.name, *marker.aliases):
                terms[fold(term)] = marker.name
        return terms

    # --- evidence -------------------------------------------------------------------

    def citable_evidence(self, ids: list[str]) -> list[Evidence]:
        """The verified records among `ids`: unverified ones are never shown as evidence."""
        return [self.evidence[i] for i in ids if self.evidence[i].citable]

    def evidence_short_name(self, evidence_id: str) -> str:
        """The trial acronym a clinician knows (the title's closing parenthesis), else the record id."""
        record = self.evidence.get(evidence_id)
        match = _ACRONYM.search(record.title) if record else None
        return match.group(1) if match else evidence_id

    def withheld_reason(self, regimen: Regimen, indication: Indication) -> tuple[str, list[str]] | None:
        """Why an indication is withheld (and the evidence it waits on), or None when it can be offered."""
        pending = [self.evidence_short_name(e) for e in pending_evidence(indication, self.evidence)]
        reasons = []
        if pending:
            reasons.append("evidence pending verification: " + ", ".join(pending))
        if regimen.withheld_reason:
            reasons.append(regimen.withheld_reason)
        return ("; ".join(reasons), pending) if reasons else None


_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")
