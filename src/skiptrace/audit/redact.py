"""Masking of identifiers (SSN, date of birth, account numbers) before anything is logged.

The audit log must say what was asked for without becoming a store of the identifiers that
made the debtor findable; regulators expect logs that prove conduct, not copies of the file.

Three rules:

- An SSN is masked wherever it is written with its separators (``123-45-6789``,
  ``123 45 6789``). Written without them (``123456789``) or with others (``123.45.6789``), it
  is masked only in a field named for SSNs: a query parameter so named (``ssn``, ``SSN``,
  ``social_security_number``, ``debtor_ssn``...), or in free text right after such a name
  (``ssn=123456789``, ``"SSN": "123456789"``, ``social security no. 123456789``,
  ``/ssn/123456789``, ``<ssn>123456789``, ``SSN (123456789)``: anything but letters and digits
  between them). Separators are read as NFKC and the Unicode classes make them: any
  dash (``Pd``: en and em dashes, ``\u2011``...) is ``-``, any space (``Zs``: no-break and
  thin spaces...) is `` ``, and invisible format characters (``Cf``: a soft hyphen, a zero-width
  space) are nothing, so an SSN pasted from a word processor or a web page is masked as typed
  ones are. A bare run of nine digits anywhere else is NOT masked: phone numbers,
  ids, ZIP+4 codes and amounts are nine digits too, and masking them all would make the log
  useless without making it safe. (A parameter named for SSNs whose value is not shaped like
  one is left as it is, unless ``redaction.fields`` names it.)
- The values of query parameters named in the policy's ``redaction.fields`` are masked
  whatever they look like.
- A debtor's reference (an account number, often a redacted field itself) is replaced by a
  pseudonym (``reference``): the same reference always gives the same pseudonym, so every
  request made for one debtor can still be found, but the log does not hold the number.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote_plus, unquote_plus

from skiptrace.errors import AuditError
from skiptrace.records import normalised_field
from skiptrace.state import secret

MASK = "[REDACTED]"
REFERENCE_KEY_FILE = "reference.key"
"""In ``SKIPTRACE_HOME``: the key debtor references are pseudonymised under. Lose it and new
rows get new pseudonyms; back it up with the audit log."""
PSEUDONYM_PREFIX = "ref:"
_SSN = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")
_SSN_NAME = (
    r"(?ai:(?<![0-9a-z])(?:s\.?s\.?n|social[\s_.\-]*security)s?"
    r"(?:[\s_.\-]*(?:number|num|nr|no)s?)?(?![a-z]))"
)
_SSN_VALUE = re.compile(r"\d{3}[-. ]?\d{2}[-. ]?\d{4}")
"""Nine digits, with or without separators: an SSN where a field is named for one."""
_NAMED_SSN = re.compile(rf"({_SSN_NAME}[\W_]{{0,6}})({_SSN_VALUE.pattern})(?!\d)")
"""An SSN name, what separates it from its value (up to six characters that are neither letters
nor digits: blanks, ``=``, quotes, brackets, XML's ``>``...), and the value."""
_SSN_HINT = re.compile(r"ssn|social", re.IGNORECASE)
_OURS = re.compile(r"lookup|row [1-9][0-9]{0,11}")
"""References skiptrace makes itself, naming no one: kept as they are."""


def made_by_skiptrace(reference: str) -> bool:
    """Whether ``reference`` reads as one skiptrace makes itself (``lookup``, ``row N``), which
    the log keeps as it is: an account id that reads so must be written otherwise."""
    return _OURS.fullmatch(reference.strip()) is not None


def redact_text(text: str) -> str:
    """``text`` with SSNs masked: any written with separators, and any written after a name
    for SSNs (``ssn: 123456789``). A bare nine-digit number is left as it is (see above)."""
    return _masking(text, _ssn_spans(text))


def _ssn_spans(text: str) -> list[tuple[int, int]]:
    """Where ``redact_text`` masks ``text``: its SSNs (see above), found in its ``_plain``
    reading, each masking the characters of ``text`` it was read from."""
    plain = _plain(text)
    spans = (
        [found.span(2) for found in _NAMED_SSN.finditer(plain)] if _SSN_HINT.search(plain) else []
    )
    spans += [found.span() for found in _SSN.finditer(plain)]
    if not spans or plain is text:
        return spans
    origins = [at for at, char in enumerate(text) for _ in _PLAIN[ord(char)]]
    return [(origins[start], origins[end - 1] + 1) for start, end in spans]


def _plain(text: str) -> str:
    """``text`` as its SSNs are looked for in, one character at a time (``_PlainReading``);
    ``text`` itself if it is ASCII, which reads as it is."""
    return text if text.isascii() else text.translate(_PLAIN)


class _PlainReading(dict[int, str]):
    """Each character as ``_plain`` reads it, worked out the first time it is met: as NFKC
    writes it, a dash (``Pd``) as ``-``, a space (``Zs``) as `` ``, a format character
    (``Cf``) as nothing. A table for ``str.translate``, so a long text is read at C speed; at
    most ``_MOST_READ`` characters kept."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _MOST_READ:
            self.clear()
        char = chr(code)
        read = (
            char
            if char.isascii()
            else "".join(map(_plain_char, unicodedata.normalize("NFKC", char)))
        )
        self[code] = read
        return read


def _plain_char(char: str) -> str:
    """One character of an NFKC reading, as ``_plain`` reads it."""
    kind = unicodedata.category(char)
    if kind == "Pd" or char == "\N{MINUS SIGN}":  # a maths sign, not a dash, typed as one
        return "-"
    return " " if kind == "Zs" else "" if kind == "Cf" else char


_MOST_READ = 1 << 16
_PLAIN = _PlainReading()


def _masking(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each of ``spans`` (overlapping ones as one) replaced by ``MASK``."""
    kept, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            kept += [text[at:start], MASK]
        at = max(at, end)
    return "".join([*kept, text[at:]]) if kept else text


def ssn_field(name: str) -> bool:
    """Whether a field's name says it holds an SSN: ``ssn``, ``SSN_full``, ``debtor_ssn``,
    ``socialSecurityNumber``... (compared as ``normalised_field`` spells them)."""
    key = normalised_field(name)
    return key.startswith("ssn") or key.endswith(("ssn", "ssns")) or "socialsecurity" in key


def redact_reference(reference: str, key: bytes) -> str:
    """``reference`` as it may be stored: a pseudonym, ``ref:`` and the first 16 hex digits of
    its HMAC-SHA256 under ``key`` (surrounding blanks ignored). The references skiptrace makes
    itself (empty, ``lookup``, ``row N``) name no one and are kept as they are."""
    reference = reference.strip()
    if not reference or made_by_skiptrace(reference):
        return reference
    digest = hmac.new(key, reference.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return PSEUDONYM_PREFIX + digest.hexdigest()[:16]


class Redactor:
    """Masks the values of the named fields (the policy's ``redaction.fields``) and SSNs, and
    pseudonymises debtor references.

    Runs once per audit row, so the common case (nothing escaped, no named field) is one
    regex search over the query and one pass over the URL.

    ``reference_key`` is the key of ``reference``; by default the one kept in
    ``SKIPTRACE_HOME`` (``REFERENCE_KEY_FILE``, made on first use), so pseudonyms are the same
    from one run to the next."""

    def __init__(self, fields: Iterable[str], reference_key: bytes | None = None) -> None:
        self._fields = frozenset(normalised_field(field) for field in fields)
        self._reference_key = reference_key
        # a field's letters with anything but a-z and 0-9 between them ("date-of_birth"),
        # matched on lower-cased text: what normalised_field would reduce to the field's name.
        # (Not re.IGNORECASE: it folds dotless i and long s into i and s, so "d\u0131ob" passed.)
        spelled = ["[^0-9a-z]*".join(map(re.escape, field)) for field in sorted(self._fields)]
        spelled += ["s[^0-9a-z]*s[^0-9a-z]*n", "social"]  # parameters named for SSNs
        self._named = re.compile("|".join(spelled))

    def url(self, url: str) -> str:
        """``url`` with the values of query parameters named in the fields or named for SSNs
        masked, SSNs too, escaped or not (``redact_text``); the rest as it was written, escapes
        and all: the row names the request that was sent, and holds no control character."""
        base, sep, rest = url.partition("?")
        if sep:
            query, hash_sep, fragment = rest.partition("#")
            if self._named.search(_decoded(query).lower()):
                query = "&".join(self._pair(pair) for pair in query.split("&"))
                url = f"{base}?{query}{hash_sep}{fragment}"
        decoded = _decoded(url)
        if decoded is not url and (spans := _ssn_spans(decoded)):  # "123%2045%206789" too
            url = _masking(url, _escaped_spans(url, spans))
        return redact_text(url)

    def _pair(self, pair: str) -> str:
        """One ``name=value`` of a query, its value masked if it is to be."""
        name, _, value = pair.partition("=")
        if self._masked(unquote_plus(name), unquote_plus(value)):
            return f"{name}={_QUOTED_MASK}"
        return pair

    def _masked(self, name: str, value: str) -> bool:
        if normalised_field(name) in self._fields:
            return True
        return ssn_field(name) and _SSN_VALUE.fullmatch(_plain(value).strip()) is not None

    def reference(self, reference: str) -> str:
        """``reference`` pseudonymised (``redact_reference``) under this redactor's key. To find
        every row of one debtor, look for ``reference(their account number)``."""
        if self._reference_key is None:
            if not reference.strip() or made_by_skiptrace(reference):
                return reference.strip()
            try:
                self._reference_key = secret(REFERENCE_KEY_FILE)
            except OSError as exc:
                raise AuditError(f"cannot read the key debtor references are kept under: "
                                 f"{exc}") from None  # fmt: skip
        return redact_reference(reference, self._reference_key)


def _decoded(text: str) -> str:
    """``text`` with URL escapes decoded; ``text`` itself when there are none."""
    return unquote_plus(text) if "%" in text or "+" in text else text


_QUOTED_MASK = quote_plus(MASK)
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _escaped_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``_decoded(text)`` as spans of ``text``: each decoded character is where
    its escapes (or its ``+``) were written."""
    starts: list[int] = []  # in text, where each decoded character's writing starts
    ends: list[int] = []  # and ends
    at = 0
    for run in _ESCAPES.finditer(text):
        starts += range(at, run.start())
        ends += range(at + 1, run.start() + 1)
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        begun = run.start()
        for escape in range(run.start(), run.end(), 3):
            made = decoder.decode(bytes.fromhex(text[escape + 1 : escape + 3]))
            if made:  # the bytes still pending (a sequence begun) start the next character
                written = escape + 3 - 3 * len(decoder.getstate()[0])
                starts += [begun] * len(made)
                ends += [written] * len(made)
                begun = written
        made = decoder.decode(b"", final=True)
        starts += [begun] * len(made)
        ends += [run.end()] * len(made)
        at = run.end()
    starts += range(at, len(text))
    ends += range(at + 1, len(text) + 1)
    return [(starts[start], ends[end - 1]) for start, end in spans if end > start]
