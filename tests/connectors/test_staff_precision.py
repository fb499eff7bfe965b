"""A namesake, a relative or a mere mention on a business's own team page is never the debtor's
employment: pages built to pass one for her, served on loopback through the real guard.

Each case's page is searched by the connector in this process, through the run's session,
guard and server as in a sandbox (``conftest.in_process``): what these cases vary is the page,
read by the same code either way. The first variant of each test is searched in a sandbox's
worker too, and must be answered the same there (``conftest.TwoWays``): a worker's fork and
confinement had been some 30 ms of the 45 ms of CPU a case cost, 222 times."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import load_policy
from skiptrace.records import Query
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy
from skiptrace.testing.runs import OneRun

from .conftest import TwoWays, end_to_end, two_ways

HOME = (
    "<html><head><title>Harbor Lane Plumbing</title></head><body>"
    '<a href="/our-team">Our team</a><p>PO Box 2291, Springfield, IL 62705</p></body></html>'
)

ReadStaff = Callable[[str], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class Site:
    """The module's runs (``TwoWays``), its server, and the routes the server answers."""

    runs: TwoWays
    server: ReplayServer
    routes: dict[str, Reply]


@pytest.fixture(scope="module")
def site(one_run: OneRun) -> Iterator[Site]:
    """One server and its runs for the module: a run's start and end had been most of what a
    case cost beside its search. Each case puts its own team page in, and each search reads it
    afresh (a business's pages are never kept in the page cache: ``TwoWays.search`` checks
    that the server was asked for it)."""
    routes = {"/": _html(HOME)}
    with ReplayServer(lambda _method, path: routes.get(path.partition("?")[0])) as server:
        policy = loopback_policy(load_policy(), "tests on loopback", server)
        manifest = builtin_dir("connectors") / "business_pages.toml"
        with two_ways(one_run, policy, load_manifest(manifest), manifest) as runs:
            yield Site(runs, server, routes)


@pytest.fixture
def read_staff(site: Site, request: pytest.FixtureRequest) -> ReadStaff:
    """``_staff`` on the module's runs and server, end to end for a test's first variant."""
    return lambda team: _staff(site, team, end_to_end(request))


def _html(text: str) -> Reply:
    return Reply(200, text.encode(), {"Content-Type": "text/html"})


