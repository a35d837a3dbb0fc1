"""AppTest of 督办 (issue 16): a unit's account lands on 我的任务 and sees only its commitments on every
page it gets, files a report; a leader writes an instruction the unit then reads; the 督办 matrix; 单位."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tracker import auth, store
from tracker.model import PLAN

from .conftest import PASSWORD, ROOT

UI = "tracker/ui/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-07-10")


@pytest.fixture
def duban(db, seeded, users):
    """The sample with two units: 提案委员会 leads the first commitment, 社法委 the second; 2023-06 open."""
    first, second, *_ = store.report_items(db, seeded, PLAN)
    for name in ("提案委员会", "社法委"):
        store.manage_unit(db, None, name)
    auth.add_user(db, "tian", "staff", PASSWORD, by=None, unit="提案委员会")
    store.record(db, users["admin"], "assign", first["id"], value={"lead": "提案委员会", "co": []})
    store.record(db, users["admin"], "assign", second["id"], value={"lead": "社法委", "co": []})
    store.record(db, users["admin"], "cycle_open", "2023-06")
    return {"mine": first, "other": second}


def app(name: str, role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": name, "role": role}
    at.session_state["last_seen"] = time.time()
    return at.run()


def texts(at: AppTest) -> str:
    parts = [*(m.value for m in at.markdown), *(e.value for e in at.info), *(e.value for e in at.warning)]
    parts += [str(d.value.to_dict()) for d in at.dataframe]
    parts += [str(s.options) for s in at.selectbox]
    return "\n".join(parts)


def test_a_unit_lands_on_my_tasks_and_sees_only_its_commitments(db, duban):
    at = app("tian", "staff")
    assert not at.exception
    assert "我的任务" == at.title[0].value
    mine = next(d.value for d in at.dataframe if "分工" in d.value.columns)
    assert [duban["mine"]["id"]] == list(mine["编号"])
    assert (
        duban["mine"]["title"]
        in next(d.value for d in at.dataframe if "报告期" in d.value.columns)["任务"].iloc[0]
    )
    for page in ("tasks.py", "history.py"):
        at.switch_page(UI + page).run()
        assert not at.exception
        assert duban["mine"]["title"] in texts(at)
        assert duban["other"]["title"] not in texts(at)
    for page in ("overview.py", "report.py", "export.py", "supervision.py", "activities.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(UI + page)


def test_a_unit_files_a_report_from_my_tasks(db, duban):
    at = app("tian", "staff")
    at.text_area(key="my_report_text").input("已召开专题座谈会")
    next(b for b in at.button if b.label == "报送").click().run()
    assert not at.exception
    (report,) = store.progress_reports(db, [duban["mine"]["id"]])
    assert ("提案委员会", "2023-06", "已召开专题座谈会") == (report["unit"], report["period"], report["text"])
    assert report["late"]  # TRACKER_TODAY is for the pages; the filing day is the real one


def test_a_leader_writes_an_instruction_the_unit_sees_and_marks_read(db, users, duban):
    at = app(users["leader"], "leader")
    at.switch_page(UI + "supervision.py").run()
    assert not at.exception
    at.selectbox(key="duban_item").set_value(duban["mine"]["id"]).run()
    at.text_area(key="duban_item_comment_text").input("请月底前报送成效")
    next(b for b in at.button if b.label == "提交批示").click().run()
    assert not at.exception
    assert ["请月底前报送成效"] == [i["text"] for i in store.instructions(db)]

    at = app("tian", "staff")
    assert "请月底前报送成效" in texts(at)
    next(b for b in at.button if b.key and b.key.startswith("my_read_")).click().run()
    assert not at.exception
    assert ["提案委员会"] == store.instructions(db)[0]["read_by"]


def test_the_supervision_matrix_shows_who_has_not_reported(db, users, duban):
    store.record(db, "tian", "report", duban["mine"]["id"], period="2023-06", text="进展", filed="2023-07-03")
    at = app(users["staff"], "staff")
    at.switch_page(UI + "supervision.py").run()
    assert not at.exception
    matrix = next(d.value for d in at.dataframe if "2023-06" in d.value.columns)
    assert {"提案委员会": "按时", "社法委": "未报"} == matrix["2023-06"].to_dict()
    missing = next(d.value for d in at.dataframe if "未报任务" in d.value.columns)
    assert ["社法委"] == list(missing["单位"])


def test_the_admin_adds_a_unit_on_the_units_page(db, users):
    at = app(users["admin"], "admin")
    at.switch_page(UI + "units.py").run()
    at.text_input(key="unit_name").input("文史委")
    at.text_input(key="unit_email").input("wsw@example.gov.cn")
    next(b for b in at.button if b.label == "添加").click().run()
    assert not at.exception
    assert [("文史委", "wsw@example.gov.cn")] == [(u["name"], u["email"]) for u in store.list_units(db)]


def test_staff_cannot_open_the_units_page(db, users):
    at = app(users["staff"], "staff")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(UI + "units.py")


def test_my_tasks_lists_what_is_overdue(db, duban):
    store.record(db, "admin", "due", duban["mine"]["id"], value="2023-06-30")
    at = app("tian", "staff")
    assert not at.exception
    due = next(d.value for d in at.dataframe if "情况" in d.value.columns and "截止日期" in d.value.columns)
    assert [[duban["mine"]["title"], "2023-06-30", "已超期10天"]] == due.values.tolist()
