"""Linking on Apache Spark: the in-process kernel (``link``) run on executors, same output.

Spark only moves data: the per-record functions (``prepare``, ``Rule.keys``,
``household_keys``) and the per-pair ones (``compare``, ``patterns_of``, ``choose_links``) run
in ``mapInArrow`` on Arrow batches, pairs as pair-aligned tables (a batch's row k holds pair
k's two records). Counting (key sizes and the cap, distinct pairs, name frequencies,
households, the agreement patterns of ``model.em_sample``'s pairs) is Spark SQL on integers,
so training on the driver gets exactly the arrays the in-process engine does and learns a
bit-identical model. Spark's own fuzzy functions (jaro_winkler...) are never used: they
disagree with rapidfuzz.

Worth it for files too big for one machine's memory or time; a session costs 10-30 s to
start. Executors need skiptrace (and its data tables) installed.
"""

from __future__ import annotations

import contextvars
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial, reduce
from typing import Any

import numpy as np

from skiptrace._version import code_digest
from skiptrace.errors import LinkingError
from skiptrace.matching.blocking import (
    MAX_CANDIDATES,
    RULES,
    Oversized,
    too_many_candidates,
)
from skiptrace.matching.comparisons import compare
from skiptrace.matching.levels import COMPARISONS
from skiptrace.matching.link import (
    DEFAULT_THRESHOLD,
    Link,
    Linkage,
    Progress,
    choose_links,
    link,
)
from skiptrace.matching.model import (
    Model,
    Patterns,
    Statistics,
    em_sample,
    em_share,
    household_keys,
    patterns_of,
    train,
    u_sample,
)
from skiptrace.matching.prepare import COLUMNS, FIELDS, Table, prepare, texts

try:
    import pyarrow as pa
    import pyarrow.compute as pc
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
except ImportError as error:  # the optional extra: say how to get it, not a traceback
    raise LinkingError("the Spark engine needs pyspark: pip install 'skiptrace[spark]'") from error

ONE_PARTITION = 10_000
"""A side of at most this many records is sent in one partition, where Spark slices the
records into as many partitions as the session has cores: on a small side each partition
more costs a task in every stage, and a shuffle (a job of its own) before each count, where
one partition is counted in place. On local[2] a 1 x 1 link ran 32 jobs and 57 tasks, now 20
and 21; a 400 x 611 link took 5.4 s of CPU, now 3.6, FEBRL4 (5,000 x 5,000) 9.7-15.2 s of
wall time and 18.8-22.3 of CPU, now 7.4-12.4 and 13.6-16.2, and 10,000 x 10,000 20.2 and
26.4 s, now 11.8 and 18.3 (the in-process engine: 1.2 s). Larger sides are split as before
(.ci/engines_agree.py checks FEBRL4 one way and 100,000 x 100,000 the other)."""

PAIRS_PER_CALL = 100_000
"""Pairs an executor scores at once (more for a left record with more): several Python
workers share an executor's memory, so fewer than the local engine's ``PAIRS_PER_CHUNK``."""

Batches = Iterator[Any]
"""pyarrow RecordBatches, as ``mapInArrow`` passes and takes them."""

_PREPARED = pa.schema([("pos", pa.int64()), *((c, pa.string()) for c in COLUMNS)])
_KEYS = pa.schema([("rule", pa.int32()), ("key", pa.string()), ("pos", pa.int64())])
_HOMES = pa.schema([(c, pa.string()) for c in ("last", "home", "home2", "first")])
_PAIRS = pa.schema([("l", pa.int64()), ("r", pa.int64())])
_PATTERNS = pa.schema([("code", pa.int64()), ("count", pa.int64())])
_LINKS = pa.schema([
    ("left", pa.int64()), ("right", pa.int64()), ("score", pa.float64()), ("band", pa.string()),
    ("matched_on", pa.string()), ("relation", pa.string()), ("namesakes", pa.float64()),
    ("rare_name", pa.bool_()), ("rank", pa.int32()),
])  # fmt: skip
"""What each ``mapInArrow`` step yields (``_ddl`` tells Spark)."""
_SQL_TYPES = {pa.int32(): "int", pa.int64(): "long", pa.float64(): "double",
              pa.string(): "string", pa.bool_(): "boolean"}  # fmt: skip


def _ddl(schema: Any) -> str:
    """An Arrow schema as the DDL string ``mapInArrow`` takes."""
    return ", ".join(f"`{field.name}` {_SQL_TYPES[field.type]}" for field in schema)


