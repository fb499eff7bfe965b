"""Forms that send, submitted by GET on any host (rule ``send-endpoint``): a query giving a
message and naming somebody it can reach is such a form whatever its path is called
(``/contact.php?email=...&message=...``, FormMail's ``?recipient=...&message=...``); and a path
word that mails or calls whoever the query names (a password reset, a newsletter sign-up, a
call-back request) sends with a phone number or an e-mail address alone: the site writes to,
or rings, the debtor. Each went out as a plain read."""

from __future__ import annotations

import pytest

from skiptrace.errors import Refused
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

SITE = "https://www.acme-plumbing.example"


@pytest.fixture(scope="module")
def default_policy() -> Policy:
    return load_policy()


def _rule(url: str, policy: Policy) -> str | None:
    try:
        evaluate("GET", url, policy)
    except Refused as refusal:
        return refusal.rule
    return None


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
    ],
)
def test_a_form_that_sends_is_refused(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/contact?message=Hello",
        "/search?email=jo@example.org",
        "/api/people?phone=5558675309",
        "/subscribe",
        "/blog/how-to-reset-your-password",
        "/newsletter/signup?list=weekly",
        "/forum/messages?text=acme&to=2024-01-31",
        "/callback-services/plumbing",
    ],
)
def test_a_read_is_sent(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) is None
