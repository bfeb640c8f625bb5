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

    # Mounts the benchmark's pre-serialised yardstick route (scripts/bench-http); never set in production.
    bench_endpoints: bool = False

    # Any SQLAlchemy URL; the default is the embedded SQLite store built from knowledge/.
    knowledge_db_url: str = f"sqlite:///{PROJECT_ROOT / 'build' / 'knowledge.sqlite'}"
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    # The largest valid profile is a few kilobytes; anything near this is not a request.
    max_body_bytes: int = 256 * 1024
    # Seconds a client has to send the whole body once its headers are in.
    body_timeout: float = 10.0

    # The server (python -m service.serve); README "Limits" explains each value.
    # Comma-separated proxy addresses whose X-Forwarded-For/-Proto are believed; empty: none.
    forwarded_allow_ips: str = ""
    limit_concurrency: int = 1000  # open connections (idle ones too) per worker beyond which new requests get 503
    backlog: int = 2048
    timeout_keep_alive: int = 5  # seconds an idle connection (kept alive, or never used) stays open
    header_timeout: float = 10.0  # seconds from a request's first byte to the end of its headers
    max_header_bytes: int = 16 * 1024  # request line and headers
    max_requests_per_connection: int = 100
    timeout_graceful_shutdown: int = 20

    # CDS Hooks. The public base URL is what clients call: JWT `aud` must equal it + the endpoint path.
    public_base_url: str = "http://127.0.0.1:8000"
    # The one switch: when true, every /cds-services call needs a client JWT that passes the checks below.
    cds_jwt_required: bool = False
    # Trusted clients: issuer (`iss`) -> the JWK Set URL agreed out of band (used when the JWT has no `jku`).
    cds_jwt_issuers: dict[str, str] = {}
    # `jku` URLs a JWT may name; a `jku` outside this list, or on another origin than its issuer's JWK Set, is refused.
    cds_jwt_jku_allowlist: list[str] = []
    cds_jwt_algorithms: list[str] = ["ES384", "RS384"]
    cds_jwt_leeway_seconds: int = 30
    cds_jwks_cache_seconds: int = 300
    # Browser-based CDS clients allowed by CORS (the public CDS Hooks sandbox as the example).
    cds_cors_origins: list[str] = ["https://sandbox.cds-hooks.org"]
    # A CDS Hooks call carries the patient's prefetched FHIR resources.
    cds_max_body_bytes: int = 5 * 1024 * 1024
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
