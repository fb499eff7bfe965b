"""Entries of a team page that are not the debtor's employment, however the page words them,
and the staff entries beside them that stay hers: each section below is one rule, read with
``mentions`` on a page that calls itself the team's."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str, *names: str) -> list[str]:
    """What each mention of the debtor (``names``, else "Dana Whitfield") on a team page is."""
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, list(names or ["Dana Whitfield"]))]


# --- former staff headings
# A team page's heading over people who no longer work there, however it words it
# ("Retirees", "Past Presidents", "Previous Owners", "Ex-Employees"), makes a line under it a
# mention, as "Alumni", "Former team members" and "Retired" do; and "Retiree" on her own line
# is her retirement.


@pytest.mark.parametrize("heading", [
    "Retirees", "Our Retirees", "Past Presidents", "Previous Owners", "Ex-Employees",
    "Past Team Members", "Past Staff",
])  # fmt: skip
def test_a_line_under_a_heading_over_past_staff_is_a_mention(heading: str) -> None:
    """A review: only "alumni", "former", "retired", "emeritus" and "past staff" were read in
    a heading, so the past presidents and retirees of a team page were its staff."""
    team = f'<div class="team"><h2>{heading}</h2><ul><li>Dana Whitfield - Office Manager</li>'
    assert contexts(f"{team}<li>Sam Lee - Owner</li></ul></div>") == ["mention"]


@pytest.mark.parametrize("heading", ["Retirees", "Past Presidents"])
def test_an_h_card_under_a_heading_over_past_staff_is_a_mention(heading: str) -> None:
    card = ('<div class="h-card"><span class="p-name">Dana Whitfield</span> '
            '<span class="p-job-title">President</span></div>')  # fmt: skip
    assert set(contexts(f'<div class="team"><h2>{heading}</h2>{card}</div>')) == {"mention"}


def test_retiree_on_her_line_is_a_mention() -> None:
    assert contexts('<ul class="team"><li>Dana Whitfield, Retiree</li></ul>') == ["mention"]


@pytest.mark.parametrize("heading", [
    "Our Team, Past and Present", "Meet the Team", "Presidents", "Past Projects Team",
])  # fmt: skip
def test_a_heading_over_staff_keeps_her_staff(heading: str) -> None:
    """Held: "past" before no role ("Past and Present"), and no past word at all."""
    team = f'<div class="team"><h2>{heading}</h2><ul><li>Dana Whitfield - Office Manager</li></ul>'
    assert contexts(f"{team}</div>") == ["staff"]


def test_a_team_serving_retirees_keeps_her_staff() -> None:
    """A review: under a "Retiree Benefits Team" heading everyone was a mention."""
    team = '<div class="team"><h2>Retiree Benefits Team</h2><p>Dana Whitfield - Office Manager</p>'
    assert contexts(f"{team}</div>") == ["staff"]


def test_a_job_serving_retirees_keeps_her_staff() -> None:
    """Held: a title word after "Retiree" is her job serving them."""
    line = "Dana Whitfield - Retiree Services Manager"
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]


# --- ordinal suffix
# A generational suffix written as an ordinal ("Dana Whitfield 3rd", "Dana Whitfield (2nd)")
# is a suffix as "III" and "II" are: her son or grandson, another person, unless her file says
# it. An ordinal that starts her title ("2nd Shift Supervisor", "3rd Generation Owner") is no
# suffix.


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield 3rd - Office Manager</li></ul>",
    "<ul><li>Dana Whitfield, 3rd, Office Manager</li></ul>",
    "<ul><li>Dana Whitfield (2nd) - Office Manager</li></ul>",
    "<ul><li>Dana Whitfield 4th</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>2nd</span></p>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>3rd, Office Manager</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>2nd</p></div>',
])  # fmt: skip
def test_an_ordinal_suffix_is_another_person(team: str) -> None:
    """A review: the suffix was read as a word only when it starts with a letter, so "Dana
    Whitfield 3rd" (her son) was her staff entry, and so was a team card whose name is
    spread over spans ("<span>Dana Whitfield</span><span>2nd</span>", now read with a blank
    between)."""
    assert contexts(team, "Dana Whitfield", "Whitfield, Dana") == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 3rd Generation Owner</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>2nd Shift Supervisor</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>3rd Generation Owner</p></div>',
    "<ul><li>Dana Whitfield - Office Manager since 2019</li></ul>",
    "<ul><li>Dana Whitfield 2019</li></ul>",
])  # fmt: skip
def test_an_ordinal_in_her_title_keeps_her_staff(team: str) -> None:
    """Held: an ordinal followed by a word is her title's ("2nd Shift Supervisor"), and a
    year is no suffix."""
    assert contexts(team, "Dana Whitfield", "Whitfield, Dana") == ["staff"]


# --- ordinal before a mark
# An ordinal suffix is another person whatever mark parts it from her title ("Dana Whitfield
# 3rd • Owner"), as a suffix in letters is ("Dana Whitfield Jr • Owner"): only a word
# right after it makes it her title's ("2nd Shift Supervisor").


@pytest.mark.parametrize("mark", ["\u2022", "\u00b7", "~", "*", "/ ", "\u2013"])
def test_an_ordinal_before_any_mark_is_another_person(mark: str) -> None:
    """A review: the ordinal was a suffix only before a blank-and-end or one of a few marks
    ("," "-" "|"), so "Dana Whitfield 3rd \u2022 Owner" (her son, as "III \u2022 Owner" is)
    was her staff entry."""
    assert contexts(f"<ul><li>Dana Whitfield 3rd {mark} Owner</li></ul>") == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 2nd-Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 3rd&nbsp;Generation Owner</li></ul>",
])  # fmt: skip
def test_an_ordinal_a_word_follows_is_her_titles(team: str) -> None:
    """A word after the ordinal, by a blank or a hyphen, makes it her title's: "2nd-Shift
    Supervisor" had been read as a suffix before a hyphen ("3rd - Owner")."""
    assert contexts(team) == ["staff"]


