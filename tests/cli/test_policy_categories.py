"""``policy show`` says where the social, chat, contact and dating host lists come from, and
``policy check`` names a refused host's category and list (issue 16)."""

from __future__ import annotations

from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.net import categories

runner = CliRunner()


def test_policy_show_prints_the_lists_snapshot_and_sizes() -> None:
    result = runner.invoke(app, ["policy", "show"])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    snapshot = categories.sources()["ut1"]["snapshot"]
    assert f"snapshot {snapshot}" in shown
    assert "UT1 blacklists" in shown and "CC BY-SA 4.0" in shown
    for name, count in categories.counts().items():
        assert f"{name} {count}" in shown
    assert "hosts.deny_dating_sites" in shown


def test_policy_check_names_category_and_list() -> None:
    result = runner.invoke(app, ["policy", "check", "https://weibo.com/u/1"])
    assert result.exit_code == 1
    assert "refused: social-network-host: weibo.com is a social network (UT1 social_networks, " in (
        " ".join(result.stdout.split())
    )
