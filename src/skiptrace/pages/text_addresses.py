"""Postal addresses written as text: detected with regexes, labelled, named by their section.

A US address ends in ``City, ST 12345[-6789]`` (or a state spelt out); a UK one in a postcode.
The delivery lines before it (a street line, a suite or unit line, a PO box; in a UK one, a
building named by what it is: "The Old Mill") are taken from the same line or up to two lines
above. A label before it ("Mailing address:", "PO Box", "Billing",
"Headquarters", "Visit us"; "Returns address:" a warehouse's, not mail's) sets its kind. Parts
are kept as written; ``parse_one_line`` from ``skiptrace.normalize`` splits what the regexes
cannot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Final

from skiptrace.normalize import parse_one_line
from skiptrace.normalize._address_tables import DIRECTIONALS, UNIT_DESIGNATORS, UNIT_WORDS
from skiptrace.normalize.names import is_honorific
from skiptrace.pages._dom import MEET, two_words
from skiptrace.pages._model import KINDS, MAIL_KINDS, NOT_FOR_MAIL, PageAddress, snippet, words
from skiptrace.records import MAX_ADDRESS_LINES

MAX_LINES: Final = 5_000
"""At most this many lines of page text are scanned."""

_STATES: Final = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|District of Columbia"
)
_CODES: Final = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|GU|VI|AS|MP|"
    "AA|AE|AP"  # the armed forces' post offices: "PSC 123 Box 4567, APO, AE 09001"
)
US_TAIL: Final = re.compile(
    # a town starts a word: not inside one ("12 Har|bor Lane ...", cut at the town's longest)
    # nor after "c/" (of "c/o")
    rf"(?<![\w/'&\-])(?P<city>[A-Za-z][A-Za-z .'\-]{{0,40}}?)"
    rf"\s*,?\s+(?P<region>(?:{_CODES})|(?:{_STATES}))\.?"
    r",?\s+(?P<zip>\d{5}(?:\s?-\s?\d{4})?)"
    r"(?:\s*,?\s*(?P<country>USA|U\.S\.A\.|United States(?: of America)?|US))?\b"
)
UK_POSTCODE: Final = re.compile(
    r"\b(?P<zip>(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2})\b"
    r"(?:\s*,?\s*(?P<country>UK|United Kingdom|England|Scotland|Wales|Northern Ireland))?"
)
_UNIT_NAMES: Final = frozenset({*UNIT_WORDS, *UNIT_DESIGNATORS, "flat"} - {"#", "ph"})
"""A unit's words (Publication 28's that take a number: "Suite", "Fl", "Rm", "Bldg", "Lot",
"Trlr"; and "Flat"), not "PH": a phone's ("Ph 555-1234" above the street)."""
_UNIT_WORD: Final = "(?:" + "|".join(sorted(_UNIT_NAMES, key=len, reverse=True)) + r")\.?"
_NTH_FLOOR: Final = (
    r"(?:\d+(?:st|nd|rd|th)|(?:Lower |Upper )?Ground|First|Second|Third|Fourth|Fifth|Top)"
    r" Fl(?:oor|r)?\b"
)
"""A floor by its number or its word ("2nd Floor", "Ground Floor", "First Floor"): a unit
line, as British addresses write one above a building's name."""
_STREET: Final = (
    # a number and what follows up to the comma all digits is a phone's, a VAT or company
    # number ("01234 567890", "123 4567 89"), no street
    r"(?:\d+[A-Za-z]?(?:-\d+)?\s+(?![\d\s().+-]{0,30}(?:$|[,;|]))\S|"
    r"[NSEW]\d+\s|One |Two |(?:P\.?\s?O\.?\s*)?(?:Box|Drawer)\s+\d|"
    r"POB\s*\d|Lock\s?box\s+\d|PMB\s*\d|"
    r"Post Office Box|PO Box|P\.O\. Box|Suite\b|Ste\.?\s|Unit\b|Apt\.?\s|Floor\b|#\s?\d|"
    rf"{_NTH_FLOOR}|Flat\b|Building\b|{_UNIT_WORD}\s*#?\s*\d|"
    r"Rural Route|RR \d|HC \d|PSC \d|CMR \d|"
    # a Spanish street's word comes first and its number last ("Calle Luna 12", in Puerto Rico)
    r"(?:Calle|Avenida|Camino|Paseo)\s+(?=(?:\S+\s+){0,5}\d))"
)
STREET: Final = re.compile("^" + _STREET, re.I)
_STREET_AT: Final = re.compile(_STREET, re.I)
"""STREET for ``match(text, pos)``: where ``^`` would not match."""
PO_BOX: Final = re.compile(
    r"\b(?:P\.?\s?O\.?\s*(?:Box|Drawer)|Post Office (?:Box|Drawer)|(?:Box|Drawer)\s+\d|POB\s*\d|"
    r"Lock\s?box\s*\d|PMB\s*\d)",
    re.I,
)
"""A box the post office or a mail service keeps: a PO box or drawer, a bank's lockbox, a
private mailbox (PMB) at a street address."""
_RETURNS: Final = re.compile(r"(?<!tax )\breturns\b|\breturn\s+(?:goods|items?|merchandise|"
                             r"products?|orders?|parcels?|packages?)\b", re.I)  # fmt: skip
