"""Phone numbers in E.164, so "(415) 555-0123" and "+1 415 555 0123" compare equal."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import phonenumbers

__all__ = ["TOLL_FREE", "normalize_phone"]

TOLL_FREE: Final = frozenset({"800", "833", "844", "855", "866", "877", "888"})
"""North American toll-free area codes: a company's line, reached from anywhere, that its
staff and customers all give; no one's own number, and in no area."""

_NANP: Final = re.compile(
    r" *(?:\+?1[ .-]?)?(?:\(([2-9][0-9]{2})\)|([2-9][0-9]{2}))[ .-]?([0-9]{3})[ .-]?([0-9]{4}) *"
)
"""The North-American shapes phonenumbers reads as "+1" and ten digits: "(217) 555-0134",
"217-555-0134", "217.555.0134", "2175550134", "+1 217 555 0134", "1-217-555-0134"."""


@lru_cache(maxsize=65536)
def normalize_phone(text: str, region: str = "US") -> str:
    """E.164 form ("+14155550123") of a phone number, or "" when there is none.

    ``region`` is the country assumed for numbers written without "+CC". A number counts when
    phonenumbers finds it *possible* (right length for its country), not *valid*: validity
    needs up-to-date allocation tables and rejects fictional 555 numbers that still identify a
    record. Extensions are dropped: they route inside an organisation, not to a person's line.
    Anything unparseable, too short or too long gives "". The common US shapes (``_NANP``) are
    read by one regular expression, to the same result; the rest by phonenumbers (~70 us/call,
    hence the cache).
    """
    match = _NANP.fullmatch(text) if region == "US" else None
    if match:
        return "+1" + "".join(part for part in match.groups() if part)
    return _library(text, region)


def _library(text: str, region: str) -> str:
    """``normalize_phone`` by phonenumbers alone."""
    try:
        number = phonenumbers.parse(text, region.strip().upper() or None)
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:  # local-only numbers too:
            return ""  # "555-0123" without its area code would match across the country
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # NumberParseException, or anything odd inside the library
        return ""
