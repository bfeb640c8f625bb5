"""Medicines: a name, brand or salt with the words of a prescription (dose, route, form, frequency).

A line with any other word beside a known name ("omeprazole sodium bicarbonate") is not recognised:
it may be another medicine, so it is reported rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.requests import MedicationInput
from schemas.responses import DrugUnderstood
from service.knowledge.index import KnowledgeBase
from service.knowledge.terms import fold

_DOSE_NOISE = re.compile(r"[,;()\[\]]")

# Words a medication line may carry beside the drug's name without changing which drug it is: dose units,
# frequency, route, dosage form, release type and the small words of a sig. Only routes and forms that reach
# the blood are here (oral, injected, sublingual, buccal, transdermal): a topical, ophthalmic, inhaled, nasal
# or rectal product may act locally, so its line stays not recognised. Any other word (a second drug,
# "emtansine" after "trastuzumab") means the line names something this catalogue does not hold.
_ADMINISTRATION_WORDS = frozenset(
    """
    mg mcg µg ug g gram grams kg ml l iu unit units unt mmol meq % day days week weeks
    once twice daily a per x times every each weekly hourly hour hours h hr hrs
    morning evening night nightly bedtime noon am pm
    bid tid qid qd od bd tds qds qhs qam qpm prn
    po oral orally by mouth iv intravenous sc subcutaneous
    tab tabs tablet tablets cap caps capsule capsules solution suspension liquid chewable granules powder injection
    dr er xr xl sr cr ec delayed extended modified sustained controlled release delayed-release extended-release
    enteric coated enteric-coated film-coated
    injectable infusion intramuscular im prefilled syringe auto-injector cartridge pen injector vial
    disintegrating orally-disintegrating odt sublingual buccal lozenge troche film sprinkle pellet pellets
    elixir syrup for transdermal patch system osmotic once-daily abuse-deterrent
    take with without before after food meals meal breakfast lunch dinner as needed at
    """.split()
)


def _is_administration_word(word: str) -> bool:
    parts = [part for part in word.split("/") if part]
    return all(any(ch.isdigit() for ch in part) or part.rstrip(".") in _ADMINISTRATION_WORDS for part in parts)


@dataclass(frozen=True)
class DrugRef:
    """A recognised drug, with its formulation when the caller named one."""

    name: str
    formulation: str | None
    input: str


_RXCUI_TEXT = re.compile(r"^\s*(?:rxcui\s*[:=]?\s*)?([0-9]{1,9})\s*$", re.IGNORECASE)


def drug_by_rxcui(kb: KnowledgeBase, text: str | None) -> str | None:
    """The catalogue drug an RxNorm RxCUI ("rxcui:11289" or a bare "11289") names, or None."""
    match = _RXCUI_TEXT.match(text or "")
    return kb.drug_rxcuis.get(match.group(1)) if match else None


def read_rxcui(kb: KnowledgeBase, item: str | MedicationInput) -> tuple[DrugUnderstood, DrugRef | None] | None:
    """A medicine given by RxCUI, read as the drug that code names; None when the item is not a code.

    An unknown code alone is reported, never guessed; a name and a code naming different drugs are
    reported too. A name and its own code answer as the name (which keeps the formulation).
    """
    code = item.rxcui if isinstance(item, MedicationInput) else (item if _RXCUI_TEXT.match(item) else None)
    if code is None:
        return None
    match = _RXCUI_TEXT.match(code)
    shown = f"rxcui:{match.group(1)}" if match else code
    name = drug_by_rxcui(kb, code)
    has_name = isinstance(item, MedicationInput) and item.name is not None
    if name is None:
        if has_name:
            return None  # the name decides; an unknown code beside it adds nothing
        return (
            DrugUnderstood(input=shown, status="not_recognised", detail="RxCUI not in the drug catalogue; its interactions were not checked"),
            None,
        )
    if has_name:
        by_name = normalise_drug(kb, item.model_copy(update={"rxcui": None}))  # type: ignore[union-attr]
        if by_name[1] is not None and by_name[1].name != name:
            return (
                DrugUnderstood(
                    input=f"{item.name} ({shown})",  # type: ignore[union-attr]
                    status="not_recognised",
                    detail=f"the name reads as {by_name[1].name} but the RxCUI as {name}: send one of them to have its interactions checked",
                ),
                None,
            )
        if by_name[1] is not None:
            return by_name
    drug = kb.drugs[name]
    return (
        DrugUnderstood(input=shown, status="recognised", normalised=name, name=name, detail="read as an RxNorm RxCUI", classes=list(drug.classes)),
        DrugRef(name=name, formulation=None, input=shown),
    )


DrugReading = tuple[DrugUnderstood, DrugRef | None]


def normalise_drug(kb: KnowledgeBase, item: str | MedicationInput) -> DrugReading:
    """How one medicine entry reads; it depends only on the entry and the knowledge, so a recognised entry is
    read once (a bounded cache kept with the knowledge base)."""
    if type(item) is not str and isinstance(item, MedicationInput):  # a text entry skips the model's class check
        reader = kb.cached("medicine_fields", lambda *fields: _read_drug_fields(kb, *fields), keep=_recognised)
        return reader(item.name, item.formulation, item.rxcui)  # type: ignore[no-any-return]
    return kb.cached("medicine_text", lambda text: _read_drug(kb, text), keep=_recognised)(item)  # type: ignore[no-any-return]


def _recognised(reading: DrugReading) -> bool:
    return reading[1] is not None


def _read_drug_fields(kb: KnowledgeBase, name: str | None, formulation: str | None, rxcui: str | None) -> DrugReading:
    # the fields of an already validated MedicationInput, rebuilt without validating them again
    return _read_drug(kb, MedicationInput.model_construct(name=name, formulation=formulation, rxcui=rxcui))


def _read_drug(kb: KnowledgeBase, item: str | MedicationInput) -> DrugReading:
    by_code = read_rxcui(kb, item)
    if by_code is not None:
        return by_code
    if isinstance(item, MedicationInput):
        name = item.name or ""
        text = name if item.formulation is None else f"{name} {item.formulation}"
        shown = text
    else:
        text = shown = item
    words = _DOSE_NOISE.sub(" ", fold(text)).split()
    found: tuple[str, str | None] | None = None
    # the longest run of words that is a known name, brand, salt or synonym
    for size in range(min(kb.longest_drug_term_words, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            hit = kb.drug_terms.get(" ".join(words[start : start + size]))
            if hit is not None:
                found = hit
                break
        if found:
            break
    if found is None:
        return (
            DrugUnderstood(
                input=shown, status="not_recognised", detail="not in the drug catalogue; its interactions were not checked"
            ),
            None,
        )
    unexplained = _unexplained_words(kb, words, found[0])
    if unexplained:
        return (
            DrugUnderstood(
                input=shown,
                status="not_recognised",
                detail=(
                    f"names {found[0]} but also the words '{' '.join(unexplained)}', which are not a dose, "
                    "route, form or frequency, so it may be another medicine; send the medicine's name alone "
                    "to have its interactions checked"
                ),
            ),
            None,
        )
    name, formulation = found
    drug = kb.drugs[name]
    if formulation is None and drug.formulations:
        folded = " ".join(words)
        for candidate in drug.formulations:
            if any(re.search(rf"\b{re.escape(fold(word))}\b", folded) for word in (*candidate.names, *candidate.keywords)):
                formulation = candidate.id
                break
    return (
        DrugUnderstood(
            input=shown,
            status="recognised",
            normalised=name,
            name=name,
            formulation=formulation,
            classes=list(drug.classes),
        ),
        DrugRef(name=name, formulation=formulation, input=shown),
    )


def _unexplained_words(kb: KnowledgeBase, words: list[str], drug: str) -> list[str]:
    """Words of a medication line that are neither administration words nor words of the same drug's names."""
    own_words = kb.drug_own_words[drug]
    return [word for word in words if word not in own_words and not _is_administration_word(word)]