def spark_session(master: str | None = None) -> SparkSession:
    """The session to link on: Spark Connect for an ``sc://`` master (or, with no master,
    ``SPARK_REMOTE``), else a classic session on ``master`` (``local[*]`` by default). An
    existing session is reused (its runtime settings set again), so a second run starts no
    JVM. In local mode the executors run this very Python, which has skiptrace."""
    remote = master if master and master.startswith("sc://") else None
    if master is None:
        remote = os.environ.get("SPARK_REMOTE")
    builder = SparkSession.builder.appName("skiptrace link")
    if remote:
        session = _within_deadline(builder.remote(remote).getOrCreate, remote)
    else:
        master = master or "local[*]"
        if master.startswith("local"):
            os.environ["PYSPARK_PYTHON"] = sys.executable
            builder = (builder.config("spark.pyspark.python", sys.executable)
                       .config("spark.driver.host", "127.0.0.1")
                       .config("spark.driver.bindAddress", "127.0.0.1"))  # fmt: skip
        builder = builder.master(master).config("spark.ui.enabled", "false")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
        session = _within_deadline(builder.getOrCreate, master)
        if master.startswith("local"):  # 200 shuffle partitions: most of a small run's time
            cores = session.sparkContext.defaultParallelism
            session.conf.set("spark.sql.shuffle.partitions", str(max(2, 2 * cores)))
    session.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    return session


def _within_deadline(start: Callable[[], SparkSession], where: str) -> SparkSession:
    """``start()`` (a session's ``getOrCreate``) within ``SESSION_SECONDS``, its errors as one
    ``LinkingError`` line. It runs in a daemon thread: one left hanging does not keep the
    process alive."""
    result: list[SparkSession] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()  # the caller's, as if started in its own thread

    def run() -> None:
        try:
            result.append(context.run(start))
        except BaseException as error:  # reported below, in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=run, name="spark session", daemon=True)
    worker.start()
    worker.join(SESSION_SECONDS)
    if failure:
        first = next((line for line in str(failure[0]).splitlines() if line.strip()), "")
        raise LinkingError(f"cannot start Spark on {where}: {first[:300]}")
    if not result:
        raise LinkingError(f"cannot reach Spark at {where} within {SESSION_SECONDS:g} s")
    return result[0]


def link_on_spark(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
    master: str | None = None,
    progress: Progress | None = None,
) -> Linkage:
    """``link.link`` on Spark (``master``: see ``spark_session``), with the same output: the
    same links in the same order, the same model, candidates and blocks left out. The
    records are read on the driver (by the caller: bad rows are handled as for ``link``)
    and sent to the executors, which do the rest. The session is left running for the next
    run (it ends with the process). A side with no records gives no pair to compare, link or
    learn from: ``link``'s answer on two empty sides is the same, so no session is started."""
    if not left or not right:
        return link([], [], threshold=threshold, all_pairs=all_pairs, relatives=relatives,
                    progress=progress)  # fmt: skip
    tell = progress or (lambda stage, done, total: None)
    spark = spark_session(master)
    kept: list[DataFrame] = []
    with _spark_errors():
        return _link_on(spark, left, right, threshold, all_pairs, relatives, tell, kept)