# --- years before her name
# A span of years written with a dash before her name on a team page ("1990-2015 Dana
# Whitfield", a past presidents' list) tells a tenure or a life that is over, as "from 1990 to
# 2015" does: a mention, not her staff entry.


@pytest.mark.parametrize("line", [
    "1990\u20132015 Dana Whitfield",
    "1990 - 2015: Dana Whitfield, President",
    "<span>1990\u20132015</span><span>Dana Whitfield</span><span>President</span>",
    "1990 to 2015 Dana Whitfield",
])  # fmt: skip
def test_a_span_of_years_before_her_name_is_no_staff_entry(line: str) -> None:
    """A review: only "1990 to 2015" was read as a tenure over; with a dash it is a life
    span after her name (a memorial) and was nothing before it, so the list was her staff,
    and a card of spans ("<span>1990\u20132015</span><span>Dana Whitfield</span>", now read
    with a blank between) reached it too."""
    assert contexts(f'<ul class="team"><li>{line}</li><li>Sam Lee - Owner</li></ul>') == ["mention"]


@pytest.mark.parametrize("line", [
    "Since 1998 Dana Whitfield - Office Manager",
    "2015\u2013present Dana Whitfield - Office Manager",
    "Dana Whitfield - Office Manager since 1998",
])  # fmt: skip
def test_a_tenure_still_running_keeps_her_staff(line: str) -> None:
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]


# --- years in marks before her name
# A span of years before her name is a tenure or a life over whatever marks it ("(1990-2015)
# Dana Whitfield", "1990-2015 • Dana Whitfield"), as with a dash or a colon: a mention, not
# her staff entry.


