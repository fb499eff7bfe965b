"""One postal address written as text, read into its parts with regexes.

A US address ends in ``City, ST 12345[-6789]`` (or a state spelt out); a UK one in a postcode.
The delivery lines before it (a street line, a suite or unit line, a PO box; in a UK one, a
building named by what it is: "The Old Mill") are read from the text before, without what is
addressed to a person. The words leading into it on its line, or a label given, set its kind
(``address_labels``). Parts are kept as written; ``parse_one_line`` from
``skiptrace.normalize`` splits what the regexes cannot. The delivery-line readers serve
addresses marked up in parts too (schema.org, h-card).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from skiptrace.normalize import parse_one_line
from skiptrace.normalize._address_tables import DIRECTIONALS, UNIT_DESIGNATORS, UNIT_WORDS
from skiptrace.normalize.names import is_honorific
from skiptrace.pages._model import PageAddress, snippet, words
from skiptrace.pages.address_labels import RETURNS, kind_of_label, lead_label
from skiptrace.records import MAX_ADDRESS_LINES

MAX_ADDRESS_CHARS: Final = 1_000
"""The most text read as one address, its lines joined; longer is no address's. The longest
on the saved pages and the test shapes is under 200 characters; a page's JSON-LD address of
500 KB had taken 1-3 s of CPU to read (a street looked for at each word) and given a street
line of 500 KB (a page's own lines are read up to 300 characters, ``addresses_in_lines``)."""

STATES: Final = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|District of Columbia"
)
CODES: Final = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|GU|VI|AS|MP|"
    "AA|AE|AP"  # the armed forces' post offices: "PSC 123 Box 4567, APO, AE 09001"
)
US_TAIL: Final = re.compile(
    # a town starts a word: not inside one ("12 Har|bor Lane ...", cut at the town's longest)
    # nor after "c/" (of "c/o")
    rf"(?<![\w/'&\-])(?P<city>[A-Za-z][A-Za-z .'\-]{{0,40}}?)"
    rf"\s*,?\s+(?P<region>(?:{CODES})|(?:{STATES}))\.?"
    r",?\s+(?P<zip>\d{5}(?:\s?-\s?\d{4})?)"
    r"(?:\s*,?\s*(?P<country>USA|U\.S\.A\.|United States(?: of America)?|US))?\b"
)
UK_POSTCODE: Final = re.compile(
    r"\b(?P<zip>(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2})\b"
    r"(?:\s*,?\s*(?P<country>UK|United Kingdom|England|Scotland|Wales|Northern Ireland))?"
)
UNIT_NAMES: Final = frozenset({*UNIT_WORDS, *UNIT_DESIGNATORS, "flat"} - {"#", "ph"})
"""A unit's words (Publication 28's that take a number: "Suite", "Fl", "Rm", "Bldg", "Lot",
"Trlr"; and "Flat"), not "PH": a phone's ("Ph 555-1234" above the street)."""
UNIT_WORD: Final = "(?:" + "|".join(sorted(UNIT_NAMES, key=len, reverse=True)) + r")\.?"
_NTH_FLOOR: Final = (
    r"(?:\d+(?:st|nd|rd|th)|(?:Lower |Upper )?Ground|First|Second|Third|Fourth|Fifth|Top)"
    r" Fl(?:oor|r)?\b"
)
"""A floor by its number or its word ("2nd Floor", "Ground Floor", "First Floor"): a unit
line, as British addresses write one above a building's name."""
_NO_COMPANY: Final = r"(?!\s+(?:Ltd|Limited|Society|Services|Supplies|Contractors?|Company|Co)\b)"
"""Not a company's name after "Building" ("Avon Roofing & Building Ltd. Registered office:
Ground Floor, ..."; "Harrow Building Society"): no unit line starts there."""
_STREET: Final = (
    # a number and what follows up to the comma all digits is a phone's, a VAT or company
    # number ("01234 567890", "123 4567 89"), no street
    r"(?:\d+[A-Za-z]?(?:-\d+)?\s+(?![\d\s().+-]{0,30}(?:$|[,;|]))\S|"
    r"[NSEW]\d+\s|One |Two |(?:P\.?\s?O\.?\s*)?(?:Box|Drawer)\s+\d|"
    r"POB\s*\d|Lock\s?box\s+\d|PMB\s*\d|"
    r"Post Office Box|PO Box|P\.O\. Box|Suite\b|Ste\.?\s|Unit\b|Apt\.?\s|Floor\b|#\s?\d|"
    rf"{_NTH_FLOOR}|Flat\b|Building\b{_NO_COMPANY}|{UNIT_WORD}\s*#?\s*\d|"
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
_COUNTIES: Final = frozenset({
    # England's counties as addresses still write them, and their short forms; not one that is
    # a post town too (Bristol, Durham: "County Durham" is read by its "County")
    *words(
        "bedfordshire beds berkshire berks buckinghamshire bucks cambridgeshire cambs cheshire "
        "cornwall cumbria cumberland westmorland derbyshire devon dorset essex gloucestershire "
        "glos hampshire hants herefordshire hertfordshire herts huntingdonshire kent "
        "lancashire lancs leicestershire leics lincolnshire lincs merseyside middlesex middx "
        "norfolk northamptonshire northants northumberland nottinghamshire notts oxfordshire "
        "oxon rutland shropshire salop somerset staffordshire staffs suffolk surrey sussex "
        "warwickshire wilts wiltshire worcestershire worcs yorkshire avon cleveland humberside"
    ),
    "greater london", "greater manchester", "west midlands", "tyne and wear", "tyne & wear",
    "north yorkshire", "south yorkshire", "west yorkshire", "east yorkshire",
    "east riding of yorkshire", "north humberside", "south humberside", "east sussex",
    "west sussex", "isle of wight", "hereford and worcester",
    # Wales
    "gwent", "powys", "dyfed", "gwynedd", "clwyd", "mid glamorgan", "south glamorgan",
    "west glamorgan", "vale of glamorgan", "pembrokeshire", "carmarthenshire", "ceredigion",
    "monmouthshire", "denbighshire", "flintshire", "isle of anglesey", "anglesey",
    # Scotland
    "aberdeenshire", "angus", "argyll", "argyll and bute", "ayrshire", "north ayrshire",
    "south ayrshire", "east ayrshire", "banffshire", "berwickshire", "caithness",
    "clackmannanshire", "dumfriesshire", "dumfries and galloway", "dunbartonshire",
    "east dunbartonshire", "west dunbartonshire", "east lothian", "midlothian", "west lothian",
    "fife", "inverness-shire", "kincardineshire", "kinross-shire", "kirkcudbrightshire",
    "lanarkshire", "north lanarkshire", "south lanarkshire", "moray", "morayshire",
    "nairnshire", "orkney", "peeblesshire", "perthshire", "perth and kinross", "renfrewshire",
    "east renfrewshire", "ross-shire", "roxburghshire", "scottish borders", "selkirkshire",
    "shetland", "stirlingshire", "sutherland", "wigtownshire",
})  # fmt: skip
"""British counties as an address writes them between its town and its postcode ("Hebden
Bridge, West Yorkshire, HX7 8EX"), lower case; and those named after their town, written
with "County" or "Co." ("County Durham", "Co. Antrim")."""
_COUNTY_WORD: Final = re.compile(
    r"(?:county|co\.?)\s+(?:durham|antrim|armagh|down|fermanagh|londonderry|derry|tyrone)", re.I
)


def county(part: str) -> bool:
    """``part`` is a British county and nothing else ("Shropshire", "West Yorkshire", "Co.
    Durham"): written after the town, it is the address's region, never its town."""
    said = " ".join(part.strip(" ,.").split())
    return said.lower() in _COUNTIES or _COUNTY_WORD.fullmatch(said) is not None


STREET_WORDS: Final = frozenset(
    words(
        "st street ave avenue rd road blvd boulevard dr drive ln lane way ct court pl place "
        "pkwy parkway hwy highway cir circle ter terrace trl trail sq square plz plaza row loop "
        "run pike tpke turnpike aly alley xing crossing expy expressway fwy freeway "
    )
)


def _split_delivery(head: str, british: bool = False, towned: bool = True) -> tuple[str, list[str]]:
    """The words leading into the first delivery line in its own part ("Send payments to",
    "Our old address was": they may say what the address is; a part of its own before it, set
    off by a comma, is a name) and the delivery lines before the town, without a line
    addressed to a person ("c/o ...", "Attn: ...", "FAO ..."): the business's address is kept,
    never whom it reaches. A British address (``british``) keeps the building named in the part
    before its street ("The Old Mill, Mill Lane"): for a house with no number it is the address.
    ``towned``: ``head`` ends in the town (a British address's text does; a markup's street
    lines do not)."""
    parts = [without_addressee(p).strip(" ,;:") for p in PARTS.split(head)]
    parts = [p for p in parts if p and not hours_or_phone(p)]
    for k, part in enumerate(parts):
        # a house number alone starts its street too: "3377" of "Marcus Oyelaran, 3377
        # Broadway New York, NY", whose name ran into the town (the name had been kept)
        at = 0 if _number_alone(part) else _street_start(part)
        if at < 0:
            continue
        # "Marcus Oyelaran, PO Box 2291", "Send payments to Marcus Oyelaran at PO Box 2291":
        # whom it reaches is not the address; but "Route 66, Suite 4" keeps its road, unless
        # a street follows: "Dana Court, Suite 4, 3377 Broadway" names no road
        parts[k] = part[at:]
        if (
            k
            and UNIT_ONLY.match(parts[k])
            and _road(parts[k - 1])
            and not any(_street_after(p, british) for p in parts[k + 1 :])
        ):
            return "", cut_to_delivery(parts[k - 1 :])
        first = building_above(parts, k) if british and not at else k
        delivery = _from_the_street(parts[first:], british, towned)
        return part[:at].strip(), cut_to_delivery(delivery, british)
    # no number, unit or box: a street named alone ("Mill Lane", as UK addresses write it);
    # a part of letters before it may be whom it reaches ("Marcus Oyelaran, Mill Lane")
    named = [k for k, part in enumerate(parts) if street_line(part)] or [0]
    # a British street is the last so named, as on lines of its own
    # (``addresses_in_lines._lines_above``: a name may end in Court or Place, "Dana Court,
    # Mill Lane"), below the building it may name
    street = building_above(parts, named[-1]) if british else named[0]
    if british:  # what follows is read as after a numbered street: "Mill Lane, Jenny Hall"
        return "", [*parts[street : named[-1] + 1],
                    *_from_the_street(parts[named[-1] :], True, towned)[1:]]  # fmt: skip
    return "", parts[street:]


_DAY: Final = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)s?\.?"
)
_TIME: Final = r"(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?|\d{1,2}:\d{2}(?!\d))"
_UNTIL: Final = r"\s*(?:-|\u2013|\u2014|to|thru|through|until|till|&|and)\s*"
HOURS: Final = re.compile(
    r"(?<!\w)(?:(?:opening|office|business|store|shop)\s+hours\b|hours\s*:"
    rf"|open\b\s*:?\s*(?:(?:7|seven)\s+days\b|(?=\d|daily|every|{_DAY}))"
    rf"|{_DAY}(?:{_UNTIL}{_DAY})?(?=[\s,:]*(?:{_TIME}|closed\b|by appointment))"
    rf"|{_DAY}{_UNTIL}{_DAY}(?!\w)"
    rf"|{_TIME}{_UNTIL}(?:{_TIME}|\d{{1,2}}(?!\d))"
    r"|\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?|\d{1,2}:\d{2}(?!\d)"
    r"|24\s*(?:/\s*7|hours\b|hrs\b)|(?:7|seven)\s+days\s+a\s+week\b|by\s+appointment\b"
    rf"|closed\b\s*:?\s*(?=(?:on\s+)?(?:{_DAY}|weekends?\b|holidays\b|public\b|bank\b))"
    r"|(?:phone|tel(?:ephone)?|call(?:\s+us)?|fax)\b\.?\s*:?\s*(?=[+(\d])"
    r"|\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}(?!\d))",
    re.I,
)
"""Where a text starts to say when a place is open, or how to call it: "Hours:", "Open
daily", "Mon-Fri", "Sat 9am", "8:30-17:30", "24/7", "7 days", "Closed Sundays", "By
appointment", "Phone: ...", "(217) 555-0134".
No street's words: a day's name counts only before a time or another day ("75 Sun Valley Rd"
is a street), "Open" only before a day or a number ("9 Open Air Way"), "7 days" only after
"Open" or before "a week" ("1 Seven Days Rd")."""
_PHONE: Final = re.compile(
    r"(?:(?:phone|tel(?:ephone)?|call(?:\s+us)?|ph|t|fax|f|office|main|mobile|cell)\b\.?\s*:?\s*)?"
    r"(?:\+?(?:1[\s.\-]*)?\(?\d{3}\)?[\s.\-]*\d{3}[\s.\-]*\d{4}"  # US
    r"|\+\d[\d\s().\-]{8,20}|0\d{2,4}[\s\-]?\d{3,4}[\s\-]?\d{3,4})"  # abroad; UK
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?",
    re.I,
)
"""A phone number and nothing else, labelled or not ("62701-1234", a ZIP+4 code, is none)."""


