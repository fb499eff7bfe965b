"""Finding the debtor fields in a file's header, by synonyms (``Acct #``, ``Zip Code``...).

Headers and synonyms are compared case- and punctuation-insensitively. ``--map FIELD=COLUMN``
overrides; a field mapped to a column the file does not have is an error that lists what the
file does have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from skiptrace.errors import ColumnError
from skiptrace.records import normalised_field

SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "account_id", "account", "account_number", "acct", "acct_no", "record_id",
           "ref", "reference"),
    "first_name": ("first_name", "given_name", "first"),
    "middle_name": ("middle_name", "middle", "middle_initial"),
    "last_name": ("last_name", "surname", "last"),
    "suffix": ("suffix", "name_suffix"),
    "full_name": ("name", "full_name", "debtor_name"),
    "address": ("address", "street", "address1", "address_1", "street_address",
                "mailing_address"),
    "address2": ("address2", "address_2"),
    "city": ("city", "town", "suburb"),
    "state": ("state", "region", "province"),
    "zip": ("zip", "zipcode", "postcode", "postal_code"),
    "phone": ("phone", "telephone", "mobile"),
    "email": ("email",),
    "dob": ("dob", "date_of_birth", "birth_date"),
    "employer": ("employer", "company", "employer_name"),
    "employer_website": ("employer_website", "website", "employer_url"),
}  # fmt: skip


def _key(header: str) -> str:
    return normalised_field(header.lower().replace("#", "no"))


_LOOKUP = {_key(s): field for field, synonyms in SYNONYMS.items() for s in synonyms}


def find_columns(
    headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Field -> header for every field the header provides (first synonym found wins)."""
    found: dict[str, str] = {}
    for header in headers:
        field = _LOOKUP.get(_key(header)) or _LOOKUP.get(normalised_field(header))
        if field and field not in found:
            found[field] = header
    for field, column in (overrides or {}).items():
        if field not in SYNONYMS:
            raise ColumnError(f"--map {field}=...: unknown field; fields: {', '.join(SYNONYMS)}")
        if column not in headers:
            raise ColumnError(
                f"--map {field}={column}: no such column; the file has: {', '.join(headers)}"
            )
        found[field] = column
    return found


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["last_name=Surname", ...]`` -> ``{"last_name": "Surname"}``."""
    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ColumnError(f"--map takes FIELD=COLUMN, not {item!r}")
        mapping[field.strip()] = column.strip()
    return mapping


NAME_COLUMNS = ("last_name", "full_name")
"""A file needs one of these: without a name there is no one to research or link."""


def require_name(columns: Mapping[str, str], headers: Sequence[str], path: Path) -> None:
    """Raise ColumnError, listing the file's headers, if no column holds a name."""
    if not set(NAME_COLUMNS) & set(columns):
        raise ColumnError(
            f"{path}: no name column among the headers ({', '.join(headers)}); skiptrace "
            "needs last_name (or full_name): use --map last_name=COLUMN"
        )
