"""Credentials a URL carries past its host are refused as those before it are (rule
``userinfo``): a password in the query logs in by GET at a site that reads it there, and a
session id in the query or a path parameter (PHP's ``PHPSESSID``, a Java server's
``;jsessionid=``, which Tomcat reads by default) is a session cookie by another name: a
connector could browse as the logged-in account whose session it holds.

Nor is a credential ever written to the audit log, whichever rule refuses the URL: ``userinfo``
refuses it with the URL's origin alone, but other rules looked first and refused with the whole
URL (a Zoom link's ``?pwd=``, a password sent to a loopback address, beside ``?_method=POST``,
to a contact host, by POST), and a URL no rule could read (a dot segment sent as written) was
logged with its ``user:password@``."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from skiptrace.audit import AuditLog, AuditRow
from skiptrace.errors import Refused
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import evaluate
from skiptrace.net.hardrules import without_credentials
from skiptrace.policy import Policy, load_policy
from skiptrace.testing.replay import ReplayServer, Reply

SITE = "https://www.acme-plumbing.example"
SECRET = "Hunter2Secret"


@pytest.mark.parametrize(
    "rest",
    [
        "/members/area.php?user=bob&password=hunter2",
        "/members?login=bob&pwd=hunter2",
        "/j_security_check?j_username=bob&j_password=hunter2",
        "/staff?Passwd=x",
        "/staff?PHPSESSID=0123456789abcdef",
        "/staff?sessionid=0123456789abcdef",
        "/staff;jsessionid=0123456789ABCDEF",
        "/staff;JSESSIONID=0123456789ABCDEF/list",
        "/staff%3Bjsessionid=0123456789ABCDEF",
        "/staff?id=7;phpsessid=0123456789abcdef",
    ],
)
def test_a_password_or_a_session_in_a_url_is_refused(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    assert rule_of(SITE + rest) == "userinfo"


@pytest.mark.parametrize(
    "rest",
    [
        "/staff?password=",
        "/blog/how-to-reset-your-password",
        "/sessions/2024-spring?id=3",
        "/search?q=password+manager",
        "/api?pageToken=abc&passage=12",
    ],
)
def test_a_page_about_passwords_or_sessions_is_sent(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    assert rule_of(SITE + rest) is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"https://zoom.us/j/85512345678?pwd={SECRET}"),
        ("GET", f"http://127.0.0.1/members?password={SECRET}"),
        ("GET", f"{SITE}/a?_method=POST&password={SECRET}"),
        ("GET", f"https://wa.me/15558675309?pwd={SECRET}"),
        ("GET", f"ftp://www.acme-plumbing.example/a?password={SECRET}"),
        ("GET", f"{SITE}/staff;jsessionid={SECRET}?action=sendsms"),
        ("POST", f"{SITE}/members?password={SECRET}"),
        ("GET", f"https://bob:{SECRET}@www.acme-plumbing.example/a/%2e%2e/staff"),
        ("GET", f"https://bob:x@www.acme-plumbing.example/a?password={SECRET}"),
        ("GET", f"http://bob:{SECRET}@[::1/staff"),  # no parser reads these: invalid-url
        ("GET", f"http://[::1/staff?password={SECRET}"),
        ("GET", f"http://[::1/staff;jsessionid={SECRET}"),
        ("GET", f"http://acme plumbing.example/staff?password={SECRET}"),  # a host no name
        # a password holding '/', '?' or '#' ends the authority where a parser looks for it
        ("GET", f"https://bob:pa/{SECRET}@www.acme-plumbing.example/"),
        ("GET", f"https://bob:{SECRET}/x@www.acme-plumbing.example/"),  # httpx: Invalid port
        ("GET", f"https://bob:{SECRET}?x@www.acme-plumbing.example/"),
        ("GET", f"https://bob:{SECRET}#x@www.acme-plumbing.example/"),
        ("GET", f"https:/bob:{SECRET}@acme plumbing.example/"),  # no '://'
        ("GET", f"https:\\\\bob:{SECRET}@acme plumbing.example/"),
    ],
)
def test_a_credential_is_not_in_the_refused_url(method: str, url: str) -> None:
    with pytest.raises(Refused) as refused:
        evaluate(method, url, load_policy())
    assert SECRET not in refused.value.url
    assert SECRET not in refused.value.detail
    assert SECRET not in without_credentials(url)  # as its audit row names it


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        (f"{SITE}/staff;jsessionid={SECRET}", "userinfo"),
        (f"https://zoom.us/j/85512345678?pwd={SECRET}", "contact-link"),
    ],
)
def test_a_credential_is_never_sent_nor_in_the_audit_log(
    url: str, rule: str, refused_unsent: Callable[[str], AuditRow]
) -> None:
    row = refused_unsent(url)
    assert row.rule == rule
    assert SECRET not in row.url and SECRET not in row.detail


@pytest.mark.parametrize(
    "location",
    [
        f"/next?password={SECRET}",
        f"/next;jsessionid={SECRET}",
        f"http://bob:{SECRET}@www.acme-plumbing.example/next",
    ],
)
def test_a_credential_in_a_redirect_not_followed_is_not_in_the_audit_log(
    location: str, policy: Policy, audit: AuditLog
) -> None:
    """A hop past ``limits.max_redirects`` is never admitted, so no rule cut its credential
    out: its row had the server's Location whole (a ``;jsessionid=`` a Java site adds for a
    client without cookies, a ``user:password@``)."""
    hops = {f"/{n}": Reply(302, b"", {"Location": f"/{n + 1}"}) for n in range(5)}
    routes = {**hops, "/5": Reply(302, b"", {"Location": location})}
    with ReplayServer(routes) as server:
        allowed = server.allow(policy)
        with (
            guarded_client(purpose="r", policy=allowed, audit=audit) as client,
            pytest.raises(httpx.TooManyRedirects),
        ):
            client.get(server.url("/0"))
    stopped = audit.rows()[-1]
    assert stopped.event == "error"
    assert SECRET not in repr(audit.rows())


@pytest.mark.parametrize(
    ("location", "rule"),
    [
        (f"ftp://bob:{SECRET}@files.acme-plumbing.example/list", "scheme"),
        (f"sftp://bob:{SECRET}@files.example/", "scheme"),
        (f"http://bob:{SECRET}@[::1/list", "invalid-url"),
        (f"http://[::1/list?password={SECRET}", "invalid-url"),
    ],
)
def test_a_credential_in_a_redirect_no_rule_reads_is_not_in_the_audit_log(
    location: str, rule: str, policy: Policy, audit: AuditLog
) -> None:
    """A redirect to a scheme httpx cannot follow, or to a URL no parser reads, is refused by
    the guard from the Location as written, before any rule reads it: its ``user:password@``
    or ``?password=`` was written whole."""
    with ReplayServer({"/files": Reply(302, b"", {"Location": location})}) as server:
        allowed = server.allow(policy)
        with (
            guarded_client(purpose="r", policy=allowed, audit=audit) as client,
            pytest.raises(Refused) as refused,
        ):
            client.get(server.url("/files"))
    assert refused.value.rule == rule
    assert SECRET not in refused.value.url
    assert SECRET not in repr(audit.rows())
