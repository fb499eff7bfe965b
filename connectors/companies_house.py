"""UK Companies House: a person's current appointments, each giving an employer, its
registered office and the officer's own service address.

The register links people to companies only through opaque officer ids, so this takes three
steps: search officers by name, list each officer's appointments, read each company's profile.
The debtor's name only ever fills the search's query string; officer ids and company numbers
come from the register's own answers, are checked against a strict pattern, and reach a path
only through ``Session.segment``.

Each record is one appointment of an officer, so its own page (``record_url``) is the officer's
appointments page on the register's public site, where a person can see the appointment, the
company and the service address; the company number is the record's ``source_id``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from skiptrace.connectors import (
    Address,
    Fetched,
    NoResult,
    Query,
    Session,
    SourceError,
    SourceRecord,
)

API = "https://api.company-information.service.gov.uk"
SITE = "https://find-and-update.company-information.service.gov.uk"
"""The register's public pages: /officers/{officer_id}/appointments, /company/{number}."""
MAX_OFFICERS = 5
"""Name search is fuzzy: the first few officers are the likely ones, and each costs requests."""
MAX_APPOINTMENTS = 5
"""Current appointments per officer; a nominee director can hold hundreds."""
_OFFICER_LINK = re.compile(r"^/officers/([A-Za-z0-9_-]+)/appointments$")
_COMPANY_NUMBER = re.compile(r"^[A-Za-z0-9]{1,10}$")
CLOSED = frozenset({"dissolved", "converted-closed", "closed", "removed"})
"""Company statuses that end every appointment: the register marks none of them resigned."""


class CompaniesHouse:
    """Officer search, then appointments, then company profiles."""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        """One record per current appointment of the first few officers found by name."""
        params = {"q": query.get("full_name"), "items_per_page": "20"}
        found = await _get(session, f"{API}/search/officers", params)
        if found is None:
            return []
        offices: dict[str, Address] = {}
        records: list[SourceRecord] = []
        ended: Counter[str] = Counter()
        for officer_id, title in _officers(*found)[:MAX_OFFICERS]:
            path = f"/officers/{session.segment(officer_id)}/appointments"
            listed = await _get(session, f"{API}{path}")
            if listed is None:
                continue
            body, page = listed
            judged = [(appointment, _ended(appointment)) for appointment in _items(body, page)]
            ended.update(why for _, why in judged if why)
            current = [appointment for appointment, why in judged if not why]
            for appointment in current[:MAX_APPOINTMENTS]:
                company = _mapping(appointment.get("appointed_to"))
                number = str(company.get("company_number") or "")
                if not _COMPANY_NUMBER.match(number):
                    continue
                if number not in offices:
                    offices[number] = await _registered_office(session, number)
                name = appointment.get("name") or body.get("name") or title
                role = str(appointment.get("officer_role") or "").replace("-", " ")
                records.append(
                    SourceRecord(
                        provenance=session.provenance(page),
                        person_name=str(name),
                        mailing_address=_address(appointment.get("address")),
                        employer=str(company.get("company_name") or ""),
                        employer_address=offices[number],
                        title=str(appointment.get("occupation") or role),
                        source_id=number,
                        record_url=f"{SITE}{path}",
                    )
                )
        if not records and ended:
            said = ", ".join(f"{count} {why}" for why, count in sorted(ended.items()))
            raise NoResult(f"no current appointment: {said}")
        return records


def _ended(appointment: Mapping[str, Any]) -> str:
    """Why an appointment is over ("" if it is current): resigned, or its company closed
    (dissolved, say), which the register does not write as a resignation."""
    if appointment.get("resigned_on"):
        return "resigned"
    status = str(_mapping(appointment.get("appointed_to")).get("company_status") or "")
    return f"at a {status} company" if status in CLOSED else ""


async def _get(
    session: Session, url: str, params: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], Fetched] | None:
    """The JSON object at ``url`` and its page, or None for 404 (the register has nothing)."""
    fetched = await session.get(url, params=params)
    if fetched.status == 404:
        return None
    if fetched.status != 200:
        # 401 (a bad key) and 400 are not judged by the session, but are not "no result".
        raise SourceError(f"{fetched.url} answered HTTP {fetched.status}")
    body = fetched.json()
    if not isinstance(body, dict):
        raise SourceError(f"{fetched.url} did not return a JSON object")
    return body, fetched


async def _registered_office(session: Session, number: str) -> Address:
    """A company's registered office; empty if its profile is not found."""
    found = await _get(session, f"{API}/company/{session.segment(number)}")
    return _address(found[0].get("registered_office_address")) if found else Address()


def _officers(body: Mapping[str, Any], fetched: Fetched) -> list[tuple[str, str]]:
    """(officer id, name) for each search item whose own link has a well-formed id."""
    officers = []
    for item in _items(body, fetched):
        match = _OFFICER_LINK.match(str(_mapping(item.get("links")).get("self") or ""))
        if match:
            officers.append((match.group(1), str(item.get("title") or "")))
    return officers


def _items(body: Mapping[str, Any], fetched: Fetched) -> list[Mapping[str, Any]]:
    """The objects in ``body["items"]``, ignoring anything that is not one; an answer without
    that list (an error object served with HTTP 200) is the register's error, not "nobody"."""
    items = body.get("items")
    if not isinstance(items, list):
        raise SourceError(f"{fetched.url}: no items list in the answer")
    return [i for i in items if isinstance(i, Mapping)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _address(raw: Any) -> Address:
    """A Companies House address; premises joins line 1 ("16 Bromford Crescent") as the
    register's own address_snippet does."""
    part = _mapping(raw)

    def text(key: str) -> str:
        return " ".join(str(part.get(key) or "").split())

    street = " ".join(p for p in (text("premises"), text("address_line_1")) if p)
    lines = tuple(p for p in (text("po_box"), street, text("address_line_2")) if p)
    return Address(
        lines=lines,
        city=text("locality"),
        region=text("region"),
        postal_code=text("postal_code"),
        country=text("country"),
    )


CONNECTOR = CompaniesHouse()
