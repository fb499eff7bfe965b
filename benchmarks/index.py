"""The offline index at NPPES scale: import, size, memory, lookup latency; SQLite vs DuckDB.

(a) A generated NPPES main file (``npidata_pfile_20050523-20251109.csv``): the real 330-column
    V2 header (``tools/bulk_headers/nppes_npidata_v2.csv``, as CMS publishes it), every
    field double-quoted as CMS writes it, most columns empty as in real rows; about 60%
    individuals (type 1), 39% organisations with an authorized official (type 2), 1%
    deactivated stubs (only NPI and deactivation date). Names are drawn, seeded, from the US
    first-name and surname tables in ``skiptrace/matching/data`` by their frequencies;
    addresses are US streets in real cities, dates MM/DD/YYYY. Written once into ``--workdir``
    (reused by later runs with the same ``--rows`` and ``--seed``), zipped with ``--zip``.
(b) ``skiptrace index import nppes FILE`` in a subprocess (so its peak RSS, from
    ``getrusage(RUSAGE_CHILDREN)``, is its own): wall time, rows/s, index size on disk (the
    SQLite file and any ``-wal``/``-shm``), peak memory.
(c) Lookup latency, single-threaded, for ``--debtors`` debtors (default 10,000): people drawn
    from the index (individuals and authorized officials), 10% absent (names drawn from the
    same tables whose blocking keys the index does not hold); through ``Store.search`` and
    through the offline connector's ``search`` (``OfflineConnector``, one event loop, one
    debtor at a time). p50/p99 in milliseconds.
(d) The storage choice (issue 14, item 4): the same access pattern on SQLite (the shipped
    store, the baseline) and DuckDB: bulk load of the ``parties`` and ``keys`` rows the importer
    wrote (read back from the built index in chunks; only the inserts and index builds timed),
    then ``--debtors`` small keyed lookups (the blocks of the debtors of (c), keys joined to
    parties as ``Store.search`` does), then a whole-file join: every party filed under the
    surname block of a 100,000-row debtor table (counted, names read). Ratios are DuckDB over
    SQLite (above 1: DuckDB slower).

Goals (issue 14, on this 2-core machine), printed PASS or FAIL: import under 90 s, lookup p50
under 10 ms (both paths), peak memory of the import under 300 MB. Run by hand (not a test):

    python benchmarks/index.py [--rows 1000000] [--workdir DIR] [--zip] [--debtors 10000]
                               [--seed 14] [--skip-import] [--no-duckdb] [--keep]

``--workdir`` defaults to a temporary folder removed at the end (keep it with ``--keep``, or
name a folder to reuse the generated file across runs); ``--skip-import`` measures an index
already built there. The import's SKIPTRACE_HOME is ``WORKDIR/nppes-ROWS-SEED/home``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from skiptrace.connectors import Session
from skiptrace.connectors._offline import OfflineConnector
from skiptrace.index import Store
from skiptrace.index.keys import person_keys
from skiptrace.records import Query

ROOT = Path(__file__).resolve().parent.parent
HEADER_FILE = ROOT / "tools" / "bulk_headers" / "nppes_npidata_v2.csv"
DATA = ROOT / "src" / "skiptrace" / "matching" / "data"
FILE_NAME = "npidata_pfile_20050523-20251109.csv"
IMPORT_GOAL_S = 90.0
P50_GOAL_MS = 10.0
PEAK_GOAL_MB = 300.0
JOIN_DEBTORS = 100_000
CHUNK = 20_000

CITIES = (
    ("NEW YORK", "NY", "100"), ("BROOKLYN", "NY", "112"), ("BUFFALO", "NY", "142"),
    ("LOS ANGELES", "CA", "900"), ("SAN DIEGO", "CA", "921"), ("SAN JOSE", "CA", "951"),
    ("FRESNO", "CA", "937"), ("SACRAMENTO", "CA", "958"), ("CHICAGO", "IL", "606"),
    ("SPRINGFIELD", "IL", "627"), ("HOUSTON", "TX", "770"), ("DALLAS", "TX", "752"),
    ("AUSTIN", "TX", "787"), ("SAN ANTONIO", "TX", "782"), ("EL PASO", "TX", "799"),
    ("PHOENIX", "AZ", "850"), ("TUCSON", "AZ", "857"), ("PHILADELPHIA", "PA", "191"),
    ("PITTSBURGH", "PA", "152"), ("JACKSONVILLE", "FL", "322"), ("MIAMI", "FL", "331"),
    ("TAMPA", "FL", "336"), ("ORLANDO", "FL", "328"), ("COLUMBUS", "OH", "432"),
    ("CLEVELAND", "OH", "441"), ("CINCINNATI", "OH", "452"), ("INDIANAPOLIS", "IN", "462"),
    ("CHARLOTTE", "NC", "282"), ("RALEIGH", "NC", "276"), ("FAYETTEVILLE", "NC", "283"),
    ("SEATTLE", "WA", "981"), ("SPOKANE", "WA", "992"), ("DENVER", "CO", "802"),
    ("BOSTON", "MA", "021"), ("WORCESTER", "MA", "016"), ("DETROIT", "MI", "482"),
    ("GRAND RAPIDS", "MI", "495"), ("NASHVILLE", "TN", "372"), ("MEMPHIS", "TN", "381"),
    ("PORTLAND", "OR", "972"), ("LAS VEGAS", "NV", "891"), ("LOUISVILLE", "KY", "402"),
    ("BALTIMORE", "MD", "212"), ("MILWAUKEE", "WI", "532"), ("ALBUQUERQUE", "NM", "871"),
    ("KANSAS CITY", "MO", "641"), ("SAINT LOUIS", "MO", "631"), ("ATLANTA", "GA", "303"),
    ("OMAHA", "NE", "681"), ("KEARNEY", "NE", "688"), ("MINNEAPOLIS", "MN", "554"),
    ("NEW ORLEANS", "LA", "701"), ("BIRMINGHAM", "AL", "352"), ("RICHMOND", "VA", "232"),
    ("LOVETTSVILLE", "VA", "201"), ("SALT LAKE CITY", "UT", "841"), ("BOISE", "ID", "837"),
    ("DES MOINES", "IA", "503"), ("LITTLE ROCK", "AR", "722"), ("HARTFORD", "CT", "061"),
)  # fmt: skip
STREETS = (
    "MAIN", "OAK", "PINE", "MAPLE", "CEDAR", "ELM", "WASHINGTON", "LAKE", "HILL", "PARK",
    "CENTRAL", "KING", "LINCOLN", "JEFFERSON", "MADISON", "FRANKLIN", "RIVER", "SPRING",
    "CHURCH", "HIGHLAND", "RED OAK", "VILLAGE", "LUCAS", "MARKET", "UNIVERSITY", "MEDICAL CENTER",
    "1ST", "2ND", "3RD", "4TH", "5TH", "10TH", "BROADWAY", "COLLEGE", "SUNSET", "RIDGE",
)  # fmt: skip
STREET_TYPES = ("ST", "AVE", "RD", "DR", "BLVD", "LN", "WAY", "PKWY", "CT", "PL", "HWY")
UNITS = ("SUITE", "STE", "APT", "UNIT", "FL", "BLDG")
CREDENTIALS = ("M.D.", "MD", "D.O.", "DDS", "NP", "PA-C", "RN", "LCSW", "PT", "DPM", "PHARMD",
               "OD", "DC", "CRNA", "")  # fmt: skip
TAXONOMIES_1 = ("207Q00000X", "207R00000X", "363LF0000X", "122300000X", "1223G0001X",
                "104100000X", "225100000X", "363A00000X", "207X00000X", "2085R0202X")  # fmt: skip
TAXONOMIES_2 = ("261QD0000X", "251G00000X", "332B00000X", "333600000X", "282N00000X",
                "261QP2300X", "3336C0003X", "251E00000X", "311500000X", "261QR1300X")  # fmt: skip
ORG_WORDS = ("FAMILY", "DENTAL", "MEDICAL", "HEALTH", "CARE", "PEDIATRIC", "HOME", "HOSPICE",
             "PHARMACY", "CLINIC", "ORTHOPEDIC", "VISION", "WELLNESS", "THERAPY", "SURGICAL",
             "REHABILITATION", "COMMUNITY", "PRIMARY", "URGENT", "BEHAVIORAL")  # fmt: skip
ORG_FORMS = ("LLC", "INC", "PC", "PLLC", "P.A.", "CORP", "LLP", "", "")
ORG_KINDS = ("ASSOCIATES", "GROUP", "PARTNERS", "CENTER", "SERVICES", "ARTS", "SPECIALISTS")
TITLES = ("OWNER", "PRESIDENT", "CEO", "ADMINISTRATOR", "MANAGER", "MEMBER", "DIRECTOR",
          "OFFICE MANAGER", "CFO", "PRACTICE ADMINISTRATOR", "VICE PRESIDENT")  # fmt: skip
SUFFIXES = ("JR.", "SR.", "II", "III", "IV")
PREFIXES = ("DR.", "MR.", "MS.", "MRS.")


# --- (a) the generated file ------------------------------------------------------------------


def _table(name: str) -> tuple[list[str], list[int]]:
    """A name table as (names upper-cased, cumulative counts) for ``random.choices``."""
    names: list[str] = []
    cumulative: list[int] = []
    total = 0
    with gzip.open(DATA / name, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += int(row["count"])
            names.append(row["name"].upper())
            cumulative.append(total)
    return names, cumulative


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first, self.first_cum = _table("us_first_names.csv.gz")
        self.last, self.last_cum = _table("us_surnames.csv.gz")
        self._buffer: list[str] = []

    def firsts(self, n: int) -> list[str]:
        return self.rng.choices(self.first, cum_weights=self.first_cum, k=n)

    def lasts(self, n: int) -> list[str]:
        return self.rng.choices(self.last, cum_weights=self.last_cum, k=n)

    def uniform_last(self) -> str:
        """A surname drawn uniformly (mostly rare ones): for absent debtors."""
        return self.rng.choice(self.last)

    def uniform_first(self) -> str:
        return self.rng.choice(self.first)


def _date(rng: random.Random, start_year: int) -> str:
    return f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(start_year, 2025)}"


def _address(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(line 1, line 2, city, state, 9-digit ZIP)."""
    city, state, prefix = rng.choice(CITIES)
    if rng.random() < 0.08:
        line1 = f"PO BOX {rng.randint(1, 99999)}"
    else:
        line1 = f"{rng.randint(1, 29999)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
    line2 = f"{rng.choice(UNITS)} {rng.randint(1, 999)}" if rng.random() < 0.3 else ""
    return line1, line2, city, state, f"{prefix}{rng.randint(0, 999999):06d}"


