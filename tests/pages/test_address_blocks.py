"""Addresses as small businesses write them in blocks: the business's name between a label and
its delivery lines, and a copyright notice or a founding year on the address's own line."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/contact"
SHOP = "418 Dockside Ave, Springfield, IL 62703"


def kinds(body: str) -> dict[str, str]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return {a.one_line(): a.kind for a in page.addresses}


@pytest.mark.parametrize(
    "footer",
    [
        f"&copy; 2024 Harbor Lane Plumbing &middot; {SHOP}",
        f"Copyright 2024 Harbor Lane Plumbing | {SHOP}",
        f"&copy; 2024 Harbor Lane Plumbing, {SHOP}",
        f"&copy; 2019-2024 Harbor Lane Plumbing {SHOP}",
        f"Since 1987 Harbor Lane Plumbing, {SHOP}",
        f"Est. 1987 &middot; Harbor Lane Plumbing &middot; {SHOP}",
    ],
)
def test_a_year_on_the_address_s_line_is_no_street_number(footer: str) -> None:
    """A review: "(c) 2024 Harbor Lane Plumbing, 418 Dockside Ave, ..." in a footer gave the
    delivery lines "2024 Harbor Lane Plumbing" and "418 Dockside Ave": the copyright year
    read as a house number (any number then a word is a street line)."""
    assert list(kinds(f"<footer><p>{footer}</p></footer>")) == [SHOP]


def test_a_po_box_after_a_copyright_notice_is_the_box_alone() -> None:
    footer = "&copy; 2024 Harbor Lane Plumbing, LLC. PO Box 2291, Springfield, IL 62705"
    assert kinds(f"<footer>{footer}</footer>") == {"PO Box 2291, Springfield, IL 62705": "po_box"}


def test_a_street_numbered_like_a_year_is_still_a_street() -> None:
    """Only a year told as one (after a copyright mark, "since", "est.") is skipped."""
    assert list(kinds("<p>Visit us: 1987 Harbor Lane, Springfield, IL 62703</p>")) == [
        "1987 Harbor Lane, Springfield, IL 62703"
    ]
