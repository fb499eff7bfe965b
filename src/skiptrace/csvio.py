"""Reading debtor files: encoding (UTF-8 with or without BOM, else cp1252) and delimiter
(comma, semicolon, tab) detected, not assumed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from skiptrace.errors import SkiptraceError

SAMPLE_BYTES = 64 * 1024


class InputError(SkiptraceError):
    """A file that cannot be read as a table."""


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` (a BOM, if any, is dropped) or ``cp1252``. A sample with more valid UTF-8
    characters than invalid bytes is UTF-8 with some damaged rows, not cp1252."""
    text = sample[:-4].decode("utf-8", errors="replace") if len(sample) > 4 else ""
    text = sample.decode("utf-8", errors="replace") if len(sample) <= 4 else text
    invalid = text.count("\ufffd")
    if not invalid or sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    valid = sum(1 for char in text if ord(char) > 127) - invalid
    return "utf-8-sig" if valid > invalid else "cp1252"


def detect_delimiter(text: str) -> str:
    """The delimiter of the header line: comma, semicolon or tab."""
    header = text.splitlines()[0] if text else ""
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a whole file (for linking, which needs both sides in memory)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    encoding = detect_encoding(raw[:SAMPLE_BYTES])
    text = raw.decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text),
                        strict=True)  # fmt: skip
    try:
        rows = list(reader)
    except csv.Error as exc:  # a broken quote, a field over the size limit...
        raise InputError(f"{path}: line {reader.line_num} cannot be read ({exc})") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(f"{path} is empty")
    header = [cell.strip() for cell in rows[0]]
    body = [dict(zip(header, row, strict=False)) for row in rows[1:] if any(c.strip() for c in row)]
    if not body:
        raise InputError(f"{path} has a header but no rows")
    return header, body
