"""Variants and their result status: what a lab report or clinic letter says was found, and how sure.

An entry is read into a gene, a variant (HGVS protein or cDNA, an exon-level event, a fusion or a
copy-number change), its result status and its allelic context. The variant is then mapped to the
alteration the knowledge acts on: by name, or by the exon its position falls in on the gene's
curated transcript (KIT p.V560D is a KIT exon 11 mutation). HGVS grammar is parsed by mavehgvs;
the mapping to the knowledge base is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mavehgvs import MaveHgvsParseError, Variant

from schemas.requests import MutationInput
from schemas.responses import AllelicContext, MutationUnderstood
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import Alteration
from service.knowledge.terms import fold, leftover_words, spot

_ONE_TO_THREE = {
    "a": "Ala", "r": "Arg", "n": "Asn", "d": "Asp", "c": "Cys", "q": "Gln", "e": "Glu", "g": "Gly", "h": "His",
    "i": "Ile", "l": "Leu", "k": "Lys", "m": "Met", "f": "Phe", "p": "Pro", "s": "Ser", "t": "Thr", "w": "Trp",
    "y": "Tyr", "v": "Val", "*": "Ter",
}  # fmt: skip
_THREE_TO_ONE = {three.lower(): one for one, three in _ONE_TO_THREE.items()}
_AA1 = "acdefghiklmnpqrstvwy"
_AA3 = "|".join(sorted(_THREE_TO_ONE, key=len, reverse=True))
# p. changes as clinicians write them: one- or three-letter, with or without "p." and parentheses
_PROTEIN_ONE = re.compile(
    rf"^(?:p\.)?\(?([{_AA1}])(\d{{1,4}})(?:_([{_AA1}])(\d{{1,4}}))?"
    rf"(delins[{_AA1}*]+|del|dup|ins[{_AA1}*]+|[{_AA1}]?fs(?:\*?\d+)?|[{_AA1}*x]|=)\)?$",
    re.ASCII,
)
_PROTEIN_THREE = re.compile(
    rf"^(?:p\.)?\(?({_AA3})(\d{{1,4}})(?:_({_AA3})(\d{{1,4}}))?"
    rf"(delins(?:{_AA3})+|del|dup|ins(?:{_AA3})+|(?:{_AA3})?fs(?:(?:ter|\*)\d+)?|{_AA3}|\*|=)\)?$",
    re.ASCII,
)
_CODING = re.compile(r"^(?:(n[mr]_\d+(?:\.\d+)?)(?:\(([a-z0-9:-]+)\))?:)?(c\.[0-9_+\-*?]+\S*)$", re.ASCII)
_GENE_PREFIX = re.compile(r"^([a-z0-9-]+(?:::[a-z0-9-]+)?):(p\.|c\.)", re.ASCII)
_EXON_EVENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bexon\s*(\d+)\s*(?:skipping|skip)\b|\bex(\d+)\s*skipping\b", re.ASCII), "exon_skipping"),
    (re.compile(r"\bexon\s*(\d+)\s*(?:deletion|deletions|del)\b|\bex(\d+)\s*del\b", re.ASCII), "exon_deletion"),
    (re.compile(r"\bexon\s*(\d+)\s*(?:insertion|insertions|ins|duplication|dup)\b|\bex(\d+)\s*ins\b", re.ASCII), "exon_insertion"),
    (re.compile(r"\bexon\s*(\d+)(?:\s*(?:mutation|mutations|mutated|variant|alteration))?\b|\bex(\d+)\b", re.ASCII), "exon_mutation"),
)
_FUSION_WORDS = re.compile(r"\b(?:fusion|fusions|rearrangement|rearranged|translocation|fusion-positive)\b", re.ASCII)
_AMPLIFICATION_WORDS = re.compile(r"\b(?:amplification|amplified|amp|high-level amplification|focal amplification)\b", re.ASCII)
_GAIN_WORDS = re.compile(r"\b(?:copy number gain|gain|low-level gain|polysomy)\b", re.ASCII)
_LOSS_WORDS = re.compile(r"\b(?:deletion|loss|homozygous deletion|copy number loss)\b", re.ASCII)
_COPY_NUMBER = re.compile(
    r"\b(?:copy number|gene copy number|gcn|cn|copies)\s*(?:of|=|:)?\s*(\d+(?:\.\d+)?)\b|\b(\d+(?:\.\d+)?)\s*copies\b", re.ASCII
)
_RATIO = re.compile(r"\b(?:[a-z0-9]+/cep\d+\s*)?ratio\s*(?:of|=|:)?\s*(\d+(?:\.\d+)?)\b|\b[a-z0-9]+/cep\d+\s*(?:=|:)?\s*(\d+(?:\.\d+)?)\b", re.ASCII)
_ALLELE_FRACTION = re.compile(
    r"\b(?:vaf|maf|af|allele frequency|variant allele frequency|allele fraction|allelic ratio|allele ratio|mutant allelic ratio)"
    r"\s*(?:of|=|:)?\s*\d+(?:\.\d+)?\s*%?"
    r"|\b\d+(?:\.\d+)?\s*%\s*(?:vaf|af|allele frequency)\b",
    re.ASCII,
)
_FUSION_VARIANT = re.compile(r"\bvariant\s*(\d+[ab]?)\b|\bv(\d+[ab]?)\b", re.ASCII)
_ALLELIC = re.compile(r"\b(?:in\s+|on\s+the\s+same\s+allele\s+)?(cis|trans)\b(?:\s+(?:with|to)\b)?", re.ASCII)
_PARTS = re.compile(r"\s+(?:and|&|\+|plus)\s+|\s*[;,]\s*", re.ASCII)
_FUSION_TOKEN = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)?)(?:::|-|/|--)([a-z0-9]+(?:-[a-z0-9]+)?)$", re.ASCII)
# "EGFR-negative", "ALK-positive": a gene and its result joined by a hyphen (read as two words when the first is a gene)
_GENE_HYPHEN_RESULT = re.compile(
    r"(?<![a-z0-9:/-])([a-z0-9]+)-(negative|positive|neg|pos|wild-type|wildtype|wt|mutated|mutant|rearranged|amplified)(?![a-z0-9-])",
    re.ASCII,
)
_GENE_COLON = re.compile(r"^([a-z0-9-]+):\s+", re.ASCII)
_GENE_ALIAS_BRACKET = re.compile(r"\b([a-z0-9-]+)\s*\(\s*([a-z0-9/-]+)\s*\)", re.ASCII)
# "KRAS/NRAS wild type": genes listed with a slash
_SLASH_LIST = re.compile(r"(?<![a-z0-9:/-])([a-z0-9-]+(?:/[a-z0-9-]+)+)(?![a-z0-9:/])", re.ASCII)
# an HGVS token, which noise words must never be cut out of ("c.1799t>a" keeps its "a")
_HGVS_TOKEN = re.compile(r"^\(?(?:n[mrp]_[0-9.]+(?:\([a-z0-9:-]+\))?:)?[cpg]\.", re.ASCII)


@dataclass(frozen=True)
class ProteinChange:
    """A protein change read from shorthand or HGVS: positions, type, and its one-letter form."""

    kind: str  # sub, del, dup, ins, delins, fs, equal
    start: int
    end: int
    one_letter: str
    net_length: int = 0  # residues gained (+) or lost (-) by an in-frame indel

    @property
    def name(self) -> str:
        return self.one_letter.removeprefix("p.")


@dataclass(frozen=True)
class VariantReading:
    """One variant as read: the alteration it maps to (if the knowledge has it) and its result status."""

    understood: MutationUnderstood
    alteration: Alteration | None
    gene: str | None
    status: str
    allelic: tuple[tuple[str, str], ...] = ()  # (cis | trans, the other alteration's id)
    uncurated_variant: bool = False  # a readable variant of a known gene that the knowledge does not act on
    negative_alterations: tuple[str, ...] = ()  # every member of a category tested and not detected
    # "EGFR positive", "BRAF mutated": the gene is named as altered without the alteration; the entry is not
    # recognised (no variant is guessed), but the gene is not negative either
    gene_altered_unstated: bool = False

    @property
    def recognised(self) -> bool:
        return self.understood.status == "recognised"


@dataclass
class _Part:
    text: str
    status: str | None = None
    status_problem: str | None = None
    relation: str | None = None
    partner: str | None = None
    notes: list[str] = field(default_factory=list)
    copy_number: float | None = None
    ratio: float | None = None


# --- protein and cDNA notation -------------------------------------------------------------


def read_protein_change(token: str) -> ProteinChange | None:
    """A p. change in one- or three-letter form, validated by the HGVS grammar where it is complete."""
    three = _PROTEIN_THREE.match(token)
    if three:
        ref, start, ref2, end, change = three.groups()
        one = _THREE_TO_ONE[ref] + start + ((("_" + _THREE_TO_ONE[ref2] + end) if ref2 else ""))
        one += _change_to_one(change)
    else:
        match = _PROTEIN_ONE.match(token)
        if not match:
            return None
        ref, start, ref2, end, change = match.groups()
        one = ref + start + (("_" + ref2 + end) if ref2 else "") + change
    one = one.upper().replace("DELINS", "delins").replace("DEL", "del").replace("DUP", "dup").replace("INS", "ins")
    one = one.replace("FS", "fs")
    parsed = _parse_hgvs_protein(one)
    if parsed is None:
        return None
    return parsed


def _change_to_one(change: str) -> str:
    for prefix in ("delins", "ins"):
        if change.startswith(prefix):
            rest = change[len(prefix):]
            return prefix + "".join(_THREE_TO_ONE.get(rest[i : i + 3], "?") for i in range(0, len(rest), 3))
    if change in ("del", "dup", "="):
        return change
    if change.startswith("fs"):
        return change.replace("ter", "*")
    if change[3:].startswith("fs"):  # HGVS names the first new residue of a frameshift: "Trp288CysfsTer12"
        return _THREE_TO_ONE.get(change[:3], "?") + change[3:].replace("ter", "*")
    return _THREE_TO_ONE.get(change, change)


def _parse_hgvs_protein(one: str) -> ProteinChange | None:
    """Check a one-letter change against the HGVS grammar (through its three-letter form)."""
    match = re.match(r"^([A-Z])(\d+)(?:_([A-Z])(\d+))?(.*)$", one, re.ASCII)
    if match is None:
        return None
    ref, start, ref2, end, change = match.groups()
    start_i, end_i = int(start), int(end) if end else int(start)
    if end_i < start_i:
        return None
    if change == "X":  # "G719X": any residue at this codon, a shorthand HGVS does not have
        return ProteinChange("sub", start_i, end_i, f"p.{one}")
    three = "p." + _ONE_TO_THREE[ref.lower()] + start + (("_" + _ONE_TO_THREE[ref2.lower()] + end) if ref2 else "")
    for prefix in ("delins", "ins"):
        if change.startswith(prefix):
            residues = change[len(prefix):]
            if not residues or any(r.lower() not in _ONE_TO_THREE for r in residues):
                return None
            three += prefix + "".join(_ONE_TO_THREE[r.lower()] for r in residues)
            break
    else:
        if change in ("del", "dup", "="):
            three += change
        elif change.startswith("fs") or (change[1:].startswith("fs") and change[0].lower() in _ONE_TO_THREE):
            three += "fs"
        elif len(change) == 1 and change.lower() in _ONE_TO_THREE:
            three += _ONE_TO_THREE[change.lower()]
        else:
            return None
    try:
        variant = Variant(three)
    except MaveHgvsParseError:
        return None
    kind = str(variant.variant_type)
    span = end_i - start_i + 1
    net = {"del": -span, "dup": span, "ins": len(change) - 3, "delins": len(change) - 6 - span}.get(kind, 0)
    return ProteinChange(kind, start_i, end_i, f"p.{one}", net)


_CODING_KEYWORDS = frozenset({"delins", "del", "dup", "ins", "inv"})


@dataclass(frozen=True)
class CodingChange:
    transcript: str | None
    hgvs_c: str
    kind: str
    first_codon: int
    last_codon: int
    intronic: bool


def read_coding_change(text: str) -> CodingChange | None:
    match = _CODING.match(text)
    if match is None:
        return None
    transcript, _gene, change = match.groups()
    # HGVS writes bases in capitals and keywords in lower case: "c.2573t>g" is c.2573T>G
    change = "c." + "".join(
        part if part in _CODING_KEYWORDS else part.upper() for part in re.split(r"(delins|del|dup|ins|inv)", change[2:])
    )
    try:
        variant = Variant(change)
    except MaveHgvsParseError:
        return None
    positions = variant.positions if isinstance(variant.positions, tuple) else (variant.positions,)
    if any(getattr(p, "position", None) is None for p in positions):
        return None
    codons = [(p.position + 2) // 3 for p in positions]
    intronic = any(getattr(p, "intronic_position", None) for p in positions)
    return CodingChange(
        transcript.upper() if transcript else None,
        change,
        str(variant.variant_type),
        min(codons),
        max(codons),
        intronic,
    )


# --- one part of an entry ------------------------------------------------------------------


def _read_status(kb: KnowledgeBase, part: _Part) -> None:
    found, rest = spot(kb.result_pattern, kb.result_words, part.text)
    strong = {status for status, weak in found if not weak}
    weak = {status for status, weak in found if weak}
    if len(strong) > 1:
        part.status_problem = "the entry states more than one result (" + ", ".join(sorted(strong)) + ")"
    elif strong:
        part.status = strong.pop()
    elif weak:
        part.status = "detected"
    part.text = rest


def _read_measurements(part: _Part) -> None:
    text = part.text
    vaf = _ALLELE_FRACTION.search(text)
    if vaf:
        part.notes.append(vaf.group(0).strip())
        text = _ALLELE_FRACTION.sub(" ", text)
    copy = _COPY_NUMBER.search(text)
    if copy:
        part.copy_number = float(copy.group(1) or copy.group(2))
        text = _COPY_NUMBER.sub(" ", text)
    ratio = _RATIO.search(text)
    if ratio:
        part.ratio = float(ratio.group(1) or ratio.group(2))
        text = _RATIO.sub(" ", text)
    fusion_variant = _FUSION_VARIANT.search(text)
    names_fusion = _FUSION_WORDS.search(text) or any(_FUSION_TOKEN.match(w) for w in re.split(r"[\s()]+", text))
    if fusion_variant and names_fusion:  # "EML4-ALK variant 3": the fusion's variant, noted
        part.notes.append(f"fusion variant {fusion_variant.group(1) or fusion_variant.group(2)}")
        text = _FUSION_VARIANT.sub(" ", text)
    part.text = text


def _gene_group_patterns(kb: KnowledgeBase) -> list[tuple[re.Pattern[str], str, str]]:
    """Each gene group's names as whole words, the longest first ("extended ras" before "ras")."""
    return [
        (re.compile(r"(?<![a-z0-9:/-])" + re.escape(term) + r"(?![a-z0-9:/-])", re.ASCII), genes, definition)
        for term, (genes, definition) in sorted(kb.gene_group_terms.items(), key=lambda item: -len(item[0]))
    ]


