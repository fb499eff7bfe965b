"""Do-not-research flags: a debtor record that says bankruptcy, deceased, cease-and-desist,
attorney-represented, dispute or vulnerability is not researched at all (no request is made).

The reasons are the law's: the bankruptcy stay (11 USC 362), FDCPA 1692c(a)(2)/1692c(c),
Reg F 1006.6 and 1006.38, FCA CONC 7.10 and 7.14. A flag column counts when its value is truthy
(yes, y, true, 1, x, or a date; not a no, N/A, or a legacy system's date of zeros).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from skiptrace.records import normalised_field

FLAG_SYNONYMS: dict[str, tuple[str, ...]] = {
    "bankruptcy": ("bankruptcy", "bankrupt", "bankruptcy_flag", "chapter_7", "chapter_13"),
    "deceased": ("deceased", "dead", "death", "date_of_death", "deceased_flag"),
    "cease_desist": ("cease_desist", "cease_and_desist", "c_and_d", "cnd", "do_not_contact"),
    "attorney": ("attorney", "attorney_represented", "represented", "lawyer", "legal_rep"),
    "dispute": ("dispute", "disputed", "in_dispute", "dispute_flag"),
    "vulnerable": ("vulnerable", "vulnerability", "mental_capacity"),
}

PREFIXES = ("debtor", "consumer", "customer", "borrower")
"""How collection systems export the debtor's own fields: ``Debtor First``, ``Consumer_City``,
``Borrower Zip``... (not ``client_``: in collections the client is the creditor). A file whose
``Debtor First`` is read has its ``Debtor Deceased`` read as the flag it is."""
SUFFIXES = ("flag", "yn", "indicator", "ind", "date")
"""What exports write after a flag's name: ``Deceased Y/N``, ``Bankruptcy Indicator`` (or
``Ind``), ``Deceased Date`` (a date says yes)."""
_LEADS = ("is", "date")
"""What exports write before a flag's name instead of a prefix: ``Is Deceased`` (a yes/no
field), ``Date Deceased``."""

_FALSY = {"", "0", "n", "no", "false", "f", "none", "null", "nan", "-", "n/a", "na"}
_NO_DATE = re.compile(r"[0\s/.:-]+")
"""What legacy exports write in a date column for no date (``00/00/0000``, ``0000-00-00
00:00:00``): all zeros, no date, so no flag."""
_LOOKUP = {normalised_field(f"{prefix}{s}{suffix}"): flag
           for flag, synonyms in FLAG_SYNONYMS.items() for s in synonyms
           for prefix in ("", *PREFIXES, *_LEADS) for suffix in ("", *SUFFIXES)}  # fmt: skip


def flag_columns(headers: list[str]) -> dict[str, str]:
    """Header -> flag, for every header that names a do-not-research flag: a synonym, behind
    one of ``PREFIXES`` or ``_LEADS`` or not, followed by one of ``SUFFIXES`` or not."""
    found = {}
    for header in headers:
        flag = _LOOKUP.get(normalised_field(header))
        if flag:
            found[header] = flag
    return found


def raised_flags(
    row: Mapping[str, str] | Iterable[tuple[str, str]], columns: Mapping[str, str]
) -> list[str]:
    """The flags a row raises, in a stable order: ``row`` its cells by header, or (header,
    cell) pairs, where any column of a flag's name raises it ("bankruptcy" twice: either says
    yes). One look per cell, however many flag columns a hostile header names (a look at
    every flag column per cell cost a row of 20,000 of them half a minute)."""
    pairs = row.items() if isinstance(row, Mapping) else row
    return sorted({columns[name] for name, cell in pairs
                   if name in columns and _says_yes(cell)})  # fmt: skip


def _says_yes(cell: str) -> bool:
    """Whether a flag cell raises its flag: anything but a no, a not applicable or a date
    that is all zeros."""
    said = cell.strip().lower()
    return said not in _FALSY and not _NO_DATE.fullmatch(said)
