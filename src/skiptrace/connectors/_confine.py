"""What the operating system forbids a Python connector's process (Linux): it may read only the
Python installation, the libraries it imports and its own folder (Landlock), may write no file,
and may open no socket, start no program, fork, trace or signal another process, neither
itself nor through the kernel, nor leave the process group it is killed with, nor stop the
kernel killing it when its starter dies (``die_with``; seccomp).

Nothing here is a check a clever string gets around: once applied, the kernel refuses, and
neither can be lifted by the process. Where either is missing (macOS, an old kernel, no
libseccomp), ``unavailable`` says why and the caller decides (see ``_sandbox``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import sys
import sysconfig
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

_DENIED_CALLS = (
    # the network, and local sockets
    "socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg",
    "sendmmsg", "recvmmsg",
    # other programs and processes
    "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev",
    "process_madvise", "kcmp", "pidfd_open", "pidfd_getfd", "pidfd_send_signal",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo", "prlimit64", "setrlimit", "setpriority",
    "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr", "ioprio_set",
    # leaving the run's process group: killed with it (``kill -9 %1``, ``timeout -s KILL``),
    # the run and its starter ended, and a worker that had left it ran on for good
    "setsid", "setpgid",
    # rules of its own, once confined: each ruleset holds kernel memory its 2 GB limit does
    # not count (57 of 65,536 port rules each held 250 MB)
    "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
    # file metadata, which Landlock leaves alone; and truncation by path, which Landlock
    # handles only from ABI 3 (Linux 6.2): on 5.13-6.1 (Debian 12, Ubuntu 22.04, RHEL 9)
    # truncate(2) emptied any file of the user's, the audit log's included (RLIMIT_FSIZE
    # of 0 allows a length of 0)
    "truncate", "ftruncate", "creat",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat", "setxattr", "lsetxattr", "fsetxattr",
    "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat", "file_setattr",
    # watching files, which Landlock does not cover either: when the audit log or a file
    # outside the connector's folder is written
    "inotify_init", "inotify_init1", "inotify_add_watch",
    # the machine: mounts, clocks, names, modules, keys, IPC that outlives the process
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsmount",
    "fsconfig", "fspick", "open_tree", "open_tree_attr", "move_mount", "mount_setattr", "bpf",
    "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "memfd_create", "open_by_handle_at",
    "name_to_handle_at", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "personality", "swapon", "swapoff", "reboot", "acct", "quotactl",
    "quotactl_fd", "syslog", "vhangup", "clock_settime", "clock_adjtime", "adjtimex",
    "settimeofday", "sethostname", "setdomainname", "fanotify_init", "fanotify_mark",
    "shmget", "shmat", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop",
    "semtimedop", "semctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_notify",
    "capset", "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
    "setfsuid", "setfsgid", "setgroups", "iopl", "ioperm", "modify_ldt", "uselib",
)  # fmt: skip
"""Refused with EPERM: everything a parser has no use for that could reach past the process (a
hostile review found each kind). ``socketpair``, which asyncio needs for its own wake-ups, is
allowed: with sending refused it reaches nothing."""
_NUMBERED_ALIKE = {
    "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434,
    "pidfd_getfd": 438, "process_madvise": 440, "mount_setattr": 442, "quotactl_fd": 443,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
    "fchmodat2": 452, "setxattrat": 463, "removexattrat": 466, "open_tree_attr": 467,
    "file_setattr": 469,
}  # fmt: skip
"""The refused calls Linux added from 5.1 on, which every architecture numbers alike (MIPS and
Alpha by an offset, that of ``pidfd_send_signal``): a libseccomp older than a call cannot
name it, and a call it could not name was left out of the filter, allowed (setxattrat, Linux
6.13, set an ACL giving mode 0777 to any file of the user's: Debian 12's libseccomp, 2.5.4,
knows no call past 456)."""
_PR_SET_PDEATHSIG = 1
_TIOCSTI = 0x5412
_SET_OWNER_FCNTL = (8, 10, 15)
"""F_SETOWN, F_SETSIG, F_SETOWN_EX: who is signalled when a file can be read, and with what."""
_WATCH_FCNTL = (1024, 1026)
"""F_SETLEASE, F_NOTIFY: a lease that tells it when another process opens a file it may read
(and holds that process up to 45 s), and a folder watched (inotify is refused whole)."""
_SET_OWNER_IOCTL = (0x8901, 0x8902)
"""FIOSETOWN, SIOCSPGRP: the same for a socket."""
_FILE_FLAGS_IOCTL = (0x40086602, 0x401C5820, 0x40806685)
"""FS_IOC_SETFLAGS, FS_IOC_FSSETXATTR, FS_IOC_ENABLE_VERITY: a file's flags, changed (or made
read-only for good) through a file opened to be read, by its owner; Landlock leaves them be,
as it does a file's mode."""
_LANDLOCK_ABI_VERSION = 1
_CAPABILITY_VERSION_3 = 0x20080522
_SYS_LANDLOCK_CREATE_RULESET = 444
MEMORY_BYTES = 2 << 30
"""Address space a connector's process may map: enough for the parsers, not for a bomb."""
FILES_OPEN = 64
"""Files a connector's process may hold open (it uses seven): each pipe or socket pair it may
make holds kernel memory its address space does not count, a megabyte or more when filled,
and the limit it inherited (often 20,000 or more) let one worker hold 2 GB of socket buffers."""


