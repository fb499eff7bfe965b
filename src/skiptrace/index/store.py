"""The offline index: one SQLite file in SKIPTRACE_HOME (0600, WAL, like every store here).

SQLite, not DuckDB, because the index's hot path is many small keyed lookups (one per debtor
and source), where a B-tree answers in microseconds and a columnar engine pays a query plan per
call; benchmarks/index.py measures both on this access pattern. Tables:

- ``parties``: one row per person or organisation (source, key, part), with its addresses and
  other names as JSON, the record's own update date, and the file (and its date) it came from;
- ``extras``: what side files add to a key (practice locations, other names);
- ``keys``: blocking keys (``keys.person_keys``, ``keys.organisation_key``) -> party;
- ``files`` and ``progress``: each import, how far it got (a killed import resumes there);
- ``sources``: each source's name, licence and record page template, as its manifest said;
- ``replaced``: the date of the newest full file read of each source's file kind: a row of an
  older file (a delta or a full file imported late) is not stored, since that full file says
  which records still exist (one it left out stays removed);
- ``staged_parties``, ``staged_extras``, ``staged_keys``: the rows of an import under way, as
  read (appended, unindexed: a batch costs the pages it fills, not a page per row of the
  B-trees); moved into the tables above in key order when the file has been read.

A newer record wins: a row replaces the stored one only if its file is as new or newer (and
then its own update date). A full file replaces its source: once it is read to the end, rows
of the file kinds it holds that came from older files are deleted (of a kind it held no row
of, none: an empty or truncated download removes nothing); a delta only upserts, each record
it holds with the parts it names (an officer it no longer names is removed).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from skiptrace.errors import IndexBusy, InputError
from skiptrace.index.keys import organisation_key, person_keys, person_lookup_keys
from skiptrace.index.manifest import BulkSource
from skiptrace.index.mapping import Entry, Party, Place
from skiptrace.normalize import normalize_uk_postcode, same_first_names
from skiptrace.normalize._text import to_ascii
from skiptrace.records import path_segment
from skiptrace.state import home, open_store, private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,
    file_date TEXT NOT NULL, delta INTEGER NOT NULL, started TEXT NOT NULL, finished TEXT,
    rows INTEGER NOT NULL DEFAULT 0, bad INTEGER NOT NULL DEFAULT 0,
    fixed INTEGER NOT NULL DEFAULT 0, parties INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, sha256));
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, licence TEXT NOT NULL, record_url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS progress (
    file_id INTEGER NOT NULL, member TEXT NOT NULL, done INTEGER NOT NULL,
    PRIMARY KEY (file_id, member));
CREATE TABLE IF NOT EXISTS parties (
    source TEXT NOT NULL, key TEXT NOT NULL, part TEXT NOT NULL, spec INTEGER NOT NULL,
    kind TEXT NOT NULL, name TEXT NOT NULL, first TEXT, middle TEXT, last TEXT, suffix TEXT,
    employer TEXT, employer_ref TEXT, employer_source TEXT, title TEXT, places TEXT,
    aliases TEXT, updated TEXT NOT NULL, file_id INTEGER NOT NULL, file_date TEXT NOT NULL,
    member TEXT NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY (source, key, part)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS extras (
    source TEXT NOT NULL, key TEXT NOT NULL, what TEXT NOT NULL, value TEXT NOT NULL,
    spec INTEGER NOT NULL, file_id INTEGER NOT NULL, file_date TEXT NOT NULL,
    PRIMARY KEY (source, key, what, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replaced (
    source TEXT NOT NULL, spec INTEGER NOT NULL, file_date TEXT NOT NULL,
    PRIMARY KEY (source, spec)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (
    block TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, part TEXT NOT NULL,
    spec INTEGER NOT NULL, file_date TEXT NOT NULL,
    PRIMARY KEY (block, source, key, part)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_parties (
    source, key, part, spec, kind, name, first, middle, last, suffix, employer, employer_ref,
    employer_source, title, places, aliases, updated, file_id, file_date, member, line);
CREATE TABLE IF NOT EXISTS staged_extras (source, key, what, value, spec, file_id, file_date);
CREATE TABLE IF NOT EXISTS staged_keys (file_id, block, source, key, part, spec, file_date);
"""

