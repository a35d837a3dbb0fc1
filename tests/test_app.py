"""AppTest for every page: it runs, shows the sample's numbers, a staff edit persists, a leader cannot edit."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tracker import auth, service, store
from tracker.model import Status

from .conftest import PASSWORD, ROOT

APP = str(ROOT / "app.py")
UI = "tracker/ui/"


def app(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user:
        at.session_state["user"] = user
        at.session_state["last_seen"] = time.time()
    return at


def as_role(users, role) -> dict:
    return {"name": users[role], "role": role}


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def metric_value(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table(at: AppTest, column: str):
    """The DataFrame of the st.dataframe that has `column` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def plan_item(db, rid, title):
    return next(it for it in store.report_items(db, rid) if it["title"] == title)


def goal(db, rid, activity_part):
    return next(m for m in store.report_metrics(db, rid, "plan") if activity_part in m["activity"])


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-07-01")


def test_first_start_creates_the_database_imports_the_sample_and_asks_for_an_admin(db_file):
    at = app().run()
    assert not at.exception
    assert "初始设置" in at.title[0].value
    db = store.connect(db_file)
    assert db["reports"].count == 1
    at.text_input(key="setup_name").input("admin")
    at.text_input(key="setup_password").input(PASSWORD)
    at.text_input(key="setup_again").input(PASSWORD)
    button(at, "创建管理员").click().run()
    assert not at.exception
    assert store.get_user(db, "admin")["role"] == "admin"
    assert at.title[0].value == "总览"
    assert metric_value(at, "计划任务") == "12"


def test_login_refuses_a_wrong_password_and_admits_the_right_one(seeded, users):
    at = app().run()
    assert at.title[0].value == "落实 · 登录"
    at.text_input(key="login_name").input(users["staff"])
    at.text_input(key="login_password").input("wrong-password")
    button(at, "登录").click().run()
    assert at.error[0].value == "用户名或密码错误"
    at.text_input(key="login_password").input(PASSWORD)
    button(at, "登录").click().run()
    assert not at.exception
    assert at.title[0].value == "总览"


def test_overview_shows_the_samples_commitments_goals_and_counts(seeded, users):
    at = app(as_role(users, "leader")).run()
    assert not at.exception
    assert metric_value(at, "计划任务") == "12"
    assert ("0", "0%") == (metric_value(at, "已完成"), metric_value(at, "完成率"))
    goals = table(at, "目标")
    progress_by_goal = dict(zip(goals["目标"], goals["进度"], strict=True))
    assert next(v for k, v in progress_by_goal.items() if "委员工作室" in k) == "0/10 家"
    assert next(v for k, v in progress_by_goal.items() if "培训" in k) == "0/2 次"
    yoy = table(at, "类别")
    assert len(yoy) == 27
    assert "未公开" in set(yoy["上年"])
    assert "3" in set(yoy["上年"])  # 召开专题议政性常委会3次
    charts = {c.proto.id for c in at.get("plotly_chart")}
    assert len(charts) >= 4


def test_leaders_see_no_edit_pages_and_no_edit_widgets(seeded, users):
    at = app(as_role(users, "leader")).run()
    assert not at.exception
    at.switch_page(UI + "report.py").run()
    assert not at.exception
    assert [f for f in at.get("form")] == []
    at.switch_page(UI + "history.py").run()
    assert not at.exception
    assert [f for f in at.get("form")] == []
    assert list(at.get("arrow_data_editor")) == []


