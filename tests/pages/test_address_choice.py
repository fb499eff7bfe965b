"""Which of a page's addresses is the business's mailing address: labels in the page's words
and its structure, addresses the page says take no mail, and addresses that are not its own."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/contact"
SHOP = "418 Dockside Ave, Springfield, IL 62703"


def preferred(body: str) -> str:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    chosen = page.preferred_address
    return chosen.one_line() if chosen is not None else ""


def kinds(body: str) -> dict[str, str]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return {a.one_line(): a.kind for a in page.addresses}


@pytest.mark.parametrize(
    ("body", "chosen"),
    [
        ("<p>Old address: PO Box 11, Springfield, IL 62701</p>"
         f"<p>New address: {SHOP}</p>", SHOP),
        (f"<p>Showroom: {SHOP}</p>"
         "<p>Previous mailing address: PO Box 11, Springfield, IL 62701</p>", SHOP),
        (f"<p>Do not send mail here: {SHOP}</p>"
         "<p>77 Commerce Dr, Springfield, IL 62704</p>", "77 Commerce Dr, Springfield, IL 62704"),
        (f"<p>Mail is not accepted at the shop: {SHOP}</p>"
         "<p>77 Commerce Dr, Springfield, IL 62704</p>", "77 Commerce Dr, Springfield, IL 62704"),
        ("<p>Former location: 12 Old Mill Rd, Springfield, IL 62701</p>", ""),
    ],
    ids=["old address", "previous mailing address", "do not send mail", "mail not accepted",
         "only a former one"],
)  # fmt: skip
def test_an_address_the_page_says_takes_no_mail_is_never_chosen(body: str, chosen: str) -> None:
    """ "Old address: PO Box 11" was a PO box and "Do not send mail here:" a mailing address:
    both were chosen as the mailing address."""
    assert preferred(body) == chosen


def test_the_pages_word_against_mail_outlasts_another_copy_of_the_address() -> None:
    body = ("<p>Previous mailing address: PO Box 11, Springfield, IL 62701</p>"
            "<footer>Mailing address: PO Box 11, Springfield, IL 62701</footer>")  # fmt: skip
    assert kinds(body) == {"PO Box 11, Springfield, IL 62701": "former"}
    assert preferred(body) == ""


@pytest.mark.parametrize(
    "label",
    ["Old Town Office", "The Old Mill Showroom", "Harbor Lane Plumbing (formerly Smith Plumbing)",
     "In the former Sears building"],
)  # fmt: skip
def test_old_or_former_naming_something_else_leaves_the_address_usable(label: str) -> None:
    assert preferred(f"<p>{label}: {SHOP}</p>") == SHOP


COMMERCE = "77 Commerce Dr, Springfield, IL 62704"


@pytest.mark.parametrize(
    ("body", "chosen"),
    [
        (f"<p><b>Showroom</b> {SHOP}</p><p><strong>Mailing address</strong> {COMMERCE}</p>",
         COMMERCE),
        (f"<p>Showroom: {SHOP}</p><p>Send payments to {COMMERCE}</p>", COMMERCE),
        (f"<p>Visit us: {SHOP}</p><p>Remit to {COMMERCE}</p>", COMMERCE),
        ("<p>We have moved! Our old address was 12 Old Mill Rd, Springfield, IL 62701.</p>"
         f"<p>{SHOP}</p>", SHOP),
        (f"<p>{SHOP}</p><p>Formerly at PO Box 11, Springfield, IL 62701</p>", SHOP),
        (f"<p>Please do not send mail to our shop address: {SHOP}</p><p>{COMMERCE}</p>",
         COMMERCE),
    ],
    ids=["bold label", "send payments to", "remit to", "we have moved", "formerly at",
         "long no-mail label"],
)  # fmt: skip
def test_the_words_leading_into_an_address_on_its_line_say_what_it_is(
    body: str, chosen: str
) -> None:
    """Only "Label: address" was read: a bold label with no colon, "Send payments to ...", or
    "Our old address was ..." left the address unlabelled, and the first one was chosen."""
    assert preferred(body) == chosen


@pytest.mark.parametrize(
    "label",
    ["Our old office has closed. New mailing address:",
     "Mail sent to the shop is not delivered. Mailing address:",
     "Do not send mail to the shop; use:"],
)  # fmt: skip
def test_a_label_of_two_sentences_says_what_the_address_is_in_its_last(label: str) -> None:
    """A label line telling of the old office, or of mail the shop refuses, before the new
    mailing address's own label made that address former or no_mail: the business's PO box
    was never chosen, and the page gave no mailing address at all."""
    body = f"<p>{label}</p><p>PO Box 2291</p><p>Springfield, IL 62705</p>"
    assert preferred(body) == "PO Box 2291, Springfield, IL 62705"


@pytest.mark.parametrize(
    "line",
    [f"We've moved from Main Street to {SHOP}",
     f"We moved from our old shop on Main St to {SHOP}!",
     f"Harbor Lane Plumbing has relocated from its former location into {SHOP}"],
)  # fmt: skip
def test_the_address_a_business_moved_to_is_not_its_former_one(line: str) -> None:
    """The words leading into the new address told where the business had moved from: "moved
    from", "our old shop" made the address it moved to former, and the page gave none."""
    assert preferred(f"<p>{line}</p>") == SHOP


