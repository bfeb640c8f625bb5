"""A CDS Hooks client that walks every JSON response it receives for null and empty values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.cdshooks.support import empties


class CdsClient:
    """Every response through this client is checked: no null, empty string, empty list or empty object anywhere
    (the top-level `cards` list may be empty: the spec's way of saying there is no guidance)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.walked = 0

    def _checked(self, response: Any) -> Any:
        if response.content and response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and body.get("cards") == []:
                found = empties({k: v for k, v in body.items() if k != "cards"}) if len(body) > 1 else []
            else:
                found = empties(body)
            assert not found, f"empty values in a CDS Hooks response: {found}"
            self.walked += 1
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._checked(self.client.get(path, **kwargs))

    def post(self, path: str, **kwargs: Any) -> Any:
        return self._checked(self.client.post(path, **kwargs))

    def options(self, path: str, **kwargs: Any) -> Any:
        return self.client.options(path, **kwargs)


@pytest.fixture
def cds(app) -> Iterator[CdsClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as client:
        yield CdsClient(client)
