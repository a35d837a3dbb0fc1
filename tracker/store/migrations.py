"""The schema as migrations, named steps: `MIGRATIONS` lists them in order; `PRAGMA user_version`
counts how many a file has had, so `migrate` (run by every `schema.connect`) applies only the ones it
lacks. A new column or table is one more decorated function at the end of this module, never an edit
of an older step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from tracker.model import Role, Status
from tracker.store.schema import transaction


@dataclass(frozen=True)
class Migration:
    name: str
    script: str
    fill: Callable[[Database], None] | None = None  # fills the new columns of existing rows, after the SQL


MIGRATIONS: list[Migration] = []


def migration(fn: Callable[[], str | tuple[str, Callable]]) -> Callable:
    """Register `fn` as the next migration, named after the function. It returns the step's SQL, or
    (SQL, fill) when existing rows need values computed in Python (in the same transaction)."""
    made = fn()
    script, fill = (made, None) if isinstance(made, str) else made
    MIGRATIONS.append(Migration(fn.__name__, script, fill))
    return fn


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, upto: int | None = None) -> int:
    """Apply the migrations the file lacks (PRAGMA user_version counts them); returns the version.

    `upto` stops after that many steps: the schema an older version of the program built.
    """
    version = schema_version(db)
    steps = MIGRATIONS[:upto] if upto is not None else MIGRATIONS
    for number, step in enumerate(steps[version:], start=version + 1):
        with transaction(db):
            for statement in _statements(step.script):
                db.execute(statement)
            if step.fill:
                step.fill(db)
            db.execute(f"PRAGMA user_version = {number}")
        version = number
    return version


def _statements(script: str) -> list[str]:
    """Split a migration on ';' at line ends, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf)
        if line.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return [s for s in out if s]


_ROLES_SQL = ", ".join(f"'{r}'" for r in Role)


# the whole first schema (a table of SQL, not code: kept verbatim as files built by it have it)
_FIRST_SCHEMA = f"""
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ({_ROLES_SQL})),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT
    );
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        review_year INTEGER,
        plan_year INTEGER,
        report_date TEXT,
        filename TEXT,
        content_hash TEXT,
        text TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE TABLE sections (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        part TEXT NOT NULL,
        number INTEGER NOT NULL,
        level INTEGER NOT NULL DEFAULT 1,
        title TEXT NOT NULL,
        start INTEGER,
        position INTEGER
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        part TEXT NOT NULL,
        section INTEGER NOT NULL,
        section_title TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER,
        kind TEXT NOT NULL DEFAULT 'lead',
        position INTEGER,
        due_text TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT '{Status.NOT_STARTED}',
        owner TEXT NOT NULL DEFAULT '',
        co_owner TEXT NOT NULL DEFAULT '',
        due TEXT,
        updated_at TEXT,
        updated_by TEXT
    );
    CREATE INDEX items_report ON items(report_id, part);
    CREATE TABLE metrics (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        item_id TEXT REFERENCES items(id),
        part TEXT NOT NULL,
        kind TEXT NOT NULL,
        value REAL,
        value_max REAL,
        unit TEXT NOT NULL,
        approx INTEGER NOT NULL DEFAULT 0,
        bound TEXT,
        redacted INTEGER NOT NULL DEFAULT 0,
        activity TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL,
        start INTEGER,
        position INTEGER,
        missing INTEGER NOT NULL DEFAULT 0,
        filled_value REAL,
        progress REAL NOT NULL DEFAULT 0,
        verified REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX metrics_report ON metrics(report_id, part);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        report_id TEXT,
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        action TEXT NOT NULL,
        field TEXT,
        before TEXT,
        after TEXT,
        amount REAL,
        date TEXT,
        note TEXT,
        evidence TEXT,
        undoes INTEGER REFERENCES events(id)
    );
    CREATE INDEX events_target ON events(target_type, target_id);
    CREATE INDEX events_report ON events(report_id, action);
    CREATE UNIQUE INDEX events_undoes ON events(undoes) WHERE undoes IS NOT NULL;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE VIEW activity_log AS
        SELECT e.id, e.report_id, e.target_id AS metric_id, m.activity AS category, m.unit,
               e.date, e.amount AS count, e.note, e.user, e.at, e.undoes
        FROM events e JOIN metrics m ON m.id = e.target_id
        WHERE e.action = 'activity';
    """


@migration
def first_schema() -> str:
    """Users, reports, sections, items, metrics and the append-only events with their triggers."""
    return _FIRST_SCHEMA


@migration
def category_names() -> str:
    """An activity category's name as the office calls it (admins rename; NULL = the report's wording)."""
    return "ALTER TABLE metrics ADD COLUMN category TEXT;"


