"""Each response is read in full, and one larger than the policy's ``limits.max_response_bytes``
is refused, so a hostile server cannot exhaust memory; the layers above and the connectors get
a body already in hand. (Only the resolution check sits between it and the network.)"""

from __future__ import annotations

import httpx

from skiptrace.errors import SourceError

_FRAMING_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


class CappedTransport(httpx.AsyncBaseTransport):
    """Reads each response in full, refusing one larger than the policy allows."""

    def __init__(self, inner: httpx.AsyncBaseTransport, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > self._max_bytes:
                    raise SourceError(f"{request.url} is larger than {self._max_bytes} bytes")
        finally:
            await response.aclose()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name not in _FRAMING_HEADERS
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=request,
            extensions=response.extensions,
        )  # fmt: skip

    async def aclose(self) -> None:
        await self._inner.aclose()
