"""SEC EDGAR insider filings: a person's employer, title and (usually c/o) mailing address.

Officers, directors and 10% owners of US-listed companies file Forms 3, 4 and 5 that name the
issuer, the insider's title and an address. Three steps, each from the source's own answers:

1. full-text search for the quoted name among Forms 3/4/5 (the name goes in params only);
2. for each hit, newest first, the filing's ownership XML, kept if its reporting owner has
   the searched name (EDGAR writes "Last First Middle", so names compare as sets of words);
3. the issuer's submissions record, for its business address and phone.

A 404 at any step skips that hit; an answer that is not JSON or XML is a SourceError, and so
are a well-formed page or error document answering for a filing (``<html>``, ``<Error>``), a
hits list holding no hit and a company list holding no company: each had been "no result".

A record's ``source_id`` is the issuer's CIK (the employer), its ``record_date`` the filing's
date: a filing names an insider as of then, and an officer who has left files no more. Its
``record_url`` is the reporting owner's own EDGAR page (insiders have a CIK too), which lists
their filings with the issuer and the address they filed from; if the filing gives no
well-formed owner CIK, the issuer's page.
The company connector's records are the issuer's page.
"""

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from skiptrace.connectors import (
    Address,
    Fetched,
    Query,
    Session,
    SourceError,
    SourceRecord,
    home_page,
)

SEARCH_URL = "https://efts.sec.gov/LATEST/search-index"
ARCHIVES_URL = "https://www.sec.gov/Archives/edgar/data"
SUBMISSIONS_URL = "https://data.sec.gov/submissions"
PAGE_URL = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK="
"""An EDGAR filer's public page (a company's or an insider's), by ten-digit CIK."""
FORMS = "3,4,5"
MAX_FILINGS = 5
"""Filing documents fetched per search at most: one current filing per issuer is enough."""

_CIK = re.compile(r"^[0-9]{1,10}$")
_ADSH = re.compile(r"^[0-9]{10}-[0-9]{2}-[0-9]{6}$")
_FILENAME = re.compile(r"^[A-Za-z0-9._-]{1,120}\.xml$")
"""Only the XML primary document; hits on exhibits (a power of attorney, say) are skipped."""
_US_STATE = re.compile(r"^[A-Z]{2}$")
"""EDGAR codes US states with two letters; foreign codes carry a digit (X0, A6, 2M...)."""
_NAME_NOISE = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_A_FILING = frozenset({"html", "error", "errors", "errorresponse"})
"""Roots of a well-formed web page or error document answering for a filing: an outage (a
maintenance page, a CDN's or a store's ``<Error>``), never a filing "not about this person"."""


@dataclass(frozen=True)
class Hit:
    """One search hit, reduced to the values that build the filing's URL."""

    adsh: str
    filename: str
    cik: str
    """A CIK of the filing, without leading zeros: any of them serves the Archives folder."""
    file_date: str
    """The filing's date as the hit gives it (the run keeps it only if it is a day)."""


@dataclass(frozen=True)
class Owner:
    """A reporting owner as the filing gives them."""

    name: str
    address: Address
    title: str
    cik: str = ""
    """The owner's own CIK, unpadded; empty if the filing gives none well-formed."""


@dataclass(frozen=True)
class Filing:
    """An ownership document: who reported, about which issuer, fetched from where."""

    issuer_cik: str
    issuer_name: str
    owners: tuple[Owner, ...]
    fetched: Fetched


@dataclass(frozen=True)
class Issuer:
    """The issuer's own EDGAR record."""

    name: str
    address: Address
    phone: str
    fetched: Fetched
    website: str = ""


class SecEdgar:
    """Person -> insider filings -> issuer: one record per (reporting owner, issuer)."""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        wanted = name_words(query.get("full_name"))
        if not wanted:
            return []
        hits = await search_hits(session, query.get("full_name"))
        records: list[SourceRecord] = []
        done: set[str] = set()
        fetched = 0
        for hit in hits:
            if fetched >= MAX_FILINGS:
                break
            if hit.cik in done:
                continue
            fetched += 1
            records.extend(await records_for(session, hit, wanted, done, query.get("last_name")))
        return records