def hours_or_phone(part: str) -> bool:
    """``part`` says when a place is open or how to call it, and nothing of where it is:
    "Mon-Fri 9am-5pm", "Open 7 days", "Phone: (555) 123-4567". Between a street and its town
    such a line had been read as a delivery line, or ended the street's lines (the street
    lost, or the whole address)."""
    text = part.strip(" ,;:|")
    if _PHONE.fullmatch(text) is not None:
        return True
    said = [m.end() for m in HOURS.finditer(text)]
    return bool(said) and HOURS.match(text) is not None and _street_start(text[said[-1] :]) < 0


def building_above(parts: list[str], street: int, used: int = -1) -> int:
    """Where the delivery lines start above part ``street`` (a line of the page's, below line
    ``used``): at the part before it if that names a building (``building``), else at the
    street."""
    return street - 1 if street - 1 > used and building(parts[street - 1]) else street


def building(part: str) -> bool:
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


def locality(part: str) -> bool:
    """``part`` names a British locality by what it is, never as a person is named: the
    district or village a British address writes between its street and its post town ("12
    Mill St" / "Little Aston" / "Sutton Coldfield B74 3AA"). One capitalised word
    ("Headingley": a person's line names two or more), words joined by "on", "upon", "by"...
    ("Walton on Thames", "Stoke-by-Nayland"), or two to four capitalised words after one of
    ``_PLACE_FIRST`` ("Little Aston", "Four Oaks", "West Bromwich"); no title, no street's,
    unit's or building's word ("Jenny Hall", "Marcus Oyelaran", "Mrs Rose Cottage" are none).
    """
    said = part.split()
    if not 1 <= len(said) <= 4 or not all(_PLACE_WORD.fullmatch(w) for w in said):
        return False
    lower = [w.lower().rstrip(".") for w in said]
    if any(is_honorific(w) or w in _STYLES or w in _NOT_A_PLACE for w in lower):
        return False
    if len(said) == 1:  # hyphenated, by a joining word: "Mary-Ann", "Smith-Jones" are names
        joined = "-" not in said[0] or _PLACE_JOINED.search(said[0]) is not None
        return joined and _CAPITALISED.fullmatch(said[0]) is not None
    return lower[0] in _PLACE_FIRST or any(w in _PLACE_JOINS for w in lower[1:-1])


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


