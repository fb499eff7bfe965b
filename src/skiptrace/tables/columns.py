"""Finding the debtor fields in a file's header, by synonyms (``Acct #``, ``Zip Code``...).

Headers and synonyms are compared case- and punctuation-insensitively. ``--map FIELD=COLUMN``
overrides; a field mapped to a column the file does not have is an error that lists what the
file does have.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from skiptrace.errors import ColumnError
from skiptrace.records import normalised_field
from skiptrace.tables.flags import PREFIXES, flag_columns
from skiptrace.tables.reader import read_rows

_OWN: dict[str, tuple[str, ...]] = {
    "id": ("id", "account_id", "account", "account_number", "acct", "acct_no", "record_id",
           "ref", "reference", "account_no", "account_num", "acct_number", "acct_num",
           "file_number", "file_no", "case_number", "reference_number", "ref_no"),
    "first_name": ("first_name", "given_name", "first", "fname", "forename"),
    "middle_name": ("middle_name", "middle", "middle_initial", "mname", "mi"),
    "last_name": ("last_name", "surname", "last", "lname", "family_name"),
    "suffix": ("suffix", "name_suffix", "generation"),
    "full_name": ("name", "full_name", "debtor_name"),
    "address": ("address", "street", "address1", "address_1", "street_address",
                "mailing_address", "addr", "addr1", "addr_1", "address_line_1",
                "address_line1", "street1", "street_1", "street_line_1", "street_address_1",
                "home_address", "mail_address", "residence_address"),
    "address2": ("address2", "address_2", "addr2", "addr_2", "address_line_2", "address_line2",
                 "street2", "street_2", "street_line_2", "street_address_2", "apt", "apt_suite",
                 "apartment", "unit", "suite"),
    "city": ("city", "town", "suburb", "city_town", "municipality", "locality"),
    "state": ("state", "region", "province", "st", "state_province", "state_code",
              "state_region", "state_or_province"),
    "zip": ("zip", "zipcode", "postcode", "postal_code", "zip5", "zip_4", "zip_plus_4",
            "zip_plus4", "post_code", "postal", "postalcode", "zip_postal_code"),
    "phone": ("phone", "telephone", "mobile", "phone1", "phone_1", "phone_number", "phone_no",
              "primary_phone", "tel", "mobile_phone", "mobile_number", "cell", "cell_phone",
              "home_phone", "work_phone", "phone2", "phone_2"),
    "email": ("email", "e_mail", "email_address", "e_mail_address", "email1", "primary_email"),
    "dob": ("dob", "date_of_birth", "birth_date", "birthdate", "birthday"),
    "employer": ("employer", "company", "employer_name", "place_of_employment", "company_name",
                 "current_employer", "workplace", "place_of_work", "employment"),
    "employer_website": ("employer_website", "website", "employer_url", "company_website",
                         "employer_web_site"),
}  # fmt: skip
"""Each field's own headers. ``ZIP+4`` is ``zip_4``: ``+`` is punctuation, ignored like ``_``."""

_PREFIXED = ("id", "first_name", "middle_name", "last_name", "suffix", "full_name", "address",
             "address2", "city", "state", "zip", "phone", "email", "dob", "employer")  # fmt: skip
"""The fields whose synonyms are also read behind a prefix (``Debtor Employer``, not
``Customer Company``: a customer's company may be the debtor itself)."""


def _with_prefixes() -> dict[str, tuple[str, ...]]:
    synonyms: dict[str, tuple[str, ...]] = {}
    for field, own in _OWN.items():
        prefixed = [] if field not in _PREFIXED else [
            f"{prefix}_{synonym}" for prefix in PREFIXES for synonym in own
            if not (field == "employer" and synonym == "company")
        ]  # fmt: skip
        synonyms[field] = tuple(dict.fromkeys([*own, *prefixed]))
    return synonyms