CANDIDATES = 50
"""The most parties one lookup returns (newest first): a key as common as "Smith, J" is
narrowed by the matcher, not by reading thousands of rows."""
MAX_SIDE_ROWS = 100
"""Side-file rows of each kind (places, other names) one lookup reads of a record, those
agreeing with the debtor's postcode first: NPPES gives a provider a few secondary practice
locations, and a side file of 200,000 for one record had made each lookup of it read them all
(3.8 s and 97 MB in the run the README gives)."""
SHRINK_MIN = 1_000
"""A full file may remove fewer records than this without question; from this many on, not
more than half of a file kind's records unless the import says the source shrank."""


def index_path() -> Path:
    return home() / "index.sqlite3"


def holds_records(path: Path) -> bool:
    """Whether the index at ``path`` holds a record, or may: a file that cannot be read (a
    damaged, truncated or locked index) is searched, so each search fails and says why. Called
    empty, it was left out of the sources and its debtors were "no result", the registry
    unsearched. An empty file is SQLite's empty database: nothing imported."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
    except OSError:  # dropped (``index drop``) as it was looked at
        return False
    try:
        return bool(_read_only(path, "SELECT 1 FROM parties LIMIT 1"))
    except sqlite3.Error:
        return True


def imported(path: Path) -> str:
    """The files imported into the index at ``path``, as one string (each one's digest and
    when it was finished): what its answers depend on (``_read_only``); none if it cannot be
    read (its searches fail)."""
    if not path.is_file():
        return ""
    try:
        rows = _read_only(path, "SELECT sha256, finished FROM files ORDER BY id")
    except sqlite3.Error:
        return ""
    return ";".join(f"{sha}@{done}" for sha, done in rows)


def _read_only(path: Path, query: str) -> list[tuple[object, ...]]:
    """``query``'s rows from the index at ``path``, read only, so asking never creates the
    file (nor a schema in a stranger's file); sqlite3.Error if it cannot be read. The ``-wal``
    and ``-shm`` files a reader of a WAL database may create are made 0600, as ``open_store``
    makes them."""
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return list(db.execute(query))
    finally:
        db.close()
        for suffix in ("-wal", "-shm"):
            if (side := Path(f"{path}{suffix}")).exists():
                private_file(side)


@dataclass(frozen=True)
class Hit:
    """A party as a search returns it, with where it came from."""

    source: str
    key: str
    part: str
    kind: str
    name: str
    employer: str
    title: str
    places: tuple[Place, ...]
    aliases: tuple[str, ...]
    updated: str
    file: str
    file_date: str
    member: str
    line: int
    employer_places: tuple[Place, ...] = ()
    """The employer's addresses, from its own record (``employer_ref``) when the source
    names one."""
    record_url: str = ""
    """The record's own public page, from the source's ``record_url`` template."""
    filed: tuple[str, str, str, str] = ("", "", "", "")
    """A person's first, middle, last name and suffix as the source filed them (its columns,
    or the name parsed in the order its manifest says it is printed)."""


_FILE_RUNS = (
    "SELECT id, source, name, file_date, delta, coalesce(finished, ''), rows, bad, fixed, "
    "parties FROM files"
)
"""``FileRun`` rows, the columns in the dataclass's order."""


@dataclass(frozen=True)
class FileRun:
    """One import of one file, as ``files`` records it."""

    id: int
    source: str
    name: str
    file_date: str
    delta: bool
    finished: str
    rows: int
    bad: int
    fixed: int
    parties: int


