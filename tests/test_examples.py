"""The runnable examples the README shows do what it says (offline, loopback only)."""

from __future__ import annotations

import csv
import doctest
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_business_site_example_finds_the_employer_and_its_mailing_address() -> None:
    """`python examples/business_site.py`: lookup and enrich through business_pages."""
    shown = subprocess.run([sys.executable, str(EXAMPLES / "business_site.py")],
                           capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    said = shown.stdout + shown.stderr
    assert "business_pages: hit" in said  # lookup's line for the source
    enriched = said[said.index("account,name,employer") :].splitlines()
    header, row = enriched[0].split(","), enriched[1]
    assert "status" in header and ",hit," in row
    assert '"PO Box 2291, Springfield, IL 62705"' in row  # the mailing address, not the shop
    assert '"Harbor Lane Plumbing, LLC"' in row and "Dana Whitfield" in row


def test_the_bulk_source_example_imports_and_finds_a_licensee() -> None:
    """The README's "Adding a bulk source": a board's CSV export, a manifest, no Python. Its
    commands run in this process, in the test's own SKIPTRACE_HOME (the script above runs its
    commands as children)."""
    runner = CliRunner()
    board = EXAMPLES / "bulk"
    imported = runner.invoke(app, ["index", "import", "--bulk-dir", str(board), "state_board",
                                   str(board / "licensees_2026-11-30.csv")])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert "(2026-11-30, full): 3 rows read, 2 records, 1 malformed rows skipped" in imported.stdout
    assert "line 5: 4 fields where the header has 16" in imported.stderr
    found = runner.invoke(app, ["lookup", "--source", "offline", "--name", "Nneka Okafor",
                                "--city", "Akron", "--state", "OH", "--zip", "44308",
                                "--purpose", "example", "--json"])  # fmt: skip
    assert found.exit_code == 0, found.output
    [best, *_] = json.loads(found.stdout)["candidates"]
    assert best["band"] == "medium"  # a rare name in her ZIP: her area, not a home
    assert "name and ZIP only (no street)" in best["words"]
    record = best["record"]
    assert record["mailing_address"]["lines"] == ["PO Box 881"]
    assert record["mailing_address"]["postal_code"] == "44308"
    assert record["employer_address"]["lines"] == ["12 Market St"]
    assert record["employer"] == "Shear Delight Salon" and record["title"] == "Cosmetologist"
    assert record["record_url"] == "https://cosmetology.example.gov/license/COS-204417"
    assert record["record_date"] == "2026-03-02" and record["phone"] == ""  # never indexed
    assert "555" not in found.stdout
    revoked = runner.invoke(app, ["index", "search", "--name", "Rhonda Revoked", "--json"])
    assert revoked.exit_code == 0 and revoked.stdout.strip() == ""


def test_the_page_reading_example_prints_what_the_readme_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's `skiptrace.pages` example, run as printed there (as a script of its own,
    in this process: it reads strings, and sends nothing), prints the output shown below it."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\nfrom skiptrace.pages import") + len("```python\n")
    _prints_what_it_shows(capsys, readme, start, "```text\n")


def test_the_readme_s_policy_checks_print_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ``$ skiptrace ... policy check`` line of the README, run as printed (it sends
    nothing), prints the line shown below it, exiting 0 if allowed and 1 if refused; its
    ``my-policy.toml`` is the one the README prints last above it."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner, checked = CliRunner(), 0
    for kind, block in re.findall(r"```(\w+)\n(.*?)```", readme, re.DOTALL):
        if kind == "toml" and block.startswith("# my-policy.toml\n"):
            (tmp_path / "my-policy.toml").write_text(block, encoding="utf-8")
        if kind != "console":
            continue
        lines = block.splitlines()
        for typed, shown in zip(lines, [*lines[1:], ""], strict=True):
            if not (typed.startswith("$ skiptrace") and " policy check " in typed):
                continue
            result = runner.invoke(app, shlex.split(typed)[2:])
            assert (result.exit_code, result.stdout) == (
                0 if shown.startswith("allowed: ") else 1,
                f"{shown}\n",
            ), typed
            checked += 1
    assert checked == 13


