"""From what the sources returned to the output columns: each candidate record is scored
against the debtor, and the best mailing address and the best employer are kept with their
score and source. A record that agrees on the name alone can be ``possible``, never a ``hit``:
only when the full name is rare (``status_detail`` says "name only, rare name"); a common name
alone stays ``no_hit`` and the detail says how many people share it. A relative at the debtor's
address (a differing first name or generational suffix) scores low, so its address never fills
``found_*``; the detail says a relative was seen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.matching import Link, score_pair
from skiptrace.matching.link import people_tied, untied
from skiptrace.matching.model import score_text
from skiptrace.matching.words import at_firm, at_home, name_only, no_town, zip_area
from skiptrace.normalize import normalize_company
from skiptrace.records import Address, SourceRecord, Status
from skiptrace.safe_text import spreadsheet_cell, terminal_text

OUTPUT_COLUMNS = (
    "status", "status_detail", "match_score", "match_band", "matched_on",
    "found_mailing_address", "found_mailing_address_source", "found_mailing_address_score",
    "found_employer", "found_employer_address", "found_employer_source", "found_employer_score",
    "sources_checked", "evidence_source", "evidence_name", "evidence_id", "evidence_url",
    "evidence_fetched_at", "evidence_record_date",
)  # fmt: skip
"""Appended after the input's own columns, in this order (the CLI contract: it only grows).
The ``evidence_*`` columns describe the best candidate, the one ``match_score``,
``match_band`` and ``matched_on`` are about: its connector, its name as the source wrote it,
its identifier there (NPI, LEI, CIK, company number), its own page, when it was fetched (for
the offline index: the date of the bulk file it came from) and the record's own last-update
date where the source states one."""

FROM_SOURCES = (
    "status_detail", "matched_on", "found_mailing_address", "found_mailing_address_source",
    "found_employer", "found_employer_address", "found_employer_source", "evidence_name",
    "evidence_id", "evidence_url", "evidence_record_date",
)  # fmt: skip
"""The output columns that can carry what a source said (a value, a URL, an error message):
written neutralised against spreadsheet formulas, with control characters and bidi overrides
replaced by U+FFFD (a file read with ``cat`` is a terminal too). Scores, bands and statuses are
our own."""


class RowStatus(StrEnum):
    """A researched row's ``status`` column (the CLI contract's words)."""

    HIT = "hit"
    """A ``high`` candidate."""
    POSSIBLE = "possible"
    """A ``medium`` candidate."""
    NO_HIT = "no_hit"
    SKIPPED_FLAG = "skipped_flag"
    """A do-not-research flag: no request was made."""
    ERROR = "error"
    """The row could not be researched (unreadable, no name)."""
    INCOMPLETE = "incomplete"
    """A source could not be asked (unreachable, timed out, rate-limited, blocked, robots.txt
    unavailable, source error): not final. What the other sources found is in the found_*
    columns, and ``status_detail`` starts ``partial hit:`` or ``partial possible:`` then."""


@dataclass(frozen=True)
class Candidate:
    """A source record with its score against the debtor."""

    record: SourceRecord
    link: Link

    @property
    def source(self) -> str:
        provenance = self.record.provenance
        return f"{provenance.connector} {provenance.source_url}"


def _as_fields(record: SourceRecord) -> dict[str, str]:
    """A source record in the matcher's field names: the person and where they get mail."""
    address: Address = record.mailing_address
    return {
        "full_name": record.person_name,
        "address": ", ".join(address.lines),
        "city": address.city,
        "state": address.region,
        "zip": address.postal_code,
        "phone": record.phone,
        "employer": record.employer,
    }


def candidates(debtor: Mapping[str, str], results: Sequence[ConnectorResult]) -> list[Candidate]:
    """Every person record the sources returned, scored against the debtor, best first; one
    that another person's record ties with (``link.tied``) is a reviewer's question, never a
    hit to take fields from."""
    records = [record for result in results for record in result.records if record.person_name]
    if not records:  # most rows of a file: preparing the debtor for nothing cost 1.3 ms
        return []
    fields = [_as_fields(record) for record in records]
    links = untied(debtor, fields, [score_pair(debtor, each) for each in fields])
    people = [Candidate(record, found) for record, found in zip(records, links, strict=True)]
    return sorted(people, key=_rank, reverse=True)


def _rank(candidate: Candidate) -> tuple[float, str]:
    """Score first; between equal scores, the fresher record (its own date, else the date it
    was fetched or its file published): a newer record outranks an older one."""
    record = candidate.record
    return candidate.link.score, record.record_date or record.provenance.fetched_at[:10]


