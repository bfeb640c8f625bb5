"""GET /docs (Swagger UI) and GET /redoc (ReDoc), from the service's own vendored files under the app's CSP."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.api.guide import TEMPLATES

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "redoc.html", {"openapi_url": request.app.openapi_url})
