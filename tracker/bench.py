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


# --- concurrent writers, the large database, the overview (issue 8) ----------------------------


def _write_entries(
    path: str, username: str, goals: list[str], writer: int, entries: int, ready, go, out
) -> None:
    """One staff member: record `entries` progress entries on the shared goals, as fast as possible.

    Puts (writer, [(note, latency s)], [error text]) on `out`; an error that reaches this caller is
    one a user would have seen.
    """
    from tracker import store

    db = store.connect(path)
    done, errors = [], []
    ready.release()
    go.wait()
    for j in range(entries):
        note = f"w{writer}-e{j}"
        t0 = time.perf_counter()
        try:
            store.record(db, username, "progress", goals[(writer + j) % len(goals)], amount=1 + j % 3,
                         date="2023-06-01", note=note)  # fmt: skip
        except Exception as e:  # counted and shown, never swallowed: the caller asserts there are none
            errors.append(f"{type(e).__name__}: {e}")
            continue
        done.append((note, time.perf_counter() - t0))
    db.conn.close()
    out.put((writer, done, errors))


def concurrent_writers(path: str | Path, username: str, goals: list[str], threads: int = 10,
                       processes: int = 10, entries: int = 20) -> dict:  # fmt: skip
    """`threads` threads and `processes` processes, each with its own connection, start together
    and record `entries` progress entries each on the same goals through store.record.

    Returns {"notes": every note stored by a writer that returned, "errors": [...], "seconds",
    "latencies": [s, ...], "expected": {note: amount}}.
    """
    import multiprocessing
    import threading

    ctx = multiprocessing.get_context("spawn")
    ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    args = [
        (str(path), username, list(goals), w, entries, ready, go, out) for w in range(threads + processes)
    ]
    workers = [threading.Thread(target=_write_entries, args=a) for a in args[:threads]]
    workers += [ctx.Process(target=_write_entries, args=a) for a in args[threads:]]
    for w in workers:
        w.start()
    for _ in workers:
        ready.acquire()  # every writer has its connection open: start them at once
    t0 = time.perf_counter()
    go.set()
    results = [out.get(timeout=600) for _ in workers]
    seconds = time.perf_counter() - t0
    for w in workers:
        w.join()
    notes, latencies, errors = [], [], []
    for _, done, errs in results:
        notes += [n for n, _ in done]
        latencies += [s for _, s in done]
        errors += errs
    expected = {f"w{w}-e{j}": 1 + j % 3 for w in range(threads + processes) for j in range(entries)}
    return {
        "notes": notes,
        "latencies": latencies,
        "errors": errors,
        "seconds": seconds,
        "expected": expected,
    }
