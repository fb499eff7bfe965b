"""``skiptrace link`` against Splink 5 on DuckDB as the person files grow (issue 15's instrument).

One run, generated US person files of growing size (``--sizes``, default 10k,100k,1M; ``10M``
works too), every method in its own child process on the same files; the truth is used only to
score the output. Per size it prints a markdown table (method, wall time, peak memory, precision,
recall, F1, links), then the goals PASS or FAIL; at the end, per method, the growth exponents of
time and of peak memory with input size (the least-squares slope of log(value) against log(n) over
the sizes run: 1 is linear, 2 quadratic).

The files (deterministic for ``--seed``, cached under ``--data-dir``, by default a folder in the
system temp dir named by seed and size, so a second run reuses them):

* ``left.csv``, the debtor file: N records, ``id, first_name, middle_name, last_name, suffix,
  address, address2, city, state, zip, phone, dob``. First names are drawn by frequency from
  the SSA table and surnames from the 2010 Census table that skiptrace ships
  (``skiptrace.matching.rarity.tables()``), so common names ("John Smith") recur many times
  and rare ones do not; 10% go by a nickname ("Bob"); the middle name is full, an initial or
  empty; the street line uses USPS abbreviations ("123 N Oak St"), the unit ("Apt 4B") is in
  ``address2``; the phone is there for 60%, the ISO birth date for 70%.
* ``right.csv``, the register, the same columns: a share of the debtors (``--match-share``,
  default 0.8) printed once each, with noise at realistic rates (nicknames or the full name,
  one-edit typos in first and last names, middle name reduced to an initial or missing (3%
  another middle name),
  suffix dropped, upper case, street types and directions spelled out, the unit as
  "Apt/APT/Unit/#", ZIP+4, the state's name for its code, rare house-number typos, phone and
  birth date often missing, 10% of phones changed, a day/month swap now and then, 5% moved to
  another city); a household member for 10% of the debtors (same surname and address, another
  first name and birth date, sometimes the same phone); and unrelated people to reach N.
* ``truth.csv``: the true ``left_id,right_id`` pairs, read by no method.

Places are a few thousand generated (city, state, ZIP) triples: cities per state by the state's
population, Zipf-sized within the state, a big city holding many ZIPs, so at 1M one city and
ZIP is shared by hundreds of unrelated people, as in real files.

Methods (``--only``), each timed end to end as a child process (wall time around it; peak
memory: the most that process and its workers held at once, their proportional set sizes
summed every 0.1 s, or the largest any one of them held (``os.wait4``) where that is more):

* ``skiptrace``: the CLI as a user runs it, ``python -m skiptrace link LEFT RIGHT -o OUT``
  (plus ``--skiptrace-args``), with its default workers (one per spare core: one on 2 cores);
  its progress lines go to this script's stderr.
* ``splink``: Splink 5 on DuckDB as a competent user sets it up (this script with
  ``--run-splink``): strings lower-cased and trimmed, the street line split into house number
  and street with USPS abbreviations, state names mapped to codes, ZIP cut to five digits,
  phone to digits (that preparation counts in its time); comparisons for first and last name
  (Jaro-Winkler levels with term-frequency adjustment), middle initial, suffix, date of birth,
  house number, street, city, ZIP, state and phone (no unit: at small sizes "unit differs"
  holds no true pair, EM drives its m to 0 and Splink 5 stops with a ValueError); blocking
  on first+last name, last name+ZIP, date of birth, phone, and ZIP+house number; prior from
  two deterministic rules (recall 0.7), u by random sampling (``max_pairs`` = 20 * N
  clamped to 1e7..5e7), m by EM blocked on first+last name then on date of birth;
  ``match_probability > 0.5``, then the best right record for each left one.

Goals, printed PASS or FAIL: at every size skiptrace at least as fast as Splink and at least
Splink's F1; skiptrace's peak memory under 2 GB at 1M; skiptrace's memory exponent below 1
(sublinear). Run by hand:

    pip install -e '.[bench]'
    python benchmarks/link_scale.py [--sizes 10k,100k,1M] [--only skiptrace,splink] [--seed S]
        [--repeat N] [--quick]

``--quick`` is a smoke run (sizes 2k,10k).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import us_households  # benchmarks/ is not a package: found through the path above

from skiptrace.matching.rarity import tables

Frame = Any  # pandas.DataFrame; pandas ships no type information here
Columns = dict[str, np.ndarray]
Rng = np.random.Generator

COLUMNS = (
    "id", "first_name", "middle_name", "last_name", "suffix", "address", "address2", "city",
    "state", "zip", "phone", "dob",
)  # fmt: skip
METHODS = ("skiptrace", "splink")
QUICK_SIZES = (2_000, 10_000)
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
GOAL_RSS_MB = 2048
GOAL_RSS_AT = 1_000_000
HOUSEHOLD_SHARE = 0.10
MOVED_SHARE = 0.05

# (code, name, population in 100k, 2020 Census rounded): the weight of a state's places.
STATES: tuple[tuple[str, str, int], ...] = (
    ("AL", "Alabama", 50), ("AK", "Alaska", 7), ("AZ", "Arizona", 72), ("AR", "Arkansas", 30),
    ("CA", "California", 395), ("CO", "Colorado", 58), ("CT", "Connecticut", 36),
    ("DE", "Delaware", 10), ("DC", "District of Columbia", 7), ("FL", "Florida", 215),
    ("GA", "Georgia", 107), ("HI", "Hawaii", 15), ("ID", "Idaho", 18), ("IL", "Illinois", 128),
    ("IN", "Indiana", 68), ("IA", "Iowa", 32), ("KS", "Kansas", 29), ("KY", "Kentucky", 45),
    ("LA", "Louisiana", 47), ("ME", "Maine", 14), ("MD", "Maryland", 62),
    ("MA", "Massachusetts", 70), ("MI", "Michigan", 101), ("MN", "Minnesota", 57),
    ("MS", "Mississippi", 30), ("MO", "Missouri", 62), ("MT", "Montana", 11),
    ("NE", "Nebraska", 20), ("NV", "Nevada", 31), ("NH", "New Hampshire", 14),
    ("NJ", "New Jersey", 93), ("NM", "New Mexico", 21), ("NY", "New York", 202),
    ("NC", "North Carolina", 104), ("ND", "North Dakota", 8), ("OH", "Ohio", 118),
    ("OK", "Oklahoma", 40), ("OR", "Oregon", 42), ("PA", "Pennsylvania", 130),
    ("RI", "Rhode Island", 11), ("SC", "South Carolina", 51), ("SD", "South Dakota", 9),
    ("TN", "Tennessee", 69), ("TX", "Texas", 291), ("UT", "Utah", 33), ("VT", "Vermont", 6),
    ("VA", "Virginia", 86), ("WA", "Washington", 77), ("WV", "West Virginia", 18),
    ("WI", "Wisconsin", 59), ("WY", "Wyoming", 6),
)  # fmt: skip
CITY_COUNT = 3000
ZIP_COUNT = 6000
CITY_SUFFIXES = (
    "ville", "ton", "burg", "field", "wood", "port", " City", " Springs", " Falls",
    " Heights", " Park", " Grove",
)  # fmt: skip
NAME_SUFFIXES = ("Jr", "Sr", "II", "III")


# --- generator --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geography:
    """The (city, state, ZIP) triples and each ZIP's share of the people."""

    city: np.ndarray
    state: np.ndarray
    state_name: np.ndarray
    zip5: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True)
