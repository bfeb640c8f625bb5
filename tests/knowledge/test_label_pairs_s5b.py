"""Issue 12, fifth pass (established TKIs): one row per label statement read this session, with the grade the
engine must give a medicine the statement names (or a member of the class it names).

Rows say where the statement was read. Only the label holder's US pages count as the label's own wording
(VENCLEXTA); the others are copies of the US label or non-US product information, and their answers say the
label wording was not read. "Cleared" rows are statements that the effect is not clinically meaningful: no
warning may be shown for them.
"""

from __future__ import annotations

import pytest

from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

VENCLEXTA_HCP = "www.venclextahcp.com/cll/dosing/drug-interactions.html (label holder's US page, CYP3A and P-gp table)"
BOSULIF_US_COPY = "120ty.net aid=1547 page 2 (copy of the US BOSULIF label, section 2)"
BOSULIF_CA = "www.pfizermedicalinformation.ca/en-ca/bosulif/drug-interactions (Canadian product monograph)"
XALKORI_ZA = "www.pfizerpro.co.za/medicine/xalkori/interactions (South African product information)"
XALKORI_CA = "www.pfizermedicalinformation.ca/en-ca/xalkori/drug-interactions (Canadian product monograph)"
INLYTA_US_COPY = "120ty.net aid=1844 page 8 (copy of the US INLYTA label, section 7.1)"
TAGRISSO_US_COPY = "120ty.net aid=39169 page 3 (copy of the 11/2015 US TAGRISSO label, section 5.2)"
CALQUENCE_OPENFDA = "api.fda.gov label records: capsules (set ID dd4835ef-...) and tablets, both revised 2/2026"
CTS_2022 = "Clin Transl Sci 2022 table of strong CYP3A inducers (drugs.yaml strong_cyp3a4_inducer)"

# (TKI, medicine, expected severity, label section, read on)
LABEL_STATEMENTS = [
    # VENCLEXTA: strong CYP3A inhibitors contraindicated at initiation and ramp-up; the label's own examples
    ("venetoclax", "posaconazole", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "clarithromycin", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "conivaptan", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "indinavir", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "itraconazole", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "ketoconazole", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "lopinavir/ritonavir", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "ritonavir", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "voriconazole", "contraindicated", "4", VENCLEXTA_HCP),
    # moderate CYP3A inhibitors and P-gp inhibitors: reduce the dose by at least 50%
    ("venetoclax", "aprepitant", "adjust_dose", "2.4", VENCLEXTA_HCP),
    ("venetoclax", "ciprofloxacin", "adjust_dose", "2.4", VENCLEXTA_HCP),
    ("venetoclax", "cyclosporine", "adjust_dose", "2.4", VENCLEXTA_HCP),
    ("venetoclax", "verapamil", "adjust_dose", "2.4", VENCLEXTA_HCP),
    # grapefruit products, Seville oranges and starfruit: avoid
    ("venetoclax", "grapefruit juice", "avoid", "7.1", VENCLEXTA_HCP),
    ("venetoclax", "Seville orange", "avoid", "7.1", VENCLEXTA_HCP),
    ("venetoclax", "starfruit", "avoid", "7.1", VENCLEXTA_HCP),
    # BOSULIF: avoid strong and moderate CYP3A inducers, with the label's examples of each
    ("bosutinib", "rifampin", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "phenobarbital", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "rifabutin", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "St John's wort", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "bosentan", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "nafcillin", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "modafinil", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "etravirine", "avoid", "2", BOSULIF_US_COPY),
    # avoid strong and moderate CYP3A inhibitors (the moderate examples read in the US copy)
    ("bosutinib", "atazanavir", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "fosamprenavir", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "crizotinib", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "imatinib", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "ciprofloxacin", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "grapefruit juice", "avoid", "2", BOSULIF_US_COPY),
    ("bosutinib", "boceprevir", "avoid", "7.1", BOSULIF_CA),
    ("bosutinib", "conivaptan", "avoid", "7.1", BOSULIF_CA),
    ("bosutinib", "darunavir", "avoid", "7.1", BOSULIF_CA),
    # the Canadian monograph names CYP3A-inhibiting fruits with grapefruit; the US text read names grapefruit only
    ("bosutinib", "starfruit", "avoid", "7.1", BOSULIF_CA),
    ("bosutinib", "Seville orange", "avoid", "7.1", BOSULIF_CA),
    # XALKORI: strong CYP3A inducers (rifampin AUC -84%) and inhibitors avoided, atazanavir named among the latter
    ("crizotinib", "rifampin", "avoid", "7.2", XALKORI_CA),
    ("crizotinib", "rifabutin", "avoid", "7.2", XALKORI_CA),
    ("crizotinib", "atazanavir", "avoid", "7.1", XALKORI_ZA),
    # INLYTA: avoid strong CYP3A4/5 inhibitors and grapefruit; reduce the dose if one must be given
    ("axitinib", "ketoconazole", "avoid", "7.1", INLYTA_US_COPY),
    ("axitinib", "grapefruit juice", "avoid", "7.1", INLYTA_US_COPY),
    # TAGRISSO 5.2: periodic ECG and electrolyte monitoring with medicines known to prolong the QTc interval
    ("osimertinib", "clarithromycin", "monitor", "5.2", TAGRISSO_US_COPY),
    ("osimertinib", "moxifloxacin", "monitor", "5.2", TAGRISSO_US_COPY),
    # CALQUENCE capsules stay in a current US label (revised 2/2026): the capsule answer for capsules
    ("acalabrutinib capsules", "omeprazole", "avoid", "7", CALQUENCE_OPENFDA),
    # lumacaftor, a strong CYP3A inducer in the table read, now reaches every strong-inducer rule
    ("lorlatinib", "lumacaftor", "contraindicated", "4", CTS_2022),
    ("imatinib", "lumacaftor", "avoid", "7.1", CTS_2022),
    ("bosutinib", "lumacaftor", "avoid", "2", CTS_2022),
]

