"""Schemathesis over every operation, in process, with its default checks."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from service.main import create_app
from tests.support import curated_knowledge

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(knowledge_base=curated_knowledge()))


@schema.parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):  # type: ignore[no-untyped-def]
    case.call_and_validate()
