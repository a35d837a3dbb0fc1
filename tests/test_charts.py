"""Figures are built from DataFrames; tests read fig.data, not pixels."""

import html
from datetime import date

import pandas as pd

from tracker import charts, progress
from tracker.model import LIGHT_COLOURS, Light


def goals_df(verified=0.0):
    return pd.DataFrame(
        {
            "activity": ["建设委员工作室", "全员集中培训"],
            "unit": ["家", "次"],
            "target": [10, 2],
            "progress": [4.0, 0.0],
            "verified": [verified, 0.0],
            "share": [0.4, 0.0],
            "expected": [0.5, 0.5],
            "light": [Light.YELLOW, Light.RED],
        }
    )


def test_goals_bullet_shows_progress_target_and_pace():
    fig = charts.goals_bullet(goals_df())
    traces = {t.name: t for t in fig.data}
    assert ["目标", "已完成", "序时进度"] == [t.name for t in fig.data]
    assert (40.0, 0.0) == tuple(traces["已完成"].x)
    assert ("4/10家", "0/2次") == tuple(traces["已完成"].text)
    assert (50.0, 50.0) == tuple(traces["序时进度"].x)
    assert (LIGHT_COLOURS["yellow"], LIGHT_COLOURS["red"]) == tuple(traces["已完成"].marker.color)


def test_goals_bullet_marks_verified_progress_when_there_is_some():
    fig = charts.goals_bullet(goals_df(verified=3.0))
    verified = next(t for t in fig.data if t.name == "已核实")
    assert (30.0, 0.0) == tuple(verified.x)


def test_year_on_year_labels_redacted_counts_unknown():
    yoy = pd.DataFrame(
        {
            "category": ["专题协商（次）", "提案（件）"],
            "last_year": [7, None],
            "last_year_known": [True, False],
            "this_year": [2.0, 5.0],
            "pace": [3.5, None],
        }
    )
    fig = charts.year_on_year(yoy)
    last, this, pace = fig.data
    assert ("7", charts.UNKNOWN) == tuple(last.text)
    assert (7, 0) == tuple(last.x)
    assert (2.0, 5.0) == tuple(this.x)
    assert (3.5, None) == tuple(pace.x)


def test_section_completion_and_lights():
    frame = progress.items_frame(
        [
            {
                "id": "a",
                "section": 1,
                "section_title": "政治引领",
                "title": "A",
                "status": "已完成",
                "due": "2023-12-31",
            },
            {
                "id": "b",
                "section": 1,
                "section_title": "政治引领",
                "title": "B",
                "status": "未开始",
                "due": "2023-12-31",
            },
        ],
        None,
        date(2023, 8, 1),
        2023,
    )
    bars = charts.section_completion(progress.completion_by_section(frame)).data[0]
    assert ((50.0,), ("1/2",)) == (tuple(bars.x), tuple(bars.text))
    lights = {t.name: t.x[0] for t in charts.lights(frame).data}
    assert {"已完成 1": 1, "正常 0": 0, "关注 0": 0, "滞后 1": 1, "已超期 0": 0} == lights


def test_progress_over_time_counts_every_done_date_clamped_to_the_year_and_today():
    fig = charts.progress_over_time(
        ["2022-12-30T10:00:00Z", "2023-03-01T10:00:00Z", "2023-05-02T00:00:00Z", "2023-09-01T00:00:00Z"],
        12,
        2023,
        date(2023, 7, 1),
    )
    done, pace = fig.data
    assert ("2023-01-01", "2023-01-01", "2023-03-01", "2023-05-02", "2023-07-01", "2023-07-01") == tuple(
        done.x
    )
    assert (0, 1, 2, 3, 4, 4) == tuple(done.y)
    assert (0, 12) == tuple(pace.y)


HOSTILE = '<a href="http://x">点我</a><b>粗</b><br>换行'
ESCAPED = '&lt;a href="http://x"&gt;点我&lt;/a&gt;&lt;b&gt;粗&lt;/b&gt;&lt;br&gt;换行'


def _no_markup(values) -> None:
    """No value holds a live tag: every '<' left is one of our own <br> line breaks."""
    for value in values:
        assert "<a" not in str(value) and "<b>" not in str(value)
        assert str(value).replace("<br>", "").count("<") == 0, value


def test_labels_and_hover_hold_markup_escaped():
    """Issue 17 #13: a section title or category holding <a href>, <b>, <br> is shown as typed."""
    by_section = pd.DataFrame(
        {"section": [1], "section_title": [HOSTILE], "total": [3], "done": [1], "share": [1 / 3]}
    )
    bars = charts.section_completion(by_section).data[0]
    assert ("1. " + ESCAPED,) == tuple(bars.hovertext)
    assert ESCAPED[:20] in bars.y[0].replace("<br>", "")
    _no_markup(list(bars.y) + list(bars.hovertext))

    goals = goals_df().assign(activity=[HOSTILE, "全员集中培训"], unit=["<b>家</b>", "次"])
    fig = charts.goals_bullet(goals)
    for trace in fig.data:
        _no_markup(list(trace.y) + list(trace.text or []))
    assert "4/10&lt;b&gt;家&lt;/b&gt;" == fig.data[1].text[0]

    yoy = pd.DataFrame(
        {
            "category": [HOSTILE],
            "last_year": [7],
            "last_year_known": [True],
            "this_year": [2.0],
            "pace": [3.5],
        }
    )
    for trace in charts.year_on_year(yoy).data:
        _no_markup(trace.y)
        assert ESCAPED == trace.y[0].replace("<br>", "")


def test_long_labels_wrap_whole_instead_of_being_cut():
    """Issue 14: section titles were cut at about 12 characters with "…"; every character stays."""
    title = "以更高质量的协商议政，围绕中心大局献良策并持续推进委员履职能力建设"
    by_section = pd.DataFrame(
        {"section": [2], "section_title": [title], "total": [3], "done": [1], "share": [1 / 3]}
    )
    fig = charts.section_completion(by_section)
    label = fig.data[0].y[0]
    assert f"2. {title}" == label.replace("<br>", "")
    assert "…" not in label
    assert all(len(line) <= charts.WRAP for line in label.split("<br>"))
    assert fig.layout.yaxis.automargin and fig.layout.xaxis.automargin
    short = charts.section_completion(by_section.assign(section_title=["政治引领"]))
    assert fig.layout.height > short.layout.height  # room for the wrapped lines


def test_hover_percent_is_not_doubled():
    """Issue 14: "33.3%%" in a hover: %{x} took the axis' % suffix and the template added one."""
    by_section = pd.DataFrame(
        {"section": [1], "section_title": ["甲"], "total": [3], "done": [1], "share": [1 / 3]}
    )
    fig = charts.section_completion(by_section)
    assert "%{x:.1f}%" in fig.data[0].hovertemplate and "%{x}%" not in fig.data[0].hovertemplate


def test_wrapping_never_cuts_an_escaped_character_in_two():
    label = "甲" * 15 + "<b>乙</b>"
    wrapped = charts.wrap(label, 16)
    assert "甲" * 15 + "&lt;<br>b&gt;乙&lt;/b&gt;" == wrapped
    assert label == html.unescape(wrapped.replace("<br>", ""))
