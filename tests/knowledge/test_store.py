"""The knowledge store round trip: every record written through SQLModel reads back identical."""

from __future__ import annotations

import os

import pytest

from service.knowledge.loader import load_knowledge
from service.knowledge.store import StoreNotBuiltError, read_store, write_store


def test_sqlite_round_trip_keeps_every_record_and_the_hash(knowledge_source_dir, tmp_path):  # type: ignore[no-untyped-def]
    from service.knowledge.source import read_knowledge

    source = read_knowledge(knowledge_source_dir)
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    written = write_store(source, url)
    restored, recorded = read_store(url)
    assert recorded == written == source.content_hash() == restored.content_hash()
    assert restored.canonical_json() == source.canonical_json()


def test_an_empty_store_says_how_to_build_it(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(StoreNotBuiltError, match="python -m service.knowledge build"):
        read_store(f"sqlite:///{tmp_path / 'empty.sqlite'}")


@pytest.fixture
def postgres_url() -> str:
    """./scripts/test starts a throwaway PostgreSQL and sets this; CI must never skip the round trip."""
    url = os.environ.get("TKI_CDS_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI runs the PostgreSQL round trip: run the suite through ./scripts/test")
        pytest.skip("set TKI_CDS_TEST_POSTGRES_URL (./scripts/test does) to test PostgreSQL")
    return url


def test_postgresql_round_trip(knowledge_source_dir, postgres_url):  # type: ignore[no-untyped-def]
    from service.knowledge.source import read_knowledge

    source = read_knowledge(knowledge_source_dir)
    url = postgres_url
    write_store(source, url)
    load_knowledge.cache_clear()
    assert load_knowledge(url).content_hash == source.content_hash()
