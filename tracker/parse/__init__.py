"""Decoded text of a work report -> Report: parts and years, sections, lead-phrase items, metrics.

Pure functions, no I/O. The rules are about the genre's forms (part headings, numbering styles,
lead phrases closed by 。, 一是/二是 enumerations, appendices, trailing boilerplate), never about
particular documents. Offsets in the result refer to the text passed in.

parse_report runs named passes, each in its own module and each returning a small dataclass:
genres (refuse look-alikes, name the genre) -> parts (review, plan, appendix; years) -> sections
(headings and the blocks under them) -> items -> metrics.
"""

from __future__ import annotations

from tracker.errors import NotAWorkReport
from tracker.model import PLAN, Report
from tracker.parse.genres import GENRES, Genre, org_and_title, refuse_other_genres
from tracker.parse.items import find_items
from tracker.parse.lines import part_heading, split_lines
from tracker.parse.metrics import find_metrics
from tracker.parse.parts import find_parts, find_years
from tracker.parse.sections import find_sections

__all__ = ["GENRES", "Genre", "parse_report", "part_heading"]


def parse_report(text: str, layout: dict | None = None) -> Report:
    """Extract the parts, sections, items and metrics of a work report from its decoded text.

    layout (from a .docx): {"headings": {offset: level}, "leads": {offset: end}}, the heading
    styles and the bold runs opening paragraphs; offsets are where a line's text starts.
    """
    layout = layout or {}
    lines = split_lines(text)
    refuse_other_genres(text, lines)
    parts = find_parts(text, lines)
    found = find_sections(text, lines, parts.segments, layout.get("headings", {}))
    years = find_years(text, parts)
    header = text[: parts.header_end] if parts.header_end < len(text) else text[:300]
    title, org = org_and_title(header)
    report = Report(
        text=text,
        title=title,
        org=org,
        review_year=years.review_year,
        plan_year=years.plan_year,
        report_date=years.report_date,
        sections=found.sections,
    )
    items = find_items(text, found.blocks, years.plan_year, layout.get("leads", {}))
    report.items = items.items
    if not any(i.part == PLAN for i in report.items) and not any(s.part == PLAN for s in report.sections):
        raise NotAWorkReport("工作安排部分没有可识别的任务条目，不像一份工作报告")
    report.metrics = find_metrics(text, parts.regions, items.items, items.ends, years.review_year)
    return report
