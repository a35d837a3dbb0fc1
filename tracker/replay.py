"""Corrections replayed on an extraction: the import review's engine, pure (no database).

A correction is a plain dict (`{"op": "rename", "item": ANCHOR, ...}`) naming items by their original
title and metrics by their quote, never by position, so the same corrections can be replayed on a
later extraction of the same or a corrected document; `replay` applies them in order and returns the
ones that no longer fit as skipped. `intake` builds the corrections and keeps them on a Draft.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from tracker import goal_types, store
from tracker.errors import InvalidInput
from tracker.model import PLAN, REVIEW, Bound, Item, Metric, Report

MAX_UNIT = 20
# a metric's kind: counted activity (工作回顾) or numeric goal (工作安排)
KINDS = ("count", "target")
# the fields of a metric a person may edit in the review, in the order the page shows them
METRIC_FIELDS = ("value", "unit", "bound", "kind", "type")


@dataclass
class Corrected:
    report: Report
    item_origin: list[int | str]  # raw item index, or the anchor of an item split off by a person
    metric_origin: list[int | str]  # raw metric index, or the anchor of a metric a person added
    skipped: list[dict]  # corrections that no longer fit the document
    item_anchors: list[str] = field(default_factory=list)  # how corrections name each item
    metric_anchors: list[str] = field(default_factory=list)
    dropped_items: list[int] = field(default_factory=list)  # raw indices of items a person deleted


def replay(raw: Report, ops: list[dict]) -> Corrected:
    """The report with `ops` applied in order; ops that no longer fit are returned as skipped."""
    state = State(raw)
    skipped = [op for op in ops if not state.apply_quietly(op)]
    return state.result(skipped)


def metric_field(key: str, raw):
    """A metric field as a person typed or chose it, checked; InvalidInput when it cannot be."""
    if key == "value":
        if raw is None:  # a stored correction that hid the figure
            return None
        text = str(raw).strip()
        return None if text in ("*", "***") else store.parse_amount(text, allow_zero=True)
    text = str(raw or "").strip()
    if key == "unit":
        if not text:
            raise InvalidInput("请填写单位，如 次、家、万人")
        if len(text) > MAX_UNIT:
            raise InvalidInput(f"单位不能超过 {MAX_UNIT} 个字")
        return text
    allowed = {"bound": ("", *Bound), "kind": KINDS, "type": goal_types.GOAL_TYPES}[key]
    if text not in allowed:
        raise InvalidInput(f"“{text[:20]}”不是可选的值")
    return text


def title_of(anchor: str) -> str:
    return anchor.split(":", 1)[-1]


def _numbered(keys: list[str]) -> list[str]:
    """Make repeated keys unique by occurrence: a, a#2, a#3."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