def _link_on(
    spark: SparkSession,
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    threshold: float,
    all_pairs: bool,
    relatives: bool,
    tell: Progress,
    kept: list[DataFrame],
) -> Linkage:
    """``link_on_spark``'s work, once the session is there."""

    def keep(frame: DataFrame) -> DataFrame:
        """Cached: each of these is read several times, and computed by Python UDFs."""
        kept.append(frame.persist())
        return frame

    try:
        prepared = _on_executor(prepare_batches)
        records = [_records(spark, rows) for rows in (left, right)]
        sides = [keep(_unshared(frame.mapInArrow(prepared, _ddl(_PREPARED)), numbered))
                 for frame, numbered in records]  # fmt: skip
        tell("prepare", len(left) + len(right), len(left) + len(right))
        keys = [keep(sides[n].mapInArrow(_on_executor(partial(key_batches, side)), _ddl(_KEYS)))
                for n, side in enumerate(("left", "right"))]  # fmt: skip
        pairs, oversized, unreached = _blocks(keys[0], keys[1], keep)
        candidates = pairs.count()
        tell("block", candidates, candidates)
        sampled = _on_executor(partial(em_batches, em_share(candidates)))
        learnt = pairs.select("l", "r").mapInArrow(sampled, _ddl(_PAIRS))
        patterns = _patterns(_aligned(learnt, *sides))
        tell("learn", candidates, candidates)
        ul, ur = u_sample(len(left), len(right))
        (left_rows, li), (right_rows, ri) = _rows(spark, sides, (ul, ur))
        model = train(_statistics(len(left), len(right), *sides), patterns,
                      compare(left_rows, right_rows, li, ri), n_pairs=candidates,
                      relatives=relatives)  # fmt: skip
        chosen = partial(link_batches, model, threshold, all_pairs)
        ordered = _aligned(pairs, *sides).repartition("l").sortWithinPartitions("l", "r")
        found = ordered.mapInArrow(_on_executor(chosen), _ddl(_LINKS))
        collected = found.toArrow().sort_by([("left", "ascending"), ("rank", "ascending")])
        links = [_link(row) for row in collected.to_pylist()]
        tell("score", candidates, candidates)
        return Linkage(links, model, candidates, oversized, unreached)
    finally:
        for frame in kept:
            frame.unpersist()


def _records(spark: SparkSession, records: Sequence[Mapping[str, str]]) -> tuple[DataFrame, bool]:
    """The records as a DataFrame of their text fields, with their positions (``pos``), and
    whether any of them holds an identity number."""
    columns = {"pos": pa.array(range(len(records)), pa.int64())}
    numbered = False
    for name in FIELDS:
        values = texts(records, name)
        numbered |= name == "id_number" and any(values)
        try:
            columns[name] = pa.array(values, pa.string())
        except UnicodeEncodeError:  # a lone surrogate: Arrow carries UTF-8 only
            bad = next(k for k, v in enumerate(values) if not _encodable(v))
            raise LinkingError(
                f"record {bad + 1}: its {name} is not valid Unicode (a lone surrogate); "
                "the Spark engine cannot send it"
            ) from None
    frame = spark.createDataFrame(pa.table(columns))
    if len(records) <= ONE_PARTITION:
        frame = frame.coalesce(1)  # narrow: no shuffle, the same rows; Connect has it too
    return frame, numbered


def _unshared(side: DataFrame, numbered: bool) -> DataFrame:
    """``prepare.unshared_ids`` in SQL: an identity number two records of the side hold is
    blanked. ``numbered``: whether any record holds one (else there is nothing to count, and
    no stage is spent on it)."""
    if not numbered:
        return side
    counts = side.where(F.col("id_number") != "").groupBy("id_number").count()
    shared = counts.where(F.col("count") > 1).select("id_number", F.lit(True).alias("shared"))
    blanked = F.when(F.col("shared"), F.lit("")).otherwise(F.col("id_number"))
    joined = side.join(shared, "id_number", "left")
    return joined.select(*(blanked.alias(c) if c == "id_number" else F.col(c)
                           for c in ("pos", *COLUMNS)))  # fmt: skip


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


SESSION_SECONDS = 180.0
"""How long a session may take to start or to reach its cluster: an unreachable master
(``spark://``, ``sc://``) otherwise retries for many minutes in silence."""


@contextmanager
def _spark_errors() -> Iterator[None]:
    """Spark's and Py4J's errors (a job failing on an executor, a lost connection) as one
    ``LinkingError`` line: the CLI exits 2 with it, not a page of Java stack trace."""
    try:
        yield
    except (PySparkException, Py4JError) as error:
        raise LinkingError(f"Spark failed: {type(error).__name__}: {_cause(str(error))}") from None


_RAISED = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception): .+")


def _cause(text: str) -> str:
    """The line that says what went wrong: an executor's Python error ("RuntimeError: ...",
    the last one raised in its traceback), else the message's first line."""
    lines = [line for line in text.splitlines() if line.strip()]
    raised = [line for line in lines if _RAISED.match(line)] if "Traceback" in text else []
    return (raised[-1] if raised else lines[0] if lines else "")[:300]


def _on_executor(function: Callable[[Batches], Batches]) -> Callable[[Batches], Batches]:
    """``function`` to run on executors, refusing to run if their skiptrace kernel is not the
    driver's (another version installed there, or files changed since): its scores would
    differ in silence."""
    return partial(_same_kernel, kernel_digest(), function)