@pytest.mark.parametrize(
    "line",
    [
        "We renovated the corporate office of Acme at 900 Elm St, Springfield, IL 62704",
        "Springfield Medical Billing, 900 Elm St, Springfield, IL 62704",
    ],
)
def test_a_story_or_a_name_before_an_address_is_no_label(line: str) -> None:
    page = read_page(f"<p>{line}</p>", URL)
    assert [(a.kind, a.label) for a in page.addresses] == [("unknown", "")]


def test_whom_payments_reach_is_not_kept_as_the_label() -> None:
    line = "Send payments to Marcus Oyelaran at PO Box 2291, Springfield, IL 62705"
    page = read_page(f"<p>{line}</p>", URL)
    assert [(a.lines, a.kind) for a in page.addresses] == [(("PO Box 2291",), "po_box")]
    assert "Oyelaran" not in page.addresses[0].label


@pytest.mark.parametrize(
    ("line", "found"),
    [
        (f"Showroom: {SHOP} | Mailing: PO Box 2291, Springfield, IL 62705",
         {SHOP: "location", "PO Box 2291, Springfield, IL 62705": "mailing"}),
        (f"Our head office moved from 12 Old Mill Rd, Springfield, IL 62701 to {SHOP}.",
         {"12 Old Mill Rd, Springfield, IL 62701": "former", SHOP: "unknown"}),
        ("Service area: Springfield, IL 62701, Chatham, IL 62629, Rochester, IL 62563", {}),
    ],
    ids=["showroom then mailing", "moved from ... to", "towns served"],
)  # fmt: skip
def test_two_addresses_on_one_line_are_two(line: str, found: dict[str, str]) -> None:
    """Only the line's last town and ZIP ended an address, the first address became its
    delivery lines: "418 Dockside Ave, Springfield, IL 62703, Mailing: PO Box 2291" as the
    showroom, a list of towns served as an address."""
    assert kinds(f"<p>{line}</p>") == found