def _staff(site: Site, team: str, also_sandboxed: bool) -> list[tuple[str, str, str]]:
    """(name, title, employer) of each person record the team page gave for Dana Q. Whitfield."""
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    site.routes["/our-team"] = _html(page)
    query = Query.of("D-1", full_name="Dana Q. Whitfield", employer="Harbor Lane Plumbing",
                     employer_website=site.server.url("/"))  # fmt: skip
    result = site.runs.search(query, site.server, ["/our-team"],  # this case's page
                              also_sandboxed=also_sandboxed)  # fmt: skip
    assert result.status == "hit", result.detail
    return [(r.person_name, r.title, r.employer) for r in result.records if r.person_name]


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Office Manager</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, with us since the late 1990s</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, on the late shift</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, formerly of Acme Supply</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager and former Navy medic</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager</p>'
    "<blockquote>I love a tidy schedule.</blockquote></div>",
    '<div class="team"><p>Dana Whitfield - Office Manager - "Always smiling"</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><span>Office Manager</span></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3>Office Manager</div>',
])  # fmt: skip
def test_the_debtor_listed_with_a_title_is_her_employment(team: str, read_staff: ReadStaff) -> None:
    """Hers, whatever else the line says: a memorial is "the late" before a name, not a decade
    or a shift; former staff is a former title ("Former Office Manager", "(retired)"), not a
    past elsewhere ("formerly of Acme Supply"); a testimonial is a quotation before the
    name, not her own words in her card after it. A title after her heading, in no block of
    its own, is on a line of its own (it had been glued to her name: "Dana WhitfieldOffice
    Manager", and she was not found)."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><h2>Alumni</h2><ul><li>Dana Whitfield - Office Manager</li></ul></div>',
    '<section><h2>Former team members</h2><p>Dana Whitfield - Office Manager</p></section>',
    '<div class="staff"><h3>Retired</h3><p>Dana Whitfield - Office Manager</p></div>',
    '<div class="staff"><p>Dana Whitfield - Office Manager (retired)</p></div>',
    '<div class="staff"><p>Dana Whitfield - Former Office Manager</p></div>',
    '<div class="staff"><p>Dana Whitfield - Office Manager, retired</p></div>',
    '<div class="staff"><p>Dana Whitfield - retired Office Manager</p></div>',
])  # fmt: skip
def test_a_former_member_of_staff_is_not_employed_there(team: str, read_staff: ReadStaff) -> None:
    """An alumni, former-staff or retired section listed her as staff, with her old title."""
    staff = read_staff(team)
    assert staff and all(employer == "" for _, _, employer in staff), staff


@pytest.mark.parametrize("team", [
    '<div class="team"><h2>In memory of</h2><p>Dana Whitfield - Founder</p></div>',
    '<div class="team"><p>In memory of Dana Whitfield, Founder</p></div>',
    '<div class="team"><p>The late Dana Whitfield - Founder</p></div>',
    '<div class="team"><p>Dana Whitfield (b. 1948 \u2013 d. 2019) - Founder</p></div>',
])  # fmt: skip
def test_a_memorial_on_the_team_page_is_never_employment(team: str, read_staff: ReadStaff) -> None:
    """A memorial ("In memory of", "the late") was not read as one: the founder was employed."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "obituary", "")]


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield died on March 3 after 20 years with us.</p></div>',
    '<div class="team"><p>Founder Dana Whitfield, who died in 2023</p></div>',
    '<div class="team"><h2>Dana Whitfield dies at 61</h2><p>Office Manager since 1998</p></div>',
    '<div class="team"><h2>In memory</h2><p>Dana Whitfield - Founder</p></div>',
    '<div class="team"><h2>Forever remembered</h2><p>Dana Whitfield - Founder</p></div>',
])  # fmt: skip
def test_her_death_said_in_plain_words_on_the_team_page_is_never_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A review: a death said in plain words after her name ("died", "dies at 61") or a
    heading "In memory" or "Forever remembered" made no memorial: the founder, dead, was
    employed there, her record giving the business and its address."""
    staff = read_staff(team)
    assert staff and all((title, employer) == ("obituary", "") for _, title, employer in staff)


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Photo by Dana Whitfield</p></div>',
    '<div class="team"><p>Dana Whitfield, mother of our owner</p></div>',
    '<div class="team-member"><blockquote>They fixed my sink fast!</blockquote>'
    "<p>Dana Whitfield, Office Manager at Zentrix</p></div>",
    '<div class="member"><p>"Great plumbers" - Dana Whitfield, Owner of Dockside Cafe</p></div>',
    '<div class="team"><p>\u2605\u2605\u2605\u2605\u2605 Dana Whitfield, Springfield</p></div>',
])  # fmt: skip
def test_a_mention_in_a_team_styled_block_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A photo credit, a relative's line, a customer's quote or review in a block whose class
    says team: each was taken for her employment."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")]


def test_a_junior_whose_suffix_is_on_the_next_line_is_not_the_debtor(read_staff: ReadStaff) -> None:
    """The son ("Dana Whitfield<br>Jr., Office Manager") was read as the debtor, whose file
    has no Jr."""
    team = '<div class="team"><p>Dana Whitfield<br>Jr., Office Manager</p></div>'
    assert read_staff(team) == []


@pytest.mark.parametrize("team", [
    '<div class="team"><p style="display: none">Dana Whitfield - Office Manager</p></div>',
    '<div class="team"><p hidden>Dana Whitfield - Office Manager</p></div>',
])  # fmt: skip
def test_a_hidden_staff_entry_is_not_employment(team: str, read_staff: ReadStaff) -> None:
    """A card the site hides (a departed employee's, left in the markup) is not shown as staff."""
    staff = read_staff(team)
    assert all(employer == "" for _, _, employer in staff), staff


def test_a_schema_org_person_with_a_death_date_is_a_memorial(read_staff: ReadStaff) -> None:
    """A review: the team page's JSON-LD Person with a ``deathDate`` (the founder, remembered)
    was read as staff, with her title, for a debtor of her name."""
    person = ('{"@context": "https://schema.org", "@type": "Person", "name": "Dana Whitfield", '
              '"jobTitle": "Founder", "deathDate": "2019-03-01"}')  # fmt: skip
    team = f'<script type="application/ld+json">{person}</script><p>Our founder.</p>'
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "obituary", "")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield retired in 2019</p></div>',
    '<div class="team"><p>Dana Whitfield, our Office Manager for 25 years, retired in 2019.</p>'
    "</div>",
    '<div class="team"><p>Dana Whitfield retires after 30 years with us</p></div>',
    '<div class="team"><p>Dana Whitfield, Office Manager, is retiring this spring</p></div>',
    '<div class="team"><p>Happy retirement, Dana Whitfield!</p></div>',
    '<div class="team"><p>Dana Whitfield worked here from 1990 to 2015</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager (1990 to 2015)</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager until 2019</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager (no longer with the company)</p></div>',
    '<div class="team"><p>Dana Whitfield has left the company</p></div>',
    '<div class="team"><p>Dana Whitfield, Past President</p></div>',
    '<div class="team"><p>Dana Whitfield, Ex-Office Manager</p></div>',
])  # fmt: skip
def test_a_past_employment_line_is_not_employment(team: str, read_staff: ReadStaff) -> None:
    """A line telling her tenure as over ("retired in 2019", "until 2019", "from 1990 to
    2015", "no longer with", "Past President") was read as her current employment."""
    staff = read_staff(team)
    assert staff and all(employer == "" for _, _, employer in staff), staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Office Manager since 2015</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager and retired Navy medic</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, has worked here since 1998</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager. She\'s worked here since 1998.</p>'
    "</div>",
    '<div class="team"><p>Dana Whitfield - Office Manager, has proudly served as our office '
    "manager since 2001</p></div>",
    '<div class="team"><p>Dana Whitfield - Retirement Plan Specialist</p></div>',
    '<div class="team"><p>Dana Whitfield - Probate Paralegal</p>'
    "<p>Helps families settle the estates of deceased loved ones.</p></div>",
    '<div class="team"><p>His daughter Dana Whitfield, Office Manager</p></div>',
    '<div class="team"><p>Dana Whitfield, Financial Advisor, helping families plan their '
    "retirement</p></div>",  # her clients' retirement, not hers
    '<div class="team"><p>Dana Whitfield - Financial Advisor for clients nearing retirement or '
    "retiring</p></div>",
    '<div class="team"><h3>Dana Whitfield</h3><p>Senior Barber</p></div>',  # not a Sr. suffix
    '<div class="team"><h3>Dana Whitfield</h3><p>Junior Youth Pastor</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, whose husband died in 2019</p></div>',
])  # fmt: skip
def test_her_current_entry_with_a_past_or_a_relative_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """Held: a tenure still running, a past elsewhere, a retirement title, a relative's
    introduction before her own title: still her entry."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize("team", [
    "<div class=\"team\"><p>Our owner's mother, Dana Whitfield</p></div>",
    '<div class="team"><p>Owner Marcus Whitfield and his mother, Dana Whitfield</p></div>',
    '<div class="team"><p>Marcus Whitfield, Owner</p>'
    "<p>His mother Dana Whitfield started the business in 1978.</p></div>",
])  # fmt: skip
def test_a_relative_introduced_by_kinship_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A kinship word before her name with no title of hers ("his mother Dana Whitfield")
    introduces a relative of the staff, as one after it does ("mother of our owner")."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff


@pytest.mark.parametrize("team", [
    "<div class=\"team\"><p>Dana Whitfield, the owner's mother</p></div>",
    "<div class=\"team\"><p>Dana Whitfield (owner's mother)</p></div>",
    "<div class=\"team\"><p>Dana Whitfield, Tom's wife</p></div>",
    '<div class="team"><p>Dana Whitfield, mother-in-law of our owner</p></div>',
    '<div class="team"><p>his stepdaughter Dana Whitfield</p></div>',
    "<div class=\"team-member\"><h3>Dana Whitfield</h3><p>Owner's Wife</p></div>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Mother of our owner</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Guest Speaker</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Customer of the Month</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Retired</p></div>',
])  # fmt: skip
def test_a_relative_or_guest_said_away_from_her_name_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A review: a relative was caught only by a kinship word right beside her name, and a
    card's line below her name was read only when it was a title: "Dana Whitfield, the
    owner's mother", a step- or in-law relative, and a card saying "Owner's Wife", "Guest
    Speaker" or "Retired" under her name were each her staff entry, with no title."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff


@pytest.mark.parametrize("team", [
    "<div class=\"team\"><p>Dana Whitfield - Office Manager and the owner's wife</p></div>",
    "<div class=\"team\"><table><tr><td>Dana Whitfield (owner's wife)</td>"
    "<td>Office Manager</td></tr></table></div>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager</p>'
    "<p>Mother of two and a keen gardener</p></div>",
])  # fmt: skip
def test_a_relative_with_a_title_of_her_own_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """Held: her own title beside her name or in her card makes the line her entry, whoever
    she is the relative of."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize(("team", "title"), [
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Mother of three, loves hiking</p></div>',
     ""),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Dana is a wife and mother of two and '
     "has kept our books since 2015.</p></div>", ""),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Grandma to 5 and our longest-serving '
     "employee!</p></div>", ""),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Co-owner, Tom\'s wife</p></div>',
     "Co-owner"),  # "Tom's" before a lower-case word starts no name
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Dispatch Manager &amp; the '
     "founder's daughter</p></div>", ""),
])  # fmt: skip
def test_her_own_family_or_her_job_on_her_card_stays_employment(
    team: str, title: str, read_staff: ReadStaff
) -> None:
    """A card's line under her name with no title read from it was searched for a relation
    anywhere in it: her own children ("Mother of three", "Grandma to 5") or a job of hers
    beside a relation ("Co-owner, Tom's wife", "Dispatch Manager & the founder's daughter")
    made the small business's own employee a mention, and its employment lost. A count after
    "of" or "to" is her family; a job word of hers before the relation is her entry."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", title, "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><ul><li>Dana Whitfield</li><li>Tom Lee (retired 2019)</li>'
    "<li>Ann Cole</li></ul></div>",
    "<div class=\"team\"><ul><li>Dana Whitfield</li><li>Tom Lee, the owner's son</li></ul></div>",
    "<div class=\"team\"><p>Ann Cole, Owner</p><p>Dana Whitfield</p><p>Ann's mother, Ruth "
    "Cole</p></div>",
])  # fmt: skip
def test_the_next_name_in_a_list_is_not_her_cards_line(team: str, read_staff: ReadStaff) -> None:
    """A list of names with no titles had the next entry read as her card's line: the
    colleague's "(retired 2019)" or "the owner's son" made her a mention. An entry like hers
    (the same tag and class) is another person's, not a line of her card."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield, the elder law attorney of our firm</p></div>',
    '<div class="team"><p>Dana Whitfield, the Elder Care Coordinator</p></div>',
])  # fmt: skip
def test_elder_law_or_care_after_her_name_is_no_suffix(team: str, read_staff: ReadStaff) -> None:
    """The words "the Elder" after her name were read as a suffix ("Dana Whitfield the
    Elder", another person) even when they began her practice: an elder law attorney or an
    elder care coordinator was no one. The suffix ends the name: a separator or the line's
    end follows."""
    staff = read_staff(team)
    assert [(name, employer) for name, _, employer in staff] == [
        ("Dana Whitfield", "Harbor Lane Plumbing")
    ], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Founder (deceased)</p></div>',
    '<div class="team"><p>Dana Whitfield - Founder, RIP</p></div>',
    '<div class="team"><p>Dana Whitfield \u2020 2019</p></div>',
])  # fmt: skip
def test_a_death_mark_on_the_team_page_is_a_memorial(team: str, read_staff: ReadStaff) -> None:
    """A death mark beside her name ("(deceased)", "RIP", "\u2020 2019") was read as the
    founder's employment."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "obituary", "")], staff


def _card(name: str, title: str) -> str:
    return (f'<div class="h-card"><span class="p-name">{name}</span> '
            f'<span class="p-job-title">{title}</span></div>')  # fmt: skip


@pytest.mark.parametrize("team", [
    f'<div style="display: none">{_card("Dana Whitfield", "Office Manager")}</div>',
    f'<h2>Alumni</h2>{_card("Dana Whitfield", "Office Manager")}',
    _card("Dana Whitfield", "Former Office Manager"),
    _card("Dana Whitfield", "Office Manager (retired)"),
    '<div class="h-review"><p class="e-content">They fixed my sink</p>'
    '<span class="p-author h-card"><span class="p-name">Dana Whitfield</span></span></div>',
])  # fmt: skip
def test_an_h_card_is_held_to_the_team_line_rules(team: str, read_staff: ReadStaff) -> None:
    """An h-card was staff wherever it stood: hidden, under Alumni, a former title, a review's
    author; the same line without the microformat was a mention."""
    staff = read_staff(team)
    assert staff and all(employer == "" for _, _, employer in staff), staff


def test_an_h_card_under_a_memorial_heading_is_a_memorial(read_staff: ReadStaff) -> None:
    """The founder's card under "In memoriam" was her employment."""
    team = f"<h2>In memoriam</h2>{_card('Dana Whitfield', 'Founder')}"
    assert read_staff(team) == [("Dana Whitfield", "obituary", "")]


