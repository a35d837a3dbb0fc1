"""The import review in a real browser (issue 12): choosing a number in the 600 px table outlines its
quote in the source and scrolls the source's own box to it; the page leaves a screenshot in
test-artifacts/import_review.png to look at."""

import pytest
from playwright.sync_api import expect

from tests.e2e import ui
from tests.e2e.conftest import ARTIFACTS, ROOT, start_app, stop_app

pytestmark = pytest.mark.e2e

ADMIN = ("admin", "office-key-7")
GUANGDONG = ROOT.parent / "shared" / "corpus" / "guangdong_prov_gov_2025.txt"
ROW = 14  # a plan number well below the top of the source (row 15 of the table)
ROW_HEIGHT = 35


def test_a_selected_number_is_outlined_and_scrolled_into_view(page, tmp_path):
    from tracker import auth, store

    db_path = tmp_path / "tracker.db"
    auth.add_user(store.connect(db_path), *ADMIN[:1], "admin", ADMIN[1], by=None)
    proc, url = start_app(db_path, tmp_path / "streamlit.log")
    try:
        page.set_viewport_size({"width": 1400, "height": 1000})
        ui.open_app(page, url)
        ui.login(page, *ADMIN)
        ui.go(page, "导入", "导入报告")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(GUANGDONG))
        ui.settle(page)
        expect(page.get_by_text("确认导入前请在“单位和年度”中填写：单位")).to_be_visible()

        box = page.locator("[data-testid='stVerticalBlock'].st-key-import_source").first
        assert 0 == box.evaluate("b => b.scrollTop")
        grid = page.locator("[data-testid='stDataFrame']").first
        # the grid's code loads on first use: click only once its canvas is drawn
        expect(grid.locator("[data-testid='data-grid-canvas']")).to_be_visible()
        grid.evaluate("g => g.scrollIntoView({block: 'start'})")
        frame = grid.bounding_box()
        assert frame["height"] >= 590  # the taller table
        # the row marker column, at the middle of row ROW (below the header)
        page.mouse.click(frame["x"] + 12, frame["y"] + ROW_HEIGHT * (ROW + 1) + ROW_HEIGHT / 2)
        ui.settle(page)

        mark = page.locator(".report-text mark.focus")
        expect(mark).to_have_count(1)
        assert mark.get_attribute("id").startswith("src-metric-")
        # the scroll runs after the source is drawn: wait for it (a loaded machine is slow)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stVerticalBlock].st-key-import_source').scrollTop > 0",
            timeout=20_000,
        )
        outer, inner = box.bounding_box(), mark.bounding_box()
        assert outer["y"] <= inner["y"] <= outer["y"] + outer["height"] - inner["height"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "import_review.png"), full_page=False)
    finally:
        stop_app(proc)
