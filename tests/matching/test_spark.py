"""The Spark engine (``matching.spark``) gives what the in-process engine (``link.link``) gives:
the same links (every field), candidates, blocks left out and model, on a generated US household
set and edge cases. One local Spark session (two cores) serves every test; the tests share one
xdist worker (``--dist loadscope``), so one JVM starts. FEBRL4 and a 100,000 x 100,000 set are
checked the same way by ``.ci/engines_agree.py``, which CI runs after the tests (minutes, not
seconds)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from skiptrace.errors import LinkingError
from skiptrace.matching import blocking
from skiptrace.matching import spark as spark_engine
from skiptrace.matching.blocking import MAX_BLOCK_PAIRS
from skiptrace.matching.link import Linkage, link
from skiptrace.matching.spark import link_on_spark, spark_session
from skiptrace.net.wall import inside_guard

MASTER = "local[2]"
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


# The JVM tuned for many tiny jobs, not for throughput: the C1 compiler alone and one GC
# thread, which change how fast it runs, never what it computes (Spark's own settings stay the
# product's). The module's CPU goes from ~85 s to 50-57 s. The JVM keeps them for the rest of
# this worker process; a PYSPARK_SUBMIT_ARGS of your own is used as it is instead.
TUNED = ("--conf 'spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC' "
         "pyspark-shell")  # fmt: skip


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The session every test links on (``link_on_spark`` finds it again by its master)."""
    mine = "PYSPARK_SUBMIT_ARGS" not in os.environ
    if mine:
        os.environ["PYSPARK_SUBMIT_ARGS"] = TUNED  # read once, when pyspark starts the JVM
    try:
        with inside_guard():
            session = spark_session(MASTER)
            options = session.sparkContext.getConf().get("spark.driver.extraJavaOptions")
    finally:
        if mine:
            del os.environ["PYSPARK_SUBMIT_ARGS"]
    assert not mine or "TieredStopAtLevel=1" in (options or "")
    yield session
    with inside_guard():
        session.stop()


@pytest.fixture(autouse=True)
def jvm_sockets() -> Iterator[None]:
    """A test run earlier on this worker may have installed the network wall (``net.wall``):
    the driver's loopback connections to its own JVM are not research, so they pass."""
    with inside_guard():
        yield


@pytest.fixture(scope="session")
def bench(benchmark_script: Callable[[str], ModuleType]) -> ModuleType:
    """benchmarks/matching.py, for its US set."""
    return benchmark_script("matching")


def same(
    left: Sequence[Mapping[str, str]], right: Sequence[Mapping[str, str]], **options: Any
) -> Linkage:
    """Both engines on the same records; asserts that they agree, and returns the linkage."""
    expected = link(left, right, **options)
    got = link_on_spark(left, right, master=MASTER, **options)
    assert got.candidates == expected.candidates
    assert got.oversized == expected.oversized
    assert got.unreached == expected.unreached
    assert got.links == expected.links  # left, right, score, band, matched_on, relation...
    plain = ("prior", "household_u", "households", "relatives", "calibration", "tf", "u_random")
    assert [getattr(got.model, a) for a in plain] == [getattr(expected.model, a) for a in plain]
    for name, m in expected.model.m.items():  # bit-identical: the same EM on the same counts
        assert np.array_equal(got.model.m[name], m), name
        assert np.array_equal(got.model.u[name], expected.model.u[name]), name
    return expected


def test_us_households(spark: Any, bench: ModuleType) -> None:
    """Every pair from 0.01, so some left records hold several links, in order; the best-pair
    mode (the default) is in the tests below, and compared on FEBRL4 and 100,000 records by
    .ci/engines_agree.py."""
    us = bench.us_set(5, quick=True)  # 400 debtors, a register with households
    linkage = same(us.left, us.right, all_pairs=True, threshold=0.01)
    assert linkage.model.households
    assert {found.band for found in linkage.links} == {"high", "medium", "low"}
    lefts = [found.left for found in linkage.links]
    assert len(set(lefts)) < len(lefts)


def _person(first: str, last: str, n: int) -> dict[str, str]:
    return {"first_name": first, "last_name": last, "address": f"{n} Oak St",
            "city": "Springfield", "state": "IL", "zip": f"627{n % 100:02d}"}  # fmt: skip


def test_an_empty_side(spark: Any) -> None:
    """Either side empty: no pair to compare, so no Spark job (nor a session to start), and
    the in-process engine's answer on the other side's records."""
    tracker = spark.sparkContext.statusTracker()
    jobs = tracker.getJobIdsForGroup()
    records = [_person("Ann", "Lee", 1), _person("Bob", "Ray", 2)]
    assert same([], records).links == []
    assert same(records, [], relatives=False, all_pairs=True).links == []
    assert tracker.getJobIdsForGroup() == jobs


def test_one_record_a_side(spark: Any) -> None:
    [found] = same([_person("Ann", "Lee", 1)], [_person("Ann", "Lee", 1)]).links
    assert (found.left, found.right) == (0, 0)


HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
AWAY = {"address": "98 Elm Ave", "city": "Peoria", "state": "IL", "zip": "61602"}
READINGS = [
    # Mary against Mary-Ann or Mary Ann, Smith against Smithers (read from the name tables)
    ("Mary-Ann Smith", "MARY SMITH", HOME, 0.94), ("John Smith", "JOHN SMITHERS", HOME, 0.9),
    ("Mary Ann Lee", "LEE MARY", HOME, 0.94), ("Jo Byrne", "BYRNE, JO ANN", HOME, 0.94),
    # a short form or nickname both print after the surname; a middle initial past "Mary Ann"
    ("SMITH CHRIS", "SMITH CHRISTOPHER", HOME, 0.94),
    ("Mary Ann Q Jones", "MARY Q JONES", HOME, 0.94),
    ("BROWN BOB", "BROWN ROBERT", HOME, 0.9),
    # a debtor printed surname first against a nickname or a longer given name; "Mary Lou Q"
    # elsewhere counted as "Mary-Lou Q" is
    ("JONES WILLIAM", "Bill Jones", HOME, 0.94), ("SMITH MARY", "Mary Ann Smith", HOME, 0.94),
    ("Mary Lou Q Byrne", "Mary Q Byrne", AWAY, 0.45),
    # Vietnamese middle names (Thi, Van) letting both records' middles stand, swapped; a
    # brother, and a father printed surname first, stay low
    ("Lan Thi Tran", "TRAN THI LAN", HOME, "high"),
    ("Minh Van Nguyen", "NGUYEN VAN MINH", HOME, "high"),
    ("Nam Van Nguyen", "NGUYEN VAN HUNG", HOME, "low"),
    ("John Robert Smith", "SMITH ROBERT JOHN", HOME, "low"),
    # a debtor printed surname first with a middle name, the record without one; a sister
    ("SMITH JOHN A", "John Smith", HOME, "high"), ("KIM MIN JUN", "Min Seo Kim", HOME, "low"),
]  # fmt: skip
"""Pairs whose names ``compare`` reads from the name tables and the reading, each with its
score (or band) on both engines."""


def test_name_readings_score_alike_on_executors(spark: Any) -> None:
    """The pairs of ``READINGS`` in one Spark run (not one each: a link is some 20 Spark
    jobs), each scored as in process (1.0, 1.0 and 0.9 before for the debtor printed surname
    first)."""
    left = [{"full_name": mine, **HOME} for mine, _, _, _ in READINGS]
    right = [{"full_name": theirs, **where} for _, theirs, where, _ in READINGS]
    found = same(left, right, all_pairs=True, threshold=0.001).links
    got = {pair.left: pair for pair in found if pair.left == pair.right}
    said = [("low" if k not in got else got[k].band if isinstance(want, str) else got[k].score)
            for k, (*_, want) in enumerate(READINGS)]  # fmt: skip
    assert said == [want for *_, want in READINGS]


def test_identity_numbers_a_block_over_the_cap_and_fallback_pairs(
    spark: Any, identity_files: Callable[..., Any], benchmark_script: Callable[[str], ModuleType]
) -> None:
    """The default mode on one file pair holding these cases (one Spark run, not one each):
    - copies with another first name found by their number; numbers two records of a side
      hold, blanked in SQL, link no one, as in process;
    - 40 x 40 records sharing a surname: that key is left out of the surname rule (and of the
      soundex rule for the initials they share), said so alike;
    - a debtor whose fallback-only pair (``blocking.Rule.fallback``: her surname alone) would
      score higher than the high pair the other rules find: neither engine compares it;
    - a debtor whose father's and son's records (his name, his home, two birth dates) tie:
      linked ``low``, alike (``link.tied``);
    - 32 x 32 copies of one record (1,024 pairs, over ``MAX_BLOCK_PAIRS``) sharing no key
      with any other record: every rule's block of them is over its cap, so they are compared
      with nothing; both engines count them, where the message had said the other rules still
      reached them."""
    left, right = identity_files(120, 7, other_id=False)
    for n in range(1, 40, 2):
        right[n]["id_number"] = "501234567"
    left[41]["id_number"] = left[43]["id_number"]
    firsts = ["Ann", "Bob", "Carl", "Dana", "Eve", "Fay", "Gus", "Hal"]
    people = [_person(firsts[n % 8], "Smith", n) for n in range(40)]
    made = benchmark_script("us_households").generate(seed=0, debtors=300)
    debtor = {"first_name": "Jane", "middle_name": "Ann", "last_name": "Whitcombe",
              "address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704",
              "dob": "1980-05-01"}  # fmt: skip
    walter = {"first_name": "Walter", "last_name": "Pennington", "address": "7 Birch Rd",
              "city": "Springfield", "state": "IL", "zip": "62704"}  # fmt: skip
    left += [*people, *made.left, debtor, walter]
    right += [*people[::-1], *({"full_name": r["name"], "address": r["address"],
                                "phone": r["phone"], "dob": r["dob"]}
                               for r in made.right)]  # fmt: skip
    right += [{"full_name": "Walter Pennington", "address": "7 Birch Rd, Springfield, IL 62704",
               "dob": dob} for dob in ("1950-02-03", "1980-06-07")]  # fmt: skip
    right += [
        {"full_name": "Jane Ann Whitcombe", "address": "12 Oka St, Springfield, IL 62740",
         "dob": "1980-05-01"},  # the same ZIP, house number and first name nowhere
        {"full_name": "Jane Whitcombe", "address": "12 Oak St, Springfield, IL 62704"},
    ]  # fmt: skip
    alike = {"first_name": "Ottoline", "last_name": "Quimby", "address": "9 Yew Ct",
             "city": "Ogden", "state": "UT", "zip": "84401"}  # fmt: skip
    copies, rights = len(left), len(right)  # where the copies start on each side
    left += [alike] * 32
    right += [alike] * 32
    linkage = same(left, right)
    # the copies, and a Springfield debtor of the household set whose one shared key (her
    # town and initial) is over its cap
    assert linkage.unreached == 32 + 1
    assert all(found.left < copies and found.right < rights for found in linkage.links)
    linked = {(found.left, found.right) for found in linkage.links}
    assert (45, 45) in linked and (1, 1) not in linked and (41, 41) not in linked
    rules = {block.rule: block for block in linkage.oversized}
    assert rules["last name"].largest == "smith"
    assert rules["last name"].largest_pairs >= 1600 > MAX_BLOCK_PAIRS  # and the set's Smiths
    found = [(k.right, k.band) for k in linkage.links if k.left == copies - 2]
    assert found == [(rights - 1, "high")]
    [father] = [k for k in linkage.links if k.left == copies - 1]
    assert (father.right, father.score, father.band) == (rights - 4, 0.5, "low")
    assert father.matched_on.endswith(",tie(2 people)")
    households = range(copies - len(made.left) - 2, copies - 2)
    assert sum(found.left in households for found in linkage.links) > 150  # of 174