def test_the_debtor_s_own_h_card_is_her_employment(read_staff: ReadStaff) -> None:
    """Held: her own card, with her title, on the team page."""
    staff = read_staff(_card("Dana Whitfield", "Office Manager"))
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


def _person(where: str) -> str:
    return f'<script type="application/ld+json">{where}</script><p>Our team.</p>'


_DANA = '{"@type": "Person", "name": "Dana Whitfield", "jobTitle": "Office Manager"}'


@pytest.mark.parametrize("data", [
    f'{{"@type": "Organization", "name": "Harbor Lane Plumbing", "alumni": [{_DANA}]}}',
    f'{{"@type": "Review", "reviewBody": "Quick work", "author": {_DANA}}}',
    f'{{"@type": "Person", "name": "Marcus Whitfield", "jobTitle": "Owner", "parent": {_DANA}}}',
    f'{{"@type": "Event", "name": "Open house", "performer": {_DANA}}}',
    f'{{"@type": "NewsArticle", "headline": "A new office", "about": {_DANA}}}',
    f'{{"@graph": [{{"@type": "Organization", "name": "Harbor Lane Plumbing", '
    f'"alumni": {{"@id": "#dana"}}}}, {_DANA[:-1]}, "@id": "#dana"}}]}}',
])  # fmt: skip
def test_a_schema_org_person_in_another_role_is_not_employment(
    data: str, read_staff: ReadStaff
) -> None:
    """A Person with a job title was staff wherever the JSON-LD put her: the business's
    alumni, a review's author, the owner's parent, an event's performer."""
    staff = read_staff(_person(data))
    assert staff and all(employer == "" for _, _, employer in staff), staff


