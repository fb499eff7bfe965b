"""Writing CSV that reads back as it was written, whatever the cells hold.

Rows end with "\\n". csv.writer quotes a cell holding the delimiter, a quote or a character of
its line terminator, and no other: a cell holding a bare "\\r" (a debtor file may carry one
inside a quoted field) would go out unquoted, and every CSV reader would end the row there.
A row with such a cell is written with every cell quoted instead.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any


class Writer:
    """``csv.writer``'s ``writerow`` over ``handle``, quoting a row that holds a bare CR."""

    def __init__(self, handle: IO[str]) -> None:
        self._plain = csv.writer(handle, lineterminator="\n")
        self._quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = list(row)
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            self._quoted.writerow(cells)
        else:
            self._plain.writerow(cells)
