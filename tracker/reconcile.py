"""Closing the loop: next year's review against this year's plan and what staff logged.

When next year's report is imported, its review (工作回顾) states what was done in this report's plan
year. `reconcile()` matches the two:

- plan commitments the review reports (character-bigram overlap of the commitment's title, its
  goals' wording or its distinctive keywords with one sentence of the review);
- counts the review states against the counts logged here (activity categories and goal
  progress): those that agree, those that differ (both numbers), those the review states that
  nothing here was logged for, and those logged that the review does not state;
- commitments the review never mentions.

Everything but `reconcile()` is a pure function over rows (dicts), so the rules are testable alone.
Chinese has no spaces, so similarity is measured on characters (bigrams, shared runs): no tokenizer, no model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from tracker import store
from tracker.errors import InvalidInput
from tracker.model import PLAN, REVIEW

# a commitment counts as reported when one review sentence repeats this share of its lead phrase,
MATCH = 0.6
# or this share of one of its goals' wording,
GOAL_MATCH = 0.8
# or a phrase this long from its text that no other commitment of the plan has
KEYWORD_RUN = 10
# a review count and a logged count are about the same thing at this similarity (same unit required)
COUNT_MATCH = 0.5

_WORD = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text's runs of Chinese characters, letters and digits."""
    out: set[str] = set()
    for run in _WORD.findall(text or ""):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def coverage(needle: str | set[str], haystack: str | set[str]) -> float:
    """Share of the needle's bigrams found in the haystack (0 for a needle without bigrams)."""
    a = bigrams(needle) if isinstance(needle, str) else needle
    b = bigrams(haystack) if isinstance(haystack, str) else haystack
    return len(a & b) / len(a) if a else 0.0


def similarity(a: str, b: str) -> float:
    """How alike two short phrases are: Dice on bigrams, or how much the shorter lies in the longer."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    dice = 2 * len(x & y) / (len(x) + len(y))
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    contained = len(short & long_) / len(short) if len(short) >= 3 else 0.0
    return max(dice, 0.9 * contained)


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends (。！？；and line breaks), blanks dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def counts_agree(logged: float, reported: float, approx: bool = False) -> bool:
    """Whether a logged count agrees with the count a review states.

    An exact count must be equal. An approximate one ("100余条", "30多次", "约50人") agrees from 90 %
    of the stated number up to the next step of its leading digit (100余 → [90, 200), 30多 → [27, 40)).
    """
    if not approx:
        return math.isclose(logged, reported, abs_tol=1e-9)
    step = 10 ** math.floor(math.log10(reported)) if reported >= 10 else 1
    return reported * 0.9 - 1e-9 <= logged < reported + step


@dataclass
class Mention:
    """A plan commitment of this year that next year's review reports."""

    item_id: str
    section: int
    title: str
    status: str
    owner: str
    score: float
    signal: str  # 标题 | 目标 | 关键词: what matched
    quote: str  # the review sentence that reports it


@dataclass
class CountCheck:
    """A count stated by next year's review beside the count logged here."""

    source: str  # "activity" (a logged category) | "goal" (progress towards a plan goal)
    metric_id: str | None  # this report's metric (category or goal); None when nothing matched
    label: str  # what is counted, in this report's wording
    unit: str
    logged: float | None  # None when nothing here matches the review's count
    reported: float | None  # None when the review hides the number (***) or does not state it
    approx: bool
    quote: str  # the review's clause ("" when the review does not state it)
    state: str  # agree | differ | redacted | unlogged | unreported


STATE_LABELS = {
    "agree": "一致",
    "differ": "不一致",
    "redacted": "报告未公开数字",
    "unlogged": "本系统未登记",
    "unreported": "报告未提及",
}


