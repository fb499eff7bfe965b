"""Confirming a named person on a page, never collecting anyone else.

Only the name variants the caller gives are looked for. A hit keeps the name as written, a job
title found beside it (the same card, or the JSON-LD Person / h-card), the organisation said
beside that title (a Person's ``worksFor``, an h-card's org, "at Acme Supply" after a title), the
context (``staff``, ``mention`` or ``obituary``) and a snippet that is her name as written and
that title, never the sentence around it. Other people's names on the page are never read into
the result, but for the organisation a page says she works for.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from typing import Final, NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from skiptrace.normalize._address_tables import AU_STATES, CA_PROVINCES, COUNTRIES, STATES
from skiptrace.normalize.names import canonical_suffix, is_honorific, is_particle
from skiptrace.pages import _dom, _head, hcard, jsonld, schema
from skiptrace.pages._model import Mention, snippet, words

MAX_VARIANTS: Final = 50
MAX_HITS: Final = 200
"""Hits read per page: a page repeating the name is no more evidence after that."""
_OBITUARY: Final = re.compile(
    r"obituar|in memoriam|in loving memory|passed away|survived by|rest in peace|funeral|"
    r"celebration of life|memorial service|predeceased|\bremember(?:s|ing)?\b|in memory of",
    re.I,
)
"""Words that make a page, a section or the hit's own lines a memorial, whoever they name."""
_DEATH_MARK: Final = re.compile(
    r"(?:^|[(\[,:;\u2013\u2014-])\s*deceased\b|(?-i:\bR\.?I\.?P\b)|"  # "(deceased)", "RIP"
    r"[\u2020\u271d\u271e]\s*(?:19|20)\d\d\b|"  # "\u2020 2019": a death year, not a footnote mark
    r"\b(?:19|20)\d\d\s*[-\u2013]\s*(?:19|20)\d\d\b|\bd\.\s*(?:19|20)\d\d\b",  # "d. 2019": died
    re.I,
)
"""A life span or death mark: the death of the person it follows only ("Nonna Sofia Bellini
(1931-2019)" in her grandson's sentence is hers)."""
_THE_LATE: Final = re.compile(r"\bthe late\s+$", re.I)
"""Before a name (a title between passed over): "the late Dana Whitfield", hers only."""
_STAFF_SEGMENTS: Final = frozenset(
    {"team", "our-team", "staff", "our-staff", "people", "our-people", "leadership"}
)
_STAFF_TOKENS: Final = frozenset(
    {"team", "staff", "people", "member", "members", "employee", "employees", "leadership"}
)
_NOT_STAFF_TOKENS: Final = frozenset(
    {"news", "blog", "post", "posts", "press", "event", "events", "story", "stories",
     "testimonial", "testimonials", "review", "reviews", "quote", "quotes", "customer",
     "customers", "volunteer", "volunteers", "sponsor", "sponsors", "supplier", "suppliers",
     "vendor", "vendors", "trustees"}
)  # fmt: skip
"""Not "partners", "clients" or "advisors": a law or advisory firm's staff are those."""
_BOARD: Final = re.compile(
    r"\b(?:advisory\s+board|board\s+of\s+[a-z]+|board\s+members?|(?:our|the)\s+board)\b|"
    r"^\s*board\s*$",
    re.I,
)
"""A heading over a board: it governs, and its directors are not the business's employees (a
nonprofit's serve unpaid, a company's outside directors work elsewhere; one who is staff is
listed with the staff). Not "Board-Certified Physicians"."""
_COUNCIL: Final = re.compile(r"\bcouncil\b", re.I)
"""A heading over a council ("Church Council", "Parish Council"): it governs as a board does,
its members elected, mostly unpaid; not a staff's own ("Staff Council", "Leadership
Council": a staff word in it)."""
_TITLE_PLAIN: Final = frozenset(
    words(
        "office operations sales marketing finance financial accounts accounting human resources "
        "hr customer service services senior junior chief general regional project projects "
        "field business development it information technology legal compliance quality safety "
        "support client clients public relations communications purchasing procurement "
        "production maintenance warehouse logistics administration administrative the and "
        "services care billing payroll dispatch estimating design engineering research team "
        "staff front desk residential commercial new construction installation repair "
        "plumbing electrical hvac roofing dental medical nursing "
        "co creative technical digital managing deputy acting interim licensed certified "
        "registered master journeyman area district national international global product "
        "program programme content account payable receivable credit collections tax "
        "audit risk strategy data software network systems security store shop branch site "
        "facilities fleet transport shipping receiving inventory retail wholesale kitchen "
        "executive assistant principal lead head associate vice department church parish "
        "ministry ministries youth worship ase volunteer "
        "founding center centre"
    )
)

_TITLE_WORDS: Final = re.compile(
    r"\b(?:manager|director|owner|president|vice|assistant|technician|engineer|officer|partner|"
    r"associate|coordinator|specialist|accountant|attorney|lawyer|paralegal|ceo|cfo|coo|cto|"
    r"founder|administrator|supervisor|lead|head|clerk|nurse|sales|representative|analyst|"
    r"consultant|advisor|adviser|secretary|receptionist|bookkeeper|estimator|foreman|rep|"
    r"superintendent|principal|chair|executive|agent|broker|dentist|hygienist|physician|"
    r"therapist|designer|developer|controller|treasurer|apprentice|electrician|plumber|driver|"
    r"chef|barista|cashier|mechanic|welder|machinist|operator|installer|inspector|instructor|"
    r"teacher|professor|pharmacist|veterinarian|optometrist|surveyor|architect|editor|writer|"
    r"photographer|producer|programmer|librarian|counselor|counsellor|planner|buyer|recruiter|"
    r"trainer|tech|dispatcher|scheduler|auditor|underwriter|adjuster|realtor|stylist|"
    r"intern|trainee|helper|laborer|labourer|janitor|custodian|caregiver|aide|paramedic|"
    r"doctor|surgeon|chiropractor|psychologist|solicitor|notary|actuary|scientist|chemist|"
    r"counsel|pastor|minister|priest|rabbi|deacon|chaplain|vicar|rector|cantor|imam|colorist|"
    r"colourist|esthetician|aesthetician)\b",
    re.I,
)


_INITIAL: Final = r"(?:\s+[^\W\d_]\.?)?"
"""One middle initial, written or not ("Dana J. Whitfield", "Whitfield, Dana J")."""


def _pattern(names: Sequence[str], any_initial: bool) -> re.Pattern[str] | None:
    parts: list[tuple[int, str]] = []  # (words in the name, its pattern)
    for name in list(dict.fromkeys(n.strip() for n in names if n.strip()))[:MAX_VARIANTS]:
        raw = name.split()
        words = [_particle_spaced(w) for w in raw]
        if words[0].endswith(r"\."):
            part = r"\s*".join(words)
        elif any_initial and len(words) == 2 and words[0].endswith(","):
            part = rf"{words[0]}\s+{words[1]}{_INITIAL}"
        elif any_initial and len(words) == 2:
            part = rf"{words[0]}{_INITIAL}\s+{words[1]}"
        else:
            gaps = [r"\s*" if _dom.PARTICLE.search(w) else r"\s+" for w in raw]
            part = "".join(w + gap for w, gap in zip(words, gaps[:-1], strict=False)) + words[-1]
        parts.append((len(words), part))
    if not parts:
        return None
    # the name of most words first ("Dana Whitfield Jr." before "Dana Whitfield"): the first
    # alternative that matches is the one taken, whatever its pattern's length
    parts.sort(reverse=True)
    # a hyphen joins a name (Mary-Dana Whitfield and Dana Whitfield-Oyelaran are not Dana
    # Whitfield), and so does an apostrophe before it (O'Dana); after it, one is a possessive
    alternatives = "|".join(part for _, part in parts)
    return re.compile(r"(?<![\w'\u2019-])(?:" + alternatives + r")(?![\w-])", re.I)


def _particle_spaced(word: str) -> str:
    """``word`` as a pattern, a blank allowed after a surname's particle it starts with
    ("McKay" finds "Mc Kay"), as one after a particle written apart may be left out ("Mc
    Kay" finds "McKay"): markup parting the name decides which a page shows
    ("Mc<b>Kay</b>" runs on, ``_dom.PARTICLE``), not how she spells it."""
    for cut in range(2, 5):
        if word[cut : cut + 1].isupper() and _dom.PARTICLE.search(word[:cut]):
            return rf"{re.escape(word[:cut])}\s?{re.escape(word[cut:])}"
    return re.escape(word)


def _title_word(word: str) -> bool:
    """A word of the title vocabulary (a hyphenated one when each part is: Co-Owner)."""
    plain = word.strip(" ,.;:()'\u2019\"").lower()
    if plain in _TITLE_PLAIN or _TITLE_WORDS.fullmatch(plain):
        return True
    parts = plain.split("-")
    return len(parts) > 1 and all(p in _TITLE_PLAIN or _TITLE_WORDS.fullmatch(p) for p in parts)


def _role_word(word: str) -> bool:
    """Manager, Owner, Co-Owner...: a word that makes a title a job's."""
    return any(_TITLE_WORDS.fullmatch(p) for p in word.lower().strip(".").split("-"))


