"""Connector manifests: read and check a TOML file, and run the declarative ones.

A declarative connector is a request template, a record selector and a field mapping. Debtor
values only ever fill query parameters (httpx encodes them), never the URL, so a name like
``../../messages`` cannot change where a request goes. A query string written in the URL itself
(``?format=json``) is sent with every request, before the params (httpx would drop it once
``params`` are given); a name set both there and in params is refused at load. See the README
for the format.

A record's own page (``SourceRecord.record_url``, one a person can open to check the claim; not
the API query, which is ``provenance.source_url``) is a top-level template over the record's
extracted ``source_id``::

    record_url = "https://npiregistry.cms.hhs.gov/provider-view/{source_id}"

Checked at load: a fixed plain https URL (no credentials, blank or control character) whose
only placeholder is one ``{source_id}``, standing as a whole path segment (``/{source_id}``
followed by ``/``, ``?``, ``#`` or the end), a whole query value (``?CIK={source_id}``) or a
whole part of the fragment (``#/record/{source_id}``); and ``source_id`` must be in
``[fields]``. The value goes in percent-encoded as exactly one segment
or value (``/``, ``?``, ``#``, ``&``, ``=``, ``%``, ``..`` and control characters included), so
no source_id can change the page's host, path shape or query names. A record without a
source_id (or with one over 200 characters, which no registry's identifier is) gets no
record_url. ``record_url`` is not a ``[fields]`` selector, and a Python connector sets
``SourceRecord.record_url`` itself (``Session.segment`` encodes the identifier). The template's
host is the manifest's to choose: a connector skiptrace does not ship keeps the page only at an
origin it declares, as a Python one does (``Run.search``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import threading
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from skiptrace.connectors import Session
from skiptrace.connectors._extract import (
    ADDRESS_PARTS,
    Extractor,
    HtmlExtractor,
    JsonExtractor,
    address,
)
from skiptrace.connectors._model import ApiKeySpec, ConnectorInfo, Example, ReplySpec
from skiptrace.connectors._protocol import MAX_RECORDS
from skiptrace.errors import (
    HardRuleRefusal,
    ManifestError,
    SkiptraceError,
    SourceError,
    SpecError,
)
from skiptrace.net.hardrules import KEY_HEADERS
from skiptrace.net.urls import DEFAULT_PORTS, canonicalize
from skiptrace.policy import parse_rate
from skiptrace.records import (
    QUERY_FIELDS,
    RECORD_FIELDS,
    Fetched,
    Provenance,
    Query,
    SourceRecord,
    Status,
    home_page,
    page_url,
    path_segment,
)
from skiptrace.small_files import small_text

ADDRESS_FIELDS = ("mailing_address", "employer_address")
_TABLES: dict[str, type[dict[str, Any]] | type[list[Any]]] = {
    "request": dict, "response": dict, "fields": dict, "pagination": dict, "api_key": dict,
    "origins": list, "examples": list, "gives": list, "needs": list, "optional": list,
}  # fmt: skip
"""The manifest keys that hold a table or a list, checked before anything reads them."""
_TABLE_KEYS = {
    "request": {"url", "params"},
    "response": {"format", "records", "expect", "error", "keep"},
    "pagination": {"type", "param", "size", "start", "max_pages"},
    "api_key": {"env", "host", "scheme", "header"},
}
"""The keys each table may hold: a misspelt one (``expects``) would be ignored, and a page
without the results list it names read as "no result"."""
_EXAMPLE_KEYS = {"name", "query", "expect", "replies", "offered"}
_EXPECT_KEYS = {"status", "count", "first"}
_REPLY_KEYS = {"path", "file", "status", "match", "content_type"}
T = TypeVar("T")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_TOP_KEYS = {
    "id", "name", "version", "gives", "needs", "optional", "terms", "rate", "origins",
    "api_key", "python", "object", "request", "response", "pagination", "fields", "examples",
    "record_url", "site", "search_api",
}  # fmt: skip
_KIND_KEYS = {True: ("response", "pagination", "fields"), False: ("object",)}
"""The keys a manifest may not hold, by whether it names Python code (``python``): what only
the other kind reads (a Python connector fetches and reads its pages itself)."""
SEARCH_APIS = ("searxng",)
"""Search APIs a connector may declare (``search_api``); the policy says where each is."""
_EXPECTABLE = (Status.HIT, Status.NO_RESULT, Status.RATE_LIMITED, Status.BLOCKED, Status.ERROR)
_STATUSES = tuple(str(status) for status in _EXPECTABLE)
"""What a contract example may expect (as the manifest spells it)."""


@dataclass(frozen=True)
class Pagination:
    """Offset or page-number paging; stops on a short or empty page (counted before
    ``response.keep`` drops any record), a 404, a page repeating the one before it (after a
    full one, the search fell short), or at ``max_pages`` (after a full one, the search says
    what it left unread: ``Session.left_unread``)."""

    kind: str
    param: str
    size: int
    start: int
    max_pages: int


@dataclass(frozen=True)
class RecordUrl:
    """A record's own page: ``prefix`` + the encoded source_id + ``suffix``."""

    prefix: str
    suffix: str

    MAX_ID = 200
    """A longer source_id is no registry's identifier: such a record gets no page."""

    def render(self, source_id: str) -> str:
        """The page of the record with this source_id, or "" if it has none."""
        value = source_id.strip()
        if value in ("", ".", "..") or len(value) > self.MAX_ID:  # a browser reads %2E%2E as ..
            return ""
        return f"{self.prefix}{path_segment(value)}{self.suffix}"


