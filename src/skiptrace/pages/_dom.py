"""Parsing once with lexbor, and the page's text as lines (one per block), bounded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from skiptrace.pages._model import story_type, words

MAX_HTML: Final = 2_000_000
"""Characters of HTML parsed; the rest of a longer page is dropped (and said so)."""
MAX_TEXT_NODES: Final = 60_000
"""Nodes visited when the page's text is read; a deeper or longer page is read this far."""
MAX_CLIMB: Final = 40

INLINE: Final = frozenset(
    words(
        "a abbr b bdi bdo cite code data dfn em font i kbd label mark q s samp small span "
        "strong sub sup time tt u var wbr "
    )
)
SKIP: Final = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
_CHARSET: Final = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([\w-]{2,30})""", re.I)
_SECTION_WORDS: Final = ("footer", "contact", "address", "location")


def decode(html: bytes | str, charset: str = "") -> str:
    """The page as text: bytes read with ``charset`` (a Content-Type's), else the charset the
    page declares, else UTF-8; a charset Python does not know or cannot read with, is passed
    over."""
    if isinstance(html, str):
        return html
    declared = _CHARSET.search(html[:4096])
    for encoding in (charset, declared.group(1).decode("ascii") if declared else ""):
        if encoding:
            try:
                return html.decode(encoding, errors="replace")
            except (LookupError, UnicodeError):  # not known, not text (base64), or a codec
                continue  # that cannot replace (idna, punycode, undefined)
    return html.decode("utf-8", errors="replace")


_UTF8: Final = frozenset({"utf-8", "utf8"})


def source(html: bytes | str) -> bytes | str:
    """What to parse and scan: the page's own bytes when they are UTF-8 (declared, or nothing
    declared) and short enough to be parsed whole (lexbor reads UTF-8 bytes directly, skipping a
    decode and re-encode, and ``in`` on bytes is faster than on a non-ASCII str); else the text
    ``decode`` gives."""
    if isinstance(html, bytes) and len(html) <= MAX_HTML:
        declared = _CHARSET.search(html[:4096])
        if declared is None or declared.group(1).decode("ascii").lower() in _UTF8:
            return html
    return decode(html)


def parse(text: bytes | str) -> tuple[LexborHTMLParser, list[str]]:
    """The parsed tree and what was cut to bound the work."""
    problems = []
    if len(text) > MAX_HTML:
        problems.append(f"truncated: page of {len(text):,} characters, first {MAX_HTML:,} read")
        text = text[:MAX_HTML]
    return LexborHTMLParser(text), problems


def plain_text(tree: LexborHTMLParser) -> str:
    """The body's visible text, a line break between text nodes (C speed; an inline element
    breaks a line too, so this is for a quick scan, and ``lines`` for reading). Removes
    scripts and styles from the tree: call it after the other extractors."""
    tree.strip_tags(list(SKIP))
    body = tree.body
    return body.text(separator="\n") if body is not None else ""


@dataclass
class Line:
    """A line of the page's visible text and the block element it came from."""

    text: str
    node: LexborNode | None
    marked: str = ""
    """``text`` with ``MEET`` where two of its text nodes meet (an inline element starts or
    ends): where a part of the line the page sets apart may end."""
    apart: str = ""
    """``text`` with ``MEET`` only where two elements standing directly in its block meet with
    none of the block's own words between them (a footer's "<span>The Old Mill</span>
    <span>Mill Lane</span>": parts its style may set as lines); never where an element meets
    the block's own words, as a word set in bold or linked inside a line does ("Unit 4
    <b>Riverside</b> Business Park")."""


MEET: Final = "\u2063"
"""Where two text nodes of a line meet, in ``Line.marked`` (INVISIBLE SEPARATOR: no blank)."""


Placed = tuple[LexborNode | None, int]
"""Where a text node stands (``_placed``): its line's block, and the element standing directly
in that block which holds it, by ``mem_id`` (0: the block itself)."""


