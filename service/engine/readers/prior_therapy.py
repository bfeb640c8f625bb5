"""Prior therapy: one line per item, its drugs (or a regimen acronym), its outcome in clinicians' words."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from schemas.requests import PriorTherapyInput
from schemas.responses import DrugUnderstood, OutcomeUnderstood, PriorTherapyUnderstood
from service.engine.readers.medicines import DrugRef, normalise_drug
from service.knowledge.index import KnowledgeBase
from service.knowledge.terms import fold, leftover_words

_REGIMEN_SEPARATOR = re.compile(r"\s*(?:\+|,|/|;|\band\b|\bwith\b|\bplus\b)\s*", re.ASCII)
# "imatinib (loss of MMR)", "osimertinib - progression", "gefitinib: PD"
_OUTCOME_CLAUSE = re.compile(r"\s*\(([^()]*)\)\s*$|\s+[-:]\s+(.+)$|\s*:\s*(.+)$", re.ASCII)


@dataclass(frozen=True)
class PriorLine:
    number: int
    drugs: tuple[str, ...]
    outcome: str
    # drugs named in this line that the catalogue does not hold: requirements they might meet stay open
    unrecognised: int = 0
    ongoing: bool = False
    outcome_recognised: bool = True
    # weeks from the line's last dose, when sent; never part of a cached reading
    weeks_since_last_dose: float | None = None


def read_outcome(kb: KnowledgeBase, text: str) -> OutcomeUnderstood:
    """An outcome in clinicians' words: one known outcome, with nothing left over, or not recognised."""
    folded = fold(text)
    found = [kb.outcome_words[m.group(0)] for m in kb.outcome_pattern.finditer(folded)]
    rest = kb.ongoing_pattern.sub(" ", kb.outcome_pattern.sub(" ", folded))
    leftover = [w for w in leftover_words(rest) if w not in {"on", "of", "to", "after", "the", "with", "then", "and", "due"}]
    outcomes = set(found)
    if len(outcomes) == 1 and not leftover:
        outcome = outcomes.pop()
        return OutcomeUnderstood(input=text, status="recognised", normalised=outcome, outcome=outcome, read_as=outcome)  # type: ignore[arg-type]
    if len(outcomes) > 1:
        detail = "states more than one outcome (" + ", ".join(sorted(outcomes)) + "); the outcome is taken as unknown"
    elif leftover:
        detail = f"the words '{' '.join(leftover)}' were not understood; the outcome is taken as unknown"
    else:
        detail = "no outcome is stated; the outcome is taken as unknown"
    return OutcomeUnderstood(input=text, status="not_recognised", outcome="unknown", detail=detail)


def _split_text_line(kb: KnowledgeBase, text: str) -> tuple[list[str], str | None, bool]:
    """Drugs, outcome words and whether the line is ongoing, from "imatinib 400 mg (loss of MMR)"."""
    outcome: str | None = None
    ongoing = False
    match = _OUTCOME_CLAUSE.search(text)
    if match:
        clause = next(g for g in match.groups() if g is not None)
        if kb.outcome_pattern.search(fold(clause)) or kb.ongoing_pattern.search(fold(clause)):
            outcome = clause
            text = text[: match.start()]
    names = []
    for part in (p for p in _REGIMEN_SEPARATOR.split(text) if p.strip()):
        folded = fold(part)
        if outcome is None and kb.outcome_pattern.fullmatch(folded.strip(" ."), 0):
            outcome = part  # "imatinib, progression": the last item is the outcome
            continue
        if kb.ongoing_pattern.fullmatch(folded.strip(" .")):
            ongoing = True
            continue
        names.append(part)
    if outcome is not None and kb.ongoing_pattern.search(fold(outcome)):
        ongoing = True
    return names, outcome, ongoing


def normalise_prior_therapy(
    kb: KnowledgeBase, item: str | PriorTherapyInput, number: int
) -> tuple[PriorTherapyUnderstood, PriorLine]:
    """One line of prior therapy as read; a fully recognised entry is read once per position (a bounded cache kept
    with the knowledge base)."""
    if isinstance(item, PriorTherapyInput):
        fields = (tuple(item.drugs), item.outcome, item.ongoing, item.line)
        reading = kb.cached("prior_fields", lambda *key: _read_prior_fields(kb, *key), keep=_fully_recognised)(*fields, number)
        if item.weeks_since_last_dose is None:
            return reading  # type: ignore[no-any-return]
        # the interval is added after the (cached) reading, so no cache is keyed by it
        weeks = float(item.weeks_since_last_dose)
        return reading[0].model_copy(update={"weeks_since_last_dose": weeks}), replace(reading[1], weeks_since_last_dose=weeks)
    return kb.cached("prior_text", lambda text, at: _read_prior_therapy(kb, text, at), keep=_fully_recognised)(item, number)  # type: ignore[no-any-return]


def _fully_recognised(reading: tuple[PriorTherapyUnderstood, PriorLine]) -> bool:
    return reading[1].unrecognised == 0 and reading[1].outcome_recognised


def _read_prior_fields(
    kb: KnowledgeBase, drugs: tuple[str, ...], outcome: str | None, ongoing: bool | None, line: float | None, number: int
) -> tuple[PriorTherapyUnderstood, PriorLine]:
    # the fields of an already validated PriorTherapyInput, rebuilt without validating them again
    item = PriorTherapyInput.model_construct(drugs=list(drugs), outcome=outcome, ongoing=ongoing, line=line)
    return _read_prior_therapy(kb, item, number)


def _read_prior_therapy(
    kb: KnowledgeBase, item: str | PriorTherapyInput, number: int
) -> tuple[PriorTherapyUnderstood, PriorLine]:
    if isinstance(item, PriorTherapyInput):
        names, outcome_text = list(item.drugs), item.outcome
        ongoing = bool(item.ongoing)
        number = int(item.line) if item.line is not None else number
    else:
        names, outcome_text, ongoing = _split_text_line(kb, item)
    reading = read_outcome(kb, outcome_text) if outcome_text is not None else None
    if reading is not None and kb.ongoing_pattern.search(fold(outcome_text or "")):
        ongoing = True
    outcome = reading.outcome if reading is not None else "unknown"
    understood = [found for name in names for found in _normalise_prior_drug(kb, name)]
    drugs = tuple(ref.name for _, ref in understood if ref is not None)
    unrecognised = sum(1 for _, ref in understood if ref is None)
    return (
        PriorTherapyUnderstood(line=number, drugs=[u for u, _ in understood], outcome=outcome, outcome_reading=reading, ongoing=ongoing),
        PriorLine(
            number=number,
            drugs=drugs,
            outcome=outcome,
            unrecognised=unrecognised,
            ongoing=ongoing,
            outcome_recognised=reading is None or reading.status == "recognised",
        ),
    )


def _normalise_prior_drug(kb: KnowledgeBase, name: str) -> list[tuple[DrugUnderstood, DrugRef | None]]:
    """A drug, or a named combination (FOLFOX) expanded to the drugs it always stands for."""
    combination = kb.combination_terms.get(fold(name).strip(" ."))
    if combination is None:
        return [normalise_drug(kb, name)]
    expanded = []
    for drug in combination.drugs:
        understood, ref = normalise_drug(kb, drug)
        expanded.append((understood.model_copy(update={"input": name, "detail": f"part of {combination.name}"}), ref))
    return expanded
