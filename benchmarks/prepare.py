"""Records per second of ``skiptrace.matching.prepare.prepare`` on the two shapes it is given.

* ``split``: the US household set's debtor file (``us_households.py``): first, middle and last
  name, suffix, street, unit, city, state, ZIP, phone and date of birth each in its own column.
* ``one-line``: the same set's register, given as ``skiptrace link`` users map it: one
  ``full_name`` column ("CLARK, GREGORY O JR") and one one-line ``address`` ("122 SUNSET LN APT
  19C, MEMPHIS, TN 38160-4328"), a phone and a date of birth for a minority.

Each shape is timed in a fresh process, so no cache of an earlier run (the parsers behind the
normalisers keep theirs between calls) makes it look faster than a first ``link`` does. The
baseline named in the table is the floor any ``prepare`` pays: copying each record into a new
dict (``[dict(r) for r in records]``), timed the same way. Run by hand:

    .venv/bin/python benchmarks/prepare.py [--n 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import us_households  # benchmarks/ is not a package: found through the path above

from skiptrace.matching.prepare import prepare

Records = Sequence[Mapping[str, str]]


def shapes(n: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """``n`` split-field and ``n`` one-line records from one generated household set."""
    households = us_households.generate(seed, n)
    register = [
        {"full_name": r["name"], "address": r["address"], "phone": r["phone"], "dob": r["dob"]}
        for r in households.right[:n]
    ]
    return {"split": households.left[:n], "one-line": register}


def _copy(records: Records) -> object:
    return [dict(r) for r in records]


METHODS: dict[str, Callable[[Records], object]] = {"prepare": prepare, "dict copy": _copy}


def _seconds(method: str, records: Records) -> float:
    """CPU seconds of one call of ``method`` on ``records`` (run in a fresh worker process):
    other work on the machine slows it less than it does the wall clock."""
    start = time.process_time()
    METHODS[method](records)
    return time.process_time() - start


def timed(method: str, records: Records) -> float:
    """Seconds of ``method`` on ``records`` in a new process: every cache starts empty."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_seconds, method, records).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="records of each shape")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = shapes(args.n, args.seed)
    print(f"{'shape':<10} {'records':>8} {'prepare rec/s':>14} {'dict copy rec/s':>16} "
          f"{'prepare time / copy time':>25}")  # fmt: skip
    for shape, records in data.items():
        rates = {m: len(records) / timed(m, records) for m in METHODS}
        slower = rates["dict copy"] / rates["prepare"]
        print(f"{shape:<10} {len(records):>8} {rates['prepare']:>14,.0f} "
              f"{rates['dict copy']:>16,.0f} {slower:>24.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
