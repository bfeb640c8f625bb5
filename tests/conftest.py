"""Shared fixtures: the real knowledge base, built once per session into a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas.requests import PatientProfileInput
from schemas.responses import RecommendationResponse
from service.engine.recommend import recommend_for
from service.knowledge.index import KnowledgeBase
from service.main import create_app
from tests.support import curated_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return curated_knowledge()


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


@pytest.fixture(scope="session")
def knowledge_source_dir():  # type: ignore[no-untyped-def]
    from service.config import get_settings

    return get_settings().knowledge_dir