def _split_gene_list(kb: KnowledgeBase, text: str) -> list[_Part] | None:
    """ "KRAS/NRAS wild type", "RAS wt": one part per gene listed, each with the entry's result, when that result is not
    detected; a detected result names no one gene, so the entry is not recognised. None when the entry lists no genes."""
    notes: list[str] = []
    for pattern, genes, definition in kb.once(("gene_group_patterns",), lambda: _gene_group_patterns(kb)):
        if pattern.search(text):
            text = pattern.sub(genes.lower(), text, count=1)
            notes.append(definition)
    listed = _SLASH_LIST.search(text)
    if listed is None:
        return None
    names = listed.group(1).split("/")
    genes = [kb.gene_terms.get(name) for name in names]
    if None in genes or len(set(genes)) < len(genes):
        return None  # a fusion ("BCR/ABL1") or words that are not all genes of the knowledge base
    rest = (text[: listed.start()] + " " + text[listed.end() :]).strip()
    found, _ = spot(kb.result_pattern, kb.result_words, rest)
    strong = {status for status, weak in found if not weak}
    written = listed.group(1).upper()
    if strong != {"not detected"}:
        part = _Part(text)
        part.status_problem = f"'{written}' names more than one gene: give each gene's result"
        return [part]
    parts = [_Part(f"{name} {rest}") for name in names]
    for part in parts:
        part.notes.extend(notes or [f"read from '{written}', which lists the genes"])
    return parts