def _same_kernel(
    expected: str, function: Callable[[Batches], Batches], batches: Batches
) -> Batches:
    found = kernel_digest()
    if found != expected:
        raise RuntimeError(
            f"this executor's skiptrace kernel ({found}) is not the driver's ({expected}): "
            "install the same skiptrace version on every executor"
        )
    return function(batches)


def kernel_digest() -> str:
    """The version and a SHA-256 over the matching and normalising code and the name tables:
    what decides a score."""
    return code_digest("matching", "normalize")


def _table(batch: Any, prefix: str = "") -> Table:
    """The Table held in an Arrow batch's ``prefix``-named columns (object arrays of str)."""
    return Table({c: batch.column(prefix + c).to_numpy(zero_copy_only=False) for c in COLUMNS})


def prepare_batches(batches: Batches) -> Batches:
    """Executors: records to prepared columns (``prepare`` is per record: any batching
    gives the same rows)."""
    for batch in batches:
        table = prepare(batch.select(list(FIELDS)).to_pylist())
        columns = [batch.column("pos"), *(pa.array(table[c], pa.string()) for c in COLUMNS)]
        yield pa.RecordBatch.from_arrays(columns, schema=_PREPARED)


def key_batches(side: str, batches: Batches) -> Batches:
    """Executors: each record's blocking key under every rule (``rule``: its position in
    ``RULES``), records without one left out."""
    for batch in batches:
        table, positions = _table(batch), batch.column("pos").to_numpy()
        for number, rule in enumerate(RULES):
            keys = rule.keys(table, side)
            given = keys != ""
            yield pa.RecordBatch.from_arrays(
                [pa.array(np.full(int(given.sum()), number, np.int32)),
                 pa.array(keys[given], pa.string()), pa.array(positions[given])],
                schema=_KEYS,
            )  # fmt: skip


def _blocks(
    left_keys: DataFrame, right_keys: DataFrame, keep: Callable[[DataFrame], DataFrame]
) -> tuple[DataFrame, tuple[Oversized, ...], int]:
    """The distinct candidate pairs (``l``, ``r``, and whether only fallback rules give
    them: ``fallback``), the keys left out for their size, and the left records in no block
    that was kept though in one left out, as ``blocking.candidate_pairs`` finds them
    (``keep``: caches a frame read again)."""
    sizes = keep(left_keys.groupBy("rule", "key").agg(F.count("*").alias("n_left"))
             .join(right_keys.groupBy("rule", "key").agg(F.count("*").alias("n_right")),
                   ["rule", "key"])
             .withColumn("size", F.col("n_left") * F.col("n_right")))  # fmt: skip
    caps = F.array(*(F.lit(rule.max_pairs) for rule in RULES))
    over = F.col("size") > F.element_at(caps, F.col("rule") + 1)  # each rule's Rule.max_pairs
    rules = sizes.groupBy("rule").agg(
        F.sum(F.when(~over, F.col("size")).otherwise(0)).alias("pairs"),
        F.count(F.when(over, 1)).alias("over_keys"),
        F.sum(F.when(over, F.col("size")).otherwise(0)).alias("over_pairs"),
        # the biggest key, the first in sorted order among equals (UTF-8 order: code points)
        F.min(F.when(over, F.struct((-F.col("size")).alias("minus"), "key"))).alias("largest"),
    )
    by_rule = {row["rule"]: row for row in rules.collect()}
    oversized = []
    for number, rule in enumerate(RULES):
        row = by_rule.get(number)
        if row is not None and row["over_keys"]:
            largest = row["largest"]
            oversized.append(Oversized(rule.name, row["over_keys"], row["over_pairs"],
                                       largest["key"], -largest["minus"],
                                       rule.max_pairs))  # fmt: skip
    usable = sizes.where(~over).select("rule", "key")
    marked = left_keys.join(sizes.select("rule", "key", over.alias("over")), ["rule", "key"])
    unreached = (marked.groupBy("pos").agg(F.min("over").alias("out")).where("out").count()
                 if oversized else 0)  # fmt: skip
    fallback = F.array(*(F.lit(rule.fallback) for rule in RULES))  # only fallback rules: true
    found = keep(left_keys.withColumnRenamed("pos", "l").join(usable, ["rule", "key"])
                 .join(right_keys.withColumnRenamed("pos", "r"), ["rule", "key"])
                 .groupBy("l", "r").agg(F.min("rule").alias("rule"),
                                        F.min(F.element_at(fallback, F.col("rule") + 1))
                                        .alias("fallback")))  # fmt: skip
    pairs = {number: row["pairs"] for number, row in by_rule.items()}
    if sum(pairs.values()) > MAX_CANDIDATES:  # else no rule can bring the pairs past it
        _check_candidates(pairs, dict(found.groupBy("rule").count().collect()))
    return found.select("l", "r", "fallback"), tuple(oversized), unreached


