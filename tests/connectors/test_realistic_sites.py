"""business_pages end to end on small-business sites marked up as their builders ship them
(WordPress block themes, Elementor, Divi, Squarespace, Wix, hand-written HTML; Yoast and
RankMath JSON-LD, h-cards, cookie banners, hidden mobile menus, map iframes, contact forms),
each served on loopback through the real guard to the sandboxed connector. Each row is a
debtor and what a careful reader of the site concludes: the business's mailing address and
phone, and whether the debtor works there (her name as written and her title) or is only
mentioned (a customer's quote, a relative, a former employee, a board member, a namesake).

Each row is searched by the connector in this process, through the run's session, guard and
servers as in a sandbox (``conftest.in_process``), and the first row of each site in a
sandbox's worker too, which must answer the same (``conftest.TwoWays``): every site, as its
builder shipped it, is still read end to end, and a worker's fork and confinement had been
most of the CPU of each of the other rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import load_policy
from skiptrace.records import Query, SourceRecord
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy
from skiptrace.testing.runs import OneRun

from .conftest import TwoWays, two_ways

SITES = Path(__file__).parent / "fixtures" / "realistic"
MENTION = "mentioned (news)"
"""The title a record of a bare mention carries (never employment)."""


@dataclass(frozen=True)
class Site:
    """One business's site and the employer as a debtor file writes it."""

    folder: str
    origin: str
    """The site's own origin as its pages link to it: served as the loopback server's."""
    employer: str
    city: str
    state: str
    name: str
    """The business's name as the site gives it (the records' employer)."""
    address: str
    """The mailing address a careful reader writes for the business."""
    phone: str


@dataclass(frozen=True)
class Row:
    """A debtor at one site, and the person records a careful reader expects: (name as
    written, title, employment?) for each page that names her."""

    site: Site
    debtor: str
    people: tuple[tuple[str, str, bool], ...]
    more: dict[str, str] = field(default_factory=dict)
    """Other debtor columns (middle_name, zip, city...)."""
    address: str = ""
    """The mailing address, when this debtor's is not the site's (a franchise's center)."""
    phone: str = ""


# fmt: off
PLUMBER = Site("plumber", "https://riverbendplumbing.example", "Riverbend Plumbing & Drain",
               "Dayton", "OH", "Riverbend Plumbing & Drain, Inc.",
               "PO Box 1187, Dayton, OH 45401", "(937) 555-0142")
DENTAL = Site("dental", "https://maplegrovesmiles.example", "Maple Grove Family Dentistry",
              "Maple Grove", "MN", "Maple Grove Family Dentistry",
              "7905 Main St N, Suite 200, Maple Grove, MN 55369", "763-555-0118")
LAW = Site("lawfirm", "https://hollispryce.example", "Hollis & Pryce LLP", "Columbus", "OH",
           "Hollis & Pryce LLP", "200 E. Broad Street, Suite 1400, Columbus, OH 43215",
           "(614) 555-0160")
RESTAURANT = Site("restaurant", "https://www.trattorialucca.example", "Trattoria Lucca",
                  "Asheville", "NC", "Trattoria Lucca", "418 Oak Street, Asheville, NC 28801",
                  "(828) 555-0133")
CPA = Site("cpa", "https://whitakerlowe.example", "Whitaker & Lowe CPAs", "Boise", "ID",
           "Whitaker & Lowe CPAs, PLLC", "PO Box 2760, Boise, ID 83701", "(208) 555-0171")
NONPROFIT = Site("nonprofit", "https://eastsideliteracy.example", "Eastside Literacy Project",
                 "Portland", "OR", "Eastside Literacy Project", "PO Box 4410, Portland, OR 97208",
                 "503-555-0124")
FRANCHISE = Site("franchise", "https://brightpathtutoring.example", "BrightPath Tutoring",
                 "Columbus", "OH", "BrightPath Tutoring",
                 "900 Commerce Dr, Suite 500, Columbus, OH 43215", "(614) 555-0190")
SALON = Site("salon", "https://www.studioninesalon.example", "Studio Nine Salon", "Austin", "TX",
             "Studio Nine Salon", "1508 S Lamar Blvd, Austin, TX 78704", "512-555-0137")
GARAGE = Site("autorepair", "https://gussautorepair.example", "Gus's Auto Repair", "Grove City",
              "OH", "Gus's Auto Repair", "3377 Broadway, Grove City, OH 43123", "(614) 555-0183")
CHURCH = Site("church", "https://gracelancaster.example", "Grace Community Church", "Lancaster",
              "PA", "Grace Community Church", "PO Box 88, Lancaster, PA 17608", "(717) 555-0126")
# fmt: on
NAPERVILLE = {"city": "Naperville", "state": "IL", "zip": "60540"}

