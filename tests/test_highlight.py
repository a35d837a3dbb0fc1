"""The highlighted source: every mark carries an id, the chosen one the class `focus` (issue 12)."""

from __future__ import annotations

from tracker import highlight

TEXT = "加强宣传。年内建设委员工作室10家，组织培训2次。"
ITEMS = [{"title": "加强宣传", "start": 0}]
METRICS = [
    {
        "quote": "建设委员工作室10家",
        "start": 7,
        "part": "plan",
        "redacted": False,
        "activity": "a",
        "unit": "家",
    },
    {"quote": "委员工作室10家", "start": 9, "part": "plan", "redacted": False, "activity": "b", "unit": "家"},
    {"quote": "培训2次", "start": 20, "part": "plan", "redacted": False, "activity": "c", "unit": "次"},
]


def test_marks_carry_ids_and_an_overlapped_mark_is_found_through_the_one_that_shows_it():
    assert [(0, 4, ["item-0"]), (7, 17, ["metric-0", "metric-1"]), (20, 24, ["metric-2"])] == [
        (s[0], s[1], s[4]) for s in highlight.spans(TEXT, ITEMS, METRICS)
    ]
    html = highlight.to_html(TEXT, ITEMS, METRICS)
    assert ['id="src-item-0"', 'id="src-metric-0"', 'id="src-metric-2"'] == [
        part.split(" class")[0] for part in html.split("<mark ")[1:]
    ]
    assert 'focus"' not in html


def test_the_focused_mark_is_outlined_even_when_another_mark_shows_it():
    assert '<mark id="src-metric-2" class="metric-goal focus"' in highlight.to_html(
        TEXT, ITEMS, METRICS, focus="metric-2"
    )
    swallowed = highlight.to_html(TEXT, ITEMS, METRICS, focus="metric-1")
    assert '<mark id="src-metric-0" class="metric-goal focus"' in swallowed
    assert 1 == swallowed.count(' focus"')
    assert 'focus"' not in highlight.to_html(TEXT, ITEMS, METRICS, focus="metric-9")
