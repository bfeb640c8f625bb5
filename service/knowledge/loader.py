"""Load the knowledge store once per process and compile its indexes."""

from __future__ import annotations

from functools import lru_cache

from service.knowledge.index import KnowledgeBase
from service.knowledge.store import read_store


class KnowledgeIntegrityError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_knowledge(url: str) -> KnowledgeBase:
    """Read the store at `url`; cached so app factories and in-process test runs re-bind it cheaply."""
    source, recorded_hash = read_store(url)
    if source.content_hash() != recorded_hash:
        raise KnowledgeIntegrityError("The knowledge store's content does not match the hash recorded when it was built.")
    return KnowledgeBase(source=source, content_hash=recorded_hash)
