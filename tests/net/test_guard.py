"""The guard through a real HTTP server on 127.0.0.1: what is sent, refused and logged."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import skiptrace
from skiptrace.audit import AuditLog, AuditRow
from skiptrace.audit.redact import Redactor
from skiptrace.errors import HardRuleRefusal, PolicyError, PolicyRefusal, Refused
from skiptrace.net.client import (
    AsyncGuardedClient,
    GuardedClient,
    async_guarded_client,
    guarded_client,
)
from skiptrace.net.extensions import CONNECTOR, ORIGINS, SITE
from skiptrace.net.guard import DEBTOR_REF, ApiKey, Guard, GuardedTransport, site_origins
from skiptrace.net.urls import canonicalize
from skiptrace.net.written import KEPT_WORDS
from skiptrace.policy import Policy, merge
from skiptrace.testing.replay import ReplayServer, Reply

PAGE = b"<html><body><address>1 Example Ave, Springfield</address></body></html>"


def _routes(target: str) -> dict[str, Reply]:
    return {
        "/page": Reply(200, PAGE, {"Content-Type": "text/html", "Set-Cookie": "sid=abc; Path=/"}),
        "/to-messenger": Reply(302, b"", {"Location": target}),
        "/to-page": Reply(301, b"", {"Location": "/page"}),
        "/page2": Reply(200, PAGE, {"Content-Type": "text/html", "Set-Cookie2": "id=1; Version=1"}),
    }


@pytest.fixture
def site() -> Iterator[ReplayServer]:
    with ReplayServer(_routes("https://www.facebook.com/messages/t/100001")) as server:
        yield server


@pytest.fixture
def client(site: ReplayServer, policy: Policy, audit: AuditLog) -> Iterator[GuardedClient]:
    with guarded_client(
        connector="test", purpose="collections research", policy=site.allow(policy), audit=audit
    ) as made:
        yield made


def _rows(audit: AuditLog) -> list[AuditRow]:
    """Rows of requests and refusals: the override row of the policy that lets the test reach
    its loopback server (``hosts.allow_private``) left out."""
    return [row for row in audit.rows() if row.event != "override"]


def test_get_succeeds_and_is_audited(
    site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    response = client.get(site.url("/page"), extensions={DEBTOR_REF: "ACCT-1"})
    assert response.status_code == 200
    assert response.content == PAGE
    assert [r.rule for r in audit.rows() if r.event == "override"] == ["hosts.allow_private"]
    [row] = _rows(audit)
    assert (row.event, row.method, row.status) == ("request", "GET", 200)
    assert row.url == site.url("/page")
    assert (row.connector, row.purpose) == ("test", "collections research")
    # the debtor's reference is kept as a stable pseudonym, never in clear
    assert row.debtor_ref == Redactor([]).reference("ACCT-1") != "ACCT-1"
    assert row.debtor_ref.startswith("ref:")
    [received] = site.received
    assert received.headers["User-Agent"].startswith("skiptrace/")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writing_methods_never_reach_the_server(
    method: str, site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    with pytest.raises(HardRuleRefusal) as refused:
        client.request(method, site.url("/page"))
    assert refused.value.rule == "method"
    assert site.received == []
    [row] = _rows(audit)
    assert (row.event, row.method, row.rule) == ("refused", method, "method")


def test_a_body_is_refused_even_on_get(
    site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    with pytest.raises(HardRuleRefusal) as refused:
        client.request("GET", site.url("/page"), content=b"hello")
    assert refused.value.rule == "body"
    request = client.build_request("GET", site.url("/page"), content=b"hidden")
    del request.headers["content-length"]
    with pytest.raises(HardRuleRefusal, match="body"):
        client.send(request)
    assert site.received == []
    assert [row.rule for row in _rows(audit)] == ["body", "body"]


def test_cookies_are_neither_sent_nor_kept(
    site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    client.get(site.url("/page"))
    assert len(client.cookies) == 0
    client.get(site.url("/page"))
    assert all("Cookie" not in r.headers for r in site.received)
    with pytest.raises(HardRuleRefusal) as refused:
        client.get(site.url("/page"), headers={"Cookie": "sid=forged"})
    assert refused.value.rule == "cookie"
    client.cookies.set("sid", "planted")
    with pytest.raises(HardRuleRefusal, match="cookie"):
        client.get(site.url("/page"))
    assert len(site.received) == 2
    assert [row.rule for row in _rows(audit)] == ["", "", "cookie", "cookie"]


def test_the_guard_drops_set_cookie_even_for_an_ordinary_jar(
    site: ReplayServer, client: GuardedClient
) -> None:
    """The guarded client's own jar keeps nothing; this is the guard's line behind it."""
    client.cookies = {}  # httpx's ordinary jar again, which keeps what a server sets
    assert "set-cookie" not in client.get(site.url("/page")).headers
    assert "set-cookie2" not in client.get(site.url("/page2")).headers
    assert len(client.cookies) == 0
    with pytest.raises(HardRuleRefusal, match="cookie"):
        client.get(site.url("/page"), headers={"Cookie2": "$Version=1"})


def test_authorization_only_as_a_declared_api_key(
    site: ReplayServer, policy: Policy, audit: AuditLog
) -> None:
    with guarded_client(purpose="research", policy=site.allow(policy), audit=audit) as plain:
        with pytest.raises(HardRuleRefusal) as refused:
            plain.get(site.url("/page"), headers={"Authorization": "Bearer stolen"})
        assert refused.value.rule == "authorization"
        with pytest.raises(HardRuleRefusal, match="userinfo"):
            plain.get(site.url("/page").replace("http://", "http://user:pw@"))
    assert site.received == []


def test_a_declared_api_key_goes_to_its_own_host_over_https_only(
    site: ReplayServer, policy: Policy, audit: AuditLog
) -> None:
    api = "api.company-information.service.gov.uk"
    key = ApiKey(host=api, value="Basic a2V5Og==")
    recorder = _Recorder()
    with guarded_client(
        purpose="research", policy=policy, audit=audit, api_keys=[key], inner=recorder
    ) as keyed:
        keyed.get(f"https://{api}/search/officers?q=roe")
        keyed.get(f"http://{api}/search/officers?q=roe")
        keyed.get("https://www.acme-plumbing.example/")
    assert [r.headers.get("Authorization") for r in recorder.seen] == [key.value, None, None]
    allowed = site.allow(policy)
    with guarded_client(purpose="research", policy=allowed, audit=audit, api_keys=[key]) as keyed:
        keyed.get(site.url("/page"))
    assert "Authorization" not in site.received[0].headers
    assert "a2V5" not in repr(key)


def test_a_key_rides_only_on_its_own_connectors_requests(policy: Policy, audit: AuditLog) -> None:
    """One client (the session stack) carries every connector's requests: a third-party
    manifest pointed at the same API host got the operator's key on its own searches."""
    api = "api.company-information.service.gov.uk"
    key = ApiKey(host=api, value="Basic a2V5Og==", connector="companies_house")
    recorder = _Recorder()
    url = f"https://{api}/search/officers?q=roe"
    with guarded_client(
        purpose="research", policy=policy, audit=audit, api_keys=[key], inner=recorder
    ) as client:
        client.get(url, extensions={CONNECTOR: "companies_house"})
        client.get(url, extensions={CONNECTOR: "ch_mirror"})
        client.get(url)  # the client's own connector: none
    assert [r.headers.get("Authorization") for r in recorder.seen] == [key.value, None, None]


