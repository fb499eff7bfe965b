"""Policy files tighten freely, loosen only with a recorded reason, and never touch hard rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skiptrace.audit.log import AuditLog
from skiptrace.errors import PolicyError
from skiptrace.net.client import guarded_client
from skiptrace.policy import SETTINGS, Policy, load_policy, merge, parse_rate
from skiptrace.state import builtin_dir


def _write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_policy_holds_the_default_on_rules(policy: Policy) -> None:
    assert set(policy.values) == set(SETTINGS)
    assert policy["hosts.deny_social_networks"] is True
    assert policy["hosts.deny_dating_sites"] is True
    assert policy["robots.honour"] is True
    assert policy["purpose.required"] is True
    assert {"ssn", "dob"} <= set(policy["redaction.fields"])
    assert policy["retention.audit_years"] >= 3
    assert policy.rate_for("data.sec.gov") == 10.0
    assert policy.rate_for("unknown.example") == 1.0
    assert policy.user_agent.startswith("skiptrace/0.")


@pytest.mark.parametrize(
    ("text", "rate"),
    [("2/s", 2.0), ("30/m", 0.5), ("600/5m", 2.0), ("36/h", 0.01), (" 1 / s ", 1.0)],
)
def test_rates(text: str, rate: float) -> None:
    assert parse_rate(text) == pytest.approx(rate)


_PAST_FLOAT = "9" * 400
"""Digits a float holds as inf: such a count over such a span was nan requests a second,
which no comparison calls faster than the default, and the limiter waited nan: not at all."""


@pytest.mark.parametrize(
    "text",
    ["fast", "2", "0/s", "2/d", "-1/s", 5, "1/0s", "1/0.0m",
     f"{_PAST_FLOAT}/{_PAST_FLOAT}s", f"{_PAST_FLOAT}/s"],
)  # fmt: skip
def test_bad_rates(text: object) -> None:
    with pytest.raises(PolicyError):
        parse_rate(text)


def test_a_file_tightens_and_lists_merge(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        [hosts]
        deny = ["Data-Broker.example"]
        allow_only = ["sec.gov", "gleif.org"]
        [rate]
        default = "20/m"
        [rate.hosts]
        "www.sec.gov" = "1/s"
        [redaction]
        fields = ["passport"]
        [identity]
        contact = "compliance@collector.example"
        """,
    )
    merged = load_policy([path])
    assert merged["hosts.deny"] == ["data-broker.example"]
    assert merged["hosts.allow_only"] == ["gleif.org", "sec.gov"]
    assert merged.rate_for("www.sec.gov") == 1.0
    assert merged.rate_for("data.sec.gov") == 10.0
    assert merged.rate_for("other.example") == pytest.approx(1 / 3)
    assert {"passport", "ssn"} <= set(merged["redaction.fields"])
    assert merged.headers()["From"] == "compliance@collector.example"
    assert merged.overrides == ()
    assert merged.sources[-1] == str(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[robots]\nhonour = false", "robots.honour"),
        ("[hosts]\ndeny_social_networks = false", "hosts.deny_social_networks"),
        ('[rate]\ndefault = "5/s"', "rate.default"),
        ("[rate]\nper_host_concurrency = 4", "rate.per_host_concurrency"),
        ('[rate.hosts]\n"www.sec.gov" = "20/s"', "rate.hosts"),
        ('[rate.hosts]\n"new.example" = "3/s"', "rate.hosts"),
        ("[purpose]\nrequired = false", "purpose.required"),
        ("[retention]\ndays = 4000", "retention.days"),
        ("[limits]\nmax_response_bytes = 99999999999", "limits.max_response_bytes"),
        ('[identity]\nuser_agent = ""', "identity.user_agent"),
    ],
)
def test_loosening_without_an_override_is_an_error(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError, match=key.replace(".", r"\.")):
        load_policy([_write(tmp_path, text)])


