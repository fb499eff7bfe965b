"""Levels: the table of comparisons, one a field, with its agreement levels and thresholds.

Levels follow Splink's shape: null (either side missing: no evidence), then agreement levels
from strongest to weakest, then "else" (disagreement).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: its column, its agreement levels and their thresholds."""

    name: str
    column: str
    levels: tuple[str, ...]
    """Agreement levels, strongest first; "else" is implied after them."""
    thresholds: tuple[float, ...]
    """Similarity at or above which each non-exact level holds (one per level after "exact")."""
    similarity: str = "jaro_winkler"
    label: str = ""
    tf: bool = False
    """Adjust the exact level by how common the value is (a common surname proves less)."""
    neutral: tuple[str, ...] = ()
    """Agreement levels that weigh nothing either way, whatever EM learns of them."""

    @property
    def n_levels(self) -> int:
        """Level codes: 0 null, 1..len(levels) agreement, len(levels) + 1 else."""
        return len(self.levels) + 2


COMPARISONS = (
    Comparison("first_name", "first", ("exact", "close", "similar", "initial"), (0.92, 0.8),
               tf=True),
    Comparison("last_name", "last", ("exact", "close", "similar"), (0.92, 0.8), tf=True),
    Comparison("suffix", "suffix", ("exact",), ()),
    Comparison("middle_name", "middle", ("exact", "initial"), ()),
    Comparison("street", "street", ("exact", "close", "similar"), (0.9, 0.7), "street"),
    Comparison("address2", "address2", ("exact", "close"), (0.85,), "token_sort"),
    Comparison("number", "number", ("exact",), ()),
    Comparison("city", "city", ("exact", "close"), (0.9,)),
    Comparison("zip", "zip", ("exact", "one_edit"), (0.75,), "osa"),
    Comparison("state", "state", ("exact",), ()),
    Comparison("phone", "phone", ("exact",), ()),
    Comparison("email", "email", ("exact",), ()),
    Comparison("employer", "employer", ("exact", "close"), (0.9,)),
    Comparison("dob", "dob", ("exact", "close"), (), "osa"),
    # one character off: a typo of one person's number, or a twin's issued in sequence
    Comparison("id_number", "id_number", ("exact", "close"), (0.85,), "osa",
               neutral=("close",)),
)  # fmt: skip

BY_NAME = {c.name: c for c in COMPARISONS}
SIMILAR, INITIAL = 3, 4  # first_name's level codes for "similar" and "initial"
