"""Expected-options audit of the solid tumours other than NSCLC and the GI cancers (issue 11, session 6), with the
NSCLC, pancreatic and colorectal settings of session 7's new standards (`S7_CASES`, counted apart and in the total).

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
     {"nivolumab-ipilimumab-melanoma", "ipilimumab-melanoma", "lifileucel-melanoma"}),
    ("BRAF wild-type melanoma after nivolumab + ipilimumab", {"cancer_type": "melanoma", "stage": "IV", "mutations": ["BRAF not detected"], "prior_therapies": ["nivolumab + ipilimumab (progression)"]},
     {"lifileucel-melanoma", "dacarbazine-melanoma"}),
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
     {"abemaciclib-fulvestrant-breast", "ribociclib-fulvestrant-breast", "palbociclib-fulvestrant-breast"}),
    ("HR-positive breast after palbociclib + letrozole", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HR positive", "HER2 negative"], "prior_therapies": ["palbociclib + letrozole (progression)"]},
     {"everolimus-exemestane-breast", "fulvestrant-breast"}),
    ("triple-negative breast first line, CPS 10 or more", {"cancer_type": "breast cancer", "stage": "IV", "biomarkers": ["HR negative", "HER2 negative"], "pd_l1": {"cps": 20}},
     {"pembrolizumab-nab-paclitaxel-tnbc", "pembrolizumab-paclitaxel-tnbc", "pembrolizumab-gemcitabine-carboplatin-tnbc"}),
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
     {"gemcitabine-carboplatin-urothelial"}),
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
     {"lanreotide-pnet", "everolimus-pnet", "sunitinib-pnet", "capecitabine-temozolomide-pnet", "lutetium-dotatate-octreotide-gep-net"}),
    ("pNET after everolimus", {"cancer_type": "pancreatic neuroendocrine tumor", "stage": "IV", "prior_therapies": ["everolimus (progression)"]},
     {"sunitinib-pnet", "cabozantinib-pnet", "capecitabine-temozolomide-pnet"}),
]

NSCLC_DRIVER_NEGATIVE = ["EGFR not detected", "ALK not detected", "ROS1 not detected"]
NSCLC_NON_SQUAMOUS_CHEMO_IO = {
    "pembrolizumab-pemetrexed-platinum", "nivolumab-ipilimumab-pemetrexed-platinum-nsclc", "cemiplimab-pemetrexed-platinum-nsclc",
    "durvalumab-tremelimumab-pemetrexed-platinum-nsclc", "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc",
    "atezolizumab-carboplatin-nab-paclitaxel-nsclc",
}
S7_CASES: list[tuple[str, dict[str, object], set[str]]] = [
    ("non-squamous NSCLC, driver negative, PD-L1 TPS 70%", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": NSCLC_DRIVER_NEGATIVE, "pd_l1": {"tps": 70}},
     NSCLC_NON_SQUAMOUS_CHEMO_IO | {"pembrolizumab-nsclc", "atezolizumab-nsclc", "cemiplimab-nsclc", "nivolumab-ipilimumab-nsclc"}),
    ("non-squamous NSCLC, driver negative, PD-L1 TPS 0%", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": NSCLC_DRIVER_NEGATIVE, "pd_l1": {"tps": 0}},
     NSCLC_NON_SQUAMOUS_CHEMO_IO),
    ("squamous NSCLC, driver negative, PD-L1 TPS 10%", {"cancer_type": "lung squamous cell carcinoma", "stage": "IV", "mutations": NSCLC_DRIVER_NEGATIVE, "pd_l1": {"tps": 10}},
     {"pembrolizumab-carboplatin-taxane", "cemiplimab-carboplatin-paclitaxel-nsclc", "durvalumab-tremelimumab-carboplatin-nab-paclitaxel-nsclc",
      "nivolumab-ipilimumab-carboplatin-paclitaxel-nsclc", "nivolumab-ipilimumab-nsclc", "pembrolizumab-nsclc"}),
    ("non-squamous NSCLC after pembrolizumab alone", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": NSCLC_DRIVER_NEGATIVE, "pd_l1": {"tps": 80}, "prior_therapies": [{"line": 1, "drugs": ["pembrolizumab"], "outcome": "progression"}]},
     {"pemetrexed-cisplatin-nsclc-chemotherapy-naive"}),
    ("squamous NSCLC after pembrolizumab alone", {"cancer_type": "lung squamous cell carcinoma", "stage": "IV", "mutations": NSCLC_DRIVER_NEGATIVE, "pd_l1": {"tps": 80}, "prior_therapies": [{"line": 1, "drugs": ["pembrolizumab"], "outcome": "progression"}]},
     {"gemcitabine-cisplatin-nsclc-chemotherapy-naive", "carboplatin-paclitaxel-nsclc-chemotherapy-naive"}),
    ("BRAF V600E NSCLC after dabrafenib + trametinib, no platinum", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["BRAF V600E"], "prior_therapies": [{"line": 1, "drugs": ["dabrafenib", "trametinib"], "outcome": "progression"}]},
     {"pemetrexed-cisplatin-nsclc-chemotherapy-naive"}),
    ("MET exon 14 NSCLC after capmatinib, no platinum", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["MET exon 14 skipping"], "prior_therapies": [{"line": 1, "drugs": ["capmatinib"], "outcome": "progression"}]},
     {"pemetrexed-cisplatin-nsclc-chemotherapy-naive"}),
    ("NTRK fusion NSCLC after larotrectinib, no platinum", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["ETV6::NTRK3"], "prior_therapies": [{"line": 1, "drugs": ["larotrectinib"], "outcome": "progression"}]},
     {"pemetrexed-cisplatin-nsclc-chemotherapy-naive", "repotrectinib-ntrk"}),
    ("ALK NSCLC after alectinib, no platinum", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["EML4::ALK"], "prior_therapies": [{"line": 1, "drugs": ["alectinib"], "outcome": "progression"}]},
     {"lorlatinib-nsclc", "pemetrexed-platinum-after-alk-tki", "atezolizumab-bevacizumab-carboplatin-paclitaxel-nsclc"}),
    ("EGFR L858R NSCLC after osimertinib", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["EGFR L858R"], "prior_therapies": [{"line": 1, "drugs": ["osimertinib"], "outcome": "progression"}]},
     {"amivantamab-carboplatin-pemetrexed", "pemetrexed-platinum-after-egfr-tki"}),
    ("KRAS G12C NSCLC after chemo-immunotherapy", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["KRAS G12C"], "prior_therapies": ["carboplatin + pemetrexed + pembrolizumab"]},
     {"sotorasib-nsclc", "adagrasib-nsclc", "docetaxel-ramucirumab", "docetaxel-nsclc"}),
    ("NRG1 fusion NSCLC after chemo-immunotherapy", {"cancer_type": "lung adenocarcinoma", "stage": "IV", "mutations": ["CD74::NRG1"], "prior_therapies": ["carboplatin + pemetrexed + pembrolizumab"]},
     {"zenocutuzumab-nrg1", "docetaxel-ramucirumab", "docetaxel-nsclc"}),
    ("metastatic pancreatic adenocarcinoma first line", {"cancer_type": "pancreatic adenocarcinoma", "stage": "IV"},
     {"folfirinox-pancreas", "nab-paclitaxel-gemcitabine-pancreas", "nalirifox-pancreas"}),
    ("NRG1 fusion pancreatic adenocarcinoma after FOLFIRINOX", {"cancer_type": "pancreatic adenocarcinoma", "stage": "IV", "mutations": ["NRG1 fusion"], "prior_therapies": ["FOLFIRINOX"]},
     {"zenocutuzumab-nrg1", "nab-paclitaxel-gemcitabine-pancreas"}),
    ("metastatic colorectal cancer first line, RAS not tested", {"cancer_type": "colorectal cancer", "stage": "IV"},
     {"folfox-bevacizumab-crc", "folfiri-bevacizumab-crc", "capox-bevacizumab-crc"}),
]


def _audit(kb: object, cases: list[tuple[str, dict[str, object], set[str]]]) -> tuple[int, int]:
    """Print each case's expected options found and missing; return (found, expected)."""
    found_total = expected_total = 0
    for name, profile, expected in cases:
        result = recommend_for(kb, PatientProfileInput.model_validate(profile))  # type: ignore[arg-type]
        offered = {o.id for o in result.options}
        found = expected & offered
        found_total += len(found)
        expected_total += len(expected)
        missing = sorted(expected - offered)
        print(f"{len(found)}/{len(expected)}  {name}" + (f"  missing: {', '.join(missing)}" if missing else ""))
    return found_total, expected_total


def _share(found: int, expected: int) -> str:
    return f"{100 * found / expected if expected else 0.0:.1f} %"


def main() -> None:
    store = Path(tempfile.mkdtemp(prefix="tki-cds-audit-")) / "knowledge.sqlite"
    write_store(read_knowledge(get_settings().knowledge_dir), f"sqlite:///{store}")
    kb = load_knowledge(f"sqlite:///{store}")
    found, expected = _audit(kb, CASES)
    print(f"\n{found} of {expected} expected options found ({_share(found, expected)}) in {len(CASES)} cases (session 6 set)\n")
    found7, expected7 = _audit(kb, S7_CASES)
    print(f"\n{found7} of {expected7} expected options found ({_share(found7, expected7)}) in {len(S7_CASES)} cases (session 7 set)")
    total, total_expected = found + found7, expected + expected7
    print(f"{total} of {total_expected} expected options found ({_share(total, total_expected)}) in {len(CASES) + len(S7_CASES)} cases")

if __name__ == "__main__":
    main()
