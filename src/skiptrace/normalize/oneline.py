"""One-line addresses as registers print them, read into number, street, unit, locality, city,
region and postcode: "24 luehmann street, tawonga rdside, rose bay WA 2350",
"12 Oak St Apt 4B, Springfield, IL 62704-1234", "Flat 3, 10 Downing Street, London SW1A 2AA",
"100 Queen St W, Toronto ON M5H 2N2".

``parse_address`` (a CRF trained on US addresses) reads US lines well but costs ~0.1 ms a line
and knows nothing of "REGION POSTCODE" outside the US. Here a deterministic reader peels the
tail off the right first, and the CRF only runs for what that cannot split.

Rules, in order (each one line, all deterministic):

1. The text is cut to ``MAX_TEXT`` (1,000) characters and split into segments at commas, line
   breaks, ";" and "|"; a trailing country name is removed and remembered.
2. Postcode, from the end of the last segment: a US ZIP (5 digits, ZIP+4, bare 9 digits; not
   after "box", "apt", "#"...), else a UK postcode, else a Canadian one (A9A 9A9), else 4 digits
   (Australian and many others; a 4-digit code is never a US ZIP).
3. Region, right before the postcode: a US state (name, code or old abbreviation) before a ZIP;
   a Canadian province before a Canadian postcode; before 4 digits an Australian state or
   territory ("WA 2350" is Western Australia), a 2-3 letter word one typo away from one ("nws"),
   or a 2-3 letter word printed in capitals in a line that is not ("rose bay NWS 2350"). With
   no postcode, a region is read only at the end of a segment that is not the first one ("...,
   Austin, TX"; "..., Sydney NSW"), so "100 Main Ct" keeps its "Ct".
4. City: the words left in the last segment; if none, the segment before it, unless that one
   starts with a house number (it is then the delivery line).
5. Units: a segment that is a unit designator and an identifier ("Apt 4B", "Unit 4", "#4",
   "Flat 3", "Suite 200") is the unit, wherever it stands.
6. Delivery line: the first other segment that starts with a house number (else the first "po
   box", else the first other segment); the rest, in order, is ``locality`` (a middle segment
   such as "tawonga rdside" is the locality, not the city, when a later segment holds the
   city). A line that starts with a comma has no delivery line ("  , pinehill, windermere VIC
   3212").
7. Line and city in one segment ("12 oak street unit 4 springfield il 62704"): the line ends
   after a unit and its identifier, else after "po box N", else after the first street type
   that follows at least one street-name word (plus a directional); only when none of these is
   found does the CRF (usaddress) split it.
8. No postcode and no region: a last segment of words alone after a delivery line that starts
   with a house number or "po box" is the town ("12 Oak Street, Springfield", "12 Harbour Road,
   Bristol"), unless it names a unit, a floor, a building or an addressee ("Rear", "Penthouse",
   "Second Floor", "Harbor View Apartments", "Attn ...", "Care of ...") or is the street's
   directional ("North"); otherwise nothing but the line is read (``tail`` is False), and a
   caller should treat the whole text as a street line, as before.

Spellings: ``number``, ``street``, ``unit`` and ``locality`` as ``normalize_street`` spells them
(USPS abbreviations), ``city`` as lower-case ASCII words, ``region`` as a US, Australian or
Canadian code when it is one, else folded as printed; ``postcode`` as a 5-digit ZIP (ZIP+4 in
``zip4``), a UK or Canadian postcode in capitals with its space, or the digits. Each distinct
text is parsed once (``lru_cache``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from skiptrace.normalize._address_parse import (
    CA_TRAILING,
    CARE_OF,
    CONTROL,
    MAX_TEXT,
    SEGMENT_SPLIT,
    UK_TRAILING,
    fold,
    from_tags,
    norm_line,
    tagged,
    uk_postcode,
)
from skiptrace.normalize._address_tables import (
    AU_CODES,
    AU_STATES,
    CA_CODES,
    CA_PROVINCES,
    COUNTRIES,
    DIRECTIONALS,
    NOT_BEFORE_ZIP,
    STATE_CODES,
    STATE_LOOKUP,
    STATE_STRICT,
    STATES,
    STREETISH,
    SUFFIXES,
    UNIT_DESIGNATORS,
)
from skiptrace.normalize._text import to_ascii

__all__ = ["AddressParts", "parse_one_line"]


@dataclass(frozen=True)
class AddressParts:
    """A one-line address read into parts (see the module docstring for the spellings)."""

    number: str = ""
    street: str = ""
    unit: str = ""
    locality: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    zip4: str = ""
    country: str = ""

    @property
    def tail(self) -> bool:
        """True when a city, region or postcode was read: the text was more than a street."""
        return bool(self.city or self.region or self.postcode)

    def line(self) -> str:
        """The delivery line, ``number street unit``."""
        return " ".join(p for p in (self.number, self.street, self.unit) if p)


_ZIP9_BARE: Final = re.compile(r"(?<![\w-])(\d{5})(\d{4})\W*$")
_US_ZIP: Final = re.compile(r"(?<![\w-])(\d{5})(?:\s*-\s*(\d{4}))?\W*$")
_FOUR_TAIL: Final = re.compile(r"(?<![\w-])(\d{4})\W*$")
_HOUSE: Final = re.compile(r"\d+(?:-\d+)?[a-z]?")
_STARTS_NUMBER: Final = re.compile(r"\s*\d")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")
_UNIT_WORDS: Final = UNIT_DESIGNATORS | {"flt", "flat", "apt", "unit", "ste", "shop"}
_STREET_TYPES: Final = STREETISH | frozenset(SUFFIXES.values())
_AU_LOOKUP: Final = {**AU_STATES, **{c: c for c in AU_CODES}}
_CA_LOOKUP: Final = {**CA_PROVINCES, **{c: c for c in CA_CODES}}
_ONLY_AU: Final = AU_CODES - STATE_CODES - CA_CODES  # nsw vic qld tas act (and sa)
_ONLY_CA: Final = CA_CODES - STATE_CODES - AU_CODES
_NOT_TOWN_START: Final = _UNIT_WORDS | frozenset(
    {"rear", "front", "side", "basement", "lobby", "office", "floor", "level", "building",
     "room", "suite", "attn", "attention", "c", "bsmt", "frnt", "lbby", "ofc", "lowr", "uppr",
     "station", "stn", "rpo", "gpo"}
)  # fmt: skip
"""First words of a segment after the delivery line that is a place in the building, an
addressee or a postal station ("Rear", "Attn Accounts", "c/o", "Station A"), not a town; read
as written and as ``normalize_street`` spells them ("Penthouse" is "ph", as USPS writes the
designators that take no number: BSMT, FRNT, LBBY, OFC...)."""
_PLACEHOLDERS: Final = frozenset({"n a", "na", "unknown", "none", "general delivery"})
"""Whole last segments that say there is no town ("N/A", "N.A."); only whole: "North
Hollywood" (spelt "n hollywood") and "Unknown Lake" are towns."""
_DIRECTIONS: Final = frozenset(DIRECTIONALS.values())
_BUILDINGS: Final = frozenset(
    {"apartment", "apartments", "apts", "tower", "towers", "condominium", "condominiums",
     "condos", "residences", "complex", "mall", "campus", "hall"}
)  # fmt: skip


