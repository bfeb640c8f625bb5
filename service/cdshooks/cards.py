"""Cards: the engine's answer rendered for a CDS client, as the guide's panel renders it for a browser.

Every string that did not come from this service's own wording is Markdown-escaped; links are absolute evidence
URLs that carry no patient data; each card has a fresh uuid.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from schemas.cdshooks import Card, Coding, Link, Source
from schemas.responses import InteractionCheckResponse, InteractionWarning, RecommendationResponse
from service.fhir.profile import FhirReading

OVERRIDE_SYSTEM = "http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes"
OPTION_OVERRIDES = (
    ("patient-ineligible", "Patient does not meet eligibility for recommended action"),
    ("does-not-align-latest-evidence", "Recommended action does not align with the latest evidence"),
    ("risk-benefit-ratio", "Recipient assessment of risk/benefit ratio"),
    ("prefers-alternative", "Patient prefers an alternative approach or treatment"),
)
INTERACTION_OVERRIDES = (
    ("action-performed-no-adverse-effect", "Intended action was performed previously without adverse effect"),
    ("risk-benefit-ratio", "Recipient assessment of risk/benefit ratio"),
    ("mitigate-risk-negative-outcome", "Action taken to mitigate risk of negative outcome"),
    ("need-more-info", "Could not address recommended action due to need for more information/pending results/pending consult"),
)
SEVERITY_WORDS = {
    "contraindicated": "contraindicated",
    "avoid": "avoid the combination",
    "adjust_dose": "adjust the dose",
    "separate_in_time": "separate the doses in time",
    "monitor": "monitor",
}
# critical is kept for what the label calls contraindicated (the engine's graded severity says so)
INDICATORS = {"contraindicated": "critical", "avoid": "warning", "adjust_dose": "warning", "separate_in_time": "warning", "monitor": "info"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: object) -> str:
    """Escape text for GitHub-flavoured Markdown: HTML off, every Markdown punctuation mark literal, one line."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def summary(text: str) -> str:
    """One sentence under 140 characters (the spec's limit), cut at a word with an ellipsis when longer."""
    text = " ".join(text.split())
    if len(text) < 140:
        return text
    return text[:136].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def _links(urls: Iterable[tuple[str, str | None]]) -> list[Link] | None:
    seen: dict[str, str] = {}
    for label, url in urls:
        if url and url.startswith("https://") and url not in seen:
            seen[url] = label
    return [Link(label=summary(label)[:120], url=url) for url, label in seen.items()] or None


def _overrides(pairs: tuple[tuple[str, str], ...]) -> list[Coding]:
    return [Coding(system=OVERRIDE_SYSTEM, code=code, display=display) for code, display in pairs]


