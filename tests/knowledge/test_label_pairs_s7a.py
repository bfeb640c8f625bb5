"""Issue 12, session 7 (BRAF/MEK and KRAS G12C labels): one row per label statement read, with the answer it must give.

Rows are (drug, a member of the class the statement names, the grade it must reach at least, where it was read).
Statements whose wording was not read on an accepted source give "not assessed", never silence and never "no label
guidance". None of the statements read for these labels says an effect is not clinically meaningful, so there are no
cleared rows here; the measure (scripts/label_pairs_measure.py) counts these rules as it counts every other.
"""

from __future__ import annotations

import pytest

from schemas.responses import InteractionCheckResponse, RecommendationResponse
from service.engine.interactions import SEVERITY_ORDER
from service.knowledge.records import DAILYMED_LABEL_URL, Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

TAFINLAR_7 = "m.laoslucius.com/dabrafenib/interactions (US section 7)"
TAFINLAR_SLC = "fda.gov MedWatch safety labeling change, TAFINLAR, December 2013 (Drug Interactions)"
ZELBORAF_SLC = "fda.gov MedWatch safety labeling change, ZELBORAF, May 2016 (Effect of Vemurafenib on CYP1A2 Substrates)"
ZELBORAF_2 = "m.laoslucius.com/vemurafenib/dosage (US section 2, from FDA 2020.12)"
ZELBORAF_QT = "drugs.com sorafenib-with-zelboraf professional monograph (ZELBORAF US PI)"
ZELBORAF_CH = "ch.oddb.org Swiss ZELBORAF information (interactions)"
COTELLIC_7 = "inpharmation.in COTELLIC November 2015 US label drug interactions; m.laoslucius.com/cobimetinib/dosage"
BRAFTOVI_2 = "120ty.net copy of the 2018 BRAFTOVI US label, section 2 (aid=55443 page 4)"
BRAFTOVI_QT = "drugs.com encorafenib-with-terfenadine professional monograph"
LUMAKRAS_7 = "m.laoslucius.com/sotorasib/interactions (US section 7)"
LUMAKRAS_BCRP = "drugs.com delafloxacin-with-sotorasib professional monograph (LUMAKRAS US PI 2021)"
KRAZATI_7 = "m.laoslucius.com/adagrasib/interactions (US section 7)"
KRAZATI_5 = "m.laoslucius.com/adagrasib/precautions (US section 5, QTc)"
AUGTYRO_7 = "m.laoslucius.com/repotrectinib/interactions (US section 7, from FDA 2023.11)"