_PLACE_WORD: Final = re.compile(r"[A-Z][a-z']*(?:-(?:[a-z]+-)*[A-Z][a-z']*)*|on|upon|by|under|cum")
"""A word of a place's name: capitalised ("Aston"), hyphenated as a place's are ("Stoke-by-
Nayland", "Bourton-on-the-Water"), or a joining word."""
_PLACE_JOINED: Final = re.compile(r"-[a-z]+-")
"""A hyphenated place's joining word ("-by-", "-on-the-"): "Mary-Ann" and "Jean-Paul" have
none."""
_PLACE_FIRST: Final = frozenset(
    words(
        "great little upper lower nether higher middle old new north south east west far near "
        "high much kings church market bishops monks steeple two three four five seven nine"
    )
)
"""Words a locality's name starts with ("Little Aston", "Great Barr", "Four Oaks"), none a
given name but rarely (Little, West, North: fewer than 2,500 births each in the US Social
Security first-name counts, births 1930-2022, of 317 million)."""
_PLACE_JOINS: Final = frozenset(words("on upon by under cum"))
_NOT_A_PLACE: Final = frozenset(
    {
        *words("po box pmb attn fao"),
        *STREET_WORDS,
        *UNIT_NAMES,
        *_NO_ONES_BUILDINGS,
        *_NAMED_BUILDINGS,
    }
)
"""Words that say a part is something else: a box, whom it reaches, a building."""


