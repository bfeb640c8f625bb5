"""gzip for large answers with ISA-L's deflate: the same gzip stream any client reads, for a fifth of zlib's CPU.

Starlette's GZipMiddleware decides when to compress (size, content type, Accept-Encoding, streaming);
only the compressor object is replaced, by isal's zlib-compatible one.
"""

from __future__ import annotations

from typing import Any

from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import Receive, Scope, Send

# ISA-L has levels 0-3 (not zlib's 0-9). Measured on the benchmark answer (60.2 kB, interaction warnings once):
# level 1 gives 12.6 kB in 0.055 ms of CPU, level 2 12.4 kB in 0.058 ms, level 3 11.9 kB in 0.14 ms;
# zlib's level 1, served before, gave 12.8 kB in 0.29 ms.
ISAL_LEVEL = 1


class _IsalGZipResponder(GZipResponder):
    @property
    def compressor(self) -> Any:  # isal's compressor object, with zlib's compress/flush interface
        if self._compressor is None:
            self._compressor = isal_zlib.compressobj(self.compresslevel, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)
        return self._compressor


class IsalGZipMiddleware(GZipMiddleware):
    """Starlette's gzip middleware, compressing with ISA-L; clients that do not accept gzip get Starlette's own path."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            responder = _IsalGZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
            await responder(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def gzip_answer(body: bytes, level: int = ISAL_LEVEL) -> bytes:
    """One whole body compressed as the middleware compresses it (for the benchmark's in-process figures)."""
    compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)
    return compressor.compress(body) + compressor.flush()
