"""A birth year or month written alone beside a whole date: agreeing as far as it goes is no
disagreement (voter files print the year alone; the debtor file has the whole date)."""

from __future__ import annotations

import pytest

from skiptrace import link_records, score_pair
from skiptrace.matching import rarity

HOME = "12 Oak St, Springfield, IL 62704"
DEBTOR = {"full_name": "John Roe", "address": HOME, "dob": "1980-05-01"}


@pytest.mark.parametrize("written", ["1980", "05/1980", "1980-05"])
def test_a_year_or_month_the_whole_date_begins_with_is_no_disagreement(written: str) -> None:
    """The debtor's own record at his home with his birth year alone was "date of birth:
    differs ... parent and child?", 0.000: read as missing, it is him, as a record giving no
    date is."""
    scored = score_pair(DEBTOR, {**DEBTOR, "dob": written})
    assert scored.band == "high", scored
    assert not scored.relation
    assert "date of birth: differs" not in scored.words
    undated = score_pair(DEBTOR, {**DEBTOR, "dob": ""})
    assert scored.score == undated.score


@pytest.mark.parametrize("written", ["1955", "06/1980", "1955-05"])
def test_a_year_or_month_the_whole_date_does_not_begin_with_still_differs(written: str) -> None:
    """1955 against 1980-05-01 at one address is a father and son still."""
    scored = score_pair(DEBTOR, {**DEBTOR, "dob": written})
    assert scored.band == "low", scored
    assert "date of birth: differs" in scored.words


def test_the_year_alone_beside_the_whole_date_links_in_a_file() -> None:
    """The same through ``link_records``, the debtor's year-only record beside his father's."""
    register = [{**DEBTOR, "dob": "1980"}, {"full_name": "John Roe", "address": HOME,
                                            "dob": "1950"}]  # fmt: skip
    links = link_records([DEBTOR], register)
    assert [(k.right, k.band) for k in links] == [(0, "high")]


@pytest.mark.parametrize(("written", "born_per_date"), [("1980", 60), ("05/1980", 720)])
def test_a_common_name_and_a_year_or_month_alone_score_by_their_namesakes(
    written: str, born_per_date: int
) -> None:
    """John Smith born in 1980 is one of about 447 (27,000 over 60 birth years): at most
    1/(1 + 447/2.3), as the name alone would be with that many namesakes. The name's own
    reading, which an agreeing date may not lower, had counted the date's weight as well:
    0.072 for the year and the month alike."""
    scored = score_pair({"full_name": "John Smith", "dob": written},
                        {"full_name": "John Smith", "dob": written})  # fmt: skip
    born = rarity.namesakes("John", "Smith") / born_per_date
    assert scored.score == pytest.approx(1 / (1 + born / 2.3), abs=1e-3), scored
    alone = score_pair({"full_name": "John Smith"}, {"full_name": "John Smith"})
    assert scored.score > alone.score  # an agreeing date lowers no score
