"""Benchmarks that print figures (never timed assertions): extraction speed over a corpus, import,
the overview's data, concurrent writers, and a real run of the 总览 page through AppTest (which
imports streamlit inside the function, so importing this module never loads it)."""

from __future__ import annotations

import os
import statistics
import sys
import time
import types
from pathlib import Path

from tracker.extract import extract_document
from tracker.model import PLAN, Role, Status

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
_SUFFIXES = (".txt", ".docx", ".pdf")


def bench_extract(corpus_dir: str | Path = DEFAULT_CORPUS, repeat: int = 5) -> list[dict]:
    """Read + parse every document in corpus_dir; one row a file with the best of `repeat` runs.

    Each run also times `naive_extract` on the same bytes, interleaved with ours, so the two are
    measured under the same load (issue 15: ours must stay at least half the naive one's speed).
    """
    rows = []
    for path in sorted(Path(corpus_dir).iterdir()):
        if path.suffix.lower() not in _SUFFIXES:
            continue
        data = path.read_bytes()
        best = naive = float("inf")
        items = metrics = found = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            report = extract_document(data, path.name)
            t1 = time.perf_counter()
            found = len(naive_extract(data, path.name))
            t2 = time.perf_counter()
            best, naive = min(best, t1 - t0), min(naive, t2 - t1)
            items, metrics = len(report.items), len(report.metrics)
        rows.append(
            {
                "file": path.name,
                "bytes": len(data),
                "ms": best * 1000,
                "mb_per_s": len(data) / 1e6 / best if best else float("inf"),
                "items": items,
                "metrics": metrics,
                "naive_ms": naive * 1000,
                "naive_found": found,
            }
        )
    return rows


# a naive extractor, the yardstick of `bench extract`: one regex for a number and a measure word,
# cn2an on the Chinese numerals it matched; no parts, sections, items, activities or rules
_NAIVE = None


def naive_extract(data: bytes, filename: str) -> list[tuple[float, str]]:
    """(value, unit) for every number followed by a measure word in the document's text."""
    import re

    import cn2an

    from tracker.numbers import UNITS
    from tracker.read import read_document

    global _NAIVE
    if _NAIVE is None:
        units = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
        _NAIVE = re.compile(
            rf"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)\s*((?:万|亿)?(?:{units}))"
        )
    out = []
    for m in _NAIVE.finditer(read_document(data, filename)):
        number = m.group(1)
        try:
            value = float(number) if number[0].isdigit() else float(cn2an.cn2an(number, "smart"))
        except (ValueError, KeyError):
            continue
        out.append((value, m.group(2)))
    return out


# --- precision against complete gold (issue 13) ------------------------------------------------
# Gold files as ../shared/tools/score_extraction.py reads them: a category counts for precision
# unless the gold marks it incomplete ("complete": {"metrics": false}); negatives are skipped.
FIXTURE_GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "gold"
GOLD_DIRS = (DEFAULT_CORPUS, FIXTURE_GOLD)
_PUNCT = "。.,，;；:：!！?？ \t\r\n"
_SCALES = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3), ("百", 1e2))


def _norm(text: str | None) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split()).strip(_PUNCT)


def _base(value, unit: str | None) -> tuple[float | None, str]:
    unit = _norm(unit)
    for prefix, factor in _SCALES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return (None if value is None else float(value) * factor), unit[len(prefix) :]
    return (None if value is None else float(value)), unit


def _metric_matches(gold: dict, m) -> bool:
    if gold["anchor"] not in m.quote or m.part != gold["part"] or bool(m.redacted) != gold["redacted"]:
        return False
    got_value, got_unit = _base(None if gold["redacted"] else m.value, m.unit)
    want_value, want_unit = _base(gold["value"], gold["unit"])
    if got_unit != want_unit:
        return False
    if gold["redacted"]:
        return m.value is None
    return got_value is not None and abs(got_value - want_value) <= 1e-9 * max(1.0, abs(want_value))


