"""A query parameter that asks the server to treat a GET as another method (``?_method=POST``,
``?X-HTTP-Method-Override=DELETE``, ``X-HTTP-Method``, Salesforce's ``?_HttpMethod=PATCH``) is
refused as the method itself is: the header spelling was refused, the query one went out as a
plain read. Only an override's own keys count: a parameter that only ends in "method" is a
page's choice among others (``?shipping_method=post``, by post), and had been refused; and the
methods an override may name are those frameworks take, OData's ``MERGE`` and Rack's ``LINK``
and ``UNLINK`` too."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from skiptrace.audit import AuditRow

SITE = "https://www.acme-plumbing.example"


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
        "__method=PUT",
        "X-Method-Override=PATCH",
        "__METHOD_OVERRIDE__=DELETE",
        "http_method=DELETE",
        "X-HTTP-Method=MERGE",
        "_method=LINK",
    ],
)
def test_a_method_override_in_the_query_is_refused_as_the_method(
    query: str, rule_of: Callable[[str], str | None]
) -> None:
    assert rule_of(f"{SITE}/contacts/7?{query}") == "method"


@pytest.mark.parametrize(
    "query",
    [
        "_method=GET",
        "method=head",
        "method=flickr.people.getInfo",
        "payment=post",
        "q=delete",
        "shipping_method=post",
        "paymentMethod=Post",
        "contact-method=post",
        "delivery_method=POST",
        "sort_method=options",
    ],
)
def test_a_read_an_api_call_or_a_choice_named_method_is_sent(
    query: str, rule_of: Callable[[str], str | None]
) -> None:
    assert rule_of(f"{SITE}/services?{query}") is None


def test_the_override_is_never_sent_and_its_refusal_is_audited_as_the_method(
    refused_unsent: Callable[[str], AuditRow],
) -> None:
    row = refused_unsent(f"{SITE}/contacts/7?_method=DELETE")
    assert (row.rule, row.url) == ("method", f"{SITE}/contacts/7?_method=DELETE")
    assert "GET" in row.detail
