"""The app's shell (issue 14): one Chinese line and an error id for a page's exception, Chinese plotly
charts with only the download button, ISO date pickers, forms that keep a refused entry, and no
destructive default on the 用户 page."""

from __future__ import annotations

import json
import logging
import time

import pytest
from streamlit.testing.v1 import AppTest

from tracker import store
from tracker.ui import shell

from .conftest import ROOT

APP = str(ROOT / "app.py")
UI = "tracker/ui/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-07-01")


def app(users, role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user"] = {"name": users[role], "role": role}
    at.session_state["last_seen"] = time.time()
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _failing_page():
    import streamlit as st

    from tracker.ui import shell

    class Page:
        def run(self):
            st.write("开始")
            raise RuntimeError("/srv/secret/path.py exploded")

    shell.run_page(Page())


def _stopping_page():
    import streamlit as st

    from tracker.ui import shell

    class Page:
        def run(self):
            st.write("停在这里")
            st.stop()

    shell.run_page(Page())
    st.write("run_page returned")  # st.stop ends the whole run: never shown


def test_a_page_error_is_one_chinese_line_with_an_id_and_the_traceback_is_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="tracker.ui"):
        at = AppTest.from_function(_failing_page).run()
    assert not at.exception
    assert 1 == len(at.error)
    line = at.error[0].value
    assert line.startswith("出现了意外错误，本次操作未完成。")
    assert "/srv/secret" not in line and "RuntimeError" not in line
    error_id = line.split("错误编号 ")[1].split(" ")[0]
    assert 8 == len(error_id)
    record = next(r for r in caplog.records if error_id in r.getMessage())
    assert "exploded" in str(record.exc_info[1])


def test_st_stop_passes_through_the_page_wrapper():
    at = AppTest.from_function(_stopping_page).run()
    assert not at.exception and not at.error
    assert ["停在这里"] == [m.value for m in at.markdown]


def test_every_overview_chart_speaks_chinese_and_offers_only_the_png_download(seeded, users):
    at = app(users, "leader").run()
    charts = at.get("plotly_chart")
    assert 5 == len(charts)
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert "zh-CN" == config["locale"]
        assert "下载图片（PNG）" == config["locales"]["zh-CN"]["dictionary"]["Download plot as a PNG"]
        assert [["toImage"]] == config["modeBarButtons"]
        assert config["displaylogo"] is False


def test_date_pickers_show_iso_dates(seeded, users):
    at = app(users, "admin").run()
    assert "YYYY-MM-DD" == at.date_input(key="as_of").proto.format
    at.switch_page(UI + "tasks.py").run()
    for key in ("progress_date", "verify_date"):
        assert "YYYY-MM-DD" == at.date_input(key=key).proto.format
    at.switch_page(UI + "activities.py").run()
    assert "YYYY-MM-DD" == at.date_input(key="activity_date").proto.format


def test_a_refused_entry_stays_in_the_field_and_a_saved_one_clears(seeded, users, db):
    """Issue 14: a rejected "三家" cleared the field, so the person retyped everything."""
    at = app(users, "staff").run()
    at.switch_page(UI + "tasks.py").run()
    at.text_input(key="progress_amount").input("三家")
    at.text_input(key="progress_note").input("第二季度新建")
    button(at, "提交进度").click().run()
    assert at.error and "数字" in at.error[0].value
    assert "三家" == at.text_input(key="progress_amount").value
    assert "第二季度新建" == at.text_input(key="progress_note").value
    at.text_input(key="progress_amount").input("3")
    button(at, "提交进度").click().run()
    assert not at.exception and not at.error
    assert "" == at.text_input(key="progress_amount").value
    assert "" == at.text_input(key="progress_note").value

    at.switch_page(UI + "activities.py").run()
    at.text_input(key="activity_count").input("两场")
    button(at, "登记活动").click().run()
    assert at.error
    assert "两场" == at.text_input(key="activity_count").value


def test_users_page_has_no_action_chosen_and_asks_for_confirmation(seeded, users, db):
    """Issue 14: 操作 defaulted to 停用, and one click disabled the selected account."""
    at = app(users, "admin").run()
    at.switch_page(UI + "users.py").run()
    assert at.radio(key="manage_action").value is None
    target = at.selectbox(key="manage_user").value
    button(at, "执行").click().run()
    assert "请先选择要执行的操作" == at.error[0].value
    assert not store.get_user(db, target)["disabled"]
    at.radio(key="manage_action").set_value("停用")
    button(at, "执行").click().run()
    assert at.warning and "确认执行" in at.warning[0].value
    assert not store.get_user(db, target)["disabled"]
    at.checkbox(key="manage_confirm").check()
    button(at, "执行").click().run()
    assert not at.exception
    assert store.get_user(db, target)["disabled"]
    assert at.radio(key="manage_action").value is None  # the next change starts from nothing again


def test_favicon_is_a_small_png_in_the_repo():
    data = shell.FAVICON.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) < 20_000


def test_a_refused_new_account_keeps_the_name_typed(seeded, users, db):
    at = app(users, "admin").run()
    at.switch_page(UI + "users.py").run()
    at.text_input(key="new_user_name").input("zhangsan")
    at.text_input(key="new_user_password").input("short")
    button(at, "添加").click().run()
    assert at.error
    assert "zhangsan" == at.text_input(key="new_user_name").value
    assert store.get_user(db, "zhangsan") is None


def test_a_figure_is_built_once_per_distinct_data():
    import pandas as pd

    from tracker.ui import shell

    frame = pd.DataFrame({"light": ["green", "done"], "id": ["a", "b"]})
    first = shell.figure("lights", frame)
    assert first is shell.figure("lights", frame.copy())  # the same data: the same figure, not rebuilt
    assert first is not shell.figure("lights", frame.assign(light=["red", "done"]))


def test_the_dashboard_code_to_preload_exists_in_the_installed_streamlit():
    # a Streamlit upgrade that renames its element bundles shows here, not as a slow login
    chunks = shell.dashboard_chunks()
    assert [c.split(".")[0] for c in chunks] == list(shell.DASHBOARD_CODE)
    assert all((shell.STATIC_JS / c).is_file() for c in chunks)


def test_dashboard_chunks_takes_the_bundle_itself_and_skips_what_only_starts_alike(tmp_path):
    for name in (
        "PlotlyChart.Ab1_x.js",
        "PlotlyChart.Ab1_x.js.map",
        "PlotlyChartExtra.Zz.js",
        "Metric.q9.css",
    ):
        (tmp_path / name).write_text("")
    assert ["PlotlyChart.Ab1_x.js"] == shell.dashboard_chunks(tmp_path, ("PlotlyChart", "Metric"))


def test_the_login_page_loads_the_dashboards_code_while_the_form_waits(seeded):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "落实 · 登录" == at.title[0].value
    scripts = [h.proto.body for h in at.get("html") if "import(" in h.proto.body]
    assert 1 == len(scripts)
    for chunk in shell.dashboard_chunks():
        assert json.dumps(chunk) in scripts[0]
