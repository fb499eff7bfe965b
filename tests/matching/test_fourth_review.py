"""A fourth review of the matcher: names printed surname first, and a given name of two words.

- Both records printed surname first with no comma ("SMITH CHRIS" against "SMITH
  CHRISTOPHER"): the surname in the first name columns, the given names in the last name
  columns, where the short form was never looked for: 1.000 ``high``, where the comma form
  and the given name printed first are held to ``medium`` in the household (a short form at
  home: the son, or the spouse Christine).
- "Mary Ann Q Smith" against "MARY Q SMITH" was 0.000 ``low`` (the middle names "Ann Q" and
  "Q" differ: another generation), against "MARY SMITH" 0.940 ``medium``: a middle initial
  that agrees lowered the score."""

from __future__ import annotations

import pytest

from skiptrace.matching import Link, score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


def _scored(debtor: str, record: str) -> Link:
    return score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})


@pytest.mark.parametrize(("debtor", "record", "comma"), [
    ("SMITH CHRIS", "SMITH CHRISTOPHER", ("SMITH, CHRIS", "SMITH, CHRISTOPHER")),
    ("SMITH JO", "SMITH JOANNE", ("SMITH, JO", "SMITH, JOANNE")),
    ("SMITH CHRISTOPHER", "SMITH CHRIS", ("SMITH, CHRISTOPHER", "SMITH, CHRIS")),
    ("SMITH CHRIS", "SMITH CHRISTINE", ("SMITH, CHRIS", "SMITH, CHRISTINE")),
])  # fmt: skip
def test_a_short_form_printed_surname_first_on_both_sides_is_held(
    debtor: str, record: str, comma: tuple[str, str]
) -> None:
    """Held in the household as the comma form is: perhaps the son or the spouse."""
    scored, as_comma = _scored(debtor, record), _scored(*comma)
    assert as_comma.band == "medium" and as_comma.household, as_comma
    assert (scored.band, scored.household) == ("medium", True), scored
    assert scored.score == pytest.approx(as_comma.score), (scored, as_comma)


@pytest.mark.parametrize(("debtor", "record"), [
    ("Nguyen Van Minh", "Nguyen Van Minh"), ("SMITH JOHN", "SMITH JOHN"),
    ("SMITH JOHN", "SMITH JON"), ("SMITH JOHN", "SMITH JANE"),
])  # fmt: skip
def test_other_names_printed_surname_first_on_both_sides_keep_their_scores(
    debtor: str, record: str
) -> None:
    """One person stays ``high``; two given names stay two people."""
    scored = _scored(debtor, record)
    if debtor == record:
        assert scored.band == "high" and not scored.household, scored
    else:
        assert scored.band == "low" and scored.relation == "first_name_differs", scored


@pytest.mark.parametrize(("debtor", "record", "without"), [
    ("Mary Ann Q Smith", "MARY Q SMITH", ("Mary Ann Q Smith", "MARY SMITH")),
    ("MARY Q SMITH", "Mary Ann Q Smith", ("MARY SMITH", "Mary Ann Q Smith")),
    ("Jo Ann B Byrne", "JO B BYRNE", ("Jo Ann B Byrne", "JO BYRNE")),
])  # fmt: skip
def test_a_middle_initial_that_agrees_never_lowers_the_score(
    debtor: str, record: str, without: tuple[str, str]
) -> None:
    """Mary Ann is a given name of its own (Maryann: 58,422 births): "Ann Q" is its later
    word and the middle initial Q, which the other record gives too, as "Mary-Ann Q" is."""
    scored, bare = _scored(debtor, record), _scored(*without)
    assert bare.band == "medium" and bare.household, bare
    assert scored.score >= bare.score, (scored, bare)
    assert scored.band == "medium" and scored.household, scored
    assert scored.relation == "", scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Mary Ann Q Smith", "MARY R SMITH"), ("Mary Elizabeth Q Smith", "MARY Q SMITH"),
])  # fmt: skip
def test_a_middle_name_that_differs_still_differs(debtor: str, record: str) -> None:
    """Q against R is another generation; Mary Elizabeth is no given name of its own
    (Maryelizabeth is rare), so "Elizabeth Q" against "Q" is a middle name that differs."""
    scored = _scored(debtor, record)
    assert scored.band == "low", scored


@pytest.mark.parametrize(
    ("debtor", "record"), [("SMITH ROBERT", "SMITH BOB"), ("SMITH JOHN", "SMITH JOHNNY")]
)
def test_a_nickname_printed_surname_first_on_both_sides_is_held(debtor: str, record: str) -> None:
    """Bob is Robert's nickname, and a name of its own: at the debtor's home perhaps his son,
    held as "SMITH, BOB" is; "SMITH BOB" had been a sibling, 0.026 ``low``, and "SMITH
    JOHNNY" the debtor, 1.000 ``high``."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert (scored.band, scored.household, scored.relation) == ("medium", True, ""), scored
