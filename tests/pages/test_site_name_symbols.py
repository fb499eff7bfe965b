"""A site's name with a person's name appended in letters the name comparison could not read
(enclosed letters, another script) or in symbols and invisible characters it skipped: the
employer's name as written is what the business record keeps (``found_employer``)."""

from __future__ import annotations

import pytest

from skiptrace.normalize import normalize_company
from skiptrace.pages import agreeing_name, is_named, read_page

EMPLOYER = "Acme Plumbing"


def named(site_name: str) -> str:
    html = (
        '<html><head><title>Home</title><meta property="og:site_name" '
        f'content="{site_name}"></head><body></body></html>'
    )
    return agreeing_name(read_page(html, "https://acme.example/"), EMPLOYER)


@pytest.mark.parametrize(
    "site_name",
    [
        "Acme Plumbing \U0001f17c\U0001f170\U0001f181\U0001f172\U0001f184\U0001f182",
        "Acme Plumbing \U0001f15c\U0001f150\U0001f161\U0001f152\U0001f164\U0001f162",
        "Acme Plumbing \U0001f1f2\U0001f1e6\U0001f1f7\U0001f1e8\U0001f1fa\U0001f1f8",
        "Acme Plumbing \u041c\u0430\u0440\u043a\u0443\u0441",  # Cyrillic
    ],
    ids=["negative squared", "negative circled", "regional indicators", "cyrillic"],
)
def test_a_name_in_letters_the_comparison_cannot_read_is_a_word_more(site_name: str) -> None:
    """A review: "Acme Plumbing 🅼🅰🆁🅲🆄🆂" counted as the employer's site name (the squared
    letters were no letters to the comparison) and was written as the employer, his name in
    it. Those letters are read as letters, and letters of a script the comparison cannot read
    are a word more: another business's name, or a person's."""
    assert named(site_name) == ""
    assert not is_named(site_name, normalize_company(EMPLOYER))


@pytest.mark.parametrize(
    "site_name",
    [
        "Acme Plumbing \u280d\u2801\u2817\u2809\u2825\u280e",  # braille
        "Acme Plumbing\U000e004d\U000e0061\U000e0072\U000e0063",  # invisible tag letters
        "Acme Plumbing \u036b\u0363\u036c\u0368",  # combining letters on no letter
        "Acme Plumbing \U0001f527",  # an emoji
    ],
    ids=["braille", "tags", "combining letters", "emoji"],
)
def test_what_the_comparison_skips_is_not_written(site_name: str) -> None:
    """Symbols, marks on no letter and invisible characters are no part of a name compared,
    and may spell one: the name written is what was compared."""
    assert named(site_name) == "Acme Plumbing"


def test_letters_written_otherwise_are_still_the_name() -> None:
    assert named("\uff21\uff43\uff4d\uff45 Plumbing") == "Acme Plumbing"  # full-width
    assert named("A+ Plumbing") == ""  # another business, its "+" kept
    assert named("Acme Plumbing & Heating") == ""


@pytest.mark.parametrize(
    "site_name",
    [
        "Acme Plumbing dba Marcus Oyelaran",
        "Acme Plumbing, LLC d/b/a Oyelaran Drains",
        "Acme Plumbing a.k.a. Marcus Oyelaran",
        "Acme Plumbing fka Oyelaran Bros",
        "Acme Plumbing formerly known as Oyelaran & Sons",
    ],
)
def test_a_name_the_comparison_reads_only_in_part_is_not_the_employers(site_name: str) -> None:
    """A review: the comparison reads a name's legal part, before a "d/b/a" or "f.k.a.", and
    "Acme Plumbing dba Marcus Oyelaran" was written whole as the employer. The part after is
    a name more: another business's, or a person's."""
    assert named(site_name) == ""


@pytest.mark.parametrize(
    "site_name", ["Acme Plumbing, LLC", "The Acme Plumbing Co.", "DBA Acme Plumbing"]
)
def test_a_name_read_whole_is_written_as_it_is(site_name: str) -> None:
    assert named(site_name) == site_name