def _placed(node: LexborNode, seen: dict[int, Placed]) -> Placed:
    """Where the text ``node`` stands: its nearest parent that is no inline element (the block
    its line belongs to), and the element directly in that block holding it. Each inline
    element is placed once a page (``seen``, by ``mem_id``): walking up from every text node
    cost time quadratic in the page's depth (20,000 words under 5,000 nested spans: 27 s)."""
    chain: list[LexborNode] = []
    element = node.parent
    while element is not None and element.tag in INLINE and element.mem_id not in seen:
        chain.append(element)
        element = element.parent
    if element is None:
        found: Placed = (None, 0)
    else:
        found = seen.get(element.mem_id, (element, 0))
    for inline in reversed(chain):  # from the one standing in the block inwards
        block, top = found
        found = seen[inline.mem_id] = (block, top or inline.mem_id)
    return found


def lines(tree: LexborHTMLParser) -> tuple[list[Line], bool]:
    """The body's visible text, one entry per block (a ``<br>`` also ends a line, and so does
    a block's end: "<h3>Name</h3><span>Title</span>" is two lines, and a line break in a
    ``<pre>``, which a browser shows as one); True when the page was longer than
    ``MAX_TEXT_NODES`` nodes and only read that far."""
    out: list[Line] = []
    body = tree.body or tree.root
    if body is None:
        return out, False
    parts: list[str] = []
    tops: list[int] = []  # for each of ``parts``, the element in the block holding it (0: none)
    block: LexborNode | None = body
    holder = 0  # the element the text in ``parts`` stands in, by its ``mem_id``
    placed: dict[int, Placed] = {}
    seen = 0
    for node in body.traverse(include_text=True):
        seen += 1
        if seen > MAX_TEXT_NODES:
            break
        tag = node.tag or ""
        if tag == "-text":
            parent = node.parent
            if parent is not None and parent.tag in SKIP:
                continue
            owner, top = _placed(node, placed)
            mark = owner.mem_id if owner is not None else 0  # ``==`` compares whole HTML
            if parts and mark != holder:  # the block the line was in has ended
                _flush(out, parts, tops, block)
                parts, tops, block = [], [], owner
            holder = mark if not parts else holder
            text = node.text_content or ""
            if owner is not None and owner.tag == "pre":  # its line breaks are the page's
                *ended, text = text.split("\n", MAX_TEXT_NODES)
                seen += len(ended)  # each a line, as a text node is: 2 MB of them bounded
                for piece in ended:
                    parts.append(piece)
                    tops.append(top)
                    _flush(out, parts, tops, block)
                    parts, tops, block = [], [], owner
            parts.append(text)
            tops.append(top)
            continue
        if tag in INLINE or tag.startswith("-"):
            continue
        _flush(out, parts, tops, block)
        parts, tops = [], []
        block = node
    _flush(out, parts, tops, block)
    return out, seen > MAX_TEXT_NODES


def _flush(out: list[Line], parts: list[str], tops: list[int], block: LexborNode | None) -> None:
    """``parts`` (held by the elements ``tops``) as one line of ``block``'s, unless they are
    blank."""
    joined = " ".join(_joined(parts).split())
    if joined:
        marked = " ".join(MEET.join(parts).split())
        out.append(Line(joined, block, marked, _in_elements(parts, tops)))


def _in_elements(parts: list[str], tops: list[int]) -> str:
    """``Line.apart`` for a line's text nodes ``parts`` held by ``tops``: a comma or a bar
    between two elements is none of the block's own words."""
    pieces = [""]
    held = 0  # the element the last piece is in, 0 when it has the block's own words
    for part, top in zip(parts, tops, strict=True):
        words = any(ch.isalnum() for ch in part)
        if top and held and top != held and words:
            pieces.append(part)
        else:
            pieces[-1] += part
        held = top if words else held
    return " ".join(MEET.join(pieces).split())