class Store:
    """The index file. One writer at a time (an import); any number of readers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or index_path()
        self._db = open_store(self.path, SCHEMA)
        self._db.execute("PRAGMA cache_size=-32768")  # 32 MB (and as much to sort), if used
        self._db.execute("PRAGMA wal_autocheckpoint=16384")  # 64 MB: fewer syncs importing
        self._db.create_function("folded", 1, _folded, deterministic=True)
        self._lock = threading.Lock()
        self._holder: int | None = None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index for this writer (an import, a drop) until the block ends; IndexBusy
        if another process holds it. SQLite locks one transaction at a time, and an import is
        many: two at once each took the other's staged rows for its own and counted them."""
        lock = self.path.with_name(self.path.name + ".writer")
        private_file(lock)
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexBusy(
                    f"another import or drop is writing to the index {self.path}; run the same "
                    "command again once it has ended"
                ) from None
            self._holder = threading.get_ident()
            try:
                yield
            finally:
                self._holder = None
        finally:
            os.close(fd)

    def _held(self) -> None:
        """Every write goes through here: a writer that did not take the index (code that
        forgot ``writing``, or another thread) is a bug, refused rather than let race another."""
        if self._holder != threading.get_ident():
            raise RuntimeError(f"the index {self.path} is written only while held (Store.writing)")

    def close(self) -> None:
        """Close once no search is running (a lookup that is cancelled closes its connectors
        while a worker thread may still be searching)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- imports ------------------------------------------------------------------------

    def file_run(self, source: str, sha256: str) -> FileRun | None:
        row = self._db.execute(
            _FILE_RUNS + " WHERE source = ? AND sha256 = ?",
            (source, sha256),
        ).fetchone()
        return None if row is None else FileRun(*row)

    def describe(self, source: BulkSource) -> None:
        """Keep what a search shows of ``source`` (its manifest may not be at hand then)."""
        self._held()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
                (source.id, source.name, source.licence, source.record_url),
            )

    def start_file(
        self, source: str, name: str, sha256: str, file_date: str, delta: bool, now: str
    ) -> FileRun:
        self._held()
        self._db.execute(
            "INSERT OR IGNORE INTO files (source, name, sha256, file_date, delta, started) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (source, name, sha256, file_date, int(delta), now),
        )
        run = self.file_run(source, sha256)
        assert run is not None
        return run

    def abandon(self, run: FileRun) -> None:
        """Forget an unfinished import: its staged rows, its progress and its file row. For a
        file that cannot be read to its end or changed while read: importing it again can
        only fail again or is another file, so what it staged would stay on disk for good."""
        self._held()
        with self._lock, _transaction(self._db):
            for table in _STAGED:
                self._db.execute(f"DELETE FROM {table} WHERE file_id = ?", (run.id,))
            self._db.execute("DELETE FROM progress WHERE file_id = ?", (run.id,))
            self._db.execute("DELETE FROM files WHERE id = ? AND finished IS NULL", (run.id,))

    def done(self, file_id: int, member: str) -> int:
        row = self._db.execute(
            "SELECT done FROM progress WHERE file_id = ? AND member = ?", (file_id, member)
        ).fetchone()
        return int(row[0]) if row else 0

    def write(
        self,
        run: FileRun,
        source: str,
        batch: Sequence[tuple[int, str, int, Entry]],
        marks: Mapping[str, int],
        counts: tuple[int, int, int],
    ) -> None:
        """A batch of entries (spec, member, line, entry) and how far each member was read
        (-1: to its end), staged in one transaction: a kill loses at most the batch, which the
        next run reads again. ``counts``: rows read, rows bad, rows decoded with the fallback.
        """
        self._held()
        parties, keys, extras = [], [], []
        for spec, member, line, entry in batch:
            for party in entry.parties:
                parties.append(_party_row(source, entry, party, spec, run, member, line))
                for block in _blocks(party):
                    keys.append((run.id, block, source, entry.key, party.part, spec,
                                 run.file_date))  # fmt: skip
            for place in entry.places:
                extras.append((source, entry.key, "place", _place_json(place), spec, run.id,
                               run.file_date))  # fmt: skip
            for alias in entry.aliases:
                extras.append((source, entry.key, "alias", alias, spec, run.id, run.file_date))
                if block := organisation_key(alias):
                    keys.append((run.id, block, source, entry.key, "", spec, run.file_date))
        rows, bad, fixed = counts
        with self._lock, _transaction(self._db):
            self._db.executemany(f"INSERT INTO staged_parties VALUES ({_marks(21)})", parties)
            self._db.executemany(f"INSERT INTO staged_keys VALUES ({_marks(7)})", keys)
            self._db.executemany(f"INSERT INTO staged_extras VALUES ({_marks(7)})", extras)
            self._db.executemany(
                "INSERT OR REPLACE INTO progress VALUES (?, ?, ?)",
                [(run.id, member, done) for member, done in marks.items()],
            )
            self._db.execute(
                "UPDATE files SET rows = ?, bad = ?, fixed = ? WHERE id = ?",
                (rows, bad, fixed, run.id),
            )

    def _check_shrink(self, source: str, spec: int, file_date: str) -> None:
        """InputError if replacing ``spec``'s older rows would remove most of them: its
        records, or its side file's rows (``extras``: NPPES's practice locations, which a cut
        pl_pfile would lose)."""
        for table, what in (("parties", "records"), ("extras", "side-file rows")):
            older, total = self._db.execute(
                f"SELECT count(*) FILTER (WHERE file_date < ?), count(*) FROM {table} "
                "WHERE source = ? AND spec = ?",
                (file_date, source, spec),
            ).fetchone()
            if older >= SHRINK_MIN and older * 2 > total:
                raise InputError(
                    f"this full file would remove {older:,} of its {total:,} {what}, more than "
                    "half (a download cut short?): nothing was replaced; import it with "
                    "--allow-shrink if the source really shrank"
                )

    def finish(
        self, run: FileRun, source: str, specs: Iterable[int], now: str, *, allow_shrink: bool
    ) -> int:
        """Mark the import done: its staged rows go into the index in key order (a row
        replaces the stored one only if it is as new or newer); a full file then replaces its
        source's older rows of the file kinds it held rows of. The number of rows removed
        (records and side-file rows: what the summary calls rows). Unless ``allow_shrink``,
        InputError (and nothing done) if that would remove most of a file kind's records
        (``SHRINK_MIN`` or more): a download cut at a line boundary reads as a smaller file."""
        self._held()
        removed = 0
        with self._lock, _transaction(self._db):
            floors = self._db.execute(
                "SELECT spec FROM replaced WHERE source = ? AND file_date > ?",
                (source, run.file_date),
            ).fetchall()
            for table in _STAGED if floors else ():  # older than a full file read since
                self._db.executemany(
                    f"DELETE FROM {table} WHERE file_id = ? AND spec = ?",
                    [(run.id, spec) for (spec,) in floors],
                )
            # the kinds a full file replaces: those it holds rows of, whether or not a newer
            # file holds the same records (their rows are dropped just below)
            held = {int(spec) for (spec,) in self._db.execute(
                "SELECT DISTINCT spec FROM staged_parties WHERE file_id = ? UNION "
                "SELECT DISTINCT spec FROM staged_extras WHERE file_id = ?",
                (run.id, run.id))} if not run.delta else set()  # fmt: skip
            # what a record's newer stored copy no longer says is not brought back by an
            # older file read late (its parts, its keys, its side rows); a newer file's side
            # rows for a record replace the older ones of that file kind (a delta's new
            # locations)
            newer = self._db.execute(  # else no stored row can be newer: nothing to look up
                "SELECT 1 FROM files WHERE source = ? AND file_date > ? AND finished IS NOT NULL "
                "LIMIT 1", (source, run.file_date)).fetchone()  # fmt: skip
            if newer:
                self._db.execute(_STALE_STAGED_PARTIES, (run.id, run.file_date))
                self._db.execute(_STALE_STAGED_PARTY_KEYS, (run.id, run.file_date))
                self._db.execute(_STALE_STAGED_KEYS, (run.id, run.file_date))
                self._db.execute(_STALE_STAGED_EXTRAS, (run.id, run.file_date))
            if run.delta:  # a full file removes its kinds' older rows below
                self._db.execute(_REPLACED_EXTRAS, (run.file_date, run.id))
            stored = self._db.execute(_MOVE_PARTIES, (run.id,)).rowcount  # newer ones only
            self._db.execute(_MOVE_KEYS, (run.id,))
            self._db.execute(_MOVE_EXTRAS, (run.id,))
            if run.delta:  # a record it renamed is no longer found by its old name, nor by
                # a part (an officer) it no longer names
                self._db.execute(_STALE_KEYS, (run.file_date, run.id, run.id))
                removed += self._drop_parts(run)
            if not run.delta:
                for spec in sorted(set(specs)):
                    if spec not in held:
                        continue
                    self._db.execute(
                        "INSERT INTO replaced VALUES (?, ?, ?) ON CONFLICT (source, spec) DO "
                        "UPDATE SET file_date = max(file_date, excluded.file_date)",
                        (source, spec, run.file_date),
                    )
                    older = "WHERE source = ? AND spec = ? AND file_date < ?"
                    if not allow_shrink:
                        self._check_shrink(source, spec, run.file_date)
                    for table in ("parties", "extras"):
                        removed += self._db.execute(
                            f"DELETE FROM {table} {older}", (source, spec, run.file_date)
                        ).rowcount
                    self._db.execute(f"DELETE FROM keys {older}", (source, spec, run.file_date))
            for table in _STAGED:
                self._db.execute(f"DELETE FROM {table} WHERE file_id = ?", (run.id,))
            self._db.execute("DELETE FROM progress WHERE file_id = ?", (run.id,))
            self._db.execute(
                "UPDATE files SET finished = ?, parties = parties + ? WHERE id = ?",
                (now, max(stored, 0), run.id),
            )
        return removed

    def _drop_parts(self, run: FileRun) -> int:
        """Remove an older file's parts of each record the delta ``run`` holds, of its file
        kind, that it does not name, with the keys that found them (a party's keys are the
        blocks of its stored names: looked up, not scanned for). The number removed."""
        dropped = self._db.execute(_DROPPED_PARTS, (run.id, run.file_date, run.id)).fetchall()
        keys: list[tuple[str, str, str, str]] = []
        for source, key, part, kind, name, first, last, aliases in dropped:
            party = Party(part, kind, name, first=first or "", last=last or "",
                          aliases=tuple(json.loads(aliases or "[]")))  # fmt: skip
            keys.extend((block, source, key, part) for block in _blocks(party))
        self._db.executemany(
            "DELETE FROM parties WHERE source = ? AND key = ? AND part = ?",
            [row[:3] for row in dropped],
        )
        self._db.executemany(
            "DELETE FROM keys WHERE block = ? AND source = ? AND key = ? AND part = ?", keys
        )
        return len(dropped)

    def drop(self, source: str) -> int:
        """Remove everything of ``source``; the number of parties removed."""
        self._held()
        with self._lock, _transaction(self._db):
            count = self._db.execute("DELETE FROM parties WHERE source = ?", (source,)).rowcount
            for table in ("extras", "keys", "replaced", *_STAGED):
                self._db.execute(f"DELETE FROM {table} WHERE source = ?", (source,))
            ids = [r[0] for r in self._db.execute("SELECT id FROM files WHERE source = ?",
                                                  (source,))]  # fmt: skip
            self._db.executemany("DELETE FROM progress WHERE file_id = ?", [(i,) for i in ids])
            self._db.execute("DELETE FROM files WHERE source = ?", (source,))
        return count

    # --- reading ------------------------------------------------------------------------

    def unfinished(self) -> list[tuple[str, str]]:
        """(source, file) of each source whose imports have all yet to finish (a first import
        under way, or killed): none of its records is searched yet; and of each whose first
        full file has yet to finish, however many deltas did (a delta alone holds a week's
        changes, not the source). A source with a finished file (a full one, for a full file
        under way) is searched as that file left it, whatever import of it is under way."""
        rows = self._db.execute(
            "SELECT source, name FROM files f WHERE finished IS NULL AND NOT EXISTS (SELECT 1 "
            "FROM files g WHERE g.source = f.source AND g.finished IS NOT NULL "
            "AND (g.delta = 0 OR f.delta = 1)) ORDER BY id"
        )
        return [(str(source), str(name)) for source, name in rows]

    def deltas_alone(self) -> list[tuple[str, str]]:
        """(source, file) of each delta of a source with no full file finished: a week's
        changes, not the source, so a debtor it does not hold would be "no result"."""
        rows = self._db.execute(
            "SELECT source, name FROM files f WHERE delta = 1 AND NOT EXISTS (SELECT 1 FROM "
            "files g WHERE g.source = f.source AND g.delta = 0 AND g.finished IS NOT NULL) "
            "ORDER BY id"
        )
        return [(str(source), str(name)) for source, name in rows]

    def has_records(self) -> bool:
        return self._db.execute("SELECT 1 FROM parties LIMIT 1").fetchone() is not None

    def files(self) -> list[FileRun]:
        rows = self._db.execute(_FILE_RUNS + " ORDER BY source, file_date, id").fetchall()
        return [FileRun(*row) for row in rows]

    def counts(self) -> list[tuple[str, str, int]]:
        """(source, kind, parties) for every source and kind."""
        return [
            (str(s), str(k), int(n))
            for s, k, n in self._db.execute(
                "SELECT source, kind, count(*) FROM parties GROUP BY source, kind ORDER BY 1, 2"
            )
        ]

    def search(
        self,
        first: str = "",
        last: str = "",
        organisation: str = "",
        limit: int = CANDIDATES,
        postcode: str = "",
    ) -> list[Hit]:
        """People filed under the name's keys, and organisations under ``organisation``'s:
        first those whose first name (Robert for Bob, and the other way) and ``postcode``
        agree with the ones given (both, then either), then newest first (by file date, then
        the record's own date). Only ``limit`` are read: with the newest alone, a debtor's own
        record older than ``limit`` namesakes filed under "Smith, J" was never a candidate. A
        side file's other name finds the organisations of its key, not the people filed with
        them (an NPPES organisation's authorized official is not known by its DBA)."""
        blocks = sorted(person_lookup_keys(first, last) if last else set())
        if organisation and (block := organisation_key(organisation)):
            blocks.append(block)
        if not blocks:
            return []
        marks = ", ".join("?" * len(blocks))
        firsts = sorted(same_first_names(_first(first)))  # Bob agrees with Robert
        first_marks = ", ".join("?" * len(firsts))
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT p.source, p.key, p.part, p.kind, p.name, p.employer, "
                f"p.title, p.places, p.aliases, p.updated, f.name, p.file_date, p.member, "
                f"p.line, p.employer_ref, p.employer_source, p.first, p.middle, p.last, p.suffix "
                f"FROM keys k JOIN parties p "
                f"ON p.source = k.source AND p.key = k.key "
                f"AND (p.part = k.part OR (k.part = '' AND p.kind = 'organisation')) "
                f"JOIN files f ON f.id = p.file_id WHERE k.block IN ({marks}) "
                f"ORDER BY ({_FIRST_FOLDED} IN ({first_marks})) "
                f"+ {_at_postcode('p.places')} DESC, "
                f"p.file_date DESC, p.updated DESC, p.source, p.key, p.part LIMIT ?",
                (*blocks, *firsts, *_postcode(postcode), limit),
            ).fetchall()
            if not rows:
                return []
            templates = self._templates()
            extras = self._extras({(str(r[0]), str(r[1])) for r in rows}, postcode)
            employers = self._employers({(str(r[15]), str(r[14])) for r in rows if r[14] and r[15]})
            return [self._hit(row, templates, extras, employers) for row in rows]

    def _hit(
        self,
        row: tuple[object, ...],
        templates: Mapping[str, str],
        extras: Mapping[tuple[str, str], tuple[list[Place], list[str]]],
        employers: Mapping[tuple[str, str], tuple[str, tuple[Place, ...]]],
    ) -> Hit:
        source, key, part, kind, name, employer, title, places, aliases = row[:9]
        updated, file, file_date, member, line, ref, ref_source = row[9:16]
        first, middle, last, suffix = (str(part or "") for part in row[16:20])
        extra_places, extra_aliases = extras.get((str(source), str(key)), ([], []))
        employer_places: tuple[Place, ...] = ()
        if ref and ref_source and (found := employers.get((str(ref_source), str(ref)))):
            employer, employer_places = (employer or found[0]), found[1]
        template = templates.get(str(source), "")
        return Hit(
            str(source), str(key), str(part), str(kind), str(name), str(employer or ""),
            str(title or ""), (*_places(str(places)), *extra_places),
            (*json.loads(str(aliases or "[]")), *extra_aliases), str(updated), str(file),
            str(file_date), str(member), int(str(line)), employer_places,
            _record_url(template, str(key)), (first, middle, last, suffix),
        )  # fmt: skip

    def _templates(self) -> dict[str, str]:
        return {str(s): str(t) for s, t in self._db.execute("SELECT id, record_url FROM sources")}

    def _extras(
        self, wanted: Iterable[tuple[str, str]], postcode: str
    ) -> dict[tuple[str, str], tuple[list[Place], list[str]]]:
        """What side files add to each (source, key): places and other names, at most
        ``MAX_SIDE_ROWS`` of each, places at ``postcode`` first; one query per source."""
        found: dict[tuple[str, str], tuple[list[Place], list[str]]] = {}
        for source, keys in _by_source(wanted).items():
            for key, what, value in self._db.execute(
                f"SELECT key, what, value FROM (SELECT key, what, value, row_number() OVER ("
                f"PARTITION BY key, what ORDER BY {_at_postcode('value')} DESC, value) AS n "
                f"FROM extras WHERE source = ? AND key IN "
                f"({_marks(len(keys))})) WHERE n <= ? ORDER BY key, what, value",
                (*_postcode(postcode), source, *keys, MAX_SIDE_ROWS),
            ):
                places, aliases = found.setdefault((source, str(key)), ([], []))
                if what == "place":
                    places.extend(_places(f"[{value}]"))
                else:
                    aliases.append(str(value))
        return found

    def _employers(
        self, wanted: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, tuple[Place, ...]]]:
        """The name and places of each (source, key)'s organisation (its first part); one
        query per source."""
        found: dict[tuple[str, str], tuple[str, tuple[Place, ...]]] = {}
        for source, keys in _by_source(wanted).items():
            for key, name, places in self._db.execute(
                f"SELECT key, name, places FROM parties WHERE source = ? AND key IN "
                f"({_marks(len(keys))}) AND kind = 'organisation' ORDER BY key, part",
                (source, *keys),
            ):
                found.setdefault((source, str(key)), (str(name), tuple(_places(str(places)))))
        return found