def job_title(text: str) -> str:
    """The job title that starts ``text``, as written, made of title words only: cut at the
    first clause break ("Office Manager, covering for Priya") and at the first word that is
    neither a title word nor a joiner ("Owner & \u00c9lodie"), joiners at its end dropped; ""
    unless a title word such as Manager or Owner is in it. What is kept comes from a fixed
    vocabulary, and ends before "to", "for", "with" or an "&" that no role of hers follows (a
    person may follow: "Assistant to Art Field", "Owner & Art Brand"; "Owner & Master Plumber"
    is one title), so no one's name is in it, in any script or case, whatever follows it."""
    head = _CLAUSE_BREAK.split(text, maxsplit=1)[0]
    tokens = list(_TITLE_TOKENS.finditer(head))
    kept: list[re.Match[str]] = []
    for k, token in enumerate(tokens):
        if kept and not _TITLE_GAP.fullmatch(head, kept[-1].end(), token.start()):
            break  # a name in circled letters between two title words: the title ends
        word = token.group(0)
        lower = word.lower()
        if lower == "&" and kept and _joins_roles(tokens[k + 1 :]):
            kept.append(token)  # "Owner & Master Plumber": two roles of one person
            continue
        if lower in _PERSON_JOINERS:  # "Assistant to ...", "Owner & ...": a person may follow
            break
        if lower == "and" and not (
            kept
            and kept[-1].group(0).lower() in _TITLE_PLAIN
            and k + 1 < len(tokens)
            and tokens[k + 1].group(0).lower() in _TITLE_PLAIN
        ):
            break  # "Sales and Marketing" only
        if not (_title_word(word) or lower in _TITLE_JOINERS):
            break
        kept.append(token)
    while kept and (not _title_word(kept[-1].group(0)) or kept[-1].group(0).lower() in _ENDLESS):
        kept.pop()  # "Office Manager of the Year": "of the" leads to no title word
    if not any(_role_word(t.group(0)) for t in kept):
        return ""
    return " ".join(head[kept[0].start() : kept[-1].end()].split())


def _joins_roles(after: list[re.Match[str]]) -> bool:
    """After an "&", a run of title words holding a role word ("Master Plumber", "Chief
    Executive Officer"): the "&" joins two of her roles; before anything else ("Owner &
    \u00c9lodie", "Owner & Art Brand") a person may follow, so the title ends there."""
    run = list(itertools.takewhile(lambda token: _title_word(token.group(0)), after))
    return any(_role_word(token.group(0)) for token in run)


_CLAUSE_BREAK: Final = re.compile(r"[,;:()\[\]|\u2013\u2014]|\s-\s")
_TITLE_TOKENS: Final = re.compile(r"&|[^\W\d_][\w'\u2019.-]*")
_TITLE_GAP: Final = re.compile(r"[\s\d/+.'\u2019\u00b7\u00ad\u200b-\u200d\u2060\ufeff-]*")
"""What may stand between two words of a title ("Office Manager/Bookkeeper", "Owner\u00b7
Operator", a zero-width space or soft hyphen a site's editor left): the title is cut from the
line, so anything else there (a name in circled or squared letters, symbols that read as
letters and make no word) would be kept whole."""
_TITLE_JOINERS: Final = frozenset(words("of and the in at co sr jr"))
_ENDLESS: Final = frozenset(words("the and"))
"""Title words that never end a title ("Head of the", "Sales and")."""
_PERSON_JOINERS: Final = frozenset(words("to for with & +"))
_RUNS_ON_TO: Final = frozenset(words("to for with of at in since"))
"""After a title, words that start no other entry ("Assistant to Morgan Quill", "Office Manager
at Acme", "Owner since 1998")."""
_NEXT_WORD: Final = re.compile(r"[,;(\[]|[^\W_][\w'\u2019.-]*")
_LABEL_ENDS: Final = " ,-\u2013\u2014|:"
_LABELLING: Final = (":", "|", "-", "\u2013", "\u2014")  # "Owner: Sam Lee" labels Sam


class _Near(NamedTuple):
    """A hit's title, whether its card marks a role, and the organisation named after the
    title ("Sales Representative at Acme Supply"; "" when none is)."""

    title: str
    marked: bool
    org: str = ""
    said: str = ""
    """The card's line the title was read from, when not the hit's own; with no title, the
    short line where her title would stand ("Owner's Wife", "Guest Speaker" below her name),
    read for what makes her no staff."""


def _title_near(lines: list[_dom.Line], i: int, name_start: str, name_end: str) -> _Near:
    """A job title in the hit's own line after the name, or before it when that is all the
    line holds there ("Office Manager: Dana Whitfield"), or the line just after or before it
    in the same card (before it first where the card's first line is a title: titles stand
    above the names there), or the card's next block (``_next_block_title``); never one that
    holds or labels another person's name ("Owner: Sam Lee" is Sam's). And whether such a
    line is marked as a role (class "role", "position"...) even when its words are not kept
    as a title ("Customer Service"): the card is then a staff card."""
    rest = name_end.strip(" ,-\u2013\u2014|:(")  # "Dana Whitfield (Office Manager)"
    title = job_title(rest) if len(rest) <= 80 else ""
    if title and not _labels_next(rest, title):
        return _Near(title, True, _said_org(rest, title))
    before = " ".join(name_start.rstrip(_LABEL_ENDS).split())
    if before and len(before) <= 80 and job_title(before) == before:
        return _Near(before, True)
    node = lines[i].node
    card = next((a for a in _dom.ancestors(node, 6)[1:] if a.tag not in _dom.INLINE), None)
    if card is None:
        return _Near("", False)

    def near(j: int) -> LexborNode | None:
        other = lines[j].node
        inside = other is not None and card.mem_id in {a.mem_id for a in _dom.ancestors(other, 6)}
        return other if inside else None

    first = i  # the card's first line: a title there means titles stand above the names
    while first > 0 and i - first < _CARD_LINES and near(first - 1) is not None:
        first -= 1
    above = first < i and bool(_card_title(lines[first].text))
    marked = False
    order = (i - 1, i + 1) if above else (i + 1, i - 1)
    for j in order:
        if 0 <= j < len(lines) and (other := near(j)) is not None:
            if title := _card_title(lines[j].text):
                return _Near(title, True, _said_org(lines[j].text, title), lines[j].text)
            marked = marked or _role_marked(other)
    if title := _next_block_title(lines, i):
        return _Near(title, True, _said_org(lines[i + 1].text, title), lines[i + 1].text)
    j = order[0]
    other = near(j) if 0 <= j < len(lines) else None
    beside = (
        other is not None
        and len(lines[j].text) <= 80
        and not _alike(other, node)
        and not _next_cell_entry(other, lines[j].text)
    )
    return _Near("", marked, said=lines[j].text if beside else "")


def _next_cell_entry(node: LexborNode, text: str) -> bool:
    """A table's cell beside hers that starts with another person's name set off ("Sam Lee -
    Volunteer", "Sam Lee, Board Member"): a grid's next card, one person a cell, not her
    row's column ("Volunteer" there is hers, and so are capitalised words that call her no
    staff: "Loyal Customer - since 2010", "Former Owner - 1990", "Guest Speaker (2024)")."""
    found = _NAMED_CELL.match(text)
    if node.tag not in _CELLS or found is None:
        return False
    said = found.group(1)
    no_staff = (_former_title, _departed, _relation, _outsider, _calls_visitor)
    return _someone(said) and not any(calls(said) for calls in no_staff)


def _labels_next(text: str, title: str) -> bool:
    """``title`` is followed by a colon and a name: it labels the next person on her line
    ("Office Manager: Dana Whitfield | Owner: Tom Reed"), not her."""
    at = text.find(title)
    after = text[at + len(title) :].lstrip() if at >= 0 else ""
    return after[:1] == ":" and _starts_a_name(after[1:], True)


def _alike(one: LexborNode, other: LexborNode | None) -> bool:
    """Two entries of one list (an ``li`` after an ``li``, a ``p`` after a ``p`` of the same
    class): the line next to hers is the next person's, not a line of her card. Not two cells
    of a table's row: those are one entry's columns (name, title)."""
    if other is None or one.tag != other.tag or one.tag in _CELLS:
        return False
    return (one.attributes.get("class") or "") == (other.attributes.get("class") or "")


_CELLS: Final = frozenset(words("td th"))


def _next_block_title(lines: list[_dom.Line], i: int) -> str:
    """A title in the block after the hit's where a builder puts each in a widget or cell of
    its own (Elementor's heading then text-editor widget, a Wix repeater item's rich texts):
    the nearest element holding both, a few levels up, is her card only when her line is its
    first, it holds few lines and no other heading like her name's, and the next line is the
    one title among them; a list of people (two titles, titles above names) gives none."""
    node = lines[i].node
    other = lines[i + 1].node if i + 1 < len(lines) else None
    if node is None or other is None:
        return ""
    theirs = {a.mem_id for a in _dom.ancestors(other, _SPLIT_DEPTH + 2)}
    card = next((a for a in _dom.ancestors(node, _SPLIT_DEPTH + 1)[1:] if a.mem_id in theirs), None)
    if card is None or card.tag in ("body", "html"):
        return ""

    def inside(k: int) -> bool:
        held = lines[k].node
        return held is not None and card.mem_id in {a.mem_id for a in _dom.ancestors(held, 12)}

    if i > 0 and inside(i - 1):
        return ""  # her line is not the card's first: a title above it may be hers
    end = i + 1
    while end < len(lines) and end - i <= _SPLIT_LINES and inside(end):
        end += 1
    if end - i > _SPLIT_LINES or any(
        _another_heading(node, lines[k].node) for k in range(i + 1, end)
    ):
        return ""
    titles = [_card_title(lines[k].text) for k in range(i + 1, end)]
    return titles[0] if titles[0] and not any(titles[1:]) else ""


