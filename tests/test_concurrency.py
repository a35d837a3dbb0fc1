"""Twenty staff saving progress on the same goals at once (10 threads + 10 processes, each with its own
connection): every entry is stored exactly once and no "database is locked" reaches a caller (issue 8).
The longer run is `python -m tracker bench concurrency`."""

from collections import Counter

from tracker import store
from tracker.bench import concurrent_writers

from .conftest import make_report


def test_twenty_concurrent_writers_lose_nothing_and_duplicate_nothing(db, db_file, users):
    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    goals = [m["id"] for m in store.report_metrics(db, rid, "plan")]

    result = concurrent_writers(db_file, users["staff"], goals, threads=10, processes=10, entries=15)

    assert result["errors"] == []
    expected = result["expected"]
    assert len(expected) == 300
    assert sorted(expected) == sorted(result["notes"])
    events = store.events_for(store.connect(db_file), report_id=rid, actions=("progress",), limit=10_000)
    stored = Counter(e["note"] for e in events)
    assert {note: 1 for note in expected} == dict(stored)
    assert {note: float(amount) for note, amount in expected.items()} == {
        e["note"]: e["amount"] for e in events
    }
    # the cached progress of each goal is the sum of its own entries
    by_goal = Counter()
    for e in events:
        by_goal[e["target_id"]] += e["amount"]
    progress = {m["id"]: m["progress"] for m in store.report_metrics(store.connect(db_file), rid, "plan")}
    assert dict(by_goal) == progress
    assert float(sum(expected.values())) == sum(progress.values())
