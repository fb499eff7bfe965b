"""The shipped host lists fail closed: data that is not what ``sources.toml`` says, a malformed
line or an empty category stops skiptrace at load, naming the file; and a floor of core contact
hosts in code holds whatever the data says (issue 16's review)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from publicsuffixlist import PSLFILE, PublicSuffixList

from skiptrace.errors import CategoryDataError, Refused
from skiptrace.net import categories, hardrules
from skiptrace.net.categories import build
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

DATA = Path(__file__).resolve().parents[2] / "src/skiptrace/net/data"
RunTool = Callable[[list[str]], tuple[int, str, str]]
"""The ``run_refresh_tool`` fixture (tests/net/conftest.py)."""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def _clear() -> None:
    categories._table.cache_clear()
    categories.listing.cache_clear()
    categories._longest.cache_clear()
    hardrules._host_rule.cache_clear()


@pytest.fixture
def fresh() -> Iterator[None]:
    _clear()
    yield
    _clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_data_loads(data: Path) -> None:
    assert build(data)["wa.me"].category.name == "contact"


def test_an_emptied_supplement_is_refused(data: Path) -> None:
    (data / "supplement.txt").write_text("", encoding="utf-8")
    with pytest.raises(CategoryDataError, match=re.escape("contact, sender is empty")):
        build(data)


def test_an_emptied_ut1_list_is_refused(data: Path) -> None:
    (data / "ut1" / "chat").write_text("", encoding="utf-8")
    with pytest.raises(CategoryDataError, match=re.escape("ut1/chat is 0 bytes")):
        build(data)


def test_an_edited_ut1_list_of_the_same_size_is_refused(data: Path) -> None:
    path = data / "ut1" / "chat"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[1], *lines[1:]]), encoding="utf-8")  # one entry twice
    if len(path.read_bytes()) == len((DATA / "ut1" / "chat").read_bytes()):
        with pytest.raises(CategoryDataError, match=re.escape("ut1/chat holds")):
            build(data)
    else:
        with pytest.raises(CategoryDataError, match=re.escape("ut1/chat is")):
            build(data)


def test_a_list_dropped_from_sources_toml_is_refused(data: Path) -> None:
    path = data / "sources.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[ut1.list]]\nname = "chat"')
    end = text.index("[[ut1.list]]", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CategoryDataError, match=re.escape("sources.toml lists UT1")):
        build(data)


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("wa.me\n", "supplement.txt: 'wa.me' needs NAME FIELD WHY"),
        ("wa.me contact\n", "supplement.txt: 'wa.me contact' needs NAME FIELD WHY"),
        ("example.com chatty a typo\n", "supplement.txt: example.com names 'chatty'"),
    ],
)
def test_a_malformed_supplement_line_is_refused_at_load(data: Path, line: str, match: str) -> None:
    with (data / "supplement.txt").open("a", encoding="utf-8") as file:
        file.write(line)
    with pytest.raises(CategoryDataError, match=re.escape(match)):
        build(data)


def test_a_malformed_or_stale_exclusion_is_refused(data: Path) -> None:
    path = data / "exclusions.txt"
    path.write_text("yelp.com social_networks\n", encoding="utf-8")
    with pytest.raises(
        CategoryDataError, match=re.escape("exclusions.txt: 'yelp.com social_networks'")
    ):
        build(data)
    path.write_text("nosuch.example chat a reason\n", encoding="utf-8")
    with pytest.raises(
        CategoryDataError, match=re.escape("exclusions.txt: nosuch.example is not in")
    ):
        build(data)


def test_broken_data_stops_a_run_at_policy_load(
    data: Path, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data / "supplement.txt").write_text("", encoding="utf-8")
    monkeypatch.setattr(categories, "_data_dir", lambda: data)
    with pytest.raises(CategoryDataError, match=re.escape("is empty")):
        load_policy()


def test_core_contact_hosts_are_refused_whatever_the_data(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = load_policy()
    monkeypatch.setattr(categories, "_table", cache(dict))  # every data file emptied
    for host in sorted(categories.CORE_CONTACT_HOSTS):  # one load for all of them
        for url in (f"https://{host}/jane", f"https://www.{host}/"):
            with pytest.raises(Refused) as refused:
                evaluate("GET", url, policy)
            assert refused.value.rule == "contact-host", url


def test_core_sender_hosts_are_refused_whatever_the_data(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = load_policy()
    monkeypatch.setattr(categories, "_table", cache(dict))  # every data file emptied
    for host in sorted(categories.CORE_SENDER_HOSTS):
        for url in (f"https://{host}/send?to=15550100&text=pay", f"https://eu.{host}/"):
            with pytest.raises(Refused) as refused:
                evaluate("GET", url, policy)
            assert refused.value.rule == "message-service", url
            assert "built-in sender hosts" in refused.value.detail


def test_the_floors_in_code_are_in_the_shipped_lists_too() -> None:
    """The code's floor repeats entries of the data, never names a host the data leaves out:
    the shipped lists stay the one place that says why a host is there."""
    shipped = {entry: listed.category.name for entry, listed in categories._table().items()}
    assert {host: shipped.get(host) for host in categories.CORE_SENDER_HOSTS} == dict.fromkeys(
        categories.CORE_SENDER_HOSTS, "sender"
    )
    assert all(shipped.get(host) in ("contact", "chat") for host in categories.CORE_CONTACT_HOSTS)


@pytest.mark.parametrize(
    ("entry", "match"),
    [
        ("wa.me.", "'wa.me.' is not canonical (the guard spells it wa.me)"),
        ("\u0456\u0441q.im", "'\u0456\u0441q.im' is not canonical (the guard spells it xn--q-"),
        ("*.wa.me", "'*.wa.me' is not letters, digits and hyphens"),
        ("wa_me.example", "'wa_me.example' is not letters, digits and hyphens"),
    ],
)
def test_a_supplement_entry_not_spelt_as_the_guard_spells_hosts_is_refused(
    data: Path, entry: str, match: str
) -> None:
    with (data / "supplement.txt").open("a", encoding="utf-8") as file:
        file.write(f"{entry} contact a lookalike\n")
    with pytest.raises(CategoryDataError, match=re.escape(f"supplement.txt: {match}")):
        build(data)


def test_a_ut1_entry_not_canonical_is_refused(data: Path) -> None:
    path = data / "ut1" / "chat"
    text = path.read_text(encoding="utf-8").replace("icq.com\n", "icq.com.\n", 1)
    path.write_text(text, encoding="utf-8")
    _edit(data / "sources.toml", "bytes = 3205", f"bytes = {len(text.encode())}")
    with pytest.raises(CategoryDataError, match=re.escape("ut1/chat: 'icq.com.' is not")):
        build(data)


@pytest.mark.parametrize("entry", ["co.uk", "com", "org.uk"])
def test_an_entry_that_is_a_public_suffix_is_refused(data: Path, entry: str) -> None:
    with (data / "supplement.txt").open("a", encoding="utf-8") as file:
        file.write(f"{entry} social would cover a TLD\n")
    with pytest.raises(CategoryDataError, match=re.escape(f"'{entry}' is a public suffix")):
        build(data)


def test_the_table_is_built_with_the_guards_one_parse_of_the_public_suffix_list(
    data: Path,
) -> None:
    """The ICANN-only list is parsed only for an entry the full list calls a public suffix:
    the shipped data has none, so loading it parses the list once, the parse the guard uses."""
    categories._psl.cache_clear()
    categories._icann.cache_clear()
    build(data)
    parsed = categories._psl.cache_info().currsize, categories._icann.cache_info().currsize
    assert parsed == (1, 0)


def test_a_private_suffix_is_an_entry_and_an_icann_one_is_refused(data: Path) -> None:
    """Only ICANN's section decides: github.io (a private suffix) is a host like any other."""
    with (data / "supplement.txt").open("a", encoding="utf-8") as file:
        file.write("github.io social a test's private suffix\n")
    assert build(data)["github.io"].category.name == "social"
    assert categories.is_icann_suffix("co.uk") and not categories.is_icann_suffix("github.io")