def score_report(report, gold: dict) -> dict:
    """{"items": (found, wanted, extracted), "metrics": (...)} for the categories gold holds
    completely, matched as the shared scorer matches them (items by part and title, a gold item
    reported as a section found too; metrics by part, unit, value and anchor in the quote)."""
    complete = gold.get("complete", {})
    out: dict[str, tuple[int, int, int]] = {}
    if "items" in gold and complete.get("items", True):
        want = {(p, _norm(t)) for p, rows in gold["items"].items() for _, t in rows}
        got = {(i.part, _norm(i.title)) for i in report.items}
        sections = {(s.part, _norm(s.title)) for s in report.sections}
        out["items"] = (len(want & (got | sections)), len(want), len(got))
    if "metrics" in gold and complete.get("metrics", True):
        used: set[int] = set()
        for g in gold["metrics"]:
            j = next(
                (j for j, m in enumerate(report.metrics) if j not in used and _metric_matches(g, m)), None
            )
            if j is not None:
                used.add(j)
        out["metrics"] = (len(used), len(gold["metrics"]), len(report.metrics))
    return out


def bench_precision(gold_dirs=GOLD_DIRS) -> list[dict]:
    """One row a gold file found in gold_dirs that holds items or metrics completely."""
    import json

    from tracker.extract import extract_path

    rows = []
    for d in gold_dirs:
        for gpath in sorted(Path(d).glob("*.gold.json")):
            gold = json.loads(gpath.read_text(encoding="utf-8"))
            doc = gpath.parent / gold.get("document", "")
            if gold.get("negative") or not doc.is_file():
                continue
            scores = score_report(extract_path(doc), gold)
            if scores:
                rows.append({"gold": f"{gpath.parent.name}/{gpath.name}", **scores})
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

    done, errors = [], []
    try:
        db = store.connect(path)
    except Exception as e:  # said, never a silent death that leaves the others waiting for this one
        ready.release()
        out.put((writer, done, [f"{type(e).__name__}: {e}"]))
        return
    ready.release()
    go.wait()
    for j in range(entries):
        note = f"w{writer}-e{j}"
        t0 = time.perf_counter()
        try:
            store.record(
                db,
                username,
                "progress",
                goals[(writer + j) % len(goals)],
                amount=1 + j % 3,
                date="2023-06-01",
                note=note,
            )
        except Exception as e:  # counted and shown, never swallowed: the caller asserts there are none
            errors.append(f"{type(e).__name__}: {e}")
            continue
        done.append((note, time.perf_counter() - t0))
    store.close(db)
    out.put((writer, done, errors))


def concurrent_writers(
    path: str | Path,
    username: str,
    goals: list[str],
    threads: int = 10,
    processes: int = 10,
    entries: int = 20,
) -> dict:
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
    # a spawned child re-runs the parent's __main__; under AppTest that is app.py (a page that opens
    # and seeds the default database), so the children start from an empty one instead
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for w in workers:
            w.start()
    finally:
        if main is not None:
            sys.modules["__main__"] = main
    for _ in workers:  # every writer has its connection open: start them at once
        if not ready.acquire(timeout=120):
            go.set()
            raise RuntimeError("a writer did not start within 120 s")
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


def bench_import(sample: str | Path | None = None, repeat: int = 5) -> dict:
    """Extract + import the sample into a fresh database, best and median of `repeat` (ms)."""
    import statistics
    import tempfile

    from tracker import service, store

    sample = Path(sample) if sample else store.SAMPLE_REPORT
    data = sample.read_bytes()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(repeat):
            db = store.connect(Path(tmp) / f"import-{n}.db")
            t0 = time.perf_counter()
            result = service.import_file(db, data, sample.name, store.SYSTEM_USER)
            times.append(time.perf_counter() - t0)
            store.close(db)
    return {
        "file": sample.name,
        "items": result["items"],
        "metrics": result["metrics"],
        "best_ms": 1000 * min(times),
        "median_ms": 1000 * statistics.median(times),
    }


def bench_overview_data(path: str | Path, repeat: int = 20, today: str | None = None) -> dict:
    """What one 总览 run asks the database for, on a fresh connection each time: the report list,
    the data version and service.overview() of the report the sidebar shows first. Median and max (ms)."""
    import statistics
    from datetime import date

    from tracker import service, store

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        db = store.connect(path)
        reports = store.list_reports(db)
        service.data_version(db)
        first = reports[0]
        as_of = service.default_as_of(first["plan_year"], date.fromisoformat(today) if today else None)
        ov = service.overview(db, first["id"], as_of)
        times.append(time.perf_counter() - t0)
        store.close(db)
    return {
        "reports": len(reports),
        "items": len(ov.items),
        "goals": len(ov.goals),
        "kpi": ov.kpi,
        "median_ms": 1000 * statistics.median(times),
        "max_ms": 1000 * max(times),
    }


