"""Confirming a named person on a page, never collecting anyone else.

Only the name variants the caller gives are looked for. A hit keeps the name as written, a job
title found beside it (the same card, or the JSON-LD Person / h-card), the context (``staff``,
``mention`` or ``obituary``) and a snippet of the hit's own lines. Other people's names on the
page are never read into the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from skiptrace.pages import _dom, _head, hcard, jsonld, schema
from skiptrace.pages._model import Mention, snippet, words

MAX_VARIANTS: Final = 50
_OBITUARY: Final = re.compile(
    r"obituar|in memoriam|in loving memory|passed away|survived by|rest in peace|funeral|"
    r"celebration of life|memorial service|predeceased|\bremember(?:s|ing)?\b|"
    r"\b(?:19|20)\d\d\s*[-\u2013]\s*(?:19|20)\d\d\b",
    re.I,
)
_STAFF_SEGMENTS: Final = frozenset({"team", "our-team", "staff", "people", "leadership"})
_STAFF_TOKENS: Final = frozenset(
    {"team", "staff", "people", "member", "members", "employee", "employees", "leadership"}
)
_NOT_STAFF_TOKENS: Final = frozenset(
    {"news", "blog", "post", "posts", "press", "event", "events", "story", "stories",
     "testimonial", "testimonials", "review", "reviews", "quote", "quotes", "customer",
     "customers"}
)  # fmt: skip
_TITLE_PLAIN: Final = frozenset(
    words(
        "office operations sales marketing finance financial accounts accounting human resources "
        "hr customer service services senior junior chief general regional project projects "
        "field business development it information technology legal compliance quality safety "
        "support client clients public relations communications purchasing procurement "
        "production maintenance warehouse logistics administration administrative the and "
        "services care billing payroll dispatch estimating design engineering research team "
        "staff front desk residential commercial new construction installation repair "
        "plumbing electrical hvac roofing dental medical nursing"
    )
)

_TITLE_WORDS: Final = re.compile(
    r"\b(?:manager|director|owner|president|vice|assistant|technician|engineer|officer|partner|"
    r"associate|coordinator|specialist|accountant|attorney|lawyer|paralegal|ceo|cfo|coo|cto|"
    r"founder|administrator|supervisor|lead|head|clerk|nurse|sales|representative|analyst|"
    r"consultant|advisor|adviser|secretary|receptionist|bookkeeper|estimator|foreman|"
    r"superintendent|principal|chair|executive|agent|broker|dentist|hygienist|physician|"
    r"therapist|designer|developer|controller|treasurer|apprentice|electrician|plumber|driver)\b",
    re.I,
)
_TITLE_CLASSES: Final = re.compile(r"title|role|position|job|designation", re.I)


def _pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    parts = []
    for name in list(dict.fromkeys(n.strip() for n in names if n.strip()))[:MAX_VARIANTS]:
        words = [re.escape(w) for w in name.split()]
        parts.append(r"\s*".join(words) if words[0].endswith(r"\.") else r"\s+".join(words))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    # a hyphen joins a name (Mary-Dana Whitfield and Dana Whitfield-Oyelaran are not Dana
    # Whitfield), and so does an apostrophe before it (O'Dana); after it, one is a possessive
    return re.compile(r"(?<![\w'\u2019-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)


def _title_word(word: str) -> bool:
    plain = word.strip(" ,.;:()'\u2019\"").lower()
    return plain in _TITLE_PLAIN or bool(_TITLE_WORDS.fullmatch(plain))


def names_another(text: str) -> bool:
    """True when ``text`` (a would-be job title) may hold a person's name, in any script or
    case: a word that is no title word after "&", "and", "with" or "to" ("Owner & Élodie",
    "co-owner with marcus oyelaran", "Assistant to Ólafur"), before a comma that starts it
    ("Oyelaran, Office Manager"), two in a row capitalised ("Adam Driver" aside from title
    words), or a possessive ("Whitfield's assistant"). Such a title is never kept."""
    if "'s" in text or "\u2019s" in text:
        return True
    tokens = [t.strip(",;:()") for t in _TITLE_TOKENS.findall(text)]
    unknown = [bool(t) and not _title_word(t) and t.lower() not in _TITLE_JOINERS for t in tokens]
    if tokens and unknown[0] and text.lstrip().startswith(tokens[0] + ","):
        return True
    for k in range(1, len(tokens)):
        joined = tokens[k - 1].lower() in _PERSON_JOINERS and unknown[k]
        capitals = unknown[k - 1] and unknown[k] and tokens[k - 1][:1].isupper()
        if joined or (capitals and tokens[k][:1].isupper()):
            return True
    return False


_TITLE_TOKENS: Final = re.compile(r"&|[^\W\d_][\w'\u2019.-]*")
_TITLE_JOINERS: Final = frozenset(words("of and to for the in at & co sr jr"))
_PERSON_JOINERS: Final = frozenset({"&", "and", "with", "to", "+"})


def _title_near(lines: list[_dom.Line], i: int, name_end: str) -> str:
    """A job title in the hit's own line after the name, or the line just after or before it in
    the same card; never one that holds another person's name."""
    rest = name_end.strip(" ,-\u2013\u2014|:")
    if rest and len(rest) <= 80 and _TITLE_WORDS.search(rest):
        return "" if names_another(rest) else rest
    node = lines[i].node
    card = next((a for a in _dom.ancestors(node, 6)[1:] if a.tag not in _dom.INLINE), None)
    for j in (i + 1, i - 1):
        if 0 <= j < len(lines):
            text, other = lines[j].text, lines[j].node
            classes = _dom.marks(other) if other is not None else ""
            near = card is not None and card.mem_id in {a.mem_id for a in _dom.ancestors(other, 6)}
            if (
                near
                and len(text) <= 80
                and (_TITLE_WORDS.search(text) or _TITLE_CLASSES.search(classes))
                and not names_another(text)
            ):
                return text
    return ""


