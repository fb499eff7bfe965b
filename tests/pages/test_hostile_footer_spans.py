"""Hostile pages against the reading of a footer's address by its elements (a street read to
the end of its element, a town in an element of its own): bounded work, and no part
addressed to a person kept on the street's line."""

from __future__ import annotations

import time

from skiptrace.pages import read_page

URL = "https://harborlane.example/"


def test_a_long_run_of_streets_above_the_town_is_read_in_linear_time() -> None:
    """Each start of the last street line in the text after the page's last element edge had
    been read to the text's end: 16,000 of them took 17 s."""
    page = f"<html><body><p>{'12 Main St ' * 8_000}<br>Springfield, IL 62701</p></body></html>"
    started = time.process_time()
    read_page(page, URL)
    assert time.process_time() - started < 1.0
