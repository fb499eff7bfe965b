"""The ``offline`` connector: the local index of public bulk records, searched like any source.

It sends no request (it gets a Session like every connector and never uses it), so nothing
tells a website whom the collector looks for. Each record says which bulk file of which date
it came from (``provenance``: the file, member and line; ``fetched_at``: the file's date) and
its own last-update date (``record_date``), so the output shows how fresh the evidence is.
Until something is imported, it answers ``needs_config``, never "no result".
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

from skiptrace._version import __version__
from skiptrace.connectors import Session
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._protocol import within_bounds
from skiptrace.errors import NotConfigured
from skiptrace.index import Hit, Store, index_path
from skiptrace.index.mapping import Place
from skiptrace.index.store import holds_records, imported
from skiptrace.normalize import parse_name
from skiptrace.records import Address, Provenance, Query, SourceRecord

INFO = ConnectorInfo(
    id="offline",
    name="Offline index of public bulk records (skiptrace index import)",
    version=__version__,
    gives=(
        "person_name",
        "mailing_address",
        "employer",
        "employer_address",
        "title",
        "source_id",
        "record_url",
        "record_date",
    ),
    needs=("last_name",),
    optional=("first_name", "employer", "zip"),  # zip: agreeing records are read first
    terms="Bulk downloads of public registries, imported by the user; each source's licence "
    "is in its manifest (skiptrace index sources lists them).",
    origins=(),
)
MAILING_ROLES = ("mailing", "correspondence")
"""Where a person takes mail, as the source labels it; a place of business never is."""
WORK_ROLES = ("business", "mailing", "registered")


class OfflineConnector:
    """The index at ``path`` (``SKIPTRACE_HOME/index.sqlite3`` when None), opened on first
    search and never created by one."""

    info = INFO

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """The index holds records, or is a file that cannot be read (each search then fails
        and says why): it is searched by default (named, it is always). An empty index file
        is not enough: a failed import or ``index drop`` leaves it empty, and every lookup
        would then say ``needs_config`` for a source nobody set up."""
        try:
            path = self._path or index_path()
        except OSError:  # an unusable SKIPTRACE_HOME: the command says so, in one line
            return False
        return holds_records(path)

    def state(self) -> str:
        """The files imported into the index (``Stateful``): a resumed run reuses no answer
        found before a delta changed it."""
        try:
            return imported(self._path or index_path())
        except OSError:  # an unusable SKIPTRACE_HOME: the command says so, in one line
            return ""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        hits = await asyncio.to_thread(self._search, query)
        return within_bounds([_record(hit) for hit in hits], cut=True)

    def _search(self, query: Query) -> list[Hit]:
        store = self._open()
        if pending := store.unfinished():  # its debtors would be "no result", unsearched
            source, file = pending[0]
            raise NotConfigured(f"the offline index's first import of {source} ({file}) has "
                                "not finished: run it again (skiptrace index import), then "
                                "this search")  # fmt: skip
        if alone := store.deltas_alone():
            source, file = alone[0]
            raise NotConfigured(f"the offline index holds no full file of {source}, only "
                                f"deltas ({file}): import its full file (skiptrace index "
                                "import), then this search")  # fmt: skip
        hits = store.search(query.get("first_name"), query.get("last_name"),
                            query.get("employer"), postcode=query.get("zip"))  # fmt: skip
        if not hits and not store.has_records():  # `index drop` during the run: no answer
            raise NotConfigured(f"the offline index at {store.path} holds no records now")
        return hits

    def _open(self) -> Store:
        with self._lock:
            if self._store is None:
                path = self._path or index_path()
                if not path.is_file():
                    raise NotConfigured(f"no offline index at {path}: import public bulk "
                                        "files with `skiptrace index import`")  # fmt: skip
                store = Store(path)
                if not store.has_records():
                    store.close()
                    raise NotConfigured(f"the offline index at {path} holds no records yet")
                self._store = store
            return self._store

    async def aclose(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()


def _record(hit: Hit) -> SourceRecord:
    where = hit.file if hit.member == hit.file else f"{hit.file}:{hit.member}"
    provenance = Provenance(INFO.id, INFO.version, f"{hit.source} {where} line {hit.line}",
                            hit.file_date)  # fmt: skip
    record = SourceRecord(provenance, source_id=hit.key, record_url=hit.record_url,
                          record_date=hit.updated)  # fmt: skip
    if hit.kind == "organisation":
        return replace(record, employer=hit.name, employer_address=_first(hit.places, WORK_ROLES))
    work = _first(hit.places, ("business",)) or _first(hit.employer_places, WORK_ROLES)
    return replace(record, person_name=_person_name(hit), title=hit.title, employer=hit.employer,
                   mailing_address=_first(hit.places, MAILING_ROLES),
                   employer_address=work if hit.employer else Address())  # fmt: skip


def _person_name(hit: Hit) -> str:
    """The name as printed when it reads the way the source filed it; otherwise "LAST, FIRST
    MIDDLE SUFFIX" from the filed parts, so the matcher meets the person the source meant (the
    SEC prints "Quillfeather Margaret A", which read first-last is somebody else)."""
    first, middle, last, suffix = hit.filed
    printed = parse_name(hit.name)
    if not last or (printed.last, printed.first) == (parse_name(last).full(),
                                                     parse_name(first).full()):  # fmt: skip
        return hit.name
    given = " ".join(part for part in (first, middle, suffix) if part)
    filed = f"{last}, {given}" if given else last
    return filed.upper() if hit.name.isupper() else filed.title()


def _first(places: tuple[Place, ...], roles: tuple[str, ...]) -> Address:
    for role in roles:
        for place in places:
            if place.role == role and place:
                return place.address()
    return Address()
