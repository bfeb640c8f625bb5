"""A synthetic knowledge base N times the curated one, of the same shape, for the scaling benchmark.

Every regimen (with its indications), evidence record, resistance rule and patient rule is cloned N-1 times
under new ids. Each clone is attached to a new cancer type placed beside the one it copies in the OncoTree
(same parent, so it shares the real type's ancestors and the hierarchy walk meets it), never within or above
it: a profile of a real type gets the same answer from the larger base, while the engine has 10x more to skip.
Clones of tumour-agnostic indications, and of rules for every cancer type, are tied to one synthetic tissue
per copy so they never concern a real patient. Toxicity rules, drugs and labels are not cloned (they carry no
cancer type, so a clone would change real answers). Not clinical data: only the benchmark uses it.
"""

from __future__ import annotations

from typing import Any

from service.knowledge.index import KnowledgeBase
from service.knowledge.records import CancerType, Evidence, PatientRule, Regimen, ResistanceRule
from service.knowledge.source import KnowledgeSource


def _synthetic_code(code: str, copy: int) -> str:
    return f"{code}_SYN{copy}"


def _tissue_code(copy: int) -> str:
    return f"SYNTHETIC{copy}"


def _cloned_types(by_code: dict[str, CancerType], named: set[str]) -> set[str]:
    """The named types and every type between two of them: the subtrees the clones mirror."""
    cloned = set(named)
    for code in named:
        chain, parent = [], by_code[code].parent
        while parent is not None:
            chain.append(parent)
            if parent in named:
                cloned.update(chain)
            parent = by_code[parent].parent
    return cloned


def _cancer_types(source: KnowledgeSource, cloned: set[str], copies: int) -> list[CancerType]:
    """Per copy, a clone of each type in `cloned` beside the real one: under the clone of its parent when that
    is cloned too, else under the real parent (a shared ancestor, never a real type a rule or indication names)."""
    by_code = {c.code: c for c in source.cancer_types.cancer_types}
    added = []
    for copy in range(1, copies + 1):
        added.append(CancerType(code=_tissue_code(copy), name=f"Synthetic tissue {copy}", category="tissue", level=0))
        for code in sorted(cloned):
            real = by_code[code]
            parent = real.parent
            added.append(
                real.model_copy(
                    update={
                        "code": _synthetic_code(code, copy),
                        "name": f"Synthetic {copy} {real.name}",
                        "parent": _synthetic_code(parent, copy) if parent in cloned else parent,
                        "previous_codes": [],
                        "synonyms": [],
                        "defined_by": None,
                    }
                )
            )
    return added


def _codes(codes: list[str], copy: int) -> list[str]:
    return [_synthetic_code(c, copy) for c in codes] or [_tissue_code(copy)]


def _ids(ids: list[str], copy: int) -> list[str]:
    return [f"{i}-syn{copy}" for i in ids]


def _clone_sources(doses: dict[str, Any], copy: int) -> None:
    for source in doses:
        if source and source.get("evidence"):
            source["evidence"] = _ids(source["evidence"], copy)


def _clone_regimen(regimen: Regimen, copy: int) -> Regimen:
    data = regimen.model_dump()
    data["id"] = f"{regimen.id}-syn{copy}"
    data["name"] = f"{regimen.name} (synthetic {copy})"
    _clone_sources([c.get("dose_source") for c in data["components"]], copy)
    for number, indication in enumerate(data["indications"], start=1):
        # the real summary's words name types and histologies, which the knowledge check compares with the criteria
        indication["summary"] = f"Synthetic indication {number} of copy {copy}"
        indication["notes"] = ""
        indication["id"] = f"{indication['id']}-syn{copy}"
        agnostic = indication["tumour_agnostic"] is not None
        indication["cancer_types"] = _codes(indication["cancer_types"], copy)
        indication["tumour_agnostic"] = None
        excluded = [] if agnostic else indication["excluded_cancer_types"]
        indication["excluded_cancer_types"] = [_synthetic_code(c, copy) for c in excluded]
        indication["evidence"] = _ids(indication["evidence"], copy)
        indication["outranks"] = _ids(indication["outranks"], copy)
        indication["outranks_one_arm"] = [_ids(arm, copy) for arm in indication["outranks_one_arm"]]
        indication["outranks_evidence"] = _ids(indication["outranks_evidence"], copy)
        if indication["overall_survival"]:
            indication["overall_survival"]["evidence"] = _ids(indication["overall_survival"]["evidence"], copy)
        _clone_sources([d["source"] for d in indication["doses"].values()], copy)
    return Regimen.model_validate(data)


def _clone_resistance(rule: ResistanceRule, copy: int) -> ResistanceRule:
    data = rule.model_dump()
    data.update(id=f"{rule.id}-syn{copy}", cancer_types=_codes(rule.cancer_types, copy), evidence=_ids(rule.evidence, copy))
    return ResistanceRule.model_validate(data)


def _clone_patient_rule(rule: PatientRule, copy: int) -> PatientRule:
    data = rule.model_dump()
    data.update(
        id=f"{rule.id}-syn{copy}",
        cancer_types=_codes(rule.cancer_types, copy),
        indications=_ids(rule.indications, copy),
        evidence=_ids(rule.evidence, copy),
    )
    return PatientRule.model_validate(data)


def _clone_evidence(evidence: Evidence, copy: int) -> Evidence:
    data = evidence.model_dump()
    data["id"] = f"{evidence.id}-syn{copy}"
    return Evidence.model_validate(data)


def scaled_source(source: KnowledgeSource, factor: int = 10) -> KnowledgeSource:
    """The curated knowledge plus factor-1 synthetic copies of its regimens, evidence and rules."""
    copies = range(1, factor)
    rules = source.rules
    named = {c for r in source.regimens for i in r.indications for c in [*i.cancer_types, *i.excluded_cancer_types]}
    named |= {c for rule in [*rules.resistance, *rules.patient] for c in rule.cancer_types}
    cloned = _cloned_types({c.code: c for c in source.cancer_types.cancer_types}, named)
    cancer_types = source.cancer_types.model_copy(
        update={"cancer_types": [*source.cancer_types.cancer_types, *_cancer_types(source, cloned, factor - 1)]}
    )
    histology = dict(rules.histology_by_cancer_type)
    for copy in copies:
        histology.update({_synthetic_code(c, copy): h for c, h in rules.histology_by_cancer_type.items() if c in cloned})
    scaled_rules = rules.model_copy(
        update={
            "resistance": [*rules.resistance, *(_clone_resistance(r, k) for k in copies for r in rules.resistance)],
            "patient": [*rules.patient, *(_clone_patient_rule(r, k) for k in copies for r in rules.patient)],
            "histology_by_cancer_type": histology,
        }
    )
    return KnowledgeSource(
        release=source.release,
        cancer_types=cancer_types,
        drugs=source.drugs,
        alterations=source.alterations,
        regimens=[*source.regimens, *(_clone_regimen(r, k) for k in copies for r in source.regimens)],
        evidence=[*source.evidence, *(_clone_evidence(e, k) for k in copies for e in source.evidence)],
        rules=scaled_rules,
        labels=source.labels,
        readings=source.readings,
        transcripts=source.transcripts,
        class_rules=source.class_rules,
    )


def scaled_knowledge(kb: KnowledgeBase, factor: int = 10) -> KnowledgeBase:
    """A KnowledgeBase over `scaled_source`, indexed as the service indexes the real one."""
    source = scaled_source(kb.source, factor)
    return KnowledgeBase(source=source, content_hash=source.content_hash())
