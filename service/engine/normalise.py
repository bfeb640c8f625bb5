"""Normalisers: one per vocabulary, shared by every front door (JSON API, web form, CDS Hooks).

Each turns what a caller wrote into the knowledge base's terms by exact lookup after folding
case, spacing and notation. Nothing is mapped by similarity: input that does not resolve is
returned as not recognised, with the reason, so the caller sees exactly what was not used.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from schemas.requests import MedicationInput, MutationInput, PatientProfileInput, PriorTherapyInput
from schemas.responses import (
    BiomarkerUnderstood,
    CancerTypeUnderstood,
    DrugUnderstood,
    MutationUnderstood,
    PriorTherapyUnderstood,
    ProfileUnderstood,
    StageUnderstood,
    Warning,
)
from service.knowledge.index import KnowledgeBase
from service.knowledge.terms import fold
from service.knowledge.records import Alteration, Setting


class UnknownCancerTypeError(ValueError):
    """The cancer type is not in the knowledge base; `suggestions` are the closest known types."""

    def __init__(self, suggestions: list[tuple[str, str]]) -> None:
        self.suggestions = suggestions
        super().__init__("cancer_type is not a known OncoTree code, name or synonym")


# --- cancer type --------------------------------------------------------------------------


@dataclass(frozen=True)
class CancerTypeResult:
    understood: CancerTypeUnderstood
    code: str  # the recognised code, or the nearest common ancestor of an ambiguous term
    ambiguous: bool


def normalise_cancer_type(kb: KnowledgeBase, text: str) -> CancerTypeResult:
    key = fold(text)
    code = kb.cancer_type_terms.get(key)
    if code is not None:
        cancer = kb.cancer_types[code]
        return CancerTypeResult(
            CancerTypeUnderstood(input=text, status="recognised", normalised=code, code=code, name=cancer.name),
            code,
            ambiguous=False,
        )
    ambiguous = kb.ambiguous_cancer_terms.get(key)
    if ambiguous is not None:
        names = [f"{c} ({kb.cancer_types[c].name})" for c in ambiguous.candidates]
        return CancerTypeResult(
            CancerTypeUnderstood(
                input=text,
                status="ambiguous",
                normalised=ambiguous.ancestor,
                code=ambiguous.ancestor,
                name=kb.cancer_types[ambiguous.ancestor].name,
                candidates=list(ambiguous.candidates),
                detail="could be " + ", ".join(names) + "; options need a specific type are shown with a caveat",
            ),
            ambiguous.ancestor,
            ambiguous=True,
        )
    raise UnknownCancerTypeError(suggest_cancer_types(kb, key))


def suggest_cancer_types(kb: KnowledgeBase, key: str, limit: int = 5) -> list[tuple[str, str]]:
    """Closest known types by spelling: offered to the caller in the error, never applied."""
    close = difflib.get_close_matches(key, list(kb.cancer_type_terms), n=limit * 3, cutoff=0.5)
    codes: list[str] = []
    for term in close:
        code = kb.cancer_type_terms[term]
        if code not in codes:
            codes.append(code)
    return [(code, kb.cancer_types[code].name) for code in codes[:limit]]


# --- stage --------------------------------------------------------------------------------

_ROMAN_STAGE = re.compile(r"^(?:stage\s*)?(iv|iii|ii|i|4|3|2|1)(?:[abc][0-9]?)?$")
_ROMAN_SETTING = {
    "i": Setting.EARLY,
    "1": Setting.EARLY,
    "ii": Setting.EARLY,
    "2": Setting.EARLY,
    "iii": Setting.LOCALLY_ADVANCED,
    "3": Setting.LOCALLY_ADVANCED,
    "iv": Setting.METASTATIC,
    "4": Setting.METASTATIC,
}
_STAGE_PHRASES: dict[str, tuple[Setting, ...]] = {
    "early": (Setting.EARLY,),
    "early stage": (Setting.EARLY,),
    "localized": (Setting.EARLY,),
    "localised": (Setting.EARLY,),
    "locally advanced": (Setting.LOCALLY_ADVANCED,),
    "unresectable": (Setting.ADVANCED,),
    "advanced": (Setting.ADVANCED,),
    "advanced or metastatic": (Setting.ADVANCED,),
    "metastatic": (Setting.METASTATIC,),
    "recurrent": (Setting.RECURRENT,),
    "recurrent or metastatic": (Setting.RECURRENT, Setting.METASTATIC),
    "chronic phase": (Setting.CHRONIC_PHASE,),
    "cp": (Setting.CHRONIC_PHASE,),
    "cml-cp": (Setting.CHRONIC_PHASE,),
    "accelerated phase": (Setting.ACCELERATED_PHASE,),
    "ap": (Setting.ACCELERATED_PHASE,),
    "blast phase": (Setting.BLAST_PHASE,),
    "blast crisis": (Setting.BLAST_PHASE,),
    "bp": (Setting.BLAST_PHASE,),
    "newly diagnosed": (Setting.NEWLY_DIAGNOSED,),
    "relapsed": (Setting.RELAPSED,),
    "refractory": (Setting.REFRACTORY,),
    "relapsed or refractory": (Setting.RELAPSED, Setting.REFRACTORY),
    "relapsed/refractory": (Setting.RELAPSED, Setting.REFRACTORY),
}


def normalise_stage(text: str) -> tuple[StageUnderstood, tuple[Setting, ...]]:
    key = fold(text).replace("_", " ").strip(" .")
    key = re.sub(r"\s*\(.*\)$", "", key)
    settings = _STAGE_PHRASES.get(key) or _STAGE_PHRASES.get(key.removesuffix(" disease"))
    if settings is None:
        match = _ROMAN_STAGE.match(key)
        if match:
            settings = (_ROMAN_SETTING[match.group(1)],)
    if settings is None:
        return (
            StageUnderstood(
                input=text,
                status="not_recognised",
                detail="not a stage this service knows; options are not filtered by disease setting",
            ),
            (),
        )
    values = [s.value for s in settings]
    return StageUnderstood(input=text, status="recognised", normalised=", ".join(values), settings=values), settings


# --- alterations --------------------------------------------------------------------------

_THREE_LETTER = {
    "ala": "A", "arg": "R", "asn": "N", "asp": "D", "cys": "C", "gln": "Q", "glu": "E", "gly": "G",
    "his": "H", "ile": "I", "leu": "L", "lys": "K", "met": "M", "phe": "F", "pro": "P", "ser": "S",
    "thr": "T", "trp": "W", "tyr": "Y", "val": "V", "ter": "*",
}  # fmt: skip
_THREE_LETTER_CHANGE = re.compile(
    r"\b(" + "|".join(_THREE_LETTER) + r")(\d{1,4})(" + "|".join(_THREE_LETTER) + r"|del|dup|fs)\b", re.IGNORECASE
)
_PROTEIN_CHANGE = re.compile(r"\b([acdefghiklmnpqrstvwy])(\d{1,4})([acdefghiklmnpqrstvwy*x])\b")
_NEGATIVE_WORDS = re.compile(
    r"\b(not detected|none detected|negative|wild[- ]?type|wt|absent|no mutation|not present)\b"
)
_POSITIVE_WORDS = re.compile(r"\b(detected|positive|present|mutated|mutation|mutant)\b|\+")
_FILLER_WORDS = re.compile(r"\b(acquired|somatic|germline|activating|sensitizing|sensitising|variant|alteration|gene|p\.)\b")
_KIND_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bexon\s*(\d+)\s*(?:skipping|skip)\b|\bex(\d+)\s*skipping\b"), "exon_skipping"),
    (re.compile(r"\bexon\s*(\d+)\s*(?:deletion|del|deletions)\b|\bex(\d+)\s*del\b"), "exon_deletion"),
    (re.compile(r"\bexon\s*(\d+)\s*(?:insertion|ins|insertions)\b|\bex(\d+)\s*ins\b"), "exon_insertion"),
    (re.compile(r"\b(?:fusion|fusions|rearrangement|rearranged|translocation)\b"), "fusion"),
    (re.compile(r"\b(?:amplification|amplified|amp|copy number gain)\b"), "amplification"),
    (re.compile(r"\bexon\s*(\d+)\b"), "exon_mutation"),
]
_FUSION_SEPARATOR = re.compile(r"::|-|/")


@dataclass(frozen=True)
class AlterationFinding:
    understood: MutationUnderstood
    alteration: Alteration | None
    gene: str | None
    detected: bool


def _to_one_letter(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        ref = _THREE_LETTER[match.group(1).lower()]
        alt = match.group(3).lower()
        return f"{ref}{match.group(2)}{_THREE_LETTER.get(alt, alt)}"

    return _THREE_LETTER_CHANGE.sub(replace, text)


def _find_gene(kb: KnowledgeBase, text: str) -> tuple[str | None, str, str | None]:
    """Find the gene named in `text`; return (gene, the remaining text, fusion partner)."""
    tokens = text.split()
    # longest alias first, so "bcr-abl1" wins over "abl1"
    for size in (3, 2, 1):
        for start in range(len(tokens) - size + 1):
            candidate = " ".join(tokens[start : start + size])
            gene = kb.gene_terms.get(candidate)
            if gene is not None:
                rest = " ".join(tokens[:start] + tokens[start + size :])
                return gene, rest, None
    for start, token in enumerate(tokens):
        parts = [p for p in _FUSION_SEPARATOR.split(token) if p]
        if len(parts) == 2:
            known = [kb.gene_terms.get(p) for p in parts]
            for gene, partner in ((known[1], parts[0]), (known[0], parts[1])):
                if gene is not None:
                    rest = " ".join(tokens[:start] + ["fusion"] + tokens[start + 1 :])
                    return gene, rest, partner.upper()
    return None, text, None


def _match_alteration(kb: KnowledgeBase, gene: str, text: str) -> tuple[Alteration | None, str | None]:
    """Resolve `text` to one of `gene`'s alterations; return it or the reason it did not resolve."""
    terms = kb.alteration_terms.get(gene, {})
    cleaned = _FILLER_WORDS.sub(" ", text).replace("(", " ").replace(")", " ")
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,;.")
    if cleaned in terms:
        return kb.alterations[terms[cleaned]], None
    change = _PROTEIN_CHANGE.search(_to_one_letter(cleaned))
    if change:
        name = "".join(change.groups())
        if name in terms:
            return kb.alterations[terms[name]], None
        return None, f"{gene} {name.upper()} is not in the knowledge base"
    for pattern, kind in _KIND_PATTERNS:
        match = pattern.search(cleaned)
        if not match:
            continue
        exon_text = next((g for g in match.groups() if g), None)
        exon = int(exon_text) if exon_text else None
        for alteration in kb.alterations_of(gene):
            if alteration.kind == kind and (exon is None or alteration.exon == exon):
                return alteration, None
        return None, f"no {kind.replace('_', ' ')} of {gene}{f' exon {exon}' if exon else ''} is in the knowledge base"
    return None, f"the {gene} alteration could not be read"