def _joined(parts: list[str]) -> str:
    """The text nodes of one line, as a browser shows them (inline elements add no blank: a
    drop cap's "<b>H</b>arbor", an ordinal's "12<sup>th</sup>"), but for a blank between two
    that no one writes as one word: a lower-case letter, a digit or a comma before a capital
    ("<span>3377 Broadway</span><span>Springfield, IL" is set as two lines by a footer's
    style, never the town "BroadwaySpringfield"), a letter, a digit or a comma before a
    digit ("<span>Flat 3</span><span>21 Baker St</span>" is no "Flat 321")."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        if text and part and two_words(text, part):
            text += " "
        text += part
    return text


def two_words(text: str, part: str) -> bool:
    """The text node ``part`` starts a word after ``text`` (``_apart``), but for a capital
    after a surname's particle ("Mc<span>Donald</span>"). A "c/o" run into the word before
    it is found by the address reader itself (``read_address.ADDRESSEE``)."""
    # the particle and the mark before it end ``text``: its last five characters hold them
    # (a line of 20,000 spans had been searched whole at each span's edge: 30 s)
    return _apart(text[-1], part[0]) and not (part[0].isupper() and PARTICLE.search(text[-5:]))


PARTICLE: Final = re.compile(r"(?:^|[\s'\u2019(-])(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|Van|Von)$")
"""A surname's particle a capital runs on from in one word ("Mc<span>Donald</span>",
"De<b>Luca</b>"): no blank goes between."""


def _apart(last: str, first: str) -> bool:
    """A text node ending in ``last`` and the next starting with ``first`` are two words."""
    if first.isupper():
        return last.islower() or last.isdigit() or last in ",;:)"
    return first.isdigit() and (last.isalnum() or last in ",;:)")


def text_start(node: LexborNode, limit: int) -> str:
    """The element's text as ``" ".join(node.text(separator=" ").split())`` starts, at least
    ``limit`` characters of it when it has them: read text node by text node, never whole (the
    whole text of each of 200 nested cards or links had been read for a 200-character snippet)."""
    words: list[str] = []
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            words += (child.text_content or "").split(maxsplit=limit)[:limit]
            if len(words) >= limit:
                break
    return " ".join(words)


def ancestors(node: LexborNode | None, limit: int = MAX_CLIMB) -> list[LexborNode]:
    """``node`` and its parents, nearest first, at most ``limit``."""
    out: list[LexborNode] = []
    while node is not None and len(out) < limit:
        out.append(node)
        node = node.parent
    return out


def marks(node: LexborNode) -> str:
    """The tag, id and class of an element, lower case, for context words."""
    attrs = node.attributes
    return f"{node.tag} {attrs.get('id') or ''} {attrs.get('class') or ''}".lower()


_STORY: Final = re.compile(
    r"(?<![a-z])(?<!pointer-)(?:news|type-post|events?|jobs?|careers?|vacanc(?:y|ies)|job-?postings?|blog|"
    r"case-?stud(?:y|ies)|testimonials?|reviews?|clients?|partners?|suppliers?|vendors?|"
    r"sponsors?|portfolio|projects?)(?![a-z])"
)
"""Words of an element's tag, id or class saying it is about something else than the business:
a news item, an event, a job posting, a case study, a client's, partner's or supplier's entry.
Not ``article`` or ``post`` alone: WordPress and Squarespace wrap a contact page's own text in
``<article class="post-12 page">`` (WordPress marks a post ``type-post``); not Tailwind's
``pointer-events-none``."""


def _story(element: LexborNode) -> str:
    """The word marking ``element`` as a story (its itemtype's name, or a word of ``_STORY``
    in its tag, id or class), '' if none. The page's only schema.org ``Article`` is no story
    by its type: a theme gives it to a page's own content (its contact page's too); a page
    of stories gives one to each, or a narrower type (``NewsArticle``, ``BlogPosting``)."""
    kind = _story_type(element)
    if kind and not (kind == "article" and _only_article(element)):
        return kind
    found = _STORY.search(marks(element))
    return found.group() if found else ""


def _only_article(element: LexborNode) -> bool:
    """No other element of the page is an ``Article``: it is the page's first, and there is no
    second. Asked for each address in an Article, so the page's Articles are listed only for
    its first one's (a page of thousands of Articles, listed for each, took seconds)."""
    top = element
    while top.parent is not None:
        top = top.parent
    first = top.css_first(_ARTICLE)
    return first is not None and first.mem_id == element.mem_id and len(top.css(_ARTICLE)) == 1


