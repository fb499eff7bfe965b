"""A pair's comparison in words a debt collector reads: ``first name: nickname (Bob/Robert);
last name: exact; street: exact; ZIP: one digit differs (62701/62702)``.

Built from the pair's prepared values and comparison levels, not from ``matched_on``. Every
field that carried evidence is named, agreeing or not: a differing first name or suffix at the
same address is how a relative shows. A field missing on either side carried none and is left
out, except a suffix on one side only, which the matcher counts as a difference. First and last
names collapse to ``name: exact`` only when both agree exactly as written (a nickname is shown);
a debtor's name read printed surname first is said given name first, each level beside the
values it judged (``_read_given_name_first``).
Values are shown as the matcher compared them (folded, title-cased), debtor's first, each cut
to 40 characters; phone, e-mail and date of birth values are never repeated, nor street lines
(folded to USPS abbreviations, they would read "9 Old Ml Rd"). The reasoning that decided the
score, when the model's household or namesake rules did (``reasoning``), is said last:
``first name differs at the same address: relative?``, ``suffix Jr vs Sr: parent and child?``,
``name only; about 27,000 people in the US share it``, ``name only, rare name; ...``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from skiptrace.matching.comparisons import (
    FIRST_NAME_DIFFERS,
    NAME_FIELDS,
    NO_RELATION,
    OTHER_GENERATION,
    SUFFIX_ONE_SIDE_AT_HOME,
    compound_split,
    two_surnames,
)
from skiptrace.matching.first_names import given_level
from skiptrace.matching.levels import BY_NAME
from skiptrace.matching.name_order import (
    LAST_FIRST,
    LEFT_SURNAME_FIRST,
    READINGS,
    RIGHT_SURNAME_FIRST,
    STRAIGHT,
    both_surname_first,
    given_name_after,
    may_be_surname_first,
    past_shared,
)
from skiptrace.matching.prepare import Table
from skiptrace.matching.rarity import EMPLOYER_SHARE, LINE_SHARE, RARE_BELOW, ZIP_SHARE, describe

LABELS = {
    "first_name": "first name", "last_name": "last name", "suffix": "suffix",
    "middle_name": "middle name",
    "street": "street", "number": "house number", "address2": "unit", "city": "city",
    "zip": "ZIP", "state": "state", "phone": "phone", "email": "e-mail",
    "employer": "employer", "dob": "date of birth", "id_number": "identity number",
}  # fmt: skip
"""Plain-English label of each comparison, in the order the words list them."""
PRIVATE = frozenset({"phone", "email", "dob", "id_number"})
"""Identifying data a reviewer does not need repeated: only the level is said."""
UNSHOWN = PRIVATE | {"street", "address2"}
"""Fields said without their values: identifying data, and street lines, which the matcher
folds to USPS abbreviations ("9 Old Ml Rd") a collector should not have to decode (both
addresses are in the row as written)."""
MAX_SHOWN = 40
_SEPARATORS = re.compile(r"[;/()]")
"""The format's own punctuation, taken out of shown values so the words parse one way."""


def row(table: Table, index: int) -> dict[str, str]:
    """One record's prepared values by column: what the matcher compared, and so what is shown."""
    return {name: str(column[index]) for name, column in table.columns.items()}


def pair_words(
    left: Mapping[str, str],
    right: Mapping[str, str],
    levels: Mapping[str, str],
    transposed: int,
    reasons: Sequence[str] = (),
) -> str:
    """The words for one pair: ``left`` is the debtor's prepared row, ``right`` the record's,
    ``levels`` each comparison's level name, ``transposed`` how the names were read
    (``name_order.READINGS``: the record's name parts in the order the matcher compared them),
    ``reasons`` the household or namesake reasoning that decided the score (``reasoning``),
    said last."""
    if levels.get("middle_name") not in (None, "else"):  # middle names read past a compound
        left, right = _compounds_split(left), _compounds_split(right)
    order = "written last-first" if transposed else ""
    as_read = left, _as_read(right, transposed), levels, order
    left, right, levels, order = _read_given_name_first(left, right, levels, transposed) or as_read
    parts = _name_parts(left, right, levels, order)
    others = (_part(field, left, right, levels) for field in LABELS if field not in NAME_FIELDS)
    return "; ".join(parts + [part for part in others if part] + list(reasons))


