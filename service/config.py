"""Service settings, read once from the environment (prefix TKI_CDS_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


@lru_cache
def get_settings() -> Settings:
    return Settings()
