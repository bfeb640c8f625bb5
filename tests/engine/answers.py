"""What the engine tests read from a recommendation: option ids in rank order, one option, and what was left out."""

from __future__ import annotations

from schemas.responses import RecommendationResponse, TreatmentOption


def option_ids(result: RecommendationResponse) -> list[str]:
    """The options' regimen ids, in rank order."""
    return [o.id for o in result.options]


def offered_ids(result: RecommendationResponse) -> set[str]:
    """The options' regimen ids, for set comparisons."""
    return {o.id for o in result.options}


def option(result: RecommendationResponse, regimen_id: str) -> TreatmentOption:
    """The option for `regimen_id`; StopIteration (a failed test) when it is not offered."""
    return next(o for o in result.options if o.id == regimen_id)


def excluded_ids(result: RecommendationResponse) -> set[str]:
    """Regimens left out for a clinical reason, as the grouped exclusions list them."""
    return {r.id for g in result.exclusion_groups for r in g.regimens}


def not_recommended_ids(result: RecommendationResponse) -> set[str]:
    """Regimens in the per-regimen not-recommended list."""
    return {n.id for n in result.not_recommended}


def with_drug(result: RecommendationResponse, drug: str) -> list[TreatmentOption]:
    """The options that contain `drug`."""
    return [o for o in result.options if drug in o.drugs]


def excluded_for(result: RecommendationResponse, drug: str) -> set[str]:
    """Regimen ids with `drug` excluded for a contraindication."""
    return {n.id for n in result.not_recommended if any(r.kind == "contraindication" for r in n.reasons) and drug in n.drugs}


def cautions(option: TreatmentOption) -> str:
    """An option's caution texts, joined."""
    return " ".join(c.detail for c in option.cautions)
