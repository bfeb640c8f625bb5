"""Interaction rule precedence, formulations and de-duplication, on a synthetic knowledge base."""

from __future__ import annotations

from service.engine.interactions import check_interactions, interaction_subjects
from service.engine.normalise import DrugRef, normalise_drug
from tests.engine.fixture_kb import build_fixture_kb


def ref(name: str, formulation: str | None = None) -> DrugRef:
    return DrugRef(name=name, formulation=formulation, input=name)


def test_drug_pair_rule_beats_class_rule_and_silences_it():
    kb = build_fixture_kb()
    report = check_interactions(kb, [ref("alphatinib")], [ref("acidstop")])
    assert report.warnings == []
    assert [(c.drug, c.interacting_drug, c.finding) for c in report.cleared] == [("alphatinib", "acidstop", "not_meaningful")]


def test_class_rule_applies_when_no_pair_rule():
    kb = build_fixture_kb()
    report = check_interactions(kb, [ref("alphatinib")], [ref("inducerin")])
    [warning] = report.warnings
    assert (warning.severity, warning.rule_level, warning.interacting_class) == ("adjust_dose", "drug_class", "strong cyp3a4 inducer")


def test_class_class_rule_is_the_last_resort():
    kb = build_fixture_kb(
        class_rules=[
            {
                "id": "acid-sensitive-with-ppi",
                "subject_class": "acid_sensitive_tki",
                "with_class": "proton_pump_inhibitor",
                "severity": "monitor",
                "management": "monitor response",
                "source_title": "a review",
                "source_url": "https://example.org/review",
            }
        ]
    )
    report = check_interactions(kb, interaction_subjects(kb, [ref("betatinib")]), [ref("acidstop")])
    [warning] = report.warnings
    assert (warning.drug, warning.rule_level, warning.severity) == ("betatinib", "class_class", "monitor")
    # the drug's own label (level 2) still wins over the class-to-class rule for alphatinib
    report = check_interactions(kb, [ref("alphatinib")], [ref("acidstop")])
    assert report.warnings == []


def test_no_rule_at_any_level_gives_nothing():
    kb = build_fixture_kb()
    report = check_interactions(kb, [ref("alphatinib")], [ref("plainol")])
    assert report.warnings == [] and report.cleared == []


def test_one_answer_per_pair_even_when_listed_twice():
    kb = build_fixture_kb()
    report = check_interactions(kb, [ref("alphatinib"), ref("alphatinib")], [ref("inducerin"), ref("inducerin")])
    assert len(report.warnings) == 1


def test_named_formulation_gets_its_own_rule():
    kb = build_fixture_kb()
    assert check_interactions(kb, [ref("gammatinib", "tablets")], [ref("acidstop")]).warnings == []
    [warning] = check_interactions(kb, [ref("gammatinib", "capsules")], [ref("acidstop")]).warnings
    assert warning.severity == "avoid" and warning.formulation == "capsules"


def test_unspecified_formulation_gets_the_cautious_answer_with_a_note():
    kb = build_fixture_kb()
    [warning] = check_interactions(kb, [ref("gammatinib")], [ref("acidstop")]).warnings
    assert warning.severity == "avoid"
    assert any("Formulation not specified" in note for note in warning.notes)


def test_brand_and_salt_behave_like_the_generic():
    kb = build_fixture_kb()
    answers = set()
    for text in ("acidstop", "Acidgone 20 mg", "acidstop magnesium"):
        _, other = normalise_drug(kb, text)
        assert other is not None
        [cleared] = check_interactions(kb, [ref("alphatinib")], [other]).cleared
        answers.add((cleared.interacting_drug, cleared.finding))
    assert answers == {("acidstop", "not_meaningful")}
