"""Just above the network: the refusals of a host's address, named with the request's URL.

The network under the stack (``net.pinned``) resolves each host once per connection, refuses
the connection if any answer is a link-local or metadata address (``metadata-address``) or a
private, loopback or reserved one not listed in ``hosts.allow_private`` for that host and port
(``private-address``), and connects to the addresses it checked: a DNS answer that changes
after the check (rebinding) is never used. So ``169.254.169.254.nip.io`` is refused like the
address itself, and a hostile page cannot point the tool at its own cloud host or network
through DNS. The network knows only the host and port; this layer puts the refused request's
URL on the refusal, for the audit log and for the robots.txt layer, which refuses a host whose
own address is refused. A name that does not resolve fails as a connection error.
"""

from __future__ import annotations

import httpx

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.pinned import AddressRefusal
from skiptrace.net.urls import canonicalize


class ResolutionCheck(httpx.AsyncBaseTransport):
    """Refusals of the address a request's host resolved to, named with the request's URL."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except AddressRefusal as refusal:
            url = str(canonicalize(request.url))
            raise HardRuleRefusal(refusal.rule, url, refusal.detail) from None

    async def aclose(self) -> None:
        await self._inner.aclose()
