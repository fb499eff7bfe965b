"""What several matching tests build alike."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

Files = Callable[..., tuple[list[dict[str, str]], list[dict[str, str]]]]
FIRSTS = ("James", "Mary", "Linda", "Karen", "Susan", "Donald", "Steven", "Kevin", "Brian",
          "George", "Nancy", "Betty")  # fmt: skip
LASTS = ("Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Evans",
         "Campbell", "Parker")  # fmt: skip


def _identity_files(
    n: int, seed: int, other_id: bool, dob_of_other: bool = False
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """``n`` debtors with birth dates and identity numbers; for the odd ones the register
    holds a record at the debtor's address with another real first name (a corrupted copy,
    or with ``other_id`` a relative with their own number, one digit on from the debtor's as
    twins' often are; with ``dob_of_other`` a relative's record holding the debtor's number),
    the even ones their own record."""
    rng = random.Random(seed)
    debtors, register = [], []
    for i in range(n):
        first = rng.choice(FIRSTS)
        debtor = {"first_name": first, "last_name": rng.choice(LASTS),
                  "address": f"{i + 1} {rng.choice(['Oak', 'Elm', 'Main'])} St",
                  "city": "Springfield", "state": "IL", "zip": str(62000 + i),
                  "dob": f"19{50 + i % 40}-0{1 + i % 9}-1{i % 10}",
                  "id_number": f"{100 + i:03d}-{1 + i % 98:02d}-{1000 + i:04d}"}  # fmt: skip
        debtors.append(debtor)
        if i % 2 == 0:
            register.append(dict(debtor))
            continue
        other = {**debtor, "first_name": rng.choice([f for f in FIRSTS if f != first])}
        if other_id:
            other["id_number"] = debtor["id_number"][:-4] + f"{1001 + i:04d}"
        if dob_of_other:
            other["dob"] = f"19{20 + i % 30}-1{i % 3}-2{i % 8}"
        register.append(other)
    return debtors, register


@pytest.fixture
def identity_files() -> Files:
    """``_identity_files``: debtors and a register with identity numbers."""
    return _identity_files
