"""Which hosts are contact links, chat services, message senders, dating sites or social networks:
from data.

A hand-written list in code trails the real web, so the lists ship as data (``data/``): three
categories of the UT1 blacklists of Université Toulouse Capitole (CC BY-SA 4.0), copied
verbatim; ``supplement.txt``, the project's entries for services UT1 lacks or files elsewhere;
and ``exclusions.txt``, UT1 entries that are not what their category says, each with why.
``sources.toml`` records where each file came from and when; ``tools/refresh_social_list.py``
refreshes the UT1 copies. Nothing here touches the network.

A host matches an entry that is the host itself or any parent name of two labels or more, at
label boundaries, never a word inside a name: the entry ``match.com`` covers ``uk.match.com``
and not ``matchpoint-tennis.co.uk``. The match does not depend on the Public Suffix List (a
release that made ``line.me`` a suffix would not drop it); instead no entry may be an ICANN
public suffix (``com``, ``co.uk``), so none covers a whole TLD. When several entries match, the
severest category wins, so a subdomain can never make a hard rule's host a policy matter.
"""

from __future__ import annotations

import hashlib
import ipaddress
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from publicsuffixlist import PublicSuffixList
from publicsuffixlist import __version__ as psl_version

from skiptrace.errors import CategoryDataError
from skiptrace.net.urls import LDH_LABEL, try_canonical_host


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
    Category("sender", "sends messages for whoever calls it", "message-service", hard=True),
    Category("dating", "is a dating site", "dating-site-host", hard=False),
    Category("social", "is a social network", "social-network-host", hard=False),
)
"""Severest first: contact, chat and sender are hard rules, dating and social the policy's."""
_BY_NAME = {category.name: category for category in CATEGORIES}

UT1_LISTS = {"social_networks": "social", "chat": "chat", "dating": "dating"}
"""The UT1 lists shipped and the category of each: ``sources.toml`` must name exactly these."""

CORE_CONTACT_HOSTS = frozenset(
    {
        "wa.me", "api.whatsapp.com", "web.whatsapp.com", "t.me", "telegram.me", "m.me",
        "messenger.com", "signal.me", "matrix.to",
    }
)  # fmt: skip
"""Contact hosts refused whatever the data files hold: a floor in code that no emptied, edited
or missing list can lower (they and their subdomains open a conversation)."""
_CORE = "skiptrace's built-in contact hosts"
CORE_SENDER_HOSTS = frozenset(
    {
        "rest.nexmo.com", "platform.clickatell.com", "api.twilio.com", "api.textlocal.in",
        "api.txtlocal.com", "api.msg91.com", "api.smsglobal.com", "api-mapper.clicksend.com",
        "textbelt.com", "sms.ru", "smsapi.free-mobile.fr", "callmebot.com", "maker.ifttt.com",
        "hooks.zapier.com", "m.pipedream.net", "ntfy.sh", "formsubmit.co", "api.elasticemail.com",
    }
)  # fmt: skip
"""The same floor for services that send a message for whoever calls them, most of them on a
plain GET: an SMS, a WhatsApp, a push or an e-mail, or a workflow that sends one."""
_CORE_SENDERS = "skiptrace's built-in sender hosts"


@dataclass(frozen=True)
class Listing:
    """The entry a host matched, its category, and the list it came from."""

    entry: str
    category: Category
    source: str

    def describe(self, host: str) -> str:
        """What a refusal says: ``weibo.com is a social network (UT1 social_networks, ...)``."""
        return f"{host} {self.category.what} ({self.source})"


def _data_dir() -> Traversable:
    return files("skiptrace.net").joinpath("data")


def _read(data: Traversable, name: str) -> bytes:
    try:
        return data.joinpath(*name.split("/")).read_bytes()
    except OSError as exc:
        raise CategoryDataError(f"host lists: {name} cannot be read: {exc}") from None


def _text(data: Traversable, name: str) -> str:
    try:
        return _read(data, name).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CategoryDataError(f"host lists: {name} is not UTF-8: {exc}") from None


@cache
def sources() -> dict[str, Any]:
    """``data/sources.toml``: the provenance of every shipped list."""
    return _sources(_data_dir())