class CardMaker:
    def __init__(self, source: Source) -> None:
        self.source = source

    def card(self, summary_text: str, indicator: str, detail: list[str], overrides: tuple[tuple[str, str], ...] | None = None,
             links: list[Link] | None = None) -> Card:  # fmt: skip
        body = "\n".join(detail).strip() or None
        return Card(
            uuid=str(uuid.uuid4()),
            summary=summary(summary_text),
            detail=body,
            indicator=indicator,  # type: ignore[arg-type]
            source=self.source,
            overrideReasons=_overrides(overrides) if overrides else None,
            links=links,
        )

    # ---- patient-view --------------------------------------------------------------------------------------
    def option_cards(self, answer: RecommendationResponse) -> list[Card]:
        cards = []
        total = len(answer.options)
        warnings = {w.id: w for w in answer.interaction_warnings}  # each warning is given once; options refer to it by id
        for rank, option in enumerate(answer.options, start=1):
            level = option.evidence_level_detail
            lines = [
                f"**{md(option.name)}** for {md(option.indication)}",
                "",
                f"- Evidence level {md(option.evidence_level)}: {md(level.description)}",
                f"- Regulatory status: {md(option.regulatory_status)}",
            ]
            doses = [f"{md(c.drug or c.drug_class or c.role)}: {md(c.dose)}" for c in option.components if c.dose]
            if doses:
                lines.append("- Dose: " + "; ".join(doses))
            lines += ["", "**Why it matched**", ""]
            lines += [f"- {md(c.criterion)}: {md(c.finding)} ({md(c.result.replace('_', ' '))})" for c in option.rationale]
            if option.caveats:
                lines += ["", "**Confirm before use**", ""] + [f"- {md(c)}" for c in option.caveats]
            if option.ranked_below:
                lines += ["", "Ranked below: " + ", ".join(md(r) for r in option.ranked_below)]
            for warning in (warnings[i] for i in option.interactions):
                lines += ["", f"Interaction: {md(warning.drug)} with {md(warning.interacting_input)}: "
                              f"{md(SEVERITY_WORDS[warning.severity])}. {md(warning.management)}"]  # fmt: skip
            evidence = [answer.citations[i] for i in option.evidence]
            lines += ["", "**Evidence**", ""] + [f"- {md(_citation(e))}" for e in evidence]
            cards.append(
                self.card(
                    f"Option {rank} of {total}: {option.name} (evidence level {option.evidence_level})",
                    "info",
                    lines,
                    OPTION_OVERRIDES,
                    _links((f"Evidence: {e.title}", e.url) for e in evidence),
                )
            )
        return cards

    def exclusion_card(self, answer: RecommendationResponse) -> Card | None:
        if not answer.not_recommended:
            return None
        lines = []
        for item in answer.not_recommended:
            lines.append(f"- **{md(item.name)}**: {md(item.reason)}")
            lines += [f"  - {md(_citation(answer.citations[i]))}" for i in item.evidence]
        names = ", ".join(n.name for n in answer.not_recommended)
        return self.card(
            f"Not recommended for this patient: {names}",
            "info",
            lines,
            OPTION_OVERRIDES,
            _links((f"Evidence: {e.title}", e.url) for n in answer.not_recommended for e in (answer.citations[i] for i in n.evidence)),
        )

    def reading_card(self, answer: RecommendationResponse | None, reading: FhirReading, missing: list[str],
                     problem: str | None = None) -> Card:  # fmt: skip
        lines: list[str] = []
        if problem:
            lines += [md(problem), ""]
        if answer is not None:
            coverage = getattr(answer, "coverage", None)
            if coverage is not None:
                lines += [md(coverage.statement), ""]
            if getattr(answer, "provisional", False):
                lines += ["**Provisional**: " + "; ".join(md(r) for r in getattr(answer, "provisional_reasons", [])), ""]
            understood = list(_understood(answer.profile))
            if understood:
                lines += ["**What was understood**", ""] + [f"- {line}" for line in understood] + [""]
            if answer.warnings:
                lines += ["**Warnings**", ""] + [f"- {md(w.message)}" for w in answer.warnings] + [""]
        if reading.read:
            lines += ["**Read from the record**", ""] + [f"- {md(r)}" for r in reading.read] + [""]
        if reading.not_mapped:
            lines += ["**Not used from the record**", ""]
            lines += [f"- {md(n.resource)} ({md(n.what)}): {md(n.reason)}" for n in reading.not_mapped] + [""]
        if missing:
            lines += ["**Not checked** (not sent and not fetched): " + ", ".join(md(k) for k in missing)]
        count = len(reading.not_mapped)
        head = problem or "What this service read from the record"
        tail = f"; {count} item(s) not used" if count else ""
        indicator = "warning" if problem else "info"
        return self.card(f"{head}{tail}", indicator, lines, None)

    def no_option_card(self, answer: RecommendationResponse) -> Card:
        cancer = answer.profile.cancer_type
        name = cancer.name or cancer.input
        return self.card(
            f"No evidence-linked TKI option matched for {name}",
            "info",
            ["No option in this knowledge release matched this patient's record. See the card on what was read for what "
             "was checked and what was not."],  # fmt: skip
        )

    def interaction_card(self, warning: InteractionWarning, why: str, citations: Mapping[str, Any]) -> Card:
        """`citations` is the answer's: the warning refers to its labels by id."""
        labels = [citations[i] for i in warning.evidence]
        indicator = INDICATORS[warning.severity]
        lines = [
            f"**{md(warning.drug)}** with **{md(warning.interacting_drug)}**"
            + (f" ({md(warning.interacting_class.replace('_', ' '))})" if warning.interacting_class else ""),
            "",
            f"- What to do: {md(warning.management)}",
        ]
        if warning.dose_change:
            lines.append(f"- Dose: {md(warning.dose_change)}")
        if warning.separation_hours:
            lines.append("- Separate by: " + ", ".join(f"{h:g} h" for h in warning.separation_hours))
        lines.append(f"- Effect: {md(warning.effect)}")
        change = warning.exposure_change
        if change is not None:
            figure = f"{change.percent:+g}%" if change.percent is not None else (f"{change.fold:g}-fold" if change.fold is not None else "")
            if figure:
                lines.append(f"- Exposure: {md(change.parameter)} {md(figure)}")
        statement = warning.verification.statement if warning.verification is not None else None
        lines += [f"- Note: {md(n)}" for n in warning.notes if n != statement]
        lines.append(f"- Why: {md(why)}")
        if statement:
            lines.append(f"- Source: {md(statement)}")
        elif not warning.label_wording_read:
            lines.append("- Source: the label's own wording for this rule was not read by the curators")
        lines += ["", "**Label**", ""]
        lines += [f"- {md(_label(label))}" for label in labels]
        return self.card(
            f"{warning.drug} + {warning.interacting_drug}: {SEVERITY_WORDS[warning.severity]}",
            indicator,
            lines,
            INTERACTION_OVERRIDES,
            _links((f"Label: {label.title}", _label_url(label)) for label in labels),
        )

    def checked_card(self, drafts: list[str], check: InteractionCheckResponse, active: list[str], not_recognised: list[str],
                     missing: list[str], reading: FhirReading) -> Card:  # fmt: skip
        lines = [
            "Checked against the labels: " + ", ".join(md(d) for d in drafts),
            "",
            "Active medicines and other draft orders checked: " + (", ".join(md(a) for a in active) or "none"),
        ]
        for pair in getattr(check, "interaction_pairs", []):
            lines.append(f"- {md(pair.drug)} with {md(pair.interacting_input)}: {md(pair.status.replace('_', ' '))}"
                         + (f"; {md(pair.detail)}" if getattr(pair, "detail", None) else ""))  # fmt: skip
        for scope in getattr(check, "interaction_scope", []):
            if scope.drug in drafts:
                lines += ["", f"**{md(scope.drug)}**: mechanisms checked: " + "; ".join(md(m) for m in scope.mechanisms_checked)]
                if scope.mechanisms_not_checked:
                    lines.append(f"Not checked for {md(scope.drug)}: " + "; ".join(md(m) for m in scope.mechanisms_not_checked))
                if not scope.label_wording_read:
                    lines.append(f"The label's own wording for {md(scope.drug)} was not read by the curators.")
        if not_recognised:
            lines += ["", "**Not checked** (not in the drug catalogue): " + ", ".join(md(n) for n in not_recognised)]
        if missing:
            lines += ["", "**Not checked** (not sent and not fetched): " + ", ".join(md(k) for k in missing)]
        if reading.not_mapped:
            lines += ["", "**Not used from the record**", ""]
            lines += [f"- {md(n.resource)} ({md(n.what)}): {md(n.reason)}" for n in reading.not_mapped]
        return self.card(f"No label interaction found for {', '.join(drafts)} with the medicines checked", "info", lines)


