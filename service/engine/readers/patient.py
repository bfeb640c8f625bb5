"""The rest of the patient: stage and the details written with it, performance status, conditions.

Stage text often carries more than the stage ("IV (active brain metastases)", "BCLC C, Child-Pugh
A5"): each clause is read into its own field. A clause the service does not understand makes the
stage not recognised, with the words it could not use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.requests import BloodCountsInput, ConditionInput
from schemas.responses import BloodCountsUnderstood, ConditionUnderstood, RecognisedTerm, StageUnderstood
from service.knowledge.index import KnowledgeBase
from service.knowledge.records import ConditionTerm, Setting
from service.knowledge.terms import fold, leftover_words

_ROMAN_STAGE = re.compile(r"^(?:stage\s*)?(iv|iii|ii|i|4|3|2|1)(?:[abc][0-9]?)?$", re.ASCII)
_ROMAN_SETTING = {
    "i": Setting.EARLY, "1": Setting.EARLY, "ii": Setting.EARLY, "2": Setting.EARLY,
    "iii": Setting.LOCALLY_ADVANCED, "3": Setting.LOCALLY_ADVANCED, "iv": Setting.METASTATIC, "4": Setting.METASTATIC,
}  # fmt: skip
_TNM_METASTATIC = re.compile(r"^[cpy]{0,2}t[0-4x][a-d]?[0-9]?n[0-3x][a-c]?m1[a-d]?$|^[cp]?m1[a-d]?$", re.ASCII)  # "T2N1M1c", or "M1a" beside "IVA"
_STAGE_PHRASES: dict[str, tuple[Setting, ...]] = {
    "early": (Setting.EARLY,),
    "early stage": (Setting.EARLY,),
    "localized": (Setting.EARLY,),
    "localised": (Setting.EARLY,),
    # after complete resection with no stage stated: the adjuvant setting (a resected stage IV is not, see read_stage)
    "resected": (Setting.EARLY,),
    "completely resected": (Setting.EARLY,),
    "adjuvant": (Setting.EARLY,),
    "locally advanced": (Setting.LOCALLY_ADVANCED,),
    "unresectable": (Setting.ADVANCED,),
    "inoperable": (Setting.ADVANCED,),
    "advanced": (Setting.ADVANCED,),
    "advanced or metastatic": (Setting.ADVANCED,),
    "metastatic": (Setting.METASTATIC,),
    "metastatic disease": (Setting.METASTATIC,),
    "de novo metastatic": (Setting.METASTATIC,),
    "oligometastatic": (Setting.METASTATIC,),
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
    "new diagnosis": (Setting.NEWLY_DIAGNOSED,),
    "relapsed": (Setting.RELAPSED,),
    "refractory": (Setting.REFRACTORY,),
    "relapsed or refractory": (Setting.RELAPSED, Setting.REFRACTORY),
    "relapsed/refractory": (Setting.RELAPSED, Setting.REFRACTORY),
    "r/r": (Setting.RELAPSED, Setting.REFRACTORY),
}
# "IIIA, completely resected": stage I-III disease after resection is the adjuvant (early) setting, not locally advanced
_RESECTED = re.compile(
    r"^(?:(?:completely|fully|surgically)\s+)?resected$|^(?:after|post|following)[\s-]+(?:complete\s+)?(?:resection|surgery)$|"
    r"^post[\s-]?operative$|^adjuvant(?:\s+setting)?$",
    re.ASCII,
)
_STAGE_THEN_WORDS = re.compile(r"^((?:stage\s*)?(?:iv|iii|ii|i|4|3|2|1)(?:[abc][0-9]?)?)\s+(.+)$", re.ASCII)
_CLAUSES = re.compile(r"\s*[,;]\s*|\s*\(\s*|\s*\)\s*|\s+with\s+", re.ASCII)
_SITES = (
    "bone|bony|liver|hepatic|lung|pulmonary|pleural|adrenal|nodal|lymph node|peritoneal|skin|soft tissue|"
    "contralateral lung|distant|visceral|osseous|multiple"
)
# "pleural and bone metastases": the sites of metastatic disease say the disease is metastatic
_METASTATIC_SITES = re.compile(
    rf"^(?:(?:{_SITES})(?:\s*,\s*|\s+and\s+|\s+or\s+|\s+))+(?:metastases|metastasis|mets|metastatic disease|deposits)$", re.ASCII
)
_BRAIN = re.compile(
    r"^(?:(?P<state>active|untreated|progressing|progressive|symptomatic|new|treated|stable|controlled|irradiated|"
    r"previously treated|resected|no|without|known)\s+)?(?:brain|cns|cerebral|intracranial)\s+"
    r"(?:metastases|metastasis|mets|disease|involvement)(?:\s+(?P<after>treated|stable|active|untreated|progressing))?$",
    re.ASCII,
)
_BRAIN_STATES = {
    "active": "active", "untreated": "active", "progressing": "active", "progressive": "active", "symptomatic": "active",
    "new": "active", "treated": "treated", "stable": "treated", "controlled": "treated", "irradiated": "treated",
    "previously treated": "treated", "resected": "treated", "no": "none", "without": "none", "known": "present",
}  # fmt: skip
# BCLC 0/A are early, C/D advanced; B (intermediate) is not one of the settings the knowledge uses
_BCLC_SETTINGS = {"0": Setting.EARLY, "a": Setting.EARLY, "c": Setting.ADVANCED, "d": Setting.ADVANCED}
_BCLC = re.compile(r"^bclc\s*(?:stage\s*)?([0abcd])$", re.ASCII)
_CHILD_PUGH = re.compile(r"^(?:child[- ]?pugh|cp)[- ]?(?:class\s*|score\s*)?([abc])[- ]?(\d{1,2})?$", re.ASCII)
_ECOG = re.compile(r"^(?:ecog|ps|ecog ps|who ps|who|performance status|ecog performance status)\s*(?:of|=|:)?\s*([0-4])$", re.ASCII)
_IMDC = re.compile(r"^(?:imdc\s*(?:risk\s*)?(?:[:=]\s*)?(favou?rable|good|intermediate|poor)(?:\s+risk)?|(favou?rable|intermediate|poor)[- ]risk(?:\s+imdc)?)$", re.ASCII)
# "DIPSS intermediate-2", "intermediate-1 risk", "IPSS high risk": the myelofibrosis risk category; a bare
# "high risk" names no scoring system and is left to the other readers
_MF_RISK = re.compile(
    r"^(?:(?P<system>dipss(?:[- ]plus)?|ipss|mipss70)\s*(?:risk\s*)?(?:[:=]\s*)?(?P<any>low|high|intermediate[- ]?[12]|int[- ]?[12])"
    r"|(?P<int>intermediate[- ]?[12]|int[- ]?[12]))(?:[- ]risk)?$",
    re.ASCII,
)
_CREATININE_CLEARANCE = re.compile(r"\b(?:crcl|creatinine clearance|egfr|gfr)\s*(?:of|=|:|<|>)?\s*(\d{1,3}(?:\.\d+)?)\s*(?:ml/min(?:/1\.73\s*m2)?)?", re.ASCII)
_QTC = re.compile(r"\bqtc[fb]?\s*(?:of|=|:|>)?\s*(\d{3})\s*(?:ms|msec)?\b", re.ASCII)
_CKD_STAGE = re.compile(r"\b(?:ckd|chronic kidney disease)\s*(?:stage\s*)?([1-5])[ab]?\b", re.ASCII)
_NYHA = re.compile(r"\bnyha\s*(?:class\s*)?(i{1,3}v?|iv|[1-4])\b", re.ASCII)
_DRUG_AFTER_ON = re.compile(r"\bon\s+(.+)$", re.ASCII)
# when an event happened: "2 months ago", "3 weeks ago", "in the last 6 months", "within the past 2 weeks"
_WHEN = re.compile(
    r"\b(?:(?:in|within)\s+the\s+(?:last|past)\s+)?(\d{1,3})\s*(days?|weeks?|wks?|months?|mos?|years?|yrs?)(?:\s+ago)?\b",
    re.ASCII,
)
_MONTHS_PER = {"d": 1 / 30.4, "w": 7 / 30.4, "m": 1.0, "y": 12.0}
# a dated event within this many months is read as recent (current); the labels read name 6 months (LENVIMA's
# arterial thromboembolism, VOTRIENT's haemorrhage); a rule may ask for a shorter window (`within_months`)
RECENT_MONTHS = 6.0


@dataclass
class PatientDetails:
    """What the stage text and the patient fields say beyond the stage itself."""

    ecog: int | None = None
    brain_metastases: str | None = None
    biomarkers: dict[str, str] = field(default_factory=dict)  # BCLC, Child-Pugh, IMDC risk read from text
    child_pugh_score: str | None = None
    # Child-Pugh classes named in conditions, weighed with those of the stage and biomarkers
    condition_child_pugh: list[str] = field(default_factory=list)
    read_from_stage: list[str] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)  # settings a detail implies (BCLC C is advanced)
    measured_groups: set[str] = field(default_factory=set)  # condition groups a measurement is read as (QTc 520 ms)
    # a stage III with nothing saying resected or unresectable ("bare", or "substage": IIIA-IIID), whose setting
    # depends on the cancer type (normalise); None otherwise
    bare_stage_iii: str | None = None


def read_stage(text: str, details: PatientDetails) -> tuple[StageUnderstood, tuple[Setting, ...]]:
    key = fold(text).replace("_", " ").strip(" .")
    settings = _STAGE_PHRASES.get(key) or _STAGE_PHRASES.get(key.removesuffix(" disease"))
    if settings is not None:
        return _stage(text, settings), settings
    found: list[Setting] = []
    unknown: list[str] = []
    resected = False
    for clause in (c.strip(" .") for c in _CLAUSES.split(key)):
        if not clause:
            continue
        stage_then_rest = _STAGE_THEN_WORDS.match(clause)
        if stage_then_rest and _RESECTED.match(stage_then_rest.group(2)):
            found.append(_ROMAN_SETTING[_ROMAN_STAGE.match(stage_then_rest.group(1)).group(1)])  # type: ignore[union-attr]
            resected = True
            continue
        if stage_then_rest and (said := _STAGE_PHRASES.get(stage_then_rest.group(2))):
            # "III unresectable", "IIIC locally advanced": the stage with the words that say which setting it is
            found.append(_ROMAN_SETTING[_ROMAN_STAGE.match(stage_then_rest.group(1)).group(1)])  # type: ignore[union-attr]
            found.extend(said)
            continue
        if _RESECTED.match(clause):
            resected = True
            continue
        phrase = _STAGE_PHRASES.get(clause) or _STAGE_PHRASES.get(clause.removesuffix(" disease"))
        roman = _ROMAN_STAGE.match(clause)
        if phrase:
            found.extend(phrase)
        elif roman:
            found.append(_ROMAN_SETTING[roman.group(1)])
            if roman.group(1) in ("iii", "3"):
                details.bare_stage_iii = details.bare_stage_iii or ("bare" if clause.removeprefix("stage").strip() in ("iii", "3") else "substage")
        elif _TNM_METASTATIC.match(clause.replace(" ", "")):
            found.append(Setting.METASTATIC)
        elif not read_detail(clause, details):
            unknown.append(clause)
    if unknown:
        return (
            StageUnderstood(
                input=text,
                status="not_recognised",
                detail=f"the words '{'; '.join(unknown)}' were not understood; options are not filtered by disease setting",
            ),
            (),
        )
    found.extend(details.settings)
    if resected:
        if set(found) <= {Setting.EARLY, Setting.LOCALLY_ADVANCED}:
            details.read_from_stage.append(
                "resected: stage I-III disease after resection read as the early (adjuvant) setting"
                if found
                else "resected, no stage stated: read as the early (adjuvant) setting"
            )
            found = [Setting.EARLY]
        else:
            return (
                StageUnderstood(
                    input=text,
                    status="not_recognised",
                    detail="'resected' is read only with a stage I-III or no stage: options are not filtered by disease setting",
                ),
                (),
            )
    if not found:
        # only details: no stage was stated
        return StageUnderstood(input=text, status="recognised", read_as="no stage stated; " + "; ".join(details.read_from_stage)), ()
    settings = tuple(dict.fromkeys(found))
    # "III, ECOG 1" is bare; "III unresectable", "stage III locally advanced" or "IIIA, resected" say which it is
    if resected or settings != (Setting.LOCALLY_ADVANCED,) or any(_STAGE_PHRASES.get(c.strip(" .")) for c in _CLAUSES.split(key)):
        details.bare_stage_iii = None
    return _stage(text, settings, details.read_from_stage), settings


def _stage(text: str, settings: tuple[Setting, ...], details: list[str] | None = None) -> StageUnderstood:
    values = [s.value for s in settings]
    read_as = ", ".join(v.replace("_", " ") for v in values)
    if details:
        read_as += "; also read: " + "; ".join(details)
    return StageUnderstood(input=text, status="recognised", normalised=", ".join(values), read_as=read_as, settings=values)


def read_detail(clause: str, details: PatientDetails) -> bool:
    """Read one clause of stage text into the patient's details; False when it is none of them."""
    brain = _BRAIN.match(clause)
    if brain:
        state = brain.group("state") or brain.group("after")
        details.brain_metastases = _BRAIN_STATES.get(state or "", "present")
        details.read_from_stage.append(f"brain metastases: {details.brain_metastases}")
        return True
    if _METASTATIC_SITES.match(clause):
        details.settings.append(Setting.METASTATIC)
        details.read_from_stage.append(f"metastatic sites: {clause}")
        return True
    if clause in ("leptomeningeal disease", "leptomeningeal metastases"):
        details.brain_metastases = "active"
        details.read_from_stage.append("brain metastases: active (leptomeningeal)")
        return True
    bclc = _BCLC.match(clause)
    if bclc:
        details.biomarkers["BCLC"] = bclc.group(1).upper()
        details.read_from_stage.append(f"BCLC {bclc.group(1).upper()}")
        setting = _BCLC_SETTINGS.get(bclc.group(1))
        if setting is not None:
            details.settings.append(setting)
        return True
    child_pugh = _CHILD_PUGH.match(clause)
    if child_pugh:
        details.biomarkers["Child-Pugh"] = child_pugh.group(1).upper()
        details.child_pugh_score = child_pugh.group(1).upper() + (child_pugh.group(2) or "")
        details.read_from_stage.append(f"Child-Pugh {details.child_pugh_score}")
        return True
    ecog = _ECOG.match(clause)
    if ecog:
        details.ecog = int(ecog.group(1))
        details.read_from_stage.append(f"ECOG {details.ecog}")
        return True
    mf_risk = _MF_RISK.match(clause)
    if mf_risk:
        value = re.sub(r"^(?:intermediate|int)[- ]?([12])$", r"intermediate-\1", mf_risk.group("any") or mf_risk.group("int"))
        details.biomarkers["MF risk"] = value
        details.read_from_stage.append(f"myelofibrosis risk {value}")
        return True
    imdc = _IMDC.match(clause)
    if imdc:
        risk = (imdc.group(1) or imdc.group(2)).replace("favourable", "favorable").replace("good", "favorable")
        details.biomarkers["IMDC risk"] = risk
        details.read_from_stage.append(f"IMDC {risk} risk")
        return True
    return False