def name_only(
    namesakes: float,
    rare: bool,
    area: str = "",
    line: bool = False,
    given: bool = True,
    firm: bool = False,
) -> str:
    """A pair corroborated by the name alone, in words: rare or how many share it; with
    ``area`` (``zip_area``: why the ZIP is an area), how many of them one ZIP area holds, or
    with ``line`` (``no_town``) how many one street line in any town holds, or with ``firm``
    (``at_firm``) how many one employer employs: the score follows that count. ``given``:
    whether the tables count the given name (``rarity.given_name_counted``); one they cannot
    is no count anywhere."""
    firm = firm and not (area or line)
    if not given:
        where = (f"name and ZIP only ({area})" if area else
                 "name and street line only (no town)" if line else
                 "name and employer only" if firm else "name only")  # fmt: skip
        return f"{where}; {_UNCOUNTED}"
    if area:
        return (f"name and ZIP only ({area}); {describe(namesakes)}, "
                f"{_about(namesakes * ZIP_SHARE)} in one ZIP area")  # fmt: skip
    if line:
        return (f"name and street line only (no town); {describe(namesakes)}, "
                f"{_about(namesakes * LINE_SHARE)} at that line in any town")  # fmt: skip
    if firm:
        return (f"name and employer only; {describe(namesakes)}, "
                f"{_about(namesakes * EMPLOYER_SHARE)} at one employer")  # fmt: skip
    if rare:
        return "name only, rare name; " + describe(namesakes)
    if namesakes < RARE_BELOW:  # the floor count of a name missing from the tables
        return f"name only; {_UNCOUNTED}"
    return "name only; " + describe(namesakes)


_UNCOUNTED = "a first name or surname the US tables cannot count (not rare)"


def _about(count: float) -> str:
    return "fewer than 1" if count < 1 else f"about {round(count)}"


def zip_area(levels: Mapping[str, str]) -> str:
    """Why the pair's exact ZIP is the debtor's area, not her home (``rarity.ZIP_SHARE``):
    "another address" (street, house, box or unit), "no street" given on a side; "" when it
    is not."""
    if levels.get("zip") != "exact":
        return ""
    return {"else": "another address", "null": "no street"}.get(levels.get("street", ""), "")


def at_firm(levels: Mapping[str, str]) -> bool:
    """The employer agrees exactly (``rarity.EMPLOYER_SHARE``, on level names)."""
    return levels.get("employer") == "exact"


def no_town(levels: Mapping[str, str]) -> bool:
    """The street line and its house number agree with no town to place them
    (``comparisons.unplaced``, on level names): neither the city nor the ZIP compared. A
    line without a house number (a street or a box alone) is counted as the name alone."""
    street = levels.get("street", "null") not in ("null", "else")
    placed = levels.get("city") == levels.get("zip") == "null"
    return street and placed and levels.get("number") == "exact"


def at_home(levels: Mapping[str, str]) -> bool:
    """The pair is at one address, as the model decides it (``comparisons.at_home``, on level
    names): the street line agrees, or the house number and the postcode do."""
    street = levels.get("street", "null") not in ("null", "else")
    return street or levels.get("number") == levels.get("zip") == "exact"


def at_work(levels: Mapping[str, str]) -> bool:
    """The pair is at one firm, as the model decides it (``comparisons.at_work``, on level
    names): the employer agrees."""
    return levels.get("employer") in ("exact", "close")


def _as_read(right: Mapping[str, str], transposed: int) -> dict[str, str]:
    """The record's row with its name parts as the matcher read them (``pair_words``)."""
    written = {"first": "first_raw"}  # a first name is shown as written
    return {**right, **{written.get(part, part): right[written.get(column, column)]
                        for part, column in READINGS[transposed].items()}}  # fmt: skip


