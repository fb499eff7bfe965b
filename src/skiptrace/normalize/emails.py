"""E-mail addresses in one comparable form."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["normalize_email"]

_LOCAL: Final = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN: Final = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_GMAIL: Final = frozenset({"gmail.com", "googlemail.com"})


def normalize_email(text: str) -> str:
    """Trimmed, lowercased address, or "" when ``text`` is not shaped like local@domain.

    Lowercasing the local part is technically lossy (RFC 5321 lets it be case-sensitive), but
    no mainstream provider treats it so and registries re-case freely. Gmail ignores dots and
    "+tag" in the local part and googlemail.com is the same service, so those are folded to
    one mailbox. Only ASCII addresses are accepted; a "mailto:" prefix and angle brackets are
    stripped. Idempotent: the output is already in this form.
    """
    s = text.strip().lower()
    if s.startswith("mailto:"):
        s = s[7:].strip()
    if s.startswith("<") and s.endswith(">"):
        s = s[1:-1].strip()
    local, at, domain = s.rpartition("@")
    domain = domain.rstrip(".")
    if not at or not s.isascii() or not _LOCAL.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        return ""
    if domain in _GMAIL:
        domain = "gmail.com"
        local = local.split("+", 1)[0].replace(".", "")
        if not local:
            return ""
    return f"{local}@{domain}"