@pytest.mark.parametrize("line", [
    "(1990-2015) Dana Whitfield",
    "[1990\u20132015] Dana Whitfield, President",
    "1990\u20132015 \u00b7 Dana Whitfield",
    "1990 - 2015 \u2022 Dana Whitfield, President",
    "1990-2015 / Dana Whitfield",
])  # fmt: skip
def test_a_span_of_years_in_any_mark_before_her_name_is_no_staff_entry(line: str) -> None:
    """A review: the span was read only when blanks, a colon, a comma, a bar or a dash
    parted it from her name, so a past presidents' list in brackets or with bullets was her
    staff."""
    assert contexts(f'<ul class="team"><li>{line}</li><li>Sam Lee - Owner</li></ul>') == ["mention"]


def test_a_year_before_her_name_alone_keeps_her_staff() -> None:
    """Held: one year is no span ("(2015) Dana Whitfield": since when)."""
    assert contexts('<ul class="team"><li>(2015) Dana Whitfield - Office Manager</li></ul>') == [
        "staff"
    ]


# --- outsider on her line
# Her line or her card's line calling her someone the business does not employ, with no job
# title of hers ("Dana Whitfield - Volunteer", "Volunteer: Dana Whitfield", "Dana Whitfield,
# Board Member", "Sponsor"), says what a Volunteers, Sponsors or Board heading over her line
# says: a mention. A job of hers serving them ("Volunteer Coordinator", "Customer Service") is
# her title.


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Volunteer</li><li>Sam Lee - Owner</li></ul>",
    "<ul><li>Volunteer: Dana Whitfield</li><li>Sam Lee - Owner</li></ul>",
    "<ul><li>Dana Whitfield (volunteer since 2015)</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>Volunteer</span></p>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Volunteer</p></div>',
    "<ul><li>Dana Whitfield, Board Member</li></ul>",
    "<ul><li>Dana Whitfield, Board Chair</li></ul>",
    "<ul><li>Dana Whitfield, Trustee</li></ul>",
    "<ul><li>Dana Whitfield - Sponsor</li></ul>",
    "<ul><li>Customer: Dana Whitfield</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Board of Directors</p></div>',
])  # fmt: skip
def test_someone_the_business_does_not_employ_is_not_staff(team: str) -> None:
    """A review: "Volunteer" is a title word but no role, and "Board Member", "Trustee" or
    "Sponsor" no title at all, so the line had no title and, on a team page, was her
    employment, while the same words as a heading over her line made her a mention."""
    assert contexts(team) == ["mention"]


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Volunteer Coordinator</li></ul>",
    "<ul><li>Dana Whitfield - Volunteer Services Manager</li></ul>",
    "<ul><li>Dana Whitfield - Office Manager, volunteer firefighter</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Volunteer Coordinator</p></div>',
    "<ul><li>Dana Whitfield - Customer Service</li></ul>",
    "<ul><li>Dana Whitfield - Vendor Relations</li></ul>",
    "<ul><li>Dana Whitfield, Board Certified Hygienist</li></ul>",
    "<ul><li>Dana Whitfield, Client</li></ul>",
])  # fmt: skip
def test_a_job_of_hers_serving_them_keeps_her_staff(team: str) -> None:
    """Held: a title word after the word is her job serving them; "Client" is no outsider
    (a law or advisory firm's staff are its clients' partners, as the headings are read)."""
    assert contexts(team) == ["staff"]


