"""The one way the label-pair tables ask the medication check about a pair, and name their rows."""

from __future__ import annotations

from schemas.responses import InteractionPair, InteractionWarning
from service.engine.recommend import check_medication_list
from service.knowledge.index import KnowledgeBase


def pair_ids(table: list[tuple[str, ...]]) -> list[str]:
    """A test id per row: the drug and the medicine."""
    return [f"{row[0]}-{row[1]}" for row in table]


def label_pair(kb: KnowledgeBase, drug: str, medicine: str) -> tuple[InteractionPair, list[InteractionWarning]]:
    """The pair line of `drug` (a name, optionally with its formulation: "acalabrutinib tablets") against `medicine`,
    and the drug's warnings other than two TKIs at once; both must be recognised."""
    result = check_medication_list(kb, [drug, medicine])
    assert not [w for w in result.warnings if w.code == "medication_not_recognised"], medicine
    name = drug.split()[0]
    [pair] = [p for p in result.interaction_pairs if p.drug == name]
    warnings = [w for w in result.interaction_warnings if w.drug == name and w.mechanism != "duplicate_tki"]
    return pair, warnings
