"""Her name on a page's lines: which hits are hers, and the title her card gives each.

``name_pattern`` finds the caller's variants of one name (a middle initial, a surname's particle
spaced or not), and ``may_name`` says whether a page's HTML is worth parsing for them.
``longer_name``, ``suffix_below``, ``someone_above`` and ``whole_entry`` pass over hits that are
someone or something else ("Mary Dana Whitfield", "Dana Whitfield Sr.", a center named after
her, a name inside a list). ``title_near`` reads the job title beside a hit: on her line, in her
card's lines or its next block, in a table row's cell; never a title that labels the next
person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from selectolax.lexbor import LexborNode

from skiptrace.normalize.names import canonical_suffix, is_honorific
from skiptrace.pages import _dom
from skiptrace.pages._model import words
from skiptrace.pages.job_titles import (
    ADDRESS_FORMS,
    CREDENTIALS,
    LABEL_ENDS,
    LEAD_INS,
    LEAD_OUTS,
    NAME_PARTICLES,
    NAME_WORD,
    NEXT_WORD,
    PERSON_JOINERS,
    TITLE_JOINERS,
    card_title,
    job_title,
    labels_next,
    particles,
    said_org,
    title_word,
    unlabelled,
)
from skiptrace.pages.staff_entries import (
    STAFF_TOKENS,
    WORD,
    calls_visitor,
    departed,
    former_title,
    outsider,
    relation,
)

MAX_VARIANTS: Final = 50
DEATH_MARK: Final = re.compile(
    r"(?:^|[(\[,:;\u2013\u2014-])\s*deceased\b|(?-i:\bR\.?I\.?P\b)|"  # "(deceased)", "RIP"
    r"[\u2020\u271d\u271e]\s*(?:19|20)\d\d\b|"  # "\u2020 2019": a death year, not a footnote mark
    r"\b(?:19|20)\d\d\s*[-\u2013]\s*(?:19|20)\d\d\b|\bd\.\s*(?:19|20)\d\d\b|"  # "d. 2019": died
    r"\bdied\b|\bdies\s+(?:at|aged)\b",  # "who died in 2023", a headline's "dies at 61"
    re.I,
)
"""A life span or death mark: the death of the person it follows only ("Nonna Sofia Bellini
(1931-2019)" in her grandson's sentence is hers), said in plain words too ("Dana Whitfield
died on March 3", on the team page, had been her employment). "Dies" only before an age: a
tool-and-die shop makes dies."""


_INITIAL: Final = r"(?:\s+[^\W\d_]\.?)?"
"""One middle initial, written or not ("Dana J. Whitfield", "Whitfield, Dana J")."""
_QUOTED: Final = r"\s+[\"'\u201c\u2018][^\W\d_][\w. -]{0,18}[\"'\u201d\u2019]"
_NICKNAME: Final = rf"(?:{_QUOTED})?"
"""A nickname in quotation marks after her first name, written or not ("Dana "DJ" Whitfield",
"Dana \u201cDee\u201d Whitfield"): a part of her name as written, not another person."""
_QUOTED_NAME: Final = re.compile(_QUOTED)


def as_kept(name: str) -> str:
    """Her name as written (a hit of ``name_pattern``) without its nickname: the page chose
    the words in quotation marks, and 'Dana "Marcus Oyelaran" Whitfield' (or
    "Marcus.Oyelaran", spelt as one word) had kept his name in her record. What a hit keeps
    is her names' words and initials as written, nothing the page put between them."""
    return " ".join(_QUOTED_NAME.sub("", name, count=1).split())


def name_pattern(names: Sequence[str], any_initial: bool) -> re.Pattern[str] | None:
    parts: list[tuple[int, str]] = []  # (words in the name, its pattern)
    for name in list(dict.fromkeys(n.strip() for n in names if n.strip()))[:MAX_VARIANTS]:
        raw = name.split()
        words = [_particle_spaced(w) for w in raw]
        if words[0].endswith(r"\."):
            part = r"\s*".join(words)
        elif any_initial and len(words) == 2 and words[0].endswith(","):
            part = rf"{words[0]}\s+{words[1]}{_INITIAL}"
        elif any_initial and len(words) == 2:
            part = rf"{words[0]}{_NICKNAME}{_INITIAL}\s+{words[1]}"
        else:
            gaps = [r"\s*" if _dom.PARTICLE.search(w) else r"\s+" for w in raw]
            if not words[0].endswith(","):  # "Dana "DJ" Whitfield", not "Whitfield, "DJ" Dana"
                gaps[0] = _NICKNAME + gaps[0]
            part = "".join(w + gap for w, gap in zip(words, gaps[:-1], strict=False)) + words[-1]
        parts.append((len(words), part))
    if not parts:
        return None
    # the name of most words first ("Dana Whitfield Jr." before "Dana Whitfield"): the first
    # alternative that matches is the one taken, whatever its pattern's length
    parts.sort(reverse=True)
    # a hyphen joins a name (Mary-Dana Whitfield and Dana Whitfield-Oyelaran are not Dana
    # Whitfield), and so does an apostrophe before it (O'Dana); after it, one is a possessive;
    # a hyphen after it with a blank after that is a dash ("Dana Whitfield- Office Manager",
    # ``longer_name`` judges what follows)
    alternatives = "|".join(part for _, part in parts)
    return re.compile(r"(?<![\w'\u2019-])(?:" + alternatives + r")(?!\w|-(?!\s))", re.I)


def _particle_spaced(word: str) -> str:
    """``word`` as a pattern, a blank allowed after a surname's particle it starts with
    ("McKay" finds "Mc Kay"), as one after a particle written apart may be left out ("Mc
    Kay" finds "McKay"): markup parting the name decides which a page shows
    ("Mc<b>Kay</b>" runs on, ``_dom.PARTICLE``), not how she spells it."""
    for cut in range(2, 5):
        if word[cut : cut + 1].isupper() and _dom.PARTICLE.search(word[:cut]):
            return rf"{re.escape(word[:cut])}\s?{re.escape(word[cut:])}"
    return re.escape(word)


def longer_name(line: str, match: re.Match[str]) -> bool:
    """The hit is part of a longer name: a capitalised word right before it that is no
    honorific or lead-in ("Mary Dana Whitfield": the debtor's name as another's middle and
    last), or right after it that is no title, credential or lead-out word ("Dana Whitfield
    Lane", "Dana Whitfield Oyelaran"), or a thing named after her in any case ("Dana
    Whitfield scholarship", "the Dana Whitfield award: Marcus Lee"), or a generational suffix
    the caller's names do not carry ("Dana Whitfield Sr.": the father of a Jr.; "the
    Younger"), or a couple named by the husband's name ("Mr. and Mrs. Dana Whitfield"). A
    relative, a street or an award is never taken for the debtor. A hyphen glued to it is a
    dash before her title only ("Dana Whitfield- Office Manager"): before anything else it
    may join a double surname a blank broke ("Dana Whitfield- Oyelaran")."""
    ahead = line[max(0, match.start() - 40) : match.start()]
    if _COUPLE.search(ahead):
        return True  # "Mr. and Mrs. Dana Whitfield": a couple, by the husband's name
    words_before = ahead.split()
    if words_before and ahead.endswith(" "):
        word = words_before[-1]
        if (
            NAME_WORD.fullmatch(word)
            and word[:1].isupper()
            and not is_honorific(word.lower().rstrip("."))
            and word.lower() not in LEAD_INS
            and not title_word(word)
        ):
            return True
    behind = line[match.end() : match.end() + 40]
    if behind[:1] == "-" and not job_title(unlabelled(line[match.end() + 1 :].strip())):
        return True  # "Dana Whitfield- Oyelaran": a double surname, not her and a title
    gap = _SUFFIX_GAP.match(behind)
    after = NAME_WORD.match(behind, gap.end()) if gap else None
    if after is not None and canonical_suffix(after.group(0).lower().rstrip(".")):
        return True  # "Dana Whitfield Sr.", "Dana Whitfield, Sr.", "Dana Whitfield (Sr.)"
    if gap is not None and _ordinal_suffix(behind[gap.end() :]):
        return True  # "Dana Whitfield 3rd", "Dana Whitfield (2nd)": a suffix in digits
    if gap is not None and _ELDER.match(behind, gap.end()):
        return True  # "Dana Whitfield the Younger": a suffix in words
    after = NAME_WORD.match(behind, 1) if behind[:1] == " " else None
    if after is not None and after.group(0).lower() in _NAMED_AFTER:
        return True  # "the Dana Whitfield award: Marcus Lee", in any case: the award's name
    named = behind[after.start() :] if after is not None else ""
    if _NAMED_PLACE.match(named) and (
        not job_title(named) or _THE.search(ahead) or _someone_before(ahead)
    ):
        return True  # "the Dana Whitfield Center (Director)"; "Dana Whitfield Center Director"
    if after is None or behind[after.end() : after.end() + 1] == ":":
        return False  # "Dana Whitfield Email: ...": a label
    if DEATH_MARK.match(behind, after.start()):
        return False  # "Dana Whitfield RIP", "Dana Whitfield R.I.P.": her death, no name's word
    word = after.group(0)
    plain = word.lower().rstrip(".")
    return (
        word[:1].isupper()
        and not title_word(word)
        and plain not in CREDENTIALS | LEAD_OUTS | TITLE_JOINERS | PERSON_JOINERS
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
_CAPITALISED: Final = rf"[A-Z][\w'\u2019.]*(?:\s+(?:{NAME_PARTICLES})?[A-Z][\w'\u2019.-]*){{1,3}}"
"""Two to four capitalised words, a surname's particles between ("Tom da Silva", "Jan op den
Berg"): another person's name, or a title (``job_title``)."""
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
    """``text`` is capitalised words that are no title ("Tom Reed"), particles between them
    ("Tom da Silva"; not "Proud of the Team"): another person's name; not words a heading or
    a greeting starts with ("Our Team", "Meet Our Staff"); a form of address starts a name
    ("Coach Tom Reed")."""
    said = text.split()
    return (
        re.fullmatch(_CAPITALISED, text) is not None
        and particles([word for word in said if word.islower()])
        and not job_title(text)
        and said[0].lower() not in LEAD_INS - ADDRESS_FORMS
        and not {w.lower() for w in said} & STAFF_TOKENS
    )


def _someone_before(ahead: str) -> bool:
    """Another person's name starts the clause her name is in ("Tom Reed - Dana Whitfield
    Center Director"): what follows is that person's title, and her name in it a center's
    or a program's; a title there ("Office Manager - Dana Whitfield") is hers."""
    found = _NAMED_FIRST.search(ahead)
    if found is None or not _someone(found.group(1)):
        return False
    his = (found.group(2) or "").lower().rstrip(".")
    return not his or his in CREDENTIALS or bool(canonical_suffix(his))


def someone_above(lines: list[_dom.Line], i: int, match: re.Match[str]) -> bool:
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
    above = lines[i - 1].text.rstrip(LABEL_ENDS)  # "Tom Reed:", "Tom Reed -"
    return (same or (inside and not _alike(node, other))) and _someone(above)


def whole_entry(line: str, match: re.Match[str]) -> bool:
    """``match`` ("Last, First") is the whole line, or starts it with only a job title after
    it ("Whitfield, Dana - Office Manager"): never a part of a list ("Kim Lee, Dan Ortiz")."""
    if match.start() > 0 and line[: match.start()].strip():
        return False
    rest = line[match.end() :].strip(" .;")
    if not rest:
        return True
    return rest[0] in "-|\u2013\u2014," and bool(job_title(rest.lstrip(" -|\u2013\u2014,")))


def suffix_below(
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
    first = NAME_WORD.search(text)
    if first is None or text[: first.start()].strip():
        return ""
    following = NEXT_WORD.match(text[first.end() :].lstrip(". "))
    if following is not None and title_word(following.group(0)):
        return ""
    spelled = first.group(0).lower() in ("senior", "junior")
    if spelled and following is not None and following.group(0)[:1].isalpha():
        return ""  # "Senior Barber": a title, whatever its words; a son is "Jr." or "Junior,"
    return canonical_suffix(first.group(0).lower().rstrip("."))


def may_name(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> bool:
    """The page's HTML may name her, so it is worth parsing: the name is in it whole, or it
    has a character reference ("&nbsp;" between her names), or each word of one of ``names``
    is in it once its tags and blanks are taken out (markup parting her names or a word of
    them: "<span>Dana</span><span>Whitfield</span>", "Dana <b>J.</b> Whitfield",
    "<b>D</b>ana"). Only a page holding no word of hers is passed over."""
    if pattern.search(text) is not None or "&" in text:
        return True
    bare = _TAGS_AND_BLANKS.sub("", text).lower()
    words = [set(WORD.findall(name.lower())) for name in names]
    present = {word for word in set().union(*words) if word in bare}  # each looked for once
    return any(said and said <= present for said in words)


_TAGS_AND_BLANKS: Final = re.compile(r"<[^>]*>|\s+")


class Near(NamedTuple):
    """A hit's title, whether its card marks a role, and the organisation named after the
    title ("Sales Representative at Acme Supply"; "" when none is)."""

    title: str
    marked: bool
    org: str = ""
    said: str = ""
    """The card's line the title was read from, when not the hit's own; with no title, the
    short line where her title would stand ("Owner's Wife", "Guest Speaker" below her name),
    read for what makes her no staff."""


def title_near(lines: list[_dom.Line], i: int, name_start: str, name_end: str) -> Near:
    """A job title in the hit's own line after the name (after a semicolon only when it
    labels no one, as on a card's line: "Dana Whitfield; Owner Tom Reed" lists him), or
    before it when that is all the line holds there ("Office Manager: Dana Whitfield"), or
    the line just after or before it
    in the same card (before it first where the card's first line is a title: titles stand
    above the names there; elsewhere one above it under another's name is his), or the card's
    next block (``_next_block_title``); never one that
    holds or labels another person's name ("Owner: Sam Lee" is Sam's), nor one another's name
    follows with no mark between ("Dana Whitfield - Owner Tom Reed": whose it is cannot be
    told). A title's label before it ("Title: Office Manager") is read on her line and on her
    card's lines below her name only: above it, in a list whose labels name the people below
    them, it may be the last person's. And whether such a
    line is marked as a role (class "role", "position"...) even when its words are not kept
    as a title ("Customer Service"): the card is then a staff card."""
    rest = unlabelled(name_end.strip(" ,-\u2013\u2014|:("))  # "Dana Whitfield (Office Manager)"
    title = job_title(rest) if len(rest) <= 80 else ""
    if title and not labels_next(rest, title):
        return Near(title, True, said_org(rest, title))
    if name_end.lstrip()[:1] == ";":  # "Dana Whitfield; Office Manager"
        rest = name_end.lstrip()[1:].strip()
        if title := card_title(rest, True):  # a list's mark too: "; Owner Tom Reed" is his
            return Near(title, True, said_org(rest, title))
    before = " ".join(name_start.rstrip(LABEL_ENDS).split())
    if before and len(before) <= 80 and job_title(before) == before:
        return Near(before, True)
    node = lines[i].node
    card = next((a for a in _dom.ancestors(node, 6)[1:] if a.tag not in _dom.INLINE), None)
    if card is None:
        return Near("", False)

    def near(j: int) -> LexborNode | None:
        other = lines[j].node
        inside = other is not None and card.mem_id in {a.mem_id for a in _dom.ancestors(other, 6)}
        return other if inside else None

    first = i  # the card's first line: a title there means titles stand above the names
    while first > 0 and i - first < _CARD_LINES and near(first - 1) is not None:
        first -= 1
    above = first < i and bool(card_title(lines[first].text, True))
    marked = False
    order = (i - 1, i + 1) if above else (i + 1, i - 1)
    for j in order:
        if 0 <= j < len(lines) and (other := near(j)) is not None:
            # names stand above their titles here: a title under another's name is his
            # ("Tom Reed" / "Owner" / "Dana Whitfield")
            his = j < i and not above and j > first and _someone(lines[j - 1].text)
            if not his and (title := card_title(lines[j].text, j > i and not above)):
                return Near(title, True, said_org(lines[j].text, title), lines[j].text)
            marked = marked or _role_marked(other)
    if title := _next_block_title(lines, i):
        return Near(title, True, said_org(lines[i + 1].text, title), lines[i + 1].text)
    j = order[0]
    other = near(j) if 0 <= j < len(lines) else None
    beside = (
        other is not None
        and len(lines[j].text) <= 80
        and not _alike(other, node)
        and not _next_cell_entry(other, lines[j].text)
    )
    return Near("", marked, said=lines[j].text if beside else "")


def _next_cell_entry(node: LexborNode, text: str) -> bool:
    """A table's cell beside hers that starts with another person's name set off ("Sam Lee -
    Volunteer", "Sam Lee, Board Member"): a grid's next card, one person a cell, not her
    row's column ("Volunteer" there is hers, and so are capitalised words that call her no
    staff: "Loyal Customer - since 2010", "Former Owner - 1990", "Guest Speaker (2024)")."""
    found = _NAMED_CELL.match(text)
    if node.tag not in _CELLS or found is None:
        return False
    said = found.group(1)
    no_staff = (former_title, departed, relation, outsider, calls_visitor)
    return _someone(said) and not any(calls(said) for calls in no_staff)


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
    titles = [card_title(lines[k].text, True) for k in range(i + 1, end)]
    return titles[0] if titles[0] and not any(titles[1:]) else ""


def _another_heading(hers: LexborNode, other: LexborNode | None) -> bool:
    """``other`` is a heading of the same level as her name's ("<h3>Sam Lee</h3>" after
    "<h3>Jane Roe</h3>"): another person's entry, so the block between may be his title."""
    return hers.tag in _HEADING_TAGS and other is not None and other.tag == hers.tag


_HEADING_TAGS: Final = frozenset(words("h1 h2 h3 h4 h5 h6"))


_SPLIT_DEPTH: Final = 4
"""Levels above the hit's block a split card may hold her title (Elementor's is three)."""
_SPLIT_LINES: Final = 5
"""Lines a split card holds at most: her name, her title, a bio or two; more is a list."""


_CARD_LINES: Final = 40
"""How far back a card's first line is looked for (a long list is read from its neighbours)."""


def _role_marked(node: LexborNode) -> bool:
    """The element's class or id names a role: "role", "job-title", "member-role" (not
    "page-title", a heading's)."""
    return any(
        token in _ROLE_TOKENS or token.endswith(("-role", "-job-title", "-jobtitle"))
        for token in _dom.marks(node).split()
    )


_ROLE_TOKENS: Final = frozenset(words("role designation jobtitle job-title"))
"""Not "title", "position" or "job": a heading's or a quoted customer's line says those too."""