_SOURCE_ID = "{source_id}"
_MARK = "SKIPTRACEXSOURCEXID"
"""Stands in for the placeholder while the template's shape is checked."""


def _record_url(template: Any, fields: Mapping[str, Any], where: str) -> RecordUrl | None:
    """The checked ``record_url`` template, or None if the manifest has none."""
    if template is None:
        return None
    problem = f"{where}: record_url must be a fixed https URL with {_SOURCE_ID} as one whole "
    problem += "path segment, query value or fragment part"
    if not isinstance(template, str) or not template.startswith("https://"):
        raise ManifestError(problem)
    marked = template.replace(_SOURCE_ID, _MARK)
    if template.count(_SOURCE_ID) != 1 or "{" in marked or "}" in marked:
        raise ManifestError(f"{where}: record_url's only placeholder is one {_SOURCE_ID}")
    if not page_url(marked):  # a blank, a control character, credentials before the host
        raise ManifestError(problem)
    try:
        parts = urlsplit(marked)
    except ValueError:
        raise ManifestError(problem) from None
    whole = (
        _MARK in parts.path.split("/")
        or _MARK in [pair.partition("=")[2] for pair in parts.query.split("&") if "=" in pair]
        or _MARK in re.split(r"[/?&=]", parts.fragment)
    )
    if not parts.hostname or _MARK in parts.netloc or not whole:
        raise ManifestError(problem)
    if "source_id" not in fields:
        raise ManifestError(f"{where}: record_url uses {_SOURCE_ID}, so [fields] needs source_id")
    prefix, _, suffix = template.partition(_SOURCE_ID)
    return RecordUrl(prefix, suffix)


