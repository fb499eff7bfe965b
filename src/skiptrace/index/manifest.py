"""Bulk source manifests: which files a public registry's download holds and how their rows
become people, organisations, addresses and other names. Data, not code: a user adds a state
board's CSV export with a TOML file and no Python. The format is in the README ("Bulk
sources"); everything is checked at load, so a typo is a one-line error naming the file and
the key, never a silent empty column.

A value names a column (CSV/TSV: the header name, trimmed; JSON: a dotted path such as
``addresses.mailing.street1``; a joined file's column as ``ALIAS.COLUMN``), or a list of them
joined by a space (empty ones left out), or a literal written ``=text``. Contact channels
(phones, e-mail, electronic endpoints) have no field here to be mapped to: the index cannot
hold them.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skiptrace.errors import ManifestError
from skiptrace.net.guard import at_origins
from skiptrace.records import page_url
from skiptrace.small_files import small_text
from skiptrace.state import builtin_dir, builtin_file

Value = tuple[str, ...]
"""Columns joined by a space, or one ``=literal``; () is no value."""

FORMATS = ("csv", "tsv", "jsonl", "json")
KINDS = ("person", "organisation")
ROLES = ("mailing", "business", "registered", "correspondence")
"""Address roles. ``mailing`` and ``correspondence`` are where the source says the party takes
mail; ``business`` a place of business (a practice, a head office, a physical address);
``registered`` a registered office (often an agent's)."""
NAME_ORDERS = ("as-printed", "last-first")
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Condition:
    """A test on one value: it equals one of ``equals``, none of ``not_equals``, or matches."""

    value: Value
    equals: tuple[str, ...] = ()
    not_equals: tuple[str, ...] = ()
    matches: re.Pattern[str] | None = None


@dataclass(frozen=True)
class AddressSpec:
    role: str
    lines: tuple[Value, ...]
    city: Value = ()
    region: Value = ()
    postcode: Value = ()
    country: Value = ()


@dataclass(frozen=True)
class RecordSpec:
    """One party a row describes (a row may describe several: an organisation and its
    authorized official). ``part`` tells them apart under one key."""

    part: str
    kind: str
    when: tuple[Condition, ...] = ()
    name: Value = ()
    """The whole name in one column, parsed (``name_order`` says how it is printed)."""
    name_order: str = "as-printed"
    first: Value = ()
    middle: Value = ()
    last: Value = ()
    suffix: Value = ()
    aliases: tuple[Value, ...] = ()
    employer: Value = ()
    employer_ref: Value = ()
    """The key of the employer's record in ``employer_source`` (looked up at search time)."""
    employer_source: str = ""
    title: Value = ()
    addresses: tuple[AddressSpec, ...] = ()


@dataclass(frozen=True)
class JoinSpec:
    """A small member of the same download read first, keyed by ``on``: the rows of the main
    member look its columns up as ``ALIAS.COLUMN`` (the SEC's owners and their filings)."""

    member: str
    on: str
    alias: str

    def takes(self, name: str) -> bool:
        return base_name(name) == base_name(self.member)


@dataclass(frozen=True)
class FileSpec:
    """One kind of file (or ZIP member) of the download."""

    member: str
    """A glob on the file's or member's base name, matched case-insensitively."""
    format: str
    key: Value
    exclude: tuple[str, ...] = ()
    encoding: str = "utf-8"
    fallback: str = ""
    """A codec to decode values that are not valid UTF-8 (``cp1252``); else U+FFFD."""
    updated: Value = ()
    updated_format: str = ""
    """strptime format of ``updated``; empty: ISO 8601 (its date part is kept)."""
    skip: tuple[Condition, ...] = ()
    join: JoinSpec | None = None
    records: tuple[RecordSpec, ...] = ()
    addresses: tuple[AddressSpec, ...] = ()
    """A side file: addresses added to the records of the same key."""
    aliases: tuple[Value, ...] = ()
    """A side file: other names of the records of the same key."""

    def takes(self, name: str) -> bool:
        base = base_name(name)
        if any(fnmatch.fnmatchcase(base, p.lower()) for p in self.exclude):
            return False
        return fnmatch.fnmatchcase(base, self.member.lower())


def base_name(name: str) -> str:
    """A file's or ZIP member's name as manifests match it: without its folders (either
    slash: Windows tools write backslashes), in one Unicode form, lower-cased, and without
    the trailing spaces and dots Windows drops from a name. Two members of one base name
    are one file packed twice."""
    last = re.split(r"[/\\]", name)[-1]
    return unicodedata.normalize("NFC", last).lower().rstrip(" .")


@dataclass(frozen=True)
class BulkSource:
    id: str
    name: str
    version: str
    licence: str
    homepage: str
    files: tuple[FileSpec, ...]
    record_url: str = ""
    """https template with one ``{key}``: the record's own public page."""
    file_date: tuple[re.Pattern[str], ...] = ()
    """Find the file's date in its name, the first that matches (groups ``y``, ``m`` (a number
    or a month's name) and ``d``; or ``y`` and ``q``, a quarter)."""
    delta: re.Pattern[str] | None = None
    """A file whose name matches is a delta (upserted); any other replaces the source."""
    path: Path | None = None


def bulk_sources(extra_dirs: Sequence[Path] = ()) -> tuple[dict[str, BulkSource], list[str]]:
    """The built-in bulk sources, then those in ``extra_dirs``, by id; with the manifests that
    could not be loaded, one line each (a later id that is taken is not loaded)."""
    found: dict[str, BulkSource] = {}
    problems: list[str] = []
    for folder in (builtin_dir("bulk"), *extra_dirs):
        if not folder.is_dir():
            problems.append(f"{folder}: not a folder")
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                source = read_bulk_manifest(path)
            except ManifestError as exc:
                problems.append(str(exc))
                continue
            if source.id in found:
                problems.append(f"{path}: id {source.id!r} is already taken; not loaded")
            else:
                found[source.id] = source
    return found, problems


def read_bulk_manifest(path: Path) -> BulkSource:
    """The bulk source ``path`` declares; ManifestError (naming the file) if it is not sound."""
    try:
        document = tomllib.loads(small_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: cannot read it: {exc}") from None
    except RecursionError:
        raise ManifestError(f"{path}: cannot read it: nested too deeply") from None
    try:
        return _source(document, path)
    except _Bad as exc:
        raise ManifestError(f"{path}: {exc}") from None


class _Bad(Exception):
    pass


def _source(doc: Mapping[str, Any], path: Path) -> BulkSource:
    _keys(doc, "", {"id", "name", "version", "licence", "homepage", "origins", "record_url",
                    "file_date", "delta", "file"}, {"id", "name", "licence", "file"})  # fmt: skip
    source_id = _text(doc, "id")
    if not _ID.fullmatch(source_id):
        raise _Bad(f"id {source_id!r}: lower-case letters, digits and _, starting with a letter")
    files = doc["file"]
    if not isinstance(files, list) or not files:
        raise _Bad("[[file]]: at least one file table")
    record_url = _text(doc, "record_url")
    if record_url:
        _check_record_url(record_url, (*map(str, _list(doc, "origins")), _text(doc, "homepage")),
                          shipped=builtin_file(path, "bulk"))  # fmt: skip
    return BulkSource(
        id=source_id, name=_text(doc, "name"), version=_text(doc, "version") or "1",
        licence=_text(doc, "licence"), homepage=_text(doc, "homepage"),
        files=tuple(_file(f, f"file[{i}]") for i, f in enumerate(files)),
        record_url=record_url, delta=_pattern(doc, "delta"),
        file_date=tuple(_compile(str(p), "file_date") for p in _list(doc, "file_date")),
        path=path,
    )  # fmt: skip


def _check_record_url(template: str, origins: Sequence[str], *, shipped: bool) -> None:
    """A plain https page (no credentials, blank or control character: ``records.page_url``)
    ending in ``/{key}``; for a source skiptrace does not ship, at an origin it declares
    (``origins``, or its homepage's), as a connector's page is (``net.guard.at_origins``): its
    template could name a registry's page (www.sec.gov) for what its own file held."""
    if not (re.fullmatch(r"https://[^{}\s]+/\{key\}", template) and page_url(template)):
        raise _Bad(f"record_url {template!r}: a plain https URL ending in /{{key}}")
    if not shipped and not at_origins(template, origins):
        raise _Bad(f"record_url {template!r}: at none of the origins it declares (origins, or "
                   "homepage's)")  # fmt: skip


def _file(doc: Any, where: str) -> FileSpec:
    doc = _table(doc, where)
    _keys(doc, where, {"member", "exclude", "format", "encoding", "fallback", "key", "updated",
                       "updated_format", "skip", "join", "record", "address", "aliases"},
          {"member", "format", "key"})  # fmt: skip
    fmt = _text(doc, "format", where)
    if fmt not in FORMATS:
        raise _Bad(f"{where}.format {fmt!r}: one of {', '.join(FORMATS)}")
    records = tuple(_record(r, f"{where}.record[{i}]") for i, r in enumerate(_list(doc, "record")))
    parts = [r.part for r in records]
    if len(set(parts)) != len(parts):
        raise _Bad(f"{where}.record: each record needs its own part")
    addresses = tuple(_address(a, f"{where}.address[{i}]")
                      for i, a in enumerate(_list(doc, "address")))  # fmt: skip
    aliases = tuple(_value(v, f"{where}.aliases") for v in _list(doc, "aliases"))
    if not (records or addresses or aliases):
        raise _Bad(f"{where}: no [[{where}.record]], address or aliases: it would read nothing")
    for codec in (doc.get("encoding", "utf-8"), doc.get("fallback") or "utf-8"):
        try:
            "".encode(str(codec))
        except LookupError:
            raise _Bad(f"{where}: unknown encoding {codec!r}") from None
    join = None
    if "join" in doc:
        j = _table(doc["join"], f"{where}.join")
        _keys(j, f"{where}.join", {"member", "on", "as"}, {"member", "on", "as"})
        join = JoinSpec(_text(j, "member"), _text(j, "on"), _text(j, "as"))
    return FileSpec(
        member=_text(doc, "member", where), format=fmt, key=_value(doc["key"], f"{where}.key"),
        exclude=tuple(str(x) for x in _list(doc, "exclude")),
        encoding=str(doc.get("encoding", "utf-8")), fallback=str(doc.get("fallback", "")),
        updated=_value(doc.get("updated", ()), f"{where}.updated"),
        updated_format=str(doc.get("updated_format", "")),
        skip=tuple(_condition(c, f"{where}.skip") for c in _list(doc, "skip")),
        join=join, records=records, addresses=addresses, aliases=aliases,
    )  # fmt: skip


def _record(doc: Any, where: str) -> RecordSpec:
    doc = _table(doc, where)
    _keys(doc, where, {"part", "kind", "when", "name", "name_order", "first", "middle", "last",
                       "suffix", "aliases", "employer", "employer_ref", "employer_source",
                       "title", "address"}, {"part", "kind"})  # fmt: skip
    kind = _text(doc, "kind", where)
    if kind not in KINDS:
        raise _Bad(f"{where}.kind {kind!r}: one of {', '.join(KINDS)}")
    order = str(doc.get("name_order", "as-printed"))
    if order not in NAME_ORDERS:
        raise _Bad(f"{where}.name_order {order!r}: one of {', '.join(NAME_ORDERS)}")
    names = ("name", "first", "middle", "last", "suffix", "employer", "employer_ref", "title")
    v = {k: _value(doc.get(k, ()), f"{where}.{k}") for k in names}
    if not (v["name"] or v["last"]):
        raise _Bad(f"{where}: a name (one column) or a last name is needed")
    if bool(v["employer_ref"]) != bool(doc.get("employer_source")):
        raise _Bad(f"{where}: employer_ref and employer_source go together")
    return RecordSpec(
        part=_text(doc, "part", where), kind=kind,
        when=tuple(_condition(c, f"{where}.when") for c in _list(doc, "when")),
        name_order=order, aliases=tuple(_value(a, f"{where}.aliases") for a in
                                        _list(doc, "aliases")),
        employer_source=str(doc.get("employer_source", "")),
        addresses=tuple(_address(a, f"{where}.address[{i}]")
                        for i, a in enumerate(_list(doc, "address"))),
        **v,
    )  # fmt: skip


def _address(doc: Any, where: str) -> AddressSpec:
    doc = _table(doc, where)
    _keys(doc, where, {"role", "lines", "city", "region", "postcode", "country"},
          {"role", "lines"})  # fmt: skip
    role = _text(doc, "role", where)
    if role not in ROLES:
        raise _Bad(f"{where}.role {role!r}: one of {', '.join(ROLES)}")
    lines = doc["lines"]
    if not isinstance(lines, list):
        raise _Bad(f"{where}.lines: a list of values (one per address line)")
    return AddressSpec(
        role=role, lines=tuple(_value(x, f"{where}.lines") for x in lines),
        **{k: _value(doc.get(k, ()), f"{where}.{k}") for k in
           ("city", "region", "postcode", "country")},
    )  # fmt: skip


def _condition(doc: Any, where: str) -> Condition:
    doc = _table(doc, where)
    _keys(doc, where, {"value", "equals", "not_equals", "matches"}, {"value"})
    tests = [k for k in ("equals", "not_equals", "matches") if k in doc]
    if len(tests) != 1:
        raise _Bad(f"{where}: one of equals, not_equals or matches")

    def texts(key: str) -> tuple[str, ...]:
        raw = doc.get(key, [])  # not (): a tuple is not a list, and would read as ("()",)
        return tuple(str(x) for x in (raw if isinstance(raw, list) else [raw]))

    matches = None
    if "matches" in doc:
        matches = _compile(str(doc["matches"]), f"{where}.matches")
    return Condition(_value(doc["value"], f"{where}.value"), texts("equals"),
                     texts("not_equals"), matches)  # fmt: skip


def _value(raw: Any, where: str) -> Value:
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    if not all(isinstance(x, str) and x.strip() for x in items):
        raise _Bad(f"{where}: a column name, a list of them, or '=literal'")
    if any(x.startswith("=") for x in items) and len(items) > 1:
        raise _Bad(f"{where}: a literal ('=...') stands alone")
    return tuple(items)


def _pattern(doc: Mapping[str, Any], key: str) -> re.Pattern[str] | None:
    return _compile(str(doc[key]), key) if key in doc else None


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise _Bad(f"{where}: not a regular expression: {exc}") from None


def _keys(doc: Mapping[str, Any], where: str, known: set[str], needed: set[str]) -> None:
    unknown = sorted(set(doc) - known)
    if unknown:
        raise _Bad(f"{where or 'top level'}: unknown key {unknown[0]!r}")
    missing = sorted(needed - set(doc))
    if missing:
        raise _Bad(f"{where or 'top level'}: {missing[0]} is missing")


def _table(doc: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(doc, dict):
        raise _Bad(f"{where}: a table")
    return doc


def _list(doc: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = doc.get(key, [])
    return value if isinstance(value, list) else [value]


def _text(doc: Mapping[str, Any], key: str, where: str = "") -> str:
    value = doc.get(key, "")
    if not isinstance(value, str):
        raise _Bad(f"{where + '.' if where else ''}{key}: text")
    return value.strip()