# compiled as the module is imported (by the sandbox's starter, before it forks a worker):
# compiled on first use, they had cost each search's worker 1.5 ms
_LABELS: Final = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    # the page's word against mail first: "Previous mailing address"
    ("former", r"\b(?:former|previous|prior|old)\s+(?:(?:mailing|postal|street|business|shop|"
     r"store|office)\s+)?(?:address|location|premises|p\.?\s?o\.?\s*box)|\b(?:formerly|"
     r"previously|used to be)\s+(?:at|located|in)\b|\bmoved from\b|\bno longer at\b|"
     r"\bour (?:old|former|previous) (?:\w+ )?(?:office|shop|store|showroom|premises|building)\b"),
    # the negation must govern the mail: "do not send mail here", not "don't hesitate to send"
    ("no_mail", r"\b(?:do not|don't|never|please don't)\s+(?:send|mail|post|deliver)\b|"
     r"\bnot (?:for|a) (?:mail|post)|\bno (?:mail|post|deliveries)\b|"
     r"\b(?:does|do) not (?:accept|receive) (?:mail|post)|"
     r"\b(?:mail|post)\b[^.!?]{0,30}\bnot (?:accepted|delivered)"),
    # goods sent back go to a warehouse, not where the business takes mail: "Mail order
    # returns:", "Ship returns to" (but "Mail your tax returns to" is the office's mail)
    ("location", _RETURNS.pattern),
    # "mail" on its own ("Mail:", "Mail us at", "Mail checks to"), never "e-mail" or "email",
    # nor a newsletter's "mailing list";
    # payments go to a mailing address ("Payment address:", "Payments:")
    ("mailing", r"mailing(?!\s+list)|postal address|(?<![\w-])mail\b|send (?:mail|correspondence|"
     r"payments?)|correspondence|remit|\bpayments?\b"),
    ("billing", "billing|invoice|accounts payable"),
    ("headquarters", "headquarters|head office|\\bhq\\b|registered office|corporate office|"
     "main office"),
    ("po_box", "p\\.?\\s?o\\.?\\s*(?:box|drawer)|post office (?:box|drawer)|\\bpob\\b|lock\\s?box"),
    ("location", r"location|\bvisit(?:ors?|ing)?\b|find us|our (?:shop|store|office|showroom)|"
     "physical address|street address|directions|branch|warehouse|store|showroom|studio"),
))  # fmt: skip
_STREET_WORDS: Final = frozenset(
    words(
        "st street ave avenue rd road blvd boulevard dr drive ln lane way ct court pl place "
        "pkwy parkway hwy highway cir circle ter terrace trl trail sq square plz plaza row loop "
        "run pike tpke turnpike aly alley xing crossing expy expressway fwy freeway "
    )
)
LABEL_LINE: Final = re.compile(r"^(?P<label>[A-Za-z][A-Za-z /&'\-]{1,40}?)\s*:\s*(?P<rest>.*)$")


_LABEL_ALONE: Final = re.compile(r"[A-Za-z][A-Za-z /&'\-]{1,40}")
"""A line that is only words, short enough to be a label of the address below it."""


def kind_of_label(label: str) -> str:
    """``mailing``, ``po_box``, ``billing``, ``headquarters`` or ``location`` for a label such as
    a schema.org ``contactType`` or the words before a text address, ``former`` or ``no_mail``
    for one saying the address is past or takes no mail; '' when it names none. Only its last
    clause is read: a sentence before it tells of something else ("Our old office has closed.
    New mailing address"), and one ending in "to" names where a move went."""
    clause = _last_clause(label)
    for kind, pattern in _LABELS:
        if pattern.search(clause) and not (kind == "former" and _MOVED_TO.search(clause)):
            return kind
    return ""


_MOVED_TO: Final = re.compile(r"\b(?:to|into)\W*$", re.I)
"""A label ending where a move went ("We've moved from Main Street to", "from our old shop
into"): the address after it is the new one, not the one it names as past."""


_CLAUSE_END: Final = re.compile(r"(?<=[a-z]{2}[.!?])\s+|[;:]\s+")
"""Where a clause ends: a sentence's end after a word ("closed. New"; not "P.O. Box", "St.
Louis"), a semicolon or a colon."""


def _last_clause(text: str) -> str:
    return _CLAUSE_END.split(text)[-1].strip()


def _split_delivery(head: str, british: bool = False) -> tuple[str, list[str]]:
    """The words leading into the first delivery line in its own part ("Send payments to",
    "Our old address was": they may say what the address is; a part of its own before it, set
    off by a comma, is a name) and the delivery lines before the town, without a line
    addressed to a person ("c/o ...", "Attn: ...", "FAO ..."): the business's address is kept,
    never whom it reaches. A British address (``british``) keeps the building named in the part
    before its street ("The Old Mill, Mill Lane"): for a house with no number it is the address."""
    parts = [_without_addressee(p).strip(" ,;:") for p in _PARTS.split(head)]
    parts = [p for p in parts if p]
    for k, part in enumerate(parts):
        at = _street_start(part)
        if at < 0:
            continue
        # "Marcus Oyelaran, PO Box 2291", "Send payments to Marcus Oyelaran at PO Box 2291":
        # whom it reaches is not the address; but "Route 66, Suite 4" keeps its road
        parts[k] = part[at:]
        if k and _UNIT_ONLY.match(parts[k]) and _road(parts[k - 1]):
            return "", _cut_to_delivery(parts[k - 1 :])
        first = _building_above(parts, k) if british and not at else k
        delivery = _from_the_street(parts[first:], british)
        return part[:at].strip(), _cut_to_delivery(delivery, british)
    # no number, unit or box: a street named alone ("Mill Lane", as UK addresses write it);
    # a part of letters before it may be whom it reaches ("Marcus Oyelaran, Mill Lane")
    named = [k for k, part in enumerate(parts) if _street_line(part)] or [0]
    # a British street is the last so named, as on lines of its own (``_lines_above``: a name
    # may end in Court or Place, "Dana Court, Mill Lane"), below the building it may name
    street = _building_above(parts, named[-1]) if british else named[0]
    return "", parts[street:]


def _building_above(parts: list[str], street: int, used: int = -1) -> int:
    """Where the delivery lines start above part ``street`` (a line of the page's, below line
    ``used``): at the part before it if that names a building (``_building``), else at the
    street."""
    return street - 1 if street - 1 > used and _building(parts[street - 1]) else street


