"""Issue 12: label statements read, pair by pair, answer as the label says.

Each row is one statement read in a TKI's label (or the copy of it named in the knowledge): the TKI, a
medicine, the answer expected and the label section. "not_meaningful" rows are the statements that a
co-medication had no clinically meaningful effect: they must come back cleared, never as a warning from a
class rule. Warning rows are the enzyme and transporter mechanisms the labels name (CYP1A2, CYP2C8, CYP2C9,
CYP2D6, UGT1A1, OCT2/MATE, P-gp, sensitive CYP3A substrates). A TKI whose label was not read for a mechanism
answers "not assessed" for a medicine of that mechanism, never silence and never "no meaningful effect".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.config import get_settings
from service.engine.recommend import check_medication_list
from service.knowledge.source import KnowledgeError, read_knowledge

# (TKI, medicine, status, severity or None, label section the statement is in)
LABEL_PAIRS = [
    # no clinically meaningful effect (12.3)
    ("capmatinib", "midazolam", "not_meaningful", None, "12.3"),
    ("fedratinib", "digoxin", "not_meaningful", None, "12.3"),
    ("fedratinib", "rosuvastatin", "not_meaningful", None, "12.3"),
    ("lenvatinib", "midazolam", "not_meaningful", None, "12.3"),
    ("lenvatinib", "repaglinide", "not_meaningful", None, "12.3"),
    ("lenvatinib", "ketoconazole", "not_meaningful", None, "12.3"),
    ("pazopanib", "warfarin", "not_meaningful", None, "12.3"),
    ("pazopanib", "caffeine", "not_meaningful", None, "12.3"),
    ("sorafenib", "midazolam", "not_meaningful", None, "12.3"),
    ("sorafenib", "dextromethorphan", "not_meaningful", None, "12.3"),
    ("sorafenib", "ketoconazole", "not_meaningful", None, "12.3"),
    ("tucatinib", "tolbutamide", "not_meaningful", None, "12.3"),
    ("tucatinib", "omeprazole", "not_meaningful", None, "12.3"),
    ("vandetanib", "midazolam", "not_meaningful", None, "12.3"),
    ("vandetanib", "itraconazole", "not_meaningful", None, "7.2"),
    ("crizotinib", "esomeprazole", "not_meaningful", None, "12.3"),
    ("alectinib", "esomeprazole", "not_meaningful", None, "12.3"),
    ("ponatinib", "lansoprazole", "not_meaningful", None, "12.3"),
    ("osimertinib", "simvastatin", "not_meaningful", None, "12.3"),
    ("lorlatinib", "rabeprazole", "not_meaningful", None, "12.3"),
    ("lorlatinib", "famotidine", "not_meaningful", None, "12.3"),
    ("lorlatinib", "calcium carbonate", "not_meaningful", None, "12.3"),
    ("entrectinib", "midazolam", "not_meaningful", None, "12.3"),
    ("entrectinib", "digoxin", "not_meaningful", None, "12.3"),
    ("fruquintinib", "rosuvastatin", "not_meaningful", None, "12.3"),
    ("fruquintinib", "dabigatran", "not_meaningful", None, "12.3"),
    # the TKI as perpetrator on the mechanisms its label names (7.2)
    ("capmatinib", "theophylline", "warning", "monitor", "7.2"),
    ("capmatinib", "tizanidine", "warning", "monitor", "7.2"),
    ("capmatinib", "metformin", "warning", "monitor", "7.2"),
    ("dacomitinib", "dextromethorphan", "warning", "avoid", "7.2"),
    ("dacomitinib", "metoprolol", "warning", "avoid", "7.2"),
    ("fedratinib", "metformin", "warning", "monitor", "7.2"),
    ("pazopanib", "dextromethorphan", "warning", "monitor", "7"),
    ("pazopanib", "paclitaxel", "warning", "monitor", "7"),
    ("pazopanib", "irinotecan", "warning", "monitor", "7"),
    ("regorafenib", "irinotecan", "warning", "monitor", "7"),
    ("regorafenib", "rosuvastatin", "warning", "monitor", "7"),
    ("regorafenib", "digoxin", "warning", "monitor", "7"),
    ("selpercatinib", "repaglinide", "warning", "avoid", "7.2"),
    ("sorafenib", "irinotecan", "warning", "monitor", "7"),
    ("tepotinib", "dabigatran", "warning", "monitor", "7.2"),
    ("tepotinib", "metformin", "warning", "monitor", "7.2"),
    ("tucatinib", "midazolam", "warning", "avoid", "7.2"),
    ("vandetanib", "metformin", "warning", "monitor", "7"),
    ("vandetanib", "digoxin", "warning", "monitor", "7"),
    ("vandetanib", "warfarin", "warning", "monitor", "7"),
    ("ceritinib", "midazolam", "warning", "avoid", "7.2"),
    ("ceritinib", "warfarin", "warning", "avoid", "7.2"),
    ("ceritinib", "clarithromycin", "warning", "avoid", "7"),
    ("erdafitinib", "metformin", "warning", "monitor", "7.2"),
    ("larotrectinib", "midazolam", "warning", "avoid", "7.2"),
    ("pacritinib", "theophylline", "warning", "monitor", "7.2"),
    ("pacritinib", "fluconazole", "warning", "monitor", "7.1"),
    ("neratinib", "digoxin", "warning", "monitor", "7.2"),
    ("neratinib", "rosuvastatin", "warning", "monitor", "7.2"),
    ("asciminib", "warfarin", "warning", "avoid", "7.2"),
    ("gilteritinib", "digoxin", "warning", "monitor", "7"),
    ("gilteritinib", "rosuvastatin", "warning", "monitor", "7"),
    # mechanisms whose label wording was not read for the TKI: not assessed
    ("osimertinib", "theophylline", "not_assessed", None, "-"),
    ("imatinib", "metformin", "not_assessed", None, "-"),
    ("sunitinib", "repaglinide", "not_assessed", None, "-"),
    ("ibrutinib", "dextromethorphan", "not_assessed", None, "-"),
    ("alectinib", "midazolam", "not_assessed", None, "-"),
]


def _pair(kb, tki: str, medicine: str):
    result = check_medication_list(kb, [tki, medicine])
    [pair] = [p for p in result.interaction_pairs if p.drug == tki and p.interacting_drug == medicine]
    return result, pair


@pytest.mark.parametrize(("tki", "medicine", "status", "severity", "section"), LABEL_PAIRS, ids=[f"{t}-{m}" for t, m, *_ in LABEL_PAIRS])
def test_a_label_pair_answers_as_the_label_says(kb, tki, medicine, status, severity, section):
    result, pair = _pair(kb, tki, medicine)
    assert pair.status == status, (section, pair.detail)
    assert pair.severity == severity, (section, pair.detail)
    warnings = [w for w in result.interaction_warnings if w.drug == tki and w.interacting_drug == medicine]
    cleared = [c for c in result.interactions_cleared if c.drug == tki and c.interacting_drug == medicine]
    if status == "not_meaningful":
        # cleared, with its citation, and no class rule warns for the pair
        assert warnings == [] and len(cleared) == 1, pair.detail
        assert all(result.citations[e].kind == "label" for e in cleared[0].evidence)
    elif status == "warning":
        [warning] = warnings
        assert cleared == []
        assert section in result.citations[warning.evidence[0]].section.split("; "), result.citations[warning.evidence[0]].section
    else:
        assert warnings == [] and cleared == []
        assert "not assessed" in pair.detail


def test_the_cleared_statements_cover_several_tkis_and_mechanisms():
    cleared = [row for row in LABEL_PAIRS if row[2] == "not_meaningful"]
    assert len({tki for tki, *_ in cleared}) >= 10
    assert len({medicine for _, medicine, *_ in cleared}) >= 10


def test_a_cleared_pair_stays_cleared_beside_other_medicines(kb):
    """The clearance is per pair: adding a medicine that warns does not turn the cleared pair into a warning."""
    result = check_medication_list(kb, ["vandetanib", "midazolam", "metformin"])
    statuses = {p.interacting_drug: p.status for p in result.interaction_pairs if p.drug == "vandetanib"}
    assert statuses == {"midazolam": "not_meaningful", "metformin": "warning"}


def test_new_mechanisms_are_listed_as_checked_or_not_checked(kb):
    result = check_medication_list(kb, ["dacomitinib", "dextromethorphan"])
    [scope] = [s for s in result.interaction_scope if s.drug == "dacomitinib"]
    assert "the TKI raising CYP2D6 substrates" in scope.mechanisms_checked
    assert "the TKI raising CYP1A2 substrates" in scope.mechanisms_not_checked


def _drug_clearances(kb) -> list[tuple[str, str]]:
    return sorted(
        {
            (label.drug, rule.with_drug)
            for label in kb.labels.values()
            if label.us_label
            for rule in label.rules
            if rule.with_drug and rule.severity.value == "not_meaningful" and rule.formulation is None
        }
    )


def test_every_drug_a_label_clears_comes_back_cleared(kb):
    """A clearance naming the drug decides the pair: no class rule of the label may turn it into a warning."""
    pairs = _drug_clearances(kb)
    assert len(pairs) >= 7
    for tki, medicine in pairs:
        _, pair = _pair(kb, tki, medicine)
        assert pair.status == "not_meaningful", (tki, medicine, pair.detail)


def test_an_additions_rule_joins_its_drugs_label_record(kb):
    """Rules in interactions/additions_*.yaml are the record's own once loaded (checked, counted, answered)."""
    added = [r for r in kb.labels["dacomitinib"].rules if r.with_class == "cyp2d6_substrate"]
    assert len(added) == 1 and added[0].severity.value == "avoid"


def _knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(get_settings().knowledge_dir, target)
    return target


def test_an_addition_for_a_drug_without_a_label_record_fails_the_check(tmp_path):
    root = _knowledge_copy(tmp_path)
    (root / "interactions" / "additions_test.yaml").write_text(
        "- drug: no-such-tki\n  rules:\n  - {with_class: cyp2d6_substrate, severity: no_label_guidance}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(root)
    assert "interactions additions: no-such-tki has no label record to add to" in error.value.problems


def test_an_addition_is_checked_like_the_records_own_rules(tmp_path):
    root = _knowledge_copy(tmp_path)
    (root / "interactions" / "additions_test.yaml").write_text(
        "- drug: imatinib\n  rules:\n  - {with_class: cyp2d6_substrate, severity: avoid, management: Monitor closely.}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(root)
    assert any("interactions: imatinib / cyp2d6_substrate" in p and "label_sections" in p for p in error.value.problems)
