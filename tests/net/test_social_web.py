"""The social web as it is (issue 16): the long tail of messengers, chat and meeting links, social
networks and dating sites is refused, each refusal naming its category and the list it came
from; businesses whose names hold the same words stay readable; the lists load offline.

Checked with the default policy exactly as ``skiptrace policy check`` checks a URL.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.errors import PolicyError
from skiptrace.net import categories
from skiptrace.policy import Policy, load_policy, merge
from skiptrace.testing.verdicts import refusal_of

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "src/skiptrace/net/data"
SUPPLEMENT = "skiptrace supplement"
UT1_SOCIAL, UT1_CHAT, UT1_DATING = "UT1 social_networks", "UT1 chat", "UT1 dating"
CONTACT, CHAT = "opens a conversation", "is a chat service"
SOCIAL, DATING = "is a social network", "is a dating site"

REFUSED: list[tuple[str, str, str, str]] = [
    # (url, rule, what the refusal says the host is, the list it names)
    # messengers' contact links: a hard rule
    ("https://matrix.to/#/@jane:matrix.org", "contact-host", CONTACT, SUPPLEMENT),
    ("https://app.element.io/#/room/!abc:matrix.org", "contact-host", CONTACT, SUPPLEMENT),
    ("https://threema.id/ABCD1234", "contact-host", CONTACT, SUPPLEMENT),
    ("https://open.kakao.com/o/gAbCdEf", "contact-host", CONTACT, SUPPLEMENT),
    ("https://zalo.me/84912345678", "contact-host", CONTACT, SUPPLEMENT),
    ("https://icq.im/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://telegram.dog/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://wa.link/abc123", "contact-host", CONTACT, SUPPLEMENT),
    ("HTTPS://WA.LINK./abc123", "contact-host", CONTACT, SUPPLEMENT),
    ("https://meet.google.com/abc-defg-hij", "contact-host", CONTACT, SUPPLEMENT),
    ("https://wa.me/15550100", "contact-host", CONTACT, SUPPLEMENT),
    ("https://chat.whatsapp.com/AbCdEfGh", "contact-host", CONTACT, SUPPLEMENT),
    ("https://telegram.me/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://signal.me/#eu/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://discord.gg/abc123", "contact-host", CONTACT, SUPPLEMENT),
    ("https://join.skype.com/invite/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://meet.jit.si/JaneRoeRoom", "contact-host", CONTACT, SUPPLEMENT),
    ("https://facetime.apple.com/join#v=1&p=abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://whereby.com/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://acme.whereby.com/room", "contact-host", CONTACT, SUPPLEMENT),
    ("https://chime.aws/1234567890", "contact-host", CONTACT, SUPPLEMENT),
    ("https://8x8.vc/acme/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://hangouts.google.com/call/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://chat.google.com/room/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://signal.group/#CjQKIabc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://lin.ee/abc123", "contact-host", CONTACT, SUPPLEMENT),
    ("https://viber.click/15550100", "contact-host", CONTACT, SUPPLEMENT),
    ("https://vk.me/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://kik.me/janeroe", "contact-host", CONTACT, SUPPLEMENT),
    ("https://invite.viber.com/?g2=abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://qr.kakao.com/talk/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://u.wechat.com/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://call.whatsapp.com/voice/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://call.element.io/room/#/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://meet.goto.com/123456789", "contact-host", CONTACT, SUPPLEMENT),
    ("https://join.slack.com/t/acme/shared_invite/abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://app.wire.com/join/?key=abc", "contact-host", CONTACT, SUPPLEMENT),
    ("https://fortune.line.me/", "contact-host", CONTACT, SUPPLEMENT),  # UT1 dating: line.me wins
    # chat services: a hard rule
    ("https://icq.com/", "contact-host", CHAT, UT1_CHAT),
    ("https://www.chatroulette.com/", "contact-host", CHAT, UT1_CHAT),
    ("https://imo.im/", "contact-host", CHAT, UT1_CHAT),
    ("https://talk.google.com/", "contact-host", CHAT, UT1_CHAT),
    ("https://messenger.yahoo.com/", "contact-host", CHAT, UT1_CHAT),
    ("https://www.omegle.com/", "contact-host", CHAT, UT1_CHAT),
    # social networks: the default policy
    ("https://truthsocial.com/@someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://gab.com/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://gettr.com/user/someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://parler.com/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://mewe.com/p/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://www.minds.com/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://www.clubhouse.com/@someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://www.lemon8-app.com/@someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://bere.al/someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://weibo.com/u/1234567890", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://m.weibo.cn/u/1234567890", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://www.douyin.com/user/abc", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://www.xiaohongshu.com/user/profile/abc", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://www.twitch.tv/someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://steamcommunity.com/id/someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://www.meetup.com/members/12345/", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://onlyfans.com/someone", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://www.habbo.co.uk/profile/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://facebook.fr/someone", "social-network-host", SOCIAL, UT1_SOCIAL),
    ("https://www.facebook.com/acme.plumbing", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://someone.bsky.social/", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://youtu.be/dQw4w9WgXcQ", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://instagr.am/p/abc", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://fb.watch/abc/", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://redd.it/abc", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://pin.it/abc", "social-network-host", SOCIAL, SUPPLEMENT),
    ("https://fosstodon.org/@someone", "social-network-host", SOCIAL, SUPPLEMENT),
    # dating sites: the default policy
    ("https://tinder.com/@someone", "dating-site-host", DATING, UT1_DATING),
    ("https://www.tinder.com/", "dating-site-host", DATING, UT1_DATING),
    ("https://www.okcupid.com/profile/someone", "dating-site-host", DATING, SUPPLEMENT),
    ("https://www.match.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://uk.match.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://bumble.com/", "dating-site-host", DATING, UT1_DATING),
    ("https://hinge.co/", "dating-site-host", DATING, UT1_DATING),
    ("https://www.plentyoffish.com/", "dating-site-host", DATING, UT1_DATING),
    ("https://www.eharmony.co.uk/", "dating-site-host", DATING, UT1_DATING),
    ("https://www.meetic.fr/", "dating-site-host", DATING, UT1_DATING),
    ("https://badoo.com/", "dating-site-host", DATING, UT1_DATING),  # UT1 social too: dating wins
    ("https://www.grindr.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://www.coffeemeetsbagel.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://adultfriendfinder.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://hily.com/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://weareher.her.app/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://www.raya.app/", "dating-site-host", DATING, SUPPLEMENT),
    ("https://www.match.co.uk/", "dating-site-host", DATING, SUPPLEMENT),
]

HARD_PATHS: list[tuple[str, str]] = [
    # meeting-join and chat links on hosts that also serve ordinary pages
    ("https://zoom.us/j/123456789", "contact-link"),
    ("https://us02web.zoom.us/j/85512345678?pwd=abc", "contact-link"),
    ("https://ZOOM.US/J/123456789", "contact-link"),
    ("https://zoom.us/my/janeroe", "contact-link"),
    ("https://zoom.us/wc/123456789/join", "contact-link"),
    ("https://teams.microsoft.com/l/chat/0/0?users=jane@example.com", "contact-link"),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x", "contact-link"),
    ("https://teams.microsoft.com/%6C/chat/0/0", "contact-link"),
    ("https://teams.microsoft.com/meet/123456?p=abc", "contact-link"),
    ("https://teams.microsoft.com/l/invite/abc", "contact-link"),
    ("https://teams.live.com/l/message/abc", "contact-link"),
    ("https://teams.live.com/l/call/abc", "contact-link"),
    ("https://teams.live.com/meet/123456?p=abc", "contact-link"),
    ("https://gov.teams.microsoft.us/l/meetup-join/abc", "contact-link"),
    ("https://dod.teams.microsoft.us/meet/123456?p=abc", "contact-link"),
    ("https://teams.cloud.microsoft/l/chat/0/0", "contact-link"),
    ("https://teams.cloud.microsoft/meet/123456?p=abc", "contact-link"),
    ("https://zoomgov.com/j/1612345678", "contact-link"),
    ("https://acme.zoomgov.com/j/1612345678", "contact-link"),
    ("https://acme.webex.com/meet/janeroe", "contact-link"),
    ("https://www.webex.com/meet/janeroe", "contact-link"),
    ("https://www.gotomeeting.com/join/123456789", "contact-link"),
    ("https://g.co/meet/abc-defg-hij", "contact-link"),
    ("https://pf.kakao.com/_xAbCd/chat", "contact-link"),
    ("https://s.team/chat/AbCdEf", "contact-link"),
    # action paths on the long tail's hosts, whatever the policy
    ("https://www.twitch.tv/messages/whispers", "social-action"),
    ("https://www.twitch.tv/popout/someone/chat", "social-action"),
    ("https://steamcommunity.com/chat/", "social-action"),
    ("https://edge-chat.facebook.com/pull", "contact-host"),  # the transports' prefix, in code
    ("https://edge-chat.instagram.com/chat", "contact-host"),
    ("https://api.gotinder.com/v2/matches", "social-action"),
    ("https://weibo.com/ajax/statuses/update", "social-action"),
]

ALLOWED: list[str] = [
    # businesses whose names hold the services' words
    "https://chathamplumbing.com/",
    "https://www.matrixlaw.com/attorneys",
    "https://zoommovers.com/quote",
    "https://signalhilldental.com/team",
    "https://www.signal-hill-dental.com/",
    "https://www.matchpoint-tennis.co.uk/coaches",
    "https://tinderbox-bakery.example/",
    "https://www.weibotranslations.example/",
    "https://elementlaw.example/",
    "https://threemacapital.example/",
    "https://kakao-pizza.example/",
    "https://icqconsulting.example/",
    "https://mytinder.example/",
    "https://zalo-me.example/",
    # the services' names inside another registrable domain, or in a path or query
    "https://gab.com.evil.example/",
    "https://matrix.to.example/",
    "https://zoom.us.example/j/123",
    "https://teams.microsoft.com.example/l/chat/0/0",
    "https://www.acme-plumbing.example/zoom.us/j/123",
    "https://www.acme-plumbing.example/?ref=tinder.com",
    "https://www.acme-plumbing.example/chat",
    # the services' ordinary pages, and their neighbours
    "https://zoom.us/pricing",
    "https://www.zoom.com/en/products/",
    "https://www.microsoft.com/l/chat/",
    "https://www.webex.com/pricing/index.html",
    "https://www.gotomeeting.com/pricing",
    "https://pf.kakao.com/_xAbCd",  # a Kakao channel's page; its /chat is a contact link
    "https://www.zoomgov.com/",
    "https://wire.com/en/pricing",
    "https://mail.google.com/",  # UT1 lists chatenabled.mail.google.com: that host only
    "https://www.yahoo.com/",
    "https://www.booking.com/",  # UT1 dating lists jobs.booking.com: excluded anyway
    # reviewed exclusions: directories and businesses UT1 filed as social, chat or dating
    "https://www.yelp.com/biz/acme-plumbing",
    "https://www.tripadvisor.com/Restaurant_Review",
    "https://gusto.com/about",
    "https://www.trulia.com/",
    "https://www.brides.com/",
    "https://www.liveperson.com/",
    "https://www.hopster.com/",
    "https://www.personaldevelopmentschool.com/courses",
    "https://www.basi-musicali.com/",
    "https://t.yesware.com/tt/abc/def",
]


@pytest.fixture(scope="module")
def default_policy() -> Policy:
    return load_policy()


def test_the_table_is_large() -> None:
    assert len(REFUSED) + len(HARD_PATHS) + len(ALLOWED) >= 60


@pytest.mark.parametrize(("url", "rule", "what", "source"), REFUSED)
def test_long_tail_refused_naming_category_and_source(
    url: str, rule: str, what: str, source: str, default_policy: Policy
) -> None:
    refusal = refusal_of(url, default_policy)
    assert refusal is not None, url
    assert refusal.rule == rule
    snapshot = categories.sources()
    dated = snapshot["ut1"]["snapshot"] if source.startswith("UT1") else None
    expected = f"({source}, {dated} snapshot)" if dated else f"({source}, "
    assert what in refusal.detail and expected in refusal.detail, refusal.detail


@pytest.mark.parametrize(("url", "rule"), HARD_PATHS)
def test_contact_and_action_paths_refused(url: str, rule: str, default_policy: Policy) -> None:
    refusal = refusal_of(url, default_policy)
    assert refusal is not None and refusal.rule == rule, url


@pytest.mark.parametrize("url", ALLOWED)
def test_lookalikes_and_ordinary_pages_allowed(url: str, default_policy: Policy) -> None:
    refusal = refusal_of(url, default_policy)
    assert refusal is None, f"{url}: {refusal}"


def test_only_the_policy_categories_loosen_and_only_with_a_reason(loosened_policy: Policy) -> None:
    loosened = loosened_policy
    for url, rule, *_ in REFUSED:
        refusal = refusal_of(url, loosened)
        if rule == "contact-host":
            assert refusal is not None and refusal.rule == "contact-host", url
        else:
            assert refusal is None, url
    for url, rule in HARD_PATHS:
        assert (refusal := refusal_of(url, loosened)) is not None and refusal.rule == rule, url
    with pytest.raises(PolicyError, match="deny_dating_sites"):
        merge(load_policy(), {"hosts": {"deny_dating_sites": False}}, "test")


def test_a_policy_file_may_add_a_host(default_policy: Policy) -> None:
    tighter = merge(default_policy, {"hosts": {"deny": ["chathamplumbing.com"]}}, "test")
    refusal = refusal_of("https://www.chathamplumbing.com/", tighter)
    assert refusal is not None and refusal.rule == "denied-host"


def test_loading_the_lists_makes_no_network_access() -> None:
    """Import, the Public Suffix List and every shipped list load with sockets made to fail."""
    probe = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('network access')\n"
        "class NoSocket(socket.socket):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        refuse()\n"
        "socket.socket = NoSocket\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from skiptrace.net import categories\n"
        "print(categories.listing('m.weibo.cn').category.name, sum(categories.counts().values()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    name, total = done.stdout.split()
    assert name == "social" and int(total) > 4000


def test_the_shipped_ut1_files_are_what_sources_toml_says() -> None:
    sources = tomllib.loads((DATA / "sources.toml").read_text(encoding="utf-8"))
    assert sources["ut1"]["licence"] == "CC BY-SA 4.0"
    assert (DATA / "ut1" / "LICENCE.txt").is_file()
    for item in sources["ut1"]["list"]:
        text = (DATA / "ut1" / item["name"]).read_bytes()
        assert len(text) == item["bytes"], item["name"]
        entries = {line.strip().lower() for line in text.decode().splitlines() if line.strip()}
        assert len(entries) == item["entries"], item["name"]
        assert len(item["commit"]) == 40


def _data_rows(name: str) -> list[list[str]]:
    return categories.rows((DATA / name).read_text(encoding="utf-8"))


def test_every_exclusion_and_supplement_entry_is_sound() -> None:
    ut1 = {
        item["name"]: set((DATA / "ut1" / item["name"]).read_text().split())
        for item in categories.sources()["ut1"]["list"]
    }
    for name, ut1_list, *why in _data_rows("exclusions.txt"):
        assert name in ut1[ut1_list] and why, name  # names an entry, and says why
    supplement = _data_rows("supplement.txt")
    names = [name for name, *_ in supplement]
    assert len(names) == len(set(names))
    for name, category, *why in supplement:
        assert category in {c.name for c in categories.CATEGORIES} and why, name
        assert categories.registrable_domain(name), name  # never a public suffix


def test_the_refresh_tool_copies_a_local_tree_verbatim(
    tmp_path: Path, run_refresh_tool: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    """``tools/refresh_social_list.py --from`` (no network) reproduces the shipped lists."""
    tree, data = tmp_path / "ut1", tmp_path / "data"
    shutil.copytree(DATA, data)
    for item in categories.sources()["ut1"]["list"]:
        (tree / item["name"]).mkdir(parents=True)
        shutil.copy(DATA / "ut1" / item["name"], tree / item["name"] / "domains")
        (data / "ut1" / item["name"]).unlink()
    args = ["--from", str(tree), "--commit", "a" * 40, "--date", "2026-12-02", "--data", str(data)]
    code, said, errors = run_refresh_tool(args)
    assert code == 0, errors
    for item in categories.sources()["ut1"]["list"]:
        shipped = (DATA / "ut1" / item["name"]).read_bytes()
        assert (data / "ut1" / item["name"]).read_bytes() == shipped
    rewritten = tomllib.loads((data / "sources.toml").read_text(encoding="utf-8"))
    assert [item["commit"] for item in rewritten["ut1"]["list"]] == ["a" * 40] * 3
    assert "ignored by the loader" in said  # UT1's chat list holds bare addresses