def _another_heading(hers: LexborNode, other: LexborNode | None) -> bool:
    """``other`` is a heading of the same level as her name's ("<h3>Sam Lee</h3>" after
    "<h3>Jane Roe</h3>"): another person's entry, so the block between may be his title."""
    return hers.tag in _HEADING_TAGS and other is not None and other.tag == hers.tag


_HEADING_TAGS: Final = frozenset(words("h1 h2 h3 h4 h5 h6"))


def _card_title(text: str) -> str:
    """The title a card's line is, unless it labels another person ("Owner: Sam Lee")."""
    title = job_title(text) if len(text) <= 80 else ""
    return title if title and not _labels(text, title) else ""


_SPLIT_DEPTH: Final = 4
"""Levels above the hit's block a split card may hold her title (Elementor's is three)."""
_SPLIT_LINES: Final = 5
"""Lines a split card holds at most: her name, her title, a bio or two; more is a list."""


def _said_org(text: str, title: str) -> str:
    """The organisation ``text`` names right after ``title`` ("Sales Representative at Acme
    Supply", "Owner of Dockside Cafe"): the capitalised words after "at", "of" or "@", up to
    the first clause break or other word; "" when none is named ("Office Manager at our
    Springfield shop", "Office Manager, formerly of Acme Supply": a past, after a break)."""
    at = text.find(title)
    if not title or at < 0:
        return ""
    after = text[at + len(title) :]
    clause = _CLAUSE_BREAK.split(after, maxsplit=1)[0]
    lead = _ORG_LEAD.match(clause)
    if lead is None:
        return _comma_org(after)
    kept: list[str] = []
    for word in clause[lead.end() :].split():
        if not (word[:1].isupper() or (kept and word.lower() in _ORG_JOINERS)):
            break
        kept.append(word)
    while kept and kept[-1].lower() in _ORG_JOINERS:
        kept.pop()
    said = " ".join(kept).rstrip(".")
    return "" if _place(said) else said


def _comma_org(after: str) -> str:
    """The organisation a comma right after her title names ("Sales Representative, Acme
    Supply"): its capitalised words up to the next break; "" when they are one word (her
    section, town or language: "Warranty", "Peoria", "Ventas"), go on with her title ("Vice
    President, Sales"), name a section or what she is ("Commercial Division", "NATE
    Certified"), are credentials ("CPA"), a place or a seat of the business's own ("Main
    Office", "North America"), or the next person of a list ("Office Manager, Tom Reed,
    Estimator": a title follows). Her employer's name, its branch or town are judged by
    the caller, as after "at"."""
    if not after.startswith(","):
        return ""
    segment, *rest = _CLAUSE_BREAK.split(after[1:], maxsplit=1)
    said = " ".join(segment.split()).rstrip(".")
    said_words = said.split()
    if not 1 < len(said_words) <= _MAX_ORG_WORDS:
        return ""  # one word is her section, town or language ("Billing", "Peoria", "Ventas")
    if not all(w[:1].isupper() or w.lower() in _ORG_JOINERS for w in said_words):
        return ""
    if all(_title_word(w) or w.lower() in _TITLE_JOINERS | {"&"} for w in said_words):
        return ""
    if any(w.lower().rstrip(".") in _SECTION_WORDS for w in said_words):
        return ""
    if all(_CREDENTIAL.fullmatch(w) for w in said_words) or _place(said):
        return ""
    return "" if rest and job_title(rest[0].strip()) else said


_MAX_ORG_WORDS: Final = 6
_SECTION_WORDS: Final = frozenset(
    words("division department dept practice level law office location certified insured speaking")
)
"""Words of a part of her employer or of what she is, never of another business's name
("Commercial Division", "Family Law", "Level II", "Peoria Office", "NATE Certified")."""
_CREDENTIAL: Final = re.compile(
    r"[A-Z]{2,5}\.?|(?:[A-Z][a-z]?\.){1,3}|Ph\.?D\.?|Esq\.?|Jr\.?|Sr\.?"
)
"""Letters after a name ("CPA", "DDS", "R.N.", "PhD", "Esq."), never a business's name."""
_ORG_LEAD: Final = re.compile(r"\s+(?:at|of|@)\s+", re.I)
_ORG_JOINERS: Final = frozenset(words("& and of the"))


def _place(said: str) -> bool:
    """``said`` names where she works, not another business: her employer's own seat
    ("Headquarters", "Corporate", "Our Peoria Office"), or a region, country, state or province,
    a direction before it and a region's or office's word after ("North America", "Midwest",
    "Northern California", "Illinois Office", "Western Region"). Every word must be read so:
    a business named after a place ("Southwest Airlines", "Delaware North", "Our Lady of
    Lourdes Hospital") is a business."""
    said_words = re.findall(r"[a-z0-9]+", said.lower())
    if _our_branch(said_words):
        return True
    k, placed = 0, False
    while k < len(said_words):
        span = next((n for n in (4, 3, 2, 1) if " ".join(said_words[k : k + n]) in _PLACES), 0)
        if span:
            k, placed = k + span, True
        elif said_words[k] in _DIRECTIONS and k + 1 < len(said_words):
            k += 1  # "Northern California", "Western Region"; not "Delaware North"
        elif said_words[k] in _SEAT_WORDS | _ORG_JOINERS:
            placed = placed or said_words[k] in _OWN_SEATS
            k += 1
        else:
            return False
    return placed


def _our_branch(said_words: list[str]) -> bool:
    """The page's own branch, whatever town it names ("Our Peoria Office", "Our St. Louis
    Shop"); not "Our Lady of Lourdes Clinic", a parish's or hospital's name."""
    return (
        2 < len(said_words) <= 4
        and said_words[0] == "our"
        and said_words[-1] in _BRANCHES
        and not {"of", "lady"} & set(said_words)
    )


_BRANCHES: Final = frozenset(
    words("office offices headquarters hq branch shop store location showroom warehouse yard")
)
_OWN_SEATS: Final = frozenset(
    words("headquarters hq office offices corporate region regions division territory branch")
)
"""Words naming a part of the business itself, enough alone ("at Headquarters", "at HQ")."""
_SEAT_WORDS: Final = frozenset([*words("head main regional district area zone"), *_OWN_SEATS])
"""Words that may stand with a place or seat ("Head Office", "Midwest District") but say
nothing alone."""
_DIRECTIONS: Final = frozenset(
    words(
        "north south east west central northern southern eastern western northeast northwest "
        "southeast southwest northeastern northwestern southeastern southwestern upper lower "
        "greater mid inland coastal"
    )
)
_PLACES: Final = frozenset(
    [
        *STATES, *COUNTRIES, *CA_PROVINCES, *AU_STATES,
        *words(
            "america americas africa asia europe oceania antarctica caribbean scandinavia nordics "
            "benelux emea apac apj latam amer midwest northeast southeast southwest northwest "
            "appalachia"
        ),
        "north america", "south america", "central america", "latin america", "middle east",
        "asia pacific", "pacific northwest", "new england", "mid atlantic", "great lakes",
        "great plains", "rocky mountains", "mountain west", "west coast", "east coast",
        "gulf coast", "tri state", "sun belt",
    ]
)  # fmt: skip
"""Regions, continents, countries, US states, Canadian provinces, Australian states: no
business's whole name."""


_CARD_LINES: Final = 40
"""How far back a card's first line is looked for (a long list is read from its neighbours)."""


def _labels(line: str, title: str) -> bool:
    """``line`` is another entry, not the hit's title: after its title, or after a mark that
    labels ("Owner: Sam Lee", "Owner - Sam Lee"), comes a word that starts a name, more title
    words and "and" passed over ("Owner Sam Lee", "Owner & Operator: Sam Lee", "Assistant to
    the Owner: Sam Lee"). Kept: a title alone or with more title words after it ("Owner -
    Master Electrician", "Office Manager | Billing"), before a comma ("Office Manager,
    covering for Priya"), a number or a credential, or before a word a person, a place or a
    date follows ("Assistant to Morgan Quill", "Office Manager at Acme", "Owner since 1998").
    After a comma, semicolon or bracket only a capitalised word starts a name ("Owner, Sam
    Lee", "Owner (Sam Lee)"; not "Office Manager, covering for Priya")."""
    at = line.find(title)
    starts = [(at + len(title) if at >= 0 else 0, False)]
    for mark in _CLAUSE_BREAK.finditer(line):
        sign = mark.group(0).strip()[:1]
        if sign in _LABELLING or sign in ",;([":
            starts.append((mark.end(), sign not in _LABELLING))
    return any(_starts_a_name(line[start:], capital) for start, capital in starts)


def _starts_a_name(text: str, capital: bool) -> bool:
    """The first word of ``text`` that is no title word, "and" nor a former word ("Pastor
    Emeritus", "Office Manager (retired 2018)") may start a name: it is no joiner, number,
    credential or contact label ("Ext. 12", "Phone"), does not start a sentence or her
    pronouns (``_starts_no_name``), and no comma, semicolon or bracket comes before it. Any case and
    any script ("OWNER SAM LEE", "owner: sam lee"), unless ``capital`` asks for a capital."""
    for token in _NEXT_WORD.finditer(text):
        word = token.group(0)
        lower = word.lower()
        if word in ",;([" or word[0].isdigit():
            return False
        if not (_title_word(word) or lower == "and" or _FORMER.fullmatch(word)):
            return (
                lower not in _RUNS_ON_TO
                and lower.rstrip(".") not in _CREDENTIALS | _LEAD_OUTS
                and (not capital or word[0].isupper())
                and not _starts_no_name(word, text[token.end() :])
            )
    return False