def test_allow_only_cannot_be_widened(policy: Policy) -> None:
    narrowed = merge(policy, {"hosts": {"allow_only": ["sec.gov"]}}, "a.toml")
    with pytest.raises(PolicyError, match="allow_only"):
        merge(narrowed, {"hosts": {"allow_only": ["sec.gov", "example.com"]}}, "b.toml")
    with pytest.raises(PolicyError, match="allow_only"):
        merge(narrowed, {"hosts": {"allow_only": []}}, "c.toml")


def test_loosening_with_an_override_is_recorded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        [robots]
        honour = false
        [[override]]
        key = "robots.honour"
        reason = "the site owner granted written permission on 2026-01-05"
        """,
    )
    merged = load_policy([path])
    assert merged["robots.honour"] is False
    [override] = merged.overrides
    assert (override.key, override.value, override.source) == ("robots.honour", False, str(path))
    assert "written permission" in override.reason


def test_an_override_a_later_policy_tightens_again_is_no_longer_said(tmp_path: Path) -> None:
    """A review: ``--policy loose.toml --policy strict`` ran at strict's rate, yet the override
    to 1/s was still listed, and written to the audit log, as if in force."""
    path = _write(
        tmp_path,
        """
        [rate]
        default = "1/s"
        [[override]]
        key = "rate.default"
        reason = "the registry's operator allows one request a second for us"
        """,
    )
    loose = load_policy([path])
    assert [o.key for o in loose.overrides] == ["rate.default"]
    both = load_policy([path, "strict"])
    assert both["rate.default"] != loose["rate.default"]
    assert both.overrides == ()
    assert load_policy(["strict", path]).overrides == loose.overrides  # in force: still said


_REASON = "the operator of the source allows it in writing"


@pytest.mark.parametrize(
    ("key", "loose", "later"),
    [
        ("rate.hosts", {"rate": {"hosts": {"api.example.org": "20/s"}}},
         {"rate": {"hosts": {"other.example.org": "1/m"}}}),
        ("rate.default", {"rate": {"default": "2/s"}}, {"rate": {"default": "120/m"}}),
        ("rate.default", {"rate": {"default": "4/s"}}, {"rate": {"default": "2/s"}}),
        ("hosts.deny", {"hosts": {"deny": []}}, {"hosts": {"deny": ["tracker.example.org"]}}),
    ],
    ids=["another-host-rate", "same-rate-spelt-otherwise", "tightened-but-still-looser", "union"],
)  # fmt: skip
def test_an_override_still_loosening_the_policy_is_still_said(
    policy: Policy, key: str, loose: dict[str, object], later: dict[str, object]
) -> None:
    """A review: an override was said only while its key held the value it set, so one still
    in force went unsaid: another host's rate merged beside it, the same rate spelt '120/m'
    for '2/s', a rate tightened to 2/s that is still twice the default, a deny list that an
    override emptied and a later policy added to."""
    base = merge(policy, {"hosts": {"deny": ["old.example.org"]}}, "deny.toml")
    overridden = merge(base, {**loose, "override": [{"key": key, "reason": _REASON}]}, "a.toml")
    merged = merge(overridden, later, "b.toml")
    assert merged[key] != overridden[key]
    assert [(o.key, o.source) for o in merged.overrides] == [(key, "a.toml")]


def test_an_override_of_host_rates_keeps_the_rates_it_does_not_name(
    policy: Policy, tmp_path: Path
) -> None:
    """Reviews: an override of rate.hosts replaced the whole table, so a host an earlier policy
    slowed to 1/h, and left out of it, ran at the default 1/s; and the default table's SEC
    hosts fell to 1/s, so ``--policy mine.toml --policy strict`` was refused for strict's
    2/s there, where the README promises it tightens mine back. An override sets the hosts
    it names; the others keep their rates, and it is said while one of them runs faster."""
    slowed = merge(policy, {"rate": {"hosts": {"slow.example.org": "1/h"}}}, "slow.toml")
    faster = {"rate": {"hosts": {"www.sec.gov": "20/s"}},
              "override": [{"key": "rate.hosts", "reason": _REASON}]}  # fmt: skip
    overridden = merge(slowed, faster, "a.toml")
    assert overridden.rate_for("slow.example.org") == slowed.rate_for("slow.example.org")
    assert overridden.rate_for("data.sec.gov") == policy.rate_for("data.sec.gov") == 10.0
    assert overridden.rate_for("www.sec.gov") == 20.0
    merged = merge(overridden, {"rate": {"hosts": {"other.example.org": "1/m"}}}, "b.toml")
    assert [(o.key, o.source) for o in merged.overrides] == [("rate.hosts", "a.toml")]
    back = merge(merged, {"rate": {"hosts": {"www.sec.gov": "10/s"}}}, "c.toml")
    assert back.overrides == ()  # every host as slow as before it: no longer in force
    mine = tmp_path / "mine.toml"
    mine.write_text('[rate.hosts]\n"www.sec.gov" = "20/s"\n[[override]]\nkey = "rate.hosts"\n'
                    f'reason = "{_REASON}"\n')  # fmt: skip
    strict = load_policy([mine, "strict"])
    assert strict.overrides == () and strict.rate_for("data.sec.gov") == 2.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[robots]\nhonour = false\n[[override]]\nkey = "robots.honour"\nreason = ""', "reason"),
        ('[[override]]\nkey = "robots.honour"\nreason = "a long enough reason"', "sets no value"),
        ('[[override]]\nkey = "nope"\nreason = "a long enough reason"', "unknown key"),
        ('[[override]]\nkey = "robots.honour"', "exactly"),
        (
            '[retention]\naudit_years = 1\n[[override]]\nkey = "retention.audit_years"\n'
            'reason = "we would rather not keep it"',
            "law",
        ),
        ("[retention]\naudit_years = 2", "at least 3"),
    ],
)
def test_bad_overrides(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy([_write(tmp_path, text)])


@pytest.mark.parametrize(
    "text",
    [
        '[hard]\nmethods = ["GET", "POST"]',
        'allow_methods = ["POST"]',
        "[guard]\nallow_cookies = true",
        "[hosts]\nallow_login = true",
        "[rules]\ncookie = true",
        "allow_messaging = true",
        '[[override]]\nkey = "method"\nreason = "we need to send messages"',
        '[[override]]\nkey = "hard.cookie"\nreason = "we need a session cookie"',
    ],
)
def test_hard_rules_cannot_be_touched(tmp_path: Path, text: str) -> None:
    with pytest.raises(PolicyError, match="hard rule"):
        load_policy([_write(tmp_path, text)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[robots]\nhonor = true", "unknown key 'robots.honor'"),
        ('[robots]\nhonour = "yes"', "true or false"),
        ("[limits]\ntimeout_seconds = -1", "above zero"),
        # nan compares false with everything: as a limit it deleted nothing and ended every
        # source at once, and no override was asked for
        ("[limits]\nsource_seconds = nan", "above zero"),
        ("[retention]\ndays = nan", "above zero"),
        ("[retention]\naudit_years = nan", "above zero"),
        ('[hosts]\ndeny = "facebook.com"', "list of strings"),
        ("[rate]\ndefault = 'quick'", "rate"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_malformed_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy([_write(tmp_path, text)])


def test_a_user_agent_that_hides_skiptrace_is_a_loosening(tmp_path: Path) -> None:
    browser = '[identity]\nuser_agent = "Mozilla/5.0 (Windows NT 10.0) Chrome/120"'
    with pytest.raises(PolicyError, match="hides who is asking"):
        load_policy([_write(tmp_path, browser)])
    dressed = '[identity]\nuser_agent = "skiptrace/ Mozilla/5.0 (Windows NT 10.0) Chrome/120"'
    with pytest.raises(PolicyError, match="browser"):
        load_policy([_write(tmp_path, dressed, "dressed.toml")])
    ours = '[identity]\nuser_agent = "skiptrace/{version} (Acme Collections research)"'
    assert load_policy([_write(tmp_path, ours, "ours.toml")]).user_agent.startswith("skiptrace/")


def test_a_contact_that_names_a_browser_is_a_loosening(tmp_path: Path) -> None:
    """A review: the contact is sent inside the User-Agent, and a browser's product tokens
    given as the contact went out with no override, where the same in user_agent needs one."""
    browser = '[identity]\ncontact = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"'
    with pytest.raises(PolicyError, match="browser"):
        load_policy([_write(tmp_path, browser)])
    for contact in ("compliance@cooperative.example", "ops@opera-house-debt.example"):
        ours = f'[identity]\ncontact = "{contact}"'
        assert load_policy([_write(tmp_path, ours, "ours.toml")])["identity.contact"] == contact
    opera = '[identity]\nuser_agent = "skiptrace/1 OPR/106.0"'  # today's Opera names itself so
    with pytest.raises(PolicyError, match="browser"):
        load_policy([_write(tmp_path, opera, "opera.toml")])


def test_missing_file_and_unknown_preset() -> None:
    with pytest.raises(PolicyError, match="not found"):
        load_policy(["/nonexistent/mine.toml"])
    with pytest.raises(PolicyError, match=r"presets: .*strict"):
        load_policy(["no-such-preset"])


def test_a_preset_name_that_is_also_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--policy strict` beside a stray file named `strict` had read the file (here empty)
    and run at the default's pace, not the preset the operator named."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "", "strict")
    with pytest.raises(PolicyError, match="both a file here and the preset 'strict'"):
        load_policy(["strict"])
    assert load_policy(["./strict"]).rate_for("other.example") == 1.0
    assert load_policy([tmp_path / "strict"]).rate_for("other.example") == 1.0


@pytest.mark.parametrize("preset", sorted(p.stem for p in builtin_dir("policies").glob("*.toml")))
def test_every_preset_loads_and_is_no_looser_than_the_default(preset: str, policy: Policy) -> None:
    merged = load_policy([preset])
    assert merged.overrides == ()
    for host in [*policy["rate.hosts"], "other.example"]:
        assert merged.rate_for(host) <= policy.rate_for(host)


def test_strict_is_strictly_tighter(policy: Policy) -> None:
    strict = load_policy(["strict"])
    assert strict.rate_for("other.example") < policy.rate_for("other.example")
    assert strict["retention.days"] < policy["retention.days"]
    assert strict["limits.max_response_bytes"] < policy["limits.max_response_bytes"]
    assert strict["retention.audit_years"] > policy["retention.audit_years"]


def test_deny_lists_are_spelled_like_the_guard_spells_hosts(policy: Policy) -> None:
    merged = merge(policy, {"hosts": {"deny": ["Bücher.example.", "EVIL.example"]}}, "a.toml")
    assert merged["hosts.deny"] == ["evil.example", "xn--bcher-kva.example"]
    with pytest.raises(PolicyError, match="no \\* or /"):
        merge(policy, {"hosts": {"deny": ["*.tracker.example"]}}, "b.toml")


def test_the_scope_names_what_a_run_may_read_and_nothing_else() -> None:
    """Kept rows are reused only under the same scope (review: a pace key changed it, and a
    tighter size cap did not)."""
    base = load_policy()
    pace = merge(base, {"rate": {"default": "0.5/s"}, "cache": {"hours": 1}}, "test")
    assert pace.scope() == base.scope()
    tighter = [
        {"robots": {"max_bytes": 1_000_000}},
        {"limits": {"max_response_bytes": 1000}},
        {"limits": {"max_redirects": 1}},
        {"hosts": {"deny": ["a.example"]}},
    ]
    for keys in tighter:
        assert merge(base, keys, "test").scope() != base.scope(), keys
    probe = "from skiptrace.policy import load_policy; print(load_policy().scope())"
    seen = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True, env=env)  # fmt: skip
        seen.add(done.stdout)
    assert seen == {base.scope() + "\n"}


def test_an_override_s_audit_row_says_the_value_that_runs(tmp_path: Path, audit: AuditLog) -> None:
    """A review: an override's audit row gave its value as written where a later policy had
    tightened part of it: ``--policy mine.toml --policy strict`` ran www.sec.gov at 2/s and its
    row said 20/s (a default lowered from 4/s to 2/s said 4/s). The row says what runs (for a
    rate table, of the hosts the override names, a slower parent name's rate included),
    beside what it set."""
    mine = tmp_path / "mine.toml"
    mine.write_text('[rate]\ndefault = "4/s"\n[rate.hosts]\n"www.sec.gov" = "20/s"\n'
                    '"api.example.org" = "20/s"\n"x.example.net" = "20/s"\n[[override]]\n'
                    f'key = "rate.hosts"\nreason = "{_REASON}"\n[[override]]\n'
                    f'key = "rate.default"\nreason = "{_REASON}"\n')  # fmt: skip
    later = tmp_path / "later.toml"
    later.write_text('[rate]\ndefault = "2/s"\n[rate.hosts]\n"www.sec.gov" = "2/s"\n'
                     '"example.net" = "1/m"\n')  # fmt: skip
    policy = load_policy([mine, later])
    assert policy.rate_for("www.sec.gov") == 2.0 and policy.rate_for("x.example.net") == 1 / 60
    guarded_client(purpose="research", policy=policy, audit=audit).close()
    said = {row.rule: row.detail for row in audit.rows() if row.event == "override"}
    runs = "{'www.sec.gov': '2/s', 'api.example.org': '20/s', 'x.example.net': '1/m'}"
    assert said["rate.hosts"].startswith(f"rate.hosts = {runs} by "), said
    written = "{'www.sec.gov': '20/s', 'api.example.org': '20/s', 'x.example.net': '20/s'}"
    assert f"(set {written}, tightened since): {_REASON}" in said["rate.hosts"]
    assert said["rate.default"].startswith("rate.default = '2/s' by "), said
    assert said["rate.default"].endswith(f"(set '4/s', tightened since): {_REASON}")


@pytest.mark.parametrize(("key", "first", "second"), [
    ("rate.default", '[rate]\ndefault = "10/s"', '[rate]\ndefault = "20/s"'),
    ("rate.hosts", '[rate.hosts]\n"a.example" = "10/s"', '[rate.hosts]\n"a.example" = "20/s"'),
    ("hosts.deny", '[hosts]\ndeny = ["a.example"]', "[hosts]\ndeny = []"),
])  # fmt: skip
def test_an_override_loosened_further_since_is_not_said_tightened(
    tmp_path: Path, audit: AuditLog, key: str, first: str, second: str
) -> None:
    """A review: a later policy's own override loosening the key further (20/s after 10/s, a
    deny list emptied after one entry was dropped) had the first override's row say
    "tightened since" beside a looser value than it set."""
    base = tmp_path / "base.toml"
    base.write_text('[hosts]\ndeny = ["a.example", "b.example"]\n')
    files = [base]
    for name, text in (("first", first), ("second", second)):
        files.append(tmp_path / f"{name}.toml")
        files[-1].write_text(f'{text}\n[[override]]\nkey = "{key}"\nreason = "{_REASON}"\n')
    policy = load_policy(files)
    assert len(policy.overrides) == 2, policy.overrides
    guarded_client(purpose="research", policy=policy, audit=audit).close()
    rows = [row.detail for row in audit.rows() if row.event == "override"]
    assert rows and not any("tightened" in row for row in rows), rows
