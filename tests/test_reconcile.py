"""Reconciliation (issue 7): next year's review against this year's plan, goals and logged counts.

The next report is tests/fixtures/export/cppcc-city-2023.txt, written for this test: its 2023 review
reports five of the sample's twelve 2023 commitments and states six counts.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tracker import cli, reconcile, service, store
from tracker.errors import InvalidInput

from .conftest import ROOT
from .test_export import category, goal

NEXT = ROOT / "tests" / "fixtures" / "export" / "cppcc-city-2023.txt"


@pytest.fixture
def both(db, seeded, users) -> tuple[str, str]:
    """The sample (plan 2023) with 2023's logs, and the next year's report imported by the admin."""
    staff = users["staff"]
    store.record(db, staff, "activity", category(db, seeded, "主题党日"), amount=42, date="2023-03-01")
    store.record(db, staff, "activity", category(db, seeded, "专题议政性常委会"), amount=4, date="2023-05-10")
    store.record(db, staff, "activity", category(db, seeded, "专题协商"), amount=8, date="2023-06-20")
    store.record(db, staff, "activity", category(db, seeded, "进村入企宣讲"), amount=3, date="2023-04-01")
    store.record(db, staff, "progress", goal(db, seeded, "委员工作室"), amount=6, date="2023-07-01")
    store.record(db, staff, "progress", goal(db, seeded, "全员集中培训"), amount=2, date="2023-09-01")
    nxt = service.import_file(db, NEXT.read_bytes(), NEXT.name, users["admin"])["report_id"]
    return seeded, nxt


def test_next_years_review_is_matched_against_plan_and_logs(db, both):
    rid, nxt = both
    assert nxt == store.next_report_id(db, rid)
    result = reconcile.reconcile(db, rid)
    assert nxt == result.next_report["id"]
    assert [
        "强化理论武装不停步",
        "深化党建工作不断档",
        "拓展协商议政形式",
        "畅通民意沟通渠道",
        "完善委员服务管理",
    ] == [m.title for m in result.mentioned]
    assert "畅通民意沟通渠道。推动政协协商向基层延伸,建设委员工作室8家,委员讲堂、委员接待日常态开展" == (
        result.mentioned[3].quote
    )
    assert [
        "坚持党的领导不动摇",
        "规范协商议政内容",
        "提升协商议政效果",
        "强化民主监督质效",
        "凝聚民心汇聚共识",
        "提高机关工作水平",
        "加强宣传阵地建设",
    ] == [it["title"] for it in result.unmentioned]
    counts = [(c.state, c.source, c.label, c.unit, c.logged, c.reported) for c in result.counts]
    assert [
        ("agree", "activity", "开展集中学习、主题党日等活动", "次", 42.0, 42),
        ("agree", "activity", "召开专题议政性常委会", "次", 4.0, 4),
        ("differ", "activity", "进行专题协商", "次", 8.0, 9),
        ("differ", "goal", "建设委员工作室", "家", 6.0, 8),
        ("agree", "goal", "全员集中培训", "次", 2.0, 2),
        ("unlogged", "activity", "开展对口协商、界别协商等活动", "次", None, 25),
        ("unreported", "activity", "组织委员进村入企宣讲", "场", 3.0, None),
    ] == counts
    assert {
        "plan_items": 12,
        "mentioned": 5,
        "unmentioned": 7,
        "agree": 3,
        "differ": 2,
        "redacted": 0,
        "unlogged": 1,
        "unreported": 1,
    } == result.summary()


def test_the_previous_years_review_is_refused_as_next_year(db, both):
    rid, nxt = both
    with pytest.raises(InvalidInput, match="所选报告回顾的是2022年"):
        reconcile.reconcile(db, nxt, rid)
    with pytest.raises(InvalidInput, match="请选择另一份报告"):
        reconcile.reconcile(db, rid, rid)


def test_without_a_next_report_the_reason_is_given(db, seeded):
    assert store.next_report_id(db, seeded) is None
    with pytest.raises(InvalidInput, match="还没有导入回顾 2023年工作的下一年度报告"):
        reconcile.reconcile(db, seeded)


@pytest.mark.parametrize(
    ("logged", "reported", "approx", "expected"),
    [
        (9, 9, False, True),
        (8, 9, False, False),
        (104, 100, True, True),
        (200, 100, True, False),
        (89, 100, True, False),
        (35, 30, True, True),
        (41, 30, True, False),
        (3, 3, True, True),
    ],
)
def test_counts_agree(logged, reported, approx, expected):
    assert expected == reconcile.counts_agree(logged, reported, approx)


def test_scattered_shared_characters_are_not_a_mention():
    items = [
        {
            "id": "a",
            "section": 2,
            "title": "规范协商议政内容",
            "text": "规范协商议政内容。精选协商议题。",
            "status": "未开始",
            "owner": "",
        }
    ]
    review = ["逐步构建协商议政格局,明确工作要求、规范工作流程,协商形式、内容、频次不断完善"]
    assert (0, 1) == tuple(len(x) for x in reconcile.match_items(items, [], review))
    mentioned, _ = reconcile.match_items(items, [], ["规范协商议政内容。紧扣中心任务精选议题"])
    assert ["标题"] == [m.signal for m in mentioned]


def test_cli_reconcile_prints_both_numbers(db, both, capsys):
    rid, nxt = both
    assert 0 == cli.main(["reconcile", "--report", rid, "--next", nxt])
    out = capsys.readouterr().out
    assert "计划任务 12 项：报告提及 5 项，未提及 7 项" in out
    assert "  不一致  进行专题协商：登记 8次，报告 9次" in out
    assert "  未提及 [未开始] 3. 强化民主监督质效" in out


def test_export_page_offers_downloads_to_leaders_and_shows_the_reconciliation(db, both, users, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-12-31")
    rid, _ = both
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"name": users["leader"], "role": "leader"}
    at.session_state["last_seen"] = time.time()
    at.session_state["report_id"] = rid
    at.run()
    at.switch_page("tracker/ui/export.py").run()
    assert not at.exception
    assert ["下载 Excel", "下载草稿"] == [b.label for b in at.get("download_button")]
    assert "全年召开专题议政性常委会4次，进行专题协商8次。" in at.text_area(key="draft_preview").value
    assert {"报告提及的任务": "5/12", "数字一致": "3", "数字不一致": "2", "本系统未登记": "1"} == {
        m.label: m.value for m in at.metric
    }
    counts = next(d.value for d in at.dataframe if "本系统登记" in d.value.columns)
    assert ["8", "9", "不一致"] == counts.iloc[2][["本系统登记", "报告所述", "结果"]].tolist()