SYNONYMS: dict[str, tuple[str, ...]] = _with_prefixes()
"""Field -> the headers that name it. SSNs are no field here: skiptrace never sends one to a
source (``enrich`` lists a column holding them as ignored, and the audit log masks any it
meets); only ``link``, which compares two files on this machine, reads them (``LINK_ONLY``)."""

_IDENTITY = ("ssn", "social_security_number", "social_security_no", "soc_sec_id",
             "soc_sec_no", "ssn_number", "national_id", "national_id_number",
             "national_insurance_number", "ni_number", "nino", "social_insurance_number",
             "itin")  # fmt: skip
LINK_ONLY: dict[str, tuple[str, ...]] = {
    "id_number": tuple(
        dict.fromkeys([*_IDENTITY, *(f"{p}_{s}" for p in PREFIXES for s in _IDENTITY)])
    )
}
"""Fields ``link`` alone reads: a person's identity number, compared between the two files
and never written out (``link``'s output names the level, ``id_number=``, not the value). Not
"ID Number": files use that for their record ids (``--map id_number=COLUMN`` then)."""


def identity_header(header: str) -> bool:
    """Whether a header names identity numbers (``SSN``, ``Debtor SSN``...): never an id
    column that ``link`` would write out."""
    fields = (_LINK_LOOKUP.get(_key(header)), _LINK_LOOKUP.get(normalised_field(header)))
    return "id_number" in fields


def _key(header: str) -> str:
    return normalised_field(header.lower().replace("#", "no"))


