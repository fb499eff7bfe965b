"""Linking at scale: chunks, EM on pattern counts and on a hashed sample, blocks left out for
their size, the candidate limit, records prepared as they are read, progress on stderr."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.matching import Link, blocking, model
from skiptrace.matching.comparisons import compare, compare_rest
from skiptrace.matching.levels import BY_NAME, COMPARISONS
from skiptrace.matching.prepare import COLUMNS, prepare, prepare_records

link_module = importlib.import_module("skiptrace.matching.link")  # the package exports link()
prepare_module = importlib.import_module("skiptrace.matching.prepare")


def _people(n: int, seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Left records and their copies (some with a typo), shuffled, plus strangers."""
    rng = np.random.default_rng(seed)
    firsts = ["anna", "bob", "carla", "dmitri", "ed", "fiona", "gus", "hana", "ivo", "jo"]
    lasts = ["oak", "pine", "reyes", "stone", "tran", "uhl", "vance", "wolfe", "xu", "york"]
    left = [
        {"first_name": str(rng.choice(firsts)), "last_name": str(rng.choice(lasts)),
         "address": f"{rng.integers(1, 999)} {rng.choice(lasts)} st",
         "zip": f"{rng.integers(10000, 10100)}",
         "dob": f"19{rng.integers(40, 99)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}"}
        for _ in range(n)
    ]  # fmt: skip
    right = [dict(r, first_name=r["first_name"] + ("x" if k % 7 == 0 else "")) for k, r in
             enumerate(left)]  # fmt: skip
    right += [dict(r, dob="") for r in left[: n // 3]]  # strangers sharing names: no dob
    order = rng.permutation(len(right))
    return left, [right[k] for k in order]


def _as_tuples(links: list[Link]) -> list[tuple[object, ...]]:
    return [(x.left, x.right, x.score, x.band, x.matched_on, x.relation) for x in links]


def test_chunks_never_split_a_left_record_and_give_the_same_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    left, right = _people(100, seed=1)
    whole = link_module.link(left, right, all_pairs=True, threshold=0.1)
    li = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3], dtype=np.intp)
    spans = list(link_module.chunks(li, 4))
    assert spans == [(0, 5), (5, 10)]  # cut after 4 pairs would split record 1: moved to 5
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 7)
    small = link_module.link(left, right, all_pairs=True, threshold=0.1)
    assert _as_tuples(small.links) == _as_tuples(whole.links)
    assert small.model.prior == whole.model.prior


def test_pairs_compared_for_em_are_scored_as_compared_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    left, right = _people(300, seed=4)
    lt, rt = prepare(left), prepare(right)
    pairs = blocking.candidate_pairs(lt, rt)
    li, ri = pairs.left, pairs.right
    whole = compare(lt, rt, li, ri)
    rng = np.random.default_rng(4)
    for done in (rng.random(len(li)) < 0.3, np.ones(len(li), bool), np.zeros(len(li), bool)):
        rest = compare_rest(lt, rt, li, ri, done, compare(lt, rt, li[done], ri[done]))
        for name in ("levels", "similarity"):
            for key, values in getattr(whole, name).items():
                assert np.array_equal(getattr(rest, name)[key], values), (name, key)
                assert getattr(rest, name)[key].dtype == values.dtype
        for name in (
            "transposed",
            "relation",
            "distinct",
            "short_form",
            "other_street",
            "nameless",
            "outvoted",
        ):
            assert np.array_equal(getattr(rest, name), getattr(whole, name)), name
    # and through link(): EM learns from a share of the pairs, in chunks or not
    monkeypatch.setattr(model, "EM_PAIRS", len(li) // 3)
    once = link_module.link(left, right, all_pairs=True, threshold=0.1)
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 50)
    chunked = link_module.link(left, right, all_pairs=True, threshold=0.1)
    assert _as_tuples(chunked.links) == _as_tuples(once.links) and once.links


