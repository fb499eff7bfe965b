"""The hard rules: what skiptrace never sends, whatever a policy, flag or connector says.

They are code, not configuration, so nothing loaded at run time can change them (the contact
and chat hosts are data shipped inside the package, ``categories``: no policy names them).
Each check takes a canonical URL (see ``urls``) and raises HardRuleRefusal naming the rule it
broke.
The reasons are in the README's compliance table. One rule has an exception a policy can make,
on the record: ``private-address`` lets through the exact ``host:port`` pairs listed in
``hosts.allow_private`` (a self-hosted search instance, a test server); ``metadata-address``
has none.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Set as AbstractSet
from functools import lru_cache
from http import HTTPMethod
from urllib.parse import parse_qsl

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.categories import is_ip_address as is_ip_address
from skiptrace.net.categories import is_public_suffix, listing
from skiptrace.net.urls import (
    DEFAULT_PORTS,
    LDH_LABEL,
    CanonicalURL,
    canonicalize,
    embedded_ipv4,
    fully_unquote,
    unparsed,
)

ALLOWED_METHODS = frozenset({"GET", "HEAD"})
ALLOWED_SCHEMES = frozenset({"http", "https"})
_OTHER_METHODS = (
    frozenset(method.value for method in HTTPMethod) | {"MERGE", "LINK", "UNLINK"}
) - ALLOWED_METHODS
"""The HTTP methods a query parameter may ask a server to act as instead of GET (Rails's,
Laravel's and Express's ``_method``, ``X-HTTP-Method-Override``, Salesforce's ``_HttpMethod``):
each of them but GET and HEAD, with OData's ``MERGE`` and Rack's ``LINK`` and ``UNLINK``."""
_OVERRIDE_KEYS = frozenset({"method", "httpmethod", "xhttpmethod", "xmethod"})
"""Method override keys as letters and digits (``_method``, ``__method``, ``_HttpMethod``,
``X-HTTP-Method``), besides those ending in ``methodoverride`` (``X-HTTP-Method-Override``,
``__METHOD_OVERRIDE__``): not any key ending in "method" (``?shipping_method=post``)."""
HOST_ADDRESS_RULES = frozenset({"metadata-address", "private-address"})
"""Rules about the address a host name resolves to: when one refuses a host's robots.txt
fetch, it refuses every request to that host."""

HARD_RULES: dict[str, str] = {
    "invalid-url": "a URL that cannot be parsed is never sent",
    "scheme": "http and https only (no mailto:, tel:, sms:, whatsapp:, tg: ...)",
    "method": "GET and HEAD only, and no query parameter asking for another (?_method=POST, "
    "?X-HTTP-Method-Override=DELETE)",
    "body": "no request body",
    "cookie": "no cookies sent (and none stored)",
    "authorization": "no Authorization header except a connector's declared API key",
    "userinfo": "no credentials in the URL: no user:password@, nor a password or a session id "
    "in the query or a path parameter (?password=, ?PHPSESSID=, ;jsessionid=)",
    "header": "no request header but those a client reading a page sends (no method override, "
    "Origin or X-Requested-With)",
    "host-header": "no Host header naming another host than the URL's",
    "extension": "no httpx request extension that changes what is sent (target, sni_hostname)",
    "metadata-address": "no link-local or cloud-metadata addresses",
    "private-address": "no private, loopback or reserved addresses (RFC 1918, 127/8, ::1, "
    "localhost, 100.64/10, fc00::/7, multicast ...), in the URL or in DNS, except the "
    "host:port pairs a policy lists in hosts.allow_private",
    "contact-host": "no contact-link or chat hosts (wa.me, t.me, matrix.to, icq.com ...: the "
    "shipped contact and chat lists)",
    "message-service": "no service that sends an SMS, a call, an e-mail, a push, a webhook call, "
    "a form entry or a workflow run for whoever calls it (rest.nexmo.com, "
    "platform.clickatell.com, maker.ifttt.com, hooks.zapier.com, ntfy.sh, formspree.io, "
    "script.google.com/macros ...: the shipped sender list), even on a GET",
    "send-endpoint": "no endpoint that sends, on any host: a path part that names sending "
    "(/sendsms, /sendMessage, /formResponse ...), an action parameter that does "
    "(?action=sendsms, ?method=send), a verb that may (/send, /sms, /publish, /trigger ...) "
    "with a message in the query or a phone number or e-mail address in the query or path, "
    "a noun that may (/messages, /hooks, /webhook ...) with both, a form that writes to or "
    "calls whoever it is given (/forgot-password, /subscribe, /callback ...) with a phone "
    "number or e-mail address, on any path a query giving a message and one of them, or "
    "giving a form mailer one as its addressee (?recipient=), and words for a site's own form "
    "(?message=, ?comment=, ?review= ..., or any query with words to a contact, feedback, "
    "enquiry, comment or guestbook page)",
    "contact-link": "no chat or meeting-join links (zoom.us/j/..., teams.microsoft.com/l/chat/..., "
    "teams.microsoft.com/meet/..., *.webex.com/meet/..., gotomeeting.com/join/...)",
    "social-action": "no messaging, friend, connect, follow, invite, comment, post, share, "
    "intent, chat or private-API endpoints on social networks and chat services",
    "account-area": "no login, sign-in, OAuth or account areas on any host, in the path or "
    "routed by the query (?route=account/login, ?view=login)",
}

_ZOOM_LINKS = (("j",), ("my",), ("s",), ("w",), ("wc",))
_TEAMS_LINKS = (
    ("l", "call"), ("l", "chat"), ("l", "invite"), ("l", "meetup-join"), ("l", "message"),
    ("meet",),
)  # fmt: skip
_CONTACT_LINKS: dict[str, tuple[tuple[str, ...], ...]] = {
    "zoom.us": _ZOOM_LINKS,
    "zoomgov.com": _ZOOM_LINKS,  # Zoom for Government
    "teams.microsoft.com": _TEAMS_LINKS,
    "teams.live.com": _TEAMS_LINKS,  # Teams (free)
    "teams.microsoft.us": _TEAMS_LINKS,  # GCC High (gov.) and DoD (dod.)
    "teams.cloud.microsoft": _TEAMS_LINKS,
    "webex.com": (("meet",),),  # any site's personal room: acme.webex.com/meet/jane
    "gotomeeting.com": (("join",),),
    "g.co": (("meet",),),  # forwards to meet.google.com
    "pf.kakao.com": (("*", "chat"),),  # a Kakao channel's chat: pf.kakao.com/_abc/chat
    "s.team": (("chat",),),  # Steam's chat invitation links
}
"""Hosts (and their subdomains) that serve ordinary pages too, and the path prefixes on them
that join a meeting or open a chat (``zoom.us/j/123``, ``teams.microsoft.com/l/chat/...``); a
``*`` stands for any one segment. Hosts whose every URL joins a call or opens a chat are the
shipped ``contact`` category's (``data/supplement.txt``), not this table's."""

_CONTACT_HOST_PREFIXES = ("im-api", "edge-chat", "chat-", "mqtt")
"""First-label prefixes of a listed host's messaging transports (``edge-chat.facebook.com``,
``edge-chat.instagram.com``): a contact host on every listed domain."""

AGGREGATOR_DOMAINS = frozenset(
    {
        "yelp.com", "yelp.co.uk", "bbb.org", "yellowpages.com", "yell.com", "manta.com",
        "angi.com", "angieslist.com", "thumbtack.com", "houzz.com", "tripadvisor.com",
        "foursquare.com", "mapquest.com", "google.com", "goo.gl", "bing.com", "apple.com",
        "zoominfo.com", "crunchbase.com", "dnb.com", "opencorporates.com", "bizapedia.com",
        "buzzfile.com", "chamberofcommerce.com", "superpages.com", "whitepages.com",
        "spokeo.com", "glassdoor.com", "indeed.com", "trustpilot.com", "wikipedia.org",
        "companieshouse.gov.uk", "find-and-update.company-information.service.gov.uk",
    }
)  # fmt: skip
"""Directories, review sites, maps and search engines: they list a business, they are not
its own website, so a connector never adopts one as "the" business site (``check_site``)."""

_SOCIAL_ACTION_PREFIXES = (
    "message", "messaging", "mercury", "inbox", "direct", "chat", "compose", "addfriend",
    "friend", "follow", "unfollow", "invit", "norminvitation", "connect", "mynetwork",
    "relationship", "comment", "publish", "share", "intent", "dialog", "graphql", "whisper",
    "webgraphql", "voyager", "ajax", "login", "logout", "signin", "signup", "oauth",
    "account", "checkpoint", "retweet", "tweet", "reply", "react", "write", "submit", "poke",
    "authorizeinteraction",
)  # fmt: skip
"""Segment prefixes (letters and digits only) refused anywhere in a social-network path."""

_SOCIAL_ACTION_SEGMENTS = frozenset(
    {
        "api",
        "i",
        "im",
        "dm",
        "t",
        "uas",
        "like",
        "send",
        "post",
        "feed",
        "commit",
        "contact",
        "create",
    }
)
"""Short segments refused only when they are the whole segment (``/i/api``, ``/t/123``)."""

_SENDING = frozenset(
    {
        "sendsms", "sendsmsmessage", "sendmessage", "sendmessages", "sendmsg", "sendtext",
        "sendtextmessage", "sendmail", "sendemail", "sendhttp", "sendnotification", "sendpush",
        "sendwhatsapp", "smssend", "sendbulksms", "bulksms", "mtsms", "formresponse",
        "postmessage", "formmail",
    }
)  # fmt: skip
"""Words that name sending and nothing else, refused on every host as a whole part of a path
segment, letters and digits only (``/api/SendSMS.php``, ``/send-sms``, ``/botK/sendMessage``,
``/forms/.../formResponse``, ``/v1/x.sendsms``), or as an action parameter's value
(``?action=sendsms``, ``?method=sendSMS``). Whole parts only: ``/send-mail-solutions-llc``
is a company's page. (``formmail``: a form mailer, ``/cgi-bin/FormMail.pl``.)"""