@dataclass
class Reconciliation:
    report: dict
    next_report: dict
    mentioned: list[Mention] = field(default_factory=list)
    unmentioned: list[dict] = field(default_factory=list)  # plan item rows
    counts: list[CountCheck] = field(default_factory=list)

    def counts_in(self, *states: str) -> list[CountCheck]:
        return [c for c in self.counts if c.state in states]

    @property
    def agree(self) -> list[CountCheck]:
        return self.counts_in("agree")

    @property
    def differ(self) -> list[CountCheck]:
        return self.counts_in("differ")

    def summary(self) -> dict:
        return {
            "plan_items": len(self.mentioned) + len(self.unmentioned),
            "mentioned": len(self.mentioned),
            "unmentioned": len(self.unmentioned),
            **{state: len(self.counts_in(state)) for state in STATE_LABELS},
        }

    def mentioned_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "部分": [m.section for m in self.mentioned],
                "任务": [m.title for m in self.mentioned],
                "系统中状态": [m.status for m in self.mentioned],
                "牵头单位": [m.owner for m in self.mentioned],
                "依据": [m.signal for m in self.mentioned],
                "报告原文": [m.quote for m in self.mentioned],
            }
        )

    def unmentioned_frame(self) -> pd.DataFrame:
        rows = self.unmentioned
        return pd.DataFrame(
            {
                "部分": [r["section"] for r in rows],
                "任务": [r["title"] for r in rows],
                "系统中状态": [r["status"] for r in rows],
                "牵头单位": [r.get("owner") or "" for r in rows],
            }
        )

    def counts_frame(self, *states: str) -> pd.DataFrame:
        rows = self.counts_in(*states) if states else self.counts
        return pd.DataFrame(
            {
                "类别": [c.label for c in rows],
                "单位": [c.unit for c in rows],
                "本系统登记": [_fmt(c.logged) for c in rows],
                "报告所述": [_fmt(c.reported, c.approx) if c.state != "redacted" else "***" for c in rows],
                "结果": [STATE_LABELS[c.state] for c in rows],
                "报告原文": [c.quote for c in rows],
            }
        )


def _fmt(value: float | None, approx: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:g}" + ("余" if approx else "")


# --- commitments --------------------------------------------------------------------------------


def run_coverage(needle: str, haystack: str, min_len: int = 3) -> float:
    """Share of the needle's characters that lie in a run of at least `min_len` characters that the
    haystack contains too. Stricter than bigrams: scattered pairs like 协商/议政 do not add up."""
    chars = "".join(_WORD.findall(needle or ""))
    if not chars:
        return 0.0
    covered = [False] * len(chars)
    for i in range(len(chars)):
        for n in range(len(chars) - i, min_len - 1, -1):
            if chars[i : i + n] in haystack:
                covered[i : i + n] = [True] * n
                break
    return sum(covered) / len(chars)


def longest_unique_run(sentence: str, text: str, others: list[str]) -> int:
    """Length of the longest run of the sentence found in `text` and in none of `others`."""
    best = 0
    for i in range(len(sentence)):
        n = best + 1
        if sentence[i : i + n] not in text:
            continue
        while i + n < len(sentence) and sentence[i : i + n + 1] in text:
            n += 1
        run = sentence[i : i + n]
        if _WORD.fullmatch(run[0]) and not any(run in o for o in others):
            best = n
    return best


def match_items(
    plan_items: list[dict], goals: list[dict], review_sentences: list[str]
) -> tuple[list[Mention], list[dict]]:
    """Split plan commitments into those a review sentence reports and those never mentioned.

    A sentence reports a commitment when it repeats most of its lead phrase (标题: runs of 3+
    characters cover MATCH of it), most of one of its goals' wording (目标: GOAL_MATCH), or a long
    phrase of its text that no other commitment has (关键词: KEYWORD_RUN characters or more).
    """
    texts = {it["id"]: it.get("text") or it["title"] for it in plan_items}
    goal_words: dict[str, list[str]] = {}
    for g in goals:
        if g.get("item_id") and g.get("activity"):
            goal_words.setdefault(g["item_id"], []).append(g["activity"])
    mentioned, unmentioned = [], []
    for it in plan_items:
        others = [t for i, t in texts.items() if i != it["id"]]
        best = (0.0, "", "")
        for sentence in review_sentences:
            signals = [(run_coverage(it["title"], sentence) / MATCH, "标题")]
            signals += [
                (run_coverage(w, sentence) / GOAL_MATCH, "目标") for w in goal_words.get(it["id"], [])
            ]
            signals.append((longest_unique_run(sentence, texts[it["id"]], others) / KEYWORD_RUN, "关键词"))
            score, signal = max(signals, key=lambda s: s[0])
            if score > best[0]:
                best = (score, signal, sentence)
        if best[0] >= 1.0:
            mentioned.append(
                Mention(
                    item_id=it["id"],
                    section=it["section"],
                    title=it["title"],
                    status=it["status"],
                    owner=it.get("owner") or "",
                    score=round(best[0], 3),
                    signal=best[1],
                    quote=best[2],
                )
            )
        else:
            unmentioned.append(it)
    return mentioned, unmentioned


# --- counts -------------------------------------------------------------------------------------