def _split_parts(kb: KnowledgeBase, text: str) -> list[_Part]:
    """Split "EGFR L858R and T790M" into its variants; a clause that names no variant stays with its entry."""
    listed = _split_gene_list(kb, text)
    if listed is not None:
        return listed
    pieces = [p for p in _PARTS.split(text) if p.strip()]
    if len(pieces) > 1 and all(_names_variant(kb, p) for p in pieces):
        return [_Part(p) for p in pieces]
    return [_Part(text)]


def _names_variant(kb: KnowledgeBase, text: str) -> bool:
    words = fold(text).split()
    return any(
        read_protein_change(w) or _CODING.match(w) or w in kb.gene_terms or _FUSION_TOKEN.match(w) for w in words
    ) or bool(any(p.search(text) for p, _ in _EXON_EVENTS))


def _find_gene(kb: KnowledgeBase, text: str) -> tuple[str | None, str, str | None]:
    """The gene named in `text`: (gene, the rest of the text, fusion partner)."""
    text = _GENE_PREFIX.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    coding = re.search(r"\b(n[mr]_\d+(?:\.\d+)?)\(([a-z0-9:-]+)\):", text, re.ASCII)
    if coding:  # NM_005228.5(EGFR):c.2573T>G names its gene in brackets
        gene = kb.gene_terms.get(coding.group(2))
        if gene is not None:
            return gene, text.replace(coding.group(0), coding.group(1) + ":"), None
    tokens = text.split()
    for size in (3, 2, 1):  # the longest alias first, so "bcr-abl1" wins over "abl1"
        for start in range(len(tokens) - size + 1):
            gene = kb.gene_terms.get(" ".join(tokens[start : start + size]))
            if gene is not None:
                return gene, " ".join(tokens[:start] + tokens[start + size :]), None
    for start, token in enumerate(tokens):
        match = _FUSION_TOKEN.match(token)
        if match:
            first, second = match.groups()
            for gene, partner in ((kb.gene_terms.get(second), first), (kb.gene_terms.get(first), second)):
                if gene is not None and partner == second and partner in kb.alteration_terms.get(gene, {}):
                    # "FLT3-ITD": the gene and one of its own alterations, not a fusion with a partner
                    return gene, " ".join(tokens[:start] + [partner] + tokens[start + 1 :]), None
                if gene is not None:
                    return gene, " ".join(tokens[:start] + ["fusion"] + tokens[start + 1 :]), partner.upper()
    return None, text, None