# (drug, medicine, expected severity at least, where the statement was read)
WARNED_PAIRS = [
    # TAFINLAR 7.1: substitute strong CYP3A4 or CYP2C8 inhibitors and inducers; monitor if unavoidable
    ("dabrafenib", "ketoconazole", "avoid", TAFINLAR_7),
    ("dabrafenib", "nefazodone", "avoid", TAFINLAR_7),
    ("dabrafenib", "clarithromycin", "avoid", TAFINLAR_7),
    ("dabrafenib", "itraconazole", "avoid", TAFINLAR_7),
    ("dabrafenib", "gemfibrozil", "avoid", TAFINLAR_7),
    ("dabrafenib", "rifampin", "avoid", TAFINLAR_7),
    ("dabrafenib", "phenytoin", "avoid", TAFINLAR_7),
    ("dabrafenib", "carbamazepine", "avoid", TAFINLAR_7),
    ("dabrafenib", "phenobarbital", "avoid", TAFINLAR_7),  # a label example of the strong inducers
    ("dabrafenib", "st john's wort", "avoid", TAFINLAR_7),
    # TAFINLAR 7.2: dabrafenib induces CYP3A4 (midazolam AUC -74%) and CYP2C9; substitute substrates, INR with warfarin
    ("dabrafenib", "midazolam", "avoid", TAFINLAR_7),
    ("dabrafenib", "tacrolimus", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "cyclosporine", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "simvastatin", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "dexamethasone", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "ethinyl estradiol", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "levonorgestrel", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "medroxyprogesterone", "avoid", TAFINLAR_SLC),
    ("dabrafenib", "warfarin", "monitor", TAFINLAR_SLC),
    # ZELBORAF: strong CYP3A4 inducers (avoid; +240 mg if unavoidable), narrow-window CYP1A2 substrates, QT, warfarin
    ("vemurafenib", "rifampin", "avoid", ZELBORAF_2),
    ("vemurafenib", "carbamazepine", "avoid", ZELBORAF_2),
    ("vemurafenib", "tizanidine", "avoid", ZELBORAF_SLC),
    ("vemurafenib", "theophylline", "avoid", ZELBORAF_SLC),
    ("vemurafenib", "moxifloxacin", "avoid", ZELBORAF_QT),
    ("vemurafenib", "haloperidol", "avoid", ZELBORAF_QT),
    ("vemurafenib", "sotalol", "avoid", ZELBORAF_QT),
    ("vemurafenib", "warfarin", "monitor", ZELBORAF_CH),
    # COTELLIC: avoid strong or moderate CYP3A inhibitors (20 mg for short moderate use) and inducers
    ("cobimetinib", "itraconazole", "avoid", COTELLIC_7),
    ("cobimetinib", "clarithromycin", "avoid", COTELLIC_7),
    ("cobimetinib", "grapefruit juice", "avoid", COTELLIC_7),
    ("cobimetinib", "erythromycin", "avoid", COTELLIC_7),
    ("cobimetinib", "ciprofloxacin", "avoid", COTELLIC_7),
    ("cobimetinib", "diltiazem", "avoid", COTELLIC_7),
    ("cobimetinib", "fluconazole", "avoid", COTELLIC_7),
    ("cobimetinib", "rifampin", "avoid", COTELLIC_7),
    ("cobimetinib", "st john's wort", "avoid", COTELLIC_7),
    ("cobimetinib", "efavirenz", "avoid", COTELLIC_7),
    ("cobimetinib", "modafinil", "avoid", COTELLIC_7),
    # BRAFTOVI section 2: one-third of the dose with strong, one-half with moderate CYP3A4 inhibitors; QT drugs
    ("encorafenib", "ketoconazole", "adjust_dose", BRAFTOVI_2),
    ("encorafenib", "posaconazole", "adjust_dose", BRAFTOVI_2),
    ("encorafenib", "diltiazem", "adjust_dose", BRAFTOVI_2),
    ("encorafenib", "verapamil", "adjust_dose", BRAFTOVI_2),
    ("encorafenib", "moxifloxacin", "avoid", BRAFTOVI_QT),
    ("encorafenib", "amiodarone", "avoid", BRAFTOVI_QT),
    # LUMAKRAS 7.1: avoid PPIs, H2 blockers and antacids (antacid 4 h before / 10 h after if unavoidable), strong inducers
    ("sotorasib", "omeprazole", "avoid", LUMAKRAS_7),
    ("sotorasib", "pantoprazole", "avoid", LUMAKRAS_7),
    ("sotorasib", "esomeprazole", "avoid", LUMAKRAS_7),
    ("sotorasib", "famotidine", "avoid", LUMAKRAS_7),
    ("sotorasib", "calcium carbonate", "avoid", LUMAKRAS_7),
    ("sotorasib", "rifampin", "avoid", LUMAKRAS_7),
    ("sotorasib", "phenytoin", "avoid", LUMAKRAS_7),
    # LUMAKRAS 7.2: sotorasib induces CYP3A4, inhibits P-gp and BCRP
    ("sotorasib", "midazolam", "avoid", LUMAKRAS_7),
    ("sotorasib", "tacrolimus", "avoid", LUMAKRAS_7),
    ("sotorasib", "fentanyl", "avoid", LUMAKRAS_7),
    ("sotorasib", "digoxin", "avoid", LUMAKRAS_7),
    ("sotorasib", "dabigatran", "avoid", LUMAKRAS_7),
    ("sotorasib", "rosuvastatin", "avoid", LUMAKRAS_BCRP),
    ("sotorasib", "methotrexate", "avoid", LUMAKRAS_BCRP),
    # KRAZATI 7.1: strong inducers; strong inhibitors until steady state
    ("adagrasib", "rifampin", "avoid", KRAZATI_7),
    ("adagrasib", "enzalutamide", "avoid", KRAZATI_7),
    ("adagrasib", "itraconazole", "avoid", KRAZATI_7),
    ("adagrasib", "ritonavir", "avoid", KRAZATI_7),
    # KRAZATI 7.2: adagrasib inhibits CYP3A, CYP2C9, CYP2D6 and P-gp
    ("adagrasib", "midazolam", "avoid", KRAZATI_7),
    ("adagrasib", "simvastatin", "avoid", KRAZATI_7),
    ("adagrasib", "cyclosporine", "avoid", KRAZATI_7),
    ("adagrasib", "warfarin", "avoid", KRAZATI_7),
    ("adagrasib", "tolbutamide", "avoid", KRAZATI_7),
    ("adagrasib", "desipramine", "avoid", KRAZATI_7),
    ("adagrasib", "digoxin", "avoid", KRAZATI_7),
    # KRAZATI 5: avoid other drugs known to prolong the QTc interval
    ("adagrasib", "moxifloxacin", "avoid", KRAZATI_5),
    ("adagrasib", "haloperidol", "avoid", KRAZATI_5),
    ("adagrasib", "methadone", "avoid", KRAZATI_5),
    # AUGTYRO 7: avoid hormonal contraceptives (the catalogue now has the class)
    ("repotrectinib", "ethinyl estradiol", "avoid", AUGTYRO_7),
    ("repotrectinib", "etonogestrel", "avoid", AUGTYRO_7),
]

