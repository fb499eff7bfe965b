"""The streaming CSV reader: encodings, delimiters, bad rows kept in place, unusable files."""

from __future__ import annotations

import csv
import inspect
import io
import os
import random
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.tables.reader import (
    MAX_FIELD_CHARS,
    MAX_LINE_BYTES,
    MAX_RECORD_BYTES,
    SAMPLE_BYTES,
    Dialect,
    Row,
    _parse,  # the one private helper tested here
    count_rows,
    detect_delimiter,
    detect_encoding,
    open_input,
    read_rows,
    sniff,
)
from skiptrace.tables.writer import Writer


def _read(path: Path, data: bytes) -> tuple[list[str], list[Row]]:
    path.write_bytes(data)
    header, rows = read_rows(path)
    return header, list(rows)


def _input_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_rows(path)
    return str(caught.value)


# --- encodings -----------------------------------------------------------------------------


def test_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    header, rows = _read(tmp_path / "a.csv", "Name,City\nZoë Łukasz,Zürich\n".encode())
    assert header == ["Name", "City"]
    assert rows == [Row(0, ["Zoë Łukasz", "Zürich"])]
    assert sniff(tmp_path / "a.csv") == Dialect("utf-8-sig", ",")


def test_a_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "Name,City\nRenée,Orléans\n".encode()
    header, rows = _read(tmp_path / "bom.csv", data)
    assert header == ["Name", "City"]  # not "\ufeffName": the column is still found
    assert rows == [Row(0, ["Renée", "Orléans"])]


def test_cp1252_is_detected_and_decoded(tmp_path: Path) -> None:
    data = "Name;City\r\nRenée;Orléans\r\nJürgen;Köln\r\n".encode("cp1252")
    header, rows = _read(tmp_path / "win.csv", data)
    assert sniff(tmp_path / "win.csv") == Dialect("cp1252", ";")
    assert header == ["Name", "City"]
    assert [r.cells for r in rows] == [["Renée", "Orléans"], ["Jürgen", "Köln"]]
    assert all(r.problem == "" for r in rows)


@pytest.mark.parametrize("utf8_first", [True, False])
def test_a_file_of_utf8_and_cp1252_rows_reads_each_in_its_own(
    tmp_path: Path, utf8_first: bool
) -> None:
    """One valid UTF-8 character against one invalid byte makes the file cp1252, and the
    UTF-8 row was read as cp1252 without a word: M\u00c3\u00bcller researched as a name."""
    rows_in = ["Müller,Hans,Berlin\n".encode(), "Renée,Anne,Paris\n".encode("cp1252")]
    data = b"last_name,first_name,city\n" + b"".join(rows_in if utf8_first else rows_in[::-1])
    _, rows = _read(tmp_path / "mixed.csv", data)
    cells = sorted(row.cells[0] for row in rows)
    assert cells == ["Müller", "Renée"] and not any(row.problem for row in rows)


def test_detect_encoding_weighs_valid_utf8_against_invalid_bytes() -> None:
    assert detect_encoding(b"") == "utf-8-sig"
    assert detect_encoding(b"plain ascii, nothing more\n") == "utf-8-sig"
    assert detect_encoding("Ren\u00e9e,Orl\u00e9ans\n".encode("cp1252") + b"x" * 8) == "cp1252"
    # mostly good UTF-8 with one damaged byte: UTF-8 with a bad row, not cp1252
    damaged = "Zoë,Zürich,Łódź\n".encode() * 5 + b"bad \xff\n" + b"padding\n"
    assert detect_encoding(damaged) == "utf-8-sig"
    # a BOM settles it whatever follows
    assert detect_encoding(b"\xef\xbb\xbfName\n\xff\xfe\xfd and more\n") == "utf-8-sig"


def test_a_short_cp1252_file_with_its_accent_at_the_end_is_cp1252(tmp_path: Path) -> None:
    header, rows = _read(tmp_path / "short.csv", "Name\r\nJosé\r\n".encode("cp1252"))
    assert header == ["Name"]
    assert rows == [Row(0, ["José"])]


