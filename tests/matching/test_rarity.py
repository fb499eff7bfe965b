"""Name rarity: expected US namesakes from the shipped Census/SSA tables, and the build script."""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
import zipfile
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest

from skiptrace.matching import rarity
from skiptrace.matching.rarity import describe, is_rare, namesakes

REPO = Path(__file__).resolve().parents[2]
DATA = files("skiptrace.matching").joinpath("data")


def expected(first: int, last: int) -> float:
    return (
        first / rarity.FIRST_NAME_TOTAL * last / rarity.SURNAME_TOTAL * rarity.US_ADULT_POPULATION
    )


def test_john_smith_is_common() -> None:
    n = namesakes("John", "Smith")
    assert n == pytest.approx(expected(3_977_746, 2_442_977), rel=1e-12)
    assert n == pytest.approx(26_810, rel=0.001)
    assert not is_rare("John", "Smith")
    assert describe(n) == "about 27,000 people in the US share it"


def test_zebulon_quackenbush_is_rare() -> None:
    assert rarity.first_name_count("Zebulon") == 2_042
    assert rarity.surname_count("Quackenbush") == 4_164
    n = namesakes("Zebulon", "Quackenbush")
    assert n == pytest.approx(0.02346, rel=0.001)
    assert is_rare("Zebulon", "Quackenbush")
    assert describe(n) == "fewer than 1 person in the US is expected to share it"


def test_a_middle_name_makes_a_name_rarer() -> None:
    plain = namesakes("Sarah", "Chase")
    assert plain == pytest.approx(138.8, rel=0.001)
    assert namesakes("Sarah", "Chase", "C") == pytest.approx(plain / 15, rel=1e-12)
    assert namesakes("Sarah", "Chase", "C.") == namesakes("Sarah", "Chase", "c")
    whole = namesakes("Sarah", "Chase", "Cynthia")
    cynthia = rarity.first_name_count("Cynthia")
    assert whole == pytest.approx(plain * cynthia / rarity.FIRST_NAME_TOTAL, rel=1e-12)
    assert whole < namesakes("Sarah", "Chase", "C") / 10
    assert not is_rare("Sarah", "Chase", "C") and is_rare("Sarah", "Chase", "Cynthia")


def test_a_generational_suffix_divides_by_its_factor() -> None:
    plain = namesakes("Sarah", "Chase", "C")
    assert namesakes("Sarah", "Chase", "C", "Jr.") == pytest.approx(plain / 10, rel=1e-12)
    assert namesakes("Sarah", "Chase", "C", "junior") == pytest.approx(plain / 10, rel=1e-12)
    assert namesakes("Sarah", "Chase", "C", "3rd") == pytest.approx(plain / 30, rel=1e-12)
    assert namesakes("Sarah", "Chase", "C", "Esq") == plain


def test_case_accents_and_punctuation_are_folded() -> None:
    assert rarity.surname_count("O'Brien") == rarity.surname_count("OBRIEN") > 100_000
    assert namesakes("SEÁN", "O\u2019Brien") == namesakes("sean", "obrien")
    assert rarity.surname_count("De la Cruz") == rarity.surname_count("DELACRUZ") > 10_000
    assert rarity.surname_count("Núñez") == rarity.surname_count("nunez") > 100_000


def test_a_nickname_counts_as_at_least_its_formal_name() -> None:
    assert rarity.first_name_count("Bob") == rarity.first_name_count("Robert")
    assert namesakes("Dan", "Hayes") == namesakes("Daniel", "Hayes")


def test_an_unknown_name_gets_the_floor() -> None:
    tables = rarity.tables()
    assert (tables.surname_floor, tables.first_name_floor) == (181, 169)
    assert rarity.surname_count("Xqzvwkt") == 181
    assert rarity.first_name_count("Qxvzjw") == 169
    assert namesakes("Qxvzjw", "Xqzvwkt") == pytest.approx(expected(169, 181), rel=1e-12)
    # An empty part does not constrain the count.
    assert namesakes("", "Smith") == pytest.approx(
        2_442_977 / rarity.SURNAME_TOTAL * rarity.US_ADULT_POPULATION, rel=1e-12
    )


def test_the_data_files_load_from_the_package() -> None:
    for name in (rarity.SURNAME_FILE, rarity.FIRST_NAME_FILE):
        resource = DATA.joinpath(name)
        assert resource.is_file()
        head = gzip.decompress(resource.read_bytes()).split(b"\n", 2)[:2]
        assert head[0] == b"name,count"
    first_row = gzip.decompress(DATA.joinpath(rarity.SURNAME_FILE).read_bytes()).split(b"\n")[1]
    assert first_row == b"smith,2442977"


