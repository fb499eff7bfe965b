"""Text from sources reaches the terminal without its control sequences: on a (forced) real
terminal, what lookup, audit show, enrich, link and policy check print holds no escape sequence,
window title, hyperlink, C1 control or bidi override that a source, a server or a file planted.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.chain import printable
from skiptrace.cli import app, audit_cmd, common, enrich_cmd, link_cmd, lookup_cmd, policy_cmd
from skiptrace.cli.common import SafeConsole
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

OSC8_LINK = "\x1b]8;;http://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
EVIL = f"\x1b[2J\x1b]0;owned title\x07{OSC8_LINK}\x9b31m\u202egnibmulP"
"""Clear the screen, retitle the window, plant a link, a C1 CSI, and reverse what follows."""
IN_A_NAME = EVIL.replace("/", "")
"""The same, as a file name can hold it."""
RAW = ("\x1b[2J", "\x1b]", "\x07", "\x9b", "\u202e", "\x1b\\")
SGR = re.compile(r"\x1b\[[0-9;]*m")
"""The only escape sequences rich itself writes here: colours and bold."""

runner = CliRunner()


def assert_safe(shown: str) -> None:
    """Nothing planted reaches the screen raw; every escape left is rich's own styling."""
    for planted in RAW:
        assert planted not in shown, (planted, shown)
    assert "\x1b" not in SGR.sub("", shown), shown


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Every command's consoles write to one forced, colour terminal."""
    captured = io.StringIO()
    for module in (common, audit_cmd, enrich_cmd, link_cmd, lookup_cmd, policy_cmd):
        for name in ("out", "err"):
            if hasattr(module, name):
                terminal = SafeConsole(file=captured, force_terminal=True,
                                       color_system="truecolor", width=250, soft_wrap=True,
                                       markup=False, highlight=False)  # fmt: skip
                monkeypatch.setattr(module, name, terminal)
    yield captured


def test_every_command_prints_through_the_safe_consoles() -> None:
    assert isinstance(common.out, SafeConsole) and isinstance(common.err, SafeConsole)
    for module in (audit_cmd, enrich_cmd, link_cmd, lookup_cmd, policy_cmd):
        assert getattr(module, "out", common.out) is common.out
        assert getattr(module, "err", common.err) is common.err


def test_strings_table_cells_and_text_objects_are_made_safe_on_a_terminal() -> None:
    captured = io.StringIO()
    terminal = SafeConsole(file=captured, force_terminal=True, color_system="truecolor",
                           width=200, highlight=False)  # fmt: skip
    table = Table(title=f"title {EVIL}")
    table.add_column(f"head {EVIL}")
    table.add_column("plain")
    table.add_row(f"cell {EVIL}", "ok")
    table.add_row(Text(f"text {EVIL}"), "ok")
    terminal.print(f"message {EVIL}", table, Text(f"object {EVIL}"))
    shown = captured.getvalue()
    assert_safe(shown)
    assert shown.count("\ufffd[2J") == 6  # each copy shown, its controls replaced
    assert "click here" in shown and "gnibmulP" in shown


def test_a_table_stays_aligned_when_cells_carry_controls() -> None:
    captured = io.StringIO()
    terminal = SafeConsole(file=captured, force_terminal=True, color_system=None, width=200)
    table = Table()
    table.add_column("name")
    table.add_column("employer")
    table.add_row("Pat", f"Acme {EVIL}")
    table.add_row("Quartermain", "Example Plumbing Co.")
    terminal.print(table)
    widths = {cell_len(line) for line in captured.getvalue().splitlines()}
    assert len(widths) == 1, captured.getvalue()


def test_ordinary_text_is_printed_as_it_was() -> None:
    captured = io.StringIO()
    terminal = SafeConsole(file=captured, color_system=None, width=200)
    ordinary = "Café Müller, 12 Harbour Rd, Springfield — ok\nשלום (Hebrew) عربى"  # noqa: RUF001
    terminal.print(ordinary)
    assert captured.getvalue() == ordinary + "\n"


FOUND = "Quartermain"
HOSTILE_MANIFEST = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
NOISY_MANIFEST = (
    DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "noisy_directory"')
    .replace("{base}/people", "{base}/noisy")
    .replace('records = "people"', 'records = "people"\nerror = "error"')
)


def _hostile(method: str, target: str) -> Reply | None:
    """A directory whose every answer carries terminal controls, and one that fails noisily."""
    url = urlsplit(target)
    query = parse_qs(url.query)
    if url.path == "/noisy":
        body = {"error": f"temporarily down {EVIL}", "people": []}
    elif url.path == "/people":
        first, last = query.get("first", [""])[0], query.get("last", [""])[0]
        person = {"name": f"{first} {last}", "street": f"12 Harbour Rd {EVIL}",
                  "city": "Springfield", "state": "IL", "zip": "62701",
                  "employer": f"Acme {EVIL}"}  # fmt: skip
        body = {"people": [person] if last == FOUND else []}
    else:
        return None
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[list[str]]:
    """The global options naming the hostile connectors and a fast loopback policy."""
    with ReplayServer(_hostile) as server:
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        for name, manifest in (("people_directory", HOSTILE_MANIFEST),
                               ("noisy_directory", NOISY_MANIFEST)):  # fmt: skip
            text = manifest.format(base=server.base_url)
            (connectors / f"{name}.toml").write_text(text, encoding="utf-8")
        policy = loopback_policy_file(tmp_path / "fast.toml", server)
        yield ["--connectors-dir", str(connectors), "--policy", str(policy)]


