"""Each response is read in full within the policy's bounds, so a hostile server cannot exhaust
memory: the body is read raw and decoded here (``decoding``), each of its bytes counted against
``limits.max_response_bytes`` as it comes off the wire and again as it is decoded. Too large
ends as a SourceError, which the retry layer above does not retry and the guard audits. (Time
is bounded above, by the deadline layer.) The layers above and the connectors get a decoded
body already in hand. (Only the resolution check sits between it and the network.)"""

from __future__ import annotations

import httpx

from skiptrace.errors import SourceError
from skiptrace.net.layers.decoding import BoundedDecoder, bounded_codings

_FRAMING_HEADERS = (b"content-encoding", b"content-length", b"transfer-encoding")


class CappedTransport(httpx.AsyncBaseTransport):
    """Reads each response in full, refusing one larger than ``max_bytes`` (on the wire or
    decoded)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        asked = request.headers.get("accept-encoding")
        offered = bounded_codings(asked) if asked is not None else None
        if offered is not None and offered != asked:
            request.headers["Accept-Encoding"] = offered
        response = await self._inner.handle_async_request(request)
        try:
            body = await self._read(request, response)
        finally:
            await response.aclose()
        # as the server sent them: a header beyond ASCII (a Latin-1 file name), decoded, could
        # not be made a header again, and failed every request to its source
        headers = [
            (name, value)
            for name, value in response.headers.raw
            if name.lower() not in _FRAMING_HEADERS
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
