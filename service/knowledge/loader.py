"""Load the knowledge store once per process and compile its indexes, after checking it is the store that was built."""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from service.knowledge.index import KnowledgeBase
from service.knowledge.store import StoreNotBuiltError, read_store, sqlite_path

REBUILD = "rebuild it with `python -m service.knowledge build`"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class KnowledgeStoreError(RuntimeError):
    """The store cannot be served; the message is one line that says what is wrong and what to do."""


class KnowledgeIntegrityError(KnowledgeStoreError):
    """The store's content is not what was recorded at build time."""


def _check_sqlite_file(path: Path) -> None:
    """What can be told from the file itself, before SQLite opens it."""
    if not path.is_file():
        raise KnowledgeStoreError(f"knowledge store missing: no file at {path}; {REBUILD}")
    size = path.stat().st_size
    if size == 0:
        raise KnowledgeStoreError(f"knowledge store empty: {path} has 0 bytes; {REBUILD}")
    with path.open("rb") as file:
        header = file.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise KnowledgeStoreError(f"knowledge store corrupt: {path} is not an SQLite database; {REBUILD}")
    if len(header) == 100:
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        if pages and size < page_size * pages:
            raise KnowledgeStoreError(
                f"knowledge store truncated: {path} has {size} of its {page_size * pages} bytes; {REBUILD}"
            )
    else:
        raise KnowledgeStoreError(f"knowledge store truncated: {path} has {size} bytes, less than an SQLite header; {REBUILD}")
    try:
        with sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        connection.close()
    except sqlite3.DatabaseError as error:
        raise KnowledgeStoreError(f"knowledge store corrupt: SQLite cannot read {path} ({error}); {REBUILD}") from None
    if verdict != "ok":
        raise KnowledgeStoreError(f"knowledge store corrupt: SQLite's check of {path} failed; {REBUILD}")


@lru_cache(maxsize=4)
def load_knowledge(url: str) -> KnowledgeBase:
    """Read the store at `url`, read-only; cached so app factories and in-process test runs re-bind it cheaply.

    Raises KnowledgeStoreError (one line) for a missing, empty, truncated, corrupt or edited store.
    """
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
    try:
        source, recorded_hash = read_store(url)
    except StoreNotBuiltError:
        raise KnowledgeStoreError(f"knowledge store empty: it holds no knowledge release; {REBUILD}") from None
    except Exception as error:  # noqa: BLE001 - any reader failure is a store that cannot be served
        raise KnowledgeStoreError(f"knowledge store corrupt: its content cannot be read ({type(error).__name__}); {REBUILD}") from None
    if source.content_hash() != recorded_hash:
        raise KnowledgeIntegrityError(
            f"knowledge store edited: its content does not match the hash recorded when it was built; {REBUILD}"
        )
    return KnowledgeBase(source=source, content_hash=recorded_hash)
