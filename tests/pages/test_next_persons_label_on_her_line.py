"""A title after her name that labels the next person on her line ("Office Manager: Dana
Whitfield | Owner: Tom Reed") is his, not hers: her title is the one before her name, and
"Owner" is never kept as hers."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def titles(team: str) -> list[tuple[str, str]]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [(m.context, m.job_title) for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("team", [
    "<p>Office Manager: Dana Whitfield | Owner: Tom Reed</p>",
    "<p>Office Manager: Dana Whitfield Owner: Tom Reed</p>",
    "<p><span>Office Manager:</span><span>Dana Whitfield</span><span>Owner:</span>"
    "<span>Tom Reed</span></p>",
])  # fmt: skip
def test_a_title_labelling_the_next_person_is_not_hers(team: str) -> None:
    """A review: the title after her name was kept whatever followed it, so she was the
    Owner; a line of spans ("<span>Owner:</span><span>Tom Reed</span>", now read with a
    blank between) reached it too."""
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize(("team", "title"), [
    ("<p>Dana Whitfield - Office Manager: handles billing</p>", "Office Manager"),
    ("<p>Dana Whitfield - Owner, Sam Lee - Estimator</p>", "Owner"),
    ("<p>Dana Whitfield - Office Manager at Harbor Lane</p>", "Office Manager"),
])  # fmt: skip
def test_her_own_title_after_her_name_is_kept(team: str, title: str) -> None:
    """Held: a colon before what she does, and the next entry after a comma."""
    assert titles(team) == [("staff", title)]


@pytest.mark.parametrize("team", [
    "<p>Dana Whitfield, Office Manager: She joined us in 2015.</p>",
    "<p>Dana Whitfield - Office Manager: Responsible for billing</p>",
    "<p>Dana Whitfield - Office Manager: Ext. 12</p>",
    "<p>Dana Whitfield - Office Manager: Phone 555-0134</p>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager: She joined us in 2015.'
    "</p></div>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p><b>Office Manager:</b> Keeps our '
    "schedule.</p></div>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager (She/Her)</p></div>',
])  # fmt: skip
def test_words_after_her_title_that_start_no_name_keep_it(team: str) -> None:
    """A review: any capitalised word after "Office Manager:" was read as the next person's
    name, so her title was dropped before a sentence about her ("She joined us"), a duty
    ("Responsible for billing") or her extension, and a card's line lost it before her
    pronouns ("(She/Her)"); a name is capitalised words, or one before a break, and a word a
    lower-case word, a number or a slash follows starts a sentence, a label or pronouns."""
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize("team", [
    "<p>Office Manager: Dana Whitfield Owner: Tom de Vries</p>",
    "<p>Office Manager: Dana Whitfield | Owner: Tom, since 1998</p>",
    "<p>Office Manager: Dana Whitfield | Owner: Tom and Sam Reed</p>",
    "<p>Office Manager: Dana Whitfield | Owner: TOM REED</p>",
])  # fmt: skip
def test_a_name_after_the_next_title_is_still_labelled(team: str) -> None:
    """Held: a surname's particle, a comma, "and" or capitals after his first name."""
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize("other", [
    "Maria y Lopez", "Joao do Nascimento", "Fatima bint Ahmed", "Ali ben Salah",
    "Jan op den Berg", "Marc des Jardins", "Tom van't Hof", "Lucia delle Donne",
])  # fmt: skip
@pytest.mark.parametrize(("shape", "title"), [
    ("<p>Office Manager: Dana Whitfield | Owner: {}</p>", "Office Manager"),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Owner: {}</p></div>', ""),
])  # fmt: skip
def test_a_name_with_particles_of_any_language_is_labelled(
    shape: str, title: str, other: str
) -> None:
    """A review: only the particles a name parser knows ("de", "van", "bin") passed for a
    name, so after "Owner:" a Spanish "y", a Portuguese "do" or an Arabic "bint" read as a
    sentence and his title became hers; short lower-case words before a capitalised one are
    a name's."""
    assert titles(shape.format(other)) == [("staff", title)]


