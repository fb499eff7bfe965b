"""Whether a web page is a business's own site, by what the page says of itself: the names it
gives itself (its title's parts, ``og:site_name``, a schema.org organisation, its copyright
notice's holder) against the employer's name, and whether it says its domain is for sale or
calls itself a review site's page on the business. No I/O: a connector reads the page
(``read_page``) and asks. Search-result snippets are never evidence; only the page is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from html import unescape
from typing import Final

import rapidfuzz
from rapidfuzz.distance.OSA import distance

from skiptrace.normalize import normalize_company
from skiptrace.normalize._text import to_ascii
from skiptrace.pages._model import Page

NAME_AGREES = 88
"""rapidfuzz token_sort_ratio (0-100) at which a site's name is the employer's."""
_TITLE_SPLIT: Final = re.compile(r"\s+[|\u2013\u2014\u00b7:-]\s+|\s*[|\u00b7]\s*")
_TAG: Final = re.compile(r"<[^>]{0,500}>")


def title_parts(title: str) -> list[str]:
    """The parts of a page's title ("Harbor Lane Plumbing | Springfield"), each as written."""
    return [p for p in (" ".join(x.split()) for x in _TITLE_SPLIT.split(title)) if p]


_ENCLOSED: Final = str.maketrans(
    {chr(first + k): chr(ord("A") + k) for first in (0x1F150, 0x1F170, 0x1F1E6) for k in range(26)}
)
"""Enclosed letters NFKC leaves as symbols: negative circled and negative squared letters,
regional indicators."""


def site_words(name: str) -> str:
    """``name`` as a site's name is compared and written: in NFKC (circled, squared,
    parenthesised, full-width and mathematical letters are letters) with the enclosed letters
    NFKC leaves (``_ENCLOSED``) as letters, and of the rest only letters, digits, punctuation,
    blanks and ASCII kept. A symbol (braille, an emoji), a mark on no letter or an invisible
    character is no part of the name compared and may spell a person's ("Acme Plumbing
    🅼🅰🆁🅲🆄🆂"), so it is not written either."""
    text = unicodedata.normalize("NFKC", name).translate(_ENCLOSED)
    kept = (c if c.isascii() or unicodedata.category(c)[0] in "LNPZ" else " " for c in text)
    return " ".join("".join(kept).split())


def _unread(name: str) -> bool:
    """``name`` (``site_words``) holds a letter or digit the comparison cannot read (another
    script's: "Acme Plumbing Маркус"): a word more, which may be
    a person's name."""
    return any(c.isalnum() and not to_ascii(c) for c in name if not c.isascii())


def _read_in_part(name: str) -> bool:
    """The comparison reads only a part of ``name``: the legal name before a "d/b/a",
    "a.k.a.", "f.k.a." or "formerly known as" (whatever the normaliser ends a legal name at),
    so a word put after the name is not read either. What follows is a name more, another
    business's or a person's ("Acme Plumbing dba Marcus Oyelaran")."""
    return normalize_company(f"{name} zz") == normalize_company(name)


def name_score(name: str, wanted: str) -> float:
    """``name`` (as the site writes it) against ``wanted`` (normalised): a close spelling of the
    whole name once both lose their legal suffixes (LLC, Inc...)."""
    have = normalize_company(site_words(name))
    if not have or not wanted:
        return 0.0
    return float(rapidfuzz.fuzz.token_sort_ratio(have, wanted))


def is_named(name: str, wanted: str) -> bool:
    """``name`` is the employer's (``wanted``, normalised): a close spelling of it
    (``name_score``) without a word more. A name with extra words ("Harbor Lane Plumbing owner
    arrested", the supply house "Harbor Lane Plumbing & Heating Supply", a branch "...
    Associates West") is not the employer's, however well a long name's spelling scores, nor
    is one with another word (``_words_agree``); the employer's words written apart ("Harbor
    Lane" for "Harborlane") are no more words, and letters the comparison cannot read are
    (``_unread``), and so is a part after a "d/b/a" (``_read_in_part``)."""
    name = site_words(name)
    if _unread(name) or _read_in_part(name) or name_score(name, wanted) < NAME_AGREES:
        return False
    words = [w for w in normalize_company(name).split() if w not in DESIGNATIONS]
    theirs = [w for w in wanted.split() if w not in DESIGNATIONS]
    if "".join(words) == "".join(theirs):
        return True
    return len(words) <= len(theirs) and _words_agree(words, theirs)