ROWS = [
    Row(PLUMBER, "Teresa Alvarado", (("Teresa M. Alvarado", "Office Manager", True),)),
    Row(PLUMBER, "Teresa Alvarado", (("Teresa M. Alvarado", "Office Manager", True),),
        {"middle_name": "Marie"}),
    Row(PLUMBER, "Teresa Alvarado", (), {"middle_name": "June"}),  # another initial: not her
    Row(PLUMBER, "Kevin Brandt", (("Kevin Brandt", "Owner & Master Plumber", True),)),
    Row(PLUMBER, "Gloria Haines", (("Gloria Haines", MENTION, False),)),  # a customer's quote
    Row(PLUMBER, "Walt Brandt", (("Walt Brandt", MENTION, False),)),  # the founder, retired
    Row(DENTAL, "Priya Raman", (("Priya N. Raman", "Dentist & Owner", True),
                                ("Priya Raman", MENTION, False))),  # the about page's story
    Row(DENTAL, "Jen Ostrowski", (("Jennifer Ostrowski", "Dental Hygienist", True),)),
    Row(DENTAL, "Sarah Kim", (("Sarah Kim", "Associate Dentist", True),)),
    Row(DENTAL, "Lakshmi Raman", (("Lakshmi Raman", MENTION, False),)),  # mother, retired
    Row(DENTAL, "Amanda Kowalski", (("Amanda Kowalski", MENTION, False),)),  # a patient's quote
    Row(LAW, "Eleanor Hollis", (("Eleanor G. Hollis", "Managing Partner", True),
                                ("Eleanor Hollis", MENTION, False)),  # prose: a mention
        {"middle_name": "Grace"}),
    Row(LAW, "Daniel Okafor", (("Daniel J. Okafor", "Of Counsel", True),)),
    Row(LAW, "Rosa Delgado", (("Rosa Delgado", "Senior Paralegal", True),)),
    Row(LAW, "Miriam Castellanos", (("Miriam Castellanos", MENTION, False),)),  # a judge
    Row(LAW, "Charles Pryce", (("Charles Pryce", "obituary", False),)),  # in memoriam
    Row(RESTAURANT, "Angela Ruiz", (("Angela Ruiz", "General Manager", True),)),
    Row(RESTAURANT, "Marco Bellini", (("Marco Bellini", "Chef & Owner", True),)),
    # "Nonna Sofia Bellini (1931-2019)": "Nonna" is read as a part of a longer name, so no
    # record at all, which is no employment either
    Row(RESTAURANT, "Sofia Bellini", ()),
    Row(RESTAURANT, "Hannah Weiss", (("Hannah Weiss", MENTION, False),)),  # a critic's quote
    Row(CPA, "Kimberly Nash", (("Kimberly A. Nash", "Senior Tax Manager", True),),
        {"middle_name": "Ann"}),
    Row(CPA, "Doug Whitaker", (("Douglas Whitaker", "Founding Partner", True),
                               ("Doug Whitaker", MENTION, False))),
    Row(CPA, "Jasmine Lowe", (("Jasmine Lowe", "Client Services Coordinator", True),)),
    Row(CPA, "Sandra Lowe", (("Sandra Lowe", MENTION, False),)),  # co-founder, retired
    Row(CPA, "Gregory Pham", (("Gregory Pham", MENTION, False),)),  # former employee
    Row(CPA, "Michael Trent", (("Michael Trent", MENTION, False),)),  # a client, owner elsewhere
    Row(NONPROFIT, "Carmen Reyes", (("Carmen Reyes", "Executive Director", True),)),
    Row(NONPROFIT, "Jordan Ames", (("Jordan Ames", "Volunteer Coordinator", True),)),
    Row(NONPROFIT, "Howard Lindqvist", (("Howard Lindqvist", MENTION, False),)),  # board chair
    Row(NONPROFIT, "Samuel Reyes", (("Samuel Reyes", MENTION, False),)),  # board secretary
    Row(NONPROFIT, "Emily Chao", (("Emily Chao", MENTION, False),  # volunteer, twice
                                  ("Emily Chao", MENTION, False))),
    Row(FRANCHISE, "Lauren Fischer", (("Lauren Fischer", "Center Director", True),), NAPERVILLE,
        "1250 E Ogden Ave, Suite 110, Naperville, IL 60563", "(630) 555-0155"),
    Row(FRANCHISE, "Aaron Whitley", (("Aaron Whitley", "Founder & Chief Executive Officer",
                                      True),)),
    Row(SALON, "Liz Moreno", (("Elizabeth Moreno", "Master Colorist", True),)),
    Row(SALON, "Renee Castillo", (("Renee Castillo", "Owner / Stylist", True),
                                  ("Renee Castillo", MENTION, False))),
    Row(SALON, "Dolores Castillo", (("Dolores Castillo", MENTION, False),)),  # mother
    Row(SALON, "Maria Santos", (("Maria Santos", MENTION, False),)),  # a five-star review
    Row(GARAGE, "Ray Dunn", (("Ray Dunn", "ASE Master Technician", True),)),
    Row(GARAGE, "Mike Petrakis", (("Mike Petrakis", "Service Manager", True),)),  # owner's son
    Row(GARAGE, "Gus Petrakis", (("Gus Petrakis", "Owner", True),)),
    Row(GARAGE, "Pete Miller", (("Pete Miller", MENTION, False),)),  # owner of the tow company
    Row(GARAGE, "Dorothy Keller", (("Dorothy Keller", MENTION, False),)),  # a customer's quote
    Row(CHURCH, "Debbie Sykes", (("Deborah L. Sykes", "Church Administrator", True),)),
    Row(CHURCH, "Alan Whitcomb", (("Alan Whitcomb", "Senior Pastor", True),)),
    Row(CHURCH, "Harold Beaumont", (("Harold Beaumont", MENTION, False),)),  # retired
    Row(CHURCH, "Frank Obuya", (("Frank Obuya", MENTION, False),  # the lay council's
                                ("Frank Obuya", MENTION, False))),  # president
]  # fmt: skip


