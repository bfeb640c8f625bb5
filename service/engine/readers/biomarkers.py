"""Non-genomic biomarkers: a name and a status in the report's words, or one line of text ("MSI-H")."""

from __future__ import annotations

import re

from schemas.requests import BiomarkerInput
from schemas.responses import BiomarkerUnderstood
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Biomarker
from service.knowledge.terms import fold

_NAME_SYMBOL = re.compile(r"^(.+?)([+-])$", re.ASCII)
_NAME_STATUS = re.compile(r"^(.+?)\s*(?:[:=]\s*|\s+)(\S.*)$", re.ASCII)
# result words that say no value is known yet: the biomarker is reported with that status, never valued
_NO_VALUE = ("pending", "equivocal", "not tested")


# "MSI-H by PCR", "dMMR (IHC)": the test method after the result, echoed and never used
_BY_METHOD = re.compile(r"\s+by\s+([a-z0-9 -]+?)\s*$|\s*\(\s*([a-z0-9 -]+?)\s*\)\s*$", re.ASCII)
# "positive (3+)", "deficient (loss of MLH1/PMS2)": a result with its detail in brackets
_BRACKETED = re.compile(r"^(.+?)\s*\((.+)\)$")
# "positive 90%": the percentage of stained cells after the result word, echoed and never used
_PERCENT_AFTER = re.compile(r"^(.*\S)\s+\(?\s*\d{1,3}(?:\.\d+)?\s*%\s*\)?$")

Read = tuple[BiomarkerUnderstood, tuple[str, str] | None]


def read_biomarkers(kb: KnowledgeBase, item: str | BiomarkerInput) -> list[Read]:
    """Every biomarker an entry states: usually one; "ER+/PR+/HER2-" or "ER/PR positive" states one per name, each
    read as if written alone. A list is taken only when every part of it reads."""
    single = read_biomarker(kb, item)
    if not isinstance(item, str) or "/" not in item or single[0].status == "recognised":
        return [single]
    pieces = [p.strip() for p in item.split("/")]
    if len(pieces) < 2 or not all(pieces):
        return [single]
    reads = [read_biomarker(kb, piece) for piece in pieces]
    if not all(r.status == "recognised" for r, _ in reads):
        # "ER/PR positive": names listed with one result at the end, which each of them carries
        # the result the last name was read with ("positive" of "PR positive", "pending") is the one the others carry
        last = reads[-1][0]
        result = last.value or last.result
        if last.status != "recognised" or not result or not all(fold(p) in kb.biomarker_terms for p in pieces[:-1]):
            return [single]
        reads = [normalise_biomarker(kb, p, result, shown=item) for p in pieces[:-1]] + [reads[-1]]
        if not all(r.status == "recognised" for r, _ in reads):
            return [single]
    return [
        (reading.model_copy(update={"input": item, "read_as": f"{reading.read_as} (from '{item}', which lists them)"}), value)
        for reading, value in reads
    ]


def read_biomarker(kb: KnowledgeBase, item: str | BiomarkerInput) -> Read:
    if isinstance(item, BiomarkerInput):
        return normalise_biomarker(kb, item.name, item.status)
    text = fold(item)
    method = _BY_METHOD.search(text)
    if method and fold(method.group(1) or method.group(2)) in kb.method_words:
        reading, value = read_biomarker(kb, item[: method.start()].strip())
        if reading.status == "recognised":
            written = (method.group(1) or method.group(2)).strip()
            return reading.model_copy(update={"input": item, "read_as": f"{reading.read_as} (method: {written})"}), value
    # "MSI-H", "dMMR", "HER2 3+": a qualifier spelling names the biomarker and its value at once
    # (a spelling that states several, "triple-negative", is read in the cancer type, not as one biomarker entry)
    stated = kb.cancer_qualifier_terms.get(text, ())
    if len(stated) == 1 and stated[0].biomarker is not None:
        return _valued(item, stated[0].biomarker, stated[0].status or "")
    words = re.sub(r"\s*[:=]\s*", " ", text).split()
    for size in range(len(words) - 1, 0, -1):  # the longest biomarker name first: "hormone receptor positive"
        name = " ".join(words[:size])
        if name in kb.biomarker_terms:
            return normalise_biomarker(kb, name, " ".join(words[size:]).lstrip(":= "), shown=item)
    symbol = _NAME_SYMBOL.match(text)
    if symbol and symbol.group(1) in kb.biomarker_terms:  # "PR+", "ER-"
        return normalise_biomarker(kb, symbol.group(1), symbol.group(2), shown=item)
    match = _NAME_STATUS.match(text)
    if match:
        return normalise_biomarker(kb, match.group(1), match.group(2), shown=item)
    return BiomarkerUnderstood(input=item, status="not_recognised", detail="write the biomarker with its result, e.g. 'MSI high'"), None


