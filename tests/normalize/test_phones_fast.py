"""``normalize_phone`` reads the common North-American shapes with one regular expression: on
each of them it gives what phonenumbers gives (``_library``), and everything else still goes
to phonenumbers."""

from __future__ import annotations

import random

from skiptrace.normalize.phones import _NANP, _library, normalize_phone

PREFIXES = ["", "", "", "+1", "1", "+1 ", "1 ", "1-", "+1-", "1.", "+1(", "+ 1 ", "+", "+11",
            "01", "011", "001", "+44", "0", "  ", "\t"]  # fmt: skip
SEPARATORS = ["", "", " ", "-", ".", "  ", "/", "_", "\t", "\u00a0", "\u2013", ")"]
ENDINGS = ["", "", "", " ", " x12", " ext. 5", ",", ".", "#", "a", "\n"]
TRICKY = ["(217) 555-0134", "217-555-0134", "2175550134", "+1 217 555 0134", "1-217-555-0134",
          "+1 (217) 555-0134", "1 (217)555 0134", "(217)5550134", " 217-555-0134 ",
          "1-800-555-0134", "+1.217.555.0134", "+1-(217)-555-0134", "(217)-555-0134",
          "12175550134", "1217-555-0134", "(117) 555-0134", "(017) 555-0134", "0175550134",
          "1175550134", "11175550134", "+10175550134", "555-0134", "217-555-0134 x12",
          "1-800-FLOWERS", "\uff12\uff11\uff17\uff15\uff15\uff15\uff10\uff11\uff13\uff14",
          "(217) 555-01345", "217-555-013",
          "+1 217 555 0134 ext 9", "+44 20 7946 0958", "(217 555-0134", "217) 555-0134",
          "1 1 217 555 0134", "tel:+1-217-555-0134", "", " ", "+", "1"]  # fmt: skip


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _phone(rng: random.Random) -> str:
    """A phone number in one of many shapes: half of them clean North-American ones, the rest
    with odd prefixes, separators, lengths and endings."""
    if rng.random() < 0.1:
        return "".join(rng.choice("0123456789 -.()+x#") for _ in range(rng.randint(0, 18)))
    clean = rng.random() < 0.5
    area = rng.choice("23456789") + _digits(rng, 2)
    exchange, line = _digits(rng, 3), _digits(rng, 4)
    if not clean and rng.random() < 0.3:
        area = _digits(rng, rng.randint(1, 4))
    if not clean and rng.random() < 0.2:
        line = _digits(rng, rng.randint(2, 6))
    area = rng.choice([area, f"({area})"] if clean else [area, f"({area}", f"( {area} )"])
    prefixes, separators = (PREFIXES[:10], SEPARATORS[:6]) if clean else (PREFIXES, SEPARATORS)
    parts = [rng.choice(prefixes), area, rng.choice(separators), exchange]
    return "".join([*parts, rng.choice(separators), line, "" if clean else rng.choice(ENDINGS)])


def test_fast_shapes_give_what_phonenumbers_gives() -> None:
    rng = random.Random(5)
    texts = TRICKY + [_phone(rng) for _ in range(20_000)]
    fast = [text for text in texts if _NANP.fullmatch(text)]  # the rest go to phonenumbers
    assert len(fast) > 5_000  # the shapes are common among these, so the test tests something
    assert [normalize_phone(text) for text in fast] == [_library(text, "US") for text in fast]


def test_other_regions_are_left_to_phonenumbers() -> None:
    assert normalize_phone("020 7946 0958", "GB") == "+442079460958"
    assert normalize_phone("(217) 555-0134", "GB") == _library("(217) 555-0134", "GB")
    assert normalize_phone("+1 217 555 0134", "gb") == "+12175550134"
