"""What the knowledge covers for a cancer type and line, so "nothing matched" and "not covered" are told apart."""

from __future__ import annotations

from schemas.responses import Coverage
from service.engine.matching import cancer_type_relation
from service.engine.normalise import NormalisedProfile
from service.engine.shown import assembled
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Indication, Regimen


def _related(kb: KnowledgeBase, code: str, indication: Indication) -> bool:
    return cancer_type_relation(kb, code, indication.cancer_types) != "other"


def _for_line(indication: Indication, line: int) -> bool:
    return indication.lines.min <= line and (indication.lines.max is None or line <= indication.lines.max)


def regimens_for_type(kb: KnowledgeBase, code: str) -> list[tuple[Regimen, Indication]]:
    """Every (regimen, indication) pair of the knowledge for this cancer type, or a type above or below it."""
    return kb.once(("coverage", code), lambda: [(r, i) for r in kb.regimens.values() for i in r.indications if _related(kb, code, i)])  # type: ignore[no-any-return]


def lines_text(indications: list[Indication]) -> str:
    lines = sorted({(i.lines.min, i.lines.max or 0) for i in indications})
    return ", ".join(f"line {lo}" if hi == lo else f"lines {lo}+" if hi == 0 else f"lines {lo}-{hi}" for lo, hi in lines)


def coverage_for(kb: KnowledgeBase, profile: NormalisedProfile) -> Coverage:
    """The regimens the knowledge holds for the patient's cancer type and for its line, in numbers and words:
    worked out once per type, line and coverage, and built anew for each answer."""
    key = ("coverage_for", profile.cancer_type, profile.line, profile.covered)
    fields = kb.once(key, lambda: _coverage(kb, profile).model_dump())
    return assembled(Coverage, dict(fields))


def _coverage(kb: KnowledgeBase, profile: NormalisedProfile) -> Coverage:
    code = profile.cancer_type
    if not code:
        return Coverage(covered=False, statement="The cancer type was not recognised, so no regimen could be matched.")
    cancer = kb.cancer_types[code]
    pairs = regimens_for_type(kb, code)
    if not pairs or not profile.covered:
        return Coverage(
            covered=False,
            statement=f"The knowledge base does not cover {cancer.name} ({code}): it holds no regimen or rule for this "
            "cancer type, so no option is offered. This is not a finding about the patient.",
            cancer_type=code,
            line=profile.line,
        )
    by_type = {r.id for r, _ in pairs}
    at_line = [(r, i) for r, i in pairs if _for_line(i, profile.line)]
    regimens_at_line = {r.id for r, _ in at_line}
    withheld = {r.id for r, i in at_line if kb.withheld_reason(r, i) is not None}
    non_tki = {r.id for r, _ in at_line if not r.contains_tki}
    statement = (
        f"The knowledge base holds {len(by_type)} regimen(s) for {cancer.name} ({code}), across "
        f"{lines_text([i for _, i in pairs])}; {len(regimens_at_line)} of them have an indication for line {profile.line}"
    )
    if regimens_at_line:
        statement += f" ({len(non_tki)} without a TKI, {len(withheld)} withheld pending verification)"
    statement += (
        ". It centres on TKI regimens and the standard options they are weighed against; it is not a complete "
        "guideline, so an option missing here is not evidence against it."
    )
    return Coverage(
        covered=True,
        statement=statement,
        cancer_type=code,
        line=profile.line,
        regimens_for_type=len(by_type),
        regimens_for_line=len(regimens_at_line),
        withheld_for_line=len(withheld),
    )


def coverage_by_cancer_type(kb: KnowledgeBase) -> list[dict[str, object]]:
    """One row per cancer type named by an indication: regimens, indications, lines, non-TKI and withheld counts."""
    rows = []
    for code in sorted({c for r in kb.regimens.values() for i in r.indications for c in i.cancer_types}):
        pairs = [(r, i) for r in kb.regimens.values() for i in r.indications if code in i.cancer_types]
        rows.append(
            {
                "code": code,
                "name": kb.cancer_types[code].name,
                "regimens": len({r.id for r, _ in pairs}),
                "indications": len(pairs),
                "lines": lines_text([i for _, i in pairs]),
                "without_tki": len({r.id for r, _ in pairs if not r.contains_tki}),
                "withheld": sum(1 for r, i in pairs if kb.withheld_reason(r, i) is not None),
            }
        )
    return rows