def _building(part: str) -> bool:
    """``part`` names a building by what it is, never as a person is named: it ends in a word
    for a building that is no one's surname ("Rose Cottage", "Manor Farm", "The Granary"), or
    in one that is a surname too (Hall, House, Mill, Lodge, Court) after a word saying what
    kind of building it is, which no given name is ("The Old Mill", "Coach House", "Riverside
    Business Park"; not "Jenny Hall", "Ivy House"). Two to five capitalised words, no title
    ("Mrs Rose Cottage")."""
    said = part.split()
    if not 2 <= len(said) <= 5 or not all(_CAPITALISED.fullmatch(w) for w in said):
        return False
    lower = [w.lower().rstrip(".") for w in said]
    if any(is_honorific(w) or w in _STYLES for w in lower):
        return False
    last, kind = lower[-1], lower[-2]
    return last in _NO_ONES_BUILDINGS or (last in _NAMED_BUILDINGS and kind in _BUILDING_KINDS)


_CAPITALISED: Final = re.compile(r"[A-Z][A-Za-z'\-]*")
_STYLES: Final = frozenset(words("revd rt lord lady"))
"""British styles before a name that ``is_honorific`` does not know ("The Revd Tom Hall")."""
_NO_ONES_BUILDINGS: Final = frozenset(
    words(
        "cottage cottages farm farmhouse barn barns buildings centre estate wharf studios mews "
        "stables rectory vicarage mansion mansions granary oast gatehouse warehouse maltings"
    )
)
"""Words for a building that (fewer than 500 people in the US's 2010 census, most none) are no
one's surname: a name ending in one is a building's."""
_NAMED_BUILDINGS: Final = frozenset(
    words(
        "house hall mill mills lodge court manor grange works chambers park place villa villas "
        "yard croft tower towers center castle chapel abbey"
    )
)
"""Words for a building that are surnames too ("Jenny Hall", "Dana House"): a building's only
after a word of ``_BUILDING_KINDS``."""
_BUILDING_KINDS: Final = frozenset(
    words(
        "the old new coach clock school church mill manor farm village town market station "
        "business industrial trading enterprise science technology retail innovation office "
        "dower bake malt corn bridge tithe guild county community medical sports exchange "
        "riverside garden"
    )
)
"""Words saying what kind of building follows, none of them a given name (none is in the US
Social Security first-name counts, births 1930-2022): "The Lodge", "Old Mill", "Manor
House", "Business Park"."""


def _street_start(part: str, pos: int = 0) -> int:
    """Where the first street, unit or box in ``part`` from ``pos`` starts (a word's start;
    not a year a copyright notice dates), -1 if none does."""
    return next(
        (m.end() for m in _WORD_START.finditer(part, pos)
         if _STREET_AT.match(part, m.end()) and not _dated(part, m.end())),
        -1,
    )  # fmt: skip


def _cut_to_delivery(delivery: list[str], british: bool = False) -> list[str]:
    """``delivery`` without a bracketed note ("12 Harbor Lane (Marcus Oyelaran)"), each line
    from where its street, unit or box starts, as the first line is read, each unit
    line cut to its unit word and number ("Marcus Oyelaran Suite 4" and "Suite 4 (Marcus
    Oyelaran)" are "Suite 4"; "Unit Marcus Oyelaran" is none) and each box line to its box
    and number ("PO Box 2291 Marcus Oyelaran" is "PO Box 2291"): what else such a line says
    may name whom the address reaches. In a British address (``british``) a building named
    after the unit is the unit's ("Unit 4 Riverside Business Park", as "Unit 4, Riverside
    Business Park" is read)."""
    kept: list[str] = []
    for line in delivery:
        if len(kept) >= MAX_ADDRESS_LINES:  # 56,000 boxes in one streetAddress: 8 are read
            break
        line = " ".join(_BRACKETED.sub(" ", line).split())
        at = _street_start(line)
        line = line[at:] if at > 0 else line  # "Marcus Oyelaran 12 Harbor Lane", as the first
        unit, pos = _unit_or_box(line), 0
        while unit and len(kept) < MAX_ADDRESS_LINES:  # "PMB 114 2000 Main St": box, street
            after = pos + len(unit) + line.startswith(" ", pos + len(unit))  # single-spaced
            if not _STREET_AT.match(line, after):
                break
            kept.append(unit)
            unit, pos = _unit_or_box(line, after), after
        line = line[pos:]
        building = line[len(unit) :].strip() if unit is not None and british else ""
        if unit is not None and _building(building):
            kept += [unit, building][: MAX_ADDRESS_LINES - len(kept)]
            continue
        line = unit if unit is not None else _street_end(line) if at >= 0 else line
        if line:
            kept.append(line)
    return kept[:MAX_ADDRESS_LINES]


def _street_end(line: str) -> str:
    """A street line ending at its street word and a direction after it, and a unit after
    them ("12 Harbor Lane NW Suite 4"): what else follows on its line may name whom the
    address reaches ("12 Harbor Lane Marcus Oyelaran"). Its first street word after the
    street's name ends it (a surname may be one: Lane, Way, Court), with the street words
    right after it ("7 Mill Run Road", "9 Shady Lane Drive"); a street word right after the
    number starts the name ("12 Avenue of the Americas", "40 Avenue B"), which is kept, and
    a road's number right after them ("1234 County Road 56", "N1234 State Hwy 22"). A unit
    or box before its street word, or in a street with none, ends it."""
    words = line.split()
    if words and words[0].lower() in _NUMBER_LAST:  # "Calle Luna 12 Marcus Oyelaran"
        k = next((k + 1 for k, word in enumerate(words) if any(c.isdigit() for c in word)),
                 len(words))  # fmt: skip
        number = _NUMBER_WORD.match(words[k - 1])
        if number:  # "Calle Luna 12-Marcus": its number, not a name joined to it
            words[k - 1] = number.group()
        return " ".join([*words[:k], *filter(None, [_unit_or_box(" ".join(words[k:]))])])
    k = next((k + 1 for k, word in enumerate(words) if k >= 2
              and word.lower().rstrip(".,") in _STREET_WORDS), 0)  # fmt: skip
    # a unit or box before it ends the line ("1 Avenue of the Americas Fl 12 Marcus
    # Oyelaran", "3377 Broadway Suite 4 Marcus Way"): a street word after one may be a name's
    named = len(" ".join(words[:k])) if k else len(line)  # the line is single-spaced
    blanks = (m.end() for m in re.finditer(" ", line[:named]))
    cut = next((line[:at] + found for at in blanks if (found := _unit_or_box(line, at))), "")
    if cut or not k:
        return cut or line
    while k < len(words) and words[k].lower().rstrip(".,") in _STREET_WORDS:
        k += 1
    if k < len(words) and _ROUTE_NUMBER.fullmatch(words[k].rstrip(".,")):
        k += 1
    while k < len(words) and words[k].lower().rstrip(".,") in _DIRECTIONS:
        k += 1
    unit = _unit_or_box(" ".join(words[k:]))
    return " ".join([*words[:k], *([unit] if unit else [])])


