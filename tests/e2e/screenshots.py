"""The README's screenshots of 总览, taken in headless chromium from the real app:
`python -m tests.e2e.screenshots` writes docs/screenshot.png (1280 px wide) and
docs/screenshot-phone.png (390 px wide), signed in as a leader after some staff work on the sample."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e import ui
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, start_app, stop_app
from tracker import auth, service, store
from tracker.model import Status

LEADER = ("mishuzhang", "leader-pass-1")
STAFF = ("xiaowang", "staff-pass-1")


def staff_work(db_path: Path) -> None:
    """Half a year of a staff member's entries on the sample: ticks, statuses, owners, progress, activities."""
    db = service.open_default(db_path)
    auth.add_user(db, "admin", "admin", "admin-pass-1", by=None)
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


def take(out_dir: Path = ROOT / "docs") -> list[Path]:
    out_dir.mkdir(exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "tracker.db"
        staff_work(db_path)
        proc, url = start_app(db_path, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                # the top of the page: KPIs, charts, goals, what is behind (the whole page is very long)
                for name, width, top in [("screenshot.png", 1280, 1640), ("screenshot-phone.png", 390, 2600)]:
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                    page = context.new_page()
                    ui.open_app(page, url)
                    ui.fill(page, "login_name", LEADER[0])
                    ui.fill(page, "login_password", LEADER[1])
                    ui.click_button(page, "登录")  # on a phone the sidebar is folded away
                    page.locator("h1", has_text="总览").wait_for()
                    page.locator(".js-plotly-plot").first.wait_for()
                    # the app scrolls inside its own container: grow the window to the page's height
                    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                    page.set_viewport_size({"width": width, "height": int(height) + 40})
                    ui.settle(page)
                    page.wait_for_timeout(1500)  # plotly's transitions
                    path = out_dir / name
                    page.screenshot(
                        path=str(path), clip={"x": 0, "y": 0, "width": width, "height": min(top, height)}
                    )
                    shots.append(path)
                    context.close()
                browser.close()
        finally:
            stop_app(proc)
    return shots


if __name__ == "__main__":
    for shot in take(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"):
        print(shot)