class Names:
    """First names and surnames as printed, with their frequency as draw weights."""

    first: np.ndarray
    first_p: np.ndarray
    last: np.ndarray
    last_p: np.ndarray
    nicknames: dict[str, tuple[str, ...]]


def geography(rng: Rng) -> Geography:
    """Cities per state by population, Zipf-sized inside it, ZIPs per city by size: big cities
    hold many ZIPs, and a ZIP many unrelated people, as in real address files."""
    roots = [*us_households.STREET_NAMES, *us_households.SURNAMES[:90]]
    total = sum(pop for _, _, pop in STATES)
    cities: list[tuple[str, str, str, float]] = []
    for code, name, pop in STATES:
        count = max(4, round(CITY_COUNT * pop / total))
        picks = rng.choice(len(roots) * len(CITY_SUFFIXES), size=count, replace=False)
        sizes = 1.0 / np.arange(1, count + 1) ** 1.1
        sizes = sizes / sizes.sum() * pop / total
        for pick, size in zip(picks, sizes, strict=True):
            root, suffix = divmod(int(pick), len(CITY_SUFFIXES))
            cities.append((roots[root] + CITY_SUFFIXES[suffix], code, name, float(size)))
    city, state, state_name, zip5, weight = [], [], [], [], []
    code_number = 1001
    for c, s, n, size in cities:
        zips = max(1, round(ZIP_COUNT * size))
        for _ in range(zips):
            code_number += int(rng.integers(1, 12))
            city.append(c)
            state.append(s)
            state_name.append(n)
            zip5.append(f"{code_number % 100_000:05d}")
            weight.append(size / zips)
    w = np.array(weight)
    return Geography(
        np.array(city, dtype=object),
        np.array(state, dtype=object),
        np.array(state_name, dtype=object),
        np.array(zip5, dtype=object),
        w / w.sum(),
    )


