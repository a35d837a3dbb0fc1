"""`python -m tracker bench browser`: what a person waits for, timed in a real browser (issue 15).

Runs the app (`streamlit run app.py`) and a trivial page of the same shape (a login form, six
metrics, five plotly charts: `tracker/ui/bench_trivial.py`) side by side on loopback ports, drives
Debian's chromium through Playwright and times, interleaved, run after run:

- 登录 → 总览 with every chart drawn, against the trivial page's 登录 → its five charts;
- opening 总览 from the address bar (a signed-in tab reloaded);
- choosing another report in the sidebar;
- a save on 任务 (a progress entry): from the click until the page is idle again.

Playwright is a development dependency: it is imported inside the functions that use it.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
TRIVIAL = ROOT / "tracker" / "ui" / "bench_trivial.py"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# every chart on the page has been drawn by plotly.js (its SVG exists)
CHARTS_DRAWN = """() => {
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.length > 0 && charts.every(c => c.querySelector('.main-svg'));
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(
    script: str | Path, log_path: Path, env: dict | None = None, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """`streamlit run SCRIPT` headless on a loopback port; returns (process, url) once healthy."""
    port = port or free_port()
    log = log_path.open("w")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            pass
        time.sleep(0.3)
    stop_streamlit(proc)
    raise RuntimeError(f"streamlit did not answer /_stcore/health within 60 s: {log_path.read_text()}")


def stop_streamlit(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _settle(page) -> None:
    page.wait_for_timeout(100)  # let the rerun begin: the app reads notRunning until it does
    page.wait_for_selector(IDLE, timeout=60_000)


def _timed(action: Callable[[], None]) -> float:
    t0 = time.perf_counter()
    action()
    return time.perf_counter() - t0


def _sign_in(page, name: str, password: str, heading: str = "总览") -> float:
    """Fill the login form, then time the click on 登录 until the page's charts are drawn.

    Like a person, who reads the form before typing, it fills the form once the login page has
    finished loading (no request for 500 ms): the app's login page loads the dashboard's code then.
    """
    page.wait_for_selector(".st-key-login_name input")
    page.wait_for_load_state("networkidle")
    page.locator(".st-key-login_name input").fill(name)
    page.locator(".st-key-login_password input").fill(password)

    def go() -> None:
        page.get_by_role("button", name="登录", exact=True).click()
        page.locator("h1", has_text=heading).first.wait_for()
        _settle(page)
        page.wait_for_function(CHARTS_DRAWN, timeout=60_000)

    return _timed(go)


def _reopen(page, url: str, name: str, password: str) -> tuple[float, bool]:
    """Open the app from the address bar in a signed-in tab: (seconds until drawn, stayed signed in)."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(f"{IDLE}, .st-key-login_name", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.st-key-login_name') || "
        "document.querySelector(\"[data-testid='stPlotlyChart'] .main-svg\")",
        timeout=60_000,
    )
    if page.locator(".st-key-login_name").count():
        return time.perf_counter() - t0 + _sign_in(page, name, password), False
    _settle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    return time.perf_counter() - t0, True


def _switch_report(page) -> float | None:
    """Choose another report in the sidebar (another organisation's when the sidebar offers
    organisations first); None when there is only one."""
    for key in ("org", "report_id"):
        box = page.locator(f".st-key-{key}").get_by_role("combobox")
        if box.count():
            break
    else:
        return None
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    if options.count() < 2:
        page.keyboard.press("Escape")
        return None
    current = box.input_value()
    target = next(o for o in options.all() if o.inner_text().strip() != current)

    def go() -> None:
        target.click()
        _settle(page)
        page.wait_for_function(CHARTS_DRAWN, timeout=60_000)

    return _timed(go)


def _save_progress(page) -> float | None:
    """On 任务, record 1 on the first goal: time from the click until the page is idle again."""
    page.locator("[data-testid='stSidebarNavLink']", has_text="任务").click()
    _settle(page)
    amount = page.locator(".st-key-progress_amount input")
    if not amount.count():
        return None
    amount.fill("1")
    form = page.locator("[data-testid='stForm']").filter(has=amount)
    button = form.locator("[data-testid='stFormSubmitButton'] button").first

    def go() -> None:
        button.click()
        _settle(page)

    seconds = _timed(go)
    page.locator("[data-testid='stSidebarNavLink']", has_text="总览").click()
    _settle(page)
    return seconds


def measure(
    databases: list[tuple[str, Path]], user: str, password: str, repeat: int = 5, log_dir: Path | None = None
) -> list[dict]:
    """Race the app on each database against the trivial page, `repeat` interleaved rounds.

    Returns one row a measurement: {"case", "what", "median_s", "min_s", "max_s", "n", "note"}.
    """
    from playwright.sync_api import sync_playwright

    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="bench-browser-"))
    env = {"TRACKER_TODAY": os.environ.get("TRACKER_TODAY", "2023-07-01")}
    servers = [start_streamlit(TRIVIAL, log_dir / "trivial.log", env)]
    try:
        for i, (_, db) in enumerate(databases):
            servers.append(
                start_streamlit(ROOT / "app.py", log_dir / f"app{i}.log", {**env, "TRACKER_DB": str(db)})
            )
        times: dict[tuple[str, str], list[float]] = {}
        notes: dict[tuple[str, str], str] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            for n in range(repeat + 1):
                rows = _round(browser, servers, databases, user, password)
                if n == 0:  # the first round warms the servers and the browser: not counted
                    continue
                for key, value, note in rows:
                    if value is not None:
                        times.setdefault(key, []).append(value)
                    if note:
                        notes[key] = note
            browser.close()
    finally:
        for proc, _ in servers:
            stop_streamlit(proc)
    return [
        {"case": case, "what": what, "median_s": statistics.median(v), "min_s": min(v), "max_s": max(v),
         "n": len(v), "note": notes.get((case, what), "")}
        for (case, what), v in times.items()
    ]  # fmt: skip


def _round(browser, servers, databases, user, password) -> list[tuple[tuple[str, str], float | None, str]]:
    """One interleaved round: the trivial page, then each database's app."""
    out = []
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(servers[0][1])
    out.append((("对照页", "登录 → 5 张图画完"), _sign_in(page, "x", "y"), ""))
    context.close()
    for (case, _), (_, url) in zip(databases, servers[1:], strict=True):
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(url)
        out.append(((case, "登录 → 总览图表画完"), _sign_in(page, user, password), ""))
        seconds, kept = _reopen(page, url, user, password)
        note = "" if kept else "刷新后需重新登录（含登录时间）"
        out.append(((case, "地址栏打开总览"), seconds, note))
        out.append(((case, "切换报告（单位）"), _switch_report(page), ""))
        out.append(((case, "任务页保存一次填报"), _save_progress(page), ""))
        context.close()
    return out


def prepare_sample(path: Path) -> Path:
    """The sample database with the benchmark's accounts (see bench.sample_database) and a second
    report, so that switching reports can be timed."""
    from tracker import bench, service, store

    bench.sample_database(path)
    db = store.connect(path)
    try:
        if store.report_count(db) < 2:
            corpus = bench.DEFAULT_CORPUS / "guangdong_prov_gov_2025.txt"
            if corpus.exists():
                service.import_file(db, corpus.read_bytes(), corpus.name, store.SYSTEM_USER)
    finally:
        store.close(db)
    return path


def copy_database(src: Path, dest: Path) -> Path:
    """A private copy of a benchmark database (the app writes to it), through SQLite's online backup:
    a plain file copy could miss what is still in the -wal file."""
    from tracker.store.backup import backup

    backup(dest, source=src)
    return dest