def test_the_readme_s_policy_files_load_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each policy file the README prints (a TOML block whose first table is a policy's, or
    ``# my-policy.toml``) loads over the default as printed, and each ``[[override]]`` in it is
    in force: the loosenings it shows are not policy errors."""
    from skiptrace.policy import load_policy

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sections = ("identity", "hosts", "rate", "robots", "connectors", "search")
    loaded = 0
    for block in re.findall(r"```toml\n(.*?)```", readme, re.DOTALL):
        first = next(line for line in block.splitlines() if line and not line.startswith("#"))
        if first.strip("[]") not in sections:
            continue
        (tmp_path / "printed.toml").write_text(block, encoding="utf-8")
        policy = load_policy([tmp_path / "printed.toml"])
        overridden = re.findall(r'^key = "([^"]+)"', block, re.MULTILINE)
        assert [o.key for o in policy.overrides] == overridden, block
        loaded += 1
    assert loaded == 6


def test_the_readme_s_matching_example_prints_what_it_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's Python API example "Matching needs no network", run as printed there (in
    this process: it sends nothing), prints the console block shown below it."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\n", readme.index("Matching needs no network:")) + len(
        "```python\n"
    )
    _prints_what_it_shows(capsys, readme, start, "```console\n")


def test_the_readme_s_interactive_examples_print_what_they_show() -> None:
    """Each ``>>>`` example of the README (the matching rules': two people tying, namesakes
    born the same day), run as printed in a fresh namespace, prints what the README shows."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    fenced = re.compile(r"^( *)```python\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)
    examples = [(readme.count("\n", 0, m.start()) + 2, textwrap.dedent(m.group(2)))
                for m in fenced.finditer(readme) if ">>> " in m.group(2)]  # fmt: skip
    assert len(examples) >= 2
    runner, said = doctest.DocTestRunner(), []
    for line, text in examples:
        test = doctest.DocTestParser().get_doctest(text, {}, f"README.md:{line}", "README.md", 0)
        runner.run(test, out=said.append)
    assert runner.failures == 0, "".join(said)


def _prints_what_it_shows(
    capsys: pytest.CaptureFixture[str], readme: str, start: int, fence: str
) -> None:
    """The README's code block starting at ``start``, run as printed (in this process: it
    sends nothing), prints the block opened by ``fence`` below it."""
    code = readme[start : readme.index("```", start)]
    shown_at = readme.index(fence, start) + len(fence)
    shown = readme[shown_at : readme.index("```", shown_at)]
    capsys.readouterr()
    exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == shown


def _shell(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by bash in ``folder``, as a reader runs a README block from the
    repository's root (its ``src`` linked there), with this environment's ``skiptrace``;
    it must end well."""
    (folder / "src").symlink_to(EXAMPLES.parent / "src")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    ran = subprocess.run(["bash", "-ec", script], cwd=folder, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PATH": path})  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    return ran


def test_the_readme_s_every_option_example_does_what_it_says(tmp_path: Path) -> None:
    """The README's "Every option of both commands" block (lookup and enrich against the index
    the shipped example builds), run as printed in a shell with the repository's ``src`` at
    hand: each line it shows is said, and the outputs hold what the text below it says."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```console\n", readme.index("Every option of both commands"))
    block = readme[start + len("```console\n") : readme.index("```", start + 1)]
    typed, shown, command = [], [], ""
    for line in block.splitlines():
        if line.startswith("$ ") or command.endswith("\\"):
            command = line.removeprefix("$ ")
            if not command.startswith("export "):
                typed.append(command)
        elif line != "...":
            shown.append(line)
    ran = _shell("\n".join(typed), tmp_path)
    said = ran.stdout + ran.stderr
    for line in shown:  # the time a run took varies
        assert re.sub(r"in \d+\.\d s", "in", line) in re.sub(r"in \d+\.\d s", "in", said), line
    [best, *_] = json.loads((tmp_path / "roe.json").read_text(encoding="utf-8"))["candidates"]
    assert (best["score"], best["band"]) == (1.0, "high")
    assert best["matched_on"] == "name=,middle_name=,street=,number=,city=,zip=,state="
    with (tmp_path / "odd.enriched.csv").open(encoding="utf-8", newline="") as file:
        k1, k2 = csv.DictReader(file)
    assert [(k["Ref"], k["status"]) for k in (k1, k2)] == [("K1", "possible"), ("K2", "possible")]
    assert "SPRINGFIELD" in k1["found_mailing_address"]
    assert k2["found_employer"] == "LAKESIDE FAMILY DENTAL LLC"
    evidence = (tmp_path / "odd.evidence.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted((json.loads(e)["row"], json.loads(e)["ref"]) for e in evidence) == [
        (2, "K1"), (3, "K2")
    ]  # fmt: skip
    unmapped = CliRunner().invoke(app, ["enrich", str(tmp_path / "odd.csv"), "--source",
                                        "offline", "--purpose", "demo"])  # fmt: skip
    assert unmapped.exit_code == 2
    assert "no name column among the headers (Ref, Family, Given, Post Code, Notes)" in (
        unmapped.output
    )


def test_the_readme_s_shipped_index_example_finds_the_dental_practice(tmp_path: Path) -> None:
    """The Offline index section's "With the shipped example" block, run as printed in a
    shell (its ``-o`` file in this test's folder, not /tmp): it imports, enriches and finds
    the organisation its last comment names."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```bash\n", readme.index("With the shipped example")) + len("```bash\n")
    block = readme[start : readme.index("```", start)]
    block = "\n".join(line for line in block.splitlines() if not line.startswith("export "))
    ran = _shell(block.replace(" /tmp/", " ./"), tmp_path)
    assert (tmp_path / "debtors.enriched.csv").is_file()
    *imported, searched = ran.stdout.splitlines()  # the import's lines, then the search's
    assert [line.split(": ")[0] for line in imported] == ["nppes", "nppes"]
    found = json.loads(searched)
    assert found["name"] == block.rsplit("# ", 1)[1].strip() == "LAKESIDE FAMILY DENTAL LLC"
