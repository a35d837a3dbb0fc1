"""Reminders per unit (issue 16): what is due, overdue, unreported, unread; the text; mail through a
real local SMTP server (aiosmtpd) started in the test."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import Inbox
from tracker import progress, remind
from tracker.browser_bench import free_port
from tracker.errors import InvalidInput, TrackerError
from tracker.remind import (
    CO,
    LEAD,
    Instruction,
    MailError,
    MissingReport,
    Reminder,
    Task,
    build_message,
    outbox,
    reminders,
    render_text,
    send,
)

AS_OF = date(2023, 7, 10)
ITEMS = [
    {"id": "i1", "title": "建设委员工作室10家", "lead": "市发改委", "co": ["市财政局"], "due": "2023-07-31"},
    {"id": "i2", "title": "开展专题调研", "lead": "市财政局", "co": [], "due": "2023-06-30"},
    {
        "id": "i3",
        "title": "完善履职档案",
        "lead": "市发改委",
        "co": [],
        "due": "2023-06-30",
        "done_on": "2023-06-28",
    },
    {
        "id": "i4",
        "title": "举办读书活动",
        "lead": "市发改委",
        "co": [],
        "due": "2023-08-09",
    },  # 30 days: due soon
    {"id": "i5", "title": "加强宣传", "lead": "市发改委", "co": [], "due": "2023-08-10"},  # 31 days: not yet
    {"id": "i6", "title": "推进协商议政", "lead": "市文旅局", "co": [], "due": "2023-07-01"},  # disabled unit
    {"id": "i7", "title": "提升提案质量", "lead": "市民政局", "co": [], "due": "2023-07-10"},  # due today
    {"id": "i8", "title": "没有截止日期", "lead": "市民政局", "co": ["市发改委"], "due": None},
]
UNITS = [
    {"name": "市发改委", "email": "fgw@example.gov.cn", "active": 1},
    {"name": "市财政局", "email": "czj@example.gov.cn", "active": 1},
    {"name": "市文旅局", "email": "wl@example.gov.cn", "active": 0},
    {"name": "市民政局", "email": None, "active": 1},
]
PERIODS = [
    {"label": "2023-05", "due": None},  # due 2023-06-05
    {"label": "2023-06", "due": None},  # due 2023-07-05
    {"label": "2023-07", "due": None},  # due 2023-08-05: not yet due, nothing missing
]
REPORTS = [
    {"unit": "市发改委", "item": "i1", "period": "2023-05", "filed": "2023-06-03"},
    {"unit": "市发改委", "item": "i1", "period": "2023-06", "filed": "2023-07-08"},  # late, but filed
    {"unit": "市发改委", "item": "i4", "period": "2023-05", "filed": "2023-06-01"},
    {
        "unit": "市发改委",
        "item": "i4",
        "period": "2023-06",
        "filed": "2023-07-11",
    },  # after the day: missing then
    {"unit": "市发改委", "item": "i5", "period": "2023-05", "filed": "2023-06-01"},
    {"unit": "市发改委", "item": "i5", "period": "2023-06", "filed": "2023-07-01"},
    {
        "unit": "市发改委",
        "item": "i8",
        "period": "2023-05",
        "filed": "2023-06-01",
    },  # a co-unit's: settles nothing
    {"unit": "市财政局", "item": "i2", "period": "2023-05", "filed": "2023-06-01"},
    {"unit": "市财政局", "item": "i2", "period": "2023-06", "filed": "2023-07-01"},
    {"unit": "市民政局", "item": "i7", "period": "2023-05", "filed": "2023-06-01"},
    {"unit": "市民政局", "item": "i7", "period": "2023-06", "filed": "2023-07-01"},
    {"unit": "市民政局", "item": "i8", "period": "2023-06", "filed": "2023-07-01"},
]
INSTRUCTIONS = [
    {"id": 1, "item": "i1", "text": "请加快进度，月底前建成。", "by": "张主席", "at": "2023-07-02T01:00:00Z",
     "read_by": ["市发改委"]},
    {"id": 2, "item": "i2", "text": "调研报告报我阅。", "by": "李副主席", "at": "2023-07-03T02:00:00Z", "read_by": []},
    {"id": 3, "item": "i2", "text": "写在提醒日之后。", "by": "李副主席", "at": "2023-07-11", "read_by": []},
]  # fmt: skip


@pytest.fixture
def rs() -> list[Reminder]:
    return reminders(ITEMS, REPORTS, PERIODS, INSTRUCTIONS, UNITS, AS_OF)


def by_unit(rs) -> dict[str, Reminder]:
    return {r.unit: r for r in rs}


def test_due_soon_window_is_the_lights_window():
    assert progress.DUE_SOON_DAYS == remind.DUE_SOON_DAYS


def test_one_reminder_per_unit_with_something_to_do(rs):
    # 市文旅局 is disabled; everyone else has something
    assert ["市发改委", "市民政局", "市财政局"] == [r.unit for r in rs]


def test_lead_unit_due_soon_overdue_and_missing(rs):
    fgw = by_unit(rs)["市发改委"]
    assert "fgw@example.gov.cn" == fgw.email
    assert date(2023, 7, 13) == fgw.reply_by
    # i3 is done; i5 is 31 days away; i8 has no due date
    assert [
        Task("i1", "建设委员工作室10家", date(2023, 7, 31), 21, LEAD),
        Task("i4", "举办读书活动", date(2023, 8, 9), 30, LEAD),
    ] == fgw.due_soon
    assert [] == fgw.overdue
    # i3 was done on 28 June: it still owes the May and June reports (the final one included)
    assert [
        MissingReport("i3", "完善履职档案", "2023-05", "2023年5月", date(2023, 6, 5), 35),
        MissingReport("i3", "完善履职档案", "2023-06", "2023年6月", date(2023, 7, 5), 5),
        MissingReport("i4", "举办读书活动", "2023-06", "2023年6月", date(2023, 7, 5), 5),
    ] == fgw.missing
    # instruction 1 is read by 市发改委
    assert [] == fgw.instructions
    assert 3 == fgw.tasks


def test_co_unit_gets_due_and_overdue_and_instructions_but_owes_no_report(rs):
    czj = by_unit(rs)["市财政局"]
    assert [Task("i1", "建设委员工作室10家", date(2023, 7, 31), 21, CO)] == czj.due_soon
    assert [Task("i2", "开展专题调研", date(2023, 6, 30), 10, LEAD)] == czj.overdue
    assert [] == czj.missing
    # instruction 1 is on i1, which 市财政局 co-operates on and has not read; 3 is after the day
    assert [
        Instruction(1, "i1", "建设委员工作室10家", "请加快进度，月底前建成。", "张主席", date(2023, 7, 2)),
        Instruction(2, "i2", "开展专题调研", "调研报告报我阅。", "李副主席", date(2023, 7, 3)),
    ] == czj.instructions
    assert 2 == czj.tasks


def test_due_today_and_missing_for_a_unit_without_email(rs):
    mz = by_unit(rs)["市民政局"]
    assert mz.email is None
    assert [Task("i7", "提升提案质量", date(2023, 7, 10), 0, LEAD)] == mz.due_soon
    # i8 for May: only 市发改委 (a co-unit) reported
    assert [MissingReport("i8", "没有截止日期", "2023-05", "2023年5月", date(2023, 6, 5), 35)] == mz.missing


def test_nothing_to_do_means_no_reminder():
    items = [{"id": "a", "title": "甲", "lead": "市发改委", "co": [], "due": "2023-12-31"}]
    assert [] == reminders(items, [], [], [], UNITS, AS_OF)
    assert [] == reminders([], [], PERIODS, [], UNITS, AS_OF)


def test_done_later_than_the_day_still_counts_as_not_done_then():
    items = [{"id": "a", "title": "甲", "lead": "市发改委", "due": "2023-07-01", "done_on": "2023-07-20"}]
    (r,) = reminders(items, [], [], [], UNITS, AS_OF)
    assert [Task("a", "甲", date(2023, 7, 1), 9, LEAD)] == r.overdue


def test_a_period_due_today_is_not_yet_missing():
    items = [{"id": "a", "title": "甲", "lead": "市发改委", "due": None}]
    assert [] == reminders(items, [], [{"label": "2023-06", "due": "2023-07-10"}], [], UNITS, AS_OF)
    (r,) = reminders(items, [], [{"label": "2023-06", "due": "2023-07-09"}], [], UNITS, AS_OF)
    assert ["2023-06"] == [m.period for m in r.missing]


def test_render_text_in_the_office_register(rs):
    czj = by_unit(rs)["市财政局"]
    assert (
        "市财政局：\n"
        "\n"
        "截至2023年7月10日，贵单位有以下2项任务需要办理：\n"
        "\n"
        "一、30天内到期的任务（1项）\n"
        "1. （配合）建设委员工作室10家（截止2023年7月31日，还有21天）\n"
        "\n"
        "二、已超期的任务（1项）\n"
        "1. 开展专题调研（截止2023年6月30日，已超期10天）\n"
        "\n"
        "三、未阅的领导批示（2条）\n"
        "1. 张主席于2023年7月2日对“建设委员工作室10家”批示：请加快进度，月底前建成。\n"
        "2. 李副主席于2023年7月3日对“开展专题调研”批示：调研报告报我阅。\n"
        "\n"
        "请抓紧推进即将到期和已超期的任务，按时报送进展情况；请及时阅知领导批示并抓好落实。\n"
        "\n"
        "落实督办系统\n"
        "2023年7月10日\n"
    ) == render_text(czj)


def test_render_text_asks_for_the_missing_reports_by_a_date(rs):
    text = render_text(by_unit(rs)["市民政局"])
    assert "一、30天内到期的任务（1项）\n1. 提升提案质量（截止2023年7月10日，今天到期）\n" in text
    assert (
        "二、未报送的进展情况（1项）\n1. 2023年5月进展情况：没有截止日期（应于2023年6月5日前报送，已逾期35天）\n"
        in text
    )
    assert (
        "请于2023年7月13日前补报上述进展情况及佐证材料；请抓紧推进即将到期和已超期的任务，按时报送进展情况。"
        in text
    )


def test_to_json(rs):
    got = remind.to_json(rs)
    assert json.loads(json.dumps(got, ensure_ascii=False)) == got
    mz = got[1]
    assert {
        "unit": "市民政局",
        "email": None,
        "as_of": "2023-07-10",
        "reply_by": "2023-07-13",
        "due_soon": [{"item": "i7", "title": "提升提案质量", "due": "2023-07-10", "days": 0, "role": "lead"}],
        "overdue": [],
        "missing": [
            {"item": "i8", "title": "没有截止日期", "period": "2023-05", "period_name": "2023年5月",
             "due": "2023-06-05", "days": 35}
        ],
        "instructions": [],
        "tasks": 2,
    } == mz  # fmt: skip


def decoded(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_build_message_headers_and_utf8_body(rs):
    fgw = by_unit(rs)["市发改委"]
    msg = decoded(build_message(fgw, "duban@example.gov.cn").as_bytes())
    assert "【督办提醒】市发改委：3项任务待办" == msg["Subject"]
    assert "市发改委 <fgw@example.gov.cn>" == str(msg["To"])
    assert "落实督办系统 <duban@example.gov.cn>" == str(msg["From"])
    assert "auto-generated" == msg["Auto-Submitted"]
    assert msg["Message-ID"].endswith("@example.gov.cn>")
    assert msg["Date"]
    assert "utf-8" == msg.get_content_charset()
    assert render_text(fgw) == msg.get_content()
    raw = build_message(fgw, "督办室 <duban@example.gov.cn>").as_bytes()
    assert raw.isascii()  # Chinese only as encoded words and a transfer-encoded body
    assert "督办室 <duban@example.gov.cn>" == str(decoded(raw)["From"])


def test_build_message_refuses_a_unit_without_email_and_bad_addresses(rs):
    with pytest.raises(InvalidInput, match="市民政局没有登记电子邮箱"):
        build_message(by_unit(rs)["市民政局"], "duban@example.gov.cn")
    with pytest.raises(InvalidInput, match="“not-an-address”不是有效的电子邮箱地址"):
        build_message(by_unit(rs)["市发改委"], "not-an-address")


@pytest.mark.parametrize("addr", ["a@b.cn", "duban.office+x@mail.example.gov.cn", " a@b.cn "])
def test_check_address_accepts(addr):
    assert addr.strip() == remind.check_address(addr)


@pytest.mark.parametrize(
    "addr",
    ["", "a", "a@b", "@b.cn", "a@.cn", "a b@c.cn", "督办@example.cn", "a@b..cn", "a@b.cn\nBcc: x@y.cn"],
)
def test_check_address_refuses(addr):
    with pytest.raises(InvalidInput, match="不是有效的电子邮箱地址"):
        remind.check_address(addr)


def test_outbox_skips_and_lists_units_without_email(rs):
    messages, skipped = outbox(rs, "duban@example.gov.cn")
    assert ["市民政局"] == skipped
    assert ["fgw@example.gov.cn", "czj@example.gov.cn"] == [m["To"].addresses[0].addr_spec for m in messages]


def test_send_to_a_local_smtp_server(rs, smtp_server):
    inbox, port = smtp_server
    messages, skipped = outbox(rs, "督办室 <duban@example.gov.cn>")
    result = send(messages, "127.0.0.1", port)
    assert ["fgw@example.gov.cn", "czj@example.gov.cn"] == result.sent
    assert [] == result.refused
    assert ["市民政局"] == skipped
    assert [["fgw@example.gov.cn"], ["czj@example.gov.cn"]] == [e.rcpt_tos for e in inbox.envelopes]
    assert ["duban@example.gov.cn"] * 2 == [e.mail_from for e in inbox.envelopes]
    got = decoded(inbox.envelopes[1].content)
    assert "【督办提醒】市财政局：2项任务待办" == got["Subject"]
    assert "市财政局 <czj@example.gov.cn>" == str(got["To"])
    assert render_text(by_unit(rs)["市财政局"]) == got.get_content()
    assert "1. 开展专题调研（截止2023年6月30日，已超期10天）" in got.get_content()


def test_a_refused_recipient_is_listed_and_the_others_still_go(rs, smtp_server):
    inbox, port = smtp_server
    fgw, czj = by_unit(rs)["市发改委"], by_unit(rs)["市财政局"]
    fgw.email = "nobody@example.gov.cn"
    result = send([build_message(fgw, "duban@example.gov.cn"), build_message(czj, "duban@example.gov.cn")],
                  "127.0.0.1", port)  # fmt: skip
    assert ["czj@example.gov.cn"] == result.sent
    assert [("nobody@example.gov.cn", "550 5.1.1 no such mailbox")] == result.refused
    assert [["czj@example.gov.cn"]] == [e.rcpt_tos for e in inbox.envelopes]


def test_unreachable_server_is_one_clear_chinese_error(rs):
    port = free_port()  # nothing listens there
    messages, _ = outbox(rs, "duban@example.gov.cn")
    with pytest.raises(MailError) as e:
        send(messages, "127.0.0.1", port, timeout=5)
    assert f"无法连接邮件服务器 127.0.0.1:{port}（连接被拒绝，请检查地址和端口）" == str(e.value)
    assert isinstance(e.value, TrackerError)


def test_starttls_refused_by_a_server_without_it(rs, smtp_server):
    _, port = smtp_server
    messages, _ = outbox(rs, "duban@example.gov.cn")
    with pytest.raises(MailError) as e:
        send(messages, "127.0.0.1", port, starttls=True)
    assert f"邮件服务器 127.0.0.1:{port} 不支持STARTTLS" == str(e.value)


@pytest.fixture
def auth_server():
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"duban",
            b"s3cret",
        )
        # handled=False: aiosmtpd then replies 535 itself (True means "the reply is sent", and the client hangs)
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_login_then_send(rs, auth_server):
    inbox, port = auth_server
    messages, _ = outbox(rs, "duban@example.gov.cn")
    assert 2 == len(send(messages, "127.0.0.1", port, user="duban", password="s3cret").sent)
    assert 2 == len(inbox.envelopes)


def test_wrong_password_is_one_clear_chinese_error(rs, auth_server):
    inbox, port = auth_server
    messages, _ = outbox(rs, "duban@example.gov.cn")
    with pytest.raises(MailError) as e:
        send(messages, "127.0.0.1", port, user="duban", password="wrong")
    assert f"邮件服务器 127.0.0.1:{port} 拒绝了用户名或密码" == str(e.value)
    assert [] == inbox.envelopes
