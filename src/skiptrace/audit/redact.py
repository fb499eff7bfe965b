"""Masking of identifiers (SSN, date of birth, account numbers) before anything is logged.

The audit log must say what was asked for without becoming a store of the identifiers that
made the debtor findable; regulators expect logs that prove conduct, not copies of the file.

Three rules:

- An SSN is masked wherever it is written with its separators (``123-45-6789``,
  ``123 45 6789``). Written without them (``123456789``) or with others (``123.45.6789``), it
  is masked only in a field named for SSNs: a query parameter so named (``ssn``, ``SSN``,
  ``social_security_number``, ``debtor_ssn``...), or in free text right after such a name
  (``ssn=123456789``, ``"SSN": "123456789"``, ``social security no. 123456789``,
  ``/ssn/123456789``). A bare run of nine digits anywhere else is NOT masked: phone numbers,
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

import hashlib
import hmac
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote_plus, urlencode

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
_NAMED_SSN = re.compile(rf"({_SSN_NAME}[\s:=#\"'/.\-]{{0,6}})({_SSN_VALUE.pattern})(?!\d)")
"""An SSN name, what separates it from its value, and the value."""
_SSN_HINT = re.compile(r"ssn|social", re.IGNORECASE)
_OURS = re.compile(r"lookup|row [1-9][0-9]{0,11}")
"""References skiptrace makes itself, naming no one: kept as they are."""


def redact_text(text: str) -> str:
    """``text`` with SSNs masked: any written with separators, and any written after a name
    for SSNs (``ssn: 123456789``). A bare nine-digit number is left as it is (see above)."""
    if _SSN_HINT.search(text):
        text = _NAMED_SSN.sub(lambda m: m.group(1) + MASK, text)
    return _SSN.sub(MASK, text)


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
    if not reference or _OURS.fullmatch(reference):
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
        masked, SSNs too (``redact_text``)."""
        base, sep, rest = url.partition("?")
        if sep:
            query, hash_sep, fragment = rest.partition("#")
            if self._named.search(_decoded(query).lower()):
                pairs = parse_qsl(query, keep_blank_values=True)
                masked = [(name, MASK if self._masked(name, value) else value)
                          for name, value in pairs]  # fmt: skip
                if masked != pairs:  # else the query is kept as it was written
                    url = f"{base}?{urlencode(masked)}{hash_sep}{fragment}"
        decoded = _decoded(url)
        if decoded is not url:
            unescaped = redact_text(decoded)
            if unescaped != decoded:  # "123%2045%206789" is an SSN too
                return unescaped
        return redact_text(url)

    def _masked(self, name: str, value: str) -> bool:
        if normalised_field(name) in self._fields:
            return True
        return ssn_field(name) and _SSN_VALUE.fullmatch(value.strip()) is not None

    def reference(self, reference: str) -> str:
        """``reference`` pseudonymised (``redact_reference``) under this redactor's key. To find
        every row of one debtor, look for ``reference(their account number)``."""
        if self._reference_key is None:
            if not reference.strip() or _OURS.fullmatch(reference.strip()):
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
