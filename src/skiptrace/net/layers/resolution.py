"""Just before connecting: a host name that resolves to a metadata or link-local address
(``169.254.169.254.nip.io``, say) is refused like the address itself, so a hostile page cannot
point the tool at its own cloud host through DNS. A name that does not resolve is left to fail
as it will. (A DNS answer that changes between this check and the connection is not caught.)"""

from __future__ import annotations

import asyncio
import ipaddress

import httpx

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.hardrules import is_metadata_host


class ResolutionCheck(httpx.AsyncBaseTransport):
    """Refuses a request whose host name resolves to a metadata address."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await _refuse_metadata_resolution(request.url)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _refuse_metadata_resolution(url: httpx.URL) -> None:
    host = url.host
    if not host or is_metadata_host(host) or _is_ip(host):
        return
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, url.port or 443)
    except OSError:
        return
    for *_, address in answers:
        if is_metadata_host(str(address[0]).split("%")[0]):
            raise HardRuleRefusal("metadata-address", str(url), f"{host} resolves to {address[0]}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
