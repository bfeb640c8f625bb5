"""The decision guide in a real browser: scenarios against the API, no-JS, keyboard, privacy, accessibility."""

from __future__ import annotations

import re

import httpx
import pytest

SCENARIOS = {
    "cml-t315i": {
        "form": {
            "cancer_type": "CML",
            "stage": "chronic phase",
            "alterations": {"BCR::ABL1 T315I": "detected"},
            "prior": [("imatinib", "progression")],
            "medications": ["omeprazole"],
        },
        "api": {
            "cancer_type": "CML",
            "stage": "chronic phase",
            "mutations": [{"gene": "BCR::ABL1", "alteration": "T315I"}],
            "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}],
            "current_medications": ["omeprazole"],
        },
    },
    "nsclc-egfr-l858r": {
        "form": {
            "cancer_type": "NSCLC",
            "stage": "IV",
            "alterations": {"EGFR L858R": "detected"},
            "pd_l1": ("tps", "80"),
            "prior": [],
            "medications": ["Nexium"],
        },
        "api": {
            "cancer_type": "NSCLC",
            "stage": "IV",
            "mutations": [{"gene": "EGFR", "alteration": "L858R"}],
            "pd_l1": {"tps": 80},
            "prior_therapies": [],
            "current_medications": ["Nexium"],
        },
    },
    "gist-pdgfra-d842v": {
        "form": {"cancer_type": "GIST", "stage": "metastatic", "alterations": {"PDGFRA D842V": "detected"}, "prior": [], "medications": ["rifampin"]},
        "api": {
            "cancer_type": "GIST",
            "stage": "metastatic",
            "mutations": [{"gene": "PDGFRA", "alteration": "D842V"}],
            "prior_therapies": [],
            "current_medications": ["rifampin"],
        },
    },
    "rcc-first-line": {
        "form": {"cancer_type": "CCRCC", "stage": "IV", "alterations": {}, "prior": [], "medications": ["Tegretol 200 mg"]},
        "api": {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [], "current_medications": ["Tegretol 200 mg"]},
    },
}


