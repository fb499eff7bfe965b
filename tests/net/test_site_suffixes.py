"""A host that is a public suffix of the Public Suffix List, ICANN's or a private one, is no
business's own site (``not-a-site``); a name registered under one is (issue 16's review: the
hand-written suffix list beside the real one is gone)."""

from __future__ import annotations

import pytest

from skiptrace.errors import Refused
from skiptrace.net.hardrules import check_site
from skiptrace.net.urls import canonicalize


@pytest.mark.parametrize(
    "host",
    ["netlify.app", "vercel.app", "pages.dev", "myshopify.com", "wixsite.com", "github.io",
     "www.netlify.app", "co.uk", "com", "www.com", "org.uk"],
)  # fmt: skip
def test_a_public_suffix_is_not_a_site(host: str) -> None:
    with pytest.raises(Refused) as refused:
        check_site(canonicalize(f"https://{host}/"))
    assert refused.value.rule == "not-a-site"


@pytest.mark.parametrize(
    "host",
    ["acme.netlify.app", "acme.vercel.app", "acme.pages.dev", "acme.myshopify.com",
     "acme.wixsite.com", "acme.github.io", "acme-plumbing.co.uk", "www.acme.example"],
)  # fmt: skip
def test_a_name_under_a_public_suffix_is_a_site(host: str) -> None:
    check_site(canonicalize(f"https://{host}/"))


@pytest.mark.parametrize(
    ("host", "said"),
    [("intranet", "intranet is a single label"),
     ("www.com", "www.com is www. before the single label com"),
     ("co.uk", "co.uk is a public suffix"), ("www.co.uk", "www.co.uk is a public suffix")],
)  # fmt: skip
def test_the_refusal_says_what_the_host_is(host: str, said: str) -> None:
    """A review: www.com was refused as "a single label", which it is not."""
    with pytest.raises(Refused) as refused:
        check_site(canonicalize(f"https://{host}/"), frozenset())
    assert refused.value.detail.startswith(said), refused.value.detail
