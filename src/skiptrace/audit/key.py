"""The audit key: where it is configured, and why it must be kept away from the log."""

from __future__ import annotations

import os
from pathlib import Path

from skiptrace.errors import AuditError
from skiptrace.state import home_path

KEY_FILE_ENV = "SKIPTRACE_AUDIT_KEY_FILE"
KEY_ENV = "SKIPTRACE_AUDIT_KEY"
_MIN_KEY_BYTES = 16
_MAX_KEY_FILE_BYTES = 4096
"""The most of an audit key file read: a key is tens of bytes, with whitespace around it."""


def configured_key(log: Path | None = None) -> bytes | None:
    """The audit key, if one is configured: the contents of the file ``SKIPTRACE_AUDIT_KEY_FILE``
    names (surrounding whitespace ignored), or the value of ``SKIPTRACE_AUDIT_KEY``; at least
    16 bytes. The file must lie outside ``SKIPTRACE_HOME`` (and outside the folder of ``log``):
    a key kept beside the log protects nothing. AuditError if both are set, or the key is
    unusable (a value of bytes that are not UTF-8 too: it was a UnicodeEncodeError)."""
    named = os.environ.get(KEY_FILE_ENV, "").strip()
    value = os.environ.get(KEY_ENV, "").strip()
    if named and value:
        raise AuditError(f"set {KEY_FILE_ENV} or {KEY_ENV}, not both")
    if named:
        key_file = Path(named).expanduser().resolve()
        for folder in (home_path(), *([log.parent] if log is not None else [])):
            if key_file.is_relative_to(folder.resolve()):
                raise AuditError(
                    f"the audit key file {key_file} lies inside {folder}, beside the audit log: "
                    "keep it where whoever can edit the log cannot read it"
                )
        try:  # a stream (a secret manager's ``<(...)``) is read as a file is, to a bound
            with key_file.open("rb") as handle:
                read = handle.read(_MAX_KEY_FILE_BYTES + 1)
        except OSError as exc:
            raise AuditError(f"cannot read the audit key file {key_file}: {exc}") from None
        if len(read) > _MAX_KEY_FILE_BYTES:  # /dev/zero had been read until memory ran out
            raise AuditError(f"{key_file} is over {_MAX_KEY_FILE_BYTES:,} bytes: not a key")
        key = read.strip()
        where = f"the audit key file {key_file}"
    elif value:
        try:  # bytes that are not UTF-8 arrive as lone surrogates: the key is never echoed
            key, where = value.encode("utf-8"), KEY_ENV
        except UnicodeEncodeError:
            raise AuditError(
                f"{KEY_ENV} holds bytes that are not UTF-8: set it to text (e.g. the output of "
                f"`openssl rand -hex 32`), or name a file holding the key in {KEY_FILE_ENV}"
            ) from None
    else:
        return None
    if len(key) < _MIN_KEY_BYTES:
        raise AuditError(
            f"{where} holds {len(key)} bytes, too short for a key (at least {_MIN_KEY_BYTES}; "
            "e.g. the output of `openssl rand -hex 32`)"
        )
    return key
