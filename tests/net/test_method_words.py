"""A query parameter that names a method override (``_method``, ``X-HTTP-Method``,
``X-HTTP-Method-Override``, ``_HttpMethod``) asking for another method than GET is refused; a
parameter that only ends in "method" is a page's choice among others (how to ship, pay or be
reached: ``?shipping_method=post``, by post) and no framework takes it for the request's
method. Every key ending in "method" was read as an override, and such a read was refused;
and the methods an override may name are those frameworks take: OData's ``MERGE`` and Rack's
``LINK`` and ``UNLINK`` too, which went out as plain reads."""

from __future__ import annotations

import pytest

from skiptrace.errors import Refused
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
    "query",
    [
        "shipping_method=post",
        "paymentMethod=Post",
        "contact-method=post",
        "delivery_method=POST",
        "sort_method=options",
    ],
)
def test_a_choice_named_method_is_read(query: str, default_policy: Policy) -> None:
    assert _rule(f"{SITE}/order-info?{query}", default_policy) is None


@pytest.mark.parametrize(
    "query",
    [
        "__method=PUT",
        "X-Method-Override=PATCH",
        "__METHOD_OVERRIDE__=DELETE",
        "http_method=DELETE",
        "X-HTTP-Method=MERGE",
        "_method=LINK",
    ],
)
def test_an_override_is_refused(query: str, default_policy: Policy) -> None:
    assert _rule(f"{SITE}/contacts/7?{query}", default_policy) == "method"
