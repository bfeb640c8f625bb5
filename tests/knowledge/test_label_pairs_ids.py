"""Issue 12: label-derived (TKI, medicine, severity) pairs answer as the label text read says.

`LABEL_STATEMENTS` has one row per label statement a curator read (the label section and the page it was
read on are in the row): each must give that finding for a representative member drug of the class the
label names. `LABEL_STATEMENTS_NOT_ENCODED` are statements read whose grade the knowledge cannot give yet
(a dose number or the US wording not read): those pairs must say "not assessed", never look checked and
safe. The sweep below then checks every class rule of every label against every catalogue member of that
class, so a member missing from a class, or a precedence slip, shows up as a missed pair.
"""

from __future__ import annotations

import pytest

from service.config import get_settings
from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import WARNING_SEVERITIES, Severity
from service.knowledge.source import read_knowledge
from tests.knowledge.label_pairs import label_pair, pair_ids


VITRAKVI_HCP = "hcp.vitrakvi-us.com/dosing"
VITRAKVI_S7 = "m.laoslucius.com/larotrectinib/interactions (copy of US section 7, 'FDA, 2022.11')"
LORBRENA_PI = "pfizermedicalinformation.com/lorbrena/drug-interactions"
VENCLEXTA_HCP = "www.venclextahcp.com/cll/dosing/drug-interactions.html"
AUGTYRO_S7 = "m.laoslucius.com/repotrectinib/interactions (copy of US section 7, 'FDA, 2023.11')"
FRUZAQLA_HL = "fda.report/DailyMed/186d786e-dc8a-45f2-b5e1-01ac0201879f (copy of the DailyMed Highlights)"
VANFLYTA_BOX = "dsiaccesscentral.com/en/hcp/vanflyta (boxed warning, label holder's page)"
JAYPIRCA_MONO = "reference.medscape.com/drug/jaypirca-pirtobrutinib-4000314 (US monograph)"
IMBRUVICA_HCP = "www.imbruvicahcp.com/cgvhd/dosing/additional-dosing-information/"
TUKYSA_PI = "pfizermedicalinformation.com/tukysa/drug-interactions"
VIZIMPRO_PI = "www.pfizermedicalinformation.com/en-us/vizimpro/medguide"
VONJO_DM = "dailymed.nlm.nih.gov (VONJO Highlights, set ID 4b5ab444-0e1a-4984-99db-76ad11a298ee)"
# EU product information read where the US wording was not: the answer says the label wording was not read
XOSPATA_EU = "www.rxreasoner.com/substances/gilteritinib/precautions (EU product information)"
INREBIC_EU = "www.rxreasoner.com/substances/fedratinib/precautions (EU product information)"
VENCLYXTO_EU = "rxreasoner.com/substances/venetoclax/precautions (EU product information)"

