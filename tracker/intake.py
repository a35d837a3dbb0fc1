"""The import review: an extracted report corrected by a person, then written in one transaction.

A Draft is the extraction as it came plus a list of corrections (plain dicts). The corrected report is
recomputed from the two by `corrected()`, so the same corrections can be replayed on a later extraction
of the same or a corrected document: they name items by their original title and metrics by their
quote, never by position. Confirming stores the new corrections as events; a later import finds them
again through the report's source key and re-applies them, so a renamed item keeps its id and its
progress.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tracker import goal_types, store
from tracker.errors import InvalidInput, UnsupportedDocument
from tracker.extract import extract_document
from tracker.model import BOUND_LABELS, Item, Report
from tracker.replay import (  # noqa: F401  KINDS, MAX_UNIT and replay are re-exported as intake.x
    KINDS,
    MAX_UNIT,
    METRIC_FIELDS,
    Corrected,
    State,
    metric_field,
    replay,
    title_of,
)

MAX_TITLE = 200
KIND_LABELS = {"count": "活动数量", "target": "数字目标"}
# a name that could reach outside a folder, or that no file system holds
_BAD_NAME = re.compile(r"[/\\\x00-\x1f]")


@dataclass
class Draft:
    raw: Report  # the extraction, never changed
    filename: str
    ops: list[dict] = field(default_factory=list)
    saved: int = 0  # the first `saved` ops came from earlier imports (already stored)
    source: str = ""  # store.report_id_for(raw): the key earlier corrections are stored under
    same_file: dict | None = None  # the report already imported from the identical text


# --- file names and starting a review ---------------------------------------------------------


MAX_NAME = 200  # characters in an uploaded file's name


def check_filename(filename: str) -> str:
    """The file name as given, if it is a plain name; UnsupportedDocument when it carries a path."""
    name = str(filename or "").strip()
    if not name:
        raise UnsupportedDocument("文件没有名称")
    if len(name) > MAX_NAME:  # issue 17: a 5,000-character name was accepted
        raise UnsupportedDocument(f"文件名过长（{len(name)} 个字符，最多 {MAX_NAME} 个），请改短后再导入")
    if _BAD_NAME.search(name) or name in (".", "..") or name.startswith(".."):
        raise UnsupportedDocument(
            f"文件名“{_printable(name)}”含有路径或控制字符（/ \\ ..），请改为普通文件名后再导入"
        )
    return name


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]


def start(db: store.Database, data: bytes, filename: str) -> Draft:
    """Read and extract a document, with the corrections made at its earlier imports re-applied.

    Raises UnsupportedDocument / NotAWorkReport; writes nothing.
    """
    name = check_filename(filename)
    raw = extract_document(data, name)
    source = store.report_id_for(raw)
    ops = store.corrections_for(db, source)
    return Draft(
        raw,
        name,
        ops,
        saved=len(ops),
        source=source,
        same_file=store.report_by_hash(db, store.text_hash(raw.text)),
    )


def import_file(
    db: store.Database, data: bytes, filename: str, username: str, org: str | None = None
) -> dict:
    """Extract, re-apply stored corrections and import: the CLI's path. Nothing written on error."""
    return confirm(db, start(db, data, filename), username, org=org)


def confirm(
    db: store.Database, draft: Draft, username: str, org: str | None = None, require_meta: bool = False
) -> dict:
    """Write the corrected report and its new corrections in one transaction; returns a summary.

    With `require_meta` (the review page) a report without its organisation or either year is
    refused with InvalidInput naming what is missing, and nothing is written."""
    fixed = corrected(draft)
    missing = missing_meta(fixed.report, org)
    if require_meta and missing:
        raise InvalidInput(f"请先填写{'、'.join(missing)}，再确认导入")
    base = replace(fixed.report, items=draft.raw.items, metrics=draft.raw.metrics)
    return store.import_reviewed(
        db,
        base,
        fixed.report,
        fixed.item_origin,
        fixed.metric_origin,
        draft.ops[draft.saved :],
        draft.source,
        username,
        filename=draft.filename,
        org=org,
        dropped=fixed.dropped_items,
    )