@pytest.mark.parametrize(
    "title", ["Board Relations Manager", "Board Liaison", "Customer Success", "Customer Experience"]
)
def test_a_job_serving_the_board_keeps_her_staff(title: str) -> None:
    """A review: "Board" read as a seat on it and "Customer" as a customer whatever followed,
    so the staff member who serves the board or the customers was no staff entry."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {title}</li></ul>') == ["staff"]


def test_board_certified_keeps_her_staff() -> None:
    assert contexts("<ul><li>Dana Whitfield, Board-Certified Hygienist</li></ul>") == ["staff"]


# --- outsider after a word
# A volunteer, a sponsor or a customer is no staff with a word of praise or rank before
# it ("Loyal Customer", "Gold Sponsor", "Event Volunteer") as without one: the outsider's
# word ends the clause and no title word comes before it.


@pytest.mark.parametrize("said", [
    "Loyal Customer", "Longtime Customer", "Gold Sponsor", "Proud Sponsor", "Event Volunteer",
    "Preferred Vendor",
])  # fmt: skip
def test_an_outsider_after_a_word_is_no_staff(said: str) -> None:
    """A review: only a clause starting with the outsider's word was read, so "Dana
    Whitfield - Loyal Customer" on a team page was her staff entry."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') == ["mention"]
    card = f'<div class="team-member"><h3>Dana Whitfield</h3><p>{said}</p></div>'
    assert contexts(card) == ["mention"]


@pytest.mark.parametrize("said", ["Director of Volunteers", "Head of Customer"])
def test_a_job_over_them_keeps_her_staff(said: str) -> None:
    """Held: a title word before the outsider's word is her job over them."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') == ["staff"]


# --- job serving customers
# A title that serves customers, vendors or volunteers is hers even when its second word is
# no title word ("Customer Success Manager", "Customer Experience Lead"): it ends in a role
# word, as a job does. Being a customer or a volunteer is no job ("Customer since 1990").


@pytest.mark.parametrize("title", [
    "Customer Success Manager",
    "Customer Experience Lead",
    "Volunteer Engagement Specialist",
    "Vendor Onboarding Coordinator",
])  # fmt: skip
def test_a_job_serving_them_keeps_her_staff(title: str) -> None:
    """A review: only a title word right after "Customer" made it a job, so "Customer
    Success Manager", a common title, made her a customer and no staff."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {title}</li></ul>') == ["staff"]
    card = f'<div class="team-member"><h3>Dana Whitfield</h3><p>{title}</p></div>'
    assert contexts(card) == ["staff"]