def sample_database(path: str | Path) -> Path:
    """A database with the bundled sample, a leader and a staff account, a few entries: the small case."""
    from tracker import generate, service, store

    path = Path(path)
    db = service.open_default(path)
    if store.get_user(db, "leader") is None:
        from argon2 import PasswordHasher

        pw = PasswordHasher().hash(generate.PASSWORD)
        store.insert_user(db, "leader", Role.LEADER, pw, by=None)
        store.insert_user(db, "staff01", Role.STAFF, pw, by=None)
        rid = store.list_reports(db)[0]["id"]
        item = store.report_items(db, rid)[0]["id"]
        store.record(db, "staff01", "status", item, value=Status.DONE, date="2023-04-15")
        for m in store.report_metrics(db, rid, PLAN):
            store.record(db, "staff01", "progress", m["id"], amount=1, date="2023-05-01")
    store.close(db)
    return path


def concurrency_report(path: str | Path, writers: int = 20, entries: int = 200) -> dict:
    """The long run: `writers` (half threads, half processes) on the sample's goals; checks that
    every entry is stored once and the cached progress equals the entries' sum."""
    from collections import Counter

    from tracker import store

    path = Path(path)
    sample_database(path)
    db = store.connect(path)
    rid = store.list_reports(db)[0]["id"]
    goals = [m["id"] for m in store.report_metrics(db, rid, PLAN)]
    before = {m["id"]: m["progress"] for m in store.report_metrics(db, rid, PLAN)}
    threads = writers // 2
    result = concurrent_writers(
        path, "staff01", goals, threads=threads, processes=writers - threads, entries=entries
    )
    notes = set(result["expected"])
    events = [
        e
        for e in store.events_for(db, report_id=rid, actions=("progress",), limit=10**9)
        if e["note"] in notes
    ]
    stored = Counter(e["note"] for e in events)
    after = {m["id"]: m["progress"] for m in store.report_metrics(db, rid, PLAN)}
    added = sum(after[g] - before[g] for g in goals)
    lat = sorted(result["latencies"])
    store.close(db)
    return {
        "writers": writers,
        "entries": len(result["expected"]),
        "seconds": result["seconds"],
        "per_second": len(lat) / result["seconds"] if result["seconds"] else 0.0,
        "p50_ms": 1000 * lat[len(lat) // 2] if lat else 0.0,
        "p95_ms": 1000 * lat[int(len(lat) * 0.95)] if lat else 0.0,
        "max_ms": 1000 * lat[-1] if lat else 0.0,
        "errors": result["errors"],
        "missing": len(notes - set(stored)),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "sum_ok": abs(added - sum(result["expected"].values())) < 1e-9,
    }


# --- the 总览 page, run through AppTest -----------------------------------------------------------


def time_overview_page(
    db_path: str | Path, username: str, role: str, repeat: int = 5, today: str | None = None
) -> dict:
    """Run app.py as the signed-in `username` (总览 is the default page) `repeat` times.

    "cold" runs clear st.cache_data first (the first view after a write); "warm" runs reuse it
    (a leader switching back to the page). Returns medians and maxima in milliseconds.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    _quiet_streamlit()

    saved = {k: os.environ.get(k) for k in ("TRACKER_DB", "TRACKER_TODAY")}
    os.environ["TRACKER_DB"] = str(db_path)
    if today:
        os.environ["TRACKER_TODAY"] = today
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["user"] = {"name": username, "role": role}
        at.session_state["last_seen"] = time.time()
        at.run()  # first run: imports and page set-up, not what a visitor waits for on each view
        if at.exception:
            raise RuntimeError(f"总览 raised: {at.exception[0].message}")
        title = at.title[0].value if at.title else ""
        _quiet_streamlit()  # cache_data.clear() outside a server warns on every call
        cold, warm = [], []
        for _ in range(repeat):
            st.cache_data.clear()
            at.session_state["last_seen"] = time.time()
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
        for _ in range(repeat):
            at.session_state["last_seen"] = time.time()
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"总览 raised: {at.exception[0].message}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {
        "title": title,
        "cold_ms": 1000 * statistics.median(cold),
        "cold_max_ms": 1000 * max(cold),
        "warm_ms": 1000 * statistics.median(warm),
        "warm_max_ms": 1000 * max(warm),
    }


def _quiet_streamlit() -> None:
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