def read_ecog(value: float | str | None, details: PatientDetails) -> RecognisedTerm | None:
    if value is None:
        return None
    if isinstance(value, float | int):
        details.ecog = int(value)
        return RecognisedTerm(input=str(details.ecog), status="recognised", normalised=str(details.ecog), read_as=f"ECOG {details.ecog}")
    match = _ECOG.match(fold(value)) or re.match(r"^([0-4])$", fold(value), re.ASCII)
    if match is None:
        return RecognisedTerm(
            input=value,
            status="not_recognised",
            detail="give the ECOG performance status as a number from 0 to 4 (a Karnofsky score is not converted)",
        )
    details.ecog = int(match.group(1))
    return RecognisedTerm(input=value, status="recognised", normalised=str(details.ecog), read_as=f"ECOG {details.ecog}")


@dataclass(frozen=True)
class ConditionReading:
    understood: ConditionUnderstood
    condition: str | None
    groups: tuple[str, ...]
    current: bool
    measurements: dict[str, float | str] = field(default_factory=dict)


def read_condition(kb: KnowledgeBase, item: str | ConditionInput) -> ConditionReading:
    if isinstance(item, ConditionInput):
        return _read_coded_condition(kb, item)
    return _read_condition_text(kb, item, item)


def _read_coded_condition(kb: KnowledgeBase, item: ConditionInput) -> ConditionReading:
    shown = " ".join(p for p in (item.code, item.text) if p) or "condition"
    current = item.clinical_status == "active"
    if item.code is not None and item.system is not None:
        found = kb.condition_for_code(item.system, item.code)
        if found is not None:
            return _recognised_condition(shown, found, current, f", from code {item.code}")
    if item.text:
        reading = _read_condition_text(kb, item.text, shown)
        if item.clinical_status != "active" and reading.condition is not None:
            understood = reading.understood.model_copy(update={"current": False, "read_as": f"{reading.understood.condition} (in the past)"})
            return ConditionReading(understood, reading.condition, reading.groups, False, reading.measurements)
        return reading
    return ConditionReading(
        ConditionUnderstood(input=shown, status="not_recognised", detail="the code is not in the condition vocabulary, and no text was given"),
        None,
        (),
        current,
    )