def _street_start(part: str, pos: int = 0) -> int:
    """Where the first street, unit or box in ``part`` from ``pos`` starts (a word's start;
    not a year a copyright notice dates), -1 if none does."""
    return next(
        (m.end() for m in _WORD_START.finditer(part, pos)
         if _STREET_AT.match(part, m.end()) and not _dated(part, m.end())),
        -1,
    )  # fmt: skip


def cut_to_delivery(delivery: list[str], british: bool = False) -> list[str]:
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
        if (hours := HOURS.search(line, 1)) is not None:  # "3377 Broadway Mon-Fri 9am-5pm",
            # "3377 Broadway Phone: (555) 123-4567": spans of a footer run into one line
            line = line[: hours.start()].rstrip(" ,;:-\u2013\u2014")
        at = _street_start(line)
        line = line[at:] if at > 0 else line  # "Marcus Oyelaran 12 Harbor Lane", as the first
        unit, pos = _unit_or_box(line), 0
        while unit and len(kept) < MAX_ADDRESS_LINES:  # "PMB 114 2000 Main St": box, street
            after = pos + len(unit) + line.startswith(" ", pos + len(unit))  # single-spaced
            # "Suite 200 3377" of "<span>Suite 200</span> <span>3377 Broadway</span> <span>New
            # York, NY ...": the street's number, its name run into the town's words
            if not (_STREET_AT.match(line, after) or _number_alone(line[after:])):
                break
            kept.append(unit)
            unit, pos = _unit_or_box(line, after), after
        line = line[pos:]
        named = line[len(unit) :].strip() if unit is not None and british else ""
        if unit is not None and building(named):
            kept += [unit, named][: MAX_ADDRESS_LINES - len(kept)]
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
              and word.lower().rstrip(".,") in STREET_WORDS), 0)  # fmt: skip
    # a unit or box before it ends the line ("1 Avenue of the Americas Fl 12 Marcus
    # Oyelaran", "3377 Broadway Suite 4 Marcus Way"): a street word after one may be a name's
    named = len(" ".join(words[:k])) if k else len(line)  # the line is single-spaced
    blanks = (m.end() for m in re.finditer(" ", line[:named]))
    cut = next((line[:at] + found for at in blanks if (found := _unit_or_box(line, at))), "")
    if cut or not k:
        return cut or line
    while k < len(words) and words[k].lower().rstrip(".,") in STREET_WORDS:
        k += 1
    if k < len(words) and _ROUTE_NUMBER.fullmatch(words[k].rstrip(".,")):
        k += 1
    while k < len(words) and words[k].lower().rstrip(".,") in DIRECTIONS:
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
    for whole, cut in ((UNIT_ONLY, _UNITS), (PO_BOX, _BOX), (_ROUTE, _ROUTE_BOX)):
        if whole.match(text, pos):
            found = cut.match(text, pos)
            return found.group() if found else ""
    return None


