"""Recognising CAPTCHA, bot-check and WAF block pages: they are never a result, whatever their
status says (Maigret fingerprints such pages the same way), and they are never cached."""

from __future__ import annotations

import httpx

_CHALLENGE_MARKS = (
    "cf-chl", "challenge-platform", "just a moment...", "attention required! | cloudflare",
    "px-captcha", "_incapsula_resource", "datadome", "verify you are a human",
    "unusual traffic from your computer", "pardon our interruption", "bandwidth limit exceeded",
)  # fmt: skip
_ERROR_PAGE_MARKS = ("captcha", "access denied", "request blocked", "are you a robot")


_VERDICT = "skiptrace.challenge"
"""Response extension holding the verdict: the cache and the session both ask, once each."""


def looks_like_challenge(response: httpx.Response) -> bool:
    """A CAPTCHA, bot-check or WAF block page: never a hit, whatever its status."""
    verdict = response.extensions.get(_VERDICT)
    if verdict is None:
        verdict = response.extensions[_VERDICT] = _judged(response)
    return bool(verdict)


def _judged(response: httpx.Response) -> bool:
    if response.headers.get("cf-mitigated") == "challenge":
        return True
    kind = response.headers.get("content-type", "")
    if "html" not in kind and "text/plain" not in kind:
        return False
    head = response.content[:20000].decode("utf-8", "replace").casefold()
    if any(mark in head for mark in _CHALLENGE_MARKS):
        return True
    return response.status_code in (403, 429, 503) and any(m in head for m in _ERROR_PAGE_MARKS)