_NUMBER_LAST: Final = frozenset(words("calle avenida camino paseo"))
"""Street words that start a street whose number ends it (``STREET`` takes one only with a
number after it)."""
_ROUTE_NUMBER: Final = re.compile(r"\d+[A-Za-z]?")
"""A road's number ("56", "22A", "9W"): a number names no one."""


def _unit_or_box(text: str, pos: int = 0) -> str | None:
    """The unit or box ``text`` starts with at ``pos``, its words and numbers only ("Suite 4",
    "PMB 114", "Bldg 2 Floor 3", "Suite 100 & 101", "Rural Route 2 Box 15"); '' when it starts
    with a unit's or box's word and no number; None when with neither."""
    for whole, cut in ((_UNIT_ONLY, _UNITS), (PO_BOX, _BOX), (_ROUTE, _ROUTE_BOX)):
        if whole.match(text, pos):
            found = cut.match(text, pos)
            return found.group() if found else ""
    return None


_BRACKETED: Final = re.compile(r"[(\[][^()\[\]\d]*[)\]]")
"""A note in brackets holding no number: no delivery line's part ("(rear entrance)", "(Marcus
Oyelaran)"); "(PO Box 11)" stays."""
_MORE: Final = r"(?:\d|[A-Za-z]{1,3}(?![A-Za-z])|-(?=\d|[A-Za-z]{1,3}(?![A-Za-z])))*"
"""What may follow the first digit of a box's or unit's number: digits and letters, at most
three running, a hyphen between ("2291-B", "4B", "A-1"); a name joined to it is no part of
it ("20-Glen Hill", "Room 12-Dana" are box 20 and room 12). Each character is read one way
only, so a long number that fails is given up in linear time."""
_NUMBER_WORD: Final = re.compile(rf"\D*\d{_MORE}")
"""A word's number and what may follow it (``_MORE``): "12" of "12-Marcus"."""
_BOX: Final = re.compile(
    r"(?:P\.?\s?O\.?\s*(?:Box|Drawer)|Post Office (?:Box|Drawer)|Box|Drawer|POB|Lock\s?box|PMB)"
    rf"\s*#?\s*[A-Za-z]?\d{_MORE}(?:\s+(?:Station|Stn\.?)\s+(?:[A-Za-z]|\d+)\b(?!\.?\s*[A-Za-z]))?",
    re.I,
)
"""A box as written: its word and its number ("PO Box 2291", "P.O. Box 2291-B", "PMB 417"),
and the station that keeps it by its letter or number ("PO Box 123 Station A"; not an
initial, "Stn M Oyelaran")."""
_UNIT: Final = re.compile(
    rf"(?:{_UNIT_WORD}\s*#?\s*|#\s?)"
    rf"(?:(?=[A-Za-z-]{{0,7}}\d)(?:\d|[A-Za-z]{{1,3}}(?![A-Za-z])){_MORE}|[A-Za-z]\b)"
    rf"|{_NTH_FLOOR}",
    re.I,
)
"""A unit as written: its word and a number, or a letter ("Suite 200", "Ste. A-1", "Apt 4B",
"Suite B", "#12", "2nd Floor", "Fl 12", "Lot 12")."""
_UNITS: Final = re.compile(
    rf"(?:{_UNIT.pattern})(?:\s*(?:&|and\b|/)\s*(?:{_UNIT.pattern}|\d{_MORE}\b)"
    rf"|\s+(?:{_UNIT.pattern}|{_BOX.pattern}))*",
    re.I,
)
"""Units one after another, a box after one, a number after "&" ("Bldg 2 Floor 3", "Suite
100 & 101", "Unit 2050 Box 4190"; "Suite 100 400 Main St" is a unit and a street)."""
_ROUTE: Final = re.compile(r"(?:Rural Route|RR|HC|PSC|CMR)\s*\d", re.I)
_ROUTE_BOX: Final = re.compile(rf"(?:Rural Route|RR|HC|PSC|CMR)\s*\d+(?:\s+Box\s*\d{_MORE})?", re.I)
"""A rural route's or highway contract's box, or a military post office's ("Rural Route 2 Box
15", "HC 1 Box 20", "PSC 123 Box 4567")."""


_PARTS: Final = re.compile(r"\s*[,;|\u2022\u00b7]\s*|\s{2,}")
"""What sets off the parts of an address written on one line."""
_DASHED: Final = re.compile(
    r"(?<!(?<!\d)\d{5}) [-\u2013\u2014~/] (?!(?<=\d . )\d+[A-Za-z]?\b(?!\s*[A-Za-z]))"
    r"|(?<=(?<!\d)\d{5}) [-\u2013\u2014~/] (?!\d{4}(?!\d))"
)
"""A dash, tilde or slash with a blank each side, setting parts off as a comma does ("3377
Broadway - Springfield, IL", "Flat 3 - 21 Baker St"), but not inside a ZIP+4 ("62705 -
1234") nor between a unit's numbers ("Suite 100 / 101": a number no word follows)."""


def _flat(text: str) -> str:
    """``text`` single-spaced, its parts set off by dashes set off by commas instead: a town
    had been read as "Broadway - Springfield", and a line as "Find us: - 3377"."""
    return _DASHED.sub(", ", " ".join(text.split()))