class ManifestConnector:
    """A connector made of a manifest alone."""

    def __init__(
        self,
        info: ConnectorInfo,
        url: str,
        params: Mapping[str, str],
        extractor: Extractor,
        fields: Mapping[str, Any],
        pagination: Pagination | None,
        record_url: RecordUrl | None = None,
        keep: str = "",
    ) -> None:
        self.info = info
        self._keep = keep
        self._record_url = record_url
        self._url, self._fixed = _split_query(url)
        self._params = dict(params)
        self._extractor = extractor
        self._fields = dict(fields)
        self._pagination = pagination
        self.in_worker = False
        """Set in a worker process (``_worker``): it parses each page where it reads it, being
        a process that is killed with its search and may start no thread."""

    @property
    def reads_pages(self) -> bool:
        """Its answers are web pages, which a hostile server can make slow to parse."""
        return isinstance(self._extractor, HtmlExtractor)

    async def aclose(self) -> None:
        """Nothing to let go of: a manifest connector holds no process."""

    def params_for(self, query: Query) -> dict[str, str]:
        """Query parameters: the URL's own query, then the params with the debtor's values
        filled in (empty optional ones dropped)."""
        filled = dict(self._fixed)
        for name, template in self._params.items():
            value = _PLACEHOLDER.sub(lambda m: query.get(m.group(1)), template)
            if value.strip() or not _PLACEHOLDER.search(template):
                filled[name] = value
        return filled

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        params = self.params_for(query)
        paging = self._pagination
        records: list[SourceRecord] = []
        previous, found = b"", 0
        for page in range(paging.max_pages if paging else 1):
            if paging:
                step = page * paging.size if paging.kind == "offset" else page
                params[paging.param] = str(paging.start + step)
            fetched = await session.get(self._url, params=params)
            if page and fetched.content == previous:  # a server that ignores the parameter
                if paging and found == paging.size:  # a full page: more may stand past it
                    session.fell_short(f"{fetched.url}: page {page + 1} repeated page {page} "
                                       f"({paging.param} ignored), the rest unread")  # fmt: skip
                break
            if fetched.status == 404:
                break  # past the last page
            previous = fetched.content
            parse = partial(self._parse, fetched, session.provenance(fetched))
            found, read = parse() if self.in_worker else await _off_the_loop(parse)
            records.extend(read)
            if len(records) > MAX_RECORDS:
                raise SourceError(f"{fetched.url}: more than {MAX_RECORDS:,} records in one "
                                  "search: not a search's answer")  # fmt: skip
            if not paging or found < max(paging.size, 1):
                break
        else:  # the bound reached on a full page: more may stand past it, the same next time
            assert paging is not None
            session.left_unread(f"stopped at max_pages = {paging.max_pages} after a full page "
                                f"({paging.param}={params[paging.param]}): records past it "
                                "unread")  # fmt: skip
        return records

    def _parse(self, fetched: Fetched, provenance: Provenance) -> tuple[int, list[SourceRecord]]:
        """How many records one page holds, and those that name anything. Run off the event
        loop (``_off_the_loop``): reading a hostile page's records can take as long as parsing
        it."""
        url = fetched.url
        try:
            message, found = self._extractor.page(
                fetched.content, fetched.headers.get("content-type", "")
            )
        except ValueError as exc:
            raise SourceError(f"{url}: unreadable answer ({exc})") from None
        if message:
            raise SourceError(f"{url}: the source says: {message}")
        if len(found) > MAX_RECORDS:
            raise SourceError(f"{url}: more than {MAX_RECORDS:,} records in one page: not a "
                              "search's answer")  # fmt: skip
        kept = [item for item in found if self._kept(item)]
        read = [record for item in kept if (record := self._record(item, provenance))]
        if kept and not read:
            raise SourceError(f"{url}: unreadable answer ({len(kept)} records, no field the "
                              "manifest reads in any)")  # fmt: skip
        return len(found), read

    def _kept(self, item: Any) -> bool:
        """Whether ``response.keep`` keeps the record (a JMESPath true value: not null, false,
        "", [] or {}). Records are dropped here, after the page's count, never by the records
        selector: a full page with a dropped record would read as the last one."""
        if not self._keep:
            return True
        value = self._extractor.scope(item, self._keep)
        return value is not None and value is not False and value not in ("", [], {})

    def _record(self, item: Any, provenance: Provenance) -> SourceRecord | None:
        """The record ``item`` gives, or None if no field of it names anything."""
        values: dict[str, Any] = {}
        for name, spec in self._fields.items():
            if name in ADDRESS_FIELDS:
                values[name] = address(self._extractor, item, spec)
            else:
                values[name] = self._extractor.value(item, spec)
        if not any(values.values()):
            return None
        if self._record_url:
            values["record_url"] = self._record_url.render(values.get("source_id", ""))
        if "website" in values:  # as a page writes it; anything but a home page is dropped
            values["website"] = home_page(values["website"])
        return SourceRecord(provenance=provenance, **values)


