"""The benchmark database generator: the counts it promises, state consistent with its event log."""

from datetime import date

from tracker import generate, service, store


def test_generated_database_has_the_asked_counts_and_state_that_rebuilds_to_itself(tmp_path):
    path = tmp_path / "large.db"
    counts = generate.generate(path, orgs=3, years=2, items_per_report=20, events_per_report=150)

    assert counts == {
        "users": 22,
        "reports": 6,
        "sections": 60,
        "items": 120,
        "metrics": 108,
        "events": 900 + 22,
    }
    db = store.connect(path)

    def state():
        return (
            [tuple(r.values()) for r in db.query("SELECT id, status, owner, due FROM items ORDER BY id")],
            [tuple(r.values()) for r in db.query("SELECT id, progress FROM metrics ORDER BY id")],
        )

    before = state()
    store.rebuild_state(db)
    assert before == state()
    # something happened: commitments done, goal progress, activities logged this year
    report = store.list_reports(db)[0]
    ov = service.overview(db, report["id"], date(report["plan_year"], 7, 1))
    assert ov.kpi["total"] == 12
    assert ov.kpi["done"] > 0
    assert ov.goals["progress"].sum() > 0
    assert ov.yoy["this_year"].sum() > 0


def test_the_same_seed_gives_the_same_database(tmp_path):
    a = generate.generate(
        tmp_path / "a.db", orgs=2, years=1, items_per_report=10, events_per_report=50, seed=3
    )
    b = generate.generate(
        tmp_path / "b.db", orgs=2, years=1, items_per_report=10, events_per_report=50, seed=3
    )
    assert a == b
    rows = [
        list(store.connect(tmp_path / name).query("SELECT target_id, action, amount FROM events ORDER BY id"))
        for name in ("a.db", "b.db")
    ]
    assert rows[0] == rows[1]