def fill_guide(page, form, javascript: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#cancer_type", form["cancer_type"])
    if not javascript:  # the first step posts the cancer type; the page comes back with the fields that fit it
        page.click("button[name=step]")
        page.wait_for_load_state()
    page.select_option("#stage", form["stage"])
    for alteration, status in form["alterations"].items():
        page.select_option(f"[id='alt::{alteration}']", status)
    if "pd_l1" in form:
        page.select_option("#pd_l1_scoring", form["pd_l1"][0])
        page.fill("#pd_l1_value", form["pd_l1"][1])
    if form["prior"]:
        page.check("input[name=prior_status][value=listed]")
        for n, (drugs, outcome) in enumerate(form["prior"], start=1):
            page.fill(f"#prior_{n}_drugs", drugs)
            page.select_option(f"#prior_{n}_outcome", outcome)
    else:
        page.check("input[name=prior_status][value=none]")
    for n, medication in enumerate(form["medications"], start=1):
        page.fill(f"#medication_{n}", medication)


def panel_answer(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {
        "options": page.eval_on_selector_all("[data-option-id]", "els => els.map(e => e.dataset.optionId)"),
        "excluded": sorted(page.eval_on_selector_all("[data-excluded-id]", "els => els.map(e => e.dataset.excludedId)")),
        "warnings": sorted(page.eval_on_selector_all("[data-pair]", "els => els.map(e => e.dataset.pair)")),
    }


def api_answer(base_url, profile) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    body = httpx.post(f"{base_url}/v1/recommendations", json=profile).json()
    return {
        "options": [o["id"] for o in body["options"]],
        "excluded": sorted(n["id"] for n in body["not_recommended"]),
        "warnings": sorted(f"{w['drug']}|{w['interacting_drug']}" for w in body["interaction_warnings"]),
    }


def wait_for_update(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Recommendations updated')")
    page.wait_for_function("document.getElementById('panel').getAttribute('aria-busy') === 'false'")


def submit_and_wait(page) -> None:  # type: ignore[no-untyped-def]
    """Ask for the panel explicitly and wait for that answer (the newest request always wins in the page)."""
    with page.expect_response("**/guide/panel"):
        page.click("#show-recommendations")
    wait_for_update(page)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_live_panel_matches_the_api(page, base_url, artifacts, name):  # type: ignore[no-untyped-def]
    scenario = SCENARIOS[name]
    origins: list[str] = []
    page.on("request", lambda request: origins.append(request.url))
    page.goto(f"{base_url}/guide")
    fill_guide(page, scenario["form"])
    submit_and_wait(page)
    assert panel_answer(page) == api_answer(base_url, scenario["api"])
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    assert all(url.startswith(base_url) for url in origins), [u for u in origins if not u.startswith(base_url)]


def test_cml_t315i_done_when(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"])
    submit_and_wait(page)
    options = page.locator("[data-option-id]")
    assert sorted(options.evaluate_all("els => els.map(e => e.dataset.optionId)")) == ["asciminib-cml", "ponatinib-cml"]
    for option_id in ("asciminib-cml", "ponatinib-cml"):
        assert page.locator(f"[data-option-id='{option_id}'] ul.evidence a").count() > 0
    for excluded in ("imatinib-cml", "dasatinib-cml", "nilotinib-cml", "bosutinib-cml"):
        assert "T315I" in page.locator(f"[data-excluded-id='{excluded}']").inner_text()
    assert page.locator("[data-pair^='ponatinib|'], [data-pair^='asciminib|']").count() == 0


def test_works_without_javascript(browser, base_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"], javascript=False)
    page.click("#show-recommendations")
    page.wait_for_load_state()
    assert page.url == f"{base_url}/guide#summary"  # the answer came back from a POST, opened at its summary: no inputs in the URL
    assert panel_answer(page) == api_answer(base_url, SCENARIOS["cml-t315i"]["api"])
    context.close()


def test_usable_by_keyboard_alone(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    for _ in range(5):
        if focused == "cancer_type":
            break
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
    assert focused == "cancer_type"
    page.keyboard.type("Chronic Myelogenous")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "stage"
    page.keyboard.type("chronic phase")
    page.keyboard.press("Tab")
    wait_for_update(page)
    assert page.input_value("#cancer_type") == "CML"
    assert page.locator("[data-option-id='imatinib-cml']").count() == 1
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "stage"


def test_every_control_is_labelled_and_status_is_announced(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
              .filter(e => e.type !== 'hidden' && e.type !== 'radio' && !(e.labels && e.labels.length))
              .map(e => e.name)"""
    )
    assert unlabelled == []
    assert page.get_attribute("#status", "aria-live") == "polite"


def test_accessibility_scan_finds_no_violations(page, base_url):  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.goto(f"{base_url}/guide")
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()
    fill_guide(page, SCENARIOS["nsclc-egfr-l858r"]["form"])
    submit_and_wait(page)
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_privacy_no_cookies_no_storage_no_inputs_in_url(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"])
    submit_and_wait(page)
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.url == f"{base_url}/guide"
    response = httpx.post(f"{base_url}/guide/panel", data={"cancer_type": "CML"})
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_no_horizontal_scrolling_at_phone_width(browser, base_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["rcc-first-line"]["form"])
    submit_and_wait(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()


def pdf_pages(pdf: bytes) -> int:
    """Page objects in the PDF Chromium printed (Skia writes each as an uncompressed /Type /Page dictionary)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_print_is_one_a4_page_with_intended_use_once_version_and_time(page, base_url, artifacts):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"])
    submit_and_wait(page)
    page.emulate_media(media="print")
    assert not page.is_visible("#guide-form")
    assert page.is_visible(".intended-use")
    printed = page.inner_text("body")
    assert printed.count("Intended use") == 1
    stamp = page.locator(".stamp").inner_text()
    assert "Knowledge release" in stamp and "generated" in stamp
    inputs = page.locator(".print-inputs").inner_text()
    assert "Chronic Myelogenous Leukemia" in inputs or "CML" in inputs
    assert "T315I" in inputs and "omeprazole" in inputs and "imatinib" in inputs
    for excluded in ("imatinib-cml", "dasatinib-cml"):
        line = page.locator(f"[data-excluded-id='{excluded}']")
        assert "resistance" in line.inner_text() and line.evaluate("e => e.getClientRects().length") == 1
    # no whole block in bold: only labels are
    bold_blocks = page.evaluate(
        """() => [...document.querySelectorAll('#panel p, #panel li, #panel div')]
              .filter(e => e.offsetParent !== null && e.innerText.trim() && Number(getComputedStyle(e).fontWeight) >= 600)
              .map(e => e.innerText.slice(0, 60))"""
    )
    assert bold_blocks == []
    pdf = page.pdf(path=str(artifacts / "print-cml-t315i.pdf"), format="A4", prefer_css_page_size=True)
    assert pdf_pages(pdf) == 1
    page.screenshot(path=str(artifacts / "print-cml-t315i.png"), full_page=True)
