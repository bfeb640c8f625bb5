"""The knowledge store: validated records written through SQLModel, read back at startup.

Each record kind has its own table keyed by its identifier, with the searchable identifiers as
columns and the full validated record as JSON, so that any SQLAlchemy database (SQLite by default,
PostgreSQL by URL) holds exactly what the YAML said.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Field, Session, SQLModel, create_engine, select

from service.knowledge.records import (
    AlterationFile,
    CancerTypeFile,
    ClassInteractionRule,
    DrugFile,
    DrugLabel,
    Evidence,
    ReadingsFile,
    Regimen,
    Release,
    RulesFile,
    TranscriptFile,
)
from service.knowledge.source import KnowledgeSource


class KnowledgeRelease(SQLModel, table=True):
    __tablename__ = "knowledge_release"
    id: int = Field(default=1, primary_key=True)
    version: str
    content_hash: str
    built_at: datetime
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class VocabularyRow(SQLModel, table=True):
    """Whole-file vocabularies (cancer types, drug catalogue, alterations, rules)."""

    __tablename__ = "vocabulary"
    name: str = Field(primary_key=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class RegimenRow(SQLModel, table=True):
    __tablename__ = "regimen"
    id: str = Field(primary_key=True)
    name: str
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"
    id: str = Field(primary_key=True)
    pmid: str | None = Field(default=None, index=True)
    nct_id: str | None = Field(default=None, index=True)
    doi: str | None = None
    verified: bool
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class DrugLabelRow(SQLModel, table=True):
    __tablename__ = "drug_label"
    drug: str = Field(primary_key=True)
    source_url: str | None = None
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class ClassRuleRow(SQLModel, table=True):
    __tablename__ = "class_interaction_rule"
    id: str = Field(primary_key=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


_VOCABULARIES = {
    "cancer_types": CancerTypeFile,
    "drugs": DrugFile,
    "alterations": AlterationFile,
    "rules": RulesFile,
    "readings": ReadingsFile,
    "transcripts": TranscriptFile,
}


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite store URL, or None for any other database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, read_only: bool = False) -> Engine:
    path = sqlite_path(url) if read_only else None
    if path is None:
        return create_engine(url)
    # read-only, and never created: a missing file is an error, not a new empty store
    uri = path.resolve().as_uri() + "?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))


def write_store(source: KnowledgeSource, url: str) -> str:
    """Replace the store's content with `source`; return the content hash written."""
    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    content_hash = source.content_hash()
    with Session(engine) as session:
        session.add(
            KnowledgeRelease(
                version=source.release.version,
                content_hash=content_hash,
                built_at=datetime.now(UTC),
                payload=source.release.model_dump(mode="json"),
            )
        )
        for name in _VOCABULARIES:
            session.add(VocabularyRow(name=name, payload=getattr(source, name).model_dump(mode="json")))
        for regimen in source.regimens:
            session.add(RegimenRow(id=regimen.id, name=regimen.name, payload=regimen.model_dump(mode="json")))
        for item in source.evidence:
            session.add(
                EvidenceRow(
                    id=item.id,
                    pmid=item.pmid,
                    nct_id=item.nct_id,
                    doi=item.doi,
                    verified=item.verified,
                    payload=item.model_dump(mode="json"),
                )
            )
        for label in source.labels:
            session.add(DrugLabelRow(drug=label.drug, source_url=label.label.dailymed_url, payload=label.model_dump(mode="json")))
        for rule in source.class_rules:
            session.add(ClassRuleRow(id=rule.id, payload=rule.model_dump(mode="json")))
        session.commit()
    engine.dispose()
    return content_hash


class StoreNotBuiltError(RuntimeError):
    pass


def read_store(url: str) -> tuple[KnowledgeSource, str]:
    """Read every record back from the store (read-only); return it with the content hash recorded at build."""
    engine = make_engine(url, read_only=True)
    try:
        with Session(engine) as session:
            try:
                release_row = session.exec(select(KnowledgeRelease)).one()
            except Exception as error:  # missing table or empty store
                raise StoreNotBuiltError(
                    "The knowledge store is empty or missing: run `python -m service.knowledge build` first."
                ) from error
            vocabularies = {row.name: row.payload for row in session.exec(select(VocabularyRow))}
            source = KnowledgeSource(
                release=Release.model_validate(release_row.payload),
                cancer_types=CancerTypeFile.model_validate(vocabularies["cancer_types"]),
                drugs=DrugFile.model_validate(vocabularies["drugs"]),
                alterations=AlterationFile.model_validate(vocabularies["alterations"]),
                rules=RulesFile.model_validate(vocabularies["rules"]),
                readings=ReadingsFile.model_validate(vocabularies["readings"]),
                transcripts=TranscriptFile.model_validate(vocabularies["transcripts"]),
                regimens=[Regimen.model_validate(r.payload) for r in session.exec(select(RegimenRow).order_by(RegimenRow.id))],
                evidence=[Evidence.model_validate(r.payload) for r in session.exec(select(EvidenceRow).order_by(EvidenceRow.id))],
                labels=[DrugLabel.model_validate(r.payload) for r in session.exec(select(DrugLabelRow).order_by(DrugLabelRow.drug))],
                class_rules=[
                    ClassInteractionRule.model_validate(r.payload) for r in session.exec(select(ClassRuleRow).order_by(ClassRuleRow.id))
                ],
            )
            return source, release_row.content_hash
    finally:
        engine.dispose()
