"""Shared fixtures: the real knowledge base, built once per session into a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.requests import PatientProfileInput
from schemas.responses import RecommendationResponse
from service.config import get_settings
from service.engine.recommend import recommend_for
from service.knowledge.index import KnowledgeBase
from service.knowledge.loader import load_knowledge
from service.knowledge.source import KnowledgeSource, read_knowledge
from service.knowledge.store import write_store
from service.main import create_app

KNOWLEDGE_DIR = get_settings().knowledge_dir


@pytest.fixture(scope="session")
def knowledge_source() -> KnowledgeSource:
    return read_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory, knowledge_source: KnowledgeSource) -> str:
    path: Path = tmp_path_factory.mktemp("store") / "knowledge.sqlite"
    url = f"sqlite:///{path}"
    write_store(knowledge_source, url)
    return url


@pytest.fixture(scope="session")
def kb(store_url: str) -> KnowledgeBase:
    return load_knowledge(store_url)


@pytest.fixture(scope="session")
def app(kb: KnowledgeBase) -> FastAPI:
    return create_app(knowledge_base=kb)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def recommend(kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    """Run the engine on a profile given as keyword arguments (no HTTP)."""

    def run(**profile: object) -> RecommendationResponse:
        return recommend_for(kb, PatientProfileInput.model_validate(profile))

    return run