def normalise_mutation(kb: KnowledgeBase, item: str | MutationInput) -> AlterationFinding:
    if isinstance(item, MutationInput):
        raw = f"{item.gene} {item.alteration or ''}".strip()
        shown = raw if item.status == "detected" else f"{raw} (not detected)"
        detected_by_field = item.status == "detected"
    else:
        raw = shown = item
        detected_by_field = None
    text = fold(_to_one_letter(raw)).replace("p.", "")
    negative = _NEGATIVE_WORDS.search(text) is not None
    detected = detected_by_field if detected_by_field is not None else not negative
    text = _NEGATIVE_WORDS.sub(" ", text)
    result = "detected" if detected else "not detected"

    gene, rest, partner = _find_gene(kb, text)
    if gene is None:
        marker = next((kb.biomarker_terms[w] for w in re.split(r"[\s:=-]+", text) if w in kb.biomarker_terms), None)
        detail = (
            f"{marker} is a biomarker, not a mutation: send it in biomarkers as {{name, status}}"
            if marker
            else "no gene this service knows is named; write the gene with the change, e.g. 'EGFR T790M'"
        )
        return AlterationFinding(
            MutationUnderstood(input=shown, status="not_recognised", result=result, detail=detail),
            None,
            None,
            detected,
        )
    rest = rest.strip()
    alteration_text = _POSITIVE_WORDS.sub(" ", rest).strip() if rest not in kb.alteration_terms.get(gene, {}) else rest
    if not alteration_text:
        # a gene-level result: "EGFR not detected" is a tested-negative gene, "EGFR positive" says too little
        if not detected:
            return AlterationFinding(
                MutationUnderstood(
                    input=shown, status="recognised", normalised=f"{gene} (no alteration detected)", gene=gene, result=result
                ),
                None,
                gene,
                detected,
            )
        return AlterationFinding(
            MutationUnderstood(
                input=shown,
                status="not_recognised",
                gene=gene,
                result=result,
                detail=f"{gene} is named without the alteration; give the change (e.g. a protein change, fusion or exon event)",
            ),
            None,
            gene,
            detected,
        )
    alteration, problem = _match_alteration(kb, gene, rest if rest in kb.alteration_terms.get(gene, {}) else alteration_text)
    if alteration is None:
        return AlterationFinding(
            MutationUnderstood(input=shown, status="not_recognised", gene=gene, result=result, detail=problem),
            None,
            gene,
            detected,
        )
    detail = f"fusion partner {partner}" if partner and alteration.kind == "fusion" else None
    return AlterationFinding(
        MutationUnderstood(
            input=shown,
            status="recognised",
            normalised=alteration.id,
            gene=gene,
            alteration=alteration.name,
            result=result,
            categories=list(alteration.categories),
            detail=detail,
        ),
        alteration,
        gene,
        detected,
    )


