"""A password or a session id a URL carries is never written to the audit log, whichever rule
refuses the URL: the ``userinfo`` rule refuses it with the URL's origin alone, but other rules
looked first and refused with the whole URL (a Zoom link's ``?pwd=``, a password sent to a
loopback address, beside ``?_method=POST``, to a contact host, by POST), and a URL no rule could
read (a dot segment sent as written) was logged with its ``user:password@``."""

from __future__ import annotations

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import Refused
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

SECRET = "Hunter2Secret"


@pytest.fixture(scope="module")
def default_policy() -> Policy:
    return load_policy()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"https://zoom.us/j/85512345678?pwd={SECRET}"),
        ("GET", f"http://127.0.0.1/members?password={SECRET}"),
        ("GET", f"https://www.acme-plumbing.example/a?_method=POST&password={SECRET}"),
        ("GET", f"https://wa.me/15558675309?pwd={SECRET}"),
        ("GET", f"ftp://www.acme-plumbing.example/a?password={SECRET}"),
        ("GET", f"https://www.acme-plumbing.example/staff;jsessionid={SECRET}?action=sendsms"),
        ("POST", f"https://www.acme-plumbing.example/members?password={SECRET}"),
        ("GET", f"https://bob:{SECRET}@www.acme-plumbing.example/a/%2e%2e/staff"),
        ("GET", f"https://bob:x@www.acme-plumbing.example/a?password={SECRET}"),
    ],
)
def test_a_credential_is_not_in_the_refused_url(
    method: str, url: str, default_policy: Policy
) -> None:
    with pytest.raises(Refused) as refused:
        evaluate(method, url, default_policy)
    assert SECRET not in refused.value.url
    assert SECRET not in refused.value.detail


def test_a_meeting_password_is_not_in_the_audit_log(policy: Policy, audit: AuditLog) -> None:
    sent: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with (
        guarded_client(
            purpose="tests", policy=policy, audit=audit, inner=httpx.MockTransport(network)
        ) as client,
        pytest.raises(Refused),
    ):
        client.get(f"https://zoom.us/j/85512345678?pwd={SECRET}")
    assert sent == []
    [row] = [row for row in audit.rows() if row.event != "override"]
    assert row.event == "refused"
    assert SECRET not in row.url
    assert SECRET not in row.detail
