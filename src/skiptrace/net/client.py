"""The one place HTTP clients are built. Every client has the guard as its outermost transport.

The clients ignore proxy settings in the environment, take no ``mounts``, no ``transport``, no
cookies and no auth, and always route through the guard even if their private transport
attribute is swapped afterwards: there is no unguarded client to be had from this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import httpx

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.net.guard import ApiKey, AsyncGuardedTransport, Guard, GuardedTransport
from skiptrace.net.pinned import PinnedSyncTransport, PinnedTransport
from skiptrace.net.urls import canonicalize
from skiptrace.policy import Policy, load_policy


class _KeepNoCookies(httpx.Cookies):
    """The guarded clients' cookie jar. It keeps nothing a server sends (the guard has already
    dropped every Set-Cookie), so httpx's cookie parsing of each response is skipped. A cookie
    put in the jar by hand is still refused by the guard when a request would carry it."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _RecordsUnfollowedRedirects(httpx._client.BaseClient):
    """A redirect httpx cannot follow (a Location it cannot parse, ``http://0177.0.0.1/``, or
    one past ``max_redirects``) ends the request with httpx's own error before any transport
    sees the hop: the guard records that error, or the hop would be in no row."""

    _guard: Guard

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        """``url`` as given: these clients have no base URL, and httpx's merge of a URL with
        no host (``file:///etc/passwd``, ``data:...``) with the empty one dropped its scheme,
        so the guard refused and audited ``:///etc/passwd``, not what was asked for."""
        return httpx.URL(url)

    def _build_redirect_request(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Request:
        try:
            return super()._build_redirect_request(request, response)
        except Exception as error:
            self._guard.failed(request, canonicalize(request.url), error)
            raise


class GuardedClient(_RecordsUnfollowedRedirects, httpx.Client):
    """An httpx.Client whose every request, redirects included, goes through the guard."""

    def __init__(self, transport: GuardedTransport, *, policy: Policy) -> None:
        if not isinstance(transport, GuardedTransport):
            raise TypeError("GuardedClient needs a GuardedTransport")
        super().__init__(**_client_options(policy), transport=transport)
        self.__guarded = transport
        self._guard = transport.guard
        self._cookies = _KeepNoCookies()

    def _transport_for_url(self, url: httpx.URL) -> httpx.BaseTransport:
        return self.__guarded

    def _send_handling_redirects(
        self, request: httpx.Request, follow_redirects: bool, history: list[httpx.Response]
    ) -> httpx.Response:
        try:
            return super()._send_handling_redirects(request, follow_redirects, history)
        except httpx.TooManyRedirects as error:
            self._guard.stopped(error, self.max_redirects)
            raise


class AsyncGuardedClient(_RecordsUnfollowedRedirects, httpx.AsyncClient):
    """An httpx.AsyncClient whose every request, redirects included, goes through the guard."""

    def __init__(self, transport: AsyncGuardedTransport, *, policy: Policy) -> None:
        if not isinstance(transport, AsyncGuardedTransport):
            raise TypeError("AsyncGuardedClient needs an AsyncGuardedTransport")
        super().__init__(**_client_options(policy), transport=transport)
        self.__guarded = transport
        self._guard = transport.guard
        self._cookies = _KeepNoCookies()

    def _transport_for_url(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        return self.__guarded

    async def _send_handling_redirects(
        self, request: httpx.Request, follow_redirects: bool, history: list[httpx.Response]
    ) -> httpx.Response:
        try:
            return await super()._send_handling_redirects(request, follow_redirects, history)
        except httpx.TooManyRedirects as error:
            self._guard.stopped(error, self.max_redirects)
            raise


def guarded_client(
    *,
    connector: str = "",
    purpose: str = "",
    debtor_ref: str = "",
    policy: Policy | None = None,
    audit: AuditLog | None = None,
    api_keys: Sequence[ApiKey] = (),
    inner: httpx.BaseTransport | None = None,
) -> GuardedClient:
    """A sync client for ``connector``'s requests made for ``purpose``.

    ``inner`` is what sits under the guard (the network by default; a replay in benchmarks):
    the guard is always outermost, whatever is passed.
    """
    guard = new_guard(connector, purpose, debtor_ref, policy, audit, api_keys)
    network = inner or PinnedSyncTransport(guard.policy.private_allowed)  # resolve once, pinned
    transport = GuardedTransport(guard, network)
    return GuardedClient(transport, policy=guard.policy)


def async_guarded_client(
    *,
    connector: str = "",
    purpose: str = "",
    debtor_ref: str = "",
    policy: Policy | None = None,
    audit: AuditLog | None = None,
    api_keys: Sequence[ApiKey] = (),
    inner: httpx.AsyncBaseTransport | None = None,
) -> AsyncGuardedClient:
    """The async twin of ``guarded_client``. (The session stack, ``net.stack``, builds its
    guard first with ``new_guard``, because its robots.txt layer sends through it.)"""
    guard = new_guard(connector, purpose, debtor_ref, policy, audit, api_keys)
    network = inner or PinnedTransport(guard.policy.private_allowed)  # resolve once, pinned
    transport = AsyncGuardedTransport(guard, network)
    return AsyncGuardedClient(transport, policy=guard.policy)


def new_guard(
    connector: str,
    purpose: str,
    debtor_ref: str,
    policy: Policy | None,
    audit: AuditLog | None,
    api_keys: Sequence[ApiKey],
) -> Guard:
    """The guard for a client: the policy in force (the default if none), its purpose, and
    an ``override`` audit row for every loosening the policy files recorded a reason for,
    saying the value that runs."""
    policy = policy or load_policy()
    purpose = policy.purpose(purpose)
    audit = audit or AuditLog.open_default(policy["redaction.fields"])
    for override in policy.overrides:
        runs = policy.in_force(override)
        moved = policy.moved_since(override)
        since = f" (set {override.value!r}, {moved} since)" if moved else ""
        audit.append(
            AuditEvent(
                event="override",
                method="-",
                url="-",
                rule=override.key,
                connector=connector,
                purpose=purpose,
                detail=f"{override.key} = {runs!r} by {override.source}{since}: {override.reason}",
            )
        )
    return Guard(
        policy,
        audit,
        connector=connector,
        purpose=purpose,
        debtor_ref=debtor_ref,
        api_keys=api_keys,
    )


class _ClientOptions(TypedDict):
    headers: dict[str, str]
    timeout: httpx.Timeout
    follow_redirects: bool
    max_redirects: int
    trust_env: bool


def _client_options(policy: Policy) -> _ClientOptions:
    """Identifying headers, the policy's limits, redirects followed (each hop is guarded)."""
    return _ClientOptions(
        headers=policy.headers(),
        timeout=httpx.Timeout(float(policy["limits.timeout_seconds"])),
        follow_redirects=True,
        max_redirects=int(policy["limits.max_redirects"]),
        trust_env=False,
    )
