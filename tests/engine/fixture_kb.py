"""A small synthetic knowledge base for testing engine mechanisms in isolation from the curated data."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.knowledge.index import KnowledgeBase
from service.knowledge.records import (
    REQUIRED_INTERACTION_CLASSES,
    AlterationFile,
    CancerTypeFile,
    ClassInteractionRule,
    DrugFile,
    DrugLabel,
    Evidence,
    Regimen,
    Release,
    RulesFile,
)
from service.knowledge.source import KnowledgeSource, check_cross_references

CLASSES = ["tyrosine_kinase_inhibitor", *REQUIRED_INTERACTION_CLASSES, "acid_sensitive_tki"]
MECHANISMS = {"proton_pump_inhibitor": "gastric_acid_reduction", "h2_blocker": "gastric_acid_reduction", "antacid": "gastric_acid_reduction", "strong_cyp3a4_inducer": "cyp3a4_induction", "moderate_cyp3a4_inducer": "cyp3a4_induction", "strong_cyp3a4_inhibitor": "cyp3a4_inhibition", "moderate_cyp3a4_inhibitor": "cyp3a4_inhibition"}


def _label(drug: str, rules: list[dict[str, Any]], formulations: list[dict[str, Any]] | None = None) -> DrugLabel:
    covered = {r["with_class"] for r in rules if "with_class" in r}
    filler = [{"with_class": c, "severity": "no_label_guidance"} for c in REQUIRED_INTERACTION_CLASSES if c not in covered]
    for rule in rules:
        if rule["severity"] != "no_label_guidance":
            rule.setdefault("label_sections", ["7"])
            rule.setdefault("evidence_kind", "label_statement")
    return DrugLabel.model_validate(
        {
            "drug": drug,
            "label": {"title": f"{drug} label", "set_id": "00000000-0000-4000-8000-000000000001", "set_id_source": "https://dailymed.nlm.nih.gov/dailymed/", "set_id_verified": "dailymed"},
            "verification": {"method": "DailyMed label", "read_from": ["https://dailymed.nlm.nih.gov/dailymed/"], "checked": "2026-01-01", "label_wording_read": True},
            "formulations": formulations or [],
            "rules": rules + filler,
        }
    )


def build_fixture_kb(class_rules: list[dict[str, Any]] | None = None) -> KnowledgeBase:
    drugs = DrugFile.model_validate(
        {
            "classes": [{"id": c, "name": c.replace("_", " "), "mechanism": MECHANISMS.get(c)} for c in CLASSES],
            "drugs": [
                {"name": "alphatinib", "classes": ["tyrosine_kinase_inhibitor", "acid_sensitive_tki"]},
                {"name": "betatinib", "classes": ["tyrosine_kinase_inhibitor", "acid_sensitive_tki"]},
                {
                    "name": "gammatinib",
                    "classes": ["tyrosine_kinase_inhibitor"],
                    "formulations": [
                        {"id": "capsules", "name": "gammatinib capsules", "keywords": ["capsules"]},
                        {"id": "tablets", "name": "gammatinib tablets", "keywords": ["tablets"]},
                    ],
                },
                {"name": "acidstop", "brands": ["Acidgone"], "salts": ["acidstop magnesium"], "classes": ["proton_pump_inhibitor"]},
                {"name": "inducerin", "classes": ["strong_cyp3a4_inducer"]},
                {"name": "plainol", "classes": []},
            ],
        }
    )
    labels = [
        _label(
            "alphatinib",
            [
                {"with_class": "proton_pump_inhibitor", "severity": "avoid", "effect": "AUC down", "management": "Avoid."},
                {"with_drug": "acidstop", "severity": "not_meaningful", "effect": "studied: no change"},
                {"with_class": "strong_cyp3a4_inducer", "severity": "adjust_dose", "management": "Increase to double the dose (2x)", "dose_change": "double the dose (2x)"},
            ],
        ),
        _label(
            "gammatinib",
            [
                {"with_class": "proton_pump_inhibitor", "formulation": "capsules", "severity": "avoid", "management": "Avoid."},
                {"with_class": "proton_pump_inhibitor", "formulation": "tablets", "severity": "not_meaningful"},
            ],
            formulations=[{"id": "capsules", "name": "gammatinib capsules"}, {"id": "tablets", "name": "gammatinib tablets"}],
        ),
    ]
    source = KnowledgeSource(
        release=Release(version="test", released=date(2026, 1, 1)),
        cancer_types=CancerTypeFile.model_validate(
            {"source_url": "https://example.org", "accessed": "2026-01-01", "cancer_types": [{"code": "TEST", "name": "Test", "category": "solid"}]}
        ),
        drugs=drugs,
        alterations=AlterationFile(genes=[], alterations=[], categories={}, biomarkers=[]),
        regimens=[],
        evidence=[],
        rules=RulesFile(resistance=[], toxicity=[]),
        labels=labels,
        class_rules=[ClassInteractionRule.model_validate(r) for r in class_rules or []],
    )
    # betatinib is an oral TKI without a label: the check must say so; the fixture tolerates exactly that.
    problems = check_cross_references(source)
    assert problems == ["interactions: oral TKI betatinib has no label interaction record"], problems
    return KnowledgeBase(source=source, content_hash="sha256:test")


__all__ = ["build_fixture_kb", "Evidence", "Regimen"]
