"""One JSON log line per request: request id, method, route template, status, duration. No patient data.

The path, query, headers and body are never logged (they may name a patient or a medicine list). The
request id is the caller's X-Request-ID only when it has the shape proxies generate (a UUID or 32 hex
digits), so free text a client puts there never reaches the log; otherwise a fresh one is made.
It is sent back as X-Request-ID and attached to every log record written while the request runs.
"""

from __future__ import annotations

import logging
import os
import re
from contextvars import ContextVar
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.ops.metrics import KNOWN_METHODS, route_template

logger = logging.getLogger("tki_cds.request")
current_request_id: ContextVar[str | None] = ContextVar("tki_cds_request_id", default=None)

_REQUEST_ID_SHAPE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}", re.IGNORECASE)


def request_id_from(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id" and _REQUEST_ID_SHAPE.fullmatch(value):
            return value.decode("ascii").lower()
    return os.urandom(16).hex()  # 32 hex digits, the shape accepted above


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        token = current_request_id.set(request_id)
        status = 500
        started = perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode("ascii"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if logger.isEnabledFor(logging.INFO):
                # made and handled directly: Logger.info would walk the stack for a caller the log never shows
                logger.handle(
                    logger.makeRecord(
                        logger.name,
                        logging.INFO,
                        __file__,
                        0,
                        "request",
                        (),
                        None,
                        extra={
                            "request_id": request_id,
                            "method": scope["method"] if scope["method"] in KNOWN_METHODS else "other",
                            "route": route_template(scope),
                            "status": status,
                            "duration_ms": round((perf_counter() - started) * 1000, 3),
                        },
                    )
                )
            current_request_id.reset(token)
