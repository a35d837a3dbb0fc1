"""A new office's first day, in a real browser (issue 8): first start → admin → staff and leader
accounts; the staff ticks a commitment, records goal progress, logs an activity; the leader sees the
new numbers on 总览 and has nothing to edit with."""

import pytest
from playwright.sync_api import expect

from tests.e2e import ui
from tests.e2e.conftest import ARTIFACTS, ROOT, start_app, stop_app

pytestmark = pytest.mark.e2e

ADMIN, STAFF, LEADER = (
    ("admin", "office-key-7"),  # a password may not contain the user name (issue 17 #6)
    ("xiaowang", "staff-pass-1"),
    ("mishuzhang", "leader-pass-1"),
)


def test_first_day_staff_records_work_and_the_leader_sees_it(page, tmp_path):
    # every server started here, the restart's too, is stopped by conftest after the test (issue 14)
    proc, app_url = start_app(tmp_path / "tracker.db", tmp_path / "streamlit.log")
    first_day(page, tmp_path, proc, app_url)


def first_day(page, tmp_path, proc, app_url):
    # first start: no account yet, the setup page creates the administrator and signs them in
    ui.open_app(page, app_url)
    expect(page.locator("h1")).to_have_text("落实 · 初始设置")
    ui.fill(page, "setup_name", ADMIN[0])
    ui.fill(page, "setup_password", ADMIN[1])
    ui.fill(page, "setup_again", ADMIN[1])
    ui.click_button(page, "创建管理员")
    # the first signed-in run imports the charts' modules: on a loaded machine the setup page's title
    # may still stand beside the new one for a while, so wait for 总览 itself, then for the run's end
    expect(page.get_by_role("heading", name="总览", exact=True)).to_be_visible(timeout=60_000)
    ui.settle(page)
    expect(page.locator("h1")).to_have_text("总览")
    assert "12" == ui.metric_value(page, "计划任务")  # the bundled sample, imported on first start
    # an office tool, not a demo: no Deploy button anywhere (issue 14)
    assert 0 == page.get_by_text("Deploy", exact=True).count()
    assert 0 == page.get_by_role("button", name="Deploy").count()

    # a reload keeps the administrator signed in (issue 14): the token cookie is SameSite=Strict
    cookie = ui.session_cookie(page)
    assert cookie is not None
    assert "Strict" == cookie["sameSite"]
    ui.reload(page)
    expect(page.locator("h1")).to_have_text("总览")
    expect(page.locator(".st-key-logout")).to_be_visible()

    # the administrator adds a staff member and a leader
    ui.go(page, "用户", "用户管理")
    ui.fill(page, "new_user_name", STAFF[0])
    ui.fill(page, "new_user_password", STAFF[1])  # the role defaults to 工作人员
    ui.click_button(page, "添加")
    expect(page.get_by_text(f"已添加用户 {STAFF[0]}")).to_be_visible()
    ui.fill(page, "new_user_name", LEADER[0])
    ui.choose(page, "new_user_role", "领导")
    ui.fill(page, "new_user_password", LEADER[1])
    ui.click_button(page, "添加")
    expect(page.get_by_text(f"已添加用户 {LEADER[0]}")).to_be_visible()
    ui.logout(page)
    # after 退出登录 a reload shows the login form, whatever cookie the browser still holds
    ui.reload(page)
    expect(page.get_by_role("heading", name="落实 · 登录")).to_be_visible()
    expect(page.locator(".st-key-login_name input")).to_be_visible()

    # the staff member ticks the first commitment and saves
    ui.login(page, *STAFF)
    assert ["总览", "任务", "活动", "报告", "历史", "导出", "督办"] == [
        t.split()[-1] for t in ui.nav_titles(page)
    ]
    ui.go(page, "任务")
    ui.tick_cell(page, "tasks_editor_0", row=0)
    ui.click_button(page, "保存修改")
    expect(page.get_by_text("已保存 1 处修改")).to_be_visible()

    # ... records progress on the first numeric goal (委员工作室, target 10)
    ui.fill(page, "progress_amount", "3")
    ui.fill(page, "progress_note", "挂牌照片")
    ui.click_button(page, "提交进度")
    expect(page.get_by_text("已记录进度：建设委员工作室 +3")).to_be_visible()

    # ... and logs two activities in the first category
    ui.go(page, "活动")
    ui.fill(page, "activity_count", "2")
    ui.click_button(page, "登记活动")
    expect(page.get_by_text("已登记：")).to_be_visible()
    ui.logout(page)

    # the server restarts (a reboot, an update): everything recorded is still there
    stop_app(proc)
    proc, app_url = start_app(tmp_path / "tracker.db", tmp_path / "streamlit-2.log")

    # the leader sees the new numbers on 总览
    ui.open_app(page, app_url)
    ui.login(page, *LEADER)
    expect(page.locator("h1")).to_have_text("总览")
    assert ("1", "8%") == (ui.metric_value(page, "已完成"), ui.metric_value(page, "完成率"))
    assert "3/10家" in ui.chart_text(page, "chart_goals")
    yoy = ui.chart_text(page, "chart_yoy")
    assert " 2 " in f" {yoy} ", yoy
    # ... and has nothing to edit with: no staff pages, and on every page of theirs no form, no
    # editable table, no save button
    assert ["总览", "报告", "历史", "导出", "督办"] == [t.split()[-1] for t in ui.nav_titles(page)]
    # the history names the staff member who ticked it, with the before and after status
    ui.go(page, "历史", "历史记录")
    cells = ui.table_cells(page)
    tick = cells.index("强化理论武装不停步")
    assert [STAFF[0], "状态", "强化理论武装不停步", "未开始", "已完成"] == cells[tick - 2 : tick + 3]
    for title, heading in [("报告", "报告原文"), ("历史", "历史记录"), ("总览", "总览")]:
        ui.go(page, title, heading)
        assert 0 == page.locator("[data-testid='stForm']").count(), title
        assert 0 == page.locator("[class*='st-key-tasks_editor']").count(), title
        assert 0 == page.locator("[data-testid='stFileUploader']").count(), title
        assert 0 == page.get_by_role("button", name="保存修改").count(), title


