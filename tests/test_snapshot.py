"""Numbers a leader can trust (issue 12): one count of five lights on every surface, the 统计截至
snapshot from the dated log, typed goals, goal progress that moves the commitment."""

from __future__ import annotations

import io
import json
import time
from datetime import date

import docx
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tracker import charts, cli, export, progress, service, store, word_brief
from tracker.extract import extract_path
from tracker.goal_types import ACCUMULATE, CEILING, LEVEL, is_rate
from tracker.model import LIGHT_LABELS, Status

from .conftest import CORPUS, ROOT

FIVE = ["已完成", "正常", "关注", "滞后", "已超期"]
DATES = (date(2023, 3, 31), date(2023, 6, 30), date(2023, 12, 31))


def item(db, rid, title: str) -> str:
    return next(it["id"] for it in store.report_items(db, rid) if it["title"] == title)


def goal(db, rid, part: str) -> dict:
    return next(m for m in store.report_metrics(db, rid, "plan") if part in m["activity"])


@pytest.fixture
def year(db, seeded, users) -> str:
    """The sample through 2023, every change with its effective date, so that each date has its lights."""
    staff = users["staff"]
    rec = store.record
    rec(db, staff, "status", item(db, seeded, "强化理论武装不停步"), value="已完成", date="2023-02-10")
    rec(db, staff, "status", item(db, seeded, "规范协商议政内容"), value="推进中", date="2023-01-20")
    rec(db, staff, "status", item(db, seeded, "提高机关工作水平"), value="受阻", date="2023-05-05")
    rec(db, staff, "due", item(db, seeded, "凝聚民心汇聚共识"), value="2023-05-31")
    rec(db, staff, "progress", goal(db, seeded, "委员工作室")["id"], amount=4, date="2023-05-10")
    rec(db, staff, "progress", goal(db, seeded, "培训")["id"], amount=1, date="2023-03-20")
    rec(db, staff, "status", item(db, seeded, "拓展协商议政形式"), value="已完成", date="2023-09-01")
    rec(db, staff, "progress", goal(db, seeded, "委员工作室")["id"], amount=3, date="2023-11-01")
    return seeded


def page_at(users, rid: str, day: date) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": users["leader"], "role": "leader"}
    at.session_state["last_seen"] = time.time()
    at.session_state["as_of"] = day
    at.session_state["as_of_report"] = rid
    at.session_state["report_id"] = rid
    return at.run()


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_five_lights_are_counted_once_and_every_surface_agrees(db, year, users, monkeypatch, day):
    monkeypatch.setenv("TRACKER_TODAY", "2024-01-15")
    ov = service.overview(db, year, day)
    expected = progress.labelled(progress.light_counts(ov.items))
    assert FIVE == list(expected)
    assert 12 == sum(expected.values())
    assert expected == service.overview_json(ov)["counts"]

    # the lights chart
    bars = {t.name.rsplit(" ", 1)[0]: t.x[0] for t in charts.lights(ov.items).data}
    assert expected == bars

    # the page: tiles, its lights chart, the lists titled by what they hold
    at = page_at(users, year, day)
    assert not at.exception
    assert expected == {k: int(next(m.value for m in at.metric if m.label == k)) for k in FIVE}
    spec = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"] == "亮灯情况"
    )
    assert expected == {t["name"].rsplit(" ", 1)[0]: t["x"][0] for t in spec["data"]}
    lists = {e.label: e for e in at.expander}
    behind = expected["滞后"] + expected["已超期"]
    behind_title = next(k for k in lists if k.endswith(f"任务（{behind} 项）") and "关注" not in k)
    assert ("超期" in behind_title) == (expected["已超期"] > 0)
    assert f"需关注的任务（{expected['关注']} 项）" in lists
    shown = [d.value for d in at.dataframe if "任务" in d.value.columns and "亮灯" in d.value.columns]
    in_lists = [label for frame in shown for label in frame["亮灯"]]
    assert {k: in_lists.count(k) for k in ("关注", "滞后", "已超期")} == {
        k: expected[k] for k in ("关注", "滞后", "已超期")
    }

    # the Word brief: its words, its KPI table and its lights chart (as a table without a browser)
    doc = docx.Document(io.BytesIO(word_brief.brief(db, year, day, browser=None)))
    words = next(p.text for p in doc.paragraphs if p.text.startswith("截至"))
    for label, n in expected.items():
        assert f"{word_brief.LIGHT_PHRASES.get(label, label)}{n}项" in words
    # the lights table under 总体情况 and the lights chart's table: both say the same five counts
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "亮灯"]
    assert 2 == len(tables)
    for table in tables:
        assert expected == {r.cells[0].text: int(r.cells[1].text) for r in table.rows[1:]}

    # the workbook: the 概况 sheet and the 亮灯 column of the 任务 sheet
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, year, day)))
    first = export.HEADER_ROW + 1  # under the title block and the header row
    summary = dict(r[:2] for r in wb["概况"].iter_rows(min_row=first, values_only=True))
    assert expected == {k: summary[k] for k in FIVE}
    column = [c.value for c in wb["任务"][export.HEADER_ROW]].index("亮灯")
    cells = [r[column] for r in wb["任务"].iter_rows(min_row=first, values_only=True)]
    assert expected == {k: cells.count(k) for k in FIVE}


