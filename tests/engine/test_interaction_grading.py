"""Issue 12: interactions a pharmacist can trust: the label's own grade, both directions, and what was checked.

Each test below is one example from the issue's "Why", answered from the curated label record.
"""

from __future__ import annotations

import pytest

from schemas.requests import MedicationInput
from service.engine.recommend import check_medication_list
from service.knowledge.records import WARNING_SEVERITIES, InteractionRule, Severity
from service.knowledge.source import _check_rule_grade, management_problems


def answer(kb, *drugs):  # type: ignore[no-untyped-def]
    return check_medication_list(kb, list(drugs))


def the_warning(kb, subject, other):  # type: ignore[no-untyped-def]
    found = [w for w in answer(kb, subject, other).interaction_warnings if w.drug == subject]
    assert len(found) == 1, found
    return found[0]


def the_label(kb, subject, other):  # type: ignore[no-untyped-def]
    """The label citation of the one warning for the pair, from the answer's citations."""
    result = answer(kb, subject, other)
    [warning] = [w for w in result.interaction_warnings if w.drug == subject]
    return result.citations[warning.evidence[0]]


def pair_status(kb, subject, other):  # type: ignore[no-untyped-def]
    [pair] = [p for p in answer(kb, subject, other).interaction_pairs if p.drug == subject]
    return pair


# --- the examples in "Why" ----------------------------------------------------------------


def test_imatinib_with_st_johns_wort_is_avoid_as_its_text_says(kb):
    warning = the_warning(kb, "imatinib", "St John's wort")
    assert warning.severity == "avoid"
    assert warning.management.startswith("Avoid")
    # the unread dose increase is not invented, and no curator wording reaches the clinician
    assert "50%" not in warning.management and "UNVERIFIED" not in warning.management
    assert "brief" not in " ".join([warning.management, *warning.notes])


def test_lorlatinib_with_rifampin_is_contraindicated_from_section_4(kb):
    warning = the_warning(kb, "lorlatinib", "rifampin")
    assert warning.severity == "contraindicated"
    assert warning.management.startswith("Contraindicated")
    label = the_label(kb, "lorlatinib", "rifampin")
    assert "4" in (label.section or "").split("; ")
    assert warning.label_wording_read is True
    assert label.url == "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2b34d62d-e02a-4af3-bc0d-1571dd4ee76d"


def test_erlotinib_with_a_ppi_lists_the_labels_alternatives(kb):
    warning = the_warning(kb, "erlotinib", "omeprazole")
    assert warning.severity == "avoid"
    text = warning.management
    assert text.startswith("Avoid")
    assert "H2-receptor antagonist" in text and "10 hours" in text and "2 hours" in text
    assert "antacid" in text


def test_osimertinib_with_itraconazole_is_not_the_2015_avoid_wording(kb):
    result = answer(kb, "osimertinib", "itraconazole")
    assert [w for w in result.interaction_warnings if w.drug == "osimertinib"] == []
    [cleared] = [c for c in result.interactions_cleared if c.drug == "osimertinib"]
    assert "24%" in cleared.effect
    # the current label's wording was not read, and the answer says so
    assert cleared.label_wording_read is False
    assert cleared.verification is not None and "not read" in cleared.verification.statement


def test_imatinib_raises_simvastatin_the_tki_as_perpetrator(kb):
    warning = the_warning(kb, "imatinib", "simvastatin")
    assert warning.severity == "monitor" and warning.mechanism == "tki_inhibits_cyp3a4_substrate"
    assert warning.exposure_change is not None and warning.exposure_change.fold == 3.5


def test_nilotinib_with_a_qt_prolonging_drug_named_by_its_label_is_avoid(kb):
    warning = the_warning(kb, "nilotinib", "moxifloxacin")
    assert warning.severity == "avoid" and warning.mechanism == "qt_prolongation"


def test_nilotinib_with_ciprofloxacin_is_not_assessed_not_silently_safe(kb):
    # ciprofloxacin's own QT labeling was not read, so it is not in the QT class: the pair says "not assessed"
    pair = pair_status(kb, "nilotinib", "ciprofloxacin")
    assert pair.status == "not_assessed"
    assert "not assessed" in pair.detail or "not read" in pair.detail