def _words_agree(words: list[str], theirs: list[str]) -> bool:
    """Each of the site's words that is none of the employer's is a misspelling or a short
    form of one of them (``_word_agrees``): a name another word makes is another business's
    ("Eastside Dental" for "Westside Dental", "A2 Plumbing" for "A1 Plumbing", "Harbor Lake
    Plumbing" for "Harbor Lane Plumbing"), however close the whole names' spellings."""
    left = list(theirs)
    for word in words:
        if word in left:
            left.remove(word)
    for word in [w for w in words if w not in theirs]:
        like = [other for other in left if _word_agrees(word, other)]
        if not like:
            return False
        left.remove(min(like, key=lambda other: distance(word, other)))
    return True


TYPO_LENGTH = 5
"""The shortest word one edit may misspell: "Johnston" for "Johnson", "Allan" for "Allen",
"Centre" for "Center" (a swap of two letters is one edit); "Lake" is not "Lane", nor "East"
"West", and "Eastside" is two edits from "Westside"."""


def _word_agrees(word: str, other: str) -> bool:
    """``word`` is ``other`` with one typo (``TYPO_LENGTH``), or a short form of it ("St"
    for "Saint", "Ctr" for "Center", "Bros" for "Brothers": its letters in order, the first
    the same), with the same digits."""
    if _DIGITS.findall(word) != _DIGITS.findall(other):
        return False
    if max(len(word), len(other)) >= TYPO_LENGTH and distance(word, other) <= 1:
        return True
    short, long = sorted((word, other), key=len)
    return len(short) >= 2 and short[0] == long[0] and _in_order(short, long)


_DIGITS: Final = re.compile(r"\d+")


def _in_order(short: str, long: str) -> bool:
    """Every letter of ``short`` is in ``long``, in order."""
    rest = iter(long)
    return all(letter in rest for letter in short)


DESIGNATIONS: Final = frozenset({"dds", "dmd", "md", "dvm", "od", "cpa", "esq", "rn", "phd",
                                  "cfp"})  # fmt: skip
"""A practice's professional designation ("Springfield Dental, DDS"): no word of its name
(not "PA" or "DC", which may name a state, a branch's)."""


def part_of(name: str, wanted: str) -> bool:
    """Every word of ``name`` (normalised) is a word of ``wanted``: a short form of it; or
    ``name`` is a domain that is ``wanted`` as one word (``_named_by_domain``)."""
    name = site_words(name)
    if _unread(name):
        return False
    words = normalize_company(name).split()
    return (bool(words) and set(words) <= set(wanted.split())) or _named_by_domain(name, wanted)


_DOMAIN_NAME = re.compile(r"(?:www\.)?([a-z0-9-]+)(?:\.[a-z0-9-]+)+", re.IGNORECASE)


def _named_by_domain(name: str, wanted: str) -> bool:
    """A site that names itself by its domain ("HarborLanePlumbing.com"), read as a search
    result's host is (``_result_score``): the employer's name with its spaces dropped."""
    found = _DOMAIN_NAME.fullmatch(name.strip())
    if not found:
        return False
    label = _ordinals_spelt(found.group(1).replace("-", "").lower())
    squashed = _ordinals_spelt(wanted.replace(" ", ""))
    same_digits = _DIGITS.findall(label) == _DIGITS.findall(squashed)
    return same_digits and rapidfuzz.fuzz.ratio(label, squashed) >= NAME_AGREES


def _ordinals_spelt(text: str) -> str:
    """``text`` with an ordinal in digits written as its word ("1stchoice" -> "firstchoice"):
    a domain may write either."""
    return _ORDINAL.sub(lambda found: _ORDINALS[found.group().lower()], text)


_ORDINALS: Final = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth",
                    "5th": "fifth", "6th": "sixth", "7th": "seventh", "8th": "eighth",
                    "9th": "ninth", "10th": "tenth"}  # fmt: skip
