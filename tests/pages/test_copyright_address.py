"""A footer's copyright notice that runs on into the business's address names the business
alone: the address after it is no part of the holder's name."""

from __future__ import annotations

import pytest

from skiptrace.pages import agreeing_name, read_page


def holder(footer: str) -> str:
    html = f"<html><head><title>Home</title></head><body><footer><p>{footer}</p></footer></body>"
    return read_page(html, "https://harborlane.example/").copyright


@pytest.mark.parametrize(
    "footer",
    [
        "&copy; 2024 Harbor Lane Plumbing, 418 Dockside Ave, Springfield, IL 62703",
        "&copy; 2024 Harbor Lane Plumbing, PO Box 2291, Springfield, IL 62705",
        "Copyright 2024 Harbor Lane Plumbing, P.O. Box 2291, Springfield, IL 62705",
    ],
)
def test_the_address_after_the_holder_is_not_its_name(footer: str) -> None:
    """A review: the holder read was "Harbor Lane Plumbing, 418 Dockside Ave, Springfield, IL
    62703", which names no business, so a home page titled "Home" and named only by its
    footer was not taken as the employer's site."""
    assert holder(footer) == "Harbor Lane Plumbing"
    html = f"<html><head><title>Home</title></head><body><footer><p>{footer}</p></footer></body>"
    page = read_page(html, "https://harborlane.example/")
    assert agreeing_name(page, "Harbor Lane Plumbing") == "Harbor Lane Plumbing"


@pytest.mark.parametrize(
    ("footer", "name"),
    [
        ("&copy; 2024 Whitaker &amp; Lowe CPAs, PLLC", "Whitaker & Lowe CPAs, PLLC"),
        ("&copy; 2024 Hollis, Pryce &amp; Partners", "Hollis, Pryce & Partners"),
        ("&copy; 2024 Dockside, 3D Printing Co.", "Dockside, 3D Printing Co"),
    ],
)
def test_a_name_with_a_comma_or_a_number_is_kept_whole(footer: str, name: str) -> None:
    assert holder(footer) == name