def _sources(data: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(_text(data, "sources.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise CategoryDataError(f"host lists: sources.toml is not TOML: {exc}") from None


def rows(text: str) -> list[list[str]]:
    """A data file's entries as [name, field, rest of the line], comments and blanks skipped
    (fewer items for a line with fewer fields: the loader refuses those)."""
    found = []
    for line in text.splitlines():
        if words := line.split("#", 1)[0].split(None, 2):
            found.append([*(word.lower() for word in words[:2]), *words[2:]])
    return found


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # parses the copy bundled with the package; fetches nothing


@cache
def _icann() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


def is_icann_suffix(name: str) -> bool:
    """``name`` is a public suffix in ICANN's section of the Public Suffix List (``co.uk``),
    not only a private one (``github.io``). The full list, the one the guard judges sites by,
    is asked first: it holds every ICANN rule, and its private section no exception rule (one
    would be needed to make an ICANN suffix private), so a name it calls no suffix is none of
    ICANN's, and the ICANN-only list is parsed only for a name it calls one."""
    return bool(_psl().is_public(name)) and bool(_icann().is_public(name))


def is_ip_address(host: str) -> bool:
    """An IP literal (an IPv6 zone index aside), not a name."""
    address = host.split("%", 1)[0]
    if ":" not in address and not address[-1:].isdigit():
        return False  # a name: an IPv4 address ends in a digit, an IPv6 one has a colon
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def registrable_domain(host: str) -> str | None:
    """The name under a public suffix that ``host`` belongs to; None for a public suffix itself
    or an IP address, which belong to no one's registration."""
    if is_ip_address(host):
        return None
    return _psl().privatesuffix(host)


def is_public_suffix(host: str) -> bool:
    """``host`` is itself a public suffix, ICANN's (``co.uk``) or a private one (``github.io``,
    ``netlify.app``): anyone registers names under it, so it is no one's site."""
    return bool(_psl().is_public(host))


def _ut1_names(data: Traversable, ut1: dict[str, Any]) -> dict[str, list[str]]:
    """Each UT1 list's entries, refused unless ``sources.toml`` names exactly the lists shipped
    and each file has the size and entry count it records."""
    try:
        declared = {item["name"]: item for item in ut1["list"]}
        categories_of = {name: item["category"] for name, item in declared.items()}
    except (KeyError, TypeError) as exc:
        raise CategoryDataError(f"host lists: sources.toml lacks {exc} for a UT1 list") from None
    if categories_of != UT1_LISTS:
        raise CategoryDataError(
            f"host lists: sources.toml lists UT1 {categories_of}, skiptrace ships {UT1_LISTS}"
        )
    names: dict[str, list[str]] = {}
    for name, item in declared.items():
        path = f"ut1/{name}"
        raw = _read(data, path)
        if len(raw) != item.get("bytes"):
            raise CategoryDataError(
                f"host lists: {path} is {len(raw)} bytes, sources.toml says {item.get('bytes')}"
            )
        entries = {line.strip().lower() for line in _text(data, path).splitlines()} - {""}
        if len(entries) != item.get("entries"):
            raise CategoryDataError(
                f"host lists: {path} holds {len(entries)} entries, sources.toml says "
                f"{item.get('entries')}"
            )
        names[name] = sorted(
            _checked(entry, path, strict=False)
            for entry in entries
            if not is_ip_address(entry)  # UT1's chat list holds addresses: not names
        )
    return names


def _checked(name: str, path: str, *, strict: bool) -> str:
    """``name`` if it is spelt as the guard spells a URL's host (``urls.canonical_host``), else
    CategoryDataError: ``wa.me.`` or ``icq.im`` in Cyrillic letters never match the host.
    ``strict`` (the project's own files) also refuses anything but LDH labels (a wildcard)."""
    canonical = try_canonical_host(name)
    if canonical != name:
        spelt = f"the guard spells it {canonical}" if canonical else "not a host name"
        raise CategoryDataError(f"host lists: {path}: {name!r} is not canonical ({spelt})")
    if "." not in name or is_icann_suffix(name):
        raise CategoryDataError(
            f"host lists: {path}: {name!r} is a public suffix: it would cover a whole TLD"
        )
    if strict and not all(LDH_LABEL.fullmatch(label) for label in name.split(".")):
        raise CategoryDataError(
            f"host lists: {path}: {name!r} is not letters, digits and hyphens in dot-separated "
            "labels (no wildcards: an entry covers its subdomains)"
        )
    return name


def _fields(row: list[str], path: str, allowed: dict[str, Any] | tuple[str, ...]) -> None:
    if len(row) < 3 or not row[2].strip():
        raise CategoryDataError(f"host lists: {path}: {' '.join(row)!r} needs NAME FIELD WHY")
    if row[1] not in allowed:
        raise CategoryDataError(
            f"host lists: {path}: {row[0]} names {row[1]!r}, not one of {', '.join(allowed)}"
        )


def build(data: Traversable) -> dict[str, Listing]:
    """Every listed name in the data folder ``data``: UT1 less the exclusions, then the
    supplement; for one name, the severest category among them wins (a supplement entry that
    would demote a UT1 entry is refused: demoting one takes an exclusion, with why).
    CategoryDataError if anything in the data is not what it should be."""
    found = _sources(data)
    try:
        ut1, snapshot = found["ut1"], found["ut1"]["snapshot"]
        reviewed = found["supplement"]["reviewed"]
    except (KeyError, TypeError) as exc:
        raise CategoryDataError(f"host lists: sources.toml lacks {exc}") from None
    ut1_names = _ut1_names(data, ut1)
    excluded = set()
    for row in rows(_text(data, "exclusions.txt")):
        _fields(row, "exclusions.txt", UT1_LISTS)
        if row[0] not in ut1_names[row[1]]:
            raise CategoryDataError(
                f"host lists: exclusions.txt: {row[0]} is not in UT1 {row[1]} (any more)"
            )
        excluded.add((row[0], row[1]))
    table: dict[str, Listing] = {}
    for ut1_list, entries in ut1_names.items():
        category = _BY_NAME[UT1_LISTS[ut1_list]]
        source = f"UT1 {ut1_list}, {snapshot} snapshot"
        for name in entries:
            if (name, ut1_list) in excluded:
                continue
            listed = table.get(name)
            if listed is None or CATEGORIES.index(category) < CATEGORIES.index(listed.category):
                table[name] = Listing(name, category, source)
    supplement = f"skiptrace supplement, {reviewed}"
    for row in rows(_text(data, "supplement.txt")):
        _fields(row, "supplement.txt", _BY_NAME)
        _checked(row[0], "supplement.txt", strict=True)
        category, listed = _BY_NAME[row[1]], table.get(row[0])
        if listed and CATEGORIES.index(listed.category) < CATEGORIES.index(category):
            raise CategoryDataError(
                f"host lists: supplement.txt: {row[0]} is {category.name} here but "
                f"{listed.source.split(',')[0]} files it as {listed.category.name}, which is "
                "severer: the severest category wins, so to demote a UT1 entry list it in "
                "exclusions.txt with why"
            )
        table[row[0]] = Listing(row[0], category, supplement)
    tally = _tally(table)
    if empty := [name for name, count in tally.items() if not count]:
        raise CategoryDataError(
            f"host lists: category {', '.join(empty)} is empty (supplement.txt and ut1/ hold none)"
        )
    return table


@cache
def _table() -> dict[str, Listing]:
    """The shipped lists, loaded once."""
    return build(_data_dir())


@lru_cache(maxsize=1)
def _longest() -> int:
    """The most labels any listed name has (of ``_table``'s: clear both or neither)."""
    names = [*_table(), *CORE_CONTACT_HOSTS, *CORE_SENDER_HOSTS]
    return max(name.count(".") + 1 for name in names)


def check() -> None:
    """Load the shipped lists now: CategoryDataError if they are broken (so a run stops at
    start, not at its first request)."""
    _table()


@lru_cache(maxsize=4096)
def listing(host: str) -> Listing | None:
    """The severest entry ``host`` (canonical) matches: the host or a parent name of two labels
    or more; None if it matches none (an IP address matches none). ``CORE_CONTACT_HOSTS`` and
    ``CORE_SENDER_HOSTS``
    match whatever the data says."""
    if is_ip_address(host):
        return None
    labels = host.split(".")
    table = _table()
    found = []
    # only names as long as a listed one can match: joining every suffix of a 40,000-label
    # host (a link on a page) had been quadratic
    for start in range(max(0, len(labels) - _longest()), len(labels) - 1):
        name = ".".join(labels[start:])
        if name in table:
            found.append(table[name])
        if name in CORE_CONTACT_HOSTS:
            found.append(Listing(name, _BY_NAME["contact"], _CORE))
        elif name in CORE_SENDER_HOSTS:
            found.append(Listing(name, _BY_NAME["sender"], _CORE_SENDERS))
    return min(found, key=lambda listed: CATEGORIES.index(listed.category), default=None)


def _tally(table: dict[str, Listing]) -> dict[str, int]:
    tally = dict.fromkeys((category.name for category in CATEGORIES), 0)
    for listed in table.values():
        tally[listed.category.name] += 1
    return tally


@cache
def digest() -> str:
    """A digest of every listed name and its category: what the lists say, for a run key."""
    listed = sorted(f"{name} {found.category.name}" for name, found in _table().items())
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()[:16]


def counts() -> dict[str, int]:
    """How many names each category holds, for ``policy show``."""
    return _tally(_table())


def provenance() -> str:
    """One line on where the categories come from, for ``policy show``."""
    ut1 = sources()["ut1"]
    names = ", ".join(ut1_list["name"] for ut1_list in ut1["list"])
    return (
        f"{ut1['name']} ({names}; {ut1['licence']}, {ut1['publisher']}) snapshot "
        f"{ut1['snapshot']} from {ut1['mirror']}; skiptrace supplement and exclusions reviewed "
        f"{sources()['supplement']['reviewed']}; no entry an ICANN public suffix by the Public "
        f"Suffix List of publicsuffixlist {psl_version}"
    )