def _readme_rows() -> dict[str, list[int]]:
    text = DATA.joinpath("README.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        match = re.match(r"\| (us_\w+\.csv\.gz) \|(.*)\|$", line)
        if match:
            cells = [c.strip() for c in match.group(2).split("|")]
            rows[match.group(1)] = [int(re.sub(r"[^0-9]", "", c)) for c in cells]
    return rows


def test_tables_match_the_readme_figures() -> None:
    rows = _readme_rows()
    tables = rarity.tables()
    for name, counts, denominator, floor in (
        (rarity.SURNAME_FILE, tables.surnames, rarity.SURNAME_TOTAL, tables.surname_floor),
        (rarity.FIRST_NAME_FILE, tables.first_names, rarity.FIRST_NAME_TOTAL,
         tables.first_name_floor),
    ):  # fmt: skip
        n_rows, in_file, total, readme_floor, size = rows[name]
        assert len(counts) == n_rows
        assert sum(counts.values()) == in_file
        assert denominator == total
        assert floor == readme_floor
        assert len(DATA.joinpath(name).read_bytes()) == size
    assert rows[rarity.SURNAME_FILE][:4] == [100_300, 257_419_880, 294_972_059, 181]
    assert rows[rarity.FIRST_NAME_FILE][:4] == [30_037, 314_853_605, 317_436_914, 169]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0.0, "fewer than 1 person in the US is expected to share it"),
        (0.99, "fewer than 1 person in the US is expected to share it"),
        (1.2, "about 1 person in the US shares it"),
        (3.2, "about 3 people in the US share it"),
        (138.8, "about 140 people in the US share it"),
        (704.9, "about 700 people in the US share it"),
        (1_667, "about 1,700 people in the US share it"),
        (26_810.4, "about 27,000 people in the US share it"),
    ],
)
def test_describe(n: float, text: str) -> None:
    assert describe(n) == text


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_name_tables", REPO / "tools" / "build_name_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_build_script_reads_the_government_files(tmp_path: Path) -> None:
    census = tmp_path / "census.zip"
    with zipfile.ZipFile(census, "w") as archive:
        archive.writestr(
            "Names_2010Census.csv",
            "name,rank,count,prop100k,cum_prop100k,pctwhite\n"
            "SMITH,1,2442977,828.19,828.19,70.9\n"
            "OBRIEN,2,300,1,1,(S)\n"
            "ABLE,3,200,1,1,(S)\n"
            "ZED,3,200,1,1,(S)\n"
            "RARE,5,100,1,1,(S)\n"
            "ALL OTHER NAMES,0,29312001,1,1,1\n",
        )
    ssa = tmp_path / "ssa.zip"
    with zipfile.ZipFile(ssa, "w") as archive:
        archive.writestr("yob1929.txt", "Old,F,1000\n")
        archive.writestr("yob1930.txt", "John,M,50\nMary,F,40\nJohn,F,5\n")
        archive.writestr("yob2022.txt", "Mary,F,20\nLiam,M,7\n")
    tool = _build_module()
    out = tmp_path / "out"
    figures = tool.build(census, ssa, out, surnames_top=3, first_top=0)
    surnames = gzip.decompress((out / "us_surnames.csv.gz").read_bytes()).decode()
    firsts = gzip.decompress((out / "us_first_names.csv.gz").read_bytes()).decode()
    # Top 3 plus the tie at the cut (ABLE and ZED share 200), "ALL OTHER NAMES" left out.
    assert surnames == "name,count\nsmith,2442977\nobrien,300\nable,200\nzed,200\n"
    assert firsts == "name,count\nmary,60\njohn,55\nliam,7\n"  # 1929 outside 1930-2022
    assert figures["surname_all_other_names"] == 29_312_001
    assert figures["surname_total"] == 2_442_977 + 300 + 200 + 200 + 100 + 29_312_001
    assert figures["first_total"] == 122
    before = (out / "us_surnames.csv.gz").read_bytes()
    tool.build(census, ssa, out, surnames_top=3, first_top=0)
    assert (out / "us_surnames.csv.gz").read_bytes() == before  # mtime 0: identical bytes


def test_a_name_missing_from_the_tables_is_never_called_rare() -> None:
    """A given name common abroad but rare among US births (or a surname new to the US) has
    the tables' floor count, which would make its namesakes look unique."""
    assert rarity.namesakes("Thuhuong", "Nguyen") < 1.0  # the floor makes it look unique...
    assert not rarity.is_rare("Thuhuong", "Nguyen")  # ...but it is not known to be rare
    assert not rarity.is_rare("Zebulon", "Qzxwvkq")  # an unlisted surname
    assert rarity.is_rare("Zebulon", "Quackenbush")  # both listed, and rare
    assert rarity.is_rare("Z", "Achong", "Q")  # an initial is not "unlisted" (0.7 expected)
