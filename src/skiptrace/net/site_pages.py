"""The pages of a business's own site a connector may read, by the words of their paths: the
link reader (``pages.links``) follows them, without their query, and the guard refuses a page
below one of them, one person's own, and a query to one of them, which may pick out one
person, whichever way a request comes to it (a link or a redirect)."""

from __future__ import annotations

import re
from typing import Final

SITE_PAGES: Final = (
    ("contact", 10), ("contactus", 10), ("impressum", 9), ("team", 8), ("our-team", 8),
    ("staff", 8), ("people", 7), ("aboutus", 6),
    ("leadership", 7), ("about", 6), ("locations", 5), ("location", 5), ("find-us", 5),
)  # fmt: skip
"""Path words of the pages worth reading, each with its rank (contact first)."""

_INDEX: Final = re.compile(r"(?:index|default)(?:\.[a-z0-9]+)?")
"""A directory's own page (``index.html``, ``default.aspx``): the directory itself."""


def _parts(path: str) -> list[str]:
    """The path's parts, lower-cased, a directory's own page standing for the directory
    ("/team/index.html" is the team page, not one below it)."""
    parts = [p for p in path.lower().split("/") if p]
    if parts and _INDEX.fullmatch(parts[-1]):
        parts.pop()
    return parts


def _names_site_page(part: str) -> bool:
    """A path part that says team, about, contact...: whole, or a word of it ("contact-us",
    "team%20members"), never inside another word ("teamwork", "peoplesoft", "staffing")."""
    words = {part, *re.split(r"[^a-z0-9]+", part)}
    return any(word in words for word, _ in SITE_PAGES)


def site_page(path: str) -> bool:
    """One of the pages a connector reads for itself (``/our-team``, ``/about/contact``): a
    query to it may pick out one person (``/team/?member=marcus-oyelaran``)."""
    parts = _parts(path)
    return bool(parts) and _names_site_page(parts[-1])


def colleague_page(path: str) -> bool:
    """A page below one a connector reads for itself, not one of those itself: a colleague's
    own (``/team/marcus-oyelaran``, ``/about/marcus-oyelaran``,
    ``/meet-the-team/priya-venkataraman``), whose very URL names him in the audit log."""
    parts = _parts(path)
    if not parts or _names_site_page(parts[-1]):
        return False  # "/about-us/contact-us/" is the contact page
    return any(_names_site_page(part) for part in parts[:-1])
