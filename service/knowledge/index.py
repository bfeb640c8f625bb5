"""The in-memory knowledge base: indexes compiled once at startup, read-only on the request path."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from service.knowledge.records import (
    Alteration,
    AmbiguousCancerTerm,
    CancerAbbreviation,
    Biomarker,
    CancerQualifier,
    CancerType,
    ConditionTerm,
    ClassInteractionRule,
    Drug,
    DrugLabel,
    Evidence,
    Gene,
    GeneTranscript,
    Indication,
    KnownCodingVariant,
    Mechanism,
    NamedCombination,
    PatientRule,
    Regimen,
    ResistanceRule,
    ToxicityRule,
)
from service.knowledge.source import KnowledgeSource, pending_evidence
from service.knowledge.terms import fold, phrase_pattern, tokens

_MISSING = object()


class BoundedCache:
    """A least-recently-used cache of a pure function, safe across threads, keeping only what `keep` allows."""

    def __init__(self, compute: Callable[..., Any], maxsize: int, keep: Callable[[Any], bool] | None = None) -> None:
        self._compute, self._maxsize, self._keep = compute, maxsize, keep
        self._answers: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, *args: Any) -> Any:
        answer = self._answers.get(args, _MISSING)  # each OrderedDict call is atomic: reads take no lock
        if answer is not _MISSING:
            try:
                self._answers.move_to_end(args)
            except KeyError:  # evicted by another thread meanwhile: the answer is still right
                pass
            return answer
        answer = self._compute(*args)
        if self._keep is None or self._keep(answer):
            with self._lock:
                self._answers[args] = answer
                if len(self._answers) > self._maxsize:
                    self._answers.popitem(last=False)
        return answer

    def __len__(self) -> int:
        return len(self._answers)

    def holds(self, *args: Any) -> bool:
        """Whether an answer for these arguments is kept."""
        return args in self._answers


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

    def once(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """What `build` gives, computed on first use and kept with this knowledge base: for facts of the knowledge
        alone (keys are tuples led by the caller's name). What it returns is shared, so callers never modify it.
        Lookups made per indication or per entry read keep their memo inline: a closure per call costs more there."""
        found = self.memo.get(key, _MISSING)
        if found is _MISSING:
            found = self.memo[key] = build()
        return found

    def cached(
        self, name: str, compute: Callable[..., Any], maxsize: int = 4096, keep: Callable[[Any], bool] | None = None
    ) -> Callable[..., Any]:
        """`compute` behind a bounded cache kept with this knowledge base, for answers that depend only on their
        (hashable) arguments and the knowledge, such as how one input term reads. The first `compute` given for a
        name is the one kept; what it returns is shared, so callers never modify it. `keep` says which answers
        may be kept: an entry that was not recognised is read again each time rather than held in memory."""
        key = ("cached", name)
        found = self.memo.get(key)
        if found is None:
            # functools' cache (in C) when every answer may be kept, else one that can decline an answer
            found = lru_cache(maxsize=maxsize)(compute) if keep is None else BoundedCache(compute, maxsize, keep)
            self.memo[key] = found
        return found  # type: ignore[return-value]

    # --- cancer types ---------------------------------------------------------------

    @cached_property
    def _cancer_term_owners(self) -> dict[str, list[str]]:
        """Folded code, earlier code, name or synonym -> every OncoTree code it names."""
        owners: dict[str, list[str]] = {}
        for cancer in self.source.cancer_types.cancer_types:
            for term in (cancer.code, *cancer.previous_codes, cancer.name, *cancer.synonyms):
                codes = owners.setdefault(fold(term), [])
                if cancer.code not in codes:
                    codes.append(cancer.code)
        return owners

    @cached_property
    def cancer_type_terms(self) -> dict[str, str]:
        """Folded term -> OncoTree code, for terms that name exactly one type."""
        return {term: codes[0] for term, codes in self._cancer_term_owners.items() if len(codes) == 1}

    @cached_property
    def ambiguous_cancer_terms(self) -> dict[str, AmbiguousCancerTerm]:
        """Curated lay terms, and OncoTree names shared by several types (a germ cell tumour of several sites)."""
        terms = {fold(t.term): t for t in self.source.cancer_types.ambiguous_terms}
        for term, codes in self._cancer_term_owners.items():
            if len(codes) > 1 and term not in terms:
                common = self.common_ancestor(codes)
                if common is not None:
                    terms[term] = AmbiguousCancerTerm(term=term, candidates=codes, ancestor=common)
        return terms

    @cached_property
    def cancer_abbreviations(self) -> dict[str, CancerAbbreviation]:
        """Curated clinical abbreviations that are also another type's code ("pNET" and PNET)."""
        return {fold(t.term): t for t in self.source.cancer_types.abbreviations}

    @cached_property
    def shared_cancer_terms(self) -> dict[str, list[str]]:
        """Names several types share with no common ancestor: never resolved, their types are suggested."""
        return {
            term: codes
            for term, codes in self._cancer_term_owners.items()
            if len(codes) > 1 and term not in self.ambiguous_cancer_terms
        }

    @cached_property
    def cancer_type_word_sets(self) -> dict[tuple[str, ...], list[str]]:
        """The sorted words of every term -> the codes they name (word order and punctuation free)."""
        found: dict[tuple[str, ...], list[str]] = {}
        for term, codes in self._cancer_term_owners.items():
            listed = found.setdefault(tokens(term), [])
            listed.extend(c for c in codes if c not in listed)
        return found

    @cached_property
    def cancer_qualifier_terms(self) -> dict[str, tuple[CancerQualifier, ...]]:
        """Folded qualifier words -> the findings they state ("triple-negative" states three)."""
        terms: dict[str, tuple[CancerQualifier, ...]] = {}
        for qualifier in self.source.cancer_types.qualifiers:
            for term in qualifier.terms:
                terms[fold(term)] = (*terms.get(fold(term), ()), qualifier)
        return terms

    @cached_property
    def cancer_type_vocabulary(self) -> list[str]:
        """Examples of accepted spellings for the OpenAPI document: the codes the knowledge acts on."""
        return sorted(self.covered_cancer_types)

    @cached_property
    def _ancestor_chains(self) -> dict[str, tuple[str, ...]]:
        chains: dict[str, tuple[str, ...]] = {}
        for code in self.cancer_types:
            chain = []
            current: str | None = code
            while current is not None:
                chain.append(current)
                current = self.cancer_types[current].parent
            chains[code] = tuple(chain)
        return chains

    def ancestors(self, code: str) -> tuple[str, ...]:
        """`code` and its ancestors, nearest first."""
        return self._ancestor_chains[code]

    def is_within(self, code: str, ancestor: str) -> bool:
        # an unrecognised type ("", as "pNET" is read) is within nothing
        return ancestor in self._ancestor_chains.get(code, ())

    def common_ancestor(self, codes: list[str]) -> str | None:
        chains = [self.ancestors(c) for c in codes]
        shared = set(chains[0]).intersection(*chains[1:])
        return next((c for c in chains[0] if c in shared), None)

    @cached_property
    def children_of(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {code: [] for code in self.cancer_types}
        for cancer in self.cancer_types.values():
            if cancer.parent is not None:
                children[cancer.parent].append(cancer.code)
        return children

    def descendants(self, code: str) -> list[str]:
        found, stack = [], list(self.children_of[code])
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self.children_of[current])
        return found

    @cached_property
    def covered_cancer_types(self) -> frozenset[str]:
        """The types some indication or rule names: the knowledge's scope, each with its subtypes."""
        named = {c for r in self.regimens.values() for i in r.indications for c in i.cancer_types}
        named |= {c for rule in self.source.rules.resistance for c in rule.cancer_types}
        return frozenset(named)

    def covers(self, code: str) -> bool:
        """True when some indication or rule concerns this type, one of its ancestors or descendants."""
        return any(self.is_within(code, c) or self.is_within(c, code) for c in self.covered_cancer_types)

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
    def drug_rxcuis(self) -> dict[str, str]:
        """RxNorm RxCUI -> drug, for the codes the catalogue records."""
        return {concept.rxcui: drug.name for drug in self.drugs.values() for concept in drug.rxnorm}

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
    def class_mechanisms(self) -> dict[str, Mechanism]:
        """Class -> the interaction mechanism a rule written for it checks."""
        return {c.id: c.mechanism for c in self.source.drugs.classes if c.mechanism is not None}

    @cached_property
    def duplicate_therapy_classes(self) -> frozenset[str]:
        return frozenset(c.id for c in self.source.drugs.classes if c.duplicate_therapy)

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
    def gene_group_terms(self) -> dict[str, tuple[str, str]]:
        """Folded name of a gene group ("ras", "all-ras") -> (the genes it names joined by '/', the group's definition)."""
        return {fold(t): ("/".join(g.genes), g.definition) for g in self.source.readings.gene_groups for t in g.terms}

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

    def gene_category_names(self, gene: str) -> tuple[tuple[str, str], ...]:
        """The categories named "<gene> ..." that some alteration of the gene belongs to, each with its folded
        name after the gene's, in the knowledge's order: folded once per gene, not per entry read."""
        key = ("gene_category_names", gene)
        found = self.memo.get(key)
        if found is None:
            prefix = fold(gene) + " "
            found = tuple(
                (category, fold(category).removeprefix(prefix))
                for category in self.categories
                if fold(category).startswith(prefix) and any(category in a.categories for a in self.alterations_of(gene))
            )
            self.memo[key] = found
        return found  # type: ignore[return-value]

    @property
    def categories(self) -> dict[str, str]:
        return self.source.alterations.categories

    @cached_property
    def biomarker_terms(self) -> dict[str, str]:
        terms = {}
        for marker in self.biomarkers.values():
            for term in marker.terms:
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
        key = ("withheld_reason", regimen.id, indication.id)
        if key not in self.memo:
            pending = [self.evidence_short_name(e) for e in pending_evidence(indication, self.evidence)]
            reasons = []
            if pending:
                reasons.append("evidence pending verification: " + ", ".join(pending))
            if regimen.withheld_reason:
                reasons.append(regimen.withheld_reason)
            self.memo[key] = ("; ".join(reasons), tuple(pending)) if reasons else None
        found = self.memo[key]
        return None if found is None else (found[0], list(found[1]))  # type: ignore[index]

    # --- regimens, indexed once ----------------------------------------------------

    @cached_property
    def _regimen_classes(self) -> dict[str, frozenset[str]]:
        return {
            r.id: frozenset(r.component_classes).union(*(self.drugs[d].classes for d in r.drugs)) for r in self.regimens.values()
        }

    def regimen_classes(self, regimen_id: str) -> frozenset[str]:
        """Every class a regimen's components belong to (class components and its drugs' classes)."""
        return self._regimen_classes[regimen_id]

    @cached_property
    def _patient_rules_by_indication(self) -> dict[tuple[str, str], tuple[object, ...]]:
        rules = self.source.rules.patient
        found: dict[tuple[str, str], tuple[object, ...]] = {}
        for regimen in self.regimens.values():
            classes = self._regimen_classes[regimen.id]
            for indication in regimen.indications:
                found[(regimen.id, indication.id)] = tuple(
                    rule
                    for rule in rules
                    if indication.id in rule.indications or set(regimen.drugs) & set(rule.drugs) or classes & set(rule.drug_classes)
                )
        return found

    @cached_property
    def condition_rule_coverage(self) -> dict[str, tuple[frozenset[str], bool]]:
        """Condition group -> the drugs some patient rule on it names (directly or by class), and whether a rule on it
        reads the history too: what the engine checked, so it can say which class members it did not."""
        drugs: dict[str, set[str]] = {}
        history: dict[str, bool] = {}
        for rule in self.source.rules.patient:
            when = rule.when
            named = set(rule.drugs) | {d for d, rec in self.drugs.items() if set(rec.classes) & set(rule.drug_classes)}
            for group in [*when.condition_groups, *when.past_condition_groups]:
                drugs.setdefault(group, set()).update(named)
                history[group] = history.get(group, False) or when.or_history or group in when.past_condition_groups
        return {g: (frozenset(d), history[g]) for g, d in drugs.items()}

    def patient_rules_for(self, regimen_id: str, indication_id: str) -> tuple[object, ...]:
        """The patient rules whose indication, drugs or drug classes concern this indication of this regimen."""
        return self._patient_rules_by_indication[(regimen_id, indication_id)]

    def patient_rules_concerning(self, regimen_id: str, indication_id: str, code: str) -> tuple[PatientRule, ...]:
        """The patient rules of this indication of this regimen that hold for this cancer type: rules for every type,
        for a type this one lies within, or for a subtype this one may be (urothelial carcinoma not placed in the bladder
        or upper tract still meets the cisplatin rule for both). Found once per type, so a request never scans the others."""
        key = ("patient_rules_concerning", regimen_id, indication_id, code)
        found = self.memo.get(key)
        if found is None:
            found = tuple(
                rule
                for rule in self._patient_rules_by_indication[(regimen_id, indication_id)]
                if not rule.cancer_types or any(self.is_within(code, c) or self.is_within(c, code) for c in rule.cancer_types)  # type: ignore[attr-defined]
            )
            self.memo[key] = found
        return found  # type: ignore[return-value]

    def resistance_rules_for(self, code: str) -> tuple[ResistanceRule, ...]:
        """The resistance rules for every cancer type or for one this type lies within, in the knowledge's order."""
        key = ("resistance_rules_for", code)
        found = self.memo.get(key)
        if found is None:
            found = tuple(
                rule
                for rule in self.source.rules.resistance
                if not rule.cancer_types or any(self.is_within(code, c) for c in rule.cancer_types)
            )
            self.memo[key] = found
        return found  # type: ignore[return-value]

    def resistance_rule_affects(self, rule: ResistanceRule, regimen: Regimen) -> tuple[str, ...]:
        """The regimen's drugs the rule names, else the regimen's classes it names: nothing when it does not apply."""
        key = ("resistance_rule_affects", id(rule), regimen.id)  # the rule lives as long as the knowledge base
        found = self.memo.get(key)
        if found is None:
            found = tuple(d for d in regimen.drugs if d in rule.drugs) or tuple(
                sorted(self._regimen_classes[regimen.id].intersection(rule.drug_classes))
            )
            self.memo[key] = found
        return found  # type: ignore[return-value]

    def regimens_a_resistance_rule_affects(self, rule: ResistanceRule) -> frozenset[str]:
        """The ids of the regimens `resistance_rule_affects` finds the rule to affect: found once per rule."""
        key = ("regimens_a_resistance_rule_affects", id(rule))  # the rule lives as long as the knowledge base
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = frozenset(r.id for r in self.regimens.values() if self.resistance_rule_affects(rule, r))
        return found  # type: ignore[return-value]

    @cached_property
    def _regimens_by_drug_set(self) -> dict[frozenset[str], tuple[Regimen, ...]]:
        found: dict[frozenset[str], list[Regimen]] = {}
        for regimen in self.regimens.values():
            if not regimen.component_classes:
                found.setdefault(frozenset(regimen.drugs), []).append(regimen)
        return {drugs: tuple(regimens) for drugs, regimens in found.items()}

    def regimens_of_exactly(self, drugs: frozenset[str]) -> tuple[Regimen, ...]:
        """The regimens made of exactly these drugs and no class component, in id order."""
        return self._regimens_by_drug_set.get(drugs, ())

    @cached_property
    def _toxicity_rules_by_regimen(self) -> dict[str, tuple[ToxicityRule, ...]]:
        return {
            r.id: tuple(rule for rule in self.source.rules.toxicity if set(rule.drugs) & set(r.drugs)) for r in self.regimens.values()
        }

    def toxicity_rules_sharing_a_drug(self, regimen_id: str) -> tuple[ToxicityRule, ...]:
        """The toxicity rules naming one of the regimen's drugs (the only ones that can exclude it), in order."""
        return self._toxicity_rules_by_regimen[regimen_id]

    def regimens_for_cancer_type(self, code: str) -> list[Regimen]:
        """Regimens with an indication for this type, one of its ancestors or descendants: the only ones a
        profile of this type can concern (the OncoTree hierarchy walked once per type, not per request)."""
        key = ("regimens_for_cancer_type", code)
        if key not in self.memo:
            self.memo[key] = [
                r
                for r in self.regimens.values()
                if any(self.is_within(code, c) or self.is_within(c, code) for i in r.indications for c in i.cancer_types)
                # tumour-agnostic indications are judged for every type; matching decides solid or not
                or any(i.tumour_agnostic is not None for i in r.indications)
            ]
        return self.memo[key]  # type: ignore[return-value]

    # --- input vocabularies ---------------------------------------------------------

    @cached_property
    def result_words(self) -> dict[str, tuple[str, bool]]:
        """Folded result word -> (result status, weak)."""
        return {fold(w): (group.status, group.weak) for group in self.source.readings.result_statuses for w in group.words}

    @cached_property
    def result_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(self.result_words)

    @cached_property
    def variant_word_pattern(self) -> re.Pattern[str]:
        readings = self.source.readings
        return phrase_pattern(fold(w) for w in [*readings.variant_words, *readings.method_words])

    @cached_property
    def method_words(self) -> dict[str, str]:
        return {fold(w): w for w in self.source.readings.method_words}

    @cached_property
    def method_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(self.method_words)

    @cached_property
    def outcome_words(self) -> dict[str, str]:
        return {fold(w): group.outcome for group in self.source.readings.outcomes for w in group.words}

    @cached_property
    def outcome_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(self.outcome_words)

    @cached_property
    def ongoing_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(fold(w) for w in self.source.readings.ongoing_words)

    @cached_property
    def condition_terms(self) -> dict[str, ConditionTerm]:
        return {fold(s): c for c in self.source.readings.conditions for s in (c.name, *c.synonyms)}

    @cached_property
    def condition_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(self.condition_terms)

    @cached_property
    def condition_codes(self) -> dict[tuple[str, str], ConditionTerm]:
        """(system, code) -> condition, for exact codes; prefixes are looked up by `condition_for_code`."""
        return {(code.system, code.code.upper()): c for c in self.source.readings.conditions for code in c.codes}

    def condition_for_code(self, system: str, code: str) -> ConditionTerm | None:
        code = code.upper()
        found = self.condition_codes.get((system, code))
        if found is not None:
            return found
        for c in self.source.readings.conditions:
            for known in c.codes:
                if known.prefix and known.system == system and code.startswith(known.code.upper()):
                    return c
        return None

    @cached_property
    def condition_groups(self) -> dict[str, str]:
        return {g.id: g.name for g in self.source.readings.condition_groups}

    @cached_property
    def history_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(fold(w) for w in self.source.readings.history_words)

    @cached_property
    def active_pattern(self) -> re.Pattern[str]:
        return phrase_pattern(fold(w) for w in self.source.readings.active_words)

    # --- transcripts ----------------------------------------------------------------

    @cached_property
    def transcripts(self) -> dict[str, GeneTranscript]:
        return {t.gene: t for t in self.source.transcripts.transcripts}

    def exon_of(self, gene: str, codon: int) -> int | None:
        transcript = self.transcripts.get(gene)
        if transcript is None:
            return None
        exons = [e.exon for e in transcript.exons if e.first_codon <= codon <= e.last_codon]
        return exons[0] if len(exons) == 1 else None  # a codon split across two exons is placed in neither

    @cached_property
    def coding_variants(self) -> dict[tuple[str, str], KnownCodingVariant]:
        """(gene, c. change) -> the known protein change on the curated transcript."""
        return {(v.gene, v.hgvs_c): v for v in self.source.transcripts.coding_variants}

    def genes_for_cancer_type(self, code: str) -> frozenset[str]:
        """Genes whose alterations some indication or rule for this type (or a related one) acts on."""
        key = ("genes_for_cancer_type", code)
        if key not in self.memo:
            def related(codes: list[str]) -> bool:
                return not codes or any(self.is_within(code, c) or self.is_within(c, code) for c in codes)

            self.memo[key] = self._genes_acted_on(related)
        return self.memo[key]  # type: ignore[return-value]

    @cached_property
    def genes_never_acted_on(self) -> frozenset[str]:
        """Genes read from reports that no indication, resistance rule or driver check acts on in any cancer type
        (a panel gene such as STK11): their results are shown as not used for matching."""
        acted = self._genes_acted_on(lambda codes: True)
        checked = {g.symbol for g in self.genes.values() if g.driver_alterations or g.result_needed_in or g.mutation_scope or g.expected_in}
        return frozenset(self.genes) - acted - checked

    def _genes_acted_on(self, related: Callable[[list[str]], bool]) -> frozenset[str]:
        terms: set[str] = set()
        genes: set[str] = set()
        for regimen in self.regimens.values():
            for i in regimen.indications:
                if related(i.cancer_types):
                    terms.update(t for group in i.requires_alterations for t in group)
                    terms.update(i.excludes_alterations)
                    genes.update(i.requires_negative)
        for rule in self.source.rules.resistance:
            if related(rule.cancer_types):
                terms.update(rule.alterations)
        for alteration in self.alterations.values():
            if alteration.id in terms or terms.intersection(alteration.categories):
                genes.add(alteration.gene)
        return frozenset(genes)


_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")