_SEND_VERBS = frozenset({"send", "sms", "mms", "publish", "trigger", "notify", "invoke", "exec"})
_SEND_NOUNS = frozenset(
    {"message", "messages", "notification", "triggers", "hook", "hooks", "webhook", "webhooks"}
)
"""Path words that may name sending (``/sms/json``, ``/topic/publish``, ``/messages.send``,
``/hooks/catch``) but also name pages (``/shop/hooks``, ``/wiki/SMS``, ``/products/trigger``).
A verb is refused with a message in the query; a noun only with a recipient too: a value, in
the query or the path, that is a phone number or an e-mail address (``?to=2024-01-31`` and
``?to=sales`` are not)."""
_WRITES_TO_WHOEVER = frozenset(
    {
        "subscribe", "unsubscribe", "signup", "optin", "register", "invite", "callback",
        "forgot", "reset", "recover", "remind", "tellafriend", "refer", "referral", "otp",
        "password", "forgotpassword", "resetpassword", "passwordreset", "lostpassword",
        "newsletter", "callmeback",
    }
)  # fmt: skip
"""Words of a path segment (a run of its letters and digits, or all of them run together:
``/forgot-password``, ``/sign-up``, ``/tell-a-friend``) naming a form that writes to or calls
whoever it is given (a password reset, a newsletter sign-up, a call-back request): given a
phone number or an e-mail address, the site writes to or rings that person. Whole words only
(``/registers``, ``/presets`` and ``/reference`` are pages), so the run-together names sites
give these forms are words of their own (``/ForgotPassword.aspx``, ``/PasswordReset``)."""
_MAY_WRITE = re.compile("|".join(sorted(_WRITES_TO_WHOEVER)))
_MESSAGE_KEYS = frozenset({"text", "message", "msg", "mes", "body", "content", "txt", "sms"})
_MESSAGE_KEY_ENDS = ("text", "message", "msg")
_RECIPIENT_KEY_ENDS = ("recipient", "recipients")
"""Query keys a form mailer takes its addressee from (FormMail's ``recipient``, Tectite's
``recipients``): given a phone number or an e-mail address, the mailer writes to it whatever
else the query holds, on any path."""
_WRITTEN_KEYS = frozenset(
    {"message", "msg", "comment", "comments", "enquiry", "inquiry", "feedback", "review",
     "guestbook", "testimonial"}
)  # fmt: skip
_WRITTEN_KEY_ENDS = (
    "message", "messages", "msg", "msgs", "comment", "comments", "enquiry", "enquiries",
    "inquiry", "inquiries", "feedback",
)  # fmt: skip
"""Query keys a site's own form takes what a visitor writes to it or posts on it from (a
contact form's ``your-message``, WordPress's ``comment``, a review): given words, the site's
owner reads them or its pages show them, whoever else they reach."""
_WRITTEN_KEY_TAIL = re.compile(r"(?:text|body|content)?[0-9]*$")
"""What a form builder writes after such a key (``message1``, ``message_text``,
``comment_body``): the key without it is read as above."""
_WRITTEN_KEY_OWNED = re.compile(r"(?:your|user|customer|guest|visitor|new)(?:review|testimonial)")
"""A review or testimonial key that says whose it is (``your-review``)."""
_WRITTEN_TO_PAGES = frozenset(
    {"contact", "contacts", "contactus", "contactform", "contactpage", "getintouch", "enquiry",
     "enquiries", "inquiry", "inquiries", "feedback", "guestbook", "comment", "comments",
     "wpcommentspost", "addcomment", "postcomment"}
)  # fmt: skip
"""Path segments (their letters and digits, up to a first dot) naming a page whose form
writes to the site: any words in a query to one are a submission (a form builder's
``input_3=...``), whatever its keys are called."""
_A_WORD = re.compile(r"[^\W\d_]")
_LANGUAGE_KEYS = frozenset({"lang", "language", "locale", "hl", "hslang", "lng", "wpmllang"})
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
"""A language a page is asked in (``/contact?lang=en``, HubSpot's ``?hsLang=en-us``): no
words sent to the page, which had been refused."""
_ACTION_KEYS = frozenset(
    {"action", "method", "cmd", "command", "op", "operation", "do", "task", "function", "func"}
)
DIALLED = re.compile(r"(?<![\d.])\+?\d[\d ().\-]{8,18}\d(?![\d.])")
"""A phone number as written: digits with the spaces, brackets, dots and dashes people put
in one ("5558675309", "(555) 867-5309", "+1 555.867.5309"), not digits a path or a file
name happens to hold ("IMG_5550100.jpg")."""
_MAILBOX = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)