def test_em_on_pattern_counts_adds_up_over_chunks() -> None:
    left, right = _people(300, seed=2)
    lt, rt = prepare(left), prepare(right)
    pairs = blocking.candidate_pairs(lt, rt)
    li, ri = pairs.left, pairs.right
    whole = model.patterns_of(compare(lt, rt, li, ri))
    half = len(li) // 2
    halves = (slice(0, half), slice(half, None))
    parts = [model.patterns_of(compare(lt, rt, li[s], ri[s])) for s in halves]
    merged = model.merge_patterns(parts)
    assert np.array_equal(merged.codes, whole.codes)
    assert np.array_equal(merged.counts, whole.counts)
    assert merged.pairs == len(li)
    first = BY_NAME["first_name"]
    assert np.array_equal(
        np.sort(np.repeat(whole.levels(first), whole.counts)),
        np.sort(compare(lt, rt, li, ri).levels["first_name"]),
    )


def test_the_em_sample_is_a_property_of_the_pair_not_of_its_order() -> None:
    rng = np.random.default_rng(0)
    li = rng.integers(0, 10**6, 200_000).astype(np.intp)
    ri = rng.integers(0, 10**6, 200_000).astype(np.intp)
    chosen = model.em_sample(li, ri, 0.25)
    assert 0.24 < chosen.mean() < 0.26
    order = rng.permutation(len(li))
    assert np.array_equal(model.em_sample(li[order], ri[order], 0.25), chosen[order])
    assert model.em_sample(li, ri, 1.0).all()
    assert model.em_share(10 * model.EM_PAIRS) == pytest.approx(0.1)
    assert model.em_share(10) == 1.0


def test_em_learns_from_the_sample_with_the_prior_on_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With EM on a quarter of the pairs, the links barely move: the prior is the sample's
    match share over all the candidates."""
    left, right = _people(600, seed=3)
    every = link_module.link(left, right)
    monkeypatch.setattr(model, "EM_PAIRS", len(left) * 2)  # a fraction of the candidates
    sampled = link_module.link(left, right)
    assert model.em_share(every.candidates) < 0.5
    truth = {(x.left, x.right) for x in every.links}
    found = {(x.left, x.right) for x in sampled.links}
    assert len(truth & found) >= 0.98 * len(truth)
    assert sampled.model.prior == pytest.approx(every.model.prior, rel=0.2)


def _crowd(n: int) -> list[dict[str, str]]:
    """``n`` people of one surname, each at their own address."""
    return [{"first_name": f"p{k:03d}", "last_name": "smith", "address": f"{k + 1} elm st",
             "zip": f"{20000 + k}"} for k in range(n)]  # fmt: skip


def _crowd_file(path: Path) -> Path:
    """``_crowd(40)`` as a CSV file."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["first_name", "last_name", "address", "zip"])
        writer.writeheader()
        writer.writerows(_crowd(40))
    return path


def test_a_key_over_the_cap_is_left_out_and_said() -> None:
    crowd = _crowd(40)  # 40 x 40 = 1,600 pairs of "smith" > MAX_BLOCK_PAIRS
    found = link_module.link(crowd, crowd)
    [oversized] = [o for o in found.oversized if o.rule == "last name"]
    assert (oversized.keys, oversized.pairs, oversized.largest) == (1, 1600, "smith")
    assert "blocking rule 'last name': 1 key over 1,000 pairs" in str(oversized)
    # the other rules still reach every true pair (first name and ZIP, street line...)
    assert {(x.left, x.right) for x in found.links} == {(k, k) for k in range(40)}


def test_the_link_command_names_blocks_left_out_and_stops_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _crowd_file(tmp_path / "crowd.csv")
    result = CliRunner().invoke(app, ["link", str(path), str(path)])
    assert result.exit_code == 0, result.output
    assert "skiptrace link: blocking rule 'last name': 1 key over 1,000 pairs" in result.output
    monkeypatch.setattr(blocking, "MAX_CANDIDATES", 10)
    stopped = CliRunner().invoke(app, ["link", str(path), str(path)])
    assert stopped.exit_code == 2
    assert "brings the candidate pairs past 10:" in stopped.output
    assert "left_id" not in stopped.output  # nothing written as if it were a result