def _curated_by_term(kb: KnowledgeBase, gene: str, text: str) -> Alteration | None:
    """The alteration `text` names; "p210 e14a2" names one alteration twice over."""
    terms = kb.alteration_terms.get(gene, {})
    found = terms.get(text.strip(" .,;()"))
    if found is None and len(words := text.split()) > 1:
        named = {terms.get(w) for w in words}
        found = named.pop() if len(named) == 1 else None
    return kb.alterations[found] if found else None


def _category_named(kb: KnowledgeBase, gene: str, text: str) -> str | None:
    """ "kinase domain mutation" after BCR-ABL1 names the category "BCR::ABL1 kinase domain mutation"."""
    for category, named in kb.gene_category_names(gene):
        # "mutation" itself was read as a result word before this: "kinase domain" names the category too
        if text.removesuffix("s") in (named, named.removesuffix(" mutation")):
            return category
    return None


def _curated_for_exon_event(kb: KnowledgeBase, gene: str, kind: str, exon: int | None) -> Alteration | None:
    for alteration in kb.alterations_of(gene):
        if alteration.kind == kind and (exon is None or alteration.exon == exon):
            return alteration
    return None


def _curated_for_protein(kb: KnowledgeBase, gene: str, change: ProteinChange, exon: int | None) -> Alteration | None:
    """The curated alteration a protein change is: by name, else the exon-level category its exon and type fit."""
    by_name = kb.alteration_terms.get(gene, {}).get(fold(change.name))
    if by_name:
        return kb.alterations[by_name]
    if exon is None:
        return None
    wanted = ["exon_mutation"]
    if change.kind == "del" or (change.kind == "delins" and change.net_length < 0):
        wanted.insert(0, "exon_deletion")
    if change.kind in ("ins", "dup") or (change.kind == "delins" and change.net_length > 0):
        wanted.insert(0, "exon_insertion")
    for kind in wanted:
        alteration = _curated_for_exon_event(kb, gene, kind, exon)
        if alteration is not None:
            return alteration
    return None


