"""A query parameter that asks the server to treat a GET as another method (``?_method=POST``,
``?X-HTTP-Method-Override=DELETE``, Salesforce's ``?_HttpMethod=PATCH``) is refused as the
method itself is: the header spelling was refused, the query one went out as a plain read."""

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


def _refusal(url: str, policy: Policy) -> Refused | None:
    try:
        evaluate("GET", url, policy)
    except Refused as refusal:
        return refusal
    return None


@pytest.mark.parametrize(
    "query",
    [
        "_method=POST",
        "_method=delete",
        "_METHOD=Put",
        "X-HTTP-Method-Override=DELETE",
        "x_http_method=PATCH",
        "_HttpMethod=PATCH",
        "id=7;_method=post",
        "_method=%50OST",
        "_method=+POST+",
    ],
)
def test_a_method_override_in_the_query_is_refused_as_the_method(
    query: str, default_policy: Policy
) -> None:
    refusal = _refusal(f"{SITE}/contacts/7?{query}", default_policy)
    assert refusal is not None and refusal.rule == "method"
    assert "GET" in refusal.detail


@pytest.mark.parametrize(
    "query",
    ["_method=GET", "method=head", "method=flickr.people.getInfo", "payment=post", "q=delete"],
)
def test_a_read_or_an_api_call_named_method_is_sent(query: str, default_policy: Policy) -> None:
    assert _refusal(f"{SITE}/services?{query}", default_policy) is None


def test_the_override_is_never_sent_and_its_refusal_is_audited_as_the_method(
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
        client.get(f"{SITE}/contacts/7", params={"_method": "DELETE"})
    assert sent == []
    [row] = [row for row in audit.rows() if row.event != "override"]
    assert (row.event, row.rule, row.url) == (
        "refused",
        "method",
        f"{SITE}/contacts/7?_method=DELETE",
    )