@pytest.mark.parametrize("data", [
    _DANA,
    f'{{"@type": "Organization", "name": "Harbor Lane Plumbing", "employee": [{_DANA}]}}',
    f'{{"@type": "ProfilePage", "mainEntity": {_DANA}}}',
    f'{{"@type": "AboutPage", "about": {_DANA}}}',  # a one-person business's about page
    f'{{"@graph": [{{"@type": "Organization", "name": "Harbor Lane Plumbing", '
    f'"founder": {{"@id": "#dana"}}}}, {{"@type": "WebPage", "author": {{"@id": "#dana"}}}}, '
    f'{_DANA[:-1]}, "@id": "#dana"}}]}}',  # a site builder's graph: founder, and the author
])  # fmt: skip
def test_a_schema_org_person_on_the_staff_is_employment(data: str, read_staff: ReadStaff) -> None:
    """Held: the page's own Person, the business's employee, a profile's main entity."""
    staff = read_staff(_person(data))
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


_ACME = '{"@type": "Organization", "name": "Acme Supply"}'
_OURS = '{"@type": "Organization", "name": "Harbor Lane Plumbing LLC"}'


def _works_for(org: str) -> str:
    return _person(f'{{"@type": "Person", "name": "Dana Whitfield", "jobTitle": "Office Manager", '
                   f'"worksFor": {org}}}')  # fmt: skip


