"""Dates and times in one place: what is stored (UTC), what people see (one local zone), what they type.

Event and row times are stored as UTC ISO strings ending in Z. Everything shown or printed (pages,
CLI, exports) is in one zone: Asia/Shanghai, or $TRACKER_TZ (an IANA name such as Asia/Urumqi).
"""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.errors import InvalidInput

BEIJING = timezone(timedelta(hours=8))  # China has no daylight saving: the fallback without tzdata
DEFAULT_TZ = "Asia/Shanghai"


def local_zone() -> tzinfo:
    """The zone people read times in: $TRACKER_TZ, default Asia/Shanghai."""
    return _zone(os.environ.get("TRACKER_TZ", "").strip() or DEFAULT_TZ)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name != DEFAULT_TZ:
            raise InvalidInput(f"TRACKER_TZ={name} 不是有效的时区名称（如 Asia/Shanghai）") from None
        return BEIJING


def zone_label() -> str:
    """How column titles name the zone: 北京时间 for the default, else the zone's name."""
    name = os.environ.get("TRACKER_TZ", "").strip() or DEFAULT_TZ
    return "北京时间" if name == DEFAULT_TZ else name


def utc_stamp(moment: datetime | None = None) -> str:
    """The stored form of a moment (default now): '2024-05-10T02:03:04.000005Z'."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_now() -> datetime:
    """Now, in the local zone (aware)."""
    return datetime.now(local_zone())


def local_today() -> date:
    """Today's date in the local zone (a server on UTC is a day behind before 08:00 in Beijing)."""
    return local_now().date()


def today() -> date:
    """Today in the local zone, or $TRACKER_TODAY (YYYY-MM-DD) so tests and demos can fix the date:
    the effective date a tick, a status change or a progress entry gets when none is given."""
    fixed = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(fixed) if fixed else local_today()


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
    """A stored UTC timestamp ('...Z') -> naive local time (Excel cannot hold a time zone)."""
    if _blank(value):
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone()).replace(tzinfo=None)


def local_time(value) -> str:
    """A stored UTC time as local time, 'YYYY-MM-DD HH:MM:SS' ('' when there is none): the one
    function every page, command and export uses to show a stored time."""
    moment = to_local(value)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def cn_date(day: date) -> str:
    """2023年7月5日: a date as the documents and letters write it."""
    return f"{day.year}年{day.month}月{day.day}日"


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