_ARTICLE: Final = '[itemtype$="/article" i], [itemtype$="/article/" i]'
"""schema.org's ``Article`` itself (not ``NewsArticle``), as ``_story_type`` reads it."""


def _story_type(element: LexborNode) -> str:
    """The story ``element``'s schema.org itemtype is (``story_type``), '' for none."""
    return story_type(
        (element.attributes.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    )


def block_of(node: LexborNode | None) -> str:
    """The block the element stands in: a story word when any element around it below
    ``<body>`` is a story (``_STORY``: an article's footer, a venue's ``<address>``, a job's
    location are the story's), else the nearest ``footer``, ``contact``, ``address`` or
    ``location`` (by tag, id or class, the body's too); '' for neither. The body's classes
    name the page's template ("single-post", "events-archive"), not where the footer is, and
    so do those of a part of the page's own layout (``_page_part``) or of any element around
    the page's own ``<footer>`` (``_page_footer``)."""
    own = ""
    for element in ancestors(node, 12):
        if _page_footer(element):
            return "footer"
        story = _story(element) if element.tag not in ("body", "html") else ""
        if story and not _page_part(element):
            return story
        marked = marks(element)
        own = own or next((word for word in _SECTION_WORDS if word in marked), "")
    return own


_SECTIONING: Final = frozenset({"article", "aside", "nav", "section"})


def _page_footer(element: LexborNode) -> bool:
    """The page's own ``<footer>`` (or ``role="contentinfo"``): no article, aside, nav or
    section holds it, nor a schema.org story, so HTML gives it to the body, whatever classes
    a theme's wrappers around it carry ("site projects-theme")."""
    if element.tag != "footer" and element.attributes.get("role") != "contentinfo":
        return False
    return not any(
        above.tag in _SECTIONING or _story_type(above) for above in ancestors(element.parent)
    )


def _page_part(element: LexborNode) -> bool:
    """The element is a part of the page's own layout, whatever story word its classes carry
    (a theme's or template's name: "Partners", "Apex Projects"): a wrapper holding the page,
    its main region, or a part of its footer ("footer-widgets partners"). A story is an item
    such a part holds."""
    return _holds_page(element) or _main_region(element) or _footer_part(element)


def _footer_part(element: LexborNode) -> bool:
    """A class or id of the element names a part of the footer and no story: "footer-widgets"
    in "footer-widgets partners" (the theme's name beside it), not "footer-partners" or
    "footer-clients", a block of others' cards the footer holds."""
    return any(_FOOTER.search(name) and not _STORY.search(name) for name in _names(element).split())


def _holds_page(element: LexborNode) -> bool:
    """The element wraps the page itself (its ``<main>`` is in it, or a child is its
    ``<nav>``): a theme's or template's wrapper, not a story."""
    return element.css_first("main, [role=main]") is not None or any(
        child.tag == "nav" or child.attributes.get("role") == "navigation"
        for child in element.iter()
    )


def _main_region(element: LexborNode) -> bool:
    """The page's main region: its ``<main>`` (or ``role="main"``), or an element named main
    by its last word ("site-main", "apex-projects-main") where no ``<main>`` holds it (in one,
    "case-study-main" is a story's)."""
    if _is_main(element):
        return True
    named = _MAIN.search(_names(element)) is not None
    return named and not any(_is_main(above) for above in ancestors(element.parent))


def _is_main(element: LexborNode) -> bool:
    return element.tag == "main" or element.attributes.get("role") == "main"


_MAIN: Final = re.compile(r"(?<![a-z])main(?![\w-])")
"""A class or id whose last word is main."""
_FOOTER: Final = re.compile(r"(?<![a-z])footer(?![a-z])")


def _names(element: LexborNode) -> str:
    """The element's id and class, lower case."""
    attrs = element.attributes
    return f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