def _read_condition_text(kb: KnowledgeBase, text: str, shown: str) -> ConditionReading:
    folded = fold(text)
    measurements: dict[str, float | str] = {}
    values: list[str] = []
    for pattern, name in ((_CREATININE_CLEARANCE, "creatinine_clearance_ml_min"), (_QTC, "qtc_ms")):
        match = pattern.search(folded)
        if match:
            measurements[name] = float(match.group(1))
            values.append(match.group(0).strip())
            folded = pattern.sub(" ", folded)
    for pattern, name in ((_CKD_STAGE, "ckd_stage"), (_NYHA, "nyha_class")):
        match = pattern.search(folded)
        if match:
            measurements[name] = match.group(1).upper()
            values.append(match.group(0).strip())
            folded = pattern.sub(" " + ("chronic kidney disease" if name == "ckd_stage" else "") + " ", folded)
    child_pugh = re.search(r"\b(?:child[- ]?pugh|cp)[- ]?(?:class\s*)?([abc])(\d{1,2})?\b", folded, re.ASCII)
    if child_pugh:
        measurements["child_pugh"] = child_pugh.group(1).upper()
        values.append(f"Child-Pugh {child_pugh.group(1).upper()}{child_pugh.group(2) or ''}")
        folded = folded.replace(child_pugh.group(0), " ")
    when = _WHEN.search(folded)
    months_ago: float | None = None
    if when and ("ago" in when.group(0) or when.group(0).startswith(("in", "within"))):
        months_ago = round(float(when.group(1)) * _MONTHS_PER[when.group(2)[0]], 2)
        measurements["months_ago"] = months_ago
        values.append(f"{when.group(0).strip()}, read as {'recent (within ' + f'{RECENT_MONTHS:g}' + ' months)' if months_ago <= RECENT_MONTHS else 'in the past (over ' + f'{RECENT_MONTHS:g}' + ' months ago)'}")
        folded = folded.replace(when.group(0), " ")
    drugs = _DRUG_AFTER_ON.search(folded)
    treatment = None
    if drugs:
        treatment = drugs.group(1).strip()
        folded = folded[: drugs.start()]
    matches = list(kb.condition_pattern.finditer(folded))
    conditions = {kb.condition_terms[m.group(0)].id: kb.condition_terms[m.group(0)] for m in matches}
    rest = kb.condition_pattern.sub(" ", folded)
    history = bool(kb.history_pattern.search(rest))
    rest = kb.history_pattern.sub(" ", rest)
    active = bool(kb.active_pattern.search(rest))
    rest = kb.active_pattern.sub(" ", rest)
    if not conditions and measurements:
        # "CrCl 25 mL/min", "QTc 510 ms": a measurement names its condition
        if "creatinine_clearance_ml_min" in measurements or "ckd_stage" in measurements:
            conditions = {"renal_impairment": kb.condition_terms["renal impairment"]}
        elif "qtc_ms" in measurements:
            conditions = {"qtc_prolongation": kb.condition_terms["qtc prolongation"]}
        elif "child_pugh" in measurements:
            conditions = {"hepatic_impairment": kb.condition_terms["hepatic impairment"]}
    leftover = [w for w in leftover_words(rest) if w not in {"of", "the", "a", "with", "and", "on", "in", "for", "since", "grade"}]
    if len(conditions) != 1 or leftover or (history and active and months_ago is None):
        if len(conditions) > 1:
            detail = "names more than one condition: send each as its own entry"
        elif history and active:
            detail = "says both that the condition is current and that it is past"
        elif leftover:
            detail = f"the words '{' '.join(leftover)}' were not understood"
        else:
            detail = "not a condition this service knows"
        return ConditionReading(ConditionUnderstood(input=shown, status="not_recognised", detail=detail), None, (), True)
    # a date decides over the words: "history of stroke 2 months ago" is a recent stroke
    current = (months_ago <= RECENT_MONTHS) if months_ago is not None else not history
    value = ", ".join(values) or None
    how = (f": {value}" if value else "") + (f"; treated with {treatment}" if treatment else "")
    return _recognised_condition(shown, next(iter(conditions.values())), current, how, value, measurements)