def reasoning(
    left: Mapping[str, str],
    right: Mapping[str, str],
    levels: Mapping[str, str],
    relation: int,
    namesakes: float | None,
    rare: bool = False,
    outvoted: bool = False,
    born: float | None = None,
    counted: bool = True,
    held: tuple[bool, bool] = (False, False),
    given: bool = True,
    transposed: int = 0,
) -> list[str]:
    """What decided a pair beyond the fields: a relative (``relation``, see
    ``comparisons.Compared.relation``), an identity number that outvoted one (``outvoted``:
    ``Compared.outvoted``) or a name alone (``namesakes``: how many US adults are expected to
    share it, None when something besides the name corroborates the pair; ``rare``: the name
    is rare, see ``Link.rare_name``) or a name and birth date alone (``born``: how many are
    expected to share both, None when something else corroborates the pair; ``counted``:
    whether the tables can count the name; ``given``: the given name, see ``name_only``);
    ``held``: whether the pair is held to ``medium``
    in the debtor's household for a first name given short or not at all, and for a record
    styled by a husband's name (``model.household_held``); ``transposed``: how the record's
    names were read (``pair_words``)."""
    out = []
    home = at_home(levels)
    if relation == FIRST_NAME_DIFFERS and levels["first_name"] in ("exact", "close", "similar"):
        # both printed surname first: the first names agree on the surname, the given names
        # are in the last name column (``comparisons._given_names_last``)
        where = " at the same address: relative?" if home else ": another person"
        out.append("printed surname first, the given names differ" + where)
    elif relation == FIRST_NAME_DIFFERS:
        out.append("first name differs at the same address: relative?" if home else
                   "first name differs: another person")  # fmt: skip
    elif relation == OTHER_GENERATION:
        a, b = _shown("suffix", left.get("suffix", "")), _shown("suffix", right.get("suffix", ""))
        what = "middle name" if levels["middle_name"] == "else" else "date of birth"
        if a and b:
            out.append(f"suffix {a} vs {b}: parent and child?")
        elif not (a or b):
            place = "address" if home or not at_work(levels) else "employer"
            out.append(f"the {what} differs at the same {place}: parent and child?")
        else:
            out.append(f"suffix {a or b} on one side only and the {what} differs: "
                       "parent and child?")  # fmt: skip
    elif relation == SUFFIX_ONE_SIDE_AT_HOME:
        suffix = _shown("suffix", left.get("suffix", "") or right.get("suffix", ""))
        out.append(f"suffix {suffix} on one side only at the same address: parent and child?")
    elif levels["suffix"] == "else" and namesakes is None:  # what holds it below high
        out.append("suffix on one side only: perhaps a parent who prints none")
    short, styled = held
    if styled:
        out.append("styled by a husband's name (Mrs.): perhaps his wife")
    elif short and (on := _given_on(left, right, transposed)):
        out.append(f"given name {on} in the debtor's household: a relative?")
    elif short:
        out.append("first name given short or not at all in the debtor's household: a "
                   "relative?")  # fmt: skip
    if outvoted:
        if levels["first_name"] == "else":
            out.append("first name differs, same identity number and date of birth: a "
                       "misprint, or twins filed under one number?")  # fmt: skip
        if levels["dob"] == "else":
            out.append("date of birth differs, same identity number: a misprint, or a parent "
                       "and child filed under one number?")  # fmt: skip
    whole_name = levels["first_name"] == levels["last_name"] == "exact"
    if namesakes is not None and relation == NO_RELATION and whole_name:
        out.append(
            name_only(namesakes, rare, zip_area(levels), no_town(levels), given, at_firm(levels))
        )
    if born is not None and relation == NO_RELATION:
        said = birth_only(born, levels, counted)
        if said:
            out.append(said)
    return out


def _given_on(left: Mapping[str, str], right: Mapping[str, str], transposed: int = 0) -> str:
    """A pair's given names where one goes on past a first name both write alike ("Mary Ann
    against Mary": ``comparisons._compound_on_one_side``), debtor's first; '' otherwise. The
    record's names as read where it alone is read in another order (``transposed``: "SMITH
    MARY ANN" had been said "first name given short or not at all"); of a middle name, its
    first word ("Mary Ann Q": Mary Ann, as ``_compound_on_one_side`` reads it)."""
    if transposed in (LAST_FIRST, RIGHT_SURNAME_FIRST):
        right = _as_read(right, transposed)
    left, right = _compounds_split(left), _compounds_split(right)
    if len(left["first_raw"]) < 2 or left["first_raw"] != right["first_raw"]:
        return ""
    # a middle name stands for the later words unless the other record writes both
    both = [bool(row["given_rest"] and row["middle"]) for row in (left, right)]
    later = [row["given_rest"] or ("" if other else row["middle"].split(" ")[0])
             for row, other in ((left, both[1]), (right, both[0]))]  # fmt: skip
    a, b = (" ".join(filter(None, (row["first_raw"], rest)))
            for row, rest in zip((left, right), later, strict=True))  # fmt: skip
    return "" if a == b else f"{_shown('first_name', a)} against {_shown('first_name', b)}"


