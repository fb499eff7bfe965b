"""One deadline for the whole of a request: every attempt the retry layer makes, the waits
between them, connecting, the headers and the body must be done within the policy's
``limits.request_seconds``. A server dripping its answer a byte at a time, never slow enough for
the per-read timeout, runs into it all the same; so does one whose every attempt times out.
It ends as a SourceTimeout, which the guard audits and the source reports as ``timeout``.

A source's own deadline (``limits.source_seconds``, set above the stack by the run) cancels its
requests wherever they are; ``watching`` tells the stack which deadline that is, so the audit
row of a request it cancelled says ``timeout``, not merely that it was cancelled."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx

from skiptrace.errors import SourceTimeout

_SOURCE_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar(
    "skiptrace_source_deadline", default=None
)
_REQUEST_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar(
    "skiptrace_request_deadline", default=None
)


@contextmanager
def watching(deadline: asyncio.Timeout) -> Iterator[None]:
    """Within this block (of the task that will be cancelled), ``deadline`` is the source's."""
    token = _SOURCE_DEADLINE.set(deadline)
    try:
        yield
    finally:
        _SOURCE_DEADLINE.reset(token)


def past_source_deadline() -> bool:
    """True once the deadline of the source the current task asks has passed: a cancellation
    now is that deadline's."""
    deadline = _SOURCE_DEADLINE.get()
    return deadline is not None and deadline.expired()


def seconds_left() -> float | None:
    """Seconds before the request under way, or its source's search, runs out of time (None
    outside both): a wait the retry layer would start past it is not waited for."""
    deadlines = (_REQUEST_DEADLINE.get(), _SOURCE_DEADLINE.get())
    ends = [end for d in deadlines if d is not None and (end := d.when()) is not None]
    return min(ends) - asyncio.get_running_loop().time() if ends else None


class DeadlineTransport(httpx.AsyncBaseTransport):
    """Gives ``inner`` (retries included) ``seconds`` to answer, body and all."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = asyncio.timeout(self._seconds)
        token = _REQUEST_DEADLINE.set(deadline)
        try:
            async with deadline:
                return await self._inner.handle_async_request(request)
        except TimeoutError:
            if not deadline.expired():
                raise
            said = f"{request.url} took longer than {self._seconds:g} s (limits.request_seconds)"
            raise SourceTimeout(said) from None
        finally:
            _REQUEST_DEADLINE.reset(token)

    async def aclose(self) -> None:
        await self._inner.aclose()