def _citation(evidence: Any) -> str:
    ids = [f"PMID {evidence.pmid}" if evidence.pmid else "", f"{evidence.nct_id}" if evidence.nct_id else "",
           f"doi {evidence.doi}" if evidence.doi else ""]  # fmt: skip
    return f"{evidence.title} ({', '.join(i for i in ids if i)}; {evidence.design})"


def _label_url(label: Any) -> str | None:
    """The label itself, on DailyMed by set ID; a copy the curators read elsewhere is provenance, not a link."""
    if label.set_id:
        return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={label.set_id}"
    url = label.url or ""
    return url if url.startswith(("https://dailymed.nlm.nih.gov/", "https://www.accessdata.fda.gov/")) else None


def _label(label: Any) -> str:
    parts = [label.title]
    if label.set_id:
        parts.append(f"DailyMed set ID {label.set_id}")
    if label.section:
        parts.append(f"section {label.section}")
    return ", ".join(parts)


def _understood(profile: Any) -> Iterable[str]:
    """One line per input the engine read, with how it was read (escaped: inputs are patient data)."""
    items: list[Any] = [profile.cancer_type, profile.stage, *profile.mutations, *profile.biomarkers, *profile.current_medications]
    patient = getattr(profile, "patient", None)
    items += list(getattr(patient, "conditions", None) or [])
    for item in items:
        if item is None or not hasattr(item, "input"):
            continue
        status = str(getattr(item, "status", "")).replace("_", " ")
        read_as = getattr(item, "normalised", None) or getattr(item, "name", None)
        line = f"{md(item.input)}: {md(status)}"
        if read_as:
            line += f", read as {md(read_as)}"
        result = getattr(item, "result", None)
        if result:
            line += f" ({md(result)})"
        detail = getattr(item, "detail", None)
        if detail:
            line += f"; {md(detail)}"
        yield line
