"""Issue 12: a drug a label names as an example of a CYP3A class gets that label rule's grade.

The catalogue grades perpetrators by the FDA's table (phenobarbital is a moderate CYP3A inducer there),
while labels name their own examples (imatinib's lists phenobarbital with the strong inducers). Every
example a label record names must answer as that rule says for that TKI, never "not assessed" or weaker.
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.engine.recommend import check_medication_list
from service.knowledge.records import WARNING_SEVERITIES, Severity
from tests.support import curated_knowledge



def _named_examples() -> list[tuple[str, str, str, str]]:
    """(TKI, class, example, severity) for every class rule that names its examples."""
    kb = curated_knowledge()
    cases = []
    for label in kb.labels.values():
        for rule in label.rules:
            for example in rule.label_examples:
                # a rule naming the drug itself comes first (precedence level 1)
                own = [r.severity for r in label.rules if r.with_drug == example]
                severity = min(own, key=SEVERITY_ORDER.__getitem__) if own else rule.severity
                cases.append((label.drug, rule.with_class or "", example, severity.value))
    return cases


NAMED = _named_examples()
STRONG_CYP3A = {"strong_cyp3a4_inhibitor", "strong_cyp3a4_inducer"}


def test_the_labels_name_strong_cyp3a_examples_for_many_tkis():
    tkis = {tki for tki, cls, _, _ in NAMED if cls in STRONG_CYP3A}
    assert len(tkis) >= 10, sorted(tkis)


@pytest.mark.parametrize(("tki", "cls", "example", "severity"), NAMED, ids=[f"{t}-{e}" for t, _, e, _ in NAMED])
def test_a_named_example_gets_its_rules_grade(kb, tki, cls, example, severity):
    result = check_medication_list(kb, [tki, example])
    [pair] = [p for p in result.interaction_pairs if p.drug == tki]
    expected = Severity(severity)
    if expected in WARNING_SEVERITIES:
        assert pair.status == "warning", (cls, pair.detail)
        [warning] = [w for w in result.interaction_warnings if w.drug == tki and w.mechanism != "duplicate_tki"]
        # the label's rule or a stricter one at the same level (a drug named in two of the label's lists)
        assert SEVERITY_ORDER[Severity(warning.severity)] <= SEVERITY_ORDER[expected], (cls, warning.severity)
    else:
        assert pair.status == expected.value, (cls, pair.detail)


def test_phenobarbital_with_imatinib_is_avoid_because_the_label_names_it_a_strong_inducer(kb):
    # the catalogue (FDA table) grades phenobarbital moderate, and imatinib's record has no moderate-inducer rule
    assert "moderate_cyp3a4_inducer" in kb.drug_classes("phenobarbital")
    assert "strong_cyp3a4_inducer" not in kb.drug_classes("phenobarbital")
    [warning] = [w for w in check_medication_list(kb, ["imatinib", "phenobarbital"]).interaction_warnings if w.drug == "imatinib"]
    assert warning.severity == "avoid" and warning.interacting_class == "strong CYP3A4 inducer"


def test_an_unnamed_member_of_the_weaker_class_does_not_borrow_the_strong_rule(kb):
    # primidone is a moderate inducer no label record names: nilotinib's unread moderate-inducer rule answers
    [pair] = [p for p in check_medication_list(kb, ["nilotinib", "primidone"]).interaction_pairs if p.drug == "nilotinib"]
    assert pair.status == "not_assessed"


# --- QT: a medicine whose own QT labelling was not read ------------------------------------


@pytest.mark.parametrize(("tki", "medicine"), [("nilotinib", "ciprofloxacin"), ("vandetanib", "ondansetron"), ("crizotinib", "levofloxacin")])
def test_a_qt_warning_tki_with_a_medicine_whose_qt_labelling_was_not_read_is_not_assessed(kb, tki, medicine):
    [pair] = [p for p in check_medication_list(kb, [tki, medicine]).interaction_pairs if p.drug == tki]
    assert pair.status == "not_assessed"
    assert "QT" in pair.detail and "not read" in pair.detail and "no interaction mechanism" not in pair.detail


def test_a_medicine_named_qt_prolonging_by_the_label_still_warns(kb):
    # moxifloxacin is named by the labels read, so it is in the QT class and the TKI's QT rule applies
    [warning] = [w for w in check_medication_list(kb, ["vandetanib", "moxifloxacin"]).interaction_warnings if w.drug == "vandetanib"]
    assert warning.mechanism == "qt_prolongation" and warning.severity == "avoid"


def test_the_qt_note_leaves_a_label_warning_standing(kb):
    # erlotinib's label names ciprofloxacin (CYP3A4/CYP1A2); erlotinib has no QT rule, so no QT sentence is added
    [warning] = [w for w in check_medication_list(kb, ["erlotinib", "ciprofloxacin"]).interaction_warnings if w.drug == "erlotinib"]
    assert warning.severity == "avoid" and not any("QT" in n for n in warning.notes)


# --- the TKI as perpetrator: substrate rules read in section 7.2 ------------------------------


@pytest.mark.parametrize(
    ("tki", "other", "severity"),
    [
        ("larotrectinib", "tacrolimus", "avoid"),  # sensitive CYP3A4 substrates: avoid, else monitor
        ("capmatinib", "digoxin", "monitor"),  # P-gp substrate: lower the substrate's dose if needed
        ("capmatinib", "rosuvastatin", "monitor"),  # BCRP substrate: the same wording
        ("selpercatinib", "tacrolimus", "avoid"),  # CYP3A substrates where small changes matter
        ("selpercatinib", "methadone", "monitor"),  # QT: ECGs more often
    ],
)
def test_a_tki_that_raises_a_substrate_warns_as_its_label_says(kb, tki, other, severity):
    warnings = [w for w in check_medication_list(kb, [tki, other]).interaction_warnings if w.drug == tki]
    assert warnings and SEVERITY_ORDER[Severity(warnings[0].severity)] <= SEVERITY_ORDER[Severity(severity)]
    assert any(w.severity == severity for w in warnings), [w.severity for w in warnings]


def test_of_two_equally_severe_rules_the_one_naming_the_drug_answers(kb):
    # bosutinib avoids strong and moderate CYP3A inducers; its label lists phenobarbital with the strong ones
    [warning] = [w for w in check_medication_list(kb, ["bosutinib", "phenobarbital"]).interaction_warnings if w.drug == "bosutinib"]
    assert warning.severity == "avoid" and warning.interacting_class == "strong CYP3A4 inducer"
