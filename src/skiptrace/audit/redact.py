"""Masking of identifiers (SSN, date of birth, account numbers) before anything is logged.

The audit log must say what was asked for without becoming a store of the identifiers that
made the debtor findable; regulators expect logs that prove conduct, not copies of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote_plus, urlencode

from skiptrace.records import normalised_field

MASK = "[REDACTED]"
_SSN = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")


def redact_text(text: str) -> str:
    """``text`` with anything shaped like a formatted SSN masked."""
    return _SSN.sub(MASK, text)


class Redactor:
    """Masks the values of the named fields (the policy's ``redaction.fields``) and SSNs.

    Runs once per audit row, so the common case (nothing escaped, no named field) is one
    regex search over the query and one pass over the URL."""

    def __init__(self, fields: Iterable[str]) -> None:
        self._fields = frozenset(normalised_field(field) for field in fields)
        # a field's letters with anything but a-z and 0-9 between them ("date-of_birth"),
        # matched on lower-cased text: what normalised_field would reduce to the field's name.
        # (Not re.IGNORECASE: it folds dotless i and long s into i and s, so "d\u0131ob" passed.)
        spelled = ["[^0-9a-z]*".join(map(re.escape, field)) for field in sorted(self._fields)]
        self._named = re.compile("|".join(spelled)) if spelled else None

    def url(self, url: str) -> str:
        """``url`` with the values of query parameters named in the fields masked, SSNs too."""
        base, sep, rest = url.partition("?")
        if sep and self._named is not None:
            query, hash_sep, fragment = rest.partition("#")
            if self._named.search(_decoded(query).lower()):
                pairs = parse_qsl(query, keep_blank_values=True)
                query = urlencode(
                    [(name, MASK if normalised_field(name) in self._fields else value)
                     for name, value in pairs]
                )  # fmt: skip
                url = f"{base}?{query}{hash_sep}{fragment}"
        decoded = _decoded(url)
        if decoded is not url and _SSN.search(decoded):  # "123%2045%206789" is an SSN too
            return redact_text(decoded)
        return redact_text(url)


def _decoded(text: str) -> str:
    """``text`` with URL escapes decoded; ``text`` itself when there are none."""
    return unquote_plus(text) if "%" in text or "+" in text else text
