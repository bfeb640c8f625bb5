"""Expected-options walk for the haematology settings (issue 11): the options a haematologist expects in each setting
(US-approved standards, and the withheld ones still expected), sent through the service; prints found / expected.

The lists are the auditor's expectation, not sourced knowledge: a missing option is read about and added to knowledge/
with a source, or left out with the reason in knowledge/README.md.
Run: PYTHONPATH=. .venv/bin/python scripts/heme_expected_options.py
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from service.main import create_app
from tests.support import curated_knowledge

R73 = [{"drugs": ["daunorubicin", "cytarabine"], "outcome": "relapse"}]
NEG = ["FLT3 not detected", "IDH1 not detected", "IDH2 not detected", "NPM1 not detected", "KMT2A rearrangement not detected"]


def w(mutation: str) -> list[str]:
    """The AML panel with `mutation` detected and the other genes tested negative."""
    return [mutation] + [x for x in NEG if not x.startswith(mutation.split()[0])]


# (setting, profile, the regimens a haematologist expects offered)
CASES = [
 ("AML ND fit FLT3-ITD", {"cancer_type": "AML", "stage": "newly diagnosed", "mutations": w("FLT3-ITD"), "prior_therapies": [], "ecog": 1}, ["quizartinib-chemotherapy", "midostaurin-daunorubicin-cytarabine"]),
 ("AML ND unfit no target", {"cancer_type": "AML", "stage": "newly diagnosed", "mutations": NEG, "prior_therapies": [], "ecog": 2}, ["venetoclax-azacitidine-aml", "venetoclax-decitabine-aml"]),
 ("AML ND unfit IDH1", {"cancer_type": "AML", "stage": "newly diagnosed", "mutations": w("IDH1 R132H"), "prior_therapies": [], "ecog": 2}, ["ivosidenib-azacitidine-aml", "venetoclax-azacitidine-aml", "ivosidenib-aml"]),
 ("AML R/R FLT3", {"cancer_type": "AML", "stage": "relapsed", "mutations": w("FLT3-ITD"), "prior_therapies": R73}, ["gilteritinib-aml"]),
 ("AML R/R IDH1", {"cancer_type": "AML", "stage": "relapsed", "mutations": w("IDH1 R132C"), "prior_therapies": R73}, ["ivosidenib-aml", "olutasidenib-aml"]),
 ("AML R/R IDH2", {"cancer_type": "AML", "stage": "relapsed", "mutations": w("IDH2 R140Q"), "prior_therapies": R73}, ["enasidenib-aml"]),
 ("AML R/R NPM1", {"cancer_type": "AML", "stage": "relapsed", "mutations": w("NPM1 mutated"), "prior_therapies": R73}, ["revumenib-acute-leukaemia", "ziftomenib-aml"]),
 ("AML R/R KMT2A", {"cancer_type": "AML", "stage": "relapsed", "mutations": w("KMT2A rearrangement"), "prior_therapies": R73}, ["revumenib-acute-leukaemia"]),
 ("t-AML ND fit", {"cancer_type": "therapy-related AML", "stage": "newly diagnosed", "mutations": ["FLT3 not detected", "IDH1 not detected"], "prior_therapies": [], "ecog": 1}, ["cpx-351-aml"]),
 ("CML CP first line", {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": []}, ["imatinib-cml", "dasatinib-cml", "nilotinib-cml", "bosutinib-cml", "asciminib-cml"]),
 ("CML CP after 2 TKIs", {"cancer_type": "CML", "stage": "chronic phase", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}, {"drugs": ["dasatinib"], "outcome": "progression"}]}, ["asciminib-cml", "ponatinib-cml"]),
 ("CML CP T315I", {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR-ABL1 T315I"], "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}, ["asciminib-cml", "ponatinib-cml"]),
 ("CML AP newly diagnosed", {"cancer_type": "CML", "stage": "accelerated phase", "prior_therapies": []}, ["imatinib-cml"]),
 ("CML BP after imatinib", {"cancer_type": "CML", "stage": "blast phase", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}, ["dasatinib-cml", "bosutinib-cml"]),
 ("Ph+ ALL ND", {"cancer_type": "Ph+ ALL", "stage": "newly diagnosed", "prior_therapies": []}, ["ponatinib-chemotherapy-ph-all", "imatinib-chemotherapy-ph-all"]),
 ("CLL 1L no del17p/TP53", {"cancer_type": "CLL", "stage": "newly diagnosed", "biomarkers": ["del(17p) not detected"], "mutations": ["TP53 not detected"], "prior_therapies": []}, ["acalabrutinib-cll", "acalabrutinib-obinutuzumab-cll", "zanubrutinib-cll", "ibrutinib-cll", "venetoclax-obinutuzumab-cll", "acalabrutinib-venetoclax-cll"]),
 ("CLL 1L del17p", {"cancer_type": "CLL", "stage": "newly diagnosed", "biomarkers": ["del(17p) detected"], "prior_therapies": []}, ["acalabrutinib-cll", "zanubrutinib-cll", "ibrutinib-cll", "venetoclax-obinutuzumab-cll"]),
 ("CLL R/R after ibrutinib", {"cancer_type": "CLL", "stage": "relapsed", "prior_therapies": [{"drugs": ["ibrutinib"], "outcome": "progression"}]}, ["pirtobrutinib-cll", "venetoclax-rituximab-cll"]),
 ("MCL 1L", {"cancer_type": "MCL", "stage": "newly diagnosed", "prior_therapies": []}, ["acalabrutinib-bendamustine-rituximab-mcl"]),
 ("MCL R/R after BTKi", {"cancer_type": "MCL", "stage": "relapsed", "prior_therapies": [{"drugs": ["bendamustine", "rituximab"], "outcome": "progression"}, {"drugs": ["ibrutinib"], "outcome": "progression"}]}, ["pirtobrutinib-mcl"]),
 ("WM", {"cancer_type": "Waldenstrom macroglobulinemia", "stage": "newly diagnosed", "prior_therapies": []}, ["zanubrutinib-wm", "ibrutinib-wm", "ibrutinib-rituximab-wm"]),
 ("MF int-2 plt 150", {"cancer_type": "PMF", "stage": "DIPSS intermediate-2", "blood_counts": {"platelets": 150, "haemoglobin": 11, "transfusion_dependent": "no"}, "prior_therapies": []}, ["ruxolitinib-myelofibrosis", "fedratinib-myelofibrosis"]),
 ("MF plt 30", {"cancer_type": "PMF", "stage": "DIPSS high", "blood_counts": {"platelets": 30, "haemoglobin": 11, "transfusion_dependent": "no"}, "prior_therapies": []}, ["pacritinib-myelofibrosis"]),
 ("MF anaemic", {"cancer_type": "PMF", "stage": "DIPSS high", "blood_counts": {"platelets": 120, "haemoglobin": 8.5, "transfusion_dependent": "yes"}, "prior_therapies": []}, ["momelotinib-myelofibrosis"]),
 ("Advanced SM", {"cancer_type": "ASM", "mutations": ["KIT D816V"], "blood_counts": {"platelets": 150}, "prior_therapies": []}, ["midostaurin-advanced-sm", "avapritinib-advanced-sm"]),
]


def main() -> None:
    client = TestClient(create_app(knowledge_base=curated_knowledge()))
    found = total = 0
    for name, profile, expected in CASES:
        r = client.post("/v1/recommendations", json=profile).json()
        offered = {o["id"] for o in r["options"]}
        miss = [e for e in expected if e not in offered]
        found += len(expected) - len(miss)
        total += len(expected)
        print(f"{name}: {len(expected)-len(miss)}/{len(expected)}" + (f"  missing {miss}" if miss else ""))
    print(f"expected options offered: {found}/{total} ({100*found/total:.1f} %)")


if __name__ == "__main__":
    main()
