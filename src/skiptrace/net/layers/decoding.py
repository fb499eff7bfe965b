"""Content-Encoding, decoded by skiptrace itself so that no body is ever larger in memory than
the size cap: httpx would decode every layer of a chunk in full before anyone could count it
(1,833 bytes of ``gzip, gzip`` on the wire became 2 GB).

Only what a bounded decompressor can decode is accepted. gzip and deflate go through ``zlib``
with ``max_length``, so a decoder never produces more than one byte past the cap. br and zstd
(which httpx decodes when their packages are installed) have no such bound in their Python
bindings: they are not offered and, if sent anyway, refused. More than one coding is refused
rather than decoded layer by layer: skiptrace offers single codings, no source it reads stacks
them, and a stack of them only multiplies a bomb. A token that is no coding at all (``utf-8``,
sent by some misconfigured servers) is passed over as httpx passes it, the body counted as it came.
"""

from __future__ import annotations

import zlib

from skiptrace.errors import SourceError

_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
"""The codings decoded, with zlib's window bits for each (RFC 9110 8.4.1: x-gzip is gzip)."""
UNBOUNDED = frozenset({"br", "zstd", "compress", "x-compress"})
"""Real codings that cannot be decoded within a bound here: refused."""


def bounded_codings(accept_encoding: str) -> str:
    """An Accept-Encoding value cut down to the codings decoded here (``identity`` if none)."""
    kept = [
        item.strip()
        for item in accept_encoding.split(",")
        if item.partition(";")[0].strip().lower() in {*_WBITS, "identity"}
    ]
    return ", ".join(kept) or "identity"


class BoundedDecoder:
    """Decodes a body's Content-Encoding (``codings``, in the order applied) chunk by chunk,
    raising SourceError as soon as the decoded body would pass ``max_bytes``."""

    def __init__(self, url: str, codings: list[str], max_bytes: int) -> None:
        self._url = url
        self._max_bytes = max_bytes
        self.produced = 0
        named = [c.strip().lower() for c in codings]
        for coding in named:
            if coding in UNBOUNDED:
                raise SourceError(
                    f"{url} is encoded with {coding!r}, which skiptrace does not decode "
                    "(its decoder cannot be held to the size cap)"
                )
        decoded = [c for c in named if c in _WBITS]
        if len(decoded) > 1:
            raise SourceError(
                f"{url} has {len(decoded)} content-encoding layers ({', '.join(decoded)}): "
                "only one is accepted, as stacked layers only multiply a compression bomb"
            )
        self._coding = decoded[0] if decoded else ""
        self._zlib = zlib.decompressobj(_WBITS[self._coding]) if self._coding else None
        self._first = True
        self._fed = False
        """Whether any byte came: a body of none (a 204, a HEAD's answer) is no stream cut."""

    def decode(self, data: bytes) -> bytes:
        """The decoded bytes of the next ``data`` read from the wire."""
        if self._zlib is None:
            return self._count(data)
        self._fed = self._fed or bool(data)
        out = bytearray()
        while data and not self._zlib.eof:
            room = self._max_bytes - self.produced + 1  # one byte over says "too large"
            try:
                piece = self._zlib.decompress(data, room)
            except zlib.error as error:
                if self._first and self._coding == "deflate":
                    # a raw deflate stream without zlib's header, as some servers send (and
                    # httpx accepts): start again with the same first bytes
                    self._first = False
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise SourceError(
                    f"{self._url} could not be decoded ({self._coding}: {error})"
                ) from None
            self._first = False
            out += self._count(piece)
            data = self._zlib.unconsumed_tail  # left over only when ``room`` ran out
        return bytes(out)

    def flush(self) -> bytes:
        """Whatever the decoder still holds once the body has ended (never more than a little:
        all input has been consumed, so nothing is left to expand); SourceError for a stream
        that had not reached its end (a body cut short, its Content-Length counting only the
        bytes sent: its part, handed up, read as the whole page)."""
        if self._zlib is None:
            return b""
        try:
            rest = self._count(self._zlib.flush())
        except zlib.error as error:
            raise SourceError(
                f"{self._url} could not be decoded ({self._coding}: {error})"
            ) from None
        if self._fed and not self._zlib.eof:  # zlib hands up a cut stream's part as it is
            raise SourceError(f"{self._url} could not be decoded ({self._coding}: its stream "
                              "ends before its end: cut short)")  # fmt: skip
        return rest

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        if self.produced > self._max_bytes:
            once = " once decoded" if self._coding else ""
            raise SourceError(f"{self._url} is larger than {self._max_bytes} bytes{once}")
        return piece