# (drug, medicine) whose statement was not read on an accepted source, or that the label text read does not grade:
# not assessed, with no warning
NOT_ASSESSED_PAIRS = [
    # MEKINIST and MEKTOVI: sections 7 and 12.3 not read
    *[(drug, medicine) for drug in ("trametinib", "binimetinib") for medicine in ("ketoconazole", "rifampin", "omeprazole", "famotidine")],
    # TAFINLAR: the gastric-pH sentence read gives no instruction; moderate CYP3A4 inhibitors and inducers not named
    ("dabrafenib", "omeprazole"),
    ("dabrafenib", "calcium carbonate"),
    ("dabrafenib", "diltiazem"),
    ("dabrafenib", "efavirenz"),
    # ZELBORAF: the CYP3A4-inhibitor, P-gp and CYP3A4-substrate statements were not read; caffeine is not narrow-window
    ("vemurafenib", "ketoconazole"),
    ("vemurafenib", "digoxin"),
    ("vemurafenib", "midazolam"),
    ("vemurafenib", "caffeine"),
    ("vemurafenib", "omeprazole"),
    # BRAFTOVI: inducers, CYP3A4 substrates and contraceptives (section 7.1/7.2) not read
    ("encorafenib", "rifampin"),
    ("encorafenib", "midazolam"),
    ("encorafenib", "ethinyl estradiol"),
    ("encorafenib", "omeprazole"),
    # COTELLIC: no acid-reducer statement read
    ("cobimetinib", "omeprazole"),
    # LUMAKRAS: section 7 as read has no inhibitor or moderate-inducer statement and names no statin or contraceptive
    ("sotorasib", "ketoconazole"),
    ("sotorasib", "efavirenz"),
    ("sotorasib", "ethinyl estradiol"),
    # KRAZATI: section 7 as read has no acid-reducer, moderate-inhibitor or moderate-inducer statement
    ("adagrasib", "omeprazole"),
    ("adagrasib", "diltiazem"),
    ("adagrasib", "efavirenz"),
    # a QT-prolonging medicine whose own QT labelling was not read, with a TKI whose label warns of QT
    ("adagrasib", "ondansetron"),
    ("vemurafenib", "levofloxacin"),
]


@pytest.mark.parametrize(("drug", "medicine", "severity", "read_on"), WARNED_PAIRS, ids=pair_ids(WARNED_PAIRS))
def test_a_label_statement_read_warns_with_its_grade(kb, drug, medicine, severity, read_on):
    pair, warnings = label_pair(kb, drug, medicine)
    assert pair.status == "warning", (read_on, pair.status, pair.detail)
    worst = min(SEVERITY_ORDER[Severity(w.severity)] for w in warnings)
    assert worst <= SEVERITY_ORDER[Severity(severity)], (read_on, [w.severity for w in warnings])


@pytest.mark.parametrize(("drug", "medicine"), NOT_ASSESSED_PAIRS, ids=pair_ids(NOT_ASSESSED_PAIRS))
def test_a_statement_not_read_says_not_assessed(kb, drug, medicine):
    pair, warnings = label_pair(kb, drug, medicine)
    assert pair.status == "not_assessed" and not warnings, (pair.status, pair.detail)


def test_every_warning_says_its_label_wording_was_not_read(kb):
    for drug, medicine, _, _ in WARNED_PAIRS:
        _, warnings = label_pair(kb, drug, medicine)
        assert all(w.label_wording_read is False and "not read" in w.verification.statement for w in warnings), (drug, medicine)


def test_sotorasib_acid_reducers_name_the_antacid_timing(kb):
    for medicine in ("omeprazole", "famotidine", "calcium carbonate"):
        _, [warning] = label_pair(kb, "sotorasib", medicine)
        assert warning.separation_hours == [4, 10], medicine
        assert warning.management.startswith("Avoid") and "4 hours before or 10 hours after" in warning.management


def test_dose_numbers_reach_the_answer(kb):
    _, [inducer] = label_pair(kb, "vemurafenib", "rifampin")
    assert "240 mg" in inducer.management and "240 mg" in (inducer.dose_change or "")
    _, [strong] = label_pair(kb, "encorafenib", "itraconazole")
    _, [moderate] = label_pair(kb, "encorafenib", "fluconazole")
    assert "one-third" in strong.management and "one-half" in moderate.management
    _, [cobimetinib] = label_pair(kb, "cobimetinib", "erythromycin")
    assert "20 mg" in cobimetinib.management and "14 days" in cobimetinib.management