# --- biomarkers ---------------------------------------------------------------------------


def normalise_biomarker(kb: KnowledgeBase, name: str, status: str) -> tuple[BiomarkerUnderstood, tuple[str, str] | None]:
    shown = f"{name}: {status}"
    marker_name = kb.biomarker_terms.get(fold(name))
    if marker_name is None:
        return BiomarkerUnderstood(input=shown, status="not_recognised", detail="biomarker not known to this service"), None
    marker = kb.biomarkers[marker_name]
    key = fold(status)
    for canonical, spellings in marker.statuses.items():
        if key == fold(canonical) or key in {fold(s) for s in spellings}:
            return (
                BiomarkerUnderstood(
                    input=shown, status="recognised", normalised=f"{marker_name} {canonical}", name=marker_name, value=canonical
                ),
                (marker_name, canonical),
            )
    allowed = ", ".join(marker.statuses)
    return (
        BiomarkerUnderstood(
            input=shown, status="not_recognised", name=marker_name, detail=f"status not recognised; use one of: {allowed}"
        ),
        None,
    )


# --- drugs --------------------------------------------------------------------------------

_DOSE_NOISE = re.compile(r"[,;()\[\]]")

# Words a medication line may carry beside the drug's name without changing which drug it is: dose units,
# frequency, route, dosage form, release type and the small words of a sig. Any other word (a second drug,
# "emtansine" after "trastuzumab") means the line names something this catalogue does not hold.
_ADMINISTRATION_WORDS = frozenset(
    """
    mg mcg µg ug g gram grams kg ml l iu unit units mmol meq % day days week weeks
    once twice daily a per x times every each weekly hourly hour hours h hr hrs
    morning evening night nightly bedtime noon am pm
    bid tid qid qd od bd tds qds qhs qam qpm prn
    po oral orally by mouth iv intravenous sc subcutaneous
    tab tabs tablet tablets cap caps capsule capsules solution suspension liquid chewable granules powder injection
    dr er xr xl sr cr ec delayed extended modified sustained controlled release delayed-release extended-release
    enteric coated enteric-coated film-coated
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


def _read_rxcui(kb: KnowledgeBase, item: str | MedicationInput) -> tuple[DrugUnderstood, DrugRef | None] | None:
    """An input given as an RxCUI: recognised when the catalogue holds the code, else reported, never guessed."""
    code_text = item.rxcui if isinstance(item, MedicationInput) else item
    if isinstance(item, MedicationInput) and item.rxcui is None:
        return None
    if not isinstance(item, MedicationInput) and not _RXCUI_TEXT.match(item):
        return None
    shown = f"rxcui:{_RXCUI_TEXT.match(code_text or '').group(1)}" if _RXCUI_TEXT.match(code_text or "") else str(code_text)
    name = drug_by_rxcui(kb, code_text)
    if name is None:
        if isinstance(item, MedicationInput) and item.name is not None:
            return None  # the name decides; an unknown code beside it adds nothing
        return (
            DrugUnderstood(input=shown, status="not_recognised", detail="RxCUI not in the drug catalogue; its interactions were not checked"),
            None,
        )
    drug = kb.drugs[name]
    return (
        DrugUnderstood(input=shown, status="recognised", normalised=name, name=name, detail="read as an RxNorm RxCUI", classes=list(drug.classes)),
        DrugRef(name=name, formulation=None, input=shown),
    )


def normalise_drug(kb: KnowledgeBase, item: str | MedicationInput) -> tuple[DrugUnderstood, DrugRef | None]:
    by_code = _read_rxcui(kb, item)
    if by_code is not None and isinstance(item, MedicationInput) and item.name is not None and by_code[1] is not None:
        by_name = normalise_drug(kb, item.model_copy(update={"rxcui": None}))
        if by_name[1] is not None and by_name[1].name != by_code[1].name:
            return (
                DrugUnderstood(
                    input=f"{item.name} (rxcui:{item.rxcui})",
                    status="not_recognised",
                    detail=f"the name reads as {by_name[1].name} but the RxCUI as {by_code[1].name}: send one of them to have its interactions checked",
                ),
                None,
            )
        if by_name[1] is not None:
            return by_name  # the same drug: the name keeps its formulation and spelling
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


_REGIMEN_SEPARATOR = re.compile(r"\s*(?:\+|,|/|;|\band\b|\bwith\b|\bplus\b)\s*")


@dataclass(frozen=True)
class PriorLine:
    number: int
    drugs: tuple[str, ...]
    outcome: str
    # drugs named in this line that the catalogue does not hold: requirements they might meet stay open
    unrecognised: int = 0


def normalise_prior_therapy(
    kb: KnowledgeBase, item: str | PriorTherapyInput, number: int
) -> tuple[PriorTherapyUnderstood, PriorLine]:
    if isinstance(item, PriorTherapyInput):
        names, outcome = list(item.drugs), item.outcome
    else:
        names, outcome = [p for p in _REGIMEN_SEPARATOR.split(item) if p.strip()], "unknown"
    understood = [found for name in names for found in _normalise_prior_drug(kb, name)]
    drugs = tuple(ref.name for _, ref in understood if ref is not None)
    unrecognised = sum(1 for _, ref in understood if ref is None)
    return (
        PriorTherapyUnderstood(line=number, drugs=[u for u, _ in understood], outcome=outcome),
        PriorLine(number=number, drugs=drugs, outcome=outcome, unrecognised=unrecognised),
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


# --- the whole profile --------------------------------------------------------------------


@dataclass
class NormalisedProfile:
    """The engine's one input: every front door produces this from what its caller sent."""

    cancer_type: str
    cancer_type_ambiguous: bool
    settings: tuple[Setting, ...]
    detected: list[Alteration]
    negative_genes: set[str]
    negative_alterations: set[str]
    biomarkers: dict[str, str]
    pd_l1: dict[str, float] | None
    prior_lines: list[PriorLine] | None
    line: int
    medications: list[DrugRef]
    understood: ProfileUnderstood
    warnings: list[Warning] = field(default_factory=list)

    @property
    def detected_terms(self) -> set[str]:
        """Ids and categories of every detected alteration."""
        terms = set()
        for alteration in self.detected:
            terms.add(alteration.id)
            terms.update(alteration.categories)
        return terms

    def alterations_matching(self, terms: list[str] | set[str]) -> list[Alteration]:
        wanted = set(terms)
        return [a for a in self.detected if a.id in wanted or wanted.intersection(a.categories)]


def normalise_profile(kb: KnowledgeBase, request: PatientProfileInput) -> NormalisedProfile:
    warnings: list[Warning] = []
    cancer = normalise_cancer_type(kb, request.cancer_type)
    if not cancer.ambiguous and kb.cancer_types[cancer.code].category == "tissue":
        warnings.append(
            Warning(
                code="cancer_type_not_specific",
                field="cancer_type",
                message="The cancer type names a tissue, not a diagnosis: options studied in a specific type are shown "
                "with a caveat. Give the histology (an OncoTree code) for a complete answer.",
            )
        )
    if cancer.ambiguous:
        warnings.append(
            Warning(
                code="ambiguous_cancer_type",
                field="cancer_type",
                message=f"The cancer type is ambiguous ({cancer.understood.detail}). Give a specific type.",
            )
        )

    stage_understood: StageUnderstood | None = None
    settings: tuple[Setting, ...] = ()
    if request.stage is None:
        warnings.append(
            Warning(code="stage_missing", field="stage", message="No stage given: options are not filtered by disease setting.")
        )
    else:
        stage_understood, settings = normalise_stage(request.stage)
        if not settings:
            warnings.append(
                Warning(
                    code="stage_not_recognised",
                    field="stage",
                    message="The stage was not recognised: options are not filtered by disease setting.",
                )
            )

    mutations: list[MutationUnderstood] = []
    detected: list[Alteration] = []
    negative_genes: set[str] = set()
    negative_alterations: set[str] = set()
    for index, item in enumerate(request.mutations):
        finding = normalise_mutation(kb, item)
        mutations.append(finding.understood)
        if finding.understood.status != "recognised":
            warnings.append(
                Warning(
                    code="mutation_not_recognised",
                    field=f"mutations[{index}]",
                    message=f"A mutation entry was not used: {finding.understood.detail}.",
                )
            )
            continue
        if finding.alteration is None and finding.gene is not None:
            negative_genes.add(finding.gene)
        elif finding.alteration is not None and finding.detected:
            if finding.alteration.id not in {a.id for a in detected}:
                detected.append(finding.alteration)
        elif finding.alteration is not None:
            negative_alterations.add(finding.alteration.id)
            if finding.alteration.id in kb.genes[finding.alteration.gene].driver_alterations:
                negative_genes.add(finding.alteration.gene)
    contradicted = sorted({a.gene for a in detected} & negative_genes)
    for gene in contradicted:
        warnings.append(
            Warning(
                code="contradictory_results",
                field="mutations",
                message=f"{gene} is reported both detected and not detected; it is treated as detected.",
            )
        )
    negative_genes -= set(contradicted)

    biomarkers_understood: list[BiomarkerUnderstood] = []
    biomarkers: dict[str, str] = {}
    for index, marker in enumerate(request.biomarkers):
        understood, value = normalise_biomarker(kb, marker.name, marker.status)
        biomarkers_understood.append(understood)
        if value is None:
            warnings.append(
                Warning(
                    code="biomarker_not_recognised",
                    field=f"biomarkers[{index}]",
                    message=f"A biomarker entry was not used: {understood.detail}.",
                )
            )
        else:
            biomarkers[value[0]] = value[1]

    prior_understood: list[PriorTherapyUnderstood] | None = None
    prior_lines: list[PriorLine] | None = None
    if request.prior_therapies is None:
        line = 1
        basis = "prior_therapies not given: first line assumed"
        warnings.append(
            Warning(
                code="prior_therapy_missing",
                field="prior_therapies",
                message="No prior therapy given: options are for first-line treatment. Send an empty list to say there was none.",
            )
        )
    else:
        prior_understood, prior_lines = [], []
        for number, item in enumerate(request.prior_therapies, start=1):
            understood, prior = normalise_prior_therapy(kb, item, number)
            prior_understood.append(understood)
            prior_lines.append(prior)
            for drug in understood.drugs:
                if drug.status != "recognised":
                    warnings.append(
                        Warning(
                            code="prior_drug_not_recognised",
                            field=f"prior_therapies[{number - 1}]",
                            message="A prior-therapy drug is not in the drug catalogue: the line counts, but its drug "
                            "was not used for matching.",
                        )
                    )
        line = len(prior_lines) + 1
        basis = f"{len(prior_lines)} prior line(s) of systemic therapy" if prior_lines else "no prior systemic therapy"

    medications_understood: list[DrugUnderstood] = []
    medications: list[DrugRef] = []
    for index, item in enumerate(request.current_medications):
        understood, ref = normalise_drug(kb, item)
        medications_understood.append(understood)
        if ref is None:
            warnings.append(
                Warning(
                    code="medication_not_recognised",
                    field=f"current_medications[{index}]",
                    message="A current medication is not in the drug catalogue: its interactions were not checked.",
                )
            )
        elif ref.name not in {m.name for m in medications}:
            medications.append(ref)

    pd_l1 = request.pd_l1.scores() if request.pd_l1 is not None else None
    understood = ProfileUnderstood(
        cancer_type=cancer.understood,
        stage=stage_understood,
        mutations=mutations,
        biomarkers=biomarkers_understood,
        pd_l1=pd_l1,
        prior_therapies=prior_understood,
        line_of_therapy=line,
        line_of_therapy_basis=basis,
        current_medications=medications_understood,
    )
    return NormalisedProfile(
        cancer_type=cancer.code,
        cancer_type_ambiguous=cancer.ambiguous,
        settings=settings,
        detected=detected,
        negative_genes=negative_genes,
        negative_alterations=negative_alterations,
        biomarkers=biomarkers,
        pd_l1=pd_l1,
        prior_lines=prior_lines,
        line=line,
        medications=medications,
        understood=understood,
        warnings=warnings,
    )