def _city_words(text: str) -> str:
    """Lower-case ASCII words, punctuation gone: how the matcher folds a city field."""
    plain = to_ascii(text).lower().replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def _line(text: str) -> list[str]:
    """A segment's words as ``normalize_street`` spells them."""
    return norm_line(fold(CARE_OF.sub(" ", text)))


def _one_typo(word: str, codes: frozenset[str]) -> str:
    """The code ``word`` is one substitution or one swap of adjacent letters away from, if only
    one is ("nws" -> "nsw", "vci" -> "vic"); else ""."""
    found = set()
    for code in codes:
        if len(code) != len(word) or code == word:
            continue
        diff = [i for i in range(len(word)) if word[i] != code[i]]
        swap = len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == code[diff[1]]
        if len(diff) == 1 or (swap and word[diff[1]] == code[diff[0]]):
            found.add(code)
    return found.pop() if len(found) == 1 else ""


def _peel_words(raw: str, table: dict[str, str]) -> tuple[str, str]:
    """(code, what is left of ``raw``) when ``raw`` ends with 1-3 words that ``table`` knows."""
    words = raw.split()
    folded = fold(raw)
    for k in (3, 2, 1):
        if len(folded) >= k and (code := table.get(" ".join(folded[-k:]))):
            kept, count = list(words), 0
            while kept and count < k:
                count += len(fold(kept.pop()))
            return code, " ".join(kept)
    return "", raw


def _region_before_four(raw: str, mixed_case: bool) -> tuple[str, str, str]:
    """(region, country, rest) of a segment that ended in a 4-digit postcode."""
    code, rest = _peel_words(raw, _AU_LOOKUP)
    if code:
        return code, "au", rest
    words = raw.split()
    if not words:
        return "", "", raw
    last = words[-1].strip(".")
    word = last.lower()
    if not (2 <= len(word) <= 3 and word.isascii() and word.isalpha()):
        return "", "", raw
    rest = " ".join(words[:-1])
    if fixed := _one_typo(word, AU_CODES):
        return fixed, "au", rest
    if mixed_case and last.isupper() and len(words) > 1:
        return word, "", rest
    return "", "", raw


