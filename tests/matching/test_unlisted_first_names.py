"""Two first names the SSA table counts neither of (Xiaoming and Xiaohong, Jiwoo and Jiwon): alike
by their letters, they may be two people's in the debtor's household as well as one misprinted.
The table cannot tell, so at the debtor's home, phone or mailbox such a pair is held at
``medium``, as a listed name a slip from the other is (Johnna against John); its birth date
agreeing says it is the debtor. An uncounted spelling of a listed name (Minn against Minh) is
no name of its own: a misprint, still ``high``."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.model import SHORT_FORM_AT_HOME_CEILING

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
SHARED = [HOME, {"phone": "2175551234"}, {"email": "wangs@example.com"}]
DOB = "1980-05-01"

# a brother and sister, two Korean or Yoruba siblings, Chinese given names of one syllable
# apart by a letter: each was 1.000 ``high`` at one home, where "Johnna" against John is medium
UNLISTED = [("Xiaoming", "Xiaohong"), ("Jianguo", "Jianhua"), ("Jiwoo", "Jiwon"),
            ("Adebayo", "Adebola"), ("Hui", "Hua"), ("Jing", "Qing"),
            ("Zhiwei", "Zhiqiang")]  # fmt: skip


@pytest.mark.parametrize("shared", SHARED)
@pytest.mark.parametrize(("debtor", "other"), UNLISTED)
def test_unlisted_first_names_alike_in_the_household_are_medium(
    debtor: str, other: str, shared: dict[str, str]
) -> None:
    scored = score_pair({"first_name": debtor, "last_name": "Wang", **shared},
                        {"first_name": other, "last_name": "Wang", **shared})  # fmt: skip
    assert scored.band == "medium", scored
    assert scored.score == pytest.approx(SHORT_FORM_AT_HOME_CEILING)
    assert scored.household


@pytest.mark.parametrize(("debtor", "other"), UNLISTED)
def test_unlisted_first_names_alike_with_the_birth_date_are_still_the_debtor(
    debtor: str, other: str
) -> None:
    scored = score_pair({"first_name": debtor, "last_name": "Wang", "dob": DOB, **HOME},
                        {"first_name": other, "last_name": "Wang", "dob": DOB, **HOME})  # fmt: skip
    assert scored.band == "high", scored


@pytest.mark.parametrize(("debtor", "other"), [("Minh", "Minn"), ("Jessica", "Jesxica")])
def test_an_uncounted_spelling_of_a_listed_name_at_home_is_still_the_debtor(
    debtor: str, other: str
) -> None:
    scored = score_pair({"first_name": debtor, "last_name": "Nguyen", **HOME},
                        {"first_name": other, "last_name": "Nguyen", **HOME})  # fmt: skip
    assert scored.band == "high", scored


@pytest.mark.parametrize(("debtor", "other"), [
    ("CHEN HUI", "CHEN HUA"), ("WANG JING", "WANG QING"), ("KIM JIWOO", "KIM JIWON"),
    ("LIU XIAOMING", "LIU XIAOHONG"), ("ZHANG ZHIWEI", "ZHANG ZHIQIANG"),
])  # fmt: skip
def test_unlisted_given_names_alike_printed_surname_first_are_medium_at_home(
    debtor: str, other: str
) -> None:
    """Both printed surname first, the given names past the surname are judged as given names
    (``comparisons._given_names_last``): Hui and Hua there were 1.000 ``high`` too. Minh and
    Minn there are a misprint still (``test_surname_first_both_sides``)."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": other, **HOME})
    assert scored.band == "medium", scored
    assert scored.score == pytest.approx(SHORT_FORM_AT_HOME_CEILING)
    dated = score_pair({"full_name": debtor, "dob": DOB, **HOME},
                       {"full_name": other, "dob": DOB, **HOME})  # fmt: skip
    assert dated.band == "high", dated