_ORDINAL: Final = re.compile(r"(?<!\d)(?:10th|1st|2nd|3rd|[4-9]th)", re.IGNORECASE)


_FOR_SALE: Final = re.compile(
    r"\b(?:(?:this|the)\s+(?:domain(?:\s+name)?|web\s?site|web\s?page)"
    r"(?:\s+[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,4})?|domain(?:\s+name)?"
    r"|[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,3}\.[a-z]{2,24})"
    r"\s+(?:is\s+|may\s+be\s+)?(?:(?:now|currently)\s+)?"
    r"(?:(?:(?:listed|available)\s+)?for\s+sale|parked|available\s+for\s+purchase)\b(?!\s+(?:prices?|items?|listings?|"
    r"inventory|inquir(?:y|ies)|deals?|specials?|signs?|section|events?)\b)"
    r"|\b(?:buy|make\s+an\s+offer\s+on)\s+this\s+domain\b",
    re.IGNORECASE,
)
"""What a parked or for-sale domain's page says of itself ("This domain may be for sale",
"HarborLanePlumbing.com is for sale", "... is available for sale", "... is listed for sale",
"Make an offer on this domain", "... is parked free"): of
the domain or the website, never of what a business sells ("Used Cars for Sale", "this site is
for sale, 2 acres", "Shop HarborLaneTireSale.com for sale prices")."""


def for_sale(title: str, html: bytes) -> bool:
    """The page says its domain is for sale or parked, in its title or its first 500 KB of text
    (scripts included: a parking page may write its text from one). Whatever it names, it is
    no business's site now: a lapsed business's footer, or its name as the parking page's
    keywords, are left over or bait."""
    text = unescape(_TAG.sub(" ", html[:500_000].decode("utf-8", "replace")))
    return any(_says_for_sale(said) for said in (title, text))


_SALE_WORDS: Final = re.compile(r"for\s+sale|parked|for\s+purchase|this\s+domain", re.IGNORECASE)
_SALE_REACH = 160
"""How far before its sale words ``_FOR_SALE`` is looked for: a sentence's subject."""
_SALE_NOUN = 24
"""How far after them: the noun "for sale" may modify ("for sale prices")."""


def _says_for_sale(text: str) -> bool:
    """``_FOR_SALE`` in ``text``, tried only just before each of its first 50 sale words: run
    from every position of a page, its domain alternative took 25 ms on a 250 KB page and 3 s
    on 500 KB of "a-a-a-..."."""
    for _, found in zip(range(50), _SALE_WORDS.finditer(text), strict=False):
        start = max(0, found.start() - _SALE_REACH)
        said = _FOR_SALE.finditer(text, start, found.end() + _SALE_NOUN)
        if any(not _OBJECT.search(text, max(0, s.start() - 16), s.start()) for s in said):
            return True
    return False


_OBJECT: Final = re.compile(r"(?:\b(?:on|at|in|from|of|via|through)\s+|@)$", re.IGNORECASE)
"""What makes the domain or website named after it a place where things are sold, not what
is for sale: "artwork on this website is available for purchase", "everything at
harborlanetiresale.com is for sale", "e-mail boats@harborlanemarine.com for sale listings"."""


_ABOUT_IT: Final = re.compile(r"(?:customer\s+|consumer\s+)?(?:reviews?|ratings?|complaints?)\b",
                              re.IGNORECASE)  # fmt: skip
"""A title part that says the page is others' opinions of the business its other part names
("Harbor Lane Plumbing - Reviews", "... | Reviews, Photos & Hours", "... | Ratings and
Complaints"): a review site's page, not the business's own. A part that only cites them ("500+
Five-Star Reviews", "Read Our Reviews") is the business's own boast."""


def _a_review(parts: Sequence[str], wanted: str) -> bool:
    """A part of the title, other than the employer's name, calls the page its reviews
    (``_reviews_part``)."""
    return any(_reviews_part(part) and not is_named(part, wanted) for part in parts)