async def records_for(
    session: Session, hit: Hit, wanted: frozenset[str], done: set[str], surname: str = ""
) -> list[SourceRecord]:
    """The hit's records, or none if its filing is gone, is not about this person, or its
    issuer was already reported (``done`` holds issuer CIKs, unpadded). ``surname``: the
    searched one, which EDGAR writes first (``last_first``)."""
    filing = await fetch_filing(session, hit)
    if filing is None or filing.issuer_cik in done:
        return []
    owners = [owner for owner in filing.owners if name_words(owner.name) == wanted]
    if not owners:
        return []
    issuer = await fetch_issuer(session, filing.issuer_cik)
    if issuer is None:
        return []
    done.add(filing.issuer_cik)
    provenance = session.provenance(filing.fetched)
    return [
        SourceRecord(
            provenance=provenance,
            person_name=last_first(owner.name, surname),
            employer=issuer.name or filing.issuer_name,
            employer_address=issuer.address,
            mailing_address=owner.address,
            title=owner.title,
            phone=issuer.phone,
            source_id=filing.issuer_cik.zfill(10),
            record_url=page_url(session, owner.cik or filing.issuer_cik),
            record_date=hit.file_date,
            website=issuer.website,
        )
        for owner in owners
    ]


# Step 1: full-text search.


async def search_hits(session: Session, full_name: str) -> list[Hit]:
    """Usable hits for the quoted name, newest filing first."""
    fetched = await session.get(SEARCH_URL, params={"q": f'"{full_name}"', "forms": FORMS})
    if not found(fetched):
        return []
    payload = fetched.json()
    hits = payload.get("hits") if isinstance(payload, dict) else None
    rows = hits.get("hits") if isinstance(hits, dict) else None
    if not isinstance(rows, list):
        raise SourceError(f"{fetched.url}: no hits list in the search answer")
    if rows and not any(isinstance(row, dict) for row in rows):  # ["Service unavailable"]
        said = "1 item" if len(rows) == 1 else f"{len(rows)} items"
        raise SourceError(f"{fetched.url}: {said} in the hits list, none of them a hit")
    parsed = [hit for hit in (parse_hit(row) for row in rows) if hit is not None]
    return sorted(parsed, key=lambda hit: hit.file_date, reverse=True)


def parse_hit(row: Any) -> Hit | None:
    """A hit whose accession, file name and CIK all have their strict shapes, else None."""
    if not isinstance(row, dict) or not isinstance(row.get("_source"), dict):
        return None
    source: dict[str, Any] = row["_source"]
    accession, _, filename = text(row.get("_id")).partition(":")
    adsh = text(source.get("adsh")) or accession
    ciks = [text(cik).lstrip("0") for cik in source.get("ciks") or []]
    if not ciks or not _ADSH.match(adsh) or not _FILENAME.match(filename):
        return None
    cik = ciks[-1]  # EDGAR lists reporting owners first and the issuer last
    if not _CIK.match(cik):
        return None
    return Hit(adsh, filename, cik, text(source.get("file_date")))


# Step 2: the ownership document.


async def fetch_filing(session: Session, hit: Hit) -> Filing | None:
    """The hit's ownership document, or None if it is gone or is not one."""
    parts = (hit.cik, hit.adsh.replace("-", ""), hit.filename)
    url = "/".join((ARCHIVES_URL, *(session.segment(part) for part in parts)))
    fetched = await session.get(url)
    if not found(fetched):
        return None
    root = parse_xml(fetched)
    tag = root.tag.rpartition("}")[2]  # an XHTML page's is namespaced
    if tag.casefold() in _NOT_A_FILING:  # a page or error document served with HTTP 200
        raise SourceError(f"{fetched.url}: not a filing: <{tag}> (HTTP {fetched.status})")
    if root.tag != "ownershipDocument":
        return None
    issuer_cik = child_text(root, "issuer/issuerCik").lstrip("0")
    if not _CIK.match(issuer_cik):
        return None
    owners = tuple(parse_owner(element) for element in root.iterfind("reportingOwner"))
    return Filing(issuer_cik, child_text(root, "issuer/issuerName"), owners, fetched)


