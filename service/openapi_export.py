"""Write the generated OpenAPI document to openapi/openapi.json (`python -m service.openapi_export`)."""

from __future__ import annotations

import json
import sys

from service.config import PROJECT_ROOT

OPENAPI_PATH = PROJECT_ROOT / "openapi" / "openapi.json"


def render_openapi(app) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    from service.main import create_app

    OPENAPI_PATH.write_text(render_openapi(create_app()), encoding="utf-8")
    print(f"wrote {OPENAPI_PATH.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