@pytest.mark.parametrize("said", [
    "Born in Ohio", "Loves her Corgi", "She is Tom's daughter", "Part of our Denver team",
])  # fmt: skip
def test_a_sentence_with_a_capitalised_word_keeps_her_title(said: str) -> None:
    """Held: short English words a sentence runs on with before a capitalised one ("in
    Ohio", "her Corgi") are no name's particles."""
    team = f'<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager: {said}</p></div>'
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize(("team", "title"), [
    ("<p>Office Manager: Dana Whitfield | Owner: Tom/Sam Reed</p>", "Office Manager"),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Owner: Tom/ Sam Reed</p></div>', ""),
])  # fmt: skip
def test_a_couple_after_a_slash_is_labelled(team: str, title: str) -> None:
    """A review: any word a slash followed was read as her pronouns ("She/Her"), so a couple
    ("Tom/Sam Reed") after "Owner:" was no name and his title became hers; two capitalised
    words after the slash are a name."""
    assert titles(team) == [("staff", title)]


@pytest.mark.parametrize(("team", "title"), [
    ("<p>Office Manager: Dana Whitfield | Owner: Tom reed</p>", "Office Manager"),
    ("<p>Office Manager: Dana Whitfield | Owner: Tom reed, since 1998</p>", "Office Manager"),
    ('<div class="team-member"><h3>Dana Whitfield</h3><p>Owner: Tom reed</p></div>', ""),
    ('<div class="team-member"><p>Owner: Tom reed</p><h3>Dana Whitfield</h3></div>', ""),
    ('<div class="team-member"><p>Owner: Tom reed | Since 1998</p><h3>Dana Whitfield</h3>'
     "</div>", ""),
    ("<p>Office Manager: Dana Whitfield | Estimator: Sam lee</p>", "Office Manager"),
])  # fmt: skip
def test_a_name_with_its_surname_in_lower_case_is_labelled(team: str, title: str) -> None:
    """A review: a capitalised word a lower-case one followed read as a sentence ("She
    joined"), so "Owner: Tom reed", his surname typed in lower case, labelled no one and his
    title became hers, after her name or on her card's line above it; one lower-case word
    ending its clause after a given name the nickname table knows is a name's."""
    assert titles(team) == [("staff", title)]


@pytest.mark.parametrize("said", [
    "Loves dogs.", "Joined us", "She joined us in 2015", "Keeps our books", "Answers the phones",
    "Part time", "Bilingual staff",
])  # fmt: skip
def test_a_short_sentence_after_her_title_keeps_it(said: str) -> None:
    """Held: a sentence's end, a small word a sentence runs on with, more words after the
    lower-case one, or a first word that is no given name ("Part time")."""
    team = f'<div class="team-member"><h3>Dana Whitfield</h3><p>Office Manager: {said}</p></div>'
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize("team", [
    "<p>Dana Whitfield - Owner Tom Reed</p>",
    "<p>Dana Whitfield | Owner Tom Reed</p>",
    "<p>Dana Whitfield: Owner Tom Reed</p>",
    "<p>Dana Whitfield \u2013 Owner Tom Reed</p>",
    "<p>Dana Whitfield- Owner Tom Reed</p>",
    "<p>Dana Whitfield Owner Tom Reed</p>",
    "<p>Dana Whitfield, Office Manager Tom Reed, Estimator</p>",
    "<p>Dana Whitfield - Owner &amp; Operator Tom Reed</p>",
    "<p>Dana Whitfield - Owner and Founder Tom Reed</p>",
    "<p>Dana Whitfield - Owner Tom reed</p>",
    "<p>Dana Whitfield - Owner TOM REED</p>",
    "<table><tr><td>Dana Whitfield - Owner Tom Reed</td><td>555-0134</td></tr></table>",
    '<div class="team-member"><h3>Dana Whitfield - Owner Tom Reed</h3></div>',
    "<p>Dana Whitfield | Title: Owner Tom Reed</p>",
])  # fmt: skip
def test_a_title_with_another_name_right_after_it_is_not_hers(team: str) -> None:
    """A review: her title was read after her name whatever followed it, so with another's
    name right after it and no mark between ("Dana Whitfield - Owner Tom Reed") she was the
    Owner; whose it is cannot be told, so she keeps the hit without a title."""
    assert titles(team) == [("staff", "")]


