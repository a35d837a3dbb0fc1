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


# --- genre fixtures and the helpers the genre tests share ----------------------------------------
# tests/fixtures/genres/<key>/ holds documents of the genre tracker.parse.GENRES names by that key:
# work reports to read, or look-alikes to refuse.
GENRE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "genres"


def genre_fixture_paths() -> list[Path]:
    """Every genre fixture, sorted; its folder's name is its genre's key."""
    return sorted(GENRE_FIXTURES.glob("*/*.txt"))


def load_genre_fixture(name: str) -> Report:
    """Parse the genre fixture with this file name, whichever genre folder holds it."""
    from tracker.parse import parse_report

    (path,) = GENRE_FIXTURES.glob(f"*/{name}")
    return parse_report(path.read_text(encoding="utf-8"))


def metric(r: Report, part: str, value, unit: str, anchor: str = "") -> Metric:
    """The one metric of a part with this value and unit (and anchor in its quote)."""
    found = [m for m in r.metrics if (m.part, m.value, m.unit) == (part, value, unit) and anchor in m.quote]
    assert len(found) == 1, (part, value, unit, anchor, [(m.value, m.unit, m.quote) for m in r.metrics])
    return found[0]


def shape(m: Metric) -> tuple:
    return (m.value, m.unit, m.approx, m.bound)


def titles(r: Report, part: str) -> list[str]:
    return [i.title for i in r.items if i.part == part]


def assert_verbatim(r: Report) -> None:
    """Every metric's quote and every item's title is the text at its offset."""
    for m in r.metrics:
        assert m.quote == r.text[m.start : m.start + len(m.quote)]
    for i in r.items:
        assert i.title == r.text[i.start : i.start + len(i.title)]


def _trap_spans(r: Report, trap: str) -> list[tuple[int, int]]:
    import re

    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(trap), r.text)]
    assert spans, trap
    return spans


def assert_no_quantity_on(r: Report, traps: list[str]) -> None:
    """No quantity (so no metric) overlaps any occurrence of a trap."""
    from tracker.numbers import find_quantities

    quantities = find_quantities(r.text)
    for trap in traps:
        spans = _trap_spans(r, trap)
        for q in quantities:
            assert all(q.end <= s or q.start >= e for s, e in spans), (trap, q)


def assert_no_metric_on(r: Report, traps: list[str]) -> None:
    """No metric's number falls inside any occurrence of a trap."""
    from tracker.numbers import find_quantities

    for trap in traps:
        spans = _trap_spans(r, trap)
        for m in r.metrics:
            own = [
                q
                for q in find_quantities(r.text, m.start, m.start + len(m.quote))
                if (q.value, q.unit) == (m.value, m.unit)
            ]
            assert any(all(q.end <= s or q.start >= e for s, e in spans) for q in own), (trap, m.quote)


# --- a local SMTP server (reminders, issue 16) ---------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address."""

    def __init__(self, refuse: str = "nobody@example.gov.cn"):
        self.envelopes = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd) for the reminder tests: (inbox, port)."""
    inbox = Inbox()
    from aiosmtpd.controller import Controller

    from tracker.browser_bench import free_port

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