def _compounds_split(row: Mapping[str, str]) -> dict[str, str]:
    """A record's row with a given name of two words written with a space, its second word
    at the head of the middle name, read as the matcher reads it (``compound_split``: "Mary
    Ann Q" is Mary-Ann Q)."""
    rest, middle = compound_split(row["first_raw"], row["given_rest"], row["middle"])
    return {**row, "given_rest": rest, "middle": middle}


def birth_only(born: float, levels: Mapping[str, str], counted: bool = True) -> str:
    """A pair corroborated by the name and the birth date alone, in words: which name parts
    agree and how many people are expected to share them and the date (``model.DOB_SHARE``),
    which its score follows: in one ZIP area where the debtor's ZIP agrees, at one street line
    where it agrees with no town (``model`` counts them so, as ``name_only`` says); '' when no
    name part agrees."""
    first, last = (levels[n] not in ("null", "else") for n in ("first_name", "last_name"))
    if not (first or last):
        return ""
    name = "name" if first and last else "first name" if first else "surname"
    date = "a date of birth one slip off" if levels["dob"] == "close" else "date of birth"
    area, line = zip_area(levels), no_town(levels)
    firm = at_firm(levels) and not (area or line)
    what = (f"{name}, {date} and ZIP only ({area})" if area else
            f"{name}, {date} and street line only (no town)" if line else
            f"{name}, {date} and employer only" if firm else
            f"{name} and {date} only")  # fmt: skip
    if not counted:
        return f"{what}; a first name or surname the US tables cannot count"
    where = ("in one ZIP area" if area else "at that line in any town" if line else
             "at one employer" if firm else "in the US")  # fmt: skip
    if born < 1.0:
        many = f"fewer than 1 person {where} is"
    elif born < 1.5:
        many = f"about 1 person {where} is"
    else:
        many = f"about {round(born):,} people {where} are"
    return f"{what}; {many} expected to share both"


def _name_parts(
    left: Mapping[str, str], right: Mapping[str, str], levels: Mapping[str, str], order: str
) -> list[str]:
    """One ``name: exact`` when both names agree as written, else first and last apart; a
    name read in another ``order`` ("written last-first") is said once, so a reviewer knows
    which of the record's names was which."""
    if levels["first_name"] == levels["last_name"] == "exact" and (
        left["first_raw"] == right["first_raw"]
    ):
        return [f"name: exact, {order}" if order else "name: exact"]
    parts = (_part(field, left, right, levels) for field in NAME_FIELDS)
    return ([f"name: {order}"] if order else []) + [part for part in parts if part]


def _read_given_name_first(
    left: Mapping[str, str], right: Mapping[str, str], levels: Mapping[str, str], transposed: int
) -> tuple[dict[str, str], dict[str, str], dict[str, str], str] | None:
    """Both rows' names given name, surname, middle name, with each part's level, where the
    debtor's name is read printed surname first (``name_order``): rotated
    (``LEFT_SURNAME_FIRST``), or swapped (``LAST_FIRST``) where its given name is the one
    judged against the record's (two given names: the first names' level is theirs), or it
    alone of the two may be printed so (or holds a given name after a word the tables give
    no given name, "SMIHT JOHN": ``given_name_after``); or both read so as written
    (``surnames_first``), the given names a short form of one another, held as "SMITH,
    CHRIS" is. The levels are the given names' by the first names' rules (``given_level``),
    the other parts' by their strings. Said by the debtor's columns, "SMITH JOHN" against Jon Smith
    was "first name: differs (Smith/Smith); last name: close (John/Jon)"; None elsewhere."""
    given, surname, middle = left["first_raw"], left["last"], left["middle"]
    theirs = right["first_raw"], right["last"], right["middle"]
    order = "written last-first"
    if transposed == LEFT_SURNAME_FIRST:
        given, surname, middle = left["middle"], left["first_raw"], left["last"]
    elif transposed == LAST_FIRST and (
        given_level(left["last"], right["first_raw"]) == "else"
        or ((may_be_surname_first(left["first"], left["last"])
             or given_name_after(left["first"], left["last"]))
            and not may_be_surname_first(right["first"], right["last"]))
    ):  # fmt: skip
        given, surname = left["last"], left["first_raw"]
    elif (
        transposed == STRAIGHT
        and levels["first_name"] in ("exact", "close", "similar")
        and levels["last_name"] in ("close", "similar", "else")
        and both_surname_first(left["first"], left["middle"], right["middle"], left["last"],
                               right["last"])
        # given names that differ are said by the reasoning ("printed surname first, the
        # given names differ"), the surnames' "differs" beside it
        and given_level(*past_shared(left["last"], right["last"])) != "else"
    ):  # fmt: skip
        given, surname = left["last"], left["first_raw"]
        theirs = right["last"], right["first_raw"], right["middle"]
        order = "printed surname first"
    else:
        return None
    mine = {**left, "first_raw": given, "last": surname, "middle": middle}
    other = {**right, "first_raw": theirs[0], "last": theirs[1], "middle": theirs[2]}
    read = {**levels, "first_name": given_level(given, theirs[0]),
            "last_name": _surname_level(surname, theirs[1]),
            "middle_name": _middle_level(middle, theirs[2])}  # fmt: skip
    return mine, other, read, order


