"""The curated code tables the FHIR reader uses (knowledge/fhir_*.yaml), loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from service.config import get_settings
from service.knowledge.records import AlterationFile
from service.knowledge.terms import fold

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CancerCode(_Row):
    system: str
    code: str
    match: str = Field(pattern="^(exact|prefix)$")
    oncotree: str
    display: str | None = None
    reads_as: str | None = None
    value_set: str | None = None
    source_url: str = Field(pattern="^https://")
    accessed: str


class ObservationCode(_Row):
    role: str
    system: str
    code: str
    display: str
    source_url: str = Field(pattern="^https://")


class VariantValue(_Row):
    code: str
    display: str
    status: str
    source_url: str = Field(pattern="^https://")


class _CancerFile(_Row):
    codes: list[CancerCode]


class _ObservationFile(_Row):
    gr_variant_profile: str
    observations: list[ObservationCode]
    components: list[ObservationCode]
    variant_values: list[VariantValue]


@dataclass(frozen=True)
class FhirCodes:
    cancer: tuple[CancerCode, ...]
    observation_roles: dict[tuple[str, str], str]
    component_roles: dict[tuple[str, str], str]
    variant_status: dict[str, str]
    variant_status_by_display: dict[str, str]
    # the biomarker names and aliases the profile reads (alterations.yaml), folded: an Observation whose code is only
    # words is read as a biomarker when those words are exactly one of these
    biomarker_names: frozenset[str] = frozenset()

    def cancer_code(self, system: str, code: str) -> CancerCode | None:
        """The row for a coded diagnosis: an exact row first, then the longest category prefix."""
        exact = [r for r in self.cancer if r.system == system and r.match == "exact" and r.code == code]
        if exact:
            return exact[0]
        prefixes = [r for r in self.cancer if r.system == system and r.match == "prefix" and code.startswith(r.code)]
        return max(prefixes, key=lambda r: len(r.code)) if prefixes else None

    def codes_for(self, role: str) -> list[str]:
        return [code for (_, code), r in self.observation_roles.items() if r == role]

    def codings_for(self, role: str) -> list[tuple[str, str]]:
        """(system, code) of every Observation.code that has this role, for search tokens."""
        return [key for key, r in self.observation_roles.items() if r == role]

    def role_of(self, concept: object) -> str | None:
        """The role of an Observation.code: the first of its codings that the table names."""
        for coding in getattr(concept, "coding", None) or []:
            role = self.observation_roles.get((str(coding.system), str(coding.code)))
            if role is not None:
                return role
        return None


def read_fhir_codes(knowledge_dir: Path) -> FhirCodes:
    cancer = _CancerFile.model_validate(yaml.safe_load((knowledge_dir / "fhir_cancer_codes.yaml").read_text(encoding="utf-8")))
    obs = _ObservationFile.model_validate(yaml.safe_load((knowledge_dir / "fhir_observation_codes.yaml").read_text(encoding="utf-8")))
    return FhirCodes(
        cancer=tuple(cancer.codes),
        observation_roles={(o.system, o.code): o.role for o in obs.observations},
        component_roles={(c.system, c.code): c.role for c in obs.components},
        variant_status={v.code: v.status for v in obs.variant_values},
        variant_status_by_display={v.display.lower(): v.status for v in obs.variant_values},
        biomarker_names=_biomarker_names(knowledge_dir),
    )


def _biomarker_names(knowledge_dir: Path) -> frozenset[str]:
    # the validated records the knowledge base reads, so both name a biomarker with the same words
    catalogue = AlterationFile.model_validate(yaml.safe_load((knowledge_dir / "alterations.yaml").read_text(encoding="utf-8")))
    return frozenset(fold(term) for marker in catalogue.biomarkers for term in marker.terms)


@lru_cache(maxsize=1)
def fhir_codes() -> FhirCodes:
    return read_fhir_codes(get_settings().knowledge_dir)