def unit_or_box_alone(part: str) -> bool:
    """``part`` is a unit or a box and nothing more ("Suite 207", "PO Box 2291"): no word of
    it may name whom the address reaches."""
    return bool(part) and _unit_or_box(part) == part


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
    rf"(?:{UNIT_WORD}\s*#?\s*|#\s?)"
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


PARTS: Final = re.compile(r"\s*[,;|\u2022\u00b7]\s*|\s{2,}")
"""What sets off the parts of an address written on one line."""
_DASHED: Final = re.compile(
    r"(?<!(?<!\d)\d{5}) [-\u2013\u2014~/] (?!(?<=\d . )\d+[A-Za-z]?\b(?!\s*[A-Za-z]))"
    r"|(?<=(?<!\d)\d{5}) [-\u2013\u2014~/] (?!\d{4}(?!\d))"
)
"""A dash, tilde or slash with a blank each side, setting parts off as a comma does ("3377
Broadway - Springfield, IL", "Flat 3 - 21 Baker St"), but not inside a ZIP+4 ("62705 -
1234") nor between a unit's numbers ("Suite 100 / 101": a number no word follows)."""


def flat(text: str) -> str:
    """``text`` single-spaced, its parts set off by dashes set off by commas instead: a town
    had been read as "Broadway - Springfield", and a line as "Find us: - 3377"; and so by
    "in" after a street, unit or box, as prose writes one ("at 418 Dockside Ave in
    Springfield, IL": the town had been "in Springfield", and "12 Main St. in St. Louis" the
    town "Louis")."""
    return _IN_TOWN.sub(_in_town, _DASHED.sub(", ", " ".join(text.split())))


_IN_TOWN: Final = re.compile(r" in (?:downtown )?(?=[A-Z])")
"""A town's name after "in" (lower case: not Indiana's "IN")."""
_IN_REACH: Final = 80
"""Characters before "in" read for the street, unit or box it follows."""


def _in_town(found: re.Match[str]) -> str:
    """A comma for ``found`` where the street, unit or box its part starts ends right before
    it: in a street word ("Ave", "St."), a number ("Suite 4", "PO Box 11"), or the word after
    a house number ("3377 Broadway"); not in a town's word ("12 Duke Street Barrow in
    Furness": the town runs on)."""
    before = PARTS.split(found.string[max(0, found.start() - _IN_REACH) : found.start()])[-1]
    at = _street_start(before)
    said = before[at:].split() if at >= 0 else []
    ends = bool(said) and (
        said[-1].lower().rstrip(".") in STREET_WORDS
        or any(c.isdigit() for c in said[-1])
        or (len(said) == 2 and _number_alone(said[0]))
    )
    return ", " if ends else found.group()


def without_addressee(part: str) -> str:
    """``part`` without what is addressed to a person ("Attn: Marcus Oyelaran", "c/o ..."):
    from its word to the next street, unit or box in the part ("Attn: Accounts Payable PO Box
    2291" is the box), or to the part's end."""
    kept, at = [], 0
    while (mark := ADDRESSEE.search(part, at)) is not None:
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
    run = f"{PARTS.split(before)[-1].strip()} {city}"
    marks = list(ADDRESSEE.finditer(run))
    if not marks:
        return city
    after = run[marks[-1].end() :]
    if any(_STREET_AT.match(after, m.end()) for m in _WORD_START.finditer(after)):
        return city
    rest = PARTS.split(after, maxsplit=1)
    return rest[1].strip() if len(rest) > 1 else ""


def delivery_lines(lines: Sequence[str], postal_code: str = "") -> tuple[str, ...]:
    """The delivery lines of an address the page marks up in parts (schema.org's
    ``streetAddress``, an h-card's street and extended address), kept as a text address's are:
    never a part addressed to a person ("c/o ...", "Attn: ...") nor a name set off before the
    street ("Marcus Oyelaran, PO Box 2291"). Markup had kept them whole, and the business's
    mailing address named whom it reaches. One with a British ``postal_code`` keeps the
    building named before its street ("The Old Mill, Mill Lane"), as a text address does."""
    british = UK_POSTCODE.fullmatch(postal_code.strip()) is not None
    joined = ", ".join(lines)
    return () if _too_long(joined) else tuple(_split_delivery(joined, british, False)[1])


def _too_long(text: str) -> bool:
    """``text`` is over ``MAX_ADDRESS_CHARS`` once single-spaced: a JSON-LD address indented
    by its template ("123 Main St\\n" and 1,000 blanks before its town) is an address."""
    return len(text) > MAX_ADDRESS_CHARS and len(" ".join(text.split())) > MAX_ADDRESS_CHARS