# (TKI, medicine, label section, read on): the label calls the effect not clinically meaningful
CLEARED_STATEMENTS = [
    # XALKORI: esomeprazole lowered crizotinib AUC by about 10%: no starting-dose change with PPIs, H2 blockers, antacids
    ("crizotinib", "esomeprazole", "12.3", XALKORI_ZA),
    ("crizotinib", "famotidine", "12.3", XALKORI_CA),
    ("crizotinib", "calcium carbonate", "12.3", XALKORI_CA),
    # CALQUENCE tablets: no adjustment with gastric-acid-reducing agents
    ("acalabrutinib tablets", "omeprazole", "12.3", CALQUENCE_OPENFDA),
    # TAGRISSO: itraconazole raised osimertinib AUC by 24%: no dose change (not a QT drug, so nothing else warns)
    ("osimertinib", "itraconazole", "12.3", TAGRISSO_US_COPY),
]


@pytest.mark.parametrize(("tki", "medicine", "severity", "section", "read_on"), LABEL_STATEMENTS, ids=pair_ids(LABEL_STATEMENTS))
def test_a_label_statement_read_gives_its_grade(kb, tki, medicine, severity, section, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "warning", (read_on, section, pair.status, pair.detail)
    assert warnings[0].severity == severity, (read_on, section, [w.severity for w in warnings])


@pytest.mark.parametrize(("tki", "medicine", "section", "read_on"), CLEARED_STATEMENTS, ids=pair_ids(CLEARED_STATEMENTS))
def test_a_pair_the_label_calls_not_meaningful_shows_no_warning(kb, tki, medicine, section, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "not_meaningful" and not warnings, (read_on, pair.status, [w.severity for w in warnings])


def test_the_venclexta_rows_rest_on_the_label_holders_wording(kb):
    # the label holder's US page is the label's own wording: those answers must not say "wording not read"
    _, warnings = label_pair(kb, "venetoclax", "clarithromycin")
    assert warnings[0].label_wording_read is True


def test_a_qt_warning_beside_a_cleared_cyp3a_class_is_kept_and_names_its_mechanism(kb):
    # osimertinib + clarithromycin: the strong-CYP3A clearance does not silence the label's separate QT instruction
    _, warnings = label_pair(kb, "osimertinib", "clarithromycin")
    assert [w.mechanism for w in warnings] == ["qt_prolongation"]
    assert SEVERITY_ORDER[Severity(warnings[0].severity)] == SEVERITY_ORDER[Severity.MONITOR]
