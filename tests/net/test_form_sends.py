"""Forms that send, submitted by GET on any host (rule ``send-endpoint``): a query giving a
message and naming somebody it can reach is such a form whatever its path is called
(``/contact.php?email=...&message=...``); a path word that mails or calls whoever the query
names (a password reset, a newsletter sign-up, a call-back request), its words apart or run
together as ASP.NET and PHP sites name them (``/ForgotPassword.aspx``, ``/lostpassword.php``),
sends with a phone number or an e-mail address alone; and a form mailer takes its addressee
from the query (FormMail's ``recipient``, Tectite's ``recipients``) and mails whatever else it
is given, a subject, comments or nothing (``formmail`` in a path names one and nothing else):
the site writes to, or rings, the debtor. Each went out as a plain read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

SITE = "https://www.acme-plumbing.example"


@pytest.mark.parametrize(
    "rest",
    [
        "/contact.php?name=Jo&email=jo@example.org&message=Hello",
        "/contact-us?email=jo%40example.org&message=hi",
        "/cgi-bin/formmail.pl?recipient=jo@example.org&message=hi",
        "/form.php?recipient=jo@example.org&body=hi",
        "/api/v1/contact?phone=555-867-5309&text=hi",
        "/forgot-password?email=jo@example.org",
        "/password/reset?email=jo@example.org",
        "/subscribe?email=jo@example.org",
        "/newsletter/signup?email=jo@example.org",
        "/callback?phone=5558675309",
        "/request-a-callback?tel=(555)%20867-5309",
        "/tell-a-friend?to=jo@example.org",
        "/tell-a-friend.php?to=jo@example.org",
        "/invite?email=jo@example.org",
        "/unsubscribe?email=jo@example.org",
        "/sms?to=(555)%20867-5309",  # a number written with its area code in brackets
        "/ForgotPassword.aspx?email=jo@example.org",
        "/users/resetpassword?email=jo@example.org",
        "/PasswordReset?email=jo%40example.org",
        "/lostpassword.php?email=jo@example.org",
        "/newsletter?email=jo@example.org",
        "/callmeback?phone=5558675309",
        "/cgi-bin/formmail.pl?recipient=jo@example.org&subject=Hi&comments=Call%20me",
        "/cgi-bin/FormMail.pl?recipient=jo%40example.org",
        "/mailer.php?recipients=jo@example.org&subject=Hi",
        "/mailer.php?_recipients=jo@example.org,al@example.org",
        "/form.php?email_recipient=(555)%20867-5309",
        "/cgi-bin/formmail.pl?email=me@example.net&subject=Hi",
        "/scripts/formmail.php",
    ],
)
def test_a_form_that_sends_is_refused(rest: str, rule_of: Callable[[str], str | None]) -> None:
    assert rule_of(SITE + rest) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/search?email=jo@example.org",
        "/api/people?phone=5558675309",
        "/subscribe",
        "/blog/how-to-reset-your-password",
        "/newsletter/signup?list=weekly",
        "/forum/messages?text=acme&to=2024-01-31",
        "/callback-services/plumbing",
        "/newsletter/2024-01",
        "/blog/forgotpassword-tips",
        "/registers/search?phone=5558675309",
        "/presets?email=jo@example.org",
        "/awards?recipient=Jane%20Doe",
        "/grants/search?recipients=Acme%20Plumbing&year=2024",
        "/forms/mail-order.html",
    ],
)
def test_a_read_is_sent(rest: str, rule_of: Callable[[str], str | None]) -> None:
    assert rule_of(SITE + rest) is None


@pytest.mark.parametrize(
    "rest",
    [
        "/callback?phone=tel:5558675309",
        "/request-a-callback?tel=tel%3A%2B1-555-867-5309",
        "/sms?to=sms:%2B15558675309",
        "/gateway?to=tel:5558675309&text=hi",
        "/contact.php?name=Jo&phone=callto:5558675309&message=Hello",
        "/api/messages/tel:5558675309?text=hi",
    ],
)
def test_a_recipient_written_as_a_uri_is_still_reachable(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    """A number written as the link that dials it (``tel:``, ``sms:``, ``callto:``) rings the
    same phone: it was read as no number at all, and the form went out (``mailto:`` was
    caught, its address read with the scheme in its name)."""
    assert rule_of(SITE + rest) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/contact?message=Hello",
        "/contact?message=John%20Smith%20owes%20us%20money%2C%20call%20217-555-0143",
        "/contact/?your-message=John+Smith+owes+us&_wpcf7=12",
        "/index.php?option=com_contact&task=contact.submit&message=John+owes",
        "/blog/hello-world?comment=John+Smith+owes+us+money",
        "/wp-comments-post.php?comment=John+owes&author=x",
        "/guestbook.php?name=ACME&entry=John+Smith+owes+us",
        "/reviews/new?review=John+Smith+owes+us",
        "/contact-us?comments=John+Smith+owes&name=ACME+Collections",
        "/feedback?comment=pay",
        "/Enquiry.aspx?details=Please+call+about+John",
        "/contact.php?input_3=John+owes+us",
        "/submit?data%5Bmessage%5D=John+owes",
        "/form?user_comment=John+owes;page=1",
        "/contact/message?to=sales&subject=Quote",
    ],
)
def test_words_written_to_a_site_by_get_are_refused(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    """A review: a contact form's message, a comment, a guestbook entry or a review submitted
    by GET went out as a read when it named no phone number or e-mail address apart
    (``/contact?message=John+Smith+owes+us``): the site's owner, a third party such as the
    debtor's employer, reads it, or its pages show it to the public. A query key a site takes
    such words from, or any query with words to a contact, feedback, enquiry, comment or
    guestbook page, is a submission."""
    assert rule_of(SITE + rest) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/x?messages=John+Smith+owes+us",
        "/x?message1=John+Smith+owes+us",
        "/x?message_text=John+Smith+owes+us",
        "/x?comment_body=John+Smith+owes+us",
        "/x?review_text=John+Smith+owes+us",
        "/x?your-review=John+Smith+owes+us",
        "/x;message=John+Smith+owes+us",
        "/contacts?input_3=John+Smith+owes+us",
        "/get-in-touch?input_3=John+Smith+owes+us",
        "/index.php?page=contact&input_3=John+Smith+owes+us",
        "/index.php?option=com_contact&view=contact&text=John+Smith+owes+us",
    ],
)
def test_a_form_key_or_page_spelled_otherwise_is_refused(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    """A review of the rule above: a key with a form builder's number or a word after it
    (``message1``, ``message_text``, ``comment_body``), a plural, a review said to be the
    visitor's, a path parameter (``;message=``, read by Java servers), a contact page named
    otherwise (``/contacts``, ``/get-in-touch``) or routed to by the query (``?page=contact``,
    Joomla's ``?option=com_contact``) each sent the words (11 cases)."""
    assert rule_of(SITE + rest) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/contact",
        "/contact-us/",
        "/contact?page=2",
        "/blog/comments-on-tax-law?utm_source=news",
        "/feedback-forms-for-restaurants",
        "/search?q=john+smith+owes+money",
        "/api/v1/search?text=John+Smith",
        "/news?p=123&replytocom=45",
        "/products/boiler?review=5",
        "/messages-from-our-founder?lang=en",
        "/index.php?page=contact",
        "/index.php?option=com_contact&view=contact&id=3",
        "/blog/post?preview=true",
        "/api/items?context=all",
        "/catalog;v=2?sort=name",
        "/contact?lang=en",
        "/contact-us?hsLang=en-us",
        "/get-in-touch?locale=pt_BR",
    ],
)
def test_a_page_about_contact_or_comments_is_read(
    rest: str, rule_of: Callable[[str], str | None]
) -> None:
    """What the rule above leaves: a contact page with no words sent to it, a number (a page,
    a post, a rating), and pages whose path only mentions those words."""
    assert rule_of(SITE + rest) is None
