"""The red-team vignettes (scripts/redteam_cases.json) sent a second way: as the FHIR R4 record an EHR would hold for the
patient, through CDS Hooks patient-view with full prefetch, in two shapes (exact codes from the service's tables
with Genomics Reporting components, and the words only: code.text, variation code text). Prints, per case, the options
the JSON route offers and the cards do not (and the reverse), with what the FHIR reading did not use.

Only first-line cases are sent (prior lines are not read from FHIR). ER, PR and HER2 go as their tumour-marker LOINC
codes ("ER+/PR+/HER2-" as three results), and creatinine clearance as LOINC 2164-2. A grading
or test with no LOINC code in the service's table (Child-Pugh, IMDC, SSTR) goes as a local lab code, which the service's
code-filtered prefetch queries do not return; transfusion dependence and prior lines are not sent. A case that gives them
by JSON is expected to differ, and the difference is printed with its cause.
Run: PYTHONPATH=. .venv/bin/python scripts/redteam_fhir.py
"""

from __future__ import annotations

import re
import sys
from typing import Any

from fastapi.testclient import TestClient

from scripts.redteam_cases import load_cases
from service.main import create_app
from tests.cdshooks.support import prefetch_of
from tests.support import curated_knowledge

LOINC, HGNC, HGVS = "http://loinc.org", "http://www.genenames.org/geneId", "http://varnomen.hgvs.org"
GR = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PRESENT, ABSENT = ("LA9633-4", "Present"), ("LA9634-2", "Absent")
PID = "redteam-1"
NEGATIVE = re.compile(r"\b(?:negative|neg|not detected|wild[- ]?type|wt|absent)\b", re.IGNORECASE)
PROTEIN = re.compile(r"\b(?:p\.)?([A-Z]\d{1,4}(?:[A-Z*]|fs\S*|del|dup|ins\S*))\b")
GENES = {"EGFR", "ALK", "ROS1", "RET", "MET", "KRAS", "NRAS", "BRAF", "ERBB2", "HER2", "KIT", "PDGFRA", "FLT3", "IDH1", "IDH2",
         "NPM1", "KMT2A", "TP53", "BTK", "PLCG2", "FGFR2", "FGFR3", "NTRK1", "NTRK2", "NTRK3", "BCR-ABL1", "BCR::ABL1", "JAK2", "MYD88"}  # fmt: skip
MARKER_CODES = {"MSI": "81695-9", "MSS": "81695-9", "DMMR": "81695-9", "PMMR": "81695-9", "MMR": "81695-9", "HER2": "48676-1", "TMB": "94076-7",
                "ER": "16112-5", "PR": "16113-3"}  # fmt: skip
SYMBOL_WORDS = {"+": "Positive", "-": "Negative"}


def cc(system: str | None, code: str | None, display: str | None = None, text: str | None = None) -> dict[str, Any]:
    coding = {k: v for k, v in (("system", system), ("code", code), ("display", display)) if v}
    out: dict[str, Any] = {"coding": [coding]} if coding else {}
    if text:
        out["text"] = text
    return out


def subject() -> dict[str, str]:
    return {"reference": f"Patient/{PID}"}


def observation(rid: str, code: dict[str, Any], **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": "final", "code": code, "subject": subject(),
            "effectiveDateTime": "2026-11-20", **value}  # fmt: skip


def variant(rid: str, text: str, coded: bool) -> dict[str, Any]:
    """A Genomics Reporting Variant for one mutation entry: gene, protein change (coded) or the words (variation code)."""
    words = text
    first = words.split()[0].rstrip(":,")
    rest = words[len(first) :].strip()
    if first.upper().split("-")[0] in GENES and first.upper() not in GENES and "::" not in first:  # "FLT3-TKD D835Y": gene FLT3
        first, suffix = first.split("-", 1)
        rest = f"{suffix} {rest}".strip()
    gene = first.upper() if first.upper() in GENES or "::" in first or "-" in first else None
    presence = ABSENT if NEGATIVE.search(words) else PRESENT
    components = []
    if gene is not None:
        components.append({"code": cc(LOINC, "48018-6", "Gene studied [ID]"), "valueCodeableConcept": cc(HGNC, None, gene) if coded else {"text": gene}})
    else:
        rest = words
    protein = PROTEIN.search(rest)
    if coded and protein and presence is PRESENT and not re.search(r"exon|fusion|ins|del|amplif", rest, re.IGNORECASE):
        components.append({"code": cc(LOINC, "48005-3", "Amino acid change (pHGVS)"), "valueCodeableConcept": cc(HGVS, "p." + protein.group(1))})
    elif presence is PRESENT and rest:
        components.append({"code": cc(LOINC, "81252-9", "Variation Code"), "valueCodeableConcept": {"text": rest}})
    return observation(rid, cc(LOINC, "69548-6", "Genetic variant assessment"), meta={"profile": [GR]},
                       valueCodeableConcept=cc(LOINC, presence[0], presence[1]), component=components)  # fmt: skip