@pytest.mark.parametrize("said", [
    "Customer since 1990",
    "Customer of our Office Manager",
    "Volunteer for our Service Manager",
])  # fmt: skip
def test_a_customer_or_volunteer_is_still_no_staff(said: str) -> None:
    """Held: a role word ending a phrase that is not a title ("of our Office Manager") is
    someone else's."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') != ["staff"]


# --- named after her center
# A center or program named after her ("the Dana Whitfield Center") is a thing named after
# her, as a scholarship or an award is, not her staff entry; "Center Director" after her name
# is her title.


@pytest.mark.parametrize("team", [
    "<ul><li>Visit us at the Dana Whitfield Center</li></ul>",
    "<ul><li>Our office is in the Dana Whitfield Centre</li></ul>",
    "<ul><li>Dana Whitfield Center for the Arts</li></ul>",
    "<ul><li>Dana Whitfield Program volunteers</li></ul>",
    '<p class="team"><span>The</span> <span>Dana Whitfield</span><span>Center</span></p>',
])  # fmt: skip
def test_a_center_named_after_her_is_no_entry(team: str) -> None:
    """A review: "Center" and "Program" are title words ("Center Director", "Program
    Manager"), so a capitalised one after her name made no longer name, and the building
    named after her was her staff entry."""
    assert contexts(team) == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Center Director</li></ul>",
    "<ul><li>Dana Whitfield Center Director</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>Program Manager</span></p>',
])  # fmt: skip
def test_a_title_starting_with_center_is_hers(team: str) -> None:
    assert contexts(team) == ["staff"]


# --- the center named after her
# On a team page "the Dana Whitfield Center Director" is the director of a center named
# after her: "the" before her name makes what follows a thing's name, even when the words
# after it would make her title ("Dana Whitfield Center Director" alone is hers).


@pytest.mark.parametrize("line", [
    "Tom Reed, the Dana Whitfield Center Director",
    "Tom Reed - The Dana Whitfield Program Manager",
    "The Dana Whitfield Centre Manager: Tom Reed",
    "Tom Reed - Dana Whitfield Center Director",  # another's name, then the center's
    "Tom Reed, Dana Whitfield Program Manager",
    "Tom A. Reed \u2013 Dana Whitfield Center Director",
    "Tom Reed, Jr. - Dana Whitfield Center Director",  # his suffix or credential after a comma
    "Tom Reed, PhD - Dana Whitfield Center Director",
    "Tom Reed, CPA, Dana Whitfield Program Manager",
])  # fmt: skip
def test_the_center_named_after_her_is_no_staff_entry(line: str) -> None:
    """A review: a title after the center's word ("Center Director") kept her name as her
    own, so the director of the center named after her made her the business's Center
    Director."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == []


@pytest.mark.parametrize("line", [
    "Dana Whitfield Center Director", "Dana Whitfield - Center Director",
    "Office Manager - Dana Whitfield", "Center Director: Dana Whitfield",
    "Tom Reed - Owner; Dana Whitfield Center Director",
    "Tom Reed, Owner - Dana Whitfield Center Director",
])  # fmt: skip
def test_her_title_after_her_name_keeps_her_staff(line: str) -> None:
    """Held: without "the" or another's name before it her name is hers ("Dana Whitfield
    Center Director"), and so is a title before her name."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]


# --- another's name set off by any mark
# Another person's name before "Dana Whitfield Center Director" makes the center his and
# named after her whatever mark sets his name off from the rest of the clause (a colon, a
# bracket, a slash, a bar, a bullet), as a dash or a comma does; a title there, or nobody,
# leaves her name hers.


@pytest.mark.parametrize("line", [
    "Tom Reed: Dana Whitfield Center Director",
    "Tom Reed (Dana Whitfield Center Director)",
    "Tom Reed [Dana Whitfield Program Manager]",
    "Tom Reed / Dana Whitfield Center Director",
    "Tom Reed | Dana Whitfield Center Director",
    "Tom Reed \u2022 Dana Whitfield Centre Manager",
    "Tom Reed, PhD: Dana Whitfield Center Director",
    "Staff: Tom Reed (Dana Whitfield Center Director)",
])  # fmt: skip
def test_another_name_set_off_by_any_mark_makes_it_the_center(line: str) -> None:
    """A review: only a dash or a comma after his name was read as setting it off, so "Tom
    Reed: Dana Whitfield Center Director" made her the business's Center Director."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == []


@pytest.mark.parametrize("team", [
    '<ul class="team"><li>Tom da Silva: Dana Whitfield Center Director</li></ul>',
    '<ul class="team"><li>Tom da Silva - Dana Whitfield Center Director</li></ul>',
    '<ul class="team"><li>Jan op den Berg | Dana Whitfield Program Manager</li></ul>',
    '<div class="team-member"><h3>Tom da Silva</h3><p>Dana Whitfield Center Director</p></div>',
])  # fmt: skip
def test_another_name_with_particles_makes_it_the_center(team: str) -> None:
    """A review: another's name was capitalised words only, so one with a surname's particles
    ("Tom da Silva") set off before her name, or above it in his card, was no name and made
    her the business's Center Director; short lower-case words between are a name's."""
    assert contexts(team) == []


def test_a_sentences_small_words_before_her_name_keep_her_staff() -> None:
    """Held: small words a sentence runs on with ("of the") make no name's particles."""
    team = '<ul class="team"><li>Part of the Family: Dana Whitfield Center Director</li></ul>'
    assert contexts(team) == ["staff"]


@pytest.mark.parametrize("line", [
    "Dana Whitfield | Center Director",
    "Dana Whitfield: Center Director",
    "Office Manager | Dana Whitfield Center Director",
    "Center Director: Dana Whitfield Center Director",
    "Our Team: Dana Whitfield Center Director",
    "Meet Our Staff | Dana Whitfield Center Director",
    "Tom Reed - Owner | Dana Whitfield Center Director",
    "Tom Reed. Dana Whitfield Center Director",
])  # fmt: skip
def test_no_one_set_off_before_her_name_keeps_her_staff(line: str) -> None:
    """Held: her name first, a title or a heading's words before it ("Our Team"), another's
    whole entry before it, or his sentence ended."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]


@pytest.mark.parametrize("line", [
    "Coach Tom Reed - Dana Whitfield Program Director",
    "Captain Tom Reed: Dana Whitfield Center Director",
    "Father Tom Reed | Dana Whitfield Center Director",
])  # fmt: skip
def test_another_name_after_a_form_of_address_makes_it_the_center(line: str) -> None:
    """A review: a heading's or a greeting's first word made the words no name ("Our Team"),
    and "Coach", "Captain" and "Father", which are no part of her name before it, were among
    them, so "Coach Tom Reed - Dana Whitfield Program Director" made her the director."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == []


@pytest.mark.parametrize("line", [
    "Tom Reed, Jr.- Dana Whitfield Center Director",
    "Tom Reed, CPA- Dana Whitfield Program Director",
])  # fmt: skip
def test_a_hyphen_after_his_suffix_sets_his_name_off(line: str) -> None:
    """A review: once a hyphen set a name off only with a blank before it (one inside a name
    joins it), one glued to his suffix or credential ("Jr.- ") set nothing off, so the
    center's director was her; a blank after it makes it a dash."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == []


@pytest.mark.parametrize("team", [
    '<div class="team-member"><h3>Tom Reed</h3><p>Dana Whitfield Center Director</p></div>',
    '<div class="bio"><strong>Tom A. Reed</strong><p>Dana Whitfield Program Manager</p></div>',
    '<p class="team"><b>Tom Reed</b><br>Dana Whitfield Centre Manager</p>',
])  # fmt: skip
def test_another_name_above_her_line_in_a_card_makes_it_the_center(team: str) -> None:
    """A review: another person's name set off by a dash made the center his, but his name
    alone on the line above in his card (the common card shape) still made her the
    business's Center Director."""
    assert contexts(team) == []


@pytest.mark.parametrize("team", [
    '<table class="staff"><tr><td>Tom Reed</td><td>Dana Whitfield Center Director</td></tr>'
    "</table>",
    '<table class="staff"><tr><td>Tom Reed:</td><td>Dana Whitfield Program Manager</td></tr>'
    "</table>",
    '<div class="team-member"><h3>Tom Reed -</h3><p>Dana Whitfield Center Director</p></div>',
])  # fmt: skip
def test_another_name_in_the_cell_before_hers_makes_it_the_center(team: str) -> None:
    """A review: two cells of a table row were read as two entries of a list, so his name in
    the row's first cell and his title in the next made her the business's Center Director;
    and a mark after his name above her line ("Tom Reed:") made it no name."""
    assert contexts(team) == []


@pytest.mark.parametrize("team", [
    '<table class="staff"><tr><td>Tom Reed</td></tr><tr><td>Dana Whitfield Center Director</td>'
    "</tr></table>",
    '<table class="staff"><tr><td>Office Manager</td><td>Dana Whitfield Center Director</td></tr>'
    "</table>",
    '<table class="staff"><tr><td>Dana Whitfield</td><td>Center Director</td></tr></table>',
])  # fmt: skip
def test_a_row_of_her_own_keeps_her_staff(team: str) -> None:
    """Held: the row above is another entry, and a title or her name in the cell before."""
    assert contexts(team) == ["staff"]


@pytest.mark.parametrize("cell", [
    "Sam Lee - Volunteer", "Sam Lee, Board Member", "Sam Lee - Retired", "Sam Lee | Guest Speaker",
])  # fmt: skip
def test_the_next_persons_cell_in_a_grid_keeps_her_staff(cell: str) -> None:
    """A review: once a row's cells were read as one entry's columns, the next person's cell
    of a table laid out as a grid (one person a cell) was read beside her name, so his
    "Volunteer" or "Board Member" made her no staff; a cell starting with another's name is
    his card."""
    row = f"<tr><td>Dana Whitfield</td><td>{cell}</td></tr>"
    assert contexts(f'<table class="staff">{row}</table>') == ["staff"]


@pytest.mark.parametrize("cell", [
    "Volunteer", "Board Member", "Former Owner", "Loyal Customer - since 2010",
    "Guest Speaker (2024)", "Former Owner - 1990", "Board Chair, 2023",
])  # fmt: skip
def test_a_label_in_her_rows_next_cell_is_hers(cell: str) -> None:
    """Held: a label in the next cell is her row's column, capitalised words and all: she is
    no staff."""
    row = f"<tr><td>Dana Whitfield</td><td>{cell}</td></tr>"
    assert contexts(f'<table class="staff">{row}</table>') == ["mention"]


@pytest.mark.parametrize("team", [
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Center Director</p></div>',
    '<div class="team-member"><h3>Office Manager</h3><p>Dana Whitfield Center Director</p></div>',
    '<ul class="team"><li>Tom Reed</li><li>Dana Whitfield Center Director</li></ul>',
    '<div class="team-member"><h3>Tom Reed</h3><p>Dana Whitfield - Center Director</p></div>',
])  # fmt: skip
def test_a_line_above_hers_that_is_no_name_keeps_her_staff(team: str) -> None:
    """Held: a title above her line, her name above her title, and a list's next entry."""
    assert contexts(team) == ["staff"]


# --- quotation before her card line
# A quotation or a review's stars in a paragraph of its own before her name in her card is
# a testimonial's, as a ``<blockquote>`` there is: her name after it is its attribution, a
# mention, as the README says ("after a quotation or a review's stars on her line or in her
# card").


@pytest.mark.parametrize("quote", [
    "<p>\u201cThey fixed our boiler in an hour.\u201d</p>",
    '<p>"They fixed our boiler in an hour."</p>',
    "<p>\u2605\u2605\u2605\u2605\u2605</p>",
    "<p>\u00abIls ont r\u00e9par\u00e9 la chaudi\u00e8re.\u00bb</p>",
    "<p>\u201eSie haben den Kessel repariert.\u201c</p>",
    "<p>\u2039Tr\u00e8s bien.\u203a</p>",
    "<p>\u00bbSehr gut.\u00ab</p>",
    '<div class="stars">\u2605\u2605\u2605\u2605\u2606</div>',
])  # fmt: skip
def test_her_name_after_a_quotation_in_her_card_is_a_mention(quote: str) -> None:
    """A review: only a ``<blockquote>`` or ``<q>`` in her card was read as a quotation, so
    a testimonial's quote or stars in a paragraph above her name made her staff."""
    card = f'<div class="card">{quote}<p>Dana Whitfield, Office Manager</p></div>'
    assert contexts(card) == ["mention"]


@pytest.mark.parametrize("card", [
    '<div class="card"><h3>Dana Whitfield</h3><p>Office Manager</p>'
    "<p>\u201cI love a tidy schedule.\u201d</p></div>",
    '<div class="card"><p>Our Office Manager keeps the 3/4" fittings in stock.</p>'
    "<p>Dana Whitfield, Office Manager</p></div>",
])  # fmt: skip
def test_her_own_quote_after_her_name_keeps_her_staff(card: str) -> None:
    """Held: her own quote after her name and title, and a quote mark inside a sentence."""
    assert contexts(card) == ["staff"]


# --- quotation marks of any language
# A quotation in the marks other languages use (\u00ab...\u00bb, \u201e...\u201c,
# \u2039...\u203a, \u00bb...\u00ab) before her name on her line is a testimonial's, as "..."
# and \u201c...\u201d are: her name after it is its attribution, a mention.


@pytest.mark.parametrize("quote", [
    "\u00abIls ont r\u00e9par\u00e9 la chaudi\u00e8re en une heure.\u00bb",
    "\u201eSie haben den Kessel in einer Stunde repariert.\u201c",
    "\u2039Tr\u00e8s bien.\u203a",
    "\u00bbSehr gut.\u00ab",
])  # fmt: skip
def test_a_quotation_in_any_marks_before_her_name_is_a_mention(quote: str) -> None:
    """A review: only "..." and \u201c...\u201d were read as a quotation, so a French or
    German testimonial's attribution on a team page was her employment."""
    line = f"{quote} \u2014 Dana Whitfield, Office Manager"
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["mention"]


@pytest.mark.parametrize("team", [
    '<ul class="team"><li>\u300c\u4fee\u7406\u304c\u65e9\u304b\u3063\u305f\u3002\u300d'
    "\u2014 Dana Whitfield, Office Manager</li></ul>",
    '<ul class="team"><li>\u300e\u3068\u3066\u3082\u826f\u3044\u3002\u300f Dana Whitfield'
    "</li></ul>",
    '<ul class="team"><li>\uff62\u826f\u3044\uff63 Dana Whitfield - Office Manager</li></ul>',
    '<div class="card"><p>\u300cThey fixed our boiler in an hour.\u300d</p>'
    "<p>Dana Whitfield, Office Manager</p></div>",
])  # fmt: skip
def test_a_quotation_in_corner_brackets_before_her_name_is_a_mention(team: str) -> None:
    """A review: the corner brackets Chinese and Japanese quote with (\u300c...\u300d,
    \u300e...\u300f) are no Pi/Pf marks, so a testimonial in them before her name, on her
    line or in her card, left her attribution her employment."""
    assert contexts(team) == ["mention"]


@pytest.mark.parametrize("line", [
    "Dana Whitfield - Office Manager \u00abI love a tidy schedule\u00bb",
    "The O\u2019Connor team: Dana Whitfield - Office Manager",
])  # fmt: skip
def test_her_own_quote_or_an_apostrophe_keeps_her_staff(line: str) -> None:
    """Held: her own quote after her name, and a curly apostrophe (O\u2019Connor), which is
    no quotation mark."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]


@pytest.mark.parametrize("team", [
    '<ul class="team"><li>\u00bb Dana Whitfield, Office Manager</li></ul>',
    '<ul class="team"><li>\u203a Dana Whitfield - Office Manager</li></ul>',
    '<div class="team-member"><p><a href="/team">\u00ab Back to team</a></p>'
    "<h3>Dana Whitfield</h3><p>Office Manager</p></div>",
])  # fmt: skip
def test_an_angle_mark_alone_is_an_arrow_and_keeps_her_staff(team: str) -> None:
    """Held: an angle mark alone is an arrow or a bullet ("\u00bb Dana Whitfield", "\u00ab Back
    to team"), not a quotation: only a pair of them quotes."""
    assert contexts(team) == ["staff"]


@pytest.mark.parametrize("heading", [
    "\u00abTeam\u00bb", "\u2039Team\u203a", "\u201cOur Team\u201d", "\u201eMeet the Staff\u201c",
    "\u300cOur Team\u300d",
])  # fmt: skip
def test_a_team_heading_in_quotation_marks_keeps_her_staff(heading: str) -> None:
    """A review: a section's heading set in quotation marks as decoration ("\u00abTeam\u00bb")
    read as a quotation before her name, so everyone under it was a testimonial's
    attribution; only a greeting's and the team's words there are no customer's."""
    team = f'<div class="team"><h2>{heading}</h2><p>Dana Whitfield - Office Manager</p></div>'
    assert contexts(team) == ["staff"]


def test_a_quoted_heading_in_a_customers_words_is_a_mention() -> None:
    """Held: a review's quoted heading that praises the staff is a customer's words."""
    card = "<div><h4>\u201cGreat staff!\u201d</h4><p>Dana Whitfield</p></div>"
    assert contexts(f'<div class="team">{card}</div>') == ["mention"]
