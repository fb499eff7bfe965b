"""The audit log: every request made and every request refused, hash-chained, tamper-evident.

``chain`` is the row format and its hashing, ``journal`` the write-ahead file each row goes to
first, ``storer`` the background thread that moves journaled rows into SQLite, ``log`` the log
itself (``schema`` its tables, ``copies`` reading it where nothing may be written, ``key`` the
audit key), and ``redact`` what is masked before anything is written.
"""

from skiptrace.audit.chain import COLUMNS, AuditEvent, AuditRow, Verification
from skiptrace.audit.log import AuditLog

__all__ = ["COLUMNS", "AuditEvent", "AuditLog", "AuditRow", "Verification"]