def _valued(shown: str, name: str, value: str) -> tuple[BiomarkerUnderstood, tuple[str, str]]:
    # a finding reported as present or absent (a cytogenetic deletion) carries that result itself
    result = "not detected" if value == "not detected" else "detected"
    return (
        BiomarkerUnderstood(
            input=shown, status="recognised", normalised=f"{name} {value}", name=name, value=value, result=result, read_as=f"{name} {value}"
        ),
        (name, value),
    )


_MEASURED = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(\S.*)?$")


def _measured(marker: Biomarker, text: str, shown: str) -> tuple[BiomarkerUnderstood, tuple[str, str] | None]:
    """A measured biomarker: a number with one of its accepted units, read into the biomarker's own unit."""
    unit = marker.unit or ""
    match = _MEASURED.match(text)
    if match is None:
        detail = f"give the measured {marker.name} value with its unit, e.g. '{marker.name} 520 {unit}' (a bound such as '>400' is not a value)"
        return BiomarkerUnderstood(input=shown, status="not_recognised", name=marker.name, detail=detail), None
    written = (match.group(2) or "").replace(" ", "")
    spelling, factor = next(((u, f) for u, f in marker.units.items() if fold(u).replace(" ", "") == written), ("", None))
    if factor is None:
        detail = (
            f"{marker.name} needs its unit ({', '.join(marker.units)})" if not written
            else f"{marker.name} in that unit is not converted: give it in {', '.join(marker.units)}"
        )
        return BiomarkerUnderstood(input=shown, status="not_recognised", name=marker.name, detail=detail), None
    sent = float(match.group(1).replace(",", ""))
    value = sent * factor
    low, high = marker.plausible or (0.0, float("inf"))
    if not low <= value <= high:
        detail = f"{marker.name} is outside {low:g} to {high:g} {unit}: check the value and its unit"
        return BiomarkerUnderstood(input=shown, status="not_recognised", name=marker.name, detail=detail), None
    read_as = f"{marker.name} {value:g} {unit}" + ("" if spelling == unit else f" (from {sent:g} {spelling})")
    understood = BiomarkerUnderstood(
        input=shown, status="recognised", normalised=f"{marker.name} {value:g} {unit}", name=marker.name, value=f"{value:g} {unit}",
        result="detected", read_as=read_as,
    )
    return understood, (marker.name, f"{value:g}")


def normalise_biomarker(
    kb: KnowledgeBase, name: str, status: str, shown: str | None = None
) -> tuple[BiomarkerUnderstood, tuple[str, str] | None]:
    shown = shown or f"{name}: {status}"
    marker_name = kb.biomarker_terms.get(fold(name))
    if marker_name is None:
        gene = kb.gene_terms.get(fold(name))
        detail = f"{gene} is a gene: send its result in mutations" if gene else "biomarker not known to this service"
        return BiomarkerUnderstood(input=shown, status="not_recognised", detail=detail), None
    marker = kb.biomarkers[marker_name]
    key = fold(status).strip(" .")
    for written in sorted((fold(n) for n in (marker.name, *marker.aliases)), key=len, reverse=True):
        if key.startswith(written + " ") or key.startswith(written + ":"):  # "HER2: HER2 3+", as EHR values repeat the name
            key = key[len(written) :].lstrip(" :")
            break
    method = _BY_METHOD.search(key)
    if method and fold(method.group(1) or method.group(2)) in kb.method_words and key[: method.start()].strip():
        key = key[: method.start()].strip()  # "high by PCR": the method is echoed in the input, never used
    if marker.unit is not None and kb.result_words.get(key, ("",))[0] not in (*_NO_VALUE, "uncertain significance"):
        return _measured(marker, key, shown)
    key = re.sub(r"\s*,\s*", " ", key)  # "2+, ISH amplified"
    canonical = _status_of(marker, key)
    if canonical is None and (bracketed := _BRACKETED.match(key)):
        # the detail in brackets must say the same result: "positive (3+)"; "positive (1+)" is not read
        outer, inner = _status_of(marker, bracketed.group(1)), _status_of(marker, bracketed.group(2))
        canonical = outer if outer is not None and outer == inner else None
    if canonical is None and (percent := _PERCENT_AFTER.match(key)):
        canonical = _status_of(marker, percent.group(1))
    if canonical is not None:
        return _valued(shown, marker_name, canonical)
    result = kb.result_words.get(key)
    if result is not None and result[0] in (*_NO_VALUE, "uncertain significance"):
        return (
            BiomarkerUnderstood(
                input=shown,
                status="recognised",
                normalised=f"{marker_name} {result[0]}",
                name=marker_name,
                result=result[0],  # type: ignore[arg-type]
                read_as=f"{marker_name}: {result[0]}; not used until a value is reported",
            ),
            None,
        )
    other = _result_naming_another(kb, marker_name, status, shown)
    if other is not None:
        return other
    allowed = ", ".join(marker.statuses)
    return (
        BiomarkerUnderstood(
            input=shown, status="not_recognised", name=marker_name, detail=f"status not recognised; use one of: {allowed}"
        ),
        None,
    )