def test_the_lights_at_three_dates_follow_the_rules(db, year):
    counts = {day: progress.labelled(service.overview(db, year, day).counts) for day in DATES}
    # 31 March (24.5 % of the year): 未开始 is still 正常; 滞后: the 0/10 goal 24 points behind, and
    # 凝聚民心 not started at 59 % of its period (due 31 May)
    assert {"已完成": 1, "正常": 9, "关注": 0, "滞后": 2, "已超期": 0} == counts[DATES[0]]
    # 30 June: 受阻 滞后, 凝聚民心 past its deadline, 6 未开始 at 49.6 % and the 4/10 goal 关注
    assert {"已完成": 1, "正常": 2, "关注": 7, "滞后": 1, "已超期": 1} == counts[DATES[1]]
    # 31 December, the deadline itself: a second tick (1 September); unmet goals are over (滞后),
    # 未开始 滞后, the one 推进中 without goals 关注 (due within 30 days)
    assert {"已完成": 2, "正常": 0, "关注": 1, "滞后": 8, "已超期": 1} == counts[DATES[2]]


def test_the_snapshot_at_end_of_june_leaves_out_a_later_tick_and_later_progress(db, seeded, users, capsys):
    """Through the command line: tick --date 2023-09-01, progress --date 2023-11-01."""
    ticked = item(db, seeded, "拓展协商议政形式")
    target = goal(db, seeded, "委员工作室")["id"]
    assert 0 == cli.main(["tick", ticked, "--user", users["staff"], "--date", "2023-09-01"])
    assert 0 == cli.main(["progress", target, "5", "--user", users["staff"], "--date", "2023-04-01"])
    assert 0 == cli.main(["progress", target, "3", "--user", users["staff"], "--date", "2023-11-01"])
    capsys.readouterr()

    def at(day: str) -> dict:
        assert 0 == cli.main(["overview", "--report", seeded, "--as-of", day, "--json"])
        return json.loads(capsys.readouterr().out)

    june = at("2023-06-30")
    assert ["report", "as_of", "items", "counts", "goals", "activities"] == list(june)
    assert (seeded, "2023-06-30", 12, 0) == (
        june["report"],
        june["as_of"],
        june["items"],
        june["counts"]["已完成"],
    )
    studio = next(g for g in june["goals"] if g["id"] == target)
    keys = [
        "id",
        "item",
        "activity",
        "type",
        "target",
        "unit",
        "bound",
        "progress",
        "verified",
        "share",
        "light",
    ]
    assert keys == list(studio)
    assert (5.0, 0.5, "accumulate", "正常") == (
        studio["progress"],
        studio["share"],
        studio["type"],
        studio["light"],
    )
    assert ["category", "unit", "last_year", "this_year"] == list(june["activities"][0])
    december = at("2023-12-31")
    assert 1 == december["counts"]["已完成"]
    assert 8.0 == next(g for g in december["goals"] if g["id"] == target)["progress"]
    # the progress chart draws the tick on the day it took effect, and not before
    assert [] == service.overview(db, seeded, date(2023, 6, 30)).done_dates
    assert ["2023-09-01"] == service.overview(db, seeded, date(2023, 12, 31)).done_dates