def _surname_level(a: str, b: str) -> str:
    """Two surnames' level by their strings, as the surnames' comparison measures them
    (``levels``), two listed surnames apart (``comparisons.two_surnames``) "else"."""
    if not (a and b):
        return "null"
    if a == b:
        return "exact"
    if two_surnames(a, b):
        return "else"
    comparison = BY_NAME["last_name"]
    alike = JaroWinkler.normalized_similarity(a, b)
    return next((comparison.levels[k + 1] for k, floor in enumerate(comparison.thresholds)
                 if alike >= floor), "else")  # fmt: skip


def _middle_level(a: str, b: str) -> str:
    """Two middle names' level by their strings: the same, one the other's initial, else."""
    if not (a and b):
        return "null"
    if a == b:
        return "exact"
    return "initial" if min(len(a), len(b)) == 1 and a[0] == b[0] else "else"


def _part(
    field: str, left: Mapping[str, str], right: Mapping[str, str], levels: Mapping[str, str]
) -> str | None:
    """``LABEL: WHAT`` for one field, or None when it carried no evidence or says nothing new
    (the house number of an exactly agreeing street)."""
    level = levels[field]
    if level == "null" or (field == "number" and levels["street"] == "exact"):
        return None
    column = "first_raw" if field == "first_name" else BY_NAME[field].column
    a, b = left.get(column, ""), right.get(column, "")
    if field == "suffix" and not (a and b):
        return f"suffix: {'debtor' if a else 'record'} only ({_shown(field, a or b)})"
    same_street_name = left["street_name"] == right["street_name"]
    if field == "street" and levels["number"] == "else" and same_street_name:
        return "street: same street name"  # differing numbers forced "else" on the street
    return f"{LABELS[field]}: {_what(field, level, a, b)}"


def _what(field: str, level: str, a: str, b: str) -> str:
    """The level in words, with both values where the difference is worth seeing."""
    if level == "exact" and (field != "first_name" or a == b):
        return "exact"
    word = _word(level, a, b)
    return word if field in UNSHOWN else f"{word} ({_shown(field, a)}/{_shown(field, b)})"


def _word(level: str, a: str, b: str) -> str:
    """A level that is not plain agreement, as a collector would say it."""
    if level == "exact":  # only first names equal once nicknames are folded get here
        return "nickname"
    if level == "one_edit":  # one keystroke off (or a swap), except in some long UK postcodes
        unit = "digit" if (a + b).isdigit() else "character"
        if Levenshtein.distance(a, b) == 1:
            return f"one {unit} differs"
        return f"two {unit}s swapped" if OSA.distance(a, b) == 1 else "close"
    return "differs" if level == "else" else level


def _shown(field: str, value: str) -> str:
    """A value short, on one line and free of the format's punctuation; codes upper-cased."""
    text = " ".join(_SEPARATORS.sub(" ", value).split())[:MAX_SHOWN].rstrip()
    return text.upper() if field in ("state", "zip") else text.title()
