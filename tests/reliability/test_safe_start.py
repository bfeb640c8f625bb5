"""Every store fault is one clear line, raised before anything is served; the store is only ever read."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from service.knowledge.loader import KnowledgeStoreError, load_knowledge
from service.knowledge.source import read_knowledge
from service.knowledge.store import write_store


@pytest.fixture(scope="module")
def good_store(tmp_path_factory, knowledge_source_dir) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("good") / "knowledge.sqlite"
    write_store(read_knowledge(knowledge_source_dir), f"sqlite:///{path}")
    return path


def _missing(good: Path, target: Path) -> None:
    pass


def _empty(good: Path, target: Path) -> None:
    target.write_bytes(b"")


def _truncated(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _short(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes()[:50])


def _not_sqlite(good: Path, target: Path) -> None:
    target.write_bytes(b"PK\x03\x04 a zip, not a database" * 50)


def _corrupt_pages(good: Path, target: Path) -> None:
    data = bytearray(good.read_bytes())
    data[4096 : 4096 * 40] = bytes((b * 7 + 13) % 256 for b in data[4096 : 4096 * 40])
    target.write_bytes(bytes(data))


def _edited(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes())
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE regimen SET payload = json_set(payload, '$.name', 'edited') WHERE id = (SELECT min(id) FROM regimen)")
    connection.close()


def _no_release(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes())
    with sqlite3.connect(target) as connection:
        connection.execute("DELETE FROM knowledge_release")
    connection.close()


def _no_tables(good: Path, target: Path) -> None:
    with sqlite3.connect(target) as connection:
        connection.execute("CREATE TABLE unrelated (x)")
    connection.close()


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_missing, "missing"),
        (_empty, "empty"),
        (_truncated, "truncated"),
        (_short, "truncated"),
        (_not_sqlite, "corrupt"),
        (_corrupt_pages, "corrupt"),
        (_edited, "edited"),
        (_no_release, "empty"),
        (_no_tables, "empty"),
    ],
    ids=["missing", "empty-file", "truncated", "shorter-than-header", "not-sqlite", "corrupt-pages", "edited", "no-release", "no-tables"],
)
def test_each_store_fault_is_one_line_naming_it(good_store, tmp_path, make: Callable[[Path, Path], None], kind):
    target = tmp_path / "store.sqlite"
    make(good_store, target)
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(KnowledgeStoreError) as error:
        load_knowledge(f"sqlite:///{target}")
    message = str(error.value)
    assert message.startswith(f"knowledge store {kind}:")
    assert "\n" not in message and "python -m service.knowledge build" in message
    # read-only: nothing created, nothing changed
    assert (target.read_bytes() if target.exists() else None) == before


def test_a_good_store_loads_read_only(good_store):
    good_store.chmod(0o444)
    try:
        load_knowledge.cache_clear()
        assert load_knowledge(f"sqlite:///{good_store}").content_hash.startswith("sha256:")
    finally:
        good_store.chmod(0o644)
        load_knowledge.cache_clear()
