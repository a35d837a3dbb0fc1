"""AppTest of the import review (issue 12): a taller table with search, a selected row points the source
at its quote, numbers edited and deleted, items deleted, organisation and years required before
确认导入, and after an import the page names the report and opens it for this user only."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tracker import store

from .conftest import ROOT, SAMPLE
from .test_app_import import button, counts, open_page, shown

GOAL = 27  # 年内建设委员工作室10家
ITEM = 19  # 畅通民意沟通渠道
NO_ORG = SAMPLE.read_text("utf-8").replace("**************常务委员会\n", "", 1)  # the org line removed


def review(users, text: str = NO_ORG, name: str = "无单位.txt") -> AppTest:
    at = open_page(users)
    at.session_state["import_pending"] = (name, text.encode("utf-8"))
    return at.run()


def table(at: AppTest, key: str):
    return next(d for d in at.dataframe if d.proto.id and key in d.proto.id)


def source(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "report-text" in h.proto.body)


def test_selecting_a_number_points_the_tools_and_the_source_at_it(db, users):
    at = review(users)
    assert not at.exception
    assert ' focus"' not in source(at)  # nothing chosen yet: nothing outlined
    at.session_state["import_metrics_table_0"] = {"selection": {"rows": [GOAL], "columns": []}}
    at.run()
    assert not at.exception
    assert (GOAL, f"metric-{GOAL}") == (at.session_state["import_metric"], at.session_state["import_focus"])
    html = source(at)
    assert f'<mark id="src-metric-{GOAL}" class="metric-goal focus"' in html
    assert 1 == html.count(' focus"')
    assert "scrollTop" in html
    assert ("10", "家", "accumulate") == (
        at.text_input(key="import_edit_value").value,
        at.text_input(key="import_edit_unit").value,
        at.selectbox(key="import_edit_type").value,
    )
    # an item chosen in its table: the source follows the item
    at.session_state["import_items_table_0"] = {"selection": {"rows": [ITEM], "columns": []}}
    at.run()
    assert (ITEM, f"item-{ITEM}") == (at.session_state["import_item"], at.session_state["import_focus"])
    assert f'<mark id="src-item-{ITEM}" class="lead-item focus"' in source(at)


def test_search_filters_both_tables_and_a_selection_keeps_its_row(db, users):
    at = review(users)
    at.text_input(key="import_search").set_value("工作室").run()
    metrics = table(at, "import_metrics_table").value
    assert [25, 28] == list(metrics.index)  # 1-based numbers of 委员工作室 (review) and 10家 (plan)
    assert ["建设完成***个委员工作室", "年内建设委员工作室10家"] == list(metrics["原文"])
    assert "畅通民意沟通渠道" in list(table(at, "import_items_table").value["标题"])
    at.session_state["import_metrics_table_0"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert GOAL == at.session_state["import_metric"]  # the second row shown is number 28


def test_a_number_edited_and_deleted_and_an_item_deleted_from_the_page(db, users):
    at = review(users)
    at.selectbox(key="import_metric").set_value(GOAL).run()
    at.text_input(key="import_edit_value").set_value("12")
    at.text_input(key="import_edit_unit").set_value("个")
    at.selectbox(key="import_edit_bound").set_value("min")
    at.selectbox(key="import_edit_type").set_value("level")
    button(at, "import_edit_metric").click().run()
    assert [] == [shown(e.value) for e in at.error]
    op = at.session_state["import_draft"].ops[-1]
    assert {"value": 12.0, "unit": "个", "bound": "min", "type": "level"} == {
        k: op[k] for k in ("value", "unit", "bound", "type")
    }
    row = table(at, "import_metrics_table").value.loc[GOAL + 1]
    assert ["12", "个", "以上", "水平"] == [row["数值"], row["单位"], row["界限"], row["目标类型"]]
    at.selectbox(key="import_metric").set_value(0).run()
    button(at, "import_drop_metric").click().run()
    at.selectbox(key="import_item").set_value(24).run()
    button(at, "import_drop_item").click().run()
    assert [] == [shown(e.value) for e in at.error]
    draft = at.session_state["import_draft"]
    assert ["edit_metric", "drop_metric", "drop_item"] == [op["op"] for op in draft.ops]
    assert 24 == len(table(at, "import_items_table").value)
    # nothing changed: a clear message
    at.selectbox(key="import_metric").set_value(3).run()
    button(at, "import_edit_metric").click().run()
    assert ["没有要修改的内容"] == [shown(e.value) for e in at.error]


def test_organisation_and_years_are_required_before_confirming(db, users):
    at = review(users)
    before = counts(db)
    assert ["确认导入前请在“单位和年度”中填写：单位"] == [shown(w.value) for w in at.warning]
    button(at, "import_confirm").click().run()
    assert ["请先填写单位，再确认导入"] == [shown(e.value) for e in at.error]
    assert before == counts(db)
    assert "import_draft" in at.session_state
    at.text_input(key="import_org").set_value("丙区政协")
    button(at, "import_meta").click().run()
    assert [] == at.warning
    button(at, "import_confirm").click().run()
    assert not at.exception
    assert "丙区政协" in [r["org"] for r in store.list_reports(db)]


def test_after_an_import_the_page_names_the_report_and_opens_it_for_this_user_only(db, users, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-06-30")
    leader = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    leader.session_state["user"] = {"name": users["leader"], "role": "leader"}
    leader.session_state["last_seen"] = time.time()
    leader.run()  # the first start seeds the sample
    sample_id = leader.session_state["report_id"]
    assert [sample_id] == [r["id"] for r in store.list_reports(db)]

    at = review(users)
    at.text_input(key="import_org").set_value("丙区政协")
    button(at, "import_meta").click().run()
    button(at, "import_confirm").click().run()
    new_id = at.session_state["import_last_report"]
    assert new_id != sample_id
    assert sample_id == at.session_state["report_id"]  # the importer's own choice is left alone
    assert any("刚导入的报告：2023年 · 丙区政协" in shown(i.value) for i in at.info)
    button(at, "import_open").click().run()
    assert not at.exception
    assert (new_id, "丙区政协") == (at.session_state["report_id"], at.session_state["org"])
    assert ("丙区政协", new_id) == tuple(store.get_prefs(db, users["admin"])[k] for k in ("org", "report_id"))

    leader.run()  # a session already open stays on its report
    assert sample_id == leader.session_state["report_id"]


def test_deleting_the_last_number_keeps_the_choice_inside_the_list(db, users):
    at = review(users)
    at.selectbox(key="import_metric").set_value(28).run()
    button(at, "import_drop_metric").click().run()
    assert not at.exception
    assert [] == [shown(e.value) for e in at.error]
    assert 28 == len(table(at, "import_metrics_table").value)
    assert 0 == at.selectbox(key="import_metric").value