def box_line(box: str) -> str:
    """A box as marked up on its own (schema.org's ``postOfficeBoxNumber``, an h-card's
    ``post-office-box``) as a line: its number alone ("2291") is "PO Box 2291", and words
    that are no box's after "PO Box" are cut as a box line's are."""
    return box if box.lower().startswith(("po", "p.o", "box")) else f"PO Box {box}"


def delivery_line(line: str) -> bool:
    """``line`` may be a delivery line: a street, unit, building or box, or a line holding a
    number ("Dept 4432", "Room 12"). One with no number that is none of those ("Office of
    Marcus Oyelaran", a name between the street and the town) may name whom it reaches."""
    return _road(line) or street_line(line) or STREET.match(line) is not None


def _from_the_street(delivery: list[str], british: bool = False, towned: bool = True) -> list[str]:
    """``delivery`` without the parts before its street line that are none of its lines
    (``_before_the_street``). A street is known by its street word ("Ave", "Lane NW") or a box;
    with none ("3377 Broadway", "1 Avenue of the Americas"), by the house number starting it,
    the last part so started (or a number alone: "3377" of "3377 Broadway New York, NY",
    whose street ran into the town): "Suite 4, Marcus Oyelaran, 3377 Broadway" had kept his
    name. The parts after it are read as those before it are, names first
    (``_after_the_street``; in a British address ``_british_after``): "3377 Broadway, Marcus
    Oyelaran, New York, NY" had kept his name, and "3377 Broadway, Dana Court" had read his as
    the street."""
    street = max(
        (k for k, part in enumerate(delivery) if street_line(part) or _HOUSE_NUMBER.match(part)),
        default=0,
    )
    if not british:  # the last numbered street or box is the street, not words alone after it
        worded = (k for k, part in enumerate(delivery) if _WORDED_NUMBER.match(part))
        street = max((k for k, part in enumerate(delivery) if _numbered(part)),
                     default=next(worded, street))  # fmt: skip
    town = len(delivery)  # where the post town (and its county) starts: last in a text
    if towned:
        town -= 1 + (len(delivery) > 1 and county(delivery[-1]))
    return [
        part
        for k, part in enumerate(delivery)
        if k == street
        or (k > street and (_after_the_street(part) or (british and _british_after(part, k, town))))
        or (k < street and (UNIT_ONLY.match(part) or _before_the_street(part, british)))
    ]


def _british_after(part: str, k: int, town: int) -> bool:
    """``part`` (the ``k``-th), after a British address's street, may be a line of it or its
    town: the post town and its county (the last parts from ``town`` on) are, and so is a
    locality before them (``locality``: "12 Mill St, Little Aston, Sutton Coldfield") or a
    street named without a number ("Unit 4, Mill Lane"); words alone are not: they may name
    whom the address reaches ("12 Mill St, Marcus Oyelaran, Sutton Coldfield" had kept his
    name as a line)."""
    return k >= town or street_line(part) or locality(part)


def line_after(part: str, british: bool) -> bool:
    """``part``, set off after a delivery line, may be a line of the address: in a British
    one as ``delivery_line`` says ("Unit 4, Mill Lane"), in a US one as ``_after_the_street``
    does (a name ending in a street word, "Dana Court", is none)."""
    return delivery_line(part) if british else _after_the_street(part)


_WORDED_NUMBER: Final = re.compile(r"(?:One|Two)\s", re.I)
"""A street whose number is a word ("One Liberty Plaza"): the street where no part is
numbered in digits, so what follows it is read as after a street ("One Liberty Plaza, Dana
Court" had kept her name as the street); after one in digits it is a building's name
("3377 Broadway, One Liberty Plaza")."""


def _numbered(part: str) -> bool:
    """``part`` is a street started by a house number (or that number alone) or a box."""
    return _HOUSE_NUMBER.match(part) is not None or PO_BOX.search(part) is not None


def _after_the_street(part: str) -> bool:
    """``part``, after a US address's street line, may be a line of it: known by what it is,
    a unit, box, floor or numbered line ("Suite 200", "Floor 3", "Building C", "One Liberty
    Plaza"), a line holding a number not a phone's ("Dept 4432"), one ending in a unit's word
    ("Accounts Payable Dept"), a building (``building``: "Riverside Business Park") or a
    direction ("NW"). Words alone are not, as before the street: they may name whom the
    address reaches ("Marcus Oyelaran", "Dana Court"), so a plaza named there ("Dockside
    Plaza") is dropped too."""
    said = part.lower().rstrip(".").split()
    return (
        STREET.match(part) is not None
        or (any(c.isdigit() for c in part) and not _no_ones_number(part))
        or (bool(said) and said[-1] in UNIT_NAMES)
        or building(part)
        or all(word in DIRECTIONS for word in said)
    )


