"""A street run into a part addressed to a person with no separator ("12 Main St Attn Marcus
Oyelaran Springfield, IL 62701", spans in a footer) keeps its whole street line: the town
after the name is not read (where the name ends cannot be told), the street and ZIP are."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/contact"


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("12 Main St Attn Marcus Oyelaran Springfield, IL 62701", "12 Main St"),
        ("12 Main St Attn Marcus Oyelaran Springfield IL 62701", "12 Main St"),
        ("12 Harbor Lane care of Marcus Oyelaran Springfield, IL 62705", "12 Harbor Lane"),
        ("<span>418 Dockside Ave</span> <span>Attn Marcus Oyelaran</span> "
         "<span>Springfield, IL 62703</span>", "418 Dockside Ave"),
    ],
)  # fmt: skip
def test_the_street_before_an_addressee_is_kept_whole(text: str, street: str) -> None:
    """A review: with no colon after "Attn" the town's match began at the street's name, and
    the street line was its number alone ("12"), which the records wrote as the business's
    mailing address ("12, IL 62701")."""
    [found] = read_page(f"<html><body><p>{text}</p></body></html>", URL).addresses
    assert found.lines == (street,)
    assert "Oyelaran" not in repr((found.lines, found.city))
