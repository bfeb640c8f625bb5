"""Service settings, read once from the environment (prefix TKI_CDS_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Asymmetric algorithms only: the CDS Hooks spec forbids `none` and every shared-secret (HMAC) algorithm.
ASYMMETRIC_ALGORITHMS = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TKI_CDS_", extra="ignore")

    # Any SQLAlchemy URL; the default is the embedded SQLite store built from knowledge/.
    knowledge_db_url: str = f"sqlite:///{PROJECT_ROOT / 'build' / 'knowledge.sqlite'}"
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"

    # CDS Hooks. The public base URL is what clients call: JWT `aud` must equal it + the endpoint path.
    public_base_url: str = "http://127.0.0.1:8000"
    # The one switch: when true, every /cds-services call needs a client JWT that passes the checks below.
    cds_jwt_required: bool = False
    # Trusted clients: issuer (`iss`) -> the JWK Set URL agreed out of band (used when the JWT has no `jku`).
    cds_jwt_issuers: dict[str, str] = {}
    # `jku` URLs a JWT may name; a `jku` outside this list is refused.
    cds_jwt_jku_allowlist: list[str] = []
    cds_jwt_algorithms: list[str] = ["ES384", "RS384"]
    cds_jwt_leeway_seconds: int = 30
    cds_jwks_cache_seconds: int = 300
    # Browser-based CDS clients allowed by CORS (the public CDS Hooks sandbox as the example).
    cds_cors_origins: list[str] = ["https://sandbox.cds-hooks.org"]
    # Reads from a client's FHIR server when prefetch is missing.
    fhir_timeout_seconds: float = 3.0

    @field_validator("cds_jwt_algorithms")
    @classmethod
    def _asymmetric_only(cls, algorithms: list[str]) -> list[str]:
        refused = [a for a in algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if refused or not algorithms:
            raise ValueError("cds_jwt_algorithms takes asymmetric JWS algorithms only (e.g. ES384, RS384)")
        return algorithms


@lru_cache
def get_settings() -> Settings:
    return Settings()
