"""The screenshots of the README and the user guide, taken in headless chromium from the real app:
`python -m tests.e2e.screenshots` writes docs/screenshot.png (总览, 1280 px wide),
docs/screenshot-phone.png (390 px wide) and the guide's docs/guide-*.png (SHOTS), after some staff
work on the sample. `python -m tests.e2e.screenshots docs guide-tasks.png` retakes one."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e import ui
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, start_app, stop_app
from tracker import auth, service, store
from tracker.model import Status

SAMPLE = ROOT / "data" / "cppcc-city-2022.txt"
LEADER = ("mishuzhang", "leader-pass-1")
STAFF = ("xiaowang", "staff-pass-1")


def staff_work(db_path: Path) -> None:
    """Half a year of a staff member's entries on the sample: ticks, statuses, owners, progress, activities."""
    db = service.open_default(db_path)
    auth.add_user(db, "admin", "admin", "office-key-7", by=None)
    auth.add_user(db, STAFF[0], "staff", STAFF[1], by="admin")
    auth.add_user(db, LEADER[0], "leader", LEADER[1], by="admin")
    rid = store.list_reports(db)[0]["id"]
    items = store.report_items(db, rid)
    owners = ["办公室", "提案委", "研究室", "委员工作委", "学习委"]
    for n, item in enumerate(items):
        store.record(db, STAFF[0], "owner", item["id"], value=owners[n % len(owners)])
    # each status change with its effective date: the overview at 2023-07-01 shows only what was known
    for n, item in enumerate(items[:4]):
        store.record(db, STAFF[0], "status", item["id"], value=Status.DONE, date=f"2023-0{2 + n}-20")
    for item in items[4:8]:
        store.record(db, STAFF[0], "status", item["id"], value="推进中", date="2023-02-01")
    store.record(db, STAFF[0], "status", items[9]["id"], value="受阻", date="2023-05-15")
    goals = store.report_metrics(db, rid, "plan")
    for goal, amounts in zip(goals, [(2, 2, 1), (1,)], strict=False):
        for month, amount in enumerate(amounts, start=3):
            store.record(db, STAFF[0], "progress", goal["id"], amount=amount, date=f"2023-{month:02d}-15")
    reviews = [m for m in store.report_metrics(db, rid, "review")][:8]
    for k, metric in enumerate(reviews):
        for month in range(1, 2 + k % 4):
            store.record(
                db, STAFF[0], "activity", metric["id"], amount=1 + k % 3, date=f"2023-{month:02d}-10"
            )
    store.close(db)


@dataclass
class Shot:
    """One screenshot: the file under docs/, the window width, who is signed in (None: the login
    page), the page opened from the sidebar, and how much of its top to keep (px)."""

    name: str
    width: int
    user: tuple[str, str] | None
    page: str | None = None  # a sidebar title; None stays on the first page (总览 after login)
    top: int = 1400
    before: Callable[[Page], None] | None = None  # steps on the page before the picture


ADMIN = ("admin", "office-key-7")


def _open_import_review(page: Page) -> None:
    """On 导入: upload the sample again so the review (what was found, corrections) shows."""
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(SAMPLE))
    ui.settle(page)
    page.wait_for_timeout(1500)
    ui.settle(page)


def _open_progress_form(page: Page) -> None:
    page.locator(".st-key-progress_amount").scroll_into_view_if_needed()


# the README's two pictures, then the ones the user guide (docs/使用手册.md) shows
SHOTS = [
    Shot("screenshot.png", 1280, LEADER, top=1640),
    Shot("screenshot-phone.png", 390, LEADER, top=2600),
    Shot("guide-login.png", 1280, None, top=700),
    Shot("guide-login-phone.png", 390, None, top=800),
    Shot("guide-overview-lights.png", 1280, LEADER, top=2600),
    Shot("guide-tasks.png", 1280, STAFF, "任务", top=1500),
    Shot("guide-tasks-progress.png", 1280, STAFF, "任务", top=2400),
    Shot("guide-activities.png", 1280, STAFF, "活动", top=1100),
    Shot("guide-import.png", 1280, ADMIN, "导入", top=1800, before=_open_import_review),
    Shot("guide-export.png", 1280, LEADER, "导出", top=900),
    Shot("guide-users.png", 1280, ADMIN, "用户", top=1100),
    Shot("guide-history.png", 1280, ADMIN, "历史", top=1100),
]


def take(out_dir: Path = ROOT / "docs", names: list[str] | None = None) -> list[Path]:
    """Take the shots (all, or those named) into out_dir; returns the files written."""
    out_dir.mkdir(exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "tracker.db"
        staff_work(db_path)
        proc, url = start_app(db_path, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for shot in SHOTS:
                    if names and shot.name not in names:
                        continue
                    context = browser.new_context(
                        viewport={"width": shot.width, "height": 900}, locale="zh-CN"
                    )
                    page = context.new_page()
                    ui.open_app(page, url)
                    if shot.user:
                        ui.fill(page, "login_name", shot.user[0])
                        ui.fill(page, "login_password", shot.user[1])
                        ui.click_button(page, "登录")  # on a phone the sidebar is folded away
                        page.locator("h1", has_text="总览").wait_for()
                        page.locator(".js-plotly-plot").first.wait_for()
                    if shot.page:
                        ui.go(page, shot.page, HEADINGS.get(shot.page))
                    if shot.before:
                        shot.before(page)
                    # the app scrolls inside its own container: grow the window to the page's height
                    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                    page.set_viewport_size({"width": shot.width, "height": int(height) + 40})
                    ui.settle(page)
                    page.wait_for_timeout(1500)  # plotly's transitions
                    path = out_dir / shot.name
                    page.screenshot(
                        path=str(path),
                        clip={"x": 0, "y": 0, "width": shot.width, "height": min(shot.top, height)},
                    )
                    shots.append(path)
                    context.close()
                browser.close()
        finally:
            stop_app(proc)
    return shots


HEADINGS = {"历史": "历史记录", "用户": "用户管理", "导入": "导入报告"}


if __name__ == "__main__":
    # python -m tests.e2e.screenshots [OUT_DIR] [NAME ...]
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    for written in take(out, sys.argv[2:] or None):
        print(written)
