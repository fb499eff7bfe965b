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

from skiptrace.pages import _dom, hcard, schema
from skiptrace.pages._model import Mention, snippet

MAX_VARIANTS: Final = 50
_OBITUARY: Final = re.compile(
    r"obituar|in memoriam|in loving memory|passed away|survived by|rest in peace|funeral|"
    r"celebration of life|memorial service|predeceased",
    re.I,
)
_STAFF_MARKS: Final = re.compile(
    r"team|staff|people|member|employee|leadership|bio|person|profile|directory|our-", re.I
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
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I)


def _title_near(lines: list[_dom.Line], i: int, name_end: str) -> str:
    """A job title in the hit's own line after the name, or the line just after or before it in
    the same card."""
    rest = name_end.strip(" ,-\u2013\u2014|:")
    if rest and len(rest) <= 80 and _TITLE_WORDS.search(rest):
        return rest
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
            ):
                return text
    return ""


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
        from skiptrace.pages import jsonld_values  # the package's own loader

        people = schema.extract(jsonld_values(tree, []), "jsonld").people
        for person in people:
            if pattern.fullmatch(person.name.strip()):
                staff = bool(person.job_title or person.works_for)
                context = _context(page_words, "", staff, staff)
                snip = snippet(
                    " - ".join(p for p in (person.name, person.job_title, person.works_for) if p)
                )
                found.append(Mention(person.name, context, "jsonld", person.job_title,
                                     person.works_for, snip, url))  # fmt: skip
    if hcard.has_markup(text):
        for card in hcard.extract(tree).people:
            if pattern.fullmatch(card.name.strip()):
                snip = snippet(" - ".join(p for p in (card.name, card.job_title, card.org) if p))
                found.append(Mention(card.name, _context(page_words, "", True, True), "hcard",
                                     card.job_title, card.org, snip, url))  # fmt: skip
    lines, _ = _dom.lines(tree)
    for i, line in enumerate(lines):
        for match in pattern.finditer(line.text):
            in_team = any(_STAFF_MARKS.search(_dom.marks(a)) for a in _dom.ancestors(line.node, 8))
            in_team = in_team or bool(_STAFF_MARKS.search(url.lower()))
            short = len(line.text) <= len(match.group(0)) + 80
            title = _title_near(lines, i, line.text[match.end() :]) if short else ""
            around = line.text if short else _sentence(line.text, match.start(), match.end())
            context = _context(page_words, around, in_team and short, bool(title))
            snip = snippet(" - ".join(p for p in (match.group(0), title) if p)) if short else around
            found.append(Mention(" ".join(match.group(0).split()), context, "text", title, "",
                                 snip, url))  # fmt: skip
    unique: dict[tuple[str, str, str], Mention] = {}
    for mention in found:
        unique.setdefault((mention.name.lower(), mention.source, mention.snippet), mention)
    return list(unique.values())