def _transcript_for(kb: KnowledgeBase, gene: str):  # type: ignore[no-untyped-def]
    # a fusion's kinase-domain mutations are numbered on its 3' kinase partner (BCR::ABL1 on ABL1)
    return kb.transcripts.get(gene) or kb.transcripts.get(gene.split("::")[-1])


def _exon_of(kb: KnowledgeBase, gene: str, codon: int) -> int | None:
    transcript = _transcript_for(kb, gene)
    if transcript is None:
        return None
    return kb.exon_of(transcript.gene, codon)


@dataclass
class _Reading:
    alteration: Alteration | None = None
    category: str | None = None  # a category named as a whole ("kinase domain mutation"): only a negative result is usable
    variant: str | None = None
    transcript: str | None = None
    exon: int | None = None
    partner: str | None = None
    problem: str | None = None
    gene_level: bool = False
    copy_kind: str | None = None
    notes: list[str] = field(default_factory=list)


def _drop_variant_words(kb: KnowledgeBase, text: str) -> str:
    """The text without the words that do not change the variant, HGVS tokens kept whole."""
    kept: list[str] = []
    run: list[str] = []
    for word in [*text.split(), ""]:
        if word and not _HGVS_TOKEN.match(word):
            run.append(word)
            continue
        if run:
            kept.append(kb.variant_word_pattern.sub(" ", " ".join(run)))
            run = []
        if word:
            kept.append(word)
    return " ".join(kept)


def _unbracketed(text: str) -> str:
    """The text with brackets as spaces, runs of space as one, and edge punctuation stripped."""
    return re.sub(r"\s+", " ", text.replace("(", " ").replace(")", " ")).strip(" ,;.:")


def _read_change(kb: KnowledgeBase, gene: str, rest: str) -> _Reading:
    """Read the variant text that follows the gene. A cDNA change of a gene without a curated transcript cannot be
    placed, so it can neither confirm nor contradict a name written beside it ("NPM1 c.860_863dup (type A)"): the
    entry is read by that name, and the note says the cDNA change was not read."""
    reading = _read_change_text(kb, gene, rest)
    if reading.problem is None or _transcript_for(kb, gene) is not None:
        return reading
    words = _unbracketed(rest).split()
    notation = [w for w in words if _HGVS_TOKEN.match(w)]
    coding_only = bool(notation) and all(read_coding_change(w) is not None for w in notation)
    named = _curated_by_term(kb, gene, " ".join(w for w in words if not _HGVS_TOKEN.match(w))) if coding_only else None
    if named is None:
        return reading
    return _Reading(
        alteration=named,
        exon=named.exon,
        notes=[f"read by its name; {' '.join(notation)} was not read: there is no curated transcript for {gene} to place it"],
    )


def _read_change_text(kb: KnowledgeBase, gene: str, rest: str) -> _Reading:
    reading = _Reading()
    cleaned = _unbracketed(_drop_variant_words(kb, rest))
    # a curated name is matched before the words that do not change a variant are dropped ("type a": NPM1 type A)
    curated = _curated_by_term(kb, gene, _unbracketed(rest)) or _curated_by_term(kb, gene, cleaned)
    if curated is not None:
        reading.alteration = curated
        reading.exon = curated.exon
        return reading
    category = _category_named(kb, gene, cleaned)
    if category is not None:
        reading.category = category
        return reading
    words = cleaned.split()
    unexplained: list[str] = []
    change: ProteinChange | None = None
    coding: CodingChange | None = None
    for word in words:
        protein = read_protein_change(word)
        if protein is not None and change is None:
            change = protein
            continue
        code = read_coding_change(word)
        if code is not None and coding is None:
            coding = code
            continue
        unexplained.append(word)
    rest_text = " ".join(unexplained)
    exon_event: tuple[str, int | None] | None = None
    for pattern, kind in _EXON_EVENTS:
        match = pattern.search(rest_text)
        if match:
            number = next((g for g in match.groups() if g), None)
            exon_event = (kind, int(number) if number else None)
            rest_text = pattern.sub(" ", rest_text, count=1)
            break
    copy_kind = None
    for pattern, kind in ((_FUSION_WORDS, "fusion"), (_AMPLIFICATION_WORDS, "amplification"), (_GAIN_WORDS, "gain"), (_LOSS_WORDS, "loss")):
        if pattern.search(rest_text):
            copy_kind = kind
            rest_text = pattern.sub(" ", rest_text)
            break
    leftover = leftover_words(rest_text)
    if leftover:
        reading.problem = f"the words '{' '.join(leftover)}' were not understood"
        return reading

    if coding is not None and change is None:
        transcript = _transcript_for(kb, gene)
        if coding.transcript and transcript is not None and coding.transcript != transcript.transcript.upper():
            reading.problem = (
                f"{coding.hgvs_c} is given on {coding.transcript}; the curated transcript of {gene} is "
                f"{transcript.transcript}: send the protein change"
            )
            return reading
        reading.transcript = transcript.transcript if transcript else coding.transcript
        known = kb.coding_variants.get((transcript.gene if transcript else gene, coding.hgvs_c))
        if known is not None:
            change = read_protein_change(known.hgvs_p.lower())
            reading.notes.append(f"{coding.hgvs_c} is {known.hgvs_p} on {known.transcript}")
        elif transcript is None:
            reading.problem = f"there is no curated transcript for {gene} to place {coding.hgvs_c}: send the protein change"
            return reading
        else:
            exon = kb.exon_of(transcript.gene, coding.first_codon)
            if coding.intronic or exon is None or exon != kb.exon_of(transcript.gene, coding.last_codon):
                reading.problem = f"{coding.hgvs_c} could not be placed in one coding exon of {transcript.transcript}: send the protein change"
                return reading
            reading.exon = exon
            reading.variant = f"{coding.hgvs_c} (codons {coding.first_codon}-{coding.last_codon})"
            kind = {"del": "exon_deletion", "dup": "exon_insertion", "ins": "exon_insertion"}.get(coding.kind, "exon_mutation")
            reading.alteration = _curated_for_exon_event(kb, gene, kind, exon)
            if kind != "exon_mutation":  # whether an indel is in frame is not known from c. alone: say so
                reading.notes.append("placed by its cDNA position; confirm it is in frame")
            return reading

    if change is not None:
        exon = _exon_of(kb, gene, change.start)
        end_exon = _exon_of(kb, gene, change.end)
        if exon is not None and end_exon is not None and end_exon != exon:
            exon = None  # spans two exons: no exon-level category
        transcript = _transcript_for(kb, gene)
        if exon_event is not None and exon_event[1] is not None and exon is not None and exon_event[1] != exon:
            reading.problem = f"{change.name} lies in exon {exon} of {transcript.transcript if transcript else gene}, not exon {exon_event[1]}"
            return reading
        reading.variant = change.one_letter
        reading.exon = exon if exon is not None else (exon_event[1] if exon_event else None)
        reading.transcript = transcript.transcript if transcript and exon is not None else None
        reading.alteration = _curated_for_protein(kb, gene, change, reading.exon)
        return reading
    if exon_event is not None:
        kind, exon = exon_event
        reading.exon = exon
        reading.alteration = _curated_for_exon_event(kb, gene, kind, exon)
        reading.variant = f"exon {exon} {kind.removeprefix('exon_').replace('_', ' ')}" if exon else None
        if reading.alteration is None:
            reading.problem = f"no {kind.replace('_', ' ')} of {gene}{f' exon {exon}' if exon else ''} is in the knowledge base"
        return reading
    if copy_kind is not None:
        reading.copy_kind = copy_kind
        reading.alteration = _curated_for_exon_event(kb, gene, copy_kind, None) if copy_kind in ("fusion", "amplification") else None
        reading.variant = {"gain": "copy number gain", "loss": "deletion or loss"}.get(copy_kind, copy_kind)
        if copy_kind == "gain":
            reading.notes.append("copy number gain is not amplification: it does not meet an amplification criterion")
        return reading
    reading.gene_level = True
    return reading