GUANGDONG = ROOT / ".." / "shared" / "corpus" / "guangdong_prov_gov_2025.txt"
# the 总览 of a large report must stay readable at 1400 px wide (issue 12)
MAX_OVERVIEW_HEIGHT = 6000


def test_the_overview_of_a_large_report_fits_in_6000_px(browser, tmp_path):
    """guangdong_prov_gov_2025.txt (94 goals, 183 activity categories) imported before the server
    starts: the leader's 总览 is at most 6,000 px tall at 1400 px wide, and says what it folded away."""
    from tracker import auth, service, store

    if not GUANGDONG.exists():
        pytest.skip(f"shared corpus not found: {GUANGDONG}")
    db = store.connect(tmp_path / "tracker.db")
    auth.add_user(db, ADMIN[0], "admin", ADMIN[1], by=None)
    auth.add_user(db, LEADER[0], "leader", LEADER[1], by=ADMIN[0])
    service.import_file(db, GUANGDONG.read_bytes(), GUANGDONG.name, store.SYSTEM_USER)
    rid = store.list_reports(db)[0]["id"]
    goals = len(store.report_metrics(db, rid, "plan"))
    categories = len(store.report_metrics(db, rid, "review"))
    store.close(db)
    proc, app_url = start_app(tmp_path / "tracker.db", tmp_path / "streamlit.log")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        ui.open_app(page, app_url)
        ui.login(page, *LEADER)
        expect(page.locator("h1")).to_have_text("总览")
        page.locator(".js-plotly-plot").first.wait_for()
        ui.settle(page)
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        if height > MAX_OVERVIEW_HEIGHT:
            ARTIFACTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 1400, "height": int(height) + 40})
            page.screenshot(path=str(ARTIFACTS / "guangdong_overview.png"), full_page=True)
        print(f"Guangdong 总览: {height} px at 1400 px wide")
        assert height <= MAX_OVERVIEW_HEIGHT, f"总览 is {height} px tall"
        # nothing is hidden without a count of what is hidden
        expect(page.get_by_text(f"数字目标（{goals} 项）")).to_be_visible()
        expect(page.get_by_text(f"查看全部 {goals} 项", exact=False).first).to_be_attached()
        expect(page.get_by_text(f"查看全部 {categories} 个类别", exact=False)).to_be_visible()
    finally:
        context.close()
        stop_app(proc)
