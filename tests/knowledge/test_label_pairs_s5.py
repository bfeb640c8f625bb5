"""Issue 12, fifth pass: one row per label statement read for the labels of this stream, with the answer it must give.

Rows are (TKI, a member of the class the statement names, the grade it must reach at least, where it was read).
Statements a label clears must give no warning; labels whose drug-interaction section was not read on any
accepted source must say "not assessed" for their pairs, never silence and never "no label guidance".
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.engine.recommend import check_medication_list
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

AYVAKIT_7 = "m.laoslucius.com/avapritinib/interactions (US section 7, marked FDA 2024.11); ayvakithcp.com dosing"
AUGTYRO_7 = "m.laoslucius.com/repotrectinib/interactions (US section 7, marked FDA 2023.11)"
ZYKADIA_7 = "m.laoslucius.com/ceritinib/interactions (US section 7, marked FDA 2021.10); Medscape dose rule"
TUKYSA_7 = "pfizermedicalinformation.com/tukysa/drug-interactions (US section 7 tables)"

# (TKI, medicine, expected severity at least, where the statement was read)
WARNED_PAIRS = [
    # AYVAKIT: avoid strong or moderate CYP3A inhibitors and inducers; a moderate inhibitor that cannot be avoided
    # lowers the starting dose
    ("avapritinib", "itraconazole", "avoid", AYVAKIT_7),
    ("avapritinib", "diltiazem", "avoid", AYVAKIT_7),
    ("avapritinib", "rifampin", "avoid", AYVAKIT_7),
    ("avapritinib", "efavirenz", "avoid", AYVAKIT_7),
    # AUGTYRO: avoid strong or moderate CYP3A inhibitors, P-gp inhibitors, strong or moderate CYP3A inducers, and
    # CYP3A substrates where minimal concentration changes cause reduced efficacy
    ("repotrectinib", "ketoconazole", "avoid", AUGTYRO_7),
    ("repotrectinib", "fluconazole", "avoid", AUGTYRO_7),
    ("repotrectinib", "verapamil", "avoid", AUGTYRO_7),
    ("repotrectinib", "carbamazepine", "avoid", AUGTYRO_7),
    ("repotrectinib", "modafinil", "avoid", AUGTYRO_7),
    ("repotrectinib", "tacrolimus", "avoid", AUGTYRO_7),
    # ZYKADIA: avoid strong CYP3A inhibitors (reduce by about one third if unavoidable) and grapefruit; avoid
    # strong CYP3A inducers, sensitive CYP3A substrates, narrow-margin CYP2C9 substrates and QT-prolonging drugs
    ("ceritinib", "clarithromycin", "avoid", ZYKADIA_7),
    ("ceritinib", "grapefruit juice", "avoid", ZYKADIA_7),
    ("ceritinib", "rifampin", "avoid", ZYKADIA_7),
    ("ceritinib", "midazolam", "avoid", ZYKADIA_7),
    ("ceritinib", "warfarin", "avoid", ZYKADIA_7),
    ("ceritinib", "moxifloxacin", "avoid", ZYKADIA_7),
    # TUKYSA: avoid strong CYP3A inducers and strong CYP2C8 inhibitors; avoid narrow-margin CYP3A substrates
    ("tucatinib", "rifampin", "avoid", TUKYSA_7),
    ("tucatinib", "gemfibrozil", "avoid", TUKYSA_7),
    ("tucatinib", "tacrolimus", "avoid", TUKYSA_7),
]

# (TKI, medicine, the statement that clears it, where it was read)
CLEARED_PAIRS = [
    ("tucatinib", "omeprazole", "no clinically relevant interaction with omeprazole", "Swiss TUKYSA Fachinformation"),
    ("fedratinib", "digoxin", "no clinically meaningful effect on a P-gp substrate", "the fedratinib record's sources"),
    ("fedratinib", "rosuvastatin", "no clinically meaningful effect on a BCRP/OATP substrate", "the fedratinib record's sources"),
]

# (TKI, medicine) for labels whose section 7 was read on no accepted source: the pair is not assessed
NOT_READ_PAIRS = [
    (tki, medicine)
    for tki in ("zongertinib", "sevabertinib", "sunvozertinib", "ensartinib", "taletrectinib")
    for medicine in ("itraconazole", "rifampin", "omeprazole")
]

# (TKI, the set ID its answers must link to)
SET_IDS = [
    ("ensartinib", "1e1b2f79-678a-472a-b924-66909c8a4b2e"),  # openFDA NDC record, package 83076-1025-3
    ("sevabertinib", "d7a11334-6e7a-445b-9a16-bdcd9acbe61f"),
    ("taletrectinib", "51ac8e52-3269-4102-8dc8-dba22d82128c"),
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
def test_a_label_whose_section_7_was_not_read_says_not_assessed(kb, tki, medicine):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_assessed" and not warnings, (pair.status, pair.detail)
    assert "not read" in pair.detail, pair.detail


@pytest.mark.parametrize(("tki", "set_id"), SET_IDS, ids=[row[0] for row in SET_IDS])
def test_the_answer_links_the_dailymed_label_by_its_set_id(kb, tki, set_id):
    result = check_medication_list(kb, [tki, "rifampin"])
    link = f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
    assert link in result.model_dump_json(), tki