@pytest.mark.parametrize(
    ("box", "lines"),
    [
        ("POB 2291, Springfield, IL 62705-2291", ("POB 2291",)),
        ("PO Drawer 2291, Springfield, IL 62705-2291", ("PO Drawer 2291",)),
        ("P.O. Drawer 2291<br>Springfield, IL 62705-2291", ("P.O. Drawer 2291",)),
        ("Drawer 2291<br>Springfield, IL 62705", ("Drawer 2291",)),
        ("Lockbox 2291<br>Springfield, IL 62705", ("Lockbox 2291",)),
        ("77 Commerce Dr PMB 114, Springfield, IL 62704", ("77 Commerce Dr PMB 114",)),
        ("(PO Box 2291, Springfield, IL 62705)", ("PO Box 2291",)),
    ],
)  # fmt: skip
def test_a_box_written_another_way_is_a_po_box_preferred_to_the_shop(
    box: str, lines: tuple[str, ...]
) -> None:
    """POB, a drawer, a lockbox or a PMB was no PO box (the shop, read first, was chosen; a
    drawer on its own line was no address at all), and "(PO Box" lost its "PO"."""
    page = read_page(f"<p>{SHOP}</p><p>{box}</p>", URL)
    chosen = page.preferred_address
    assert chosen is not None and (chosen.lines, chosen.kind) == (lines, "po_box")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Don't hesitate to send us mail at PO Box 2291, Springfield, IL 62705", "po_box"),
        ("Not sure where to send your payment? Mail it to PO Box 2291, Springfield, IL 62705",
         "mailing"),
        (f"Never miss a delivery: ship to {SHOP}", "unknown"),
        (f"Our old friends are welcome at {SHOP}", "unknown"),
        (f"No appointment needed! Visit us at {SHOP}", "location"),
        ("We have moved! Our old office at 12 Old Mill Rd, Springfield, IL 62701 is closed",
         "former"),  # "our old" before a place of business, not before friends
    ],
)  # fmt: skip
def test_a_negation_or_old_that_is_not_about_mail_bars_no_address(line: str, kind: str) -> None:
    """A review: any "not", "don't" or "never" a few words before "send" or "mail" in the
    words leading into an address, across sentences, made it one that takes no mail: the
    PO box a page invites mail to was never chosen."""
    assert list(kinds(f"<p>{line}</p>").values()) == [kind]


HOME = "https://harborlane.example/"
FOOTER = f"<footer><p>Harbor Lane Plumbing, {SHOP}</p></footer>"


def chosen_on(url: str, body: str) -> str:
    chosen = read_page(f"<html><body>{body}</body></html>", url).preferred_address
    return chosen.one_line() if chosen is not None else ""


@pytest.mark.parametrize(
    "body",
    [
        "<p>Join us at the Springfield Expo, 1 Fair Rd, Springfield, IL 62702</p>",
        "<p>Location: 55 Yard Rd, Springfield, IL 62702</p>",
        "<div class='job-posting'><h3>Plumber</h3>"
        "<p>Mail your application to 55 Yard Rd, Springfield, IL 62702</p></div>",
        "<article class='post category-news'><p>We refitted the kitchens of our client "
        "Acme Foods, 9 Mill St, Springfield, IL 62702</p><footer>Posted in News</footer></article>",
        "<section class='case-study'><address>Acme Foods, 9 Mill St, Springfield, IL 62702"
        "</address></section>",
        "<div itemscope itemtype='https://schema.org/MusicEvent'><p>Springfield Expo, "
        "1 Fair Rd, Springfield, IL 62702</p></div>",
        "<ul class='suppliers'><li>Midwest Pipe, 4 Foundry Way, Springfield, IL 62702</li></ul>",
        "<article class='post-5 post type-post hentry'><p>Acme Foods, 9 Mill St, Springfield, "
        "IL 62702</p></article>",
    ],
    ids=["event in the body", "a job's location in the body", "a job posting's mail",
         "client in a news item", "address element in a case study", "schema.org event",
         "a supplier", "a WordPress post"],
)  # fmt: skip
def test_the_footers_address_before_one_in_the_body_or_a_story(body: str) -> None:
    """The first address read was chosen: an event's venue, a job's "Location:", a client's
    address in a news item above the site's own footer (both unlabelled, or the job's a
    location); the footer's section was read and never used."""
    assert chosen_on(HOME, body + FOOTER) == SHOP


