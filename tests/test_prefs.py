"""Each account's last chosen organisation and report are remembered; leaders land on their
organisation's current plan year, not the newest import (issue 12)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tracker import store
from tracker.errors import NotFound
from tracker.ui.common import landing

from .conftest import ROOT


def report(rid: str, org: str, plan_year: int) -> dict:
    return {"id": rid, "org": org, "title": "", "filename": "", "plan_year": plan_year}


# as store.list_reports orders them: latest plan year first
REPORTS = [
    report("a25", "甲市政协", 2025),
    report("a24", "甲市政协", 2024),
    report("b24", "乙县政协", 2024),
    report("b23", "乙县政协", 2023),
]


def test_staff_and_admins_land_on_the_report_they_chose_last():
    prefs = {"org": "乙县政协", "report_id": "b23"}
    assert ("乙县政协", "b23") == landing(REPORTS, "staff", prefs, 2024)
    assert ("乙县政协", "b23") == landing(REPORTS, "admin", prefs, 2024)
    # a saved report that no longer exists: the saved organisation's current year
    assert ("乙县政协", "b24") == landing(REPORTS, "staff", {"org": "乙县政协", "report_id": "gone"}, 2024)


def test_leaders_land_on_their_organisations_current_plan_year():
    assert ("乙县政协", "b24") == landing(REPORTS, "leader", {"org": "乙县政协", "report_id": "b23"}, 2024)
    assert ("甲市政协", "a24") == landing(REPORTS, "leader", {"org": "甲市政协", "report_id": "a25"}, 2024)
    # no report for this year: the latest plan year
    assert ("乙县政协", "b24") == landing(REPORTS, "leader", {"org": "乙县政协", "report_id": None}, 2026)


def test_without_a_saved_choice_the_organisation_with_this_years_report():
    assert ("乙县政协", "b23") == landing(REPORTS, "staff", None, 2023)  # not 甲市政协's newer 2025
    assert ("甲市政协", "a25") == landing(REPORTS, "leader", None, 2025)
    # both have 2024: the one with the latest plan year, then by name
    assert ("甲市政协", "a24") == landing(REPORTS, "leader", None, 2024)
    assert ("甲市政协", "a25") == landing(REPORTS, "staff", None, 2030)


def test_prefs_are_one_row_per_user_overwritten(db, users):
    assert store.get_prefs(db, users["staff"]) is None
    store.save_prefs(db, users["staff"], "甲市政协", "a24")
    store.save_prefs(db, users["staff"], "乙县政协", "b23")
    saved = store.get_prefs(db, users["staff"])
    assert ("乙县政协", "b23") == (saved["org"], saved["report_id"])
    assert saved["updated_at"].endswith("Z")
    assert 1 == db["user_prefs"].count
    with pytest.raises(NotFound):
        store.save_prefs(db, "nobody", "甲市政协", "a24")


@pytest.fixture
def two_years(db, sample_report, monkeypatch) -> tuple[str, str]:
    """The sample (plan year 2023) and a newer import of a 2024 plan for the same organisation."""
    monkeypatch.setenv("TRACKER_TODAY", "2023-06-30")
    this = store.import_report(db, sample_report, store.SYSTEM_USER)["report_id"]
    later = replace(sample_report, review_year=2023, plan_year=2024, text=sample_report.text + "\n")
    newer = store.import_report(db, later, store.SYSTEM_USER)["report_id"]
    return this, newer


def sign_in(users, role: str) -> AppTest:
    """A fresh session (a new login) of `role`'s account."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": users[role], "role": role}
    at.session_state["last_seen"] = time.time()
    return at.run()


def test_a_choice_is_restored_at_the_next_login_but_a_leader_lands_on_this_year(db, users, two_years):
    this, newer = two_years
    for role in ("staff", "leader"):
        at = sign_in(users, role)
        assert not at.exception
        assert this == at.session_state["report_id"]  # this year's plan, not the newest import
        assert store.get_prefs(db, users[role]) is None  # landing is no choice
        at.selectbox(key="report_id").set_value(newer).run()
        assert (at.session_state["org"], newer) == (
            store.get_prefs(db, users[role])["org"],
            store.get_prefs(db, users[role])["report_id"],
        )
    assert newer == sign_in(users, "staff").session_state["report_id"]
    assert this == sign_in(users, "leader").session_state["report_id"]


def test_organisation_chosen_in_the_sidebar_is_remembered(db, users, sample_report, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-06-30")
    store.import_report(db, sample_report, store.SYSTEM_USER, org="甲市政协")
    other = store.import_report(db, sample_report, store.SYSTEM_USER, org="乙县政协")["report_id"]
    at = sign_in(users, "leader")
    assert "乙县政协" == at.session_state["org"]  # both have 2023: the first by name
    at.selectbox(key="org").set_value("甲市政协").run()
    assert "甲市政协" == store.get_prefs(db, users["leader"])["org"]
    again = sign_in(users, "leader")
    assert ("甲市政协", "甲市政协") == (again.session_state["org"], again.selectbox(key="org").value)
    assert other != again.session_state["report_id"]
