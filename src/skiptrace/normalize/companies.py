"""Company names: "Acme Plumbing, LLC", "ACME PLUMBING" and "The Acme Plumbing Co." compare equal.

Folding: lowercase ASCII, "&" -> "and", apostrophes dropped, other punctuation -> space,
dotted initials joined ("L.L.C." -> "llc"). Then, until nothing changes: a leading "the" and
trailing legal forms (inc, llc, ltd, corp, co, plc, lp, llp, pllc, pc, pa, gmbh, sa, ...) and
a trailing "and" left behind ("Smith & Co" -> "smith") are removed, keeping at least one word.

"d/b/a" (also "dba", "doing business as", "t/a", "trading as", "a/k/a", "aka") separates the
legal name from a trading name: ``normalize_company`` keeps the legal name, because that is what
registries index and what survives a rebrand; ``trading_name`` returns the other one.
"f/k/a" / "formerly known as" ends the name: a former name is neither.
"""

from __future__ import annotations

import re
from typing import Final

from skiptrace.normalize._text import to_ascii, undot

__all__ = ["legal_form", "normalize_company", "trading_name"]

_SLASHED: Final = re.compile(r"\b([dtaf])\s*/\s*([bka])(?:\s*/\s*([a]))?\b")
_APOSTROPHES: Final = re.compile(r"'+")  # to_ascii has made a curly one straight
_AMPERSAND: Final = re.compile(r"&")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")

_LEGAL_FORMS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(form.split())
    for form in (
        "professional limited liability company",
        "limited liability company",
        "limited liability partnership",
        "limited partnership",
        "professional corporation",
        "professional association",
        "private limited",
        "l l c",
        "l l p",
        "inc",
        "incorporated",
        "llc",
        "lc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "lp",
        "llp",
        "lllp",
        "pllc",
        "pc",
        "pa",
        "na",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "pty",
        "pvt",
        "ltda",
    )
)
_TRADING: Final[tuple[tuple[str, ...], ...]] = (
    ("doing", "business", "as"),
    ("trading", "as"),
    ("dba",),
    ("aka",),
)
_FORMER: Final[tuple[tuple[str, ...], ...]] = (("formerly", "known", "as"), ("fka",))
_FORM_ENDS: Final = frozenset(form[-1] for form in _LEGAL_FORMS)
"""The last words of the legal forms: a name ending otherwise has none to drop (most names),
so the forms are not tried one by one (bulk registries normalise millions of names)."""
_MARKER_STARTS: Final = frozenset(m[0] for m in (*_TRADING, *_FORMER)) | {"ta"}


def _words(text: str) -> list[str]:
    s = to_ascii(text).lower()
    # "d/b/a", "t/a", "a/k/a", "f/k/a": joined before "/" becomes a word break.
    s = _SLASHED.sub(lambda m: "".join(g or "" for g in m.groups()) + " ", s)
    s = undot(s)
    s = _AMPERSAND.sub(" and ", _APOSTROPHES.sub("", s))
    return _NOT_WORD.sub(" ", s).split()


def _marker_at(words: list[str], i: int) -> tuple[str, int]:
    """("trading" | "former" | "", length) of an a.k.a.-style marker starting at ``words[i]``."""
    for kind, markers in (("trading", _TRADING), ("former", _FORMER)):
        for marker in markers:
            if tuple(words[i : i + len(marker)]) == marker:
                return kind, len(marker)
    if words[i] == "ta":  # "t/a" after joining
        return "trading", 1
    return "", 0


def _split(words: list[str]) -> tuple[list[str], list[str]]:
    """Legal-name words and trading-name words (each possibly empty)."""
    parts: list[tuple[str, list[str]]] = [("legal", [])]
    i = 0
    while i < len(words):
        kind, size = _marker_at(words, i) if words[i] in _MARKER_STARTS else ("", 0)
        if size:
            parts.append((kind, []))
            i += size
        else:
            parts[-1][1].append(words[i])
            i += 1
    legal = parts[0][1]
    trading = next((w for kind, w in parts[1:] if kind == "trading" and w), [])
    if not legal:  # "DBA Acme Rooter": the only name there is
        legal = next((w for _, w in parts[1:] if w), [])
    return legal, trading


def _core(words: list[str]) -> str:
    """Drop leading "the", trailing legal forms and a dangling "and" until stable."""
    w = list(words)
    if not w:
        return ""
    changed = True
    while changed:
        changed = False
        lead = 0  # counted, then cut once: deleted one at a time, quadratic
        while len(w) - lead > 1 and w[lead] == "the":
            lead += 1
        if lead:
            del w[:lead]
            changed = True
        if w[-1] in _FORM_ENDS:
            for form in _LEGAL_FORMS:
                if len(w) > len(form) and tuple(w[-len(form) :]) == form:
                    del w[-len(form) :]
                    changed = True
                    break
        if len(w) > 1 and w[-1] == "and":
            del w[-1]
            changed = True
    return " ".join(w)


def legal_form(text: str) -> str:
    """``text`` folded when it is a legal form and nothing else ("L.L.C." -> "llc", "Inc."
    -> "inc"), else "": what ends a firm's name after a comma, as a credential ends a
    person's."""
    words = tuple(_words(text))
    return " ".join(words) if words in _FORMS else ""


_FORMS: Final = frozenset(_LEGAL_FORMS)


def normalize_company(text: str) -> str:
    """The comparable legal name of a company ("The Acme Co." -> "acme"); idempotent."""
    legal, _ = _split(_words(text))
    return _core(legal)


def trading_name(text: str) -> str:
    """The normalised d/b/a (trading) name in ``text``, or "" when it names none.

    An extractor, not a normaliser: ``trading_name("acme rooter") == ""``. Its output is a
    fixed point of ``normalize_company``.
    """
    _, trading = _split(_words(text))
    return _core(trading)
