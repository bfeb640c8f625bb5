"""The API documentation in Chromium: both renderers draw every operation under the app's own CSP."""

from __future__ import annotations

import httpx
import pytest


def _operation_ids(base_url: str) -> set[str]:
    schema = httpx.get(f"{base_url}/openapi.json").json()
    return {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}


def _watch(page):  # type: ignore[no-untyped-def]
    """Collect CSP reports from the console and every response the page received."""
    seen: dict[str, list[str]] = {"csp": [], "responses": []}
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    page.on("response", lambda r: seen["responses"].append(r.url))
    return seen


def test_swagger_ui_renders_every_operation(browser, base_url, artifacts):  # type: ignore[no-untyped-def]
    # No bypass_csp: the page must work under the policy the service sends.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    seen = _watch(page)
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock")
    page.wait_for_load_state("networkidle")
    rendered = set(page.eval_on_selector_all(".opblock", "els => els.map(e => e.id.split('-').pop())"))
    assert rendered == _operation_ids(base_url)
    page.click("#operations-clinical_decision_support-createRecommendations .opblock-summary-control")
    page.wait_for_selector("#operations-clinical_decision_support-createRecommendations .examples-select")
    assert "CML, chronic phase, T315I" in page.inner_text("#operations-clinical_decision_support-createRecommendations .examples-select")
    page.screenshot(path=str(artifacts / "docs-swagger-ui.png"), full_page=False)
    assert seen["csp"] == []
    assert all(url.startswith(base_url) or url.startswith("data:") for url in seen["responses"]), seen["responses"]
    context.close()


def test_redoc_renders_every_operation(browser, base_url, artifacts):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    seen = _watch(page)
    page.goto(f"{base_url}/redoc")
    page.wait_for_selector("[data-section-id^='operation/']")
    sections = set(page.eval_on_selector_all("[data-section-id^='operation/']", "els => els.map(e => e.dataset.sectionId.split('/').pop())"))
    assert sections >= _operation_ids(base_url)
    page.screenshot(path=str(artifacts / "docs-redoc.png"), full_page=False)
    # The one thing the policy stops is ReDoc's footer logo from its vendor's CDN, which it then hides.
    assert [m for m in seen["csp"] if "logo-mini" not in m] == []
    assert all(url.startswith(base_url) or url.startswith("data:") for url in seen["responses"]), seen["responses"]
    context.close()


@pytest.mark.parametrize("path", ["/docs"])
def test_docs_pass_the_accessibility_scan(browser, base_url, path):  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    page.wait_for_selector(".opblock")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()