def _starts_no_name(word: str, rest: str) -> bool:
    """A capitalised ``word`` that a lower-case word or a number follows starts a sentence or
    a label ("She joined us", "Responsible for billing", "Room 4"), and one a slash follows
    pronouns or days ("She/Her", "Mon/Wed"), not a name, unless two capitalised words follow
    the slash ("Tom/Sam Reed": a couple): a name's next word is capitalised too, a surname's
    particle ("Tom de Vries") or "and" ("Tom and Sam Reed"), short lower-case words before a
    capitalised one are particles of any language ("Maria y Lopez", "Jan op den Berg",
    "Fatima bint Ahmed"), or a break ends it. A lower-case ``word`` says nothing by its case."""
    if not word[:1].isupper():
        return False
    if rest[:1] == "/":
        return _SLASHED_NAME.match(rest) is None
    following = _NEXT_WORD.match(rest.lstrip()) if rest[:1].isspace() else None
    if following is None:
        return False
    after = following.group(0)
    if after[0].isdigit():
        return True
    particles = is_particle(after) or after == "and" or _particles_before(rest.lstrip())
    return after.islower() and not particles


def _particles_before(text: str) -> bool:
    """``text`` starts with one to three short lower-case words, then a capitalised one, and
    none of them an English word a sentence runs on with ("y Lopez", "op den Berg"; not "is
    Tom's daughter", "born in Ohio"): a surname's particles."""
    run = _PARTICLES_BEFORE.match(text)
    return run is not None and not set(run.group(1).split()) & _RUNS_ON


_SLASHED_NAME: Final = re.compile(r"/\s*[A-Z][\w'\u2019.-]*\s+[A-Z]")
_PARTICLES_BEFORE: Final = re.compile(r"((?:[a-z][a-z'\u2019]{0,4}\s+){1,3})[A-Z]")
_RUNS_ON: Final = frozenset(
    words(
        "a an the of in on at to by for from with about into our your her his its my me their "
        "them us we is are was has had have two all up out"
    )
)


def _role_marked(node: LexborNode) -> bool:
    """The element's class or id names a role: "role", "job-title", "member-role" (not
    "page-title", a heading's)."""
    return any(
        token in _ROLE_TOKENS or token.endswith(("-role", "-job-title", "-jobtitle"))
        for token in _dom.marks(node).split()
    )


_ROLE_TOKENS: Final = frozenset(words("role designation jobtitle job-title"))
"""Not "title", "position" or "job": a heading's or a quoted customer's line says those too."""


_ADDRESS_FORMS: Final = frozenset(words("pastor rabbi coach father chef captain"))
"""Forms of address before a name: no part of hers ("Pastor Dana Whitfield"), and the start of
another's ("Coach Tom Reed"), never of a heading's words."""
_LEAD_INS: Final = _ADDRESS_FORMS | frozenset(
    words(
        "meet welcome contact call email e-mail ask from by with and or our your congratulations "
        "thanks thank dear hi hello introducing including featuring please see about to i'm im "
        "is i am i\u2019m"
    )
)
_NAME_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*")


def _longer_name(line: str, match: re.Match[str]) -> bool:
    """The hit is part of a longer name: a capitalised word right before it that is no
    honorific or lead-in ("Mary Dana Whitfield": the debtor's name as another's middle and
    last), or right after it that is no title, credential or lead-out word ("Dana Whitfield
    Lane", "Dana Whitfield Oyelaran"), or a thing named after her in any case ("Dana
    Whitfield scholarship", "the Dana Whitfield award: Marcus Lee"), or a generational suffix
    the caller's names do not carry ("Dana Whitfield Sr.": the father of a Jr.; "the
    Younger"), or a couple named by the husband's name ("Mr. and Mrs. Dana Whitfield"). A
    relative, a street or an award is never taken for the debtor."""
    ahead = line[max(0, match.start() - 40) : match.start()]
    if _COUPLE.search(ahead):
        return True  # "Mr. and Mrs. Dana Whitfield": a couple, by the husband's name
    words_before = ahead.split()
    if words_before and ahead.endswith(" "):
        word = words_before[-1]
        if (
            _NAME_WORD.fullmatch(word)
            and word[:1].isupper()
            and not is_honorific(word.lower().rstrip("."))
            and word.lower() not in _LEAD_INS
            and not _title_word(word)
        ):
            return True
    behind = line[match.end() : match.end() + 40]
    gap = _SUFFIX_GAP.match(behind)
    after = _NAME_WORD.match(behind, gap.end()) if gap else None
    if after is not None and canonical_suffix(after.group(0).lower().rstrip(".")):
        return True  # "Dana Whitfield Sr.", "Dana Whitfield, Sr.", "Dana Whitfield (Sr.)"
    if gap is not None and _ordinal_suffix(behind[gap.end() :]):
        return True  # "Dana Whitfield 3rd", "Dana Whitfield (2nd)": a suffix in digits
    if gap is not None and _ELDER.match(behind, gap.end()):
        return True  # "Dana Whitfield the Younger": a suffix in words
    after = _NAME_WORD.match(behind, 1) if behind[:1] == " " else None
    if after is not None and after.group(0).lower() in _NAMED_AFTER:
        return True  # "the Dana Whitfield award: Marcus Lee", in any case: the award's name
    named = behind[after.start() :] if after is not None else ""
    if _NAMED_PLACE.match(named) and (
        not job_title(named) or _THE.search(ahead) or _someone_before(ahead)
    ):
        return True  # "the Dana Whitfield Center (Director)"; "Dana Whitfield Center Director"
    if after is None or behind[after.end() : after.end() + 1] == ":":
        return False  # "Dana Whitfield Email: ...": a label
    if _DEATH_MARK.match(behind, after.start()):
        return False  # "Dana Whitfield RIP", "Dana Whitfield R.I.P.": her death, no name's word
    word = after.group(0)
    plain = word.lower().rstrip(".")
    return (
        word[:1].isupper()
        and not _title_word(word)
        and plain not in _CREDENTIALS | _LEAD_OUTS | _TITLE_JOINERS | _PERSON_JOINERS
    )


_SUFFIX_GAP: Final = re.compile(r"[\s,(]+")
_ORDINAL: Final = re.compile(r"\d+(?:st|nd|rd|th)(?![\w-]|\s+\w)", re.I)
"""An ordinal ending a name's clause ("3rd", "2nd,", "3rd \u2022 Owner": whatever mark
follows), not one a word follows: "2nd Shift Supervisor", "2nd-Shift Supervisor", "3rd
Generation Owner" are titles."""


def _ordinal_suffix(text: str) -> str:
    """The generational suffix ``text`` starts with written as an ordinal ("3rd - Owner":
    "iii"), '' for none."""
    found = _ORDINAL.match(text)
    return canonical_suffix(found.group(0).lower()) if found is not None else ""


_COUPLE: Final = re.compile(r"\bmr\.?\s*(?:and|&)\s*mrs\.?\s*$", re.IGNORECASE)
_ELDER: Final = re.compile(
    r"the\s+(?:younger|elder)(?=\s*(?:$|[,.;:()|/\u2013\u2014-]))", re.IGNORECASE
)
"""A suffix in words, ending the name ("Dana Whitfield the Younger - Owner"); not a practice
it begins ("Dana Whitfield, the elder law attorney", "the Elder Care Coordinator")."""
_NAMED_AFTER: Final = frozenset(
    words(
        "award awards scholarship scholarships memorial prize prizes fund foundation trophy "
        "medal fellowship fellowships lecture endowment bursary tournament invitational"
    )
)
"""Things named after a person: after her name, the name is theirs ("Dana Whitfield
scholarship recipients", "the Dana Whitfield award"), as a capitalised word makes it."""
_NAMED_PLACE: Final = re.compile(r"(?:center|centre|program|programme)(?![\w-])", re.I)
"""Title words that name a thing after her too ("the Dana Whitfield Center"), unless a job
title starts with them ("Center Director", "Program Manager") and no "the" (``_THE``) comes
before her name: "the Dana Whitfield Center Director" is the center's."""
_THE: Final = re.compile(r"\bthe\s+$", re.I)
_CAPITALISED: Final = r"[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.-]*){1,3}"
"""Two to four capitalised words: another person's name, or a title (``job_title``)."""
_SETS_OFF: Final = r"(?:[^\w\s,.'\u2019-]|(?<!\S)-)"
"""A mark that parts two clauses, whatever it is (a colon, a bracket, a slash, a bar, a
bullet, a dash, a hyphen with a blank before it); not one a name holds (the period of an
initial, an apostrophe, a hyphen joining two names), nor a comma, read on its own."""
_NAMED_FIRST: Final = re.compile(
    rf"(?:^|{_SETS_OFF})\s*({_CAPITALISED})(?:,\s*([\w.-]+))?\s*(?:,|{_SETS_OFF}|-(?=\s))\W*$"
)
"""Capitalised words starting her clause and set off before her name by any mark or a comma
("Tom Reed - ", "Tom Reed: ", "Tom Reed ("), or a hyphen a blank follows ("Tom Reed, Jr.-
"), with a word after a comma that must be his suffix or credential ("Tom Reed, Jr. - ",
"Tom Reed, CPA, ")."""