def parse_xml(fetched: Fetched) -> ET.Element:
    """The document's root; entity declarations are refused before expat sees them."""
    if b"<!DOCTYPE" in fetched.content or b"<!ENTITY" in fetched.content:
        raise SourceError(f"{fetched.url}: XML with a DOCTYPE, not an ownership document")
    try:
        return ET.fromstring(fetched.content)
    except ET.ParseError:
        raise SourceError(f"{fetched.url} did not return XML (HTTP {fetched.status})") from None


def parse_owner(element: ET.Element) -> Owner:
    """One ``reportingOwner``: name, address (often c/o the issuer) and role."""
    where = "reportingOwnerAddress/rptOwner"
    address = make_address(
        (child_text(element, f"{where}Street1"), child_text(element, f"{where}Street2")),
        city=child_text(element, f"{where}City"),
        code=child_text(element, f"{where}State"),
        postal_code=child_text(element, f"{where}ZipCode"),
        description=child_text(element, f"{where}StateDescription"),
    )
    name = child_text(element, "reportingOwnerId/rptOwnerName")
    cik = child_text(element, "reportingOwnerId/rptOwnerCik").lstrip("0")
    relationship = element.find("reportingOwnerRelationship")
    title = role(relationship) if relationship is not None else ""
    return Owner(name, address, title, cik if _CIK.match(cik) else "")


def role(relationship: ET.Element) -> str:
    """The officer title, else the kind of insider; schema versions write flags 0/1 or
    true/false and leave out the ones that are false."""
    title = child_text(relationship, "officerTitle")
    if title:
        return title
    if flag(relationship, "isDirector"):
        return "Director"
    if flag(relationship, "isTenPercentOwner"):
        return "10% owner"
    if flag(relationship, "isOther"):
        return child_text(relationship, "otherText") or "Other"
    return "Officer" if flag(relationship, "isOfficer") else ""


def flag(element: ET.Element, path: str) -> bool:
    return child_text(element, path).casefold() in ("1", "true")


def child_text(element: ET.Element, path: str) -> str:
    """The text at ``path`` with whitespace collapsed; empty if absent."""
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


# Step 3: the issuer's submissions record.


async def fetch_issuer(session: Session, cik: str) -> Issuer | None:
    """The issuer's name, business address and phone, or None if EDGAR has no record."""
    filename = f"CIK{cik.zfill(10)}.json"
    fetched = await session.get(f"{SUBMISSIONS_URL}/{session.segment(filename)}")
    if not found(fetched):
        return None
    data = fetched.json()
    if not isinstance(data, dict):
        raise SourceError(f"{fetched.url}: the submissions answer is not an object")
    addresses = data.get("addresses")
    if not isinstance(addresses, dict):
        addresses = {}
    business = edgar_address(addresses.get("business"))
    return Issuer(
        name=text(data.get("name")),
        address=business or edgar_address(addresses.get("mailing")),
        phone=text(data.get("phone")),
        fetched=fetched,
        website=home_page(text(data.get("website"))),
    )


def edgar_address(part: Any) -> Address:
    """An address from a submissions ``addresses`` entry."""
    if not isinstance(part, Mapping):
        return Address()
    return make_address(
        (text(part.get("street1")), text(part.get("street2"))),
        city=text(part.get("city")),
        code=text(part.get("stateOrCountry")),
        postal_code=text(part.get("zipCode")),
        description=text(part.get("stateOrCountryDescription")),
    )


# Shared helpers.


def page_url(session: Session, cik: str) -> str:
    """The EDGAR page of the filer with this (checked, unpadded) CIK."""
    return PAGE_URL + session.segment(cik.zfill(10))