@pytest.mark.parametrize("header", ["Cookie", "Host", "X-HTTP-Method-Override", "Set-Cookie"])
def test_a_key_travels_only_in_a_key_header(header: str) -> None:
    """A key given through the Python API in another header was added after the checks: a
    session cookie, a Host or a method override went out under a plain GET's audit row."""
    with pytest.raises(ValueError, match="Authorization or X-Api-Key"):
        ApiKey(host="127.0.0.1", value="sessionid=OPERATOR", header=header)
    assert ApiKey(host="127.0.0.1", value="k", header="x-api-key").header == "x-api-key"


def test_redirect_to_a_messaging_url_is_refused_and_audited(
    site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    with pytest.raises(HardRuleRefusal) as refused:
        client.get(site.url("/to-messenger"))
    assert refused.value.rule == "social-action"
    rows = _rows(audit)
    assert [(r.event, r.status, r.rule) for r in rows] == [
        ("request", 302, ""),
        ("refused", None, "social-action"),
    ]
    assert rows[1].url == "https://www.facebook.com/messages/t/100001"
    assert [r.path for r in site.received] == ["/to-messenger"]


def test_redirect_within_the_site_is_followed_and_each_hop_audited(
    site: ReplayServer, client: GuardedClient, audit: AuditLog
) -> None:
    response = client.get(site.url("/to-page"))
    assert response.status_code == 200
    assert [(r.event, r.status) for r in _rows(audit)] == [("request", 301), ("request", 200)]


@pytest.mark.parametrize(
    ("target", "rule"),
    [
        ("https://wa.me/15550100", "contact-host"),
        ("http://169.254.169.254/latest/meta-data/", "metadata-address"),
        ("mailto:someone@example.com", "scheme"),
        ("https://www.linkedin.com/in/someone", "social-network-host"),
    ],
)
def test_redirect_hops_are_checked_like_first_requests(
    target: str, rule: str, policy: Policy, audit: AuditLog
) -> None:
    with (
        ReplayServer(_routes(target)) as server,
        guarded_client(purpose="research", policy=server.allow(policy), audit=audit) as made,
        pytest.raises(Refused) as refused,
    ):
        made.get(server.url("/to-messenger"))
    assert refused.value.rule == rule
    assert audit.rows()[-1].rule == rule


def test_a_redirect_to_no_url_is_refused_as_one(policy: Policy, audit: AuditLog) -> None:
    """A Location no parser reads (``http://[::1``) was refused under rule ``scheme``, as a
    redirect to an ``invalid:`` URL, a scheme the server never wrote: it is rule
    ``invalid-url``, its row the Location as sent and why it cannot be followed."""
    with (
        ReplayServer(_routes("http://[::1")) as server,
        guarded_client(purpose="research", policy=server.allow(policy), audit=audit) as made,
        pytest.raises(HardRuleRefusal) as refused,
    ):
        made.get(server.url("/to-messenger"))
    assert (refused.value.rule, refused.value.url) == ("invalid-url", "http://[::1")
    row = _rows(audit)[-1]
    assert (row.event, row.rule, row.url, row.detail, row.reason) == (
        "refused", "invalid-url", "http://[::1",
        "redirect to a URL that cannot be parsed: Invalid IPv6 URL", "refused",
    )  # fmt: skip


def test_the_async_client_is_guarded_the_same_way(
    site: ReplayServer, policy: Policy, audit: AuditLog
) -> None:
    async def scenario() -> tuple[int, str]:
        allowed = site.allow(policy)
        async with async_guarded_client(purpose="research", policy=allowed, audit=audit) as made:
            ok = await made.get(site.url("/page"))
            with pytest.raises(HardRuleRefusal) as refused:
                await made.get(site.url("/to-messenger"))
            with pytest.raises(HardRuleRefusal, match="method"):
                await made.post(site.url("/page"), content=b"x")
            return ok.status_code, refused.value.rule

    assert asyncio.run(scenario()) == (200, "social-action")
    assert [r.event for r in _rows(audit)] == ["request", "request", "refused", "refused"]
    assert [r.method for r in site.received] == ["GET", "GET"]


def test_a_purpose_is_required_by_default(policy: Policy, audit: AuditLog) -> None:
    with pytest.raises(PolicyError, match="purpose"):
        guarded_client(policy=policy, audit=audit)


def test_policy_refusals_are_their_own_type(client: GuardedClient) -> None:
    with pytest.raises(PolicyRefusal) as refused:
        client.get("https://www.facebook.com/acme.plumbing")
    assert refused.value.rule == "social-network-host"
    assert not isinstance(refused.value, httpx.HTTPError)


def test_overrides_are_written_to_the_audit_log(policy: Policy, audit: AuditLog) -> None:
    loosened = merge(
        policy,
        {
            "rate": {"default": "2/s"},
            "override": [{"key": "rate.default", "reason": "written agreement with the host"}],
        },
        "ops.toml",
    )
    guarded_client(purpose="research", policy=loosened, audit=audit).close()
    [row] = audit.rows()
    assert (row.event, row.rule) == ("override", "rate.default")
    assert "written agreement with the host" in row.detail


# --- a hostile, connector-like caller cannot get an unguarded client -----------------------


class _Recorder(httpx.BaseTransport):
    """Stands in for a transport that would send anything it is given."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(200)


def test_the_factories_take_no_transport_mounts_proxy_or_cookies(
    policy: Policy, audit: AuditLog
) -> None:
    for forbidden in ("transport", "mounts", "proxy", "cookies", "auth", "trust_env", "verify"):
        with pytest.raises(TypeError):
            guarded_client(purpose="x", policy=policy, audit=audit, **{forbidden: None})  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            async_guarded_client(purpose="x", policy=policy, audit=audit, **{forbidden: None})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        GuardedClient(httpx.HTTPTransport(), policy=policy)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncGuardedClient(httpx.AsyncHTTPTransport(), policy=policy)  # type: ignore[arg-type]


def test_a_supplied_inner_transport_stays_under_the_guard(policy: Policy, audit: AuditLog) -> None:
    recorder = _Recorder()
    with guarded_client(purpose="x", policy=policy, audit=audit, inner=recorder) as made:
        with pytest.raises(HardRuleRefusal):
            made.post("https://www.acme-plumbing.example/contact", content=b"hi")
        made.get("https://www.acme-plumbing.example/")
    assert [r.method for r in recorder.seen] == ["GET"]


def test_swapping_the_transport_or_mounting_one_does_not_bypass_the_guard(
    client: GuardedClient,
) -> None:
    recorder = _Recorder()
    client._transport = recorder
    client._mounts = {httpx._utils.URLPattern("all://"): recorder}  # type: ignore[attr-defined]
    with pytest.raises(HardRuleRefusal):
        client.post("https://www.acme-plumbing.example/contact", content=b"hi")
    assert recorder.seen == []


def test_proxy_environment_is_ignored(
    site: ReplayServer, policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer({}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.setenv("ALL_PROXY", proxy.base_url)
        with guarded_client(purpose="x", policy=site.allow(policy), audit=audit) as made:
            assert made.get(site.url("/page")).status_code == 200
        assert proxy.received == []
    assert len(site.received) == 1


def test_the_package_exports_no_unguarded_client_factory(policy: Policy, audit: AuditLog) -> None:
    """Every client-returning callable in the package's public modules returns a guarded one."""
    import importlib
    import inspect
    import pkgutil

    found = []
    for info in pkgutil.walk_packages(skiptrace.__path__, "skiptrace."):
        if info.name == "skiptrace.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != module.__name__:
                continue
            returned = str(inspect.signature(value).return_annotation)
            if "Client" in returned:
                found.append(value)
                made = value(purpose="x", policy=policy, audit=audit)
                assert isinstance(made, GuardedClient | AsyncGuardedClient)
                transport = made._transport_for_url(httpx.URL("https://example.com/"))
                guard = getattr(transport, "guard", None)
                assert isinstance(guard, Guard)
    assert {f.__name__ for f in found} == {"guarded_client", "async_guarded_client", "open_client"}
    assert isinstance(GuardedTransport, type)


def test_the_wall_refuses_connections_made_outside_the_guard(
    site: ReplayServer, client: GuardedClient
) -> None:
    import socket

    from skiptrace.net import wall

    wall.install()
    port = int(site.base_url.rsplit(":", 1)[1])
    with pytest.raises(PermissionError, match="outside the guard"):
        socket.create_connection(("127.0.0.1", port), timeout=5)
    with pytest.raises(httpx.ConnectError, match="outside the guard"):
        httpx.get(site.url("/page"), timeout=5)  # a bare client, as a rogue connector's
    assert client.get(site.url("/page")).status_code == 200
    assert [r.path for r in site.received] == ["/page"]


def test_the_wall_refuses_datagrams_sent_outside_the_guard() -> None:
    """A review: the wall looked at connections only, so a datagram sent to an address
    (``sendto``, ``sendmsg``; UDP needs no connection) left the process past it."""
    import socket

    from skiptrace.net import wall

    wall.install()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.settimeout(0.2)
        to = listening.getsockname()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sending:
            with pytest.raises(PermissionError, match="outside the guard"):
                sending.sendto(b"debtor's name", to)
            with pytest.raises(PermissionError, match="outside the guard"):
                sending.sendmsg([b"debtor's name"], [], 0, to)
            with wall.inside_guard():
                sending.sendto(b"sent from inside", to)
        assert listening.recv(100) == b"sent from inside"
        with pytest.raises(TimeoutError):
            listening.recv(100)


def test_the_wall_refuses_a_bare_socket_too() -> None:
    """A review: the wall looked only at ``socket.socket``'s instances, so a socket made from
    the C module beneath it (``_socket.socket``, which ``socket.socket`` extends) connected and
    sent datagrams past it."""
    import _socket
    import socket

    from skiptrace.net import wall

    wall.install()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.settimeout(0.2)
        to = listening.getsockname()
        sending = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
        try:
            with pytest.raises(PermissionError, match="outside the guard"):
                sending.sendto(b"debtor's name", to)
            with pytest.raises(PermissionError, match="outside the guard"):
                sending.connect(to)
        finally:
            sending.close()
        with pytest.raises(TimeoutError):
            listening.recv(100)


@pytest.mark.parametrize(
    ("extensions", "rule"),
    [
        ({"target": b"/api/SendSMS.php?to=15558675309&text=pay"}, "extension"),
        ({"sni_hostname": "wa.me"}, "extension"),
        ({"trace": lambda name, info: None}, "extension"),
    ],
)
def test_a_request_goes_out_as_it_was_checked_and_logged(
    extensions: dict[str, object],
    rule: str,
    site: ReplayServer,
    client: GuardedClient,
    audit: AuditLog,
) -> None:
    """httpcore sends ``extensions["target"]`` as the request line, not the URL the guard
    checked and the log names: a plain GET of /page went out as SendSMS. Only the extensions
    skiptrace's own layers read (and httpx's timeout) pass."""
    with pytest.raises(HardRuleRefusal) as refused:
        client.get(site.url("/page"), extensions=extensions)
    assert refused.value.rule == rule
    assert site.received == []
    [row] = _rows(audit)
    assert (row.event, row.rule) == ("refused", rule)
    client.get(site.url("/page"), extensions={DEBTOR_REF: "A1", CONNECTOR: "test"})
    assert [r.path for r in site.received] == ["/page"]


@pytest.mark.parametrize(
    ("headers", "rule"),
    [
        ({"Host": "wa.me"}, "host-header"),
        ({"Host": "127.0.0.1:1"}, "host-header"),
        ({"X-HTTP-Method-Override": "POST"}, "header"),
        ({"X-Method-Override": "DELETE"}, "header"),
        ({"X-Api-Key": "secret-of-another-site"}, "authorization"),
        ({"X-Requested-With": "XMLHttpRequest"}, "header"),
        ({"Origin": "https://www.facebook.com"}, "header"),
    ],
)
def test_only_the_headers_skiptrace_sends_go_out(
    headers: dict[str, str],
    rule: str,
    site: ReplayServer,
    client: GuardedClient,
    audit: AuditLog,
) -> None:
    """A Host naming another site reaches it through a shared front end while the log names
    this one; a method override turns a GET into a POST at many frameworks; a key header of
    someone else's authorises what the log calls a plain GET."""
    with pytest.raises(HardRuleRefusal) as refused:
        client.get(site.url("/page"), headers=headers)
    assert refused.value.rule == rule
    assert site.received == []
    assert [(row.event, row.rule) for row in _rows(audit)] == [("refused", rule)]


def test_the_headers_skiptrace_sends_pass(site: ReplayServer, client: GuardedClient) -> None:
    asked = {"Accept": "text/html", "Accept-Language": "en", "If-None-Match": '"x"',
             "If-Modified-Since": "Tue, 01 Dec 2026 00:00:00 GMT", "Cache-Control": "no-cache",
             "Host": site.url("/").split("/")[2]}  # fmt: skip
    assert client.get(site.url("/page"), headers=asked).status_code == 200
    [received] = site.received
    assert received.headers["Accept-Language"] == "en"


@pytest.mark.parametrize(
    ("site", "url"),
    [("https://acme.example/", "https://www.acme.example/team/marcus-oyelaran"),
     ("https://www.acme.example/", "http://acme.example/team/marcus-oyelaran")],
)  # fmt: skip
def test_a_colleagues_page_on_the_other_spelling_of_the_site_is_refused(
    policy: Policy, audit: AuditLog, site: str, url: str
) -> None:
    """The adopted site is its host with and without www. (``site_origins``), and a same-site
    redirect may go either way; a colleague's page there was admitted, sent and audited with his
    name, as the colleague-page rule compared the host as written."""
    guard = Guard(policy, audit, connector="business_pages")
    request = httpx.Request(
        "GET", url, extensions={SITE: site, ORIGINS: site_origins(canonicalize(site))}
    )
    with pytest.raises(Refused) as refused:
        guard.admit(request)
    assert refused.value.rule == "colleague-page"
    told = " ".join(f"{row.url} {row.detail}" for row in audit.rows())
    assert "oyelaran" not in told.lower() and "acme.example" in told, told
    assert "another host" not in told  # the site's other spelling is the site


def _on_site(policy: Policy, audit: AuditLog, url: str) -> None:
    """Admit a GET of ``url`` on the adopted site https://acme.example/, as a redirect sends it."""
    site = "https://acme.example/"
    request = httpx.Request(
        "GET", url, extensions={SITE: site, ORIGINS: site_origins(canonicalize(site))}
    )
    Guard(policy, audit, connector="business_pages").admit(request)


@pytest.mark.parametrize("path", [
    "/team/?member=marcus-oyelaran", "/our-team?member=marcus-oyelaran",
    "/team/index.html?id=417", "/contact-us?agent=marcus-oyelaran",
    "/about/contact?who=marcus-oyelaran", "/meet-the-team?m=marcus-oyelaran",
])  # fmt: skip
def test_a_query_to_a_team_about_or_contact_page_is_refused(
    policy: Policy, audit: AuditLog, path: str
) -> None:
    """A hostile review: /our-team redirected to /team/?member=marcus-oyelaran (the person in
    the query, not the path), which was sent and audited whole. The link reader asks for these
    pages without their query, so one with a query came from the site, which may name one
    person in it: refused, and written with the site's scheme and host only."""
    with pytest.raises(Refused) as refused:
        _on_site(policy, audit, f"https://acme.example{path}")
    assert refused.value.rule == "colleague-page"
    [row] = audit.rows()
    assert row.url == "https://acme.example/", row
    assert "marcus" not in repr(audit.rows()).lower() and "417" not in row.url


@pytest.mark.parametrize("path", [
    "/team/marcus-oyelaran/login", "/team/marcus-oyelaran?comment=hi",
    "/contact-us?message=ask-marcus-oyelaran",
])  # fmt: skip
def test_a_colleague_page_breaking_another_rule_too_is_said_by_its_site_alone(
    policy: Policy, audit: AuditLog, path: str
) -> None:
    """A review: a colleague's page that broke a hard rule as well (a login word, words for
    the site's form) was refused by that rule first, its row keeping the URL that names him."""
    with pytest.raises(Refused) as refused:
        _on_site(policy, audit, f"https://acme.example{path}")
    assert refused.value.rule == "colleague-page"
    [row] = audit.rows()
    assert row.url == "https://acme.example/" and "marcus" not in repr(row).lower(), row


@pytest.mark.parametrize("path", [
    "/?lang=en", "/index.php?lang=en", "/products?page=2", "/team", "/about-us/", "/contact",
])  # fmt: skip
def test_a_query_elsewhere_and_a_site_page_without_one_pass(
    policy: Policy, audit: AuditLog, path: str
) -> None:
    """A home page's own query (/?lang=en, a site's language) and any other page's stay
    allowed, as do the team, about and contact pages asked for without a query."""
    _on_site(policy, audit, f"https://acme.example{path}")  # not Refused
    assert audit.rows() == []  # no refusal row (a sent request's row comes with its answer)


@pytest.mark.parametrize("path", [
    "/teamwork/x", "/peoplesoft/y", "/staffing-news/z", "/relocation-services/quote",
    "/contactless-payments/how", "/aboutface/home",
])  # fmt: skip
def test_a_word_inside_another_is_not_a_staff_list(
    policy: Policy, audit: AuditLog, path: str
) -> None:
    """/teamwork/x, /peoplesoft/y and /staffing-news/z were refused as colleagues' pages, the
    words matched anywhere inside a part ("team" in "teamwork"): a home page redirecting to
    one lost the whole site. A part says team, about or contact as a word of its own."""
    _on_site(policy, audit, f"https://acme.example{path}")  # not Refused
    assert audit.rows() == []


@pytest.mark.parametrize("path", [
    "/team/marcus-oyelaran", "/our-team/marcus-oyelaran", "/meet-the-team/priya-venkataraman",
    "/about-us/marcus-oyelaran", "/about/marcus-oyelaran", "/staff/profile/marcus-oyelaran",
    "/team/page/2", "/team%20members/marcus-oyelaran", "/company/people.html/marcus-oyelaran",
])  # fmt: skip
def test_a_page_below_a_staff_list_is_still_refused(
    policy: Policy, audit: AuditLog, path: str
) -> None:
    """The words of a part, as a whole: /our-team/x, /meet-the-team/x, /about-us/x are still
    below a staff list, and /team/page/2 is refused with them (conservative)."""
    with pytest.raises(Refused) as refused:
        _on_site(policy, audit, f"https://acme.example{path}")
    assert refused.value.rule == "colleague-page"
    assert [row.url for row in audit.rows()] == ["https://acme.example/"]


@pytest.mark.parametrize(("path", "written"), [
    ("/marcus-oyelaran", "/*-*"), ("/?member=marcus-oyelaran", "/?member=*-*"),
    ("/team;member=marcus-oyelaran", "/team;member=*-*"), ("/team.marcus-oyelaran", "/team.*-*"),
    ("/profile.php?id=marcus-oyelaran", "/*.php?*=*-*"), ("/mar%63us-%254Fyelaran", "/*-*"),
    ("/%C3%93lafur_Marcus", "/*_*"), ("/Contact-Us", "/contact-us"), ("/about", "/about"),
    ("/robots.txt", "/robots.txt"), ("/", "/"), ("/meet-the-team/index.html", None),
    ("/get-in-touch?lang=en", "/get-in-touch?*=en"),
])  # fmt: skip
def test_a_row_on_the_adopted_site_keeps_only_a_vocabulary_of_words(
    site: ReplayServer, client: GuardedClient, audit: AuditLog, path: str, written: str | None
) -> None:
    """A hostile review: every URL a connector asks for on an adopted site is the server's
    (a link, a redirect), and /marcus-oyelaran, /?member=..., /team.marcus-oyelaran... were
    sent and written whole, a colleague's name in the row. Its path, parameters and query
    now keep only the words of a fixed vocabulary, read as the server reads them
    (percent-decoded), every other word written *."""
    client.get(site.url(path), extensions={SITE: site.url("/")})
    [row] = _rows(audit)
    assert row.url == site.url(written or path), row


def test_the_readme_lists_the_vocabulary_a_row_keeps() -> None:
    """The README said the vocabulary was "the page words above", and above it named only
    contact, about and team pages: staff, people, leadership, locations and impressum were
    kept too. It lists every word a row keeps, and no other."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    said = readme.partition("only the words of a fixed vocabulary:")[2]
    said = re.split(r"[.;]\s+every other", said, maxsplit=1, flags=re.I)[0]
    assert set(re.findall(r"`([^`]+)`", said)) == KEPT_WORDS


def test_an_adopted_sites_error_and_refused_redirect_name_no_one(
    policy: Policy, audit: AuditLog
) -> None:
    """An error's message names its URL ("... is larger than ... bytes"), and a redirect to a
    scheme httpx cannot follow (mailto:marcus.oyelaran@...) was written whole: both rows of
    an adopted site's requests now name no one."""
    site = "https://acme.example/"
    guard = Guard(policy, audit, connector="business_pages")
    request = httpx.Request("GET", f"{site}team.marcus-oyelaran", extensions={SITE: site})
    url = canonicalize(request.url)
    guard.failed(request, url, skiptrace.errors.SourceError(f"{request.url} is too large"))
    mail = {"Location": "mailto:marcus.oyelaran@acme.example"}
    guard.passed(request, url, httpx.Response(302, headers=mail, request=request))
    whole = repr(audit.rows()).lower()
    assert "oyelaran" not in whole and "marcus" not in whole, whole
    assert [row.url for row in audit.rows()] == [f"{site}team.*-*", f"{site}team.*-*", site]
    assert audit.rows()[0].detail == f"SourceError: {site}team.*-* is too large"


def _failing_get(
    routes: dict[str, Reply],
    path: str,
    error: type[Exception],
    policy: Policy,
    audit: AuditLog,
    asynchronous: bool,
) -> tuple[str, int]:
    """GET ``path`` of a server answering ``routes``, through a guarded client (the async one
    or not), which raises ``error``: the URL asked, and how many requests the server got."""
    with ReplayServer(routes) as server:
        allowed, url = server.allow(policy), server.url(path)
        if asynchronous:

            async def fetch() -> None:
                async with async_guarded_client(purpose="r", policy=allowed, audit=audit) as made:
                    await made.get(url)

            with pytest.raises(error):
                asyncio.run(fetch())
        else:
            with (
                guarded_client(purpose="r", policy=allowed, audit=audit) as made,
                pytest.raises(error),
            ):
                made.get(url)
        return url, len(server.received)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_redirect_httpx_cannot_follow_is_on_the_record(
    policy: Policy, audit: AuditLog, asynchronous: bool
) -> None:
    """httpx cannot parse a Location such as ``http://0177.0.0.1/`` (loopback in octal) and
    ended the request with its own error before any transport saw the hop: the audit log had
    the redirect's row and nothing after it. The error is now on the record, in one line."""
    routes = {"/moved": Reply(301, b"", {"Location": "http://0177.0.0.1/latest"})}
    url, _ = _failing_get(routes, "/moved", httpx.RemoteProtocolError, policy, audit, asynchronous)
    broken = "Invalid URL in location header: Invalid IPv4 address: '0177.0.0.1'."
    assert [(r.event, r.status, r.url, r.detail, r.reason) for r in _rows(audit)] == [
        ("request", 301, url, "", ""),
        ("error", None, url, f"RemoteProtocolError: {broken}", "error"),
    ]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_redirect_loop_stopped_is_on_the_record(
    policy: Policy, audit: AuditLog, asynchronous: bool
) -> None:
    """A loop (/a to /b and back) gave six ``request 302`` rows, then httpx's
    TooManyRedirects, and no row said the chain was stopped: an error row now names the hop
    not followed and why."""
    routes = {"/a": Reply(302, b"", {"Location": "/b"}), "/b": Reply(302, b"", {"Location": "/a"})}
    url, sent = _failing_get(routes, "/a", httpx.TooManyRedirects, policy, audit, asynchronous)
    assert sent == 6  # the default limits.max_redirects is 5
    stopped = "TooManyRedirects: not followed, more than 5 redirects (limits.max_redirects)"
    assert [(r.event, r.status, r.detail, r.reason) for r in _rows(audit)] == [
        *[("request", 302, "", "")] * 6,
        ("error", None, stopped, "error"),
    ]
    assert _rows(audit)[-1].url == url


def test_a_stopped_hop_off_an_adopted_site_names_no_one(policy: Policy, audit: AuditLog) -> None:
    """The hop not followed was never admitted: off the adopted site, its row keeps the site,
    as a refused hop's does (the site chose it, and a host may be a person's own)."""
    site = "https://acme.example/"
    hop = httpx.Request("GET", "https://marcus-oyelaran.example/cv", extensions={SITE: site})
    Guard(policy, audit).stopped(httpx.TooManyRedirects("too many", request=hop), 5)
    [row] = audit.rows()
    assert (row.event, row.url) == ("error", site)
    assert "oyelaran" not in repr(row).lower()
