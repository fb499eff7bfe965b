"""One deadline for the whole of a request: every attempt the retry layer makes, the waits
between them, connecting, the headers and the body must be done within the policy's
``limits.request_seconds``. A server dripping its answer a byte at a time, never slow enough for
the per-read timeout, runs into it all the same; so does one whose every attempt times out.
It ends as a SourceTimeout, which the guard audits and the source reports as ``timeout``."""

from __future__ import annotations

import asyncio

import httpx

from skiptrace.errors import SourceTimeout


class DeadlineTransport(httpx.AsyncBaseTransport):
    """Gives ``inner`` (retries included) ``seconds`` to answer, body and all."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = asyncio.timeout(self._seconds)
        try:
            async with deadline:
                return await self._inner.handle_async_request(request)
        except TimeoutError:
            if not deadline.expired():
                raise
            raise SourceTimeout(
                f"{request.url} took longer than {self._seconds:g} s (limits.request_seconds)"
            ) from None

    async def aclose(self) -> None:
        await self._inner.aclose()
