"""Start the service: `python -m service.serve [--host H] [--port P] [--workers N]`.

The knowledge store is verified before any worker starts (one line and exit 1 if it cannot be served),
then uvicorn serves with the limits a health-data API needs: bounded connections, idle and slow clients
timed out, no access log of paths, no server banner, forwarded headers trusted only from named proxies,
and an error log that never carries exception text (it may quote what a patient's record said).
"""

from __future__ import annotations

import argparse
import logging
import sys
from asyncio import TimerHandle, Transport
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from service.api.guard import SECURITY_HEADERS
from service.config import Settings, get_settings
from service.knowledge.loader import KnowledgeStoreError, load_knowledge
from service.ops.logging_config import load_logging_config


class _HeadersTooLarge(Exception):
    """Raised inside the parser: httptools turns it into a parser error, which uvicorn answers 400 and closes."""


def _timeout_reply() -> bytes:
    headers = b"".join(name + b": " + value + b"\r\n" for name, value in SECURITY_HEADERS)
    return b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n" + headers + b"\r\n"


class _LingeringClose:
    """The transport as a response cycle sees it: closing while the request body is still arriving only
    ends the sending side, so the client reads the answer (a 413) rather than a reset; the rest of the body is
    read and dropped, and the connection closes when it ends or when the protocol's deadline passes."""

    def __init__(self, protocol: GuardedHttpToolsProtocol, transport: Transport) -> None:
        self._protocol = protocol
        self._transport = transport

    def close(self) -> None:
        if self._protocol.body_pending and self._transport.can_write_eof() and not self._transport.is_closing():
            self._transport.write_eof()
            self._protocol.close_after_body()
        else:
            self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits it lacks: a deadline for a request's headers, an idle limit
    for a connection that never sends, a cap on header bytes, a bounded wait for the rest of a body answered
    early (a 413), and a number of requests per connection (so keep-alive clients spread again over the
    workers after one is replaced)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = get_settings()
        self._header_timeout = limits.header_timeout
        self._max_header_bytes = limits.max_header_bytes
        self._max_requests = limits.max_requests_per_connection
        self._linger = limits.timeout_keep_alive
        self._header_deadline: TimerHandle | None = None
        self._discard_deadline: TimerHandle | None = None
        self._header_bytes = 0
        self._requests = 0
        self.body_pending = False
        self._close_after_body = False

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # a connection that never sends a byte is closed like an idle keep-alive one
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        if self._discard_deadline is not None:
            self._discard_deadline.cancel()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._cancel_header_deadline()
        self._header_deadline = self.loop.call_later(self._header_timeout, self._headers_too_slow)

    def on_url(self, url: bytes) -> None:
        self._count_header_bytes(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._cancel_header_deadline()
        self.body_pending = True
        super().on_headers_complete()
        if self.cycle is not None:
            self.cycle.transport = _LingeringClose(self, self.transport)  # type: ignore[assignment]
        self._requests += 1
        if self._requests >= self._max_requests and self.cycle is not None:
            self.cycle.keep_alive = False  # answered with `connection: close`; the client reconnects

    def on_message_complete(self) -> None:
        self.body_pending = False
        if self._discard_deadline is not None:
            self._discard_deadline.cancel()
            self._discard_deadline = None
        super().on_message_complete()
        if self._close_after_body:
            self.transport.close()

    def close_after_body(self) -> None:
        self._close_after_body = True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.body_pending and not self.transport.is_closing() and self._discard_deadline is None:
            # answered before its body arrived (a 413): the rest is parsed and dropped, for a bounded time
            self._discard_deadline = self.loop.call_later(self._linger, self._stop_discarding)

    def _stop_discarding(self) -> None:
        self._discard_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _count_header_bytes(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self._max_header_bytes:
            raise _HeadersTooLarge

    def _cancel_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.write(_timeout_reply())
            self.transport.close()


class WithoutExceptionText(logging.Filter):
    """Keep a record's own message and the exception's type; drop the exception text and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.exc_text:
            kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else "exception"
            record.msg = f"{record.getMessage()} ({kind}; its text is not logged: it may hold request data)"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


# One JSON object per line on stderr (service/ops/logging.json): request lines with their request id and
# route template, no access log (it would record paths and query strings), no exception text.
LOG_CONFIG: dict[str, Any] = load_logging_config()


def verified_app() -> FastAPI:
    """The app factory each worker calls: a store that fails its check stops the worker with one line, and
    uvicorn's supervisor, seeing a startup failure, stops instead of restarting it."""
    from service.main import create_app

    try:
        return create_app()
    except KnowledgeStoreError as error:
        print(f"tki-cds: worker not started: {error}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)


def server_config(settings: Settings, host: str, port: int, workers: int) -> uvicorn.Config:
    """The uvicorn configuration the service runs with."""
    trusted = settings.forwarded_allow_ips.strip()
    return uvicorn.Config(
        "service.serve:verified_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http="service.serve:GuardedHttpToolsProtocol",
        loop="auto",
        ws="none",
        lifespan="on",
        log_config=LOG_CONFIG,
        access_log=False,
        server_header=False,
        date_header=True,
        # X-Forwarded-For/-Proto are believed only from the proxies named here (none by default)
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or "",
        limit_concurrency=settings.limit_concurrency,
        backlog=settings.backlog,
        timeout_keep_alive=settings.timeout_keep_alive,
        timeout_graceful_shutdown=settings.timeout_graceful_shutdown,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        load_knowledge(settings.knowledge_db_url)
    except KnowledgeStoreError as error:
        print(f"tki-cds: not started: {error}", file=sys.stderr)
        return 1
    config = server_config(settings, args.host, args.port, args.workers)
    server = uvicorn.Server(config)
    if config.workers > 1:
        supervisor = Multiprocess(config, sockets=[config.bind_socket()])
        supervisor.run()
        # a worker that could not start stops the parent (uvicorn does not restart it): say so in the exit code
        return 1 if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes) else 0
    server.run()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
