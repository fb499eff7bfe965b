"""Person names: one canonical, comparable form for "ROE, JANE Q", "Jane Q. Roe" and "jane q roe".

Parsing is two-staged so that the result is idempotent by construction:

1. Structure. Raw text goes through ``nameparser.HumanName``, which knows "last, first" order,
   honorifics, suffixes and quoted nicknames. Its parts are only used to *order* the tokens
   (given names, surname, suffixes) and to drop titles, nicknames and maiden names.
2. Assignment. The ordered, folded tokens are split into fields by a small deterministic rule
   (see ``_assign``). Text that is already canonical (lowercase ASCII words, single spaces,
   which is exactly what ``PersonName.full()`` emits) skips stage 1, so
   ``parse_name(p.full()) == p`` for every ``p`` this module returns.

Choices on ambiguous input (documented because the matcher depends on them):

- A single remaining token is a surname: ``parse_name("Madonna") == PersonName(last="madonna")``.
  Registries index by surname, and a lone token is most often one ("SMITH").
- Only particle-led surnames stay multi-word ("van der berg", "de la cruz", "st john"). A
  multi-word surname without a particle ("ROE SMITH, JANE") becomes middle + last
  ("jane", "roe", "smith"): the canonical string "jane roe smith" could not otherwise be
  parsed back to the same fields. Hyphenated surnames stay one token ("smith-jones").
- Apostrophes are removed inside words ("O'Brien" -> "obrien"), periods split words
  ("Q." -> "q", "J.R." -> "j r"), diacritics are stripped ("Núñez" -> "nunez") and letters
  with no ASCII form (CJK, emoji) are dropped.
- Suffixes are normalised to jr, sr, ii, iii, iv, esq; credentials (PhD, M.D., CPA) are
  dropped, dotted or not; a single-letter "suffix" from nameparser ("SMITH, JOHN V") is kept
  as a middle initial, since registry "LAST, FIRST MI" rows mean that far more often than
  "the fifth"; a given name after a generation ("SMITH, JR JOHN") is the given name. The old
  abbreviations "2d", "3d", "Junr", "Senr", and "Jun." and "Sen." with their period after
  two other words, are generations too ("Kim Jun" and "Amartya Sen" are names).
  A generation printed between the names ("SMITH JR JOHN") is the suffix too, never a middle
  name.
- A generation after "LAST," ("SMITH, SR JOHN", "SMITH, 2ND JOHN"), which nameparser reads
  as a title (Senor, 2nd Lt), is the suffix: a father's record is not a plain namesake's (a
  "SMITH, SR MARY" who is a Sister reads as a Senior: the rarer case in US registers).
- A legal form after a comma ("John Smith, LLC", "SMITH, JOHN, INC.") is kept as the last
  word, as "John Smith LLC" is: a firm named after a person is not that person.
- Honorifics and titles are dropped; lowercase canonical-looking input only drops the common
  ones (mr, mrs, ms, dr, prof, ...), and only when another word follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from nameparser import HumanName
from nameparser.config import CONSTANTS
from nameparser.config.maiden_markers import MAIDEN_MARKERS

from skiptrace.normalize._text import to_ascii
from skiptrace.normalize.companies import legal_form

__all__ = ["PersonName", "canonical_first", "normalize_name", "parse_name"]


@dataclass(frozen=True)
class PersonName:
    """A parsed person name; every field is lowercase ASCII words separated by single spaces."""

    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""

    def full(self) -> str:
        """``first middle last suffix`` with empty parts dropped: the canonical one-line form."""
        return " ".join(p for p in (self.first, self.middle, self.last, self.suffix) if p)


# Canonical text: what PersonName.full() emits. Such input bypasses nameparser (see module doc).
_CANONICAL: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?: [a-z0-9]+(?:-[a-z0-9]+)*)*")
_APOSTROPHES: Final = re.compile(r"'+")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]+")
_NOT_WORD: Final = re.compile(r"[^a-z0-9-]+")
_LOOSE_HYPHENS: Final = re.compile(r"-{2,}|(?<![a-z0-9])-|-(?![a-z0-9])")

# Longer input is not a name; nameparser's cost grows with length, so it only sees this much.
_MAX_PARSE: Final = 256

_SUFFIXES: Final[dict[str, str]] = {
    "jr": "jr",
    "jnr": "jr",
    "junior": "jr",
    "sr": "sr",
    "snr": "sr",
    "senior": "sr",
    "junr": "jr",
    "senr": "sr",
    "ii": "ii",
    "2nd": "ii",
    "2d": "ii",
    "iii": "iii",
    "3rd": "iii",
    "3d": "iii",
    "iv": "iv",
    "4th": "iv",
    "esq": "esq",
    "esquire": "esq",
}

_HONORIFICS: Final = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "mister", "dr", "doctor", "prof", "professor", "rev",
    "reverend", "hon", "honorable", "sir", "dame", "madam", "madame", "mme", "mlle", "messrs",
})  # fmt: skip

# Lowercase words that start a surname; the token right after the first name may be one.
_PARTICLES: Final = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "dela", "di", "da", "das", "dos", "du", "la",
    "le", "lo", "ten", "ter", "vander", "vanden", "st", "ste", "saint", "bin", "ibn", "al", "el",
})  # fmt: skip

_NICKNAMES: Final[dict[str, str]] = {
    # robert
    "bob": "robert",
    "bobby": "robert",
    "bobbie": "robert",
    "rob": "robert",
    "robbie": "robert",
    "robby": "robert",
    # william
    "bill": "william",
    "billy": "william",
    "billie": "william",
    "will": "william",
    "willy": "william",
    "willie": "william",
    # margaret
    "peggy": "margaret",
    "peg": "margaret",
    "maggie": "margaret",
    "meg": "margaret",
    "marge": "margaret",
    "margie": "margaret",
    # james
    "jim": "james",
    "jimmy": "james",
    "jimmie": "james",
    # michael
    "mike": "michael",
    "mikey": "michael",
    "mick": "michael",
    "mickey": "michael",
    # elizabeth
    "liz": "elizabeth",
    "lizzie": "elizabeth",
    "lizzy": "elizabeth",
    "beth": "elizabeth",
    "betty": "elizabeth",
    "bette": "elizabeth",
    "betsy": "elizabeth",
    "eliza": "elizabeth",
    "libby": "elizabeth",
    # katherine (K spellings) / catherine (C spellings)
    "kate": "katherine",
    "katie": "katherine",
    "katy": "katherine",
    "kathy": "katherine",
    "kathie": "katherine",
    "kat": "katherine",
    "cathy": "catherine",
    "cath": "catherine",
    # richard
    "dick": "richard",
    "rick": "richard",
    "ricky": "richard",
    "rich": "richard",
    "richie": "richard",
    # thomas, anthony, charles
    "tom": "thomas",
    "tommy": "thomas",
    "tony": "anthony",
    "chuck": "charles",
    "charlie": "charles",
    "chas": "charles",
    # david, daniel, joseph
    "dave": "david",
    "davey": "david",
    "dan": "daniel",
    "danny": "daniel",
    "joe": "joseph",
    "joey": "joseph",
    # jennifer, susan, steven
    "jen": "jennifer",
    "jenn": "jennifer",
    "jenny": "jennifer",
    "sue": "susan",
    "susie": "susan",
    "suzy": "susan",
    "steve": "steven",
    "stevie": "steven",
    # andrew, christopher, alexander, matthew
    "andy": "andrew",
    "drew": "andrew",
    "chris": "christopher",
    "alex": "alexander",
    "matt": "matthew",
    # edward, samuel, nicholas, gregory, lawrence
    "ted": "edward",
    "ed": "edward",
    "eddie": "edward",
    "eddy": "edward",
    "ned": "edward",
    "sam": "samuel",
    "sammy": "samuel",
    "nick": "nicholas",
    "nicky": "nicholas",
    "greg": "gregory",
    "larry": "lawrence",
    # john, henry, frederick
    "jack": "john",
    "johnny": "john",
    "hank": "henry",
    "harry": "henry",
    "fred": "frederick",
    "freddie": "frederick",
    "freddy": "frederick",
    # others
    "abby": "abigail",
    "abbie": "abigail",
    "becky": "rebecca",
    "becca": "rebecca",
    "ben": "benjamin",
    "benny": "benjamin",
    "barb": "barbara",
    "cindy": "cynthia",
    "connie": "constance",
    "deb": "deborah",
    "debbie": "deborah",
    "debby": "deborah",
    "dottie": "dorothy",
    "doug": "douglas",
    "don": "donald",
    "donnie": "donald",
    "ernie": "ernest",
    "gabe": "gabriel",
    "gene": "eugene",
    "herb": "herbert",
    "jake": "jacob",
    "jeff": "jeffrey",
    "jerry": "gerald",
    "josh": "joshua",
    "judy": "judith",
    "ken": "kenneth",
    "kenny": "kenneth",
    "len": "leonard",
    "lenny": "leonard",
    "lou": "louis",
    "mandy": "amanda",
    "manny": "manuel",
    "molly": "mary",
    "polly": "mary",
    "pam": "pamela",
    "patty": "patricia",
    "patsy": "patricia",
    "trish": "patricia",
    "tricia": "patricia",
    "phil": "philip",
    "ray": "raymond",
    "ron": "ronald",
    "ronnie": "ronald",
    "russ": "russell",
    "stan": "stanley",
    "tim": "timothy",
    "timmy": "timothy",
    "vicky": "victoria",
    "vickie": "victoria",
    "vince": "vincent",
    "walt": "walter",
    "wes": "wesley",
    "zach": "zachary",
    "zack": "zachary",
}
"""Common English nickname -> formal given name. Deliberately absent because ambiguous:
pat (patricia/patrick), al, sandy, terry, frank, jamie, chris-as-christine, etc."""


def canonical_suffix(word: str) -> str:
    """The standard form of a generational or professional suffix ("jnr" is "jr", "3rd" is
    "iii"; lower-case, no dot), or "" if ``word`` is not one."""
    return _SUFFIXES.get(word, "")


def is_honorific(word: str) -> bool:
    """True for a title such as "dr", "mrs" or "prof" (lower-case, no dot)."""
    return word in _HONORIFICS


def is_particle(word: str) -> bool:
    """True for a lower-case word that starts a surname, such as "de", "van" or "al"."""
    return word in _PARTICLES


def canonical_first(first: str) -> str:
    """The formal given name for a common nickname ("bob" -> "robert"), else ``first`` unchanged.

    Lets the matcher treat "Bob Smith" and "Robert Smith" as the same first name without fuzzy
    matching. Formal names map to themselves, so this is idempotent.
    """
    return _NICKNAMES.get(first.strip().lower(), first)


@cache
def _same_first_names() -> dict[str, frozenset[str]]:
    """Each formal name with its nicknames ("robert": bob, bobby, rob...)."""
    groups: dict[str, set[str]] = {}
    for nickname, formal in _NICKNAMES.items():
        groups.setdefault(formal, {formal}).add(nickname)
    return {formal: frozenset(names) for formal, names in groups.items()}


def same_first_names(first: str) -> frozenset[str]:
    """Every lower-case given name the nickname table holds for the same person's as ``first``
    ("Bob": bob, robert, rob, bobby...): the index ranks these as agreeing first names."""
    word = first.strip().lower()
    return _same_first_names().get(canonical_first(word), frozenset()) | {word}


def _words(text: str) -> list[str]:
    """Lowercase ASCII name words: apostrophes vanish, hyphens join, anything else splits."""
    folded = _APOSTROPHES.sub("", to_ascii(text).lower())
    folded = _LOOSE_HYPHENS.sub(" ", _NOT_WORD.sub(" ", folded))
    return folded.split()


def _assign(tokens: list[str]) -> PersonName:
    """Deterministic field split of ordered name tokens (given names, surname, suffixes).

    ``full()`` re-emits the kept tokens in the same order, and this function is a pure function
    of that order, which is what makes ``parse_name`` idempotent.
    """
    start, cut = 0, len(tokens)  # walked by index: taken off one at a time, quadratic
    while cut - start > 1 and tokens[start] in _HONORIFICS:
        start += 1
    while cut - start > 1 and tokens[cut - 1] in _SUFFIXES:
        cut -= 1
    toks = tokens[start:cut]
    suffixes = [_SUFFIXES[word] for word in tokens[cut:]]
    suffix = " ".join(suffixes)
    if not toks:
        return PersonName(suffix=suffix)
    if len(toks) == 1:
        return PersonName(last=toks[0], suffix=suffix)
    # "SMITH JR JOHN" (surname, generation, given name, as some registers print it): the
    # generation read as a middle name was lost, and the son was taken for a father with none.
    # Moved before the surname's particles are sought, as full() will write the words without it
    # ("0 ST JR 0" read "st" as a middle name, then "st 0" as the surname once written again)
    moved = [_SUFFIXES[word] for word in toks[1:-1] if word in _GENERATIONS]
    rest = [word for word in toks[1:-1] if word not in _GENERATIONS] + toks[-1:]
    start = len(rest) - 1
    while (
        start > 0
        and rest[start - 1] in _PARTICLES
        and not _vietnamese_middle(toks[0], rest, start - 1)
    ):
        start -= 1
    return PersonName(
        first=toks[0],
        middle=" ".join(rest[:start]),
        last=" ".join(rest[start:]),
        suffix=" ".join([*moved, *suffixes]),
    )


VIETNAMESE_FAMILY_NAMES: Final = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly",
})  # fmt: skip
"""The commonest Vietnamese family names, as folded to ASCII (Nguyen, Tran, Le... about nine
Vietnamese in ten bear one); each is in the 2010 Census surname table (Nguyen the 38th
commonest US surname). None follows the Dutch particle Van in a surname."""


def _vietnamese_middle(first: str, rest: list[str], k: int) -> bool:
    """Whether ``rest[k]`` (after the first word ``first``) is Van as a Vietnamese man's middle
    name, not a surname's particle: right before a Vietnamese family name that ends the name
    ("Minh Van Nguyen") or right after one printed first ("NGUYEN VAN MINH"). Read as a
    particle it made the surnames "van nguyen" and "van minh", and so Minh Van Nguyen another
    man than "NGUYEN VAN MINH" and "Minh Nguyen"; Peter Van Dyke and Martin Van Buren keep it."""
    if rest[k] != "van":
        return False
    ends = k + 2 == len(rest) and rest[-1] in VIETNAMESE_FAMILY_NAMES
    return ends or (k == 0 and first in VIETNAMESE_FAMILY_NAMES)


_GENERATIONS: Final = frozenset(word for word, kind in _SUFFIXES.items() if kind != "esq")
"""Suffix words that name a generation: between a first name and a surname, a suffix still."""


_PLAIN_WORD: Final = r"[A-Za-z]+(?:-[A-Za-z]+)*"
_PLAIN: Final = re.compile(
    rf"({_PLAIN_WORD}) ?, ?({_PLAIN_WORD}(?: {_PLAIN_WORD}){{0,2}})"
    rf"|({_PLAIN_WORD}(?: {_PLAIN_WORD}){{1,3}})"
)
# Birth-name markers ("Jane Smith nee Jones": Jones is her maiden name, not her surname),
# one word each ("z domu" is two); the accented ones ("née", "född") are read before to_ascii.
_MAIDEN_WORDS: Final = frozenset(word for marker in MAIDEN_MARKERS for word in marker.split())
_ASCII_MAIDEN_WORDS: Final = frozenset(w for w in _MAIDEN_WORDS if w.isascii())
_ASCII_MARKERS: Final = tuple(marker.split() for marker in MAIDEN_MARKERS if marker.isascii())
_MARKERS: Final = tuple(sorted((m.split() for m in MAIDEN_MARKERS), key=len, reverse=True))
# Words that make nameparser do more than split "LAST, GIVEN" or "GIVEN ... LAST": a name with
# none of them skips it (the fast path gives exactly nameparser's order, ~20x cheaper).
_RESERVED: Final = frozenset(
    w
    for words in (
        CONSTANTS.titles, CONSTANTS.prefixes, CONSTANTS.conjunctions, CONSTANTS.suffix_acronyms,
        CONSTANTS.suffix_not_acronyms, CONSTANTS.first_name_titles,
        CONSTANTS.non_first_name_prefixes, CONSTANTS.bound_first_names,
        _HONORIFICS, _SUFFIXES, _PARTICLES,
        _ASCII_MAIDEN_WORDS,
    )
    for w in words
)  # fmt: skip


_CREDENTIAL_FORMS: Final = frozenset({"pa", "na"})
"""Legal forms a person's name ends with as often: "John Smith, PA" is a physician assistant,
"NA" no value."""

_ROMAN: Final = re.compile(r"x|ix|iv|v?i{0,3}")  # nameparser's: "JOHN X" is John the tenth


def _plain_tokens(text: str) -> list[str] | None:
    """Given-then-surname tokens of "Last, Given M" or "Given M Last" made of plain words with
    no title, particle, conjunction or suffix; None when nameparser has to decide."""
    m = _PLAIN.fullmatch(text)
    if not m:
        return None
    if m.group(1):
        given, surname = m.group(2).split(" "), [m.group(1)]
    else:
        *given, last = m.group(3).split(" ")
        surname = [last]
    tokens = [w.lower() for w in (*given, *surname)]
    if any(
        part in _RESERVED or _ROMAN.fullmatch(part) for w in tokens for part in (w, *w.split("-"))
    ):
        return None
    return tokens


def _marked(text: str) -> str:
    """Each birth-name marker as written, in any case, with or without its period ("née",
    "Geb.", "z domu"), as "nee": to_ascii would hide an accented one ("ne"). A word of a
    two-word marker alone is a name ("José Z García": a middle initial)."""
    words = text.split()
    folded = [w.casefold().rstrip(".") for w in words]
    out: list[str] = []
    k = 0
    while k < len(words):
        size = next((len(m) for m in _MARKERS if folded[k : k + len(m)] == m), 0)
        out.append("nee" if size else words[k])
        k += size or 1
    return " ".join(out)


def _without_maiden_part(text: str) -> str:
    """A part after a comma that opens with a birth-name marker ("Jane Smith, nee Jones") is
    dropped (nameparser had read "Jane Smith" as the surname and "nee" as her first name), the
    parts after it kept ("John Smith, ne Jones, Jr"; "SMITH, NEE JONES, JANE"); "Smith, Nee"
    is her given name. So is a birth note ("b. 1970", "DOB: 05/01/1970"): no name."""
    head, *parts = text.split(",")
    if not head.strip():
        return text
    kept = (p for p in parts if not _opens_with_marker(p) and not _BIRTH_NOTE.fullmatch(p))
    return ",".join([head, *kept])


_BIRTH_NOTE: Final = re.compile(
    r"\s*(?:(?:b|born|dob|d\.o\.b)\.?:?\s*)?\d{1,4}(?:[-/.]\d{1,2}){0,2}(?:[-/.]\d{2,4})?\s*",
    re.IGNORECASE,
)
"""A birth year or date after a comma, with or without "b.", "born" or "DOB" before it."""


def _without_trailing_marker(text: str) -> str:
    """``text`` without a birth-name marker that ends it with no name after it, when it can be
    no surname: accented ("Jane Smith née"), abbreviated ("Geb.") or of two words ("z domu").
    A plain "Nee" ending a name may be her surname (Jane Smith Nee), as "Nee" alone is."""
    words = text.split()
    if len(words) < 3:
        return text
    folded = [w.casefold().rstrip(".") for w in words]
    plain = words[-1].isascii() and not words[-1].endswith(".")  # "Nee", not "née" or "Geb."
    for marker in _MARKERS:
        kept = len(words) - len(marker)  # a given name and a surname stay before it
        if kept >= 2 and folded[kept:] == marker and not (plain and len(marker) == 1):
            return " ".join(words[:kept])
    return text


_COMMA_MARKERS: Final = (*_ASCII_MARKERS, ["born"])
"""After a comma, "born" opens a birth name too ("Jane Smith, born Jones"); alone in a name it
is one (Max Born)."""


def _opens_with_marker(part: str) -> bool:
    """Whether ``part`` is a birth-name marker and the birth name after it ("nee Jones")."""
    words = [w.casefold().rstrip(".:") for w in part.split()]  # "born: 1970", "nee: Jones"
    return any(words[: len(m)] == m and words[len(m) :] for m in _COMMA_MARKERS)


def _before_maiden(words: list[str]) -> list[str]:
    """``words`` up to a birth-name marker: nameparser reads "SMITH, JANE NEE JONES" as Jane
    with the middle names "nee jones", but Jones is her birth name."""
    for k in range(len(words)):
        if any(words[k : k + len(marker)] == marker for marker in _ASCII_MARKERS):
            return words[:k]
    return words


def _ordered_tokens(text: str) -> list[str]:
    """Tokens of a raw name in given-surname-suffix order, using nameparser for the structure."""
    text = _without_trailing_marker(text)
    if not text.isascii():  # "Jean Dupont né Martin": to_ascii would hide the marker ("ne")
        text = _marked(text)
    prepared = " ".join(_CONTROL.sub(" ", _APOSTROPHES.sub("", to_ascii(text))).split())
    prepared = _without_maiden_part(_generations_spelt_out(prepared))
    if not prepared or len(prepared) > _MAX_PARSE:
        return _words(prepared)
    head, _, tail = prepared.rpartition(",")
    form = legal_form(tail) if len(_words(head)) > 1 else ""  # "Smith, P.C.": his initials
    if form and form not in _CREDENTIAL_FORMS:  # "John Smith, LLC": a firm's name, not his
        return _ordered_tokens(head) + form.split()
    if (plain := _plain_tokens(prepared)) is not None:
        return plain
    try:
        human = HumanName(prepared)
        first, middle, last = human.first_list, human.middle_list, human.last_list
        suffix_parts, titles = human.suffix_list, human.title_list
    except Exception:  # nameparser is a heuristic parser: never let it break a batch
        return _words(prepared)
    given = [w for part in first for w in _words(part)]
    middles = _before_maiden([w for part in middle for w in _words(part)])
    # "SMITH, SR JOHN": after "LAST," nameparser reads a generation as a title (Senor, 2nd
    # Lt), and the father's record was read as a plain John Smith, his son's namesake
    generations = [w for t in titles for w in _words(t) if w in _GENERATIONS] if head else []
    suffixes = generations + _sorted_suffix_parts(suffix_parts, given, middles)
    surname = [w for part in last for w in _words(part)]
    if not (given or middles or surname):  # "PRIEST, ": nameparser took the only word as a title
        return _words(prepared)
    return given + middles + surname + suffixes


_ABBREVIATED: Final = re.compile(r"(?<=[\s,])(2d|3d|junr|senr|jun\.|sen\.)(?=[\s,.]|$)", re.I)
"""A generation as old registers and style guides abbreviate it ("John Smith 3d", "SMITH,
JOHN JUN."), after another word. nameparser knows none of them: the son's record had read as
the surname Jun or 3d, the middle name Jun, the given name 2d ("John Smith, 2d") or, "Sen."
after a comma taken for a senator, as a plain John Smith."""

_NAMEPARSER_FORMS: Final = {"2d": "II", "3d": "III", "junr": "Jr", "senr": "Sr", "jun.": "Jr",
                            "sen.": "Sr"}  # fmt: skip


def _generations_spelt_out(text: str) -> str:
    """``text`` with each abbreviated generation (``_ABBREVIATED``) in a form nameparser
    reads as a suffix. "Jun." and "Sen." are names too (Kim Jun, Amartya Sen): only with
    their period and after two other words are they a generation."""

    # words counted for "Jun." and "Sen." alone: counted for every name, they had doubled
    # _ordered_tokens' time (19 us a name, 10 us without); and once: counted for each, a name
    # of many was quadratic (22 s for 40 kB of "Jun.")
    few_words = cache(lambda: len(_words(text)) <= 2)

    def spelt(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        if word.endswith(".") and few_words():
            return match.group(0)
        return _NAMEPARSER_FORMS[word]

    return _ABBREVIATED.sub(spelt, text)


_CREDENTIALS: Final = frozenset(
    word
    for words in (CONSTANTS.suffix_acronyms, CONSTANTS.suffix_not_acronyms)
    for word in words
    if word not in _SUFFIXES
)
"""Credentials and honours nameparser reads after a name (MD, PhD, CPA, FACS): dropped."""


def _sorted_suffix_parts(parts: list[str], given: list[str], middles: list[str]) -> list[str]:
    """The suffixes among what nameparser read as suffix ``parts``; the rest go to ``given``
    and ``middles``. A part that is a credential as a whole ("M.D.", "Ph.D.") is dropped,
    never its letters kept as initials ("m d" had become a middle name that told John Smith,
    M.D. from the debtor John A Smith); a part of one letter is an initial ("SMITH, JOHN V":
    not "the fifth"); another word beside a suffix is a name ("SMITH, JR JOHN": John, which
    had been dropped), the given name if there is none yet, an initial too ("SMITH, JR J
    PATRICK": J, as in "SMITH, J PATRICK JR"). Once there is one, such words are no name
    ("SMITH, JOHN, DECEASED", ", TRUSTEE", ", ET AL": not middle names). With no other name,
    a dotted credential is the initials it spells ("SMITH, J.D.", "SMITH, A.M."), not a
    surname-only row that any Smith would match."""
    suffixes: list[str] = []
    initials: list[str] = []
    for part in parts:
        compact = "".join(_words(part))
        if compact in _SUFFIXES:
            suffixes.append(compact)
        elif len(compact) == 1:
            middles.append(compact)
        elif compact in _CREDENTIALS:
            if len(compact) == len(words := _words(part)):  # "J.D.", not "MD" nor "Ph.D."
                initials.extend(words)
        else:
            named = bool(given)
            for word in _before_maiden(_words(part)):  # "JR JANE NEE JONES": Jones is no name
                if word in _SUFFIXES:
                    suffixes.append(word)
                elif len(word) > 1 and (named or word in _CREDENTIALS):
                    continue
                elif given:
                    middles.append(word)
                else:
                    given.append(word)
    if not (given or middles):
        given.extend(initials[:1])
        middles.extend(initials[1:])
    return suffixes


def parse_name(text: str) -> PersonName:
    """Split a person's name into lowercase ASCII first/middle/last/suffix; never raises.

    Accepts "First Middle Last", "LAST, FIRST MIDDLE", titles, suffixes and nicknames in
    quotes or parentheses. Cached: registry files repeat names, and nameparser costs ~0.2 ms;
    a text longer than nameparser ever sees (``_MAX_PARSE``) is parsed each time, not kept: a
    bulk record's name may hold 1 MB, and 65,536 of them would have held 64 GB.
    """
    return _cached(text) if len(text) <= _MAX_PARSE else _parsed(text)


def _parsed(text: str) -> PersonName:
    """``parse_name``, uncached."""
    if _CANONICAL.fullmatch(text):
        words = text.split(" ")
        if len(_before_maiden(words)) == len(words):  # "jane smith nee jones": parsed
            return _assign(words)
    return _assign(_ordered_tokens(text))


_cached: Final = lru_cache(maxsize=65536)(_parsed)


def normalize_name(text: str) -> str:
    """The canonical one-line form of a person's name, ``parse_name(text).full()``."""
    return parse_name(text).full()