@cache
def unavailable() -> str:
    """Why this machine cannot confine a connector's process, or "" if it can."""
    if sys.platform != "linux":
        return f"no sandbox on {sys.platform} (it needs Linux's Landlock and seccomp)"
    try:
        import landlock  # noqa: F401
        import pyseccomp  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: libseccomp itself is missing
        return f"the sandbox's libraries are missing ({exc})"
    libc = ctypes.CDLL(None, use_errno=True)
    abi = libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_ABI_VERSION)
    if abi < 1:
        return f"this kernel has no Landlock ({os.strerror(ctypes.get_errno())})"
    return ""


def readable_paths() -> list[Path]:
    """What a connector's process must read: the interpreter's (``interpreter_paths``), those
    that exist as it is confined. Not its own folder: it is handed its code (``_worker``)."""
    return sorted(p for p in interpreter_paths() if p.exists())


@cache
def interpreter_paths() -> frozenset[Path]:
    """The interpreter and its libraries (standard library, installed packages, the shared
    libraries its own and the system's): the same for every connector, so found once by the
    starter before it forks (some 3 ms of each worker's start, most of it ``sysconfig`` reading
    its settings). Never its whole prefix: that is the folder a virtual environment was made
    in (``python -m venv .`` beside the debtor file), or the home folder of a Python built
    with ``--prefix=$HOME``, which a worker read all of."""
    found = sysconfig.get_paths()
    paths = {Path(p) for key in ("stdlib", "platstdlib", "purelib", "platlib")
             if (p := found.get(key))}  # fmt: skip
    paths |= {Path(sys.executable).resolve()}
    if libraries := sysconfig.get_config_var("LIBDIR"):  # libpython, and conda's libffi...
        paths.add(Path(libraries))
    paths |= {Path(p) for p in ("/usr/lib", "/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
                                "/etc/ld.so.cache")}  # fmt: skip
    on_path = {Path(p) for p in sys.path if p}
    paths |= {p for p in on_path if p.name in _LIBRARY_FOLDERS}
    return frozenset(paths | _loaded_from(p for p in on_path if not _within(p, paths)))


_LIBRARY_FOLDERS = ("site-packages", "dist-packages")
"""Folders on the import path read whole: where packages are installed (another Python's,
which a ``.pth`` file may name, or the system's beside a virtual environment's)."""


