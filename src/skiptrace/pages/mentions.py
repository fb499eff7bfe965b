"""Confirming a named person on a page, never collecting anyone else.

Only the name variants the caller gives are looked for. A hit keeps the name as written, a job
title found beside it (the same card, or the JSON-LD Person / h-card), the organisation said
beside that title (a Person's ``worksFor``, an h-card's org, "at Acme Supply" after a title), the
context (``staff``, ``mention`` or ``obituary``) and a snippet that is her name as written and
that title, never the sentence around it. Other people's names on the page are never read into
the result, but for the organisation a page says she works for.

``mentions`` parses the page and reads its JSON-LD people, its h-cards and its lines in turn,
giving each hit its context. Her name on the lines and the title beside it are found by
``name_on_lines``, what a title is by ``job_titles``, and whether a hit is a staff entry by
``staff_entries``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from skiptrace.net.written import WORD, folded, words_of
from skiptrace.normalize.names import is_honorific
from skiptrace.pages import _dom, _head, hcard, jsonld, schema
from skiptrace.pages._model import Mention, snippet
from skiptrace.pages.job_titles import CREDENTIALS, NAME_WORD, job_title, role_word, title_word
from skiptrace.pages.name_on_lines import (
    DEATH_MARK,
    Near,
    as_kept,
    longer_name,
    may_name,
    name_pattern,
    someone_above,
    suffix_below,
    title_near,
    whole_entry,
)
from skiptrace.pages.staff_entries import (
    POSSESSIVE,
    headings_before,
    kin,
    no_card_entry,
    no_entry,
    not_staff,
    staff_marked,
    staff_url,
)

MAX_HITS: Final = 200
"""Hits read per page: a page repeating the name is no more evidence after that."""
_OBITUARY: Final = re.compile(
    r"obituar|in memoriam|in loving memory|passed away|survived by|rest in peace|funeral|"
    r"celebration of life|memorial service|predeceased|\bremember(?:s|ed|ing)?\b|\bin memory\b",
    re.I,
)
"""Words that make a page, a section or the hit's own lines a memorial, whoever they name (a
heading "In memory" or "Forever remembered" too). A death said in plain words ("died") is
hers only after her name (``DEATH_MARK``): "Our water heater died" is a customer's quote."""
_THE_LATE: Final = re.compile(r"\bthe late\s+$", re.I)
"""Before a name (a title between passed over): "the late Dana Whitfield", hers only."""


def _page_words(url: str, title: str, business: str) -> str:
    """What a memorial's words are read in for the whole page: its path and its title, never
    its host nor a word of ``business``, the site's own name. A funeral home's name and domain
    ("Oakwood Funeral Home", oakwoodfuneralhome.com) say what it does, not that anyone on its
    pages died: every person on every page of its site had been an obituary. Nor a job title
    in its title ("Our Funeral Directors | Oakwood", ``_without_titles``): it says what the
    staff do, as her own title does beside her name (``_context``)."""
    try:
        path = urlsplit(url).path
    except ValueError:  # "http://[::1": no path anyone can read
        path = ""
    own = words_of(business)
    said = f"{path} {_without_titles(title)}"
    return WORD.sub(lambda word: " " if folded(word[0]) in own else word[0], said)


_JOINED: Final = re.compile(r"[\s-]*")
"""What may stand between two words of one title: spaces or a hyphen ("Co-Owner")."""


def _without_titles(text: str) -> str:
    """``text`` with each job title in it blanked: a run of title words holding a role word,
    a plural one too ("Funeral Directors"). A memorial's words around it stay ("In Memory of
    Our Funeral Director"), and so does "Funeral" with no job ("Funeral Arrangements")."""
    runs: list[list[re.Match[str]]] = [[]]
    for word in WORD.finditer(text):
        if not (title_word(word[0]) or _role(word[0])):
            runs.append([])
        elif runs[-1] and _JOINED.fullmatch(text, runs[-1][-1].end(), word.start()):
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in reversed(runs):
        if any(_role(word[0]) for word in run):
            text = f"{text[: run[0].start()]} {text[run[-1].end() :]}"
    return text


def _role(word: str) -> bool:
    """A role word, or its plural ("Directors", "Attorneys")."""
    return role_word(word) or role_word(word.removesuffix("s"))


def _section_words(node: LexborNode | None) -> str:
    """The text of the hit's card (when short) and the heading just before each of the hit's
    enclosing elements: what says whether a section is a memorial."""
    out: list[str] = []
    if node is not None and node.parent is not None and node.parent.tag not in ("body", "html"):
        card = node.parent.text(separator=" ")
        if len(card) <= 400:
            out.append(card)
    return " ".join([*out, *headings_before(node)])


def _context(page_words: str, around: str, in_team: bool, titled: bool, job: str = "") -> str:
    """``job``: her title, whose words say what she does, never that anyone died: a funeral
    director's "Funeral Director" had made her an obituary. So do the titles around her
    (``_without_titles``): a colleague's "Funeral Director" in her list had made everyone on
    a funeral home's staff page one."""
    if job.strip():
        around = re.sub(r"\s+".join(map(re.escape, job.split())), " ", around, flags=re.I)
    around = _without_titles(around)
    if _OBITUARY.search(around) or _OBITUARY.search(page_words):
        return "obituary"
    return "staff" if in_team or titled else "mention"