def _org_card(org: str) -> str:
    return (f'<div class="h-card"><span class="p-name">Dana Whitfield</span> '
            f'<span class="p-job-title">Office Manager</span> <span class="p-org">{org}</span>'
            "</div>")  # fmt: skip


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield, Sales Representative at Acme Supply</p></div>',
    '<div class="team"><p>Dana Whitfield - Owner of Dockside Cafe</p></div>',
    '<div class="team"><h2>Our partners</h2><p>Dana Whitfield, Owner of Dockside Cafe</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Sales Representative at Acme Supply</p>'
    "</div>",
    _works_for(_ACME),
    _org_card("Acme Supply"),
])  # fmt: skip
def test_another_business_s_staff_on_the_team_page_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """Her title said another business ("Sales Representative at Acme Supply", a Person's
    worksFor, an h-card's org): she works there, and the employer's page only names her."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield, Office Manager at Harbor Lane Plumbing</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager of Harbor Lane</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager at our Springfield shop</p></div>',
    '<div class="team"><p>Dana Whitfield - Director of Operations</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, formerly of Acme Supply</p></div>',
    _works_for(_OURS),
    _org_card("Harbor Lane Plumbing"),
])  # fmt: skip
def test_her_own_employer_named_beside_her_title_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """Held: the employer's own name (or a short form of it) after her title, a place of its
    own, a title with "of" in it, a past elsewhere, and no organisation at all."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Guest speaker: Dana Whitfield</p></div>',
    '<div class="team"><p>Guest speaker: Dana Whitfield, Owner of Acme Supply</p></div>',
    '<div class="team"><p>Keynote: Dana Whitfield</p></div>',
    '<div class="team"><p>Dana Whitfield (guest)</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager (guest)</p></div>',
    '<div class="team"><p>Visiting instructor Dana Whitfield</p></div>',
    '<div class="team"><p>Our special guest, Dana Whitfield</p></div>',
    '<div class="team"><p>Customer of the month: Dana Whitfield</p></div>',
    '<div class="team"><p>Patient of the Month: Dana Whitfield</p></div>',
    '<div class="team"><p>Dana Whitfield - Patient of the Month</p></div>',
    '<div class="team"><p>Dana Whitfield - Visiting Professor</p></div>',  # another's, on leave
])  # fmt: skip
def test_a_guest_or_visitor_on_the_team_page_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A label calling her a guest, a visitor, the keynote or a customer of the month was
    read as a member of staff."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Guest Services Manager</p></div>',
    '<div class="team"><p>Dana Whitfield - Customer Service Manager</p></div>',
    '<div class="team"><p>Dana Whitfield - Visiting Nurse</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager, greets every guest</p></div>',
    '<div class="team"><p>Dana Whitfield - Visiting Veterinarian</p></div>',
    '<div class="team"><p>Visiting Veterinarian: Dana Whitfield</p></div>',
    '<div class="team"><p>Dana Whitfield - Patient of the Month coordinator</p></div>',
])  # fmt: skip
def test_a_title_about_guests_or_customers_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """Held: a department or a home-visit role named with guest, customer or visiting. And a
    review: a clinic's visiting veterinarian (she treats its patients, listed with its staff)
    and the one who runs its "Patient of the Month" were read as a visitor and a patient."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize("heading", [
    "Volunteers", "Our suppliers", "Thank you to our sponsors", "Vendors", "Advisory board",
    "Board of Directors", "Our Board", "Board of Trustees", "Featured Volunteer",
])  # fmt: skip
def test_a_section_of_people_who_are_not_staff_is_not_employment(
    heading: str, read_staff: ReadStaff
) -> None:
    """A team page's volunteers, suppliers, sponsors, vendors or board, each with a title,
    were read as staff. A board governs: its directors are not employed by the business (a
    nonprofit's serve unpaid, a company's outside directors work elsewhere); an officer who
    is staff is listed with the staff."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Owner</p></div>'
    staff = read_staff(team)
    assert staff and all(employer == "" for _, _, employer in staff), staff
    card = f"<h2>{heading}</h2>{_card('Dana Whitfield', 'Owner')}"  # and so is an h-card there
    staff = read_staff(card)
    assert staff and all(employer == "" for _, _, employer in staff), staff