def test_nintedanib_with_rifampin_is_avoid_through_p_gp_induction(kb):
    warning = the_warning(kb, "nintedanib", "rifampin")
    assert warning.severity == "avoid" and warning.mechanism == "pgp_induction"
    label = the_label(kb, "nintedanib", "rifampin")
    assert label.url and "da1c9f37-779e-4682-816f-93d0faa4cfc9" in label.url


def test_tucatinib_with_gemfibrozil_is_avoid_through_cyp2c8(kb):
    warning = the_warning(kb, "tucatinib", "gemfibrozil")
    assert warning.severity == "avoid" and warning.mechanism == "cyp2c8_inhibition"
    assert warning.label_wording_read is True


@pytest.mark.parametrize("tki", ["dasatinib", "nilotinib", "crizotinib", "axitinib"])
def test_grapefruit_warns_for_tkis_whose_labels_name_it(kb, tki):
    warning = the_warning(kb, tki, "grapefruit juice")
    assert warning.severity == "avoid" and warning.rule_level == "drug_pair"


def test_smoking_lowers_erlotinib_through_cyp1a2(kb):
    warning = the_warning(kb, "erlotinib", "current smoker")
    assert warning.severity == "avoid" and warning.mechanism == "cyp1a2_induction"


@pytest.mark.parametrize("medicine", ["warfarin", "simvastatin", "ondansetron", "apixaban", "oxycodone", "metformin", "amlodipine"])
def test_common_co_medications_are_in_the_catalogue(kb, medicine):
    [understood] = answer(kb, medicine).drugs
    assert understood.status == "recognised" and understood.name == medicine


def test_two_tkis_of_the_same_class_are_flagged(kb):
    result = answer(kb, "osimertinib", "gefitinib")
    duplicates = [w for w in result.interaction_warnings if w.mechanism == "duplicate_tki"]
    assert duplicates and all(w.rule_level == "duplicate_class" for w in duplicates)
    assert "EGFR" in duplicates[0].effect


def test_two_tkis_of_different_classes_are_not_duplicates(kb):
    result = answer(kb, "osimertinib", "imatinib")
    assert not [w for w in result.interaction_warnings if w.mechanism == "duplicate_tki"]


# --- provenance ---------------------------------------------------------------------------


def test_every_label_link_is_the_dailymed_label(kb):
    result = answer(kb, "imatinib", "dasatinib", "bosutinib", "erlotinib", "rifampin", "omeprazole", "grapefruit juice")
    cited = [e for w in result.interaction_warnings for e in w.evidence] + [p.source for p in result.interaction_pairs if p.source]
    citations = [result.citations[i] for i in cited]
    assert citations and all(c.kind == "label" for c in citations)
    for citation in citations:
        assert citation.url is None or citation.url.startswith("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=")


def test_a_rule_whose_wording_was_not_read_says_so_in_the_warning(kb):
    warning = the_warning(kb, "dasatinib", "omeprazole")
    assert warning.label_wording_read is False
    assert any("Label wording not read" in note for note in warning.notes)


def test_curator_notes_never_reach_the_answer(kb):
    result = answer(kb, "imatinib", "St John's wort", "dasatinib", "famotidine", "nilotinib", "ketoconazole")
    text = result.model_dump_json()
    assert "curator" not in text.lower() and "UNVERIFIED" not in text and "the brief" not in text


# --- what was checked -----------------------------------------------------------------------


def test_every_pair_has_exactly_one_status(kb):
    result = answer(kb, "imatinib", "omeprazole", "simvastatin", "paracetamol", "unobtanium", "nilotinib")
    keys = [(p.drug, p.interacting_input) for p in result.interaction_pairs]
    assert len(keys) == len(set(keys))
    statuses = {(p.drug, p.interacting_input): p.status for p in result.interaction_pairs}
    assert statuses[("imatinib", "simvastatin")] == "warning"
    assert statuses[("imatinib", "unobtanium")] == "not_assessed"
    assert statuses[("imatinib", "paracetamol")] == "not_assessed"
    warned = {(w.drug, w.interacting_input) for w in result.interaction_warnings}
    assert warned == {k for k, s in statuses.items() if s == "warning"}


