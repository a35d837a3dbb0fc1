"""Read + parse: a document's bytes or path -> Report."""

from __future__ import annotations

from pathlib import Path

from tracker.model import Report
from tracker.parse import parse_report
from tracker.read import read_document_layout, read_path_layout


def extract_document(data: bytes, filename: str) -> Report:
    """Extract a Report from a document's bytes; the filename only chooses the reader."""
    return parse_report(*read_document_layout(data, filename))


def extract_path(path: str | Path) -> Report:
    """Extract a Report from a document on disk."""
    return parse_report(*read_path_layout(path))
