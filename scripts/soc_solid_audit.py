"""Expected-options audit of the solid tumours other than NSCLC and the GI cancers (issue 11, session 6).

Each case is a stage IV (or adjuvant) profile with the regimens a tumour board would list for it, as the curator
judged them; the script prints, per case, the expected regimens the engine offers and those it does not, then the
share found. It reads knowledge/ only (TKI_CDS_KNOWLEDGE_DIR chooses another copy) and changes nothing.

    .venv/bin/python -m scripts.soc_solid_audit
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from schemas.requests import PatientProfileInput
from service.config import get_settings
from service.engine.recommend import recommend_for
from service.knowledge.loader import load_knowledge
from service.knowledge.source import read_knowledge
from service.knowledge.store import write_store

AFTER_PD1 = ["pembrolizumab (progression)"]
HER2_AFTER_THP = ["trastuzumab + pertuzumab + docetaxel (progression)"]

# (case, profile, regimens a tumour board would list); a name in brackets is a standard the knowledge does not hold
# (or withholds), counted as missing so the figure does not flatter the knowledge
CASES: list[tuple[str, dict[str, object], set[str]]] = [
    ("ccRCC first line", {"cancer_type": "clear cell renal cell carcinoma", "stage": "IV", "biomarkers": ["IMDC intermediate"]},
     {"pembrolizumab-axitinib", "nivolumab-cabozantinib", "pembrolizumab-lenvatinib", "nivolumab-ipilimumab-rcc", "cabozantinib-rcc-later-line", "sunitinib-rcc", "pazopanib-rcc"}),
    ("ccRCC after pembrolizumab + axitinib", {"cancer_type": "clear cell renal cell carcinoma", "stage": "IV", "prior_therapies": ["pembrolizumab + axitinib (progression)"]},
     {"cabozantinib-rcc-later-line", "lenvatinib-everolimus", "belzutifan-rcc"}),
    ("ccRCC adjuvant", {"cancer_type": "clear cell renal cell carcinoma", "stage": "III, resected"}, {"pembrolizumab-rcc-adjuvant"}),
    ("papillary RCC first line", {"cancer_type": "papillary renal cell carcinoma", "stage": "IV"}, {"cabozantinib-rcc-later-line", "sunitinib-rcc"}),
    ("chromophobe RCC first line", {"cancer_type": "chromophobe renal cell carcinoma", "stage": "IV"}, {"sunitinib-rcc"}),
    ("RET-mutant MTC", {"cancer_type": "medullary thyroid cancer", "stage": "IV", "mutations": ["RET M918T"]},
     {"selpercatinib-thyroid", "vandetanib-mtc", "cabozantinib-mtc"}),
    ("BRAF V600E ATC", {"cancer_type": "anaplastic thyroid cancer", "stage": "IVC", "mutations": ["BRAF V600E"]}, {"dabrafenib-trametinib-atc"}),
    ("RAI-refractory DTC", {"cancer_type": "papillary thyroid cancer", "stage": "IV", "biomarkers": ["RAI refractory"]}, {"lenvatinib-dtc", "sorafenib-dtc"}),
    ("RAI-refractory DTC after lenvatinib", {"cancer_type": "papillary thyroid cancer", "stage": "IV", "biomarkers": ["RAI refractory"], "prior_therapies": ["lenvatinib (progression)"]},
     {"cabozantinib-dtc", "sorafenib-dtc"}),
    ("RET fusion DTC", {"cancer_type": "papillary thyroid cancer", "stage": "IV", "biomarkers": ["RAI refractory"], "mutations": ["CCDC6::RET"]},
     {"selpercatinib-thyroid", "pralsetinib-thyroid", "lenvatinib-dtc", "sorafenib-dtc"}),
    ("BRAF V600E melanoma first line", {"cancer_type": "melanoma", "stage": "IV", "mutations": ["BRAF V600E"]},
     {"nivolumab-ipilimumab-melanoma", "nivolumab-relatlimab-melanoma", "pembrolizumab-melanoma", "nivolumab-melanoma", "dabrafenib-trametinib-melanoma", "encorafenib-binimetinib-melanoma", "vemurafenib-cobimetinib-melanoma"}),
    ("BRAF wild-type melanoma after a PD-1 inhibitor", {"cancer_type": "melanoma", "stage": "IV", "mutations": ["BRAF not detected"], "prior_therapies": AFTER_PD1},
     {"nivolumab-ipilimumab-melanoma", "ipilimumab-melanoma", "[lifileucel]"}),
    ("BRAF wild-type melanoma after nivolumab + ipilimumab", {"cancer_type": "melanoma", "stage": "IV", "mutations": ["BRAF not detected"], "prior_therapies": ["nivolumab + ipilimumab (progression)"]},
     {"[lifileucel]", "[chemotherapy]"}),
    ("head and neck mucosal melanoma", {"cancer_type": "head and neck mucosal melanoma", "stage": "IV", "mutations": ["BRAF not detected"]},
     {"nivolumab-ipilimumab-melanoma", "nivolumab-melanoma", "pembrolizumab-melanoma"}),
    ("BRAF V600E melanoma after nivolumab + ipilimumab", {"cancer_type": "melanoma", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": ["nivolumab + ipilimumab (progression)"]},
     {"dabrafenib-trametinib-melanoma", "encorafenib-binimetinib-melanoma", "vemurafenib-cobimetinib-melanoma"}),
    ("KIT-mutant acral melanoma", {"cancer_type": "acral melanoma", "stage": "IV", "mutations": ["KIT L576P", "BRAF not detected"]},
     {"nivolumab-ipilimumab-melanoma", "nivolumab-relatlimab-melanoma", "pembrolizumab-melanoma", "nivolumab-melanoma", "imatinib-kit-melanoma"}),
    ("BRAF V600E melanoma adjuvant", {"cancer_type": "melanoma", "stage": "IIIB, resected", "mutations": ["BRAF V600E"]},
     {"dabrafenib-trametinib-melanoma", "nivolumab-melanoma", "pembrolizumab-melanoma"}),
    ("HER2-positive breast first line", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HER2 positive"]}, {"pertuzumab-trastuzumab-docetaxel-breast"}),
    ("HER2-positive breast second line", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HER2 positive"], "prior_therapies": HER2_AFTER_THP},
     {"trastuzumab-deruxtecan-breast", "ado-trastuzumab-emtansine-breast", "tucatinib-trastuzumab-capecitabine"}),
    ("HER2-low breast after chemotherapy", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HER2 low", "HR negative"], "prior_therapies": ["paclitaxel (progression)"]},
     {"trastuzumab-deruxtecan-breast", "sacituzumab-govitecan-tnbc"}),
    ("HR-positive HER2-negative breast first line", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["ER positive", "HER2 negative"]},
     {"ribociclib-letrozole-breast", "palbociclib-letrozole-breast", "ribociclib-fulvestrant-breast"}),
    ("HR-positive breast after an aromatase inhibitor", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HR positive", "HER2 negative"], "prior_therapies": ["letrozole (progression)"]},
     {"abemaciclib-fulvestrant-breast", "ribociclib-fulvestrant-breast", "[palbociclib + fulvestrant]"}),
    ("HR-positive breast after palbociclib + letrozole", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HR positive", "HER2 negative"], "prior_therapies": ["palbociclib + letrozole (progression)"]},
     {"[everolimus + exemestane]", "[fulvestrant]"}),
    ("triple-negative breast first line, CPS 10 or more", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HR negative", "HER2 negative"], "pd_l1": {"cps": 20}},
     {"pembrolizumab-chemotherapy-tnbc"}),
    ("triple-negative breast after chemotherapy", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["ER negative", "PR negative", "HER2 0"], "prior_therapies": ["carboplatin + paclitaxel (progression)"]},
     {"sacituzumab-govitecan-tnbc"}),
    ("pMMR endometrial after platinum", {"cancer_type": "endometrial carcinoma", "stage": "IV", "biomarkers": ["MMR proficient"], "prior_therapies": ["carboplatin + paclitaxel (progression)"]},
     {"pembrolizumab-lenvatinib"}),
    ("dMMR endometrial first line", {"cancer_type": "endometrial carcinoma", "stage": "IV", "biomarkers": ["dMMR"]},
     {"dostarlimab-carboplatin-paclitaxel", "pembrolizumab-carboplatin-paclitaxel-endometrial", "[durvalumab + carboplatin-paclitaxel]"}),
    ("dMMR endometrial after platinum", {"cancer_type": "endometrial carcinoma", "stage": "IV", "biomarkers": ["dMMR"], "prior_therapies": ["carboplatin + paclitaxel (progression)"]},
     {"dostarlimab-endometrial", "pembrolizumab-endometrial-msi-high"}),
    ("urothelial first line", {"cancer_type": "bladder urothelial carcinoma", "stage": "IV"},
     {"enfortumab-vedotin-pembrolizumab", "gemcitabine-cisplatin-urothelial", "nivolumab-gemcitabine-cisplatin-urothelial"}),
    ("FGFR3 urothelial after EV + pembrolizumab", {"cancer_type": "bladder urothelial carcinoma", "stage": "IV", "mutations": ["FGFR3 S249C"], "prior_therapies": ["enfortumab vedotin + pembrolizumab (progression)"]},
     {"erdafitinib-urothelial"}),
    ("urothelial after EV + pembrolizumab, no FGFR3 alteration", {"cancer_type": "bladder urothelial carcinoma", "stage": "IV", "mutations": ["FGFR3 not detected"], "prior_therapies": ["enfortumab vedotin + pembrolizumab (progression)"]},
     {"[platinum chemotherapy]"}),
    ("urothelial after gemcitabine-cisplatin", {"cancer_type": "bladder urothelial carcinoma", "stage": "IV", "prior_therapies": ["gemcitabine + cisplatin (progression)"]},
     {"pembrolizumab-urothelial-after-platinum"}),
    ("GIST first line, KIT exon 11", {"cancer_type": "GIST", "stage": "IV", "mutations": ["KIT exon 11 deletion"]}, {"imatinib-gist"}),
    ("GIST first line, KIT exon 9", {"cancer_type": "GIST", "stage": "IV", "mutations": ["KIT exon 9 insertion"]}, {"imatinib-800-gist-exon-9", "imatinib-gist"}),
    ("GIST, PDGFRA D842V", {"cancer_type": "GIST", "stage": "IV", "mutations": ["PDGFRA D842V"]}, {"avapritinib-gist"}),
    ("GIST after imatinib", {"cancer_type": "GIST", "stage": "IV", "prior_therapies": ["imatinib (progression)"]}, {"sunitinib-gist", "imatinib-800-gist-after-progression"}),
    ("GIST after imatinib and sunitinib", {"cancer_type": "GIST", "stage": "IV", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression", "line": 1}, {"drugs": ["sunitinib"], "outcome": "progression", "line": 2}]},
     {"regorafenib-gist"}),
    ("GIST fourth line", {"cancer_type": "GIST", "stage": "IV", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression", "line": 1}, {"drugs": ["sunitinib"], "outcome": "progression", "line": 2}, {"drugs": ["regorafenib"], "outcome": "progression", "line": 3}]},
     {"ripretinib-gist"}),
    ("leiomyosarcoma first line", {"cancer_type": "leiomyosarcoma", "stage": "IV"}, {"doxorubicin-sts", "doxorubicin-ifosfamide-sts"}),
    ("leiomyosarcoma after doxorubicin", {"cancer_type": "leiomyosarcoma", "stage": "IV", "prior_therapies": ["doxorubicin (progression)"]}, {"pazopanib-sts", "trabectedin-l-sarcoma"}),
    ("liposarcoma after doxorubicin", {"cancer_type": "liposarcoma", "stage": "IV", "prior_therapies": ["doxorubicin (progression)"]}, {"eribulin-liposarcoma", "trabectedin-l-sarcoma"}),
    ("pNET, SSTR-positive", {"cancer_type": "pancreatic neuroendocrine tumor", "stage": "IV", "biomarkers": ["SSTR positive"]},
     {"lanreotide-pnet", "everolimus-pnet", "sunitinib-pnet", "capecitabine-temozolomide-pnet", "[lutetium-177 dotatate]"}),
    ("pNET after everolimus", {"cancer_type": "pancreatic neuroendocrine tumor", "stage": "IV", "prior_therapies": ["everolimus (progression)"]},
     {"sunitinib-pnet", "cabozantinib-pnet", "capecitabine-temozolomide-pnet"}),
]


def main() -> None:
    store = Path(tempfile.mkdtemp(prefix="tki-cds-audit-")) / "knowledge.sqlite"
    write_store(read_knowledge(get_settings().knowledge_dir), f"sqlite:///{store}")
    kb = load_knowledge(f"sqlite:///{store}")
    found_total = expected_total = 0
    for name, profile, expected in CASES:
        result = recommend_for(kb, PatientProfileInput.model_validate(profile))
        offered = {o.id for o in result.options}
        found = expected & offered
        found_total += len(found)
        expected_total += len(expected)
        missing = sorted(expected - offered)
        print(f"{len(found)}/{len(expected)}  {name}" + (f"  missing: {', '.join(missing)}" if missing else ""))
    share = 100 * found_total / expected_total if expected_total else 0.0
    print(f"\n{found_total} of {expected_total} expected options found ({share:.1f} %) in {len(CASES)} cases")


if __name__ == "__main__":
    main()
