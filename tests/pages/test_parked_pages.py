"""Parking and broker pages as they word a domain's sale: never a business's own site."""

from __future__ import annotations

import pytest

from skiptrace.pages import for_sale


@pytest.mark.parametrize(
    "said",
    [
        "This domain is available for sale!",
        "harborlaneplumbing.com is available for sale",
        "The domain name HarborLanePlumbing.com is currently available for sale.",
        "harborlaneplumbing.com is listed for sale",
        "Domain available for sale. Inquire now.",
    ],
)
def test_a_domain_available_or_listed_for_sale_is_parked(said: str) -> None:
    """A review: "is available for sale" and "is listed for sale" passed (only "is for sale"
    and "is available for purchase" were read), so a parking page titled with the employer's
    name was adopted as the employer's site."""
    html = f"<html><title>Harbor Lane Plumbing</title><p>{said}</p></html>".encode()
    assert for_sale("Harbor Lane Plumbing", html)


@pytest.mark.parametrize(
    "said",
    [
        "Gift cards available for sale at the counter.",
        "Everything available for sale on this website ships free.",
        "Our website lists homes available for sale in Springfield.",
    ],
)
def test_what_a_business_has_for_sale_is_not_its_domain(said: str) -> None:
    html = f"<html><title>Harbor Lane Realty</title><p>{said}</p></html>".encode()
    assert not for_sale("Harbor Lane Realty", html)


def test_a_website_used_for_a_purchase_is_not_for_sale() -> None:
    html = b"<html><p>Use this website for purchase orders and invoices.</p></html>"
    assert not for_sale("Harbor Lane Supply", html)
