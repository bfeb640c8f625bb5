"""The decision guide pages: GET/POST /guide (works without JavaScript) and POST /guide/panel (the live panel)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from schemas.problems import Problem
from schemas.responses import EvidenceCitation, InteractionWarning, LabelCitation, NotRecommended, RecommendationResponse
from service.api.body import unsupported_media_type
from service.api.deps import KnowledgeDep
from service.api.problems import PROBLEM_BASE, problem_response, route_template
from service.engine.recommend import INTENDED_USE, knowledge_version, recommend_for
from service.web.form import (
    LEUKAEMIA_STAGES,
    MAX_MEDICATIONS,
    MEDICATION_LIST,
    MEDICATION_ROWS,
    OUTCOMES,
    PRIOR_LINES,
    SOLID_STAGES,
    FormResult,
    form_choices,
    profile_from_form,
)

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "web" / "templates")
router = APIRouter(include_in_schema=False)

# Every state a grid cell can show, in the order the legend lists them; the engine's pair status decides.
GRID_STATES = {
    "contraindicated": "Contraindicated: the label says do not use together.",
    "avoid": "Avoid: the label says avoid (its alternatives are listed in the warning).",
    "adjust_dose": "Adjust dose: the label gives a dose change, with its number.",
    "separate_in_time": "Separate in time: the label gives the hours between doses.",
    "monitor": "Monitor: the label says monitor or use caution, with no dose change.",
    "not_meaningful": "No meaningful effect: the label studied the pair and found no clinically meaningful effect.",
    "no_label_guidance": "No label guidance: the label was read and says nothing for this medicine's mechanisms.",
    "not_assessed": "Not assessed: nothing was checked (medicine not recognised, mechanism not curated, or label wording not read). Not a sign of safety.",
    "same_drug": "Same drug: the medicine is the option's own drug, so the pair is not checked.",
}
WARNING_STATES = ("contraindicated", "avoid", "adjust_dose", "separate_in_time", "monitor")


def interaction_grid(answer: RecommendationResponse) -> dict[str, object]:
    """Rows: every drug of every option; columns: every current medicine as written; cells: the pair's one status.

    A cell the engine has no pair for (a drug without label rules) is "not assessed", never blank.
    """
    columns = [m.input for m in answer.profile.current_medications]
    rows = list(dict.fromkeys(d for o in answer.options for d in o.drugs))
    pairs = {(p.drug, p.interacting_input): p for p in answer.interaction_pairs}
    cells: dict[tuple[str, str], dict[str, object]] = {}
    for row in rows:
        for column in columns:
            pair = pairs.get((row, column))
            if pair is None:
                same = any(m.input == column and m.name == row for m in answer.profile.current_medications)
                detail = "The same drug as the option." if same else f"No interaction rules are curated for {row}: not assessed."
                cells[(row, column)] = {"state": "same_drug" if same else "not_assessed", "detail": detail, "source": None, "read": None}
                continue
            state = pair.severity if pair.status == "warning" and pair.severity else pair.status
            source = answer.citations[pair.source] if pair.source is not None else None
            cells[(row, column)] = {"state": state, "detail": pair.detail, "source": source, "read": pair.label_wording_read}
    for number, key in enumerate(cells, start=1):
        cells[key]["anchor"] = f"pair-{number}"
    present = {cell["state"] for cell in cells.values()}
    return {
        "rows": rows,
        "columns": columns,
        "cells": cells,
        "states": GRID_STATES,
        "present": [state for state in GRID_STATES if state in present],
        "not_assessed": sum(1 for cell in cells.values() if cell["state"] == "not_assessed"),
    }


def cited_in(answer: RecommendationResponse) -> Callable[[list[str]], list[EvidenceCitation | LabelCitation]]:
    """The answer gives each source once; the page shows each in full beside every item that cites it."""
    return lambda ids: [answer.citations[i] for i in ids]


def warned_in(answer: RecommendationResponse) -> Callable[[list[str]], list[InteractionWarning]]:
    """The answer gives each interaction warning once; an option names the ones that concern it by id."""
    warnings = {w.id: w for w in answer.interaction_warnings}
    return lambda ids: [warnings[i] for i in ids]


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
        if patient.blood_counts is not None:
            facts += [t.read_as or "" if t.status == "recognised" else f"{t.input} (not recognised)" for t in patient.blood_counts.readings]
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
    return recommend_for(kb, form.profile), []


def _context(request: Request, kb: KnowledgeDep, form: FormResult | None) -> dict[str, object]:
    answer, problems = _answer(kb, form) if form is not None else (None, [])
    return {
        "request": request,
        "choices": form_choices(kb),
        "values": form.values if form is not None else {},
        "answer": answer,
        "problems": problems,
        "problem_controls": form.controls if form is not None else {},
        "grid": interaction_grid(answer) if answer is not None else None,
        "cited": cited_in(answer) if answer is not None else None,
        "warned": warned_in(answer) if answer is not None else None,
        "heading": options_heading(answer) if answer is not None else "Treatment options",
        "exclusions": exclusion_summary(answer) if answer is not None else None,
        "short_exclusion": short_exclusion,
        "inputs": inputs_line(answer) if answer is not None else [],
        "warning_states": WARNING_STATES,
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


async def _read_form(request: Request) -> dict[str, str] | Response:
    """The guide's fields, or the problem refusing them: not a url-encoded form, or a field given twice."""
    template = route_template(request.scope)
    # multipart is refused: the guide has no file field, and a multipart parser spools uploads to disk
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        return problem_response(unsupported_media_type("application/x-www-form-urlencoded").model_copy(update={"instance": template}))
    form = await request.form()
    items = form.multi_items()
    if len(items) != len(form.keys()):
        # the form names each field once; a repeated one would silently lose a value (it is not named: it may be patient data)
        return problem_response(
            Problem(
                type=PROBLEM_BASE + "duplicate-key",
                title="A field is given twice",
                status=422,
                detail="Each form field may appear once; send the form as the guide builds it.",
                instance=template,
            )
        )
    return {key: value for key, value in items if isinstance(value, str)}


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "index.html", {"version": knowledge_version(knowledge), "intended_use": INTENDED_USE})


@router.get("/guide", response_class=HTMLResponse)
async def guide(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "guide.html", _context(request, knowledge, None))


@router.post("/guide", response_class=HTMLResponse)
async def guide_answer(request: Request, knowledge: KnowledgeDep) -> Response:
    values = await _read_form(request)
    if isinstance(values, Response):
        return values
    return TEMPLATES.TemplateResponse(request, "guide.html", _context(request, knowledge, profile_from_form(values)))


@router.post("/guide/panel", response_class=HTMLResponse)
async def guide_panel(request: Request, knowledge: KnowledgeDep) -> Response:
    values = await _read_form(request)
    if isinstance(values, Response):
        return values
    return TEMPLATES.TemplateResponse(request, "_panel.html", _context(request, knowledge, profile_from_form(values)))