def _recognised_condition(
    shown: str,
    condition: ConditionTerm,
    current: bool,
    how: str,
    value: str | None = None,
    measurements: dict[str, float | str] | None = None,
) -> ConditionReading:
    """A recognised condition; `how` is what follows its name in read_as (", from code G70.00", ": CrCl 25")."""
    read_as = f"{condition.name} ({'current' if current else 'in the past'}){how}"
    return ConditionReading(
        ConditionUnderstood(
            input=shown,
            status="recognised",
            normalised=condition.id,
            condition=condition.name,
            groups=list(condition.groups),
            current=current,
            value=value,
            read_as=read_as,
        ),
        condition.id,
        tuple(condition.groups),
        current,
        measurements or {},
    )


# --- blood counts ---------------------------------------------------------------------------

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_PLATELET_NAME = r"(?:platelets?|platelet count|plt|plts)\s*(?:count\s*)?(?:of|=|:)?\s*"
# units in which the count is the number of thousands per microlitre, i.e. x10^9/L
_MICRO = "(?:u|µ|μ|mc)"  # fold() turns the micro sign into the Greek mu
_PER_NANOLITRE_UNITS = rf"(?:[x×]\s*10\^?9\s*/\s*l|[x×]\s*10e9\s*/\s*l|10\^?9\s*/\s*l|g/l|k/{_MICRO}l|k/mm3|[x×]\s*10\^?3\s*/\s*(?:{_MICRO}l|mm3)|thou/{_MICRO}l)"
_PLATELETS = re.compile(rf"^(?:{_PLATELET_NAME})?{_NUMBER}\s*(?P<unit>{_PER_NANOLITRE_UNITS}|/\s*(?:{_MICRO}l|mm3))?$")
_HAEMOGLOBIN_NAME = r"(?:haemoglobin|hemoglobin|hb|hgb)\s*(?:of|=|:)?\s*"
_HAEMOGLOBIN = re.compile(rf"^(?:{_HAEMOGLOBIN_NAME})?{_NUMBER}\s*(?P<unit>g\s*/\s*dl|g\s*/\s*l|mmol\s*/\s*l)?$")
_TRANSFUSION_WORDS = {
    "yes": "yes", "y": "yes", "true": "yes", "dependent": "yes", "transfusion dependent": "yes",
    "transfusion-dependent": "yes", "rbc transfusion dependent": "yes", "transfusion dependence": "yes",
    "no": "no", "n": "no", "false": "no", "independent": "no", "transfusion independent": "no",
    "transfusion-independent": "no", "not transfusion dependent": "no", "none": "no",
    "unknown": "unknown", "not known": "unknown", "not stated": "unknown",
}  # fmt: skip
# a number outside these is a mistyped unit or value, not a count to act on
_PLATELETS_PLAUSIBLE = (0.0, 5000.0)
_HAEMOGLOBIN_PLAUSIBLE_G_DL = (1.0, 25.0)


