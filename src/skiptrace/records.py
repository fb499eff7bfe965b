"""The values that flow through skiptrace: what is searched for and what a source returned.

A ``Query`` holds the debtor fields a connector may search with; ``Fetched`` is a page as a
connector reads it; a ``SourceRecord`` is one candidate a source returned, with its provenance
(where, when, which connector and version); ``Status`` says how a source answered. Connectors
never see the matcher and the matcher never does I/O: these records are the hand-off.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

from nameparser import HumanName

from skiptrace.errors import ConnectorError, SourceError

QUERY_FIELDS = (
    "first_name", "middle_name", "last_name", "suffix", "full_name", "address", "city",
    "state", "zip", "country", "phone", "email", "employer", "employer_website",
)  # fmt: skip
"""Debtor fields a connector may declare in ``needs`` or ``optional``."""
MATCH_ONLY_FIELDS = ("dob",)
"""Debtor fields the matcher compares with what sources return, which no connector can
declare: a birth date is never sent to a source (``Query.only`` hands a connector only what
it declares)."""
MAX_QUERY_BYTES = 1000
"""The UTF-8 bytes of one query value at most (a name, an address line, a city): longer is
no debtor's, and a source would be sent all of it (percent-encoded, up to 12 characters a
letter: no URL of 65,536 carries 60,000 of them)."""
MAX_WEBSITE_BYTES = 8192
"""An ``employer_website``'s bytes at most: one pasted with a tracking query is read from its
home page, however long its query."""
CONTACT_DETAILS = ("phone", "email")
"""The fields a message is sent to: handed to a connector skiptrace does not ship only when
the policy's ``connectors.contact_details`` names it."""
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WRAPPED = re.compile(r'<([^<>]*)>|"([^"]*)"|\u201c([^\u201c\u201d]*)\u201d|\'([^\']*)\'')
"""A website as pasted, wrapped whole: ``<https://acme.example/>`` from an e-mail, a quoted
spreadsheet cell."""


def path_segment(value: str) -> str:
    """``value`` percent-encoded as exactly one URL path segment (``/`` and ``..`` included)."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def normalised_field(name: str) -> str:
    """``Date-Of-Birth`` and ``date_of_birth`` are the same field: one key for file headers,
    flag columns and the audit log's redacted fields."""
    return _NOT_ALNUM.sub("", name.lower())


def _unwrapped(website: str) -> str:
    """``website`` without one pair of angle brackets or quotes around it whole."""
    wrapped = _WRAPPED.fullmatch(website)
    inner = next((part for part in wrapped.groups() if part is not None), "") if wrapped else ""
    return inner.strip() or website


@dataclass(frozen=True)
class Query:
    """The debtor fields available for one lookup; empty values count as absent."""

    values: Mapping[str, str]
    debtor_ref: str = ""

    @classmethod
    def of(cls, debtor_ref: str = "", **fields: str | None) -> Query:
        """A query from keyword fields; ``full_name`` is derived from the parts if not given."""
        unknown = set(fields) - {*QUERY_FIELDS, *MATCH_ONLY_FIELDS}
        if unknown:
            raise ValueError(f"unknown query fields: {', '.join(sorted(unknown))}")
        values = {k: " ".join(v.split()) for k, v in fields.items() if v and v.strip()}
        if "employer_website" in values:
            values["employer_website"] = _unwrapped(values["employer_website"])
        if "full_name" in values and not values.keys() & {"first_name", "last_name"}:
            parsed = HumanName(values["full_name"])  # "ROE, JANE Q" too; case kept for sources
            named = {"first_name": parsed.first, "middle_name": parsed.middle,
                     "last_name": parsed.last, "suffix": parsed.suffix}  # fmt: skip
            values.update({k: v for k, v in named.items() if v})
        if "full_name" not in values:
            parts = [values.get(k, "") for k in ("first_name", "middle_name", "last_name")]
            if any(parts):
                values["full_name"] = " ".join(p for p in parts if p)
        return cls(values=values, debtor_ref=debtor_ref)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def only(self, names: Iterable[str]) -> Query:
        """The fields ``names`` of this query and no reference: what a connector is handed
        (what it declares, nothing more; the run audits its requests by the reference)."""
        wanted = frozenset(names)
        return Query({name: v for name, v in self.values.items() if name in wanted})

    def has(self, *names: str) -> bool:
        return all(self.values.get(name) for name in names)

    def overlong(self) -> str:
        """The field no source may be asked for (a value past ``most_bytes``), or "": a
        refusal that is final, where the URL it gave would fail every source every run. The
        caller names it as its user gave it (a column, an option)."""
        for name, value in self.values.items():
            if len(value.encode("utf-8", "surrogatepass")) > most_bytes(name):
                return name
        return ""


