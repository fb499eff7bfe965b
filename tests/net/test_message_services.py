"""No message leaves through a GET: services that send an SMS, a push, an e-mail, a webhook
call or a form entry for whoever calls them are refused by a hard rule, whatever the policy.

A third-party manifest may declare any origin. Several sending APIs take their message in the
query string of a GET (the method and body rules do not stop those), so the guard refuses the
services themselves (the shipped ``sender`` category, rule ``message-service``) and, on any host,
a path segment that names sending (rule ``send-endpoint``). The last test is the hostile
connector: it declares a loopback "SMS gateway" and puts the debtor's phone in the query.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Grants
from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy, load_policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.directory import MANIFEST as DIRECTORY
from skiptrace.testing.replay import ReplayServer, Reply
from skiptrace.testing.verdicts import refusal_of

SENDERS = [
    # each sends on a GET, as its own documentation shows
    "https://rest.nexmo.com/sms/json?api_key=k&api_secret=s&to=15550100&from=X&text=pay",
    "https://platform.clickatell.com/messages/http/send?apiKey=k&to=15550100&content=pay",
    "https://api.textlocal.in/send/?apikey=k&numbers=15550100&message=pay",
    "https://api.msg91.com/api/sendhttp.php?authkey=k&mobiles=15550100&message=pay",
    "https://api.smsglobal.com/http-api.php?action=sendsms&to=15550100&text=pay",
    "https://sms.ru/sms/send?api_id=k&to=15550100&msg=pay",
    "https://smsapi.free-mobile.fr/sendmsg?user=1&pass=k&msg=pay",
    "https://gatewayapi.com/rest/mtsms?token=k&recipients.0.msisdn=15550100&message=pay",
    "https://www.fast2sms.com/dev/bulkV2?authorization=k&numbers=15550100&message=pay",
    "https://api.callmebot.com/whatsapp.php?phone=15550100&text=pay&apikey=k",
    "https://maker.ifttt.com/trigger/debt/with/key/k?value1=15550100",
    "https://hooks.zapier.com/hooks/catch/1/abc/?phone=15550100",
    "https://hook.eu1.make.com/abc?phone=15550100",
    "https://hook.integromat.com/abc?phone=15550100",
    "https://eoabc123.m.pipedream.net/?phone=15550100",
    "https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=k",
    "https://ntfy.sh/debtors/publish?message=pay",
    "https://api.elasticemail.com/v2/email/send?apikey=k&to=jane@example.com&subject=pay",
    # the same services' other API hosts, and other senders
    "https://api.nexmo.com/v1/messages",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
    "https://api.plivo.com/v1/Account/1/Message/",
    "https://api.telnyx.com/v2/messages",
    "https://us.sms.api.sinch.com/xms/v1/abc/batches",
    "https://rest.clicksend.com/v3/sms/send",
    "https://textbelt.com/text",
    "https://api.pushover.net/1/messages.json",
    "https://api.pushbullet.com/v2/pushes",
    "https://api.mailgun.net/v3/example.com/messages",
    "https://api.sendgrid.com/v3/mail/send",
    "https://formspree.io/f/abc",
    "https://forms.gle/abc123",
    "HTTPS://REST.NEXMO.COM./sms/json?to=15550100",
]
SEND_PATHS = [
    # any host: a path part that names sending, spelt any way (case, hyphens, an extension)
    "https://docs.google.com/forms/d/e/abc/formResponse?entry.1=15558675309&submit=Submit",
    "https://api.telegram.org/botK/sendMessage?chat_id=1&text=pay",
    "https://gateway.example/api/sendsms?to=15558675309",
    "https://gateway.example/api/SendSMS.php?to=15558675309",
    "https://gateway.example/api/send-sms?to=15558675309",
    "https://gateway.example/api/x.sendsms",
    "https://gateway.example/api/send_sms_message",
    "https://gateway.example/mail/sendmail.cgi?to=jane@example.com",
    # an action parameter that sends
    "https://voip.ms/api/v1/rest.php?api_username=u&method=sendSMS&did=1&dst=15558675309",
    "https://gateway.example/index.php?action=send-sms&to=15558675309",
    # a path word that may send, with a recipient and a message in the query
    "https://gateway.example/v1/sms?to=15558675309&text=pay",
    "https://gateway.example/send?phone=15558675309&message=pay",
    "https://gateway.example/api/v1/messages.send?user_id=1&message=pay",
    "https://gateway.example/hooks/abc?phone=15558675309&msg=pay",
    "https://gateway.example/webhook/abc?to=15558675309&body=pay",
    "https://gateway.example/topic/trigger?chat_id=1&text=pay",
    "https://gateway.example/notify?email=jane@example.com&text=pay",
    # shapes a second review found passing
    "https://gw.example.com/api/send?key=k&dst=15558675309&msg=hi",
    "https://gw.example.com/api/sms?key=k&mobile_no=%2B1%20555%20867%205309&message=hi",
    "https://ntfy.example.org/mytopic/publish?message=hi",
    "https://gw.example.com/http-api.php?action=send&to=15558675309&text=hi",
    "https://gw.example.com/api/sms?key=k&recipient_number=15558675309&message=hi",
    "https://gw.example.com/api/sms?key=k&to=15558675309&sms_text=hi",
    "https://2factor.in/API/V1/KEY/SMS/+15558675309/AUTOGEN",
    # several recipients in one value (SMSC's documented GET API, and kin)
    "https://smsc.ru/sys/send.php?login=u&psw=p&phones=79990000001,79990000002&mes=Pay+now",
    "https://gw.example/api/send?to=jane@x.example,bob@y.example&m=pay",
    "https://gw.example/api/send?to=jane@x.example&mes=pay",
    "https://gw.example/api/send?to=15558675309;15558675310&text=pay",
    "https://smsc.ru/sys/send.php?login=u&psw=p&phones=79990000001&mes=Pay+now",
]
CODE_RUNNERS = [
    # hosts that serve ordinary pages too, where a path prefix runs somebody's code
    "https://script.google.com/macros/s/ABC/exec?to=15550100&text=pay",
    "https://script.google.com/a/macros/example.com/s/ABC/exec",
]
ORDINARY = [
    # the same words in a page's path, or inside a name or a longer word, are ordinary pages
    "https://www.sendik.com/stores",
    "https://smsplumbing.example/contact",
    "https://www.example.com/sending-flowers-to-springfield",
    "https://www.example.com/publishing/about-us",
    "https://www.example.com/hooksett-nh/office",
    "https://www.example.com/triggerfish-grill/locations",
    "https://www.example.com/notifying-heirs-probate",
    "https://docs.google.com/forms/d/e/abc/viewform",
    "https://www.twilight-dental.example/team",
    "https://www.basspro.com/shop/en/fishing/terminal-tackle/hooks",
    "https://tackle.example/collections/hooks",
    "https://gunshop.example/products/trigger",
    "https://en.wikipedia.org/wiki/Trigger",
    "https://en.wikipedia.org/wiki/SMS",
    "https://www.crunchbase.com/organization/notify",
    "https://www.crunchbase.com/organization/send",
    "https://www.bizapedia.com/people/sms.html",
    "https://county.example.gov/notify",
    "https://paper.example/news/publish",
    "https://school.example.edu/sms",
    "https://saas.example/docs/webhooks",
    "https://saas.example/features/sms",
    "https://acme.example/about/notify.html",
    "https://acme.example/wp-content/themes/x/hooks/style.css",
    "https://acme.example/search?q=Sendmail&type=company",
    "https://acme.example/send?item=catalogue",
    "https://www.bizapedia.com/fl/send-mail-solutions-llc.html",
    "https://opengovus.com/company/sendtext-marketing-inc",
    "https://www.example.com/forum/messages?text=acme&to=2024-01-31",
    "https://records.example.gov/publish/notices?subject=insolvency&to=2024-01-31",
    # the companies behind sending APIs are employers too: their own sites are readable
    "https://www.twilio.com/en-us/company/jobs",
    "https://www.vonage.com/about-us/",
    "https://ifttt.com/about",
    "https://sinch.com/contact-us/",
    "https://www.mailgun.com/company/",
    "https://script.google.com/home",
]


@pytest.mark.parametrize("url", SENDERS)
def test_a_sending_service_is_refused_whatever_the_policy(
    url: str, loosened_policy: Policy
) -> None:
    for policy in (load_policy(), loosened_policy):
        refusal = refusal_of(url, policy)
        assert refusal is not None and refusal.rule in ("message-service", "send-endpoint"), url
    parts = urlsplit(url)
    host_refusal = refusal_of(f"{parts.scheme}://{parts.netloc}/", load_policy())
    assert host_refusal is not None and host_refusal.rule == "message-service", url
    assert "sends messages" in host_refusal.detail


@pytest.mark.parametrize("url", SEND_PATHS)
def test_a_send_endpoint_is_refused_on_any_host(url: str, loosened_policy: Policy) -> None:
    for policy in (load_policy(), loosened_policy):
        refusal = refusal_of(url, policy)
        assert refusal is not None and refusal.rule in ("send-endpoint", "social-action"), url


@pytest.mark.parametrize("url", CODE_RUNNERS)
def test_a_hosts_code_runner_is_refused(url: str, loosened_policy: Policy) -> None:
    for policy in (load_policy(), loosened_policy):
        refusal = refusal_of(url, policy)
        assert refusal is not None and refusal.rule == "message-service", url


@pytest.mark.parametrize("url", ORDINARY)
def test_the_same_words_elsewhere_are_ordinary_pages(url: str) -> None:
    assert refusal_of(url, load_policy()) is None, url


def test_a_chat_api_that_posts_on_a_get_is_refused(loosened_policy: Policy) -> None:
    url = "https://slack.com/api/chat.postMessage?token=k&channel=C1&text=pay"
    for policy in (load_policy(), loosened_policy):
        refusal = refusal_of(url, policy)
        assert refusal is not None and refusal.rule == "contact-host", refusal


GATEWAY = (
    DIRECTORY.replace('id = "demo_directory"', 'id = "friendly_reminders"')
    .replace('needs = ["last_name"]\noptional = ["first_name"]', 'needs = ["phone"]')
    .replace('"{base}/people"', '"{base}/api/SendSMS.php"')
    .replace('last = "{{last_name}}", first = "{{first_name}}"',
             'to = "{{phone}}", text = "Please call us about your account"')
)  # fmt: skip
"""The demo directory's manifest made into an SMS gateway's: the phone in, a message out."""


def test_a_connector_that_sends_an_sms_on_a_get_sends_nothing(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Declared origin, loopback allowed by the policy, GET only, no body, the phone granted:
    every other rule passes, and the debtor's phone would reach the gateway. The send-endpoint
    rule refuses it before anything is sent, and the refusal is on the record."""
    gateway = Reply(200, b'{"people": [], "sent": true}')
    with ReplayServer({"/api/SendSMS.php": gateway}) as site:
        (tmp_path / "friendly_reminders.toml").write_text(GATEWAY.format(base=site.base_url))
        # handed the phone on purpose (connectors.contact_details): the guard still refuses
        granted = Grants(contacted=frozenset({"friendly_reminders"}))
        connector = load_manifest(tmp_path / "friendly_reminders.toml", granted)

        async def research() -> str:
            async with Run(site.allow(fast_policy), audit, [connector], purpose="test") as run:
                query = Query.of("ACCT-9", last_name="Roe", phone="555-010-0100")
                return (await run.search(connector, query)).status

        status = asyncio.run(research())
        assert site.received == []
    assert status == "refused", status
    rows = [row for row in audit.rows() if row.event == "refused"]
    assert [row.rule for row in rows] == ["send-endpoint"], rows


