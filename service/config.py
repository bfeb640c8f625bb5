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


@lru_cache
def get_settings() -> Settings:
    return Settings()