# (TKI, medicine, expected severity, label section, read on)
LABEL_STATEMENTS = [
    # VITRAKVI: avoid strong CYP3A4 inhibitors (including grapefruit); if unavoidable halve the dose
    ("larotrectinib", "itraconazole", "avoid", "2", VITRAKVI_HCP),
    ("larotrectinib", "clarithromycin", "avoid", "2", VITRAKVI_HCP),
    ("larotrectinib", "grapefruit juice", "avoid", "7.1", VITRAKVI_S7),
    # avoid strong CYP3A4 inducers (St John's wort named); if unavoidable double the dose
    ("larotrectinib", "rifampin", "avoid", "2", VITRAKVI_HCP),
    ("larotrectinib", "St John's wort", "avoid", "7.1", VITRAKVI_S7),
    # moderate CYP3A4 inhibitors: monitor more often, reduce the dose by the severity of adverse reactions
    ("larotrectinib", "diltiazem", "monitor", "2", VITRAKVI_HCP),
    # sensitive CYP3A4 substrates: avoid; if unavoidable monitor for their adverse reactions
    ("larotrectinib", "tacrolimus", "avoid", "7.2", VITRAKVI_S7),
    # LORBRENA: contraindicated with strong CYP3A inducers (severe hepatotoxicity with rifampin)
    ("lorlatinib", "rifampin", "contraindicated", "4", LORBRENA_PI),
    ("lorlatinib", "carbamazepine", "contraindicated", "4", LORBRENA_PI),
    # moderate CYP3A inducers: avoid; if unavoidable increase the dose
    ("lorlatinib", "efavirenz", "avoid", "2.4", LORBRENA_PI),
    # strong CYP3A inhibitors and fluconazole: avoid; if unavoidable reduce the dose
    ("lorlatinib", "itraconazole", "avoid", "2.5", LORBRENA_PI),
    ("lorlatinib", "ritonavir", "avoid", "2.5", LORBRENA_PI),
    ("lorlatinib", "fluconazole", "avoid", "7.1", LORBRENA_PI),
    # VENCLEXTA: strong CYP3A inhibitors contraindicated at initiation and during the ramp-up
    ("venetoclax", "posaconazole", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "clarithromycin", "contraindicated", "4", VENCLEXTA_HCP),
    ("venetoclax", "ketoconazole", "contraindicated", "4", VENCLEXTA_HCP),
    # moderate CYP3A inhibitors and P-gp inhibitors: reduce the dose by at least 50%
    ("venetoclax", "ciprofloxacin", "adjust_dose", "2", VENCLEXTA_HCP),
    ("venetoclax", "fluconazole", "adjust_dose", "2", VENCLEXTA_HCP),
    ("venetoclax", "erythromycin", "adjust_dose", "2", VENCLEXTA_HCP),
    # avoid grapefruit products, Seville oranges and starfruit
    ("venetoclax", "grapefruit juice", "avoid", "7.1", VENCLEXTA_HCP),
    ("venetoclax", "Seville orange", "avoid", "7.1", VENCLEXTA_HCP),
    ("venetoclax", "starfruit", "avoid", "7.1", VENCLEXTA_HCP),
    # IMBRUVICA: avoid grapefruit and Seville oranges
    ("ibrutinib", "grapefruit", "avoid", "7.1", IMBRUVICA_HCP),
    ("ibrutinib", "Seville orange", "avoid", "7.1", IMBRUVICA_HCP),
    # AUGTYRO: avoid strong or moderate CYP3A inhibitors, P-gp inhibitors, strong or moderate CYP3A inducers
    ("repotrectinib", "itraconazole", "avoid", "7.1", AUGTYRO_S7),
    ("repotrectinib", "fluconazole", "avoid", "7.1", AUGTYRO_S7),
    ("repotrectinib", "verapamil", "avoid", "7.1", AUGTYRO_S7),
    ("repotrectinib", "rifampin", "avoid", "7.1", AUGTYRO_S7),
    ("repotrectinib", "efavirenz", "avoid", "7.1", AUGTYRO_S7),
    # ... and CYP3A substrates where minimal concentration changes can cause reduced efficacy
    ("repotrectinib", "tacrolimus", "avoid", "7.2", AUGTYRO_S7),
    # FRUZAQLA Highlights: strong or moderate CYP3A inducers, avoid concomitant use
    ("fruquintinib", "rifampin", "avoid", "7.1", FRUZAQLA_HL),
    ("fruquintinib", "efavirenz", "avoid", "7.1", FRUZAQLA_HL),
    # VANFLYTA boxed warning: monitor ECGs more frequently with drugs known to prolong the QT interval
    ("quizartinib", "moxifloxacin", "monitor", "5.1", VANFLYTA_BOX),
    ("quizartinib", "haloperidol", "monitor", "5.1", VANFLYTA_BOX),
    # ... and reduce the dose with strong CYP3A inhibitors (the reduced doses, section 2, not read: sent to the label)
    ("quizartinib", "posaconazole", "adjust_dose", "boxed warning", VANFLYTA_BOX),
    ("quizartinib", "itraconazole", "adjust_dose", "boxed warning", VANFLYTA_BOX),
    # JAYPIRCA: avoid strong CYP3A inhibitors; if unavoidable reduce the dose
    ("pirtobrutinib", "itraconazole", "avoid", "2", JAYPIRCA_MONO),
    # TUKYSA section 7: avoid strong CYP3A inducers and strong CYP2C8 inhibitors; avoid sensitive CYP3A
    # substrates with a narrow index; P-gp substrates with a narrow index: consider reducing their dose
    ("tucatinib", "rifampin", "avoid", "7.1", TUKYSA_PI),
    ("tucatinib", "gemfibrozil", "avoid", "7.1", TUKYSA_PI),
    ("tucatinib", "tacrolimus", "avoid", "7.2", TUKYSA_PI),
    ("tucatinib", "digoxin", "monitor", "7.2", TUKYSA_PI),
    # VIZIMPRO: avoid PPIs; take VIZIMPRO 6 hours before or 10 hours after an H2 blocker
    ("dacomitinib", "omeprazole", "avoid", "7.1", VIZIMPRO_PI),
    ("dacomitinib", "famotidine", "separate_in_time", "7.1", VIZIMPRO_PI),
    # VONJO Highlights: strong CYP3A4 inhibitors or inducers are contraindicated
    ("pacritinib", "clarithromycin", "contraindicated", "4", VONJO_DM),
    ("pacritinib", "rifampin", "contraindicated", "4", VONJO_DM),
    # strong CYP3A/P-gp inducers should be avoided (rifampicin: gilteritinib AUC -70%)
    ("gilteritinib", "rifampin", "avoid", "7", XOSPATA_EU),
    ("gilteritinib", "St John's wort", "avoid", "7", XOSPATA_EU),
    # strong or moderate CYP3A4 inducers should be avoided (rifampicin -80%, efavirenz -50%)
    ("fedratinib", "rifampin", "avoid", "7", INREBIC_EU),
    ("fedratinib", "efavirenz", "avoid", "7", INREBIC_EU),
    # strong or moderate CYP3A inducers should be avoided (rifampicin: venetoclax AUC -71%)
    ("venetoclax", "carbamazepine", "avoid", "7", VENCLYXTO_EU),
    ("venetoclax", "modafinil", "avoid", "7", VENCLYXTO_EU),
]