def most_bytes(field: str) -> int:
    """The most UTF-8 bytes a query's ``field`` may hold (``Query.overlong``)."""
    return MAX_WEBSITE_BYTES if field == "employer_website" else MAX_QUERY_BYTES


@dataclass(frozen=True)
class Address:
    """A postal address as a source gave it; normalisation happens in the matcher."""

    lines: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""

    def one_line(self) -> str:
        """``1 Main St, Suite 4, Springfield, IL 62701, US``: parts joined, empties dropped."""
        tail = " ".join(p for p in (self.region, self.postal_code) if p)
        parts = [*self.lines, self.city, tail, self.country]
        return ", ".join(p for p in parts if p)

    def __bool__(self) -> bool:
        return bool(self.one_line())


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: enough to find the page again and to audit the claim."""

    connector: str
    connector_version: str
    source_url: str
    fetched_at: str


@dataclass(frozen=True)
class SourceRecord:
    """One candidate from one source, in canonical fields."""

    provenance: Provenance
    person_name: str = ""
    mailing_address: Address = field(default_factory=Address)
    employer: str = ""
    employer_address: Address = field(default_factory=Address)
    title: str = ""
    phone: str = ""
    source_id: str = ""
    """The source's own identifier for the record (NPI, LEI, CIK, company number...)."""
    record_url: str = ""
    """The record's own page, one a person can open to check the claim (not the API query)."""
    record_date: str = ""
    """The record's own last-update date as the source states it (ISO ``YYYY-MM-DD``), where
    it states one: how fresh the evidence is, beside the date it was fetched or published."""
    website: str = ""
    """The employer's own website (EDGAR's submissions carry one), written by ``home_page``: a
    site the run may offer to a connector that reads business sites, which must still find
    that the site names the employer before reading anything from it."""
    snippet: str = ""
    """What the page says, as written (at most 200 characters), for a person checking the claim:
    a staff line's name and title, a business's other addresses."""

    def __post_init__(self) -> None:
        if self.record_url and not page_url(self.record_url):
            raise ConnectorError(f"a record's URL must be a plain https page address: "
                                 f"{self.record_url[:80]!r}")  # fmt: skip
        if self.website and home_page(self.website) != self.website:
            raise ConnectorError(f"a record's website must be a home page as home_page writes "
                                 f"it: {self.website[:80]!r}")  # fmt: skip

    def field_value(self, name: str) -> str:
        """A canonical field as text (addresses as one line), for contracts and output."""
        value = getattr(self, name)
        return value.one_line() if isinstance(value, Address) else str(value)


def page_url(url: str) -> bool:
    """An https URL with a host, no credentials (``https://registry@evil.example/`` reads as the
    registry) and no blank or control character (urlsplit would drop a newline unseen)."""
    if _BLANK_OR_CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc
    except ValueError:  # a malformed host, such as "https://[x"
        return False


