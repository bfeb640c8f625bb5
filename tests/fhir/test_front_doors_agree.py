"""The same patient gives the same options through CDS Hooks patient-view and POST /v1/recommendations."""

from __future__ import annotations

import re

import pytest

from tests.cdshooks.support import patient_view

# The JSON profile a clinician would type for each FHIR fixture patient, written independently of the FHIR reader.
SAME_PATIENT = {
    "nsclc-egfr-l858r-on-omeprazole": {
        "cancer_type": "lung adenocarcinoma", "stage": "IVB",
        "mutations": ["EGFR L858R", "no EGFR T790M", {"gene": "BRAF", "alteration": "V600E", "status": "equivocal"},
                      {"gene": "KRAS", "alteration": "G12C", "status": "not tested"}],
        "pd_l1": {"tps": 60}, "current_medications": ["omeprazole 20 mg", "metformin hydrochloride"],
    },
    "cml-t315i-on-pantoprazole": {"cancer_type": "CML", "stage": "chronic phase", "mutations": ["BCR-ABL1 T315I"], "current_medications": ["pantoprazole"]},
    "gist-kit-exon11-metastatic-on-rifampin": {"cancer_type": "GIST", "stage": "metastatic", "mutations": ["KIT V560D"], "current_medications": ["rifampin"]},
    "rcc-clear-cell-on-carbamazepine": {"cancer_type": "clear cell renal cell carcinoma", "stage": "IV", "current_medications": ["carbamazepine"]},
    "hcc-bclc-c-cirrhosis": {"cancer_type": "hepatocellular carcinoma", "stage": "BCLC C, Child-Pugh A", "conditions": ["cirrhosis"]},
    "medullary-thyroid-ret-m918t": {"cancer_type": "medullary thyroid cancer", "stage": "IVC", "mutations": ["RET M918T"], "conditions": ["myasthenia gravis"]},
}  # fmt: skip
OPTION = re.compile(r"^Option \d+ of \d+: (.+) \(evidence level [1-4]\)$")


@pytest.mark.parametrize("patient", sorted(SAME_PATIENT))
def test_patient_view_and_the_json_api_give_the_same_options(client, patient):
    cards = client.post("/cds-services/tki-treatment-options", json=patient_view(patient)).json()["cards"]
    via_cds = [m.group(1) for c in cards if (m := OPTION.match(c["summary"]))]
    answer = client.post("/v1/recommendations", json=SAME_PATIENT[patient]).json()
    assert via_cds == [o["name"] for o in answer["options"]]
    assert via_cds, "every fixture patient has at least one option"
    excluded = next((c["summary"] for c in cards if c["summary"].startswith("Not recommended")), "")
    for item in answer["not_recommended"]:
        assert item["name"] in excluded or excluded.endswith("...")
    interaction_cards = {c["summary"] for c in cards if c["summary"].startswith(tuple(f"{w['drug']} + " for w in answer["interaction_warnings"]))}
    assert len(interaction_cards) == len({(w["drug"], w["interacting_drug"]) for w in answer["interaction_warnings"]})
