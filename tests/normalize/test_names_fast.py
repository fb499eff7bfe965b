"""parse_name's fast path for plain "Last, Given M" / "Given M Last" gives nameparser's order."""

from __future__ import annotations

from string import ascii_letters

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nameparser import HumanName

from skiptrace.normalize import names

WORDS = ["smith", "JOHN", "a", "Q", "roe", "Mary-Ann", "van", "de", "jr", "iii", "dr", "ab",
         "bey", "priest", "y", "e", "st", "Chase", "SARAH", "c", "elton", "v", "mac", "nee", "Geb",
         "z", "domu"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(ascii_letters, min_size=1, max_size=8),
                   min_size=1, max_size=4),
    comma=st.booleans(),
)  # fmt: skip
def test_fast_path_agrees_with_nameparser(words: list[str], comma: bool) -> None:
    text = f"{words[0]}, {' '.join(words[1:])}" if comma and len(words) > 1 else " ".join(words)
    fast = names._plain_tokens(text)
    if fast is None:
        return
    human = HumanName(text)
    parts = (*human.first_list, *human.middle_list, *human.last_list)
    assert not human.suffix_list and not human.title_list
    assert fast == [w for part in parts for w in names._words(part)]


def test_the_fast_path_leaves_titles_suffixes_and_particles_to_nameparser() -> None:
    for text in ("Dr Jane Roe", "John Smith Jr", "Jan van Berg", "SMITH, JOHN V", "J. Q. Roe",
                 "Kim Nee Bob", "Anna z domu Nowak"):  # fmt: skip
        assert names._plain_tokens(text) is None
    assert names._plain_tokens("SMITH, JOHN A") == ["john", "a", "smith"]


@pytest.mark.parametrize(
    "text",
    ["Jane Smith nee Jones", "Jane Smith geb. Jones", "Jane Smith z domu Jones",
     "Jane Smith née Jones", "Jane Smith född Jones", "Jane Smith født Jones",
     "Jane Smith rozená Jones", "jane smith nee jones", "SMITH, JANE NEE JONES",
     "Jane Smith, née Jones", "Jane Smith, nee Jones", "Jane Smith, z domu Jones",
     "Jane Smith, born Jones", "Jane Smith, born: 1970", "Jane Smith, née: Jones"],
)  # fmt: skip
def test_a_maiden_name_after_a_birth_name_marker_is_not_the_surname(text: str) -> None:
    """nameparser 2.x reads "nee", "geb.", "z domu" as a birth-name marker: neither the fast
    path (nor the lower-case one) may read the maiden name as the surname, an accented marker
    ("née", "född") is read before the name is folded to ASCII ("ne", "fodd" are no markers),
    and nameparser's middle names "nee jones" are her birth name."""
    parsed = names.parse_name(text)
    assert (parsed.first, parsed.middle, parsed.last) == ("jane", "", "smith")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("John Smith, né Jones, Jr", ("john", "smith", "jr")),
     ("Jean Dupont, né Martin, Sr.", ("jean", "dupont", "sr")),
     ("SMITH, NEE JONES, JANE", ("jane", "smith", "")),
     ("Smith, geb. Jones, Jane", ("jane", "smith", ""))],
)  # fmt: skip
def test_the_parts_after_a_birth_name_part_are_kept(text: str, expected: tuple[str, ...]) -> None:
    """Only the part that opens with the marker is the birth name: the ", Jr" after it had
    been dropped with it (the son at his father's home then scored 0.4 against "John Smith
    Sr", not 0.0 as another generation), and "SMITH, NEE JONES, JANE" had lost her given name."""
    parsed = names.parse_name(text)
    assert (parsed.first, parsed.last, parsed.suffix) == expected
    assert names.parse_name(parsed.full()) == parsed


def test_a_surname_that_is_a_marker_word_stays_a_surname() -> None:
    assert (names.parse_name("Jane Nee").last, names.parse_name("jane nee").last) == ("nee", "nee")
    assert names.parse_name("Smith, Nee").first == "nee"  # a given name, no birth name after
    assert names.parse_name("Max Born").last == "born"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("José Z García", ("jose", "z", "garcia")), ("Anna Z Kowalská", ("anna", "z", "kowalska")),
     ("Zoë Domu Smith", ("zoe", "domu", "smith"))],
)  # fmt: skip
def test_a_word_of_a_two_word_marker_alone_is_a_name(text: str, expected: tuple[str, ...]) -> None:
    """A lone "z" is no birth-name marker ("z domu" is): an accented name with a middle initial
    Z had been read as "José née García", the surname lost."""
    parsed = names.parse_name(text)
    assert (parsed.first, parsed.middle, parsed.last) == expected
    assert names.parse_name(parsed.full()) == parsed


@pytest.mark.parametrize(
    "text",
    ["Jane Smith née", "Jane Smith Geb.", "Jane Smith, b. 1970", "Jane Smith, 1970-05-01",
     "Jane Smith, DOB: 05/01/1970", "Smith, Jane, b. 1970"],
)  # fmt: skip
def test_a_marker_with_no_name_after_it_or_a_birth_date_is_no_name(text: str) -> None:
    """An accented or abbreviated marker ending a name ("Jane Smith née") had become her
    surname, "smith" her middle name; a birth note after a comma ("b. 1970") her first name
    "b" and middle name "1970 jane". An unaccented "Nee" ending a name may be one (Jane Smith
    Nee), as "Nee" alone is."""
    parsed = names.parse_name(text)
    assert (parsed.first, parsed.middle, parsed.last) == ("jane", "", "smith")
    assert names.parse_name("Jane Smith Nee").last == "nee"
