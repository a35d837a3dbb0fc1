"""Operations that join reading, parsing and the store: import a file, seed the default database,
assemble what the overview shows.

The pages and the CLI import through here (`start_import` / `confirm_import` for the reviewed import
of the 导入 page, `import_file` for the command line), never through `intake` and `store` one by
one. Single reads and a person's changes are one store call each (`store.report_items`,
`store.record`): the pages and commands call those on `store` directly, with no pass-through here.
The corrections a person makes to a draft are pure functions of `intake` (`intake.rename_item`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from tracker import intake, progress, store
from tracker.model import PLAN, REVIEW


def import_file(
    db: store.Database, data: bytes, filename: str, username: str, org: str | None = None
) -> dict:
    """Read, extract and import one document, re-applying the corrections people made to earlier
    versions of it; nothing is written when it cannot be read, parsed or named safely."""
    return intake.import_file(db, data, filename, username, org=org)


def start_import(db: store.Database, data: bytes, filename: str) -> intake.Draft:
    """Read and extract a document for review, with earlier corrections re-applied; writes nothing."""
    return intake.start(db, data, filename)


def confirm_import(db: store.Database, draft: intake.Draft, username: str, org: str | None = None) -> dict:
    """Write a reviewed draft and its corrections in one transaction; returns a summary."""
    return intake.confirm(db, draft, username, org=org)


def ensure_seeded(db: store.Database, sample: Path = store.SAMPLE_REPORT) -> str | None:
    """On a database with no report, import the bundled sample; returns its id (None if it had one)."""
    if store.report_count(db):
        return None
    return import_file(db, sample.read_bytes(), sample.name, store.SYSTEM_USER)["report_id"]


def open_default(path: str | Path | None = None) -> store.Database:
    """The database the app and CLI use, created and seeded with the sample report on first use."""
    db = store.connect(path)
    ensure_seeded(db)
    return db


def data_version(db: store.Database) -> tuple:
    """Changes whenever anything is written: the key that keeps cached reads fresh."""
    return store.data_version(db)


def default_as_of(plan_year: int | None, today: date | None = None) -> date:
    """Today, kept inside the plan year: a past year is judged at its end, a future one at its start."""
    today = today or date.today()
    if not plan_year:
        return today
    return min(max(today, date(plan_year, 1, 1)), date(plan_year, 12, 31))


@dataclass
class Overview:
    report: dict
    items: pd.DataFrame  # progress.items_frame
    kpi: dict  # progress.completion
    by_section: pd.DataFrame
    goals: pd.DataFrame  # progress.goals_frame
    yoy: pd.DataFrame  # progress.year_on_year
    done_dates: list[str]


def overview(db: store.Database, report_id: str, as_of: date) -> Overview:
    """Everything the 总览 page draws, from four queries."""
    report = store.get_report(db, report_id)
    items = store.report_items(db, report_id, PLAN)
    metrics = store.report_metrics(db, report_id)
    goals = [m for m in metrics if m["part"] == PLAN]
    review = [m for m in metrics if m["part"] == REVIEW]
    frame = progress.items_frame(items, goals, as_of, report["plan_year"])
    logged = store.activity_counts(db, report_id, report["plan_year"])
    previous = store.previous_report(db, report)
    previous_logged = (
        store.logged_by_category(db, previous["id"], previous["plan_year"]) if previous else None
    )
    return Overview(
        report=report,
        items=frame,
        kpi=progress.completion(frame),
        by_section=progress.completion_by_section(frame),
        goals=progress.goals_frame(goals, {it["id"]: it for it in items}, as_of, report["plan_year"]),
        yoy=progress.year_on_year(review, logged, as_of, report["plan_year"], previous_logged),
        done_dates=store.done_dates(db, report_id),
    )
