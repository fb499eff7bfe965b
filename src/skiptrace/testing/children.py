"""Set-ups run in a test's child process before it starts (``preexec_fn``): what a test of a
child's behaviour needs whatever the suite itself was started under."""

from __future__ import annotations

import resource
import signal

MEMORY_CAP = 2 << 30


def limit_memory() -> None:
    """At most 2 GB of address space: a regression that reads a huge input whole fails there,
    instead of eating the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def default_sigint() -> None:
    """Ctrl-C as at a terminal. A suite run as a shell's background job ignores SIGINT, and so
    would its children (right for a real background run): a test of Ctrl-C needs it back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