def test_status_command_and_undo_keep_the_effective_date(db, seeded, users, capsys):
    it = item(db, seeded, "拓展协商议政形式")
    assert 0 == cli.main(["status", it, "受阻", "--user", users["staff"], "--date", "2023-03-01"])
    event = store.events_for(db, target_id=it)[0]
    assert ("受阻", "2023-03-01") == (json.loads(event["after"]), event["date"])
    undo = store.record(db, users["staff"], "undo", str(event["id"]))
    assert "2023-03-01" == store.get_row(db, "events", undo)["date"]
    frame = service.overview(db, seeded, date(2023, 4, 1)).items.set_index("title")
    assert Status.NOT_STARTED == frame.at["拓展协商议政形式", "status"]
    assert 2 == cli.main(["status", it, "完成了", "--user", users["staff"]])


def test_activities_count_only_up_to_the_date(db, seeded, users):
    category = next(
        m["id"] for m in store.report_metrics(db, seeded, "review") if "专题协商" in m["activity"]
    )
    store.record(db, users["staff"], "activity", category, amount=2, date="2023-05-01")
    store.record(db, users["staff"], "activity", category, amount=7, date="2023-12-31")
    counts = {
        day: service.overview(db, seeded, day).yoy.set_index("id").at[category, "this_year"]
        for day in (date(2023, 6, 30), date(2023, 12, 31))
    }
    assert {date(2023, 6, 30): 2.0, date(2023, 12, 31): 9.0} == counts


def test_a_level_goal_shows_the_latest_value(db, seeded, users):
    target = goal(db, seeded, "委员工作室")["id"]
    assert ACCUMULATE == store.get_row(db, "metrics", target)["goal_type"]
    store.record(db, users["admin"], "goal_type", target, value=LEVEL)
    store.record(db, users["staff"], "progress", target, amount=2.0, date="2023-03-01")
    store.record(db, users["staff"], "progress", target, amount=3.0, date="2023-05-01")
    goals = service.overview(db, seeded, date(2023, 6, 30)).goals.set_index("id")
    assert (LEVEL, 3.0) == (goals.at[target, "type"], goals.at[target, "progress"])
    with pytest.raises(Exception, match="目标类型"):
        store.record(db, users["admin"], "goal_type", target, value="sum")
    with pytest.raises(Exception, match="权限|无权"):
        store.record(db, users["staff"], "goal_type", target, value=CEILING)


def test_reimport_keeps_a_reviewers_goal_type(db, seeded, users, sample_report):
    target = goal(db, seeded, "委员工作室")["id"]
    store.record(db, users["admin"], "goal_type", target, value=LEVEL)
    other = goal(db, seeded, "培训")["id"]
    changed = type(sample_report)(**{**sample_report.__dict__, "text": sample_report.text + "\n（修订）"})
    assert not store.import_report(db, changed, store.SYSTEM_USER)["unchanged"]
    assert LEVEL == store.get_row(db, "metrics", target)["goal_type"]
    assert ACCUMULATE == store.get_row(db, "metrics", other)["goal_type"]


def test_the_migration_types_the_goals_of_an_older_database(db, seeded):
    # the goal_types step run on a database that has the goals but not the column (later steps exist
    # already, so the step is applied on its own, as migrate() applies it to an older file)
    from tracker.store import migrations

    step = next(m for m in migrations.MIGRATIONS if m.name == "goal_types")
    db.execute("ALTER TABLE metrics DROP COLUMN goal_type")
    for statement in migrations._statements(step.script):
        db.execute(statement)
    step.fill(db)
    rows = store.report_metrics(db, seeded)
    assert [ACCUMULATE, ACCUMULATE] == [m["goal_type"] for m in rows if m["part"] == "plan"]
    assert {None} == {m["goal_type"] for m in rows if m["part"] == "review"}


def test_the_extractor_types_the_plan_figures():
    path = CORPUS / "national_gov_2020.txt"
    if not path.exists():
        pytest.skip(f"shared corpus not found: {path}")
    report = extract_path(path)
    rates = [m for m in report.metrics if m.part == "plan" and is_rate(m.unit)]
    assert rates and {m.type for m in rates} <= {LEVEL, CEILING}
    assert {None} == {m.type for m in report.metrics if m.part == "review"}