def _phone(rng: random.Random) -> str:
    return f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"


def generate(path: Path, rows: int, seed: int) -> None:
    """Write ``rows`` NPPES main-file rows (with the real header) to ``path``."""
    header_line = HEADER_FILE.read_text(encoding="utf-8").splitlines()[0]
    header = next(csv.reader([header_line]))
    at = {name: i for i, name in enumerate(header)}
    width = len(header)
    rng = random.Random(seed)
    names = _Names(rng)
    npis = rng.sample(range(1_000_000_000, 2_000_000_000), rows)
    block = 10_000
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        out.write(header_line + "\n")
        for start in range(0, rows, block):
            n = min(block, rows - start)
            firsts, lasts = names.firsts(2 * n), names.lasts(2 * n)
            lines = []
            for i in range(n):
                npi = str(npis[start + i])
                row = [""] * width
                row[at["NPI"]] = npi
                kind = rng.random()
                if kind < 0.01:  # a deactivated stub: NPI and deactivation date only
                    row[at["NPI Deactivation Date"]] = _date(rng, 2008)
                    lines.append('"' + '","'.join(row) + '"\n')
                    continue
                mail = _address(rng)
                same = rng.random() < 0.7
                practice = mail if same and not mail[0].startswith("PO BOX") else _address(rng)
                phone = _phone(rng)
                for prefix, place in (("Provider First Line Business Mailing Address", mail),
                                      ("Provider First Line Business Practice Location Address",
                                       practice)):  # fmt: skip
                    j = at[prefix]
                    row[j : j + 6] = [*place, "US"]
                row[at["Provider Business Mailing Address Telephone Number"]] = phone
                row[at["Provider Business Practice Location Address Telephone Number"]] = phone
                enumerated = _date(rng, 2005)
                row[at["Provider Enumeration Date"]] = enumerated
                row[at["Last Update Date"]] = _date(rng, int(enumerated[-4:]))
                row[at["Certification Date"]] = row[at["Last Update Date"]]
                row[at["Healthcare Provider Primary Taxonomy Switch_1"]] = "Y"
                row[at["Provider License Number State Code_1"]] = practice[3]
                if kind < 0.61:  # an individual
                    row[at["Entity Type Code"]] = "1"
                    row[at["Provider Last Name (Legal Name)"]] = lasts[2 * i]
                    row[at["Provider First Name"]] = firsts[2 * i]
                    if rng.random() < 0.6:
                        row[at["Provider Middle Name"]] = rng.choice(firsts)[: rng.choice((1, 9))]
                    if rng.random() < 0.3:
                        row[at["Provider Name Prefix Text"]] = rng.choice(PREFIXES)
                    if rng.random() < 0.03:
                        row[at["Provider Name Suffix Text"]] = rng.choice(SUFFIXES)
                    row[at["Provider Credential Text"]] = rng.choice(CREDENTIALS)
                    row[at["Provider Sex Code"]] = rng.choice("MF")
                    row[at["Healthcare Provider Taxonomy Code_1"]] = rng.choice(TAXONOMIES_1)
                    row[at["Provider License Number_1"]] = f"{rng.randint(1000, 9999999)}"
                    row[at["Is Sole Proprietor"]] = rng.choice("NNNY")
                else:  # an organisation and its authorized official
                    row[at["Entity Type Code"]] = "2"
                    row[at["Employer Identification Number (EIN)"]] = "<UNAVAIL>"
                    words = rng.sample(ORG_WORDS, rng.choice((1, 2)))
                    stem = lasts[2 * i + 1] if rng.random() < 0.4 else mail[2]
                    org = " ".join((stem, *words, rng.choice(ORG_KINDS), rng.choice(ORG_FORMS)))
                    row[at["Provider Organization Name (Legal Business Name)"]] = org.strip()
                    if rng.random() < 0.1:
                        row[at["Provider Other Organization Name"]] = f"{stem} {words[0]} CENTER"
                        row[at["Provider Other Organization Name Type Code"]] = "3"
                    row[at["Authorized Official Last Name"]] = lasts[2 * i]
                    row[at["Authorized Official First Name"]] = firsts[2 * i + 1]
                    if rng.random() < 0.4:
                        row[at["Authorized Official Middle Name"]] = rng.choice(firsts)[:1]
                    row[at["Authorized Official Title or Position"]] = rng.choice(TITLES)
                    row[at["Authorized Official Telephone Number"]] = _phone(rng)
                    row[at["Healthcare Provider Taxonomy Code_1"]] = rng.choice(TAXONOMIES_2)
                    row[at["Is Organization Subpart"]] = "N"
                lines.append('"' + '","'.join(row) + '"\n')
            out.write("".join(lines))
    tmp.replace(path)


