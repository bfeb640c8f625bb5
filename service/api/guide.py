"""The decision guide pages: GET/POST /guide (works without JavaScript) and POST /guide/panel (the live panel)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from schemas.responses import NotRecommended, RecommendationResponse
from service.api.deps import KnowledgeDep
from service.engine.normalise import UnknownCancerTypeError
from service.engine.recommend import INTENDED_USE, knowledge_version, recommend_for
from service.knowledge.index import KnowledgeBase
from service.web.form import (
    LEUKAEMIA_STAGES,
    MEDICATION_LIST,
    MEDICATION_ROWS,
    OUTCOMES,
    PRIOR_LINES,
    SOLID_STAGES,
    FormResult,
    form_choices,
    MAX_MEDICATIONS,
    profile_from_form,
)

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "web" / "templates")
router = APIRouter(include_in_schema=False)

SEVERITY_ORDER = {"avoid": 0, "adjust": 1, "monitor": 2}
DAILYMED_SETID = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={}"

# Every state a cell of the interaction grid can show, in legend order: the one place that maps a pair's
# answer to what the page says (new per-pair statuses from the response are added here).
CELL_STATES: dict[str, tuple[str, str]] = {
    "avoid": ("Avoid", "Warning: the label says to avoid the combination."),
    "adjust": ("Adjust", "Warning: the label gives a dose change or other adjustment."),
    "monitor": ("Monitor", "Warning: the label says to monitor for an effect."),
    "no meaningful effect": ("No meaningful effect", "The label studied the pair and found no clinically meaningful effect."),
    "no label guidance": ("No label guidance", "The regimen drug's label was checked and gives no guidance on this medicine."),
    "not assessed": ("Not assessed", "Not checked: the medicine was not recognised, or the knowledge holds no label for the drug."),
}


@dataclass(frozen=True)
class PairDetail:
    """One cell of the grid with the words and the source behind it."""

    anchor: str
    drug: str
    medication: str
    state: str
    text: str
    sources: list[tuple[str, str | None]]  # title, link


def _anchor(drug: str, medication: str) -> str:
    return "pair-" + re.sub(r"[^a-z0-9]+", "-", f"{drug} {medication}".lower()).strip("-")


def interaction_grid(kb: KnowledgeBase, answer: RecommendationResponse) -> dict[str, object]:
    """Rows: every drug of every option; columns: every current medicine as entered; cells: the pair's answer."""
    columns = [(m.name or m.input, m.name) for m in answer.profile.current_medications]
    rows = list(dict.fromkeys(d for o in answer.options for d in o.drugs))
    warnings = {(w.drug, w.interacting_drug): w for w in answer.interaction_warnings}
    cleared = {(c.drug, c.interacting_drug): c for c in answer.interactions_cleared}
    cells: dict[tuple[str, str], PairDetail] = {}
    for drug in rows:
        for column, name in columns:
            anchor = _anchor(drug, column)
            if name is not None and (warning := warnings.get((drug, name))) is not None:
                sources = [(e.title + (f", section {e.section}" if e.section else ""), e.url) for e in warning.evidence]
                cells[(drug, column)] = PairDetail(anchor, drug, column, warning.severity, warning.management, sources)
            elif name is not None and (found := cleared.get((drug, name))) is not None:
                sources = [(e.title + (f", section {e.section}" if e.section else ""), e.url) for e in found.evidence]
                text = found.effect or "No clinically meaningful effect in the label's study of this pair."
                cells[(drug, column)] = PairDetail(anchor, drug, column, "no meaningful effect", text, sources)
            elif name is None:
                cells[(drug, column)] = PairDetail(anchor, drug, column, "not assessed", "The medicine was not recognised, so it was not checked.", [])
            elif name == drug:
                cells[(drug, column)] = PairDetail(anchor, drug, column, "not assessed", "The same drug: a pair is not checked against itself.", [])
            elif (label := kb.labels.get(drug)) is not None:
                link = DAILYMED_SETID.format(label.label.set_id) if label.label.set_id else None
                text = f"The {drug} label's interaction guidance was checked; it names nothing that applies to {name}."
                cells[(drug, column)] = PairDetail(anchor, drug, column, "no label guidance", text, [(label.label.title, link)])
            else:
                text = f"The knowledge base holds no label record for {drug}: this pair was not checked."
                cells[(drug, column)] = PairDetail(anchor, drug, column, "not assessed", text, [])
    present = {cell.state for cell in cells.values()}
    return {
        "rows": rows,
        "columns": [column for column, _ in columns],
        "cells": cells,
        "states": CELL_STATES,
        "legend": [(state, CELL_STATES[state]) for state in CELL_STATES if state in present],
        "not_assessed": sum(1 for cell in cells.values() if cell.state == "not assessed"),
        "no_warning_pairs": [c for c in cells.values() if c.state not in SEVERITY_ORDER],
    }


def options_heading(answer: RecommendationResponse) -> str:
    """Say what the options are: monotherapies, combinations, or both, never 'combinations' for single drugs."""
    combinations = sum(1 for o in answer.options if len(o.components) > 1)
    single = len(answer.options) - combinations

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 'ies' if word.endswith('y') else 's'}"

    if not answer.options:
        return "No treatment option matches this profile"
    if combinations and single:
        return f"{len(answer.options)} treatment options: {count(combinations, 'combination')}, {count(single, 'monotherapy')}"
    kind = "combination" if combinations else "monotherapy"
    return f"{len(answer.options)} {kind} option{'' if len(answer.options) == 1 else 's'}"


KIND_WORDS = {"resistance": "resistance", "biomarker": "a biomarker result", "toxicity": "toxicity", "prior_therapy": "prior therapy"}