def _tail(last: str, country: str, several: bool) -> tuple[str, str, str, str, str, str]:
    """Postcode and region off the end of the last segment:
    (rest, region, postcode, zip4, country, kind) with kind "" when nothing was read."""
    text = CONTROL.sub(" ", last)
    if (m := _ZIP9_BARE.search(text)) or (m := _US_ZIP.search(text)):
        before = text[: m.start()]
        if not set(fold(before)[-1:]) & NOT_BEFORE_ZIP:
            zip5, zip4 = m.group(1), m.group(2) or ""
            if country in ("", "us"):
                code, rest = _peel_words(before, STATE_LOOKUP)
                return rest, code, zip5, zip4, "us", "zip"
            return before, "", zip5, "", country, "zip"
    if m := UK_TRAILING.search(text):
        postcode = uk_postcode(m.group(1))
        if postcode:
            return text[: m.start()], "", postcode, "", country or "gb", "uk"
    if m := CA_TRAILING.search(text):
        code, rest = _peel_words(text[: m.start()], _CA_LOOKUP)
        return rest, code, f"{m.group(1)} {m.group(2)}".upper(), "", country or "ca", "ca"
    if m := _FOUR_TAIL.search(text):
        before = text[: m.start()]
        if not set(fold(before)[-1:]) & NOT_BEFORE_ZIP and (several or before.strip()):
            mixed = not before.isupper() and not before.islower()
            region, found, rest = _region_before_four(before, mixed)
            return rest, region, m.group(1), "", country or found, "four"
    if several:  # no postcode: a region only ends a later segment
        for table, where in ((STATE_STRICT, "us"), (_AU_LOOKUP, "au"), (_CA_LOOKUP, "ca")):
            code, rest = _peel_words(text, table)
            if code:
                if where == "us" and code in _ONLY_AU | _ONLY_CA:
                    continue
                if code in AU_CODES and code in CA_CODES:
                    where = ""
                return rest, code, "", "", country or where, "region"
    return last, "", "", "", country, ""


def _identifier(word: str) -> bool:
    """A unit's identifier: "4", "4b", "12-a" or a single letter ("Unit B")."""
    return any(c.isdigit() for c in word) or (len(word) == 1 and word.isalpha())


def _is_unit(words: list[str]) -> bool:
    return 2 <= len(words) <= 3 and words[0] in _UNIT_WORDS and _identifier(words[1])


def _split_line(words: list[str]) -> tuple[str, str, str]:
    """number, street and unit of a delivery line's words."""
    number = words[0] if words and _HOUSE.fullmatch(words[0]) else ""
    rest = words[1:] if number else words
    for i in range(1, len(rest) - 1):
        if rest[i] in _UNIT_WORDS and _identifier(rest[i + 1]):
            return number, " ".join(rest[:i]), " ".join(rest[i:])
    return number, " ".join(rest), ""


def _split_single(words: list[str]) -> int:
    """Where the delivery line ends in a segment that also holds the city; 0 if unknown."""
    start = 1 if words and _HOUSE.fullmatch(words[0]) else 0
    if words[start : start + 2] == ["po", "box"] and len(words) > start + 3:
        return start + 3
    for i in range(start + 1, len(words) - 2):
        if words[i] in _UNIT_WORDS and _identifier(words[i + 1]):
            return i + 2
    for i in range(start + 1, len(words) - 1):
        if words[i] in _STREET_TYPES:
            end = i + 1
            if words[end] in DIRECTIONALS.values() and end + 1 < len(words):
                end += 1
            return end
    return 0


def _ends_in_town(segments: list[str]) -> bool:
    """With no postcode and no region: whether the last segment is the town (rule 8), after a
    delivery line (rule 6: the first segment that starts with a house number, or a PO box;
    "Flat 2, 12 High Street, Bristol")."""
    if len(segments) < 2 or not any(_delivery(s) for s in segments[:-1]):
        return False
    words, line = fold(segments[-1]), _line(segments[-1])
    if not line or any(c.isdigit() for c in segments[-1]):
        return False  # nothing but an addressee ("Care of Jane Roe") is left of it
    if set(line) <= _DIRECTIONS:  # "12 Oak St, North" is 12 Oak St N
        return False
    if " ".join(words) in _PLACEHOLDERS:
        return False
    starts = {words[0], line[0]}
    return not starts & _NOT_TOWN_START and not set(words) & _BUILDINGS and "fl" not in line