def test_ticking_a_commitment_on_tasks_reaches_the_database_and_the_overview(seeded, users, db):
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    assert not at.exception
    first = store.report_items(db, seeded)[0]
    at.session_state["tasks_editor_0"] = {
        "edited_rows": {0: {"done": True}, 1: {"owner": "提案委员会"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="tasks_save").click().run()
    assert not at.exception
    items = store.report_items(db, seeded)
    assert (Status.DONE, users["staff"]) == (items[0]["status"], items[0]["updated_by"])
    assert items[1]["owner"] == "提案委员会"
    assert first["id"] == store.events_for(db, target_id=first["id"])[0]["target_id"]
    at.switch_page(UI + "overview.py").run()
    assert ("1", "8%") == (metric_value(at, "已完成"), metric_value(at, "完成率"))


def test_recording_goal_progress(seeded, users, db):
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    target = goal(db, seeded, "委员工作室")
    at.selectbox(key="progress_goal").set_value(target["id"])
    at.text_input(key="progress_amount").input("三")
    button(at, "提交进度").click().run()
    assert "不是数字" in at.error[0].value
    assert goal(db, seeded, "委员工作室")["progress"] == 0
    at.selectbox(key="progress_goal").set_value(target["id"])
    at.text_input(key="progress_amount").input("3")
    button(at, "提交进度").click().run()
    assert not at.exception
    assert goal(db, seeded, "委员工作室")["progress"] == 3
    at.switch_page(UI + "overview.py").run()
    goals = table(at, "目标")
    assert "3/10 家" in set(goals["进度"])


def test_logging_an_activity(seeded, users, db):
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "activities.py").run()
    assert not at.exception
    category = next(m for m in store.report_metrics(db, seeded, "review") if "专题协商" in m["activity"])
    at.selectbox(key="activity_category").set_value(category["id"])
    at.text_input(key="activity_count").input("2")
    button(at, "登记活动").click().run()
    assert not at.exception
    assert store.activity_counts(db, seeded)[category["id"]] == 2
    assert table(at, "登记人")["数量"].iloc[0] == "2"


def test_report_page_highlights_the_text_and_staff_fill_in_a_redacted_number(seeded, users, db):
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "report.py").run()
    assert not at.exception
    body = at.get("html")[0].proto.body
    assert body.count('class="lead-item"') == 25
    assert "metric-redacted" in body
    redacted = next(m for m in store.report_metrics(db, seeded, "review") if m["redacted"])
    at.selectbox(key="fill_metric").set_value(redacted["id"])
    at.text_input(key="fill_value").input("12")
    button(at, "保存").click().run()
    assert not at.exception
    filled = next(m for m in store.report_metrics(db, seeded) if m["id"] == redacted["id"])
    assert filled["filled_value"] == 12


def test_history_shows_who_changed_what_and_undo_appends(seeded, users, db):
    item = plan_item(db, seeded, "畅通民意沟通渠道")
    event = store.record(db, users["staff"], "status", item["id"], value=Status.DONE)
    at = app(as_role(users, "admin")).run()
    at.switch_page(UI + "history.py").run()
    assert not at.exception
    history = table(at, "修改前")
    row = history[history["编号"] == event].iloc[0]
    assert (users["staff"], "状态", "畅通民意沟通渠道", "未开始", "已完成") == (
        row["用户"],
        row["操作"],
        row["对象"],
        row["修改前"],
        row["修改后"],
    )
    at.selectbox(key="undo_event").set_value(event)
    button(at, "撤销").click().run()
    assert not at.exception
    assert plan_item(db, seeded, "畅通民意沟通渠道")["status"] == "未开始"
    assert event == store.events_for(db, target_id=item["id"])[0]["undoes"]


def test_admin_adds_users_and_staff_cannot_open_the_users_page(seeded, users, db):
    at = app(as_role(users, "admin")).run()
    at.switch_page(UI + "users.py").run()
    assert not at.exception
    at.text_input(key="new_user_name").input("zhangsan")
    at.selectbox(key="new_user_role").set_value("leader")
    at.text_input(key="new_user_password").input(PASSWORD)
    button(at, "添加").click().run()
    assert not at.exception
    assert store.get_user(db, "zhangsan")["role"] == "leader"
    auth.login(db, "zhangsan", PASSWORD)


def test_idle_sessions_are_signed_out(seeded, users):
    at = app(as_role(users, "staff"))
    at.session_state["last_seen"] = time.time() - (auth.IDLE_MINUTES + 1) * 60
    at.run()
    assert at.title[0].value == "落实 · 登录"
    assert "超时" in at.warning[0].value


def test_chart_specs_carry_the_numbers(seeded, users, db):
    store.record(
        db, users["staff"], "progress", goal(db, seeded, "委员工作室")["id"], amount=4, date="2023-06-01"
    )
    at = app(as_role(users, "leader")).run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bullet = next(s for s in specs if s["layout"]["title"]["text"] == "数字目标完成情况")
    done_bar = next(t for t in bullet["data"] if t.get("name") == "已完成")
    assert sorted(done_bar["x"], reverse=True) == [40.0, 0.0]