_NAMED_CELL: Final = re.compile(rf"({_CAPITALISED})\s*(?:,|{_SETS_OFF})")
"""Capitalised words set off by a comma or a mark at a cell's start: a name and its label."""


def _someone(text: str) -> bool:
    """``text`` is capitalised words that are no title ("Tom Reed"): another person's name;
    not words a heading or a greeting starts with ("Our Team", "Meet Our Staff"); a form of
    address starts a name ("Coach Tom Reed")."""
    said = text.split()
    return (
        re.fullmatch(_CAPITALISED, text) is not None
        and not job_title(text)
        and said[0].lower() not in _LEAD_INS - _ADDRESS_FORMS
        and not {w.lower() for w in said} & _STAFF_TOKENS
    )


def _someone_before(ahead: str) -> bool:
    """Another person's name starts the clause her name is in ("Tom Reed - Dana Whitfield
    Center Director"): what follows is that person's title, and her name in it a center's
    or a program's; a title there ("Office Manager - Dana Whitfield") is hers."""
    found = _NAMED_FIRST.search(ahead)
    if found is None or not _someone(found.group(1)):
        return False
    his = (found.group(2) or "").lower().rstrip(".")
    return not his or his in _CREDENTIALS or bool(canonical_suffix(his))


def _someone_above(lines: list[_dom.Line], i: int, match: re.Match[str]) -> bool:
    """Her line is her name and a title starting with a center's or a program's word, under
    another person's name alone in the same card ("<h3>Tom Reed</h3><p>Dana Whitfield Center
    Director</p>", "Tom Reed:" in the row's cell before hers): his title, as "Tom Reed - Dana
    Whitfield Center Director" is (``_someone_before``); not under the next entry of a list
    (``_alike``)."""
    text, node = lines[i].text, lines[i].node
    named = text[match.end() :]
    if i == 0 or node is None or text[: match.start()].strip() or named[:1] != " ":
        return False
    if not (_NAMED_PLACE.match(named, 1) and job_title(named)):
        return False
    other = lines[i - 1].node
    card = next((a for a in _dom.ancestors(node, 6)[1:] if a.tag not in _dom.INLINE), None)
    same = other is not None and other.mem_id == node.mem_id
    inside = card is not None and card.mem_id in {a.mem_id for a in _dom.ancestors(other, 6)}
    above = lines[i - 1].text.rstrip(_LABEL_ENDS)  # "Tom Reed:", "Tom Reed -"
    return (same or (inside and not _alike(node, other))) and _someone(above)


_CREDENTIALS: Final = frozenset(
    words(
        "cpa phd mba rn esq md dds dmd pe cfa jd llm dvm np pa lpn cfp ea od do rdh lcsw pa-c "
        "lmft lpc aprn fnp cna emt lmt ccc-slp otr pt dpt"
    )
)
_LEAD_OUTS: Final = frozenset(
    words("bio today profile here joins joined email e-mail phone tel ext cell mobile fax")
)
_POSSESSIVE: Final = ("'s", "\u2019s")


def _whole_entry(line: str, match: re.Match[str]) -> bool:
    """``match`` ("Last, First") is the whole line, or starts it with only a job title after
    it ("Whitfield, Dana - Office Manager"): never a part of a list ("Kim Lee, Dan Ortiz")."""
    if match.start() > 0 and line[: match.start()].strip():
        return False
    rest = line[match.end() :].strip(" .;")
    if not rest:
        return True
    return rest[0] in "-|\u2013\u2014," and bool(job_title(rest.lstrip(" -|\u2013\u2014,")))


def staff_url(url: str) -> bool:
    """A whole path segment says team, staff or people (our-team, our-staff, our-people) or
    leadership (a URL that cannot be split says nothing)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return any(part in _STAFF_SEGMENTS for part in path.lower().split("/"))


def _staff_marked(node: LexborNode | None) -> bool:
    """An enclosing element's id or class says team/staff/people..., and not news or a quote."""
    for element in _dom.ancestors(node, 8):
        tokens = _marks(element)
        if tokens & _STAFF_TOKENS and not tokens & _NOT_STAFF_TOKENS:
            return True
    return False


def _not_staff(node: LexborNode | None) -> bool:
    """An enclosing element's id or class, or the heading before it, says news, a testimonial,
    a review or a quote: a name there with a title beside it ("- Dana Whitfield, Operations
    Manager at Zentrix") is a customer's or a story's, never staff; or it names people the
    business does not employ (volunteers, sponsors, suppliers, vendors, its board)."""
    headings = [h for h in _headings(node) if not _staff_heading(h)]
    if set(re.split(r"[^a-z0-9]+", " ".join(headings).lower())) & _NOT_STAFF_TOKENS:
        return True
    if any(_governing(heading) for heading in headings):
        return True
    for element in _dom.ancestors(node, 8):  # the nearest mark decides: a team card in a page
        marks = _marks(element)  # builder's wrapper (Divi's "et-l--post") is the card's
        if marks & _NOT_STAFF_TOKENS:
            return True
        if marks & _STAFF_TOKENS:
            return False
    return False


def _governing(heading: str) -> bool:
    """The heading is over a board or a council that is not the staff's own."""
    if _BOARD.search(heading):
        return True
    said = set(re.findall(r"[a-z0-9]+", heading.lower()))
    return _COUNCIL.search(heading) is not None and not said & _STAFF_TOKENS


def _staff_heading(heading: str) -> bool:
    """The heading ends in a staff word or a title word ("Customer Service Team", "Volunteer
    Coordinator", "Vendor Relations"): it names the staff's own role, whatever word is before;
    not a title word that names outsiders ("Featured Volunteer", "Happy Customer")."""
    last = re.findall(r"[a-z0-9]+", heading.lower())[-1:]
    if not last or last[0] in _NOT_STAFF_TOKENS:
        return False
    return last[0] in _STAFF_TOKENS or _title_word(last[0])


def _marks(element: LexborNode) -> set[str]:
    attrs = element.attributes
    return set(
        re.split(r"[^a-z0-9]+", f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower())
    )


def _section_words(node: LexborNode | None) -> str:
    """The text of the hit's card (when short) and the heading just before each of the hit's
    enclosing elements: what says whether a section is a memorial."""
    out: list[str] = []
    if node is not None and node.parent is not None and node.parent.tag not in ("body", "html"):
        card = node.parent.text(separator=" ")
        if len(card) <= 400:
            out.append(card)
    return " ".join([*out, *_headings(node)])


def _headings(node: LexborNode | None) -> list[str]:
    """The heading just before each of the node's enclosing elements (up to six)."""
    out: list[str] = []
    for element in _dom.ancestors(node, 6):
        if element.tag in ("body", "html"):
            break
        sibling = element.prev
        for _ in range(12):
            if sibling is None:
                break
            if sibling.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                out.append(sibling.text(separator=" ")[:200])
                break
            sibling = sibling.prev
    return out


_FORMER: Final = re.compile(
    r"\b(?:alumni|alumnae|alumnus|alumna|former|formerly|retired|emerit(?:us|a)|past staff)\b",
    re.I,
)
_EX_TITLE: Final = re.compile(r"\b(?:past|ex-|previous|one-time|onetime)\s*", re.I)
"""Words that make a title a past one only before it ("Past President", "Ex-Office
Manager"): "in the past" alone is no title's."""
_RETIREE: Final = re.compile(r"\bretirees?\b", re.I)
"""Retired staff ("Our Retirees", "Dana Whitfield, Retiree"), unless a title word follows:
"Retiree Services Manager" serves them."""
_YEAR: Final = r"(?:19|20)\d\d"
_DEPARTED: Final = re.compile(
    r"\b(?:is|are|will be) retiring\b|"  # hers, not her clients' ("nearing retirement or retiring")
    r"\bretir(?:es|ing)\s+(?:after|this|next|at the end|on|in (?:19|20)\d\d)\b|"
    r"\b(?:has|have|had|recently|who|she|he) retired\b|"
    r"\bretired\s+(?:in|from|after|last|this|on|at|early|effective)\b|"
    r"\b(?:happy|her|his|on|upon) retirement\b|"  # not "plan their retirement"
    r"\b(?:worked|served)\s+(?:here|for us|with us|as our)\b|"
    rf"\buntil\s+(?:her |his )?(?:retirement|{_YEAR})\b|"
    rf"\b{_YEAR}\s*(?:to|until|through|till)\s*{_YEAR}\b|"
    r"\bno longer\s+(?:with|at|here|works?|employed)\b|"
    r"\b(?:has|have|had)\s+(?:left|moved on|departed)\b|"
    r"\bleft\s+(?:the|our)\s+(?:company|firm|team|shop|practice|business)\b|"
    rf"\bleft\s+(?:in\s+)?{_YEAR}\b",
    re.I,
)
"""Her tenure told as over: "retired in 2019", "worked here from 1990 to 2015", "Office
Manager until 2019", "no longer with the company", "left in 2021"; not a tenure still
running ("has worked here since 1998"), nor a past elsewhere ("retired Navy medic", "formerly
of Acme Supply")."""
_YEARS_BEFORE: Final = re.compile(rf"\b{_YEAR}\s*[-\u2013\u2014]\s*{_YEAR}\b\W*$")
"""A span of years right before her name, whatever marks it ("1990-2015 Dana Whitfield",
"(1990-2015) Dana Whitfield", "1990-2015 \u2022 Dana Whitfield": a past presidents' list): a
tenure or a life that is over (after her name, ``_DEATH_MARK`` reads one)."""
_STILL: Final = re.compile(
    r"(?:\bhas|\bhave|['\u2019](?:s|ve))\s+(?:\w+ly\s+)?(?:worked|served)\b", re.I
)
"""A tenure still running, however written: "has worked", "She's worked", "has proudly
served"."""


