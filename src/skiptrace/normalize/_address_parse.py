"""Raw address text to rough fields: word folding, peeling, the usaddress pass, the fallback.

Split out of ``addresses.py``, which keeps ``PostalAddress``, the canonical reader and the public
functions, so that neither module outgrows the project's size limit; ``fold`` and ``norm_line``
are shared with that reader. The parsing rules are documented in ``addresses.py``'s docstring.
Nothing here is public API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import usaddress  # type: ignore[import-untyped]  # ships a .pyi but no py.typed marker

from skiptrace.normalize._address_tables import (
    COUNTRIES,
    LINE_WORDS,
    NOT_BEFORE_ZIP,
    STATE_CODES,
    STATE_LOOKUP,
    STATE_STRICT,
    STATES,
    STREETISH,
    UNIT_DESIGNATORS,
)
from skiptrace.normalize._text import to_ascii, undot

# --------------------------------------------------------------------------- regexes

CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
SEGMENT_SPLIT: Final = re.compile(r"[\n\r;|]+|,")
CARE_OF: Final = re.compile(
    r"(?i)(?:\bc\s*/\s*o\b|\bc\.o\.|\bcare\s+of\b|\battn\b\.?:?|\battention\b:?)"
    r".*?(?=\b\d|\bp\.?\s*o\.?\s*box\b|\bpost\s+office\s+box\b|$)"
)
_APOSTROPHES: Final = re.compile(r"'+")
_HASH: Final = re.compile(r"#")
_AMPERSAND: Final = re.compile(r"&")
_NOT_ADDR: Final = re.compile(r"[^a-z0-9#/ -]+")
_LOOSE_SLASH: Final = re.compile(r"(?<![0-9])/|/(?![0-9])")
_LOOSE_HYPHEN: Final = re.compile(r"(?<![a-z0-9])-|-(?![a-z0-9])")
_ZIP9_BARE: Final = re.compile(r"(?<![\w-])(\d{5})(\d{4})(?![\w-])")
_TRAILING_ZIP: Final = re.compile(r"(?<![\w-])(\d{5})(?:-(\d{4}))?\W*$")
_ZIP_TEXT: Final = re.compile(r"(\d{5})(?:-?(\d{4}))?")
_UK_COMPACT: Final = re.compile(
    r"GIR0AA|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2}"
)
UK_TRAILING: Final = re.compile(
    r"(?i)(?<![a-z0-9])((?:GIR|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?)\s?[0-9][A-Z]{2})\W*$"
)
CA_TRAILING: Final = re.compile(
    r"(?i)(?<![a-z0-9])([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])[\s-]?"
    r"([0-9][ABCEGHJ-NPRSTV-Z][0-9])\W*$"
)
POSTCODE_CANON: Final = re.compile(
    r"(?=[A-Z0-9 ]*[A-Z])(?=[A-Z0-9 ]*[0-9])[A-Z0-9]{2,8}(?: [A-Z0-9]{2,4})?"
)
MAX_TEXT: Final = 1000

# --------------------------------------------------------------------------- words


def fold(text: str) -> list[str]:
    """Lowercase ASCII address words; "#" is its own word, "/" and "-" only inside numbers/words."""
    text = undot(to_ascii(text).lower())
    text = _APOSTROPHES.sub("", text)
    text = _AMPERSAND.sub(" and ", _HASH.sub(" # ", text))
    text = _NOT_ADDR.sub(" ", text)
    text = _LOOSE_HYPHEN.sub(" ", _LOOSE_SLASH.sub(" ", text))
    return text.split()


def norm_line(words: list[str]) -> list[str]:
    """USPS abbreviations word by word, "po box" spellings unified, "apt # 4" -> "apt 4"."""
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        if w == "p" and words[i + 1 : i + 3] == ["o", "box"]:
            out += ["po", "box"]
            i += 3
            continue
        if w == "post" and words[i + 1 : i + 3] == ["office", "box"]:
            out += ["po", "box"]
            i += 3
            continue
        if w in ("pob", "pobox"):
            out += ["po", "box"]
            i += 1
            continue
        w = LINE_WORDS.get(w, w)
        if w == "#" and out and out[-1] in UNIT_DESIGNATORS:
            i += 1
            continue
        out.append(w)
        i += 1
    return out


def looks_like_line(words: list[str]) -> bool:
    if any(c.isdigit() for w in words for c in w):
        return True
    return bool(words) and (words[-1] in STREETISH or "box" in words)


def zip_parts(text: str) -> tuple[str, str]:
    m = _ZIP_TEXT.fullmatch("".join(text.split()))
    return (m.group(1), m.group(2) or "") if m else ("", "")


def uk_postcode(text: str) -> str:
    """A valid UK postcode in canonical form ("sw1a1aa" -> "SW1A 1AA"), else ""."""
    compact = "".join(to_ascii(text).split()).upper()
    if not _UK_COMPACT.fullmatch(compact):
        return ""
    return f"{compact[:-3]} {compact[-3:]}"


def _postcode(text: str) -> str:
    """Canonical form of a non-US postal code with letters and digits (UK checked first)."""
    uk = uk_postcode(text)
    if uk:
        return uk
    words = " ".join(fold(text)).upper().replace("#", "").replace("/", "").split()
    canon = " ".join(words).replace("-", " ")
    return canon if POSTCODE_CANON.fullmatch(canon) else ""


# --------------------------------------------------------------------------- raw parsing

_NUMBER_LABELS: Final = frozenset({"AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix"})
_STREET_LABELS: Final = frozenset(
    {
        "StreetNamePreModifier",
        "StreetNamePreDirectional",
        "StreetNamePreType",
        "StreetName",
        "StreetNamePostType",
        "StreetNamePostDirectional",
        "StreetNamePostModifier",
        "CornerOf",
        "IntersectionSeparator",
        "USPSBoxGroupType",
        "USPSBoxGroupID",
    }
)
_UNIT_LABELS: Final = frozenset(
    {"OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier"}
)


def _peel_country(segments: list[str]) -> str:
    """Remove a trailing country name from the last segment; return its code or ""."""
    while segments and not segments[-1].strip():
        segments.pop()
    if not segments:
        return ""
    words = fold(segments[-1])
    for k in (4, 3, 2, 1):
        if len(words) < k:
            continue
        name = " ".join(words[-k:])
        if name in COUNTRIES and " ".join(words[-k - 1 :]) not in STATES:
            raw = segments[-1].split()
            # Drop as many raw words as the name had folded words (punctuation aside).
            keep = raw[: max(0, len(raw) - _raw_span(raw, k))]
            segments[-1] = " ".join(keep)
            if not segments[-1].strip():
                segments.pop()
            return COUNTRIES[name]
    return ""


def _raw_span(raw: list[str], k: int) -> int:
    """How many trailing raw words fold into ``k`` words (e.g. "U.S.A." is one)."""
    count = taken = 0
    for word in reversed(raw):
        if count >= k:
            break
        count += len(fold(word))
        taken += 1
    return taken


def _peel_state(segments: list[str], after_zip: bool) -> str:
    """Remove a trailing US state from the last segment when the layout says it is one.

    Trusted right before a ZIP, or at the end of a segment that is not the first one
    ("..., Austin, TX", "..., Austin TX"); a lone segment ("100 Main Ct") is left to the CRF,
    because "ct", "ne" and "in" end plenty of street lines.
    """
    if not segments or not (after_zip or len(segments) > 1):
        return ""
    table = STATE_LOOKUP if after_zip else STATE_STRICT
    raw = segments[-1].split()
    words = fold(segments[-1])
    for k in (3, 2, 1):
        if len(words) >= k and (code := table.get(" ".join(words[-k:]))):
            segments[-1] = " ".join(raw[: max(0, len(raw) - _raw_span(raw, k))])
            if not segments[-1].strip():
                segments.pop()
            return code
    return ""


# Typed at the boundary: signature from usaddress's own __init__.pyi.
_usaddress_parse: Final[Callable[[str], list[tuple[str, str]]]] = usaddress.parse


def tagged(text: str) -> list[tuple[str, str]]:
    try:
        return _usaddress_parse(text)
    except Exception:  # the CRF is a black box: any failure means "use the fallback"
        return []


def from_tags(
    tags: list[tuple[str, str]], country: str
) -> tuple[list[str], list[str], list[str], str, str]:
    """Group usaddress token labels: (line words, city words, state words, zip text, country).

    Uses ``usaddress.parse`` (per-token labels) rather than ``tag`` so that a label repeated
    in two places (which makes ``tag`` raise RepeatedLabelError, e.g. "Fl 2 Rm 5") is simply
    concatenated in reading order instead of losing the whole address.
    """
    number: list[str] = []
    street: list[str] = []
    unit: list[str] = []
    box: list[str] = []
    city: list[str] = []
    state: list[str] = []
    zip_text = ""
    for token, label in tags:
        words = fold(token)
        if label in _NUMBER_LABELS:
            number += words
        elif label in _STREET_LABELS:
            street += words
        elif label in _UNIT_LABELS:
            unit += words
        elif label == "USPSBoxID":
            box += words
        elif label == "PlaceName":
            city += words
        elif label == "StateName":
            state += words
        elif label in ("ZipCode", "ZipPlus4"):
            zip_text += token
        elif label == "CountryName":
            name = " ".join(words)
            if name in COUNTRIES and not country:
                country = COUNTRIES[name]
            elif name not in COUNTRIES:
                city += words  # a lone unknown word ("austin") is tagged CountryName
    line = number + street + unit
    if box:
        line += ["po", "box", "".join(box)]
    return line, city, state, zip_text, country


def _fallback_fields(segments: list[str]) -> tuple[list[str], list[str], str]:
    """Line words, city words and state code for text the CRF could not make sense of."""
    words_per_seg = [w for w in (fold(s) for s in segments) if w]
    state = ""
    if words_per_seg:
        last = words_per_seg[-1]
        for k in (3, 2, 1):
            if len(last) >= k and (code := STATE_LOOKUP.get(" ".join(last[-k:]))):
                if len(last) > k or len(words_per_seg) > 1:
                    state = code
                    del last[-k:]
                    if not last:
                        words_per_seg.pop()
                break
    if len(words_per_seg) >= 2:
        line = [w for seg in words_per_seg[:-1] for w in seg]
        return line, words_per_seg[-1], state
    if len(words_per_seg) == 1:
        only = words_per_seg[0]
        return (only, [], state) if looks_like_line(norm_line(only)) else ([], only, state)
    return [], [], state


def parse_raw(text: str) -> tuple[list[str], list[str], str, str, str, str, str]:
    """Best-effort fields of arbitrary text; the result is canonicalised by the caller.

    Returns (line words, city words, state, zip5, zip4, postcode, country): the line and
    city are folded words, still to be split and abbreviated by ``addresses.py``.
    """
    text = CONTROL.sub("\n", to_ascii(text[:MAX_TEXT]))
    segments = [CARE_OF.sub(" ", s).strip() for s in SEGMENT_SPLIT.split(text)]
    segments = [s for s in segments if s]
    country = _peel_country(segments)

    zip5 = zip4 = postcode = ""
    if segments:
        last = _ZIP9_BARE.sub(r"\1-\2", segments[-1])
        m = _TRAILING_ZIP.search(last)
        if m and not (set(fold(last[: m.start()])[-1:]) & NOT_BEFORE_ZIP):
            zip5, zip4 = m.group(1), m.group(2) or ""
            last = last[: m.start()]
        elif m := UK_TRAILING.search(last):
            postcode = uk_postcode(m.group(1))
            if postcode:
                last = last[: m.start()]
                country = country or "gb"
        elif m := CA_TRAILING.search(last):
            postcode = f"{m.group(1)} {m.group(2)}".upper()
            last = last[: m.start()]
            country = country or "ca"
        segments[-1] = last.strip()
        segments = [s for s in segments if s]
    state = _peel_state(segments, bool(zip5)) if country in ("", "us") else ""

    tags = tagged(", ".join(segments)) if segments else []
    line, city, state_words, zip_text, country = from_tags(tags, country)
    if state:
        city += state_words  # the layout already gave the state: CRF "states" are city words
    elif state_words:
        code = STATE_LOOKUP.get(" ".join(state_words)) or STATE_LOOKUP.get(state_words[-1], "")
        if code and country in ("", "us"):
            state = code
        else:
            city += state_words
    if zip_text and not zip5:
        z5, z4 = zip_parts(zip_text)
        if z5:
            zip5, zip4 = z5, z4
        elif not postcode:
            postcode = _postcode(zip_text)
    if country in STATE_CODES and not (zip5 or postcode):
        country = ""  # "Toronto, ON, Canada" would read back as California: keep no country
    if not line and not city and segments:
        line, city, found = _fallback_fields(segments)
        if found and country not in ("", "us"):
            city = [*city, found]
        elif found and not state:
            state = found
    if state:
        country = "us"
    return line, city, state, zip5, zip4, postcode, country