@dataclass(frozen=True)
class BloodCountsReading:
    understood: BloodCountsUnderstood
    platelets: float | None
    haemoglobin: float | None
    transfusion_dependent: bool | None
    # the fields that were sent but could not be read, with the reason
    unread: dict[str, str] = field(default_factory=dict)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _read_platelets(value: float | str) -> tuple[RecognisedTerm, float | None]:
    if not isinstance(value, str):
        return RecognisedTerm(input=f"{value:g}", status="recognised", normalised=f"{value:g}", read_as=f"platelets {value:g} x10^9/L"), float(value)
    match = _PLATELETS.match(fold(value).strip(" ."))
    if match is None:
        return RecognisedTerm(
            input=value, status="not_recognised", detail="give the platelet count as a number in x10^9/L, or a number with its unit (x10^9/L, K/uL, /uL)"
        ), None
    count = _number(match.group(1))
    unit = (match.group("unit") or "").replace(" ", "")
    per_microlitre = bool(re.fullmatch(rf"/(?:{_MICRO}l|mm3)", unit))
    if per_microlitre:
        count = count / 1000  # cells per microlitre: thousands per microlitre is x10^9/L
    if not _PLATELETS_PLAUSIBLE[0] <= count <= _PLATELETS_PLAUSIBLE[1]:
        return RecognisedTerm(input=value, status="not_recognised", detail="the platelet count is outside 0 to 5000 x10^9/L: check the value and its unit"), None
    how = f"platelets {count:g} x10^9/L"
    if per_microlitre:
        how += f" (from {match.group(1)} per microlitre)"
    elif not unit:
        how += " (no unit given: read as x10^9/L)"
    return RecognisedTerm(input=value, status="recognised", normalised=f"{count:g}", read_as=how), count


