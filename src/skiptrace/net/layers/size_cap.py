"""Each response is read in full within the policy's bounds, so a hostile server can exhaust
neither memory nor time: the body is read raw and decoded here (``decoding``), each of its
bytes counted against ``limits.max_response_bytes`` as it comes off the wire and again as it
is decoded; and the whole of a request (connecting, the headers, the body) must be done within
``limits.request_seconds``, which a server dripping a byte at a time, never slow enough for
the per-read timeout, runs into all the same. Both end as a SourceError, which the retry layer
above does not retry (a deadline tried three times would be three deadlines) and the guard
audits. The layers above and the connectors get a decoded body already in hand. (Only the
resolution check sits between it and the network.)"""

from __future__ import annotations

import asyncio

import httpx

from skiptrace.errors import SourceError, SourceTimeout
from skiptrace.net.layers.decoding import BoundedDecoder, bounded_codings

_FRAMING_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


class CappedTransport(httpx.AsyncBaseTransport):
    """Reads each response in full, refusing one larger than ``max_bytes`` (on the wire or
    decoded) or one that takes longer than ``seconds`` from start to end."""

    def __init__(self, inner: httpx.AsyncBaseTransport, max_bytes: int, seconds: float) -> None:
        self._inner = inner
        self._max_bytes = max_bytes
        self._seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        asked = request.headers.get("accept-encoding")
        if asked is not None and bounded_codings(asked) != asked:
            request.headers["Accept-Encoding"] = bounded_codings(asked)
        deadline = asyncio.timeout(self._seconds)
        try:
            async with deadline:
                response = await self._inner.handle_async_request(request)
                try:
                    body = await self._read(request, response)
                finally:
                    await response.aclose()
        except TimeoutError:
            if not deadline.expired():
                raise
            raise SourceTimeout(
                f"{request.url} took longer than {self._seconds:g} s (limits.request_seconds)"
            ) from None
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name not in _FRAMING_HEADERS
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=body, request=request,
            extensions=response.extensions,
        )  # fmt: skip

    async def _read(self, request: httpx.Request, response: httpx.Response) -> bytes:
        codings = response.headers.get_list("content-encoding", split_commas=True)
        decoder = BoundedDecoder(str(request.url), codings, self._max_bytes)
        body = bytearray()
        wire = 0
        async for chunk in response.aiter_raw():
            wire += len(chunk)
            if wire > self._max_bytes:
                raise SourceError(f"{request.url} is larger than {self._max_bytes} bytes")
            body += decoder.decode(chunk)
        body += decoder.flush()
        return bytes(body)

    async def aclose(self) -> None:
        await self._inner.aclose()
