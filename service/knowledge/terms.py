"""The one comparison form of a term, shared by the knowledge check and the lookups it protects."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The one comparison form of a term: NFKC, case-folded, unified dashes and apostrophes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).translate(_DASHES)
    return _SPACES.sub(" ", text.casefold()).strip()


# British and American spellings are one word; "non-small" and "non-squamous" stay one word so that
# "non-small cell" never shares the words "small cell".
_SPELLINGS = {"tumour": "tumor", "tumours": "tumors", "leukaemia": "leukemia", "leukaemias": "leukemias",
              "oesophageal": "esophageal", "oesophagus": "esophagus", "haematological": "hematological",
              "oestrogen": "estrogen", "haemangioma": "hemangioma", "anaemia": "anemia"}  # fmt: skip
_JOINED_NEGATIONS = re.compile(r"\bnon[\s-]+(?=[a-z])", re.ASCII)
_TOKEN_BREAKS = re.compile(r"[\s,;:()\[\]/.\-]+")


def tokens(text: str) -> tuple[str, ...]:
    """The words of a term, sorted, for comparisons in which word order and punctuation do not matter."""
    folded = _JOINED_NEGATIONS.sub("non", fold(text))
    words = (_SPELLINGS.get(word, word) for word in _TOKEN_BREAKS.split(folded) if word)
    return tuple(sorted(words))


# --- phrase spotting shared by the input readers ------------------------------------------

T = TypeVar("T")

# A phrase starts and ends at a word edge. A symbol ("+", "?") may touch the word before it but must end
# the word; "-" must stand alone, so the hyphen of "BCR-ABL1" or "exon-19" is never a negative result.
_WORD_CHAR = r"[a-z0-9]"
_SYMBOL_END = r"(?![^\s,;()])"
_SYMBOL_START = r"(?<![^\s,;()])"


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One ASCII-bounded pattern matching any of `phrases` (already folded), longest first."""
    parts = []
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    for phrase in unique:
        escaped = re.escape(phrase)
        if re.search(_WORD_CHAR, phrase, re.ASCII) is None:
            before, after = (_SYMBOL_START if phrase == "-" else ""), _SYMBOL_END
        else:
            before = rf"(?<!{_WORD_CHAR})" if re.match(_WORD_CHAR, phrase, re.ASCII) else ""
            after = rf"(?!{_WORD_CHAR})" if re.search(_WORD_CHAR + "$", phrase, re.ASCII) else ""
        parts.append(before + escaped + after)
    if not parts:
        return re.compile(r"(?!x)x", re.ASCII)
    # every phrase is matched from its first character: screening on those lets the scan skip other positions fast
    starts = "".join(sorted({re.escape(phrase[0]) for phrase in unique if phrase}))
    screen = f"(?=[{starts}])" if all(unique) else ""
    return re.compile(f"{screen}(?:{'|'.join(parts)})", re.ASCII)


def spot(pattern: re.Pattern[str], table: Mapping[str, T], text: str) -> tuple[list[T], str]:
    """The values of every phrase found in `text`, and the text with those phrases blanked out."""
    found = [table[m.group(0)] for m in pattern.finditer(text)]
    return found, pattern.sub(" ", text)


def leftover_words(text: str) -> list[str]:
    """The words left once punctuation that carries no meaning on its own is removed."""
    return [w for w in re.split(r"[\s,;:()\[\]]+", text) if w and w not in {".", "-", "/", "&"}]
