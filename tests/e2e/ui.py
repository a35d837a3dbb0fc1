"""What a person does in the app, as Playwright steps: fill by widget key, click, switch page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
expect.set_options(timeout=20_000)  # a 2-core machine running the whole suite is slow at times


def settle(page: Page) -> None:
    """Wait until the script run started by the last action has finished."""
    page.wait_for_timeout(300)  # let the rerun begin: the state reads notRunning until it does
    page.wait_for_selector(IDLE, timeout=30_000)


def fill(page: Page, key: str, text: str) -> None:
    page.locator(f".st-key-{key} input").fill(text)


def click_button(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    settle(page)


def choose(page: Page, key: str, option: str) -> None:
    """Pick `option` in the selectbox with this key."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    for attempt in range(3):  # a rerun that lands just after the click closes the list again
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    expect(box).to_have_value(option)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE)
    expect(page.locator("h1").first).to_be_visible()


def login(page: Page, name: str, password: str) -> None:
    fill(page, "login_name", name)
    fill(page, "login_password", password)
    click_button(page, "登录")
    expect(page.locator(".st-key-logout")).to_be_visible()
    # the sidebar's page links come with the signed-in run; on a loaded machine after the button
    settle(page)
    expect(page.locator(NAV_LINK).first).to_be_visible()


SESSION_COOKIE = "luoshi_session"


def session_cookie(page: Page, timeout_s: float = 15) -> dict | None:
    """The sign-in cookie once the page has set it (the run after sign-in sets it)."""
    for _ in range(int(timeout_s * 5)):
        found = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE and c["value"]]
        if found:
            return found[0]
        page.wait_for_timeout(200)
    return None


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector(IDLE)
    expect(page.locator("h1").first).to_be_visible()


def logout(page: Page) -> None:
    page.locator(".st-key-logout button").click()
    settle(page)
    expect(page.get_by_role("heading", name="落实 · 登录")).to_be_visible()


NAV_LINK = "[data-testid='stSidebarNavLink']"


def nav_titles(page: Page) -> list[str]:
    """The sidebar's page titles, once the navigation is drawn (all_inner_texts does not wait)."""
    expect(page.locator(NAV_LINK).first).to_be_visible()
    return [t.strip() for t in page.locator(NAV_LINK).all_inner_texts()]


def go(page: Page, title: str, heading: str | None = None) -> None:
    """Open a page from the sidebar navigation by its title; wait for its heading."""
    page.locator(NAV_LINK, has_text=title).click()
    settle(page)
    expect(page.locator("h1").first).to_have_text(heading or title)


def metric_value(page: Page, label: str) -> str:
    """The value of the st.metric tile whose label is `label`."""
    tile = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return tile.locator("[data-testid='stMetricValue']").inner_text().strip()


def tick_cell(page: Page, editor_key: str, row: int, row_height: int = 35) -> None:
    """Click the checkbox of data-editor row `row` at its cell's centre.

    The editor is a canvas, so the cell is found the way a mouse finds it: hovering along the row,
    the grid shows a pointer cursor exactly over an editable checkbox cell; the click goes to the
    middle of that span. Assumes one checkbox column (the tasks editor's 完成).
    """
    grid = page.locator(f".st-key-{editor_key} [data-testid='stDataFrame']")
    canvas = page.locator(f".st-key-{editor_key} [data-testid='data-grid-canvas']")
    expect(canvas).to_be_visible()  # the grid's code loads on first use: a loaded machine takes a while
    hits = []
    for _ in range(3):  # the grid may still be laying out its columns: look again a little later
        box = grid.bounding_box()
        y = box["y"] + row_height * (row + 1) + row_height / 2  # below the header row
        for x in range(int(box["x"]) + 2, int(box["x"] + box["width"]) - 2, 4):
            page.mouse.move(x, y)
            if canvas.evaluate("c => c.style.cursor") == "pointer":
                hits.append(x)
        if hits:
            break
        page.wait_for_timeout(1000)
    assert hits, "no checkbox cell found in the row"
    page.mouse.click((hits[0] + hits[-1]) / 2, y)
    settle(page)  # the edit reruns the script; saving before that run ends would miss it


def chart_text(page: Page, key: str) -> str:
    """All the text plotly drew in the chart with this key (bar labels, axes)."""
    chart = page.locator(f".st-key-{key} .js-plotly-plot")
    expect(chart).to_be_visible()
    return " ".join(chart.locator("svg text").all_text_contents())


def table_cells(page: Page) -> list[str]:
    """The text of every cell of the page's st.dataframe tables (their accessible table, not the canvas)."""
    settle(page)
    cells = page.locator("[data-testid='stDataFrame'] td")
    expect(cells.first).to_be_attached()  # all_text_contents does not wait for the tables to be drawn
    return cells.all_text_contents()