def read_manifest(path: Path, text: str | None = None) -> tuple[ConnectorInfo, dict[str, Any]]:
    """The connector's declaration and the raw document, or ManifestError saying what is wrong.
    ``text``: the manifest as read before (a search's worker is handed the run's, not the file)."""
    try:
        document = tomllib.loads(small_text(path) if text is None else text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: cannot read: {exc}") from None
    except RecursionError:
        raise ManifestError(f"{path}: cannot read: nested too deeply") from None
    where = str(path)
    unknown = set(document) - _TOP_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("id", "name", "version", "terms"):
        if not isinstance(document.get(key), str) or not document[key].strip():
            raise ManifestError(f"{where}: '{key}' is required (a string)")
    if "python" in document and "record_url" in document:
        raise ManifestError(
            f"{where}: record_url is for declarative manifests; a Python connector sets "
            "SourceRecord.record_url itself"
        )
    # keys of the other kind of connector would be read by nothing: a manifest error, as an
    # unknown key is, never ignored
    misplaced = [key for key in _KIND_KEYS["python" in document] if key in document]
    if misplaced:
        readers = "declarative manifests" if "python" in document else "Python connectors"
        raise ManifestError(f"{where}: {', '.join(misplaced)}: for {readers} only")
    if not _ID.fullmatch(document["id"]):
        raise ManifestError(f"{where}: id {document['id']!r} must be lower_snake_case")
    gives = _names(document, "gives", RECORD_FIELDS, where, required=True)
    needs = _names(document, "needs", QUERY_FIELDS, where, required=True)
    optional = _names(document, "optional", QUERY_FIELDS, where, required=False)
    for key, kind in _TABLES.items():  # a table written as text, a list as one value...
        if key in document and not isinstance(document[key], kind):
            raise ManifestError(f"{where}: '{key}' must be a {'table' if kind is dict else 'list'}")
    for key, allowed in _TABLE_KEYS.items():
        _known(document.get(key) or {}, allowed, key, where)
    origins = tuple(document.get("origins") or ())
    request = document.get("request") or {}
    if request.get("url"):  # its own URL's origin counts as declared
        origins = tuple(dict.fromkeys((*origins, _origin(str(request["url"]), where))))
    for origin in origins:  # one the guard cannot read stops the connector here, not a run
        _origin(str(origin), where)
    site, search_api = document.get("site", False), document.get("search_api", "")
    if not isinstance(site, bool):
        raise ManifestError(f"{where}: 'site' is true or false")
    if search_api not in ("", *SEARCH_APIS):
        raise ManifestError(f"{where}: 'search_api' is one of {', '.join(SEARCH_APIS)}")
    if (site or search_api) and "python" not in document:
        raise ManifestError(f"{where}: 'site' and 'search_api' are for Python connectors")
    if not origins and not (site or search_api):
        raise ManifestError(f"{where}: 'origins' (or request.url) says which hosts it reaches")
    rate = str(document.get("rate", ""))
    if rate:
        try:
            parse_rate(rate)
        except SkiptraceError as exc:
            raise ManifestError(f"{where}: {exc}") from None
    examples = document.get("examples", [])
    info = ConnectorInfo(
        id=document["id"],
        name=document["name"],
        version=document["version"],
        gives=gives,
        needs=needs,
        optional=optional,
        terms=document["terms"],
        origins=origins,
        rate=rate,
        api_key=_api_key(document.get("api_key"), origins, where),
        examples=tuple(_example(e, path.parent, where, site=site) for e in examples),
        source=path,
        site=site,
        search_api=str(search_api),
    )
    return info, document


def declarative(info: ConnectorInfo, document: Mapping[str, Any]) -> ManifestConnector:
    """Build the connector a manifest describes (one without ``python``)."""
    where = str(info.source)
    request, response = document.get("request"), document.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise ManifestError(f"{where}: needs [request] and [response] (or python = ...)")
    url = str(request.get("url", ""))
    if not url.startswith(("https://", "http://")) or "{" in url or "}" in url:
        raise ManifestError(
            f"{where}: request.url must be a fixed http(s) URL; debtor values go in "
            "request.params, never in the URL"
        )
    params = {str(k): str(v) for k, v in (request.get("params") or {}).items()}
    pagination = _pagination(document.get("pagination"), where)
    _check_query(url, params, pagination, where)
    allowed = set(info.needs) | set(info.optional)
    for template in params.values():
        for name in _PLACEHOLDER.findall(template):
            if name not in allowed:
                raise ManifestError(f"{where}: parameter uses {{{name}}}, not in needs/optional")
    fields = document.get("fields") or {}
    bad = set(fields) - set(RECORD_FIELDS)
    if bad:
        raise ManifestError(f"{where}: unknown fields {', '.join(sorted(bad))}")
    if "record_url" in fields:
        raise ManifestError(
            f"{where}: record_url is not a [fields] selector; write a top-level "
            f'record_url = "https://.../{_SOURCE_ID}"'
        )
    record_url = _record_url(document.get("record_url"), fields, where)
    try:
        extractor = _extractor(response, where)
        _check_fields(extractor, fields, where)
    except SpecError as exc:
        raise ManifestError(f"{where}: {exc}") from None
    keep = str(response.get("keep", ""))
    return ManifestConnector(info, url, params, extractor, fields, pagination, record_url, keep)


def _split_query(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its query (and fragment), and that query's parameters."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(query=None, fragment=None)), dict(parsed.params.multi_items())


def _check_query(
    url: str, params: Mapping[str, str], pagination: Pagination | None, where: str
) -> None:
    """No name of the URL's own query set again (in it, in params, or as the page param)."""
    names = [name for name, _ in httpx.URL(url).params.multi_items()]
    for name in names:
        if names.count(name) > 1:
            raise ManifestError(f"{where}: request.url's query repeats {name!r}")
        if name in params:
            raise ManifestError(f"{where}: request.url's query and request.params both set "
                                f"{name!r}")  # fmt: skip
    if pagination and pagination.param in names:
        raise ManifestError(f"{where}: pagination.param {pagination.param!r} is already in "
                            "request.url's query")  # fmt: skip


def _extractor(response: Mapping[str, Any], where: str) -> Extractor:
    for key in ("records", "error", "expect", "keep"):
        if not isinstance(response.get(key, ""), str):
            raise ManifestError(f"{where}: response.{key} must be a selector string")
    kind, records = response.get("format"), str(response.get("records", ""))
    if not records:
        raise ManifestError(f"{where}: response.records (the record selector) is required")
    if kind == "json":
        if response.get("expect"):  # a JSON answer without its records is already an error
            raise ManifestError(f"{where}: response.expect is for html pages")
        extractor = JsonExtractor(records, str(response.get("error", "")))
        if response.get("keep"):
            extractor.check(str(response["keep"]))
        return extractor
    if kind == "html":
        for key in ("keep", "error"):  # JMESPath, read from JSON only: never ignored
            if response.get(key):
                raise ManifestError(f"{where}: response.{key} is for json answers")
        if not response.get("expect"):  # else a maintenance page read as "no result"
            raise ManifestError(
                f"{where}: response.expect is required for html pages: a selector every answer "
                "page of the source has, with records or without (its results list, its 'no "
                "results' note), so that a maintenance, sign-in or challenge page served with "
                "HTTP 200 is the source's error, never 'no result'"
            )
        return HtmlExtractor(records, str(response["expect"]))
    raise ManifestError(f"{where}: response.format must be json or html")


def _check_fields(extractor: Extractor, fields: Mapping[str, Any], where: str) -> None:
    for name, spec in fields.items():
        if name in ADDRESS_FIELDS:
            if not isinstance(spec, dict) or set(spec) - {"from", *ADDRESS_PARTS}:
                raise ManifestError(f"{where}: {name} is a table of from/{'/'.join(ADDRESS_PARTS)}")
            specs = [str(v) for v in spec.values()]
        elif isinstance(spec, str):
            specs = [spec]
        else:
            raise ManifestError(f"{where}: field {name} must be a selector string")
        for one in specs:
            extractor.check(one)  # a selector that cannot be read fails at load


def _pagination(table: Any, where: str) -> Pagination | None:
    if not table:
        return None
    kind = table.get("type")
    if kind not in ("offset", "page") or not table.get("param"):
        raise ManifestError(f"{where}: pagination needs type (offset or page) and param")
    return Pagination(
        kind=kind,
        param=str(table["param"]),
        size=int(table.get("size", 0)),
        start=int(table.get("start", 0 if kind == "offset" else 1)),
        max_pages=max(1, min(int(table.get("max_pages", 1)), 20)),
    )


def _names(
    document: Mapping[str, Any], key: str, known: tuple[str, ...], where: str, *, required: bool
) -> tuple[str, ...]:
    values = document.get(key, [])
    if not isinstance(values, list) or (required and not values):
        raise ManifestError(f"{where}: '{key}' is a list of field names")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ManifestError(f"{where}: '{key}' has unknown fields {unknown}; known: {known}")
    return tuple(values)


def _api_key(table: Any, origins: tuple[str, ...], where: str) -> ApiKeySpec | None:
    if table is None:
        return None
    if not isinstance(table, dict) or not table.get("env") or not table.get("host"):
        raise ManifestError(f"{where}: api_key needs env (variable name) and host")
    scheme = str(table.get("scheme", "basic"))
    if scheme not in ("basic", "bearer", "raw"):
        raise ManifestError(f"{where}: api_key.scheme is basic, bearer or raw")
    header = str(table.get("header", "Authorization"))
    if header.lower() not in KEY_HEADERS:
        raise ManifestError(f"{where}: api_key.header must be Authorization or X-Api-Key")
    env = str(table["env"])
    if env.upper().startswith("SKIPTRACE_"):  # the audit key's and skiptrace's own settings
        raise ManifestError(f"{where}: api_key.env may not name one of skiptrace's own variables")
    host = str(table["host"]).lower()
    if f"https://{host}" not in origins:
        raise ManifestError(f"{where}: api_key.host must be one of the connector's https origins")
    return ApiKeySpec(env, host, scheme, header)


def _known(table: Mapping[str, Any], allowed: set[str], name: str, where: str) -> None:
    """ManifestError naming the keys of ``table`` that no reader looks at."""
    unknown = set(table) - allowed
    if unknown:
        raise ManifestError(f"{where}: unknown keys in {name}: {', '.join(sorted(unknown))}")


def within(base: Path, name: str) -> Path | None:
    """``base / name``, symlinks resolved, if that lies in ``base``; else None, and None for
    links that loop (a RuntimeError out of ``resolve`` before Python 3.13: one file in a
    third party's folder ended every command that loads connectors)."""
    try:
        path = (base / name).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(base.resolve()) else None


def _reply_file(base: Path, name: str, where: str) -> Path:
    """A recorded reply's file: in the manifest's folder, symlinks resolved. ``connectors
    test`` reads it in this process, outside any sandbox, and serves it to the connector."""
    path = within(base, name)
    if path is None:
        raise ManifestError(f"{where}: example reply {name!r} is not a file in the connector's "
                            "folder")  # fmt: skip
    return path


def _example(table: Mapping[str, Any], base: Path, where: str, *, site: bool) -> Example:
    expect = table.get("expect") or {}
    offered = table.get("offered", [])
    if not isinstance(offered, list) or not all(isinstance(url, str) for url in offered):
        raise ManifestError(f"{where}: example offered is a list of websites")
    if offered and not site:
        raise ManifestError(f"{where}: example offered is for a connector with site = true")
    _known(table, _EXAMPLE_KEYS, "examples", where)
    _known(expect, _EXPECT_KEYS, "examples.expect", where)
    for reply in table.get("replies", []):
        _known(reply, _REPLY_KEYS, "examples.replies", where)
    status = str(expect.get("status", "hit"))
    if status not in _STATUSES:
        raise ManifestError(f"{where}: example expect.status is one of {_STATUSES}")
    replies = tuple(
        ReplySpec(
            path=str(reply["path"]),
            file=_reply_file(base, str(reply["file"]), where) if reply.get("file") else None,
            status=int(reply.get("status", 200)),
            match={str(k): str(v) for k, v in (reply.get("match") or {}).items()},
            content_type=str(reply.get("content_type", "")),
        )
        for reply in table.get("replies", [])
    )
    return Example(
        name=str(table.get("name", "example")),
        query={str(k): str(v) for k, v in (table.get("query") or {}).items()},
        replies=replies,
        expect_status=status,
        expect_count=int(expect["count"]) if "count" in expect else None,
        expect_first={str(k): str(v) for k, v in (expect.get("first") or {}).items()},
        offered=tuple(offered),
    )


def _origin(url: str, where: str) -> str:
    """``url``'s scheme and host (and port); ManifestError if the guard cannot read it, or if
    it is no origin a request can go to: a ``*``, ``""``, ``file:`` or ``javascript:`` one had
    loaded and then ended every run holding the connector with a KeyError."""
    try:
        canonical = canonicalize(url)
        parsed = httpx.URL(url)
    except (HardRuleRefusal, httpx.InvalidURL) as error:
        raise ManifestError(f"{where}: {url!r} is not a URL the guard can read: {error}") from None
    if canonical.scheme not in DEFAULT_PORTS or not canonical.host or canonical.has_userinfo:
        raise ManifestError(f"{where}: origin {url!r} is not an http(s) scheme and host "
                            "(no wildcard, no credentials)")  # fmt: skip
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


async def _off_the_loop(work: Callable[[], T]) -> T:
    """``work()`` in a daemon thread. A hostile page can make an HTML parser take minutes
    (lexbor's time grows faster than the square of nesting depth), and reading its records as long;
    on the event loop that would stall every deadline and every other debtor. Off it, the
    source's deadline ends the search on time, and a daemon thread does not keep the process
    alive once the run is over; but it parses on after the deadline until it is done, so a
    manifest reading pages searches in a worker process where it can (``_registry``), where
    the page is parsed on its loop (``in_worker``) and the worker is killed with its search."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():
            outcome()

    def run() -> None:
        try:
            found = work()
        except BaseException as exc:  # handed to the search, which judges it
            answer = functools.partial(settle, functools.partial(done.set_exception, exc))
        else:
            answer = functools.partial(settle, functools.partial(done.set_result, found))
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(answer)

    threading.Thread(target=run, name="skiptrace-parse", daemon=True).start()
    return await done
