"""``prepare`` gives, column by column, exactly what the per-record version of it gave.

The digests below were taken from the per-record ``prepare`` (each record normalised on its own)
before it became column-wise, on the records built here: the US household set's debtor file
and register, and records drawn from pools of awkward values (names and addresses in one
column, one-line addresses, missing fields, other scripts, numbers given as int or float, NaN,
None, 100 kB values).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from skiptrace.matching.prepare import COLUMNS, Column, _street, _Streets, prepare

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
HOSTILE = "Ab, 1 " * 17_000  # ~100 kB

FIRST = ["John", "JOHN", "Dr. Jane Q", "Jean-Luc", "Łukasz", "Bob", "bob a.", "Mary Ann", "李",
         "Ms Jo", "J.", "  robert  ", "Mr.", "Liz", "Katherine", "Dr", "Jo-Ann E."]  # fmt: skip
MIDDLE = ["", "A", "Quincy", "a.", "Q R", "José"]
LAST = ["Smith", "Smith Jr", "SMITH III", "O'Brien", "de la Cruz", "Müller", "Jr",
        "Van Der Berg Sr", "Nguyen", "Smith-Jones", "Роде", "Ng ii", "jones, jr"]  # fmt: skip
FULL = ["SMITH, JOHN A JR", "Dr. John A. Smith Jr.", "J. Q. Roe", ", elton", ", Mary Ann Q",
        "Mary Smith-Jones", "李小龙", "SMITH", "Jones, Mrs Ann", "ROE JANE", "Mr. Bob Lee III",
        "de la Cruz, Juan", ",", "Bob"]  # fmt: skip
SUFFIX = ["", "Jr", "jr.", "III", "Sr", "esq", "2nd", "MD", "x"]
STREET = ["Oak St", "Oak Street", "N Main Ave", "Pennsylvania Ave NW", "shackletonicircuit",
          "duncan dtreet", "Ridge Way", "Rue de l'Église", "PO Box 12", "Route 66"]  # fmt: skip
ONE_LINE = ["12 Oak St Apt 4B, Springfield, IL 62704-1234",
            "24 luehmann street, tawonga rdside, rose bay WA 2350",
            "Flat 2, 10 Downing Street, London SW1A 2AA", "9 Elm Rd, Toronto, ON K1A 0B1",
            "500 Main St, Springfield", "500 Main St Springfield IL", "東京都千代田区1-1",
            "1 Infinite Loop, Cupertino, California 95014", "12 oak st #4b, peoria, il, 61602",
            "RR 2 Box 7, Hope, AR 71801"]  # fmt: skip
ADDRESS2 = ["", "Apt 4B", "#4B", "Building C", "Unit 7, Rose Court", "Suite 100"]
CITY = ["Springfield", "SPRINGFIELD", "St. Louis", "Zürich", "New York", "Ho-Ho-Kus", "東京"]
STATE = ["IL", "Illinois", "il", "NSW", "xx", "New York", "Wash."]
ZIP = ["62704", "62704-1234", 62704, 2704, 62704.0, "SW1A 2AA", "2350", "K1A 0B1", "627O4", 6.5]
PHONE = ["(217) 555-0134", "217-555-0134", 2175550134, "+1 217 555 0134", "1-217-555-0134",
         "+44 20 7946 0958", "555-0134", "217-555-0134 x12", "1-800-FLOWERS", "0175550134",
         2175550134.0, "217.555.0134", "+1 (217) 555-0134", "1 217 555 0134", "12175550134",
         "(117) 555-0134", "+12175550134", "217 555 013", "tel:+1-217-555-0134",
         "\uff12\uff11\uff17\uff15\uff15\uff15\uff10\uff11\uff13\uff14"]  # fmt: skip
EMAIL = ["John.Smith@Example.com", "not an email", " A@B.CO ", "jane+x@gmail.com"]
EMPLOYER = ["Acme Corp.", "ACME CORPORATION", "The Acme Company, Inc.", "Smith & Sons Ltd"]
DOB = ["1980-01-02", "1980/1/2", "01/02/1980", "19800102", 19800102, "Jan 2 1980", "2/3/80",
       "1980", "31.12.1999"]  # fmt: skip
IDS: list[object] = ["123-45-6780", "123 45 6780", "XXX-XX-6780", "000-00-0000",
                     "QQ 12 34 56 C", "987654321", "501234567", 501234567, "n/a",
                     "\uff11\uff12\uff13-\uff14\uff15-\uff16\uff17\uff18\uff10"]  # fmt: skip
ODD: list[object] = [None, math.nan, "", "   ", True, 12, -5, 3.5, math.inf, np.int64(7),
                     np.float64(math.nan), HOSTILE, b"bytes"]  # fmt: skip


def _varied(rng: random.Random, n: int) -> list[dict[str, object]]:
    """``n`` records, each field drawn from its pool, left out, or an odd value."""
    pools: dict[str, list[object]] = {
        "first_name": list(FIRST), "middle_name": list(MIDDLE), "last_name": list(LAST),
        "full_name": list(FULL), "suffix": list(SUFFIX), "address2": list(ADDRESS2),
        "city": list(CITY), "state": list(STATE), "zip": list(ZIP), "phone": list(PHONE),
        "email": list(EMAIL), "employer": list(EMPLOYER), "dob": list(DOB),
    }  # fmt: skip
    records: list[dict[str, object]] = []
    for _ in range(n):
        record: dict[str, object] = {}
        for field, pool in pools.items():
            roll = rng.random()
            if roll < 0.45:
                record[field] = rng.choice(pool)
            elif roll < 0.55:
                record[field] = rng.choice(ODD)
        roll = rng.random()
        if roll < 0.4:
            record["address"] = f"{rng.randint(1, 9999)} {rng.choice(STREET)}"
        elif roll < 0.75:
            record["address"] = rng.choice(ONE_LINE)
        elif roll < 0.8:
            record["address"] = rng.choice(ODD)
        if rng.random() < 0.3:
            record["first_name"] = record["last_name"] = ""
        records.append(record)
    return records


def _records(households: ModuleType) -> list[Mapping[str, Any]]:
    households = households.generate(7, 600)
    register = [
        {"full_name": r["name"], "address": r["address"], "phone": r["phone"], "dob": r["dob"]}
        for r in households.right
    ]
    records = [*households.left, *register, *_varied(random.Random(11), 3000)]
    rng = random.Random(13)  # apart: the other columns' draws stay as they were
    for record in records[::3]:
        record["id_number"] = rng.choice(IDS + ODD)
    return records


def _digest(column: Column) -> str:
    return hashlib.sha256(json.dumps(column.tolist()).encode()).hexdigest()


DIGESTS = {
    "first": "ec7a8753ee9c830ae6e0fbdd8d2f3c3947114ef1bfa55be2a6f0c70fc14feea2",
    "first_raw": "fe30b446eda17b2754511c87c0d195ecc055d041b6d48c417f468a1edf66fad8",
    "middle": "3bf8a2f5e81d402e55d074214b551edbaf7bd4f9c71d389251d108ab8954de59",
    "last": "c340ea1d8835e2f6fe894fde3cf67d8d90ed0b5586eded992757470866be73b3",
    "suffix": "aea138b32a37df68f054715e3a530a14c3239ed7e2747a29c2ddd62d0e7d1c38",
    "styled": "ba1dabb432a9bb7c8efd7d3f1388896605b1247c723a117b80d87e9420fb96a0",  # "Mrs"
    "street": "34316120f48e8bb61a9348b032eae50970aaf162b4a26f698506089ba597399a",
    "street_letters": "e7476260366ac6773d491d69fecc51e0df7fdc440f9861a48e1301d8a68a3fce",
    "street_name": "6a740ce7c78c3e14cebe3523babb62b2a5af62050f74eb1ba339e62441cf03f0",
    "number": "2376bc9798f940f9094aefff22ec11eee71b5f29688957d4164848d91ecd3161",
    "address2": "e8d09f17e906ca85fb621b31754a71f59dcf234f9f40044c1b08ccd1c9a33235",
    "address2_letters": "7f80a755f5c713dbecded8a33acf63e6627c295754847030326cda88342fb503",
    "city": "e552cde2e00c3ff813a0539121ba24e319335b469804563f970142f889195e1f",
    "state": "22697107d1dd03efe137becff18b79311aeaadc5ce9dc714952cb664e81d4ef8",
    "zip": "72cb8d0e4a374a9b2ec197e2047bc417e7bf7c799f9f2a537b44d29f59a570e9",
    "phone": "cbd4193e795f42126ad38fdb7e9d655df3735a8c66a0273e72712ae166cd6ea4",  # toll-free: none
    "email": "f3b43f0b7b00800b961b2b4a10a8435ff015b4eaf32e1a23be53bc0be26a7966",
    "employer": "72abd339a87fd0d405cb5c322c0526975b1fe5ac7615fab47180332afcb5ffbe",
    "dob": "bc32564e83fea3ebdc9c34c8eb4979c395894489b35e85dd67779d1f3d07b239",  # 2/3/80 is read
    "id_number": "7e97959b1f870e2315168518a65f0e35e2e6c70cd3d7c11992e1286208d39c45",
}


def test_prepare_gives_the_per_record_columns(
    benchmark_script: Callable[[str], ModuleType],
) -> None:
    records = _records(benchmark_script("us_households"))
    table = prepare(records)
    assert list(table.columns) == list(COLUMNS)
    for name in COLUMNS:
        column = table[name]
        assert column.dtype == object and column.shape == (len(records),), name
        assert all(type(v) is str for v in column), name
    assert {name: _digest(table[name]) for name in COLUMNS} == DIGESTS


RESTS = ["Oak St", "#4", "# 4 Oak", "-x Rd", "/2 Elm", "1/2 Elm", "c/o Bob Roe 5 Oak St",
         "Oak St, Apt 4", "p o box 7", "P.O. Box 7", "po box", "\u0301Main St", "½ Oak",
         "\uff2dain \uff33t", "Oak\x00St", "'s Gravenweg", "N.W. 1st Ave", "", " ", "ß", "東京",
         "apt", "Apt # 4", "unit", "Main St;Apt 4", "Main|St\nApt", "n", "st", "& Co", "-",
         "Ünter"]  # fmt: skip


def test_a_house_number_is_read_apart_from_its_street(
    benchmark_script: Callable[[str], ModuleType],
) -> None:
    """``_Streets`` splits "12 Oak St" into "12" and "Oak St": the same as reading it whole."""
    rng = random.Random(3)
    lines = [f"{rng.choice(['1', '12', '0012', '99999', '1' * 40])}{' ' * rng.randint(1, 3)}"
             f"{rng.choice(RESTS)}{rng.choice(['', ' ', ' ' + rng.choice(RESTS)])}"
             for _ in range(3000)]  # fmt: skip
    lines += [f"12 {'Oak St ' * n}"[:size] for n in (124, 125, 126) for size in (999, 1000, 1001)]
    lines += [
        str(r.get("address"))
        for r in _records(benchmark_script("us_households"))
        if isinstance(r.get("address"), str)
    ]
    streets = _Streets()
    assert [streets(line) for line in lines] == [_street(line) for line in lines]


def test_prepare_of_nothing() -> None:
    table = prepare([])
    assert len(table) == 0
    assert all(table[name].dtype == object and table[name].shape == (0,) for name in COLUMNS)


def test_dates_and_numbers_that_are_not_text_are_read_as_their_text() -> None:
    """A birth date given as a ``date`` (or ``datetime``, as pandas gives one) had been no date,
    and a numpy integer ZIP no ZIP: the records through the Python API looked alike where
    they differed, and differed where they agreed."""
    import datetime

    from skiptrace.matching import link

    as_text = {"first_name": "Jane", "last_name": "Roe", "zip": "62701", "dob": "1980-05-01"}
    given = [
        {**as_text, "dob": datetime.date(1980, 5, 1)},
        {**as_text, "dob": datetime.datetime(1980, 5, 1, 0, 0)},
        {**as_text, "zip": np.int64(62701)},
    ]
    for record in given:
        [found] = link([record], [as_text]).links
        assert "dob=" in found.matched_on and "zip=" in found.matched_on, (record, found)
    other = {**as_text, "dob": datetime.date(1984, 2, 9)}
    [found] = link([other], [as_text]).links  # another birth date: no more than a namesake
    assert "dob=" not in found.matched_on and found.band == "low", found
    for missing in (None, float("nan"), True):
        prepared = prepare([{**as_text, "dob": missing}])  # type: ignore[dict-item]
        assert prepared["dob"][0] == "", missing