def _without_addressee(part: str) -> str:
    """``part`` without what is addressed to a person ("Attn: Marcus Oyelaran", "c/o ..."):
    from its word to the next street, unit or box in the part ("Attn: Accounts Payable PO Box
    2291" is the box), or to the part's end."""
    kept, at = [], 0
    while (mark := _ADDRESSEE.search(part, at)) is not None:
        kept.append(part[at : mark.start()])
        at = _street_start(part, mark.end())
        if at < 0:
            return " ".join(" ".join(kept).split())
    kept.append(part[at:])
    return " ".join(" ".join(kept).split())


def town(city: str, before: str = "") -> str:
    """``city`` as an address's town, ``before`` the text written before it on its line; ''
    when a part addressed to a person runs into it with no separator and no street, unit or
    box between ("PO Box 2291 Attn: Marcus Oyelaran Springfield", spans in a footer): where
    the name ends and the town starts cannot be told, and a town holding his name would put
    a colleague in the business's mailing address. After a separator ("Attn: Marcus Oyelaran,
    Springfield") the rest is the town."""
    run = f"{_PARTS.split(before)[-1].strip()} {city}"
    marks = list(_ADDRESSEE.finditer(run))
    if not marks:
        return city
    after = run[marks[-1].end() :]
    if any(_STREET_AT.match(after, m.end()) for m in _WORD_START.finditer(after)):
        return city
    rest = _PARTS.split(after, maxsplit=1)
    return rest[1].strip() if len(rest) > 1 else ""


def delivery_lines(lines: Sequence[str], postal_code: str = "") -> tuple[str, ...]:
    """The delivery lines of an address the page marks up in parts (schema.org's
    ``streetAddress``, an h-card's street and extended address), kept as a text address's are:
    never a part addressed to a person ("c/o ...", "Attn: ...") nor a name set off before the
    street ("Marcus Oyelaran, PO Box 2291"). Markup had kept them whole, and the business's
    mailing address named whom it reaches. One with a British ``postal_code`` keeps the
    building named before its street ("The Old Mill, Mill Lane"), as a text address does."""
    british = UK_POSTCODE.fullmatch(postal_code.strip()) is not None
    return tuple(_split_delivery(", ".join(lines), british)[1])


def box_line(box: str) -> str:
    """A box as marked up on its own (schema.org's ``postOfficeBoxNumber``, an h-card's
    ``post-office-box``) as a line: its number alone ("2291") is "PO Box 2291", and words
    that are no box's after "PO Box" are cut as a box line's are."""
    return box if box.lower().startswith(("po", "p.o", "box")) else f"PO Box {box}"


def delivery_line(line: str) -> bool:
    """``line`` may be a delivery line: a street, unit, building or box, or a line holding a
    number ("Dept 4432", "Room 12"). One with no number that is none of those ("Office of
    Marcus Oyelaran", a name between the street and the town) may name whom it reaches."""
    return _road(line) or _street_line(line) or STREET.match(line) is not None


def _from_the_street(delivery: list[str], british: bool = False) -> list[str]:
    """``delivery`` without the parts before its street line that are none of its lines
    (``_before_the_street``). A street is known by its street word ("Ave", "Lane NW") or a box;
    with none ("3377 Broadway") nothing is dropped."""
    street = max((k for k, part in enumerate(delivery) if _street_line(part)), default=0)
    return [
        part
        for k, part in enumerate(delivery)
        if k >= street or _UNIT_ONLY.match(part) or _before_the_street(part, british)
    ]


def _before_the_street(part: str, british: bool) -> bool:
    """``part``, before an address's street line, may be a line of it: a unit, a building or a
    box ("Suite 200", "2nd Floor", "Building 5"), not a part that only starts with a number
    ("Open 7 days a week", "35 years", "2024 Harbor Lane Plumbing" before "418 Dockside
    Ave"). In a British address only a numbered line or a building named ("Unit 4, Riverside
    Business Park, Mill Lane"): words alone there may name whom it reaches, as they may
    before its first line ("Unit 4, Jenny Hall, Mill Lane"; "Unit 4, Dana Court, Mill Lane"
    names no second street); a numbered one only as a street, a box or a building ("5 The
    Maltings"; not "Open 7 days")."""
    if british:
        numbered = STREET.match(part) is not None and _street_line(part)
        return numbered or _building(_HOUSE_NUMBER.sub("", part, count=1))
    return _street_line(part) or not part[:1].isdigit()


_HOUSE_NUMBER: Final = re.compile(r"^\d+[A-Za-z]?(?:-\d+)?\s+")
"""A house's number starting a line ("5 " of "5 The Maltings")."""


def _street_line(part: str) -> bool:
    """``part`` names a box, or ends in a street word (a direction after it aside)."""
    said = re.findall(r"[a-z]+", part.lower())
    while said and said[-1] in _DIRECTIONS:
        said.pop()
    return PO_BOX.search(part) is not None or (bool(said) and said[-1] in _STREET_WORDS)


_DIRECTIONS: Final = frozenset([*DIRECTIONALS, *DIRECTIONALS.values()])
"""Directions a street line may end with after its street word ("Lake St NE", "Oak Ave
Northwest"): Publication 28's, spelt out or abbreviated."""


_DATING: Final = re.compile(
    r"(?:\u00a9|\(c\)|\bcopyright|\bsince|\best\.?|\bestablished|\bfounded)\s*$", re.I
)
_YEARS: Final = re.compile(r"(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:19|20)\d\d)?\b")


def _dated(part: str, at: int) -> bool:
    """The number at ``at`` is a year the words before it tell as one ("(c) 2024 Harbor Lane
    Plumbing", "Since 1987 Harbor Lane Plumbing"): a footer's notice, not a house number."""
    return (
        _YEARS.match(part, at) is not None
        and _DATING.search(part, max(0, at - _DATING_REACH), at) is not None
    )


_DATING_REACH: Final = 40
"""Characters before a year its dating word is looked for in ("Copyright" and blanks): from
the part's start, each number of a long one had been a scan of all before it (a 35 KB
streetAddress of "(c) 2024 " took 25 s)."""