def _serve(site: Site) -> ReplayServer:
    """The site's pages (``/`` is index.html, ``/our-team/`` our-team.html), its links to its
    own origin leading to the loopback server as they lead to the site on its own host."""
    served: list[ReplayServer] = []

    def route(method: str, target: str) -> Reply | None:
        path = target.partition("?")[0].strip("/")
        name = path if "." in path else f"{path or 'index'}.html"
        page = SITES / site.folder / name
        if not page.is_file():
            return None
        body = page.read_bytes().replace(site.origin.encode(), served[0].base_url.encode())
        kind = "text/plain" if name.endswith(".txt") else "text/html; charset=utf-8"
        return Reply(200, body, {"Content-Type": kind})

    served.append(ReplayServer(route))
    return served[0]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, ReplayServer]]:
    sites = {row.site.folder: row.site for row in ROWS}
    running = {name: _serve(site).__enter__() for name, site in sites.items()}
    try:
        yield running
    finally:
        for server in running.values():
            server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def search(servers: dict[str, ReplayServer], one_run: OneRun) -> Iterator[TwoWays]:
    """One run each way reads every row, as ``enrich`` reads a file of debtors: one session
    stack and audit log, each site's robots.txt read once. Each search fetches the site's
    pages afresh (a business's pages are never kept in the cache)."""
    policy = loopback_policy(load_policy(), "tests on loopback", *servers.values())
    manifest = builtin_dir("connectors") / "business_pages.toml"
    with two_ways(one_run, policy, load_manifest(manifest), manifest) as runs:
        yield runs


FIRST_OF_ITS_SITE = {id(next(r for r in ROWS if r.site == site)) for site in {r.site for r in ROWS}}
"""The rows searched in a sandbox's worker too: the first of each site."""


def _id(row: Row) -> str:
    more = ",".join(f"{k}={v}" for k, v in row.more.items())
    return f"{row.site.folder}:{row.debtor}{f'[{more}]' if more else ''}"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_site_read_as_a_careful_reader_would(
    row: Row, servers: dict[str, ReplayServer], search: TwoWays
) -> None:
    server = servers[row.site.folder]
    values = {
        "full_name": row.debtor,
        "employer": row.site.employer,
        "city": row.site.city,
        "state": row.site.state,
        "employer_website": server.url("/"),
        **row.more,
    }
    result = search.search(Query.of("D-1", **values), server, ["/"],
                           also_sandboxed=id(row) in FIRST_OF_ITS_SITE)  # fmt: skip
    assert result.status == "hit", result.detail
    business, *people = result.records
    address = row.address or row.site.address
    found = (business.employer, _address(business), _digits(business.phone))
    assert found == (row.site.name, address, _digits(row.phone or row.site.phone))
    assert [(p.person_name, p.title, bool(p.employer)) for p in people] == list(row.people)
    for person in people:  # employment carries the business and its address; a mention nothing
        employed = bool(person.employer)
        assert person.employer == (row.site.name if employed else "")
        assert _address(person) == (address if employed else "")


def _address(record: SourceRecord) -> str:
    """The employer's address on one line, without the country a page's schema.org adds
    (a reader writing the address down drops it too)."""
    return record.employer_address.one_line().removesuffix(", US")


def _digits(phone: str) -> str:
    """A phone as dialled: "+1-763-555-0118" is 763-555-0118."""
    digits = "".join(c for c in phone if c.isdigit())
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def test_a_relative_s_life_span_in_his_story_is_hers_not_his(
    servers: dict[str, ReplayServer], search: TwoWays
) -> None:
    """His story's "Marco Bellini grew up ... beside his grandmother, Nonna Sofia Bellini
    (1931-2019)": her life span in his sentence made his story an obituary, which outweighed
    his own card below it (his employment lost). A life span is the death of the name it
    follows only."""
    server = servers[RESTAURANT.folder]
    values = {"full_name": "Marco Bellini", "employer": RESTAURANT.employer,
              "city": RESTAURANT.city, "state": RESTAURANT.state,
              "employer_website": server.url("/")}  # fmt: skip
    result = search.search(Query.of("D-1", **values), server, ["/"], also_sandboxed=True)
    people = [(p.person_name, p.title != "obituary", p.employer) for p in result.records[1:]]
    assert people == [("Marco Bellini", True, RESTAURANT.name)], people
