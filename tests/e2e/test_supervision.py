"""督办 in a real browser (issue 16): a unit's staff member lands on 我的任务 and files a report with an
evidence file; a leader writes an instruction on 督办; the unit then sees it and marks it read."""

import pytest
from playwright.sync_api import expect

from tests.e2e import ui
from tests.e2e.conftest import start_app, stop_app
from tracker import auth, service, store
from tracker.model import PLAN

pytestmark = pytest.mark.e2e

ADMIN, UNIT_STAFF, LEADER = (
    ("admin", "office-key-7"),
    ("tian", "unit-pass-1"),
    ("mishuzhang", "leader-pass-1"),
)


def prepare(path) -> dict:
    """The sample, an admin, a leader, 提案委员会 leading the first commitment with an account, 2023-06 open."""
    db = service.open_default(path)
    auth.add_user(db, ADMIN[0], "admin", ADMIN[1], by=None)
    auth.add_user(db, LEADER[0], "leader", LEADER[1], by=None)
    store.manage_unit(db, None, "提案委员会", email="tian@example.gov.cn")
    auth.add_user(db, UNIT_STAFF[0], "staff", UNIT_STAFF[1], by=None, unit="提案委员会")
    rid = store.list_reports(db)[0]["id"]
    first = store.report_items(db, rid, PLAN)[0]
    store.record(db, ADMIN[0], "assign", first["id"], value={"lead": "提案委员会", "co": []})
    store.record(db, ADMIN[0], "cycle_open", "2023-06")
    store.close(db)
    return first


def test_a_unit_files_a_report_with_evidence_and_reads_the_leaders_instruction(page, tmp_path):
    first = prepare(tmp_path / "tracker.db")
    evidence = tmp_path / "座谈会纪要.txt"
    evidence.write_text("6月20日召开提案办理座谈会，12位委员参加。\n", encoding="utf-8")
    proc, url = start_app(tmp_path / "tracker.db", tmp_path / "streamlit.log")
    try:
        # the unit's staff member lands on 我的任务 and sees only its pages
        ui.open_app(page, url)
        ui.login(page, *UNIT_STAFF)
        expect(page.locator("h1").first).to_have_text("我的任务")
        assert ["我的任务", "任务", "历史"] == [t.split()[-1] for t in ui.nav_titles(page)]
        cell = page.locator("[data-testid='stDataFrame'] td", has_text=first["title"])
        expect(cell.first).to_be_attached()  # the grid is a canvas: its accessible table is hidden
        # ... and files the June report with a file
        page.locator(".st-key-my_report_text textarea").fill("已召开提案办理座谈会，形成会议纪要。")
        page.locator(".st-key-my_files input[type='file']").set_input_files(str(evidence))
        expect(page.get_by_text("座谈会纪要.txt").first).to_be_visible()
        ui.click_button(page, "报送")
        expect(page.get_by_text("已报送 2023-06 进展")).to_be_visible()
        expect(page.get_by_role("button", name="下载 座谈会纪要.txt（0 KB）").first).to_be_visible()
        ui.logout(page)

        # the leader writes an instruction on the commitment from 督办
        ui.login(page, *LEADER)
        ui.go(page, "督办")
        expect(page.get_by_text("按时").first).to_be_visible()
        page.locator(".st-key-duban_item_comment_text textarea").fill("请于月底前报送办理成效。")
        ui.click_button(page, "提交批示")
        expect(page.get_by_text("已提交批示")).to_be_visible()
        ui.logout(page)

        # the unit sees it on 我的任务 and marks it read
        ui.login(page, *UNIT_STAFF)
        expect(page.get_by_text("请于月底前报送办理成效。").first).to_be_visible()
        ui.click_button(page, "标为已阅")
        expect(page.get_by_text("已标为已阅")).to_be_visible()
    finally:
        stop_app(proc)
    db = store.connect(tmp_path / "tracker.db")
    (report,) = store.progress_reports(db, [first["id"]])
    assert evidence.read_bytes() == store.evidence_files(db, first["id"])[0][1]
    assert ["提案委员会"] == store.instructions(db)[0]["read_by"]
    assert "2023-06" == report["period"]