@pytest.mark.parametrize(
    ("body", "chosen"),
    [
        ("<div class='events'><p>Springfield Expo, 1 Fair Rd, Springfield, IL 62702</p></div>",
         ""),
        (f"<div class='news'><p>Our showroom at {SHOP}</p></div><p>Visit us: {SHOP}</p>", SHOP),
        (f"<p>Mailing address: {COMMERCE}</p>{FOOTER}", COMMERCE),
        (f"<p>Location: 55 Yard Rd, Springfield, IL 62702</p><address>{COMMERCE}</address>",
         COMMERCE),
        (f"<article class='post-12 page type-page hentry'><p>{COMMERCE}</p></article>", COMMERCE),
        (f"<div class='pointer-events-none'><p>{COMMERCE}</p></div>", COMMERCE),
    ],
    ids=["only a story's", "in a story and the body", "a labelled mailing address",
         "an address element", "a WordPress page's article", "no story word"],
)  # fmt: skip
def test_where_an_address_stands_ranks_it(body: str, chosen: str) -> None:
    """A story's address alone is never the mailing address, but once the body gives it too it
    is; a label for mail still wins over the footer."""
    assert chosen_on(HOME, body) == chosen


EXPO = ('<script type="application/ld+json">{"@type": "%s", "name": "Expo", "%s": {"@type": '
        '"Place", "address": {"@type": "PostalAddress", "streetAddress": "1 Fair Rd", '
        '"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62702"}}}'
        "</script>")  # fmt: skip


@pytest.mark.parametrize(("story", "key", "block"), [("MusicEvent", "location", "event"),
                                             ("JobPosting", "jobLocation", "posting")])  # fmt: skip
def test_a_schema_org_events_or_jobs_place_is_the_storys(story: str, key: str, block: str) -> None:
    """The venue's or the job's Place was a ``location``, preferred to the page's own
    unlabelled address. Its block is the word its type ends in: the site names the type."""
    page = read_page(f"<html><body>{EXPO % (story, key)}<p>{SHOP}</p></body></html>", HOME)
    assert [a.block for a in page.addresses] == [block, ""]
    assert chosen_on(HOME, f"{EXPO % (story, key)}<p>{SHOP}</p>") == SHOP


def test_a_contact_pages_text_is_its_contact_block() -> None:
    body = (f"<p>{COMMERCE}</p><div class='partners'><p>Acme Foods, 9 Mill St, Springfield, "
            "IL 62702</p></div>")  # fmt: skip
    page = read_page(f"<html><body>{body}</body></html>", URL)
    assert [(a.one_line(), a.block) for a in page.addresses] == [
        (COMMERCE, "contact"),
        ("9 Mill St, Springfield, IL 62702", "partners"),
    ]


def test_an_organisations_own_card_is_its_block_a_story_is_not() -> None:
    card = ("<div class='h-card'><span class='p-name p-org'>Harbor Lane Plumbing</span>"
            "<div class='p-adr h-adr'><span class='p-street-address'>77 Commerce Dr</span>, "
            "<span class='p-locality'>Springfield</span>, <span class='p-region'>IL</span> "
            "<span class='p-postal-code'>62704</span></div></div>")  # fmt: skip
    venue = card.replace("Harbor Lane Plumbing", "Expo").replace("77 Commerce", "1 Fair")
    body = f"<div class='event'>{venue}</div><p>{SHOP}</p>{card}"
    page = read_page(f"<html><body>{body}</body></html>", HOME)
    blocks = {a.one_line(): a.block for a in page.addresses}
    assert blocks[COMMERCE] == "organisation"
    assert blocks["1 Fair Dr, Springfield, IL 62704"] == "event"
    assert chosen_on(HOME, body) == COMMERCE


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"Mail us at {COMMERCE}", "mailing"),
        (f"Mail checks to {COMMERCE}", "mailing"),
        (f"Mail: {COMMERCE}", "mailing"),
        (f"Snail mail: {COMMERCE}", "mailing"),
        (f"Payment address: {COMMERCE}", "mailing"),
        (f"Payments: {COMMERCE}", "mailing"),
        (f"{COMMERCE} (mailing)", "mailing"),
        (f"{COMMERCE} [payments]", "mailing"),
        (f"{COMMERCE} (old address)", "former"),
        (f"Email: {COMMERCE}", "unknown"),
        (f"E-mail us at info@harborlane.example or {COMMERCE}", "unknown"),
        (f"{COMMERCE} (USA)", "unknown"),
    ],
)  # fmt: skip
def test_mail_or_payment_named_before_or_after_an_address_makes_it_the_mailing_one(
    line: str, kind: str
) -> None:
    """ "Mail us at", "Mail checks to", "Mail:" (only "mail to" was read), "Payment address:"
    and a label in brackets after the address were no label: the shop read first was chosen."""
    assert kinds(f"<p>{SHOP}</p><p>{line}</p>")[COMMERCE] == kind
    assert preferred(f"<p>{SHOP}</p><p>{line}</p>") == (SHOP if kind != "mailing" else COMMERCE)


