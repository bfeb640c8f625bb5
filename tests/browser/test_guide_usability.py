"""The guide by keyboard alone, with every control named, problems that say what to fix, and an answer that shows
its basis: evidence, dose, why it matched, what was excluded and why, and interaction pairs not assessed."""

from __future__ import annotations

from tests.browser.test_guide import SCENARIOS, fill_guide, submit_and_wait, wait_for_update

FOCUS_PROBE = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {id: e.id, tag: e.tagName, visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'};
}"""


def _tab_to(page, element_id: str, limit: int = 400) -> list[dict]:  # type: ignore[no-untyped-def]
    """Tab until `element_id` has focus; every stop on the way is returned (with whether its focus is visible)."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_PROBE)
        stops.append(stop)
        if stop["id"] == element_id:
            return stops
    raise AssertionError(f"{element_id} was never reached by Tab: {[s['id'] or s['tag'] for s in stops[-10:]]}")


def test_a_whole_answer_by_keyboard_alone_with_focus_always_visible(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    _tab_to(page, "cancer_type")
    page.keyboard.type("Chronic Myelogenous")
    stops = _tab_to(page, "stage")
    page.keyboard.type("chronic phase")
    stops += _tab_to(page, "alt::BCR::ABL1 T315I")
    page.keyboard.type("Detected")
    stops += _tab_to(page, "medication_1")
    page.keyboard.type("omeprazole")
    stops += _tab_to(page, "show-recommendations")
    with page.expect_response("**/guide/panel"):
        page.keyboard.press("Enter")
    wait_for_update(page)
    assert page.evaluate("document.activeElement.id") == "summary"  # the explicit request takes focus to the answer
    options = page.eval_on_selector_all("[data-option-id]", "els => els.map(e => e.dataset.optionId)")
    assert sorted(options) == ["asciminib-cml", "ponatinib-cml"]
    hidden_focus = [s["id"] or s["tag"] for s in stops if not s["visible"]]
    assert hidden_focus == [], hidden_focus
    # the answer itself is walkable: the first option's evidence opens from the keyboard
    summary = page.locator("[data-option-id='asciminib-cml'] details.basis > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-option-id='asciminib-cml'] ul.evidence a").first.is_visible()


def test_every_control_has_a_name_on_the_form_and_the_answer(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["nsclc-egfr-l858r"]["form"])
    submit_and_wait(page)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button, summary, a[href]')]
              .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
              .filter(e => {
                const label = e.labels && e.labels.length ? [...e.labels].map(l => l.innerText).join(' ') : '';
                const named = label || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent || e.title;
                return !(named && named.trim());
              })
              .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    radios_outside_a_named_group = page.evaluate(
        """() => [...document.querySelectorAll('input[type=radio]')]
              .filter(e => !(e.closest('[role=radiogroup][aria-label], fieldset')))
              .map(e => e.name)"""
    )
    assert radios_outside_a_named_group == []
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids break label and error links"


def test_a_problem_says_what_to_fix_marks_the_control_and_its_link_moves_focus_there(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["nsclc-egfr-l858r"]["form"] | {"pd_l1": ("tps", "150")})
    with page.expect_response("**/guide/panel"):
        page.click("#show-recommendations")
    page.wait_for_function("document.getElementById('panel').getAttribute('aria-busy') === 'false'")
    problem = page.locator(".problems li[data-problem-for='pd_l1_value']")
    assert problem.inner_text() == "PD-L1 value: enter a number from 0 to 100."
    assert page.get_attribute(".problems", "role") == "alert"
    assert page.get_attribute("#pd_l1_value", "aria-invalid") == "true"
    assert page.get_attribute("#pd_l1_value", "aria-describedby") == problem.get_attribute("id")
    assert page.evaluate("document.activeElement.closest('.problems') !== null")  # the explicit request lands on the problem
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pd_l1_value"
    page.fill("#pd_l1_value", "80")
    submit_and_wait(page)
    assert page.get_attribute("#pd_l1_value", "aria-invalid") is None
    assert page.locator("[data-option-id]").count() > 0


def test_a_value_without_what_it_means_is_named_never_dropped(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    fill_guide(page, SCENARIOS["nsclc-egfr-l858r"]["form"] | {"prior": [("", "progression")]})
    page.check("input[name=prior_status][value=listed]")
    page.fill("#prior_1_drugs", "")
    with page.expect_response("**/guide/panel"):
        page.click("#show-recommendations")
    page.wait_for_function("document.getElementById('panel').getAttribute('aria-busy') === 'false'")
    problems = page.locator(".problems li").all_inner_texts()
    assert any("Prior therapy: enter the drugs of line 1" in p for p in problems), problems
    assert page.locator("[data-option-id]").count() == 0  # "as listed" with nothing listed is never read as treatment-naive


def test_the_answer_shows_evidence_dose_why_exclusions_and_pairs_not_assessed(page, base_url):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/guide")
    form = SCENARIOS["cml-t315i"]["form"] | {"medications": ["omeprazole", "zorblaxamide 10 mg"]}
    fill_guide(page, form)
    submit_and_wait(page)
    for option in page.locator("article.option").all():
        assert option.locator(".drugs").inner_text().strip()  # each drug with its dose, or "(dose: see label)"
        assert "Evidence level" in option.locator(".meta").inner_text()
        option.locator("details.basis > summary").click()
        assert option.locator("ul.rationale li").count() > 0  # why it matched
        links = option.locator("ul.evidence a")
        assert links.count() > 0 and all(h.startswith("https://") for h in links.evaluate_all("els => els.map(e => e.href)"))
    assert any(ch.isdigit() for ch in page.locator("article.option .drugs").first.inner_text())
    excluded = page.locator("[data-excluded-id]")
    assert excluded.count() > 0
    for item in excluded.all():
        name, _, reason = item.inner_text().partition(":")
        assert name.strip() and len(reason.strip()) > 10
    caveat = page.locator("#interaction-summary .caveat")
    assert caveat.is_visible() and "not assessed" in caveat.inner_text()
    cells = page.locator("td[data-state='not_assessed']")
    assert cells.count() > 0 and cells.first.is_visible() and cells.first.locator(".state").inner_text() == "not assessed"
    understood = page.locator("#understood")
    understood.locator("summary").click()
    assert "zorblaxamide 10 mg" in understood.inner_text() and "not recognised" in understood.inner_text()