def _read_haemoglobin(value: float | str) -> tuple[RecognisedTerm, float | None]:
    if not isinstance(value, str):
        return RecognisedTerm(input=f"{value:g}", status="recognised", normalised=f"{value:g}", read_as=f"haemoglobin {value:g} g/dL"), float(value)
    match = _HAEMOGLOBIN.match(fold(value).strip(" ."))
    if match is None:
        return RecognisedTerm(input=value, status="not_recognised", detail="give haemoglobin as a number in g/dL, or a number with its unit (g/dL or g/L)"), None
    unit = (match.group("unit") or "").replace(" ", "")
    if not unit:
        return RecognisedTerm(input=value, status="not_recognised", detail="haemoglobin written as text needs its unit (g/dL or g/L); a bare number is read only as a JSON number, in g/dL"), None
    if unit == "mmol/l":
        return RecognisedTerm(input=value, status="not_recognised", detail="haemoglobin in mmol/L is not converted: give it in g/dL or g/L"), None
    grams = _number(match.group(1))
    g_dl = grams / 10 if unit == "g/l" else grams
    if not _HAEMOGLOBIN_PLAUSIBLE_G_DL[0] <= g_dl <= _HAEMOGLOBIN_PLAUSIBLE_G_DL[1]:
        return RecognisedTerm(input=value, status="not_recognised", detail="haemoglobin is outside 1 to 25 g/dL (10 to 250 g/L): check the value and its unit"), None
    how = f"haemoglobin {g_dl:g} g/dL" + (f" (from {grams:g} g/L)" if unit == "g/l" else "")
    return RecognisedTerm(input=value, status="recognised", normalised=f"{g_dl:g}", read_as=how), g_dl