@migration
def owners_from_text() -> str:
    """Owners a commitment's text names (牵头单位：…), the starting value of owner / co_owner."""
    return """
    ALTER TABLE items ADD COLUMN owner_text TEXT NOT NULL DEFAULT '';
    ALTER TABLE items ADD COLUMN co_owner_text TEXT NOT NULL DEFAULT '';
    """


@migration
def login_throttle() -> str:
    """Failed sign-ins counted per name and client address ('*' = all addresses), issue 17 #3/#4.

    Names that have no account get rows too, so an unknown name is throttled exactly like a real one.
    """
    return """
    CREATE TABLE login_failures (
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        last_at TEXT NOT NULL,
        PRIMARY KEY (name, address)
    );
    """


@migration
def credential_version() -> str:
    """Bumped by a password change or reset, disabling and a role change: older sessions end (#5)."""
    return "ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;"


@migration
def sessions() -> str:
    """Sign-ins that survive a reload (issue 14): the cookie's token, stored only as its sha256."""
    return """
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        credential_version INTEGER NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX sessions_user ON sessions(user);
    """


def _classify_goals(db: Database) -> None:
    from tracker.goal_types import classify

    rows = db.execute(
        "SELECT id, unit, bound, activity, quote, value FROM metrics WHERE part = 'plan'"
    ).fetchall()
    db.conn.executemany(
        "UPDATE metrics SET goal_type = ? WHERE id = ?",
        [(classify(u, b, a, q, v), i) for i, u, b, a, q, v in rows],
    )


@migration
def goal_types():
    """A plan goal's type (accumulate, level, ceiling, milestone: tracker.goal_types); existing goals
    get classify()'s proposal, which an admin may change (the goal_type action)."""
    return "ALTER TABLE metrics ADD COLUMN goal_type TEXT;", _classify_goals


@migration
def user_prefs() -> str:
    """Each account's last chosen organisation and report, restored at its next login. A preference is
    no commitment, so it is a row a person overwrites (with when), not an event in the audit log."""
    return """
    CREATE TABLE user_prefs (
        user TEXT PRIMARY KEY REFERENCES users(name),
        org TEXT NOT NULL DEFAULT '',
        report_id TEXT,
        updated_at TEXT NOT NULL
    );
    """


@migration
def supervision() -> str:
    """督办 (issue 16): units, unit accounts, the assignment of commitments, reporting periods, progress
    reports with evidence blobs (content-addressed), leaders' instructions and who has read them."""
    return """
    CREATE TABLE units (
        name TEXT PRIMARY KEY,
        email TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by TEXT
    );
    ALTER TABLE users ADD COLUMN unit TEXT REFERENCES units(name);
    ALTER TABLE items ADD COLUMN assigned TEXT NOT NULL DEFAULT '';
    CREATE TABLE periods (
        label TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        due TEXT NOT NULL,
        opened_by TEXT NOT NULL,
        opened_at TEXT NOT NULL
    );
    CREATE TABLE progress_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id TEXT NOT NULL REFERENCES items(id),
        unit TEXT NOT NULL,
        period TEXT NOT NULL REFERENCES periods(label),
        text TEXT NOT NULL,
        filed TEXT NOT NULL,
        late INTEGER NOT NULL DEFAULT 0,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        event_id INTEGER REFERENCES events(id)
    );
    CREATE INDEX progress_reports_item ON progress_reports(item_id, period);
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE attachments (
        report_id INTEGER NOT NULL REFERENCES progress_reports(id),
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        name TEXT NOT NULL
    );
    CREATE INDEX attachments_report ON attachments(report_id);
    CREATE TABLE instructions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id TEXT NOT NULL REFERENCES items(id),
        text TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        event_id INTEGER REFERENCES events(id)
    );
    CREATE INDEX instructions_item ON instructions(item_id);
    CREATE TABLE instruction_reads (
        instruction_id INTEGER NOT NULL REFERENCES instructions(id),
        unit TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (instruction_id, unit)
    );
    CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
        BEGIN SELECT RAISE(ABORT, 'progress reports are append-only'); END;
    CREATE TRIGGER progress_reports_no_delete BEFORE DELETE ON progress_reports
        BEGIN SELECT RAISE(ABORT, 'progress reports are append-only'); END;
    """


@migration
def events_by_target() -> str:
    """Events of one row, newest first, whatever its type: the 任务 page's and the history's look-up
    by target_id alone scanned every event (events_target starts with target_type; issue 15)."""
    return "CREATE INDEX events_target_id ON events(target_id, id);"
