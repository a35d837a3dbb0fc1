"""Benchmarks that print figures (never timed assertions): extraction speed over a corpus."""

from __future__ import annotations

import time
from pathlib import Path

from tracker.parse import parse_report
from tracker.read import read_document

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_SUFFIXES = (".txt", ".docx", ".pdf")


def bench_extract(corpus_dir: str | Path = DEFAULT_CORPUS, repeat: int = 5) -> list[dict]:
    """Read + parse every document in corpus_dir; one row a file with the best of `repeat` runs."""
    rows = []
    for path in sorted(Path(corpus_dir).iterdir()):
        if path.suffix.lower() not in _SUFFIXES:
            continue
        data = path.read_bytes()
        best = float("inf")
        items = metrics = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            report = parse_report(read_document(data, path.name))
            best = min(best, time.perf_counter() - t0)
            items, metrics = len(report.items), len(report.metrics)
        rows.append(
            {
                "file": path.name,
                "bytes": len(data),
                "ms": best * 1000,
                "mb_per_s": len(data) / 1e6 / best if best else float("inf"),
                "items": items,
                "metrics": metrics,
            }
        )
    return rows