def test_the_bundled_public_suffix_list_has_no_private_exception_rule() -> None:
    """What ``is_icann_suffix`` relies on to ask the full list first: no rule of the private
    section can make an ICANN suffix no suffix (a release adding one fails here)."""
    text = Path(PSLFILE).read_text(encoding="utf-8")
    private = text.partition("// ===BEGIN PRIVATE DOMAINS===")[2]
    assert private, "the list has no private section marker"
    assert [line for line in private.splitlines() if line.startswith("!")] == []


@pytest.mark.parametrize(
    ("host", "address"),
    [("1.2.3.4", True), ("::1", True), ("fe80::1%eth0", True), ("1.2.3.4%7", True),
     ("::ffff:169.254.169.254", True), ("wa.me", False), ("foo.123", False),
     ("1.2.3.4.", False), ("1.2.3", False), ("", False), ("a:b", False)],
)  # fmt: skip
def test_an_ip_address_is_told_from_a_name(host: str, address: bool) -> None:
    assert categories.is_ip_address(host) is address


def test_the_match_does_not_depend_on_the_public_suffix_list(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later Public Suffix List that made ``line.me`` a suffix would not drop LINE's links."""
    categories.check()
    psl = PublicSuffixList(source=["me", "line.me", "com", "whatsapp.com"])
    monkeypatch.setattr(categories, "_psl", lambda: psl)
    assert psl.is_public("line.me")
    for host in ("line.me", "fortune.line.me", "api.whatsapp.com", "a.b.api.whatsapp.com"):
        listed = categories.listing(host)
        assert listed is not None and listed.category.name == "contact", host
    for host in ("chathamplumbing.com", "matrixlaw.com", "notweibo.com", "foo.github.io",
                 "weibo.com.evil.example", "me", "1.2.3.4"):  # fmt: skip
        assert categories.listing(host) is None, host


def test_the_severest_category_among_all_sources_wins(loosened_policy: Policy) -> None:
    """UT1 files snapchat.com as chat: no supplement line makes it a loosenable social host."""
    loosened = loosened_policy
    with pytest.raises(Refused) as refused:
        evaluate("GET", "https://www.snapchat.com/add/janeroe", loosened)
    assert refused.value.rule == "contact-host" and "UT1 chat" in refused.value.detail


def test_a_supplement_entry_cannot_demote_a_ut1_entry(data: Path) -> None:
    with (data / "supplement.txt").open("a", encoding="utf-8") as file:
        file.write("snapchat.com social a demotion\n")
    with pytest.raises(
        CategoryDataError, match=re.escape("snapchat.com is social here but UT1 chat")
    ):
        build(data)


def test_an_exclusion_demotes_a_ut1_entry(data: Path) -> None:
    table = build(data)
    assert table["meetup.com"].category.name == "social"  # excluded from UT1 dating, with why
    with (data / "exclusions.txt").open("a", encoding="utf-8") as file:
        file.write("snapchat.com chat a test's demotion\n")
    assert build(data)["snapchat.com"].category.name == "social"  # UT1 social_networks too


@pytest.fixture
def refresh(run_refresh_tool: RunTool) -> Callable[..., tuple[int, str, Path]]:
    """The refresh tool run on a local copy of the shipped lists (no network), ``shrink``'s
    list cut to its first tenth: its exit code, what it wrote to stderr, and the data folder."""

    def run(
        tmp_path: Path, *extra: str, shrink: str = "", commit: str = "a" * 40
    ) -> tuple[int, str, Path]:
        tree, data = tmp_path / "ut1", tmp_path / "refreshed"
        shutil.copytree(DATA, data)
        for name in categories.UT1_LISTS:
            (tree / name).mkdir(parents=True)
            text = (DATA / "ut1" / name).read_text(encoding="utf-8")
            if name == shrink:
                lines = text.splitlines(keepends=True)
                text = "".join(lines[: len(lines) // 10])
            (tree / name / "domains").write_text(text, encoding="utf-8")
        args = ["--from", str(tree), "--commit", commit, "--date", "2026-12-02",
                "--data", str(data), *extra]  # fmt: skip
        code, _, said = run_refresh_tool(args)
        return code, said, data

    return run


def test_the_refresh_tool_refuses_a_shrunken_list_without_force(
    tmp_path: Path, refresh: Callable[..., tuple[int, str, Path]]
) -> None:
    code, said, data = refresh(tmp_path, shrink="dating")
    assert code == 1 and "dating" in said and "--force" in said
    for name in categories.UT1_LISTS:  # nothing written
        assert (data / "ut1" / name).read_bytes() == (DATA / "ut1" / name).read_bytes()
    assert (data / "sources.toml").read_bytes() == (DATA / "sources.toml").read_bytes()
    code, said, data = refresh(tmp_path / "forced", "--force", shrink="dating")
    assert len((data / "ut1" / "dating").read_bytes()) < len((DATA / "ut1" / "dating").read_bytes())
    # written, and the loader's own check says what to fix: exclusions of entries now gone
    assert code == 1 and "would not load" in said, said
    assert "exclusions.txt" in said


def test_the_refresh_tool_wants_a_commit_id(
    tmp_path: Path, refresh: Callable[..., tuple[int, str, Path]]
) -> None:
    code, said, _ = refresh(tmp_path, commit="2026-12-01")
    assert code == 2 and "40-character commit id" in said


def test_the_refresh_tool_without_the_network_says_so_in_one_line(
    tmp_path: Path, refresh_tool: ModuleType
) -> None:
    """No network (the test fence stands in for it): one line naming the way offline, not a
    traceback, and nothing written."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with pytest.raises(SystemExit) as stopped:
        refresh_tool.main(["--data", str(data)])
    said = str(stopped.value)
    assert said.startswith("cannot fetch https://api.github.com/") and "\n" not in said, said
    assert "use --from" in said
    assert (data / "sources.toml").read_bytes() == (DATA / "sources.toml").read_bytes()