def _departed(text: str) -> bool:
    """``text`` tells her tenure as over (``_DEPARTED``), not as still running (``_STILL``)."""
    return _DEPARTED.search(_STILL.sub(" ", text)) is not None


_REFERRING: Final = frozenset(
    words(
        "by of after to for from courtesy credit credits replacing replaces replaced "
        "succeeding succeeds succeeded"
    )
)
"""A word that makes the name right after it the object of a phrase ("Photo by", "In honour
of", "Named after", "replacing"): the line is about something else (another's entry: "Sam
Lee - Office Manager, replacing Dana Whitfield"), not her entry."""
_REFERRING_ACROSS: Final = frozenset(words("after of"))
"""Referring words that still govern a name with her title between ("Named after founder Dana
Whitfield", "son of founder Dana Whitfield"); not "to", "by", "for" or "from", with which a
page introduces its own staff ("Say hello to our Office Manager", "Led by founder")."""
_DETERMINERS: Final = frozenset(words("our the their his her its a an"))
_KIN: Final = frozenset(
    words(
        "mother father son daughter wife husband widow widower sister brother grandmother "
        "grandfather grandson granddaughter aunt uncle niece nephew cousin spouse mom dad "
        "grandma grandpa granddad grandmother grandchild grandchildren grandkid mum fiance "
        "fiancee fianc\u00e9 fianc\u00e9e child children kid parent twin sibling"
    )
)
_VISITOR: Final = re.compile(
    r"(?:(?:our|a|an|the|this|today's|tonight's|special|featured|honou?red)\s+)*"
    r"(?:guests?(?!\s+(?:services?|relations|experience|care)\b)|visitors?|keynote|"
    r"visiting(?!\s+(?:nurses?|aides?|caregivers?|therapists?|physicians?|veterinarians?|vets?|"
    r"doctors?|surgeons?|dentists?|hygienists?|pharmacists?|optometrists?|chiropractors?|"
    r"podiatrists?|audiologists?|midwi(?:fe|ves))\b)|"
    r"(?:customer|client|patient)s?\s+of\s+the\s+(?:week|month|year))\b",
    re.I,
)
"""The start of a clause calling her someone the page presents rather than employs; not a
practitioner visiting to treat the business's patients or clients ("Visiting Veterinarian",
"Visiting Nurse": she works there), while a visiting teacher, speaker or professor is a
guest, another's on leave."""
_QUOTE_MARKS: Final = '"\u201e\u2605\u2606'  # quotation marks of no Pi/Pf category, stars
_APOSTROPHES: Final = "\u2018\u2019\u201b"
_ANGLES: Final = (frozenset("\u00ab\u2039"), frozenset("\u00bb\u203a"))
"""Angle quotation marks pointing left and right: they double as arrows and bullets."""
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _quoting(char: str) -> bool:
    """``char`` opens or closes a quotation in any language's style ("...", \u201c...\u201d,
    \u00ab...\u00bb, \u201e...\u201c, \u2039...\u203a: an initial or final quotation
    mark), or is a review's star: a customer's words. Not a single curly quote, which a name
    or a year holds as an apostrophe (O\u2019Connor, \u201898)."""
    if char in _QUOTE_MARKS:
        return True
    return unicodedata.category(char) in ("Pi", "Pf") and char not in _APOSTROPHES


def _quoted(text: str) -> bool:
    """``text`` holds a quotation's mark or a review's star (``_quoting``); angle marks only
    pointing both ways (\u00ab...\u00bb, \u00bb...\u00ab): one way they are arrows or bullets
    ("\u00bb Dana Whitfield", "\u00ab Back to team", "Home \u203a Team \u203a")."""
    marks = set(filter(_quoting, text))
    left, right = _ANGLES
    return bool(marks - left - right) or bool(marks & left and marks & right)


def _no_entry(line: _dom.Line, match: re.Match[str], short: bool, title: str, said: str) -> bool:
    """The hit is on a team page but is no current staff entry: a former-staff, alumni or
    retired section or line, a phrase's object ("Photo by Dana Whitfield", "Named after
    founder Dana Whitfield"), a relative ("Dana Whitfield, mother of our owner", "his mother
    Dana Whitfield"; with no ``title`` of hers, "Dana Whitfield, the owner's mother"), a
    customer's quote or review (its quotation marks or stars, or a quotation in its card), a
    guest or visitor ("Guest speaker: Dana Whitfield"), with no title of hers a volunteer or
    a board member ("Dana Whitfield - Volunteer", ``_outsider``), or an element the site
    hides; or her tenure told as over ("retired in 2019", "1990-2015" before her name), on
    her line or on her card's line her title was read from or would stand on (``said``:
    "Pastor Emeritus (retired 2018)", "Owner's Wife", "Guest Speaker" below her name)."""
    if _former_heading(" ".join(_headings(line.node))):
        return True
    if short and any(_former_title(text) or _departed(text) for text in (line.text, said)):
        return True
    before = line.text[: match.start()].split()
    if _phrase_object([word.lower().strip(":,([") for word in before]):
        return True
    if _YEARS_BEFORE.search(line.text, 0, match.start()):
        return True  # "1990-2015 Dana Whitfield": a tenure or a life, over
    behind = line.text[match.end() :].lstrip(" ,-\u2013\u2014(")
    after = _NAME_WORD.match(behind)
    if after is not None and _kin(after.group(0)) and not _own_family(_WORD.findall(behind), 0):
        return True  # "Dana Whitfield, mother of our owner"; "..., mother of three" is hers
    if before and _kin(before[-1].strip(":,")) and not _own_title(line.text, match):
        return True  # "his mother Dana Whitfield": a relative, unless her title follows
    if not title and (_relation(line.text[match.end() :]) or _relation(said)):
        return True  # "Dana Whitfield, the owner's mother", "Owner's Wife" below her name
    beside = (line.text[: match.start()], line.text[match.end() :], said)
    if not title and any(_outsider(text) for text in beside):
        return True  # "Dana Whitfield - Volunteer", "Board Member" below her name: not staff
    if _quoted(line.text[: match.start()]):
        return True  # a quotation or stars, then the name: its attribution
    return (
        _visitor(line.text, match)
        or _calls_visitor(said)
        or _quoted_card(line.node)
        or _hidden(line.node)
    )


def _kin(word: str) -> bool:
    """A kinship word, a step-, grand- or in-law one too ("stepdaughter", "mother-in-law")."""
    plain = word.lower().removesuffix("-in-law").removesuffix("s")
    return plain in _KIN or plain.removeprefix("step") in _KIN


def _relation(text: str) -> bool:
    """``text`` calls someone a relative: a kinship word after a possessive or a determiner
    ("the owner's mother", "Tom's wife", "our founder's grandma") or before "of" or "to"
    ("mother-in-law of our owner"). Not her own family ("a wife and mother of three", "Grandma
    to 5"), nor a relation told after a job of hers ("Co-owner, Tom's wife")."""
    said = _WORD.findall(text)
    for k, word in enumerate(said):
        if not _kin(word):
            continue
        if _own_job(said[:k]):
            return False
        if _own_family(said, k):
            continue
        previous = said[k - 1].lower() if k else ""
        following = said[k + 1].lower() if k + 1 < len(said) else ""
        if previous.endswith(_POSSESSIVE) or previous in _WHOSE or following in ("of", "to"):
            return True
    return False


_WORD: Final = re.compile(r"\w[\w'\u2019-]*")
_WHOSE: Final = _DETERMINERS - {"a", "an"}
"""A determiner saying whose relative she is ("his mother"), not "a" ("a wife and mother")."""


def _own_job(said: list[str]) -> bool:
    """A job word of hers, not a possessive ("Co-owner", "Dispatch Manager"; not "Owner's")."""
    return any(_role_word(word) and not word.lower().endswith(_POSSESSIVE) for word in said)


def _own_family(said: list[str], k: int) -> bool:
    """The kinship word ``said[k]`` is followed by "of" or "to" and a count: her own children
    or pets ("mother of three", "mom to 2 rescue dogs"), not whose relative she is. Read on
    her own line too: "Dana Whitfield, Mother of three" had made her a mention."""
    following = said[k + 1].lower() if k + 1 < len(said) else ""
    return following in ("of", "to") and k + 2 < len(said) and _count(said[k + 2])


def _count(word: str) -> bool:
    """A number of children or pets: "3", "three", "twins"."""
    return word.isdigit() or word.lower() in _COUNTS


_COUNTS: Final = frozenset(
    words("one two three four five six seven eight nine ten eleven twelve twins triplets")
)


