"""Shared fixtures: a fresh database, the sample report, and one account of each role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import auth, store
from tracker.model import Item, Metric, Report, Section

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "cppcc-city-2022.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
PASSWORD = "correct-horse-1"


@pytest.fixture
def db_file(tmp_path, monkeypatch) -> Path:
    """A database path in tmp_path, also set as $TRACKER_DB for the CLI and the app."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


@pytest.fixture
def db(db_file):
    """A fresh database with the schema."""
    return store.connect(db_file)


@pytest.fixture(scope="session")
def sample_report():
    """The sample report, extracted once per test session."""
    from tracker.extract import extract_path

    return extract_path(SAMPLE)


@pytest.fixture
def users(db) -> dict[str, str]:
    """admin, staff and leader accounts, all with PASSWORD; returns role -> name."""
    names = {"admin": "admin", "staff": "xiaowang", "leader": "mishuzhang"}
    for role, name in names.items():
        auth.add_user(db, name, role, PASSWORD, by=None)
    return names


@pytest.fixture
def seeded(db, sample_report, users) -> str:
    """The database with the sample imported and the three accounts; returns the report id."""
    return store.import_report(db, sample_report, store.SYSTEM_USER, filename=SAMPLE.name)["report_id"]


def make_report(extra_item: bool = False, text: str = "报告正文") -> Report:
    """A small report made by hand: two plan commitments with a goal each, two review counts."""
    items = [
        Item("plan", 1, "畅通民意沟通渠道", "畅通民意沟通渠道。年内建设委员工作室10家", 0),
        Item("plan", 2, "完善委员服务管理", "完善委员服务管理。全年组织2次全员集中培训", 30),
    ]
    if extra_item:
        items.append(Item("plan", 2, "加强宣传阵地建设", "加强宣传阵地建设。", 60))
    return Report(
        text=text,
        title="政协常务委员会工作报告",
        review_year=2022,
        plan_year=2023,
        sections=[Section("plan", 1, "为民履职"), Section("plan", 2, "自身建设")],
        items=items,
        metrics=[
            Metric(
                "plan",
                "target",
                10,
                "家",
                activity="建设委员工作室",
                quote="委员工作室10家",
                start=12,
                item=0,
            ),
            Metric(
                "plan", "target", 2, "次", activity="全员集中培训", quote="2次全员集中培训", start=40, item=1
            ),
            Metric("review", "count", None, "件", redacted=True, activity="提案", quote="提案***件", start=3),
            Metric("review", "count", 7, "次", activity="专题协商", quote="专题协商7次", start=5),
        ],
    )
