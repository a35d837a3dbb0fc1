"""Reporting periods (报告期) of supervision, late marking, and who has not reported: pure functions.

A period is a month (`2023-06`) or a quarter (`2023-Q2`; `2023Q2` and `2023-q2` are read as the
same). Its report is due on a given date or, by default, `DUE_AFTER_DAYS` (5) days after the period
ends: 2023-06 → 2023-07-05, 2023-Q2 → 2023-07-05. A report filed after the due date is accepted and
marked late (逾期). Only the unit that leads a commitment (牵头单位) owes a report for it; co-units
(配合单位) may file one, but it settles nothing.

Everything here takes plain rows, so the store, the CLI and the pages share one rule:

- items: `{"id", "lead": unit name or "", "done_on": date/ISO or None}` (any other keys ignored).
  `done_on` is the day the commitment was marked 已完成 if it is done now, else None; a commitment
  done before a period starts owes no report for it.
- reports: `{"unit", "item", "period": label, "filed": date/ISO}`; an ISO date-time is cut to its
  date, so pass the local (China) calendar day: `store.now()` is UTC, and 00:30 on 6 July in Beijing
  is still 5 July in UTC.
- periods: `Period` objects or rows `{"label", "due"}` (due None → the default).
- units: `{"name", "email", "active"}`; a disabled unit (active false) is not chased.

Wiring (second round):
- a `periods` table (label TEXT PRIMARY KEY, kind, start, end, due, opened_by, opened_at) written by
  an event `cycle_open` (admin only) after `period(label, due)` has normalised and checked the label:
  `cycle open 2023-06 --due 2023-07-05` stores `Period.label` / `.due`;
- a `progress_reports` table (id, item_id, unit, period, text, filed (local date), late, by, at)
  written by an event `report` (a unit's staff for the commitments their unit leads or co-operates
  on); `late` = `is_late(period, filed)` at the time of filing, kept for the record, while the pages
  recompute states with `report_state` so a corrected due date re-marks old reports;
- `units` (name, email, active) and the lead/co assignment of items (`assign` event);
- `missing --period P --json` prints `missing(items, reports, period(P), units)` as it is;
- the 督办 page: `pd.DataFrame(matrix(...)).set_index("unit")`, styled by `REPORT_STATE_COLOURS`
  (through `ReportState.from_label`), and `report_states(...)` filtered to a clicked cell for the
  click-through to the reports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.errors import InvalidInput
from tracker.model import ReportState

MONTH = "month"
QUARTER = "quarter"
# a period's report is due this many days after the period ends unless the admin gives a date
DUE_AFTER_DAYS = 5
FIRST_YEAR, LAST_YEAR = 1900, 2100
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

_MONTHLY = re.compile(r"(\d{4})-(\d{2})")
_QUARTERLY = re.compile(r"(\d{4})-?Q(\d)")
_EXAMPLES = "请写成 2023-06（月度）或 2023-Q2（季度）"


# worst first: a unit's cell in the matrix shows the worst state of its commitments
_SEVERITY = (ReportState.MISSING, ReportState.LATE, ReportState.ON_TIME)


@dataclass(frozen=True)
class Period:
    """A reporting period: its normalised label, first and last day, and when its reports are due.

    `due` defaults to `DUE_AFTER_DAYS` (5) days after `end`: 2023-06 is due 2023-07-05.
    """

    label: str  # "2023-06" | "2023-Q2"
    kind: str  # MONTH | QUARTER
    start: date
    end: date
    due: date

    @property
    def name(self) -> str:
        """How the period reads in Chinese: 2023年6月, 2023年第二季度."""
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年{QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def normalise_label(raw: str) -> str:
    """`2023-06` for a month, `2023-Q2` for a quarter (from 2023-Q2, 2023Q2, 2023-q2); InvalidInput else."""
    return _parse(raw)[0]


def period(label: str, due: date | str | None = None) -> Period:
    """The period a label names, due on `due` or `DUE_AFTER_DAYS` after its end; InvalidInput if the
    label is not a month or a quarter, or the due date is not a date or falls before the period starts."""
    norm, kind, start, end = _parse(label)
    if due is None or due == "":
        due_day = end + timedelta(days=DUE_AFTER_DAYS)
    else:
        due_day = _date_or_refuse(due)
        if due_day < start:
            raise InvalidInput(
                f"报送截止日期 {due_day.isoformat()} 早于报告期 {norm} 的开始（{start.isoformat()}）"
            )
    return Period(norm, kind, start, end, due_day)


def as_period(value: Period | Mapping | str) -> Period:
    """A `Period` from a Period, a row `{"label", "due"}` (as the store keeps it) or a bare label."""
    if isinstance(value, Period):
        return value
    if isinstance(value, Mapping):
        return period(value["label"], value.get("due"))
    return period(value)


def containing(day: date, kind: str = MONTH) -> Period:
    """The month or quarter `day` falls in, with the default due date (the form's default period)."""
    if kind == MONTH:
        return period(f"{day.year}-{day.month:02d}")
    if kind == QUARTER:
        return period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    raise ValueError(kind)


def is_late(p: Period, filed_on: date | str) -> bool:
    """Whether a report filed on `filed_on` is late: filed after the due date (the due day itself is on time)."""
    return as_date(filed_on) > p.due


def report_state(p: Period, filed: Iterable[date | str | None]) -> ReportState:
    """按时 / 逾期 / 未报 for one unit × commitment × period, from the dates its reports were filed.

    The first report decides: a unit that reported on time and later added a correction stays on time.
    """
    days = [as_date(d) for d in filed if d not in (None, "")]
    if not days:
        return ReportState.MISSING
    return ReportState.LATE if is_late(p, min(days)) else ReportState.ON_TIME


def owes_report(item: Mapping, p: Period) -> bool:
    """Whether a commitment's lead unit owes a report for `p`: it has a lead and was not done before `p`."""
    if not item.get("lead"):
        return False
    done_on = item.get("done_on")
    return done_on in (None, "") or as_date(done_on) >= p.start


def report_states(
    items: Iterable[Mapping], reports: Iterable[Mapping], periods: Iterable[Period | Mapping | str]
) -> list[dict]:
    """One row per period × lead unit × owed commitment, in period, unit, then item order.

    Rows: `{"period": label, "unit", "item": id, "state": ReportState, "filed": first filing (ISO) or None}`.
    Only the lead unit's reports count.
    """
    items = list(items)
    filed: dict[tuple[str, str, str], list[date]] = {}
    for r in reports:
        key = (normalise_label(r["period"]), r["unit"], r["item"])
        filed.setdefault(key, []).append(as_date(r["filed"]))
    rows = []
    for p in sort_periods(as_period(x) for x in periods):
        owed: dict[str, list[Mapping]] = {}
        for it in items:
            if owes_report(it, p):
                owed.setdefault(it["lead"], []).append(it)
        for unit in sorted(owed):
            for it in owed[unit]:
                days = filed.get((p.label, unit, it["id"]), [])
                rows.append({
                    "period": p.label,
                    "unit": unit,
                    "item": it["id"],
                    "state": report_state(p, days),
                    "filed": min(days).isoformat() if days else None,
                })  # fmt: skip
    return rows


def missing(
    items: Iterable[Mapping],
    reports: Iterable[Mapping],
    p: Period | Mapping | str,
    units: Iterable[Mapping] = (),
) -> list[dict]:
    """Who has not reported for `p`: `[{"unit", "email", "items": [ITEM_ID, ...]}]`, sorted by unit.

    Every unit that leads a commitment owing a report for `p` and has filed none for it; `items` keep
    the order of the `items` argument (document order from the store). `email` comes from `units`
    (None when the unit has none or is not a known unit); disabled units are left out.
    """
    p = as_period(p)
    known = {u["name"]: u for u in units}
    by_unit: dict[str, list[str]] = {}
    for row in report_states(items, reports, [p]):
        if row["state"] is ReportState.MISSING:
            by_unit.setdefault(row["unit"], []).append(row["item"])
    out = []
    for unit in sorted(by_unit):
        row = known.get(unit)
        if row is not None and not _active(row):
            continue
        out.append({"unit": unit, "email": (row or {}).get("email") or None, "items": by_unit[unit]})
    return out


def matrix(
    items: Iterable[Mapping], reports: Iterable[Mapping], periods: Iterable[Period | Mapping | str]
) -> list[dict]:
    """The units × periods matrix: `[{"unit": U, "2023-06": "按时", "2023-Q2": "未报", ...}]`.

    One row per lead unit (sorted), one key per period in time order; a cell is the worst state of the
    unit's commitments in that period (未报 over 逾期 over 按时), as its Chinese label, or None when the
    unit owed nothing in that period. `pd.DataFrame(rows).set_index("unit")` is the page's table.
    """
    periods = sort_periods(as_period(x) for x in periods)
    return matrix_of(report_states(items, reports, periods), periods)


def matrix_of(states: Iterable[Mapping], periods: Iterable[Period | Mapping | str]) -> list[dict]:
    """`matrix` from rows of `report_states` already at hand (the 督办 page shows both)."""
    periods = sort_periods(as_period(x) for x in periods)
    cells: dict[tuple[str, str], set[ReportState]] = {}
    for row in states:
        cells.setdefault((row["unit"], row["period"]), set()).add(row["state"])
    units = sorted({unit for unit, _ in cells})
    rows = []
    for unit in units:
        row: dict = {"unit": unit}
        for p in periods:
            states = cells.get((unit, p.label))
            row[p.label] = next(s.label for s in _SEVERITY if s in states) if states else None
        rows.append(row)
    return rows


def sort_periods(periods: Iterable[Period]) -> list[Period]:
    """Periods in time order (a month before the quarter that ends with it), each label once."""
    unique = {p.label: p for p in periods}
    return sorted(unique.values(), key=lambda p: (p.end, p.start))


def as_date(value: date | datetime | str) -> date:
    """A date from a date, a datetime or an ISO string (a date-time is cut to its date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def _date_or_refuse(value) -> date:
    try:
        return as_date(value)
    except ValueError:
        raise InvalidInput(f"“{value}”不是有效日期，请用 YYYY-MM-DD 格式") from None


def _active(unit: Mapping) -> bool:
    return bool(unit.get("active", True))


def _parse(raw: str) -> tuple[str, str, date, date]:
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper()
    if m := _MONTHLY.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        _check_year(raw, year)
        if not 1 <= month <= 12:
            raise InvalidInput(f"“{raw}”不是有效的报告期：月份应为 01–12")
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return f"{year}-{month:02d}", MONTH, start, end
    if m := _QUARTERLY.fullmatch(text):
        year, quarter = int(m[1]), int(m[2])
        _check_year(raw, year)
        if not 1 <= quarter <= 4:
            raise InvalidInput(f"“{raw}”不是有效的报告期：季度应为 Q1–Q4")
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + quarter // 4, (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        return f"{year}-Q{quarter}", QUARTER, start, end
    raise InvalidInput(f"“{raw}”不是有效的报告期：{_EXAMPLES}")


def _check_year(raw: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"“{raw}”不是有效的报告期：年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间")