class State:
    """Items and metrics as lists of [anchor, origin, object]; metrics point at item anchors."""

    def __init__(self, raw: Report):
        self.raw = raw
        self.meta = {k: getattr(raw, k) for k in ("org", "title", "review_year", "plan_year")}
        self.dropped: list[int | str] = []  # origins of the items a person deleted
        self.typed: set[str] = set()  # metrics whose goal type a person chose
        item_anchors = _numbered([f"{it.part}:{it.title}" for it in raw.items])
        self.items = [
            [a, i, copy.copy(it)] for i, (a, it) in enumerate(zip(item_anchors, raw.items, strict=True))
        ]
        metric_anchors = _numbered([f"{m.part}:{m.quote}" for m in raw.metrics])
        self.metrics = []
        for j, (a, m) in enumerate(zip(metric_anchors, raw.metrics, strict=True)):
            owner = item_anchors[m.item] if m.item is not None and 0 <= m.item < len(item_anchors) else None
            self.metrics.append([a, j, copy.copy(m), owner])

    def apply_quietly(self, op: dict) -> bool:
        try:
            self.apply(op)
        except (InvalidInput, KeyError, TypeError, ValueError):
            return False
        return True

    def apply(self, op: dict) -> None:
        getattr(self, "_" + op["op"])(op)

    def _find(self, anchor: str) -> int:
        for k, row in enumerate(self.items):
            if row[0] == anchor:
                return k
        raise InvalidInput(f"找不到条目“{title_of(anchor)}”")

    def _rename(self, op: dict) -> None:
        self.items[self._find(op["item"])][2].title = op["title"]

    def _merge(self, op: dict) -> None:
        k, n = self._find(op["item"]), self._find(op["next"])
        first, second = self.items[k][2], self.items[n][2]
        if n != k + 1 or first.part != second.part:
            raise InvalidInput("只能合并同一部分中相邻的两项")
        first.text = first.text + second.text
        dues = [d for d in (first.due, second.due) if d]
        first.due = max(dues) if dues else None
        for row in self.metrics:
            if row[3] == op["next"]:
                row[3] = op["item"]
        del self.items[n]

    def _split(self, op: dict) -> None:
        k = self._find(op["item"])
        item = self.items[k][2]
        pos = item.text.find(op["marker"])
        if pos <= 0 or not item.text[:pos].strip():
            raise InvalidInput(f"条目“{item.title}”中找不到拆分处“{op['marker']}”")
        rest = item.text[pos:]
        title = op.get("title") or _lead(rest)
        anchor = f"{op['item']}／{op['marker']}"
        new = Item(item.part, item.section, title, rest, item.start + pos, item.due, item.kind)
        item.text = item.text[:pos]
        for row in self.metrics:
            if row[3] == op["item"] and row[2].start >= new.start:
                row[3] = anchor
        self.items.insert(k + 1, [anchor, anchor, new])

    def _add_metric(self, op: dict) -> None:
        text, quote = self.raw.text, op["quote"]
        found = [m.start() for m in re.finditer(re.escape(quote), text)]
        if not found:
            raise InvalidInput(f"原文中找不到“{quote[:40]}”，请从原文中复制")
        pos = min(found, key=lambda s: abs(s - int(op.get("near") or 0)))
        owner = self._item_at(pos)
        part = owner[2].part if owner else self._part_at(pos)
        anchor = _numbered([r[0] for r in self.metrics] + [f"+{part}:{quote}"])[-1]
        metric = Metric(
            part,
            "target" if part == PLAN else "count",
            op["value"],
            op["unit"],
            redacted=op["value"] is None,
            activity=op.get("activity") or "",
            quote=quote,
            start=pos,
        )
        self.metrics.append([anchor, anchor, metric, owner[0] if owner else None])

    def _drop_metric(self, op: dict) -> None:
        for k, row in enumerate(self.metrics):
            if row[0] == op["metric"]:
                del self.metrics[k]
                return
        raise InvalidInput(f"找不到数字“{title_of(op['metric'])}”")

    def _drop_item(self, op: dict) -> None:
        k = self._find(op["item"])
        anchor, origin, _ = self.items.pop(k)
        self.dropped.append(origin)
        for row in self.metrics:  # its numbers stay, attached to no item
            if row[3] == anchor:
                row[3] = None

    def _edit_metric(self, op: dict) -> None:
        row = next((r for r in self.metrics if r[0] == op["metric"]), None)
        if row is None:
            raise InvalidInput(f"找不到数字“{title_of(op['metric'])}”")
        fields = {k: metric_field(k, op[k]) for k in METRIC_FIELDS if k in op}
        metric = row[2]
        if "value" in fields:
            metric.value, metric.redacted = fields["value"], fields["value"] is None
            if metric.value_max is not None and metric.value is not None and metric.value_max <= metric.value:
                metric.value_max = None  # a range the new value no longer opens
        if "unit" in fields:
            metric.unit = fields["unit"]
        if "bound" in fields:
            metric.bound = fields["bound"] or None
        if "kind" in fields:
            metric.kind = fields["kind"]
        if "type" in fields:
            metric.type = fields["type"]
            self.typed.add(row[0])
        elif fields.keys() & {"unit", "bound", "kind"} and row[0] not in self.typed:
            metric.type = None  # the extractor's proposal is made again from the corrected figure (result)

    def _meta(self, op: dict) -> None:
        self.meta.update({k: v for k, v in op.items() if k in self.meta})

    def _item_at(self, pos: int) -> list | None:
        best = None
        for row in self.items:
            it = row[2]
            if it.start <= pos < it.start + max(len(it.text), len(it.title)):
                return row
            if it.start <= pos:
                best = row
        return best if best is not None and self._part_at(pos) == best[2].part else None

    def _part_at(self, pos: int) -> str:
        part = REVIEW
        for s in self.raw.sections:
            if s.start <= pos:
                part = s.part
        return part

    def result(self, skipped: list[dict]) -> Corrected:
        index = {row[0]: k for k, row in enumerate(self.items)}
        metrics = []
        for row in self.metrics:
            m = copy.copy(row[2])
            m.item = index.get(row[3]) if row[3] is not None else None
            if m.kind == "target" and m.type is None:  # the extractor's proposal, as the parser makes it
                m.type = goal_types.classify(m.unit, m.bound, m.activity, m.quote, m.value)
            metrics.append(m)
        report = replace(self.raw, **self.meta, items=[row[2] for row in self.items], metrics=metrics)
        return Corrected(
            report,
            [row[1] for row in self.items],
            [row[1] for row in self.metrics],
            skipped,
            [row[0] for row in self.items],
            [row[0] for row in self.metrics],
            [o for o in self.dropped if isinstance(o, int)],
        )


def _lead(text: str) -> str:
    """A title for a split-off item: its first clause, at most 30 characters."""
    head = re.split(r"[。；;，,：:\n]", text.strip(), maxsplit=1)[0]
    return head[:30] or text.strip()[:30]