def _infer_gene(kb: KnowledgeBase, cancer_type: str | None, text: str) -> tuple[str | None, list[str], list[str]]:
    """The one gene the knowledge has for a variant written alone, in this cancer type; else the candidates."""
    cleaned = kb.variant_word_pattern.sub(" ", text).strip(" ,;.:()")
    words = cleaned.split()
    names = set()
    for word in words:
        change = read_protein_change(word)
        if change is not None:
            names.add(fold(change.name))
    names.add(re.sub(r"\s+", " ", cleaned))
    everywhere = sorted({gene for gene, terms in kb.alteration_terms.items() if names.intersection(terms)})
    here = kb.genes_for_cancer_type(cancer_type) if cancer_type else frozenset()
    in_scope = [g for g in everywhere if g in here]
    if len(in_scope) == 1:
        return in_scope[0], in_scope, everywhere
    return None, in_scope, everywhere


_NOT_ACTED_ON = "; no option or rule in the knowledge base acts on this gene, so it is not used for matching"


def _status_words(status: str) -> str:
    return {
        "detected": "detected",
        "not detected": "tested and not detected",
        "pending": "pending: not used until resulted",
        "equivocal": "equivocal or indeterminate: not used",
        "uncertain significance": "a variant of uncertain significance: not used",
        "not tested": "not tested",
    }[status]


def read_mutation(kb: KnowledgeBase, item: str | MutationInput, cancer_type: str | None) -> list[VariantReading]:
    """Every variant an entry names (usually one), each with how it was read; a recognised entry is read once per
    cancer type (a bounded cache kept with the knowledge base)."""
    if isinstance(item, MutationInput):
        fields = (item.gene, item.alteration, item.status, item.in_cis_with, item.in_trans_with)
        reader = kb.cached("mutation_fields", lambda *key: _read_mutation_fields(kb, *key), keep=_all_recognised)
        return list(reader(*fields, cancer_type))
    reader = kb.cached("mutation_text", lambda text, code: tuple(_read_mutation(kb, text, code)), keep=_all_recognised)
    return list(reader(item, cancer_type))


def _all_recognised(readings: tuple[VariantReading, ...]) -> bool:
    return all(r.recognised for r in readings)


def _read_mutation_fields(
    kb: KnowledgeBase, gene: str | None, alteration: str | None, status: str, cis: str | None, trans: str | None, cancer_type: str | None
) -> tuple[VariantReading, ...]:
    # the fields of an already validated MutationInput, rebuilt without validating them again
    item = MutationInput.model_construct(gene=gene, alteration=alteration, status=status, in_cis_with=cis, in_trans_with=trans)
    return tuple(_read_mutation(kb, item, cancer_type))


