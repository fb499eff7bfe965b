"""Blocking keys: how a debtor's name finds its candidates among millions of records with one
B-tree lookup. A person is found by surname and first initial, both the initial of the name
as written and of its formal form (Bob is filed under B and R), so a nickname on either side
still meets; an organisation by its normalised name. The matcher then scores the few
candidates a key returns; a key only has to never miss the right one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from skiptrace.normalize import canonical_first, normalize_company
from skiptrace.normalize._text import to_ascii

_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII words of one name part ("O'BRIEN" -> "obrien"; "Van der Berg" kept as
    words): ASCII-folded, apostrophes dropped, split on anything not a letter. A part is
    folded, not parsed as a full name (a lone "SMITH" needs no name parser), and the import
    and the search both key with this one function, so their keys agree."""
    if not text:
        return ""
    return " ".join(_NOT_LETTERS.sub(" ", to_ascii(text).lower().replace("'", "")).split())


def surname(last: str) -> str:
    """A surname as a key: letters only ("van der berg" and "Vanderberg" meet)."""
    return _NOT_LETTER.sub("", fold(last))


def initials(first: str) -> set[str]:
    """The first letters of a given name as written and of its formal form; {""} if none."""
    word = fold(first).split(" ")[0]
    if not word:
        return {""}
    return {word[0], canonical_first(word)[0]}


def person_keys(first: str, last: str) -> set[str]:
    """The keys a person is filed under and looked up by."""
    family = surname(last)
    if not family:
        return set()
    return {f"p|{family}|{letter}" for letter in initials(first)}


def person_lookup_keys(first: str, last: str) -> set[str]:
    """The keys a person is looked up by: those they would be filed under, and the surname
    alone (a record that gives no first name, such as a filer printed "SMITH", is filed there
    and may be anyone of that surname)."""
    keys = person_keys(first, last)
    return keys | {f"p|{surname(last)}|"} if keys else keys


@lru_cache(maxsize=65536)
def organisation_key(name: str) -> str:
    """The key of an organisation's name (legal suffixes and punctuation folded)."""
    core = normalize_company(name)
    return f"o|{core}" if core else ""