def _result_naming_another(kb: KnowledgeBase, marker_name: str, status: str, shown: str) -> Read | None:
    """A result that names a biomarker of its own and reads as one ("MMR deficient" sent under an MSI test code): the
    words are read as that biomarker, and the answer says which name it came under. Only a whole reading counts."""
    words = fold(status).strip(" .")
    names_one = words in kb.cancer_qualifier_terms or any(
        words.startswith(term + " ") and kb.biomarker_terms[term] != marker_name for term in kb.biomarker_terms
    )
    if not names_one:
        return None
    reading, value = read_biomarker(kb, status.strip())
    if reading.status != "recognised" or reading.name in (None, marker_name):
        return None
    read_as = f"{reading.read_as} (the result names {reading.name}, though it was sent as {marker_name})"
    return reading.model_copy(update={"input": shown, "read_as": read_as}), value


def _status_of(marker: Biomarker, key: str) -> str | None:
    """The canonical status a folded spelling names, or None."""
    for canonical, spellings in marker.statuses.items():
        if key == fold(canonical) or key in {fold(s) for s in spellings}:
            return canonical
    return None


PD_L1 = "PD-L1"
_PD_L1_NAME = re.compile(r"^\s*PD-?L1\b", re.IGNORECASE)
_PD_L1_SYSTEMS = {"tps": "tps", "tumour proportion score": "tps", "tumor proportion score": "tps", "cps": "cps",
                  "combined positive score": "cps", "ic": "ic", "immune cell score": "ic", "immune-cell score": "ic"}
_ASSAY = r"(?:\(?\s*(?:22C3|SP263|SP142|28-8)\s*\)?\s*)?"
_SYSTEM = "|".join(sorted((re.escape(k) for k in _PD_L1_SYSTEMS), key=len, reverse=True))
_SCORE = r"(\d{1,3}(?:\.\d+)?)\s*%?"
# "PD-L1 TPS 60%", "PD-L1 (22C3) TPS: 60 %", "PD-L1 CPS 10", "PD-L1 60% TPS"
_PD_L1_SCORE = re.compile(
    rf"^\s*PD-?L1\s*{_ASSAY}(?:(?P<system>{_SYSTEM})\s*[:=]?\s*{_SCORE}|(?P<score2>\d{{1,3}}(?:\.\d+)?)\s*%?\s*(?P<system2>{_SYSTEM}))\s*$",
    re.IGNORECASE,
)


def read_pd_l1_text(item: str | BiomarkerInput) -> tuple[BiomarkerUnderstood, tuple[str, float] | None] | None:
    """A PD-L1 score written as a biomarker, with its (system, score) when read: only a number with its scoring system
    is a score; None if the entry is not PD-L1.
    Words without a score ("PD-L1 high", "TPS <1%") are not recognised, with how to send it, never guessed."""
    text = item if isinstance(item, str) else f"{item.name} {item.status}"
    if not _PD_L1_NAME.match(text):
        return None
    found = _PD_L1_SCORE.match(text)
    if found is None:
        return BiomarkerUnderstood(
            input=text,
            status="not_recognised",
            name=PD_L1,
            detail=(
                "PD-L1 is read only as a score with its scoring system (e.g. 'PD-L1 TPS 60%'); a bound, a band or words "
                "such as high or negative are not a score: send the measured score in pd_l1"
            ),
        ), None
    system = _PD_L1_SYSTEMS[(found.group("system") or found.group("system2")).lower()]
    score = float(found.group(2) if found.group("system") else found.group("score2"))
    if score > 100:
        return BiomarkerUnderstood(input=text, status="not_recognised", name=PD_L1, detail="a PD-L1 score is at most 100"), None
    return BiomarkerUnderstood(
        input=text,
        status="recognised",
        normalised=f"PD-L1 {system.upper()} {score:g}",
        name=PD_L1,
        value=f"{system} {score:g}",
        result="detected",
        read_as=f"PD-L1 {system.upper()} {score:g} (used as the PD-L1 score, as the pd_l1 field)",
    ), (system, score)