def test_script_in_report_text_and_notes_renders_as_text(db, users, sample_report):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    sample_report_copy = type(sample_report)(
        **{**sample_report.__dict__, "text": sample_report.text + "\n" + evil}
    )
    rid = store.import_report(db, sample_report_copy, store.SYSTEM_USER)["report_id"]
    item = store.report_items(db, rid)[0]
    store.record(db, users["staff"], "owner", item["id"], value=evil, note=evil)
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "report.py").run()
    body = at.get("html")[0].proto.body
    assert "<script>" not in body and "&lt;script&gt;" in body
    at.switch_page(UI + "history.py").run()
    assert not at.exception


def test_status_change_with_note_and_evidence_and_the_commitments_history(seeded, users, db):
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    item = plan_item(db, seeded, "畅通民意沟通渠道")
    at.selectbox(key="detail_item").set_value(item["id"]).run()
    at.selectbox(key="detail_status").set_value("受阻")
    at.text_input(key="detail_co_owner").input("社情民意信息中心")
    at.text_input(key="detail_note").input("场地未落实")
    at.text_input(key="detail_evidence").input("会议纪要2023-05.pdf")
    button(at, "保存任务记录").click().run()
    assert not at.exception
    row = plan_item(db, seeded, "畅通民意沟通渠道")
    assert ("受阻", "社情民意信息中心") == (row["status"], row["co_owner"])
    events = store.events_for(db, target_id=item["id"])
    assert [("co_owner", None, None), ("status", "场地未落实", "会议纪要2023-05.pdf")] == [
        (e["action"], e["note"], e["evidence"]) for e in events
    ]
    at.selectbox(key="detail_item").set_value(item["id"]).run()
    at.toggle(key="detail_history_open").set_value(True).run()
    history = table(at, "修改前 → 修改后")
    assert ["（空） → 社情民意信息中心", "未开始 → 受阻"] == history["修改前 → 修改后"].tolist()
    assert [users["staff"]] * 2 == history["用户"].tolist()


def test_admin_verifies_progress_apart_from_what_staff_reported(seeded, users, db):
    target = goal(db, seeded, "委员工作室")
    store.record(db, users["staff"], "progress", target["id"], amount=4, date="2023-05-01")
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    assert [] == [s for s in at.selectbox if s.key == "verify_goal"]
    at = app(as_role(users, "admin")).run()
    at.switch_page(UI + "tasks.py").run()
    at.selectbox(key="verify_goal").set_value(target["id"])
    at.text_input(key="verify_amount").input("3")
    button(at, "提交核实").click().run()
    assert not at.exception
    assert (4, 3) == (goal(db, seeded, "委员工作室")["progress"], goal(db, seeded, "委员工作室")["verified"])


def test_lights_and_percentages_on_a_fixed_date_follow_the_readme_rule(seeded, users, db):
    """Issue 5 acceptance: 1 July 2023 is 181/364 = 49.7 % of the plan year."""
    store.record(
        db, users["staff"], "progress", goal(db, seeded, "委员工作室")["id"], amount=4, date="2023-05-10"
    )
    store.record(db, users["staff"], "progress", goal(db, seeded, "培训")["id"], amount=1, date="2023-06-20")
    store.record(
        db, users["staff"], "status", plan_item(db, seeded, "强化理论武装不停步")["id"], value=Status.DONE
    )
    store.record(
        db, users["staff"], "status", plan_item(db, seeded, "规范协商议政内容")["id"], value="推进中"
    )
    store.record(db, users["staff"], "status", plan_item(db, seeded, "提高机关工作水平")["id"], value="受阻")
    at = app(as_role(users, "leader")).run()
    goals = table(at, "目标")
    # 4/10 = 40 %, 9.7 points behind the calendar: yellow; 1/2 = 50 %, ahead: green
    assert [("4/10 家", "关注"), ("1/2 次", "正常")] == list(zip(goals["进度"], goals["亮灯"], strict=True))
    # done 1; 正常: 推进中 and the training goal's item; 滞后: 受阻; 关注: the goal 9.7 points behind
    # and the other 7 未开始 at 49.7 % (issue 12: five lights, the tile 滞后 is the red ones only)
    assert ("1", "8%", "2", "8", "1", "0") == tuple(
        metric_value(at, k) for k in ("已完成", "完成率", "正常", "关注", "滞后", "已超期")
    )
    behind = table(at, "任务").set_index("任务")  # the first list: 滞后 and 已超期 only
    assert {"提高机关工作水平": "滞后"} == behind["亮灯"].to_dict()
    watch = [d.value for d in at.dataframe if "任务" in d.value.columns][1].set_index("任务")
    assert "关注" == watch.at["畅通民意沟通渠道", "亮灯"]  # its goal is 9.7 points behind
    assert "推进中" == watch.at["畅通民意沟通渠道", "状态"]  # the progress entry started it
    at = app(as_role(users, "leader"))
    at.session_state["as_of"] = date(2023, 7, 3)  # 50.3 %: 未开始 turns red
    at.session_state["as_of_report"] = seeded
    at.session_state["report_id"] = seeded
    at.run()
    behind = table(at, "任务").set_index("任务")
    assert "滞后" == behind.at["深化党建工作不断档", "亮灯"]