_WORD_START: Final = re.compile(r"(?:^|(?<=\s)|(?<=^[(\[])|(?<=\s[(\[]))(?=\S)")
"""Where a word starts, inside an opening bracket too ("(PO Box 11, ...)")."""
_UNIT_ONLY: Final = re.compile(
    rf"(?:{_UNIT_WORD}|#)\b|{_NTH_FLOOR}",
    re.I,
)


def _road(part: str) -> bool:
    """A part that names a road or a building by a number or a street word ("Route 66",
    "Dockside Plaza"), not a person."""
    words = part.lower().rstrip(".").split()
    if _no_ones_number(part):
        return False
    return any(c.isdigit() for c in part) or (bool(words) and words[-1] in _STREET_WORDS)


def _no_ones_number(part: str) -> bool:
    """``part`` ends in a number no road, house or unit has: digits with no letter, in groups
    ("01234 567890", "123 4567 89", "(555) 123-4567") or seven or more ("01234567"), a
    phone's, a VAT or a company's number ("VAT 123 4567 89" above "Unit 4" is no road)."""
    run = _NUMBER_RUN.search(part)
    return run is not None and (
        len(run.group().split()) > 1 or sum(map(str.isdigit, run.group())) >= 7
    )


_NUMBER_RUN: Final = re.compile(r"(?<!\w)[(+]?\d[\d\s().+-]{0,30}$")
"""The digits ending a part, with no letter among them (a phone's blanks, dashes, brackets);
bounded, so that a part of 100,000 digits is read in linear time."""


_ADDRESSEE: Final = re.compile(
    r"(?:c/o|\b(?:care of|attn|attention|fao|for the attention of))\b", re.I
)
"""The word starting a part addressed to a person; "c/o" also run into the word before it,
as elements with no blank between show it ("<span>Springfield</span><span>c/o Marcus
Oyelaran</span>" is "Springfieldc/o Marcus Oyelaran": a lower-case letter starts no word)."""
_TO_A_PERSON: Final = re.compile(_ADDRESSEE.pattern + ".*", re.I)


_ZIP5: Final = re.compile(r"\d(?<=(?<!\d)\d)\d{4}(?!\d)")
_REACH: Final = 80
"""Characters a US_TAIL match spans before its ZIP in single-spaced text: a city of at most 41,
" , ", a region of at most 20 ("District of Columbia"), ". ," and a space (67, rounded up)."""


def _us_start(text: str) -> int:
    """Where a US_TAIL scan can start: no match begins more than ``_REACH`` characters before
    the first five-digit run (its ZIP is one), so the lazy city pattern is not tried at every
    earlier letter. 0 unless the text is single-spaced (only then is the reach bounded)."""
    first = _ZIP5.search(text)
    if first is None:
        return len(text)
    start = first.start() - _REACH
    if start <= 0 or " ".join(text.split()) != text:
        return 0
    return start


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    pos = _us_start(text) if pattern is US_TAIL else 0
    for found in pattern.finditer(text, pos):  # noqa: B007 - the last match is the one wanted
        continue
    return found


_LEAD: Final = 80
"""Characters of the words leading into an address read as its label."""
_CLAUSE_WORDS: Final = 5
"""Most words of a clause leading into an address that says what it is: a label ("Mailing
address", "Send payments to", "Our showroom at"), not a story ("We renovated the corporate
office of Acme at")."""


def _lead_label(lead: str) -> str:
    """The last clause of the words leading into an address, as its label: at any length if
    it says the address is past or takes no mail ("We have moved! Our old address was"), else
    if it is a short one naming a kind; '' otherwise. A sentence before it is about something
    else ("Not sure where to send your payment? Mail it to")."""
    clause = _last_clause(lead[-_LEAD:])
    kind = kind_of_label(clause)
    return clause if kind in NOT_FOR_MAIL or (kind and len(clause.split()) <= _CLAUSE_WORDS) else ""


def read_address_text(text: str, label: str = "") -> PageAddress | None:
    """One address in ``text`` (one line or several), split into parts as written; the words
    leading into it on its line ("Send payments to", "<b>Showroom</b>") name its kind before
    ``label`` does."""
    flat = _flat(text)
    match = _last(US_TAIL, flat)
    if match is not None:
        head, city = flat[: match.start()], match["city"].strip()
        if (mark := _ADDRESSEE.search(city)) is not None:  # "12 Main St Attn Marcus Oyelaran
            # Springfield": the town's match began at the street's name, which is the head's
            head, city = f"{head}{city[: mark.start()]}", city[mark.start() :]
        region, country = match["region"], match["country"] or ""
        postal = "-".join(part.strip() for part in match["zip"].split("-"))  # "62705 - 1234"
        lead, delivery = _split_delivery(head)
        # a part addressed to a person run into the town is read before a street word in it
        # is taken for a street's: "PO Box 9 Attn Dana Way Key, IL" had the town "Key"
        city = town(city, head)
        # "1901 Lemur Ave Sunnyvale, CA": no comma between the street and the city
        words = city.split()
        ends = [k for k, w in enumerate(words[:-1]) if w.lower().rstrip(".") in _STREET_WORDS]
        if ends and (
            not delivery or not STREET.search(delivery[-1]) or head.rstrip()[-1:].isdigit()
        ):
            k = ends[-1] + 1
            run_on = delivery[-1:] if head.strip() and not head.rstrip().endswith(",") else []
            written = _PARTS.split(head.strip())[-1]
            if run_on and _split_delivery(written)[1][-1:] == run_on:
                run_on = [written]  # as written: its line is cut ("PMB 114 2000" to "PMB 114")
            elif not run_on and (number := _LAST_NUMBER.search(head)):
                run_on = [number[1]]  # "Attn: Marcus Oyelaran 12" took the street's number
            street = " ".join([*run_on, *words[:k]])
            # "Marcus Oyelaran 12 Harbor Lane" (spans in a footer): its street starts at the
            # number only now, and whom it reaches is no line of it, nor its label
            streets = _split_delivery(street)[1]
            delivery = (
                [*delivery[:-1], *streets]
                if head.strip() and not head.rstrip().endswith(",")
                else [*delivery, *streets]
            )
            city = " ".join(words[k:])
        elif len(words) > 1 and len(words[0]) == 1 and head[-1:].isdigit() and delivery:
            delivery[-1] += words[0]  # "Apt 2B Springfield" (not "Apt 4 E Lansing"): the unit's
            city = " ".join(words[1:])
        elif not delivery and STREET.match(city):
            parts = parse_one_line(flat)
            if parts.city and len(parts.city.split()) < len(words):
                k = len(words) - len(parts.city.split())
                delivery, city = [" ".join(words[:k])], " ".join(words[k:])
        city = town(city, head)
    else:
        uk = _last(UK_POSTCODE, flat)
        if uk is None:
            return None
        head = flat[: uk.start()].strip(" ,")
        postal, country, region = uk["zip"], uk["country"] or "", ""
        lead, segments = _split_delivery(head, british=True)
        # "Flat 3, 21 Baker St London" (no comma before the town): its street is no town
        city = segments.pop() if len(segments) > 1 and not STREET.match(segments[-1]) else ""
        delivery = segments
    if not delivery:
        return None
    label = _lead_label(lead) or label  # the nearer words: "Our old address was" below "Contact"
    kind = kind_of_label(label) if label else ""
    boxed = any(PO_BOX.search(d) for d in delivery)
    if kind == "location" and boxed and _RETURNS.search(label):
        kind = kind_of_label(_RETURNS.sub(" ", label))  # a box is no warehouse
    if not kind and boxed:
        kind = "po_box"
    return PageAddress(
        lines=tuple(delivery),
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        kind=kind or "unknown",
        source="text",
        snippet=snippet(" ".join(text.split())),  # as written, dashes and all
        raw=text,
        label=label,
    )