def _lookup(fields: Mapping[str, Sequence[str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, synonyms in fields.items():
        for synonym in synonyms:
            other = found.setdefault(_key(synonym), field)
            if other != field:  # a header must not name two fields
                raise AssertionError(f"synonym {synonym!r} of both {other} and {field}")
    return found


_LOOKUP = _lookup(SYNONYMS)
_LINK_LOOKUP = _lookup({**SYNONYMS, **LINK_ONLY})


def find_columns(
    headers: Sequence[str], overrides: Mapping[str, str] | None = None, *, link: bool = False
) -> dict[str, str]:
    """Field -> header for every field the header provides (first synonym found wins); with
    ``link``, the fields only ``link`` reads too (``LINK_ONLY``)."""
    lookup, fields = (_LINK_LOOKUP, [*SYNONYMS, *LINK_ONLY]) if link else (_LOOKUP, [*SYNONYMS])
    found: dict[str, str] = {}
    for header in headers:
        field = lookup.get(_key(header)) or lookup.get(normalised_field(header))
        if field and field not in found:
            found[field] = header
    for field, column in (overrides or {}).items():
        if field not in fields:
            raise ColumnError(f"--map {field}=...: unknown field; fields: {', '.join(fields)}")
        if column not in headers:
            raise ColumnError(
                f"--map {field}={column}: no such column; the file has: {_names(headers)}"
            )
        found[field] = column
    return found


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["last_name=Surname", ...]`` -> ``{"last_name": "Surname"}``. A field may be named by
    any of its header synonyms, as the CLI contract lists them (``name=Debtor`` is
    ``full_name=Debtor``, ``surname=...`` is ``last_name=...``)."""
    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ColumnError(f"--map takes FIELD=COLUMN, not {item!r}")
        mapping[field_named(field.strip())] = column.strip()
    return mapping


def field_named(name: str) -> str:
    """The field a ``--map`` key (or the Python API's ``mapping`` key) names: the field itself
    or any of its header synonyms, as the CLI contract groups them (``name`` is
    ``full_name``); an unknown name is left as it is, for ``find_columns`` to refuse."""
    return _LINK_LOOKUP.get(_key(name), name)


NAME_COLUMNS = ("last_name", "full_name")
"""A file needs one of these: without a name there is no one to research or link."""


def require_name(columns: Mapping[str, str], headers: Sequence[str], path: Path) -> None:
    """Raise ColumnError, listing the file's headers, if no column holds a name."""
    if not set(NAME_COLUMNS) & set(columns):
        raise ColumnError(
            f"{path}: no name column among the headers ({_names(headers)}); skiptrace "
            "needs last_name (or full_name): use --map last_name=COLUMN"
        )


def describe_columns(
    headers: Sequence[str], columns: Mapping[str, str], flags: Mapping[str, str] | None = None
) -> str:
    """One line saying which column was taken for which field (in the file's order), which
    name a do-not-research flag, and which were ignored: ``columns: last_name=Debtor Last,
    city=Town; ignored: Balance, Notes``."""
    order: dict[str, int] = {}  # a repeated name's first column, the one read
    for n, header in enumerate(headers):
        order.setdefault(header, n)
    taken = sorted(columns.items(), key=lambda item: (order.get(item[1], len(order)), item[0]))
    parts = [f"columns: {_listed([f'{field}={_shown(column)}' for field, column in taken])}"]
    flags = flags or {}
    if flags:  # read in every column of their name
        parts.append(f"flags: {_listed([_shown(flag) for flag in flags])}")
    chosen = set(columns.values())
    ignored = [_shown(header) if header not in chosen else f"{_shown(header)} (column {n + 1})"
               for n, header in enumerate(headers)
               if header not in flags and (header not in chosen or order[header] != n)]  # fmt: skip
    parts.append(f"ignored: {_listed(ignored)}")
    return "; ".join(parts)


SHOWN_NAMES = 50
"""How many names of a list ``describe_columns`` shows, the rest counted: a file of 100,000
columns printed a line of 600 KB."""
SHOWN_CHARS = 80
"""How much of a column's name ``describe_columns`` shows (the header line may be 1 MB)."""


def _shown(name: str) -> str:
    return name if len(name) <= SHOWN_CHARS else name[:SHOWN_CHARS] + "..."


def _names(headers: Sequence[str]) -> str:
    """A file's header names in a message that refuses it, listed as ``describe_columns``
    lists them."""
    return _listed([_shown(header) for header in headers])


def _listed(names: Sequence[str]) -> str:
    """The first ``SHOWN_NAMES`` of ``names``, then how many more; ``(none)`` for none."""
    more = len(names) - SHOWN_NAMES
    return (", ".join(names[:SHOWN_NAMES]) or "(none)") + (f" ... and {more:,} more" * (more > 0))


def columns_line(path: Path, overrides: Mapping[str, str] | None = None) -> str:
    """``describe_columns`` for the file at ``path`` as ``enrich`` reads it (flags included).
    InputError or ColumnError as ``enrich`` would raise them: a file with no header or rows, a
    bad ``--map``, no name column."""
    header, rows = read_rows(path)
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # the file is read again by the run
    columns = find_columns(header, overrides)
    require_name(columns, header, path)
    return describe_columns(header, columns, flag_columns(header))


NAME_SUFFIXES = ("jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th", "esq")
"""Generational (and ``Esq``) suffixes a collector's last-name column often carries: "Smith Jr".
``V`` is not among them: a one-letter last word is more often part of the name."""
_SUFFIX_AT_END = re.compile(
    rf"^(?P<last>.*?\S)[\s,]+(?P<suffix>(?:{'|'.join(NAME_SUFFIXES)})\.?)$", re.IGNORECASE
)


def split_suffix(fields: Mapping[str, str]) -> dict[str, str]:
    """``fields`` with a suffix written at the end of ``last_name`` ("Smith Jr", "SMITH, JR.",
    "Smith III") moved to ``suffix``, so sources are asked for ``last_name=Smith``. A suffix
    column's own value is kept (the one in the last name is dropped, not merged)."""
    split = dict(fields)
    found = _SUFFIX_AT_END.match(" ".join(split.get("last_name", "").split()))
    if found:
        split["last_name"] = found["last"].rstrip(", ")
        if not split.get("suffix", "").strip():
            split["suffix"] = found["suffix"]
    return split