def test_several_organisations_are_chosen_in_the_sidebar_then_the_year(db, users):
    raw = (ROOT / "data" / "cppcc-city-2022.txt").read_bytes()
    first = service.import_file(db, raw, "a.txt", store.SYSTEM_USER, org="甲市政协")["report_id"]
    second = service.import_file(db, raw, "b.txt", store.SYSTEM_USER, org="乙县政协")["report_id"]
    at = app(as_role(users, "leader")).run()
    assert ["乙县政协", "甲市政协"] == at.selectbox(key="org").options
    at.selectbox(key="org").set_value("甲市政协").run()
    assert first == at.session_state["report_id"]
    assert "甲市政协" in at.caption[0].value
    at.selectbox(key="org").set_value("乙县政协").run()
    assert second == at.session_state["report_id"]


def test_markdown_typed_by_people_is_shown_as_typed_not_rendered(seeded, users, db):
    """An image or link typed into a field must not make the page fetch anything (issue 4)."""
    image = "![x](http://example.invalid/x.png)"
    item = plan_item(db, seeded, "畅通民意沟通渠道")
    store.record(db, users["staff"], "owner", item["id"], value=image)
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    at.selectbox(key="detail_item").set_value(item["id"]).run()
    shown = next(m.value for m in at.markdown if "牵头单位" in m.value)
    assert "](http" not in shown and "example" in shown
    at.selectbox(key="progress_goal").set_value(goal(db, seeded, "委员工作室")["id"])
    at.text_input(key="progress_amount").input(image)
    button(at, "提交进度").click().run()
    assert "不是数字" in at.error[0].value
    assert "](http" not in at.error[0].value


def test_history_filtered_to_one_commitment(seeded, users, db):
    first, second = store.report_items(db, seeded)[:2]
    store.record(db, users["staff"], "status", first["id"], value="推进中")
    store.record(db, users["staff"], "owner", second["id"], value="办公室")
    at = app(as_role(users, "leader")).run()
    at.switch_page(UI + "history.py").run()
    assert {"导入报告", "状态", "牵头单位"} == set(table(at, "修改前")["操作"])
    at.selectbox(key="history_item").set_value(second["id"]).run()
    assert ["牵头单位"] == table(at, "修改前")["操作"].tolist()


def test_history_offers_staff_only_what_they_may_undo(seeded, users, db):
    # issue 17 #1: an admin's 核实 is not offered to staff for undoing; their own progress entry is
    target = goal(db, seeded, "委员工作室")
    reported = store.record(db, users["staff"], "progress", target["id"], amount=4, date="2023-05-01")
    verified = store.record(db, users["admin"], "verify", target["id"], amount=3, date="2023-05-02")
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "history.py").run()
    assert not at.exception
    offered = at.selectbox(key="undo_event").options
    assert (True, False) == (f"#{reported} " in " ".join(offered), f"#{verified} " in " ".join(offered))
    at = app(as_role(users, "admin")).run()
    at.switch_page(UI + "history.py").run()
    assert f"#{verified} " in " ".join(at.selectbox(key="undo_event").options)
