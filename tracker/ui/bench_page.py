"""Timing of a real script run of 总览 through AppTest (lives in ui/: the one package that imports
streamlit). Used by `python -m tracker bench all`; not a page."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def time_overview_page(db_path: str | Path, username: str, role: str, repeat: int = 5,
                       today: str | None = None) -> dict:  # fmt: skip
    """Run app.py as the signed-in `username` (总览 is the default page) `repeat` times.

    "cold" runs clear st.cache_data first (the first view after a write); "warm" runs reuse it
    (a leader switching back to the page). Returns medians and maxima in milliseconds.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    _quiet_streamlit()

    saved = {k: os.environ.get(k) for k in ("TRACKER_DB", "TRACKER_TODAY")}
    os.environ["TRACKER_DB"] = str(db_path)
    if today:
        os.environ["TRACKER_TODAY"] = today
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["user"] = {"name": username, "role": role}
        at.session_state["last_seen"] = time.time()
        at.run()  # first run: imports and page set-up, not what a visitor waits for on each view
        if at.exception:
            raise RuntimeError(f"总览 raised: {at.exception[0].message}")
        title = at.title[0].value if at.title else ""
        _quiet_streamlit()  # cache_data.clear() outside a server warns on every call
        cold, warm = [], []
        for _ in range(repeat):
            st.cache_data.clear()
            at.session_state["last_seen"] = time.time()
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
        for _ in range(repeat):
            at.session_state["last_seen"] = time.time()
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"总览 raised: {at.exception[0].message}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {
        "title": title,
        "cold_ms": 1000 * statistics.median(cold),
        "cold_max_ms": 1000 * max(cold),
        "warm_ms": 1000 * statistics.median(warm),
        "warm_max_ms": 1000 * max(warm),
    }


def _quiet_streamlit() -> None:
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
