"""A debtor printed surname first with a middle name or initial and no comma ("SMITH JOHN
A"), as creditor systems store "LAST FIRST MI", against a record without a middle name.

- The record's name printed so was read surname first (1.000 ``high`` for "John Smith"
  against "SMITH JOHN A"); the debtor's was not: 0.000 ``low``, "first name differs
  (Smith/John)". The debtor's is now rotated as the record's is.
- "SMIHT JOHN" against John Smith, read last-first, said the surname's misprint of the given
  name: "first name: close (Smiht/Smith); last name: exact"."""

from __future__ import annotations

import pytest

from skiptrace.matching import Link, score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


def _scored(debtor: str, record: str) -> Link:
    return score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})


@pytest.mark.parametrize(("debtor", "record"), [
    ("SMITH JOHN A", "John Smith"), ("SMITH JOHN A", "SMITH, JOHN"),
    ("KIM MIN JUN", "Min Kim"), ("GARCIA JOSE LUIS", "Jose Garcia"),
])  # fmt: skip
def test_a_debtor_surname_first_with_a_middle_name_scores_as_the_reverse(
    debtor: str, record: str
) -> None:
    scored, reverse = _scored(debtor, record), _scored(record, debtor)
    assert reverse.band == "high", reverse
    assert scored.band == reverse.band and scored.score == pytest.approx(reverse.score), scored
    assert "first name: differs" not in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("NGUYEN VAN MINH", "Van Nguyen"), ("TRAN THI LAN", "Thi Tran"),
    ("NGUYEN VAN MINH", "Minh Nguyen"), ("SMITH JOHN ROBERT", "John Smith"),
])  # fmt: skip
def test_a_debtor_surname_first_with_a_middle_name_scores_alike_both_ways(
    debtor: str, record: str
) -> None:
    """A Vietnamese middle name ("NGUYEN VAN MINH") is no given name: Van Nguyen is another
    man of the family, low both ways; Minh Nguyen is high both ways."""
    scored, reverse = _scored(debtor, record), _scored(record, debtor)
    assert scored.band == reverse.band, (scored, reverse)
    assert scored.score == pytest.approx(reverse.score), (scored, reverse)


@pytest.mark.parametrize(("debtor", "record"), [
    ("SMITH JOHN A", "John B Smith"), ("SMITH JOHN A", "SMITH JOHN B"),
    ("SMITH JOHN A", "John Smith Jr"), ("KIM MIN JUN", "Min Seo Kim"),
])  # fmt: skip
def test_relatives_of_a_debtor_surname_first_stay_low(debtor: str, record: str) -> None:
    """Father and son (a middle initial or a suffix apart), siblings (a given name apart)."""
    for scored in (_scored(debtor, record), _scored(record, debtor)):
        assert scored.band == "low", scored


@pytest.mark.parametrize(("debtor", "record", "given", "surname"), [
    ("SMIHT JOHN", "John Smith", "first name: exact", "last name: close (Smiht/Smith)"),
    ("JONSE MARY", "Mary Jones", "first name: exact", "last name: close (Jonse/Jones)"),
])  # fmt: skip
def test_a_misprinted_surname_printed_first_is_said_as_the_surname(
    debtor: str, record: str, given: str, surname: str
) -> None:
    """The given name judged as the given name, the misprint as the surname's, as the
    reverse pair says them."""
    scored, reverse = _scored(debtor, record), _scored(record, debtor)
    assert scored.score == pytest.approx(reverse.score), (scored, reverse)
    assert given in scored.words and surname in scored.words, scored
    assert "first name: close" not in scored.words, scored