@pytest.mark.parametrize("heading", [
    "Our partners", "Partners", "Our advisors", "Clients team", "Board-Certified Physicians",
])  # fmt: skip
def test_a_section_of_partners_or_advisors_stays_staff(heading: str, read_staff: ReadStaff) -> None:
    """Held: a law or advisory firm's partners and advisors are its staff, and so are a
    clinic's board-certified doctors."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Managing Partner</p></div>'
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "Managing Partner", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("heading", [
    "Our clients", "Client list", "Featured Client", "Case studies", "Awards", "Award winners",
    "Donors", "Our sponsors", "Partners", "Testimonials", "Reviews", "Scholarship recipients",
    "In the news", "Honorees", "Our guests", "Speakers",
])  # fmt: skip
def test_a_section_of_clients_winners_or_donors_is_not_employment(
    heading: str, read_staff: ReadStaff
) -> None:
    """A review: a section of the business's clients, its case studies, award winners,
    donors, partner businesses or scholarship recipients, each with a title ("Dana Whitfield -
    Owner": a client's owner), was read as its staff, and she as employed there. A partner of
    the firm is still its staff: her own title says so ("Managing Partner", held above)."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Owner</p></div>'
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff
    card = f"<h2>{heading}</h2>{_card('Dana Whitfield', 'Owner')}"  # and so is an h-card there
    staff = read_staff(card)
    assert staff and all(employer == "" for _, _, employer in staff), staff


@pytest.mark.parametrize("heading", [
    "Our team", "Meet the staff", "Leadership", "Our attorneys", "Client Services",
    "Our Award-Winning Team", "Donor Relations Team", "Guest Services",
])  # fmt: skip
def test_a_staff_heading_beside_clients_or_awards_words_stays_staff(
    heading: str, read_staff: ReadStaff
) -> None:
    """Held: the team's own headings, and one ending in the staff's own department or team
    whatever word is before ("Client Services", "Donor Relations Team")."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Office Manager</p></div>'
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("heading", [
    "Meet our Volunteer Coordinator", "Vendor Relations", "Supplier Quality Team",
    "Customer Service Team", "Events Team", "News Desk Staff",
])  # fmt: skip
def test_a_heading_naming_a_staff_role_with_such_a_word_stays_staff(
    heading: str, read_staff: ReadStaff
) -> None:
    """A review: one word of a heading (volunteer, vendor, supplier, customer, events) made
    the whole section no staff, though the heading ended in the staff's own role or team."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Office Manager</p></div>'
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "Office Manager", "Harbor Lane Plumbing")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield scholarship recipients</p></div>',
    '<div class="team"><p>Dana Whitfield memorial scholarship</p></div>',
    '<div class="team"><p>2019 recipient of the Dana Whitfield award: Marcus Lee</p></div>',
    '<div class="team"><p>2019 recipient of the Dana Whitfield Award: Marcus Lee</p></div>',
])  # fmt: skip
def test_an_award_named_after_her_is_no_one_s_entry(team: str, read_staff: ReadStaff) -> None:
    """Her name on a scholarship or an award, written in lower case, was read as her entry:
    the thing's name is a longer name, as "Dana Whitfield Scholarship" already was."""
    assert read_staff(team) == []