def output_row(
    debtor: Mapping[str, str],
    results: Sequence[ConnectorResult],
    people: Sequence[Candidate] | None = None,
) -> dict[str, str]:
    """The output columns for one researched debtor (``people``: its ``candidates``, when
    the caller has them already)."""
    people = candidates(debtor, results) if people is None else people
    best = people[0] if people else None
    mail = _best(people, lambda r: bool(r.mailing_address))
    work = _best(people, lambda r: bool(r.employer))
    row = dict.fromkeys(OUTPUT_COLUMNS, "")
    row["sources_checked"] = ";".join(f"{r.connector}:{r.reason or r.status}" for r in results)
    problems = [r.explained if r.status.unavailable else r.partly
                for r in results if r.status.unavailable or r.partly]  # fmt: skip
    unasked = [r for r in results if not r.asked]
    if best is not None:
        provenance = best.record.provenance
        row.update(match_score=score_text(best.link.score), match_band=best.link.band,
                   matched_on=best.link.words, evidence_source=provenance.connector,
                   evidence_name=best.record.person_name, evidence_id=best.record.source_id,
                   evidence_url=best.record.record_url,
                   evidence_fetched_at=provenance.fetched_at,
                   evidence_record_date=best.record.record_date)  # fmt: skip
    if mail is not None:
        row.update(found_mailing_address=mail.record.mailing_address.one_line(),
                   found_mailing_address_source=mail.source,
                   found_mailing_address_score=score_text(mail.link.score))  # fmt: skip
    if work is not None:
        row.update(found_employer=work.record.employer,
                   found_employer_address=work.record.employer_address.one_line(),
                   found_employer_source=work.source,
                   found_employer_score=score_text(work.link.score))  # fmt: skip
    elif debtor.get("employer"):
        _employer_address(row, debtor["employer"], results)
    band = best.link.band if best is not None else ""
    row["status"] = _ROW_STATUS.get(band, RowStatus.NO_HIT)
    row["status_detail"] = "; ".join(problems) or _quiet_detail(results, band, people)
    unread = [f"{r.connector} left unread: {r.unread}" for r in results if r.unread]
    row["status_detail"] = "; ".join(filter(None, (row["status_detail"], *unread)))
    if unasked:
        partial = f"partial {row['status']}: " if band in _ROW_STATUS else ""
        row["status"] = RowStatus.INCOMPLETE
        row["status_detail"] = partial + row["status_detail"]
    elif not any(r.status in (Status.HIT, Status.NO_RESULT) for r in results):
        _not_researched(row, results)
    for column in FROM_SOURCES:  # no formula, and no control or bidi override, from a source
        row[column] = terminal_text(spreadsheet_cell(row[column]))
    return row


_ROW_STATUS = {"high": RowStatus.HIT, "medium": RowStatus.POSSIBLE}


def _not_researched(row: dict[str, str], results: Sequence[ConnectorResult]) -> None:
    """No source searched for the debtor (none could with the row's fields, none had its key
    or its search API, or every one was refused): never ``no_hit``. ``incomplete`` where a
    source waits on a key or on configuration (the same command researches the row once it
    is set), else ``error``: the row lacks what any source needs."""
    why = "; ".join(r.explained for r in results) or _quiet_detail(results, "", [])
    row["status"] = RowStatus.INCOMPLETE if awaits_setup(results) else RowStatus.ERROR
    row["status_detail"] = f"not researched: {why}"


def awaits_setup(results: Sequence[ConnectorResult]) -> bool:
    """No source searched, and one waits on its key or its search API: not final (a row
    ``incomplete``, ``lookup`` exit 3), researched again once that is set."""
    searched = any(r.status in (Status.HIT, Status.NO_RESULT) for r in results)
    return not searched and any(r.status in (Status.NEEDS_KEY, Status.NEEDS_CONFIG)
                                for r in results)  # fmt: skip


def _best(people: Sequence[Candidate], wanted: Callable[[SourceRecord], bool]) -> Candidate | None:
    """The highest-scoring candidate (high or medium band only) that has the wanted field; one
    held for the debtor's household (``Link.household``: perhaps a relative's) only as the
    best of all, its row ``possible``: beside her own record it had filled a ``hit`` row's
    employer with perhaps her husband's."""
    usable = [c for c in people if c.link.band in ("high", "medium") and wanted(c.record)
              and (c is people[0] or not c.link.household)]  # fmt: skip
    return max(usable, key=_rank, default=None)


def _employer_address(
    row: dict[str, str], employer: str, results: Sequence[ConnectorResult]
) -> None:
    """The debtor's known employer's address, from sources that describe companies."""
    wanted = normalize_company(employer)
    for result in results:
        for record in result.records:
            if not record.person_name and normalize_company(record.employer) == wanted:
                row.update(found_employer=record.employer,
                           found_employer_address=record.employer_address.one_line(),
                           found_employer_source=f"{result.connector} "
                                                 f"{record.provenance.source_url}",
                           found_employer_score="1.0000")  # fmt: skip
                return


def _quiet_detail(
    results: Sequence[ConnectorResult], band: str, people: Sequence[Candidate]
) -> str:
    if not results:
        return "no connector can search with the fields this row has"
    best = people[0].link if people else None
    named = best is not None and best.namesakes is not None and not best.relation
    if named and band in ("medium", "low"):
        assert best is not None and best.namesakes is not None
        levels = {field: level for field, level, _ in best.fields}
        return name_only(
            best.namesakes, best.rare_name, zip_area(levels), no_town(levels), firm=at_firm(levels)
        )
    if band == "low":
        if best is not None and (tie := people_tied(best)):
            home = " at the debtor's address" if _at_home(best) else ""
            return f"only candidates that tie: {tie} people's records{home}"
        if any(c.link.relation and _at_home(c.link) for c in people):
            return "only weak candidates: a relative at the debtor's address?"
        return "only weak candidates (namesakes?)"
    return "" if band else "no candidate found"


def _at_home(link: Link) -> bool:
    """The pair is at one address, as the model decides it (``words.at_home``)."""
    return at_home({field: level for field, level, _ in link.fields})