def _read_mutation(kb: KnowledgeBase, item: str | MutationInput, cancer_type: str | None) -> list[VariantReading]:
    if isinstance(item, MutationInput):
        text = " ".join(p for p in (item.gene, item.alteration) if p)
        shown = text
        field_status: str | None = item.status
        contexts = [(r, v) for r, v in (("cis", item.in_cis_with), ("trans", item.in_trans_with)) if v]
    else:
        text = shown = item
        field_status = None
        contexts = []
    folded = _GENE_HYPHEN_RESULT.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) in kb.gene_terms else m.group(0), fold(text))
    folded = _GENE_COLON.sub(lambda m: m.group(1) + " " if m.group(1) in kb.gene_terms else m.group(0), folded)  # "EGFR: exon 19 deletion"
    folded = _GENE_ALIAS_BRACKET.sub(
        # "ERBB2 (HER2) exon 20 insertion": the gene's other name in brackets says nothing more
        lambda m: m.group(1) if kb.gene_terms.get(m.group(1)) is not None and kb.gene_terms.get(m.group(1)) == kb.gene_terms.get(m.group(2)) else m.group(0),
        folded,
    )
    if not contexts:
        match = _ALLELIC.search(folded)
        if match:
            partner = folded[match.end() :].strip(" ,;.:()")
            contexts = [(match.group(1), partner)] if partner else [(match.group(1), "")]
            folded = folded[: match.start()].strip(" ,;.:()")
    # measurements first, so "MET/CEP7 ratio 2.4" is never read as a fusion or a second variant
    measured = _Part(folded)
    _read_measurements(measured)
    parts = _split_parts(kb, measured.text)
    if len(parts) == 1:
        parts[0].copy_number, parts[0].ratio, parts[0].notes = measured.copy_number, measured.ratio, measured.notes
    readings: list[VariantReading] = []
    carried_gene: str | None = None
    for index, part in enumerate(parts):
        reading = _read_part(kb, part, shown, field_status, cancer_type, carried_gene)
        if reading.gene is not None:
            carried_gene = reading.gene
        readings.append(reading)
    if contexts:
        readings = _apply_allelic_context(kb, readings, contexts, shown, cancer_type, carried_gene)
    return readings


def _apply_allelic_context(
    kb: KnowledgeBase,
    readings: list[VariantReading],
    contexts: list[tuple[str, str]],
    shown: str,
    cancer_type: str | None,
    gene: str | None,
) -> list[VariantReading]:
    relation, partner_text = contexts[0]
    if not partner_text:
        if len(readings) == 2 and all(r.alteration for r in readings):
            first, second = readings
            return [_with_context(first, relation, second), _with_context(second, relation, first)]
        return [_not_recognised(shown, f"'{relation}' needs the other variant: write '<variant> in {relation} with <variant>'", readings[0].status, gene)]
    partner = _read_part(kb, _Part(fold(partner_text)), shown, None, cancer_type, gene)
    if partner.alteration is None or partner.gene != gene:
        return [
            _not_recognised(
                shown, f"the variant it is in {relation} with could not be read as a variant of {gene or 'the same gene'}", readings[0].status, gene
            )
        ]
    main = readings[0]
    if main.alteration is None:
        return readings
    # a variant in cis or in trans with another one says that the other one was found too
    partner = VariantReading(
        understood=partner.understood.model_copy(
            update={"read_as": f"{partner.understood.read_as} (named as the variant in {relation} with {main.alteration.name})"}
        ),
        alteration=partner.alteration,
        gene=partner.gene,
        status=main.status,
    )
    return [_with_context(main, relation, partner), _with_context(partner, relation, main), *readings[1:]]


def _with_context(reading: VariantReading, relation: str, other: VariantReading) -> VariantReading:
    assert other.alteration is not None
    context = AllelicContext(relation=relation, variant=other.alteration.id)  # type: ignore[arg-type]
    understood = reading.understood.model_copy(
        update={
            "allelic_context": [*reading.understood.allelic_context, context],
            "read_as": f"{reading.understood.read_as}; in {relation} with {other.alteration.id}",
        }
    )
    return VariantReading(
        understood=understood,
        alteration=reading.alteration,
        gene=reading.gene,
        status=reading.status,
        allelic=(*reading.allelic, (relation, other.alteration.id)),
        uncurated_variant=reading.uncurated_variant,
    )


def _not_recognised(shown: str, detail: str, status: str, gene: str | None, candidates: list[str] | None = None) -> VariantReading:
    return VariantReading(
        understood=MutationUnderstood(
            input=shown, status="not_recognised", gene=gene, result=status, detail=detail, candidates=candidates or []  # type: ignore[arg-type]
        ),
        alteration=None,
        gene=gene,
        status=status,
    )