def _visitor(text: str, match: re.Match[str]) -> bool:
    """A clause of her line, her name aside, starts by calling her a guest, a visitor, the
    keynote or a customer of the month ("Guest speaker: Dana Whitfield", "Dana Whitfield
    (guest)", "Visiting instructor Dana Whitfield"): someone the team page presents, not its
    staff. Not a department or a visiting practitioner's job ("Guest Services Manager",
    "Customer Service Manager", "Visiting Nurse", "Visiting Veterinarian"), a job running an
    honour ("Patient of the Month coordinator"), nor a clause that only speaks of guests
    ("greets every guest")."""
    return any(_calls_visitor(part) for part in (text[: match.start()], text[match.end() :]))


def _calls_visitor(text: str) -> bool:
    """A clause of ``text`` starts by calling someone a guest or visitor (``_visitor``)."""
    for clause in _CLAUSE_BREAK.split(text):
        label = _VISITOR.match(clause.strip())
        if label is not None and not _serving(label.group(0), clause.strip()[label.end() :]):
            return True
    return False


def _serving(label: str, rest: str) -> bool:
    """After a guest or visitor word, two words or more ending in a job ("Visitor| Services
    Manager", "Guest| Room Attendant"), or after an honour's name one ("Patient of the Month|
    Coordinator"): the label names whom or what her job serves, not her."""
    after = rest.split()
    least = 1 if _HONOUR.search(label) else 2
    return len(after) >= least and (_title_word(after[-1]) or after[-1].lower() in _SERVING_JOBS)


_HONOUR: Final = re.compile(r"\bof\s+the\s+(?:week|month|year)$", re.I)
"""A label that is an honour's name ("Customer of the Month"), a noun a job may follow."""


_SERVING_JOBS: Final = frozenset(words("attendant attendants host hostess ambassador greeter"))


_OUTSIDER: Final = re.compile(
    r"(?:(?:a|an|our|the)\s+)?(?:volunteer(?:s|ing)?|sponsors?|suppliers?|vendors?|"
    r"customers?|trustees?)\b",
    re.I,
)
"""Someone the business does not employ, as the headings ``_not_staff`` reads say (not
"client" or "partner": a law or advisory firm's staff are those)."""
_BOARD_SEAT: Final = re.compile(
    r"(?:(?:a|our|the)\s+)?board(?![\w-])(?!\s+(?:certified|eligible|relations|liaison)\b)",
    re.I,
)
"""A seat on a board, whatever title follows ("Board Member", "Board Chair"); not
"Board Certified", nor a staff job serving the board ("Board Relations Manager", "Board
Liaison")."""


def _outsider(text: str) -> bool:
    """A clause of ``text`` calls someone a volunteer, a sponsor, a supplier, a vendor, a
    customer or a trustee ("Volunteer", "volunteer since 2015", "Loyal Customer"), not a job
    serving them (``_serves_them``); or by a seat on a board (``_BOARD_SEAT``: "Board
    Member", "Board Chair")."""
    for clause in _CLAUSE_BREAK.split(text):
        said = clause.strip()
        found = _OUTSIDER.match(said)
        if _BOARD_SEAT.match(said) or (found is not None and not _serves_them(said[found.end() :])):
            return True
        praised = _PRAISED_OUTSIDER.fullmatch(said)
        if praised is not None and not any(map(_title_word, praised.group(1).split())):
            return True  # "Loyal Customer", "Gold Sponsor"; not "Director of Volunteers"
    return False


_PRAISED_OUTSIDER: Final = re.compile(
    r"((?:[^\W\d_][\w'\u2019-]*\s+){1,3})(?:volunteer|sponsor|supplier|vendor|customer|trustee)s?",
    re.I,
)
"""A clause ending in an outsider's word after a few words ("Loyal Customer", "Event
Volunteer"): an outsider unless one of those words is a title word."""


def _serves_them(rest: str) -> bool:
    """The words after a volunteer or a customer make a job serving them: a title word next
    ("Volunteer Coordinator", "Customer Service", "Vendor Relations"), a function of the
    business (``_SERVING``: "Customer Success"), or capitalised words ending in a role word
    ("Customer Success Manager"); not "of our Office Manager"."""
    said = rest.split()
    return bool(said) and (
        _title_word(said[0])
        or said[0].lower().strip(",.;:") in _SERVING
        or (_role_word(said[-1]) and all(w[:1].isupper() for w in said))
    )


_SERVING: Final = frozenset(words("success experience"))
"""Words after "Customer" naming a function of the business that no title word list holds
("Customer Success", "Customer Experience"): a job serving customers."""


def _phrase_object(before: list[str]) -> bool:
    """The name is a phrase's object: a referring word right before it ("Photo by Dana
    Whitfield"), or "after" or "of" before only her title ("Named after our founder");
    never "of" inside a title ("Director of Operations Dana Whitfield"). ``before``: the
    line's words before the name, lower-cased, bare."""
    if before and before[-1] in _REFERRING:
        return True
    k = len(before)
    while k and (_title_word(before[k - 1]) or before[k - 1] in _DETERMINERS):
        k -= 1
    if k == len(before) or not k or before[k - 1] not in _REFERRING_ACROSS:
        return False
    return not (before[k - 1] in _TITLE_JOINERS and k > 1 and _title_word(before[k - 2]))


def _no_card_entry(node: LexborNode | None, title: str) -> bool:
    """An h-card is held to a team line's rules: one in a news, review or hidden element,
    under an alumni or former-staff heading, or whose title is a past one, is no entry."""
    headings = " ".join(_headings(node))
    return (
        _not_staff(node)
        or _hidden(node)
        or _former_heading(headings)
        or _former_title(title)
        or _departed(title)
    )


def _own_title(text: str, match: re.Match[str]) -> bool:
    """A job title follows her name on her line ("His daughter Dana Whitfield, Office
    Manager"): her entry, whoever she is the relative of."""
    return bool(job_title(text[match.end() :].strip(" ,-\u2013\u2014|:(")))


def _former_heading(headings: str) -> bool:
    """Headings over people who work there no more: a former word ("Alumni", "Former team
    members", "Retired"), retirees, or a past word before a role or the staff ("Past
    Presidents", "Previous Owners", "Ex-Employees", "Past Team Members"); not "Past and
    Present"."""
    if _FORMER.search(headings) or _retiree(headings):
        return True
    for found in _EX_TITLE.finditer(headings):
        following = _NEXT_WORD.match(headings, found.end())
        word = following.group(0).lower() if following is not None else ""
        if word in _STAFF_TOKENS or _role_word(word.removesuffix("s")):
            return True
    return False


def _retiree(text: str) -> bool:
    """A retiree word (``_RETIREE``) with no title word or staff word among the three words
    after it: "Retiree Services Manager" and "Retiree Benefits Team" serve them."""
    for found in _RETIREE.finditer(text):
        after = _WORD.findall(text[found.end() :])[:3]
        if not any(_title_word(w) or w.lower() in _STAFF_TOKENS for w in after):
            return True
    return False


def _former_title(text: str) -> bool:
    """The line calls her title a past one: a former word before a title word ("Former
    Office Manager"), or standing alone ("Office Manager, retired", "(retired)"); not her
    past elsewhere ("formerly of Acme Supply", "former Navy medic"); or a past or ex- word
    right before a title word ("Past President", "Ex-Office Manager"); an emeritus title
    ("Pastor Emeritus"), or a retirement's year ("Pastor (retired 2018)"); or her called a
    retiree ("Dana Whitfield, Retiree")."""
    if _retiree(text):
        return True
    for found in _EX_TITLE.finditer(text):
        following = _NEXT_WORD.match(text, found.end())
        if following is not None and _title_word(following.group(0)):
            return True
    for found in _FORMER.finditer(text):
        if found.group(0).lower().startswith("emerit"):
            return True  # retired, keeping the title as an honour
        rest = text[found.end() :].lstrip()
        following = _NEXT_WORD.match(rest)
        if following is None or rest[:1] in ",;)" or _title_word(following.group(0)):
            return True
        if re.fullmatch(_YEAR, following.group(0)):
            return True
    return False


def _quoted_card(node: LexborNode | None) -> bool:
    """The hit's card (its parent) holds a quotation before it (a ``<blockquote>`` or
    ``<q>``, or an element starting with a quotation mark or a review's stars): a
    testimonial's card, its attribution after the quote. A team card's quote follows her name
    and title."""
    card = node.parent if node is not None else None
    if node is None or card is None or card.tag in ("body", "html") or len(card.text()) > 600:
        return False
    for child in card.iter(include_text=False):
        if child.mem_id == node.mem_id:
            return False
        if child.tag in ("blockquote", "q") or child.css_first("blockquote, q") is not None:
            return True
        said = child.text(separator=" ").lstrip()
        if said and _quoting(said[0]) and _quoted(said) and not _team_heading(said):
            return True
    return False


def _team_heading(text: str) -> bool:
    """``text`` is a team's heading set in quotation marks as decoration ("\u00abTeam\u00bb",
    "\u201cOur Team\u201d", "\u201eMeet the Staff\u201c"): a greeting's and the team's
    words only, no customer's ("\u201cGreat staff!\u201d" is a review's)."""
    said = set(re.findall(r"\w+", text.lower()))
    return bool(said) and said <= _LEAD_INS | _STAFF_TOKENS | {"the"}


def _hidden(node: LexborNode | None) -> bool:
    """An enclosing element the page does not show (``hidden``, ``display: none``)."""
    return any(
        "hidden" in element.attributes
        or _HIDDEN_STYLE.search(element.attributes.get("style") or "") is not None
        for element in _dom.ancestors(node, 8)
    )