def _marked_dead(pattern: re.Pattern[str], texts: Sequence[str]) -> bool:
    """In one of ``texts`` (her line, her card, the page's title), a death mark is hers: it
    follows her name with only her title, dates and small words between ("Dana Whitfield
    (b. 1948 - d. 2019)", "Dana Whitfield - Founder, RIP"), or "the late" comes before it.
    One after another name or a relative between is that person's ("his grandmother, Nonna
    Sofia Bellini (1931-2019)", "Dana Whitfield, whose husband died in 2019")."""
    for text in texts:
        for match in itertools.islice(pattern.finditer(text), MAX_HITS):
            if _late_before(text[max(0, match.start() - 80) : match.start()]):
                return True
            mark = DEATH_MARK.search(text, match.end(), match.end() + 80)
            between = text[match.end() : mark.start()] if mark is not None else ""
            if mark is not None and not _names_another(between) and not _kin(between):
                return True
    return False


def _kin(between: str) -> bool:
    """A relative is named between ("whose husband", "her late father's"): a death after it
    is theirs."""
    return any(
        kin(word.replace("\u2019", "'").removesuffix("'s")) for word in NAME_WORD.findall(between)
    )


def _late_before(before: str) -> bool:
    """``before`` ends in "the late", then only title words ("the late founder")."""
    kept = before.split()
    while kept and title_word(kept[-1]):
        kept.pop()
    return _THE_LATE.search(" ".join(kept) + " ") is not None


def _names_another(between: str) -> bool:
    """A capitalised word that is no title word nor credential: another's name may be here."""
    return any(
        word[:1].isupper() and not title_word(word) and word.lower().rstrip(".") not in CREDENTIALS
        for word in NAME_WORD.findall(between)
    )


def _named(pattern: re.Pattern[str], name: str) -> str:
    """``name`` (a card's or a Person's whole name) when it is one of the caller's, the
    honorifics before it dropped ("Rev. Dr. Alan Whitcomb" is Alan Whitcomb); else ""."""
    parts = name.split()
    while not pattern.fullmatch(" ".join(parts)):
        if len(parts) < 3 or not is_honorific(parts[0].lower().rstrip(".")):
            return ""
        parts.pop(0)
    return as_kept(" ".join(parts))


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


def mentions(
    html: bytes | str,
    url: str,
    names: Sequence[str],
    *,
    any_initial: bool = False,
    business: str = "",
) -> list[Mention]:
    """Where any of ``names`` (the caller's variants of one person's name) appears on the page:
    the name as written, an adjacent job title, the context and a snippet (``_said``).
    ``any_initial``: a two-word name may be written with one middle initial (for a caller who
    knows no middle name; one who knows it gives its variants, and another initial is another
    person). ``business``: the site's own name, whose words never make a page a memorial
    (``_page_words``)."""
    pattern = name_pattern(names, any_initial)
    if pattern is None:
        return []
    text = _dom.decode(html)
    if not may_name(text, pattern, names):
        return []
    tree, _ = _dom.parse(text)
    head = _head.from_tree(tree)
    page_words = _page_words(url, head.title, business)  # searched a hit each: the title cut
    # to 300 characters
    dead_title = _marked_dead(pattern, [head.title])
    found: list[Mention] = []
    if head.scripts:
        people = schema.extract(jsonld.load_all(head.scripts, []), "jsonld").people
        for person in people:
            if len(found) < MAX_HITS and (name := _named(pattern, person.name)):
                staff = person.placed and bool(person.job_title or person.works_for)
                job = job_title(person.job_title)
                said = _context(page_words, person.job_title, staff, staff, job)
                marked = DEATH_MARK.search(person.job_title) is not None
                context = "obituary" if person.died or dead_title or marked else said
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
                marked = DEATH_MARK.search(card.job_title) is not None
                dead = dead_title or marked or _marked_dead(pattern, (own, section))
                context = "obituary" if dead else _context(page_words, around, True, True, job)
                if context == "staff" and no_card_entry(card.node, card.job_title):
                    context = "mention"
                found.append(Mention(name, context, "hcard", job, org, _said(name, job), url))
    lines, _ = _dom.lines(tree)
    on_staff_page = staff_url(url)
    for i, line in enumerate(lines):
        for match in itertools.islice(pattern.finditer(line.text), max(0, MAX_HITS - len(found))):
            if "," in match.group(0) and not whole_entry(line.text, match):
                continue  # "Last, First" only as a line or cell of its own, never inside a list
            if (
                longer_name(line.text, match)
                or suffix_below(lines, i, match, names)
                or someone_above(lines, i, match)
            ):
                continue  # "Mary Dana Whitfield", "Dana Whitfield Lane": someone, somewhere else
            in_team = on_staff_page or staff_marked(line.node)
            short = len(line.text) <= len(match.group(0)) + 80
            title, role, org, said = (
                title_near(lines, i, line.text[: match.start()], line.text[match.end() :])
                if short
                else Near("", False)
            )
            around = line.text if short else _sentence(line.text, match.start(), match.end())
            section = _section_words(line.node)
            dead = dead_title or _marked_dead(pattern, (around, section))
            around = f"{around} {title} {section}"
            context = (
                "obituary" if dead else _context(page_words, around, in_team and short, role, title)
            )
            if context == "staff" and (
                not_staff(line.node, title)
                or line.text[match.end() : match.end() + 2] in POSSESSIVE
                or no_entry(line, match, short, title, said)
            ):
                context = "mention"  # "Dana Whitfield's son, our Lead Technician": not hers
            name = as_kept(match.group(0))
            found.append(Mention(name, context, "text", title, org, _said(name, title), url))
    unique: dict[tuple[str, ...], Mention] = {}
    for mention in found:  # snippets alike (her name alone): her memorial stays beside her line
        key = (mention.name.lower(), mention.source, mention.snippet, mention.context,
               mention.employer)  # fmt: skip
        unique.setdefault(key, mention)
    return list(unique.values())