def record(profile: dict[str, Any], coded: bool, codes: dict[str, str]) -> list[dict[str, Any]]:
    """The patient's resources for one JSON profile."""
    out: list[dict[str, Any]] = [{"resourceType": "Patient", "id": PID}]
    cancer = profile["cancer_type"]
    code = codes.get(cancer) if coded else None
    condition = {"resourceType": "Condition", "id": "cancer", "meta": {"profile": [MCODE + "mcode-primary-cancer-condition"]},
                 "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                 "verificationStatus": cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
                 "code": cc(*code.split("|"), text=cancer) if code else {"text": cancer}, "subject": subject()}  # fmt: skip
    if profile.get("stage"):
        condition["stage"] = [{"summary": {"text": profile["stage"]}}]
    out.append(condition)
    for i, item in enumerate(profile.get("mutations", [])):
        if isinstance(item, str):
            out.append(variant(f"variant-{i}", item, coded))
    for i, item in enumerate(profile.get("biomarkers", [])):
        text = item if isinstance(item, str) else f"{item['name']} {item['status']}"
        name = re.split(r"[\s:-]", text.strip())[0].upper()
        if re.match(r"del\(?17p", text, re.IGNORECASE):  # cytogenetics as a Genomics Reporting Variant with its ISCN
            presence = ABSENT if NEGATIVE.search(text) else PRESENT
            out.append(observation(f"cyto-{i}", cc(LOINC, "69548-6", "Genetic variant assessment"), meta={"profile": [GR]},
                                   valueCodeableConcept=cc(LOINC, presence[0], presence[1]),
                                   component=[{"code": cc(LOINC, "81291-7", "Cytogenomic Nomenclature (ISCN)"), "valueCodeableConcept": {"text": "del(17)(p13.1)"}}]))  # fmt: skip
        elif text.upper().startswith("PD-L1"):
            score = re.search(r"(TPS|CPS)\D*(\d+)", text, re.IGNORECASE)
            if score:
                method = "Tumor proportion score (TPS)" if score.group(1).upper() == "TPS" else "Combined positive score (CPS)"
                out.append(observation(f"pdl1-{i}", cc(LOINC, "83052-1", "PD-L1 by clone 22C3"), method={"text": method},
                                       valueQuantity={"value": float(score.group(2)), "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}))  # fmt: skip
        elif "/" in text and all(re.match(r"^(ER|PR|HER2)[+-]$", p.strip()) for p in text.split("/")):
            for piece in text.split("/"):  # "ER+/PR+/HER2-": one result per receptor, as a pathology system files them
                marker, symbol = piece.strip()[:-1], piece.strip()[-1]
                out.append(observation(f"marker-{i}-{marker}", cc(LOINC, MARKER_CODES[marker]), valueCodeableConcept={"text": SYMBOL_WORDS[symbol]}))
        elif name in MARKER_CODES:
            out.append(observation(f"marker-{i}", cc(LOINC, MARKER_CODES[name]), valueCodeableConcept={"text": text}))
        else:  # no Observation the service reads: sent as a local lab code, as an EHR would
            out.append(observation(f"other-{i}", cc("http://ehr.example.org/lab", name.lower(), text), valueString=text))
    pd_l1 = profile.get("pd_l1") or {}
    for system, score in pd_l1.items():
        method = {"tps": "Tumor proportion score (TPS)", "cps": "Combined positive score (CPS)"}[system]
        out.append(observation(f"pdl1-{system}", cc(LOINC, "83052-1", "PD-L1 by clone 22C3"), method={"text": method},
                               valueQuantity={"value": float(score), "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}))  # fmt: skip
    ecog = profile.get("ecog")
    if ecog is not None:
        value = int(ecog) if isinstance(ecog, (int, float)) else int(re.search(r"\d", str(ecog)).group(0))  # type: ignore[union-attr]
        out.append(observation("ecog", cc(LOINC, "89247-1", "ECOG Performance Status score"), valueInteger=value))
    qtc = (profile.get("organ_function") or {}).get("qtc_ms")
    if qtc:
        out.append(observation("qtc", cc(LOINC, "8636-3", "Q-T interval corrected"), valueQuantity={"value": qtc, "unit": "ms", "system": "http://unitsofmeasure.org", "code": "ms"}))
    clearance = (profile.get("organ_function") or {}).get("creatinine_clearance_ml_min")
    if clearance:
        out.append(observation("crcl", cc(LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma"),
                               valueQuantity={"value": clearance, "unit": "mL/min", "system": "http://unitsofmeasure.org", "code": "mL/min"}))  # fmt: skip
    counts = profile.get("blood_counts") or {}
    for key, loinc, unit in (("platelets", "777-3", "10*9/L"), ("haemoglobin", "718-7", "g/dL")):
        if counts.get(key) is not None:  # "85 K/uL" is 85 x10^9/L, "11.2 g/dL" is 11.2 g/dL
            value = float(re.match(r"[\d.]+", str(counts[key])).group(0))  # type: ignore[union-attr]
            out.append(observation(key, cc(LOINC, loinc), valueQuantity={"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}))
    if profile.get("brain_metastases") in ("active", "present", "treated"):
        words = {"active": "Metastatic malignant neoplasm to brain, untreated and progressing", "present": "Metastatic malignant neoplasm to brain",
                 "treated": "Metastatic malignant neoplasm to brain, treated and stable"}[profile["brain_metastases"]]  # fmt: skip
        out.append({"resourceType": "Condition", "id": "brain-mets", "meta": {"profile": [MCODE + "mcode-secondary-cancer-condition"]},
                    "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"), "code": {"text": words}, "subject": subject()})  # fmt: skip
    for i, text in enumerate(c for c in profile.get("conditions", []) if isinstance(c, str)):
        out.append({"resourceType": "Condition", "id": f"comorbidity-{i}", "subject": subject(), "code": {"text": text},
                    "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")})  # fmt: skip
    for i, text in enumerate(m for m in profile.get("current_medications", []) if isinstance(m, str)):
        out.append({"resourceType": "MedicationRequest", "id": f"med-{i}", "status": "active", "intent": "order",
                    "medicationCodeableConcept": {"text": text}, "subject": subject()})  # fmt: skip
    return out


def cancer_codes(client: TestClient, cases: list[dict[str, Any]]) -> dict[str, str]:
    """For each case's cancer type, a SNOMED CT or ICD-10-CM code of the service's table naming the type it reads as."""
    from service.fhir.codes import fhir_codes

    table = fhir_codes()
    by_code: dict[str, str] = {}
    for row in table.cancer:
        if row.match == "exact" and row.system.endswith("sct"):
            by_code.setdefault(row.oncotree, f"{row.system}|{row.code}|{getattr(row, 'display', None) or ''}")
    out = {}
    for case in cases:
        read = client.post("/v1/recommendations", json={"cancer_type": case["profile"]["cancer_type"]}).json()
        code = read["profile"]["cancer_type"].get("code")
        if code in by_code:
            out[case["profile"]["cancer_type"]] = by_code[code]
    return out


def card_options(answer: dict[str, Any]) -> list[str]:
    return [re.sub(r" \(evidence level [^)]*\)$", "", c["summary"].split(": ", 1)[1]) for c in answer["cards"] if c["summary"].startswith("Option ")]


def not_used(answer: dict[str, Any]) -> str:
    card = next((c for c in answer["cards"] if c["summary"] == "What this service read from the record"), None)
    if card is None:
        return ""
    lines = [line.strip(" -*") for line in card["detail"].replace("\\", "").splitlines() if "not used" in line.lower() or "not recognised" in line.lower()]
    return " | ".join(lines)[:400]


def main() -> None:
    client = TestClient(create_app(knowledge_base=curated_knowledge()))
    cases = [c for c in load_cases() if c["profile"].get("prior_therapies") == []]
    codes = cancer_codes(client, cases)
    same = differ = 0
    for case in cases:
        json_answer = client.post("/v1/recommendations", json=case["profile"]).json()
        json_options = [o["name"] for o in json_answer["options"]]
        for shape in ("coded", "words"):
            resources = record(case["profile"], shape == "coded", codes)
            body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                    "context": {"userId": "Practitioner/1", "patientId": PID}, "prefetch": prefetch_of(resources)}  # fmt: skip
            response = client.post("/cds-services/tki-treatment-options", json=body)
            if response.status_code != 200:
                print(f"{case['id']} [{shape}]: HTTP {response.status_code}")
                differ += 1
                continue
            cards = card_options(response.json())
            only_json = [o for o in json_options if o not in cards]
            only_fhir = [o for o in cards if o not in json_options]
            if only_json or only_fhir:
                differ += 1
                print(f"{case['id']} [{shape}]\n  JSON only: {only_json}\n  FHIR only: {only_fhir}\n  not used: {not_used(response.json())}")
            else:
                same += 1
    print(f"\n{len(cases)} first-line cases x 2 shapes: {same} answers with the same options as the JSON route, {differ} different")


if __name__ == "__main__":
    main()
    sys.exit(0)