def test_records_prepared_as_they_are_read_are_prepared_alike() -> None:
    left, right = _people(50, seed=4)
    records = left + right
    whole = prepare(records)
    streamed, _ = prepare_records(records, [], batch=7)
    for name in COLUMNS:
        assert streamed[name].tolist() == whole[name].tolist(), name
    assert [len(table) for table in prepare_records([], [])] == [0, 0]


def test_a_file_read_as_columns_is_prepared_as_its_records_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link command reads a file's cells straight into columns (``_Side.batches``): the
    same table as its records give, bad rows left out alike, the ids alike."""
    from skiptrace.cli import link_cmd

    monkeypatch.setattr(prepare_module, "BATCH", 3)
    path = tmp_path / "debtors.csv"
    path.write_text(
        "Account,First Name,Last Name,Street,Zip,Notes\n"
        "A1,  Jane ,Roe,12 Oak St,62704,x\n"
        "A2,Bob,Roe\n"  # ragged: left out
        f"A3,{'Q' * 2000},Stone,  ,62704-1234,\n"  # a long name, cut
        'A4,"Ann, Jr",Lee,"1 Elm\nApt 2",,\n'
        "A5,Li,Xu,5 Pine Rd,10001,y\n",
        encoding="utf-8",
    )
    by_cells, by_records = link_cmd._Side(path, {}), link_cmd._Side(path, {})
    columns, _ = prepare_module.prepare_both(by_cells.batches(), by_cells.read_on, by_cells.heard)
    records = prepare(list(by_records.records()))
    assert len(columns) == 4
    assert [len(b["last_name"]) for b in link_cmd._Side(path, {}).batches()] == [3, 1]
    for name in COLUMNS:
        assert columns[name].tolist() == records[name].tolist(), name
    for ids in (by_cells.ids, by_records.ids):
        assert [ids[k] for k in range(len(ids))] == ["A1", "A3", "A4", "A5"]
    empty = tmp_path / "empty.csv"
    empty.write_text("First Name,Last Name\n,\n", encoding="utf-8")
    side = link_cmd._Side(empty, {})
    assert len(prepare_module.prepare_both(side.batches(), side.read_on, side.heard)[0]) == 1


def test_progress_is_quiet_for_a_short_run_then_says_each_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from skiptrace.cli.link_cmd import _Stages

    now = [0.0]
    stages = _Stages(clock=lambda: now[0])
    stages("prepare", 10, 10)  # at 0 s: quiet
    now[0] = 6.0
    stages("learn", 5, 100)  # within a stage, a line at most every EVERY seconds
    stages("learn", 100, 100)
    now[0] = 7.0
    stages("score", 50, 100)
    now[0] = 17.0
    stages("score", 60, 100)
    printed = capsys.readouterr().err.splitlines()
    assert printed == [
        "learn: 100 of 100 pairs (6.0 s)",
        "score: 60 of 100 pairs (17.0 s)",
    ]


def _pattern(**levels: int) -> int:
    return sum(levels.get(c.name, 0) << (model.PATTERN_BITS * k) for k, c in enumerate(COMPARISONS))


def test_em_cannot_take_a_crowd_sharing_a_town_for_one_person() -> None:
    """The collapse seen at a million records a side: most candidates share a city, a ZIP and
    a state and nothing else. Left to itself EM made them the match class (prior 0.76, m of an
    exact first name 0.015); with the names' m held to the floor it finds the 5,000."""
    differs = {n: BY_NAME[n].n_levels - 1 for n in ("first_name", "last_name", "street", "number")}
    town = {"city": 1, "zip": 1, "state": 1}
    away = {n: BY_NAME[n].n_levels - 1 for n in town}
    counts = {  # every other field missing (no evidence), as in a register without dates
        _pattern(first_name=1, last_name=1, street=1, number=1, **town): 5_000,
        _pattern(**differs, **town): 300_000,
        _pattern(**{**differs, "last_name": 1}, **town): 20_000,
        _pattern(**{**differs, "last_name": 1}, **away): 100_000,
    }
    codes = np.array(sorted(counts), dtype=np.int64)
    patterns = model.Patterns(codes, np.array([counts[c] for c in codes], dtype=np.int64))
    learnt = model.prior_model()
    learnt.prior = 0.1
    model._em(learnt, patterns)
    assert learnt.prior == pytest.approx(5_000 / 425_000, rel=0.05)
    assert learnt.m["first_name"][1] > 0.9 and learnt.m["last_name"][1] > 0.9