UNLISTED = GATEWAY.replace("/api/SendSMS.php", "/v2/dispatch").replace(
    ', text = "Please call us about your account"', ""
)
"""A gateway no list knows, sending a message of its own to the phone it is given (a query
giving the message too is refused on any path: ``test_form_sends``)."""


def test_the_debtors_phone_reaches_a_connector_skiptrace_does_not_ship_only_by_grant(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Lists of senders can never be complete. So the debtor's phone and e-mail, the
    identifiers a message is sent to, are handed to a connector skiptrace does not ship only
    when the policy's connectors.contact_details names it: until then a connector that needs
    them is not run ("needs config"), and one that takes them as optional runs without them."""
    gateway = Reply(200, b'{"people": []}')
    with ReplayServer({"/v2/dispatch": gateway}) as site:
        (tmp_path / "friendly_reminders.toml").write_text(UNLISTED.format(base=site.base_url))
        query = Query.of("ACCT-9", last_name="Roe", phone="555-010-0100")

        def research(connector: object, policy: Policy) -> tuple[str, str]:
            async def go() -> tuple[str, str]:
                async with Run(site.allow(policy), audit, [connector], purpose="test") as run:
                    found = await run.search(connector, query)  # type: ignore[arg-type]
                    return found.status, found.detail

            return asyncio.run(go())

        status, detail = research(load_manifest(tmp_path / "friendly_reminders.toml"),
                                  fast_policy)  # fmt: skip
        assert (status, site.received) == ("needs_config", [])
        assert "connectors.contact_details" in detail
        granted = load_manifest(tmp_path / "friendly_reminders.toml",
                                Grants(contacted=frozenset({"friendly_reminders"})))  # fmt: skip
        status, _ = research(granted, fast_policy)
        assert status == "no_result"
        assert any("5550100" in r.path.replace("-", "") for r in site.received)
