"""Evidence levels and citations, as shown to callers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from schemas.responses import EvidenceCitation, EvidenceLevelInfo, EvidenceRecord, LabelCitation
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Evidence, EvidenceLevel

LOW_LEVEL_DESIGNS = frozenset({"retrospective", "case report", "preclinical"})

EVIDENCE_LEVELS: dict[EvidenceLevel, EvidenceLevelInfo] = {
    EvidenceLevel.LEVEL_1: EvidenceLevelInfo(
        code="1",
        description="FDA-approved for this indication, on randomised or registrational trial evidence",
        oncokb_equivalent="Level 1",
        amp_asco_cap_tier="Tier I, level A",
        low_level=False,
    ),
    EvidenceLevel.LEVEL_2: EvidenceLevelInfo(
        code="2",
        description="Randomised controlled evidence in this setting, without FDA approval for it",
        oncokb_equivalent="Level 2 / 3A",
        amp_asco_cap_tier="Tier I, level B",
        low_level=False,
    ),
    EvidenceLevel.LEVEL_3: EvidenceLevelInfo(
        code="3",
        description="Prospective non-randomised trial (phase 1/2, single arm): investigational",
        oncokb_equivalent="Level 3A / 3B",
        amp_asco_cap_tier="Tier II, level C",
        low_level=False,
    ),
    EvidenceLevel.LEVEL_4: EvidenceLevelInfo(
        code="4",
        description="Low-level evidence: retrospective series, case reports or preclinical data only",
        oncokb_equivalent="Level 4",
        amp_asco_cap_tier="Tier II, level D",
        low_level=True,
    ),
}


def citation_url(evidence: Evidence) -> str:
    """The public record a clinician can check: PubMed first, then the registry, then the DOI."""
    if evidence.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{evidence.pmid}/"
    if evidence.nct_id:
        return f"https://clinicaltrials.gov/study/{evidence.nct_id}"
    if evidence.doi:
        return f"https://doi.org/{evidence.doi}"
    if evidence.dailymed_set_id:
        return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={evidence.dailymed_set_id}"
    return evidence.source_url


def to_citation(evidence: Evidence) -> EvidenceCitation:
    return EvidenceCitation(
        kind="evidence",
        id=evidence.id,
        title=evidence.title,
        pmid=evidence.pmid,
        nct_id=evidence.nct_id,
        doi=evidence.doi,
        dailymed_set_id=evidence.dailymed_set_id,
        label_sections=evidence.label_sections,
        url=citation_url(evidence),
        source_url=evidence.source_url,
        accessed=evidence.accessed.isoformat(),
        design=evidence.design,
        n=evidence.n,
        low_level=evidence.design in LOW_LEVEL_DESIGNS,
        key_figures=list(evidence.key_figures),
        regulatory=evidence.regulatory,
    )


def to_record(evidence: Evidence) -> EvidenceRecord:
    return EvidenceRecord(
        **to_citation(evidence).model_dump(),
        population=evidence.population,
        intervention=evidence.intervention,
        comparator=evidence.comparator,
        verified=evidence.verified,
        notes=evidence.notes,
    )


# Responses cite each source once, in their top-level `citations`, and items carry the ids. A citation is
# built once per knowledge base (the knowledge is immutable) and kept under its id for every later answer.
def _cited(kb: KnowledgeBase) -> dict[str, EvidenceCitation | LabelCitation]:
    """Citation id -> the citation, for every citation built so far."""
    return kb.once(("cited",), dict)  # type: ignore[no-any-return]


def cite_evidence(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    """The ids of the citable (verified) evidence among `ids`, in order, once each."""
    ids = tuple(ids)
    key = ("cited-evidence", ids)
    found = kb.memo.get(key)
    if not isinstance(found, tuple):
        for evidence in kb.citable_evidence(list(dict.fromkeys(ids))):
            if evidence.id not in _cited(kb):
                _cited(kb)[evidence.id] = to_citation(evidence)
        found = tuple(e.id for e in kb.citable_evidence(list(dict.fromkeys(ids))))
        kb.memo[key] = found
    return list(found)


def cite_label(
    kb: KnowledgeBase,
    title: str,
    url: str | None = None,
    set_id: str | None = None,
    version: str | None = None,
    section: str | None = None,
    read_from: str | None = None,
) -> LabelCitation:
    """A label citation with an id derived from what it cites, so the same label and sections get the same id."""
    fields = (title, url, set_id, version, section, read_from)
    key = ("label-citation", fields)
    citation = kb.memo.get(key)
    if not isinstance(citation, LabelCitation):
        digest = hashlib.sha256("\x1f".join(f or "" for f in fields).encode()).hexdigest()[:12]
        citation = LabelCitation(
            kind="label",
            id=f"label:{digest}", title=title, url=url, set_id=set_id, version=version, section=section, read_from=read_from
        )
        kb.memo[key] = citation
        _cited(kb)[citation.id] = citation
    return citation


def citations_for(kb: KnowledgeBase, ids: Iterable[str]) -> dict[str, EvidenceCitation | LabelCitation]:
    """The citations an answer refers to, by id, in the order first referred to."""
    cited = _cited(kb)
    return {i: cited[i] for i in dict.fromkeys(ids)}