@pytest.mark.parametrize(
    ("one", "other"),
    [("bob", "rob"), ("bill", "billy"), ("liz", "beth"), ("peggy", "maggie"), ("jim", "jimmy"),
     ("mike", "mick"), ("pat", "patricia"), ("jesica", "jessica"), ("john", "mary"),
     ("j", "john"), ("zebulon", "xq")],
)  # fmt: skip
def test_first_names_are_judged_alike_alone_or_among_others(one: str, other: str) -> None:
    """A verdict read from per-name facts is the per-pair verdict, whatever other names share
    the chunk (two nicknames of one formal name that is not itself in the chunk were once two
    names, and a transposed "Smith, Rob" lost Bob Smith)."""
    from skiptrace.matching.first_names import _names_verdict, _verdicts

    alone = _verdicts(np.array([one], dtype=object), np.array([other], dtype=object))
    crowd = ["robert", "william", "mary", "ann", one, other]
    among = _verdicts(np.array([one, *crowd], dtype=object), np.array([other, *crowd[::-1]],
                                                                      dtype=object))  # fmt: skip
    assert alone[0] == among[0] == _names_verdict(one, other)


def test_a_transposed_name_with_a_nickname_is_still_linked() -> None:
    """Linked, and as its straight form (Bob against Rob at one address) is: medium, a
    nickname in the debtor's household (it was high crossed only)."""
    [found] = link_module.link_records(
        [{"first_name": "Bob", "last_name": "Smith", "address": "1 Main St", "zip": "10001"}],
        [{"first_name": "Smith", "last_name": "Rob", "address": "1 Main St", "zip": "10001"}],
    )
    assert found.band == "medium" and "(transposed)" in found.matched_on


def test_links_handed_over_chunk_by_chunk_are_the_links(monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = _people(300, seed=5)
    whole = link_module.link(left, right, all_pairs=True, threshold=0.05)
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 50)
    handed: list[list[Link]] = []
    streamed = link_module.link_tables(prepare(left), prepare(right), all_pairs=True,
                                       threshold=0.05, sink=handed.append)  # fmt: skip
    assert streamed.links == [] and len(handed) > 3
    assert _as_tuples([x for part in handed for x in part]) == _as_tuples(whole.links)


def test_link_never_harms_its_inputs_or_an_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _crowd_file(tmp_path / "crowd.csv")
    before = path.read_bytes()
    other = tmp_path / "other.csv"
    other.write_bytes(before)
    same = CliRunner().invoke(app, ["link", str(other), str(path), "-o", str(path)])
    assert same.exit_code == 2 and "is the input file itself" in same.output
    assert path.read_bytes() == before
    old = tmp_path / "links.csv"
    old.write_text("an earlier run's links\n", encoding="utf-8")
    monkeypatch.setattr(blocking, "MAX_CANDIDATES", 10)
    stopped = CliRunner().invoke(app, ["link", str(path), str(other), "-o", str(old)])
    assert stopped.exit_code == 2
    assert old.read_text(encoding="utf-8") == "an earlier run's links\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    monkeypatch.undo()
    done = CliRunner().invoke(app, ["link", str(path), str(other), "-o", str(old)])
    assert done.exit_code == 0, done.output
    assert old.read_text(encoding="utf-8").startswith("left_id,right_id,score,band,matched_on\n")
    assert oct(old.stat().st_mode & 0o777) == "0o600"


def test_a_spark_master_without_the_spark_engine_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("first_name,last_name\nAnn,Roe\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(path), str(path), "--spark-master", "local[2]"])
    assert result.exit_code == 2
    assert "--spark-master needs --engine spark" in result.output
