"""The report's text as HTML with items and metrics marked; every piece of text is escaped."""

from __future__ import annotations

import html

from tracker.model import Part

STYLE = """
<style>
.report-text { white-space: pre-wrap; line-height: 1.9; font-size: 1rem; }
.lead-item { background: #e3f2fd; border-bottom: 2px solid #1565c0; font-weight: 600; }
.metric-goal { background: #fff3e0; border-bottom: 2px solid #e65100; }
.metric-count { background: #e8f5e9; border-bottom: 2px solid #2e7d32; }
.metric-redacted { background: #fce4ec; border-bottom: 2px dashed #ad1457; }
.report-text mark.focus { outline: 3px solid #d32f2f; outline-offset: 1px; }
</style>
"""


def spans(text: str, items: list[dict], metrics: list[dict]) -> list[tuple[int, int, str, str, list[str]]]:
    """(start, end, css class, tooltip, keys) for each item title and metric quote found at its offset.

    `keys` name what a mark shows ("item-3", "metric-7": positions in `items` / `metrics`), including
    the marks it swallowed where two overlap, so a page can point at any of them."""
    out = []
    for k, it in enumerate(items):
        start = it.get("start")
        if start is not None and text[start : start + len(it["title"])] == it["title"]:
            out.append((start, start + len(it["title"]), "lead-item", f"任务：{it['title']}", [f"item-{k}"]))
    for k, m in enumerate(metrics):
        start = m.get("start")
        if start is None or text[start : start + len(m["quote"])] != m["quote"]:
            continue
        css = (
            "metric-redacted"
            if m["redacted"]
            else "metric-goal"
            if m["part"] == Part.PLAN
            else "metric-count"
        )
        out.append((start, start + len(m["quote"]), css, f"{m['activity']} · {m['unit']}", [f"metric-{k}"]))
    out.sort(key=lambda s: (s[0], -s[1]))
    kept, end = [], -1
    for s in out:  # nested or overlapping marks would break the HTML: keep the first of each overlap
        if s[0] >= end:
            kept.append(s)
            end = s[1]
        else:
            kept[-1][4].extend(s[4])
    return kept


def to_html(text: str, items: list[dict], metrics: list[dict], focus: str | None = None) -> str:
    """The text with every mark carrying `id="src-<key>"`; the mark showing `focus` (a key such as
    "metric-7") also gets the class `focus`, so a page can outline it and scroll to it."""
    parts, pos = [STYLE, '<div class="report-text">'], 0
    for start, end, css, tip, keys in spans(text, items, metrics):
        parts.append(html.escape(text[pos:start]))
        css += " focus" if focus in keys else ""
        parts.append(
            f'<mark id="src-{keys[0]}" class="{css}" title="{html.escape(tip, quote=True)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)