def _reviews_part(part: str) -> bool:
    """``part`` starts with a review word (``_ABOUT_IT``) and goes on only with what a
    listing shows ("Reviews, Photos & Hours", "Ratings and Complaints"), up to where it
    names a place or the business ("in Springfield, IL", "for Harbor Lane Plumbing"): not a
    slogan or the business's offers ("Reviews You Can Trust", "Reviews, Coupons & Service")."""
    found = _ABOUT_IT.match(part)
    if found is None:
        return False
    said = re.findall(r"[a-z0-9]+", part[found.end() :].lower())
    cut = next((k for k, word in enumerate(said) if word in _NAMING), len(said))
    return all(word in _LISTING or word.isdigit() for word in said[:cut])


_NAMING: Final = frozenset({"in", "near", "for", "of", "at", "on"})
_LISTING: Final = frozenset({
    "and", "photos", "photo", "pictures", "hours", "directions", "map", "menu", "phone",
    "number", "address", "contact", "info", "information", "reviews", "review", "ratings",
    "rating", "complaints", "complaint", "customer", "consumer", "prices", "updated",
})  # fmt: skip
"""The words a review site's title gives its page on a business beside "Reviews"."""


def agreeing_name(page: Page, employer: str) -> str:
    """The site's name for itself if it is the employer's (schema.org Organization name,
    og:site_name, a part of the title, or its copyright notice's holder), as compared
    (``site_words``), else "". A page
    naming several businesses is a directory's, not one's own site: its organisations count only
    if there is one name among them, and its title only if it has at most two parts ("Harbor
    Lane Plumbing | Springfield", not "Plumbers Directory | Harbor Lane Plumbing | Acme
    Plumbing | Bob's Drains"), and only if the names the page gives itself (og:site_name, an
    organisation) are none, or each a part of the employer's ("Harbor Lane", or its domain
    "HarborLanePlumbing.com"): a directory's page on the employer is titled with the
    employer's name and named by the directory. An organisation named by its legal name only
    (``Organisation.legal``) counts only when that is the employer's. A page whose title calls it
    the business's reviews (``_a_review``) is a review site's, whatever its markup says: such a
    site marks the business up as its own site does. Nor does its markup (organisations, site
    name) name it when its footer and its title or site name name another business
    (``_named_otherwise``)."""
    wanted = normalize_company(employer)
    parts = title_parts(page.title)
    if _a_review(parts, wanted):
        return ""
    named = [o.name for o in page.organisations if o.name and o.source != "hcard"
             and (not o.legal or is_named(o.name, wanted))]  # fmt: skip
    site_name = page.site_name
    distinct = {normalize_company(name) for name in named}
    if len(distinct) > 1:  # a site name taken from one of them is no better
        named = []
        site_name = "" if normalize_company(site_name) in distinct else site_name
    own = [name for name in (*named, site_name) if name]
    titled = len(parts) <= 2 and all(part_of(name, wanted) for name in own)
    # what its markup says unless the page names itself otherwise, twice
    copied = _named_otherwise(page.copyright, [*parts, site_name], wanted)
    markup = [] if copied else [*named, site_name]
    for claim in [*markup, *(parts if titled else ())]:
        if claim and is_named(claim, wanted):
            chosen = named[0] if markup and named and is_named(named[0], wanted) else claim
            return site_words(chosen)
    # the copyright notice (of the page's own footer) unless the page names itself otherwise,
    # by og:site_name or a schema.org organisation: a title may be a slogan
    unnamed = not site_name and not named
    if unnamed and page.copyright and is_named(page.copyright, wanted):
        return site_words(page.copyright)
    return ""


def _named_otherwise(holder: str, names: Sequence[str], wanted: str) -> bool:
    """The page's copyright notice's ``holder`` is a business other than the employer
    (``wanted``, normalised) and a short form of it, and one of the page's other ``names`` for
    itself (its title's parts, its site name) is that business too: the page is its, whatever
    an organisation in its markup says. Themes and web agencies copy their JSON-LD from one
    client's site to the next, and a listing site marks up the business it lists. Either name
    alone may be the business's legal entity (in its footer), or a slogan (a title, or a site
    name and title both set to one)."""
    if not holder or is_named(holder, wanted) or part_of(holder, wanted):
        return False
    return any(_one_business(name, holder) for name in names if name)


def _one_business(name: str, other: str) -> bool:
    """``name`` and ``other`` are one business's name, however either writes its suffix."""
    return is_named(name, normalize_company(other)) or is_named(other, normalize_company(name))
