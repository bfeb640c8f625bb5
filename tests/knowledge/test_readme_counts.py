"""knowledge/README.md states what the release holds; it must agree with the records."""

from __future__ import annotations

import re

from service.config import get_settings


def test_readme_counts_match_the_release(kb):
    text = (get_settings().knowledge_dir / "README.md").read_text(encoding="utf-8")
    expected = {
        "regimens": len(kb.regimens),
        "indications": sum(len(r.indications) for r in kb.regimens.values()),
        "evidence records": len(kb.evidence),
        "citable evidence records": sum(e.citable for e in kb.evidence.values()),
        "label interaction rules": sum(len(label.rules) for label in kb.labels.values()),
        "drug label records": len(kb.labels),
        "resistance and biomarker rules": len(kb.source.rules.resistance),
        "toxicity rules": len(kb.source.rules.toxicity),
        "patient rules": len(kb.source.rules.patient),
    }
    for what, count in expected.items():
        assert re.search(rf"\*\*{count}\*\* {re.escape(what)}\b", text), f"README should say **{count}** {what}"
    assert kb.source.release.version in text
