"""Issue 12, sixth pass (labels stream A): one row per label statement read for this stream's labels, with the
answer it must give.

Rows are (TKI, a member of the class the statement names, the grade it must reach at least, where it was read).
Statements a label clears must give no warning; labels whose drug-interaction section was read on no accepted
source stay "not assessed" for their pairs, never silence and never "no label guidance".
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

EXKIVITY_BOXED = "drugeruptiondata.com/drug/id/6632 (US boxed warning reproduced)"
EXKIVITY_QT = "drugs.com mobocertinib-with-quetiapine professional monograph (EXKIVITY US PI 2021)"
EXKIVITY_3A4 = "drugs.com larotrectinib-with-mobocertinib professional monograph (EXKIVITY US PI 2021)"
ZYKADIA_7 = "m.laoslucius.com/ceritinib/interactions (US section 7, marked FDA 2021.10)"
AUGTYRO_7 = "m.laoslucius.com/repotrectinib/interactions (US section 7, marked FDA 2023.11)"
AYVAKIT_7 = "m.laoslucius.com/avapritinib/interactions (US section 7, marked FDA 2024.11)"
VANFLYTA_5 = "m.laoslucius.com/quizartinib/precautions (US section 5.1)"
LAZCLUZE_7 = "drugs.com bexarotene-with-lazertinib professional monograph (LAZCLUZE US PI 2024)"

# (TKI, medicine, expected severity at least, where the statement was read)
WARNED_PAIRS = [
    # EXKIVITY boxed warning: avoid QTc-prolonging drugs and strong or moderate CYP3A inhibitors
    ("mobocertinib", "itraconazole", "avoid", EXKIVITY_BOXED),
    ("mobocertinib", "clarithromycin", "avoid", EXKIVITY_BOXED),
    ("mobocertinib", "diltiazem", "avoid", EXKIVITY_BOXED),
    ("mobocertinib", "fluconazole", "avoid", EXKIVITY_BOXED),
    ("mobocertinib", "grapefruit juice", "avoid", EXKIVITY_BOXED),
    ("mobocertinib", "moxifloxacin", "avoid", EXKIVITY_QT),
    ("mobocertinib", "haloperidol", "avoid", EXKIVITY_QT),
    ("mobocertinib", "amiodarone", "avoid", EXKIVITY_QT),
    # mobocertinib induces CYP3A4 (midazolam AUC -32%): avoid sensitive and narrow-margin CYP3A4 substrates
    ("mobocertinib", "midazolam", "avoid", EXKIVITY_3A4),
    ("mobocertinib", "tacrolimus", "avoid", EXKIVITY_3A4),
    ("mobocertinib", "fentanyl", "avoid", EXKIVITY_3A4),
    # ZYKADIA section 7 re-read: every statement the catalogue can check
    ("ceritinib", "ketoconazole", "avoid", ZYKADIA_7),
    ("ceritinib", "carbamazepine", "avoid", ZYKADIA_7),
    ("ceritinib", "midazolam", "avoid", ZYKADIA_7),
    ("ceritinib", "warfarin", "avoid", ZYKADIA_7),
    ("ceritinib", "tolbutamide", "avoid", ZYKADIA_7),
    ("ceritinib", "sotalol", "avoid", ZYKADIA_7),
    # AUGTYRO section 7 re-read
    ("repotrectinib", "posaconazole", "avoid", AUGTYRO_7),
    ("repotrectinib", "erythromycin", "avoid", AUGTYRO_7),
    ("repotrectinib", "cyclosporine", "avoid", AUGTYRO_7),
    ("repotrectinib", "phenytoin", "avoid", AUGTYRO_7),
    ("repotrectinib", "bosentan", "avoid", AUGTYRO_7),
    ("repotrectinib", "sirolimus", "avoid", AUGTYRO_7),
    # AYVAKIT section 7 re-read
    ("avapritinib", "voriconazole", "avoid", AYVAKIT_7),
    ("avapritinib", "verapamil", "avoid", AYVAKIT_7),
    ("avapritinib", "phenytoin", "avoid", AYVAKIT_7),
    ("avapritinib", "modafinil", "avoid", AYVAKIT_7),
    # VANFLYTA 5.1: reduce the dose with strong CYP3A inhibitors; ECGs more often with QT-prolonging drugs
    ("quizartinib", "itraconazole", "adjust_dose", VANFLYTA_5),
    ("quizartinib", "moxifloxacin", "monitor", VANFLYTA_5),
    # LAZCLUZE: the manufacturer recommends avoiding strong or moderate CYP3A4 inducers
    ("lazertinib", "rifampin", "avoid", LAZCLUZE_7),
    ("lazertinib", "efavirenz", "avoid", LAZCLUZE_7),
]

# (TKI, medicine, the statement that clears it, where it was read): rows of this stream's labels
CLEARED_PAIRS = [
    ("tucatinib", "omeprazole", "no clinically relevant interaction with omeprazole", "Swiss TUKYSA Fachinformation"),
    ("tucatinib", "tolbutamide", "no clinically meaningful effect on a CYP2C9 substrate", "the tucatinib record's sources"),
    ("fedratinib", "digoxin", "no clinically meaningful effect on a P-gp substrate", "the fedratinib record's sources"),
    ("fedratinib", "rosuvastatin", "no clinically meaningful effect on a BCRP/OATP substrate", "the fedratinib record's sources"),
]

# (TKI, medicine) whose statement was not read on an accepted source this session either: not assessed
NOT_READ_PAIRS = [
    ("mobocertinib", "rifampin"),
    ("mobocertinib", "omeprazole"),
    *[
        (tki, medicine)
        for tki in ("zongertinib", "sevabertinib", "sunvozertinib", "ensartinib", "taletrectinib")
        for medicine in ("ketoconazole", "carbamazepine", "famotidine")
    ],
]


@pytest.mark.parametrize(("tki", "medicine", "severity", "read_on"), WARNED_PAIRS, ids=pair_ids(WARNED_PAIRS))
def test_a_label_statement_read_warns_with_its_grade(kb, tki, medicine, severity, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "warning", (read_on, pair.status, pair.detail)
    worst = min(SEVERITY_ORDER[Severity(w.severity)] for w in warnings)
    assert worst <= SEVERITY_ORDER[Severity(severity)], (read_on, [w.severity for w in warnings])


@pytest.mark.parametrize(("tki", "medicine", "why", "read_on"), CLEARED_PAIRS, ids=pair_ids(CLEARED_PAIRS))
def test_a_pair_the_label_clears_gives_no_warning(kb, tki, medicine, why, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_meaningful" and not warnings, (why, read_on, pair.status)


@pytest.mark.parametrize(("tki", "medicine"), NOT_READ_PAIRS, ids=pair_ids(NOT_READ_PAIRS))
def test_a_statement_not_read_says_not_assessed(kb, tki, medicine):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_assessed" and not warnings, (pair.status, pair.detail)


def test_mobocertinib_warnings_say_the_label_wording_was_not_read(kb):
    _, warnings = label_pair(kb, "mobocertinib", "itraconazole")
    assert warnings
    assert all("not read" in w.model_dump_json().lower() for w in warnings)
