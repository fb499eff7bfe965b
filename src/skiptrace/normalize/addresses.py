"""Postal addresses: one canonical, comparable form per address, US-first with a UK path.

``parse_address`` tags raw text with usaddress (a CRF trained on US addresses) after peeling
off, deterministically, what the CRF gets wrong: "c/o" lines, a trailing country name, a
trailing ZIP (including the bare 9-digit NPPES form) and UK/Canadian postcodes. The tagged
fields are then folded (lowercase ASCII, USPS Publication 28 abbreviations applied word by word
on the delivery line) and rendered with ``PostalAddress.full()``.

Idempotence is by construction: the canonical string ``full()`` emits is read back by a small
deterministic reader (``_read_canonical``), never by the CRF, and ``parse_address`` only returns
an address that this reader reproduces exactly. So ``parse_address(a.full()) == a`` for every
address it returns, and ``normalize_address`` is idempotent.

Choices on ambiguous input:

- Abbreviations are applied to every word of the delivery line, not only to the suffix slot
  ("Mill Creek Road" -> "ml crk rd"): the reader of canonical text cannot know the slots, and
  applying them the same way everywhere is what lets two spellings of one address match.
- "circuit" is left alone: USPS Pub 28 (Appendix C1) lists CIRCLE -> CIR but has no CIRCUIT,
  and folding it into "cir" would merge two different streets.
- The street/unit/number split of the delivery line is decided by the canonical reader: the
  number is the first word if it looks like a house number, the unit starts at the first
  secondary-unit designator that has an identifier after it, and "po box N" closes the line.
- ``state`` only ever holds a US code; a non-US region ("ON", "Bavaria") is appended to
  ``city``. A US state implies ``country == "us"``. A bare two-letter code that is both a
  country and a US state ("CA", "DE", "IN") is read as the state unless a postcode precedes it.
- "c/o", "care of" and "attn" text is dropped (kept nowhere), as are recipient and building
  names usaddress recognises: they are not part of where mail is delivered.
- Postal codes: a US ZIP fills ``zip5``/``zip4``; a UK or other alphanumeric postcode fills
  ``postcode`` in its upper-case canonical form; digit-only foreign codes that are not five
  digits are dropped. Five-digit foreign codes land in ``zip5``.
- When nothing usable is tagged, the folded free text goes in ``street`` (or ``city`` when it
  has no digit and no street suffix), keeping a trailing state and ZIP where recognisable.

Layout: this module holds the canonical form (``PostalAddress``, the canonical reader, the
split of a delivery line) and the public functions; turning raw text into words and rough
fields (folding, peeling, the usaddress pass, the fallback) is in ``_address_parse.py`` and
the lookup tables are in ``_address_tables.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from skiptrace.normalize._address_parse import (
    CARE_OF,
    CONTROL,
    MAX_TEXT,
    POSTCODE_CANON,
    SEGMENT_SPLIT,
    fold,
    looks_like_line,
    norm_line,
    parse_raw,
    uk_postcode,
    zip_parts,
)
from skiptrace.normalize._address_tables import (
    CITY_WORDS,
    COUNTRY_CODES,
    STATE_CODES,
    STATE_LOOKUP,
    UNIT_DESIGNATORS,
)
from skiptrace.normalize._text import to_ascii

__all__ = [
    "PostalAddress",
    "normalize_address",
    "normalize_state",
    "normalize_street",
    "normalize_uk_postcode",
    "normalize_zip",
    "parse_address",
]


@dataclass(frozen=True)
class PostalAddress:
    """A parsed postal address; all fields lowercase ASCII except ``postcode`` (upper case)."""

    number: str = ""
    street: str = ""
    unit: str = ""
    po_box: str = ""
    city: str = ""
    state: str = ""
    zip5: str = ""
    zip4: str = ""
    postcode: str = ""
    country: str = ""

    def line(self) -> str:
        """The delivery line: ``number street unit`` and/or ``po box N``."""
        parts = [self.number, self.street, self.unit]
        if self.po_box:
            parts.append(f"po box {self.po_box}")
        return " ".join(p for p in parts if p)

    def full(self) -> str:
        """Line, city, state, ZIP[-4], postcode, country; empties dropped, joined by ", "."""
        zip_part = f"{self.zip5}-{self.zip4}" if self.zip5 and self.zip4 else self.zip5
        parts = (self.line(), self.city, self.state, zip_part, self.postcode, self.country)
        return ", ".join(p for p in parts if p)


# --------------------------------------------------------------------------- regexes

_ZIP_CANON: Final = re.compile(r"(\d{5})(?:-(\d{4}))?")
_HOUSE_NUMBER: Final = re.compile(r"\d+(?:-\d+)?[a-z]?")
_BOX_ID: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# --------------------------------------------------------------------------- public normalisers


def normalize_street(text: str) -> str:
    """A street line spelt the way ``parse_address`` spells one: "c/o" parts dropped, USPS
    abbreviations, PO Box spellings unified, no punctuation. No usaddress parse, so it is cheap
    enough for the matcher to run on every record of a file."""
    text = CONTROL.sub(" ", to_ascii(text[:MAX_TEXT]))
    kept = " ".join(CARE_OF.sub(" ", part) for part in SEGMENT_SPLIT.split(text))
    return " ".join(norm_line(fold(kept)))


def normalize_zip(text: str) -> str:
    """The 5-digit US ZIP in ``text`` ("78701", "78701-1234", NPPES "787011234"), else ""."""
    return zip_parts(text)[0]


def normalize_state(text: str) -> str:
    """Two-letter lowercase US state code for a name, code or old abbreviation, else the
    folded input ("Texas", "TX", "Tex." -> "tx"; "Ontario" -> "ontario")."""
    folded = " ".join(fold(text))
    return STATE_LOOKUP.get(folded, folded)


def normalize_uk_postcode(text: str) -> str:
    """A valid UK postcode in canonical form ("sw1a1aa" -> "SW1A 1AA"), else ""."""
    return uk_postcode(text)


# --------------------------------------------------------------------------- canonical reader


def _norm_city(words: list[str]) -> str:
    return " ".join(CITY_WORDS.get(w, w) for w in words)


def _split_line(words: list[str]) -> tuple[str, str, str, str]:
    """Split a normalised delivery line into number, street, unit and PO box (in order)."""
    po_box = ""
    if words[-3:-1] == ["po", "box"] and _BOX_ID.fullmatch(words[-1]):
        po_box, words = words[-1], words[:-3]
    number = ""
    if len(words) > 0 and _HOUSE_NUMBER.fullmatch(words[0]):
        number, words = words[0], words[1:]
    unit_at = len(words)
    for i in range(len(words) - 1):
        if words[i] in UNIT_DESIGNATORS:
            unit_at = i
            break
    return number, " ".join(words[:unit_at]), " ".join(words[unit_at:]), po_box


def _read_canonical(text: str) -> PostalAddress | None:
    """Read text shaped like ``PostalAddress.full()`` without the CRF; None if it cannot be."""
    if not text:
        return PostalAddress()
    segs = text.split(", ")
    country = postcode = zip5 = zip4 = state = ""
    if segs and segs[-1] in COUNTRY_CODES:
        before = segs[-2] if len(segs) > 1 else ""
        after_code = bool(_ZIP_CANON.fullmatch(before) or POSTCODE_CANON.fullmatch(before))
        if segs[-1] not in STATE_CODES or after_code:
            country = segs.pop()
    if segs and POSTCODE_CANON.fullmatch(segs[-1]):
        postcode = segs.pop()
    if segs and (m := _ZIP_CANON.fullmatch(segs[-1])):
        zip5, zip4 = m.group(1), m.group(2) or ""
        segs.pop()
    if segs and segs[-1] in STATE_CODES and country in ("", "us"):
        state = segs.pop()
        country = "us"
    if len(segs) > 2:
        return None
    line_words: list[str] = []
    city = ""
    if len(segs) == 2:
        line_words, city = norm_line(fold(segs[0])), _norm_city(fold(segs[1]))
    elif len(segs) == 1:
        words = fold(segs[0])
        if looks_like_line(words):
            line_words = norm_line(words)
        else:
            city = _norm_city(words)
    number, street, unit, po_box = _split_line(line_words)
    return PostalAddress(
        number=number,
        street=street,
        unit=unit,
        po_box=po_box,
        city=city,
        state=state,
        zip5=zip5,
        zip4=zip4,
        postcode=postcode,
        country=country,
    )


def _from_raw(text: str) -> PostalAddress:
    """``parse_raw``'s best-effort fields of arbitrary text, with the delivery line split."""
    line, city, state, zip5, zip4, postcode, country = parse_raw(text)
    number, street, unit, po_box = _split_line(norm_line(line))
    return PostalAddress(
        number=number,
        street=street,
        unit=unit,
        po_box=po_box,
        city=_norm_city(city),
        state=state,
        zip5=zip5,
        zip4=zip4,
        postcode=postcode,
        country=country,
    )


@lru_cache(maxsize=65536)
def parse_address(text: str) -> PostalAddress:
    """Parse a US (or UK) postal address, one or many lines, into canonical fields; never raises.

    Cached because usaddress costs ~0.15 ms a call and registry files repeat addresses.
    """
    canon = _read_canonical(text)
    if canon is not None and canon.full() == text:
        return canon
    rendered = _from_raw(text).full()
    # The reader may assign a segment differently from the CRF (a city spelled "ca" read back
    # as the state, which adds ", us"); a second pass then agrees. Fuzzing: 1 pass for ~99% of
    # inputs, 2 for the rest, never 3.
    for _ in range(4):
        canon = _read_canonical(rendered)
        if canon is None:
            break
        again = canon.full()
        if again == rendered:
            return canon
        rendered = again
    # Not reached by any fuzzed input; kept so that the function stays total and idempotent.
    words = norm_line(fold(text[:MAX_TEXT]))
    canon = _read_canonical(" ".join(words))
    return canon if canon is not None and canon.full() == " ".join(words) else PostalAddress()


def normalize_address(text: str) -> str:
    """The canonical one-line form of an address, ``parse_address(text).full()``."""
    return parse_address(text).full()