def missing_meta(report: Report, org: str | None = None) -> list[str]:
    """What a report lacks before it can be imported from the review: 单位, 回顾年度, 计划年度."""
    wanted = (("单位", org or report.org), ("回顾年度", report.review_year), ("计划年度", report.plan_year))
    return [name for name, value in wanted if not value]


# --- the corrections a person makes (each returns a new Draft) -----------------------------------


def rename_item(draft: Draft, index: int, title: str) -> Draft:
    title = " ".join(str(title or "").split())
    if not title:
        raise InvalidInput("标题不能为空")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"标题不能超过 {MAX_TITLE} 个字")
    return _add(draft, {"op": "rename", "item": _item_anchor(draft, index), "title": title})


def merge_items(draft: Draft, index: int) -> Draft:
    """Merge item `index` with the one after it (the two become one commitment)."""
    fixed = corrected(draft)
    if not 0 <= index < len(fixed.report.items) - 1:
        raise InvalidInput("没有可以合并的下一项")
    return _add(
        draft, {"op": "merge", "item": _anchor_of(fixed, index), "next": _anchor_of(fixed, index + 1)}
    )


def split_item(draft: Draft, index: int, at: int | str, title: str = "") -> Draft:
    """Split item `index` where its text reaches offset `at` (or where the text `at` begins)."""
    fixed = corrected(draft)
    item = _item(fixed, index)
    pos = item.text.find(at.strip()) if isinstance(at, str) else int(at)
    if isinstance(at, str) and not at.strip():
        raise InvalidInput("请输入新条目开头的文字")
    if pos <= 0 or pos >= len(item.text) or not item.text[:pos].strip():
        raise InvalidInput("拆分位置必须在该条目正文的中间（请复制新条目开头的几个字）")
    marker = item.text[pos : pos + 16]
    return _add(
        draft,
        {
            "op": "split",
            "item": _anchor_of(fixed, index),
            "marker": marker,
            "title": " ".join(str(title or "").split())[:MAX_TITLE],
        },
    )


def add_metric(draft: Draft, quote: str, value, unit: str, activity: str = "", near: int = 0) -> Draft:
    """A number the extractor missed: `quote` is text selected in the source, value and unit typed."""
    quote = str(quote or "").strip()
    if not quote:
        raise InvalidInput("请粘贴原文中的数字所在文字")
    op = {
        "op": "add_metric",
        "quote": quote,
        "value": metric_field("value", "" if value is None else value),
        "unit": metric_field("unit", unit),  # checked as an edited unit is, its length too
        "activity": str(activity or "").strip(),
        "near": int(near or 0),
    }
    return _add(draft, op)


def drop_metric(draft: Draft, index: int) -> Draft:
    fixed = corrected(draft)
    if not 0 <= index < len(fixed.report.metrics):
        raise InvalidInput("没有这个数字")
    return _add(draft, {"op": "drop_metric", "metric": _metric_anchors(fixed)[index]})


def drop_item(draft: Draft, index: int) -> Draft:
    """不是任务: the item is no commitment. Its numbers stay, no longer attached to an item."""
    return _add(draft, {"op": "drop_item", "item": _item_anchor(draft, index)})


def edit_metric(draft: Draft, index: int, **changes) -> Draft:
    """Correct a number: any of value (text as typed, *** when hidden), unit, bound ('min', 'max' or
    '' for none), kind ('count' / 'target') and type (a goal type). Only fields that differ are kept."""
    fixed = corrected(draft)
    if not 0 <= index < len(fixed.report.metrics):
        raise InvalidInput("没有这个数字")
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise InvalidInput(f"不能修改：{'、'.join(sorted(unknown))}")
    metric = fixed.report.metrics[index]
    op: dict = {"op": "edit_metric", "metric": fixed.metric_anchors[index]}
    for key, raw in changes.items():
        value = metric_field(key, raw)
        current = None if key == "value" and metric.redacted else getattr(metric, key)
        if key == "bound":
            current = current or ""
        if value != current:
            op[key] = value
    if len(op) == 2:
        raise InvalidInput("没有要修改的内容")
    return _add(draft, op)


