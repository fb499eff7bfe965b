"""``lookup`` tells each source's line as soon as that source is done, not all at the end, and
its exit code says when a source could not be asked (3, like ``enrich``'s)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from skiptrace.cli import app, lookup_cmd
from skiptrace.testing.directory import MANIFEST, directory
from skiptrace.testing.replay import Refusing, ReplayServer, Reply, loopback_policy_text

runner = CliRunner()
SEARCH = ["--name", "Pat Roe", "--purpose", "collection of a debt owed"]
SOURCE_SECONDS = 0.5  # the hanging source's deadline: room for the others on a loaded machine
HANG = threading.Event()


class _Timed:
    """A console's file that keeps each line with the time it was written."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        now = time.monotonic()
        self.lines.extend((now, line) for line in text.splitlines() if line)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.fixture(autouse=True)
def _release() -> Iterator[None]:
    HANG.clear()
    yield
    HANG.set()


def _hang(method: str, target: str) -> Reply | None:
    if target.startswith("/people"):
        HANG.wait(30)  # released when the test is done
    return None


def _setup(tmp_path: Path, sources: dict[str, str], deadline: bool = False) -> list[str]:
    """``... lookup --source ...`` of the demo directory at each of ``sources`` (id -> base
    URL); with ``deadline``, under a source deadline of ``SOURCE_SECONDS``."""
    folder = tmp_path / "connectors"
    folder.mkdir()
    for name, base in sources.items():
        manifest = MANIFEST.replace('id = "demo_directory"', f'id = "{name}"')
        (folder / f"{name}.toml").write_text(manifest.format(base=base), encoding="utf-8")
    policy = tmp_path / "policy.toml"
    limits = f"[limits]\nsource_seconds = {SOURCE_SECONDS}\n" if deadline else ""
    # 127.0.0.2 at loopback's rate too: at the policy's 1 a second, the hanging source's search
    # had its turn a second after its robots.txt, past its deadline (not sent: rate-limited)
    text = loopback_policy_text(*sources.values())
    fast = '"127.0.0.1" = "2000/s"\n'
    text = text.replace(fast, fast + fast.replace("127.0.0.1", "127.0.0.2"))
    policy.write_text(limits + text, encoding="utf-8")
    chosen = [option for name in sources for option in ("--source", name)]
    return ["--connectors-dir", str(folder), "--policy", str(policy), "lookup", *chosen]


def test_each_source_is_told_as_soon_as_it_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: Refusing
) -> None:
    timed = _Timed()
    monkeypatch.setattr(lookup_cmd, "err", Console(file=timed, width=400))  # type: ignore[arg-type]
    # a host of its own: its hanging request would hold 127.0.0.1's one request in flight
    # (rate.per_host_concurrency) from the other source, had it asked first
    with ReplayServer(_hang, host="127.0.0.2") as hanging:
        options = _setup(tmp_path, {"gone_directory": refused.base_url,
                                    "slow_directory": hanging.base_url}, deadline=True)  # fmt: skip
        started = time.monotonic()
        result = runner.invoke(app, [*options, *SEARCH])
        ended = time.monotonic()
        HANG.set()
    assert result.exit_code == 3, result.output
    said = {line.split(" ")[0]: at - started for at, line in timed.lines}
    # at once, not at the end: well before the slow source's deadline (measured between the
    # two lines, so the command's start-up, which a loaded machine stretches, does not count)
    assert said["slow_directory"] - said["gone_directory"] >= SOURCE_SECONDS / 2, timed.lines
    assert said["slow_directory"] >= SOURCE_SECONDS  # told when its deadline passed
    assert ended - started - said["gone_directory"] >= SOURCE_SECONDS / 2
    lines = [line for _, line in timed.lines]
    assert lines[0].startswith("gone_directory unreachable: ")
    assert lines[1].startswith("slow_directory timeout: no answer within")
    assert lines[2] == ("not asked: gone_directory, slow_directory: run the same lookup again "
                        "later")  # fmt: skip


@pytest.fixture
def demo() -> Iterator[ReplayServer]:
    with ReplayServer(directory) as server:
        yield server


@pytest.mark.parametrize(
    ("name", "down", "code"),
    [
        ("Jane Roe", False, 0),  # candidates, every source asked
        ("Nobody Known", False, 1),  # nothing found, every source asked
        ("Jane Roe", True, 3),  # candidates, but a source could not be asked
        ("Nobody Known", True, 3),  # 3 wins over 1: "nothing" is not known
    ],
)
def test_exit_code_says_whether_every_source_was_asked(
    tmp_path: Path, demo: ReplayServer, name: str, down: bool, code: int, refused: Refusing
) -> None:
    sources = {"demo_directory": demo.base_url}
    if down:
        sources["gone_directory"] = refused.base_url
    options = _setup(tmp_path, sources)
    result = runner.invoke(app, [*options, "--name", name, "--json", *SEARCH[2:]])
    assert result.exit_code == code, result.output
    if down:
        assert "gone_directory unreachable: " in result.stderr
        assert "not asked: gone_directory" in result.stderr
    else:
        assert "not asked" not in result.stderr


def test_help_names_exit_3() -> None:
    result = runner.invoke(app, ["lookup", "--help"], terminal_width=200)
    assert "3 finished, but some source could not be asked" in " ".join(result.stdout.split())
