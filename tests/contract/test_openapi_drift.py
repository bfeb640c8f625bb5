"""openapi/openapi.json must equal what the app generates."""

from __future__ import annotations

from service.openapi_export import OPENAPI_PATH, render_openapi


def test_committed_openapi_matches_the_app(app):
    committed = OPENAPI_PATH.read_text(encoding="utf-8") if OPENAPI_PATH.exists() else ""
    assert committed == render_openapi(app), "openapi/openapi.json is stale: run ./scripts/export-openapi and commit it"


def test_every_operation_has_id_summary_tags_and_declared_errors(app):
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), (method, path)
            assert operation.get("summary") and operation.get("tags"), (method, path)
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)


def test_cds_hooks_routes_are_left_to_the_hl7_specification(app):
    # deliberate: CDS Hooks 2.0 is that door's contract and its errors are OperationOutcomes, not problem details
    assert not [path for path in app.openapi()["paths"] if path.startswith("/cds-services")]
    from fastapi.testclient import TestClient

    assert TestClient(app).get("/cds-services").status_code == 200
