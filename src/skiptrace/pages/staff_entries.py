"""Whether a hit is a staff entry: the team's pages and elements, and what makes a hit none.

``staff_url`` and ``staff_marked`` say a page or an element holds the staff. ``not_staff`` (news,
a review or quote, volunteers, sponsors, a board or council, by an element's marks or the
heading over it; clients, award winners or donors by the heading), ``no_entry`` (a line) and
``no_card_entry`` (an h-card) say a hit is still no current staff entry: former or retired
staff, a relative, an outsider, a guest or visitor, a customer's quote, a phrase's object
("Photo by Dana Whitfield"), or an element the site hides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from skiptrace.pages import _dom
from skiptrace.pages._model import words
from skiptrace.pages.job_titles import (
    CLAUSE_BREAK,
    FORMER,
    LEAD_INS,
    NAME_WORD,
    NEXT_WORD,
    TITLE_JOINERS,
    job_title,
    labels_next,
    role_word,
    title_word,
)

_STAFF_SEGMENTS: Final = frozenset(
    {"team", "our-team", "staff", "our-staff", "people", "our-people", "leadership"}
)
STAFF_TOKENS: Final = frozenset(
    {"team", "staff", "people", "member", "members", "employee", "employees", "leadership"}
)
_NOT_STAFF_TOKENS: Final = frozenset(
    {"news", "blog", "post", "posts", "press", "event", "events", "story", "stories",
     "testimonial", "testimonials", "review", "reviews", "quote", "quotes", "customer",
     "customers", "volunteer", "volunteers", "sponsor", "sponsors", "supplier", "suppliers",
     "vendor", "vendors", "trustees"}
)  # fmt: skip
"""Not "partners", "clients" or "advisors": a law or advisory firm's staff are those (a
heading saying clients or partners is read with her title, ``_NOT_STAFF_SECTIONS``)."""
_NOT_STAFF_SECTIONS: Final = _NOT_STAFF_TOKENS | frozenset(
    {"client", "clients", "study", "studies", "awards", "winners", "honorees", "nominees",
     "finalists", "donor", "donors", "patrons", "benefactors", "partners", "recipients",
     "grantees", "scholarship", "scholarships", "guests", "speakers", "exhibitors"}
)  # fmt: skip
"""A heading's words over people the business serves, honours or is given by: its clients
and case studies, award winners, donors, partner businesses, scholarship recipients, guests
and speakers ("Our clients", "Award winners"), as over news or reviews. Read in a heading
only, where they name the section's people: an element's class names its layout
("client-logos", "partners-grid" holding a firm's partners). A firm's partners are its
staff by their own title ("Managing Partner", ``not_staff``)."""
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
POSSESSIVE: Final = ("'s", "\u2019s")


def staff_url(url: str) -> bool:
    """A whole path segment says team, staff or people (our-team, our-staff, our-people) or
    leadership (a URL that cannot be split says nothing)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return any(part in _STAFF_SEGMENTS for part in path.lower().split("/"))


def staff_marked(node: LexborNode | None) -> bool:
    """An enclosing element's id or class says team/staff/people..., and not news or a quote."""
    for element in _dom.ancestors(node, 8):
        tokens = _marks(element)
        if tokens & STAFF_TOKENS and not tokens & _NOT_STAFF_TOKENS:
            return True
    return False


def not_staff(node: LexborNode | None, title: str = "") -> bool:
    """An enclosing element's id or class, or the heading before it, says news, a testimonial,
    a review or a quote: a name there with a title beside it ("- Dana Whitfield, Operations
    Manager at Zentrix") is a customer's or a story's, never staff; or it names people the
    business does not employ (volunteers, sponsors, suppliers, vendors, its board), or a
    heading names those it serves or honours (``_NOT_STAFF_SECTIONS``: clients, award
    winners, donors), unless ``title``, hers, has the heading's word as her role ("Partners"
    over a "Managing Partner": the firm's own)."""
    headings = [h for h in headings_before(node) if not _staff_heading(h)]
    said = set(re.split(r"[^a-z0-9]+", " ".join(headings).lower()))
    own = {f"{word}s" for word in re.findall(r"[a-z0-9]+", title.lower()) if role_word(word)}
    if (said - own) & _NOT_STAFF_SECTIONS:
        return True
    if any(_governing(heading) for heading in headings):
        return True
    for element in _dom.ancestors(node, 8):  # the nearest mark decides: a team card in a page
        marks = _marks(element)  # builder's wrapper (Divi's "et-l--post") is the card's
        if marks & _NOT_STAFF_TOKENS:
            return True
        if marks & STAFF_TOKENS:
            return False
    return False


def _governing(heading: str) -> bool:
    """The heading is over a board or a council that is not the staff's own."""
    if _BOARD.search(heading):
        return True
    said = set(re.findall(r"[a-z0-9]+", heading.lower()))
    return _COUNCIL.search(heading) is not None and not said & STAFF_TOKENS


def _staff_heading(heading: str) -> bool:
    """The heading ends in a staff word or a title word ("Customer Service Team", "Volunteer
    Coordinator", "Vendor Relations"): it names the staff's own role, whatever word is before;
    not a title word that names outsiders ("Featured Volunteer", "Happy Customer", "Featured
    Client")."""
    last = re.findall(r"[a-z0-9]+", heading.lower())[-1:]
    if not last or last[0] in _NOT_STAFF_SECTIONS:
        return False
    return last[0] in STAFF_TOKENS or title_word(last[0])


def _marks(element: LexborNode) -> set[str]:
    attrs = element.attributes
    return set(
        re.split(r"[^a-z0-9]+", f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower())
    )


def headings_before(node: LexborNode | None) -> list[str]:
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
tenure or a life that is over (after her name, ``name_on_lines.DEATH_MARK`` reads one)."""
_STILL: Final = re.compile(
    r"(?:\bhas|\bhave|['\u2019](?:s|ve))\s+(?:\w+ly\s+)?(?:worked|served)\b", re.I
)
"""A tenure still running, however written: "has worked", "She's worked", "has proudly
served"."""


def departed(text: str) -> bool:
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
_QUOTE_MARKS: Final = '"\u201e\u300c\u300d\u300e\u300f\uff62\uff63\u2605\u2606'
"""Quotation marks of no Pi/Pf category ("...", \u201e, the corner brackets Chinese and
Japanese quote with: \u300c...\u300d, \u300e...\u300f, \uff62...\uff63), and stars."""
_APOSTROPHES: Final = "\u2018\u2019\u201b"
_ANGLES: Final = (frozenset("\u00ab\u2039"), frozenset("\u00bb\u203a"))
"""Angle quotation marks pointing left and right: they double as arrows and bullets."""
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _quoting(char: str) -> bool:
    """``char`` opens or closes a quotation in any language's style ("...", \u201c...\u201d,
    \u00ab...\u00bb, \u201e...\u201c, \u2039...\u203a, \u300c...\u300d: an initial or
    final quotation mark), or is a review's star: a customer's words. Not a single curly
    quote, which a name or a year holds as an apostrophe (O\u2019Connor, \u201898)."""
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


def no_entry(line: _dom.Line, match: re.Match[str], short: bool, title: str, said: str) -> bool:
    """The hit is on a team page but is no current staff entry: a former-staff, alumni or
    retired section or line, a phrase's object ("Photo by Dana Whitfield", "Named after
    founder Dana Whitfield"), a relative ("Dana Whitfield, mother of our owner", "his mother
    Dana Whitfield"; with no ``title`` of hers, "Dana Whitfield, the owner's mother"), a
    customer's quote or review (its quotation marks or stars, or a quotation in its card), a
    guest or visitor ("Guest speaker: Dana Whitfield"), with no title of hers a volunteer or
    a board member ("Dana Whitfield - Volunteer", ``outsider``), or an element the site
    hides; or her tenure told as over ("retired in 2019", "1990-2015" before her name), on
    her line or on her card's line her title was read from or would stand on (``said``:
    "Pastor Emeritus (retired 2018)", "Owner's Wife", "Guest Speaker" below her name)."""
    if _former_heading(" ".join(headings_before(line.node))):
        return True
    if short and any(former_title(text) or departed(text) for text in (line.text, said)):
        return True
    before = line.text[: match.start()].split()
    if _phrase_object([word.lower().strip(":,([") for word in before]):
        return True
    if _YEARS_BEFORE.search(line.text, 0, match.start()):
        return True  # "1990-2015 Dana Whitfield": a tenure or a life, over
    behind = line.text[match.end() :].lstrip(" ,-\u2013\u2014(")
    after = NAME_WORD.match(behind)
    if after is not None and kin(after.group(0)) and not _own_family(WORD.findall(behind), 0):
        return True  # "Dana Whitfield, mother of our owner"; "..., mother of three" is hers
    if before and kin(before[-1].strip(":,")) and not _own_title(line.text, match):
        return True  # "his mother Dana Whitfield": a relative, unless her title follows
    if not title and (relation(line.text[match.end() :]) or relation(said)):
        return True  # "Dana Whitfield, the owner's mother", "Owner's Wife" below her name
    beside = (line.text[: match.start()], line.text[match.end() :], said)
    if not title and any(outsider(text) for text in beside):
        return True  # "Dana Whitfield - Volunteer", "Board Member" below her name: not staff
    if _quoted(line.text[: match.start()]):
        return True  # a quotation or stars, then the name: its attribution
    return (
        _visitor(line.text, match)
        or calls_visitor(said)
        or _quoted_card(line.node)
        or _hidden(line.node)
    )


def kin(word: str) -> bool:
    """A kinship word, a step-, grand- or in-law one too ("stepdaughter", "mother-in-law")."""
    plain = word.lower().removesuffix("-in-law").removesuffix("s")
    return plain in _KIN or plain.removeprefix("step") in _KIN


def relation(text: str) -> bool:
    """``text`` calls someone a relative: a kinship word after a possessive or a determiner
    ("the owner's mother", "Tom's wife", "our founder's grandma") or before "of" or "to"
    ("mother-in-law of our owner"). Not her own family ("a wife and mother of three", "Grandma
    to 5"), nor a relation told after a job of hers ("Co-owner, Tom's wife")."""
    said = WORD.findall(text)
    for k, word in enumerate(said):
        if not kin(word):
            continue
        if _own_job(said[:k]):
            return False
        if _own_family(said, k):
            continue
        previous = said[k - 1].lower() if k else ""
        following = said[k + 1].lower() if k + 1 < len(said) else ""
        if previous.endswith(POSSESSIVE) or previous in _WHOSE or following in ("of", "to"):
            return True
    return False


WORD: Final = re.compile(r"\w[\w'\u2019-]*")
_WHOSE: Final = _DETERMINERS - {"a", "an"}
"""A determiner saying whose relative she is ("his mother"), not "a" ("a wife and mother")."""


def _own_job(said: list[str]) -> bool:
    """A job word of hers, not a possessive ("Co-owner", "Dispatch Manager"; not "Owner's")."""
    return any(role_word(word) and not word.lower().endswith(POSSESSIVE) for word in said)


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
    return any(calls_visitor(part) for part in (text[: match.start()], text[match.end() :]))


def calls_visitor(text: str) -> bool:
    """A clause of ``text`` starts by calling someone a guest or visitor (``_visitor``)."""
    for clause in CLAUSE_BREAK.split(text):
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
    return len(after) >= least and (title_word(after[-1]) or after[-1].lower() in _SERVING_JOBS)


_HONOUR: Final = re.compile(r"\bof\s+the\s+(?:week|month|year)$", re.I)
"""A label that is an honour's name ("Customer of the Month"), a noun a job may follow."""


_SERVING_JOBS: Final = frozenset(words("attendant attendants host hostess ambassador greeter"))


_OUTSIDER: Final = re.compile(
    r"(?:(?:a|an|our|the)\s+)?(?:volunteer(?:s|ing)?|sponsors?|suppliers?|vendors?|"
    r"customers?|trustees?)\b",
    re.I,
)
"""Someone the business does not employ, as the headings ``not_staff`` reads say (not
"client" or "partner": a law or advisory firm's staff are those)."""
_BOARD_SEAT: Final = re.compile(
    r"(?:(?:a|our|the)\s+)?board(?![\w-])(?!\s+(?:certified|eligible|relations|liaison)\b)",
    re.I,
)
"""A seat on a board, whatever title follows ("Board Member", "Board Chair"); not
"Board Certified", nor a staff job serving the board ("Board Relations Manager", "Board
Liaison")."""


def outsider(text: str) -> bool:
    """A clause of ``text`` calls someone a volunteer, a sponsor, a supplier, a vendor, a
    customer or a trustee ("Volunteer", "volunteer since 2015", "Loyal Customer"), not a job
    serving them (``_serves_them``); or by a seat on a board (``_BOARD_SEAT``: "Board
    Member", "Board Chair")."""
    for clause in CLAUSE_BREAK.split(text):
        said = clause.strip()
        found = _OUTSIDER.match(said)
        if _BOARD_SEAT.match(said) or (found is not None and not _serves_them(said[found.end() :])):
            return True
        praised = _PRAISED_OUTSIDER.fullmatch(said)
        if praised is not None and not any(map(title_word, praised.group(1).split())):
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
        title_word(said[0])
        or said[0].lower().strip(",.;:") in _SERVING
        or (role_word(said[-1]) and all(w[:1].isupper() for w in said))
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
    while k and (title_word(before[k - 1]) or before[k - 1] in _DETERMINERS):
        k -= 1
    if k == len(before) or not k or before[k - 1] not in _REFERRING_ACROSS:
        return False
    return not (before[k - 1] in TITLE_JOINERS and k > 1 and title_word(before[k - 2]))


def no_card_entry(node: LexborNode | None, title: str) -> bool:
    """An h-card is held to a team line's rules: one in a news, review or hidden element,
    under an alumni or former-staff heading, or whose title is a past one, is no entry."""
    headings = " ".join(headings_before(node))
    return (
        not_staff(node, title)
        or _hidden(node)
        or _former_heading(headings)
        or former_title(title)
        or departed(title)
    )


def _own_title(text: str, match: re.Match[str]) -> bool:
    """A job title follows her name on her line ("His daughter Dana Whitfield, Office
    Manager"): her entry, whoever she is the relative of; not one that labels or runs into
    another's name ("His daughter Dana Whitfield, Owner Tom Reed": his, ``labels_next``)."""
    rest = text[match.end() :].strip(" ,-\u2013\u2014|:(")
    title = job_title(rest)
    return bool(title) and not labels_next(rest, title)


def _former_heading(headings: str) -> bool:
    """Headings over people who work there no more: a former word ("Alumni", "Former team
    members", "Retired"), retirees, or a past word before a role or the staff ("Past
    Presidents", "Previous Owners", "Ex-Employees", "Past Team Members"); not "Past and
    Present"."""
    if FORMER.search(headings) or _retiree(headings):
        return True
    for found in _EX_TITLE.finditer(headings):
        following = NEXT_WORD.match(headings, found.end())
        word = following.group(0).lower() if following is not None else ""
        if word in STAFF_TOKENS or role_word(word.removesuffix("s")):
            return True
    return False


def _retiree(text: str) -> bool:
    """A retiree word (``_RETIREE``) with no title word or staff word among the three words
    after it: "Retiree Services Manager" and "Retiree Benefits Team" serve them."""
    for found in _RETIREE.finditer(text):
        after = WORD.findall(text[found.end() :])[:3]
        if not any(title_word(w) or w.lower() in STAFF_TOKENS for w in after):
            return True
    return False


def former_title(text: str) -> bool:
    """The line calls her title a past one: a former word before a title word ("Former
    Office Manager"), or standing alone ("Office Manager, retired", "(retired)"); not her
    past elsewhere ("formerly of Acme Supply", "former Navy medic"); or a past or ex- word
    right before a title word ("Past President", "Ex-Office Manager"); an emeritus title
    ("Pastor Emeritus"), or a retirement's year ("Pastor (retired 2018)"); or her called a
    retiree ("Dana Whitfield, Retiree")."""
    if _retiree(text):
        return True
    for found in _EX_TITLE.finditer(text):
        following = NEXT_WORD.match(text, found.end())
        if following is not None and title_word(following.group(0)):
            return True
    for found in FORMER.finditer(text):
        if found.group(0).lower().startswith("emerit"):
            return True  # retired, keeping the title as an honour
        rest = text[found.end() :].lstrip()
        following = NEXT_WORD.match(rest)
        if following is None or rest[:1] in ",;)" or title_word(following.group(0)):
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
    return bool(said) and said <= LEAD_INS | STAFF_TOKENS | {"the"}


def _hidden(node: LexborNode | None) -> bool:
    """An enclosing element the page does not show (``hidden``, ``display: none``)."""
    return any(
        "hidden" in element.attributes
        or _HIDDEN_STYLE.search(element.attributes.get("style") or "") is not None
        for element in _dom.ancestors(node, 8)
    )
