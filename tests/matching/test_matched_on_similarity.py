"""``matched_on`` shows a field agreeing short of exact with how alike its values are, also
where no threshold measured it (a birth date one slip off, a middle initial): not ``~0.00``,
which says the values have nothing in common."""

from __future__ import annotations

import pytest

from skiptrace import link_records, score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize(
    ("mine", "theirs", "shown"),
    [
        ({"dob": "1980-05-01"}, {"dob": "1980-05-02"}, "dob~0.88"),  # one digit off
        ({"dob": "1980-05-01"}, {"dob": "1980-01-05"}, "dob~0.75"),  # day and month swapped
        ({"middle_name": "A"}, {"middle_name": "Adam"}, "middle_name~0.78"),  # an initial
    ],
)
def test_a_close_level_no_threshold_measured_shows_its_similarity(
    mine: dict[str, str], theirs: dict[str, str], shown: str
) -> None:
    debtor = {"first_name": "John", "last_name": "Roe", **HOME}
    scored = score_pair({**debtor, **mine}, {**debtor, **theirs})
    assert shown in scored.matched_on.split(","), scored.matched_on
    [link] = link_records([{**debtor, **mine}], [{**debtor, **theirs}])
    assert link.matched_on == scored.matched_on