def _read_transfusion(value: bool | str) -> tuple[RecognisedTerm, str | None]:
    if isinstance(value, bool):
        word = "yes" if value else "no"
        return RecognisedTerm(input=str(value).lower(), status="recognised", normalised=word, read_as=_TRANSFUSION_READ[word]), word
    word = _TRANSFUSION_WORDS.get(fold(value).strip(" ."))
    if word is None:
        return RecognisedTerm(input=value, status="not_recognised", detail="give transfusion dependence as yes, no or unknown"), None
    return RecognisedTerm(input=value, status="recognised", normalised=word, read_as=_TRANSFUSION_READ[word]), word


_TRANSFUSION_READ = {
    "yes": "red-cell transfusion dependent",
    "no": "not transfusion dependent",
    "unknown": "transfusion dependence not known: criteria that need it are not evaluated",
}


# each field of the input with its reader, in the order the readings are reported
_BLOOD_COUNT_READERS = (
    ("platelets", _read_platelets),
    ("haemoglobin", _read_haemoglobin),
    ("transfusion_dependent", _read_transfusion),
)


def read_blood_counts(item: BloodCountsInput) -> BloodCountsReading:
    """Each blood count as sent, read with its unit; a value that cannot be read is reported and not used."""
    readings: list[RecognisedTerm] = []
    unread: dict[str, str] = {}
    values: dict[str, float | str] = {}
    for name, reader in _BLOOD_COUNT_READERS:
        sent = getattr(item, name)
        if sent is None:
            continue
        term, value = reader(sent)
        readings.append(term)
        if value is None:
            unread[name] = term.detail or ""
        else:
            values[name] = value
    platelets, haemoglobin = values.get("platelets"), values.get("haemoglobin")
    transfusion = values.get("transfusion_dependent")
    understood = BloodCountsUnderstood(
        platelets_10e9_l=platelets,
        haemoglobin_g_dl=haemoglobin,
        transfusion_dependent=transfusion,  # type: ignore[arg-type]
        readings=readings,
    )
    dependent = {"yes": True, "no": False}.get(transfusion or "")
    return BloodCountsReading(understood, platelets, haemoglobin, dependent, unread)
