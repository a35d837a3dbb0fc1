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

from tracker import dates, intake, progress, store
from tracker.model import LIGHT_LABELS, PLAN, REVIEW


def import_file(
    db: store.Database, data: bytes, filename: str, username: str, org: str | None = None
) -> dict:
    """Read, extract and import one document, re-applying the corrections people made to earlier
    versions of it; nothing is written when it cannot be read, parsed or named safely."""
    return intake.import_file(db, data, filename, username, org=org)


def start_import(db: store.Database, data: bytes, filename: str) -> intake.Draft:
    """Read and extract a document for review, with earlier corrections re-applied; writes nothing."""
    return intake.start(db, data, filename)


def confirm_import(
    db: store.Database, draft: intake.Draft, username: str, org: str | None = None, require_meta: bool = False
) -> dict:
    """Write a reviewed draft and its corrections in one transaction; returns a summary. The 导入 page
    requires the organisation and years (`require_meta`)."""
    return intake.confirm(db, draft, username, org=org, require_meta=require_meta)


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
    today = today or dates.today()
    if not plan_year:
        return today
    return min(max(today, date(plan_year, 1, 1)), date(plan_year, 12, 31))


@dataclass
class Overview:
    """A report at a date (统计截至), every figure from the events effective on or before it."""

    report: dict
    as_of: date
    items: pd.DataFrame  # progress.items_frame
    kpi: dict  # progress.completion: total, done, share, lights (the five counts)
    by_section: pd.DataFrame
    goals: pd.DataFrame  # progress.goals_frame
    yoy: pd.DataFrame  # progress.year_on_year
    done_dates: list[str]  # the effective date each commitment done at as_of was done

    @property
    def counts(self) -> dict:
        """The five lights' counts (progress.light_counts), keyed by Light."""
        return self.kpi["lights"]


def overview(db: store.Database, report_id: str, as_of: date) -> Overview:
    """Everything the pages and exports show of a report at `as_of`: the report's rows and its dated
    log (store.report_log, one query), turned into figures by the pure functions of `progress`."""
    report = store.get_report(db, report_id)
    items = store.report_items(db, report_id, PLAN)
    metrics = store.report_metrics(db, report_id)
    goals = [m for m in metrics if m["part"] == PLAN]
    review = [m for m in metrics if m["part"] == REVIEW]
    year = report["plan_year"]
    snap = progress.snapshot(store.report_log(db, report_id), as_of, year)
    goal_frame = progress.goals_frame(goals, {it["id"]: it for it in items}, as_of, year, snap)
    frame = progress.items_frame(items, goal_frame, as_of, year, snap)
    previous = store.previous_report(db, report)
    previous_logged = (
        store.logged_by_category(db, previous["id"], previous["plan_year"]) if previous else None
    )
    return Overview(
        report=report,
        as_of=as_of,
        items=frame,
        kpi=progress.completion(frame),
        by_section=progress.completion_by_section(frame),
        goals=goal_frame,
        yoy=progress.year_on_year(review, snap.activity, as_of, year, previous_logged),
        done_dates=sorted(snap.done_on.values()),
    )


def overview_json(ov: Overview) -> dict:
    """The object `python -m tracker overview --json` prints; the pages read the same Overview."""
    goals = ov.goals
    return {
        "report": ov.report["id"],
        "as_of": ov.as_of.isoformat(),
        "items": len(ov.items),
        "counts": progress.labelled(ov.counts),
        "goals": [
            {
                "id": g.id,
                "item": g.item_id,
                "activity": g.activity,
                "type": g.type,
                "target": _num(g.target),
                "unit": g.unit,
                "bound": g.bound,
                "progress": _num(g.progress),
                "verified": _num(g.verified),
                "share": _num(g.share),
                "light": LIGHT_LABELS[g.light],
            }
            for g in goals.itertuples()
        ],
        "activities": [
            {
                "category": r.category,
                "unit": r.unit,
                "last_year": _num(r.last_year) if r.last_year_known else None,
                "this_year": _num(r.this_year),
            }
            for r in ov.yoy.itertuples()
        ],
    }


def _num(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)
