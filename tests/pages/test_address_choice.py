"""Which of a page's addresses is the business's mailing address: labels in the page's words
and its structure, addresses the page says take no mail, and addresses that are not its own."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/contact"
SHOP = "418 Dockside Ave, Springfield, IL 62703"


def preferred(body: str) -> str:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    chosen = page.preferred_address
    return chosen.one_line() if chosen is not None else ""


def kinds(body: str) -> dict[str, str]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return {a.one_line(): a.kind for a in page.addresses}


@pytest.mark.parametrize(
    ("body", "chosen"),
    [
        ("<p>Old address: PO Box 11, Springfield, IL 62701</p>"
         f"<p>New address: {SHOP}</p>", SHOP),
        (f"<p>Showroom: {SHOP}</p>"
         "<p>Previous mailing address: PO Box 11, Springfield, IL 62701</p>", SHOP),
        (f"<p>Do not send mail here: {SHOP}</p>"
         "<p>77 Commerce Dr, Springfield, IL 62704</p>", "77 Commerce Dr, Springfield, IL 62704"),
        (f"<p>Mail is not accepted at the shop: {SHOP}</p>"
         "<p>77 Commerce Dr, Springfield, IL 62704</p>", "77 Commerce Dr, Springfield, IL 62704"),
        ("<p>Former location: 12 Old Mill Rd, Springfield, IL 62701</p>", ""),
    ],
    ids=["old address", "previous mailing address", "do not send mail", "mail not accepted",
         "only a former one"],
)  # fmt: skip
def test_an_address_the_page_says_takes_no_mail_is_never_chosen(body: str, chosen: str) -> None:
    """ "Old address: PO Box 11" was a PO box and "Do not send mail here:" a mailing address:
    both were chosen as the mailing address."""
    assert preferred(body) == chosen


def test_the_pages_word_against_mail_outlasts_another_copy_of_the_address() -> None:
    body = ("<p>Previous mailing address: PO Box 11, Springfield, IL 62701</p>"
            "<footer>Mailing address: PO Box 11, Springfield, IL 62701</footer>")  # fmt: skip
    assert kinds(body) == {"PO Box 11, Springfield, IL 62701": "former"}
    assert preferred(body) == ""


@pytest.mark.parametrize(
    "label",
    ["Old Town Office", "The Old Mill Showroom", "Harbor Lane Plumbing (formerly Smith Plumbing)",
     "In the former Sears building"],
)  # fmt: skip
def test_old_or_former_naming_something_else_leaves_the_address_usable(label: str) -> None:
    assert preferred(f"<p>{label}: {SHOP}</p>") == SHOP
