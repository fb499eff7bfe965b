"""business_pages on a contact page that writes its mailing address as a letter's block (a
label, the business's name, the street) and a footer that writes its notice and its address
on one line: the record carries the labelled mailing address, written as the page writes it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import load_policy
from skiptrace.records import Query
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy
from skiptrace.testing.runs import OneRun, Search

SHOP = {"@type": "PostalAddress", "streetAddress": "418 Dockside Ave",
        "addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62703"}  # fmt: skip
HOME = (
    "<html><head><title>Harbor Lane Plumbing | Springfield, IL</title>"
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Plumber", '
    f'"name": "Harbor Lane Plumbing", "address": {json.dumps(SHOP)}}}</script>'
    '</head><body><a href="/contact">Contact</a>{footer}</body></html>'
)
ROUTES: dict[str, Reply] = {}


def _html(text: str) -> Reply:
    return Reply(200, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture(scope="module")
def search(one_run: OneRun) -> Iterator[tuple[Search, ReplayServer]]:
    with ReplayServer(lambda _method, path: ROUTES.get(path.partition("?")[0])) as server:
        policy = loopback_policy(load_policy(), "tests on loopback", server)
        connector = load_manifest(builtin_dir("connectors") / "business_pages.toml")
        with one_run(policy, connector) as searching:
            yield searching, server


def _address(search: tuple[Search, ReplayServer], contact: str, footer: str = "") -> str:
    searching, server = search
    ROUTES.clear()
    ROUTES.update({"/": _html(HOME.replace("{footer}", footer)),
                   "/contact": _html(f"<html><body>{contact}</body></html>")})  # fmt: skip
    result = searching(Query.of("D-1", full_name="Dana Whitfield", employer="Harbor Lane Plumbing",
                                city="Springfield", state="IL",
                                employer_website=server.url("/")))  # fmt: skip
    assert result.status == "hit", result.detail
    return result.records[0].employer_address.one_line().removesuffix(", US")


def test_a_labelled_mailing_block_beats_the_shop_in_the_markup(
    search: tuple[Search, ReplayServer],
) -> None:
    """A review: the business's name between "Mailing Address" and the street hid the label,
    and the shop in the home page's JSON-LD was written as the mailing address."""
    contact = ("<h4>Mailing Address</h4><address>Harbor Lane Plumbing<br>2291 Elm St<br>"
               "Springfield, IL 62705</address>")  # fmt: skip
    assert _address(search, contact) == "2291 Elm St, Springfield, IL 62705"


def test_a_copyright_year_is_not_written_into_the_mailing_address(
    search: tuple[Search, ReplayServer],
) -> None:
    """A review: "(c) 2024 Harbor Lane Plumbing, LLC. PO Box 2291, ..." was written as the
    mailing address "2024 Harbor Lane Plumbing, LLC. PO Box 2291, Springfield, IL 62705"."""
    footer = ("<footer>&copy; 2024 Harbor Lane Plumbing, LLC. PO Box 2291, Springfield, "
              "IL 62705</footer>")  # fmt: skip
    assert _address(search, "<h1>Contact</h1>", footer) == "PO Box 2291, Springfield, IL 62705"