def _numbers_joined(segments: list[str]) -> list[str]:
    """A house number written apart from its street ("12, Oak St, Springfield") joined to the
    segment after it: its street had been read as a locality, or as the town. Only before any
    delivery line: a number after one is a postcode ("12 Oak St, 62704, Springfield")."""
    out: list[str] = []
    earlier = False  # a segment before the one just read starts with a number
    for k, segment in enumerate(segments):
        if k > 1:
            earlier = earlier or _STARTS_NUMBER.match(segments[k - 2]) is not None
        bare = k > 0 and _HOUSE.fullmatch(segments[k - 1].lower()) is not None
        if bare and not earlier and not _STARTS_NUMBER.match(segment):
            out[-1] = f"{out[-1]} {segment}"
        else:
            out.append(segment)
    return out


def _numbered(words: list[str]) -> bool:
    return bool(words) and _HOUSE.fullmatch(words[0]) is not None


def _delivery(segment: str) -> bool:
    """A segment that starts with a house number or a PO box."""
    words = _line(segment)
    return _numbered(words) or words[:2] == ["po", "box"]


def _delivery_at(others: list[list[str]]) -> int:
    """Which of the segments left (as words) is the delivery line (rule 6): the first with a
    house number, else the first PO box, as rule 8 reads them ("Jane Roe, PO Box 5, ..."),
    else the first."""
    house = (i for i, w in enumerate(others) if _numbered(w))
    box = (i for i, w in enumerate(others) if w[:2] == ["po", "box"])
    return next(house, next(box, 0))


def _peel_country(segments: list[str]) -> str:
    words = fold(segments[-1])
    for k in (4, 3, 2, 1):
        if len(words) > k or (len(words) == k and len(segments) > 1):
            name = " ".join(words[-k:])
            if name in COUNTRIES and " ".join(words[-k - 1 :]) not in STATES:
                if name in STATE_CODES or name in AU_CODES or name in CA_CODES:
                    continue  # "CA" ends a Californian line far more often than a Canadian one
                raw = segments[-1].split()
                count = 0
                while raw and count < k:
                    count += len(fold(raw.pop()))
                segments[-1] = " ".join(raw)
                return COUNTRIES[name]
    return ""


@lru_cache(maxsize=1 << 16)
def parse_one_line(text: str) -> AddressParts:
    """Read a one-line address into parts; never raises, cached per distinct text.

    Text longer than ``MAX_TEXT`` (1,000) characters is cut first, so a hostile 100 kB value
    costs what 1 kB does. See the module docstring for the rules.
    """
    raw = CONTROL.sub("\n", text[:MAX_TEXT].strip())
    no_line = raw.startswith(",")
    segments = _numbers_joined([s.strip() for s in SEGMENT_SPLIT.split(raw) if s.strip()])
    while len(segments) > 1 and " ".join(fold(segments[-1])) in _PLACEHOLDERS:
        segments.pop()  # "..., Wichita, N/A": the placeholder says nothing, the town stands
    if not segments:
        return AddressParts()
    country = _peel_country(segments) if len(segments) > 1 or " " in segments[-1] else ""
    segments = [s for s in segments if s]
    if not segments:
        return AddressParts(country=country)
    rest, region, postcode, zip4, country, kind = _tail(segments[-1], country, len(segments) > 1)
    town = not kind and _ends_in_town(segments)
    if not kind and not town:
        number, street, unit = _split_line(_line(" ".join(segments)))
        return AddressParts(number=number, street=street, unit=unit, country=country)
    segments[-1] = segments[-1] if town else rest.strip(" ,.-")
    city = ""
    if town:  # "12 Oak Street, Springfield" (rule 8)
        city = _city_words(segments.pop())
    elif not segments[-1]:
        segments.pop()
        if len(segments) > 1 and not _STARTS_NUMBER.match(segments[-1]):
            city = _city_words(segments.pop())
    elif len(segments) > 1:
        city = _city_words(segments.pop())
    elif not no_line:  # line and city in one segment
        words = _line(segments[0])
        end = _split_single(words)
        if end:
            segments[0] = " ".join(words[:end])
            city = " ".join(words[end:])
        else:
            line_words, city_words, _, _, _ = from_tags(tagged(text[:MAX_TEXT]), country)
            segments[0] = " ".join(norm_line(line_words))
            city = " ".join(city_words)
    else:
        city = _city_words(segments.pop())
    units: list[str] = []
    others: list[list[str]] = []
    for segment in segments:
        words = _line(segment)
        if _is_unit(words):
            units.append(" ".join(words))
        elif words:
            others.append(words)
    line: list[str] = []
    if others and not no_line:
        at = _delivery_at(others)
        line = others.pop(at)
    number, street, unit = _split_line(line)
    return AddressParts(
        number=number,
        street=street,
        unit=" ".join(u for u in (unit, *units) if u),
        locality=" ".join(" ".join(w) for w in others),
        city=city,
        region=region,
        postcode=postcode,
        zip4=zip4,
        country=country,
    )
