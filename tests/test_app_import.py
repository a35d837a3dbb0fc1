"""AppTest of the 导入 page (issue 6): the upload goes through session state (AppTest cannot set a
file_uploader), a correction and 确认导入 write rows, a refused file writes none."""

from __future__ import annotations

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from tracker import store

from .conftest import ROOT, SAMPLE

PAGE = "tracker/ui/import_page.py"


def open_page(users, role="admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": users[role], "role": role}
    at.session_state["last_seen"] = time.time()
    at.run()
    return at.switch_page(PAGE).run()


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def counts(db) -> dict:
    return {t: db[t].count for t in ("reports", "items", "metrics", "events")}


def test_upload_rename_add_metric_and_confirm_writes_the_corrected_report(db, users):
    at = open_page(users)
    assert not at.exception
    assert "20 MB" in at.caption[0].value
    report_id = store.list_reports(db)[0]["id"]  # the app seeded the sample on first start
    at.session_state["import_pending"] = (SAMPLE.name, SAMPLE.read_bytes())
    at.run()
    assert not at.exception
    assert "同样内容的文件已于" in at.info[0].value
    at.selectbox(key="import_item").set_value(19).run()
    at.text_input(key="import_new_title").set_value("畅通民意渠道，建设委员工作室")
    button(at, "import_rename").click().run()
    at.text_input(key="import_quote").set_value("委员读书活动")
    at.text_input(key="import_value").set_value("4")
    at.text_input(key="import_unit").set_value("场")
    at.text_input(key="import_activity").set_value("委员读书活动")
    button(at, "import_add_metric").click().run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == []
    button(at, "import_confirm").click().run()
    assert not at.exception
    assert "import_draft" not in at.session_state
    item = next(
        it
        for it in store.report_items(db, report_id)
        if it["id"] == store.stable_id(report_id, "plan", 3, "畅通民意沟通渠道", "")
    )
    assert item["title"] == "畅通民意渠道，建设委员工作室"
    added = [m for m in store.report_metrics(db, report_id) if m["activity"] == "委员读书活动"]
    assert [(m["value"], m["unit"], m["quote"]) for m in added] == [(4.0, "场", "委员读书活动")]
    assert len(store.corrections_for(db, store.report_id_for(store_report(db, report_id)))) == 2


def store_report(db, report_id):
    """The stored report as the extractor would name it (title and years), for its source key."""
    from tracker.model import Report

    row = store.get_report(db, report_id)
    return Report(
        text="",
        title=row["title"],
        org=row["org"],
        review_year=row["review_year"],
        plan_year=row["plan_year"],
    )


def test_a_refused_file_shows_one_chinese_message_and_writes_nothing(db, users):
    at = open_page(users)
    before = counts(db)
    at.session_state["import_pending"] = ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200))
    at.run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "无法导入“photo.txt”：这不是文本文件（看起来是 PNG 图片），请上传 .txt、.docx 或 .pdf"
    ]
    assert "import_draft" not in at.session_state
    assert before == counts(db)
    at.session_state["import_pending"] = (SAMPLE.name, SAMPLE.read_bytes())  # the app keeps running
    at.run()
    assert not at.exception and "import_draft" in at.session_state


def test_staff_and_leaders_do_not_get_the_import_page(db, users):
    for role in ("staff", "leader"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user"] = {"name": users[role], "role": role}
        at.session_state["last_seen"] = time.time()
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(PAGE)


def shown(markdown: str) -> str:
    """What a person reads: the page escapes markdown in text that comes from files and people."""
    return re.sub(r"\\(.)", r"\1", markdown)
