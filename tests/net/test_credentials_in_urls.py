"""Credentials a URL carries past its host are refused as those before it are (rule
``userinfo``): a password in the query logs in by GET at a site that reads it there, and a
session id in the query or a path parameter (PHP's ``PHPSESSID``, a Java server's
``;jsessionid=``, which Tomcat reads by default) is a session cookie by another name: a
connector could browse as the logged-in account whose session it holds."""

from __future__ import annotations

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import HardRuleRefusal, Refused
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

SITE = "https://www.acme-plumbing.example"


@pytest.fixture(scope="module")
def default_policy() -> Policy:
    return load_policy()


def _rule(url: str, policy: Policy) -> str | None:
    try:
        evaluate("GET", url, policy)
    except Refused as refusal:
        return refusal.rule
    return None


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
def test_a_password_or_a_session_in_a_url_is_refused(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) == "userinfo"


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
def test_a_page_about_passwords_or_sessions_is_sent(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) is None


def test_a_session_id_is_never_sent_and_its_refusal_is_audited(
    policy: Policy, audit: AuditLog
) -> None:
    sent: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with (
        guarded_client(
            purpose="tests", policy=policy, audit=audit, inner=httpx.MockTransport(network)
        ) as client,
        pytest.raises(HardRuleRefusal),
    ):
        client.get(f"{SITE}/staff;jsessionid=0123456789ABCDEF")
    assert sent == []
    [row] = [row for row in audit.rows() if row.event != "override"]
    assert (row.event, row.rule, row.url) == ("refused", "userinfo", f"{SITE}/")
    assert "0123456789" not in row.detail
