"""Issue 12, session 7 (labels stream B): one row per label statement read for the CDK4/6 inhibitors, everolimus,
belzutifan, revumenib and capecitabine, with the answer it must give.

Rows are (drug, a member of the class the statement names, the grade it must reach at least, where it was read).
Statements the label makes for one class only leave the other classes "no label guidance" where the label's own
wording was read (IBRANCE on Pfizer's US page) and "not assessed" where only a copy was read; statements that were
not read on an accepted source stay "not assessed", never silence.
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

IBRANCE_7 = "pfizermedicalinformation.com/en-us/ibrance/drug-interactions (US section 7)"
IBRANCE_2 = "USPI-aligned IBRANCE label on build.fhir.org (section 2.2: 75 mg with a strong CYP3A inhibitor)"
KISQALI_7 = "m.laoslucius.com/ribociclib/interactions (US section 7, FDA 2024.09)"
VERZENIO_7 = "www.laoslucius.com/abemaciclib/interactions (US section 7, FDA 2025.02)"
AFINITOR_2 = "120ty.net copy of the US AFINITOR label, section 2 (pages 7 and 9)"
WELIREG_7 = "m.laoslucius.com/belzutifan/interactions (US section 7, FDA 2021.08)"
REVUFORJ = "FDA approval reports: dose by strong CYP3A4 inhibitor use; AUGMENT-101 dose with one"
XELODA = "XELODA boxed warning on DailyMed (warfarin)"
TAXOL = "TAXOL drug-interaction precaution quoted by the FDA (safety labeling changes, August 2010)"
ABRAXANE = "Swiss product information of albumin-bound paclitaxel (ch.oddb.org)"
DOCETAXEL_EU = "EU docetaxel product information, section 4.5 (rxreasoner.com)"

# (drug, medicine, expected severity at least, where the statement was read)
WARNED_PAIRS = [
    # IBRANCE 7.1: avoid strong CYP3A inhibitors (the label's examples) and grapefruit; 75 mg if unavoidable
    ("palbociclib", "itraconazole", "avoid", IBRANCE_7),
    ("palbociclib", "clarithromycin", "avoid", IBRANCE_7),
    ("palbociclib", "posaconazole", "avoid", IBRANCE_7),
    ("palbociclib", "lopinavir", "avoid", IBRANCE_7),
    ("palbociclib", "grapefruit juice", "avoid", IBRANCE_7),
    # IBRANCE 7.2: avoid strong CYP3A inducers
    ("palbociclib", "rifampin", "avoid", IBRANCE_7),
    ("palbociclib", "enzalutamide", "avoid", IBRANCE_7),
    ("palbociclib", "st john's wort", "avoid", IBRANCE_7),
    # IBRANCE 7.3: narrow-therapeutic-index CYP3A substrates may need a lower dose
    ("palbociclib", "tacrolimus", "monitor", IBRANCE_7),
    ("palbociclib", "everolimus", "monitor", IBRANCE_7),
    ("palbociclib", "ergotamine", "monitor", IBRANCE_7),
    ("palbociclib", "alfentanil", "monitor", IBRANCE_7),
    # KISQALI 7.1: avoid strong CYP3A inhibitors (400 or 200 mg if unavoidable) and strong inducers
    ("ribociclib", "ketoconazole", "avoid", KISQALI_7),
    ("ribociclib", "grapefruit juice", "avoid", KISQALI_7),
    ("ribociclib", "carbamazepine", "avoid", KISQALI_7),
    # KISQALI 7.2: sensitive CYP3A substrates: monitor, their dose may need to be reduced
    ("ribociclib", "midazolam", "monitor", KISQALI_7),
    ("ribociclib", "cyclosporine", "monitor", KISQALI_7),
    ("ribociclib", "simvastatin", "monitor", KISQALI_7),
    # KISQALI 7.3: avoid drugs known to prolong the QT interval
    ("ribociclib", "amiodarone", "avoid", KISQALI_7),
    ("ribociclib", "moxifloxacin", "avoid", KISQALI_7),
    # VERZENIO 7.1: avoid ketoconazole; other strong inhibitors: 100 mg (or 50 mg) twice daily; grapefruit: avoid
    ("abemaciclib", "ketoconazole", "avoid", VERZENIO_7),
    ("abemaciclib", "clarithromycin", "adjust_dose", VERZENIO_7),
    ("abemaciclib", "grapefruit juice", "avoid", VERZENIO_7),
    # VERZENIO 7.1: moderate inhibitors: monitor, consider 50 mg steps; strong or moderate inducers: avoid
    ("abemaciclib", "verapamil", "monitor", VERZENIO_7),
    ("abemaciclib", "phenytoin", "avoid", VERZENIO_7),
    ("abemaciclib", "bosentan", "avoid", VERZENIO_7),
    # AFINITOR 2: avoid strong CYP3A4/P-gp inhibitors (atazanavir named with them), 2.5 mg with moderate ones
    ("everolimus", "voriconazole", "avoid", AFINITOR_2),
    ("everolimus", "atazanavir", "avoid", AFINITOR_2),
    ("everolimus", "erythromycin", "adjust_dose", AFINITOR_2),
    ("everolimus", "diltiazem", "adjust_dose", AFINITOR_2),
    ("everolimus", "grapefruit juice", "avoid", AFINITOR_2),
    # AFINITOR 2: avoid strong CYP3A4/P-gp inducers (rifabutin and phenobarbital named with them)
    ("everolimus", "carbamazepine", "avoid", AFINITOR_2),
    ("everolimus", "rifabutin", "avoid", AFINITOR_2),
    ("everolimus", "phenobarbital", "avoid", AFINITOR_2),
    # WELIREG 7.2: belzutifan lowers CYP3A4 substrates: avoid sensitive ones; hormonal contraceptives may fail
    ("belzutifan", "midazolam", "avoid", WELIREG_7),
    ("belzutifan", "tacrolimus", "avoid", WELIREG_7),
    ("belzutifan", "ethinyl estradiol", "avoid", WELIREG_7),
    ("belzutifan", "levonorgestrel", "avoid", WELIREG_7),
    # REVUFORJ: the dose changes with a strong CYP3A4 inhibitor
    ("revumenib", "posaconazole", "adjust_dose", REVUFORJ),
    ("revumenib", "voriconazole", "adjust_dose", REVUFORJ),
    # XELODA: monitor the INR with coumarin anticoagulants
    ("capecitabine", "warfarin", "monitor", XELODA),
    # TAXOL: caution with CYP3A4 inhibitors and inducers and CYP2C8 inhibitors (the label's examples)
    ("paclitaxel", "ketoconazole", "monitor", TAXOL),
    ("paclitaxel", "atazanavir", "monitor", TAXOL),
    ("paclitaxel", "carbamazepine", "monitor", TAXOL),
    ("paclitaxel", "gemfibrozil", "monitor", TAXOL),
    # ABRAXANE (Swiss text): caution with CYP2C8 or CYP3A4 inhibitors and inducers, cimetidine and clopidogrel named
    ("nab-paclitaxel", "voriconazole", "monitor", ABRAXANE),
    ("nab-paclitaxel", "clopidogrel", "monitor", ABRAXANE),
    ("nab-paclitaxel", "cimetidine", "monitor", ABRAXANE),
    ("nab-paclitaxel", "efavirenz", "monitor", ABRAXANE),
    # docetaxel (EU text): strong CYP3A4 inhibitors avoided where possible; caution with other CYP3A modulators
    ("docetaxel", "ketoconazole", "avoid", DOCETAXEL_EU),
    ("docetaxel", "ritonavir", "avoid", DOCETAXEL_EU),
    ("docetaxel", "erythromycin", "monitor", DOCETAXEL_EU),
    ("docetaxel", "rifampin", "monitor", DOCETAXEL_EU),
]

# (drug, medicine, why it is silent): classes the IBRANCE label, read on the label holder's page, gives no guidance for
READ_AND_SILENT_PAIRS = [
    ("palbociclib", "omeprazole", "section 7 names no acid reducer"),
    ("palbociclib", "famotidine", "section 7 names no acid reducer"),
    ("palbociclib", "fluconazole", "section 7 gives an instruction for strong CYP3A inhibitors only"),
    ("palbociclib", "efavirenz", "section 7 gives an instruction for strong CYP3A inducers only"),
    ("palbociclib", "midazolam", "7.3 instructs only for narrow-therapeutic-index substrates"),
]

# (drug, medicine) whose statement was not read on an accepted source: not assessed, never a warning or silence
NOT_READ_PAIRS = [
    ("ribociclib", "tamoxifen"),
    ("ribociclib", "fluconazole"),
    ("ribociclib", "omeprazole"),
    ("abemaciclib", "omeprazole"),
    ("everolimus", "efavirenz"),
    ("belzutifan", "itraconazole"),
    ("belzutifan", "fluconazole"),
    ("revumenib", "rifampin"),
    ("revumenib", "amiodarone"),
    ("capecitabine", "phenytoin"),
    # intravenous taxanes: the texts read name no food, so grapefruit is not treated as a CYP3A inhibitor for them
    ("paclitaxel", "grapefruit juice"),
    ("nab-paclitaxel", "grapefruit juice"),
    ("docetaxel", "grapefruit juice"),
    ("docetaxel", "omeprazole"),
    ("irinotecan", "rifampin"),
    # labels with no record yet
    ("enasidenib", "itraconazole"),
    ("olutasidenib", "rifampin"),
    ("ziftomenib", "posaconazole"),
]


@pytest.mark.parametrize(("drug", "medicine", "severity", "read_on"), WARNED_PAIRS, ids=pair_ids(WARNED_PAIRS))
def test_a_label_statement_read_warns_with_its_grade(kb, drug, medicine, severity, read_on):
    pair, warnings = label_pair(kb, drug, medicine)
    assert pair.status == "warning", (read_on, pair.status, pair.detail)
    worst = min(SEVERITY_ORDER[Severity(w.severity)] for w in warnings)
    assert worst <= SEVERITY_ORDER[Severity(severity)], (read_on, [w.severity for w in warnings])


@pytest.mark.parametrize(("drug", "medicine", "why"), READ_AND_SILENT_PAIRS, ids=pair_ids(READ_AND_SILENT_PAIRS))
def test_a_class_the_read_label_is_silent_on_gives_no_guidance(kb, drug, medicine, why):
    pair, warnings = label_pair(kb, drug, medicine)
    assert pair.status == "no_label_guidance" and not warnings, (why, pair.status, pair.detail)


@pytest.mark.parametrize(("drug", "medicine"), NOT_READ_PAIRS, ids=pair_ids(NOT_READ_PAIRS))
def test_a_statement_not_read_says_not_assessed(kb, drug, medicine):
    pair, warnings = label_pair(kb, drug, medicine)
    assert pair.status == "not_assessed" and not warnings, (pair.status, pair.detail)


def test_palbociclib_with_an_unavoidable_strong_inhibitor_names_75_mg(kb):
    _, [warning] = label_pair(kb, "palbociclib", "itraconazole")
    assert warning.severity == "avoid" and "75 mg once daily" in warning.management, IBRANCE_2
    assert warning.label_wording_read


def test_ribociclib_reduced_doses_name_both_settings(kb):
    _, [warning] = label_pair(kb, "ribociclib", "clarithromycin")
    assert "400 mg once daily" in warning.management and "200 mg once daily" in warning.management, KISQALI_7


def test_abemaciclib_dose_with_a_strong_inhibitor_is_the_label_number(kb):
    _, [warning] = label_pair(kb, "abemaciclib", "itraconazole")
    assert warning.severity == "adjust_dose" and warning.dose_change and "100 mg twice daily" in warning.dose_change


def test_everolimus_with_a_moderate_inhibitor_is_reduced_to_2_5_mg(kb):
    _, [warning] = label_pair(kb, "everolimus", "fluconazole")
    assert warning.dose_change and "2.5 mg once daily" in warning.dose_change, AFINITOR_2


def test_belzutifan_lowers_substrates_rather_than_raising_them(kb):
    _, [warning] = label_pair(kb, "belzutifan", "midazolam")
    assert warning.mechanism == "tki_induces_cyp3a4_substrate"


def test_warnings_read_on_copies_say_the_label_wording_was_not_read(kb):
    for drug, medicine in (("ribociclib", "ketoconazole"), ("everolimus", "voriconazole"), ("revumenib", "posaconazole")):
        _, warnings = label_pair(kb, drug, medicine)
        assert warnings and all(not w.label_wording_read and "not read" in w.model_dump_json().lower() for w in warnings)


def test_capecitabine_warfarin_rests_on_the_boxed_warning_read_on_dailymed(kb):
    _, [warning] = label_pair(kb, "capecitabine", "warfarin")
    assert warning.severity == "monitor" and warning.label_wording_read, XELODA
    assert "INR" in warning.management


SET_IDS = {
    "palbociclib": "e0e6412f-50b4-4fd4-9364-62818d121a07",
    "ribociclib": "aaeaef94-f3f5-4367-8ea2-b181d7be2da8",
    "abemaciclib": "be4bc0de-0fdc-4d46-8d25-be43c79e6a06",
    "everolimus": "2150f73a-179b-4afc-b8ce-67c85cc72f04",
    "revumenib": "6eb3cdbc-0e74-477d-82d6-3bb172d3f63f",
    "capecitabine": "e702d84d-7162-4751-bf37-d724cc7e45a5",
}


@pytest.mark.parametrize(("drug", "set_id"), sorted(SET_IDS.items()))
def test_the_label_a_clinician_is_sent_to_is_dailymed_by_set_id(kb, drug, set_id):
    label = kb.labels[drug]
    assert label.label.set_id == set_id
    assert label.label.dailymed_url == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"


def test_a_label_without_a_set_id_says_why(kb):
    # belzutifan's set ID was found in session 11 (NCI's DailyMed link); futibatinib's still was not
    assert kb.labels["belzutifan"].label.set_id == "13e15ee0-d679-4fa9-9430-e2e2170474da"
    assert kb.labels["futibatinib"].label.set_id is None and kb.labels["futibatinib"].label.set_id_missing