SOURCES = ["--source", "people_directory", "--source", "noisy_directory"]
PURPOSE = ["--purpose", "collection of a debt owed"]


def test_lookup_prints_no_control_from_a_source(hostile: list[str], screen: io.StringIO) -> None:
    result = runner.invoke(app, [*hostile, "lookup", *SOURCES, *PURPOSE,
                                 "--name", "Pat Quartermain", "--address", "12 Harbour Rd",
                                 "--zip", "62701"])  # fmt: skip
    assert result.exit_code == 3, result.output  # noisy_directory could not be asked
    shown = screen.getvalue()
    assert_safe(shown)
    assert "Acme \ufffd[2J\ufffd]0;owned" in shown  # the table's employer cell
    assert "noisy_directory error: " in shown and "temporarily down \ufffd[2J" in shown  # stderr


def test_lookup_json_escapes_controls(hostile: list[str], screen: io.StringIO) -> None:
    args = [*hostile, "lookup", *SOURCES, *PURPOSE, "--name", "Pat Quartermain", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output  # noisy_directory could not be asked
    shown = screen.getvalue()
    assert_safe(shown)
    start = 0 if shown.startswith("{") else shown.index("\n{") + 1  # after the sources' lines
    payload, _ = json.JSONDecoder().raw_decode(shown[start:])
    assert payload["candidates"][0]["record"]["employer"] == f"Acme {EVIL}"  # data intact


def test_enrich_messages_print_no_control(
    hostile: list[str], screen: io.StringIO, tmp_path: Path
) -> None:
    source = tmp_path / "debtors.csv"
    source.write_text("first_name,last_name,zip\nPat,Quartermain,62701\n", encoding="utf-8")
    target = tmp_path / f"out{IN_A_NAME}.csv"
    args = [*hostile, "enrich", str(source), "-o", str(target), *SOURCES, *PURPOSE,
            "--no-progress"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output  # noisy_directory erred: incomplete (issue 11)
    missing = runner.invoke(app, [*hostile, "enrich", str(tmp_path / f"no{IN_A_NAME}.csv"),
                                  *SOURCES, *PURPOSE, "--no-progress"])  # fmt: skip
    assert missing.exit_code == 2
    shown = screen.getvalue()
    assert_safe(shown)
    assert "wrote " in shown and "skiptrace enrich: " in shown


def test_link_messages_print_no_control(screen: io.StringIO, tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    left.write_text("id,name\n1,Pat Quartermain\n", encoding="utf-8")
    result = runner.invoke(app, ["link", str(left), str(left), "--map", f"zip={EVIL}"])
    assert result.exit_code == 2
    missing = runner.invoke(app, ["link", str(left), str(tmp_path / f"no{IN_A_NAME}.csv")])
    assert missing.exit_code == 2
    shown = screen.getvalue()
    assert_safe(shown)
    assert shown.count("skiptrace link: ") == 2


def test_policy_check_prints_no_control(screen: io.StringIO) -> None:
    for url in (f"http://exa{EVIL}mple.com/", f"mailto:x{EVIL}", f"https://x.example/{EVIL}"):
        runner.invoke(app, ["policy", "check", url])
    shown = screen.getvalue()
    assert_safe(shown)
    assert shown.count("refused: ") + shown.count("allowed: ") == 3


def test_audit_show_prints_no_control_and_json_escapes_it(screen: io.StringIO) -> None:
    log = AuditLog.open_default()
    log.append(AuditEvent(event="refused", method="GET", url=f"mailto:x{EVIL}", rule="scheme",
                          connector=f"conn{EVIL}", purpose=f"purpose {EVIL}",
                          detail=f"detail {EVIL}"))  # fmt: skip
    log.close()
    assert runner.invoke(app, ["audit", "show"]).exit_code == 0
    table = screen.getvalue()
    assert_safe(table)
    assert "mailto:x\\x1b[2J" in table  # stored so: no row holds a control (audit.chain)
    screen.truncate(0)
    screen.seek(0)
    assert runner.invoke(app, ["audit", "show", "--json"]).exit_code == 0
    shown = screen.getvalue()
    assert_safe(shown)
    assert json.loads(shown)["url"] == printable(f"mailto:x{EVIL}")  # as stored, not altered


def test_a_plain_rich_console_would_have_passed_them(tmp_path: Path) -> None:
    """The hazard is real: without SafeConsole a forced terminal receives the raw sequences."""
    captured = io.StringIO()
    Console(file=captured, force_terminal=True, width=200).print(f"x {EVIL}", highlight=False)
    assert "\x1b[2J" in captured.getvalue() and "\u202e" in captured.getvalue()
