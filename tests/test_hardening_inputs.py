"""Issue 17, "also seen": progress and activity dates far outside the report's years, and a
5,000-character upload file name, were accepted."""

import pytest

from tracker import intake, store
from tracker.errors import InvalidInput, UnsupportedDocument

from .conftest import SAMPLE


def first_metric(db, report_id, part):
    return next(m for m in store.report_metrics(db, report_id) if m["part"] == part)


@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-31", "2020-12-31", "2025-01-01"])
@pytest.mark.parametrize("action, part", [("progress", "plan"), ("activity", "review")])
def test_dates_outside_the_reports_years_are_refused(db, seeded, users, action, part, day):
    metric = first_metric(db, seeded, part)
    events = db["events"].count
    with pytest.raises(InvalidInput, match="2021–2024"):  # the sample: review 2022, plan 2023
        store.record(db, users["staff"], action, metric["id"], amount=1, date=day)
    assert events == db["events"].count


@pytest.mark.parametrize("day", ["2021-01-01", "2023-06-30", "2024-12-31"])
def test_dates_within_the_reports_years_are_kept(db, seeded, users, day):
    metric = first_metric(db, seeded, "plan")
    event = store.record(db, users["staff"], "progress", metric["id"], amount=1, date=day)
    assert day == store.get_row(db, "events", event)["date"]


@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-31", "2020-12-31", "2025-01-01"])
def test_a_status_change_dated_outside_the_reports_years_is_refused(db, seeded, users, day):
    item = store.report_items(db, seeded)[0]
    events = db["events"].count
    with pytest.raises(InvalidInput, match="2021–2024"):
        store.record(db, users["staff"], "status", item["id"], value="已完成", date=day)
    assert (events, "未开始") == (db["events"].count, store.get_row(db, "items", item["id"])["status"])
    # a date the caller claims to have checked is not taken from outside the library
    with pytest.raises(InvalidInput, match="2021–2024"):
        store.record(db, users["staff"], "status", item["id"], value="已完成", date=day, checked_date=day)


def test_a_status_change_keeps_a_date_within_the_reports_years(db, seeded, users):
    item = store.report_items(db, seeded)[0]
    event = store.record(db, users["staff"], "status", item["id"], value="已完成", date="2023-04-15")
    assert "2023-04-15" == store.get_row(db, "events", event)["date"]


def test_progress_dated_today_far_from_the_reports_years_still_starts_its_commitment(
    db, seeded, users, monkeypatch
):
    # the automatic 推进中 takes the progress entry's date: today when none was given, unchecked
    monkeypatch.setenv("TRACKER_TODAY", "2030-05-01")
    metric = first_metric(db, seeded, "plan")
    store.record(db, users["staff"], "progress", metric["id"], amount=1)
    item = store.get_row(db, "items", metric["item_id"])
    assert "推进中" == item["status"]


def test_an_overlong_file_name_is_refused_with_a_clear_message(db):
    with pytest.raises(UnsupportedDocument, match="文件名过长（5004 个字符，最多 200 个）"):
        intake.start(db, SAMPLE.read_bytes(), "报" * 5000 + ".txt")
    name = "报" * 196 + ".txt"
    assert name == intake.check_filename(name)