# (?<!\d)\d{5}(?!\d)|\d[ABD-HJLNP-UW-Z]{2}\b, written to start with \d: re then skips to the next
# digit instead of trying both branches (and the look-behind) at every character, ~4x faster
_ANCHOR: Final = re.compile(r"\d(?:(?<=(?<!\d)\d)\d{4}(?!\d)|[ABD-HJLNP-UW-Z]{2}\b)")
_HINT: Final = re.compile(
    rf"\b(?:{_CODES}|{_STATES})\.?,?\s+\d{{5}}\b"
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
    us = US_TAIL.search(line, _us_start(line)) if has_address(line) else None
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
    block meet (``Line.apart``), so that a British address on one line is read by its
    parts (``_elements_apart``)."""
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
        if not STREET.search(_strip_label(head)[1].lstrip(" ,")):
            while start > used + 1 and i - start < 3 and _ends_in_a_street(lines[start - 1]):
                start -= 1
            if start == i and _uk_alone(line, tail):  # a postcode below its town ("London")
                start = _above_town(lines, i, used)
            elif start == i and tail.re is UK_POSTCODE and _TOWN.fullmatch(head.strip(" ,")):
                start = _lines_above(lines, i, used)  # "Unit 4" / "Mill Lane" / "Leeds LS1 4AB"
            elif tail.re is UK_POSTCODE:  # "Rose Cottage" / "3 Church Street" / "Leeds LS1 4AB"
                start = _building_above(lines, start, used)
        block = lines[start : i + 1]
        if apart and start == i and tail.re is UK_POSTCODE:  # before a label is cut from it
            block[0] = _elements_apart(block[0], apart[pieces[i][1]])
        label, block[0] = _strip_label(block[0])
        if _ADDRESSEE.search(label):  # "Attn: Marcus Oyelaran, PO Box ...": not the name; and
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
            address = replace(address, city=city, lines=_street_of_its_span(delivery, said))
        where = block_of(pieces[i][1]) if block_of is not None else ""
        if where:
            address = replace(address, block=where, label=address.label or where)
        found.append(address)
        used = i
    return found


def _elements_apart(text: str, said: str) -> str:
    """A British address on one line of the page (``text``; ``said`` the line with ``MEET``
    where elements standing in its block meet, ``Line.apart``) with a comma where two such
    elements meet between words, as a footer's spans set as lines by its style show it
    ("<span>The Old Mill</span> <span>Mill Lane</span> <span>Ashford TN24 8AB</span>"): its
    building, its street and its town are told apart as on lines of their own, and so is a
    name in a span of its own ("Marcus Oyelaran Mill Lane Ashford" had been one line).

    Only there: an element meeting the block's own words is a word set in bold or linked in a
    line ("Unit 4 <b>Riverside</b> Business Park"), and ``said`` has no ``MEET`` there. And an
    element holding what is no line by itself (``_NO_LINE``: "16", "Unit", "2nd") stays with
    the next ("<span>16</span> <span>Mill Lane</span>" is "16 Mill Lane"). ``text`` as it is
    when it is not the whole line (another address on the line)."""
    if re.sub(rf"[\s{MEET}]", "", said) != re.sub(r"\s", "", text):
        return text
    out, last = "", ""
    for piece in said.split(MEET):
        if (
            out.strip()
            and piece.strip()
            and not _NO_LINE.fullmatch(last.strip(" ,"))
            and (out[-1] == " " or piece[0] == " " or two_words(out, piece))
        ):
            out = f"{out.rstrip(' ,')}, {piece.lstrip(' ,')}"
        else:
            out += piece
        last = piece if piece.strip() else last
    return " ".join(out.split())


_NO_LINE: Final = re.compile(
    rf"(?:\d+(?:st|nd|rd|th|[A-Za-z])?(?:[-/]\d+)?|{_UNIT_WORD}|#|No\.?)", re.I
)
"""What an element may hold that is no line by itself: a house's or unit's number alone
("16", "16A", "12-14"), a floor's ("2nd"), a unit's word alone ("Unit", "Flat")."""


def _ends_in_a_street(line: str) -> bool:
    """``line`` (a line above a town) is a street, unit or box, or ends after a comma, a bar
    or a dot in a street known by its street word or a box: "Harbor Lane Plumbing, 12 Harbor
    Lane" above "Springfield, IL 62701" is read as it is on one line (the name set off before
    the street no line of it); it had found no address. (Not "Open daily, 24 hours a day",
    whose number starts no street.)"""
    text = _strip_label(line)[1]
    if STREET.match(text):
        return True
    last = _PARTS.split(text)[-1]
    return last != text and STREET.match(last) is not None and _street_line(last)


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
    flat = _flat(text)
    written = _PARTS.split(flat[: flat.rfind(read)].strip())[-1]
    before, after = _cut_to_delivery([written]), _cut_to_delivery([" ".join([written, *dropped])])
    if not before or lines[-len(before) :] != tuple(before):
        return lines
    ended = " ".join(after).endswith(" ".join(dropped))
    return (*lines[: -len(before)], *after) if ended else lines


_LAST_NUMBER: Final = re.compile(r"(?<!\S)(\d+[A-Za-z]?)\s*$")
"""A number ending a line's text, as a street's number starts the street."""
_ENDS_IN_A_NUMBER: Final = re.compile(r"(?P<before>.*\S)\s+(?P<number>\d+[A-Za-z]?)")


def _street_of_its_span(lines: tuple[str, ...], said: str) -> tuple[str, ...]:
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
        unit = [ends["before"]] if _UNIT_ONLY.match(ends["before"]) else []
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
    first, *more = map(_without_addressee, _PARTS.split(_flat(element)))
    whole = _cut_to_delivery([first])  # "Marcus Oyelaran 3377 Broadway" is "3377 Broadway",
    for part in more:  # as a comma-ended part; and "Unit 4, Mill Lane" two lines, while
        if not part or not delivery_line(part):  # "Unit 4, Marcus Oyelaran" and "One
            break  # Microsoft Way, Attn: Dana Lane" end before the name
        whole += _cut_to_delivery([part])
    if not whole or " ".join(whole) == last:
        return lines
    return (*lines[:-1], *unit, *whole)


def _names_no_one(word: str) -> bool:
    """``word`` is a street's, a direction's, a unit's or a box's word, a number or a letter."""
    said = word.lower().rstrip(".,")
    return (
        len(said) <= 1
        or any(c.isdigit() for c in said)
        or said in _STREET_WORDS | _DIRECTIONS | _UNIT_NAMES | _BOX_WORDS
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
        elif _LABEL_ALONE.fullmatch(previous.strip()) and kind_of_label(previous):
            label = previous.strip()
        else:
            label, rest = _strip_label(previous)
            label = label if kind_of_label(label) and _addressee(rest) else ""
        if label and (above == start - 1 or kind_of_label(label)):
            return label
        if not _addressee(previous):
            return ""
    return ""


_SENTENCE_END: Final = re.compile(r"(?:[^\W\d_]{5,}[.!?]|[!?:])$")
"""How a sentence or a label ends ("... in your inbox.", "Questions?"), not a name's "Inc."."""