def _reachable(value: str) -> bool:
    """A phone number (10 to 15 digits) or an e-mail address, or a list of them (``,``, ``;``
    or ``|`` between: gateways take several recipients in one value): somebody a message can
    reach."""
    return any(_one_reachable(part.strip()) for part in _RECIPIENTS_SPLIT.split(value))


_RECIPIENTS_SPLIT = re.compile(r"[,;|]")


_URI_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:(?://)?", re.I)
"""A URI's scheme: a number or an address written as the link to it (``tel:``, ``sms:``,
``callto:``, ``mailto:``) reaches whoever its address does."""


def _one_reachable(value: str) -> bool:
    scheme = _URI_SCHEME.match(value) if ":" in value else None
    value = value[scheme.end() :] if scheme else value
    if _MAILBOX.fullmatch(value):
        return True
    # "(555) 867-5309": DIALLED begins at a digit
    return (
        bool(DIALLED.fullmatch(value.lstrip("("))) and 10 <= sum(ch.isdigit() for ch in value) <= 15
    )


_SENDER_LINKS: dict[str, tuple[tuple[str, ...], ...]] = {
    # an Apps Script web app runs its code on a GET (/a/macros/DOMAIN/...: a Workspace one)
    "script.google.com": (("macros",), ("a", "macros")),
}
"""Hosts that serve ordinary pages too, and the path prefixes on them that run a sender's
code (rule ``message-service``); hosts whose every URL sends are the shipped ``sender``
category's (``data/supplement.txt``)."""

_SOCIAL_API_HOST_LABELS = frozenset({"api", "graph", "i", "upload", "rupload", "b-api", "web"})

_ACCOUNT_SEGMENTS = frozenset(
    {
        "login", "logon", "signin", "signon", "logout", "signout", "oauth", "oauth2",
        "authorize", "account", "myaccount", "wplogin", "sso", "saml",
    }
)  # fmt: skip
_LOGIN_WORDS = frozenset(
    {"login", "logon", "signin", "signon", "logout", "signout", "sso", "saml", "oauth", "oauth2"}
)
"""Words that name a login among a segment's words ("member-login", "signin-oidc"); not
"account", which a business's pages use of its services ("account-management")."""
_ROUTE_KEYS = frozenset(
    {
        "route", "r", "action", "act", "view", "task", "page", "mode", "do", "controller",
        "module", "cmd", "func", "function", "method", "op",
    }
)  # fmt: skip
"""Query keys that route a request to a page (``index.php?route=account/login``): their
values are read as paths by ``account-area``; a search's ``q`` or ``name`` is not."""
_ACCOUNT_HOST_LABELS = frozenset({"login", "signin", "accounts", "account", "sso", "auth", "oauth"})

_METADATA_NETWORKS = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("100.100.100.200/32"),
    ipaddress.ip_network("192.0.0.192/32"),  # Oracle Cloud's instance metadata
    ipaddress.ip_network("168.63.129.16/32"),  # Azure's WireServer: goal state, extension keys
)
_METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data",
     "instance-data.ec2.internal", "metadata.azure.internal", "metadata.packet.net"}
)  # fmt: skip

