"""Every query of the event log the pages and exports run uses an index (issue 15: the 任务 page's
look-up by target_id scanned all events). The SQL is captured from the real calls and given to
EXPLAIN QUERY PLAN: a plan, not a timing."""

import pytest

from tracker import store
from tracker.store import events

from .conftest import make_report


@pytest.fixture
def ids(db, users):
    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    item = store.report_items(db, rid)[0]["id"]
    goal = store.report_metrics(db, rid, "plan")[0]["id"]
    store.record(db, users["staff"], "progress", goal, amount=1, date="2023-03-01")
    return rid, item


CALLS = {
    "events_for(target_id)": lambda db, rid, item: store.events_for(db, target_id=item, limit=100),
    "events_for(target_id, report_id)": lambda db, rid, item: store.events_for(
        db, target_id=item, report_id=rid
    ),
    "events_for(report_id, actions)": lambda db, rid, item: store.events_for(
        db, report_id=rid, actions=("activity",)
    ),
    "events_for(report_id)": lambda db, rid, item: store.events_for(db, report_id=rid),
    "activity_counts": lambda db, rid, item: store.activity_counts(db, rid, 2022),
    "logged_by_category": lambda db, rid, item: store.logged_by_category(db, rid, 2022),
    "done_dates": lambda db, rid, item: store.done_dates(db, rid),
    "report_events": lambda db, rid, item: store.report_events(db, rid),
    "corrections_for": lambda db, rid, item: store.corrections_for(db, "source-key"),
    "items_to_review": lambda db, rid, item: store.items_to_review(db, rid),
    "is_undone": lambda db, rid, item: events.is_undone(db, 1),
}


def plans(db, call) -> list[list[str]]:
    """The query plan of each statement on events that `call` runs."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [
        [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
        for sql in statements
        if " events" in sql and sql.lstrip().upper().startswith("SELECT")
    ]


@pytest.mark.parametrize("name", list(CALLS))
def test_event_queries_search_an_index_and_never_scan_the_log(db, ids, name):
    found = plans(db, lambda: CALLS[name](db, *ids))
    assert found, "the call ran no query on events"
    for plan in found:
        scans = [step for step in plan if step.startswith("SCAN")]
        assert [] == scans, plan
        assert any("USING" in step and "INDEX" in step for step in plan), plan


def test_the_history_of_one_row_uses_the_target_id_index(db, ids):
    """By target_id alone (the 任务 page): events_target starts with target_type and cannot serve it."""
    [plan] = plans(db, lambda: store.events_for(db, target_id=ids[1], limit=100))
    assert "SEARCH e USING INDEX events_target_id (target_id=?)" == plan[0]