def names() -> Names:
    """The SSA first-name and Census surname tables skiptrace ships, weighted by count."""
    t = tables()
    first = np.array([n.capitalize() for n in t.first_names], dtype=object)
    first_c = np.array(list(t.first_names.values()), dtype=float)
    last = np.array([us_households._printed_surname(n) for n in t.surnames], dtype=object)
    last_c = np.array(list(t.surnames.values()), dtype=float)
    return Names(
        first, first_c / first_c.sum(), last, last_c / last_c.sum(), us_households.NICKNAMES
    )


def _pick(rng: Rng, options: Sequence[str], n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def _address(rng: Rng, geo: Geography, n: int) -> Columns:
    """Home addresses: house number, optional direction, street, type, unit, place."""
    place = rng.choice(len(geo.weight), size=n, p=geo.weight)
    streets = [*us_households.STREET_NAMES, *us_households.SURNAMES[:60]]
    units = np.where(
        rng.random(n) < 0.5,
        rng.integers(1, 30, n).astype(str).astype(object) + _pick(rng, tuple("ABCD"), n),
        rng.integers(1, 400, n).astype(str).astype(object),
    )
    return {
        "number": (10 ** rng.uniform(0, 4, n)).astype(int).astype(str).astype(object),
        "direction": np.where(rng.random(n) < 0.15, rng.integers(0, 4, n), -1),
        "street": _pick(rng, streets, n),
        "kind": rng.integers(0, len(us_households.STREET_TYPES), n),
        "unit": np.where(rng.random(n) < 0.2, units, ""),
        "city": geo.city[place],
        "state": geo.state[place],
        "state_name": geo.state_name[place],
        "zip5": geo.zip5[place],
        "zip4": np.char.zfill(rng.integers(1, 10_000, n).astype(str), 4).astype(object),
    }


def _dob(rng: Rng, n: int) -> np.ndarray:
    year = rng.integers(1940, 2004, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    return np.array(
        [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(year, month, day, strict=True)], dtype=object
    )


def _phone(rng: Rng, n: int) -> np.ndarray:
    area, exch, line = (
        rng.integers(201, 990, n),
        rng.integers(200, 1000, n),
        rng.integers(0, 10_000, n),
    )
    return np.array(
        [f"({a}) {e}-{x:04d}" for a, e, x in zip(area, exch, line, strict=True)], dtype=object
    )


def people(rng: Rng, geo: Geography, nm: Names, n: int) -> Columns:
    """``n`` US persons: names by real frequency, a home, a birth date, a phone (60%)."""
    first = nm.first[rng.choice(len(nm.first), size=n, p=nm.first_p)]
    middle = nm.first[rng.choice(len(nm.first), size=n, p=nm.first_p)]
    middle = np.where((rng.random(n) < 0.75) & (middle != first), middle, "")
    suffix = np.where(rng.random(n) < 0.03, _pick(rng, NAME_SUFFIXES, n), "")
    nick = [nm.nicknames.get(f, ()) for f in first]
    draw = rng.integers(0, 3, n)
    goes_by = [
        (ks[d % len(ks)] if ks and r < 0.10 else f)
        for f, ks, d, r in zip(first, nick, draw, rng.random(n), strict=True)
    ]
    return {
        "first": first,
        "goes_by": np.array(goes_by, dtype=object),
        "middle": middle,
        "last": nm.last[rng.choice(len(nm.last), size=n, p=nm.last_p)],
        "suffix": suffix,
        "dob": _dob(rng, n),
        "phone": np.where(rng.random(n) < 0.6, _phone(rng, n), ""),
        **_address(rng, geo, n),
    }


def _take(cols: Columns, index: np.ndarray) -> Columns:
    return {k: v[index] for k, v in cols.items()}


def _concat(*parts: Columns) -> Columns:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _street(cols: Columns, long_form: np.ndarray) -> np.ndarray:
    kinds = us_households.STREET_TYPES
    dirs = us_households.DIRECTIONS
    out = []
    for number, d, street, k, lf in zip(
        cols["number"], cols["direction"], cols["street"], cols["kind"], long_form, strict=True
    ):
        direction = "" if d < 0 else dirs[d][0 if lf else 1] + " "
        out.append(f"{number} {direction}{street} {kinds[k][0 if lf else 1]}")
    return np.array(out, dtype=object)


def _edit(rng: Rng, values: np.ndarray, rate: float, change: Any) -> np.ndarray:
    """``change`` applied to a ``rate`` share of the non-empty values (a Python loop over the
    few that change only)."""
    out = values.copy()
    hit = np.flatnonzero((rng.random(len(values)) < rate) & (values != ""))
    out[hit] = [change(v) for v in values[hit]]
    return out


def print_left(rng: Rng, cols: Columns, typo: Any) -> dict[str, np.ndarray]:
    """The debtor file: split fields, USPS abbreviations, mostly clean."""
    n = len(cols["first"])
    middle = cols["middle"]
    initial = np.array([m[:1] for m in middle], dtype=object)
    roll = rng.random(n)
    return {
        "first_name": cols["goes_by"],
        "middle_name": np.where(roll < 0.4, middle, np.where(roll < 0.7, initial, "")),
        "last_name": _edit(rng, cols["last"], 0.01, typo),
        "suffix": cols["suffix"],
        "address": _street(cols, np.zeros(n, dtype=bool)),
        "address2": np.where(cols["unit"] != "", "Apt " + cols["unit"], ""),
        "city": cols["city"],
        "state": cols["state"],
        "zip": cols["zip5"],
        "phone": cols["phone"],
        "dob": np.where(rng.random(n) < 0.7, cols["dob"], ""),
    }


def _swap_day_month(dob: str) -> str:
    y, m, d = dob.split("-")
    return f"{y}-{d}-{m}" if int(d) <= 12 else dob


def _number_typo(rng: Rng) -> Any:
    def change(number: str) -> str:
        i = int(rng.integers(0, len(number)))
        return number[:i] + str(int(rng.integers(0, 10))) + number[i + 1 :]

    return change


def print_right(rng: Rng, cols: Columns, nm: Names, typo: Any) -> dict[str, np.ndarray]:
    """The register: the same person printed by another clerk (see the module docstring)."""
    n = len(cols["first"])
    first = cols["first"].copy()
    nick = [nm.nicknames.get(f, ()) for f in first]
    roll = rng.random(n)
    first = np.array(
        [
            (ks[int(r * 1000) % len(ks)] if ks and r < 0.15 else (g if r < 0.3 else f))
            for f, g, ks, r in zip(first, cols["goes_by"], nick, roll, strict=True)
        ],
        dtype=object,
    )
    first = _edit(rng, first, 0.03, typo)
    other = nm.first[rng.choice(len(nm.first), size=n, p=nm.first_p)]
    middle = np.where(rng.random(n) < 0.03, other, cols["middle"])  # a clerk's wrong middle
    initial = np.array([m[:1] for m in middle], dtype=object)
    roll = rng.random(n)
    middle = np.where(roll < 0.45, initial, np.where(roll < 0.6, "", middle))
    unit = cols["unit"]
    unit_form = rng.integers(0, 4, n)
    prefixes = np.array(["Apt ", "APT ", "Unit ", "#"], dtype=object)
    zip4 = rng.random(n) < 0.3
    phone_kept = rng.random(n) < 0.5
    changed = (rng.random(n) < 0.1) & (cols["phone"] != "")  # a new number since
    dob = np.where(rng.random(n) < 0.6, cols["dob"], "")
    street_cols = {**cols, "number": _edit(rng, cols["number"], 0.01, _number_typo(rng))}
    record = {
        "first_name": first,
        "middle_name": middle,
        "last_name": _edit(rng, cols["last"], 0.04, typo),
        "suffix": np.where(rng.random(n) < 0.7, cols["suffix"], ""),
        "address": _street(street_cols, rng.random(n) < 0.4),
        "address2": np.where(unit != "", prefixes[unit_form] + unit, ""),
        "city": cols["city"],
        "state": np.where(rng.random(n) < 0.25, cols["state_name"], cols["state"]),
        "zip": np.where(zip4, cols["zip5"] + "-" + cols["zip4"], cols["zip5"]),
        "phone": np.where(phone_kept, np.where(changed, _phone(rng, n), cols["phone"]), ""),
        "dob": _edit(rng, dob, 0.01, _swap_day_month),
    }
    upper = rng.random(n) < 0.3
    for values in record.values():
        values[upper] = [v.upper() for v in values[upper]]
    return record


def _write(record: dict[str, np.ndarray], ids: np.ndarray, path: Path) -> None:
    """CSV with a header, unquoted (no value holds a comma; pyarrow refuses one that would)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = {"id": ids, **record}
    table = pa.table({c: pa.array(data[c].tolist(), type=pa.string()) for c in COLUMNS})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def generate(seed: int, n: int, match_share: float, folder: Path) -> None:
    """Write ``left.csv``, ``right.csv`` and ``truth.csv`` for ``n`` records a side."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    typo = us_households._Gen(seed).typo  # one-edit typos, as the household set makes them
    geo = geography(np.random.default_rng(seed))
    nm = names()
    left = people(rng, geo, nm, n)

    own = rng.choice(n, size=round(match_share * n), replace=False)
    true_cols = _take(left, own)
    moved = np.flatnonzero(rng.random(len(own)) < MOVED_SHARE)
    new_home = _address(rng, geo, len(moved))
    for key, values in new_home.items():
        true_cols[key][moved] = values
    true_cols["phone"][moved] = ""

    households = rng.choice(n, size=min(round(HOUSEHOLD_SHARE * n), n - len(own)), replace=False)
    members = people(rng, geo, nm, len(households))
    home = _take(left, households)
    for key in (*new_home, "last"):
        members[key] = home[key]
    same_phone = (rng.random(len(households)) < 0.3) & (home["phone"] != "")
    members["phone"] = np.where(same_phone, home["phone"], members["phone"])
    clash = np.flatnonzero(members["first"] == home["first"])
    redraw = nm.first[rng.choice(len(nm.first), size=len(clash), p=nm.first_p)]
    members["first"][clash] = members["goes_by"][clash] = redraw  # a clash left is 1 in 30^2

    others = people(rng, geo, nm, n - len(own) - len(households))
    right = print_right(rng, _concat(true_cols, members, others), nm, typo)
    order = rng.permutation(n)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    right = {k: v[order] for k, v in right.items()}

    left_ids = np.array([f"D{i + 1:08d}" for i in range(n)], dtype=object)
    right_ids = np.array([f"R{i + 1:08d}" for i in range(n)], dtype=object)
    folder.mkdir(parents=True, exist_ok=True)
    _write(print_left(rng, left, typo), left_ids, folder / "left.tmp")
    _write(right, right_ids, folder / "right.tmp")
    truth = pd.DataFrame(
        {"left_id": left_ids[own], "right_id": right_ids[position[np.arange(len(own))]]}
    )
    truth.to_csv(folder / "truth.tmp", index=False)
    for name in ("left", "right", "truth"):  # complete files only: a cut run is regenerated
        (folder / f"{name}.tmp").replace(folder / f"{name}.csv")


def dataset(seed: int, n: int, match_share: float, data_dir: Path | None) -> Path:
    """The cached files for (seed, n, share), generated the first time."""
    root = data_dir or Path(tempfile.gettempdir()) / "skiptrace-link-scale"
    folder = root / f"seed{seed}-n{n}-share{match_share:g}"
    if not all((folder / f"{name}.csv").exists() for name in ("left", "right", "truth")):
        start = time.perf_counter()
        generate(seed, n, match_share, folder)
        print(f"generated {n:,} + {n:,} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


# --- Splink (run in a child process) ----------------------------------------------------------

_USPS = {
    **{long.lower(): short.lower() for long, short in us_households.STREET_TYPES},
    **{long.lower(): short.lower() for long, short in us_households.DIRECTIONS},
}
_STATE_CODES = {name.lower(): code.lower() for code, name, _ in STATES}


def splink_frame(path: Path, source: str) -> Frame:
    """The file as a Splink user prepares it: lower case, trimmed, parts split, nulls."""
    import pandas as pd

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    low = {c: raw[c].str.lower().str.strip() for c in raw.columns}
    address = low["address"].str.replace(r"[.,]", "", regex=True)
    words = address.str.split()
    usps = words.map(lambda ws: " ".join(_USPS.get(w, w) for w in ws))
    number = usps.str.extract(r"^(\d+)\s", expand=False)
    out = pd.DataFrame(
        {
            "unique_id": raw["id"],
            "source_dataset": source,
            "first_name": low["first_name"].str.replace(r"[^a-z]", "", regex=True),
            "middle_initial": low["middle_name"].str[:1],
            "last_name": low["last_name"].str.replace(r"[^a-z]", "", regex=True),
            "suffix": low["suffix"].str.replace(".", "", regex=False),
            "house_number": number,
            "street": usps.str.replace(r"^\d+\s+", "", regex=True),
            "unit": low["address2"].str.replace(r"^(apt|unit|#)\s*", "", regex=True),
            "city": low["city"],
            "state": low["state"].map(lambda s: _STATE_CODES.get(s, s)),
            "zip": low["zip"].str[:5],
            "phone": low["phone"].str.replace(r"\D", "", regex=True),
            "dob": low["dob"],
        }
    )
    return out.replace("", None)


def splink_max_pairs(n: int) -> float:
    """u-sampling budget: 20 pairs per record, at least 1e7, at most 5e7."""
    return float(min(5e7, max(1e7, 20.0 * n)))


def run_splink(left: Path, right: Path, out: Path, seed: int) -> None:
    """Splink 5 on DuckDB, trained and run as its tutorial does; writes the best right record
    for each left one with ``match_probability > 0.5``."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    a, b = splink_frame(left, "left"), splink_frame(right, "right")
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
        cl.ExactMatch("middle_initial"),
        cl.ExactMatch("suffix"),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("house_number"),
        cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
        # No unit: Splink 5 stops (ValueError) when EM drives a level's m to 0, and "unit
        # differs" has no true pair in it at 2k.
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.LevenshteinAtThresholds("zip", 1),
        cl.ExactMatch("state"),
        cl.ExactMatch("phone"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("last_name", "zip"),
            block_on("dob"),
            block_on("phone"),
            block_on("zip", "house_number"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    frames = [
        db_api.register(a, table_name="debtors"),
        db_api.register(b, table_name="register"),
    ]
    linker = Linker(frames, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "last_name", "dob"),
            block_on("first_name", "last_name", "zip", "house_number"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=splink_max_pairs(len(a)), seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    frame = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    flip = frame["source_dataset_l"] != "left"
    frame["left_id"] = frame["unique_id_l"].where(~flip, frame["unique_id_r"])
    frame["right_id"] = frame["unique_id_r"].where(~flip, frame["unique_id_l"])
    best = frame.sort_values("match_probability", ascending=False).drop_duplicates("left_id")
    best = best.rename(columns={"match_probability": "score"})
    best[["left_id", "right_id", "score"]].to_csv(out, index=False)


# --- running and scoring ----------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    method: str
    n: int
    seconds: float
    rss_mb: float
    precision: float
    recall: float
    f1: float
    links: int
    failed: str = ""


def child(argv: Sequence[str]) -> tuple[float, float, int]:
    """Run ``argv`` as a child: (wall seconds, peak memory MB, exit status). The memory is the
    child's and its own children's together (``TreeMemory``), or the largest one process held
    (``os.wait4``: a peak between two samples) where that is more; not this process's.
    stderr passes through."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    tree = TreeMemory(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    tree.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return seconds, max(usage.ru_maxrss / 1024, tree.peak_mb), proc.returncode


class TreeMemory:
    """The most memory a process and its descendants (skiptrace's forked workers) held at
    once: the sum of their proportional set sizes (``Pss``: a page two processes share counts
    half in each), sampled every ``EVERY`` seconds from /proc (Linux; 0 elsewhere)."""

    EVERY = 0.1

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb = pid, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(self.EVERY):
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_mb = max(self.peak_mb, total / 1024)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (gone ones left out)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
            for task in tasks:
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def command(method: str, folder: Path, out: Path, seed: int, extra: str) -> list[str]:
    left, right = str(folder / "left.csv"), str(folder / "right.csv")
    if method == "skiptrace":
        return [sys.executable, "-m", "skiptrace", "link", left, right, "-o", str(out)]
    return [sys.executable, __file__, "--run-splink", left, right, str(out), "--seed", str(seed)]


def score(out: Path, truth: Path) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and link count of an output CSV against the truth file."""
    import pandas as pd

    found = pd.read_csv(out, dtype=str, keep_default_na=False, usecols=["left_id", "right_id"])
    true = pd.read_csv(truth, dtype=str, keep_default_na=False)
    pairs = set(zip(found["left_id"], found["right_id"], strict=True))
    hits = len(pairs & set(zip(true["left_id"], true["right_id"], strict=True)))
    precision = hits / len(pairs) if pairs else 0.0
    recall = hits / len(true) if len(true) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1, len(pairs)


def run_method(method: str, n: int, folder: Path, args: argparse.Namespace) -> Result:
    out = folder / f"out-{method}.csv"
    argv = command(method, folder, out, args.seed, args.skiptrace_args)
    if method == "skiptrace":
        argv += shlex.split(args.skiptrace_args)
    times, peaks = [], []
    for _ in range(args.repeat):
        out.unlink(missing_ok=True)
        print(f"[{n:,}] {method}: {shlex.join(argv[1:3])} ...", file=sys.stderr, flush=True)
        seconds, rss, status = child(argv)
        if status != 0 or not out.exists():
            return Result(method, n, seconds, rss, 0, 0, 0, 0, failed=f"exit {status}")
        times.append(seconds)
        peaks.append(rss)
    return Result(
        method, n, statistics.median(times), max(peaks), *score(out, folder / "truth.csv")
    )


def table(results: Sequence[Result]) -> list[str]:
    header = ("method", "time s", "peak memory MB", "precision", "recall", "F1", "links")
    rows = [
        (
            r.method + (f" (FAILED: {r.failed})" if r.failed else ""),
            f"{r.seconds:.1f}",
            f"{r.rss_mb:.0f}",
            f"{r.precision:.4f}",
            f"{r.recall:.4f}",
            f"{r.f1:.4f}",
            f"{r.links:,}",
        )
        for r in results
    ]
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def goals(results: Sequence[Result]) -> list[str]:
    """This size's goals, PASS or FAIL (those it cannot judge are left out)."""
    by = {r.method: r for r in results if not r.failed}
    lines = []
    st, sp = by.get("skiptrace"), by.get("splink")
    if st and sp:
        fast = st.seconds <= sp.seconds
        lines.append(f"{_verdict(fast)} skiptrace at least as fast as Splink")
        good = st.f1 >= sp.f1
        lines.append(f"{_verdict(good)} skiptrace F1 at least Splink's")
    if st and st.n == GOAL_RSS_AT:
        lines.append(f"{_verdict(st.rss_mb < GOAL_RSS_MB)} skiptrace peak memory under 2 GB at 1M")
    return lines


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(value) against log(n): the growth exponent."""
    if len({n for n, _ in points}) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(v, 1e-9)) for _, v in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def growth(results: Sequence[Result], methods: Sequence[str]) -> list[str]:
    lines = ["| method | time exponent | memory exponent |", "|---|---|---|"]
    verdicts = []
    for m in methods:
        ok = [r for r in results if r.method == m and not r.failed]
        t = exponent([(r.n, r.seconds) for r in ok])
        mem = exponent([(r.n, r.rss_mb) for r in ok])
        lines.append(f"| {m} | {_fmt(t)} | {_fmt(mem)} |")
        if m == "skiptrace" and mem is not None:
            verdicts.append(f"{_verdict(mem < 1)} skiptrace memory grows sublinearly")
    return [*lines, "", *verdicts]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--only", default=",".join(METHODS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="sizes 2k,10k")
    parser.add_argument("--match-share", type=float, default=0.8)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--skiptrace-args", default="", help="appended to skiptrace link")
    parser.add_argument("--run-splink", nargs=3, metavar=("LEFT", "RIGHT", "OUT"), type=Path)
    args = parser.parse_args(argv)
    if args.run_splink:
        left, right, out = args.run_splink
        run_splink(left, right, out, args.seed)
        return 0
    sizes = QUICK_SIZES if args.quick else tuple(size(s) for s in args.sizes.split(","))
    methods = [m for m in args.only.split(",") if m]
    unknown = set(methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s): {', '.join(sorted(unknown))}")
    results: list[Result] = []
    for n in sizes:
        folder = dataset(args.seed, n, args.match_share, args.data_dir)
        here = [run_method(m, n, folder, args) for m in methods]
        results += here
        print(f"\n## {n:,} + {n:,} records (seed {args.seed}, repeat {args.repeat})\n")
        print("\n".join([*table(here), "", *goals(here)]), flush=True)
    print("\n## Growth with input size (log-log slope)\n")
    print("\n".join(growth(results, methods)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
