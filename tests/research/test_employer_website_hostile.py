"""Hostile and odd ``employer_website`` values, end to end through the command line: ``enrich``
on a debtor file and ``lookup --employer-website``, business_pages sandboxed, the real guard,
its sites served on loopback. What the connector's own tests cover (a page that fails, a link
that names someone, a site that moved) is not repeated here: these are the rows' columns, the
run's other rows, the resumed run and the audit log."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.net import stack
from skiptrace.state import builtin_dir
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.outputs import rows as output_rows
from skiptrace.testing.replay import ReplayServer, Reply, Router, loopback_policy_file

FIXTURES = builtin_dir("connectors") / "fixtures" / "business_pages"
PAGES = {"/": "index.html", "/contact": "contact.html", "/our-team": "our-team.html",
         "/about": "about.html", "/robots.txt": "robots.txt"}  # fmt: skip
DECLINED = {"social", "form", "login", "off-site", "robots"}
"""The rules of the links a site's pages hold that are declined on the record."""
COLUMNS = ["account", "full_name", "employer", "employer_website", "city", "state"]


def harbor_lane(method: str, target: str) -> Reply | None:
    """The employer's own site: its PO box, and the debtor on its team page."""
    name = PAGES.get(target.partition("?")[0])
    return None if name is None else Reply(200, (FIXTURES / name).read_bytes())


def answering(status: int) -> Router:
    """A site with no robots.txt whose every page answers ``status``."""

    def route(method: str, target: str) -> Reply | None:
        if target == "/robots.txt":
            return None
        return Reply(status, b"<html><body>try later</body></html>", {"Retry-After": "0"})

    return route


@pytest.fixture
def servers() -> Iterator[ExitStack]:
    with ExitStack() as held:
        yield held


def serve(servers: ExitStack, route: Router, host: str = "127.0.0.1") -> ReplayServer:
    return servers.enter_context(ReplayServer(route, host))


def enrich(tmp_path: Path, policy: Path, websites: list[str], *more: str) -> Result:
    """``skiptrace enrich`` of one debtor per website, Dana Whitfield at Harbor Lane each; the
    same file again once written (a resumed run)."""
    source = tmp_path / "debtors.csv"
    if not source.exists():
        with source.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for n, website in enumerate(websites, 1):
                writer.writerow([f"A{n}", "Dana Whitfield", "Harbor Lane Plumbing", website,
                                 "Springfield", "IL"])  # fmt: skip
    return CliRunner().invoke(app, [
        "--policy", str(policy), "enrich", str(source), "-o", str(tmp_path / "out.csv"),
        "--source", "business_pages", "--jobs", "1", "--purpose", "a test", "--no-progress",
        *more,
    ])  # fmt: skip


def rows(tmp_path: Path) -> list[dict[str, str]]:
    return output_rows(tmp_path / "out.csv")