def _by_source(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for source, key in sorted(set(pairs)):
        keys.setdefault(source, []).append(key)
    return keys


_STAGED = ("staged_parties", "staged_keys", "staged_extras")

_MOVE_PARTIES = """
INSERT INTO parties SELECT source, key, part, spec, kind, name, first, middle, last, suffix,
    employer, employer_ref, employer_source, title, places, aliases, updated, file_id,
    file_date, member, line
FROM staged_parties WHERE file_id = ? ORDER BY source, key, part, rowid
ON CONFLICT (source, key, part) DO UPDATE SET
    spec = excluded.spec, kind = excluded.kind, name = excluded.name, first = excluded.first,
    middle = excluded.middle, last = excluded.last, suffix = excluded.suffix,
    employer = excluded.employer, employer_ref = excluded.employer_ref,
    employer_source = excluded.employer_source, title = excluded.title,
    places = excluded.places, aliases = excluded.aliases, updated = excluded.updated,
    file_id = excluded.file_id, file_date = excluded.file_date, member = excluded.member,
    line = excluded.line
WHERE (excluded.file_date, excluded.updated) >= (parties.file_date, parties.updated)
"""

_MOVE_KEYS = """
INSERT INTO keys SELECT block, source, key, part, spec, file_date
FROM staged_keys WHERE file_id = ? ORDER BY block, source, key, part, rowid
ON CONFLICT (block, source, key, part) DO UPDATE SET
    spec = excluded.spec, file_date = excluded.file_date
WHERE excluded.file_date >= keys.file_date
"""
"""A key keeps the date of the newest file that filed it (an older delta read late must not
date it back, or a full file of the newer date would delete it from under its record)."""

_MOVE_EXTRAS = """
INSERT INTO extras SELECT source, key, what, value, spec, file_id, file_date
FROM staged_extras WHERE file_id = ? ORDER BY source, key, what, value, rowid
ON CONFLICT (source, key, what, value) DO UPDATE SET
    spec = excluded.spec, file_id = excluded.file_id, file_date = excluded.file_date
WHERE excluded.file_date >= extras.file_date
"""


_HELD_NEWER = """EXISTS (
    SELECT 1 FROM parties p WHERE p.source = {t}.source AND p.key = {t}.key
    AND p.spec = {t}.spec AND p.file_date > ?)"""
"""A record a newer file holds, of the same file kind: that file says which parts the record
has (a newer delta removed an officer that an older delta read late still names)."""
_STALE_STAGED_PARTIES = "DELETE FROM staged_parties WHERE file_id = ? AND " + _HELD_NEWER.format(
    t="staged_parties"
)
_STALE_STAGED_PARTY_KEYS = (  # the keys of those parts (an alias's, part '', is not a part's)
    "DELETE FROM staged_keys WHERE file_id = ? AND part != '' AND "
    + _HELD_NEWER.format(t="staged_keys")
)
_STALE_STAGED_KEYS = """
DELETE FROM staged_keys WHERE file_id = ? AND EXISTS (
    SELECT 1 FROM parties p WHERE p.source = staged_keys.source AND p.key = staged_keys.key
    AND p.part = staged_keys.part AND p.file_date > ?)
"""
_STALE_STAGED_EXTRAS = """
DELETE FROM staged_extras WHERE file_id = ? AND EXISTS (
    SELECT 1 FROM extras e WHERE e.source = staged_extras.source AND e.key = staged_extras.key
    AND e.spec = staged_extras.spec AND e.file_date > ?)
"""
_REPLACED_EXTRAS = """
DELETE FROM extras WHERE file_date < ? AND (source, key, spec) IN (
    SELECT DISTINCT source, key, spec FROM staged_extras WHERE file_id = ?)
"""
_STALE_KEYS = """
DELETE FROM keys WHERE file_date < ? AND (source, key, part) IN (
    SELECT source, key, part FROM staged_parties WHERE file_id = ?) AND EXISTS (
    SELECT 1 FROM parties p WHERE p.source = keys.source AND p.key = keys.key
    AND p.part = keys.part AND p.spec = keys.spec AND p.file_id = ?)
"""

_DROPPED_PARTS = """
SELECT p.source, p.key, p.part, p.kind, p.name, p.first, p.last, p.aliases FROM (
    SELECT p.source, p.key, p.part FROM (
        SELECT DISTINCT source, key, spec FROM staged_parties WHERE file_id = ?) s
    CROSS JOIN parties p ON p.source = s.source AND p.key = s.key AND p.spec = s.spec
        AND p.file_date < ?
    EXCEPT SELECT source, key, part FROM staged_parties WHERE file_id = ?) d
CROSS JOIN parties p ON p.source = d.source AND p.key = d.key AND p.part = d.part
"""
"""An older file's parts of a record a delta holds, of its file kind, that the delta does not
name (the officer it no longer lists), with what their keys are made of: each record of the
delta looked up by its key (``CROSS JOIN`` keeps that order). As one DELETE testing each
party found with NOT IN against the delta's rows (which SQLite does row by row), 48 s of a
100,000-row delta's 59 s on 410,000 parties; and the keys left without a party, scanned for,
2 s, growing with the index."""


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _party_row(
    source: str, entry: Entry, party: Party, spec: int, run: FileRun, member: str, line: int
) -> tuple[object, ...]:
    places = "[" + ",".join(_place_json(p) for p in party.places) + "]"
    return (
        source, entry.key, party.part, spec, party.kind, party.name, party.first, party.middle,
        party.last, party.suffix, party.employer, party.employer_ref, party.employer_source,
        party.title, places, json.dumps(list(party.aliases)) if party.aliases else "[]",
        entry.updated, run.id, run.file_date, member, line,
    )  # fmt: skip


def _record_url(template: str, key: str) -> str:
    """The template with ``key`` as one path segment; none for a key no registry would use."""
    if not template or not key or len(key) > 200 or key in (".", ".."):
        return ""
    return template.replace("{key}", path_segment(key))


def _blocks(party: Party) -> set[str]:
    if party.kind == "organisation":
        names = (party.name, *party.aliases)
        return {block for name in names if (block := organisation_key(name))}
    return person_keys(party.first, party.last)


_QUOTE: Callable[[str], str] = json.encoder.encode_basestring_ascii
"""A JSON string, as ``json.dumps`` writes it (a place is written per row: composed by hand,
not by an encoder)."""


def _place_json(place: Place) -> str:
    """``[role, [lines], city, region, postcode, country]`` as compact JSON."""
    q = _QUOTE
    return (f"[{q(place.role)},[{','.join(map(q, place.lines))}],{q(place.city)},"
            f"{q(place.region)},{q(place.postcode)},{q(place.country)}]")  # fmt: skip


_FIRST_FOLDED = (
    "(CASE WHEN p.first GLOB '*[^ -~]*' THEN folded(p.first) ELSE lower(coalesce(p.first, '')) END)"
)
"""A record's first name folded in SQL: in Python only where it is not ASCII (a call a row of
10,000 namesakes tripled the sort's time)."""


def _folded(name: str | None) -> str:
    """A name as ``parse_name`` files it (lower-case ASCII, Zoë as zoe): a source's own first
    name column keeps it as printed, and SQLite's ``lower`` leaves "Ë" as it is."""
    return " ".join(to_ascii(name or "").lower().split())


def _first(given: str) -> str:
    """The debtor's first name as the index files it; one that folds to nothing agrees with
    none."""
    return _folded(given) or "\0"


def _at_postcode(column: str) -> str:
    """SQL true when ``column`` (places as JSON) holds a postcode ``_postcode``'s four patterns
    find: two LIKE (ASCII case does not matter: files write "sw1a 1aa" too), two GLOB."""
    return (f"({column} LIKE ? ESCAPE '\\' OR {column} LIKE ? ESCAPE '\\' "
            f"OR {column} GLOB ? OR {column} GLOB ?)")  # fmt: skip


def _postcode(given: str) -> tuple[str, str, str, str]:
    """How a postcode is looked for in a record's places (JSON, each place's postcode a string
    of its own): a US ZIP's five digits, alone, before a ZIP+4's dash, or before its four
    digits written on (NPPES's 627014321; a debtor's given so is its ZIP too) or after a blank
    ("62701 4321"), a UK postcode with its space or without (SW1A 1AA, SW1A1AA: files and
    debtors write both), else the code as given. Quoted, so a street line that holds the
    digits ("62701 Highway N") does not agree."""
    code = " ".join(given.split()).upper()
    never = "\0"
    if not code:
        return never, never, never, never
    if re.match(r"\d{5}(?:\d{4})?(?:\D|$)", code):
        zip5, four = code[:5], "[0-9]" * 4
        return f'%"{zip5}"%', f'%"{zip5}-%', f'*"{zip5}{four}"*', f'*"{zip5} {four}"*'
    if uk := normalize_uk_postcode(code):
        return f'%"{uk}"%', f'%"{uk.replace(" ", "")}"%', never, never
    written = re.sub(r"[\\%_]", lambda found: "\\" + found[0], code)
    return f'%"{written}"%', never, never, never


def _places(text: str) -> list[Place]:
    return [Place(role, tuple(lines), *rest) for role, lines, *rest in json.loads(text or "[]")]


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (the store is autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