def test_past_max_candidates(
    spark: Any, bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap on candidate pairs stops both engines at the same rule: each rule's pairs
    counted on top of the distinct pairs of the rules before it (2,018 distinct in all; 3,778
    counted rule by rule, which would stop at "first name and ZIP")."""
    us = bench.us_set(2, quick=True)
    monkeypatch.setattr(blocking, "MAX_CANDIDATES", 2000)
    monkeypatch.setattr(spark_engine, "MAX_CANDIDATES", 2000)
    with pytest.raises(LinkingError) as expected:
        link(us.left, us.right)
    assert "'city and initial'" in str(expected.value)
    with pytest.raises(LinkingError) as got:
        link_on_spark(us.left, us.right, master=MASTER)
    assert str(got.value) == str(expected.value)


def test_without_pyspark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked for without the extra installed: a LinkingError that says what to install."""
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # None: "import pyspark.sql" fails
    monkeypatch.delitem(sys.modules, "skiptrace.matching.spark")
    with pytest.raises(LinkingError, match=r"pip install 'skiptrace\[spark\]'"):
        importlib.import_module("skiptrace.matching.spark")


def test_a_session_that_fails_or_hangs_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreachable master (sc://, spark://) retried for minutes in silence, and a bad one
    gave a page of Java stack trace: now one LinkingError line, within the deadline."""

    def fails() -> Any:
        raise RuntimeError("[JAVA_GATEWAY_EXITED] Java gateway process exited\nat ...")

    with pytest.raises(LinkingError, match=r"^cannot start Spark on bogus\[2\]: \[JAVA_GATEWAY"):
        spark_engine._within_deadline(fails, "bogus[2]")
    monkeypatch.setattr(spark_engine, "SESSION_SECONDS", 0.2)
    with pytest.raises(
        LinkingError, match=r"cannot reach Spark at sc://127\.0\.0\.1:1 within 0\.2 s"
    ):
        spark_engine._within_deadline(lambda: time.sleep(5), "sc://127.0.0.1:1")


def test_spark_failures_and_a_kernel_that_differs_are_one_line(spark: Any) -> None:
    from pyspark.errors import PySparkException

    with (
        pytest.raises(LinkingError, match=r"^Spark failed: PySparkException: first line$"),
        spark_engine._spark_errors(),
    ):
        raise PySparkException("first line\nsecond line")
    # an executor whose skiptrace differs from the driver's refuses to score
    frame = spark.createDataFrame(pa.table({"x": pa.array([1], pa.int64())}))  # one task
    skewed = partial(spark_engine._same_kernel, "0.0+another", lambda batches: batches)
    with pytest.raises(LinkingError, match="is not the driver's"), spark_engine._spark_errors():
        frame.mapInArrow(skewed, "x long").collect()


def test_a_field_spark_cannot_carry_is_named(spark: Any) -> None:
    left = [{"first_name": "Ann\ud800", "last_name": "Roe"}]
    with pytest.raises(LinkingError, match="record 1: its first_name is not valid Unicode"):
        link_on_spark(left, left, master=MASTER)