def test_a_label_with_a_set_id_links_dailymed_and_one_without_gives_no_link(client):
    answer = InteractionCheckResponse.model_validate(
        client.post("/v1/interactions", json={"drugs": ["sotorasib", "adagrasib", "digoxin", "docetaxel", "ketoconazole"]}).json()
    )
    by_drug = {w.drug: w for w in answer.interaction_warnings}
    sotorasib = answer.citations[by_drug["sotorasib"].evidence[0]]
    assert sotorasib.url == DAILYMED_LABEL_URL.format(set_id="c80a362c-7ac3-4894-a076-0691e68ef8c1")
    # KRAZATI's set ID comes from the DailyMed link of NCI's drug page (session 11)
    adagrasib = answer.citations[by_drug["adagrasib"].evidence[0]]
    assert adagrasib.url == DAILYMED_LABEL_URL.format(set_id="0b8bf078-34c2-4f45-9012-38a8ac082b01")
    docetaxel = answer.citations[by_drug["docetaxel"].evidence[0]]
    assert docetaxel.url is None and "No DailyMed set ID" in by_drug["docetaxel"].verification.statement


@pytest.mark.parametrize(
    ("drugs", "expected"),
    [
        (
            ["dabrafenib", "trametinib", "omeprazole", "warfarin", "ethinyl estradiol", "clarithromycin"],
            {("dabrafenib", "warfarin"): "monitor", ("dabrafenib", "ethinyl estradiol"): "avoid", ("dabrafenib", "clarithromycin"): "avoid"},
        ),
        (
            ["encorafenib", "binimetinib", "itraconazole", "moxifloxacin", "pantoprazole"],
            {("encorafenib", "itraconazole"): "adjust_dose", ("encorafenib", "moxifloxacin"): "avoid"},
        ),
        (
            ["vemurafenib", "cobimetinib", "carbamazepine", "tizanidine", "famotidine"],
            {("vemurafenib", "carbamazepine"): "avoid", ("vemurafenib", "tizanidine"): "avoid", ("cobimetinib", "carbamazepine"): "avoid"},
        ),
    ],
    ids=["dabrafenib-trametinib", "encorafenib-binimetinib", "vemurafenib-cobimetinib"],
)
def test_a_combination_with_a_medication_list_warns_once_per_pair_graded(client, drugs, expected):
    answer = InteractionCheckResponse.model_validate(client.post("/v1/interactions", json={"drugs": drugs}).json())
    warned = {(w.drug, w.interacting_drug): w.severity for w in answer.interaction_warnings if w.mechanism != "duplicate_tki"}
    assert warned == expected
    ids = [w.id for w in answer.interaction_warnings]
    assert len(ids) == len(set(ids))
    # the MEK inhibitor of each pair has a label record: each of its pairs warns or says it was not assessed, none is silent
    mek_pairs = [p for p in answer.interaction_pairs if p.drug == drugs[1]]
    assert len(mek_pairs) == len(drugs) - 1
    assert {p.status for p in mek_pairs} <= {"warning", "not_assessed"}
    assert all(p.source for p in mek_pairs if p.interacting_drug != drugs[0]), "a pair without the label it rests on"


def test_a_melanoma_recommendation_gives_each_warning_once_and_options_refer_to_them(client):
    profile = {
        "cancer_type": "cutaneous melanoma",
        "stage": "metastatic",
        "mutations": ["BRAF V600E"],
        "prior_therapies": [],
        "current_medications": ["omeprazole 20 mg", "warfarin", "carbamazepine", "moxifloxacin"],
    }
    response = client.post("/v1/recommendations", json=profile)
    answer = RecommendationResponse.model_validate_json(response.text)
    given = {w.id for w in answer.interaction_warnings}
    assert len(given) == len(answer.interaction_warnings)
    assert response.text.count('"management":') == len(answer.interaction_warnings)
    options = {o.id: o for o in answer.options}
    assert set(options["dabrafenib-trametinib-melanoma"].interactions) == {"interaction:dabrafenib+carbamazepine", "interaction:dabrafenib+warfarin"}
    assert "interaction:encorafenib+moxifloxacin" in options["encorafenib-binimetinib-melanoma"].interactions
    assert "interaction:vemurafenib+carbamazepine" in options["vemurafenib-cobimetinib-melanoma"].interactions
    dabrafenib = next(w for w in answer.interaction_warnings if w.id == "interaction:dabrafenib+carbamazepine")
    cited = answer.citations[dabrafenib.evidence[0]]
    assert cited.url == DAILYMED_LABEL_URL.format(set_id="fee1e6b1-e1a5-4254-9f2e-a70e0f8dbdea")