def _addressee(line: str) -> bool:
    """A line an address may start with, whom it reaches: "Attn: ..." or "c/o ...", or a name
    (no digit, each word of four letters or more capitalised: "Harbor Lane Plumbing, LLC"), not
    a sentence ("Get seasonal tips in your inbox.") nor a label itself ("Our Shop")."""
    text = line.strip()
    if _TO_A_PERSON.match(text):
        return True
    long = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 4]
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
    label, rest = _strip_label(lines[i])
    previous = lines[i - 1].strip() if i else ""
    if not label and (previous.endswith(":") or _LABEL_ALONE.fullmatch(previous)):
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
        and words[-1].lower().rstrip(".") in _STREET_WORDS | _UK_STREET_WORDS
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
    if _ADDRESSEE.search(town):  # "Attn Marcus Oyelaran Springfield": where it ends is unknown
        return ""
    return town if _TOWN.fullmatch(town) and (pieces[-1] or len(pieces) > 2) else ""


_TOWN: Final = re.compile(r"[A-Za-z][A-Za-z' -]{1,39}")
"""A line that may be a town: letters only."""


def _uk_alone(line: str, tail: re.Match[str]) -> bool:
    return tail.re is UK_POSTCODE and not line[: tail.start()].strip(" ,")


def _above_town(lines: list[str], i: int, used: int) -> int:
    """Where the address ends by a postcode alone on line ``i`` starts: the town on the line
    above, and above it delivery lines (at most three) of which the first is numbered (a
    street, suite or PO box) and the others such or a street named without a number; ``i`` if
    they are not there."""
    town = i - 1
    if town <= used or not _TOWN.fullmatch(lines[town].strip(" ,")):
        return i
    start = _lines_above(lines, town, used)
    return start if start < town else i


def _lines_above(lines: list[str], town: int, used: int) -> int:
    """Where the delivery lines above line ``town`` (the town's) start: at most three, of which
    the first is numbered or names a building ("The Old Mill" / "Mill Lane") and the others
    such, or a street named without a number right above the town (a name may end in Court or
    Place: "The Old Mill" / "Dana Court" / "Mill Lane" is no address); ``town`` if they are
    not there."""
    start = town
    while start > used + 1 and town - start < 3 and _british_line(lines[start - 1], start == town):
        start -= 1
    while start < town and not (STREET.match(lines[start]) or _building(lines[start])):
        start += 1  # the first delivery line is numbered or a building: "Dana Hill" is none
    return start


def _british_line(line: str, last: bool) -> bool:
    """``line`` may be a British delivery line: numbered, a building named, or (the ``last``
    line) a street named without a number."""
    return bool(STREET.match(line) or _building(line) or (last and _uk_street(line)))


def _strip_label(line: str) -> tuple[str, str]:
    match = LABEL_LINE.match(line)
    if match and not any(ch.isdigit() for ch in match["label"]):
        return match["label"].strip(), match["rest"]
    return "", line
