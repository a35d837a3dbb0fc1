"""pdfminer inflates every stream whole (FlateDecode through zlib.decompress, LZW through one join):
a 51 KB PDF took 50 MB, a 20 MB one could take 20 GB (issue 17). Within `inflation_budget(n)` the
streams of the read in progress inflate to n bytes in all, then UnsupportedDocument; outside it
pdfminer behaves as it always did."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from tracker.errors import UnsupportedDocument

_BUDGET: ContextVar[list[int] | None] = ContextVar("pdf_inflation_budget", default=None)


@contextmanager
def inflation_budget(limit: int) -> Iterator[None]:
    """Bound pdfminer's stream inflation (Flate, LZW) to `limit` bytes for this thread's read."""
    import pdfminer.pdftypes

    pdfminer.pdftypes.zlib = _BoundedZlib  # the module's only use of zlib is inflating streams
    pdfminer.pdftypes.lzwdecode = _lzwdecode
    token = _BUDGET.set([limit])
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _spend(size: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget[0] -= size
        if budget[0] < 0:
            raise UnsupportedDocument("PDF 文件解压后过大（疑似压缩炸弹），已拒绝")


def _inflate(decompressor, data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is None:
        return decompressor.decompress(data)
    out = decompressor.decompress(data, max(1, budget[0] + 1))  # never more than one byte past the budget
    _spend(len(out))
    return out


class _BoundedDecompressor:
    def __init__(self) -> None:
        self._d = zlib.decompressobj()

    def decompress(self, data: bytes) -> bytes:
        return _inflate(self._d, data)


class _BoundedZlib:
    """What pdfminer.pdftypes calls `zlib`: decompress (raising on a truncated stream, as zlib does, so
    pdfminer falls back to its byte-by-byte reader) and decompressobj, both within the budget."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        d = zlib.decompressobj()
        out = _inflate(d, data)
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj() -> _BoundedDecompressor:
        return _BoundedDecompressor()


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    chunks = []
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        _spend(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks)
