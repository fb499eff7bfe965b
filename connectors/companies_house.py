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
    SourceUnavailable,
)

API = "https://api.company-information.service.gov.uk"
SITE = "https://find-and-update.company-information.service.gov.uk"
"""The register's public pages: /officers/{officer_id}/appointments, /company/{number}."""
MAX_OFFICERS = 5
"""Name search is fuzzy: the first few officers are the likely ones, and each costs requests."""
MAX_APPOINTMENTS = 5
"""Current appointments per officer; a nominee director can hold hundreds."""
MAX_APPOINTMENT_PAGES = 4
"""Pages of an officer's appointments read (the register lists 35 a page): a current one can
follow many ended ones, but a nominee's hundreds are not worth a request each 35."""
_OFFICER_LINK = re.compile(r"^/officers/([A-Za-z0-9_-]+)/appointments$")
_COMPANY_NUMBER = re.compile(r"^[A-Za-z0-9]{1,10}$")
CLOSED = frozenset({"dissolved", "converted-closed", "closed", "removed"})
"""Company statuses that end every appointment: the register marks none of them resigned."""
WOUND_UP = "liquidation"
"""A company being wound up: its directors' powers have ceased and its registered office is
most often its liquidator's, yet the register lists their appointments until it is dissolved.
A company in administration, receivership or a voluntary arrangement may still trade."""


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
        unread: list[str] = []
        for officer_id, title in _officers(*found)[:MAX_OFFICERS]:
            path = f"/officers/{session.segment(officer_id)}/appointments"
            try:
                officer, appointments, short = await _appointments(session, f"{API}{path}")
            except SourceUnavailable:
                if not records:
                    raise
                break  # rate-limited or blocked for the run: the session says it fell short
            if short:  # the appointments found stand, with the pages left unread beside them
                unread.append(short)
                session.fell_short(short)
            judged = [(item, page, _ended(item)) for item, page in appointments]
            ended.update(why for _, _, why in judged if why)
            current = [(item, page) for item, page, why in judged if not why]
            for appointment, page in current[:MAX_APPOINTMENTS]:
                company = _mapping(appointment.get("appointed_to"))
                number = str(company.get("company_number") or "")
                if not _COMPANY_NUMBER.match(number):
                    continue
                if number not in offices:
                    offices[number] = await _registered_office(session, number)
                name = appointment.get("name") or officer or title
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
        if not records and unread:  # "no current appointment" would be a guess
            raise SourceError(unread[0])
        if not records and ended:
            said = ", ".join(f"{count} {why}" for why, count in sorted(ended.items()))
            raise NoResult(f"no current appointment: {said}")
        return records


def _ended(appointment: Mapping[str, Any]) -> str:
    """Why an appointment is over ("" if it is current): resigned, or its company closed
    (dissolved, say) or in liquidation, which the register does not write as a resignation."""
    if appointment.get("resigned_on"):
        return "resigned"
    status = str(_mapping(appointment.get("appointed_to")).get("company_status") or "")
    if status == WOUND_UP:
        return "at a company in liquidation"
    return f"at a {status} company" if status in CLOSED else ""


async def _appointments(
    session: Session, url: str
) -> tuple[str, list[tuple[Mapping[str, Any], Fetched]], str]:
    """The officer's name and each of their appointments with the page it is on (none for
    404), each once (``_unseen``). Reads on (``start_index``) until the register's
    ``total_results`` are read, ``MAX_APPOINTMENTS`` current ones are found, a page gives none
    not read already, or ``MAX_APPOINTMENT_PAGES`` pages are read; a page
    that does not start where it was asked to (the parameter ignored) ends the reading, and so
    does a later page the session could not fetch: the pages read stand, with the outage the
    session keeps beside them (a page that came but cannot be read is still an error). Last,
    why the register's list was left unread ("" if it was not): a later page that is not the
    one asked for (it does not say it starts there, gives only appointments already read, or
    is not found). Current appointments the search found stand with it beside them
    (``Session.fell_short``); with none, the search is that error, never "no current
    appointment"."""
    found: list[tuple[Mapping[str, Any], Fetched]] = []
    seen: set[tuple[str, str, str]] = set()
    officer, read, current, unread = "", 0, 0, ""
    for _ in range(MAX_APPOINTMENT_PAGES):
        try:
            fetched = await session.get(url, params={"start_index": str(read)} if read else None)
        except (SourceError, SourceUnavailable):
            if not read:
                raise
            break  # a later page failed (5xx, 429, too slow): the session says it fell short
        listed = _object(fetched)
        unread = _not_asked_for(fetched, listed, read)
        if listed is None or unread:
            break
        body, page = listed
        items = _unseen(_items(body, page), seen)
        if read and body["items"] and not items:
            unread = f"{page.url} gave only appointments already read"
        officer = officer or str(body.get("name") or "")
        found.extend((item, page) for item in items)
        read += len(body["items"])
        current += sum(1 for item in items if not _ended(item))
        total = body.get("total_results")
        if not items or current >= MAX_APPOINTMENTS or not isinstance(total, int) or read >= total:
            break
    return officer, found, unread


def _not_asked_for(
    fetched: Fetched, listed: tuple[dict[str, Any], Fetched] | None, read: int
) -> str:
    """Why a later page (``read`` appointments on) is not the one asked for ("" if it is):
    not found, or not saying it starts at ``read`` (the parameter ignored, a server that
    says nothing of it or writes it as text)."""
    if not read:
        return ""
    if listed is None:
        return f"{fetched.url} answered HTTP {fetched.status}"
    start = listed[0].get("start_index")
    return "" if start == read else f"{fetched.url} did not start at {read} (start_index {start!r})"


def _unseen(
    items: list[Mapping[str, Any]], seen: set[tuple[str, str, str]]
) -> list[Mapping[str, Any]]:
    """The appointments of ``items`` not in ``seen`` (which they join): a page that repeats
    some of an earlier one (the list shifted between requests, or a register that answers
    the same page again) must not count one appointment twice, nor give two records of it."""
    unseen = []
    for item in items:
        key = _key(item)
        if key not in seen:
            seen.add(key)
            unseen.append(item)
    return unseen


def _key(appointment: Mapping[str, Any]) -> tuple[str, str, str]:
    """What tells one appointment from another, whatever page it is on: its company, its role
    and the day it began (``appointed_before`` for one older than the register's dates). The
    register's list gives an appointment no link of its own, only its company's."""
    company = _mapping(appointment.get("appointed_to")).get("company_number")
    began = appointment.get("appointed_on") or appointment.get("appointed_before")
    return str(company or ""), str(appointment.get("officer_role") or ""), str(began or "")


async def _get(
    session: Session, url: str, params: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], Fetched] | None:
    """The JSON object at ``url`` and its page, or None for 404 (the register has nothing)."""
    return _object(await session.get(url, params=params))


def _object(fetched: Fetched) -> tuple[dict[str, Any], Fetched] | None:
    """The JSON object a page holds, or None for 404; an answer that is neither is an error."""
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
    """A company's registered office; empty if its profile is not found, or if the register
    can no longer be asked in this run (rate-limited or blocked on a later page): the
    appointment found stands, and the session keeps that outage beside it."""
    try:
        found = await _get(session, f"{API}/company/{session.segment(number)}")
    except SourceUnavailable:
        return Address()
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
    objects = [i for i in items if isinstance(i, Mapping)]
    if items and not objects:  # ["Service unavailable"]: no empty list
        said = "1 item" if len(items) == 1 else f"{len(items)} items"
        raise SourceError(f"{fetched.url}: {said} in the answer, none of them an object")
    return objects


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
