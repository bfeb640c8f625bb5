"""Patient bundles shaped the way EHRs and mCODE / Genomics Reporting producers send them, each with what reading it must give.

Codes are the ones the sourced tables in knowledge/ carry (cancer, condition and Observation codes), the mCODE and
Genomics Reporting examples (stage group value 1222806003, MSI-H LA26203-2, source class LA6683-2 / LA6684-0, SO:0002062)
or local lab codes. RxNorm codings carry the display only, except warfarin's RxCUI 11289 (knowledge/drugs.yaml), and
HGNC codings carry the symbol only: other identifiers were not verified.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.fixtures.fhir.make_fixtures import HGNC, HGVS, ICD, LOINC, MCODE, PRESENCE, RXNORM, SCT, cc, clinical

GR = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"
TBD = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
VER_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
LOCAL_LAB = "http://ehr.example.org/fhir/CodeSystem/local-lab"
PID = "pat-1"


@dataclass
class Case:
    name: str
    resources: list[dict[str, Any]]
    profile: dict[str, Any] = field(default_factory=dict)  # fields the reading must send, exactly
    absent: tuple[str, ...] = ()  # profile fields the reading must not send
    not_used: dict[str, str] = field(default_factory=dict)  # "Type/id" -> words its reason must contain
    read: dict[str, str] = field(default_factory=dict)  # "Type/id" -> words its read line must contain
    never_detected: tuple[str, ...] = ()  # genes the engine's answer must not hold a detected result for
    bundle_type: str = "collection"


def _subject() -> dict[str, str]:
    return {"reference": f"Patient/{PID}"}


def patient() -> dict[str, Any]:
    return {"resourceType": "Patient", "id": PID, "meta": {"profile": [MCODE + "mcode-cancer-patient"]},
            "identifier": [{"system": "http://hospital.example.org/mrn", "value": "MRN-000001"}],
            "name": [{"family": "Example", "given": ["Test"]}], "gender": "female", "birthDate": "1961-04-02"}  # fmt: skip


def condition(rid: str, codes: list[tuple[str, str, str]], *, primary: bool = True, text: str | None = None,
              status: str | None = "active", verification: str = "confirmed", **extra: Any) -> dict[str, Any]:  # fmt: skip
    resource: dict[str, Any] = {
        "resourceType": "Condition", "id": rid,
        "verificationStatus": cc(VER_STATUS, verification),
        "category": [cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")],
        "code": {"coding": [{"system": s, "code": c, "display": d} for s, c, d in codes]},
        "subject": _subject(), "recordedDate": "2026-08-14",
    }  # fmt: skip
    if primary:
        resource["meta"] = {"profile": [MCODE + "mcode-primary-cancer-condition"]}
    if status:
        resource["clinicalStatus"] = clinical(status)
    if text:
        resource["code"]["text"] = text
    resource.update(extra)
    return resource


def secondary(rid: str, text: str, status: str = "active") -> dict[str, Any]:
    return {"resourceType": "Condition", "id": rid, "meta": {"profile": [MCODE + "mcode-secondary-cancer-condition"]},
            "clinicalStatus": clinical(status), "code": {"text": text}, "subject": _subject()}  # fmt: skip


def gene(symbol: str) -> dict[str, Any]:
    return {"code": cc(LOINC, "48018-6", "Gene studied [ID]"), "valueCodeableConcept": cc(HGNC, None, symbol)}


def component(loinc: str, display: str, value: Any) -> dict[str, Any]:
    key = "valueString" if isinstance(value, str) else "valueCodeableConcept"
    return {"code": cc(LOINC, loinc, display), key: value}


def hgvs(notation: str) -> dict[str, Any]:
    return {"coding": [{"system": HGVS, "code": notation, "display": notation}]}


def variant(rid: str, components: list[dict[str, Any]], presence: str | None = "Present", status: str = "final",
            when: str = "2026-10-02", **extra: Any) -> dict[str, Any]:  # fmt: skip
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": rid, "meta": {"profile": [GR + "variant"]}, "status": status,
        "category": [cc(OBS_CATEGORY, "laboratory", "Laboratory"), cc("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics")],
        "code": cc(LOINC, "69548-6", "Genetic variant assessment"), "subject": _subject(), "effectiveDateTime": when,
        "method": cc(LOINC, "LA26398-0", "Sequencing"), "component": components,
    }  # fmt: skip
    if presence:
        resource["valueCodeableConcept"] = cc(LOINC, PRESENCE[presence], presence)
    resource.update(extra)
    return resource


def egfr_l858r(rid: str = "egfr-l858r", protein: str = "NP_005219.2:p.Leu858Arg", **kwargs: Any) -> dict[str, Any]:
    return variant(rid, [gene("EGFR"), component("48005-3", "Amino acid change (pHGVS)", hgvs(protein))], **kwargs)


def implication(rid: str, target: str, significance: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": rid, "meta": {"profile": [GR + "diagnostic-implication"]}, "status": "final",
        "category": [cc(OBS_CATEGORY, "laboratory")], "code": cc(TBD, "diagnostic-implication", "Diagnostic Implication"),
        "subject": _subject(), "derivedFrom": [{"reference": target}],
        "component": [component("53037-8", "Genetic variation clinical significance [Imp]", cc(LOINC, code, significance))],
    }  # fmt: skip


def observation(rid: str, code: dict[str, Any], when: str = "2026-10-01", status: str = "final", **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": status, "category": [cc(OBS_CATEGORY, "laboratory")],
            "code": code, "subject": _subject(), "effectiveDateTime": when, **value}  # fmt: skip


def quantity(value: float, unit: str) -> dict[str, Any]:
    return {"valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}


def stage_group(rid: str, value: dict[str, Any], code: tuple[str, str, str] = (SCT, "399537006", "Clinical TNM stage grouping")) -> dict[str, Any]:
    resource = observation(rid, cc(*code), when="2026-09-20", valueCodeableConcept=value)
    resource["meta"] = {"profile": [MCODE + "mcode-tnm-stage-group"]}
    resource["method"] = cc(SCT, "897275008", "American Joint Commission on Cancer, Cancer Staging Manual, 8th edition neoplasm staging system (tumor staging)")
    resource["category"] = [cc(OBS_CATEGORY, "survey")]
    return resource


def ecog(rid: str, score: int, when: str = "2026-10-01") -> dict[str, Any]:
    resource = observation(rid, cc(LOINC, "89247-1", "ECOG Performance Status score"), when=when, valueInteger=score)
    resource["meta"] = {"profile": [MCODE + "mcode-ecog-performance-status"]}
    return resource


def pd_l1(rid: str, value: float, method: str | None, unit: str = "%") -> dict[str, Any]:
    resource = observation(rid, cc(LOINC, "83052-1", "PD-L1 by clone 22C3 [Presence] in Tissue by Immune stain"), **quantity(value, unit))
    if method:
        resource["method"] = {"text": method}
    return resource


def rx(display: str) -> dict[str, Any]:
    return cc(RXNORM, None, display)


def med_request(rid: str, medication: dict[str, Any] | None = None, status: str = "active", intent: str = "order", **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "MedicationRequest", "id": rid, "status": status, "intent": intent,
                                "subject": _subject(), "authoredOn": "2026-09-01"}  # fmt: skip
    if medication is not None:
        resource["medicationCodeableConcept"] = medication
    resource.update(extra)
    return resource


def med_statement(rid: str, medication: dict[str, Any], status: str = "active") -> dict[str, Any]:
    return {"resourceType": "MedicationStatement", "id": rid, "status": status, "medicationCodeableConcept": medication,
            "subject": _subject(), "dateAsserted": "2026-09-15"}  # fmt: skip


def administration(rid: str, medication: dict[str, Any], status: str) -> dict[str, Any]:
    return {"resourceType": "MedicationAdministration", "id": rid, "status": status, "medicationCodeableConcept": medication,
            "subject": _subject(), "effectiveDateTime": "2026-10-01T09:00:00Z"}  # fmt: skip


def medication(rid: str, code: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Medication", "id": rid, **extra}
    if code is not None:
        resource["code"] = code
    return resource


NSCLC = condition("cancer", [(SCT, "254637007", "Non-small cell lung cancer (disorder)")])
LUAD = condition("cancer", [(SCT, "254626006", "Adenocarcinoma of lung (disorder)"), (ICD, "C34.11", "Malignant neoplasm of upper lobe, right bronchus or lung")])
CML = condition("cancer", [(SCT, "92818009", "Chronic myeloid leukemia (disorder)")])
STAGE_IIIC = cc(SCT, "1222806003", "American Joint Committee on Cancer stage IIIC (qualifier value)")


def cases() -> list[Case]:
    out = [
        # ---- cancer conditions -------------------------------------------------------------------------------------
        Case("mcode-stu3-nsclc-with-histology-extension-and-stage-group", [
            patient(),
            condition("cancer", [(SCT, "254637007", "Non-small cell lung cancer (disorder)")], extension=[{
                "url": MCODE + "mcode-histology-morphology-behavior",
                "valueCodeableConcept": cc(SCT, "1187332001", "Adenocarcinoma (morphologic abnormality)")}],
                bodySite=[cc(SCT, "39607008", "Lung structure (body structure)")], stage=[{"summary": STAGE_IIIC}]),
            stage_group("stage", STAGE_IIIC), egfr_l858r(), ecog("ecog", 1),
        ], profile={"cancer_type": "NSCLC", "stage": "IIIC", "ecog": 1,
                    "mutations": [{"gene": "EGFR", "status": "detected", "alteration": "p.Leu858Arg"}]},
             read={"Condition/cancer": "histology 'Adenocarcinoma (morphologic abnormality)' shown", "Observation/stage": "read as 'IIIC'"}),  # fmt: skip
        Case("icd10cm-without-its-dot", [patient(), condition("cancer", [(ICD, "C220", "Liver cell carcinoma")], primary=False)],
             profile={"cancer_type": "HCC"}),
        Case("icd10cm-site-only-with-icdo3-morphology-text", [
            patient(),
            condition("cancer", [(ICD, "C34.90", "Malignant neoplasm of unspecified part of unspecified bronchus or lung"),
                                 (ICDO3, "8140/3", "Adenocarcinoma, NOS")]),
        ], profile={"cancer_type": "LUNG"}, read={"Condition/cancer": "site only"}),  # fmt: skip
        Case("icdo3-topography-only-sends-the-condition-words", [
            patient(), condition("cancer", [(ICDO3, "C34.1", "Upper lobe, lung")], text="Adenocarcinoma of the lung, upper lobe"),
        ], profile={"cancer_type": "Adenocarcinoma of the lung, upper lobe"}, read={"Condition/cancer": "ICD-O-3 C34.1 not in this service's code table"}),
        Case("encounter-diagnosis-cml-without-mcode-profile", [
            patient(), condition("cancer", [(ICD, "C92.10", "Chronic myeloid leukemia, BCR/ABL-positive, not having achieved remission")],
                                 primary=False, category=[cc("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")]),
        ], profile={"cancer_type": "CML"}),  # fmt: skip
        Case("condition-stage-summary-as-snomed-when-no-stage-observation", [
            patient(), condition("cancer", [(SCT, "254626006", "Adenocarcinoma of lung (disorder)")], stage=[{"summary": STAGE_IIIC}])],
             profile={"cancer_type": "LUAD", "stage": "IIIC"}),
        Case("hcc-with-bclc-stage-text-and-cirrhosis", [
            patient(), condition("cancer", [(ICD, "C22.0", "Liver cell carcinoma")], stage=[{"summary": {"text": "BCLC C"}}]),
            condition("cirrhosis", [(ICD, "K74.60", "Unspecified cirrhosis of liver")], primary=False),
        ], profile={"cancer_type": "HCC", "stage": "BCLC C",
                    "conditions": [{"clinical_status": "active", "code": "K74.60", "system": ICD}]}),  # fmt: skip
        Case("two-different-primary-cancers-are-reported", [
            patient(), LUAD, condition("cancer-2", [(ICD, "C73", "Malignant neoplasm of thyroid gland")]),
        ], absent=("cancer_type",), not_used={"Condition/cancer": "more than one current primary", "Condition/cancer-2": "more than one"}),
        Case("entered-in-error-cancer-beside-the-real-one", [
            patient(), condition("old", [(ICD, "C73", "Malignant neoplasm of thyroid gland")], verification="entered-in-error"), LUAD,
        ], profile={"cancer_type": "LUAD"}, not_used={"Condition/old": "entered-in-error"}),
        Case("provisional-cancer-is-not-the-cancer-answered-for", [
            patient(), condition("suspected", [(ICD, "C22.0", "Liver cell carcinoma")], verification="provisional"), CML,
            condition("ild", [(ICD, "J84.10", "Pulmonary fibrosis, unspecified")], primary=False, verification="differential"),
        ], profile={"cancer_type": "CML", "conditions": [{"clinical_status": "active", "code": "J84.10", "system": ICD}]},
             not_used={"Condition/suspected": "not a confirmed diagnosis"}, read={"Condition/ild": "verification 'differential'"}),
        Case("latest-stage-group-by-effective-period", [
            patient(), LUAD,
            stage_group("stage-old", {"text": "IIB"}) | {"effectiveDateTime": None, "effectivePeriod": {"start": "2025-01-01", "end": "2025-01-10"}},
            stage_group("stage-new", {"text": "IVA"}) | {"effectiveDateTime": None, "effectivePeriod": {"start": "2026-09-01"}},
        ], profile={"stage": "IVA"}, not_used={"Observation/stage-old": "earlier stage group"}),
        Case("abated-cancer-without-clinical-status-is-not-current", [
            patient(), condition("old", [(ICD, "C73", "Malignant neoplasm of thyroid gland")], status=None, abatementDateTime="2019-05-01"), CML,
        ], profile={"cancer_type": "CML"}, not_used={"Condition/old": "clinical status 'resolved'"}),
        Case("inactive-secondary-cancer-is-not-metastatic-disease", [
            patient(), LUAD, secondary("brain", "Metastasis to brain", status="inactive"), secondary("bone", "Metastasis to bone"),
        ], profile={"cancer_type": "LUAD", "stage": "metastatic"}, not_used={"Condition/brain": "not current"}),
        Case("patient-with-no-cancer-condition", [patient(), condition("htn", [(SCT, "38341003", "Hypertensive disorder")], primary=False)],
             absent=("cancer_type",)),
        # ---- comorbidities -------------------------------------------------------------------------------------------
        Case("autoimmune-ild-and-transplant-comorbidities", [
            patient(), LUAD,
            condition("sle", [(ICD, "M32.9", "Systemic lupus erythematosus, unspecified")], primary=False),
            condition("ild", [(ICD, "J84.10", "Pulmonary fibrosis, unspecified")], primary=False),
            condition("kidney-tx", [(ICD, "Z940", "Kidney transplant status")], primary=False),
            condition("mg", [(SCT, "91637004", "Myasthenia gravis (disorder)")], primary=False, status="remission"),
        ], profile={"conditions": [
            {"clinical_status": "active", "code": "M32.9", "system": ICD}, {"clinical_status": "active", "code": "J84.10", "system": ICD},
            {"clinical_status": "active", "code": "Z94.0", "system": ICD}, {"clinical_status": "remission", "code": "91637004", "system": SCT}]}),
        Case("refuted-comorbidity-is-not-used", [
            patient(), LUAD, condition("ild", [(ICD, "J84.10", "Pulmonary fibrosis, unspecified")], primary=False, verification="refuted"),
        ], absent=("conditions",), not_used={"Condition/ild": "refuted"}),
        Case("comorbidity-in-a-local-code-with-text", [
            patient(), LUAD, {"resourceType": "Condition", "id": "local", "clinicalStatus": clinical(), "subject": _subject(),
                              "code": {"coding": [{"system": "http://ehr.example.org/problems", "code": "P-1043"}], "text": "interstitial lung disease"}},
        ], profile={"conditions": [{"clinical_status": "active", "text": "interstitial lung disease"}]}),  # fmt: skip
        # ---- variants --------------------------------------------------------------------------------------------------
        Case("egfr-one-letter-protein-change", [patient(), LUAD, egfr_l858r(protein="p.L858R")],
             profile={"mutations": [{"gene": "EGFR", "status": "detected", "alteration": "p.L858R"}]}),
        Case("egfr-exon-19-deletion-three-letter", [patient(), LUAD, egfr_l858r("egfr-del19", protein="NP_005219.2:p.Glu746_Ala750del")],
             profile={"mutations": [{"gene": "EGFR", "status": "detected", "alteration": "p.Glu746_Ala750del"}]}),
        Case("coding-change-with-transcript-only", [patient(), LUAD, variant("v", [
            gene("EGFR"), component("48004-6", "DNA change (c.HGVS)", hgvs("c.2573T>G")),
            component("51958-7", "Transcript reference sequence [ID]", cc("http://www.ncbi.nlm.nih.gov/refseq", "NM_005228.5"))])],
             profile={"mutations": [{"gene": "EGFR", "status": "detected", "alteration": "NM_005228.5:c.2573T>G"}]}),
        Case("genomics-reporting-2-style-text-values", [patient(), CML, variant("abl1", [
            component("48018-6", "Gene studied [ID]", {"text": "ABL1"}), component("48005-3", "Amino acid change (pHGVS)", "p.Thr315Ile")])],
             profile={"mutations": [{"gene": "ABL1", "status": "detected", "alteration": "p.Thr315Ile"}]}),
        Case("cancelled-variant-is-never-detected", [patient(), LUAD, egfr_l858r(status="cancelled")],
             absent=("mutations",), not_used={"Observation/egfr-l858r": "status 'cancelled'"}, never_detected=("EGFR",)),
        Case("entered-in-error-variant-is-never-detected", [patient(), LUAD, egfr_l858r(status="entered-in-error")],
             absent=("mutations",), not_used={"Observation/egfr-l858r": "entered-in-error"}, never_detected=("EGFR",)),
        Case("preliminary-variant-is-pending", [patient(), LUAD, egfr_l858r(status="preliminary")],
             profile={"mutations": [{"gene": "EGFR", "status": "pending", "alteration": "p.Leu858Arg"}]},
             read={"Observation/egfr-l858r": "preliminary result"}, never_detected=("EGFR",)),
        Case("registered-variant-is-pending", [patient(), LUAD, egfr_l858r(status="registered")],
             profile={"mutations": [{"gene": "EGFR", "status": "pending", "alteration": "p.Leu858Arg"}]}, never_detected=("EGFR",)),
        Case("variant-with-unknown-status-is-not-used", [patient(), LUAD, egfr_l858r(status="unknown")],
             absent=("mutations",), not_used={"Observation/egfr-l858r": "status 'unknown'"}, never_detected=("EGFR",)),
        Case("absent-variant-is-not-detected", [patient(), LUAD, egfr_l858r(presence="Absent")],
             profile={"mutations": [{"gene": "EGFR", "status": "not detected", "alteration": "p.Leu858Arg"}]}, never_detected=("EGFR",)),
        Case("variant-value-by-display-only", [patient(), LUAD, egfr_l858r(presence=None, valueCodeableConcept={"text": "Present"})],
             profile={"mutations": [{"gene": "EGFR", "status": "detected", "alteration": "p.Leu858Arg"}]}),
        Case("variant-without-a-value-is-not-read", [patient(), LUAD, egfr_l858r(presence=None, dataAbsentReason=cc(
            "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed", "Not Performed"))],
             absent=("mutations",), not_used={"Observation/egfr-l858r": "not read as a result"}, never_detected=("EGFR",)),
        Case("uncertain-significance-component", [patient(), LUAD, variant("v", [
            gene("EGFR"), component("48005-3", "Amino acid change (pHGVS)", hgvs("p.Leu858Arg")),
            component("53037-8", "Genetic variation clinical significance [Imp]", cc(LOINC, "LA26333-7", "Uncertain significance"))])],
             profile={"mutations": [{"gene": "EGFR", "status": "uncertain significance", "alteration": "p.Leu858Arg"}]}, never_detected=("EGFR",)),
        Case("benign-by-diagnostic-implication-through-fullurl", [patient(), LUAD, egfr_l858r("egfr-q787q", protein="p.Gln787Gln"),
             implication("dx-1", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "Observation/egfr-q787q")), "Benign", "LA6675-8")],
             absent=("mutations",), not_used={"Observation/egfr-q787q": "benign"}, read={"Observation/dx-1": "clinical significance 'Benign'"},
             never_detected=("EGFR",), bundle_type="transaction"),
        Case("pathogenic-implication-keeps-the-variant-detected", [patient(), LUAD, egfr_l858r(),
             implication("dx-2", "Observation/egfr-l858r", "Pathogenic", "LA6668-3")],
             profile={"mutations": [{"gene": "EGFR", "status": "detected", "alteration": "p.Leu858Arg"}]}, read={"Observation/dx-2": "Pathogenic"}),
        Case("implication-for-a-variant-not-in-the-record", [patient(), LUAD, implication("dx-3", "Observation/elsewhere", "Pathogenic", "LA6668-3")],
             not_used={"Observation/dx-3": "derived from no variant result"}),
        Case("therapeutic-implication-is-not-taken-as-advice", [patient(), LUAD, egfr_l858r(), {
            "resourceType": "Observation", "id": "tx-1", "status": "final", "code": cc(TBD, "therapeutic-implication", "Therapeutic Implication"),
            "subject": _subject(), "derivedFrom": [{"reference": "Observation/egfr-l858r"}],
            "component": [{"code": cc(LOINC, "51963-7", "Medication assessed [ID]"), "valueCodeableConcept": rx("osimertinib")}]}],
             not_used={"Observation/tx-1": "makes its own assessment"}),  # fmt: skip
        Case("ros1-fusion-named-only-by-its-variation-code", [patient(), LUAD, variant("ros1", [
            component("81252-9", "Discrete genetic variant", {"text": "ROS1 Fusion"}),
            component("53037-8", "Genetic variation clinical significance [Imp]", cc(LOINC, "LA6668-3", "Pathogenic"))])],
             profile={"mutations": ["ROS1 Fusion"]}, read={"Observation/ros1": "variation code's words"}),
        Case("fusion-as-two-genes-studied-with-a-rearrangement", [patient(), LUAD, variant("eml4-alk", [
            gene("EML4"), gene("ALK"), component("48019-4", "DNA change type", cc("http://www.sequenceontology.org/", "SO:0002062", "complex chromosomal rearrangement")),
            component("48002-0", "Genomic source class [Type]", cc(LOINC, "LA6684-0", "Somatic"))])],
             profile={"mutations": ["EML4::ALK fusion"]}, read={"Observation/eml4-alk": "read as a fusion"}),
        Case("two-genes-without-a-rearrangement-are-reported", [patient(), LUAD, variant("two", [gene("EGFR"), gene("MET")])],
             absent=("mutations",), not_used={"Observation/two": "several genes"}),
        Case("absent-fusion-is-sent-as-not-detected", [patient(), LUAD, variant("alk-neg", [
            gene("EML4"), gene("ALK"), component("48019-4", "DNA change type", cc("http://www.sequenceontology.org/", "SO:0002062", "complex chromosomal rearrangement"))],
            presence="Absent")], profile={"mutations": ["EML4::ALK fusion not detected"]}, never_detected=("ALK",)),
        Case("met-exon-14-by-variation-code-words", [patient(), LUAD, variant("met", [gene("MET"), component("81252-9", "Discrete genetic variant", {"text": "MET exon 14 skipping"})])],
             profile={"mutations": [{"gene": "MET", "status": "detected", "alteration": "exon 14 skipping"}]}),
        Case("germline-ret-m918t-is-noted", [patient(), condition("cancer", [(SCT, "255032005", "Medullary thyroid carcinoma (disorder)")]),
             variant("ret", [gene("RET"), component("48005-3", "Amino acid change (pHGVS)", hgvs("p.Met918Thr")),
                             component("48002-0", "Genomic source class [Type]", cc(LOINC, "LA6683-2", "Germline"))])],
             profile={"mutations": [{"gene": "RET", "status": "detected", "alteration": "p.Met918Thr"}]}, read={"Observation/ret": "germline"}),
        # ---- biomarkers, performance status, ECG and labs ----------------------------------------------------------------
        Case("msi-tmb-and-her2-as-tumour-markers", [
            patient(), condition("cancer", [(ICD, "C18.9", "Malignant neoplasm of colon, unspecified")], text="colorectal adenocarcinoma"),
            observation("msi", cc(LOINC, "81695-9", "Microsatellite instability [Interpretation] in Cancer specimen Qualitative"),
                        valueCodeableConcept=cc(LOINC, "LA26203-2", "MSI-H")),
            observation("tmb", cc(LOINC, "94076-7", "Mutations/Megabase [# Ratio] in Tumor"), **quantity(57.1, "{mutations}/[Mb]")),
            observation("her2", cc(LOINC, "48676-1", "HER2 [Interpretation] in Tissue"), valueCodeableConcept={"text": "Negative"}),
        ], profile={"biomarkers": [{"name": "MSI", "status": "MSI-H"}, {"name": "TMB", "status": "57.1 {mutations}/[Mb]"},
                                   {"name": "HER2", "status": "Negative"}]}),  # fmt: skip
        Case("latest-ecog-is-used-and-karnofsky-is-not-converted", [
            patient(), LUAD, ecog("ecog-old", 0, when="2026-03-01"), ecog("ecog", 2),
            observation("kps", cc(LOINC, "89243-0", "Karnofsky Performance Status score"), valueInteger=70),
        ], profile={"ecog": 2}, not_used={"Observation/ecog-old": "earlier", "Observation/kps": "not converted to ECOG"}),
        Case("ecog-given-as-text-is-reported", [patient(), LUAD, observation("ecog", cc(LOINC, "89247-1", "ECOG Performance Status score"), valueString="1")],
             absent=("ecog",), not_used={"Observation/ecog": "valueInteger"}),
        Case("qtc-in-milliseconds-and-seconds", [
            patient(), CML, observation("qtc-old", cc(LOINC, "8636-3", "Q-T interval corrected"), when="2026-01-01", **quantity(0.41, "s")),
            observation("qtc", cc(LOINC, "76634-5", "Q-T interval corrected based on Fridericia formula"), **quantity(478, "ms")),
            observation("qtc-bad", cc(LOINC, "76635-2", "Q-T interval corrected based on Bazett formula"), **quantity(478, "/min")),
        ], profile={"organ_function": {"qtc_ms": 478.0}}, not_used={"Observation/qtc-old": "earlier", "Observation/qtc-bad": "does not convert"}),
        Case("creatinine-clearance-in-ml-per-minute-only", [
            patient(), LUAD,
            observation("crcl-old", cc(LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma"), when="2026-01-01", **quantity(70, "mL/min")),
            observation("crcl", cc(LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma"), **quantity(42, "mL/min")),
            observation("crcl-bsa", cc(LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma"), **quantity(40, "mL/min/{1.73_m2}")),
        ], profile={"organ_function": {"creatinine_clearance_ml_min": 42.0}}, not_used={"Observation/crcl-old": "earlier", "Observation/crcl-bsa": "not mL/min"}),
        Case("local-lab-codes-are-reported-not-guessed", [
            patient(), LUAD,
            observation("bili", cc(LOCAL_LAB, "BILI-T", "Bilirubin, total"), **quantity(2.1, "mg/dL")),
            observation("alt", cc(LOCAL_LAB, "ALT", "ALT (SGPT)"), **quantity(88, "U/L")),
            observation("egfr-lab", cc(LOCAL_LAB, "EGFR-CKDEPI", "eGFR (CKD-EPI 2021)"), **quantity(41, "mL/min/{1.73_m2}")),
            observation("lvef", cc(LOCAL_LAB, "LVEF", "Left ventricular ejection fraction"), **quantity(35, "%")),
            observation("creat", cc(LOINC, "2160-0", "Creatinine [Mass/volume] in Serum or Plasma"), **quantity(1.9, "mg/dL")),
        ], not_used={"Observation/bili": "does not read", "Observation/egfr-lab": "does not read", "Observation/lvef": "does not read"}),
        Case("blood-counts-in-unit-variants", [
            patient(), condition("cancer", [(ICD, "D47.4", "Osteomyelofibrosis")], primary=True, text="primary myelofibrosis"),
            observation("plt", cc(LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count"), **quantity(85000, "/uL")),
            observation("hb", cc(LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood"), **quantity(92, "g/L")),
            observation("hb-mmol", cc(LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood"), when="2026-10-05", **quantity(5.7, "mmol/L")),
        ], profile={"blood_counts": {"platelets": 85.0, "haemoglobin": 9.2}}, not_used={"Observation/hb-mmol": "does not convert"}),
        Case("pd-l1-cps-and-unscored-and-text", [
            patient(), condition("cancer", [(ICD, "C16.9", "Malignant neoplasm of stomach, unspecified")], text="gastric adenocarcinoma"),
            pd_l1("cps", 12, "Combined positive score (CPS)"), pd_l1("unscored", 5, None),
            observation("pdl1-text", cc(LOINC, "83052-1", "PD-L1 by clone 22C3 [Presence] in Tissue by Immune stain"), valueString="TPS 60%"),
        ], profile={"pd_l1": {"cps": 12.0}}, not_used={"Observation/unscored": "scoring method unknown", "Observation/pdl1-text": "numeric"}),
        # ---- medicines ----------------------------------------------------------------------------------------------------
        Case("medication-reference-to-a-bundled-medication-by-fullurl", [
            patient(), CML, medication("med-omep", rx("omeprazole 20 MG Delayed Release Oral Capsule")),
            med_request("omep", medicationReference={"reference": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "Medication/med-omep"))}),
        ], profile={"current_medications": ["omeprazole"]}, bundle_type="transaction"),
        Case("medication-reference-by-absolute-url", [
            patient(), CML, medication("med-rif", rx("rifampin 300 MG Oral Capsule")),
            med_statement("rif", rx("x")) | {"medicationCodeableConcept": None, "medicationReference": {"reference": "https://ehr.example.org/fhir/Medication/med-rif"}},
        ], profile={"current_medications": ["rifampin"]}),
        Case("contained-compounded-medication-by-its-ingredients", [
            patient(), CML, med_request("compound", contained=[medication("c1", ingredient=[
                {"itemCodeableConcept": rx("omeprazole 20 MG Delayed Release Oral Capsule")}, {"itemCodeableConcept": {"text": "sodium bicarbonate"}}])],
                medicationReference={"reference": "#c1"}),
        ], profile={"current_medications": ["omeprazole", "sodium bicarbonate"]}),
        Case("stopped-completed-on-hold-and-cancelled-are-not-current", [
            patient(), CML,
            med_statement("stopped", rx("omeprazole 20 MG Delayed Release Oral Capsule"), status="stopped"),
            med_statement("completed", rx("rifampin 300 MG Oral Capsule"), status="completed"),
            med_request("on-hold", rx("carbamazepine 200 MG Oral Tablet"), status="on-hold"),
            med_request("cancelled", rx("clarithromycin 500 MG Oral Tablet"), status="cancelled"),
            med_request("active", rx("pantoprazole 40 MG Delayed Release Oral Tablet")),
        ], profile={"current_medications": ["pantoprazole"]},
             not_used={"MedicationStatement/stopped": "not a current", "MedicationStatement/completed": "not a current",
                       "MedicationRequest/on-hold": "not a current", "MedicationRequest/cancelled": "not a current"}),
        Case("do-not-perform-and-planned-orders-are-not-current", [
            patient(), CML, med_request("dnp", rx("omeprazole 20 MG Delayed Release Oral Capsule"), doNotPerform=True),
            med_request("plan", rx("rifampin 300 MG Oral Capsule"), intent="plan"),
        ], absent=("current_medications",), not_used={"MedicationRequest/dnp": "doNotPerform", "MedicationRequest/plan": "intent 'plan'"}),
        Case("medication-administrations-in-progress-and-completed", [
            patient(), CML, administration("infusing", rx("pantoprazole 40 MG Injection"), "in-progress"),
            administration("given", rx("rifampin 600 MG Injection"), "completed"),
        ], profile={"current_medications": ["pantoprazole"]}, not_used={"MedicationAdministration/given": "a record of a dose given"}),
        Case("free-text-and-rxcui-only-medicines", [
            patient(), CML, med_statement("nexium", {"text": "Nexium 40mg daily"}),
            med_request("warfarin", cc(RXNORM, "11289", None)), med_request("unknown-code", cc(RXNORM, "99999999", None)),
            med_request("unresolved", medicationReference={"reference": "Medication/not-sent"}),
        ], profile={"current_medications": [{"rxcui": "11289"}, {"rxcui": "99999999"}, "Nexium 40mg daily"]},
             not_used={"MedicationRequest/unresolved": "not coded and not resolvable"}),
        # ---- other resources ----------------------------------------------------------------------------------------------
        Case("resources-this-service-does-not-read-are-listed", [
            patient(), LUAD,
            {"resourceType": "AllergyIntolerance", "id": "allergy", "patient": _subject(), "code": {"text": "penicillin"}},
            {"resourceType": "Procedure", "id": "lobectomy", "status": "completed", "subject": _subject(), "code": {"text": "Lobectomy of lung"}},
            {"resourceType": "DiagnosticReport", "id": "ngs", "status": "final", "subject": _subject(), "code": cc(LOINC, "51969-4", "Genetic analysis report"),
             "result": [{"reference": "Observation/egfr-l858r"}]},
            {"resourceType": "Specimen", "id": "tissue", "subject": _subject()}, egfr_l858r(),
        ], not_used={"AllergyIntolerance/allergy": "resource type", "Procedure/lobectomy": "resource type", "DiagnosticReport/ngs": "read from the Observations it references",
                     "Specimen/tissue": "resource type"}),  # fmt: skip
    ]
    return out


def bundle_of(case: Case) -> dict[str, Any]:
    """The case as one Bundle; transaction bundles carry urn:uuid fullUrls, others the server's URLs."""
    entries = []
    for resource in case.resources:
        ref = f"{resource['resourceType']}/{resource['id']}"
        url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ref)}" if case.bundle_type == "transaction" else f"https://ehr.example.org/fhir/{ref}"
        entry: dict[str, Any] = {"fullUrl": url, "resource": {k: v for k, v in resource.items() if v is not None}}
        if case.bundle_type == "transaction":
            entry["request"] = {"method": "POST", "url": resource["resourceType"]}
        entries.append(entry)
    return {"resourceType": "Bundle", "type": case.bundle_type, "entry": entries}