WAREHOUSE = "500 Industrial Pkwy, Springfield, IL 62704"


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Mail order returns:", "location"),
        ("Mail-order returns:", "location"),
        ("Returns address:", "location"),
        ("Ship returns to", "location"),
        ("Please mail all returns to", "location"),
        ("Return merchandise to", "location"),
        ("Mailing address:", "mailing"),
        ("Mail payments to", "mailing"),
        ("Send mail to", "mailing"),
        ("Mail your tax returns to", "mailing"),
        ("Return address:", "unknown"),
    ],
)  # fmt: skip
def test_a_returns_address_is_a_warehouse_not_where_mail_goes(label: str, kind: str) -> None:
    """ "Mail order returns:" read as a mailing address (its "Mail"), and the returns
    warehouse was chosen over the business's headquarters: goods sent back go there, mail
    does not. A returns address is a place of the business's, as its warehouse is."""
    body = f"<p>Headquarters: {COMMERCE}</p><p>{label} {WAREHOUSE}</p>"
    assert kinds(body)[WAREHOUSE] == kind
    assert preferred(body) == (WAREHOUSE if kind == "mailing" else COMMERCE)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Mail payments and returns to:", "mailing"),
        ("Mail your returns to:", "mailing"),
        ("Returns address:", "po_box"),
    ],
)  # fmt: skip
def test_returns_sent_to_a_po_box_are_mail(label: str, kind: str) -> None:
    """A returns label made any address a warehouse, a PO box too: "Mail payments and returns
    to: PO Box" (or an accountant's "Mail your returns to") was a location, and the business's
    headquarters chosen over the box that takes its mail. A box is no warehouse: what the
    label says besides its returns sets its kind."""
    box = "PO Box 2291, Springfield, IL 62705"
    body = f"<p>Headquarters: {COMMERCE}</p><p>{label} {box}</p>"
    assert kinds(body)[box] == kind
    assert preferred(body) == box


@pytest.mark.parametrize("label", ["Visit:", "Visitors:", "Visiting address:"])
def test_visit_in_any_form_names_the_shop(label: str) -> None:
    assert kinds(f"<p>{label} {SHOP}</p>") == {SHOP: "location"}


def test_a_label_after_an_address_is_its_own_not_the_next_ones() -> None:
    line = f"{SHOP} (showroom) | PO Box 2291, Springfield, IL 62705 (mailing)"
    assert kinds(f"<p>{line}</p>") == {SHOP: "location",
                                       "PO Box 2291, Springfield, IL 62705": "mailing"}  # fmt: skip


@pytest.mark.parametrize(
    "below",
    [
        "<p>Mailing address: same as above</p>",
        "<p>Phone: (217) 555-0143</p><p>Mailing Address: Same as above.</p>",
        "<dl><dt>Mailing address</dt><dd>Same as showroom address</dd></dl>",
        "<p>Postal address: the same as our shop</p>",
    ],
)
def test_a_mailing_address_same_as_the_one_above_is_that_one(below: str) -> None:
    """ "Mailing address: same as above" under the showroom left the showroom a location, and
    an unlabelled PO box (or any billing address) was chosen over it."""
    body = (f"<p>Showroom: {SHOP}</p>{below}"
            "<p>Billing address: PO Box 11, Springfield, IL 62701</p>")  # fmt: skip
    assert kinds(body)[SHOP] == "mailing"
    assert preferred(body) == SHOP


