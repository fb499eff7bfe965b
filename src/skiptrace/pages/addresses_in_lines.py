"""Postal addresses found in a page's lines of text, each labelled and named by its block.

A line holding a US town, state and ZIP or a UK postcode ends an address; its delivery lines
are taken from the same line or the lines above it (in a UK one, a building, a street named
without a number, a town on a line of its own above a postcode alone), its label from the
line above, a bracket after it or a line below ("Mailing address: same as above"). A line
holding several addresses is read a piece each, and where the page's elements meet
(``Line.marked``, ``Line.apart``) tells a footer's spans apart. Each address is read from its
text by ``read_address``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Final

from skiptrace.pages._dom import MEET, two_words
from skiptrace.pages._model import KINDS, MAIL_KINDS, NOT_FOR_MAIL, PageAddress, snippet, words
from skiptrace.pages.address_labels import LABEL_ALONE, kind_of_label, strip_label
from skiptrace.pages.read_address import (
    ADDRESSEE,
    CODES,
    DIRECTIONS,
    PARTS,
    STATES,
    STREET,
    STREET_WORDS,
    UK_POSTCODE,
    UNIT_NAMES,
    UNIT_ONLY,
    UNIT_WORD,
    US_TAIL,
    building,
    building_above,
    county,
    cut_to_delivery,
    flat,
    hours_or_phone,
    line_after,
    locality,
    read_address_text,
    street_line,
    unit_or_box_alone,
    us_start,
    without_addressee,
)

MAX_LINES: Final = 5_000
"""At most this many lines of page text are scanned."""

_BLANK: Final = re.compile(r"\s")
_BLANK_OR_MEET: Final = re.compile(rf"[\s{MEET}]")
"""Compiled as the module loads, as every pattern here: a starter's workers inherit them (each
had compiled these on its first page, some 0.3 ms of its search)."""


# (?<!\d)\d{5}(?!\d)|\d[ABD-HJLNP-UW-Z]{2}\b, written to start with \d: re then skips to the next
# digit instead of trying both branches (and the look-behind) at every character, ~4x faster
_ANCHOR: Final = re.compile(r"\d(?:(?<=(?<!\d)\d)\d{4}(?!\d)|[ABD-HJLNP-UW-Z]{2}\b)")
_HINT: Final = re.compile(
    rf"\b(?:{CODES}|{STATES})\.?,?\s+\d{{5}}\b"
    r"|\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2}\b"
)


def has_address(text: str, limit: int = 500) -> bool:
    """The cheap scan of a page's text: a state and ZIP, or a UK postcode, somewhere. Looks
    for the digits first (a fast scan), then at the words just before them."""
    for n, anchor in enumerate(_ANCHOR.finditer(text)):
        if n >= limit:
            return False
        window = text[max(0, anchor.start() - 40) : anchor.end() + 4]
        if _HINT.search(window):
            return True
    return False


_QUICK: Final = re.compile(r"(?<!\d)\d{5}(?!\d)|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _tail_at(line: str) -> re.Match[str] | None:
    """The US or UK tail of a line; a cheap scan for a ZIP or postcode first, and for a state
    just before a ZIP before the US pattern is tried along the line (~1 ms a 300-character line
    of ZIP-like numbers: 5,000 of them had taken 4 s)."""
    quick = _QUICK.search(line)
    if quick is None:
        return None
    us = US_TAIL.search(line, us_start(line)) if has_address(line) else None
    return us or UK_POSTCODE.search(line)


def find_addresses(
    lines: list[str],
    block_of: Callable[[int], str] | None = None,
    marked: Sequence[str] = (),
    apart: Sequence[str] = (),
) -> list[PageAddress]:
    """Every address in a block of page text (one entry a line), with the label that precedes
    it, and the block its last line stands in (``footer``, ``contact``, ``news``...:
    ``block_of`` the line's index), also its label when nothing else names it. ``marked``:
    the lines with where their text nodes meet (``Line.marked``), so that a town is read
    within one (``_one_piece``); ``apart``: with where elements of their own in the line's
    block meet (``Line.apart``), so that an address on one line is read by its parts
    (``_elements_apart``)."""
    found: list[PageAddress] = []
    pieces = [(piece, n) for n, line in enumerate(lines[:MAX_LINES]) for piece in _per_tail(line)]
    lines = [piece for piece, _ in pieces]
    used = -1
    for i, line in enumerate(lines):
        if len(line) > 300:
            continue
        tail = _tail_at(line)
        if tail is None:
            if found and i - used <= _ABOVE and (kind := _same_as_above(lines, i)):
                found[-1] = _named_again(found[-1], kind, line)
            continue
        start = i
        head = line[: tail.start()]
        if not STREET.search(strip_label(head)[1].lstrip(" ,")):
            start = _street_above(lines, start, used, tail.re is US_TAIL)
            if start == i and _uk_alone(line, tail):  # a postcode below its town ("London")
                start = _above_town(lines, i, used)
            elif start == i and tail.re is UK_POSTCODE and county(head):  # "Ludlow" /
                start = _above_town(lines, i, used)  # "Shropshire SY8 1AP"
            elif start == i and tail.re is UK_POSTCODE and _TOWN.fullmatch(head.strip(" ,")):
                start = _lines_above(lines, i, used)  # "Unit 4" / "Mill Lane" / "Leeds LS1 4AB"
            elif tail.re is UK_POSTCODE:  # "Rose Cottage" / "3 Church Street" / "Leeds LS1 4AB"
                start = building_above(lines, start, used)
        # the lines passed over as hours or a phone (``_past_hours``) are none of it, whole:
        # "Mon-Fri 9am-5pm, Marcus Oyelaran" read in parts had kept his name
        between = [b for b in lines[start + 1 : i] if not hours_or_phone(b)]
        block = [lines[start], *between, lines[i]] if start < i else [lines[i]]
        if apart and start == i:  # before a label is cut from it
            block[0] = _elements_apart(block[0], apart[pieces[i][1]], tail.re is UK_POSTCODE)
        label, block[0] = strip_label(block[0])
        if ADDRESSEE.search(label):  # "Attn: Marcus Oyelaran, PO Box ...": not the name; and
            # "One Microsoft Way Attn: Dana Way" is a street, never a label (its lines cut
            # the part addressed to a person as they are read)
            label, block[0] = "", f"{label}: {block[0]}"
        if not label:  # "418 Dockside Ave, Springfield, IL 62703 (mailing)"
            label = _after(line, tail.end())
        if not label:
            label = _label_above(lines, start, used)
        text = ", ".join(b.strip(" ,") for b in block if b.strip(" ,"))
        address = read_address_text(text, label)
        if address is None:
            continue
        if marked:
            # a line's end is where its elements end: "3377 Broadway" above "Springfield, IL
            # 62701" is read to its line's end, never on into the town's words
            said = f"{MEET} ".join(dict.fromkeys(marked[n] for _, n in pieces[start : i + 1]))
            city = _one_piece(address.city, said)
            delivery = _run_on(address.lines, text, address.city, city)
            if not city and address.postal_code:
                city = _town_in_its_element(said, address.postal_code, address.region)
            delivery = _street_of_its_span(delivery, said, tail.re is UK_POSTCODE)
            address = replace(address, city=city, lines=delivery)
        where = block_of(pieces[i][1]) if block_of is not None else ""
        if where:
            address = replace(address, block=where, label=address.label or where)
        found.append(address)
        used = i
    return found


def _elements_apart(text: str, said: str, british: bool) -> str:
    """An address on one line of the page (``text``; ``said`` the line with ``MEET`` where
    elements standing in its block meet, ``Line.apart``) with a comma where two such elements
    meet between words and a line ends (``_line_ends``), as a footer's spans set as lines by
    its style show it ("<span>The Old Mill</span> <span>Mill Lane</span> <span>Ashford TN24
    8AB</span>"): its building, its street and its town are told apart as on lines of their
    own, and so is a name in a span of its own ("Marcus Oyelaran Mill Lane Ashford" had been
    one line); a US one's street from the hours or phone before it and the unit after it
    ("Open 7 days 418 Dockside Ave", "3377 Broadway Suite 200" had been one line).

    Only there: an element meeting the block's own words is a word set in bold or linked in a
    line ("Unit 4 <b>Riverside</b> Business Park"), and ``said`` has no ``MEET`` there. And an
    element holding what is no line by itself (``_NO_LINE``: "16", "Unit", "2nd") stays with
    the next ("<span>16</span> <span>Mill Lane</span>" is "16 Mill Lane"). ``text`` as it is
    when it is not the whole line (another address on the line)."""
    if _BLANK_OR_MEET.sub("", said) != _BLANK.sub("", text):
        return text
    out, last = "", ""
    pieces = said.split(MEET)
    for k, piece in enumerate(pieces):
        words = bool(out.strip() and piece.strip())
        if words and (out[-1] == " " or piece[0] == " " or two_words(out, piece)):
            apart = _line_ends(last.strip(" ,"), pieces[k:], british)
            out = f"{out.rstrip(' ,')}, {piece.lstrip(' ,')}" if apart else f"{out} {piece}"
        else:
            out += piece
        last = piece if piece.strip() else last
    return " ".join(out.split())


def _line_ends(last: str, after: list[str], british: bool) -> bool:
    """The element holding ``last`` ends a line of the address before the next (the first of
    ``after``, the line's elements from there on), unless ``last`` is no line by itself
    (``_NO_LINE``). In a US address only where the next starts a street, unit or box ("Open 7
    days", a phone's digits or "3377 Broadway" before "418 Dockside Ave" or "Suite 200"), or
    ``last`` is a unit or box alone, or a street a number's word starts (``_NUMBER_WORD``),
    and the next starts the town ("Suite 207" / "San Francisco" / "CA"), or ``last`` is a
    street, unit or box and the next holds words alone before another such line or the
    town's element ("3377 Broadway" / "Dana Court" / "New York, NY ..."): they are read as a
    part of their own, which may name whom the address reaches and is no line of it unless
    known by what it is (``line_after``); "3377 Broadway Dana Court" had been the street's
    line."""
    if _NO_LINE.fullmatch(last):
        return False
    piece = after[0].strip(" ,")
    if british or STREET.match(piece):
        return True
    if not STREET.match(last):
        return False
    rest = [p for p in after[1:] if p.strip(" ,")]
    if rest and STREET.match(rest[0].strip(" ,")):  # words alone between two lines
        return True
    town = US_TAIL.match(" ".join(after).strip(" ,"))
    if town is None:
        return False
    if town.end("city") > len(piece):  # words alone before the town's element
        return True
    alone = unit_or_box_alone(last) or _NUMBER_WORD.match(last) is not None
    return alone and not ADDRESSEE.search(town["city"])


_NUMBER_WORD: Final = re.compile(r"(?:One|Two)\s")
"""A street a number's word starts ("One Liberty Plaza"): run into the town's words, a name
before it had been read as its line ("Marcus Oyelaran" / "One Liberty Plaza" / "New York")."""


_NO_LINE: Final = re.compile(
    rf"(?:\d+(?:st|nd|rd|th|[A-Za-z])?(?:[-/]\d+)?|{UNIT_WORD}|#|No\.?)", re.I
)
"""What an element may hold that is no line by itself: a house's or unit's number alone
("16", "16A", "12-14"), a floor's ("2nd"), a unit's word alone ("Unit", "Flat")."""


def _street_above(lines: list[str], i: int, used: int, us: bool) -> int:
    """The first line of the street, unit or box lines above the town's line ``i`` (``i``
    if none: lines after ``used`` only, at most three). In a US address one line of words
    alone may stand between them and the town, and is read with them: "418 Dockside Ave" /
    "Marcus Oyelaran" / "Springfield, IL ..." and "3377 Broadway" / "Dockside Plaza" / "New
    York, NY ..." had found no address; the words are then no line of it unless known by what
    they are (``line_after``), so the name is never kept."""
    start, skipped, passed = i, False, 0
    while start > used + 1 and i - start - passed < 3 + skipped:
        over = _past_hours(lines, start - 1, used)
        if _ends_in_a_street(lines[over]):
            start, passed = over, passed + start - 1 - over
        elif us and not skipped and start > used + 2 and _words_alone(lines[start - 1]):
            if not _ends_in_a_street(lines[start - 2]):
                break
            start, skipped = start - 2, True
        else:
            break
    return start


def _past_hours(lines: list[str], k: int, used: int) -> int:
    """Line ``k``, or the first above it, after ``used``, that is not a line of opening hours
    or a phone number (``hours_or_phone``; at most two passed over): "1 Main St" / "Mon-Fri
    9am-5pm" / "Suite 200" / "Springfield, IL ..." had lost its street, "418 Dockside Ave" /
    "Phone: (555) 123-4567" / "Decatur, IL ..." found no address, and "12 High Street" / "Tel:
    0113 496 0000" / "Leeds LS1 4AB" gave the town as the street. The lines passed over are
    none of the address, whatever else they say."""
    above = k
    while above > used + 1 and k - above < 2 and hours_or_phone(lines[above]):
        above -= 1
    return above


def _words_alone(line: str) -> bool:
    """``line`` holds words alone that may name whom an address reaches (``_addressee``):
    a name, "Attn: ...", a plaza named with no number; not a label nor a sentence."""
    return not STREET.match(line.strip(" ,")) and _addressee(line)


def _ends_in_a_street(line: str) -> bool:
    """``line`` (a line above a town) is a street, unit or box, or ends after a comma, a bar
    or a dot in a street known by its street word or a box: "Harbor Lane Plumbing, 12 Harbor
    Lane" above "Springfield, IL 62701" is read as it is on one line (the name set off before
    the street no line of it); it had found no address. (Not "Open daily, 24 hours a day",
    whose number starts no street.)"""
    text = strip_label(line)[1]
    if STREET.match(text):
        return True
    last = PARTS.split(text)[-1]
    return last != text and STREET.match(last) is not None and street_line(last)


def _one_piece(city: str, marked: str) -> str:
    """``city`` as read within one text node of the page: where nodes meet inside its words
    in ``marked`` (the address's lines, ``MEET`` where an inline element starts or ends),
    the town starts after the last meeting. A footer's spans set as lines by its style,
    "<span>PO Box 2291</span> <span>Marcus Oyelaran</span> <span>Springfield, IL ...",
    read as one line; the name before the town is in a span of its own."""
    if not city or MEET not in marked:
        return city
    pattern = rf"[\s{MEET}]+".join(re.escape(word) for word in city.split())
    found = None
    for found in re.finditer(pattern, marked):  # noqa: B007 - the last is the address's
        continue
    if found is None or MEET not in found.group():
        return city
    return " ".join(found.group().rpartition(MEET)[2].split())


def _run_on(lines: tuple[str, ...], text: str, read: str, town: str) -> tuple[str, ...]:
    """``lines`` with the words that end its last line's element of the page, read at first
    as the town's (``read``, cut to ``town``; ``text`` the address as written): "<span>5 Court
    Square West</span> <span>Long Island City, NY ...", "<span>500 W. 5th St</span>", "<span>400
    Main St 12th Fl</span>". Only words that name no one (``_names_no_one``), and only as the
    cut of the line as written with them keeps them all."""
    dropped = read[: len(read) - len(town)].split() if town and read.endswith(town) else []
    if not (dropped and lines and all(map(_names_no_one, dropped))):
        return lines
    flat_text = flat(text)
    written = PARTS.split(flat_text[: flat_text.rfind(read)].strip())[-1]
    before, after = cut_to_delivery([written]), cut_to_delivery([" ".join([written, *dropped])])
    if not before or lines[-len(before) :] != tuple(before):
        return lines
    ended = " ".join(after).endswith(" ".join(dropped))
    return (*lines[: -len(before)], *after) if ended else lines


_ENDS_IN_A_NUMBER: Final = re.compile(r"(?P<before>.*\S)\s+(?P<number>\d+[A-Za-z]?)")


def _street_of_its_span(lines: tuple[str, ...], said: str, british: bool) -> tuple[str, ...]:
    """``lines`` with the last read as a comma after its element of the page would have ended
    it (``said``: the address's text, ``MEET`` where elements meet): "<span>3377
    Broadway</span> <span>New York, NY ...", a street with no street word, had been read as
    "3377", and "1 Avenue of the Americas" as "1 Avenue", the rest of the street taken with
    the town's words and dropped with them as whom the address reaches. The element's words
    are cut as a line's are ("12 Harbor Lane Marcus Oyelaran" is "12 Harbor Lane"), and words
    in an element of their own stay out: before a street's number that starts its element
    ("<span>Harbor Lane Plumbing</span>") they are no part of its line (a unit's are a line
    of its own), and after the element they are still whom it reaches."""
    if not lines:
        return lines
    last, unit = lines[-1], []
    starts = rf"(?:^|[\s{MEET}])"
    ends = _ENDS_IN_A_NUMBER.fullmatch(last)
    if ends and re.search(rf"{MEET}\s*{re.escape(ends['number'])} ", said):
        last, starts = ends["number"], rf"{MEET}\s*"  # "Harbor Lane Plumbing 3377" (two elements)
        unit = [ends["before"]] if UNIT_ONLY.match(ends["before"]) else []
    pattern = rf"{starts}{re.escape(last)}((?:[ ,][^{MEET}]*)?){MEET}"
    run = None
    # no match runs past the last MEET: in the text after it, each start of ``last`` had
    # been read to the text's end ("12 Main St " 16,000 times above the town took 17 s)
    for run in re.finditer(pattern, said[: said.rfind(MEET) + 1]):  # noqa: B007 - the last
        continue
    if run is None:
        return lines
    element = f"{last}{run[1]}"
    if (tail := _tail_at(element)) is not None:  # the town is in the street's element, and
        # the element ends after it: "3377 Broadway, Leeds LS1 4AB <a>(217) ...</a>" had the
        # line "Leeds LS1 4AB"
        element = element[: max(tail.start(), len(last))]
    # its parts as a line's are read: set off by dashes too, without what is addressed to a
    # person ("3377 Broadway c/o Marcus Oyelaran", "3377 Broadway - Marcus Oyelaran")
    first, *more = map(without_addressee, PARTS.split(flat(element)))
    whole = cut_to_delivery([first])  # "Marcus Oyelaran 3377 Broadway" is "3377 Broadway",
    for part in more:  # as a comma-ended part; and "Unit 4, Mill Lane" two lines, while
        if not part or not line_after(part, british):  # "Unit 4, Marcus Oyelaran", "One
            break  # Microsoft Way, Attn: Dana Lane", "3377 Broadway, Dana Court" end before it
        whole += cut_to_delivery([part])
    if not whole or " ".join(whole) == last:
        return lines
    return (*lines[:-1], *unit, *whole)


def _names_no_one(word: str) -> bool:
    """``word`` is a street's, a direction's, a unit's or a box's word, a number or a letter."""
    said = word.lower().rstrip(".,")
    return (
        len(said) <= 1
        or any(c.isdigit() for c in said)
        or said in STREET_WORDS | DIRECTIONS | UNIT_NAMES | _BOX_WORDS
    )


_BOX_WORDS: Final = frozenset(words("po p.o box pmb station stn"))


_ADDRESSEES: Final = 2
"""Lines whom an address reaches may take between its label and its delivery lines: the
business's name, an "Attn:" line."""


def _label_above(lines: list[str], start: int, used: int) -> str:
    """The label over an address whose first delivery line is ``start``: the line above it if
    it ends in ":" or is a label alone (a heading, a ``<dt>`` or a bold line: "Mailing
    Address"), or one naming a kind above the lines whom it reaches ("Mailing Address" /
    "Harbor Lane Plumbing, LLC" / "Attn: Accounts Payable" / "PO Box 2291"; "Mailing address:
    Harbor Lane Plumbing"); '' otherwise, and never a line of the address read before."""
    for above in range(start - 1, max(used, start - 2 - _ADDRESSEES), -1):
        previous = lines[above]
        if previous.endswith(":") and len(previous) < 60:
            label = previous.rstrip(": ")
        elif LABEL_ALONE.fullmatch(previous.strip()) and kind_of_label(previous):
            label = previous.strip()
        else:
            label, rest = strip_label(previous)
            label = label if kind_of_label(label) and _addressee(rest) else ""
        if label and (above == start - 1 or kind_of_label(label)):
            return label
        if not _addressee(previous):
            return ""
    return ""


_SENTENCE_END: Final = re.compile(r"(?:[^\W\d_]{5,}[.!?]|[!?:])$")
"""How a sentence or a label ends ("... in your inbox.", "Questions?"), not a name's "Inc."."""
_TO_A_PERSON: Final = re.compile(ADDRESSEE.pattern + ".*", re.I)
_WORDS: Final = re.compile(r"[^\W\d_]+")
"""A line's words of letters."""


def _addressee(line: str) -> bool:
    """A line an address may start with, whom it reaches: "Attn: ..." or "c/o ...", or a name
    (no digit, each word of four letters or more capitalised: "Harbor Lane Plumbing, LLC"), not
    a sentence ("Get seasonal tips in your inbox.") nor a label itself ("Our Shop")."""
    text = line.strip()
    if _TO_A_PERSON.match(text):
        return True
    long = [w for w in _WORDS.findall(text) if len(w) >= 4]
    return (
        0 < len(text) <= 60
        and not any(c.isdigit() for c in text)
        and _SENTENCE_END.search(text) is None
        and all(w[0].isupper() for w in long)
        and not kind_of_label(text)
    )


_TAILS_A_LINE: Final = 8
"""Addresses read from one line at most: a shop and its mailing address, a move's two, a
footer's branches ("Springfield: ... | Decatur: ... | Peoria: ..."); a line holding more
gives these and no more (its rest never joins the last: "3 C St, Peoria, IL 61602, 4 D St")."""


_SAME: Final = re.compile(
    r"(?:the\s+)?same\s+as\s+(?:above|(?:the\s+|our\s+)?[a-z ]{0,30}?"
    r"(?:address|shop|showroom|office|store|location))\W*",
    re.I,
)
_ABOVE: Final = 4
"""Lines below an address that "Mailing address: same as above" may be (its phone, hours)."""


def _same_as_above(lines: list[str], i: int) -> str:
    """The kind for mail (``MAIL_KINDS``) that line ``i`` gives the address above it:
    "Mailing address: same as above", or "Same as above" under "Mailing address"; ''
    otherwise."""
    label, rest = strip_label(lines[i])
    previous = lines[i - 1].strip() if i else ""
    if not label and (previous.endswith(":") or LABEL_ALONE.fullmatch(previous)):
        label, rest = previous.rstrip(": "), lines[i]
    if not label or not _SAME.fullmatch(rest.strip()):
        return ""
    kind = kind_of_label(label)
    return kind if kind in MAIL_KINDS else ""


def _named_again(address: PageAddress, kind: str, line: str) -> PageAddress:
    """``address`` as the kind a line below it gives it, if that is more wanted than its own;
    never one the page says takes no mail."""
    if address.kind in NOT_FOR_MAIL or KINDS.index(kind) >= KINDS.index(address.kind):
        return address
    return replace(address, kind=kind, label=snippet(line, 80))


def _per_tail(line: str) -> list[str]:
    """``line`` cut after each town and ZIP or postcode that another follows: one address a
    piece ("Showroom: 418 Dockside Ave, Springfield, IL 62703 | Mailing: PO Box 2291, ...",
    "moved from 12 Old Mill Rd, ... to 418 Dockside Ave, ..."), each with its own words; at
    most ``_TAILS_A_LINE`` pieces, the rest of a line holding more dropped."""
    if len(line) > 300:
        return [line]
    ends: list[int] = []
    while (
        len(ends) <= _TAILS_A_LINE
        and (tail := _tail_at(line[ends[-1] if ends else 0 :])) is not None
        and tail.end() > 0
    ):
        end = (ends[-1] if ends else 0) + tail.end()
        after = _TRAILING.match(line, end)  # its label after it is its own, not the next's
        ends.append(after.end() if after and kind_of_label(after["label"]) else end)
    if len(ends) > _TAILS_A_LINE:  # another address follows the last read: not part of it
        line, ends = line[: ends[_TAILS_A_LINE - 1]], ends[:_TAILS_A_LINE]
    cuts = [0, *ends[:-1], len(line)]
    pieces = [line[a:b].strip(" ,;|\u2022\u00b7") for a, b in pairwise(cuts)]
    return [p for p in pieces if p] or [line]


_TRAILING: Final = re.compile(r"\s*,?\s*[(\[]\s*(?P<label>[A-Za-z][A-Za-z /&'\-]{1,40}?)\s*[)\]]")
"""A label in brackets right after an address: "(mailing)", "[showroom]", "(old address)"."""


def _after(line: str, end: int) -> str:
    """The label in brackets right after the address ending at ``end`` when it names a kind
    (``kind_of_label``), '' otherwise ("(USA)", "(enter from Elm St)")."""
    found = _TRAILING.match(line, end)
    return found["label"] if found and kind_of_label(found["label"]) else ""


def _uk_street(line: str) -> bool:
    """A British street named without a number ("Mill Lane"): only ever taken between a
    numbered delivery line and the town (a person's name can end in Hill or Lane too)."""
    words = line.strip(" ,").split()
    return (
        0 < len(words) <= 5
        and words[-1].lower().rstrip(".") in STREET_WORDS | _UK_STREET_WORDS
        and _TOWN.fullmatch(line.strip(" ,")) is not None
    )


_UK_STREET_WORDS: Final = frozenset(
    words("close crescent gardens mews grove walk hill green estate")
)
"""Street words of British streets named without a number (only for a line of its own: as US
town names they would cut "Grove City" short)."""


def _town_in_its_element(said: str, postcode: str, region: str = "") -> str:
    """The town of an address read with none, where an element of the page sets it off
    (``said``: the address's text, ``MEET`` where elements meet): the words of letters before
    the postcode and region in their element ("<span>21 Baker St</span> <span>London NW1
    6XE</span>", "<span>Attn: Marcus Oyelaran</span> <span>Springfield, IL 62705</span>"), or
    the element before it ("<span>Leeds</span> <span>LS1 4AB</span>"); '' for none. In one
    piece of text ("21 Baker St London NW1 6XE", "PO Box 2291 Attn: Marcus Oyelaran Springfield,
    IL") a name may stand there, and it is not read."""
    at = said.rfind(postcode.partition("-")[0])  # a ZIP+4 as written: "62705 - 1234"
    pieces = [piece.strip(" ,") for piece in said[: max(at, 0)].split(MEET)]
    if len(pieces) < 2:
        return ""
    if region and pieces[-1].endswith(region):
        pieces[-1] = pieces[-1][: -len(region)].strip(" ,")
    town = pieces[-1] or next((p for p in reversed(pieces[:-1]) if p), "")
    if ADDRESSEE.search(town):  # "Attn Marcus Oyelaran Springfield": where it ends is unknown
        return ""
    return town if _TOWN.fullmatch(town) and (pieces[-1] or len(pieces) > 2) else ""


_TOWN: Final = re.compile(r"[A-Za-z][A-Za-z' -]{1,39}")
"""A line that may be a town: letters only."""


def _uk_alone(line: str, tail: re.Match[str]) -> bool:
    return tail.re is UK_POSTCODE and not line[: tail.start()].strip(" ,")


def _above_town(lines: list[str], i: int, used: int) -> int:
    """Where the address ends by a postcode alone on line ``i`` (or a county and its postcode)
    starts: the town on the line above, or above its county ("Radstock" / "Somerset" / "BA3
    4BH"), and above it delivery lines (at most three) of which the first is numbered (a
    street, suite or PO box) and the others such or a street named without a number; ``i`` if
    they are not there."""
    town = i - 1
    if town - 1 > used and county(lines[town]) and not county(lines[town - 1]):
        town -= 1  # the county is the address's region (``read_address_text``), not its town
        street, comma, place = lines[town].partition(",")
        if comma and STREET.match(street.strip()) and _town_line(place):
            return town  # "12 Mill St, Ludlow" / "Shropshire" / "SY8 1AP"
    if town <= used or not _town_line(lines[town]):
        return i
    start = _lines_above(lines, town, used)
    return start if start < town else i


def _town_line(line: str) -> bool:
    """``line`` may be a town's: letters only, or a town before its county after a comma
    ("Ludlow, Shropshire" above "SY8 1AP": the county on the town's line), of no street's
    words ("Harbor Lane Plumbing, Shropshire" would be read as a street and its county as the
    town)."""
    town, comma, rest = line.strip(" ,").rpartition(",")
    if comma and county(rest):
        if STREET_WORDS & set(town.lower().replace(".", " ").split()):
            return False
        line = town
    return _TOWN.fullmatch(line.strip(" ,")) is not None


def _lines_above(lines: list[str], town: int, used: int) -> int:
    """Where the delivery lines above line ``town`` (the town's) start: at most three, of which
    the first is numbered or names a building ("The Old Mill" / "Mill Lane") and the others
    such, or a street named without a number right above the town (a name may end in Court or
    Place: "The Old Mill" / "Dana Court" / "Mill Lane" is no address), or right above a
    locality (``locality``) right above the town ("12 Mill St" / "Little Aston" / "Sutton
    Coldfield, B74 3AA" had found no address; "12 Mill St" / "Marcus Oyelaran" / "Sutton
    Coldfield" still finds none); ``town`` if they are not there."""
    start, passed, last = town, 0, town
    while start > used + 1 and town - start - passed < 3:
        over = _past_hours(lines, start - 1, used)  # "12 High Street" / "Tel: 0113 ..." / "Leeds"
        if start == town and over == town - 1 and locality(lines[over].strip(" ,")):
            start, last = over, over  # "Little Aston", below its street: the line above is
            continue  # read as the town's would be ("Mill Lane" / "Little Aston" / "Sutton ...")
        if not _british_line(lines[over], start == last):
            break
        start, passed = over, passed + start - 1 - over
    while start < town and not (STREET.match(lines[start]) or building(lines[start])):
        start += 1  # the first delivery line is numbered or a building: "Dana Hill" is none
    return start


def _british_line(line: str, last: bool) -> bool:
    """``line`` may be a British delivery line: numbered, a building named, or (the ``last``
    line) a street named without a number."""
    return bool(STREET.match(line) or building(line) or (last and _uk_street(line)))