def _staff_url(url: str) -> bool:
    """A whole path segment says team, our-team, staff, people or leadership."""
    return any(part in _STAFF_SEGMENTS for part in urlsplit(url).path.lower().split("/"))


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
    Manager at Zentrix") is a customer's or a story's, never staff."""
    headings = " ".join(_headings(node)).lower()
    if set(re.split(r"[^a-z0-9]+", headings)) & _NOT_STAFF_TOKENS:
        return True
    return any(_marks(element) & _NOT_STAFF_TOKENS for element in _dom.ancestors(node, 8))


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


def _context(page_words: str, around: str, in_team: bool, titled: bool) -> str:
    if _OBITUARY.search(around) or _OBITUARY.search(page_words):
        return "obituary"
    return "staff" if in_team or titled else "mention"


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, start - 90, 0)
    right_stop = text.find(". ", end)
    right = min(right_stop + 1 if right_stop >= 0 else len(text), end + 90)
    return snippet(text[left:right])


def mentions(html: bytes | str, url: str, names: Sequence[str]) -> list[Mention]:
    """Where any of ``names`` (the caller's variants of one person's name) appears on the page:
    the name as written, an adjacent job title, the context and a snippet of the hit's lines."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    text = _dom.decode(html)
    if pattern.search(text) is None and "&" not in text:
        return []
    tree, _ = _dom.parse(text)
    title_node = tree.css_first("title")
    page_words = f"{url} {title_node.text() if title_node else ''}"
    found: list[Mention] = []
    if "ld+json" in text.lower():
        scripts = _head.from_tree(tree).scripts
        people = schema.extract(jsonld.load_all(scripts, []), "jsonld").people
        for person in people:
            if pattern.fullmatch(person.name.strip()):
                staff = bool(person.job_title or person.works_for)
                context = _context(page_words, person.job_title, staff, staff)
                job = "" if names_another(person.job_title) else person.job_title
                works = person.works_for  # an organisation's name: not a title
                snip = snippet(" - ".join(p for p in (person.name, job, works) if p))
                found.append(Mention(person.name, context, "jsonld", job, works, snip, url))
    if hcard.has_markup(text):
        for card in hcard.extract(tree).people:
            if pattern.fullmatch(card.name.strip()):
                job = "" if names_another(card.job_title) else card.job_title
                org = card.org
                snip = snippet(" - ".join(p for p in (card.name, job, org) if p))
                context = _context(page_words, card.job_title, True, True)
                found.append(Mention(card.name, context, "hcard", job, org, snip, url))
    lines, _ = _dom.lines(tree)
    staff_url = _staff_url(url)
    for i, line in enumerate(lines):
        for match in pattern.finditer(line.text):
            if "," in match.group(0) and line.text.strip(" .;") != match.group(0):
                continue  # "Last, First" only as a whole line or cell, never inside a list
            in_team = staff_url or _staff_marked(line.node)
            short = len(line.text) <= len(match.group(0)) + 80
            title = _title_near(lines, i, line.text[match.end() :]) if short else ""
            around = line.text if short else _sentence(line.text, match.start(), match.end())
            around = f"{around} {title} {_section_words(line.node)}"
            context = _context(page_words, around, in_team and short, bool(title))
            if context == "staff" and _not_staff(line.node):
                context = "mention"
            snip = snippet(" - ".join(p for p in (match.group(0), title) if p)) if short else around
            found.append(Mention(" ".join(match.group(0).split()), context, "text", title, "",
                                 snip, url))  # fmt: skip
    unique: dict[tuple[str, str, str], Mention] = {}
    for mention in found:
        unique.setdefault((mention.name.lower(), mention.source, mention.snippet), mention)
    return list(unique.values())
