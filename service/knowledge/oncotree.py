"""The whole OncoTree release as the cancer-type vocabulary, with the curators' overlay applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from service.knowledge.records import CancerType, CancerTypeFile, CancerTypeOverlay

# OncoTree's level-1 nodes are tissues; these two hold the haematological neoplasms.
_HAEMATOLOGICAL_TISSUES = frozenset({"Myeloid", "Lymphoid"})


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("children", {}).values():
        found.extend(_nodes(child))
    return found


def _category(node: dict[str, Any]) -> str:
    if node.get("level") == 1:
        return "tissue"
    return "haematological" if node.get("tissue") in _HAEMATOLOGICAL_TISSUES else "solid"


def build_cancer_types(root: Path, overlay: CancerTypeOverlay, problems: list[str]) -> CancerTypeFile | None:
    """Every OncoTree node below TISSUE as a CancerType, with the overlay's synonyms and definitions."""
    path = root / overlay.oncotree_file
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))["TISSUE"]
    except (OSError, ValueError, KeyError) as error:
        problems.append(f"cancer_types.yaml: the OncoTree file {overlay.oncotree_file} could not be read ({type(error).__name__})")
        return None
    nodes = [n for n in _nodes(tree) if n["code"] != "TISSUE"]
    codes = {n["code"] for n in nodes}
    for code in [*overlay.synonyms, *overlay.defined_by]:
        if code not in codes:
            problems.append(f"cancer_types.yaml: {code} is not a code of {overlay.oncotree_release}")
    cancer_types = [
        CancerType(
            code=n["code"],
            name=n["name"],
            parent=n["parent"] if n.get("parent") not in (None, "TISSUE") else None,
            category=_category(n),
            main_type=n.get("mainType") or None,
            level=n.get("level"),
            previous_codes=[c for c in n.get("history", []) if c not in codes],
            synonyms=overlay.synonyms.get(n["code"], []),
            defined_by=overlay.defined_by.get(n["code"]),
        )
        for n in nodes
    ]
    return CancerTypeFile(
        source_url=overlay.source_url,
        accessed=overlay.accessed,
        oncotree_release=overlay.oncotree_release,
        cancer_types=cancer_types,
        ambiguous_terms=overlay.ambiguous_terms,
        abbreviations=overlay.abbreviations,
        qualifiers=overlay.qualifiers,
    )
