"""The matching benchmark's US household generator and a smoke run of benchmarks/matching.py.

Neither needs the `bench` extra: the generator is plain Python, and the smoke run asks for
skiptrace alone on the US sets, which is all CI ('.[test]') can run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType

import pytest

LEFT_KEYS = {
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "address",
    "address2",
    "city",
    "state",
    "zip",
    "phone",
    "dob",
}
RIGHT_KEYS = {"name", "address", "phone", "dob"}


@pytest.fixture(scope="module")
def households(benchmark_script: Callable[[str], ModuleType]) -> ModuleType:
    return benchmark_script("us_households")


def test_deterministic_for_a_seed(households: ModuleType) -> None:
    assert households.generate(7, 300) == households.generate(7, 300)
    assert households.generate(7, 300) != households.generate(8, 300)


def test_shapes_and_labels(households: ModuleType) -> None:
    left, right, truth, relations = households.generate(11, 1000)
    assert len(left) == 1000
    assert all(set(r) == LEFT_KEYS for r in left)
    assert all(set(r) == RIGHT_KEYS for r in right)
    assert all(isinstance(v, str) for r in (*left, *right) for v in r.values())

    # one record at most per debtor, 40% of debtors with none
    lefts = [i for i, _ in truth]
    assert len(lefts) == len(set(lefts))
    assert abs((1000 - len(truth)) / 1000 - 0.4) <= 0.01
    assert all(0 <= i < len(left) and 0 <= j < len(right) for i, j in truth)

    assert set(relations) == {"spouse", "parent_child", "namesake", "moved"}
    assert all(relations[name] for name in relations)
    assert relations["moved"] <= truth
    for name in ("spouse", "parent_child", "namesake"):
        assert not relations[name] & truth, name

    for i, j in relations["spouse"] | relations["parent_child"]:
        assert left[i]["city"].lower() in right[j]["address"].lower()
    generational = re.compile(r"\b(JR|SR|II|III)\b")
    for i, j in relations["parent_child"]:  # a suffix on one side at least
        assert left[i]["suffix"] or generational.search(right[j]["name"].upper())
    for i, j in relations["moved"]:
        assert left[i]["city"].lower() not in right[j]["address"].lower()

    names = " ".join(r["name"] for r in right)
    assert "," in names and names != names.upper()  # "LAST, FIRST M" and "First M. Last"
    addresses = " ".join(r["address"] for r in right)
    for printed in (" St", " Street", "#", "Apt ", "Unit ", "-"):
        assert printed in addresses, printed


def test_quick_run_prints_the_table(
    benchmark_script: Callable[[str], ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    """``python benchmarks/matching.py --quick ...``, its ``main`` run in this process (a
    Python of its own had been most of this test's time)."""
    matching = benchmark_script("matching")
    assert matching.main(["--quick", "--only", "skiptrace", "--sets", "us,us-moved"]) == 0
    out = capsys.readouterr().out
    assert "US households" in out
    assert "precision" in out and "skiptrace" in out
    assert "spouse linked" in out and "namesakes linked" in out
    assert "as issue 12 specifies" in out and "US households with the moved debtors" in out
    assert "moved debtors" in out and "linked elsewhere" in out and "common name" in out
    assert "ECE" in out and "share true" in out
    assert "Goals" in out and ("PASS" in out or "FAIL" in out)


def test_the_specified_set_leaves_the_moved_debtors_records_out(
    benchmark_script: Callable[[str], ModuleType],
) -> None:
    matching = benchmark_script("matching")

    generated = matching.us_set(5, True)
    specified = matching.as_specified(generated)
    moved = generated.relations["moved"]
    assert moved and "moved" not in specified.relations
    assert len(specified.right) == len(generated.right) - len(moved)
    assert len(specified.truth) == len(generated.truth) - len(moved)
    for name in ("spouse", "parent_child", "namesake"):
        pairs = specified.relations[name]
        assert len(pairs) == len(generated.relations[name])
        names = {generated.right[j]["full_name"] for _, j in generated.relations[name]}
        assert {specified.right[j]["full_name"] for _, j in pairs} == names
    assert {specified.right[j]["full_name"] for _, j in specified.truth} == {
        generated.right[j]["full_name"] for _, j in generated.truth - moved
    }
