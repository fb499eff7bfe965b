"""Which hosts are contact links, chat services, dating sites or social networks: from data.

A hand-written list in code trails the real web, so the lists ship as data (``data/``): three
categories of the UT1 blacklists of Université Toulouse Capitole (CC BY-SA 4.0), copied
verbatim; ``supplement.txt``, the project's entries for services UT1 lacks or files elsewhere;
and ``exclusions.txt``, UT1 entries that are not what their category says, each with why.
``sources.toml`` records where each file came from and when; ``tools/refresh_social_list.py``
refreshes the UT1 copies. Nothing here touches the network.

A host matches an entry that is the host itself or a parent name down to its registrable domain
(the Public Suffix List bundled in ``publicsuffixlist``), never a word inside a name: the
entry ``match.com`` covers ``uk.match.com`` and not ``matchpoint-tennis.co.uk``. When several
entries match, the severest category wins, so a subdomain can never make a hard rule's host a
policy matter.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from publicsuffixlist import PublicSuffixList
from publicsuffixlist import __version__ as psl_version


@dataclass(frozen=True)
class Category:
    """One kind of host: what a refusal says it is, and which rule refuses it."""

    name: str
    what: str
    rule: str
    hard: bool


CATEGORIES = (
    Category("contact", "opens a conversation", "contact-host", hard=True),
    Category("chat", "is a chat service", "contact-host", hard=True),
    Category("dating", "is a dating site", "dating-site-host", hard=False),
    Category("social", "is a social network", "social-network-host", hard=False),
)
"""Severest first: contact and chat are hard rules, dating and social the policy's."""
_BY_NAME = {category.name: category for category in CATEGORIES}


@dataclass(frozen=True)
class Listing:
    """The entry a host matched, its category, and the list it came from."""

    entry: str
    category: Category
    source: str

    def describe(self, host: str) -> str:
        """What a refusal says: ``weibo.com is a social network (UT1 social_networks, ...)``."""
        return f"{host} {self.category.what} ({self.source})"


def _data(name: str) -> str:
    return files("skiptrace.net").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


@cache
def sources() -> dict[str, Any]:
    """``data/sources.toml``: the provenance of every shipped list."""
    return tomllib.loads(_data("sources.toml"))


def _rows(name: str) -> list[list[str]]:
    """A data file's entries as [name, field, rest of the line], comments and blanks skipped."""
    rows = []
    for line in _data(name).splitlines():
        if text := line.split("#", 1)[0].strip():
            entry, field, *why = text.split(None, 2)
            rows.append([entry.lower(), field.lower(), *why])
    return rows


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # parses the copy bundled with the package; fetches nothing


def registrable_domain(host: str) -> str | None:
    """The name under a public suffix that ``host`` belongs to; None for a public suffix itself
    or an IP address, which belong to no one's registration."""
    if ":" in host or host.replace(".", "").isdigit():
        return None
    return _psl().privatesuffix(host)


@cache
def _table() -> dict[str, Listing]:
    """Every listed name: UT1 less the exclusions, then the supplement on top."""
    ut1 = sources()["ut1"]
    excluded = {(name, ut1_list) for name, ut1_list, *_ in _rows("exclusions.txt")}
    table: dict[str, Listing] = {}
    for ut1_list in ut1["list"]:
        category = _BY_NAME[ut1_list["category"]]
        source = f"UT1 {ut1_list['name']}, {ut1['snapshot']} snapshot"
        for line in _data(f"ut1/{ut1_list['name']}").splitlines():
            name = line.strip().lower()
            if (name, ut1_list["name"]) in excluded or not registrable_domain(name):
                continue
            listed = table.get(name)
            if listed is None or CATEGORIES.index(category) < CATEGORIES.index(listed.category):
                table[name] = Listing(name, category, source)
    supplement = f"skiptrace supplement, {sources()['supplement']['reviewed']}"
    for name, category_name, *_ in _rows("supplement.txt"):
        table[name] = Listing(name, _BY_NAME[category_name], supplement)
    return table


@lru_cache(maxsize=4096)
def listing(host: str) -> Listing | None:
    """The severest entry ``host`` (canonical) matches, from the host down to its registrable
    domain; None if it matches none."""
    registrable = registrable_domain(host)
    if registrable is None:
        return None
    labels = host.split(".")
    table = _table()
    found = [
        table[name]
        for start in range(len(labels) - registrable.count("."))
        if (name := ".".join(labels[start:])) in table
    ]
    return min(found, key=lambda listed: CATEGORIES.index(listed.category), default=None)


def counts() -> dict[str, int]:
    """How many names each category holds, for ``policy show``."""
    tally = dict.fromkeys((category.name for category in CATEGORIES), 0)
    for listed in _table().values():
        tally[listed.category.name] += 1
    return tally


def provenance() -> str:
    """One line on where the categories come from, for ``policy show``."""
    ut1 = sources()["ut1"]
    names = ", ".join(ut1_list["name"] for ut1_list in ut1["list"])
    return (
        f"{ut1['name']} ({names}; {ut1['licence']}, {ut1['publisher']}) snapshot "
        f"{ut1['snapshot']} from {ut1['mirror']}; skiptrace supplement and exclusions reviewed "
        f"{sources()['supplement']['reviewed']}; registrable domains by the Public Suffix List "
        f"of publicsuffixlist {psl_version}"
    )
