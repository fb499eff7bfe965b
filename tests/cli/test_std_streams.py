"""Results that cannot reach stdout (a full disk, stdout closed) are one line on stderr and exit
2, never a traceback and exit 1, which ``lookup`` documents as "nothing found" and ``policy
check`` as "refused", nor exit 0 with the results dropped; a message stderr cannot take is
dropped, and the run's results and exit code stand. Real processes: the streams are theirs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.demo.offline import EXAMPLE

FULL = "/dev/full"
LOOKUP = ["lookup", "--name", "Jane Roe", "--city", "Springfield", "--state", "IL",
          "--source", "offline", "--purpose", "collection of a debt owed", "--json"]  # fmt: skip

pytestmark = pytest.mark.skipif(not os.path.exists(FULL), reason="needs /dev/full")


def _skiptrace(home: Path, *args: str, **streams: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKIPTRACE_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "skiptrace", *args], text=True, env=env,
                          timeout=120, **streams)  # fmt: skip


def _close_stdout() -> None:
    os.close(1)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose offline index holds the demo's records (Jane Roe of Springfield, IL),
    imported once for the module, in this process (a Python of its own had been a fifth of
    the module's time): the commands only read it."""
    home = tmp_path_factory.mktemp("std") / "home"
    files = [str(EXAMPLE / "npidata_pfile_20050523-20261101.csv")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKIPTRACE_HOME", str(home))
        done = CliRunner().invoke(app, ["index", "import", "nppes", *files, "--no-progress"])
    assert done.exit_code == 0, done.output
    return home


@pytest.mark.parametrize(
    "args",
    [["policy", "check", "https://example.com/"], ["--version"], LOOKUP],
    ids=["policy-check", "version", "lookup"],
)  # a command's results (lookup's, policy's), and an eager option's, all through main
def test_stdout_on_a_full_disk_is_one_line_and_exit_2(indexed: Path, args: list[str]) -> None:
    with open(FULL, "w") as full:
        done = _skiptrace(indexed, *args, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2, done.stderr
    said = [line for line in done.stderr.splitlines() if not line.startswith("offline: ")]
    assert said == ["skiptrace: cannot write stdout: No space left on device"], done.stderr


def test_closed_stdout_is_not_success(indexed: Path) -> None:
    """Closed, stdout had taken the results without a word: exit 0."""
    done = _skiptrace(indexed, *LOOKUP, stderr=subprocess.PIPE, preexec_fn=_close_stdout)
    assert done.returncode == 2, done.stderr
    assert "skiptrace: cannot write stdout: Bad file descriptor" in done.stderr.splitlines()


def test_a_lookup_whose_stderr_is_full_still_gives_its_candidates(indexed: Path) -> None:
    """The first source's line on a full stderr had ended the run: exit 1, "nothing found",
    and the candidates found never printed."""
    with open(FULL, "w") as full:
        done = _skiptrace(indexed, *LOOKUP, stdout=subprocess.PIPE, stderr=full)
    assert done.returncode == 0
    candidates = json.loads(done.stdout)["candidates"]
    assert [c["record"]["person_name"] for c in candidates] == ["JANE Q ROE"]
