"""Cancer types: the whole OncoTree, read exactly; clinician phrasing resolved by rule, never by likeness.

"renal cell carcinoma, clear cell" and "non-small cell lung cancer (adenocarcinoma)" resolve because
the words of the qualifier name a descendant of the type they follow; "breast cancer, HER2-positive"
and "Ph+ ALL" carry a biomarker or alteration, which is read into the profile. A miss gets
suggestions, which are never applied.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from schemas.responses import CancerTypeUnderstood, Suggestion
from service.engine.readers.patient import PatientDetails, read_stage
from service.engine.readers.variants import read_mutation
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import CancerQualifier
from service.knowledge.terms import fold, tokens


@dataclass(frozen=True)
class CancerTypeReading:
    understood: CancerTypeUnderstood
    code: str  # the recognised code, the nearest common ancestor of an ambiguous term, or "" when not recognised
    ambiguous: bool
    qualifiers: tuple[CancerQualifier, ...] = field(default=())
    # words of the entry that state the disease setting, not the type ("metastatic breast cancer", "CML, chronic
    # phase"): read by the stage reader, as if they were sent as the stage
    stated_stage: str | None = None
    # words of the entry that state a gene result ("EGFR-mutant NSCLC", "ALK-positive"): read by the variant reader
    # with the mutations, so they agree with them or are flagged
    stated_mutations: tuple[str, ...] = ()


_SPLIT = re.compile(r"\s*[,;]\s*|\s*\(\s*|\s*\)\s*|\s+-\s+|\s+with\s+", re.ASCII)


def _exact(kb: KnowledgeBase, text: str) -> str | None:
    code = kb.cancer_type_terms.get(fold(text))
    if code is not None:
        return code
    words = tokens(text)
    codes = kb.cancer_type_word_sets.get(words, [])
    if not codes and "of" in words:  # "squamous cell carcinoma of (the) lung" is "lung squamous cell carcinoma"
        codes = kb.cancer_type_word_sets.get(tuple(w for w in words if w not in ("of", "the")), [])
    return codes[0] if len(codes) == 1 else None


def _descendant_named(kb: KnowledgeBase, code: str, words: tuple[str, ...]) -> str | None:
    """The one descendant of `code` whose name uses the qualifier's words and no word beyond the type's own."""
    base = set(words) | set(tokens(kb.cancer_types[code].name))
    for term in (fold(s) for s in kb.cancer_types[code].synonyms):
        base |= set(tokens(term))
    found = []
    for child in kb.descendants(code):
        cancer = kb.cancer_types[child]
        for term in (cancer.name, *cancer.synonyms):
            term_words = set(tokens(term))
            if set(words) <= term_words <= base:
                found.append(child)
                break
    return found[0] if len(set(found)) == 1 else None


def _split_qualifiers(kb: KnowledgeBase, text: str) -> tuple[str, list[CancerQualifier], list[str]]:
    """Take qualifier phrases (biomarkers, Ph+) out of the text; return the rest, the qualifiers, other clauses."""
    folded = fold(text)
    found: list[CancerQualifier] = []
    for term in sorted(kb.cancer_qualifier_terms, key=len, reverse=True):
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(term) + r"(?![a-z0-9+])", re.ASCII)
        if pattern.search(folded):
            found.extend(kb.cancer_qualifier_terms[term])
            folded = pattern.sub(" ", folded)
    clauses = [c for c in _SPLIT.split(folded) if c and c.strip(" .")]
    return folded, found, clauses


def read_cancer_type(kb: KnowledgeBase, text: str) -> CancerTypeReading:
    """How a cancer type entry reads; a recognised entry is read once (a bounded cache kept with the knowledge base)."""
    return kb.cached("cancer_type_text", lambda entry: _read_cancer_type(kb, entry), keep=_fully_read)(text)  # type: ignore[no-any-return]


def _fully_read(reading: CancerTypeReading) -> bool:
    return reading.understood.status == "recognised" and not reading.understood.detail


def _read_cancer_type(kb: KnowledgeBase, text: str) -> CancerTypeReading:
    abbreviation = kb.cancer_abbreviations.get(fold(text))
    if abbreviation is not None and text.strip() != abbreviation.code_written_as:
        # before codes: "pNET" means a pancreatic NET; only "PNET" as written is OncoTree's other type
        return _recognised(kb, text, abbreviation.code, (), abbreviation.how)
    code = _exact(kb, text)
    if code is not None:
        return _recognised(kb, text, code, ())
    ambiguous = kb.ambiguous_cancer_terms.get(fold(text))
    if ambiguous is not None:
        return _ambiguous(kb, text, ambiguous.ancestor, list(ambiguous.candidates), ())
    with_stage = _read_with_stated_stage(kb, text)
    if with_stage is not None:
        return with_stage
    _, qualifiers, clauses = _split_qualifiers(kb, text)
    if clauses:
        resolved = _resolve_clauses(kb, clauses)
        if resolved is not None:
            code, how = resolved
            code = _defined_descendant(kb, code, qualifiers)
            return _recognised(kb, text, code, tuple(qualifiers), how)
        rest = " ".join(clauses)
        ambiguous = kb.ambiguous_cancer_terms.get(fold(rest))
        if ambiguous is not None and qualifiers:
            return _ambiguous(kb, text, ambiguous.ancestor, list(ambiguous.candidates), tuple(qualifiers))
    with_result = _read_with_stated_result(kb, text)
    if with_result is not None:
        return with_result
    shared = kb.shared_cancer_terms.get(fold(text))
    if shared:
        return _not_recognised(text, "names a type of several sites: give the OncoTree code", [(c, kb.cancer_types[c].name) for c in shared])
    return _not_recognised(text, "not an OncoTree code, name or synonym this service knows", suggest_cancer_types(kb, text))


_LONGEST_SETTING_WORDS = 4


def _read_with_stated_stage(kb: KnowledgeBase, text: str) -> CancerTypeReading | None:
    """"metastatic breast cancer", "HR+ HER2- metastatic breast cancer", "lung adenocarcinoma, stage IV", "CML in
    chronic phase": words that the stage reader reads as a disease setting, around words that read as a cancer type on
    their own. Words that read as neither leave the entry unread, as before."""
    words = text.replace(",", " , ").split()
    for size in range(min(_LONGEST_SETTING_WORDS, len(words) - 1), 0, -1):
        for start in range(len(words) - size + 1):
            written = " ".join(words[start : start + size]).strip(" ,")
            before, after = words[:start], words[start + size :]
            if before and not after and before[-1].lower() in ("in", ","):  # "CML in chronic phase", "..., stage IV"
                before = before[:-1]
            remainder = " ".join(before + after).strip(" ,").replace(" , ", ", ")
            if not written or not remainder or not _names_a_setting(written):
                continue
            reading = _read_cancer_type(kb, remainder)
            if reading.understood.status == "not_recognised" or (reading.understood.detail and not reading.ambiguous):
                continue
            stated, read_as = written, reading.understood.read_as
            if reading.stated_stage:  # a second setting phrase ("stage IIIB NSCLC, unresectable"): one statement of both
                stated, read_as = f"{written}, {reading.stated_stage}", read_as.removesuffix(_stated_stage_words(reading.stated_stage))
            read_as += _stated_stage_words(stated)
            return replace(reading, understood=reading.understood.model_copy(update={"input": text, "read_as": read_as}), stated_stage=stated)
    return None


_LONGEST_RESULT_WORDS = 4
_HYPHENATED_RESULT = re.compile(r"(?<=\w)-(?=(?:mutant|mutated|positive|negative|rearranged|amplified|altered)\b)", re.IGNORECASE)


def _read_with_stated_result(kb: KnowledgeBase, text: str) -> CancerTypeReading | None:
    """"EGFR-mutant NSCLC", "ALK-positive lung adenocarcinoma", "melanoma, BRAF V600E-mutant": leading or trailing
    words that the variant reader reads as a gene result, beside words that read as a cancer type on their own."""
    words = text.split()
    for size in range(min(_LONGEST_RESULT_WORDS, len(words) - 1), 0, -1):
        for result_words, rest in ((words[:size], words[size:]), (words[-size:], words[:-size])):
            written = " ".join(result_words).strip(" ,")
            remainder = " ".join(rest).strip(" ,")
            if not written or not remainder or not _states_a_result(kb, _HYPHENATED_RESULT.sub(" ", written)):
                continue
            reading = _read_cancer_type(kb, remainder)
            if reading.understood.status == "not_recognised" or (reading.understood.detail and not reading.ambiguous):
                continue
            read_as = f"{reading.understood.read_as}; '{written}' is a gene result, read with the mutations"
            understood = reading.understood.model_copy(update={"input": text, "read_as": read_as})
            stated = (_HYPHENATED_RESULT.sub(" ", written), *reading.stated_mutations)
            return replace(reading, understood=understood, stated_mutations=stated)
    return None


def _states_a_result(kb: KnowledgeBase, words: str) -> bool:
    """A gene result the variant reader reads, or a gene named as altered without the alteration ("EGFR mutant")."""
    if not any(token.upper() in kb.genes or fold(token) in kb.gene_terms for token in words.split()):
        return False
    readings = read_mutation(kb, words, None)
    return bool(readings) and all(r.recognised or r.gene_altered_unstated for r in readings)


def _stated_stage_words(stated: str) -> str:
    return f"; '{stated}' is the disease setting, read as the stage"


def _names_a_setting(words: str) -> bool:
    details = PatientDetails()
    understood, settings = read_stage(words, details)
    # only a setting: a detail the stage text can also carry (ECOG, brain metastases) is not a cancer type's word
    return understood.status == "recognised" and bool(settings) and not details.read_from_stage and details.ecog is None


def _not_recognised(text: str, reason: str, suggestions: list[tuple[str, str]]) -> CancerTypeReading:
    hint = "; closest known types (not applied): " + ", ".join(f"{c} ({n})" for c, n in suggestions) if suggestions else ""
    return CancerTypeReading(
        CancerTypeUnderstood(
            input=text,
            status="not_recognised",
            detail=reason + hint,
            suggestions=[Suggestion(code=c, name=n) for c, n in suggestions],
        ),
        "",
        ambiguous=False,
    )


def _resolve_clauses(kb: KnowledgeBase, clauses: list[str]) -> tuple[str, str] | None:
    """"X, Y" / "X (Y)" / "Y X": the most specific type the clauses name together, or None."""
    whole = " ".join(clauses)
    code = _exact(kb, whole)
    if code is not None:
        return code, "read in any word order"
    codes = [_exact(kb, c) for c in clauses]
    known = [c for c in codes if c is not None]
    unknown = [clause for clause, c in zip(clauses, codes, strict=True) if c is None]
    if known and not unknown:
        deepest = max(known, key=lambda c: len(kb.ancestors(c)))
        if all(kb.is_within(deepest, c) for c in known):
            return deepest, "the most specific of the types named"
        return None
    if len(known) == 1 and len(unknown) >= 1:
        base = known[0]
        words = tuple(w for clause in unknown for w in tokens(clause))
        child = _descendant_named(kb, base, words)
        if child is not None:
            return child, f"'{' '.join(unknown)}' names a subtype of {base}"
        return base, UNUSED_WORDS + "'" + " ".join(unknown) + "'"
    return None


# how an entry reads when part of it named no subtype: the broader type is used, and the answer is provisional
UNUSED_WORDS = "the words not used: "


def _defined_descendant(kb: KnowledgeBase, code: str, qualifiers: list[CancerQualifier]) -> str:
    """B-ALL qualified Ph+ is the OncoTree type defined by BCR::ABL1."""
    alterations = {q.alteration for q in qualifiers if q.alteration}
    if not alterations:
        return code
    defined = [c for c in kb.descendants(code) if kb.cancer_types[c].defined_by in alterations]
    return defined[0] if len(defined) == 1 else code


def _recognised(kb: KnowledgeBase, text: str, code: str, qualifiers: tuple[CancerQualifier, ...], how: str | None = None) -> CancerTypeReading:
    cancer = kb.cancer_types[code]
    covered = kb.covers(code)
    unused = how is not None and how.startswith(UNUSED_WORDS)
    read_as = f"{code} ({cancer.name})" + (f"; {how}" if unused else f": {how}" if how else "")
    if qualifiers:
        read_as += "; with " + ", ".join(_qualifier_text(q) for q in qualifiers)
    return CancerTypeReading(
        CancerTypeUnderstood(
            input=text,
            status="recognised",
            normalised=code,
            code=code,
            name=cancer.name,
            read_as=read_as,
            covered=covered,
            detail=f"only part of the entry was understood ({how}); give the subtype as an OncoTree code" if unused else None,
        ),
        code,
        ambiguous=False,
        qualifiers=qualifiers,
    )


def _ambiguous(
    kb: KnowledgeBase, text: str, ancestor: str, candidates: list[str], qualifiers: tuple[CancerQualifier, ...]
) -> CancerTypeReading:
    names = [f"{c} ({kb.cancer_types[c].name})" for c in candidates]
    return CancerTypeReading(
        CancerTypeUnderstood(
            input=text,
            status="ambiguous",
            normalised=ancestor,
            code=ancestor,
            name=kb.cancer_types[ancestor].name,
            candidates=candidates,
            covered=kb.covers(ancestor),
            read_as=f"{ancestor} ({kb.cancer_types[ancestor].name}), the type all candidates share",
            detail="could be " + ", ".join(names) + "; options that need a specific type are shown with a caveat",
        ),
        ancestor,
        ambiguous=True,
        qualifiers=qualifiers,
    )


def _qualifier_text(qualifier: CancerQualifier) -> str:
    return qualifier.alteration if qualifier.alteration else f"{qualifier.biomarker} {qualifier.status}"


def suggest_cancer_types(kb: KnowledgeBase, text: str, limit: int = 5) -> list[tuple[str, str]]:
    """Closest known types, offered in the error and never applied: types whose every word the text uses
    come first, then spellings close to it. A type that shares words only by dropping "non-" is never one."""
    words = set(tokens(text))
    contained = sorted(
        {codes[0] for term_words, codes in kb.cancer_type_word_sets.items() if len(codes) == 1 and set(term_words) <= words},
        key=lambda c: -len(kb.ancestors(c)),
    )
    close = difflib.get_close_matches(fold(text), list(kb.cancer_type_terms), n=limit * 3, cutoff=0.6)
    found: list[str] = []
    for code in [*contained, *(kb.cancer_type_terms[t] for t in close)]:
        if code not in found and _compatible(words, kb.cancer_types[code].name):
            found.append(code)
    return [(code, kb.cancer_types[code].name) for code in found[:limit]]


def _compatible(words: set[str], name: str) -> bool:
    """False for a type of the opposite histology: "small cell" offered for "non-small cell"."""
    name_words = set(tokens(name))
    for word in words:
        if word.startswith("non") and word[3:] in name_words:
            return False
        if "non" + word in name_words and word not in name_words:
            return False
    return True


__all__ = ["CancerTypeReading", "read_cancer_type", "suggest_cancer_types"]