def test_no_label_guidance_needs_the_label_to_have_been_read(kb):
    # imatinib's label record says nothing for PPIs, but its wording was not read: not assessed, not "silent"
    assert pair_status(kb, "imatinib", "omeprazole").status == "not_assessed"


def test_the_answer_lists_mechanisms_checked_and_not_checked(kb):
    [scope] = [s for s in answer(kb, "lorlatinib", "rifampin").interaction_scope if s.drug == "lorlatinib"]
    assert "CYP3A4 inducers lowering TKI exposure" in scope.mechanisms_checked
    assert "additive QT prolongation" in scope.mechanisms_not_checked
    assert not set(scope.mechanisms_checked) & set(scope.mechanisms_not_checked)


# --- RxCUI input ------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["rxcui:11289", "11289", MedicationInput(rxcui="11289"), MedicationInput(rxcui="202421")])
def test_an_rxcui_is_read_as_its_drug(kb, item):
    result = answer(kb, "erlotinib", item)
    [_, understood] = result.drugs
    assert understood.status == "recognised" and understood.name == "warfarin"
    assert [w.severity for w in result.interaction_warnings] == ["monitor"]


def test_an_unknown_rxcui_is_reported_not_guessed(kb):
    [understood] = answer(kb, "rxcui:999999999").drugs
    assert understood.status == "not_recognised" and "RxCUI" in (understood.detail or "")


def test_a_product_rxcui_is_read_as_its_drug_and_checked_like_its_name(kb):
    by_code = answer(kb, "imatinib", "rxcui:312961")  # simvastatin 20 MG Oral Tablet (SCD)
    by_name = answer(kb, "imatinib", "simvastatin 20 mg tablet")
    assert by_code.drugs[1].status == "recognised" and by_code.drugs[1].name == "simvastatin"
    assert by_code.interaction_warnings and [w.severity for w in by_code.interaction_warnings] == [w.severity for w in by_name.interaction_warnings]


@pytest.mark.parametrize(
    ("code", "drug"),
    [("197853", "ketoconazole"), ("106336", None), ("203088", None)],  # oral tablet; shampoo and cream act locally
)
def test_only_a_systemic_product_code_reads_as_the_drug(kb, code, drug):
    [understood] = answer(kb, f"rxcui:{code}").drugs
    assert understood.name == drug
    assert (understood.status == "recognised") is (drug is not None)


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("fentanyl 25 mcg/hr transdermal patch", "fentanyl"),
        ("ondansetron 8 mg orally disintegrating tablet", "ondansetron"),
        ("enoxaparin 40 mg prefilled syringe", "enoxaparin"),
        ("ketoconazole 2% cream", None),
        ("ciprofloxacin ophthalmic solution", None),
    ],
)
def test_a_line_with_a_systemic_form_is_read_and_a_local_one_is_not(kb, line, drug):
    [understood] = answer(kb, line).drugs
    assert understood.name == drug


def test_every_rxnorm_name_the_catalogue_accepts_reads_as_its_drug(kb):
    def reads_as(name: str) -> str | None:
        [understood] = answer(kb, name).drugs
        return understood.name

    # a brand name (BN) is not always a catalogue brand; its products are walked instead
    wrong = [
        (drug.name, concept.rxcui, concept.name)
        for drug in kb.drugs.values()
        for concept in drug.rxnorm
        if concept.tty != "BN" and reads_as(concept.name) != drug.name
    ]
    assert sum(len(d.rxnorm) for d in kb.drugs.values()) > 2000
    assert wrong == []


# --- the scale agrees with its text, for every rule ---------------------------------------------