def match_counts(
    categories: list[dict], logged: dict[str, float], goals: list[dict], reported: list[dict]
) -> list[CountCheck]:
    """Pair the review's counts with logged categories and goals (same unit, alike wording).

    `categories` are this report's review metrics (the activity categories), `logged` their counts
    logged in the plan year, `goals` the plan's numeric goals (their `progress`), `reported` the
    next report's review counts. Categories with nothing logged take no part: a review count
    without a partner is "unlogged".
    """
    ours = [("activity", m, logged[m["id"]]) for m in categories if logged.get(m["id"])]
    ours += [("goal", g, g["progress"]) for g in goals if g.get("value") is not None]
    pairs = []
    for i, (_, m, _) in enumerate(ours):
        words = m["activity"] or m["quote"]
        for j, r in enumerate(reported):
            if r["unit"] != m["unit"]:
                continue
            score = max(similarity(words, r["activity"] or r["quote"]), 0.9 * coverage(words, r["quote"]))
            if score >= COUNT_MATCH:
                pairs.append((score, i, j))
    taken_ours, taken_theirs, checks = set(), set(), []
    for _score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in taken_ours or j in taken_theirs:
            continue
        taken_ours.add(i)
        taken_theirs.add(j)
        source, m, value = ours[i]
        r = reported[j]
        if r["redacted"] or r["value"] is None:
            state = "redacted"
        else:
            state = "agree" if counts_agree(value, r["value"], bool(r["approx"])) else "differ"
        checks.append(
            CountCheck(
                source=source,
                metric_id=m["id"],
                label=m["activity"] or m["quote"],
                unit=m["unit"],
                logged=value,
                reported=r["value"],
                approx=bool(r["approx"]),
                quote=r["quote"],
                state=state,
            )
        )
    for j, r in enumerate(reported):
        if j not in taken_theirs:
            checks.append(
                CountCheck(
                    "activity",
                    None,
                    r["activity"] or r["quote"],
                    r["unit"],
                    None,
                    r["value"],
                    bool(r["approx"]),
                    r["quote"],
                    "redacted" if r["redacted"] else "unlogged",
                )
            )
    for i, (source, m, value) in enumerate(ours):
        if i not in taken_ours and (source == "activity" or value):
            checks.append(
                CountCheck(
                    source,
                    m["id"],
                    m["activity"] or m["quote"],
                    m["unit"],
                    value,
                    None,
                    False,
                    "",
                    "unreported",
                )
            )
    return checks


# --- the whole reconciliation -------------------------------------------------------------------


def review_text(next_items: list[dict], next_sections: list[dict], text: str) -> list[str]:
    """The sentences of a report's review: its review items' text, or the text before its plan.

    A lead phrase that stands as a sentence of its own ("拓展协商议政形式。") is joined to the
    sentence after it, so the quote shown as evidence says what was done.
    """
    items = [it for it in next_items if it["part"] == REVIEW]
    if items:
        out = []
        for it in items:
            parts = sentences(it["text"])
            if len(parts) > 1 and parts[0] == it["title"].strip():
                parts[:2] = [f"{parts[0]}。{parts[1]}"]
            out.extend(parts)
        return out
    plan_starts = [s["start"] for s in next_sections if s["part"] == PLAN and s["start"] is not None]
    return sentences(text[: min(plan_starts)] if plan_starts else "")


def reconcile(db: store.Database, report_id: str, next_id: str | None = None) -> Reconciliation:
    """Next year's review (report `next_id`, by default the one whose review year is this plan year)
    against this report's plan commitments, goals and logged activity counts."""
    report = store.get_report(db, report_id)
    next_id = next_id or store.next_report_id(db, report_id)
    if not next_id:
        raise InvalidInput(f"还没有导入回顾 {report['plan_year'] or '本'}年工作的下一年度报告")
    if next_id == report_id:
        raise InvalidInput("请选择另一份报告（下一年度的工作报告）")
    nxt = store.get_report(db, next_id)
    if report["plan_year"] and nxt["review_year"] and nxt["review_year"] != report["plan_year"]:
        raise InvalidInput(
            f"所选报告回顾的是{nxt['review_year']}年，而本报告的工作安排是{report['plan_year']}年"
        )
    plan_items = store.report_items(db, report_id, PLAN)
    metrics = store.report_metrics(db, report_id)
    goals = [m for m in metrics if m["part"] == PLAN]
    categories = [m for m in metrics if m["part"] == REVIEW]
    logged = store.activity_counts(db, report_id, report["plan_year"])
    next_items = store.report_items(db, next_id, None)
    next_counts = [m for m in store.report_metrics(db, next_id, REVIEW) if m["kind"] == "count"]
    review = review_text(next_items, store.report_sections(db, next_id), nxt["text"])
    mentioned, unmentioned = match_items(plan_items, goals, review)
    counts = match_counts(categories, logged, goals, next_counts)
    return Reconciliation(report, nxt, mentioned, unmentioned, counts)
