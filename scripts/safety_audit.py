"""Unsafe-answer audit (issue 10): realistic cases across every covered cancer type, each crossed with the
contraindications a clinician checks, sent through the engine; prints every option offered that a check flags.

The checks below are the auditor's list of what to look at (drug or class x patient finding), not sourced
knowledge: a flagged option is reviewed against its label or trial and fixed in knowledge/ with a source.
Run: PYTHONPATH=. .venv/bin/python scripts/safety_audit.py [--all]
Session 5 added two settings (melanoma, Waldenstrom) and six findings (recent MI, surgery 2 weeks ago, active bleeding,
a fistula, controlled hypertension, ECOG 2), and judgements for the anti-VEGF labels' warnings and pregnancy.
Session 6 added four settings (colorectal first line, HER2-positive gastric first line, CML after imatinib, GIST third line)
and eight findings (creatinine clearance 40 mL/min, a measured QTc of 470 ms, Child-Pugh B, DPD deficiency, partial DPD
deficiency, hypokalaemia, a history of pneumonitis, UGT1A1 poor metaboliser), with judgements for the renal, hepatic, QT, DPD and lung rules.
Session 7 added four settings (B-ALL without its Ph status, GIST after imatinib with both secondary KIT groups, melanoma
BRAF V600E after immunotherapy, TGCT), two findings (radiation pneumonitis now, a measured QTc of 510 ms), judgements for
checkpoint inhibitors with ILD or pneumonitis, vemurafenib's QTc bound, ensartinib and pexidartinib, and a walk of every
option's notes, caveats and cautions against its own patient (`note_contradictions`), over these cases and, with
--goldens, over every golden profile.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from schemas.requests import PatientProfileInput
from service.engine.normalise import normalise_profile
from service.engine.recommend import recommend_for
from tests.support import curated_knowledge

# base cases: one realistic profile per covered setting
BASES: dict[str, dict] = {
    "nsclc-egfr-1l": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR L858R"], "prior_therapies": []},
    "nsclc-egfr-t790m": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR T790M", "EGFR exon 19 deletion"], "prior_therapies": [{"drugs": ["erlotinib"], "outcome": "progression"}]},
    "nsclc-egfr-after-osi": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR exon 19 deletion"], "prior_therapies": [{"drugs": ["osimertinib"], "outcome": "progression"}]},
    "nsclc-alk-1l": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EML4::ALK fusion"], "prior_therapies": []},
    "nsclc-ros1-1l": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["CD74::ROS1 fusion"], "prior_therapies": []},
    "nsclc-ret": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["KIF5B::RET fusion"], "prior_therapies": []},
    "nsclc-met14": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["MET exon 14 skipping"], "prior_therapies": []},
    "nsclc-her2": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["ERBB2 exon 20 insertion"], "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]},
    "nsclc-kras-g12c": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["KRAS G12C"], "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]},
    "nsclc-driver-neg": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR not detected", "ALK not detected", "ROS1 not detected"], "pd_l1": {"tps": 80}, "prior_therapies": []},
    "nsclc-egfr-2l-chemo": {"cancer_type": "LUAD", "stage": "IV", "mutations": ["EGFR not detected", "ALK not detected"], "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]},
    "cml-1l": {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": []},
    "cml-t315i": {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR::ABL1 T315I"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]},
    "ph-all": {"cancer_type": "Ph+ ALL", "stage": "newly diagnosed", "prior_therapies": []},
    "rcc-1l": {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": []},
    "rcc-2l": {"cancer_type": "CCRCC", "stage": "IV", "prior_therapies": [{"drugs": ["pembrolizumab", "axitinib"], "outcome": "progression"}]},
    "crc-refractory": {"cancer_type": "COADREAD", "stage": "IV", "mutations": ["KRAS G12D"], "prior_therapies": [{"drugs": ["FOLFOX", "bevacizumab"], "outcome": "progression"}, {"drugs": ["FOLFIRI"], "outcome": "progression"}]},
    "crc-msi": {"cancer_type": "COADREAD", "stage": "IV", "biomarkers": ["MSI-H"], "prior_therapies": []},
    "hcc-1l": {"cancer_type": "HCC", "stage": "BCLC C", "biomarkers": ["Child-Pugh A"], "prior_therapies": []},
    "hcc-2l": {"cancer_type": "HCC", "stage": "BCLC C", "biomarkers": ["Child-Pugh A"], "prior_therapies": [{"drugs": ["sorafenib"], "outcome": "progression"}]},
    "urothelial-1l": {"cancer_type": "BLCA", "stage": "IV", "prior_therapies": []},
    "urothelial-fgfr3": {"cancer_type": "BLCA", "stage": "IV", "mutations": ["FGFR3 S249C"], "prior_therapies": [{"drugs": ["enfortumab vedotin", "pembrolizumab"], "outcome": "progression"}]},
    "gist-1l": {"cancer_type": "GIST", "stage": "metastatic", "mutations": ["KIT exon 11 deletion"], "prior_therapies": []},
    "gist-2l": {"cancer_type": "GIST", "stage": "metastatic", "mutations": ["KIT exon 11 deletion"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]},
    "mf": {"cancer_type": "PMF", "biomarkers": ["DIPSS intermediate-2"], "blood_counts": {"platelets": 150, "haemoglobin": 11}, "prior_therapies": []},
    "aml-flt3": {"cancer_type": "AML", "stage": "newly diagnosed", "mutations": ["FLT3-ITD"], "prior_therapies": []},
    "mcl-relapsed": {"cancer_type": "MCL", "stage": "relapsed", "prior_therapies": [{"drugs": ["bendamustine", "rituximab"], "outcome": "progression"}]},
    "cll-1l": {"cancer_type": "CLLSLL", "prior_therapies": []},
    "ucec-after-platinum": {"cancer_type": "UCEC", "stage": "IV", "biomarkers": ["pMMR"], "prior_therapies": [{"drugs": ["carboplatin", "paclitaxel"], "outcome": "progression"}]},
    "ucec-1l": {"cancer_type": "UCEC", "stage": "IV", "prior_therapies": []},
    "thyroid-mtc": {"cancer_type": "THME", "stage": "IV", "mutations": ["RET M918T"], "prior_therapies": []},
    "thyroid-dtc": {"cancer_type": "WDTC", "stage": "IV", "biomarkers": [], "prior_therapies": []},
    "breast-her2": {"cancer_type": "breast cancer, HER2-positive", "stage": "IV", "prior_therapies": [{"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "outcome": "progression"}, {"drugs": ["ado-trastuzumab emtansine"], "outcome": "progression"}]},
    "biliary-fgfr2": {"cancer_type": "IHCH", "stage": "IV", "mutations": ["FGFR2 fusion"], "prior_therapies": [{"drugs": ["gemcitabine", "cisplatin", "durvalumab"], "outcome": "progression"}]},
    "biliary-1l": {"cancer_type": "BILIARY_TRACT", "stage": "IV", "prior_therapies": []},
    "gastric-2l": {"cancer_type": "STAD", "stage": "IV", "prior_therapies": [{"drugs": ["FOLFOX"], "outcome": "progression"}]},
    "pnet": {"cancer_type": "PANET", "stage": "IV", "prior_therapies": []},
    "sarcoma-2l": {"cancer_type": "LMS", "stage": "IV", "prior_therapies": [{"drugs": ["doxorubicin"], "outcome": "progression"}]},
    # session 5: the remaining covered types
    "melanoma-braf": {"cancer_type": "MEL", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": []},
    "waldenstrom": {"cancer_type": "WM", "stage": "symptomatic", "prior_therapies": []},
    # session 6: fluoropyrimidine and second-line CML/third-line GIST settings
    "crc-1l": {"cancer_type": "COADREAD", "stage": "IV", "prior_therapies": []},
    "gastric-her2-1l": {"cancer_type": "STAD", "stage": "IV", "biomarkers": ["HER2-positive"], "prior_therapies": []},
    "cml-2l": {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "resistance"}]},
    "gist-3l": {"cancer_type": "GIST", "stage": "metastatic", "mutations": ["KIT exon 11 deletion"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}, {"drugs": ["sunitinib"], "outcome": "progression"}]},
    # session 7: a type broader than the subtype an alteration defines, both secondary KIT groups, vemurafenib, TGCT
    "b-all-ph-not-given": {"cancer_type": "B-ALL", "stage": "newly diagnosed", "prior_therapies": []},
    "gist-2l-both-secondary": {"cancer_type": "GIST", "stage": "metastatic", "mutations": ["KIT exon 11 deletion", "KIT V654A", "KIT D816H"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]},
    "melanoma-braf-after-ici": {"cancer_type": "MEL", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": [{"drugs": ["nivolumab", "ipilimumab"], "outcome": "progression"}]},
    "tgct": {"cancer_type": "TGCT", "stage": "symptomatic", "prior_therapies": []},
}
# settings a covered answer must not leave empty (issue 10: never nothing without a reason)
MUST_ANSWER = {"gist-2l-both-secondary"}

# contraindications: (name, profile additions)
VARIANTS: dict[str, dict] = {
    "baseline": {},
    "active-autoimmune": {"conditions": ["active rheumatoid arthritis"]},
    "kidney-transplant": {"conditions": ["kidney transplant recipient"]},
    "prior-severe-irae": {"conditions": ["history of grade 3 immune-related adverse event"]},
    "current-ild": {"conditions": ["interstitial lung disease"]},
    "congenital-long-qt": {"conditions": ["congenital long QT syndrome"]},
    "qtc-520-measured": {"organ_function": {"qtc_ms": 520}},
    "child-pugh-c": {"conditions": ["cirrhosis Child-Pugh C"]},
    "crcl-20": {"organ_function": {"creatinine_clearance_ml_min": 20}},
    "pregnant": {"conditions": ["pregnant"]},
    "ecog-4": {"ecog": 4},
    "brain-mets-active": {"brain_metastases": "active"},
    "haemoptysis": {"conditions": ["recent haemoptysis"]},
    "uncontrolled-hypertension": {"conditions": ["uncontrolled hypertension"]},
    "recent-stroke": {"conditions": ["stroke 2 months ago"]},
    "gi-perforation": {"conditions": ["history of GI perforation"]},
    "partial-input": {"mutations_extra": ["XYZ999 weird"]},
    # session 5: the conditions the anti-VEGF labels name, and a performance status the trials rarely enrolled
    "recent-mi": {"conditions": ["myocardial infarction 3 months ago"]},
    "recent-surgery": {"conditions": ["major surgery 2 weeks ago"]},
    "active-bleeding": {"conditions": ["active bleeding"]},
    "fistula": {"conditions": ["enterocutaneous fistula"]},
    "controlled-hypertension": {"conditions": ["controlled hypertension"]},
    "ecog-2": {"ecog": 2},
    # session 6: organ function bands, a QTc above the labels' 450 ms start bound, DPD deficiency, electrolytes, lung history
    "crcl-40": {"organ_function": {"creatinine_clearance_ml_min": 40}},
    "qtc-470-measured": {"organ_function": {"qtc_ms": 470}},
    "child-pugh-b": {"biomarkers": ["Child-Pugh B"]},
    "dpd-deficiency": {"conditions": ["DPD deficiency"]},
    "partial-dpd-deficiency": {"conditions": ["DPYD heterozygous"]},
    "hypokalaemia": {"conditions": ["hypokalaemia"]},
    "history-of-pneumonitis": {"conditions": ["history of pneumonitis"]},
    "ugt1a1-poor-metaboliser": {"conditions": ["UGT1A1*28 homozygous"]},
    # session 7: pneumonitis now (after radiotherapy), and a QTc just above vemurafenib's 500 ms bound
    "radiation-pneumonitis": {"conditions": ["radiation pneumonitis"]},
    "qtc-510-measured": {"organ_function": {"qtc_ms": 510}},
}

ICI = {"immune_checkpoint_inhibitor", "pd1_pdl1_inhibitor"}
ANTI_VEGF = {"bevacizumab", "ramucirumab"}
# auditor's checks: variant -> predicate(option drugs, classes) -> why it needs review
CHECKS = {
    "active-autoimmune": lambda d, c: "ICI with active autoimmune disease" if c & ICI else None,
    "kidney-transplant": lambda d, c: "ICI after solid-organ transplant" if c & ICI else None,
    "current-ild": lambda d, c: next((f"{x} with current ILD" for x in d if x in {"fam-trastuzumab deruxtecan", "amivantamab", "everolimus", "osimertinib", "crizotinib", "capmatinib", "tepotinib", "brigatinib", "erlotinib", "gefitinib", "afatinib", "dacomitinib", "alectinib", "lorlatinib", "lazertinib", "zongertinib", "sevabertinib", "sunvozertinib", "taletrectinib", "repotrectinib", "selpercatinib", "pralsetinib", "ensartinib"} or c & ICI), None),
    "congenital-long-qt": lambda d, c: next((f"{x} with congenital long QT" for x in d if x in {"nilotinib", "vandetanib", "osimertinib", "crizotinib", "lapatinib", "ceritinib", "entrectinib", "dasatinib", "bosutinib", "lenvatinib", "sunitinib", "pazopanib", "sorafenib", "vemurafenib", "selpercatinib", "pralsetinib", "gilteritinib", "quizartinib", "midostaurin", "ivosidenib", "ribociclib", "taletrectinib", "encorafenib", "adagrasib", "capmatinib", "tepotinib", "fedratinib", "pacritinib", "lorlatinib", "brigatinib", "ensartinib", "asciminib", "ponatinib", "imatinib", "vandetanib", "cabozantinib", "tucatinib", "neratinib", "regorafenib", "ripretinib", "avapritinib", "sunvozertinib", "lazertinib", "zongertinib", "repotrectinib", "sotorasib", "trametinib", "dabrafenib"}), None),
    "qtc-520-measured": lambda d, c: next((f"{x} with QTc 520 ms" for x in d if x in {"nilotinib", "vandetanib", "osimertinib", "crizotinib", "lapatinib", "ceritinib", "entrectinib", "dasatinib", "lenvatinib", "sunitinib", "pazopanib", "sorafenib", "selpercatinib", "pralsetinib", "gilteritinib", "quizartinib", "midostaurin", "taletrectinib", "encorafenib", "adagrasib", "ponatinib", "pacritinib", "ribociclib"}), None),
    "child-pugh-c": lambda d, c: next((f"{x} with Child-Pugh C" for x in d if x in {"pazopanib", "regorafenib", "cabozantinib", "lenvatinib", "sorafenib", "lapatinib", "neratinib", "tucatinib", "capecitabine", "erlotinib", "gefitinib", "osimertinib", "crizotinib", "alectinib", "brigatinib", "lorlatinib", "ceritinib", "ponatinib", "nilotinib", "dasatinib", "bosutinib", "imatinib", "ibrutinib", "acalabrutinib", "zanubrutinib", "venetoclax", "ruxolitinib", "fedratinib", "pacritinib", "momelotinib", "axitinib", "sunitinib", "vandetanib", "selpercatinib", "pralsetinib", "erdafitinib", "pemigatinib", "futibatinib", "fruquintinib", "trifluridine-tipiracil", "docetaxel", "paclitaxel", "trabectedin", "eribulin", "doxorubicin", "midostaurin", "gilteritinib", "avapritinib", "ripretinib", "everolimus", "tivozanib", "capmatinib", "tepotinib", "entrectinib", "larotrectinib", "repotrectinib", "dacomitinib", "afatinib", "asciminib", "irinotecan", "adagrasib", "sotorasib"}), None),
    "crcl-20": lambda d, c: next((f"{x} with CrCl 20 mL/min" for x in d if x in {"pemetrexed", "cisplatin", "capecitabine", "trifluridine-tipiracil", "bosutinib", "carboplatin", "ruxolitinib", "fedratinib", "pemigatinib", "pralsetinib", "venetoclax", "lenvatinib", "axitinib", "dabrafenib", "imatinib", "gemcitabine", "avapritinib", "ripretinib", "momelotinib", "erdafitinib", "sotorasib"}), None),
    "pregnant": lambda d, c: "systemic anticancer therapy in pregnancy" if d else None,
    "haemoptysis": lambda d, c: next((f"{x} with haemoptysis" for x in d if x in ANTI_VEGF), None),
    "uncontrolled-hypertension": lambda d, c: next((f"{x} with uncontrolled hypertension" for x in d if x in ANTI_VEGF | {"axitinib", "cabozantinib", "lenvatinib", "sunitinib", "pazopanib", "sorafenib", "regorafenib", "tivozanib", "fruquintinib", "vandetanib", "ponatinib", "anlotinib"}), None),
    "recent-stroke": lambda d, c: next((f"{x} with recent arterial thromboembolism" for x in d if x in ANTI_VEGF | {"ponatinib", "cabozantinib", "lenvatinib", "nilotinib", "sunitinib", "sorafenib", "pazopanib", "axitinib", "regorafenib", "tivozanib", "fruquintinib"}), None),
    "gi-perforation": lambda d, c: next((f"{x} with GI perforation history" for x in d if x in ANTI_VEGF | {"cabozantinib", "lenvatinib", "regorafenib", "fruquintinib", "axitinib", "pazopanib", "sunitinib", "sorafenib", "tivozanib"}), None),
    "recent-mi": lambda d, c: next((f"{x} with a recent myocardial infarction" for x in d if x in ANTI_VEGF | {"ponatinib", "cabozantinib", "lenvatinib", "nilotinib", "sunitinib", "sorafenib", "pazopanib", "axitinib", "regorafenib", "tivozanib", "fruquintinib"}), None),
    "recent-surgery": lambda d, c: next((f"{x} 2 weeks after major surgery" for x in d if x in ANTI_VEGF | {"cabozantinib", "lenvatinib", "regorafenib", "fruquintinib", "axitinib", "pazopanib", "sunitinib", "sorafenib", "tivozanib"}), None),
    "active-bleeding": lambda d, c: next((f"{x} with active bleeding" for x in d if x in ANTI_VEGF | {"cabozantinib", "pazopanib", "lenvatinib", "regorafenib", "axitinib", "ibrutinib", "acalabrutinib", "zanubrutinib"}), None),
    "fistula": lambda d, c: next((f"{x} with a fistula" for x in d if x in ANTI_VEGF | {"cabozantinib", "lenvatinib", "regorafenib", "fruquintinib", "axitinib", "pazopanib"}), None),
}


QT_RULE_DRUGS={"nilotinib","vandetanib","osimertinib","crizotinib","sunitinib","ceritinib","dasatinib","entrectinib","lapatinib","lenvatinib","sorafenib","pazopanib","taletrectinib","gilteritinib","ivosidenib","midostaurin","encorafenib"}
# session 6: the drugs whose labels (or trials) read say not to start them in the finding
QTC_ABOVE_450_EXCLUDED={"vandetanib","quizartinib","adagrasib"}
LONG_QT_EXCLUDED={"nilotinib","vandetanib","crizotinib","sorafenib","quizartinib","adagrasib"}
ELECTROLYTE_EXCLUDED={"nilotinib","vandetanib","quizartinib"}
ILD_RULE_DRUGS={"fam-trastuzumab deruxtecan","everolimus","osimertinib","crizotinib","capmatinib","tepotinib","brigatinib","erlotinib","gefitinib","afatinib","dacomitinib","alectinib","lorlatinib","sunvozertinib","taletrectinib","pralsetinib","selpercatinib","repotrectinib","zongertinib"}
FLUOROPYRIMIDINES={"capecitabine","fluorouracil"}
def judged(v: str, o, bname: str) -> str | None:  # type: ignore[no-untyped-def]
    """The auditor's judgement: an option the case rules out (see the report for the sources behind each)."""
    d=set(o.drugs)
    if v=="congenital-long-qt" and "nilotinib" in d: return "nilotinib in long QT syndrome (label: do not administer)"
    if v=="qtc-520-measured" and d & QT_RULE_DRUGS and not o.cautions: return "QT-warned TKI with QTc 520 ms and no caution"
    if v=="crcl-20" and "pemetrexed" in d: return "pemetrexed with CrCl 20"
    if v=="haemoptysis" and "bevacizumab" in d: return "bevacizumab with haemoptysis"
    if v=="haemoptysis" and "ramucirumab" in d and not o.cautions: return "ramucirumab with haemoptysis, no caution"
    if v=="child-pugh-c" and d & {"regorafenib","pazopanib","cabozantinib"}: return "regorafenib/pazopanib/cabozantinib in Child-Pugh C"
    if v=="child-pugh-c" and bname.startswith("hcc") and "Child-Pugh A" not in str(BASES[bname].get("biomarkers")): return "HCC regimen in Child-Pugh C"
    if v=="current-ild" and ("fam-trastuzumab deruxtecan" in d or "everolimus" in d) and not o.cautions: return "T-DXd/everolimus with current ILD, no caution"
    if v=="crcl-20" and "capecitabine" in d: return "capecitabine with CrCl 20 (contraindicated below 30 in the labels read)"
    if v=="crcl-20" and "cisplatin" in d and not any("cisplatin" in c.detail for c in o.cautions): return "cisplatin with CrCl 20 and no renal caution"
    # session 5: what the labels read say for the new conditions
    if v=="pregnant" and d and not any("pregnan" in c.detail for c in o.cautions): return "systemic therapy in pregnancy with no caution"
    if v=="uncontrolled-hypertension" and d & {"lenvatinib","axitinib","cabozantinib","ramucirumab"}: return "VEGF inhibitor started with uncontrolled hypertension (labels: control it first)"
    if v=="fistula" and d & {"bevacizumab","cabozantinib"}: return "bevacizumab/cabozantinib with a current fistula (labels: stopped for it)"
    if v=="gi-perforation" and d & {"bevacizumab","cabozantinib","axitinib","lenvatinib"} and not o.cautions: return "anti-VEGF agent after GI perforation with no caution"
    if v=="recent-surgery" and "bevacizumab" in d: return "bevacizumab within 28 days of major surgery"
    if v=="active-bleeding" and d & {"cabozantinib","pazopanib"}: return "cabozantinib/pazopanib with active bleeding"
    if v in ("recent-stroke","recent-mi") and d & {"lenvatinib","axitinib","cabozantinib","bevacizumab","ramucirumab"} and not o.cautions: return "anti-VEGF agent after a recent arterial event with no caution"
    # session 6: organ function, QT, DPD and lung
    text = " ".join(c.detail for c in o.cautions)
    if v=="crcl-20" and "vandetanib" in d: return "vandetanib with CrCl 20 (not recommended below 30)"
    if v=="crcl-40" and "capecitabine" in d and "75%" not in text: return "capecitabine at CrCl 40 without the 75% starting dose"
    if v=="crcl-40" and "vandetanib" in d and "200 mg" not in text: return "vandetanib at CrCl 40 without the 200 mg starting dose"
    if v=="crcl-40" and "bosutinib" in d and "bosutinib" not in text.lower() and "BOSULIF" not in text: return "bosutinib at CrCl 40 without the renal caution"
    if v in ("qtc-470-measured","qtc-520-measured") and d & QTC_ABOVE_450_EXCLUDED: return "a TKI not started above QTcF 450 ms offered"
    if v=="qtc-470-measured" and d & QT_RULE_DRUGS and not o.cautions: return "QT-warned TKI with QTc 470 ms and no caution"
    if v=="congenital-long-qt" and d & LONG_QT_EXCLUDED: return "a TKI whose label says avoid in long QT syndrome offered"
    if v=="hypokalaemia" and d & ELECTROLYTE_EXCLUDED: return "a TKI not given with uncorrected hypokalaemia offered"
    if v in ("child-pugh-b","child-pugh-c") and "vandetanib" in d: return "vandetanib in Child-Pugh B/C (not recommended)"
    if v=="child-pugh-c" and "acalabrutinib" in d: return "acalabrutinib in Child-Pugh C"
    if v=="child-pugh-c" and d & {"lapatinib","selpercatinib","venetoclax","zanubrutinib","lenvatinib","axitinib"} and not o.cautions: return "a drug with a reduced Child-Pugh C dose offered without it"
    if v=="child-pugh-b" and d & {"axitinib","pazopanib","cabozantinib"} and not o.cautions: return "a drug with a lower Child-Pugh B dose offered without it"
    if v=="child-pugh-c" and "sunitinib" in d and not o.cautions: return "sunitinib in Child-Pugh C (not studied) with no caution"
    if v=="crcl-20" and "lenvatinib" in d and not o.cautions: return "lenvatinib at CrCl 20 without the lower dose"
    if v=="dpd-deficiency" and d & FLUOROPYRIMIDINES: return "a fluoropyrimidine with DPD deficiency"
    if v=="partial-dpd-deficiency" and d & FLUOROPYRIMIDINES and "DPD" not in text: return "a fluoropyrimidine with partial DPD deficiency and no caution"
    if v in ("current-ild","history-of-pneumonitis") and d & ILD_RULE_DRUGS and not o.cautions: return "an ILD-warned drug with ILD/pneumonitis and no caution"
    if v=="uncontrolled-hypertension" and "pralsetinib" in d: return "pralsetinib started with uncontrolled hypertension"
    if v=="ugt1a1-poor-metaboliser" and "irinotecan" in d and "70%" not in text: return "irinotecan in a UGT1A1 poor metaboliser without the reduced start"
    if v=="crcl-20" and "oxaliplatin" in d and not o.cautions: return "oxaliplatin at CrCl 20 with no renal caution"
    # session 7: checkpoint inhibitors and the lung; vemurafenib QTc; ensartinib; pexidartinib; Ph status
    if v in ("current-ild","radiation-pneumonitis") and d & ICI_DRUGS: return "a checkpoint inhibitor with current ILD or pneumonitis (trials excluded it)"
    if v=="history-of-pneumonitis" and d & ICI_DRUGS and "steroids" not in text: return "a checkpoint inhibitor after pneumonitis with no caution"
    if v in ("qtc-520-measured","qtc-510-measured") and "vemurafenib" in d: return "vemurafenib started above a QTc of 500 ms"
    if v in ("qtc-470-measured","congenital-long-qt") and "vemurafenib" in d and "QT" not in text: return "vemurafenib with QT prolongation and no caution"
    if v in ("current-ild","history-of-pneumonitis","radiation-pneumonitis") and "ensartinib" in d and not o.cautions: return "ensartinib with ILD and no caution"
    if v in ("child-pugh-b","child-pugh-c") and "pexidartinib" in d and "125 mg" not in text: return "pexidartinib in hepatic impairment without the label's reduced dose"
    if bname=="b-all-ph-not-given" and d & PH_ALL_TKIS: return "a Ph+ ALL TKI regimen offered while BCR::ABL1 is not known"
    return None