@pytest.mark.parametrize(("team", "title"), [
    ("<p>Dana Whitfield - Owner | Tom Reed - Estimator</p>", "Owner"),
    ("<p>Dana Whitfield - Owner since 1998</p>", "Owner"),
    ("<p>Dana Whitfield - Owner and Robert Plant</p>", "Owner"),
    ("<p>Dana Whitfield - Office Manager Email dana@harborlane.example</p>", "Office Manager"),
    ("<p>Dana Whitfield - Office Manager dana@harborlane.example</p>", "Office Manager"),
    ("<p>Dana Whitfield (Owner) Tom Reed, Estimator</p>", "Owner"),
    ("<table><tr><td>Dana Whitfield</td><td>Owner</td><td>Tom Reed</td></tr></table>", "Owner"),
])  # fmt: skip
def test_a_mark_or_a_joiner_before_the_next_name_keeps_her_title(team: str, title: str) -> None:
    """Held: a mark between her title and the next name, "and" before a second person, a
    word that starts no name, or an e-mail address after it."""
    assert titles(team) == [("staff", title)]


def test_an_email_after_the_title_on_her_cards_line_keeps_it() -> None:
    """A review: the address's first part ("dana@...") read as a name, so the title before it
    labelled another person and her card gave her none."""
    team = "<div class=card><h3>Dana Whitfield</h3><p>Office Manager dana@harborlane.example</p>"
    assert titles(f"{team}</div>") == [("staff", "Office Manager")]


@pytest.mark.parametrize("team", [
    '<div class="card"><p>Tom Reed</p><p>Owner</p><p>Dana Whitfield</p></div>',
    "<ul><li>Tom Reed</li><li>Owner</li><li>Dana Whitfield</li></ul>",
    '<div class="card"><h3>Tom Reed</h3><p>Owner</p><p>Tom founded the firm with Dana Whitfield'
    " in 1999.</p></div>",
])  # fmt: skip
def test_a_title_under_another_persons_name_above_hers_is_his(team: str) -> None:
    """Where names stand above their titles, the title under his name is his: she had been
    the Owner (the title line above her name was read as hers whatever stood above it)."""
    assert [title for _, title in titles(team)] == [""]


@pytest.mark.parametrize(("team", "title"), [
    ('<div class="card"><p>Owner</p><p>Tom Reed</p><p>Office Manager</p><p>Dana Whitfield</p>'
     "</div>", "Office Manager"),
    ('<div class="card"><h3>Our office</h3><p>Office Manager</p><p>Dana Whitfield</p></div>',
     "Office Manager"),
    ('<div class="card"><p>Tom Reed</p><p>Owner</p><p>Dana Whitfield</p><p>Office Manager</p>'
     "</div>", "Office Manager"),
])  # fmt: skip
def test_a_title_above_her_name_is_hers_where_titles_stand_above_names(
    team: str, title: str
) -> None:
    """Held: titles above the names (the card's first line a title), a heading above hers, and
    her own title under her name."""
    assert [found for _, found in titles(team)] == [title]


@pytest.mark.parametrize("team", [
    "<p>His daughter Dana Whitfield, Owner Tom Reed</p>",
    "<p>His daughter Dana Whitfield, Owner: Tom Reed</p>",
])  # fmt: skip
def test_a_relative_before_another_persons_title_is_no_staff_entry(team: str) -> None:
    """A relative is staff only when her own title follows her name: "Owner" before his name
    is his, and had made her a staff entry."""
    assert titles(team) == [("mention", "")]


def test_a_relative_with_her_own_title_is_staff() -> None:
    """Held: her title after her name, whoever's daughter she is."""
    assert titles("<p>His daughter Dana Whitfield, Office Manager</p>") == [
        ("staff", "Office Manager")
    ]
