"""A birth year or month alone that agrees does not say whose a short form at the debtor's
home is: a wife is born the same year as her husband as often as not, never the same day. The
hold (``SHORT_FORM_AT_HOME_CEILING``) is lifted by a whole date that agrees only."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.model import SHORT_FORM_AT_HOME_CEILING

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize("dob", ["1990", "1990-03", "03/1990"])
@pytest.mark.parametrize(("debtor", "other"), [
    ("Chris", "Christine"), ("J", "Jane"), ("Jack", "John"), ("Sam", "Samantha"),
])  # fmt: skip
def test_a_short_form_at_home_born_the_same_year_is_medium(
    debtor: str, other: str, dob: str
) -> None:
    """Chris (Christopher) against his wife Christine, both born in 1990: 1.000 ``high``."""
    scored = score_pair(
        {"first_name": debtor, "last_name": "Ashmore", "dob": dob, **HOME},
        {"first_name": other, "last_name": "Ashmore", "dob": dob, **HOME},
    )
    assert scored.band == "medium", scored
    assert scored.score == pytest.approx(SHORT_FORM_AT_HOME_CEILING)
    assert scored.household


@pytest.mark.parametrize(("debtor", "other"), [("Chris", "Christine"), ("J", "Jane")])
def test_a_short_form_at_home_born_the_same_day_is_still_high(debtor: str, other: str) -> None:
    scored = score_pair(
        {"first_name": debtor, "last_name": "Ashmore", "dob": "1990-03-04", **HOME},
        {"first_name": other, "last_name": "Ashmore", "dob": "1990-03-04", **HOME},
    )
    assert scored.band == "high", scored