ICI_DRUGS={"nivolumab","pembrolizumab","atezolizumab","durvalumab","avelumab","ipilimumab","tremelimumab","dostarlimab","relatlimab","sintilimab","cemiplimab","tislelizumab","toripalimab","retifanlimab"}
PH_ALL_TKIS={"imatinib","dasatinib","nilotinib","ponatinib","bosutinib","asciminib"}


def _patterns(profile) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(phrase, why) pairs an option's own text must not contain for this patient (issue 10, item 5)."""
    found = []
    for alteration in profile.detected:
        for name in {alteration.id.lower(), alteration.name.lower()}:
            if len(name) > 3:
                found += [(f"{p} {name}", f"{alteration.id} is detected") for p in ("no activity against", "not active against", "inactive against")]
    for gene in {a.gene for a in profile.detected}:
        found += [(f"{gene.lower()}{s}", f"{gene} is detected") for s in ("-negative", " wild-type", " wild type")]
    for gene in profile.negative_genes:
        found += [(f"{gene.lower()}{s}", f"{gene} was reported not detected") for s in ("-positive", "-mutant", "-mutated")]
    for line in profile.prior_lines or []:
        for drug in line.drugs:
            found += [(p.format(drug.lower()), f"{drug} was given in line {line.number}") for p in ("no prior {}", "{}-naive", "not received {}", "never received {}")]
    return found


