"""The overview assembled from the store: several reports, last year's counts, renamed categories."""

from datetime import date

import pytest

from tracker import service, store
from tracker.errors import InvalidInput, PermissionDenied

from .conftest import SAMPLE


def review_metric(db, rid, anchor):
    return next(m for m in store.report_metrics(db, rid, "review") if anchor in m["quote"])


def test_overview_of_the_sample(seeded, db):
    ov = service.overview(db, seeded, date(2023, 7, 1))
    assert (12, 0) == (ov.kpi["total"], ov.kpi["done"])
    assert [1, 2, 3, 4] == ov.by_section["section"].tolist()
    assert [(10, "家"), (2, "次")] == list(zip(ov.goals["target"], ov.goals["unit"], strict=True))
    assert 27 == len(ov.yoy)
    assert 6 == ov.yoy["last_year_known"].sum()  # 27 review counts, 21 of them redacted


def test_default_as_of_stays_inside_the_plan_year():
    assert date(2023, 12, 31) == service.default_as_of(2023, date(2026, 11, 26))
    assert date(2027, 1, 1) == service.default_as_of(2027, date(2026, 11, 26))
    assert date(2026, 5, 1) == service.default_as_of(2026, date(2026, 5, 1))


def test_the_previous_reports_logged_counts_stand_in_for_redacted_ones(db, users):
    raw = SAMPLE.read_bytes()
    first = service.import_file(db, raw, SAMPLE.name, store.SYSTEM_USER, org="某市政协")["report_id"]
    proposals = review_metric(db, first, "收到委员提案***件")
    store.record(db, users["staff"], "activity", proposals["id"], amount=180, date="2023-02-10")
    store.record(db, users["staff"], "activity", proposals["id"], amount=20, date="2023-03-10")
    next_year = SAMPLE.read_text(encoding="utf-8").replace("2023", "2024").replace("2022", "2023")
    second = service.import_file(db, next_year.encode("utf-8"), "next.txt", store.SYSTEM_USER, org="某市政协")
    assert first != second["report_id"]
    yoy = service.overview(db, second["report_id"], date(2024, 7, 1)).yoy.set_index("quote")
    row = yoy.loc[proposals["quote"]]
    assert (200.0, True, "上年登记") == (row["last_year"], row["last_year_known"], row["last_year_source"])
    known = yoy.loc[review_metric(db, second["report_id"], "专题协商7次")["quote"]]
    assert (7, "报告") == (known["last_year"], known["last_year_source"])


def test_admins_rename_a_category_and_undo_restores_it(seeded, db, users):
    metric = review_metric(db, seeded, "专题协商7次")
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "category", metric["id"], value="专题协商会")
    event = store.record(db, users["admin"], "category", metric["id"], value="专题协商会")
    yoy = service.overview(db, seeded, date(2023, 7, 1)).yoy.set_index("id")
    assert "专题协商会（次）" == yoy.at[metric["id"], "category"]
    store.record(db, users["admin"], "undo", str(event))
    yoy = service.overview(db, seeded, date(2023, 7, 1)).yoy.set_index("id")
    assert f"{metric['activity']}（次）" == yoy.at[metric["id"], "category"]
    with pytest.raises(InvalidInput):
        store.record(
            db, users["admin"], "category", store.report_metrics(db, seeded, "plan")[0]["id"], value="x"
        )