def test_every_rule_management_agrees_with_its_severity(kb):
    problems = [
        f"{label.drug}/{rule.with_class or rule.with_drug}: {problem}"
        for label in kb.labels.values()
        for rule in label.rules
        for problem in management_problems(rule.severity, rule.management, rule.separation_hours, rule.dose_numbers_read)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("severity", "good", "bad"),
    [
        (Severity.CONTRAINDICATED, "Contraindicated: do not combine.", "Avoid if possible."),
        (Severity.AVOID, "Avoid strong inducers; if unavoidable, increase the dose.", "Contraindicated with strong inducers; avoid."),
        (Severity.ADJUST_DOSE, "Reduce to 300 mg once daily.", "Reduce the dose."),
        (Severity.SEPARATE_IN_TIME, "Separate the doses by 2 hours.", "Take with food."),
        (Severity.MONITOR, "Monitor for adverse reactions.", "Avoid: monitor closely."),
        (Severity.NOT_MEANINGFUL, "No dose change is needed.", "Avoid the combination."),
    ],
)
def test_each_severity_has_a_text_rule_that_can_fail(severity, good, bad):
    hours = [2.0] if severity == Severity.SEPARATE_IN_TIME else []
    assert management_problems(severity, good, hours) == []
    assert management_problems(severity, bad, hours) != []


def test_every_warning_severity_is_used_by_some_rule(kb):
    used = {rule.severity for label in kb.labels.values() for rule in label.rules}
    assert set(WARNING_SEVERITIES) <= used


def test_adjust_dose_rules_carry_the_number_and_timing_rules_the_hours(kb):
    for label in kb.labels.values():
        for rule in label.rules:
            if rule.severity == Severity.ADJUST_DOSE and rule.dose_numbers_read:
                assert rule.dose_change and any(ch.isdigit() for ch in rule.dose_change), (label.drug, rule)
            if rule.severity == Severity.ADJUST_DOSE and not rule.dose_numbers_read:
                # the instruction was read, the numbers were not: the clinician is sent to the label's table
                assert label.wording_read(rule) and "label" in (rule.dose_change or ""), (label.drug, rule)
            if rule.severity == Severity.SEPARATE_IN_TIME:
                assert rule.separation_hours or "several hours" in rule.management, (label.drug, rule)


def test_a_formulation_with_its_own_label_is_cited_by_its_own_set_id(kb):
    assert the_label(kb, "nilotinib", "ketoconazole") is not None
    danziten, tasigna = answer(kb, "Danziten", "ketoconazole"), answer(kb, "Tasigna", "ketoconazole")
    assert danziten.citations[danziten.interaction_warnings[0].evidence[0]].set_id == "d288d165-3505-49bb-9b2e-124490d65f49"
    assert tasigna.citations[tasigna.interaction_warnings[0].evidence[0]].set_id == "6093952a-5248-45cb-ad17-33716a411146"
    assert len(danziten.interaction_warnings) == len(tasigna.interaction_warnings) == 1


def test_a_name_and_an_rxcui_that_disagree_are_reported_not_guessed(kb):
    [understood] = answer(kb, MedicationInput(name="aspirin", rxcui="11289")).drugs
    assert understood.status == "not_recognised" and "warfarin" in (understood.detail or "") and "aspirin" in (understood.detail or "")


def test_a_name_and_its_own_rxcui_agree(kb):
    [understood] = answer(kb, MedicationInput(name="Coumadin 5 mg", rxcui="11289")).drugs
    assert understood.status == "recognised" and understood.name == "warfarin"


def test_a_dose_change_read_without_its_numbers_warns_and_sends_the_clinician_to_the_label(kb):
    result = answer(kb, "quizartinib", "posaconazole")
    [warning] = result.interaction_warnings
    assert warning.severity == "adjust_dose"
    assert "label" in warning.dose_change and not any(ch.isdigit() for ch in warning.dose_change)
    assert warning.management.startswith("Reduce")


def test_the_check_refuses_a_dose_change_without_numbers_unless_the_instruction_was_read():
    unread = InteractionRule(
        with_class="strong_cyp3a4_inhibitor",
        severity=Severity.ADJUST_DOSE,
        evidence_kind="label_statement",
        management="Reduce the dose to the dose in the label's table.",
        dose_change="reduce to the dose in the label's table",
        dose_numbers_read=False,
        label_sections=["boxed warning"],
    )
    assert any("label_wording_read" in problem for problem in _check_rule_grade("x", unread))
    assert _check_rule_grade("x", unread.model_copy(update={"label_wording_read": True})) == []