def _check_candidates(pairs: Mapping[int, int], first: Mapping[int, int]) -> None:
    """``LinkingError`` where ``candidate_pairs`` raises it: at the first rule whose pairs
    (``pairs``, by rule number), added to the distinct pairs of the rules before it (those
    whose first rule, ``first``, is one of them), are past ``MAX_CANDIDATES``."""
    before = 0
    for number, rule in enumerate(RULES):
        if before + pairs.get(number, 0) > MAX_CANDIDATES:
            raise too_many_candidates(rule)
        before += first.get(number, 0)


def _aligned(pairs: DataFrame, left: DataFrame, right: DataFrame) -> DataFrame:
    """Pair-aligned rows: each pair's left record's columns (``l_first``...) and its right
    record's (``r_first``...) side by side. The sides' columns are ``pos`` and ``COLUMNS`` in
    that order (``_PREPARED``, ``_unshared``), renamed at once by ``toDF``: a ``Column`` built
    and aliased per name cost some 2,000 Py4J calls a run, 40% of the run's."""
    order = ["pos", *COLUMNS]
    assert left.columns == order == right.columns, (left.columns, right.columns)  # by position
    named = [side.toDF(p, *(f"{p}_{c}" for c in COLUMNS))
             for side, p in ((left, "l"), (right, "r"))]  # fmt: skip
    return pairs.join(named[0], "l").join(named[1], "r")


def em_batches(share: float, batches: Batches) -> Batches:
    """Executors: the pairs EM learns from (``model.em_sample``: a hash of the pair, so the
    same pairs as in process, however they are partitioned)."""
    for batch in batches:
        chosen = em_sample(batch.column("l").to_numpy(), batch.column("r").to_numpy(), share)
        yield batch.filter(pa.array(chosen))


def pattern_batches(batches: Batches) -> Batches:
    """Executors: the agreement patterns of pair-aligned batches, counted per batch."""
    for batch in batches:
        if batch.num_rows:
            index = np.arange(batch.num_rows)
            found = patterns_of(compare(_table(batch, "l_"), _table(batch, "r_"), index, index))
            yield pa.RecordBatch.from_arrays([pa.array(found.codes), pa.array(found.counts)],
                                             schema=_PATTERNS)  # fmt: skip


def _patterns(aligned: DataFrame) -> Patterns:
    """Every candidate pair's pattern, counted: ``merge_patterns``' arrays (codes ascending)."""
    counted = (aligned.mapInArrow(_on_executor(pattern_batches), _ddl(_PATTERNS)).groupBy("code")
               .agg(F.sum("count").alias("count")).toArrow().sort_by("code"))  # fmt: skip
    return Patterns(counted.column("code").to_numpy().astype(np.int64),
                    counted.column("count").to_numpy().astype(np.int64))  # fmt: skip


def home_batches(batches: Batches) -> Batches:
    """Executors: each record's household group and first name (``household_keys``), for
    the records that have one."""
    for batch in batches:
        groups, firsts = household_keys(_table(batch))
        rows = [(*group, first) for group, first in zip(groups, firsts, strict=True) if first]
        if rows:
            columns = [pa.array(column, pa.string()) for column in zip(*rows, strict=True)]
            yield pa.RecordBatch.from_arrays(columns, schema=_HOMES)


