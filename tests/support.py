"""The curated knowledge base built once per test process into a temporary store."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from service.config import get_settings
from service.knowledge.index import KnowledgeBase
from service.knowledge.loader import load_knowledge
from service.knowledge.source import read_knowledge
from service.knowledge.store import write_store


@lru_cache(maxsize=1)
def curated_knowledge() -> KnowledgeBase:
    """Validate knowledge/, write it through SQLModel to a fresh SQLite store and load it back."""
    store = Path(tempfile.mkdtemp(prefix="tki-cds-test-")) / "knowledge.sqlite"
    url = f"sqlite:///{store}"
    write_store(read_knowledge(get_settings().knowledge_dir), url)
    return load_knowledge(url)