def _within(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _loaded_from(folders: Iterable[Path]) -> set[Path]:
    """Of each of ``folders`` (on the import path, no library folder: one a ``.pth`` file
    names, as an editable install of a project names the project's own folder, where its
    data lies; skiptrace's own source), only what the modules loaded now came from: each
    top-level package's folder, or a module's file. Read whole, an editable install's folder
    let a connector read the debtor files beside its code."""
    folders = [folder.absolute() for folder in folders]
    kept: set[Path] = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        path = Path(file).absolute()
        for folder in folders:
            if path.is_relative_to(folder) and path != folder:  # a zip or an egg: all of it
                kept.add(folder if folder.is_file() else folder / path.relative_to(folder).parts[0])
    return kept


def die_with(parent: int) -> None:
    """Have the kernel kill this process (a worker just forked) when ``parent`` (its starter)
    dies, however it dies. Killed each with SIGKILL, the run and then its starter (the run
    out of memory, the starter by a user), a worker looping in a connector's code ran on for
    good, its debtor's query in its memory: its pipes to the run it reads only between a
    connector's steps, and the starter's socket is not its own. Asked before it is confined,
    whose filter then refuses it (``refused_calls``): a connector cannot undo it. Raises
    OSError if the kernel refuses it; ends this process if ``parent`` died first."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"cannot die with the starter: {os.strerror(code)}")
    if os.getppid() != parent:  # it died before that was asked for: nobody would end this
        os._exit(1)


def confine(readable: Iterable[Path]) -> None:
    """Apply the confinement to this process, for good. Raises OSError if the kernel refuses
    to set it up (the process must then not go on)."""
    from landlock import FSAccess, Ruleset

    calls = _call_filter()  # loads libseccomp (which may look for itself on disk) first
    rules = Ruleset()  # every file-system right the kernel knows is handled: none granted yet
    read_dir = FSAccess.EXECUTE | FSAccess.READ_FILE | FSAccess.READ_DIR
    for path in readable:
        rules.allow(path, rules=read_dir if path.is_dir() else FSAccess.READ_FILE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    files = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # a lower hard limit is kept
    files = FILES_OPEN if files == resource.RLIM_INFINITY else min(FILES_OPEN, files)
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))
    _drop_capabilities()
    rules.apply()  # also sets no_new_privs, which seccomp needs
    calls.load()


def _drop_capabilities() -> None:
    """None of root's powers, for a run as root (a container, say): they lift limits the
    kernel sets users (a socket's buffer forced to 2 GB, pipes past the user's share, memory
    locked) and Landlock and seccomp leave them be. The process starts no program, so none
    can come back."""
    libc = ctypes.CDLL(None, use_errno=True)
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)  # this process
    none = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable; twice 32 bits
    if libc.capset(header, none) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"cannot drop capabilities: {os.strerror(code)}")


def _call_filter() -> Any:
    """What this process may not call: what no connector's process may (``refused_calls``),
    and a signal to any process but itself."""
    import pyseccomp as seccomp

    calls = refused_calls()
    own = os.getpid()
    for name in ("kill", "tgkill"):  # signals to this process only
        calls.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(0, seccomp.NE, own))
    return calls


@cache
def refused_calls() -> Any:
    """The seccomp filter every connector's process loads, but for its own pid (``_call_filter``
    adds it): built once by the starter before it forks (some 2 ms of each worker's start,
    150 rules each resolved by name), each worker adding its pid to its own copy. The
    starter, which confines nothing, never loads it."""
    import pyseccomp as seccomp

    calls = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    known = seccomp.resolve_syscall(seccomp.Arch.NATIVE, "pidfd_send_signal")
    shift = max(known - _NUMBERED_ALIKE["pidfd_send_signal"], 0)  # -1: not known either
    for name in _DENIED_CALLS:
        call: str | int = name
        if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) < 0 and name in _NUMBERED_ALIKE:
            call = _NUMBERED_ALIKE[name] + shift  # newer than this libseccomp
        try:
            calls.add_rule(seccomp.ERRNO(errno.EPERM), call)
        except (RuntimeError, ValueError, OSError):  # a call this architecture does not have
            continue
    calls.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # glibc then falls back to clone
    # no new process, and no thread either: the worker needs none (one asyncio loop on its
    # pipes), and tasks are the machine's to run out of (a worker starting threads until
    # refused left the parent unable to start a thread or a process)
    calls.add_rule(seccomp.ERRNO(errno.EPERM), "clone")
    calls.add_rule(seccomp.ERRNO(errno.EPERM), "tkill")  # kill and tgkill: ``_call_filter``
    # a file's owner is signalled by the kernel itself when the file can be read (O_ASYNC):
    # no kill(2) is made, and any process of the user could be named as the owner. The kernel
    # reads a command as 32 bits, so only those are compared: 0x1_00000008 is F_SETOWN too
    fcntls = (*_SET_OWNER_FCNTL, *_WATCH_FCNTL)
    ioctls = (_TIOCSTI, *_SET_OWNER_IOCTL, *_FILE_FLAGS_IOCTL)
    for name, commands in (("fcntl", fcntls), ("fcntl64", fcntls), ("ioctl", ioctls)):
        for command in commands:
            try:
                calls.add_rule(seccomp.ERRNO(errno.EPERM), name,
                               seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, command))  # fmt: skip
            except (RuntimeError, ValueError, OSError):
                if name != "fcntl64":  # absent on 64-bit machines; any other failure is fatal
                    raise
                break
    # no undoing ``die_with``; the kernel reads prctl's option as 32 bits too
    calls.add_rule(seccomp.ERRNO(errno.EPERM), "prctl",
                   seccomp.Arg(0, seccomp.MASKED_EQ, 0xFFFFFFFF, _PR_SET_PDEATHSIG))  # fmt: skip
    _refuse_emptying_on_open(calls, seccomp)
    return calls


def _refuse_emptying_on_open(calls: Any, seccomp: Any) -> None:
    """open(2) with O_TRUNC empties a file it may only read: Landlock checks the mode of the
    open (O_RDONLY), and handles truncation only from ABI 3 (Linux 6.2), so on 5.13-6.1 any
    file of the user's that it may read (its folder, the installed packages) could be emptied
    so. openat2 takes its flags in a structure seccomp cannot read: refused whole (glibc and
    Python open files with openat)."""
    for name, flags_at in (("open", 1), ("openat", 2)):
        emptying = seccomp.Arg(flags_at, seccomp.MASKED_EQ, os.O_TRUNC, os.O_TRUNC)
        try:
            calls.add_rule(seccomp.ERRNO(errno.EPERM), name, emptying)
        except (RuntimeError, ValueError, OSError):
            if name != "open":  # absent on newer architectures (arm64); openat never is
                raise
    calls.add_rule(seccomp.ERRNO(errno.EPERM), "openat2")