@pytest.mark.parametrize(
    "below",
    [
        "<p>Billing address: same as above</p>",  # billing, not mailing
        "<p>Showroom: same as above</p>",  # no kind for mail
        "<p>Mailing address: see below</p>",
        "<p>Phone: 1</p><p>Fax: 2</p><p>Hours: 9-5</p><p>Email: a</p><p>Mailing address: "
        "same as above</p>",  # too far below
    ],
)  # fmt: skip
def test_same_as_above_names_only_a_kind_for_mail_and_only_near(below: str) -> None:
    kind = "billing" if below.startswith("<p>Billing") else "location"
    assert kinds(f"<p>Showroom: {SHOP}</p>{below}")[SHOP] == kind


def test_same_as_above_never_makes_an_old_address_usable() -> None:
    body = f"<p>Old address: {SHOP}</p><p>Mailing address: same as above</p>"
    assert kinds(body) == {SHOP: "former"}
    assert preferred(body) == ""


@pytest.mark.parametrize(
    "body",
    [
        f"<div id='page' class='site projects-theme'><main><p>Welcome</p></main>{FOOTER}</div>",
        f"<div class='partners-wrap'><nav>Menu</nav><main><p>Welcome</p></main>"
        f"<div class='site-footer'><p>{SHOP}</p></div></div>",
        f"<div class='elementor jobs-theme'><footer class='elementor-location-footer'>"
        f"<div class='widget'><p>{SHOP}</p></div></footer></div>",
    ],
    ids=["the page's footer in a theme wrapper", "a wrapper holding the page's main",
         "a footer element in a wrapper"],
)  # fmt: skip
def test_a_wrapper_around_the_whole_page_is_no_story(body: str) -> None:
    """A review: a story word on an element around the whole page (a theme's wrapper, "site
    projects-theme") made the site's own footer a story's, so its only address was never
    chosen. The page's ``<footer>`` (no article, aside, nav or section holds it) is the
    business's, and an element holding the page's main content or navigation is no story."""
    assert chosen_on(HOME, body) == SHOP


PO_BOX = "PO Box 2291, Springfield, IL 62705"
CONTACT = f"<h1>Contact us</h1><p>Mailing address: {PO_BOX}</p><p>Phone: (217) 555-0143</p>"
ARTICLE = "itemscope itemtype='https://schema.org/Article'"


@pytest.mark.parametrize("url", [URL, HOME])
@pytest.mark.parametrize(
    "body",
    [
        f"<article {ARTICLE}>{CONTACT}</article>",
        f"<main><article class='post entry' {ARTICLE}>{CONTACT}</article></main>",
        f"<footer class='site-footer'><div class='footer-widgets partners'>{CONTACT}</div>"
        "</footer>",
        f"<div class='site-footer'><div class='footer-widgets partners'>{CONTACT}</div></div>",
        f"<header>Menu</header><div class='apex-projects-main'>{CONTACT}</div>",
        f"<div class='apex-projects-main'><div class='container'><main>{CONTACT}</main></div>"
        "</div>",
        f"<main class='projects-archive'>{CONTACT}</main>",
    ],
    ids=["the page's only Article", "an Article post entry", "footer widgets named partners",
         "a footer div's widgets", "a main region named for projects",
         "a wrapper holding main further down", "the main element"],
)  # fmt: skip
def test_a_pages_own_content_named_with_a_story_word_is_no_story(body: str, url: str) -> None:
    """A theme's or schema.org's words for the page's own parts were read as a story's, and
    the business's only address was never chosen: the schema.org Article a theme gives a
    page's content, a footer widget area and a main region named after the theme ("Partners",
    "Apex Projects")."""
    assert chosen_on(url, body) == PO_BOX