def test_the_first_progress_entry_starts_the_commitment(db, seeded, users):
    target = goal(db, seeded, "委员工作室")
    store.record(db, users["staff"], "progress", target["id"], amount=1, date="2023-04-02")
    store.record(db, users["staff"], "progress", target["id"], amount=1, date="2023-04-09")
    events = [e for e in store.events_for(db, target_id=target["item_id"]) if e["action"] == "status"]
    assert [("推进中", users["staff"], "2023-04-02")] == [
        (json.loads(e["after"]), e["user"], e["date"]) for e in events
    ]
    assert Status.IN_PROGRESS == store.get_item(db, target["item_id"])["status"]
    frame = service.overview(db, seeded, date(2023, 4, 1)).items.set_index("id")
    assert Status.NOT_STARTED == frame.at[target["item_id"], "status"]  # not before the entry's date


def test_all_goals_met_proposes_done_but_does_not_set_it(db, seeded, users):
    target = goal(db, seeded, "委员工作室")
    store.record(db, users["staff"], "progress", target["id"], amount=10, date="2023-05-01")
    frame = service.overview(db, seeded, date(2023, 6, 30)).items.set_index("id")
    row = frame.loc[target["item_id"]]
    assert (True, Status.IN_PROGRESS, "正常") == (row["goals_met"], row["status"], LIGHT_LABELS[row["light"]])


def staff_page(users, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": users["staff"], "role": "staff"}
    at.session_state["last_seen"] = time.time()
    at.run()
    return at.switch_page(f"tracker/ui/{page}").run()


def test_the_tasks_page_asks_a_level_goal_for_its_current_value(db, seeded, users, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-07-01")
    target = goal(db, seeded, "委员工作室")["id"]
    store.record(db, users["admin"], "goal_type", target, value=LEVEL)
    at = staff_page(users, "tasks.py")
    at.selectbox(key="progress_goal").set_value(target).run()
    assert at.text_input(key="progress_amount").label.startswith("当前值")
    for value in ("2", "3"):
        at.selectbox(key="progress_goal").set_value(target).run()
        at.text_input(key="progress_amount").input(value)
        next(b for b in at.button if b.label == "提交进度").click().run()
        assert not at.exception
    at.switch_page("tracker/ui/overview.py").run()
    goals = next(d.value for d in at.dataframe if "目标" in d.value.columns)
    assert "3/10 家" in set(goals["进度"])  # the latest value, not 2 + 3


def test_the_tasks_page_proposes_done_when_all_goals_are_met(db, seeded, users, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-07-01")
    target = goal(db, seeded, "委员工作室")
    at = staff_page(users, "tasks.py")
    assert [] == [b for b in at.button if b.label == "标记已完成"]
    at.text_input(key="progress_amount").input("10")
    next(b for b in at.button if b.label == "提交进度").click().run()
    assert Status.IN_PROGRESS == store.get_item(db, target["item_id"])["status"]  # proposed, not set
    at.button(key=f"propose_done_{target['item_id']}").click().run()
    assert not at.exception
    assert Status.DONE == store.get_item(db, target["item_id"])["status"]


def test_the_overview_compares_two_dates(db, year, users):
    at = page_at(users, year, date(2023, 6, 30))
    at.date_input(key="compare_from").set_value(date(2023, 3, 31))
    at.toggle(key="compare_on").set_value(True).run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "关注 0 → 7" in said and "已超期 0 → 1" in said
    # worse: 6 未开始 turned 关注, 提高机关 受阻, 凝聚民心 past its deadline; 畅通 got better (推进中)
    assert "新出现滞后或变差的任务（亮灯变差）（8 项）" in said
    assert "状态有变化的任务（2 项）" in said and "数字目标进度变化（1 项）" in said
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["任务", "之前", "之后"]]
    assert ("凝聚民心汇聚共识", "滞后", "已超期") in set(tables[0].itertuples(index=False, name=None))
    assert {("提高机关工作水平", "未开始", "受阻"), ("畅通民意沟通渠道", "未开始", "推进中")} == set(
        tables[1].itertuples(index=False, name=None)
    )
