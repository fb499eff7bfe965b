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
    "first": "cc18b6ce3fbbce7a5091611426cb638ea6a99be091afbb29e81897c002623727",
    "first_raw": "fea0381d40bb7b518d858d23f62b51345ab59def50947927d1d1ca7a858581d7",
    "middle": "69f4d640c9de4e6310d169e45e25b0bcc1d03590cfc7a0656ea7bad95ae19441",
    "last": "4a66e17ace229aba99ad38ed5fdfd7c2e46d222792e58bbb4e5141e23453711d",
    "suffix": "490539e2a168a9a7ccb92063f005b51a78623c2f1e1eac31d5d44450f95a7445",
    "styled": "92a3af21b5df668284bb3a2a4da25a009ffe3889ac3972f31679fe6256be0d05",  # "Mrs"
    # "Jean-Luc", "Jo-Ann E.": a hyphenated given name's later words
    "given_rest": "e1622b0b474ba59b5f9839f8a180e87506660786c355b8687f22a69e7dbd7a39",
    # "500 Main St, Springfield": its town read (oneline rule 8), street and city changed
    "street": "cdb8346ce49cdadbd0b7b32c99bda98b9c04b0073676fb94605ec1085f8cbfc8",
    "street_letters": "b65f01204add37eb40d1a7bb80718e6fc1ce465545e4ae389cf70c48bb9b77e3",
    "street_name": "fe1b370ee643b3f9a6843b9388a1c5d6f4c9b931392a02a8496d73d20eac10b9",
    "number": "36b0913158e3463a35aa98041eab96f381b07ee48c15cadb62218407d4a1272f",
    "address2": "9dfc12fe2931716a52e3806e776b1243fce5dc6ae49588a26c7ca8f93937864d",
    "address2_letters": "4dbec731c23d354c03f0f0a6a854373ebfa997f85b1493df1c1e0b222f44f7d4",
    "city": "5fff2991c21c7feb9440059ab1a298c63812064193b89773e2eca38b74ffdfbb",
    "state": "36208bfe5c10e4d25d6d9601d9f43069f88a6dc3e96b7d94afbd2f20429934c6",
    "zip": "353635039be68283b8d0158e46b3d71ed7bf842dc5c968db0d5e9c32587857d1",
    "phone": "cbd4193e795f42126ad38fdb7e9d655df3735a8c66a0273e72712ae166cd6ea4",  # toll-free: none
    "email": "f3b43f0b7b00800b961b2b4a10a8435ff015b4eaf32e1a23be53bc0be26a7966",
    "employer": "637feefa0909f542b6bbbf471471da38422ff6a5971082de2ca4ca0c904f8df6",
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