_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def home_page(value: str) -> str:
    """A website as sources write it (``www.apple.com`` as often as ``http://www.apple.com/``)
    as a home page URL, ``https://www.apple.com/``; "" unless it is one: http or https, a host
    name of letters, digits and hyphens (an IDN as its A-labels would be) in two labels or more,
    or an IP address, a port, no credentials, nothing after the host but a ``/``. Whether anyone
    may read the site is the guard's to say, when a connector adopts it."""
    value = value.strip()
    if not value or _BLANK_OR_CONTROL.search(value) or "\\" in value or "%" in value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (a port out of range raises here)
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in ("http", "https") or "@" in parts.netloc or not _host_name(host):
        return ""
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in value:
        return ""
    return f"{scheme}://{parts.netloc.lower()}/"


_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _host_name(host: str) -> bool:
    """A DNS name of two labels or more (the last not all digits), or an IP address."""
    try:
        ipaddress.ip_address(host)
        return "." in host or ":" in host  # dotted IPv4 or IPv6, not an integer
    except ValueError:
        pass
    try:
        labels = host.encode("idna").decode("ascii").split(".")
    except UnicodeError:
        return False
    return len(labels) > 1 and not labels[-1].isdigit() and all(map(_LABEL.fullmatch, labels))


_DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]|$)")


def record_day(value: str) -> str:
    """A source's date or timestamp (``2025-04-21T10:50:46Z``) as the ISO day ``record_date``
    holds, "" for anything else: records rank fresher first, and text would sort anywhere, as
    a day that is none (2025-02-30) or still to come (2999-01-01, later than tomorrow in UTC)
    would sort first. The run applies it to every connector's records."""
    match = _DAY.match(value)
    if not match:
        return ""
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:  # 2025-02-30
        return ""
    return day.isoformat() if day <= datetime.now(UTC).date() + timedelta(days=1) else ""


MAX_ADDRESS_LINES = 8
"""Street lines kept of one address, whoever read it (a manifest's selector, a Python
connector, a business page): more is no address's, and each was work to read."""

RECORD_FIELDS = (
    "person_name", "mailing_address", "employer", "employer_address", "title", "phone",
    "source_id", "record_url", "record_date", "website", "snippet",
)  # fmt: skip
"""Canonical fields a connector may fill (and declare in ``gives``)."""


class Status(StrEnum):
    """How a source answered one query; ``OK``, ``RATE_LIMITED`` and ``BLOCKED`` also say how
    it stands for the rest of a run. The values are the words the output files use."""

    HIT = "hit"
    NO_RESULT = "no_result"
    SKIPPED = "skipped"
    """The query lacks a field the connector needs."""
    NEEDS_KEY = "needs_key"
    """The connector's API key is not set: skipped, never an error."""
    NEEDS_CONFIG = "needs_config"
    """The connector needs a search API the policy does not configure (``search.searxng_url``)
    and the query offers it no site, or the offline index has no records yet: skipped, never
    an error and never "no result"."""
    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"
    """A CAPTCHA or WAF challenge page, or repeated 403s."""
    REFUSED = "refused"
    """A guard or robots.txt rule refused a request."""
    ERROR = "error"
    TIMEOUT = "timeout"
    """The source did not answer within ``limits.source_seconds`` for this query."""
    OK = "ok"
    """Not (yet) rate-limited or blocked in this run."""

    @property
    def unavailable(self) -> bool:
        """The source could not be asked: its silence is not "no result"."""
        return self in (
            Status.RATE_LIMITED,
            Status.BLOCKED,
            Status.ERROR,
            Status.REFUSED,
            Status.TIMEOUT,
        )


@dataclass(frozen=True)
class Fetched:
    """A response as a connector sees it: read in full, with where and when it came from."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str
    from_cache: bool

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; a non-JSON body (an HTML block page, say) is a SourceError."""
        try:
            return json.loads(self.content)
        except ValueError:
            raise SourceError(f"{self.url} did not return JSON (HTTP {self.status})") from None
