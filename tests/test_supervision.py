"""督办 (issue 16) through the store and the command line: units, scope, assignment, periods, reports with
evidence, who has not reported, leaders' instructions and reminders to a local SMTP server."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PASSWORD, make_report
from tracker import auth, cli, store
from tracker.browser_bench import free_port
from tracker.errors import InvalidInput, NotFound, PermissionDenied, UnsupportedDocument
from tracker.model import PLAN, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
MINUTES = "会议纪要：专题协商会于6月20日召开。\n".encode()
EXE = b"MZ\x90\x00" + bytes(200)


@pytest.fixture
def sv(db, users):
    """Two commitments: A led by 提案委员会 with 社法委 co-operating, B led by 社法委; unit accounts of both."""
    rid = store.import_report(db, make_report(), store.SYSTEM_USER)["report_id"]
    a, b = (it["id"] for it in store.report_items(db, rid, PLAN))
    store.manage_unit(db, None, "提案委员会", email="tian@example.gov.cn")
    store.manage_unit(db, None, "社法委", email="sfw@example.gov.cn")
    store.manage_unit(db, None, "文史委")
    auth.add_user(db, "tian", "staff", PASSWORD, by=None, unit="提案委员会")
    auth.add_user(db, "sfw", "staff", PASSWORD, by=None, unit="社法委")
    store.record(db, users["admin"], "assign", a, value={"lead": "提案委员会", "co": ["社法委"]})
    store.record(db, users["staff"], "assign", b, value={"lead": "社法委", "co": []})
    store.record(db, users["admin"], "cycle_open", "2023-06")
    goals = {m["item_id"]: m["id"] for m in store.report_metrics(db, rid, PLAN)}
    return {"rid": rid, "a": a, "b": b, "goal_b": goals[b], **users}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def counts(db) -> dict:
    tables = ("events", "items", "metrics", "progress_reports", "attachments", "blobs", "instructions")
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables} | {
        "state": [tuple(r) for r in db.execute("SELECT id, status, assigned, owner FROM items ORDER BY id")]
    }


# --- units ---------------------------------------------------------------------------------------


def test_units_add_list_disable_from_the_command_line(db_file, capsys):
    assert 0 == run(capsys, "units", "add", "经济委", "--email", "jjw@example.gov.cn")[0]
    assert 0 == run(capsys, "units", "add", "农业委")[0]
    assert (2, "") == run(capsys, "units", "add", "经济委")[:2]
    assert 0 == run(capsys, "units", "disable", "农业委")[0]
    code, out, _ = run(capsys, "units", "list", "--json")
    expected = [
        {"name": "农业委", "email": None, "active": False},
        {"name": "经济委", "email": "jjw@example.gov.cn", "active": True},
    ]
    assert expected == json.loads(out)


def test_a_bad_email_or_name_is_refused(db):
    with pytest.raises(InvalidInput, match="电子邮箱"):
        store.manage_unit(db, None, "经济委", email="not an address")
    with pytest.raises(InvalidInput, match="分隔符"):
        store.manage_unit(db, None, "经济委、农业委")
    assert [] == store.list_units(db)


def test_staff_may_not_manage_units(db, users):
    with pytest.raises(PermissionDenied):
        store.manage_unit(db, users["staff"], "经济委")
    store.manage_unit(db, users["admin"], "经济委")
    assert ["经济委"] == [u["name"] for u in store.list_units(db)]


def test_an_account_of_an_unknown_unit_is_refused(db, users):
    with pytest.raises(InvalidInput, match="没有单位"):
        auth.add_user(db, "x", "staff", PASSWORD, by=None, unit="不存在的委员会")
    with pytest.raises(InvalidInput, match="工作人员"):
        store.manage_unit(db, None, "经济委")
        auth.add_user(db, "y", "leader", PASSWORD, by=None, unit="经济委")
    assert store.get_user(db, "x") is None and store.get_user(db, "y") is None


def test_users_add_with_a_unit_from_the_command_line(db, users, capsys, monkeypatch):
    import io

    run(capsys, "units", "add", "经济委")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert 0 == run(capsys, "users", "add", "jjw", "--role", "staff", "--unit", "经济委")[0]
    assert "经济委" == store.get_user(db, "jjw")["unit"]


def test_owner_texts_are_matched_to_units_and_unknown_ones_offered():
    assert (["社会和法制委员会"], ["提案委"]) == store.match_units(
        "提案委、社会和法制委员会", ["社会和法制委员会", "经济委"]
    )
    assert (["经济委"], []) == store.match_units("市政协经济委", ["经济委"])
    assert ([], []) == store.match_units("", ["经济委"])


def test_assign_from_text_creates_the_chosen_units_and_assigns(db, users):
    report = make_report()
    rid = store.import_report(db, report, store.SYSTEM_USER)["report_id"]
    a, b = (it["id"] for it in store.report_items(db, rid, PLAN))
    db["items"].update(a, {"owner_text": "提案委员会", "co_owner_text": "社法委、文史委"})
    db["items"].update(b, {"owner_text": "社法委"})
    store.manage_unit(db, None, "社法委")
    assert ["提案委员会", "文史委"] == store.owner_suggestions(db, rid)["unknown"]
    assert 2 == store.assign_from_text(db, users["admin"], rid, add=["提案委员会"])
    assert {"lead": "提案委员会", "co": ["社法委"]} == store.assignment(store.get_row(db, "items", a))
    assert {"lead": "社法委", "co": []} == store.assignment(store.get_row(db, "items", b))


# --- scope ---------------------------------------------------------------------------------------


def test_a_name_that_is_no_account_sees_nothing_rather_than_everything(db, sv, capsys):
    with pytest.raises(NotFound, match="没有用户 tain"):
        store.visible_items(db, "tain")
    code, _, err = run(capsys, "evidence", sv["a"], "--out", "unused", "--user", "tain")
    assert (2, "没有用户 tain") == (code, err.strip().removeprefix("错误：")), err


def test_a_unit_sees_only_its_commitments(db, sv, capsys):
    assert {sv["a"]} == store.visible_items(db, "tian")
    assert {sv["a"], sv["b"]} == store.visible_items(db, "sfw")  # co-operates on A
    assert store.visible_items(db, sv["staff"]) is None  # office staff see all
    _, out, _ = run(capsys, "items", "--json", "--user", "tian")
    assert [sv["a"]] == [row["id"] for row in json.loads(out)]
    _, out, _ = run(capsys, "items", "--json", "--user", sv["staff"])
    assert [sv["a"], sv["b"]] == [row["id"] for row in json.loads(out)]


@pytest.mark.parametrize(
    "action, target, kw",
    [
        ("status", "b", {"value": Status.DONE}),
        ("due", "b", {"value": "2023-09-30"}),
        ("note", "b", {"note": "看看"}),
        ("progress", "goal_b", {"amount": 1}),
        ("report", "b", {"period": "2023-06", "text": "进展", "files": [("纪要.txt", MINUTES)]}),
        ("assign", "a", {"value": {"lead": "提案委员会", "co": []}}),  # its own commitment: office only
        ("owner", "a", {"value": "别的单位"}),
    ],
)
def test_a_unit_cannot_write_another_units_commitment_and_nothing_is_written(db, sv, action, target, kw):
    before = counts(db)
    with pytest.raises(PermissionDenied):
        store.record(db, "tian", action, sv[target], **kw)
    assert before == counts(db)


def test_a_unit_cannot_undo_an_assignment_nor_another_units_change(db, sv):
    assign = store.events_for(db, target_id=sv["a"], actions=("assign",))[0]["id"]
    other = store.record(db, "sfw", "status", sv["b"], value=Status.IN_PROGRESS)
    before = counts(db)
    for event in (assign, other):
        with pytest.raises(PermissionDenied):
            store.record(db, "tian", "undo", str(event))
    assert before == counts(db)


def test_a_unit_cannot_read_another_units_evidence_from_the_command_line(db, sv, capsys, tmp_path):
    store.record(db, "sfw", "report", sv["b"], period="2023-06", text="进展", files=[("纪要.txt", MINUTES)])
    code, _, err = run(capsys, "evidence", sv["b"], "--out", str(tmp_path / "out"), "--user", "tian")
    assert 2 == code and "无权" in err
    assert not (tmp_path / "out").exists()


def test_a_unit_writes_its_own_commitment(db, sv):
    assert store.record(db, "tian", "status", sv["a"], value=Status.IN_PROGRESS)
    assert Status.IN_PROGRESS == store.get_row(db, "items", sv["a"])["status"]


def test_assignment_is_undone_and_rebuilt_from_events(db, sv):
    event = store.record(db, sv["admin"], "assign", sv["a"], value={"lead": "文史委", "co": ["社法委"]})
    assert {"lead": "文史委", "co": ["社法委"]} == store.assignment(store.get_row(db, "items", sv["a"]))
    store.rebuild_state(db)
    assert {"lead": "文史委", "co": ["社法委"]} == store.assignment(store.get_row(db, "items", sv["a"]))
    store.record(db, sv["admin"], "undo", str(event))
    store.rebuild_state(db)
    assert {"lead": "提案委员会", "co": ["社法委"]} == store.assignment(store.get_row(db, "items", sv["a"]))


def test_assigning_an_unknown_or_disabled_unit_is_refused(db, sv):
    with pytest.raises(InvalidInput, match="没有单位"):
        store.record(db, sv["admin"], "assign", sv["a"], value={"lead": "不存在", "co": []})
    store.manage_unit(db, None, "文史委", "disable")
    with pytest.raises(InvalidInput, match="已停用"):
        store.record(db, sv["admin"], "assign", sv["a"], value={"lead": "文史委", "co": []})


def test_assign_from_the_command_line(db, sv, capsys):
    code, out, _ = run(
        capsys, "assign", sv["b"], "--unit", "文史委", "--co", "提案委员会", "--user", sv["admin"]
    )
    assert 0 == code and "已分配" in out
    assert {"lead": "文史委", "co": ["提案委员会"]} == store.assignment(store.get_row(db, "items", sv["b"]))
    assert "assign" == store.events_for(db, target_id=sv["b"], limit=1)[0]["action"]


# --- periods and reports -------------------------------------------------------------------------


def test_cycle_open_monthly_and_quarterly_with_default_and_given_due(db, sv, capsys):
    assert 0 == run(capsys, "cycle", "open", "2023q2", "--due", "2023-07-10", "--user", sv["admin"])[0]
    _, out, _ = run(capsys, "cycle", "list", "--json")
    rows = {p["label"]: p["due"] for p in json.loads(out)}
    assert {"2023-06": "2023-07-05", "2023-Q2": "2023-07-10"} == rows


def test_only_admins_open_periods_and_bad_labels_are_refused(db, sv, capsys):
    before = counts(db)
    with pytest.raises(PermissionDenied):
        store.record(db, sv["staff"], "cycle_open", "2023-07")
    code, _, err = run(capsys, "cycle", "open", "2023-13", "--user", sv["admin"])
    assert 2 == code and "月份" in err
    assert before == counts(db)
    assert ["2023-06"] == [p["label"] for p in store.list_periods(db)]


def test_a_report_for_a_period_not_opened_is_refused(db, sv):
    with pytest.raises(InvalidInput, match="尚未开启"):
        store.record(db, "tian", "report", sv["a"], period="2023-07", text="进展")


def test_late_reports_are_accepted_and_marked_late(db, sv):
    store.record(db, "tian", "report", sv["a"], period="2023-06", text="按时", filed="2023-07-05")
    store.record(db, "sfw", "report", sv["b"], period="2023-06", text="晚了", filed="2023-07-06")
    rows = {r["unit"]: r["late"] for r in store.progress_reports(db, period="2023-06")}
    assert {"提案委员会": False, "社法委": True} == rows
    matrix, _ = store.matrix_for(db)
    assert [{"unit": "提案委员会", "2023-06": "按时"}, {"unit": "社法委", "2023-06": "逾期"}] == matrix


def test_a_second_report_supersedes_the_first_and_both_are_kept(db, sv):
    store.record(db, "tian", "report", sv["a"], period="2023-06", text="第一稿", filed="2023-07-01")
    store.record(db, "tian", "report", sv["a"], period="2023-06", text="第二稿", filed="2023-07-02")
    assert ["第二稿", "第一稿"] == [r["text"] for r in store.progress_reports(db, [sv["a"]])]
    assert ["第二稿"] == [r["text"] for r in store.progress_reports(db, [sv["a"]], latest=True)]
    with pytest.raises(Exception, match="append-only"):
        db.execute("DELETE FROM progress_reports")


def test_report_from_the_command_line_marks_late(db, sv, capsys, tmp_path):
    (tmp_path / "纪要.txt").write_bytes(MINUTES)
    code, out, _ = run(
        capsys, "report", sv["a"], "--period", "2023-06", "--text", "已召开专题协商会",
        "--attach", str(tmp_path / "纪要.txt"), "--user", "tian",
    )  # fmt: skip
    assert 0 == code
    assert "已报送 2023-06 进展（逾期报送），佐证材料 1 个" in out  # today is long after 2023-07-05


# --- evidence ------------------------------------------------------------------------------------


def test_evidence_round_trip_bytes_equal_and_the_same_file_stored_once(db, sv, capsys, tmp_path):
    for name, data in (("纪要.txt", MINUTES), ("现场.png", PNG)):
        (tmp_path / name).write_bytes(data)
    for _ in range(2):
        run(
            capsys, "report", sv["a"], "--period", "2023-06", "--text", "进展", "--user", "tian",
            "--attach", str(tmp_path / "纪要.txt"), "--attach", str(tmp_path / "现场.png"),
        )  # fmt: skip
    assert 2 == db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert 4 == db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    code, out, _ = run(capsys, "evidence", sv["a"], "--out", str(tmp_path / "out"), "--user", "tian")
    assert 0 == code
    assert ["现场.png", "纪要.txt"] == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert MINUTES == (tmp_path / "out" / "纪要.txt").read_bytes()
    assert PNG == (tmp_path / "out" / "现场.png").read_bytes()


@pytest.mark.parametrize(
    "name, data, reason",
    [("方案.pdf", EXE, "类型不受支持"), ("图.pdf", PNG, "扩展名"), ("空.txt", b"", "空文件")],
)
def test_refused_evidence_refuses_the_report_and_writes_nothing(db, sv, capsys, tmp_path, name, data, reason):
    before = counts(db)
    with pytest.raises(UnsupportedDocument, match=reason):
        store.record(
            db, "tian", "report", sv["a"], period="2023-06", text="进展",
            files=[("纪要.txt", MINUTES), (name, data)],
        )  # fmt: skip
    (tmp_path / name).write_bytes(data)
    code, _, err = run(
        capsys, "report", sv["a"], "--period", "2023-06", "--text", "进展", "--user", "tian",
        "--attach", str(tmp_path / name),
    )  # fmt: skip
    assert 2 == code and reason in err and 1 == len(err.strip().splitlines())
    assert before == counts(db)


# --- who has not reported ------------------------------------------------------------------------


def test_missing_lists_each_lead_unit_without_a_report(db, sv, capsys):
    code, out, _ = run(capsys, "missing", "--period", "2023-06", "--json")
    expected = [
        {"unit": "提案委员会", "email": "tian@example.gov.cn", "items": [sv["a"]]},
        {"unit": "社法委", "email": "sfw@example.gov.cn", "items": [sv["b"]]},
    ]
    assert (0, expected) == (code, json.loads(out))
    store.record(
        db, "sfw", "report", sv["a"], period="2023-06", text="配合单位的进展"
    )  # co-unit: settles nothing
    store.record(db, "sfw", "report", sv["b"], period="2023-06", text="进展")
    _, out, _ = run(capsys, "missing", "--period", "2023-06", "--json")
    assert [{"unit": "提案委员会", "email": "tian@example.gov.cn", "items": [sv["a"]]}] == json.loads(out)


# --- leaders' instructions -----------------------------------------------------------------------


def test_a_leader_may_comment_but_not_tick(db, sv, capsys):
    code, out, _ = run(
        capsys, "comment", sv["a"], "--text", "请抓紧推进，月底前见成效", "--user", sv["leader"]
    )
    assert 0 == code
    before = counts(db)
    code, _, err = run(capsys, "tick", sv["a"], "--user", sv["leader"])
    assert 2 == code and "无权" in err
    assert before == counts(db)
    (ins,) = store.instructions(db, [sv["a"]])
    assert ("请抓紧推进，月底前见成效", sv["leader"], []) == (ins["text"], ins["by"], ins["read_by"])
    assert "comment" == store.events_for(db, target_id=sv["a"], limit=1)[0]["action"]


def test_staff_may_not_comment(db, sv):
    with pytest.raises(PermissionDenied):
        store.record(db, sv["staff"], "comment", sv["a"], text="批示")


def test_a_unit_marks_an_instruction_read_once(db, sv):
    store.record(db, sv["leader"], "comment", sv["a"], text="抓落实")
    (ins,) = store.instructions(db)
    assert store.record(db, "tian", "read", sv["a"], instruction=ins["id"])
    assert 0 == store.record(db, "tian", "read", sv["a"], instruction=ins["id"])
    assert ["提案委员会"] == store.instructions(db)[0]["read_by"]
    with pytest.raises(PermissionDenied):
        store.record(db, "tian", "read", sv["b"], instruction=ins["id"])


# --- reminders -----------------------------------------------------------------------------------


def test_remind_sends_one_message_per_unit_to_a_local_smtp_server(db, sv, capsys, smtp_server):
    from email import message_from_bytes, policy

    inbox, port = smtp_server
    store.record(db, "sfw", "report", sv["b"], period="2023-06", text="进展", filed="2023-07-01")
    store.manage_unit(db, None, "社法委", "email", "")  # no address: listed as skipped
    _, text, _ = run(capsys, "remind", "--as-of", "2023-07-10")
    assert "【督办提醒】提案委员会：1项任务待办" in text
    code, out, err = run(
        capsys, "remind", "--as-of", "2023-07-10", "--send", "--smtp", f"127.0.0.1:{port}",
        "--from", "duban@example.gov.cn",
    )  # fmt: skip
    assert 0 == code
    assert "已发送：tian@example.gov.cn" in out
    assert [["tian@example.gov.cn"]] == [e.rcpt_tos for e in inbox.envelopes]
    got = message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    assert "【督办提醒】提案委员会：1项任务待办" == got["Subject"]
    assert "2023年6月进展情况：畅通民意沟通渠道（应于2023年7月5日前报送，已逾期5天）" in got.get_content()
    assert got.get_content() in text


def test_remind_json_lists_unread_instructions_until_read(db, sv, capsys):
    store.record(db, sv["leader"], "comment", sv["a"], text="抓落实")
    day = store.instructions(db)[0]["at"][:10]
    _, out, _ = run(capsys, "remind", "--as-of", "2099-01-01", "--json")
    units = {r["unit"]: [i["text"] for i in r["instructions"]] for r in json.loads(out)}
    assert {"提案委员会": ["抓落实"], "社法委": ["抓落实"]} == units
    store.record(db, "tian", "read", sv["a"], instruction=store.instructions(db)[0]["id"])
    _, out, _ = run(capsys, "remind", "--as-of", "2099-01-01", "--json")
    units = {r["unit"]: [i["text"] for i in r["instructions"]] for r in json.loads(out)}
    assert {"提案委员会": [], "社法委": ["抓落实"]} == units
    assert day  # stored


def test_remind_send_without_a_server_is_one_line(db, sv, capsys):
    code, _, err = run(
        capsys, "remind", "--as-of", "2023-07-10", "--send", "--smtp", f"127.0.0.1:{free_port()}",
        "--from", "duban@example.gov.cn",
    )  # fmt: skip
    assert 2 == code and "无法连接邮件服务器" in err and 1 == len(err.strip().splitlines())


# --- the workbook --------------------------------------------------------------------------------


def test_the_workbook_gains_a_sheet_per_unit_and_the_periods_reports(db, sv):
    import io
    from datetime import date

    import openpyxl

    from tracker import export

    store.record(db, "tian", "report", sv["a"], period="2023-06", text="第一稿", filed="2023-07-01")
    store.record(db, "tian", "report", sv["a"], period="2023-06", text="第二稿", filed="2023-07-02",
                 files=[("纪要.txt", MINUTES)])  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, sv["rid"], date(2023, 7, 10))))
    assert ["概况", "任务", "数字目标", "活动记录", "历史", "单位督办", "进展报送"] == wb.sheetnames
    first = export.HEADER_ROW + 1  # under the title block and the header row
    rows = [[c.value for c in row] for row in wb["单位督办"].iter_rows(min_row=first)]
    expected = [
        ["提案委员会", "牵头", "按时"],
        ["社法委", "牵头", "未报"],
        ["社法委", "配合", None],
    ]
    assert expected == [[r[0], r[1], r[6]] for r in rows]
    assert "第二稿" == rows[0][9] and 1 == rows[0][10]
    reports = [[c.value for c in row] for row in wb["进展报送"].iter_rows(min_row=first)]
    assert [["2023-06", "提案委员会", "第二稿", "纪要.txt"]] == [[r[0], r[1], r[5], r[6]] for r in reports]


def test_the_workbook_without_units_keeps_its_own_sheets(db, users):
    import io
    from datetime import date

    import openpyxl

    from tracker import export

    rid = store.import_report(db, make_report(), store.SYSTEM_USER)["report_id"]
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, rid, date(2023, 7, 10))))
    assert ["概况", "任务", "数字目标", "活动记录", "历史"] == wb.sheetnames


def test_import_by_a_named_admin_assigns_commitments_to_the_units_the_text_names(db, users, capsys, tmp_path):
    text = (
        "各位代表：\n2023年工作回顾\n一、经济运行\n全年地区生产总值增长5%。\n"
        "2024年工作安排\n一、办好民生实事\n"
        "扩大普惠托育供给。新增托位1000个（牵头单位：市卫生健康委；配合单位：市教育局、市财政局）。\n"
        "改善农村出行条件。新建改建农村公路200公里。责任单位：市交通运输局。\n"
    )
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    for unit in ("市卫生健康委", "市教育局"):
        store.manage_unit(db, None, unit)
    code, _, err = run(capsys, "import", str(tmp_path / "report.txt"), "--user", users["admin"])
    assert 0 == code and "按原文分配单位 1 项" in err
    rid = store.list_reports(db)[0]["id"]
    got = [(it["title"], store.assignment(it)) for it in store.report_items(db, rid, PLAN)]
    assert [
        ("扩大普惠托育供给", {"lead": "市卫生健康委", "co": ["市教育局"]}),
        ("改善农村出行条件", {"lead": "", "co": []}),
    ] == got
    assert ["市财政局", "市交通运输局"] == store.owner_suggestions(db, rid)["unknown"]