def test_her_entry_beside_an_award_of_hers_stays_employment(read_staff: ReadStaff) -> None:
    """Held: an award she won, after a break, is no award's name."""
    team = '<div class="team"><p>Dana Whitfield, award-winning Office Manager</p></div>'
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Named after founder Dana Whitfield</p></div>',
    '<div class="team"><p>The shop is named after our founder, Dana Whitfield.</p></div>',
    '<div class="team"><p>Named in honor of founder Dana Whitfield</p></div>',
    '<div class="team"><p>Marcus Lee, son of founder Dana Whitfield</p></div>',
])  # fmt: skip
def test_a_phrase_s_object_after_a_title_is_not_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A title between a referring word and her name ("Named after founder Dana Whitfield")
    kept the line as her staff entry, and the son's line as hers."""
    staff = read_staff(team)
    assert staff == [("Dana Whitfield", "mentioned (news)", "")], staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Director of Operations Dana Whitfield</p></div>',
    '<div class="team"><p>Head of Sales Dana Whitfield</p></div>',
    '<div class="team"><p>Say hello to our Office Manager, Dana Whitfield</p></div>',
    '<div class="team"><p>Led by founder Dana Whitfield</p></div>',
])  # fmt: skip
def test_a_title_before_her_name_stays_employment(team: str, read_staff: ReadStaff) -> None:
    """Held: "of" inside a title before her name refers to no one, and a page introducing
    its own staff by title ("Say hello to our Office Manager") is her entry."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Office Manager at Springfield</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager at Our Springfield Shop</p></div>',
    '<div class="team"><p>Dana Whitfield - Office Manager @ Downtown</p></div>',
    '<div class="team"><p>Dana Whitfield - Director of Operations at HLP</p></div>',
])  # fmt: skip
def test_a_branch_or_the_employers_initials_beside_her_title_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A review: a branch named by its town (one the site's addresses give), by "Our ...
    Shop" or "Downtown", or the employer's initials after her title was read as another
    business she works for, and her employment as a mention."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff


@pytest.mark.parametrize(("team", "employed"), [
    ('<div class="team"><p>Dana Whitfield, Director of Sales at North America</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Regional Manager at Midwest</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Northern California</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Europe</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Canada</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Western Region</p></div>', True),
    ('<div class="team"><p>Dana Whitfield - Office Manager at Corporate Headquarters</p></div>',
     True),
    ('<div class="team"><p>Dana Whitfield - Office Manager at Our Peoria Office</p></div>', True),
    # a business named after a place, and a town neither the site nor the file gives (it may
    # as well be a business's one-word name: "at Zentrix")
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Southwest Airlines</p></div>', False),
    ('<div class="team"><p>Dana Whitfield - Sales Manager at Delaware North</p></div>', False),
    ('<div class="team"><p>Dana Whitfield - Nurse at Our Lady of Lourdes Hospital</p></div>',
     False),
    ('<div class="team"><p>Dana Whitfield - Branch Manager at Peoria</p></div>', False),
])  # fmt: skip
def test_a_region_or_the_employers_own_seat_beside_her_title_stays_employment(
    team: str, employed: bool, read_staff: ReadStaff
) -> None:
    """A review: a region, a continent, a country, a state or the employer's own seat after
    "at" ("Director of Sales at North America", "Regional Manager at Midwest", "at Our
    Peoria Office") was read as another business she works for, and her employment as a
    mention. A business named after a place ("Southwest Airlines") stays another."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == ("Harbor Lane Plumbing" if employed else ""), staff


@pytest.mark.parametrize(("team", "employed"), [
    ('<div class="team"><p>Dana Whitfield - Office Manager at Harbor Lane Plumbing of '
     "Springfield</p></div>", True),
    ('<div class="team"><p>Dana Whitfield - Office Manager at Harbor Lane Plumbing '
     "Springfield</p></div>", True),
    ('<div class="team"><p>Dana Whitfield - Sales Representative at Harbor Lane Plumbing '
     "Supply of Springfield</p></div>", False),  # another business, named after the town
    ('<div class="team"><p>Dana Whitfield - Office Manager at Harbor Lane Plumbing of '
     "Peoria</p></div>", False),  # a town neither the site nor the file gives
])  # fmt: skip
def test_the_employers_name_of_a_town_beside_her_title_is_its_branch(
    team: str, employed: bool, read_staff: ReadStaff
) -> None:
    """A franchise's centre is named by the brand and its town ("BrightPath Tutoring of
    Naperville"): the employer's name with a word more was read as another business she
    works for, and her employment as a mention."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == ("Harbor Lane Plumbing" if employed else ""), staff


@pytest.mark.parametrize(("team", "title", "employer"), [
    ('<div class="team"><p>Dana Whitfield - Sales Rep</p></div>', "Sales Rep",
     "Harbor Lane Plumbing"),
    ('<div class="team"><p>Dana Whitfield, Customer Service Rep.</p></div>',
     "Customer Service Rep.", "Harbor Lane Plumbing"),
    ('<div class="team"><p>Dana Whitfield, Sales Rep, Acme Supply</p></div>', "mentioned (news)",
     ""),
])  # fmt: skip
def test_a_rep_is_a_title(team: str, title: str, employer: str, read_staff: ReadStaff) -> None:
    """A review: "Sales Rep" was read as the title "Sales" ("rep" was no title word), so the
    business named after it ("Sales Rep, Acme Supply": a supplier's) was never read, and she
    was staff of the employer's page."""
    assert read_staff(team) == [("Dana Whitfield", title, employer)]


@pytest.mark.parametrize(("team", "employed"), [
    # another business after a comma, as after "at"
    ('<div class="team"><p>Dana Whitfield, Sales Representative, Acme Supply</p></div>', False),
    ('<div class="team"><p>Dana Whitfield - Sales Representative, Acme Supply Co.</p></div>',
     False),
    ('<div class="team"><p>Dana Whitfield (Account Manager, Dockside Cafe)</p></div>', False),
    # the title going on, a credential, her employer or its seat, the next person of a list
    ('<div class="team"><p>Dana Whitfield, Vice President, Sales</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Director, Human Resources</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Estimator, CPA</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, Harbor Lane Plumbing</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, Main Office</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, Springfield</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, North America</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, Tom Reed, Estimator</p></div>', True),
    ('<div class="team"><p>Dana Whitfield, Office Manager, since 1998</p></div>', True),
])  # fmt: skip
def test_another_business_after_a_comma_beside_her_title_is_not_employment(
    team: str, employed: bool, read_staff: ReadStaff
) -> None:
    """A review: "Dana Whitfield, Sales Representative, Acme Supply" on the employer's page
    (a supplier's representative) was her employment there; another business named after a
    comma is now read as one named after "at". The title going on ("Vice President, Sales"),
    a credential, the employer itself, its own seat or town, or the next person of a list
    ("Office Manager, Tom Reed, Estimator") is no other business."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == ("Harbor Lane Plumbing" if employed else ""), staff


@pytest.mark.parametrize(("line", "employed"), [
    # her section, level, town or language, or what she is, in one word or with a section's
    ("Dana Whitfield, Office Manager, Scheduling", True),
    ("Dana Whitfield, Manager, Warranty", True),
    ("Dana Whitfield, Associate, Litigation", True),
    ("Dana Whitfield, Office Manager, Ventas", True),
    ("Dana Whitfield, Office Manager, Bilingual", True),
    ("Dana Whitfield, Office Manager, Peoria", True),
    ("Dana Whitfield, Office Manager, M.Ed.", True),
    ("Dana Whitfield, Technician, Level II", True),
    ("Dana Whitfield, Estimator, Commercial Division", True),
    ("Dana Whitfield, Manager, Plumbing &amp; Heating Division", True),
    ("Dana Whitfield, Paralegal, Family Law", True),
    ("Dana Whitfield, Office Manager, Peoria Office", True),
    ("Dana Whitfield, Lead Technician, NATE Certified", True),
    ("Dana Whitfield, Owner, Licensed &amp; Insured", True),
    ("Dana Whitfield, Office Manager, Spanish Speaking", True),
    ("Dana Whitfield, Manager, Sales &amp; Service", True),
    # another business still
    ("DANA WHITFIELD, OFFICE MANAGER, ACME SUPPLY", False),
    ("Dana Whitfield, Barista, Dockside Coffee Shop", False),
    ("Dana Whitfield, Account Manager, Acme Supply Co., Peoria", False),
])  # fmt: skip
def test_her_section_after_a_comma_beside_her_title_is_no_other_business(
    line: str, employed: bool, read_staff: ReadStaff
) -> None:
    """A review: any two capitalised words after a comma beside her title were read as
    another business, and one word too, so a team page's ordinary lines ("Manager, Warranty",
    "Associate, Litigation", "Estimator, Commercial Division", "Technician, Level II",
    "Office Manager, Peoria") made her a mere mention of her own employer's page. One word,
    a section's or a qualifier's word, or title words joined by "&" are no other business."""
    staff = read_staff(f'<div class="team"><p>{line}</p></div>')
    assert len(staff) == 1 and staff[0][2] == ("Harbor Lane Plumbing" if employed else ""), staff


@pytest.mark.parametrize("team", [
    '<div class="team"><p>Dana Whitfield - Visitor Services Manager</p></div>',
    '<div class="team"><p>Dana Whitfield - Visitor Center Manager</p></div>',
    '<div class="team"><p>Dana Whitfield - Guest Room Attendant</p></div>',
    '<div class="team"><p>Dana Whitfield - Visiting Hours Coordinator</p></div>',
])  # fmt: skip
def test_a_job_named_after_the_guests_it_serves_stays_employment(
    team: str, read_staff: ReadStaff
) -> None:
    """A review: a museum's or an inn's job title starting with visitor, guest or visiting
    ("Visitor Services Manager", "Guest Room Attendant") was read as her being a guest, and
    her employment as a mention. Words after the label ending in a job make it a title."""
    staff = read_staff(team)
    assert len(staff) == 1 and staff[0][2] == "Harbor Lane Plumbing", staff
