"""The app's shell: a page's unexpected error as one Chinese line with an id in the log, the one way
pages draw plotly charts (Chinese, toolbar trimmed to saving a picture), forms that clear only on
success, and the favicon."""

from __future__ import annotations

import functools
import json
import logging
import uuid
from pathlib import Path

import streamlit as st

from tracker.errors import TrackerError

log = logging.getLogger("tracker.ui")

FAVICON = Path(__file__).with_name("favicon.png")
ERROR_LINE = (
    "出现了意外错误，本次操作未完成。请刷新页面后重试；如仍出错，请把错误编号 {error_id} 告诉管理员。"
)


def run_page(page) -> None:
    """Run the page chosen in st.navigation; an exception it raises becomes one line and a log entry.

    st.stop / st.rerun / st.switch_page raise ScriptControlException, a BaseException: they pass
    through. A named library error (TrackerError) is already a sentence for people: it is shown as is.
    """
    try:
        page.run()
    except TrackerError as e:
        st.error(_plain(str(e)))
    except Exception:
        error_id = new_error_id()
        log.exception("page error %s", error_id)
        st.error(ERROR_LINE.format(error_id=error_id))


def new_error_id() -> str:
    return uuid.uuid4().hex[:8]


def _plain(text: str) -> str:
    from tracker.ui.common import plain

    return plain(text)


# plotly.js in Streamlit's bundle registers only the "en" / "en-US" locales (checked in
# streamlit/static/static/js/PlotlyChart.*.js, streamlit 1.67): the zh-CN dictionary and formats
# go in the config itself. The keys are plotly.js's own strings (its modebar and notifier), checked
# in a real browser: the one button's tooltip reads 下载图片（PNG）.
ZH_CN = {
    "dictionary": {
        "Download plot as a PNG": "下载图片（PNG）",
        "Download plot as a png": "下载图片（PNG）",  # the key of older plotly.js
        "Download plot": "下载图片",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Image download succeeded": "图片已下载",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败",
        "Double-click to zoom back out": "双击恢复原始大小",
        "Double-click on legend to isolate one trace": "双击图例只看这一项",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
        "year": "%Y年",
        "month": "%Y年%-m月",
        "dayMonth": "%-m月%-d日",
        "dayMonthYear": "%Y年%-m月%-d日",
    },
}

PLOTLY_CONFIG = {
    "locale": "zh-CN",
    "locales": {"zh-CN": ZH_CN},
    "displaylogo": False,
    # the only button: save the chart as a picture (no zoom, pan, select, autoscale, plotly link)
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "filename": "落实图表", "scale": 2},
}


@st.cache_resource(max_entries=256, show_spinner=False)
def figure(builder: str, *args):
    """`charts.<builder>(*args)`, built once per distinct data (the arguments are hashed, DataFrames
    by content) and shared: a rerun that changes nothing else does not rebuild the page's figures
    (issue 15). The figure is only read afterwards (st.plotly_chart serialises it), never changed."""
    from tracker import charts

    return getattr(charts, builder)(*args)


def chart(fig, key: str) -> None:
    """Draw a plotly figure the way every page does: full width, Chinese, a download-PNG button only."""
    st.plotly_chart(fig, width="stretch", key=key, config=PLOTLY_CONFIG)


def clear_fields(*keys: str) -> None:
    """After a successful save: empty these widgets on the next run. A form that refuses the input
    keeps what was typed (its form has clear_on_submit=False), so "三家" can be corrected to 3."""
    for key in keys:
        st.session_state.pop(key, None)


# Streamlit's frontend loads each element's code the first time a page shows one: the charts' bundle
# (plotly.js, 4.7 MB), the tables' (glide-data-grid and Arrow, 1.3 MB), the sidebar's pickers. After
# 登录 that cost ~1 s in the critical path (issue 15, `bench browser`). The login page fetches and
# runs them while the person types, from the file names in the installed Streamlit's static folder.
DASHBOARD_CODE = ("PlotlyChart", "DataFrame", "Selectbox", "DateInput", "Multiselect", "Metric")
STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"


def dashboard_chunks(folder: Path = STATIC_JS, names: tuple[str, ...] = DASHBOARD_CODE) -> list[str]:
    """The installed Streamlit's file names for the element code the dashboard draws first
    (`PlotlyChart.D9Z0_fxz.js`); a name this version does not have is left out."""
    return list(_chunks(folder, names))


@functools.cache  # the installed files do not change while the server runs: one folder listing
def _chunks(folder: Path, names: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        found += sorted(p.name for p in folder.glob(f"{name}.*.js") if p.name.count(".") == 2)[:1]
    return tuple(found)


def preload_dashboard_code() -> None:
    """While the login form waits, load the code of the elements the dashboard draws, so that after
    登录 only the page's own data is left to draw. Resolved against Streamlit's own bundle's URL,
    so a server path prefix works; a failed load is ignored (the element loads it again when drawn)."""
    chunks = dashboard_chunks()
    if not chunks:
        return
    st.html(
        "<script>(() => {"
        "const main = document.querySelector('script[type=module][src*=\"/static/js/index.\"]');"
        "if (!main) return;"
        f"const load = () => {json.dumps(chunks)}.forEach("
        "n => import(new URL(n, main.src).href).catch(() => {}));"
        "if ('requestIdleCallback' in window) requestIdleCallback(load, {timeout: 1500});"
        "else setTimeout(load, 300);"
        "})();</script>",
        unsafe_allow_javascript=True,
    )