@pytest.mark.parametrize(
    "body",
    [
        f"<article {ARTICLE}><p>We refitted Acme Foods, 9 Mill St, Springfield, IL 62702</p>"
        f"</article><article {ARTICLE}><p>New van</p></article>",
        "<div itemscope itemtype='https://schema.org/NewsArticle'><h1>Acme opens</h1><p>Acme "
        "Foods, 9 Mill St, Springfield, IL 62702</p></div>",
        "<main><div class='case-study-main'><p>Client HQ: Acme Foods, 9 Mill St, Springfield, "
        "IL 62702</p></div></main>",
        "<div class='testimonials'><blockquote>Great work! - Acme Foods, 9 Mill St, "
        "Springfield, IL 62702</blockquote></div>",
        "<main class='site-main'><ul class='client-list'><li>Acme Foods, 9 Mill St, "
        "Springfield, IL 62702</li></ul></main>",
        "<footer class='site-footer'><div class='partners'><p>Acme Foods, 9 Mill St, "
        "Springfield, IL 62702</p></div></footer>",
        "<article class='news-item'><div class='news-footer'><p>Acme Foods, 9 Mill St, "
        "Springfield, IL 62702</p></div></article>",
        "<footer class='site-footer'><div class='footer-partners'><p>Acme Foods, 9 Mill St, "
        "Springfield, IL 62702</p></div></footer>",
        "<div class='footer-clients'><p>Acme Foods, 9 Mill St, Springfield, IL 62702</p></div>",
    ],
    ids=["one of the page's Articles", "a NewsArticle", "a case study in main",
         "a testimonial", "a client list in main", "a partner in the footer",
         "a news item's footer", "the footer's partners block", "a footer clients block"],
)  # fmt: skip
def test_a_story_in_the_pages_own_parts_is_still_a_story(body: str) -> None:
    page = read_page(f"<html><body>{body}</body></html>", HOME)
    assert [a.block for a in page.addresses] not in ([], [""], ["footer"], ["contact"])
    assert chosen_on(HOME, body) == ""


BRANCHES = ("1 A St, Springfield, IL 62701", "2 B St, Decatur, IL 62521",
            "3 C St, Peoria, IL 61602", "4 D St, Champaign, IL 61820",
            "5 E St, Joliet, IL 60431")  # fmt: skip


@pytest.mark.parametrize("separator", [" | ", " &middot; ", " "])
def test_a_footer_line_listing_five_branches_gives_five(separator: str) -> None:
    """A review: once at most three addresses were read from a line, the third held the rest
    of the line: "3 C St, Peoria, IL 61602, 4 D St, Champaign, IL 61820, 5 E St" in Joliet,
    and the branches in Peoria and Champaign were lost (a debtor there: no address agreed)."""
    body = f"<footer><p>{separator.join(BRANCHES)}</p></footer>"
    page = read_page(f"<html><body>{body}</body></html>", HOME)
    assert [a.one_line() for a in page.addresses] == list(BRANCHES)


@pytest.mark.parametrize(
    "notice",
    ["Acme Ltd. Registered in England No. 01234567. Registered office:",
     "Acme LLP (SRA No. 612345). Registered office:",
     "Acme Ltd is registered in England and Wales (company no. 01234567). Mailing address:"],
)  # fmt: skip
def test_a_label_after_a_company_number_s_sentence_names_the_address(notice: str) -> None:
    """A solicitor's small print ends a sentence at a number or a bracket before its label:
    "... No. OC401234. Registered office: 14 Castle Street ..." had been read as one clause,
    too long for a label, and the trading office above it was chosen."""
    body = ("<div><h3>Our office</h3><p>22 Mardol<br>Shrewsbury<br>SY1 1PU</p></div>"
            f"<footer><p>{notice} 14 Castle Street, Shrewsbury, SY1 2BQ.</p></footer>")  # fmt: skip
    assert preferred(body) == "14 Castle Street, Shrewsbury, SY1 2BQ"


@pytest.mark.parametrize(
    "company", ["Avon Roofing & Building Ltd.", "Avon Building Services Ltd.",
                "Avon Building Company Limited."],
)  # fmt: skip
def test_a_company_s_building_word_starts_no_unit_before_its_registered_office(
    company: str,
) -> None:
    """ "Building" of the company's name had started a unit line: the notice up to "Ground
    Floor" was read as one, and the floor and the "Registered office:" label were lost."""
    body = (f"<footer><p>{company} Registered in England No. 07654321. Registered office: "
            "Ground Floor, 2 Queen Square, Bath, BA1 2HN.</p></footer>")  # fmt: skip
    assert kinds(body) == {"Ground Floor, 2 Queen Square, Bath, BA1 2HN": "headquarters"}