@pytest.mark.parametrize(("tki", "medicine", "severity", "section", "read_on"), LABEL_STATEMENTS, ids=pair_ids(LABEL_STATEMENTS))
def test_a_label_statement_gives_its_finding(kb, tki, medicine, severity, section, read_on):
    pair, warnings = label_pair(kb, tki, medicine)
    assert pair.status == "warning", (read_on, pair.detail)
    assert warnings[0].severity == severity, (read_on, [w.severity for w in warnings])
    # a statement read only in the EU text is never shown as the US label's wording
    if "EU product information" in read_on:
        assert not warnings[0].label_wording_read
    # the rule that answered cites the label section the statement is in
    label = kb.labels[tki]
    names = kb.class_names
    [rule] = [
        r
        for r in label.rules
        if r.severity.value == severity
        and (r.with_drug == warnings[0].interacting_drug or (r.with_class and names[r.with_class] == warnings[0].interacting_class))
    ][:1]
    assert section in rule.label_sections, (rule.label_sections, read_on)


# --- every label, every class rule, every catalogue member of the class --------------------------------

_SOURCE = read_knowledge(get_settings().knowledge_dir)
_MEMBERS = {
    cls.id: sorted(d.name for d in _SOURCE.drugs.drugs if cls.id in d.classes) for cls in _SOURCE.drugs.classes
}
CLASS_RULES = [
    (label.drug, rule.with_class, rule.formulation or "", rule.severity.value)
    for label in _SOURCE.labels
    for rule in label.rules
    if rule.with_class is not None and rule.severity in WARNING_SEVERITIES
]


@pytest.mark.parametrize(
    ("tki", "cls", "formulation", "severity"), CLASS_RULES, ids=[f"{t}-{c}-{f}" if f else f"{t}-{c}" for t, c, f, _ in CLASS_RULES]
)
def test_every_member_of_a_warned_class_gets_at_least_the_rules_grade(kb, tki, cls, formulation, severity):
    label = kb.labels[tki]
    own = {r.with_drug for r in label.rules if r.with_drug}  # a rule naming the drug decides first
    missed = []
    for member in _MEMBERS[cls]:
        if member in own or member == tki:
            continue
        pair, warnings = label_pair(kb, tki, member)
        if not warnings or SEVERITY_ORDER[Severity(warnings[0].severity)] > SEVERITY_ORDER[Severity(severity)]:
            missed.append((member, pair.status, [w.severity for w in warnings]))
    assert missed == []


