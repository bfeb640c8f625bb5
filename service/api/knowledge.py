"""Read-only knowledge endpoints: what the service knows, and from which sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from schemas.knowledge import (
    AlterationList,
    AlterationView,
    CancerTypeList,
    CancerTypeView,
    DrugList,
    DrugView,
    EvidenceList,
    CancerTypeCoverage,
    IndicationView,
    KnowledgeOverview,
    RegimenList,
    RegimenSummary,
    RegimenView,
)
from schemas.responses import Component, EvidenceRecord, KnowledgeVersion
from service.api.deps import KnowledgeDep
from service.api.problems import NotFoundError, problem_responses
from service.engine.evidence import to_citation, to_record
from service.engine.coverage import coverage_by_cancer_type
from service.engine.recommend import knowledge_version
from service.knowledge.index import KnowledgeBase
from service.knowledge.terms import fold
from service.knowledge.records import Indication, Regimen

# Routes are async: they read the in-memory knowledge only, so a threadpool hop would add cost and no concurrency.
router = APIRouter(prefix="/v1", tags=["knowledge"])



def _example(value: str, summary: str) -> dict[str, dict[str, str]]:
    """One named example, shown in /docs and /redoc."""
    return {value: {"summary": summary, "value": value}}


def _identifier(value: str, summary: str) -> Any:
    return Path(min_length=1, max_length=120, openapi_examples=_example(value, summary))


def _filter(value: str, summary: str) -> Any:
    return Query(min_length=1, max_length=100, openapi_examples=_example(value, summary))


RegimenId = Annotated[str, _identifier("ponatinib-cml", "Ponatinib in CML")]
DrugName = Annotated[str, _identifier("ponatinib", "A drug by generic name")]
CancerTypeCode = Annotated[str, _identifier("CML", "An OncoTree code")]
EvidenceId = Annotated[str, _identifier("pace", "The PACE trial")]
CancerTypeFilter = Annotated[str | None, _filter("CML", "Regimens for chronic myeloid leukaemia")]
DrugFilter = Annotated[str | None, _filter("ponatinib", "Regimens containing ponatinib")]
DrugClassFilter = Annotated[str | None, _filter("bcr_abl1_tki", "BCR::ABL1 tyrosine kinase inhibitors")]
GeneFilter = Annotated[str | None, _filter("EGFR", "Alterations of one gene")]


def _criteria(indication: Indication) -> list[str]:
    criteria = [f"requires {' or '.join(group)}" for group in indication.requires_alterations]
    if indication.tumour_agnostic is not None:
        excluded = f" except {', '.join(indication.excluded_cancer_types)}" if indication.excluded_cancer_types else ""
        criteria.insert(0, f"tumour-agnostic: any solid tumour{excluded}")
    criteria += [f"US {e.event.replace('_', ' ')} {e.date.isoformat()}" for e in indication.regulatory_history]
    criteria += [f"excludes {a}" for a in indication.excludes_alterations]
    criteria += [f"{g} tested negative" for g in indication.requires_negative]
    criteria += [" or ".join(c.requirement for c in group) for group in indication.biomarkers]
    if indication.pd_l1 is not None:
        bounds = [f">= {indication.pd_l1.min:g}" if indication.pd_l1.min is not None else "", f"< {indication.pd_l1.below:g}" if indication.pd_l1.below is not None else ""]
        criteria.append(f"PD-L1 {indication.pd_l1.scoring.upper()} {' '.join(b for b in bounds if b)}")
    criteria += [" or ".join(c.requirement for c in group) for group in indication.blood_counts]
    if indication.any_setting:
        criteria.append("any disease setting")
    criteria += [f"after {c.description}" for c in indication.requires_prior]
    criteria += [f"not after {c.description}" for c in indication.excludes_prior]
    criteria += [f"not shown to cover patients after {c.description}" for c in indication.prior_not_shown_covered]
    return criteria


def _regimen_view(kb: KnowledgeBase, regimen: Regimen) -> RegimenView:
    return RegimenView(
        id=regimen.id,
        name=regimen.name,
        drugs=regimen.drugs,
        components=[Component(drug=c.drug, drug_class=c.drug_class, role=c.role, dose=c.dose) for c in regimen.components],
        indications=[
            IndicationView(
                id=i.id,
                summary=i.summary,
                cancer_types=i.cancer_types,
                settings=[s.value for s in i.settings],
                lines=f"{i.lines.min}+" if i.lines.max is None else f"{i.lines.min}-{i.lines.max}",
                criteria=_criteria(i),
                evidence_level=i.evidence_level.value,
                regulatory_status=i.regulatory_status.value,
                approval_year=i.approval_year,
                evidence=[to_citation(e) for e in kb.citable_evidence(i.evidence)],
                notes=i.notes or None,
            )
            for i in regimen.indications
        ],
    )


@router.get(
    "/knowledge",
    operation_id="getKnowledgeVersion",
    summary="The knowledge release and content hash served, and what it covers per cancer type",
    response_model=KnowledgeOverview,
)
async def get_knowledge_version(knowledge: KnowledgeDep) -> KnowledgeOverview:
    coverage = [CancerTypeCoverage(**row) for row in coverage_by_cancer_type(knowledge)]
    return KnowledgeOverview(**knowledge_version(knowledge).model_dump(), coverage=coverage)


@router.get("/regimens", operation_id="listRegimens", summary="List regimens, optionally for a cancer type or containing a drug", response_model=RegimenList, response_model_exclude_none=True)
async def list_regimens(knowledge: KnowledgeDep, cancer_type: CancerTypeFilter = None, drug: DrugFilter = None) -> RegimenList:
    code = knowledge.cancer_type_terms.get(fold(cancer_type)) if cancer_type else None
    items = []
    for regimen in knowledge.regimens.values():
        types = sorted({c for i in regimen.indications for c in i.cancer_types})
        if cancer_type and (code is None or not any(knowledge.is_within(code, t) or knowledge.is_within(t, code) for t in types)):
            continue
        if drug and fold(drug) not in regimen.drugs:
            continue
        items.append(RegimenSummary(id=regimen.id, name=regimen.name, drugs=regimen.drugs, cancer_types=types))
    return RegimenList(knowledge_version=knowledge_version(knowledge), items=items)


@router.get("/regimens/{regimen_id}", operation_id="getRegimen", summary="One regimen with its indications and evidence", response_model=RegimenView, response_model_exclude_none=True, responses=problem_responses(404, 422))
async def get_regimen(regimen_id: RegimenId, knowledge: KnowledgeDep) -> RegimenView:
    regimen = knowledge.regimens.get(regimen_id)
    if regimen is None:
        raise NotFoundError("regimen")
    return _regimen_view(knowledge, regimen)


def _drug_view(kb: KnowledgeBase, name: str) -> DrugView:
    drug = kb.drugs[name]
    return DrugView(
        name=drug.name,
        brands=drug.brands,
        salts=drug.salts,
        synonyms=drug.synonyms,
        classes=drug.classes,
        targets=drug.targets,
        route=drug.route,
        rxcuis=drug.ingredient_rxcuis,
        product_rxcuis=drug.product_rxcuis,
        formulations=[f.name for f in drug.formulations],
        has_label_interactions=name in kb.labels,
    )


@router.get("/drugs", operation_id="listDrugs", summary="The drug catalogue, optionally filtered by class", response_model=DrugList, response_model_exclude_none=True)
async def list_drugs(knowledge: KnowledgeDep, drug_class: DrugClassFilter = None) -> DrugList:
    names = [n for n, d in knowledge.drugs.items() if drug_class is None or drug_class in d.classes]
    return DrugList(knowledge_version=knowledge_version(knowledge), items=[_drug_view(knowledge, n) for n in names])


@router.get("/drugs/{name}", operation_id="getDrug", summary="One drug, found by generic name, brand, salt or synonym", response_model=DrugView, response_model_exclude_none=True, responses=problem_responses(404, 422))
async def get_drug(name: DrugName, knowledge: KnowledgeDep) -> DrugView:
    hit = knowledge.drug_terms.get(fold(name))
    if hit is None:
        raise NotFoundError("drug")
    return _drug_view(knowledge, hit[0])


def _cancer_type_view(kb: KnowledgeBase, code: str) -> CancerTypeView:
    cancer = kb.cancer_types[code]
    children = sorted(c.code for c in kb.cancer_types.values() if c.parent == code)
    return CancerTypeView(code=cancer.code, name=cancer.name, parent=cancer.parent, category=cancer.category, synonyms=cancer.synonyms, children=children)


@router.get("/cancer-types", operation_id="listCancerTypes", summary="Cancer types (OncoTree codes) with synonyms and hierarchy", response_model=CancerTypeList, response_model_exclude_none=True)
async def list_cancer_types(knowledge: KnowledgeDep) -> CancerTypeList:
    return CancerTypeList(knowledge_version=knowledge_version(knowledge), items=[_cancer_type_view(knowledge, c) for c in sorted(knowledge.cancer_types)])


@router.get("/cancer-types/{code}", operation_id="getCancerType", summary="One cancer type, found by code, name or synonym", response_model=CancerTypeView, response_model_exclude_none=True, responses=problem_responses(404, 422))
async def get_cancer_type(code: CancerTypeCode, knowledge: KnowledgeDep) -> CancerTypeView:
    found = knowledge.cancer_type_terms.get(fold(code))
    if found is None:
        raise NotFoundError("cancer type")
    return _cancer_type_view(knowledge, found)


@router.get("/alterations", operation_id="listAlterations", summary="Alterations the knowledge base can act on, optionally for one gene", response_model=AlterationList, response_model_exclude_none=True)
async def list_alterations(knowledge: KnowledgeDep, gene: GeneFilter = None) -> AlterationList:
    symbol = knowledge.gene_terms.get(fold(gene)) if gene else None
    items = [
        AlterationView(id=a.id, gene=a.gene, name=a.name, kind=a.kind, exon=a.exon, aliases=a.aliases, categories=a.categories)
        for a in knowledge.alterations.values()
        if gene is None or a.gene == symbol
    ]
    return AlterationList(knowledge_version=knowledge_version(knowledge), items=items)


@router.get("/evidence", operation_id="listEvidence", summary="Verified evidence records with their sources", response_model=EvidenceList, response_model_exclude_none=True)
async def list_evidence(knowledge: KnowledgeDep) -> EvidenceList:
    items = [to_record(e) for e in sorted(knowledge.evidence.values(), key=lambda e: e.id) if e.citable]
    return EvidenceList(knowledge_version=knowledge_version(knowledge), items=items)


@router.get("/evidence/{evidence_id}", operation_id="getEvidence", summary="One verified evidence record", response_model=EvidenceRecord, response_model_exclude_none=True, responses=problem_responses(404, 422))
async def get_evidence(evidence_id: EvidenceId, knowledge: KnowledgeDep) -> EvidenceRecord:
    evidence = knowledge.evidence.get(evidence_id)
    if evidence is None or not evidence.citable:
        raise NotFoundError("evidence record")
    return to_record(evidence)