def source_file(workdir: Path, rows: int, seed: int, zipped: bool) -> Path:
    """The generated file (made if missing), plain or in a ZIP as CMS ships it."""
    folder = workdir / f"nppes-{rows}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / FILE_NAME
    if not plain.is_file():
        started = time.perf_counter()
        generate(plain, rows, seed)
        print(f"generated {plain} ({plain.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    if not zipped:
        return plain
    archive = folder / "NPPES_Data_Dissemination_November_2025_V2.zip"
    if not archive.is_file():
        with zipfile.ZipFile(archive.with_suffix(".part"), "w", zipfile.ZIP_DEFLATED) as out:
            out.write(plain, FILE_NAME)
        archive.with_suffix(".part").replace(archive)
    return archive


# --- (b) the import --------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """One import in a child process, as the parent measured it."""

    wall: float
    """Seconds, start to exit."""
    cpu: float
    """The child's user + system CPU seconds (what other processes on the machine cannot
    inflate, unlike ``wall``)."""
    peak_mb: float
    written_gb: float
    """What the child wrote to the filesystem (``ru_oublock``, 512-byte blocks)."""
    load: float
    """The 1-minute load average as the import ended: above the core count, ``wall`` was
    shared with other work."""
    said: str


def run_import(source: Path, home: Path) -> Imported:
    """Import ``source`` into ``home`` in a child (the first this process waits for, so the
    children's peak RSS is its own)."""
    env = {**os.environ, "SKIPTRACE_HOME": str(home)}
    command = [sys.executable, "-m", "skiptrace", "index", "import", "nppes", str(source),
               "--no-progress"]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    written = (after.ru_oublock - before.ru_oublock) * 512 / 1e9
    return Imported(wall, cpu, after.ru_maxrss / 1024, written, os.getloadavg()[0],
                    " ".join(done.stdout.split()))  # fmt: skip


def index_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
               if p.is_file())  # fmt: skip