def _suffix_below(
    lines: list[_dom.Line], i: int, match: re.Match[str], names: Sequence[str]
) -> bool:
    """The name ends its line and the next line starts with a generational suffix the
    caller's names do not carry ("Dana Whitfield<br>Jr., Office Manager": the son); not one
    that starts a title ("Sr. Office Manager", "Senior Barber": senior)."""
    if lines[i].text[match.end() :].strip() or i + 1 >= len(lines):
        return False
    below = lines[i + 1].text
    suffix = _ordinal_suffix(below) or _word_suffix(below)
    carried = {canonical_suffix(n.split()[-1].lower().rstrip(".")) for n in names if n.split()}
    return bool(suffix) and suffix not in carried


def _word_suffix(text: str) -> str:
    """The generational suffix ``text`` starts with written as a word ("Jr., Office Manager":
    "jr"), '' for none or for one that starts a title ("Sr. Office Manager", "Senior Barber":
    senior)."""
    first = _NAME_WORD.search(text)
    if first is None or text[: first.start()].strip():
        return ""
    following = _NEXT_WORD.match(text[first.end() :].lstrip(". "))
    if following is not None and _title_word(following.group(0)):
        return ""
    spelled = first.group(0).lower() in ("senior", "junior")
    if spelled and following is not None and following.group(0)[:1].isalpha():
        return ""  # "Senior Barber": a title, whatever its words; a son is "Jr." or "Junior,"
    return canonical_suffix(first.group(0).lower().rstrip("."))


def _context(page_words: str, around: str, in_team: bool, titled: bool) -> str:
    if _OBITUARY.search(around) or _OBITUARY.search(page_words):
        return "obituary"
    return "staff" if in_team or titled else "mention"


def _marked_dead(pattern: re.Pattern[str], texts: Sequence[str]) -> bool:
    """In one of ``texts`` (her line, her card, the page's title), a death mark is hers: it
    follows her name with only her title, dates and small words between ("Dana Whitfield
    (b. 1948 - d. 2019)", "Dana Whitfield - Founder, RIP"), or "the late" comes before it.
    One after another name between is that person's ("his grandmother, Nonna Sofia Bellini
    (1931-2019)")."""
    for text in texts:
        for match in itertools.islice(pattern.finditer(text), MAX_HITS):
            if _late_before(text[max(0, match.start() - 80) : match.start()]):
                return True
            mark = _DEATH_MARK.search(text, match.end(), match.end() + 80)
            if mark is not None and not _names_another(text[match.end() : mark.start()]):
                return True
    return False


def _late_before(before: str) -> bool:
    """``before`` ends in "the late", then only title words ("the late founder")."""
    kept = before.split()
    while kept and _title_word(kept[-1]):
        kept.pop()
    return _THE_LATE.search(" ".join(kept) + " ") is not None


def _names_another(between: str) -> bool:
    """A capitalised word that is no title word nor credential: another's name may be here."""
    return any(
        word[:1].isupper()
        and not _title_word(word)
        and word.lower().rstrip(".") not in _CREDENTIALS
        for word in _NAME_WORD.findall(between)
    )


def _named(pattern: re.Pattern[str], name: str) -> str:
    """``name`` (a card's or a Person's whole name) when it is one of the caller's, the
    honorifics before it dropped ("Rev. Dr. Alan Whitcomb" is Alan Whitcomb); else ""."""
    parts = name.split()
    while not pattern.fullmatch(" ".join(parts)):
        if len(parts) < 3 or not is_honorific(parts[0].lower().rstrip(".")):
            return ""
        parts.pop(0)
    return " ".join(parts)


def _said(name: str, title: str) -> str:
    """A hit's snippet: her name as written and her title (``job_title``: title words only),
    nothing more. The sentence around a hit, or the organisation beside her title, may name
    other people ("Jane Roe and Marcus Oyelaran opened the shop"), and no one else is kept."""
    return snippet(f"{name} - {title}" if title else name, _SAID)


_SAID: Final = 120
"""Longest snippet of a hit: a name and a title."""


def _sentence(text: str, start: int, end: int) -> str:
    """The hit's sentence, at most 90 characters either side (searched that far only: a long
    line read from its start at every hit was quadratic)."""
    stop = text.rfind(". ", max(0, start - 92), start)
    left = max(stop + 2 if stop >= 0 else 0, start - 90)
    right_stop = text.find(". ", end, end + 92)
    right = min(right_stop + 1 if right_stop >= 0 else len(text), end + 90)
    return snippet(text[left:right])


def _may_name(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> bool:
    """The page's HTML may name her, so it is worth parsing: the name is in it whole, or it
    has a character reference ("&nbsp;" between her names), or each word of one of ``names``
    is in it once its tags and blanks are taken out (markup parting her names or a word of
    them: "<span>Dana</span><span>Whitfield</span>", "Dana <b>J.</b> Whitfield",
    "<b>D</b>ana"). Only a page holding no word of hers is passed over."""
    if pattern.search(text) is not None or "&" in text:
        return True
    bare = _TAGS_AND_BLANKS.sub("", text).lower()
    words = [set(_WORD.findall(name.lower())) for name in names]
    present = {word for word in set().union(*words) if word in bare}  # each looked for once
    return any(said and said <= present for said in words)


_TAGS_AND_BLANKS: Final = re.compile(r"<[^>]*>|\s+")


def mentions(
    html: bytes | str, url: str, names: Sequence[str], *, any_initial: bool = False
) -> list[Mention]:
    """Where any of ``names`` (the caller's variants of one person's name) appears on the page:
    the name as written, an adjacent job title, the context and a snippet (``_said``).
    ``any_initial``: a two-word name may be written with one middle initial (for a caller who
    knows no middle name; one who knows it gives its variants, and another initial is another
    person)."""
    pattern = _pattern(names, any_initial)
    if pattern is None:
        return []
    text = _dom.decode(html)
    if not _may_name(text, pattern, names):
        return []
    tree, _ = _dom.parse(text)
    head = _head.from_tree(tree)
    page_words = f"{url} {head.title}"  # the title cut to 300 characters: searched a hit each
    dead_title = _marked_dead(pattern, [head.title])
    found: list[Mention] = []
    if head.scripts:
        people = schema.extract(jsonld.load_all(head.scripts, []), "jsonld").people
        for person in people:
            if len(found) < MAX_HITS and (name := _named(pattern, person.name)):
                staff = person.placed and bool(person.job_title or person.works_for)
                said = _context(page_words, person.job_title, staff, staff)
                marked = _DEATH_MARK.search(person.job_title) is not None
                context = "obituary" if person.died or dead_title or marked else said
                job = job_title(person.job_title)
                works = person.works_for  # an organisation's name: not a title
                found.append(Mention(name, context, "jsonld", job, works, _said(name, job), url))
    if tree.css_first(hcard.SELECTOR) is not None:  # one C walk (a regex had been quadratic)
        for card in hcard.extract(tree).people:
            if len(found) < MAX_HITS and (name := _named(pattern, card.name)):
                job = job_title(card.job_title)
                org = card.org
                section = _section_words(card.node)
                own = card.node.text(separator=" ") if card.node is not None else ""
                around = f"{card.job_title} {section}"
                marked = _DEATH_MARK.search(card.job_title) is not None
                dead = dead_title or marked or _marked_dead(pattern, (own, section))
                context = "obituary" if dead else _context(page_words, around, True, True)
                if context == "staff" and _no_card_entry(card.node, card.job_title):
                    context = "mention"
                found.append(Mention(name, context, "hcard", job, org, _said(name, job), url))
    lines, _ = _dom.lines(tree)
    on_staff_page = staff_url(url)
    for i, line in enumerate(lines):
        for match in itertools.islice(pattern.finditer(line.text), max(0, MAX_HITS - len(found))):
            if "," in match.group(0) and not _whole_entry(line.text, match):
                continue  # "Last, First" only as a line or cell of its own, never inside a list
            if (
                _longer_name(line.text, match)
                or _suffix_below(lines, i, match, names)
                or _someone_above(lines, i, match)
            ):
                continue  # "Mary Dana Whitfield", "Dana Whitfield Lane": someone, somewhere else
            in_team = on_staff_page or _staff_marked(line.node)
            short = len(line.text) <= len(match.group(0)) + 80
            title, role, org, said = (
                _title_near(lines, i, line.text[: match.start()], line.text[match.end() :])
                if short
                else _Near("", False)
            )
            around = line.text if short else _sentence(line.text, match.start(), match.end())
            section = _section_words(line.node)
            dead = dead_title or _marked_dead(pattern, (around, section))
            around = f"{around} {title} {section}"
            context = "obituary" if dead else _context(page_words, around, in_team and short, role)
            if context == "staff" and (
                _not_staff(line.node)
                or line.text[match.end() : match.end() + 2] in _POSSESSIVE
                or _no_entry(line, match, short, title, said)
            ):
                context = "mention"  # "Dana Whitfield's son, our Lead Technician": not hers
            name = " ".join(match.group(0).split())
            found.append(Mention(name, context, "text", title, org, _said(name, title), url))
    unique: dict[tuple[str, ...], Mention] = {}
    for mention in found:  # snippets alike (her name alone): her memorial stays beside her line
        key = (mention.name.lower(), mention.source, mention.snippet, mention.context,
               mention.employer)  # fmt: skip
        unique.setdefault(key, mention)
    return list(unique.values())