def note_contradictions(profile, option) -> list[str]:  # type: ignore[no-untyped-def]
    """The option's notes, caveats and cautions checked against its own patient: each phrase that says the opposite."""
    text = " ".join([option.notes or "", *option.caveats, *(c.detail for c in option.cautions)]).lower()
    hits = [f"{phrase!r} ({why})" for phrase, why in _patterns(profile) if phrase in text]
    # a caveat that a result was not reported, for a gene the patient's input reports
    reported = {a.gene.upper() for a in profile.detected} | {g.upper() for g in profile.negative_genes}
    for m in re.finditer(r"([A-Za-z0-9:/-]+) (?:status )?not reported", " ".join(option.caveats)):
        genes = {g.upper() for g in m.group(1).split("/")}
        if genes & reported:
            hits.append(f"{m.group(0)!r} (the input reports {', '.join(sorted(genes & reported))})")
    return hits


def case(base: dict, variant: dict) -> dict:
    profile = {k: (list(v) if isinstance(v, list) else v) for k, v in base.items()}
    for key, value in variant.items():
        if key == "mutations_extra":
            profile["mutations"] = [*profile.get("mutations", []), *value]
        else:
            profile[key] = value
    return profile


def main() -> None:
    show_all = "--all" in sys.argv
    kb = curated_knowledge()
    runs = flagged_excluded = 0
    findings: list[tuple[str, str, str, str, str]] = []
    unsafe: list[tuple[str, str, str, str]] = []
    unanswered: list[str] = []
    contradicting: list[tuple[str, str, str, str]] = []
    unrecognised: Counter[str] = Counter()
    for bname, base in BASES.items():
        for vname, variant in VARIANTS.items():
            body = recommend_for(kb, PatientProfileInput.model_validate(case(base, variant)))
            runs += 1
            for w in body.warnings:
                if w.code == "condition_not_recognised":
                    unrecognised[vname] += 1
            unsafe.extend((bname, vname, o.id, j) for o in body.options if (j := judged(vname, o, bname)))
            if bname in MUST_ANSWER and vname == "baseline" and not body.options:
                unanswered.append(bname)
            profile = normalise_profile(kb, PatientProfileInput.model_validate(case(base, variant)))
            contradicting.extend((bname, vname, o.id, "; ".join(c)) for o in body.options if (c := note_contradictions(profile, o)))
            check = CHECKS.get(vname)
            if vname == "partial-input":
                # issue item 5: no option whose own note contradicts the input (e.g. "no activity against" a detected variant)
                for o in body.options:
                    text = " ".join([o.notes or "", *o.caveats]).lower()
                    for m in base.get("mutations", []):
                        token = m.split()[-1].lower()
                        if f"no activity against {token}" in text or f"not active against {token}" in text:
                            findings.append((bname, vname, o.id, "note contradicts input", "none"))
                continue
            if check is None:
                continue
            for o in body.options:
                classes = {cl for drug in o.drugs for cl in kb.drug_classes(drug)}
                why = check(o.drugs, classes)
                if why is None:
                    continue
                handled = "caution" if o.cautions else ("not checked" if any("not checked for" in c for c in o.caveats) else "none")
                findings.append((bname, vname, o.id, why, handled))
            flagged_excluded += sum(1 for n in body.not_recommended if any(r.kind == "contraindication" for r in n.reasons))
    print(f"cases run: {runs} ({len(BASES)} settings x {len(VARIANTS)} variants)")
    print(f"options excluded for a contraindication: {flagged_excluded}")
    print(f"condition entries not recognised by variant: {dict(unrecognised)}")
    silent = [f for f in findings if f[4] == "none"]
    print(f"flagged options: {len(findings)} (with no caution or note: {len(silent)})")
    if show_all:
        for f in findings:
            print("  ", " | ".join(f))
    print(f"judged unsafe (offered though the case rules it out): {len(unsafe)}")
    for u in unsafe:
        print("  ", " | ".join(u))
    print(f"covered settings left with no option: {len(unanswered)}", *unanswered)
    print(f"options whose own notes contradict their patient: {len(contradicting)}")
    for c in contradicting:
        print("  ", " | ".join(c))
    if "--goldens" in sys.argv:
        walk_goldens(kb)


def walk_goldens(kb) -> None:  # type: ignore[no-untyped-def]
    """Every golden profile's options, their notes, caveats and cautions against their own patient."""
    profiles = json.loads((Path(__file__).resolve().parent.parent / "tests" / "golden" / "profiles.json").read_text(encoding="utf-8"))
    walked, found = 0, []
    for name, body_in in profiles.items():
        request = PatientProfileInput.model_validate(body_in)
        profile = normalise_profile(kb, request)
        for option in recommend_for(kb, request).options:
            walked += 1
            if hits := note_contradictions(profile, option):
                found.append((name, option.id, "; ".join(hits)))
    print(f"golden profiles: {len(profiles)}, options walked: {walked}, contradicting their patient: {len(found)}")
    for f in found:
        print("  ", " | ".join(f))


if __name__ == "__main__":
    main()