def test_the_sweep_covers_the_strong_cyp3a_and_acid_reducer_rules_of_most_labels():
    labelled = {t for t, c, _, _ in CLASS_RULES if c in ("strong_cyp3a4_inhibitor", "strong_cyp3a4_inducer")}
    assert len(labelled) >= 40, sorted(labelled)
    assert {t for t, c, _, _ in CLASS_RULES if c == "proton_pump_inhibitor"} >= {"dasatinib", "erlotinib", "nilotinib"}


# --- class membership: the inhibitors and inducers the labels and the brief name -------------------------

STRONG_CYP3A_INHIBITORS = [
    "posaconazole", "voriconazole", "itraconazole", "ketoconazole", "clarithromycin", "telithromycin",
    "ritonavir", "cobicistat", "lopinavir/ritonavir", "Kaletra", "indinavir", "nelfinavir", "saquinavir",
    "nefazodone", "idelalisib", "tucatinib", "ceritinib",
]
STRONG_CYP3A_INDUCERS = ["rifampin", "rifapentine", "carbamazepine", "phenytoin", "enzalutamide", "apalutamide", "mitotane", "St John's wort"]


@pytest.mark.parametrize("medicine", STRONG_CYP3A_INHIBITORS)
def test_a_strong_cyp3a_inhibitor_is_read_into_its_class(kb, medicine):
    # lorlatinib's label avoids strong CYP3A inhibitors: a member missing from the class would be a missed pair
    pair, warnings = label_pair(kb, "lorlatinib", medicine)
    assert warnings and warnings[0].interacting_class == "strong CYP3A4 inhibitor", pair.detail


@pytest.mark.parametrize("medicine", STRONG_CYP3A_INDUCERS)
def test_a_strong_cyp3a_inducer_is_read_into_its_class(kb, medicine):
    pair, warnings = label_pair(kb, "lorlatinib", medicine)
    assert warnings and warnings[0].severity == "contraindicated", pair.detail


@pytest.mark.parametrize(("medicine", "cls"), [("methotrexate", "bcrp_substrate"), ("Trexall", "bcrp_substrate")])
def test_a_label_named_transporter_substrate_is_in_the_catalogue(kb, medicine, cls):
    # capmatinib's label raises BCRP substrates: methotrexate is one the product information names
    pair, warnings = label_pair(kb, "capmatinib", medicine)
    assert warnings and warnings[0].mechanism == "tki_inhibits_bcrp_substrate", pair.detail


@pytest.mark.parametrize("fruit", ["Seville orange", "starfruit"])
def test_a_fruit_no_catalogue_class_grades_is_not_assessed_for_a_label_silent_on_it(kb, fruit):
    # no CYP3A class for these: a TKI whose label does not name them cannot borrow a grade
    pair, warnings = label_pair(kb, "lorlatinib", fruit)
    assert pair.status == "not_assessed" and not warnings


# --- the label's number and washout reach the management text -------------------------------------------

# (TKI, medicine, words the label's statement gives, read on)
LABEL_NUMBERS = [
    ("larotrectinib", "itraconazole", ["50%", "3 to 5 elimination half-lives"], VITRAKVI_HCP),
    ("larotrectinib", "rifampin", ["double", "3 to 5 elimination half-lives"], VITRAKVI_HCP),
    ("lorlatinib", "rifampin", ["3 plasma half-lives"], LORBRENA_PI),
    ("venetoclax", "posaconazole", ["70 mg", "2 to 3 days"], VENCLEXTA_HCP),
    ("venetoclax", "fluconazole", ["at least 50%", "2 to 3 days"], VENCLEXTA_HCP),
    ("repotrectinib", "itraconazole", ["3 to 5"], AUGTYRO_S7),
    ("dacomitinib", "famotidine", ["6 hours", "10 hours"], VIZIMPRO_PI),
]


@pytest.mark.parametrize(("tki", "medicine", "words", "read_on"), LABEL_NUMBERS, ids=pair_ids(LABEL_NUMBERS))
def test_the_labels_dose_change_and_washout_are_in_the_management(kb, tki, medicine, words, read_on):
    _, warnings = label_pair(kb, tki, medicine)
    text = " ".join(filter(None, [warnings[0].management, warnings[0].dose_change]))
    assert all(word in text for word in words), (read_on, text)
