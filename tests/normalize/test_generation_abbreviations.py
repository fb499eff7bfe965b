"""A generation written as old registers and style guides abbreviate it ("2d", "3d", "Jun.",
"Sen.", "Junr") is the suffix, never a surname, middle name or given name."""

from __future__ import annotations

import pytest

from skiptrace.normalize import parse_name
from skiptrace.normalize.names import canonical_suffix


@pytest.mark.parametrize(("text", "suffix"), [
    ("John Smith 2d", "ii"), ("John Smith 3d", "iii"), ("John Smith, 2d", "ii"),
    ("SMITH, JOHN 3D", "iii"), ("John Smith Jun.", "jr"),
    ("John Smith, Jun.", "jr"), ("SMITH, JOHN JUN.", "jr"), ("Smith, John, Jun.", "jr"),
    ("John Smith Sen.", "sr"), ("John Smith, Sen.", "sr"), ("SMITH, JOHN SEN.", "sr"),
    ("John Smith Junr", "jr"), ("John Smith Senr.", "sr"), ("john smith 3d", "iii"),
])  # fmt: skip
def test_an_abbreviated_generation_is_the_suffix(text: str, suffix: str) -> None:
    parsed = parse_name(text)
    assert (parsed.first, parsed.middle, parsed.last, parsed.suffix) == (
        "john", "", "smith", suffix), parsed  # fmt: skip
    assert parse_name(parsed.full()) == parsed


@pytest.mark.parametrize(("text", "last"), [
    ("Amartya Sen", "sen"), ("Kim Jun", "jun"), ("Sen. John Smith", "smith"),
    ("Kim Jun.", "jun"), ("John Smith Jun", "jun"),
])  # fmt: skip
def test_a_name_that_spells_like_one_is_still_a_name(text: str, last: str) -> None:
    parsed = parse_name(text)
    assert parsed.last == last and parsed.suffix == "", parsed


@pytest.mark.parametrize(("word", "kind"), [("2d", "ii"), ("3d", "iii"), ("junr", "jr"),
                                            ("senr", "sr")])  # fmt: skip
def test_the_abbreviations_have_a_canonical_suffix(word: str, kind: str) -> None:
    assert canonical_suffix(word) == kind