def test_a_cp1252_file_plain_ascii_for_its_first_64_kib_reads_its_accents(tmp_path: Path) -> None:
    """The sample said nothing of the encoding (no byte above 127): a row that is not UTF-8
    further on is read as cp1252, not made an error row of "Ren\ufffde" (a rerun could never
    fix it). Where the sample held UTF-8, such a row stays an error (damaged bytes)."""
    plain = "".join(f"A{n},Roe\r\n" for n in range(SAMPLE_BYTES // 8)).encode()
    data = b"Id,Name\r\n" + plain + "B1,Renée\r\nB2,Muñoz\r\n".encode("cp1252")
    assert len(plain) > SAMPLE_BYTES
    _, rows = _read(tmp_path / "late.csv", data)
    assert [r.cells for r in rows[-2:]] == [["B1", "Renée"], ["B2", "Muñoz"]]
    assert not any(r.problem for r in rows)
    # a row holding UTF-8 is UTF-8, damaged: never read as cp1252 ("MÃ¼ller" was researched)
    damaged = b"Id,Name\r\n" + plain + "B5,Müller\r\nB6,Zoë ".encode() + b"Ren\xe9e\r\n"
    _, rows = _read(tmp_path / "damaged.csv", damaged[:-2] + b"\xc3\r\n")
    assert [(r.cells[0], r.problem) for r in rows[-2:]] == [
        ("B5", ""), ("B6", "bytes that are not utf-8")
    ]  # fmt: skip
    assert rows[-2].cells[1] == "Müller"


def test_a_cp1252_accent_in_the_last_bytes_of_the_sample_reads_its_accents(tmp_path: Path) -> None:
    """The encoding is told from the sample less its last 4 bytes (a character may be cut
    there): an accent among them had still ruled out reading later rows as cp1252, so every
    accented row of the file was an error row of "Ren\ufffde", as UTF-8."""
    plain = "".join(f"A{n:05d},Roe\r\n" for n in range(SAMPLE_BYTES // 12 - 100)).encode()
    last = b"B0," + b"R" * (SAMPLE_BYTES - 3 - 9 - len(plain) - 3) + "ée\r\n".encode("cp1252")
    data = b"Id,Name\r\n" + plain + last + "B1,Renée\r\n".encode("cp1252")
    assert data.index(b"\xe9") == SAMPLE_BYTES - 3
    _, rows = _read(tmp_path / "edge.csv", data)
    assert [(r.cells[1][-2:], r.problem) for r in rows[-2:]] == [("ée", ""), ("ée", "")]


def test_bytes_invalid_in_the_encoding_make_an_error_row_in_its_place(tmp_path: Path) -> None:
    good = "Zoë,Zürich\n".encode() * 2
    data = b"Name,City\n" + good + b"Ann\xff\xfe,Paris\n" + good
    header, rows = _read(tmp_path / "bad.csv", data)
    assert header == ["Name", "City"]
    assert [r.index for r in rows] == [0, 1, 2, 3, 4]
    bad = rows[2]
    assert bad.problem == "bytes that are not utf-8"
    assert bad.cells[1] == "Paris" and bad.cells[0].startswith("Ann")
    assert [r.cells for r in rows if not r.problem] == [["Zoë", "Zürich"]] * 4


# --- delimiters ----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    lines = ["Account,Last Name,City", "A1,O'Brien,Springfield", "A2,Roe,Dayton"]
    data = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    header, rows = _read(tmp_path / "d.csv", data.encode())
    assert sniff(tmp_path / "d.csv").delimiter == delimiter
    assert header == ["Account", "Last Name", "City"]
    assert [r.cells for r in rows] == [["A1", "O'Brien", "Springfield"], ["A2", "Roe", "Dayton"]]


def test_detect_delimiter_reads_the_header_line_only() -> None:
    assert detect_delimiter("a;b;c\n1,5;2,5;3,5\n4,1;2,2;3,3\n") == ";"
    assert detect_delimiter("a\tb\tc, d\n") == "\t"
    assert detect_delimiter("a,b\n1;2;3;4;5\n") == ","
    assert detect_delimiter("Name\nAnn\n") == ","  # one column: comma by default
    assert detect_delimiter("") == ","


@pytest.mark.parametrize(
    ("first", "delimiter"),
    [("sep=;", ";"), ("SEP=,", ","), ('"sep=;"', ";"), ("sep=\t", "\t"), ("\ufeffsep=;", ";")],
)
def test_excels_sep_line_declares_the_delimiter_and_is_no_header(
    tmp_path: Path, first: str, delimiter: str
) -> None:
    """Excel's ``sep=;`` first line (written by exports made for Excel, read by it to split
    the columns): the header had been "sep=" and the file was refused for no name column."""
    lines = ["Account,First Name,Last Name,City", "1,Jane,Roe,Springfield", "", "2,Ann,Lee,Dayton"]
    data = "\r\n".join([first, *(line.replace(",", delimiter) for line in lines)]) + "\r\n"
    header, rows = _read(tmp_path / "excel.csv", data.encode())
    assert header == ["Account", "First Name", "Last Name", "City"]
    assert rows == [
        Row(0, ["1", "Jane", "Roe", "Springfield"]),
        Row(1, ["2", "Ann", "Lee", "Dayton"]),
    ]
    assert count_rows(tmp_path / "excel.csv") == 2


def test_a_sep_line_ended_by_a_cr_alone_declares_the_delimiter_too(tmp_path: Path) -> None:
    """Lines ended by a CR alone (an old Mac export) are read as any others: the sep line
    among them had been the header "sep=", the file refused for no name column."""
    header, rows = _read(tmp_path / "mac.csv", b"sep=;\rName;City\rAnn;Reno\r")
    assert header == ["Name", "City"]
    assert rows == [Row(0, ["Ann", "Reno"])]


def test_a_sep_line_naming_another_delimiter_or_only_a_header_is_not_taken(tmp_path: Path) -> None:
    """Only a line that is the declaration and nothing else: ``sep=|`` (no delimiter the
    reader splits on) and a column called "sep=x" are read as the header they are."""
    header, _ = _read(tmp_path / "pipe.csv", b"sep=|\nName\nAnn\n")
    assert header == ["sep=|"]
    header, rows = _read(tmp_path / "col.csv", b"sep=x,Name\n1,Ann\n")
    assert header == ["sep=x", "Name"]
    assert rows == [Row(0, ["1", "Ann"])]


def test_header_cells_are_stripped(tmp_path: Path) -> None:
    header, rows = _read(tmp_path / "h.csv", b" Name ,\tCity \nAnn, Paris\n")
    assert header == ["Name", "City"]
    assert rows[0].cells == ["Ann", " Paris"]  # data cells are kept as they are


# --- bad rows keep their place -------------------------------------------------------------


def test_a_ragged_row_is_an_error_row_padded_or_cut_to_the_header(tmp_path: Path) -> None:
    data = b"A,B,C\n1,2,3\nshort,row\n4,5,6\n7,8,9,10\n"
    _, rows = _read(tmp_path / "r.csv", data)
    assert [r.index for r in rows] == [0, 1, 2, 3]
    assert rows[0] == Row(0, ["1", "2", "3"])
    assert rows[1] == Row(1, ["short", "row", ""], "the row has 2 fields, the header has 3")
    assert rows[2] == Row(2, ["4", "5", "6"])
    assert rows[3] == Row(3, ["7", "8", "9"], "the row has 4 fields, the header has 3")


def test_a_ragged_row_keeps_its_quoted_cells_whole(tmp_path: Path) -> None:
    """Only the number of cells is wrong: each is kept as csv.reader reads it ("Roe, Jane"
    was split in two at its comma, and 62701 pushed out)."""
    data = b'Id,Name,Zip,City\nA1,"Roe, Jane",62701\nA2,"Doe, John",John,62701,Austin\n'
    _, rows = _read(tmp_path / "q.csv", data)
    assert rows[0].cells == ["A1", "Roe, Jane", "62701", ""]
    assert rows[1].cells == ["A2", "Doe, John", "John", "62701"]
    assert all(r.problem.startswith("the row has ") for r in rows)


def test_an_over_long_field_is_an_error_row_cut_to_the_limit(tmp_path: Path) -> None:
    long = "x" * (MAX_FIELD_CHARS + 10)
    data = f"Name,Notes\nAnn,{long}\nBob,{'y' * MAX_FIELD_CHARS}\n".encode()
    _, rows = _read(tmp_path / "long.csv", data)
    assert rows[0].problem == f"a field is longer than {MAX_FIELD_CHARS} characters"
    assert rows[0].cells == ["Ann", "x" * MAX_FIELD_CHARS]
    assert rows[1].problem == ""  # exactly at the limit is fine
    assert len(rows[1].cells[1]) == MAX_FIELD_CHARS


def test_a_quoted_field_may_span_lines(tmp_path: Path) -> None:
    data = b'Name,Address,City\nAnn,"12 Main St\nApt 4",Paris\nBob,"1 ""Old"" Rd",Rome\n'
    _, rows = _read(tmp_path / "q.csv", data)
    assert rows == [
        Row(0, ["Ann", "12 Main St\nApt 4", "Paris"]),
        Row(1, ["Bob", '1 "Old" Rd', "Rome"]),
    ]


def test_a_quote_never_closed_spoils_only_its_own_line(tmp_path: Path) -> None:
    data = b'Name,City\nAnn,Paris\nBob,"Rome\nCy,Oslo\nDee,Bern\n'
    _, rows = _read(tmp_path / "open.csv", data)
    assert rows == [
        Row(0, ["Ann", "Paris"]),
        Row(1, ["Bob", "Rome"], "a quote is never closed"),
        Row(2, ["Cy", "Oslo"]),
        Row(3, ["Dee", "Bern"]),
    ]


def test_a_quote_left_open_past_the_record_limit_does_not_swallow_the_file(
    tmp_path: Path,
) -> None:
    """A quote that would only close far below, past MAX_RECORD_BYTES, around lines that read
    as the file's rows, is a stray one: the lines it held are read again as rows of their own,
    and reading goes on normally after them (the far quote, in an unquoted field, is a
    letter, as csv.reader reads it)."""
    filler = [f"B{n:04d},{'f' * 90}\n".encode() for n in range(3000)]
    assert sum(map(len, filler)) > MAX_RECORD_BYTES
    data = b"Name,City\n" + b'A0,"open\n' + b"".join(filler) + b'C0,close"\nD0,end\n'
    _, rows = _read(tmp_path / "swallow.csv", data)
    assert len(rows) == 1 + 3000 + 2
    assert rows[0] == Row(0, ["A0", "open"], "a quote is never closed")
    assert rows[1] == Row(1, ["B0000", "f" * 90])
    assert rows[3000] == Row(3000, ["B2999", "f" * 90])
    assert all(r.problem == "" for r in rows[1:3001])
    assert rows[3001] == Row(3001, ["C0", 'close"'])
    assert rows[3002] == Row(3002, ["D0", "end"])


@pytest.mark.parametrize("closing", [1500, 3])
def test_a_quote_typed_before_a_name_costs_its_row_only(tmp_path: Path, closing: int) -> None:
    """``"Bob`` opens a field that the next quoted field (``"Springfield, IL"``, rows below)
    closes, into a record of another width: the rows between read as rows and are rows; only
    the line with the stray quote is an error (1,496 rows were made unresearchable by it)."""
    lines = [f"A{n},Ann,Roe{n},Dayton\n" for n in range(2000)]
    lines[5] = 'A5,"Bob,Roe5,Dayton\n'
    lines[5 + closing] = f'A{5 + closing},Ann,Roe,"Springfield, IL"\n'
    _, rows = _read(tmp_path / "stray.csv", ("account,first,last,city\n" + "".join(lines)).encode())
    assert len(rows) == 2000
    assert [r.index for r in rows if r.problem] == [5]
    assert rows[5 + closing].cells == [f"A{5 + closing}", "Ann", "Roe", "Springfield, IL"]


def test_a_line_of_notes_is_an_error_row_with_its_cells_read(tmp_path: Path) -> None:
    """One held line that reads like a row, in a record one field too wide: never a row to
    research, but its cells are read as csv.reader reads the line (not split at a quoted
    comma)."""
    data = (b'Id,Name,Address,City\nA1,Roe,1 Main St, Apt 2,"Left msg.\n'
            b'A9,Fox,"2 Oak, Unit 5",Reno"\nA2,Poe,3 Elm,Dayton\n')  # fmt: skip
    _, rows = _read(tmp_path / "notes.csv", data)
    assert [(r.cells[0], bool(r.problem)) for r in rows] == [("A1", True), ("A9", True),
                                                              ("A2", False)]  # fmt: skip
    assert rows[1].problem.startswith("not researched: ")
    assert rows[1].cells == ["A9", "Fox", "2 Oak, Unit 5", 'Reno"']


def test_blank_lines_are_skipped_and_indexes_follow_input_order(tmp_path: Path) -> None:
    data = b"Id,Name\n\n1,Ann\n   \n\n2,Bob\nbad\n3,Cy\r\n\r\n"
    _, rows = _read(tmp_path / "blank.csv", data)
    assert [(r.index, r.cells[0]) for r in rows] == [(0, "1"), (1, "2"), (2, "bad"), (3, "3")]
    assert rows[2].problem and not rows[3].problem


def test_a_blank_line_before_the_header_is_skipped(tmp_path: Path) -> None:
    header, rows = _read(tmp_path / "lead.csv", b"\nName,City\nAnn,Paris\n")
    assert header == ["Name", "City"]
    assert rows == [Row(0, ["Ann", "Paris"])]


# --- unusable files ------------------------------------------------------------------------


def test_an_empty_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert _input_error(path) == f"{path} is empty"


def test_a_header_only_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_bytes(b"Name,City\r\n\r\n\n")
    assert _input_error(path) == f"{path} has a header but no rows"


def test_a_blank_header_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    path.write_bytes(b",,\nAnn,Paris,x\n")
    message = _input_error(path)
    assert str(path) in message and "header" in message


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    message = _input_error(path)
    assert message == f"cannot read {path}: No such file or directory"


def test_a_directory_is_an_input_error(tmp_path: Path) -> None:
    message = _input_error(tmp_path)
    assert message == f"cannot read {tmp_path}: Is a directory"


# --- streaming -----------------------------------------------------------------------------


def test_rows_are_read_lazily(tmp_path: Path) -> None:
    """The first row comes before the file is read to its end: rows appended after it are
    still seen, which they would not be had the whole file been read up front."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Account,Last Name\n")
        handle.writelines(f"A{n:05d},Roe{n}\n" for n in range(20_000))
    header, rows = read_rows(path)
    assert header == ["Account", "Last Name"]
    assert inspect.isgenerator(rows)
    assert next(rows) == Row(0, ["A00000", "Roe0"])
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("Z99999,Late\n")
    rest = list(rows)
    assert len(rest) == 20_000
    assert rest[-2] == Row(19_999, ["A19999", "Roe19999"])
    assert rest[-1] == Row(20_000, ["Z99999", "Late"])


# --- hostile lines: over-long, NUL bytes ---------------------------------------------------


def _long_line(path: Path, head: bytes, filler: bytes, size: int, tail: bytes) -> Path:
    """``head``, then ``filler`` repeated to ``size`` bytes (written in chunks, never whole in
    memory), then ``tail``."""
    chunk = filler * (MAX_LINE_BYTES // len(filler))
    with path.open("wb") as handle:
        handle.write(head)
        written = 0
        while written < size:
            part = chunk[: size - written]
            handle.write(part)
            written += len(part)
        handle.write(tail)
    return path


LONG = f"the line is longer than {MAX_LINE_BYTES} bytes"


def test_a_line_over_the_cap_is_an_error_row_in_its_place(tmp_path: Path) -> None:
    path = _long_line(tmp_path / "commas.csv", b"Name,City\nAnn,Paris\n", b",",
                      3 * MAX_LINE_BYTES + 17, b"\nBob,Rome\n")  # fmt: skip
    _, rows = read_rows(path)
    assert list(rows) == [Row(0, ["Ann", "Paris"]), Row(1, ["", ""], LONG), Row(2, ["Bob", "Rome"])]


def test_an_over_long_line_keeps_what_its_start_says(tmp_path: Path) -> None:
    path = _long_line(tmp_path / "x.csv", b"Account,Name,Notes\nA7,Roe,", b"x",
                      2 * MAX_LINE_BYTES, b"\r\nA8,Poe,ok\r\n")  # fmt: skip
    header, rows = read_rows(path)
    assert header == ["Account", "Name", "Notes"]
    assert list(rows) == [
        Row(0, ["A7", "Roe", "x" * MAX_FIELD_CHARS], LONG),  # cut to the field limit
        Row(1, ["A8", "Poe", "ok"]),
    ]


def test_the_line_cap_counts_the_line_ending(tmp_path: Path) -> None:
    at_cap = b"Ann," + b"x" * (MAX_LINE_BYTES - 5) + b"\n"
    assert len(at_cap) == MAX_LINE_BYTES
    _, rows = _read(tmp_path / "cap.csv", b"Name,Notes\n" + at_cap + b"Bob,y" + at_cap[4:])
    assert rows[0].problem == f"a field is longer than {MAX_FIELD_CHARS} characters"  # not LONG
    assert rows[1].problem == LONG and rows[1].cells[0] == "Bob"


def test_an_over_long_last_line_without_a_line_ending(tmp_path: Path) -> None:
    path = _long_line(tmp_path / "end.csv", b"Name,City\nAnn,Paris\nBob,", b"y",
                      MAX_LINE_BYTES + 1, b"")  # fmt: skip
    _, rows = read_rows(path)
    assert list(rows) == [Row(0, ["Ann", "Paris"]), Row(1, ["Bob", "y" * MAX_FIELD_CHARS], LONG)]


def test_an_over_long_line_inside_an_open_quote(tmp_path: Path) -> None:
    path = _long_line(tmp_path / "q.csv", b'Name,City\nAnn,"open\nCy,', b"z",
                      2 * MAX_LINE_BYTES, b'"\nBob,Rome\n')  # fmt: skip
    _, rows = read_rows(path)
    assert [(r.index, r.cells[0], r.problem) for r in rows] == [
        (0, "Ann", "a quote is never closed"),
        (1, "Cy", LONG),
        (2, "Bob", ""),
    ]


def test_lines_ended_by_bare_crs_are_never_one_long_line(tmp_path: Path) -> None:
    """45,000 rows ended by bare CRs (an old Mac export) between LF lines: readline reads
    up to an LF only, so the 1.1 MB between were one line over the cap, one error row."""
    middle = b"\r".join(b"Cr%d,Jane,Springfield" % n for n in range(45_000))
    assert len(middle) > MAX_LINE_BYTES  # as one line, over the cap
    data = b"id,first,city\nA1,Ann,Paris\n" + middle + b"\nZ1,Zoe,Rome\n"
    _, rows = _read(tmp_path / "cr.csv", data)
    assert len(rows) == 45_002 and not any(row.problem for row in rows)
    assert [rows[1].cells, rows[-2].cells[0], rows[-1].cells[0]] == [
        ["Cr0", "Jane", "Springfield"], "Cr44999", "Z1"]  # fmt: skip
    header, rows = _read(tmp_path / "only-cr.csv", b"id,first,city\r" + middle + b"\r")
    assert header == ["id", "first", "city"] and len(rows) == 45_000


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"])
def test_an_over_long_line_costs_only_itself_whatever_ends_the_lines(
    tmp_path: Path, ending: bytes
) -> None:
    """The rest of a line over the cap was skipped up to the next LF: in a file of bare CRs,
    the end of the file (1,000 debtors gone without an error row)."""
    lines = [b"id,name", b"1,a", b"2," + b"X" * (MAX_LINE_BYTES + 500_000)]
    lines += [b"%d,n%d" % (n, n) for n in range(3, 1003)]
    _, rows = _read(tmp_path / "long.csv", ending.join(lines) + ending)
    assert len(rows) == 1002 and [r.index for r in rows if r.problem] == [1]
    assert rows[-1].cells == ["1002", "n1002"]


def test_a_bare_cr_before_a_last_line_without_a_line_ending(tmp_path: Path) -> None:
    _, rows = _read(tmp_path / "end.csv", b"last_name\nRoe\nDoe\rX")
    assert rows == [Row(0, ["Roe"]), Row(1, ["Doe"]), Row(2, ["X"])]


def test_a_quote_closed_past_the_line_cap_swallows_no_row(tmp_path: Path) -> None:
    """The quote that closes the field is in the part of an over-long line that is dropped:
    the field was read as open on, and Poe's row went into it."""
    path = _long_line(tmp_path / "q.csv", b'last,first,city\nRoe,"notes\n', b"A",
                      MAX_LINE_BYTES + 100_000,
                      b'",Springfield\nPoe,Ann,"Salem, OR"\nZed,Zoe,Dayton\n')  # fmt: skip
    _, read_lazily = read_rows(path)
    rows = list(read_lazily)
    read = [(row.cells[0], bool(row.problem)) for row in rows]
    assert read[0] == ("Roe", True) and read[-2:] == [("Poe", False), ("Zed", False)]
    assert rows[-2].cells == ["Poe", "Ann", "Salem, OR"]


def test_an_over_long_header_is_an_input_error(tmp_path: Path) -> None:
    path = _long_line(tmp_path / "h.csv", b"Name,", b"City,", 2 * MAX_LINE_BYTES, b"\nAnn\n")
    message = _input_error(path)
    assert message == f"{path}: the header line cannot be read ({LONG})"


def test_an_over_long_line_is_never_held_in_memory_whole(tmp_path: Path) -> None:
    """32 MiB on one line: at most a few MiB are ever allocated while it is read."""
    path = _long_line(tmp_path / "huge.csv", b"Name,City\n", b",", 32 * MAX_LINE_BYTES,
                      b"\nBob,Rome\n")  # fmt: skip
    tracemalloc.start()
    try:
        _, rows = read_rows(path)
        read = list(rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [r.problem for r in read] == [LONG, ""]
    assert peak < 8 * MAX_LINE_BYTES, f"{peak / 2**20:.1f} MiB allocated"


def test_a_nul_byte_makes_an_error_row_without_the_nul(tmp_path: Path) -> None:
    data = b'Name,City\nAnn\x00,Paris\nBob,Rome\n"Cy\x00\x00",Oslo,x\n\x00\n'
    _, rows = _read(tmp_path / "nul.csv", data)
    assert rows == [
        Row(0, ["Ann", "Paris"], "a NUL byte"),
        Row(1, ["Bob", "Rome"]),
        Row(2, ["Cy", "Oslo"], "a NUL byte"),  # the NUL is named before the field count
        Row(3, ["", ""], "a NUL byte"),  # a line of only a NUL is not a blank line
    ]
    assert not any("\x00" in cell for row in rows for cell in row.cells)


def test_a_nul_byte_in_the_header_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Name,C\x00ity\nAnn,Paris\n")
    assert _input_error(path) == f"{path}: the header line cannot be read (a NUL byte)"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_file_is_named_as_such(tmp_path: Path, encoding: str) -> None:
    """A spreadsheet's "Unicode text" export: it was refused as a header holding a NUL
    byte, which sent people looking for a NUL."""
    path = tmp_path / "wide.csv"
    path.write_bytes("Name\tCity\nAnn\tParis\n".encode(encoding))
    wide = "UTF-32" if encoding == "utf-32" else "UTF-16"
    assert _input_error(path) == (
        f"{path} is {wide} text (a spreadsheet's 'Unicode text' export?): save it as CSV UTF-8 "
        "and run again"
    )


# --- files that are not files --------------------------------------------------------------


@contextmanager
def _never_blocked(fifo: Path) -> Iterator[None]:
    """Should the code under test block on ``fifo`` (a regression), a writer comes and goes
    after a few seconds so that it ends, and the test fails instead of hanging."""
    done, rescued = threading.Event(), threading.Event()

    def rescue() -> None:
        if done.wait(5):
            return
        while not done.is_set():
            rescued.set()
            with suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            time.sleep(0.01)

    thread = threading.Thread(target=rescue, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
    assert not rescued.is_set(), f"{fifo} was opened and waited on"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with _never_blocked(fifo):
        message = _input_error(fifo)
        with pytest.raises(InputError, match="a FIFO"):
            sniff(fifo)
        with pytest.raises(InputError, match="a FIFO"):
            open_input(fifo)
    assert message.startswith(f"cannot read {fifo}: a FIFO (a pipe), not a regular file")
    assert "\n" not in message


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_before_anything_is_read(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert _input_error(Path(device)) == f"cannot read {device}: a character device, not a " \
                                         "regular file"  # fmt: skip


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_bytes(b"Name\nAnn\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    header, rows = read_rows(tmp_path / "link.csv")
    assert (header, list(rows)) == (["Name"], [Row(0, ["Ann"])])


def test_a_tsv_row_of_empty_cells_keeps_its_place(tmp_path: Path) -> None:
    path = tmp_path / "tabs.tsv"
    path.write_bytes(b"id\tname\tzip\nA1\tRoe\t1\n\t\t\nA3\tPoe\t3\n")
    header, rows = read_rows(path)
    assert header == ["id", "name", "zip"]
    assert [row.cells for row in rows] == [["A1", "Roe", "1"], ["", "", ""], ["A3", "Poe", "3"]]


def test_a_plain_line_is_split_as_the_csv_module_reads_it() -> None:
    """``_parse`` splits a line with no quote, line break or NUL itself (csv.reader costs a
    StringIO and a reader a row): the cells, and the problem, are csv.reader's on any line."""
    rng = random.Random(11)
    alphabet = ["a", "b", " ", ",", ";", "\t", "|", '"', "\r", "\n", "\x00", "é", "\u2028", "x"]
    lines = ["", "a", "a,b", "a,b\r\n", "a,b\n", "a,b\r", "a,b\r\r\n", "a,b\n\n", ",", "a,,b,",
             "\ta\t", ' "a",b', "a\rb", "a\nb\n"]  # fmt: skip
    lines += ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(5_000)]
    for delimiter in (",", ";", "\t", "|"):
        dialect = Dialect("utf-8", delimiter)
        for line in lines:
            try:
                rows = list(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter))
                expected = (
                    (rows[0], "") if len(rows) == 1 else ([], "unreadable CSV (not one record)")
                )
            except csv.Error as exc:
                expected = ([], f"unreadable CSV ({exc})")
            assert _parse(line, dialect) == expected, (line, delimiter)


def test_a_quote_inside_an_unquoted_field_is_a_letter_and_loses_no_row(tmp_path: Path) -> None:
    """O"Brien and 12" Pipe Rd hold a quote that opens nothing, as csv.reader reads them:
    counting quotes would pair the two and make the rows between them one broken record."""
    data = (b"account,first,last,address\nA1,Jane,Roe,1 Main St\nA2,Pat,O\"Brien,5 Oak St\n"
            b"A3,Bob,Quinlan,55 Harbor Way\nA4,Tom,Nobody,12\" Pipe Rd\n"
            b"A5,John,Smith,8 Pine Rd\n")  # fmt: skip
    _, rows = _read(tmp_path / "stray.csv", data)
    assert [(r.cells[0], r.problem) for r in rows] == [(f"A{n}", "") for n in range(1, 6)]
    assert rows[1].cells[2] == 'O"Brien' and rows[3].cells[3] == '12" Pipe Rd'


def test_a_line_ended_by_a_bare_cr_is_a_row_of_its_own(tmp_path: Path) -> None:
    data = b"account,last\nA1,Roe\nA2,Lee\rA3,Kim\nA4,Fox\n"
    _, rows = _read(tmp_path / "cr.csv", data)
    assert [(r.cells, r.problem) for r in rows] == [
        (["A1", "Roe"], ""), (["A2", "Lee"], ""), (["A3", "Kim"], ""), (["A4", "Fox"], "")
    ]  # fmt: skip


def test_a_long_quoted_note_is_one_error_row_not_thousands_of_debtors(tmp_path: Path) -> None:
    """A properly quoted field of 6,000 lines (306 KB, past MAX_RECORD_BYTES) whose lines are
    no records of the file: one error row in its place, its lines never held nor researched,
    and the next row read as it is."""
    note = "\n".join(["Called debtor, left msg, promised to pay, see file"] * 6000)
    assert len(note) > MAX_RECORD_BYTES
    data = (b"account,first,last,city,state,notes\n"
            + f'A1,Jane,Roe,Springfield,IL,"{note}"\n'.encode()
            + b"A2,Bob,Quinlan,Boston,MA,\n")  # fmt: skip
    _, rows = _read(tmp_path / "note.csv", data)
    assert [(r.cells[0], r.problem) for r in rows] == [
        ("A1", f"a quoted field runs on past {MAX_RECORD_BYTES} bytes"), ("A2", "")
    ]  # fmt: skip
    short = data.replace(note.encode(), b"line one\nline two, more")
    _, rows = _read(tmp_path / "short.csv", short)
    assert [r.cells[5] for r in rows] == ["line one\nline two, more", ""]


def test_a_cell_holding_a_bare_cr_is_written_so_it_reads_back(tmp_path: Path) -> None:
    """csv.writer with "\\n" line ends quotes no cell for a CR: Writer quotes that row."""
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = Writer(handle)
        for row in (["account", "first"], ["A1", "Jane\rEvil"], ["A2", "Bob"]):
            writer.writerow(row)
    assert path.read_bytes() == b'account,first\n"A1","Jane\rEvil"\nA2,Bob\n'
    _, rows = _read(path, path.read_bytes())
    assert [r.cells for r in rows] == [["A1", "Jane\rEvil"], ["A2", "Bob"]]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # two quotes, one a letter (O"Brien), one opening a field that runs on: counting them
        # would say the line is whole
        (b'id,last,addr\n1,O"Brien,"12 Main St\nApt 4"\n2,Bob,5 Oak\n',
         [["1", 'O"Brien', "12 Main St\nApt 4"], ["2", "Bob", "5 Oak"]]),
        # a bare CR after a quoted field ends the row
        (b'id,name,zip\n1,"Jane",62701\r2,Bob,11111\n',
         [["1", "Jane", "62701"], ["2", "Bob", "11111"]]),
        # a field of two lines whose second has as many commas as the header: an address
        (b'name,address\nJane Roe,"12 Main St\nSpringfield, IL 62701"\nBob Quinlan,5 Oak St\n',
         [["Jane Roe", "12 Main St\nSpringfield, IL 62701"], ["Bob Quinlan", "5 Oak St"]]),
    ],
    ids=["quote-in-a-field-then-one-opening", "bare-cr-after-a-quoted-field", "two-line-address"],
)  # fmt: skip
def test_lines_are_read_as_csv_reader_reads_them(
    tmp_path: Path, data: bytes, expected: list[list[str]]
) -> None:
    _, rows = _read(tmp_path / "read.csv", data)
    assert [(r.cells, r.problem) for r in rows] == [(cells, "") for cells in expected]


def test_lines_that_each_open_a_quote_are_read_in_linear_time(tmp_path: Path) -> None:
    """Each line opens a field no later line closes: every line is an error row, and each is
    read at most twice (not once per line before it)."""
    data = b"id,name,rest\n" + b'"1","Jane Roe","\n' * 3000
    _, rows = _read(tmp_path / "open.csv", data)
    assert len(rows) == 3000 and all(r.problem == "a quote is never closed" for r in rows)


@pytest.mark.parametrize("end", [b"\r", b"\n"])
def test_a_quote_never_closed_in_a_file_of_bare_crs_loses_no_row(
    tmp_path: Path, end: bytes
) -> None:
    data = b'id,name\r1,"Ja\r2,Bob\r3,Kim' + end + b"4,Lee" + end
    _, rows = _read(tmp_path / "cr.csv", data)
    assert [(r.cells[0], r.problem) for r in rows] == [
        ("1", "a quote is never closed"), ("2", ""), ("3", ""), ("4", "")
    ]  # fmt: skip


def test_a_header_whose_quote_runs_on_is_refused_not_read_as_a_header(tmp_path: Path) -> None:
    rows = b"".join(f"n,Name{n},{'x' * 30}\n".encode() for n in range(12000))
    path = tmp_path / "header.csv"
    path.write_bytes(b'id,"name,zip\n' + rows + b'99999,O"Brien,1\n')
    assert "the header line cannot be read" in _input_error(path)