def _before_the_street(part: str, british: bool) -> bool:
    """``part``, before an address's street line, may be a line of it: a unit, a building or a
    box ("Suite 200", "2nd Floor", "Building 5", "One Liberty Plaza"), not a part that only
    starts with a number ("Open 7 days a week", "35 years", "2024 Harbor Lane Plumbing" before
    "418 Dockside Ave") nor words alone, which may name whom it reaches ("Suite 4, Marcus
    Oyelaran, 418 Dockside Ave"). In a British address only a numbered line or a building
    named ("Unit 4, Riverside Business Park, Mill Lane"): words alone there may name whom it
    reaches, as they may before its first line ("Unit 4, Jenny Hall, Mill Lane"; "Unit 4, Dana
    Court, Mill Lane" names no second street); a numbered one only as a street, a box or a
    building ("5 The Maltings"; not "Open 7 days")."""
    if british:
        numbered = STREET.match(part) is not None and street_line(part)
        return numbered or building(_HOUSE_NUMBER.sub("", part, count=1))
    return STREET.match(part) is not None and (street_line(part) or not part[:1].isdigit())


_HOUSE_NUMBER: Final = re.compile(r"^\d+[A-Za-z]?(?:-\d+)?(?:\s+|$)")
"""A house's number starting a line ("5 " of "5 The Maltings"), or a line that is one alone."""


def _number_alone(part: str) -> bool:
    """``part`` is a house number alone ("3377"), not a phone's."""
    return _HOUSE_NUMBER.fullmatch(part) is not None and not _no_ones_number(part)


def _street_after(part: str, british: bool) -> bool:
    """``part``, after a unit, is the address's street: it starts with a house number ("3377
    Broadway", "418 Dockside Ave", or "3377" alone of "3377 Broadway New York, NY", whose
    street ran into the town), not a phone's; in a British address it may be named alone
    ("Mill Lane"), the last street so named being the address's. A road named with no number
    before the unit ("Dana Court, Suite 4, 3377 Broadway") is then none of the address's."""
    numbered = _HOUSE_NUMBER.match(part) is not None and not _no_ones_number(part)
    return numbered or (british and street_line(part))


def street_line(part: str) -> bool:
    """``part`` names a box, or ends in a street word (a direction after it aside)."""
    said = _LETTERS.findall(part.lower())
    while said and said[-1] in DIRECTIONS:
        said.pop()
    return PO_BOX.search(part) is not None or (bool(said) and said[-1] in STREET_WORDS)


DIRECTIONS: Final = frozenset([*DIRECTIONALS, *DIRECTIONALS.values()])
"""Directions a street line may end with after its street word ("Lake St NE", "Oak Ave
Northwest"): Publication 28's, spelt out or abbreviated."""
_LETTERS: Final = re.compile(r"[a-z]+")
"""A lower-cased part's words (compiled as the module loads: a starter's workers inherit it)."""


_DATING: Final = re.compile(
    r"(?:\u00a9|\(c\)|\bcopyright|\bsince|\best\.?|\bestablished|\bfounded)(?:\s+in)?\s*$",
    re.I,
)
_YEARS: Final = re.compile(r"(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:19|20)\d\d)?\b")


def _dated(part: str, at: int) -> bool:
    """The number at ``at`` is a year the words before it tell as one ("(c) 2024 Harbor Lane
    Plumbing", "Since 1987 Harbor Lane Plumbing", "Founded in 1987 by Ray Okafor"): a footer's
    notice or a story's, not a house number."""
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
UNIT_ONLY: Final = re.compile(
    rf"(?:{UNIT_WORD}|#)\b|{_NTH_FLOOR}",
    re.I,
)


def _road(part: str) -> bool:
    """A part that names a road or a building by a number or a street word ("Route 66",
    "Dockside Plaza"), not a person."""
    words = part.lower().rstrip(".").split()
    if _no_ones_number(part):
        return False
    return any(c.isdigit() for c in part) or (bool(words) and words[-1] in STREET_WORDS)


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


ADDRESSEE: Final = re.compile(
    r"(?:c/o|\b(?:care of|attn|attention|fao|for the attention of))\b", re.I
)
"""The word starting a part addressed to a person; "c/o" also run into the word before it,
as elements with no blank between show it ("<span>Springfield</span><span>c/o Marcus
Oyelaran</span>" is "Springfieldc/o Marcus Oyelaran": a lower-case letter starts no word)."""


_ZIP5: Final = re.compile(r"\d(?<=(?<!\d)\d)\d{4}(?!\d)")
_REACH: Final = 80
"""Characters a US_TAIL match spans before its ZIP in single-spaced text: a city of at most 41,
" , ", a region of at most 20 ("District of Columbia"), ". ," and a space (67, rounded up)."""


def us_start(text: str) -> int:
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
    pos = us_start(text) if pattern is US_TAIL else 0
    for found in pattern.finditer(text, pos):  # noqa: B007 - the last match is the one wanted
        continue
    return found