def exclusion_summary(answer: RecommendationResponse) -> str | None:
    """How many regimens were excluded, and the reason most of them share, in one sentence."""
    if not answer.not_recommended:
        return None
    kinds = Counter(kind for n in answer.not_recommended for kind in dict.fromkeys(r.kind for r in n.reasons))
    kind, times = kinds.most_common(1)[0]
    subjects = Counter(r.detail.split(": ", 1)[0] for n in answer.not_recommended for r in n.reasons if r.kind == kind and ": " in r.detail)
    subject = f" ({subjects.most_common(1)[0][0]})" if subjects else ""
    total = len(answer.not_recommended)
    share = "all" if times == total else f"{times} of {total}"
    return f"{total} regimen{'' if total == 1 else 's'} not recommended; main reason: {KIND_WORDS.get(kind, kind)}{subject}, {share}."


def short_exclusion(entry: NotRecommended) -> str:
    """One printed line per excluded regimen: its reasons' kinds and subjects (the page gives the full text)."""
    parts = list(dict.fromkeys(f"{KIND_WORDS.get(r.kind, r.kind)}" + (f" ({r.detail.split(': ', 1)[0]})" if ": " in r.detail else "") for r in entry.reasons))
    return "; ".join(parts) or entry.reason


def inputs_line(answer: RecommendationResponse) -> list[tuple[str, str]]:
    """The inputs as read, compactly, for the printed summary."""
    profile = answer.profile
    rows = [("Cancer type", profile.cancer_type.name or profile.cancer_type.input)]
    if profile.stage:
        rows.append(("Stage", profile.stage.input))
    if profile.mutations:
        rows.append(("Alterations", "; ".join(f"{m.normalised or m.input} ({m.result})" if m.status == "recognised" else f"{m.input} (not recognised)" for m in profile.mutations)))
    markers = [b.normalised or b.input for b in profile.biomarkers] + [f"PD-L1 {k.upper()} {v:g}" for k, v in (profile.pd_l1 or {}).items()]
    if markers:
        rows.append(("Biomarkers", "; ".join(markers)))
    patient = getattr(profile, "patient", None)
    if patient is not None:
        facts = [f"ECOG {patient.ecog}" if patient.ecog is not None else "", f"brain metastases {patient.brain_metastases}" if patient.brain_metastases else "",
                 f"Child-Pugh {patient.child_pugh}" if patient.child_pugh else "",
                 f"CrCl {patient.creatinine_clearance_ml_min:g} mL/min" if patient.creatinine_clearance_ml_min is not None else "",
                 f"QTc {patient.qtc_ms:g} ms" if patient.qtc_ms is not None else ""]
        facts += [c.normalised or c.input for c in patient.conditions]
        if any(facts):
            rows.append(("Patient", "; ".join(f for f in facts if f)))
    if profile.prior_therapies is None:
        rows.append(("Prior therapy", "not stated"))
    else:
        rows.append(("Prior therapy", "; ".join(f"line {p.line}: {' + '.join(d.name or d.input for d in p.drugs)} ({p.outcome})" for p in profile.prior_therapies) or "none"))
    rows.append(("Current medications", "; ".join(m.input for m in profile.current_medications) or "none given"))
    return rows


def _answer(kb: KnowledgeDep, form: FormResult) -> tuple[RecommendationResponse | None, list[str]]:
    if form.profile is None:
        return None, form.problems
    try:
        return recommend_for(kb, form.profile), []
    except UnknownCancerTypeError:
        return None, ["Cancer type: choose one from the list."]


def _context(request: Request, kb: KnowledgeDep, form: FormResult | None) -> dict[str, object]:
    answer, problems = _answer(kb, form) if form is not None else (None, [])
    return {
        "request": request,
        "choices": form_choices(kb),
        "values": form.values if form is not None else {},
        "answer": answer,
        "problems": problems,
        "grid": interaction_grid(kb, answer) if answer is not None else None,
        "heading": options_heading(answer) if answer is not None else "Treatment options",
        "exclusions": exclusion_summary(answer) if answer is not None else None,
        "short_exclusion": short_exclusion,
        "inputs": inputs_line(answer) if answer is not None else [],
        "severity_order": SEVERITY_ORDER,
        "version": knowledge_version(kb),
        "intended_use": INTENDED_USE,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "solid_stages": SOLID_STAGES,
        "leukaemia_stages": LEUKAEMIA_STAGES,
        "outcomes": OUTCOMES,
        "prior_lines": range(1, PRIOR_LINES + 1),
        "medication_rows": range(1, max(MEDICATION_ROWS, _last_medication_row(form) + 1) + 1),
        "medication_list": MEDICATION_LIST,
        "selected_type": (form.values.get("cancer_type", "") if form is not None else ""),
    }


def _last_medication_row(form: FormResult | None) -> int:
    """Medication rows posted back are all shown again (with one empty row), however many the page added."""
    if form is None:
        return 0
    numbers = [int(k.removeprefix("medication_")) for k, v in form.values.items() if k.startswith("medication_") and k.removeprefix("medication_").isdigit() and v.strip()]
    return min(max(numbers, default=0), MAX_MEDICATIONS)


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.get("/", response_class=HTMLResponse)
def index(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "index.html", {"version": knowledge_version(knowledge), "intended_use": INTENDED_USE})


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "guide.html", _context(request, knowledge, None))


@router.post("/guide", response_class=HTMLResponse)
async def guide_answer(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    form = profile_from_form(await _form_values(request))
    return TEMPLATES.TemplateResponse(request, "guide.html", _context(request, knowledge, form))


@router.post("/guide/panel", response_class=HTMLResponse)
async def guide_panel(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    form = profile_from_form(await _form_values(request))
    return TEMPLATES.TemplateResponse(request, "_panel.html", _context(request, knowledge, form))
