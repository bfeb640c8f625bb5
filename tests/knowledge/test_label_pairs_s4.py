"""Issue 12, fourth pass: label-derived pairs that were missed or wrongly warned, row by row.

Each row is a (TKI, medicine) pair a label-derived pair set would hold: the label's class statement with a
member of the class as the FDA-guidance table read grades it, or a drug the label names as an example of
the class. The rows were misses (the medicine was not in the catalogue, or sat in the wrong class) or
false warnings before this pass.
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

FDA_TABLE = "FDA-guidance-based table of CYP3A inhibitors and inducers (read on a copy, named in drugs.yaml)"
VENCLEXTA_HCP = "www.venclextahcp.com/cll/dosing/drug-interactions.html (examples of strong and moderate CYP3A inhibitors)"
LABEL_EXAMPLES = "the label's own strong-inhibitor examples (label_examples in its record)"

# (TKI, medicine, expected severity at least, where the membership was read)
MISSED_PAIRS = [
    # hepatitis C protease inhibitors graded strong in the table read: every strong-inhibitor rule covers them
    ("lorlatinib", "boceprevir", "avoid", FDA_TABLE),
    ("lorlatinib", "telaprevir", "avoid", FDA_TABLE),
    ("ponatinib", "Victrelis", "avoid", FDA_TABLE),
    ("venetoclax", "telaprevir", "contraindicated", VENCLEXTA_HCP),
    ("pacritinib", "Incivek", "contraindicated", FDA_TABLE),
    # fosphenytoin, the phenytoin prodrug, graded strong
    ("lorlatinib", "fosphenytoin", "contraindicated", FDA_TABLE),
    ("ibrutinib", "Cerebyx", "avoid", FDA_TABLE),
    # grapefruit juice: labels list it among their strong CYP3A inhibitors, so a strong-inhibitor rule covers it
    ("lorlatinib", "grapefruit juice", "avoid", LABEL_EXAMPLES),
    ("sunitinib", "grapefruit", "avoid", LABEL_EXAMPLES),
    ("tepotinib", "grapefruit juice", "avoid", LABEL_EXAMPLES),
    ("gilteritinib", "grapefruit juice", "avoid", LABEL_EXAMPLES),
    # VENCLEXTA's examples: diltiazem with the strong inhibitors, cimetidine with the moderate ones
    ("venetoclax", "diltiazem", "contraindicated", VENCLEXTA_HCP),
    ("venetoclax", "cimetidine", "adjust_dose", VENCLEXTA_HCP),
    # rifabutin, graded moderate, still gets a label's strong-inducer grade where the label names it
    ("bosutinib", "rifabutin", "avoid", LABEL_EXAMPLES),
    ("crizotinib", "rifabutin", "avoid", LABEL_EXAMPLES),
    ("sunitinib", "rifabutin", "avoid", LABEL_EXAMPLES),
    ("lorlatinib", "rifabutin", "avoid", FDA_TABLE),
    # IBTROZI section 2: avoid food or drink containing grapefruit
    ("taletrectinib", "grapefruit juice", "avoid", "www.drugs.com/dosage/ibtrozi.html (US section 2)"),
]

# (TKI, medicine, why the label clears it)
CLEARED_PAIRS = [
    # rifabutin is a moderate inducer: TAGRISSO needs no dose change with moderate CYP3A inducers
    ("osimertinib", "rifabutin", "moderate CYP3A inducers: no dose adjustment (section 2, 7.1)"),
    ("acalabrutinib tablets", "omeprazole", "the maleate tablet: no clinically meaningful effect with rabeprazole (12.3)"),
    ("acalabrutinib tablets", "famotidine", "no adjustment with gastric-pH-raising drugs for the tablet (12.3)"),
    ("acalabrutinib tablets", "calcium carbonate", "no adjustment with the tablet formulation (12.3)"),
]


@pytest.mark.parametrize(("tki", "medicine", "severity", "read_on"), MISSED_PAIRS, ids=pair_ids(MISSED_PAIRS))
def test_a_label_class_statement_reaches_every_member_the_table_grades(kb, tki, medicine, severity, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "warning", (read_on, pair.detail)
    assert SEVERITY_ORDER[Severity(warnings[0].severity)] <= SEVERITY_ORDER[Severity(severity)], (read_on, warnings[0].severity)


@pytest.mark.parametrize(("tki", "medicine", "why"), CLEARED_PAIRS, ids=pair_ids(CLEARED_PAIRS))
def test_a_pair_the_label_clears_gives_no_warning(kb, tki, medicine, why):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_meaningful" and not warnings, (why, pair.status, [w.severity for w in warnings])


@pytest.mark.parametrize("medicine", ["omeprazole", "famotidine", "calcium carbonate"])
def test_acalabrutinib_without_a_formulation_warns_and_says_the_tablets_are_not_affected(kb, medicine):
    # both CALQUENCE labels are current (capsules and tablets): the stricter capsule answer stays the default
    pair, warnings = label_pair(kb, "acalabrutinib", medicine)
    assert pair.status == "warning" and warnings[0].formulation == "capsules"
    tablets = [n for n in warnings[0].notes if n.startswith("CALQUENCE (acalabrutinib maleate) tablets")]
    assert tablets and "not affected" in tablets[0], warnings[0].notes


def test_a_named_formulation_gets_no_other_formulation_note(kb):
    _, warnings = label_pair(kb, "acalabrutinib capsules", "famotidine")
    assert warnings and not [n for n in warnings[0].notes if "tablets" in n], warnings[0].notes


STRONG_CYP3A_INHIBITORS = [
    "ketoconazole", "itraconazole", "posaconazole", "voriconazole", "clarithromycin", "telithromycin", "ritonavir",
    "cobicistat", "nefazodone", "saquinavir", "indinavir", "nelfinavir", "lopinavir/ritonavir", "boceprevir",
    "telaprevir", "idelalisib", "conivaptan", "grapefruit juice",
]
MODERATE_CYP3A_INDUCERS = ["efavirenz", "bosentan", "etravirine", "modafinil", "phenobarbital", "rifabutin", "nafcillin"]


@pytest.mark.parametrize("medicine", STRONG_CYP3A_INHIBITORS)
def test_every_strong_cyp3a_inhibitor_the_brief_names_gets_a_strong_inhibitor_rule(kb, medicine):
    # ICLUSIG avoids strong CYP3A inhibitors: a member missing from the class would be a missed pair
    _, warnings = label_pair(kb, "ponatinib", medicine)
    assert warnings and warnings[0].interacting_class == "strong CYP3A4 inhibitor", medicine


@pytest.mark.parametrize("medicine", MODERATE_CYP3A_INDUCERS)
def test_every_moderate_cyp3a_inducer_gets_the_moderate_inducer_rule(kb, medicine):
    # LORBRENA: avoid moderate CYP3A inducers (a strong one is contraindicated)
    _, warnings = label_pair(kb, "lorlatinib", medicine)
    assert warnings and warnings[0].severity == "avoid" and warnings[0].interacting_class == "moderate CYP3A4 inducer", medicine
