"""The decision guide pages: GET/POST /guide (works without JavaScript) and POST /guide/panel (the live panel)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from schemas.problems import Problem
from schemas.responses import RecommendationResponse
from service.api.body import unsupported_media_type
from service.api.deps import KnowledgeDep
from service.api.problems import PROBLEM_BASE, problem_response, route_template
from service.engine.recommend import INTENDED_USE, knowledge_version, recommend_for
from service.web.form import LEUKAEMIA_STAGES, MEDICATION_ROWS, OUTCOMES, PRIOR_LINES, SOLID_STAGES, FormResult, form_choices, profile_from_form

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
}


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
            cells[(row, column)] = {"state": state, "detail": pair.detail, "source": pair.source, "read": pair.label_wording_read}
    return {"rows": rows, "columns": columns, "cells": cells, "states": GRID_STATES}


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
        "grid": interaction_grid(answer) if answer is not None else None,
        "version": knowledge_version(kb),
        "intended_use": INTENDED_USE,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "solid_stages": SOLID_STAGES,
        "leukaemia_stages": LEUKAEMIA_STAGES,
        "outcomes": OUTCOMES,
        "prior_lines": range(1, PRIOR_LINES + 1),
        "medication_rows": range(1, MEDICATION_ROWS + 1),
    }


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
def index(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "index.html", {"version": knowledge_version(knowledge), "intended_use": INTENDED_USE})


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
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