def set_meta(
    draft: Draft,
    org: str | None = None,
    title: str | None = None,
    review_year: int | None = None,
    plan_year: int | None = None,
) -> Draft:
    """Organisation, title and years as the person states them (None leaves one as it is)."""
    op: dict = {"op": "meta"}
    for key, value in (("org", org), ("title", title)):
        if value is not None:
            op[key] = " ".join(str(value).split())[:MAX_TITLE]
    for key, value in (("review_year", review_year), ("plan_year", plan_year)):
        if value is not None:
            year = int(value)
            if not 1949 <= year <= 2100:
                raise InvalidInput("年份必须在 1949 到 2100 之间")
            op[key] = year
    if len(op) == 1:
        return draft
    return _add(draft, op)


def undo_last(draft: Draft) -> Draft:
    """Take back the last correction made in this review (earlier imports' ones stay)."""
    if len(draft.ops) <= draft.saved:
        raise InvalidInput("没有可撤回的修改")
    return replace(draft, ops=draft.ops[:-1])


def describe(op: dict) -> str:
    """One line of Chinese for a correction, for the list on the page."""
    kind = op.get("op")
    if kind == "rename":
        return f"改名：{title_of(op['item'])} → {op['title']}"
    if kind == "merge":
        return f"合并：{title_of(op['item'])} + {title_of(op['next'])}"
    if kind == "split":
        return f"拆分：{title_of(op['item'])}，从“{op['marker']}”起另成一项"
    if kind == "add_metric":
        value = "***" if op["value"] is None else f"{op['value']:g}"
        return f"补充数字：“{op['quote']}” = {value}{op['unit']}"
    if kind == "drop_metric":
        return f"删除数字：“{title_of(op['metric'])}”"
    if kind == "drop_item":
        return f"删除条目（不是任务）：{title_of(op['item'])}"
    if kind == "edit_metric":
        return f"修改数字“{title_of(op['metric'])}”：" + "，".join(
            f"{_FIELD_NAMES[k]} {_shown(k, op[k])}" for k in METRIC_FIELDS if k in op
        )
    if kind == "meta":
        names = {"org": "单位", "title": "标题", "review_year": "回顾年度", "plan_year": "计划年度"}
        return "；".join(f"{names[k]}：{v}" for k, v in op.items() if k in names)
    return str(op)


_FIELD_NAMES = {"value": "数值", "unit": "单位", "bound": "界限", "kind": "类别", "type": "目标类型"}


def _shown(key: str, value) -> str:
    """A metric field's value as people read it (以上, 数字目标, 水平, ***)."""
    if key == "value":
        return "***" if value is None else f"{value:g}"
    if key == "bound":
        return BOUND_LABELS.get(value, "无") if value else "无"
    if key == "kind":
        return KIND_LABELS.get(value, value)
    if key == "type":
        return goal_types.GOAL_TYPE_LABELS.get(value, value)
    return str(value)


def _add(draft: Draft, op: dict) -> Draft:
    """Append `op` if it applies to the current state; InvalidInput (and no change) otherwise."""
    state = State(draft.raw)
    for old in draft.ops:
        state.apply_quietly(old)
    state.apply(op)  # raises InvalidInput when it does not fit
    return replace(draft, ops=[*draft.ops, op])


# --- the corrected report and how corrections name its rows --------------------------------------


def corrected(draft: Draft) -> Corrected:
    return replay(draft.raw, draft.ops)


def _anchor_of(fixed: Corrected, index: int) -> str:
    return _item_anchors(fixed)[index]


def _item_anchor(draft: Draft, index: int) -> str:
    fixed = corrected(draft)
    _item(fixed, index)
    return _anchor_of(fixed, index)


def _item(fixed: Corrected, index: int) -> Item:
    if not 0 <= index < len(fixed.report.items):
        raise InvalidInput("没有这个条目")
    return fixed.report.items[index]


def _item_anchors(fixed: Corrected) -> list[str]:
    return fixed.item_anchors


def _metric_anchors(fixed: Corrected) -> list[str]:
    return fixed.metric_anchors
