"""Browser tests: the real app in a subprocess, Debian's chromium through Playwright.

Each test gets its own app on a free port with a fresh database. A failing test leaves a full-page
screenshot in test-artifacts/.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tracker.browser_bench import start_streamlit, stop_streamlit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TODAY = "2023-07-01"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: browser tests need Debian's chromium (apt-get install chromium)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_REPORT] = report
    return report


_REPORT = pytest.StashKey()


# every app a test started; stopped after each test even when the test lost track of one (issue 14:
# a restart inside the flow left the second server running after pytest ended)
_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _stop_every_app():
    yield
    while _STARTED:
        stop_app(_STARTED[-1])


def pytest_sessionfinish(session, exitstatus):
    while _STARTED:
        stop_app(_STARTED[-1])


def start_app(db_path: Path, log_path: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port with $TRACKER_DB; returns (process, base url) once healthy."""
    env = {"TRACKER_DB": str(db_path), "TRACKER_TODAY": TODAY}
    proc, url = start_streamlit(ROOT / "app.py", log_path, env, port)
    _STARTED.append(proc)
    return proc, url


def stop_app(proc: subprocess.Popen) -> None:
    if proc in _STARTED:
        _STARTED.remove(proc)
    if proc.poll() is None:
        stop_streamlit(proc)


@pytest.fixture
def app_url(tmp_path):
    """A fresh app (new database, no account yet) for this test; stopped afterwards."""
    proc, url = start_app(tmp_path / "tracker.db", tmp_path / "streamlit.log")
    yield url
    stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A desktop-sized page; on failure its screenshot goes to test-artifacts/<test>.png."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    report = request.node.stash.get(_REPORT, None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
