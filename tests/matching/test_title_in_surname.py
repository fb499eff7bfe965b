"""A woman's title written in the surname column ("Kowalski (Mrs)") is read as her title and
is no part of the surname: kept in, "kowalski mrs" was a misprint of Kowalski."""

from __future__ import annotations

import pytest

from skiptrace import score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize("surname", ["Kowalski (Mrs)", "Kowalski, Mrs.", "Mrs Kowalski"])
def test_the_title_in_the_surname_column_is_her_title_not_her_surname(surname: str) -> None:
    scored = score_pair({"full_name": "Thomas Kowalski", **HOME},
                        {"first_name": "Thomas", "last_name": surname, **HOME})  # fmt: skip
    assert "last=" in scored.matched_on.split(","), scored
    assert "last name: exact" in scored.words
    assert scored.words.endswith("styled by a husband's name (Mrs.): perhaps his wife")
    assert scored.band == "medium"


def test_a_surname_that_is_only_such_a_word_stays_the_surname() -> None:
    """Miss is a surname too: alone in the column, it is hers."""
    scored = score_pair({"full_name": "Ann Miss", **HOME},
                        {"first_name": "Ann", "last_name": "Miss", **HOME})  # fmt: skip
    assert "name=" in scored.matched_on.split(","), scored
