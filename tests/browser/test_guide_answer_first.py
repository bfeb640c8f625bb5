"""The answer a clinician reads first: in the first viewport after a request, fitted fields, a legend for the grid."""

from __future__ import annotations

import pytest

from tests.browser.test_guide import SCENARIOS, fill_guide, submit_and_wait

VIEWPORTS = {"desktop-1366": {"width": 1366, "height": 900}, "phone-360": {"width": 360, "height": 740}}


def in_viewport(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: innerHeight}; }",
    )


@pytest.mark.parametrize("name", sorted(VIEWPORTS))
def test_first_option_and_interaction_summary_are_in_the_first_viewport(browser, base_url, artifacts, name):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORTS[name], bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"])
    submit_and_wait(page)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'summary'")
    first = in_viewport(page, "#summary .option-name")
    interactions = in_viewport(page, "#interaction-summary")
    print(name, "first option", first, "interaction summary", interactions)
    for box in (first, interactions):
        assert 0 <= box["top"] and box["bottom"] <= box["height"], box
    assert page.inner_text("#summary .option-name") == "Asciminib"
    assert "monotherapy" in page.inner_text("#panel-title")
    assert page.get_attribute("#status", "role") == "status"
    assert "Recommendations updated" in page.inner_text("#status")
    page.screenshot(path=str(artifacts / f"cml-t315i-first-view-{name}.png"))
    context.close()


def test_the_grid_legend_names_every_state_present(page, base_url, artifacts):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    form = dict(SCENARIOS["cml-t315i"]["form"], medications=["omeprazole", "simvastatin", "unobtanium"])
    fill_guide(page, form)
    submit_and_wait(page)
    states = set(page.eval_on_selector_all("table.grid td[data-state]", "els => els.map(e => e.dataset.state)"))
    legend = set(page.eval_on_selector_all(".legend [data-legend-state]", "els => els.map(e => e.dataset.legendState)"))
    assert states and "not_assessed" in states and states <= legend
    for state in states:
        assert page.is_visible(f".legend [data-legend-state='{state}'] dt")
    page.click("table.grid td[data-state] summary")
    assert page.locator("table.grid td[data-state] details[open] .source").count() == 1
    page.screenshot(path=str(artifacts / "grid-legend-cml.png"), full_page=True)


def test_cml_form_shows_no_msi_her2_er_fields(page, base_url, artifacts):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    page.select_option("#cancer_type", "CML")
    for hidden in ("biomarker::MSI", "biomarker::HER2", "biomarker::ER", "biomarker::MMR", "biomarker::TMB", "pd_l1_value"):
        assert not page.is_visible(f"[id='{hidden}']"), hidden
    assert page.is_visible("[id='alt::BCR::ABL1 T315I']") and page.is_visible("#qtc_ms")
    page.select_option("#cancer_type", "GIST")
    assert page.is_visible("[id='alt::KIT exon 11 mutation']")
    page.screenshot(path=str(artifacts / "form-cml-fitted.png"), full_page=True)


def test_no_javascript_first_step_fits_the_form(browser, base_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base_url}/guide")
    assert not page.is_visible("[id='alt::BCR::ABL1 T315I']")
    page.select_option("#cancer_type", "CML")
    page.click("button[name=step]")
    page.wait_for_load_state()
    assert page.is_visible("[id='alt::BCR::ABL1 T315I']") and not page.is_visible("[id='biomarker::HER2']")
    assert page.is_visible("#more_medications")
    context.close()


def test_as_many_medication_rows_as_needed(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    page.select_option("#cancer_type", "CML")
    rows = page.locator("#medication-rows input").count()
    for _ in range(3):
        page.click("#add-medication")
    assert page.locator("#medication-rows input").count() == rows + 3
    last = rows + 3
    assert page.evaluate("document.activeElement.id") == f"medication_{last}"
    page.fill(f"#medication_{last}", "rifampin")
    submit_and_wait(page)
    assert "rifampin" in page.inner_text("#interaction-summary")


def test_filled_cml_form_passes_the_accessibility_scan(page, base_url):  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["cml-t315i"]["form"])
    submit_and_wait(page)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
