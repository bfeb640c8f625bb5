"""The one comparison form of a term, shared by the knowledge check and the lookups it protects."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The one comparison form of a term: NFKC, case-folded, unified dashes and apostrophes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).translate(_DASHES)
    return _SPACES.sub(" ", text.casefold()).strip()
