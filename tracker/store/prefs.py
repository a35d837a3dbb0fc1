"""Each account's remembered choices (organisation and report): a plain row per user, overwritten.

A choice of what to look at changes no commitment, so it stays out of the append-only event log (it
would fill the history with every click in the sidebar); the row says whose choice it is and when it
was made.
"""

from __future__ import annotations

from tracker.errors import NotFound
from tracker.store.schema import Database, now, transaction


def get_prefs(db: Database, user: str) -> dict | None:
    """{"org", "report_id", "updated_at"} last saved for `user`, or None."""
    rows = list(db.query("SELECT org, report_id, updated_at FROM user_prefs WHERE user = ?", [user]))
    return rows[0] if rows else None


def save_prefs(db: Database, user: str, org: str, report_id: str | None) -> None:
    """Remember `user`'s chosen organisation and report (one row per user, the latest choice wins)."""
    with transaction(db):
        if not db.execute("SELECT 1 FROM users WHERE name = ?", [user]).fetchone():
            raise NotFound(f"没有用户“{user}”")
        db["user_prefs"].upsert(
            {"user": user, "org": org or "", "report_id": report_id, "updated_at": now()}, pk="user"
        )