def _read_part(
    kb: KnowledgeBase, part: _Part, shown: str, field_status: str | None, cancer_type: str | None, carried_gene: str | None
) -> VariantReading:
    _read_status(kb, part)
    _read_measurements(part)
    method, part.text = spot(kb.method_pattern, kb.method_words, part.text)
    status = part.status or field_status or "detected"
    if part.status_problem:
        return _not_recognised(shown, part.status_problem, "equivocal", None)
    if field_status is not None and part.status is not None and part.status != field_status:
        return _not_recognised(shown, f"the text says '{part.status}' but status says '{field_status}'", "equivocal", None)
    text = part.text.replace("p.(", "p.").strip()
    gene, rest, partner = _find_gene(kb, text)
    inferred = False
    if gene is None and carried_gene is not None:
        gene, rest = carried_gene, text
    elif gene is None:
        gene, in_scope, everywhere = _infer_gene(kb, cancer_type, text)
        if gene is None:
            if not leftover_words(text):
                return _not_recognised(shown, "no gene or variant is named", status, None)
            marker = next((kb.biomarker_terms[w] for w in re.split(r"[\s:=-]+", text) if w in kb.biomarker_terms), None)
            if marker:
                detail = f"{marker} is a biomarker, not a mutation: send it in biomarkers"
            elif len(in_scope) > 1:
                detail = "no gene is named, and the variant is known for more than one gene here: write the gene"
            elif everywhere:
                detail = (
                    "no gene is named; the knowledge has this variant only for "
                    + ", ".join(everywhere)
                    + ", which it does not act on in this cancer type: write the gene"
                )
            else:
                detail = "no gene this service knows is named; write the gene with the change, e.g. 'EGFR T790M'"
            return _not_recognised(shown, detail, status, None, in_scope or everywhere)
        inferred, rest = True, text
    reading = _read_change(kb, gene, rest)
    if reading.problem:
        return _not_recognised(shown, reading.problem, status, gene)
    notes = [*reading.notes, *part.notes, *(f"method: {m}" for m in method)]
    if partner and reading.alteration is not None and reading.alteration.kind == "fusion":
        notes.append(f"fusion partner {partner}")
    measured = {"copy_number": part.copy_number, "ratio": part.ratio}
    if reading.category is not None:
        if status != "not detected":
            return _not_recognised(shown, f"'{reading.category}' names a group of variants: give the variant", status, gene)
        members = [a for a in kb.alterations_of(gene) if reading.category in a.categories]
        return VariantReading(
            understood=MutationUnderstood(
                input=shown,
                status="recognised",
                normalised=f"no {reading.category}",
                read_as=f"no {reading.category} detected (tested and not detected: {', '.join(a.name for a in members)})",
                gene=gene,
                result="not detected",
            ),
            alteration=None,
            gene=gene,
            status="not detected",
            negative_alterations=tuple(a.id for a in members),
        )
    if reading.gene_level and status == "detected" and part.status == "detected":
        # "ALK positive", "BCR-ABL1 +": where the curators made "positive" mean the gene's one driver;
        # "TP53 mutated": a gene whose curated event is any mutation of it (kind "any")
        driver = kb.alteration_terms.get(gene, {}).get("positive") or next(
            (a.id for a in kb.alterations_of(gene) if a.kind == "any"), None
        )
        if driver is not None:
            reading = _Reading(alteration=kb.alterations[driver], notes=reading.notes)
    if reading.gene_level:
        if status == "detected":
            unread = _not_recognised(
                shown, f"{gene} is named without the alteration; give the change (a protein change, fusion or exon event)", status, gene
            )
            return replace(unread, gene_altered_unstated=True)
        return VariantReading(
            understood=MutationUnderstood(
                input=shown,
                status="recognised",
                normalised=f"{gene} (gene-level result)",
                read_as=f"{gene}: {_status_words(status)}" + (" (no alteration detected)" if status == "not detected" else ""),
                gene=gene,
                gene_inferred=inferred,
                result=status,  # type: ignore[arg-type]
                detail="; ".join(notes) or None,
                **measured,
            ),
            alteration=None,
            gene=gene,
            status=status,
        )
    alteration = reading.alteration
    variant_name = reading.variant
    if alteration is None:
        described = f"{gene} {variant_name}" if variant_name else gene
        where = f" (exon {reading.exon})" if reading.exon else ""
        return VariantReading(
            understood=MutationUnderstood(
                input=shown,
                status="recognised",
                normalised=described,
                read_as=f"{described}{where}: {_status_words(status)}; the knowledge base holds no evidence for this variant, so it is not used for matching",
                gene=gene,
                gene_inferred=inferred,
                result=status,  # type: ignore[arg-type]
                variant=variant_name,
                transcript=reading.transcript,
                exon=reading.exon,
                fusion_partner=partner,
                detail="; ".join(notes) or None,
                **measured,
            ),
            alteration=None,
            gene=gene,
            status=status,
            uncurated_variant=True,
        )
    how = alteration.id
    if variant_name and fold(variant_name.removeprefix("p.")) != fold(alteration.name):
        how = f"{alteration.id} ({variant_name}" + (f" in exon {reading.exon} of {reading.transcript}" if reading.transcript else "") + ")"
    if inferred:
        how += f", gene inferred: {gene} is the only gene the knowledge has for this variant in this cancer type"
    return VariantReading(
        understood=MutationUnderstood(
            input=shown,
            status="recognised",
            normalised=alteration.id,
            read_as=f"{how}: {_status_words(status)}" + (_NOT_ACTED_ON if gene in kb.genes_never_acted_on and status == "detected" else ""),
            gene=gene,
            gene_inferred=inferred,
            alteration=alteration.name,
            result=status,  # type: ignore[arg-type]
            variant=variant_name,
            transcript=reading.transcript,
            exon=reading.exon if reading.exon is not None else alteration.exon,
            fusion_partner=partner,
            categories=list(alteration.categories),
            detail="; ".join(notes) or None,
            **measured,
        ),
        alteration=alteration,
        gene=gene,
        status=status,
    )
