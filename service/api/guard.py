"""The outermost ASGI layer: every answer (a 500 included) carries the security headers; bodies are bounded
in size and time; HEAD is answered as GET without a body; no exception escapes to the server's log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.problems import Problem
from service.api.problems import PROBLEM_BASE, problem_response, route_template

logger = logging.getLogger("tki_cds")

# Two inline stylesheets are allowed by hash, both ReDoc's (vendored 2.5.4): the empty <style> element it
# fills through the CSSOM, and its fixed scrollbar stylesheet. No other inline style, and no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    # Answers are about a patient: no cache may keep them.
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # The guide loads only its own script and stylesheet: nothing may reach another origin.
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
]
_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class _BodyRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _too_large(limit: int) -> Problem:
    return Problem(
        type=PROBLEM_BASE + "body-too-large",
        title="Request body too large",
        status=413,
        detail=f"The request body exceeds {limit} bytes, more than any valid request needs. Send a smaller body.",
    )


def _too_slow(seconds: float) -> Problem:
    return Problem(
        type=PROBLEM_BASE + "request-timeout",
        title="Request body not received in time",
        status=408,
        detail=f"The request body did not arrive within {seconds:g} seconds. Send it again.",
    )


def _internal_error() -> Problem:
    return Problem(
        type=PROBLEM_BASE + "internal-error",
        title="Internal error",
        status=500,
        detail="The service could not answer this request. The error was logged without request data.",
    )


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class GuardMiddleware:
    """Pure ASGI, so it wraps Starlette's error middleware and its headers reach a 500 too."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout: float, path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.path_limits = path_limits or {}

    def _limit(self, scope: Scope) -> int:
        # CDS Hooks calls carry a patient's FHIR prefetch, far larger than any /v1 profile
        path = scope.get("path", "")
        return next((limit for prefix, limit in self.path_limits.items() if path == prefix or path.startswith(prefix + "/")), self.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # answered as GET (its headers, including the length), without the body
            scope = {**scope, "method": "GET"}
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _SECURITY_NAMES]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            replay = await self._read_body(scope, receive)
        except _BodyRefused as refused:
            # the connection is kept: the server discards the rest of the body (for a bounded time, see
            # service/serve.py), so the client reads this answer instead of a reset
            await problem_response(refused.problem)(scope, receive, send_guarded)
            return
        try:
            await self.app(scope, replay, send_guarded)
        except Exception as error:  # noqa: BLE001 - the server would log its traceback, with request data
            # Only the type and the route template: the message and the path may hold patient data.
            logger.error("unhandled %s on %s %s", type(error).__name__, scope["method"], route_template(scope) or "(no route)")
            if not started:
                await problem_response(_internal_error())(scope, receive, send_guarded)

    async def _read_body(self, scope: Scope, receive: Receive) -> Receive:
        """Read the whole body, within the size and time limits, and return a receive that replays it."""
        limit = self._limit(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            raise _BodyRefused(_too_large(limit))
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return _replay([message], receive)  # the client left
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise _BodyRefused(_too_large(limit))
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise _BodyRefused(_too_slow(self.body_timeout)) from None
        return _replay([{"type": "http.request", "body": b"".join(chunks), "more_body": False}], receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return replayed


def install_guard(app: FastAPI, max_body_bytes: int, body_timeout: float, path_limits: dict[str, int] | None = None) -> None:
    """Wrap the whole middleware stack (Starlette's error middleware included) in the guard."""
    build: Callable[[], ASGIApp] = app.build_middleware_stack

    def build_guarded() -> ASGIApp:
        return GuardMiddleware(build(), max_body_bytes=max_body_bytes, body_timeout=body_timeout, path_limits=path_limits)

    app.build_middleware_stack = build_guarded  # type: ignore[method-assign]
