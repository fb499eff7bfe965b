"""Normalisers for the matcher: one canonical, comparable form per name, address, phone, e-mail
and company, so that two registries' spellings of the same fact compare equal.

Every function here is pure, idempotent (``f(f(x)) == f(x)``), total (never raises on any
``str``) and cheap enough to run on every row of a 100k-row file; the costly parsers
(nameparser, usaddress, phonenumbers) sit behind ``lru_cache``. The matcher does no I/O and
neither do these.
"""

from skiptrace.normalize.addresses import (
    PostalAddress,
    normalize_address,
    normalize_state,
    normalize_street,
    normalize_uk_postcode,
    normalize_zip,
    parse_address,
)
from skiptrace.normalize.companies import normalize_company, trading_name
from skiptrace.normalize.emails import normalize_email
from skiptrace.normalize.names import (
    PersonName,
    canonical_first,
    normalize_name,
    parse_name,
    same_first_names,
)
from skiptrace.normalize.oneline import AddressParts, parse_one_line
from skiptrace.normalize.phones import TOLL_FREE, normalize_phone

__all__ = [
    "TOLL_FREE",
    "AddressParts",
    "PersonName",
    "PostalAddress",
    "canonical_first",
    "normalize_address",
    "normalize_company",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "normalize_state",
    "normalize_street",
    "normalize_uk_postcode",
    "normalize_zip",
    "parse_address",
    "parse_name",
    "parse_one_line",
    "same_first_names",
    "trading_name",
]
