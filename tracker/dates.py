"""Dates and times in one place: what is stored (UTC), what people see (Beijing time), what they type.

Event and row times are stored as UTC ISO strings ending in Z; the offices using the tracker are in
China, which has no daylight saving, so Beijing time is a fixed offset.
"""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta, timezone

from tracker.errors import InvalidInput

BEIJING = timezone(timedelta(hours=8))


def utc_stamp(moment: datetime | None = None) -> str:
    """The stored form of a moment (default now): '2024-05-10T02:03:04.000005Z'."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def beijing_now() -> datetime:
    return datetime.now(BEIJING)


def today() -> date:
    """Today in Beijing, or $TRACKER_TODAY (YYYY-MM-DD) so tests and demos can fix the date: the
    effective date a tick, a status change or a progress entry gets when none is given."""
    fixed = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(fixed) if fixed else beijing_now().date()


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def to_date(value) -> date | None:
    """'2023-05-10' (or a longer ISO string) -> date; '' / None / NaN / not a date -> None."""
    if _blank(value):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def to_local(value) -> datetime | None:
    """A stored UTC timestamp ('...Z') -> naive Beijing time (Excel cannot hold a time zone)."""
    if _blank(value):
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).replace(tzinfo=None)


def local_time(value) -> str:
    """A stored UTC time as Beijing time, 'YYYY-MM-DD HH:MM:SS' ('' when there is none)."""
    moment = to_local(value)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def parse_date(raw) -> str:
    """YYYY-MM-DD from a date, datetime or string typed by a person; InvalidInput otherwise."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"“{raw}”不是有效日期，请用 YYYY-MM-DD 格式") from None