_NAMED_ALONE: Final = frozenset(words("broadway bowery"))
"""Streets named by one word and no street word, found right after a house number: a town's
name run on after one ("3377 Broadway New York") had taken it ("Broadway New York"), the
number left as the street. Not after a name ("Marcus Broadway Springfield" is read as
before), nor a town of that name ("12 Main St Broadway, VA")."""
_TOWN_ALONE: Final = re.compile(r"[A-Za-z][A-Za-z'.\- ]{0,40}")


def _town_alone(part: str) -> bool:
    """``part`` is a town's name and nothing else: words of letters, none a street's or a
    building's ("Mill Lane Leeds", "The Old Mill Leeds" hold a street or a building)."""
    named = {w.lower().rstrip(".") for w in part.split()}
    return _TOWN_ALONE.fullmatch(part) is not None and not named & _NOT_A_TOWN


_NOT_A_TOWN: Final = STREET_WORDS | _NAMED_BUILDINGS | _NO_ONES_BUILDINGS
_LAST_NUMBER: Final = re.compile(r"(?<!\S)(\d+[A-Za-z]?)\s*$")
"""A number ending a line's text, as a street's number starts the street."""


def read_address_text(text: str, label: str = "") -> PageAddress | None:
    """One address in ``text`` (one line or several), split into parts as written; the words
    leading into it on its line ("Send payments to", "<b>Showroom</b>") name its kind before
    ``label`` does. None for a text over ``MAX_ADDRESS_CHARS``."""
    if _too_long(text):
        return None
    flat_text = flat(text)
    match = _last(US_TAIL, flat_text)
    if match is not None:
        head, city = flat_text[: match.start()], match["city"].strip()
        if (mark := ADDRESSEE.search(city)) is not None:  # "12 Main St Attn Marcus Oyelaran
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
        ends = [k for k, w in enumerate(words[:-1]) if w.lower().rstrip(".") in STREET_WORDS]
        if not ends and len(words) > 1 and words[0].lower() in _NAMED_ALONE:
            # "3377 Broadway New York, NY": a street named by one word after its house number
            # (a number alone in its part: not "Suite 5", "Route 9", a phone's or a year's)
            ends = [0] if _number_alone(PARTS.split(head.strip())[-1]) else []
        if ends and (
            not delivery or not STREET.search(delivery[-1]) or head.rstrip()[-1:].isdigit()
        ):
            k = ends[-1] + 1
            run_on = delivery[-1:] if head.strip() and not head.rstrip().endswith(",") else []
            written, ran = PARTS.split(head.strip())[-1], len(run_on)
            if run_on and (cut := _split_delivery(written)[1])[-1:] == run_on:
                # as written: its lines are cut ("PMB 114 2000" to "PMB 114" and "2000")
                run_on, ran = [written], len(cut)
            elif not run_on and (number := _LAST_NUMBER.search(head)):
                run_on = [number[1]]  # "Attn: Marcus Oyelaran 12" took the street's number
            street = " ".join([*run_on, *words[:k]])
            # "Marcus Oyelaran 12 Harbor Lane" (spans in a footer): its street starts at the
            # number only now, and whom it reaches is no line of it, nor its label
            streets = _split_delivery(street)[1]
            delivery = (
                [*delivery[: len(delivery) - ran], *streets]
                if head.strip() and not head.rstrip().endswith(",")
                else [*delivery, *streets]
            )
            city = " ".join(words[k:])
        elif len(words) > 1 and len(words[0]) == 1 and head[-1:].isdigit() and delivery:
            delivery[-1] += words[0]  # "Apt 2B Springfield" (not "Apt 4 E Lansing"): the unit's
            city = " ".join(words[1:])
        elif not delivery and STREET.match(city):
            parts = parse_one_line(flat_text)
            if parts.city and len(parts.city.split()) < len(words):
                k = len(words) - len(parts.city.split())
                delivery, city = [" ".join(words[:k])], " ".join(words[k:])
        city = town(city, head)
    else:
        uk = _last(UK_POSTCODE, flat_text)
        if uk is None:
            return None
        head = flat_text[: uk.start()].strip(" ,")
        postal, country, region = uk["zip"], uk["country"] or "", ""
        lead, segments = _split_delivery(head, british=True)
        # "Flat 3, 21 Baker St London" (no comma before the town): its street is no town
        city = segments.pop() if len(segments) > 1 and not STREET.match(segments[-1]) else ""
        if city and county(city) and len(segments) > 1 and _town_alone(segments[-1]):
            region, city = city, segments.pop()  # "Hebden Bridge, West Yorkshire": its town
        if segments == [head] and _town_alone(head):
            return None  # "Leeds LS1 4AB" alone: a town, no delivery line (it had been one)
        delivery = segments
    if not delivery:
        return None
    label = lead_label(lead) or label  # the nearer words: "Our old address was" below "Contact"
    kind = kind_of_label(label) if label else ""
    boxed = any(PO_BOX.search(d) for d in delivery)
    if kind == "location" and boxed and RETURNS.search(label):
        kind = kind_of_label(RETURNS.sub(" ", label))  # a box is no warehouse
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