@pytest.mark.parametrize("statuses", [[429], [403, 403]], ids=["429", "403 twice"])
def test_one_employers_site_that_limits_or_blocks_stops_no_other_employers_site(
    tmp_path: Path, servers: ExitStack, statuses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: business_pages reads a different business's site for each debtor, but one
    site answering 429 (or two answering 403) marked the whole connector rate-limited (or
    blocked) for the rest of the run, so every later debtor's employer's site, another host,
    went unread, its row incomplete; and a resumed run stalled again at the same row. Only
    that site is limited; the others are read, and the resumed run researches the row left
    owed."""
    monkeypatch.setattr(stack, "Pace", VirtualTime().pace)  # the retries' backoffs, unwaited
    limiting = [serve(servers, answering(status)) for status in statuses]
    # another host, as another employer's site is: on the limiting sites' host, its turn comes
    # after their 429s' slow-down, later than a request may wait (rate-limited, not sent)
    good = serve(servers, harbor_lane, host="127.0.0.2")
    policy = loopback_policy_file(tmp_path / "policy.toml", *limiting, good)
    said = enrich(tmp_path, policy, [*(s.url("/") for s in limiting), good.url("/")])
    assert said.exit_code == 3, said.output
    *owed, read = rows(tmp_path)
    assert (read["status"], read["found_employer_address"]) == (
        "hit", "PO Box 2291, Springfield, IL 62705"
    ), read  # fmt: skip
    assert all(row["status"] == "incomplete" for row in owed), owed
    asked, owed_asked = len(good.received), [len(s.received) for s in limiting]
    again = enrich(tmp_path, policy, [])
    assert again.exit_code == 3, again.output
    assert [row["status"] for row in rows(tmp_path)] == [*("incomplete" for _ in owed), "hit"]
    assert len(good.received) == asked  # the row done is kept, not researched again
    assert all(len(s.received) > n for s, n in zip(limiting, owed_asked, strict=True))


def moving_to(location: str) -> Router:
    """A site with no robots.txt whose home page redirects to ``location``."""

    def route(method: str, target: str) -> Reply | None:
        return Reply(302, b"", {"Location": location}) if target == "/" else None

    return route


def lookup(policy: Path, website: str, *more: str) -> Result:
    return CliRunner().invoke(app, [
        "--policy", str(policy), "lookup", "--name", "Dana Whitfield",
        "--employer", "Harbor Lane Plumbing", "--employer-website", website,
        "--city", "Springfield", "--state", "IL", "--source", "business_pages",
        "--purpose", "a test", *more,
    ])  # fmt: skip


REDIRECTS = ["https://www.linkedin.com/in/marcus-oyelaran", "http://10.0.0.1/team/marcus-oyelaran",
             "file:///home/marcus-oyelaran/"]  # fmt: skip


@pytest.mark.parametrize("location", REDIRECTS, ids=["profile", "private", "file"])
def test_a_home_page_redirect_refused_names_no_one_in_the_rows_or_the_lookup(
    tmp_path: Path, servers: ExitStack, location: str
) -> None:
    """A review: the employer's home page redirecting to a colleague's profile (or a private
    address, a file) was refused and audited with its scheme and host only, but the row's
    status_detail, the evidence file and lookup's line held the whole URL, his name in it.
    The refusal is written there as its audit row is; the row is final (refused), one line."""
    site = serve(servers, moving_to(location))
    policy = loopback_policy_file(tmp_path / "policy.toml", site)
    evidence = tmp_path / "evidence.jsonl"
    said = enrich(tmp_path, policy, [site.url("/")], "--evidence", str(evidence))
    assert said.exit_code == 0, said.output
    (row,) = rows(tmp_path)
    assert row["status"] == "error", row
    assert row["status_detail"].startswith("not researched: business_pages refused: "), row
    shown = lookup(policy, site.url("/"), "--json")
    assert shown.exit_code == 1, shown.output
    (answer,) = json.loads(shown.stdout)["sources"]
    assert answer["reason"] == "refused", answer
    told = (tmp_path / "out.csv").read_text() + evidence.read_text() + said.stderr
    told += shown.stdout + shown.stderr + lookup(policy, site.url("/")).stderr
    assert "oyelaran" not in told.lower(), told
    assert [r.path for r in site.received] == ["/robots.txt", "/"] * 3  # nothing else asked
    audit = CliRunner().invoke(app, ["audit", "export"])
    refusals = [r for r in csv.DictReader(audit.stdout.splitlines()) if r["event"] == "refused"]
    assert len(refusals) == 3 and "oyelaran" not in audit.stdout.lower(), refusals
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0


def test_a_website_with_a_long_query_is_read_from_its_home_page(
    tmp_path: Path, servers: ExitStack
) -> None:
    """A review: an employer_website of more than 2,048 characters (a tracking query pasted
    with it) was taken for no website at all: the row waited on a search API ("or give
    employer_website"), and with one configured the site given was refused as not offered.
    Only the site's home page is ever adopted, and it is the site's name and scheme that say
    whether it is one."""
    site = serve(servers, harbor_lane)
    policy = loopback_policy_file(tmp_path / "policy.toml", site)
    website = site.url("/?utm_source=") + "x" * 3000
    said = lookup(policy, website)
    assert said.exit_code == 0, said.output
    assert "business_pages: hit" in said.stderr
    assert not any(len(r.path) > 100 for r in site.received)  # the home page, not the query
    searching = loopback_policy_file(tmp_path / "searching.toml", site, "http://127.0.0.1:9")
    searching.write_text(searching.read_text() + '[search]\nsearxng_url = "http://127.0.0.1:9/"\n')
    again = lookup(searching, website)
    assert again.exit_code == 0, again.output


NO_WEBSITES = ["javascript:alert(1)", "file:///etc/passwd", "ftp://x", "http://", "//host/path",
               "<https://acme.example/> <x>"]  # fmt: skip


@pytest.mark.parametrize("website", NO_WEBSITES)
def test_a_website_that_is_no_website_is_said_to_be_none(tmp_path: Path, website: str) -> None:
    """A review: a debtor file's employer_website that is no http(s) website was left out
    without a word, the row waiting on a search API with "or give employer_website", which
    the file had done. Its row now says the website given is none, and still waits."""
    said = enrich(tmp_path, loopback_policy_file(tmp_path / "policy.toml"), [website])
    assert said.exit_code == 3, said.output
    (row,) = rows(tmp_path)
    assert row["status"] == "incomplete", row
    assert "employer_website given is no http(s) website" in row["status_detail"], row
    assert "or give employer_website" not in row["status_detail"], row


def searching_for(
    servers: ExitStack, tmp_path: Path, site: ReplayServer, *, found: bool = True
) -> Path:
    """A policy whose SearxNG instance (on loopback) answers every search with ``site``
    (``found``), or with no result."""
    results = [{"url": site.url("/"), "title": "Harbor Lane Plumbing"}] if found else []
    answer = json.dumps(
        {"query": "Harbor Lane Plumbing", "unresponsive_engines": [], "results": results}
    )
    searx = serve(
        servers,
        lambda method, target: (
            Reply(200, answer.encode(), {"Content-Type": "application/json"})
            if target.startswith("/search?")
            else None
        ),
    )
    policy = loopback_policy_file(tmp_path / "searching.toml", site, searx)
    policy.write_text(policy.read_text() + f'[search]\nsearxng_url = "{searx.url("/")}"\n')
    return policy  # fmt: skip


LONG_HOST = "https://" + ".".join(["a" * 60] * 50) + ".example/"


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://x", LONG_HOST])  # each is none
def test_a_website_that_is_no_website_is_searched_for_when_a_search_api_is_set(
    tmp_path: Path, servers: ExitStack, website: str
) -> None:
    """A review: with a search API set, an employer_website that is no website was still
    handed to the connector as one. A host of 3,000 characters ended the search with "a site
    is a URL of at most 2048 characters", the row incomplete and researched again forever
    (the error's type named twice); ``javascript:`` was refused as a URL, final. The run
    judges once whether the value is a website: one that is not is left out, and the
    employer's site is searched for as if none were given."""
    site = serve(servers, harbor_lane)
    said = lookup(searching_for(servers, tmp_path, site), website)
    assert said.exit_code == 0, said.output
    assert "business_pages: hit" in said.stderr, said.stderr
    audit = CliRunner().invoke(app, ["audit", "export"]).stdout
    assert [r["detail"] for r in csv.DictReader(audit.splitlines()) if r["event"] == "site"] == [
        "how=search"
    ]
    refused = [r["rule"] for r in csv.DictReader(audit.splitlines()) if r["event"] == "refused"]
    assert refused and set(refused) <= DECLINED, refused  # the site's links, not the value


def test_a_website_that_is_no_website_and_a_search_that_finds_nothing_say_both(
    tmp_path: Path, servers: ExitStack
) -> None:
    site = serve(servers, harbor_lane)
    policy = searching_for(servers, tmp_path, site, found=False)
    said = lookup(policy, "ftp://harbor-lane.example/")
    assert said.exit_code == 1, said.output
    assert ("business_pages: no_result (the employer_website given is no http(s) website, so "
        "its site was searched for: the search found no result that looks like the employer's "
        "site)") in said.stderr, said.stderr  # fmt: skip


def test_a_file_of_odd_websites_loses_no_row_and_calls_none_done_unread(
    tmp_path: Path, servers: ExitStack
) -> None:
    """Every odd employer_website in one file: each row comes out in its place with one
    line of status, none ``no_hit`` (nothing was read), each refused site refused once on
    the record and never asked, and the chain intact. The site spelt with a newline, a tab
    or a second URL after it is the employer's, read from its home page."""
    site = serve(servers, harbor_lane)
    home = site.url("/")
    odd = {
        "": "incomplete", "   ": "incomplete", "javascript:alert(1)": "incomplete",
        "mailto:": "error", "http://user:pass@acme.example/": "incomplete",
        "http://[::1]/": "error", "http://0x7f.1/": "error", "http://localhost./": "error",
        "https://www.linkedin.com/in/someone": "error", f"{home}\r\nX-Dana: Whitfield": "hit",
        f"{home}\tx": "hit", f"{home} http://other.example/": "hit",
        f"{home},http://other.example/": "hit",
    }  # fmt: skip
    said = enrich(tmp_path, loopback_policy_file(tmp_path / "policy.toml", site), [*odd])
    assert said.exit_code == 3, said.output
    out = rows(tmp_path)
    assert [row["employer_website"] for row in out] == [*odd]
    assert [row["status"] for row in out] == [*odd.values()], out
    assert all(row["status_detail"] and "\n" not in row["status_detail"]
               for row in out if row["status"] != "hit")  # fmt: skip
    audit = CliRunner().invoke(app, ["audit", "export"]).stdout
    refused = [r for r in csv.DictReader(audit.splitlines()) if r["rule"] != "site"
               and r["event"] == "refused" and r["connector"] == "business_pages"
               and r["rule"] not in DECLINED]  # fmt: skip
    assert len(refused) == list(odd.values()).count("error"), refused
    assert "someone" not in audit and "pass" not in audit
    assert all(r.path in PAGES for r in site.received), site.received
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize("wrapping", ["<{}>", '"{}"', "\u201c{}\u201d", "'{}'"])
def test_a_website_pasted_in_brackets_or_quotes_is_read(
    tmp_path: Path, servers: ExitStack, wrapping: str
) -> None:
    """A review: a website as pasted from an e-mail (``<https://acme.example/>``) or a quoted
    spreadsheet cell was said to be no website, the row waiting on a search API. One pair of
    brackets or quotes around the whole value is taken off."""
    site = serve(servers, harbor_lane)
    policy = loopback_policy_file(tmp_path / "policy.toml", site)
    said = enrich(tmp_path, policy, [wrapping.format(site.url("/"))])
    assert said.exit_code == 0, said.output
    (row,) = rows(tmp_path)
    assert (row["status"], row["found_employer_address"]) == (
        "hit", "PO Box 2291, Springfield, IL 62705"
    ), row  # fmt: skip
