"""Issue 12, session 6 (stream B): one row per label statement read or re-checked this session, with the grade
the engine must give the medicine it names.

Two questions were decided here. CALQUENCE: capsules and tablets are both in current US labels (the openFDA label
records read: the capsule label and a tablet label, both revised 2/2026), so acalabrutinib without a formulation
keeps the capsules' answer as a conditional one that names the tablets' clearance, and a named formulation gets its
own label's answer. QT beside a cleared CYP3A effect: TAGRISSO (5.2) and CAPRELSA (boxed warning, 5.1) instruct on
drugs known to prolong the QT interval, an instruction apart from their strong-CYP3A-inhibitor clearance, so
clarithromycin (both a strong CYP3A inhibitor and QT-prolonging) keeps the QT warning, and a strong CYP3A inhibitor
that the catalogue does not class as QT-prolonging (itraconazole) gets none.
"""

from __future__ import annotations

import pytest

from tests.knowledge.label_pairs import label_pair, pair_ids

CALQUENCE_OPENFDA = "api.fda.gov label records: capsules (set ID dd4835ef-...) and tablets, both revised 2/2026"
CALQUENCE_CAPSULE_COPY = "drugs.com monograph citing the product information; a transcription of the capsule label section 7"
CAPRELSA_BOXED = "blackboxrx.com (boxed warning), drugs.com monograph, cigna.com patient monograph naming clarithromycin"
TAGRISSO_US_COPY = "120ty.net aid=39169 page 3 (copy of the 11/2015 US TAGRISSO label, section 5.2)"

# (TKI as sent, medicine, expected severity, expected mechanism, label section, read on)
LABEL_STATEMENTS = [
    # CALQUENCE capsules: avoid PPIs; take the capsules 2 hours before an H2 blocker; 2 hours apart from antacids
    ("acalabrutinib capsules", "omeprazole", "avoid", "gastric_acid_reduction", "7", CALQUENCE_CAPSULE_COPY),
    ("acalabrutinib capsules", "pantoprazole", "avoid", "gastric_acid_reduction", "7", CALQUENCE_CAPSULE_COPY),
    ("acalabrutinib capsules", "famotidine", "separate_in_time", "gastric_acid_reduction", "2", CALQUENCE_CAPSULE_COPY),
    ("acalabrutinib capsules", "calcium carbonate", "separate_in_time", "gastric_acid_reduction", "2", CALQUENCE_CAPSULE_COPY),
    # no formulation given: the capsules' answer, conditional (see the note test below)
    ("acalabrutinib", "esomeprazole", "avoid", "gastric_acid_reduction", "7", CALQUENCE_OPENFDA),
    ("acalabrutinib", "famotidine", "separate_in_time", "gastric_acid_reduction", "2", CALQUENCE_OPENFDA),
    # the CYP3A rules are the same for both formulations
    ("acalabrutinib tablets", "itraconazole", "avoid", "cyp3a4_inhibition", "7", CALQUENCE_CAPSULE_COPY),
    ("acalabrutinib tablets", "rifampin", "avoid", "cyp3a4_induction", "7", CALQUENCE_CAPSULE_COPY),
    ("acalabrutinib tablets", "diltiazem", "adjust_dose", "cyp3a4_inhibition", "2", CALQUENCE_CAPSULE_COPY),
    # QT instructions, apart from the CYP3A clearance
    ("vandetanib", "clarithromycin", "avoid", "qt_prolongation", "boxed warning", CAPRELSA_BOXED),
    ("vandetanib", "moxifloxacin", "avoid", "qt_prolongation", "boxed warning", CAPRELSA_BOXED),
    ("osimertinib", "clarithromycin", "monitor", "qt_prolongation", "5.2", TAGRISSO_US_COPY),
]

# (TKI as sent, medicine, label section, read on): the label calls the effect not clinically meaningful
CLEARED_STATEMENTS = [
    # CALQUENCE tablets: no adjustment with gastric acid reducing agents (rabeprazole studied)
    ("acalabrutinib tablets", "omeprazole", "12.3", CALQUENCE_OPENFDA),
    ("acalabrutinib tablets", "rabeprazole", "12.3", CALQUENCE_OPENFDA),
    ("acalabrutinib tablets", "famotidine", "12.3", CALQUENCE_OPENFDA),
    ("acalabrutinib tablets", "calcium carbonate", "12.3", CALQUENCE_OPENFDA),
    ("acalabrutinib maleate", "pantoprazole", "12.3", CALQUENCE_OPENFDA),
    # CAPRELSA and TAGRISSO: a strong CYP3A inhibitor that is not QT-prolonging gets no warning
    ("vandetanib", "itraconazole", "7", CAPRELSA_BOXED),
    ("osimertinib", "itraconazole", "12.3", TAGRISSO_US_COPY),
]


@pytest.mark.parametrize(
    ("tki", "medicine", "severity", "mechanism", "section", "read_on"), LABEL_STATEMENTS, ids=pair_ids(LABEL_STATEMENTS)
)
def test_a_label_statement_read_gives_its_grade(kb, tki, medicine, severity, mechanism, section, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "warning", (read_on, section, pair.status, pair.detail)
    assert [(w.severity, w.mechanism) for w in warnings] == [(severity, mechanism)], (read_on, section)


@pytest.mark.parametrize(("tki", "medicine", "section", "read_on"), CLEARED_STATEMENTS, ids=pair_ids(CLEARED_STATEMENTS))
def test_a_pair_the_label_calls_not_meaningful_shows_no_warning(kb, tki, medicine, section, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_meaningful" and not warnings, (read_on, pair.status, [w.severity for w in warnings])


def test_acalabrutinib_without_a_formulation_says_its_answer_is_the_capsules_and_names_the_tablets_clearance(kb):
    _, [warning] = label_pair(kb, "acalabrutinib", "omeprazole")
    assert warning.formulation == "capsules"
    first = warning.notes[0]
    assert first.startswith("Formulation not specified") and "CALQUENCE (acalabrutinib) capsules, the most restrictive" in first
    assert "Give the formulation" in first
    assert any(n.startswith("CALQUENCE (acalabrutinib maleate) tablets: not affected") for n in warning.notes)


def test_a_named_formulation_gets_no_formulation_note(kb):
    _, [warning] = label_pair(kb, "acalabrutinib capsules", "omeprazole")
    assert not any(n.startswith("Formulation not specified") for n in warning.notes)