_PRIVATE_NETWORKS = tuple(
    (ipaddress.ip_network(network), why)
    for network, why in (
        ("0.0.0.0/8", "'this network' (RFC 791)"),
        ("10.0.0.0/8", "private (RFC 1918)"),
        ("100.64.0.0/10", "shared address space (RFC 6598, carrier-grade NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("172.16.0.0/12", "private (RFC 1918)"),
        ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
        ("192.168.0.0/16", "private (RFC 1918)"),
        ("198.18.0.0/15", "benchmarking (RFC 2544)"),
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("fc00::/7", "unique local (RFC 4193)"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)
"""Private, loopback and reserved networks, with what each is (link-local and metadata
addresses are ``metadata-address``'s). Anything else not globally reachable is refused too."""
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


KEY_HEADERS = frozenset({"authorization", "x-api-key"})
"""The only headers a key may travel in: it is added after the checks, so it must never become
a cookie, a Host or a method override."""

SET_COOKIE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
"""The response headers that set a cookie (RFC 6265's, and RFC 2965's a jar set up for it
would keep): dropped wherever a response is passed on or stored."""

SENT_HEADERS = frozenset({
    "host", "user-agent", "from", "accept", "accept-encoding", "accept-language", "connection",
    "cache-control", "pragma", "if-none-match", "if-modified-since",
})  # fmt: skip
"""The headers a request may carry besides a declared key: what an HTTP client reading a page
sends. Any other is refused, not dropped: a method override (``X-HTTP-Method-Override``),
``Origin`` or ``X-Requested-With`` make a GET act as a form or a script at many servers."""


def check_request_shape(
    method: str, header_names: AbstractSet[str], has_body: bool, *, key_header: str | None
) -> tuple[str, str] | None:
    """The first hard rule the method, headers (lower-case names) or body break, if any.
    ``key_header``: the one key header (lower case) the request may carry, its connector's
    declared key for this host, or None."""
    if method.upper() not in ALLOWED_METHODS:
        return "method", f"{method.upper()} is not a read-only method"
    if has_body:
        return "body", "a request body is never sent"
    if "cookie" in header_names or "cookie2" in header_names:
        return "cookie", "cookies are never sent"
    if "proxy-authorization" in header_names:
        return "authorization", "proxy credentials are never sent"
    if any(name != key_header for name in header_names & KEY_HEADERS):
        return "authorization", "only a connector's declared API key may authorise a request"
    other = sorted(header_names - SENT_HEADERS - KEY_HEADERS)
    if other:
        return "header", f"{other[0]} is not a header skiptrace sends"
    return None


def check_url(url: CanonicalURL, private_allowed: AbstractSet[str] = frozenset()) -> None:
    """Raise HardRuleRefusal if the canonical ``url`` breaks a hard rule.

    ``private_allowed`` holds the ``host:port`` pairs (see ``endpoint``) a policy lets a run
    reach although private: the one exception to a hard rule, and an exact one.

    A URL carrying a password or a session id (``_credential``) is refused, by whichever rule,
    with its origin alone: the refusal is logged, and the credential must not be.
    """
    params = _params(url)
    try:
        _check_url(url, params, private_allowed)
    except HardRuleRefusal as refusal:
        if _credential(url, params) is None:
            raise
        raise HardRuleRefusal(refusal.rule, _origin_only(url), refusal.detail) from None


def _params(url: CanonicalURL) -> list[tuple[str, str]]:
    """The query's parameters, keys as letters and digits."""
    # ";" separates parameters too for some servers (CGI.pm, Rack < 3, Go < 1.17)
    pairs = parse_qsl(url.query.replace(";", "&"), True)
    return [(_NON_ALNUM.sub("", k.lower()), v) for k, v in pairs]


def without_credentials(url: str) -> str:
    """``url`` as an audit row keeps a URL the guard did not admit (a refused redirect, a hop
    past ``limits.max_redirects``, a link declined): as it is, or its origin alone if it
    carries a credential (a ``user:password@``, a password or a session id past the host), as
    ``check_url`` writes a URL it refuses; one no parser reads (``http://[::1``), up to its
    query or path parameters, which no rule could read either, and its scheme alone if its
    authority holds a user-info. (An admitted URL carries none: rule ``userinfo`` read it.)"""
    try:
        canonical = canonicalize(url)
    except HardRuleRefusal:
        return unparsed(url)
    if canonical.has_userinfo or _credential(canonical, _params(canonical)):
        return _origin_only(canonical)
    return url


def _check_url(
    url: CanonicalURL, params: list[tuple[str, str]], private_allowed: AbstractSet[str]
) -> None:
    """``check_url``'s rules; ``params`` are the query's, keys as letters and digits."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise HardRuleRefusal("scheme", str(url), f"scheme '{url.scheme}' is not http or https")
    if url.has_userinfo:
        raise HardRuleRefusal("userinfo", str(url), "credentials in a URL are never sent")
    host_rule = _host_rule(url.host)
    if host_rule and not (
        host_rule[0] == "private-address"
        and endpoint(url.host, url.port or DEFAULT_PORTS[url.scheme]) in private_allowed
    ):
        raise HardRuleRefusal(host_rule[0], str(url), host_rule[1])
    _check_links(url, _CONTACT_LINKS, "contact-link", "joins a meeting or opens a chat")
    _check_links(url, _SENDER_LINKS, "message-service", "runs code that may send")
    _check_method_override(url, params)
    credential = _credential(url, params)
    if credential:
        raise HardRuleRefusal("userinfo", _origin_only(url), credential)
    _check_sending(url, params)
    _check_account_route(url, params)
    social = is_social_host(url.host)
    for segment in url.segments:
        stem = _NON_ALNUM.sub("", segment.split(".", 1)[0])
        if social and _social_action(stem):
            detail = f"'{segment}' is an action or private-API endpoint on a social network"
            raise HardRuleRefusal("social-action", str(url), detail)
        if stem in _ACCOUNT_SEGMENTS or _login_words(segment):
            raise HardRuleRefusal(
                "account-area", str(url), f"'{segment}' is a login or account area"
            )
    routed = [(k, v) for k, v in params if k in _ROUTE_KEYS or k.endswith("cmd")] if social else []
    for key, value in routed:  # an action a social network routes by the query: ?act=write
        if _social_action(_NON_ALNUM.sub("", value.lower())):
            detail = f"'{key}={value}' routes to an action on a social network"
            raise HardRuleRefusal("social-action", str(url), detail)


def _check_method_override(url: CanonicalURL, params: list[tuple[str, str]]) -> None:
    """Refuse a query parameter naming a method (``_method``, ``x-http-method-override``, keys
    as letters and digits) whose value is a method other than GET or HEAD: a framework honouring
    it acts on the GET as on that method, which the header spelling of it is refused for."""
    for key, value in params:
        named = value.strip().upper()
        override = key in _OVERRIDE_KEYS or key.endswith("methodoverride")
        if override and named in _OTHER_METHODS:
            detail = f"'{key}={value}' asks the server to take this GET for a {named}"
            raise HardRuleRefusal("method", str(url), detail)


_PASSWORD_KEYS = frozenset({"pwd", "pass"})


def _credential(url: CanonicalURL, params: list[tuple[str, str]]) -> str | None:
    """Why ``url`` carries a credential, if it does: a password or a session id given in the
    query or in a path parameter (``;jsessionid=``, read however it is escaped), a login by
    GET, or a session cookie by another name (PHP and Java servers take a session's id from
    the URL). Refused with the URL's origin alone, as ``user:password@`` is left out of a
    refused URL: a credential is never written to the audit log."""
    found = params
    if ";" in url.path or "%" in url.path:  # a path parameter, or an escape that may be one
        path_params = (
            part.partition("=")
            for piece in fully_unquote(url.path).split("/")
            for part in piece.split(";")[1:]
        )
        found = [*params, *((_NON_ALNUM.sub("", k.lower()), v) for k, _, v in path_params)]
    for key, value in found:
        session = "sessionid" in key or key.endswith("sessid")
        if value.strip() and (session or "passw" in key or key in _PASSWORD_KEYS):
            what = "a session id" if session else "a password"
            return f"'{key}' is {what}: credentials in a URL are never sent"
    return None


def _origin_only(url: CanonicalURL) -> str:
    return str(url._replace(path="/", query=""))


def host_matches(host: str, domains: AbstractSet[str]) -> bool:
    """True if ``host`` is one of ``domains`` or a subdomain of one."""
    labels = host.split(".")
    return any(".".join(labels[index:]) in domains for index in range(len(labels)))


def _check_links(
    url: CanonicalURL, table: dict[str, tuple[tuple[str, ...], ...]], rule: str, what: str
) -> None:
    """Refuse a path prefix of ``table`` (a meeting-join or chat link, a sender's code) on a
    host that also serves ordinary pages. Looked up by the host's own suffixes, not by walking
    the table: this runs for every request."""
    labels = url.host.split(".")
    for index in range(len(labels)):
        domain = ".".join(labels[index:])
        for prefix in table.get(domain, ()):
            head = url.segments[: len(prefix)]
            if len(head) == len(prefix) and all(
                want in ("*", got) for want, got in zip(prefix, head, strict=True)
            ):
                detail = f"/{'/'.join(prefix)}/ on {domain} {what}"
                raise HardRuleRefusal(rule, str(url), detail)


def _social_action(stem: str) -> bool:
    """Whether a path segment's or a routing value's letters and digits name an action or a
    private API on a social network."""
    return stem in _SOCIAL_ACTION_SEGMENTS or stem.startswith(_SOCIAL_ACTION_PREFIXES)


def _login_words(segment: str) -> bool:
    """A login word among a path segment's words, or two of its words that make one
    (``_LOGIN_WORDS``): "member-login", "client_login.php", "customer-sign-in", "signin-oidc"
    had been sent, only a whole segment's letters being looked up."""
    words = _NON_ALNUM.split(segment.split(".", 1)[0])
    return not _LOGIN_WORDS.isdisjoint(words) or any(
        a + b in _LOGIN_WORDS for a, b in itertools.pairwise(words)
    )


def _check_account_route(url: CanonicalURL, params: list[tuple[str, str]]) -> None:
    """Refuse a login or account area a query string routes to (``?route=account/login``,
    ``?view=login``, ``?mode=login``): the value of a routing key, whole or by ``/``."""
    for key, value in params:
        if key in _ROUTE_KEYS:
            words = {_NON_ALNUM.sub("", part.lower()) for part in (value, *value.split("/"))}
            if words & _ACCOUNT_SEGMENTS:
                detail = f"'{key}={value}' is a login or account area"
                raise HardRuleRefusal("account-area", str(url), detail)


def _check_sending(url: CanonicalURL, params: list[tuple[str, str]]) -> None:
    """Refuse a sending endpoint on any host (``_SENDING``, ``_SEND_VERBS``, ``_SEND_NOUNS``);
    ``params`` are the query's, keys as letters and digits."""
    for key, value in params:
        action = _NON_ALNUM.sub("", value.lower())
        if key in _ACTION_KEYS and (action in _SENDING or action in _SEND_VERBS):
            raise HardRuleRefusal("send-endpoint", str(url), f"'{key}={value}' sends a message")
        if key.endswith(_RECIPIENT_KEY_ENDS) and _reachable(value):
            detail = f"'{key}' gives a form mailer its addressee"
            raise HardRuleRefusal("send-endpoint", str(url), detail)
    _check_written_to_the_site(url, params)
    found: tuple[bool, bool] | None = None  # (a message given, somebody reachable): only
    # worked out for a sending word, which few requests hold (this runs for every request)
    # each word _words finds is in the segments' letters and digits run together: one search
    # of them spares splitting every segment of the many paths that hold none
    may_write = _MAY_WRITE.search(_NON_ALNUM.sub("", "".join(url.segments))) is not None
    for segment in url.segments:
        if may_write and not _WRITES_TO_WHOEVER.isdisjoint(_words(segment)):
            if found is None:
                found = _message_and_reachable(url, params)
            if found[1]:
                detail = f"'{segment}' writes to or calls whoever the query names"
                raise HardRuleRefusal("send-endpoint", str(url), detail)
        for part in segment.split("."):
            word = _NON_ALNUM.sub("", part)
            if word in _SENDING:
                raise HardRuleRefusal("send-endpoint", str(url), _sends(segment))
            if word not in _SEND_VERBS and word not in _SEND_NOUNS:
                continue
            if found is None:
                found = _message_and_reachable(url, params)
            message, reachable = found
            if (word in _SEND_VERBS and (message or reachable)) or (
                word in _SEND_NOUNS and message and reachable
            ):
                raise HardRuleRefusal("send-endpoint", str(url), _sends(segment))
    if _form_sends(url, params):
        detail = (
            "a query giving a message and a phone number or e-mail address is a form that sends"
        )
        raise HardRuleRefusal("send-endpoint", str(url), detail)


def _check_written_to_the_site(url: CanonicalURL, params: list[tuple[str, str]]) -> None:
    """Refuse words a GET gives a site's own form: under a key such a form reads
    (``_WRITTEN_KEYS``: ``/contact?message=...``, ``?comment=...``), or any key on a page
    whose form writes to the site (``_WRITTEN_TO_PAGES``: ``/contact.php?input_3=...``). The
    site's owner, a third party such as the debtor's employer, reads them, or its pages show
    them to the public; a number (a page, a post, a rating) is no words."""
    if ";" in url.path:  # a path parameter (``/x;message=...``), which Java servers read
        params = [*params, *_path_params(url)]
    worded = [
        (key, value)
        for key, value in params
        if _A_WORD.search(value) and not (key in _LANGUAGE_KEYS and _LANGUAGE.fullmatch(value))
    ]
    for key, _ in worded:
        stem = _WRITTEN_KEY_TAIL.sub("", key)
        if any(
            word in _WRITTEN_KEYS
            or word.endswith(_WRITTEN_KEY_ENDS)
            or _WRITTEN_KEY_OWNED.fullmatch(word)
            for word in (key, stem)
        ):
            detail = f"'{key}' gives words for the site to read or show: a form that writes"
            raise HardRuleRefusal("send-endpoint", str(url), detail)
    # a page routed to by the query (``?page=contact``, Joomla's ``?option=com_contact``): the
    # words of its other keys are sent to it
    routed = [(key, value) for key, value in worded if _written_to_route(key, value)]
    if routed and len(routed) < len(worded):
        key, value = routed[0]
        detail = f"'{key}={value}' is a form that writes to the site: words sent to it"
        raise HardRuleRefusal("send-endpoint", str(url), detail)
    if worded:
        for segment in url.segments:
            if _NON_ALNUM.sub("", segment.split(".", 1)[0].lower()) in _WRITTEN_TO_PAGES:
                detail = f"'{segment}' is a form that writes to the site: words sent to it"
                raise HardRuleRefusal("send-endpoint", str(url), detail)


def _written_to_route(key: str, value: str) -> bool:
    """Whether ``key=value`` routes to a page whose form writes to the site."""
    if key not in _ROUTE_KEYS and key != "option":
        return False
    parts = (value, *value.split("/"), *value.split("."))
    words = {_NON_ALNUM.sub("", part.lower()).removeprefix("com") for part in parts}
    return not words.isdisjoint(_WRITTEN_TO_PAGES)


def _path_params(url: CanonicalURL) -> list[tuple[str, str]]:
    """The path's parameters (``;key=value`` after a segment), keys as letters and digits."""
    pairs = (
        part.partition("=")
        for piece in fully_unquote(url.path).split("/")
        for part in piece.split(";")[1:]
    )
    return [(_NON_ALNUM.sub("", key.lower()), value) for key, _, value in pairs]


def _words(segment: str) -> set[str]:
    """A path segment's runs of letters and digits, and those of each of its dot-separated
    parts run together (``tell-a-friend.php``: ``tellafriend``)."""
    return {*_NON_ALNUM.split(segment), *(_NON_ALNUM.sub("", part) for part in segment.split("."))}


def _is_message(key: str, value: str) -> bool:
    return bool(value.strip()) and (key in _MESSAGE_KEYS or key.endswith(_MESSAGE_KEY_ENDS))


def _form_sends(url: CanonicalURL, params: list[tuple[str, str]]) -> bool:
    """Whether the query gives a message and, elsewhere in it or in the path, somebody it can
    reach: a contact form submitted by GET, whatever its path is called (one value that is
    both, ``?searchtext=5558675309``, is a search for a number)."""
    if not any(_is_message(key, value) and not _reachable(value) for key, value in params):
        return False  # most requests stop here: no message
    return _anyone_reachable(url, params)


def _sends(segment: str) -> str:
    return f"'{segment}' is an endpoint that sends a message"


def _message_and_reachable(url: CanonicalURL, params: list[tuple[str, str]]) -> tuple[bool, bool]:
    """Whether the query gives a message, and whether it or the path names somebody a message
    can reach (``_reachable``)."""
    return any(_is_message(key, value) for key, value in params), _anyone_reachable(url, params)


def _anyone_reachable(url: CanonicalURL, params: list[tuple[str, str]]) -> bool:
    """Whether the query or the path names somebody a message can reach (``_reachable``)."""
    return any(_reachable(value) for _, value in params) or any(
        _reachable(segment) for segment in url.segments
    )


def is_social_host(host: str) -> bool:
    """A host the shipped categories list as a social network, dating site, chat service or
    contact link (``categories``): its action paths are refused by a hard rule. (A sender's
    host is refused whole, and is no social network.)"""
    listed = listing(host)
    return listed is not None and listed.category.name != "sender"


@lru_cache(maxsize=4096)
def _host_rule(host: str) -> tuple[str, str] | None:
    """The hard rule a host breaks whatever the path, as (rule, detail). Hosts repeat: cached."""
    if is_metadata_host(host):
        return "metadata-address", f"{host} is link-local or metadata"
    listed = listing(host)
    if listed and listed.category.hard:
        return listed.category.rule, listed.describe(host)
    social = listed is not None
    if social and host.startswith(_CONTACT_HOST_PREFIXES):
        return "contact-host", f"{host} opens a conversation"
    first_label = host.split(".", 1)[0]
    if social and first_label in _SOCIAL_API_HOST_LABELS:
        return "social-action", f"{host} is a social network's API or app host"
    if first_label in _ACCOUNT_HOST_LABELS:
        return "account-area", f"{host} is a sign-in host"
    private = _private_kind(host)
    if private:
        return "private-address", f"{host} is {private}"
    return None


@lru_cache(maxsize=4096)
def address_rule(address: str) -> tuple[str, str] | None:
    """The hard rule an address (or a host name standing for one) breaks, as (rule, detail):
    ``metadata-address`` or ``private-address``; None for a globally reachable address.
    For the answers a host name resolves to."""
    if is_metadata_host(address):
        return "metadata-address", f"{address} is link-local or metadata"
    private = _private_kind(address)
    if private:
        return "private-address", f"{address} is {private}"
    return None


def endpoint(host: str, port: int) -> str:
    """A canonical host and a port as ``hosts.allow_private`` spells them: ``127.0.0.1:8080``,
    ``[::1]:8080``, ``search.internal:443``."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _private_kind(host: str) -> str:
    """What makes a host private, loopback or reserved ("" if nothing): a loopback name, or an
    address in any spelling (an IPv4 address inside an IPv6 one is judged as itself)."""
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return "a loopback name"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        address = embedded_ipv4(address) or address
    for network, kind in _PRIVATE_NETWORKS:
        if address in network:
            return kind
    if address.is_multicast or address.is_reserved or not address.is_global:
        return "a special-purpose address, not globally reachable"
    return ""


def is_metadata_host(host: str) -> bool:
    """A link-local or cloud-metadata address or name (IP literals in any spelling)."""
    if host in _METADATA_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = embedded_ipv4(address)
        if embedded is not None:
            address = embedded
    return any(address in network for network in _METADATA_NETWORKS)


def check_site(url: CanonicalURL, private_allowed: AbstractSet[str] = frozenset()) -> None:
    """Raise HardRuleRefusal if ``url``'s host cannot be adopted as a business's own website:
    a directory, review site, map or search engine (``AGGREGATOR_DOMAINS``, rule
    ``aggregator-site``), or a host no business's site is (rule ``not-a-site``): a host that is
    not letters, digits and hyphens in dot-separated labels, a single label (``intranet``), an
    IP address, a public suffix of the Public Suffix List, ICANN's or a private one (``co.uk``,
    ``www.com``, ``github.io``, ``netlify.app``), port 0. An address or one-label name
    passes only when its exact ``host:port`` is in ``private_allowed`` (a test server).
    Social networks are the policy's (``hosts.deny_social_networks``) and the request rules'
    to refuse."""
    host = url.host
    listed = endpoint(host, url.port or DEFAULT_PORTS[url.scheme]) in private_allowed
    why = ""
    if url.port == 0:
        why = "port 0 is no website's port"
    elif is_ip_address(host):
        why = "an IP address is not a business's website"
    elif not all(LDH_LABEL.fullmatch(label) for label in host.split(".")):
        why = f"{host!r} is not a host name (letters, digits and hyphens only)"
    elif "." not in host:
        why = f"{host} is a single label, not a website's name"
    elif "." not in host.removeprefix("www."):
        why = f"{host} is www. before the single label {host[4:]}, not a website's name"
    elif is_public_suffix(host.removeprefix("www.")):
        why = f"{host} is a public suffix, under which anyone registers a name"
    if why and (url.port == 0 or not (listed and (is_ip_address(host) or "." not in host))):
        raise HardRuleRefusal("not-a-site", str(url), why)
    if host_matches(host, AGGREGATOR_DOMAINS):
        raise HardRuleRefusal(
            "aggregator-site", str(url), f"{host} lists businesses; it is not one's own site"
        )