def make_address(
    lines: Iterable[str], *, city: str, code: str, postal_code: str, description: str
) -> Address:
    """EDGAR's state-or-country code: a US state becomes region and US; a foreign code
    becomes its description as the country."""
    us = bool(_US_STATE.match(code))
    return Address(
        lines=tuple(line for line in lines if line),
        city=city,
        region=code if us else "",
        postal_code=postal_code,
        country="US" if us else (description or code),
    )


def last_first(name: str, surname: str) -> str:
    """EDGAR's "Last First Middle" ("COOK TIMOTHY D") written "COOK, TIMOTHY D" when it
    begins with the searched ``surname``: read in order, its surname was taken for a given
    name and its initial for a surname, and the person's own filing scored as another
    person's. As written otherwise (a comma there already, another order, no surname)."""
    words, count = name.split(), len(surname.split())
    wanted = name_words(surname)
    if "," in name or not wanted or len(words) <= count:
        return name
    if name_words(" ".join(words[:count])) != wanted:
        return name
    return f"{' '.join(words[:count])}, {' '.join(words[count:])}"


def name_words(name: str) -> frozenset[str]:
    """A name as a set of words, so "Maestri Luca" equals "Luca Maestri"; accents, initials
    and generational suffixes are dropped, since one side often lacks them."""
    plain = unicodedata.normalize("NFKD", name.replace("'", "").replace("\u2019", ""))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    words = re.findall(r"[^\W_]+", plain.casefold())
    return frozenset(word for word in words if len(word) > 1 and word not in _NAME_NOISE)


def found(fetched: Fetched) -> bool:
    """True for an answer, False for 404 (skip); any other status is the source's fault."""
    if fetched.status == 404:
        return False
    if fetched.status != 200:
        raise SourceError(f"{fetched.url} answered HTTP {fetched.status}")
    return True


def text(value: Any) -> str:
    """A JSON value as stripped text; null and non-strings become empty."""
    return value.strip() if isinstance(value, str) else ""


# Company -> its addresses: EDGAR's list of listed companies, then the submissions record.

TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"
MAX_COMPANIES = 3
_COMPANY_NOISE = frozenset(
    {"the", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
     "llc", "plc", "lp", "llp"}
)  # fmt: skip


class SecEdgarCompany:
    """Employer name -> listed company -> its business address and phone."""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        wanted = company_words(query.get("employer"))
        if not wanted:
            return []
        listing = await session.get(TICKERS_URL)
        if not found(listing):
            return []
        table = listing.json()
        if not isinstance(table, dict):
            raise SourceError(f"{listing.url}: the company list is not an object")
        companies = [row for row in table.values() if isinstance(row, dict) and "cik_str" in row]
        if not companies:  # it lists thousands: {} or {"message": ...} is no answer
            raise SourceError(f"{listing.url}: no company in the company list")
        ciks = [
            text(str(row.get("cik_str", ""))).lstrip("0")
            for row in companies
            if company_words(text(row.get("title"))) == wanted
        ]
        records = []
        for cik in [c for c in dict.fromkeys(ciks) if _CIK.match(c)][:MAX_COMPANIES]:
            issuer = await fetch_issuer(session, cik)
            if issuer is not None:
                records.append(
                    SourceRecord(
                        provenance=session.provenance(issuer.fetched),
                        employer=issuer.name,
                        employer_address=issuer.address,
                        phone=issuer.phone,
                        source_id=cik.zfill(10),
                        record_url=page_url(session, cik),
                        website=issuer.website,
                    )
                )
        return records


def company_words(name: str) -> frozenset[str]:
    """A company name as words without legal-form noise: "APPLE INC" equals "Apple Inc."."""
    words = re.findall(r"[^\W_]+", name.replace("&", " and ").casefold())
    return frozenset(word for word in words if word not in _COMPANY_NOISE)


CONNECTOR = SecEdgar()
COMPANY_CONNECTOR = SecEdgarCompany()