# --- (c) lookups -----------------------------------------------------------------------------


def debtors(index: Path, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` (first, last): 90% people in the index, 10% whose keys it does not hold."""
    rng = random.Random(seed + 1)
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    people = db.execute(
        "SELECT count(*) FROM parties WHERE kind = 'person' AND last IS NOT NULL"
    ).fetchone()[0]
    present = count - count // 10
    rows = db.execute(
        "SELECT first, last FROM parties WHERE kind = 'person' AND last IS NOT NULL "
        "AND abs(random()) % ? < ?",
        (people, present * 3),
    ).fetchall()
    chosen = [(str(f or ""), str(ln)) for f, ln in rng.sample(rows, min(present, len(rows)))]
    names = _Names(rng)
    while len(chosen) < count:
        first, last = names.uniform_first(), names.uniform_last()
        blocks = sorted(person_keys(first, last))
        marks = ",".join("?" * len(blocks))
        if not db.execute(f"SELECT 1 FROM keys WHERE block IN ({marks}) LIMIT 1",
                          blocks).fetchone():  # fmt: skip
            chosen.append((first.title(), last.title()))
    db.close()
    rng.shuffle(chosen)
    return chosen


def _percentiles(samples: Sequence[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def time_store(index: Path, people: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, mean hits) through ``Store.search``."""
    samples, hits = [], 0
    with Store(index) as store:
        store.search("Warm", "Up")
        for first, last in people:
            started = time.perf_counter()
            found = store.search(first, last)
            samples.append((time.perf_counter() - started) * 1000)
            hits += len(found)
    return (*_percentiles(samples), hits / len(people))


def time_connector(index: Path, people: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, mean records) through the offline connector, one debtor at a time."""
    session = cast(Session, None)  # the connector never uses its session

    async def run() -> tuple[list[float], int]:
        connector = OfflineConnector(index)
        samples, records = [], 0
        await connector.search(session, Query.of(first_name="Warm", last_name="Up"))
        for n, (first, last) in enumerate(people):
            query = Query.of(f"D{n}", first_name=first, last_name=last)
            started = time.perf_counter()
            found = await connector.search(session, query)
            samples.append((time.perf_counter() - started) * 1000)
            records += len(found)
        await connector.aclose()
        return samples, records

    samples, records = asyncio.run(run())
    return (*_percentiles(samples), records / len(people))


# --- (d) SQLite vs DuckDB --------------------------------------------------------------------

PARTY_COLUMNS = (
    "source", "key", "part", "spec", "kind", "name", "first", "middle", "last", "suffix",
    "employer", "employer_ref", "employer_source", "title", "places", "aliases", "updated",
    "file_id", "file_date", "member", "line",
)  # fmt: skip
KEY_COLUMNS = ("block", "source", "key", "part", "spec", "file_date")
PARTIES_DDL = (
    "CREATE TABLE parties (source TEXT NOT NULL, key TEXT NOT NULL, part TEXT NOT NULL, "
    "spec INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, first TEXT, middle TEXT, "
    "last TEXT, suffix TEXT, employer TEXT, employer_ref TEXT, employer_source TEXT, "
    "title TEXT, places TEXT, aliases TEXT, updated TEXT NOT NULL, file_id INTEGER NOT NULL, "
    "file_date TEXT NOT NULL, member TEXT NOT NULL, line INTEGER NOT NULL, "
    "PRIMARY KEY (source, key, part))"
)
KEYS_DDL = (
    "CREATE TABLE keys (block TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, "
    "part TEXT NOT NULL, spec INTEGER NOT NULL, file_date TEXT NOT NULL, "
    "PRIMARY KEY (block, source, key, part))"
)
LOOKUP = (
    "SELECT DISTINCT p.source, p.key, p.part, p.kind, p.name, p.employer, p.title, p.places, "
    "p.aliases, p.updated, p.file_date, p.member, p.line FROM keys k JOIN parties p "
    "ON p.source = k.source AND p.key = k.key AND (k.part = '' OR p.part = k.part) "
    "WHERE k.block IN ({marks}) ORDER BY p.file_date DESC, p.updated DESC, p.source, p.key, "
    "p.part LIMIT 50"
)
JOIN = (
    "SELECT count(*), sum(length(p.name)), count(DISTINCT d.id) FROM debtors d "
    "JOIN keys k ON k.block = d.block JOIN parties p ON p.source = k.source "
    "AND p.key = k.key AND (k.part = '' OR p.part = k.part)"
)


def _chunks(index: Path, table: str, columns: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    cursor = db.execute(f"SELECT {', '.join(columns)} FROM {table}")
    while chunk := cursor.fetchmany(CHUNK):
        yield chunk
    db.close()


class _Engine:
    """One engine's connection and how it takes rows, a lookup, a join."""

    name = ""

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]],
             verb: str = "INSERT OR REPLACE") -> None:  # fmt: skip
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        raise NotImplementedError

    def size(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _SQLite(_Engine):
    name = "SQLite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]],
             verb: str = "INSERT OR REPLACE") -> None:  # fmt: skip
        marks = ", ".join("?" * len(columns))
        self.db.execute("BEGIN")
        self.db.executemany(f"{verb} INTO {table} VALUES ({marks})", rows)
        self.db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def size(self) -> int:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return index_size(self.path)

    def close(self) -> None:
        self.db.close()


class _DuckDB(_Engine):
    name = "DuckDB"

    def __init__(self, path: Path) -> None:
        import duckdb
        import pyarrow

        self.path = path
        self.db = duckdb.connect(str(path))
        self.arrow = pyarrow

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]],
             verb: str = "INSERT OR REPLACE") -> None:  # fmt: skip
        # Its fastest way in from Python rows: an Arrow table scanned by INSERT ... SELECT
        # (executemany costs a query per row).
        batch = self.arrow.table(
            {c: list(v) for c, v in zip(columns, zip(*rows, strict=True), strict=True)}
        )
        self.db.register("batch", batch)
        self.db.execute(f"{verb} INTO {table} SELECT * FROM batch")
        self.db.unregister("batch")

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return cast(list[tuple[Any, ...]], self.db.execute(sql, list(params)).fetchall())

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def size(self) -> int:
        self.db.execute("CHECKPOINT")
        wal = Path(f"{self.path}.wal")
        return self.path.stat().st_size + (wal.stat().st_size if wal.is_file() else 0)

    def close(self) -> None:
        self.db.close()


def compare(
    index: Path, folder: Path, people: Sequence[tuple[str, str]], seed: int, duck_lookups: int
) -> list[tuple[str, list[float]]]:
    """Rows of (measure, [SQLite, DuckDB]) for the same work on both engines."""
    engines: list[_Engine] = [
        _SQLite(folder / "compare.sqlite"),
        _DuckDB(folder / "compare.duckdb"),
    ]
    for engine in engines:
        engine.execute(PARTIES_DDL)
        engine.execute(KEYS_DDL)
    loads = [0.0, 0.0]
    parties = keys = 0
    for table, columns in (("parties", PARTY_COLUMNS), ("keys", KEY_COLUMNS)):
        for chunk in _chunks(index, table, columns):
            if table == "parties":
                parties += len(chunk)
            else:
                keys += len(chunk)
            for n, engine in enumerate(engines):
                started = time.perf_counter()
                engine.load(table, columns, chunk)
                loads[n] += time.perf_counter() - started
    sizes = [engine.size() / 1e6 for engine in engines]
    print(f"\nloaded {parties:,} parties and {keys:,} keys into each engine")
    # Small keyed lookups: the blocks of each debtor, keys joined to parties.
    lookups: list[tuple[float, float]] = []
    blocks = [sorted(person_keys(first, last)) for first, last in people]
    for engine, count in zip(engines, (len(blocks), duck_lookups), strict=True):
        samples = []
        for key_set in blocks[:count]:
            sql = LOOKUP.format(marks=", ".join("?" * len(key_set)))
            started = time.perf_counter()
            engine.query(sql, key_set)
            samples.append((time.perf_counter() - started) * 1000)
        lookups.append(_percentiles(samples))
    # The whole-file join: a debtor table of JOIN_DEBTORS rows, one row per block.
    rng = random.Random(seed + 2)
    debtor_rows = [(n, block) for n, (first, last) in enumerate(rng.choices(people, k=JOIN_DEBTORS))
             for block in sorted(person_keys(first, last))]  # fmt: skip
    joins, counts = [], []
    for engine in engines:
        engine.execute("CREATE TEMP TABLE debtors (id INTEGER, block TEXT)")
        engine.load("debtors", ("id", "block"), debtor_rows, "INSERT")
        started = time.perf_counter()
        counts.append(engine.query(JOIN, ())[0])
        joins.append(time.perf_counter() - started)
        engine.close()
    if counts[0] != counts[1]:
        print(f"  the joins disagree: {counts}")
    print(f"join: {JOIN_DEBTORS:,} debtors ({len(debtor_rows):,} blocks) -> {counts[0][0]:,} pairs")
    counted = f"{len(people):,} / {min(duck_lookups, len(people)):,}"
    return [
        ("bulk load, parties + keys (s)", loads),
        ("size on disk (MB)", sizes),
        (f"keyed lookups ({counted}): p50 (ms)", [lookups[0][0], lookups[1][0]]),
        (f"keyed lookups ({counted}): p99 (ms)", [lookups[0][1], lookups[1][1]]),
        (f"join, {JOIN_DEBTORS:,} debtors x all parties (s)", joins),
    ]


# --- the run ---------------------------------------------------------------------------------


def _verdict(ok: bool, measured: float = 0.0) -> str:
    return "n/a" if measured != measured else "PASS" if ok else "FAIL"  # NaN: not measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--zip", action="store_true", help="Import the file from a ZIP.")
    parser.add_argument("--debtors", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--skip-import", action="store_true",
                        help="Measure the index already built in WORKDIR/home.")  # fmt: skip
    parser.add_argument("--duckdb-lookups", type=int, default=1000,
                        help="Keyed lookups timed on DuckDB (SQLite: all).")  # fmt: skip
    parser.add_argument("--no-duckdb", action="store_true", help="Skip part (d).")
    parser.add_argument("--keep", action="store_true", help="Keep a temporary workdir.")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="skiptrace-index-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        _run(args, workdir)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif args.workdir is None:
            print(f"kept {workdir}")


def _run(args: argparse.Namespace, workdir: Path) -> None:
    source = source_file(workdir, args.rows, args.seed, args.zip)
    home = source.parent / "home"
    index = home / "index.sqlite3"
    if not args.skip_import:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(mode=0o700, parents=True)
        run = run_import(source, home)
    else:
        nan = float("nan")
        run = Imported(nan, nan, nan, nan, nan, "(import skipped: index reused)")
    size = index_size(index)
    print(f"\nimport: {run.said}")
    print(f"\n(b) import of {args.rows:,} rows ({source.name}, "
          f"{source.stat().st_size / 1e6:,.0f} MB), {os.cpu_count()} cores")  # fmt: skip
    print(f"{'measure':<30} {'value':>12}  {'goal':>8}  verdict")
    for label, value, goal, ok in (
        ("wall time (s)", f"{run.wall:.1f}", "< 90", _verdict(run.wall < IMPORT_GOAL_S, run.wall)),
        ("rows/s (wall)", f"{args.rows / run.wall:,.0f}", "", ""),
        ("CPU time, user + sys (s)", f"{run.cpu:.1f}", "", ""),
        ("rows per CPU second", f"{args.rows / run.cpu:,.0f}", "", ""),
        ("written to disk (GB)", f"{run.written_gb:,.1f}", "", ""),
        ("load average at the end", f"{run.load:.1f}", "", ""),
        ("index size on disk (MB)", f"{size / 1e6:,.1f}", "", ""),
        ("bytes per row", f"{size / args.rows:,.0f}", "", ""),
        ("peak RSS (MB)", f"{run.peak_mb:,.1f}", "< 300",
         _verdict(run.peak_mb < PEAK_GOAL_MB, run.peak_mb)),
    ):  # fmt: skip
        print(f"{label:<30} {value:>12}  {goal:>8}  {ok}".rstrip())
    people = debtors(index, args.debtors, args.seed)
    print(f"\n(c) lookups, {len(people):,} debtors (10% absent), single-threaded")
    print(f"{'path':<28} {'p50 (ms)':>9} {'p99 (ms)':>9} {'hits/debtor':>12}  p50 < 10 ms")
    for label, timer in (("Store.search", time_store), ("OfflineConnector.search",
                                                         time_connector)):  # fmt: skip
        p50, p99, mean = timer(index, people)
        print(f"{label:<28} {p50:>9.2f} {p99:>9.2f} {mean:>12.1f}  {_verdict(p50 < P50_GOAL_MS)}")
    if args.no_duckdb:
        return
    folder = workdir / "compare"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        rows = compare(index, folder, people, args.seed, args.duckdb_lookups)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n(d) the access pattern on SQLite (baseline) and DuckDB")
    print(f"{'measure':<44} {'SQLite':>10} {'DuckDB':>10} {'DuckDB/SQLite':>14}")
    for label, (lite, duck) in rows:
        ratio = duck / lite if lite else float("nan")
        print(f"{label:<44} {lite:>10.3f} {duck:>10.3f} {ratio:>13.2f}x")


if __name__ == "__main__":
    main()