def _statistics(n_left: int, n_right: int, left: DataFrame, right: DataFrame) -> Statistics:
    """``model.statistics`` counted by Spark, in two jobs: value counts of the term-frequency
    columns, and the household pairs (per group, its total squared less the sum of squares of
    its first names' counts, halved, as ``model.statistics`` counts them)."""
    tf = [c for c in COMPARISONS if c.tf]
    values = [
        side.where(F.col(c.column) != "").select(
            F.lit(n).alias("side"), F.lit(c.name).alias("name"), F.col(c.column).alias("value")
        )
        for n, side in enumerate((left, right))
        for c in tf
    ]
    counted: dict[str, tuple[dict[str, int], dict[str, int]]] = {c.name: ({}, {}) for c in tf}
    for row in _union(values).groupBy("side", "name", "value").count().toArrow().to_pylist():
        counted[row["name"]][row["side"]][row["value"]] = row["count"]
    homes = [side.mapInArrow(_on_executor(home_batches), _ddl(_HOMES)).withColumn("side", F.lit(n))
             for n, side in enumerate((left, right))]  # fmt: skip
    group = ["side", "last", "home", "home2"]
    count = F.col("count")
    shared = (_union(homes).groupBy(*group, "first").count().groupBy(*group)
              .agg(F.sum(count).alias("total"), F.sum(count * count).alias("squares"))
              .select(F.sum(F.expr("(total * total - squares) div 2"))).first())  # fmt: skip
    return Statistics(n_left, n_right, counted, int(shared[0] or 0) if shared else 0)


def _union(frames: Sequence[DataFrame]) -> DataFrame:
    return reduce(DataFrame.unionByName, frames)


def _rows(
    spark: SparkSession, sides: Sequence[DataFrame], positions: Sequence[Any]
) -> list[tuple[Table, Any]]:
    """Each side's records at its ``positions`` collected (each once), and where each
    position's record is in that side's Table: one job for both sides, and one broadcast."""
    wanted = [np.unique(at) for at in positions]
    asked = spark.createDataFrame(pa.table({
        "side": pa.array(np.repeat(np.arange(len(wanted)), [len(w) for w in wanted]), pa.int32()),
        "pos": pa.array(np.concatenate(wanted), pa.int64()),
    }))  # fmt: skip
    both = _union([side.withColumn("side", F.lit(n)) for n, side in enumerate(sides)])
    found = both.join(F.broadcast(asked), ["side", "pos"]).toArrow()
    out = []
    for n, (w, at) in enumerate(zip(wanted, positions, strict=True)):
        mine = found.filter(pc.equal(found.column("side"), n)).sort_by("pos")
        out.append((_table(mine), np.searchsorted(w, at).astype(np.intp)))
    return out


def link_batches(model: Model, threshold: float, all_pairs: bool, batches: Batches) -> Batches:
    """Executors: ``choose_links`` on a partition's pairs, sorted by (left, right), in
    chunks of whole left records; ``rank`` is a link's place among its left record's."""
    for table in _whole_left_records(batches):
        index = np.arange(table.num_rows)
        ids = (table.column("l").to_numpy(), table.column("r").to_numpy())
        found = choose_links(model, _table(table, "l_"), _table(table, "r_"), index, index, ids,
                             threshold=threshold, all_pairs=all_pairs,
                             fallback=table.column("fallback").to_numpy())  # fmt: skip
        lefts = np.array([f.left for f in found], dtype=np.int64)  # ascending: by left record
        rank = np.arange(len(found)) - np.searchsorted(lefts, lefts, "left")
        yield pa.RecordBatch.from_pydict(
            {"left": lefts, "right": [f.right for f in found], "score": [f.score for f in found],
             "band": [f.band for f in found], "matched_on": [f.matched_on for f in found],
             "relation": [f.relation for f in found], "namesakes": [f.namesakes for f in found],
             "rare_name": [f.rare_name for f in found], "rank": rank},
            schema=_LINKS,
        )  # fmt: skip


def _whole_left_records(batches: Batches, size: int = PAIRS_PER_CALL) -> Iterator[Any]:
    """Arrow tables of about ``size`` pairs from batches sorted by ``l``, none splitting one
    left record's pairs: ``choose_links`` needs all of them at once."""
    held: list[Any] = []
    rows = 0
    for batch in batches:
        held.append(batch)
        rows += batch.num_rows
        if rows < size:
            continue
        table = pa.Table.from_batches(held)
        lefts = table.column("l").to_numpy()
        cut = int(np.searchsorted(lefts, lefts[-1], "left"))  # where the last record starts
        if cut:
            yield table.slice(0, cut)
            held, rows = table.slice(cut).to_batches(), rows - cut
    if rows:
        yield pa.Table.from_batches(held)


def _link(row: Mapping[str, Any]) -> Link:
    return Link(row["left"], row["right"], row["score"], row["band"], row["matched_on"],
                relation=row["relation"], namesakes=row["namesakes"],
                rare_name=row["rare_name"])  # fmt: skip
